"""The same command texts through Telegram and Slack store the same customers, deals and interactions.

Each platform serves its own team in one database: Telegram through python-telegram-bot and
the fake Bot API, Slack through slack-bolt's HTTP endpoint and the fake Web API. The texts
go to Slack as `/followup …` slash commands and as direct messages, in turn. The stored
rows are then compared without ids, team and owner columns.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select

from bot.clock import ManualClock
from bot.config import Settings
from bot.models import Contact, Customer, Deal, Interaction, Team
from bot.store import Store
from bot.transports.pacing import RateLimiter, RateLimits
from bot.transports.telegram import TelegramTransport
from handlers.routes import build_router
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.slack_harness import running_slack_bot

UNPACED = RateLimits(messages_per_second=None, chat_interval=0.0)
TELEGRAM_USER = 1001
SLACK_USER = "U0REP001"

# Texts as a rep types them, valid and invalid, commands and Chinese keywords.
TEXTS = (
    "/start",
    "/add 名称: Sharma Print House 国家: 印度 等级: A 联系人: Rahul Sharma 邮箱: rahul@sharmaprint.in 来源: Alibaba 询盘",
    "添加客户名称: Müller Druck GmbH 国家: 德国 等级: B 电话: +49 30 1234567",
    "/add 名称: A&B <Trading> 国家: 阿联酋",
    "/add 名称: No Country Ltd",
    "/deal Sharma Print House 产品: CTCP plate 规格: 530×664 mm 数量: 1×20GP 价格: USD 2.5 FOB Shanghai 阶段: quoted",
    "/log Sharma quote USD 2.5 FOB Shanghai",
    "记录 Müller call 样品已寄出",
    "/stage Sharma sample",
    "/snooze Müller 3d",
    "/done A&B 已发目录",
    "/stage Nobody won",
    "/today",
)


def _rows(objects: list[Any], columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
    return sorted(tuple(getattr(item, column) for column in columns) for item in objects)


async def stored_rows(store: Store, team_name: str) -> dict[str, list[tuple[Any, ...]]]:
    async with store.session() as session:
        team = await session.scalar(select(Team).where(Team.name == team_name))
        assert team is not None
        customers = list((await session.execute(select(Customer).where(Customer.team_id == team.id))).scalars())
        ids = [customer.id for customer in customers]
        contacts = list((await session.execute(select(Contact).where(Contact.customer_id.in_(ids)))).scalars())
        deals = list((await session.execute(select(Deal).where(Deal.customer_id.in_(ids)))).scalars())
        interactions = list((await session.execute(select(Interaction).where(Interaction.customer_id.in_(ids)))).scalars())
    return {
        "customers": _rows(
            customers,
            ("name", "name_key", "country", "zone", "tier", "source", "source_detail", "note", "cadence_days", "last_contact_at", "snoozed_until"),
        ),
        "contacts": _rows(contacts, ("name", "email", "email_domain", "phone")),
        "deals": _rows(deals, ("product", "spec", "qty_amount", "qty_unit", "currency", "unit_price", "incoterm", "incoterm_place", "stage", "value")),
        "interactions": _rows(interactions, ("kind", "text", "at")),
    }


async def run_telegram(store: Store, clock: ManualClock, settings: Settings) -> None:
    router = build_router(store=store, clock=clock, settings=settings)
    async with FakeTelegramAPI(max_poll_wait=0.5) as api:
        transport = TelegramTransport(
            token=api.token, handler=router.handle, base_url=api.base_url, polling_timeout=1, limiter=RateLimiter(UNPACED)
        )
        await transport.start()
        try:
            for text in TEXTS:
                before = len(api.sent_messages(TELEGRAM_USER))
                api.push_text(TELEGRAM_USER, text)
                await api.wait_for_messages(before + 1, chat_id=TELEGRAM_USER)
        finally:
            await transport.stop()


async def run_slack(store: Store, clock: ManualClock, settings: Settings) -> None:
    async with running_slack_bot(store=store, clock=clock, settings=settings) as bot:
        bot.api.add_user(SLACK_USER, name="Wei", locale="zh-CN")
        for number, text in enumerate(TEXTS):
            if number % 2 == 0 and text.startswith("/"):
                await bot.say(SLACK_USER, text.removeprefix("/"))
            else:
                # Slack escapes &, < and > in the text of message events.
                escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                await bot.dm(SLACK_USER, escaped)


async def test_same_texts_store_same_rows(store: Store, clock: ManualClock, settings: Settings) -> None:
    await run_telegram(store, clock, replace(settings, team_name="Telegram team"))
    await run_slack(store, clock, replace(settings, team_name="Slack team"))

    telegram = await stored_rows(store, "Telegram team")
    slack = await stored_rows(store, "Slack team")

    assert len(telegram["customers"]) == 3
    assert len(telegram["deals"]) == 1
    assert len(telegram["interactions"]) == 2
    for table in ("customers", "contacts", "deals", "interactions"):
        assert slack[table] == telegram[table], table
