"""Customer import through the router: preview, confirm, cancel, duplicates, expiry, rollback."""

from __future__ import annotations

import os
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.clock import ManualClock
from bot.models import AuditEvent, Contact, Customer, Member, PendingImport
from bot.services import imports as import_service
from bot.services.customers import name_key
from bot.store import Store
from bot.transports.base import Attachment, Incoming
from handlers.router import Router
from tests.chat import Chat
from tests.members import enroll
from tests.sheets import csv_bytes, xlsx_bytes

SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADERS = ["Company", "Country", "Contact", "Email", "Phone", "Birthday", "Tier", "Source", "Last Contact"]
SHARMA = ["Sharma Print House", "India", "Rahul Sharma", "rahul@sharmaprint.in", "+91 98200 12345", "6月12日", "A", "Alibaba", "2026/12/1"]
NORDIC = ["Nordic Offset AB", "SE", "Anna Lind", "anna@nordicoffset.se", "+46 8 123 456 78", "", "B", "广交会", ""]
NARNIA = ["Narnia Trading", "Narnia", "Tumnus", "", "", "", "C", "", ""]
GULF = ["Gulf Print Trading LLC", "阿联酋", "Omar", "omar@gulfprint.ae", "", "", "A", "", ""]
SHEET = xlsx_bytes([HEADERS, SHARMA, NORDIC, NARNIA])


async def count(store: Store, model: type) -> int:
    async with store.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def count_import_events(store: Store) -> int:
    """Count the audit events of confirmed imports; reads and other commands log their own."""
    async with store.session() as session:
        statement = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "import")
        return int(await session.scalar(statement) or 0)


@pytest.fixture
async def rep(router: Router) -> Chat:
    chat = Chat(router, user_id="100", name="Li", locale="en")
    await chat.say("/start")
    return chat


@pytest.fixture
async def other_rep(router: Router, rep: Chat) -> Chat:
    chat = Chat(router, user_id="200", name="Zhang", locale="en")
    await enroll(chat, admin=rep)
    return chat


def button_data(chat: Chat) -> tuple[str, str]:
    """Return the confirm and cancel data of the preview's buttons."""
    [[confirm, cancel]] = chat.last[-1].buttons
    return confirm.data, cancel.data


def pending_id_of(data: str) -> str:
    """Return the pending import id in a button's data, "/import yes 12 3fa9c1e0"."""
    return data.split()[2]


async def test_stale_button_cannot_confirm_newer_import(rep: Chat, store: Store) -> None:
    await rep.send_file("first.xlsx", SHEET)
    first_confirm, first_cancel = button_data(rep)
    await rep.press(first_cancel)
    # SQLite may give the next preview the same id, and the button's check separates them.
    await rep.send_file("second.xlsx", SHEET)

    assert (await rep.press(first_confirm)).startswith("No import #")
    assert await count(store, Customer) == 0
    assert await count(store, PendingImport) == 1


async def test_preview_writes_nothing_until_confirmed(rep: Chat, store: Store) -> None:
    preview = await rep.send_file("customers.xlsx", SHEET)

    assert "customers.xlsx: 3 rows under the header on row 1." in preview
    assert "New customers: 2. Duplicates: 0. Invalid rows: 1." in preview
    assert "Row 4: Country 'Narnia' is not recognised." in preview
    assert "Nothing is written until you confirm." in preview
    [[confirm_button, cancel_button]] = rep.last[-1].buttons
    assert confirm_button.label == "Import 2 customers"
    assert cancel_button.label == "Cancel"
    assert await count(store, Customer) == 0
    assert await count(store, PendingImport) == 1

    summary = await rep.press(confirm_button.data)

    assert summary == (
        "Imported 2 customers from customers.xlsx (contacts: 2). They are yours.\n"
        "Left out as in the preview: 1 invalid row.\n"
        "Follow-up clocks start from the sheet's last-contact date for 1, and from today for 1. "
        "Send /today to see what is due."
    )
    assert await count(store, Customer) == 2
    assert await count(store, Contact) == 2
    assert await count(store, PendingImport) == 0
    async with store.session() as session:
        [event] = (await session.execute(select(AuditEvent).where(AuditEvent.action == "import"))).scalars()
        owners = set((await session.execute(select(Customer.owner_id))).scalars())
        member_id = await session.scalar(select(Member.id).where(Member.display_name == "Li"))
    assert event.action == "import"
    assert event.detail["customers"] == 2
    assert event.detail["contacts"] == 2
    assert event.detail["invalid"] == 1
    assert event.detail["duplicates"] == 0
    assert (event.platform, event.chat_id) == ("test", "100")
    assert owners == {member_id}


async def test_last_contact_date_sets_cadence_clock(rep: Chat, store: Store, clock: ManualClock) -> None:
    await rep.send_file("customers.xlsx", SHEET)
    await rep.press(button_data(rep)[0])

    # Tier A follows up every 3 days from the sheet's 2026-12-01.
    sharma = await rep.say("/card Sharma")
    assert "Last contact: 2026-12-01. Next follow-up: 2026-12-04." in sharma
    assert "birthday 06-12" in sharma
    # Without a date the clock starts at the import: tier B, 7 days from Monday 7 Dec.
    nordic = await rep.say("/card Nordic")
    assert "Last contact: 2026-12-07. Next follow-up: 2026-12-14." in nordic
    async with store.session() as session:
        instants = dict((await session.execute(select(Customer.name, Customer.last_contact_at))).all())
    assert instants["Nordic Offset AB"] == clock.now()
    assert instants["Sharma Print House"].astimezone(SHANGHAI).date().isoformat() == "2026-12-01"


async def test_confirm_twice_is_not_found(rep: Chat, store: Store) -> None:
    await rep.send_file("customers.xlsx", SHEET)
    confirm, _cancel = button_data(rep)
    await rep.press(confirm)

    again = await rep.press(confirm)

    pending_id = pending_id_of(confirm)
    assert again.startswith(f"No import #{pending_id} is waiting for you.")
    assert await count(store, Customer) == 2
    assert await count_import_events(store) == 1


async def test_other_members_pending_id_looks_not_found(rep: Chat, other_rep: Chat, store: Store) -> None:
    await rep.send_file("customers.xlsx", SHEET)
    confirm, cancel = button_data(rep)
    pending_id = pending_id_of(confirm)
    unknown = await other_rep.say("/import yes 999")

    for data in (confirm, cancel):
        reply = await other_rep.press(data)
        assert reply == unknown.replace("#999", f"#{pending_id}")
    assert await count(store, Customer) == 0
    assert await count(store, PendingImport) == 1


async def test_cancel_discards_pending_import(rep: Chat, store: Store) -> None:
    await rep.send_file("customers.xlsx", SHEET)
    confirm, cancel = button_data(rep)

    assert await rep.press(cancel) == "Import of customers.xlsx cancelled. Nothing was imported."
    assert await count(store, PendingImport) == 0
    assert (await rep.press(confirm)).startswith("No import #")
    assert await count(store, Customer) == 0


async def test_new_file_replaces_pending_import(rep: Chat, store: Store) -> None:
    await rep.send_file("first.xlsx", SHEET)
    first_confirm, _ = button_data(rep)
    await rep.send_file("second.csv", csv_bytes([HEADERS, NORDIC], encoding="gbk"))
    second_confirm, _ = button_data(rep)

    assert (await rep.press(first_confirm)).startswith("No import #")
    assert (await rep.press(second_confirm)).startswith("Imported 1 customer from second.csv")
    async with store.session() as session:
        assert list((await session.execute(select(Customer.name))).scalars()) == ["Nordic Offset AB"]


async def test_typed_confirm_without_id_takes_latest(rep: Chat, store: Store) -> None:
    assert (await rep.say("/import yes")).startswith("No import is waiting for you.")
    await rep.send_file("customers.xlsx", SHEET)

    assert (await rep.say("导入 确认")).startswith("Imported 2 customers")
    assert await count(store, Customer) == 2


async def test_pending_import_expires_after_a_day(rep: Chat, store: Store, clock: ManualClock) -> None:
    await rep.send_file("customers.xlsx", SHEET)
    confirm, _ = button_data(rep)
    clock.advance(timedelta(hours=24, minutes=1))

    reply = await rep.press(confirm)

    assert reply == f"Import #{pending_id_of(confirm)} expired after 24 hours. Send the file again."
    assert await count(store, Customer) == 0


async def test_duplicates_of_team_customers(rep: Chat, other_rep: Chat, store: Store) -> None:
    await rep.say("/add 名称: Sharma Print House Pvt. Ltd 国家: 印度 邮箱: sales@sharmaprint.in")
    await other_rep.say("/add 名称: Nordic Offset 国家: SE 联系人: Erik Secret 电话: +46 8 123 456 78")
    async with store.session() as session:
        own_id = await session.scalar(select(Customer.id).where(Customer.name.startswith("Sharma")))

    preview = await rep.send_file("customers.xlsx", SHEET)

    assert "New customers: 0. Duplicates: 2. Invalid rows: 1." in preview
    # The legal form does not count, as for /add: "Nordic Offset AB" is "Nordic Offset".
    assert f"Row 2: same company name and email domain as your customer #{own_id} Sharma Print House Pvt. Ltd." in preview
    assert "Row 3: same company name and phone as a customer already registered in the team." in preview
    # Another rep's customer is never described: not its owner, name or contact.
    assert "Zhang" not in preview
    assert "Erik" not in preview
    assert "Nordic Offset (" not in preview
    assert "Nothing to import from customers.xlsx." in preview
    assert rep.last[-1].buttons == ()
    assert await count(store, PendingImport) == 0


async def test_duplicate_rows_within_file(rep: Chat) -> None:
    copy = ["SHARMA PRINT HOUSE", "IN", "R. Sharma", "purchase@sharmaprint.in", "", "", "A", "", ""]
    gmail_a = ["Lagos Print", "NG", "A", "lagos.print@gmail.com", "", "", "C", "", ""]
    gmail_b = ["Abuja Print", "NG", "B", "abuja.print@gmail.com", "", "", "C", "", ""]
    preview = await rep.send_file("c.xlsx", xlsx_bytes([HEADERS, SHARMA, copy, gmail_a, gmail_b]))

    assert "New customers: 3. Duplicates: 1. Invalid rows: 0." in preview
    assert "Row 3: same company name and email domain as row 2." in preview


async def test_registered_meanwhile_left_out_at_confirm(rep: Chat, other_rep: Chat, store: Store) -> None:
    await rep.send_file("customers.xlsx", SHEET)
    confirm, _ = button_data(rep)
    await other_rep.say("/add 名称: Nordic Offset AB 国家: SE")

    summary = await rep.press(confirm)

    assert "Imported 1 customer from customers.xlsx" in summary
    assert "1 row was left out because the team registered its customer after the preview:" in summary
    assert "Row 3: same company name as a customer already registered in the team." in summary
    assert await count(store, Customer) == 2


async def test_unknown_column_mapped_by_caption(rep: Chat, store: Store) -> None:
    sheet = xlsx_bytes([["客户名称", "国家", "旺旺"], ["Acme Ltd", "IN", "acme_ww"]])
    preview = await rep.send_file("c.xlsx", sheet)
    assert "Not imported: 旺旺 (unknown column)." in preview
    assert "columns: 旺旺=note" in preview

    await rep.send_file("c.xlsx", sheet, caption="列: 旺旺=备注")
    await rep.press(button_data(rep)[0])

    async with store.session() as session:
        assert await session.scalar(select(Customer.note)) == "acme_ww"


@pytest.mark.parametrize(
    ("filename", "data", "expected"),
    [
        ("quote.pdf", b"%PDF-1.7", "I cannot read quote.pdf as a customer sheet."),
        ("empty.csv", b"", "The file empty.csv is empty."),
        ("prices.csv", "产品,价格\nCTCP,2.5\n".encode(), "No header row found in the first 20 rows of prices.csv."),
        ("c.csv", "客户名称,联系人\nAcme,Raj\n".encode(), "c.csv has no 国家 / Country column."),
    ],
)
async def test_bad_file_explained_and_nothing_stored(rep: Chat, store: Store, filename: str, data: bytes, expected: str) -> None:
    reply = await rep.send_file(filename, data)
    assert reply.startswith(expected)
    assert await count(store, PendingImport) == 0


async def test_file_before_start_asks_to_join(router: Router, store: Store) -> None:
    stranger = Chat(router, user_id="300", locale="en")
    assert await stranger.send_file("customers.xlsx", SHEET) == "Send /start first to join your team."
    assert await count(store, PendingImport) == 0


async def test_file_in_group_chat_is_ignored(router: Router, rep: Chat, store: Store) -> None:
    group = Chat(router, user_id="100", name="Li", locale="en", group_id="-500")
    assert await group.send_file("customers.xlsx", SHEET) == ""
    assert group.last == []
    assert await count(store, PendingImport) == 0


async def test_progress_reported_for_large_sheet(router: Router, rep: Chat, store: Store) -> None:
    rows = [["客户名称", "国家"]] + [[f"Buyer {number:04d}", "IN"] for number in range(2500)]
    reported: list[str] = []

    async def progress(text: str) -> None:
        reported.append(text)

    def incoming(text: str, attachment: Attachment | None = None) -> Incoming:
        return Incoming(platform="test", user_id="100", chat_id="100", text=text, locale="en", attachment=attachment, progress=progress)

    [preview] = await router.handle(incoming("", Attachment("big.csv", csv_bytes(rows))))
    await router.handle(incoming(preview.buttons[0][0].data))

    assert reported == [
        "Checking rows: 2000 of 2500…",
        "Checking rows: 2500 of 2500…",
        "Importing customers: 2000 of 2500…",
        "Importing customers: 2500 of 2500…",
    ]
    assert await count(store, Customer) == 2500


# ---------------------------------------------------------------------------- rollback


async def tamper_row_name(store: Store, *, index: int, name: str) -> None:
    """Give a row of the pending import another row's name, so that its insert fails."""
    async with store.session() as session, session.begin():
        pending = (await session.execute(select(PendingImport))).scalar_one()
        payload = dict(pending.payload)
        rows = [dict(row) for row in payload["rows"]]
        rows[index]["name"] = name
        payload["rows"] = rows
        pending.payload = payload


async def test_aborted_import_through_router_writes_nothing(rep: Chat, store: Store) -> None:
    await rep.send_file("customers.xlsx", SHEET)
    await tamper_row_name(store, index=1, name="Sharma Print House")

    reply = await rep.press(button_data(rep)[0])

    assert reply.startswith("Nothing was imported: while the import ran, someone in the team registered")
    assert await count(store, Customer) == 0
    assert await count(store, Contact) == 0
    assert await count_import_events(store) == 0
    assert await count(store, PendingImport) == 1


async def test_failed_batch_rolls_back_earlier_batches(rep: Chat, store: Store, clock: ManualClock) -> None:
    await rep.send_file("customers.xlsx", xlsx_bytes([HEADERS, SHARMA, NORDIC, GULF]))
    # The third row, in the second batch, clashes with the first, which the first batch wrote.
    await tamper_row_name(store, index=2, name="SHARMA print house")
    written: list[tuple[int, int]] = []

    async def on_progress(done: int, total: int) -> None:
        written.append((done, total))

    with pytest.raises(import_service.ImportAborted):
        async with store.session() as session, session.begin():
            member = (await session.execute(select(Member))).scalar_one()
            await import_service.confirm_import(
                session, actor=member, pending_id=None, now=clock.now(), on_progress=on_progress, batch_rows=2
            )

    assert written == [(2, 3)]
    assert await count(store, Customer) == 0
    assert await count(store, Contact) == 0
    assert await count_import_events(store) == 0
    assert await count(store, PendingImport) == 1


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL for a concurrent writer")
async def test_concurrent_registration_aborts_import(rep: Chat, store: Store, clock: ManualClock) -> None:
    if store.is_sqlite:
        pytest.skip("SQLite has one writer; the race needs two connections writing")
    await rep.send_file("customers.xlsx", xlsx_bytes([HEADERS, SHARMA, NORDIC, GULF]))

    async def register_gulf_meanwhile(done: int, total: int) -> None:
        # Another process registers the third row's buyer after the first batch went in.
        async with store.session() as other, other.begin():
            member = (await other.execute(select(Member))).scalar_one()
            other.add(
                Customer(
                    team_id=member.team_id, owner_id=member.id, name="Gulf Print Trading LLC",
                    name_key=name_key("Gulf Print Trading LLC"), country="AE", zone="Asia/Dubai", tier="A",
                    source="other", tags=[], last_contact_at=clock.now(), created_at=clock.now(),
                )
            )  # fmt: skip

    with pytest.raises(import_service.ImportAborted):
        async with store.session() as session, session.begin():
            member = (await session.execute(select(Member))).scalar_one()
            await import_service.confirm_import(
                session, actor=member, pending_id=None, now=clock.now(), on_progress=register_gulf_meanwhile, batch_rows=2
            )

    async with store.session() as session:
        names = list((await session.execute(select(Customer.name))).scalars())
    assert names == ["Gulf Print Trading LLC"]
    assert await count(store, Contact) == 0
    assert await count(store, PendingImport) == 1


async def test_long_cell_quoted_short_and_list_capped(rep: Chat) -> None:
    rows = [["客户名称", "国家"]] + [[f"Buyer {number}", "X" * 500] for number in range(25)]
    preview = await rep.send_file("c.csv", csv_bytes(rows))

    assert "Invalid rows: 25." in preview
    assert f"Row 2: Country '{'X' * 80}…' is not recognised." in preview
    assert "Row 21:" in preview
    assert "Row 22:" not in preview
    assert "  …and 5 more." in preview
