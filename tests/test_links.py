"""Linking a member's Telegram and Slack accounts with a one-time code, through the real router."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.clock import ManualClock
from bot.models import Customer, Identity, LinkCode, Member
from bot.store import Store
from bot.transports.base import Delivery, Incoming
from handlers.router import Router
from reminders.dispatcher import Dispatcher

SHANGHAI = ZoneInfo("Asia/Shanghai")
TELEGRAM_USER = "1001"
SLACK_USER = "U0REP001"
SLACK_OTHER = "U0REP002"
CODE = re.compile(r"\b[2-9A-HJKMNP-Z]{8}\b")
ADD_SHARMA = "/add 名称: Sharma Print House 国家: 印度 等级: A"
THURSDAY_MORNING = datetime(2026, 12, 10, 10, 0, tzinfo=SHANGHAI)


async def say(router: Router, platform: str, user_id: str, text: str, *, private: bool = True) -> str:
    if not private:
        chat_id = "C0TEAM01"
    elif platform == "slack":
        chat_id = "D" + user_id
    else:
        chat_id = user_id
    incoming = Incoming(
        platform=platform,
        user_id=user_id,
        chat_id=chat_id,
        text=text,
        display_name=f"{platform} {user_id}",
        locale="en",
        is_private=private,
        workspace_id="T0FAKE" if platform == "slack" else None,
    )
    return "\n".join(reply.text for reply in await router.handle(incoming))


async def link_code(router: Router) -> str:
    reply = await say(router, "telegram", TELEGRAM_USER, "/link")
    match = CODE.search(reply)
    assert match is not None, reply
    return match.group(0)


async def identities(store: Store) -> list[tuple[int, str, str]]:
    async with store.session() as session:
        rows = await session.execute(select(Identity.member_id, Identity.platform, Identity.external_id).order_by(Identity.id))
        return [tuple(row) for row in rows]


class RecordingNotifier:
    """Records deliveries instead of sending them: the chat platform's side of the dispatcher."""

    def __init__(self) -> None:
        self.sent: list[Delivery] = []

    async def send(self, delivery: Delivery) -> None:
        self.sent.append(delivery)


async def test_code_links_slack_to_telegram_member(router: Router, store: Store) -> None:
    await say(router, "telegram", TELEGRAM_USER, "/start")
    await say(router, "telegram", TELEGRAM_USER, ADD_SHARMA)
    code = await link_code(router)

    linked = await say(router, "slack", SLACK_USER, f"/link {code.lower()}")
    found = await say(router, "slack", SLACK_USER, "/find Sharma")

    assert "Linked" in linked
    assert "Slack, Telegram" in linked
    assert "Sharma Print House" in found
    [(telegram_member, _, _), (slack_member, platform, external_id)] = await identities(store)
    assert slack_member == telegram_member
    assert (platform, external_id) == ("slack", SLACK_USER)
    async with store.session() as session:
        assert await session.scalar(select(func.count(Member.id))) == 1
        stored = await session.scalar(select(Identity).where(Identity.platform == "slack"))
    assert stored is not None
    assert stored.workspace_id == "T0FAKE"
    assert stored.chat_id == "D" + SLACK_USER


async def test_code_works_once(router: Router, store: Store) -> None:
    await say(router, "telegram", TELEGRAM_USER, "/start")
    code = await link_code(router)
    await say(router, "slack", SLACK_USER, f"/link {code}")

    second = await say(router, "slack", SLACK_OTHER, f"/link {code}")

    assert f"The code {code} is invalid or has expired" in second
    assert [platform for _, platform, _ in await identities(store)] == ["telegram", "slack"]


async def test_expired_code_rejected(router: Router, store: Store, clock: ManualClock) -> None:
    await say(router, "telegram", TELEGRAM_USER, "/start")
    code = await link_code(router)
    clock.advance(timedelta(minutes=11))

    reply = await say(router, "slack", SLACK_USER, f"/link {code}")

    assert "invalid or has expired" in reply
    assert len(await identities(store)) == 1


async def test_wrong_code_rejected(router: Router, store: Store) -> None:
    await say(router, "telegram", TELEGRAM_USER, "/start")
    await link_code(router)
    reply = await say(router, "slack", SLACK_USER, "/link ZZZZ2222")
    assert "The code ZZZZ2222 is invalid" in reply
    assert len(await identities(store)) == 1


async def test_code_on_same_platform_rejected(router: Router, store: Store) -> None:
    await say(router, "telegram", TELEGRAM_USER, "/start")
    code = await link_code(router)
    reply = await say(router, "telegram", "2002", f"/link {code}")
    assert "made on this platform" in reply
    assert len(await identities(store)) == 1
    async with store.session() as session:
        link = await session.scalar(select(LinkCode))
    assert link is not None
    assert link.used_at is None


async def test_account_of_other_member_not_linked(router: Router, store: Store) -> None:
    # A Slack account that joined first is a member of its own and keeps its data.
    await say(router, "slack", SLACK_USER, "/start")
    await say(router, "slack", SLACK_USER, ADD_SHARMA)
    code = await say(router, "slack", SLACK_USER, "/link")
    code_value = CODE.search(code)
    assert code_value is not None

    reply = await say(router, "telegram", TELEGRAM_USER, f"/link {code_value.group(0)}")
    assert "Linked" in reply
    again = await say(router, "telegram", TELEGRAM_USER, "/link")
    other_code = CODE.search(again)
    assert other_code is not None
    refused = await say(router, "slack", SLACK_USER, f"/link {other_code.group(0)}")
    assert "already linked" in refused
    async with store.session() as session:
        assert await session.scalar(select(func.count(Customer.id))) == 1
        assert await session.scalar(select(func.count(Member.id))) == 1


async def test_link_in_channel_rejected(router: Router, store: Store) -> None:
    await say(router, "slack", SLACK_USER, "/start")
    reply = await say(router, "slack", SLACK_USER, "/link", private=False)
    assert "private chat" in reply
    async with store.session() as session:
        assert await session.scalar(select(func.count(LinkCode.id))) == 0


async def test_link_without_membership_needs_code(router: Router, store: Store) -> None:
    await say(router, "telegram", TELEGRAM_USER, "/start")
    reply = await say(router, "slack", SLACK_USER, "/link")
    assert "/start" in reply
    assert len(await identities(store)) == 1


async def test_digest_goes_to_account_used_last(router: Router, store: Store, clock: ManualClock) -> None:
    await say(router, "telegram", TELEGRAM_USER, "/start")
    await say(router, "telegram", TELEGRAM_USER, ADD_SHARMA)
    await say(router, "telegram", TELEGRAM_USER, "/log Sharma quote USD 2.5")
    code = await link_code(router)
    clock.advance(timedelta(minutes=1))
    await say(router, "slack", SLACK_USER, f"/link {code}")
    telegram, slack = RecordingNotifier(), RecordingNotifier()
    dispatcher = Dispatcher(store=store, clock=clock, notifiers={"telegram": telegram, "slack": slack}, worker_id="links")

    await dispatcher.run_until(THURSDAY_MORNING, clock=clock)
    assert telegram.sent == []
    assert [delivery.chat_id for delivery in slack.sent] == ["D" + SLACK_USER]

    # After the member writes on Telegram again, Monday's digest goes there.
    await say(router, "telegram", TELEGRAM_USER, "/done Sharma")
    await dispatcher.run_until(datetime(2026, 12, 14, 10, 0, tzinfo=SHANGHAI), clock=clock)
    assert [delivery.chat_id for delivery in telegram.sent] == [TELEGRAM_USER]
    assert len(slack.sent) == 1
