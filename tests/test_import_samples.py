"""The shared sample sheets import exactly as their expected JSON files describe, field by field."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.clock import ManualClock
from bot.models import Customer
from bot.store import Store
from handlers.router import Router
from tests.chat import Chat

# Copies of the team's shared sample sheets and their expected results, kept in the
# repository so that a checkout on its own runs them. test_samples_match_shared_copies
# checks that they have not drifted from the shared originals where those exist.
SAMPLES = Path(__file__).resolve().parent / "data"
SHARED_SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "data"
SAMPLE_FILES = (
    "sample-customers.xlsx",
    "sample-customers.expected.json",
    "sample-customers-gbk.csv",
    "sample-customers-gbk.expected.json",
)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def birthday_text(year: int | None, month: int | None, day: int | None) -> str | None:
    if month is None:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


async def imported_customers(store: Store, *, clock: ManualClock) -> list[dict[str, object]]:
    """Return the customers in the expected JSON's shape, without row numbers."""
    async with store.session() as session:
        customers = list((await session.execute(select(Customer).order_by(Customer.id))).scalars())
    found = []
    for customer in customers:
        [contact] = customer.contacts
        last_contact = customer.last_contact_at.astimezone(SHANGHAI).date()
        found.append(
            {
                "company": customer.name,
                "country": customer.country,
                "timezone": customer.zone,
                "contact": contact.name,
                "email": contact.email,
                "phone": contact.phone,
                "birthday": birthday_text(contact.birth_year, contact.birth_month, contact.birth_day),
                "tier": customer.tier,
                # A customer without a last-contact date starts its clock at the import.
                "last_contact": None if customer.last_contact_at == clock.now() else last_contact.isoformat(),
            }
        )
    return found


@pytest.mark.parametrize("filename", ["sample-customers.xlsx", "sample-customers-gbk.csv"])
async def test_sample_imports_as_expected(filename: str, router: Router, store: Store, clock: ManualClock) -> None:
    path = SAMPLES / filename
    expected_path = path.with_name(filename.rsplit(".", 1)[0] + ".expected.json")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    rep = Chat(router, user_id="1", name="Wang", locale="en")
    await rep.say("/start")

    preview = await rep.send_file(filename, path.read_bytes())

    assert f"under the header on row {expected['header_row']}." in preview
    assert f"New customers: {len(expected['customers'])}." in preview
    assert f"Duplicates: {len(expected['duplicate_rows'])}." in preview
    assert f"Invalid rows: {len(expected['invalid_rows'])}." in preview
    for duplicate in expected["duplicate_rows"]:
        assert re.search(rf"Row {duplicate['row']}: same .* as row {duplicate['duplicate_of_row']}\.", preview)
    invalid_section = preview.split("Invalid rows, left out:", 1)[1].split("To check:", 1)[0]
    assert sorted(int(row) for row in re.findall(r"Row (\d+):", invalid_section)) == [
        row["row"] for row in expected["invalid_rows"]
    ]
    assert "火星" in invalid_section
    # The future birthday is kept and flagged, not dropped.
    melbourne_row = next(item["row"] for item in expected["customers"] if item["company"] == "Melbourne Print Co")
    assert f"Row {melbourne_row}: Birthday 2027-03-05 is in the future." in preview

    confirm = rep.last[-1].buttons[0][0].data
    summary = await rep.press(confirm)
    assert f"Imported {len(expected['customers'])} customers" in summary

    expected_customers = [{key: value for key, value in item.items() if key != "row"} for item in expected["customers"]]
    assert await imported_customers(store, clock=clock) == expected_customers
    assert clock.now().astimezone(SHANGHAI).date() == date(2026, 12, 7)


@pytest.mark.parametrize("filename", SAMPLE_FILES)
def test_samples_match_shared_copies(filename: str) -> None:
    shared = SHARED_SAMPLES / filename
    if not shared.exists():
        pytest.skip(f"the shared original {shared} is not next to this checkout")
    assert (SAMPLES / filename).read_bytes() == shared.read_bytes()
