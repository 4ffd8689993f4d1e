"""What Slack demands of an app, checked against the running bot: signed requests only, one
handling per event, an ack within 3 seconds, 429 answers honoured, bot messages ignored.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from slack_sdk.errors import SlackApiError
from sqlalchemy import func, select

from bot.clock import ManualClock
from bot.config import Settings
from bot.models import ChannelSubscription, Contact, Customer, Reminder, ReminderStatus, SlackEvent
from bot.services.channels import TEAM_DIGEST_KIND
from bot.store import Store
from bot.transports.base import Button, Delivery, DeliveryRejected, Reply
from bot.transports.pacing import RateLimiter
from bot.transports.slack import SLACK_LIMITS
from bot.transports.slack_render import MESSAGE_BLOCK_LIMIT, SECTION_TEXT_LIMIT
from tests.fakes.slack_api import BOT_ID, BOT_USER_ID, form_body
from tests.slack_harness import SlackBot, button_values, message_text, running_slack_bot

REP = "U0REP001"
ADD_ACME = "/add 名称: Acme Printing 国家: 印度 等级: B"
SLACK_ACK_DEADLINE = 3.0


@pytest.fixture
async def slack_bot(store: Store, clock: ManualClock, settings: Settings) -> AsyncIterator[SlackBot]:
    async with running_slack_bot(store=store, clock=clock, settings=settings) as bot:
        bot.api.add_user(REP, name="Wei Wang", locale="en-US")
        await bot.say(REP, "start")
        yield bot


async def customer_count(store: Store) -> int:
    async with store.session() as session:
        return int(await session.scalar(select(func.count(Customer.id))) or 0)


# ---------------------------------------------------------------------------- redelivery


async def test_retry_header_delivery_not_handled_twice(slack_bot: SlackBot, store: Store) -> None:
    bot = slack_bot
    event = bot.sender.message_event(REP, ADD_ACME)
    reply = await bot.dm(REP, "/help")
    assert "/add" in reply
    posts_before = len(bot.api.posted())

    status, _body, _seconds = await bot.sender.event(event, event_id="EvFIRST01")
    assert status == 200
    await bot.api.wait_for_posts(posts_before + 1)
    await bot.transport.drain()
    # Slack redelivers the same event id with a retry header; a repeat may come without one.
    retried, _body, _seconds = await bot.sender.event(event, event_id="EvFIRST01", headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    repeated, _body, _seconds = await bot.sender.event(event, event_id="EvFIRST01")
    await bot.transport.drain()

    assert retried == 200
    assert repeated == 200
    assert len(bot.api.posted()) == posts_before + 1
    assert await customer_count(store) == 1
    async with store.session() as session:
        stored = await session.get(SlackEvent, "EvFIRST01")
    assert stored is not None


async def test_retry_of_unseen_event_handled(slack_bot: SlackBot, store: Store) -> None:
    bot = slack_bot
    # The first delivery never reached the bot (it was down), so the retry is the only copy.
    event = bot.sender.message_event(REP, ADD_ACME)
    dm = bot.api.direct_channel(REP)
    before = len(bot.api.posted(dm))

    status, _body, _seconds = await bot.sender.event(event, event_id="EvLOST001", headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"})
    await bot.api.wait_for_posts(before + 1, channel=dm)
    await bot.transport.drain()
    again, _body, _seconds = await bot.sender.event(event, event_id="EvLOST001", headers={"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_error"})
    await bot.transport.drain()

    assert status == 200
    assert again == 200
    assert await customer_count(store) == 1
    assert len(bot.api.posted(dm)) == before + 1


async def test_retried_command_without_event_id_dropped(slack_bot: SlackBot, store: Store) -> None:
    bot = slack_bot
    status, _body, _seconds = await bot.sender.command(REP, ADD_ACME, headers={"X-Slack-Retry-Num": "1"})
    await bot.transport.drain()

    assert status == 200
    assert await customer_count(store) == 0


async def test_event_id_seen_by_other_process_dropped(slack_bot: SlackBot, store: Store, clock: ManualClock, settings: Settings) -> None:
    # A second bot process on the same database receives the redelivery.
    async with running_slack_bot(store=store, clock=clock, settings=settings) as other:
        other.api.add_user(REP, name="Wei Wang", locale="en-US")
        event = slack_bot.sender.message_event(REP, ADD_ACME)
        await slack_bot.sender.event(event, event_id="EvSHARED1")
        await slack_bot.api.wait_for_posts(2)
        await slack_bot.transport.drain()
        status, _body, _seconds = await other.sender.event(event, event_id="EvSHARED1")
        await other.transport.drain()
        assert status == 200
        assert other.api.posted() == []
    assert await customer_count(store) == 1


# ---------------------------------------------------------------------------- request signing


async def test_wrong_signature_rejected_401(slack_bot: SlackBot, store: Store) -> None:
    bot = slack_bot
    calls_before = len(bot.api.calls)
    status, _body, _seconds = await bot.sender.command(REP, ADD_ACME, secret="not-the-signing-secret")
    await bot.transport.drain()
    assert status == 401
    assert len(bot.api.calls) == calls_before
    assert await customer_count(store) == 0


async def test_ten_minute_old_timestamp_rejected_401(slack_bot: SlackBot, store: Store) -> None:
    bot = slack_bot
    calls_before = len(bot.api.calls)
    status, _body, _seconds = await bot.sender.message(REP, ADD_ACME, timestamp=int(time.time()) - 600)
    await bot.transport.drain()
    assert status == 401
    assert len(bot.api.calls) == calls_before
    assert await customer_count(store) == 0


async def test_missing_signature_rejected_401(slack_bot: SlackBot, store: Store) -> None:
    bot = slack_bot
    body = bot.sender.command_body(REP, ADD_ACME)
    status, _body, _seconds = await bot.sender.post(
        body, content_type="application/x-www-form-urlencoded", headers={"X-Slack-Signature": ""}
    )
    assert status == 401
    assert await customer_count(store) == 0


# ---------------------------------------------------------------------------- ack time


async def test_slow_handler_acked_within_3_seconds(slack_bot: SlackBot, store: Store) -> None:
    bot = slack_bot
    # A new member: users.info is not cached yet and now takes 3.5 s, as does each post.
    other = "U0SLOW001"
    bot.api.add_user(other, name="Slow Sun", locale="en-US")
    bot.api.slow("users.info", 3.5)
    bot.api.slow("chat.postMessage", 1.0)

    status, _body, ack_seconds = await bot.sender.command(other, "help")

    assert status == 200
    assert ack_seconds < SLACK_ACK_DEADLINE
    # The reply still comes, after the ack.
    [reply] = await bot.api.wait_for_posts(1, channel=bot.api.direct_channel(other), timeout=10.0)
    assert "/start" in message_text(reply)
    await bot.transport.drain()


# ---------------------------------------------------------------------------- rate limits


async def test_reply_while_dm_paused_sent_through_response_url(slack_bot: SlackBot, store: Store) -> None:
    bot = slack_bot
    dm = bot.api.direct_channel(REP)
    # A Retry-After far beyond what a digest waits for.
    bot.api.rate_limit_next(1, retry_after=120)
    posts_before = len(bot.api.posted(dm))

    await bot.sender.command(REP, "help")
    [first] = await bot.api.wait_for_calls("response_url", 1)
    await bot.transport.drain()
    # The direct message stays paused, and the next command is not lost either.
    await bot.sender.command(REP, ADD_ACME)
    _first, second = await bot.api.wait_for_calls("response_url", 2)
    await bot.transport.drain()

    assert "/add" in message_text(first.params)
    assert "Acme Printing" in message_text(second.params)
    assert len(bot.api.posted(dm)) == posts_before
    assert await customer_count(store) == 1


async def test_429_retried_after_retry_after(slack_bot: SlackBot) -> None:
    bot = slack_bot
    bot.api.rate_limit_next(1, retry_after=1)
    before = len(bot.api.calls_to("chat.postMessage"))

    reply = await bot.say(REP, "help")

    assert "/add" in reply
    first, second = bot.api.calls_to("chat.postMessage")[before:]
    assert first.status == 429
    assert second.ok
    assert second.received_at - first.received_at >= 1.0


async def test_notifier_paces_one_message_per_second(store: Store, clock: ManualClock, settings: Settings) -> None:
    async with running_slack_bot(store=store, clock=clock, settings=settings, limiter=RateLimiter(SLACK_LIMITS)) as bot:
        for number in range(3):
            await bot.transport.notifier.send(Delivery(platform="slack", chat_id="C0TEAM01", reply=Reply(text=f"digest {number}")))
        calls = bot.api.calls_to("chat.postMessage")
    gaps = [later.received_at - earlier.received_at for earlier, later in zip(calls, calls[1:])]
    assert len(calls) == 3
    assert min(gaps) >= 0.95


async def test_notifier_opens_dm_for_user_id(slack_bot: SlackBot) -> None:
    bot = slack_bot
    await bot.transport.notifier.send(Delivery(platform="slack", chat_id="U0NEW0001", reply=Reply(text="hello")))
    [opened] = [call for call in bot.api.calls_to("conversations.open") if call.params.get("users") == "U0NEW0001"]
    assert opened.ok
    assert bot.api.posted(bot.api.direct_channel("U0NEW0001"))


# ---------------------------------------------------------------------------- long digests


async def test_long_digest_split_within_block_limits(slack_bot: SlackBot) -> None:
    bot = slack_bot
    lines = [f"{number}. Customer & Sons <{number}> " + "x" * 90 for number in range(300)]
    text = "\n".join(lines)
    buttons = tuple((Button(f"done {number}", f"/done #{number}"),) for number in range(60))
    dm = bot.api.direct_channel(REP)
    before = len(bot.api.posted(dm))

    await bot.transport.notifier.send(Delivery(platform="slack", chat_id=dm, reply=Reply(text=text, buttons=buttons)))

    posted = bot.api.posted(dm)[before:]
    assert len(posted) >= 2
    assert all(len(message["blocks"]) <= MESSAGE_BLOCK_LIMIT for message in posted)
    sections = [block for message in posted for block in message["blocks"] if block["type"] == "section"]
    assert all(len(block["text"]["text"]) <= SECTION_TEXT_LIMIT for block in sections)
    assert "".join(message_text(message) for message in posted) == text
    assert [value for message in posted for value in button_values(message)] == [f"/done #{number}" for number in range(60)]


# ---------------------------------------------------------------------------- escaping


async def test_user_text_shown_literally(slack_bot: SlackBot, store: Store) -> None:
    bot = slack_bot
    # Slack sends &, < and > escaped in message events.
    reply = await bot.dm(REP, "/add 名称: A&amp;B &lt;Trading&gt; *Ltd* _Print_ `x` 国家: 印度")
    assert "A&B <Trading> *Ltd* _Print_ `x`" in reply
    [post] = bot.api.posted(bot.api.direct_channel(REP))[-1:]
    assert {block["text"]["type"] for block in post["blocks"] if block["type"] == "section"} == {"plain_text"}
    async with store.session() as session:
        name = await session.scalar(select(Customer.name))
    assert name == "A&B <Trading> *Ltd* _Print_ `x`"


async def test_mentions_and_links_keep_names_and_addresses(slack_bot: SlackBot, store: Store) -> None:
    bot = slack_bot
    await bot.dm(REP, "/add 名称: Mention Co 国家: 印度 备注: ask <@U123|wei> or <@U456> see <https://x.com|y>")
    async with store.session() as session:
        customer = await session.scalar(select(Customer).where(Customer.name == "Mention Co"))
    assert customer is not None
    assert customer.note == "ask @wei or @U456 see y (https://x.com)"


async def test_mailto_link_read_as_email(slack_bot: SlackBot, store: Store) -> None:
    bot = slack_bot
    reply = await bot.dm(REP, "/add 名称: Rahul Print 国家: 印度 联系人: Rahul 邮箱: <mailto:rahul@print.in|rahul@print.in>")
    assert "Rahul Print" in reply
    async with store.session() as session:
        email = await session.scalar(select(Contact.email))
    assert email == "rahul@print.in"


# ---------------------------------------------------------------------------- bot messages


@pytest.mark.parametrize(
    "fields",
    [
        {"bot_id": "B0OTHER01", "subtype": "bot_message"},
        {"bot_id": "B0OTHER01"},
        {"user": BOT_USER_ID, "bot_id": BOT_ID},
        {"subtype": "message_changed"},
    ],
    ids=["bot_message", "other_bot", "own_message", "edit"],
)
async def test_bot_and_edited_messages_ignored(slack_bot: SlackBot, store: Store, fields: dict[str, str]) -> None:
    bot = slack_bot
    posts_before = len(bot.api.posted())
    status, _body, _seconds = await bot.sender.event(bot.sender.message_event(REP, ADD_ACME, **fields))
    await bot.transport.drain()
    assert status == 200
    assert len(bot.api.posted()) == posts_before
    assert await customer_count(store) == 0


# ---------------------------------------------------------------------------- permanent errors


async def dispatcher_rows(store: Store) -> list[Reminder]:
    async with store.session() as session:
        return list((await session.execute(select(Reminder).order_by(Reminder.id))).scalars())


async def test_rejected_dm_digest_failed_at_once(slack_bot: SlackBot, store: Store, clock: ManualClock) -> None:
    bot = slack_bot
    await bot.say(REP, "/add 名称: Gone Buyer 国家: 印度 等级: A")
    dm = bot.api.direct_channel(REP)
    original = bot.api._post_message

    def reject_dm(params: dict[str, object]) -> dict[str, object]:
        if params.get("channel") == dm:
            return {"ok": False, "error": "account_inactive"}
        return original(params)

    bot.api._post_message = reject_dm  # type: ignore[method-assign]
    start = clock.now()
    # Every 30 minutes over four days: a row left pending would be retried at each step.
    for minutes in range(0, 4 * 24 * 60, 30):
        await bot.dispatcher.run_until(start + timedelta(minutes=minutes), clock=clock)

    attempts = [call for call in bot.api.calls_to("chat.postMessage") if call.params.get("channel") == dm and not call.ok]
    failed = [row for row in await dispatcher_rows(store) if row.status == ReminderStatus.FAILED]
    assert len(failed) >= 1
    assert len(attempts) == len(failed)
    assert all(row.status != ReminderStatus.PENDING or row.due_at > clock.now() for row in await dispatcher_rows(store))


async def test_rejected_team_digest_drops_subscription(slack_bot: SlackBot, store: Store, clock: ManualClock) -> None:
    bot = slack_bot
    channel = "C0GONE001"
    await bot.say(REP, "/add 名称: Team Buyer 国家: 印度 等级: A")
    await bot.sender.command(REP, "digest here", channel_id=channel)
    await bot.api.wait_for_calls("response_url", 1)
    await bot.transport.drain()
    bot.api.add_channel(channel, is_archived=True)

    start = clock.now()
    for hours in range(1, 24 * 3):
        await bot.dispatcher.run_until(start + timedelta(hours=hours), clock=clock)

    attempts = [call for call in bot.api.calls_to("chat.postMessage") if call.params.get("channel") == channel]
    assert [call.response.get("error") for call in attempts] == ["is_archived"]
    async with store.session() as session:
        assert await session.scalar(select(func.count(ChannelSubscription.id))) == 0
    team_rows = [row for row in await dispatcher_rows(store) if row.kind == TEAM_DIGEST_KIND]
    assert [row.status for row in team_rows] == [ReminderStatus.FAILED]


async def test_rejected_delivery_by_fail_next_raises_delivery_rejected(slack_bot: SlackBot) -> None:
    bot = slack_bot
    bot.api.fail_next("chat.postMessage", "channel_not_found")

    with pytest.raises(DeliveryRejected, match="channel_not_found"):
        await bot.transport.notifier.send(Delivery(platform="slack", chat_id="C0NOWHERE", reply=Reply(text="digest")))


async def test_transient_error_not_rejected(slack_bot: SlackBot) -> None:
    bot = slack_bot
    bot.api.fail_next("chat.postMessage", "internal_error")

    with pytest.raises(SlackApiError):
        await bot.transport.notifier.send(Delivery(platform="slack", chat_id="C0NOWHERE", reply=Reply(text="digest")))


# ---------------------------------------------------------------------------- malformed requests


@pytest.mark.parametrize("payload", ["", "{not json"])
async def test_malformed_signed_interaction_gets_400(slack_bot: SlackBot, store: Store, payload: str) -> None:
    bot = slack_bot
    status, _body, _seconds = await bot.sender.post(form_body({"payload": payload}), content_type="application/x-www-form-urlencoded")

    assert status == 400
    assert await customer_count(store) == 0


async def test_malformed_unsigned_interaction_gets_401(slack_bot: SlackBot) -> None:
    bot = slack_bot
    status, _body, _seconds = await bot.sender.post(
        form_body({"payload": "{not json"}), content_type="application/x-www-form-urlencoded", secret="wrong-secret"
    )

    assert status == 401
