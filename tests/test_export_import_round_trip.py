"""Export, then import into an empty team: the same customers come back."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.clock import ManualClock
from bot.config import Settings
from bot.models import Customer
from bot.store import Store, migrate
from handlers.routes import build_router
from tests.chat import Chat

SHANGHAI = ZoneInfo("Asia/Shanghai")

CUSTOMERS = [
    "/add 名称: Sharma Print House 国家: 印度 等级: A 联系人: Rahul Sharma 邮箱: rahul@sharmaprint.in "
    "电话: +91 98200 12345 生日: 6月12日 来源: Alibaba 备注: CTCP 0.30 mm",
    "/add 名称: Boston Graphics 国家: US 州/省: MA 时区: America/New_York 等级: B 联系人: Jane Roe "
    "邮箱: jane@bostongraphics.com 生日: 1988-02-29",
    "/add 名称: Müller Druck GmbH 国家: Germany 等级: C 来源: 广交会",
]


def snapshot(customers: list[Customer]) -> list[tuple[object, ...]]:
    """Return what a rep sees of each customer, by name, without ids and owners."""
    rows = []
    for customer in sorted(customers, key=lambda item: item.name):
        contact = customer.contacts[0] if customer.contacts else None
        rows.append(
            (
                customer.name,
                customer.country,
                customer.subdivision,
                customer.zone,
                customer.tier,
                customer.source,
                customer.source_detail,
                customer.note,
                customer.last_contact_at.astimezone(SHANGHAI).date(),
                contact.name if contact else None,
                contact.email if contact else None,
                contact.phone if contact else None,
                (contact.birth_year, contact.birth_month, contact.birth_day) if contact else None,
            )
        )
    return rows


async def all_customers(store: Store) -> list[Customer]:
    async with store.session() as session:
        return list((await session.execute(select(Customer))).scalars())


@pytest.mark.parametrize("locale", ["zh-hans", "en"])
async def test_round_trip_keeps_customers(
    store: Store, clock: ManualClock, settings: Settings, tmp_path: Path, locale: str
) -> None:
    router = build_router(store=store, clock=clock, settings=settings)
    admin = Chat(router, user_id="1", name="Boss", locale=locale)
    await admin.say("/start")
    for line in CUSTOMERS:
        await admin.say(line)
    await admin.say("/log Sharma email sent the catalogue")
    replies = await admin.send("/export")
    (file,) = [reply.file for reply in replies if reply.file is not None]
    before = snapshot(await all_customers(store))
    assert len(before) == 3

    empty = Store(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    await migrate(empty)
    try:
        other_router = build_router(store=empty, clock=clock, settings=settings)
        newcomer = Chat(other_router, user_id="9", name="New", locale=locale)
        await newcomer.say("/start")
        preview = await newcomer.send_file(file.filename, file.data)
        assert "3" in preview
        await newcomer.say("/import yes")
        after = snapshot(await all_customers(empty))
    finally:
        await empty.dispose()
    assert after == before
