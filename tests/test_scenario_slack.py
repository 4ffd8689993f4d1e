"""The core scenario end to end through slack-bolt, the bot's HTTP endpoint and the fake Web API.

Slack's side is played by signed HTTP requests to the running bot (slash commands, a
direct message event and a button press), and the Web API by FakeSlackAPI. The dispatcher
then moves a manual clock, and the digest must arrive in the rep's direct message.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.clock import ManualClock
from bot.config import Settings
from bot.models import ChannelSubscription, Customer, Deal, Identity, Interaction
from bot.store import Store
from tests.slack_harness import SlackBot, button_values, message_text, running_slack_bot

SHANGHAI = ZoneInfo("Asia/Shanghai")
REP = "U0REP001"
REP_NAME = "Wei Wang"
OTHER = "U0REP002"

ADD_SHARMA = (
    "add 名称: Sharma Print House 国家: 印度 等级: A 联系人: Rahul Sharma "
    "邮箱: rahul@sharmaprint.in 来源: Alibaba 询盘 备注: CTCP 530×664 mm 0.30 mm blue, 1×20GP"
)
DEAL_SHARMA = (
    "/deal Sharma Print House 产品: CTCP plate 规格: 530×664 mm 0.30 mm blue "
    "数量: 1×20GP 价格: USD 2.5 FOB Shanghai 阶段: quoted"
)
FIRST_DUE = date(2026, 12, 10)
WEDNESDAY_NIGHT = datetime(2026, 12, 9, 23, 0, tzinfo=SHANGHAI)
THURSDAY_MORNING = datetime(2026, 12, 10, 10, 0, tzinfo=SHANGHAI)
NEXT_DUE_AFTER_DONE = date(2026, 12, 14)
REP_WINDOW = "11:30–20:30"
TEAM_CHANNEL = "C0TEAM01"


@pytest.fixture
async def slack_bot(store: Store, clock: ManualClock, settings: Settings) -> AsyncIterator[SlackBot]:
    async with running_slack_bot(store=store, clock=clock, settings=settings) as bot:
        bot.api.add_user(REP, name=REP_NAME, locale="zh-CN")
        bot.api.add_user(OTHER, name="Zhang Li", locale="en-US")
        yield bot


def customer_id_in(text: str) -> int:
    match = re.search(r"#(\d+)", text)
    assert match is not None, f"no customer id in reply: {text!r}"
    return int(match.group(1))


async def test_quoted_buyer_reminded_in_thursday_dm_digest(slack_bot: SlackBot, store: Store) -> None:
    bot = slack_bot
    dm = bot.api.direct_channel(REP)

    welcome = await bot.say(REP, "start")
    assert REP_NAME in welcome
    assert "中文" in welcome
    assert "Asia/Shanghai" in welcome

    added = await bot.say(REP, ADD_SHARMA)
    customer_id = customer_id_in(added)
    assert "Sharma Print House" in added
    assert "Asia/Kolkata" in added
    assert FIRST_DUE.isoformat() in added

    # A direct message carries the same text commands; Slack wraps the e-mail-like text in links.
    deal = await bot.dm(REP, DEAL_SHARMA)
    assert "CTCP plate" in deal
    assert "USD 2.5 FOB Shanghai" in deal
    logged = await bot.dm(REP, "记录 Sharma quote USD 2.5 FOB Shanghai")
    assert FIRST_DUE.isoformat() in logged

    today = await bot.say(REP, "today")
    assert "Sharma Print House" not in today

    assert await bot.advance(WEDNESDAY_NIGHT) == []
    [digest] = await bot.advance(THURSDAY_MORNING)
    assert digest["channel"] == dm
    digest_text = message_text(digest)
    assert "Sharma Print House" in digest_text
    assert REP_WINDOW in digest_text
    assert f"/done #{customer_id}" in button_values(digest)

    done = await bot.press(REP, f"/done #{customer_id}")
    assert "Sharma Print House" in done
    assert NEXT_DUE_AFTER_DONE.isoformat() in done

    async with store.session() as session:
        identity = await session.scalar(select(Identity).where(Identity.external_id == REP))
        interactions = await session.scalar(select(func.count(Interaction.id)))
        deals = await session.scalar(select(func.count(Deal.id)))
    assert identity is not None
    assert identity.platform == "slack"
    assert identity.chat_id == dm
    assert identity.workspace_id == "T0FAKE"
    assert identity.client_locale == "zh_CN"
    assert interactions == 2
    assert deals == 1


async def test_slack_locale_english_replies_in_english(slack_bot: SlackBot) -> None:
    welcome = await slack_bot.say(OTHER, "start")
    assert "Welcome, Zhang Li!" in welcome


async def test_set_language_wins_over_slack_locale(slack_bot: SlackBot) -> None:
    await slack_bot.say(OTHER, "start")
    await slack_bot.say(OTHER, "lang zh")
    reply = await slack_bot.say(OTHER, "lang")
    assert "Which language?" not in reply


async def test_unknown_command_stores_nothing(slack_bot: SlackBot, store: Store) -> None:
    await slack_bot.say(REP, "start")
    reply = await slack_bot.say(REP, "/addd 名称: Acme 国家: 印度")
    assert "addd" in reply
    async with store.session() as session:
        assert await session.scalar(select(func.count(Customer.id))) == 0


async def test_digest_here_subscribes_channel(slack_bot: SlackBot, store: Store) -> None:
    bot = slack_bot
    await bot.say(REP, "start")
    await bot.say(REP, ADD_SHARMA)
    status, _body, _seconds = await bot.sender.command(REP, "digest here", channel_id=TEAM_CHANNEL)
    assert status == 200
    [confirmation] = await bot.api.wait_for_calls("response_url", 1)
    await bot.transport.drain()
    assert confirmation.params["response_type"] == "ephemeral"
    assert "09:00" in message_text(confirmation.params)

    sent = await bot.advance(THURSDAY_MORNING)
    channel_digests = [message for message in sent if message["channel"] == TEAM_CHANNEL]
    assert len(channel_digests) == 3
    assert "Sharma Print House" not in message_text(channel_digests[-1])
    async with store.session() as session:
        [subscription] = (await session.execute(select(ChannelSubscription))).scalars()
    assert subscription.platform == "slack"
    assert subscription.chat_id == TEAM_CHANNEL


async def test_customer_command_in_channel_refused_privately(slack_bot: SlackBot, store: Store) -> None:
    bot = slack_bot
    await bot.say(REP, "start")
    await bot.sender.command(REP, ADD_SHARMA, channel_id=TEAM_CHANNEL)
    [refusal] = await bot.api.wait_for_calls("response_url", 1)
    await bot.transport.drain()
    assert refusal.params["response_type"] == "ephemeral"
    assert bot.api.posted(TEAM_CHANNEL) == []
    async with store.session() as session:
        assert await session.scalar(select(func.count(Customer.id))) == 0


async def test_digest_here_private_channel_without_bot_refused(slack_bot: SlackBot, store: Store) -> None:
    bot = slack_bot
    private_channel = "C0PRIV001"
    bot.api.add_channel(private_channel, is_private=True, is_member=False)
    await bot.say(REP, "start")

    await bot.sender.command(REP, "digest here", channel_id=private_channel)
    [answer] = await bot.api.wait_for_calls("response_url", 1)
    await bot.transport.drain()

    assert "/invite @followup" in message_text(answer.params)
    async with store.session() as session:
        assert await session.scalar(select(func.count(ChannelSubscription.id))) == 0


async def test_digest_here_public_channel_not_joined_subscribed(slack_bot: SlackBot, store: Store) -> None:
    bot = slack_bot
    public_channel = "C0PUB0001"
    bot.api.add_channel(public_channel, is_private=False, is_member=False)
    await bot.say(REP, "start")

    await bot.sender.command(REP, "digest here", channel_id=public_channel)
    [answer] = await bot.api.wait_for_calls("response_url", 1)
    await bot.transport.drain()

    # chat:write.public lets the bot post there without joining.
    assert "09:00" in message_text(answer.params)
    assert [call.params["channel"] for call in bot.api.calls_to("conversations.info")] == [public_channel]
    async with store.session() as session:
        assert await session.scalar(select(func.count(ChannelSubscription.id))) == 1


@pytest.mark.parametrize(("slack_locale", "expected"), [("ja-JP", "Welcome, Kenji Sato!"), ("fr-FR", "Welcome, Kenji Sato!"), ("zh-TW", "欢迎")])
async def test_slack_locale_other_than_chinese_gets_english(slack_bot: SlackBot, slack_locale: str, expected: str) -> None:
    user = "U0JAPAN01"
    slack_bot.api.add_user(user, name="Kenji Sato", locale=slack_locale)
    welcome = await slack_bot.say(user, "start")
    assert expected in welcome


async def test_thread_reply_answered_in_thread(slack_bot: SlackBot) -> None:
    bot = slack_bot
    await bot.say(REP, "start")
    dm = bot.api.direct_channel(REP)
    before = len(bot.api.posted(dm))

    await bot.sender.event(bot.sender.message_event(REP, "help", thread_ts="1700000000.000100"))
    [reply] = (await bot.api.wait_for_posts(before + 1, channel=dm))[before:]
    await bot.transport.drain()

    assert reply["thread_ts"] == "1700000000.000100"


async def test_link_in_channel_says_use_private_chat(slack_bot: SlackBot) -> None:
    bot = slack_bot
    await bot.say(REP, "start")
    await bot.say(REP, "lang en")

    await bot.sender.command(REP, "link", channel_id=TEAM_CHANNEL)
    [answer] = await bot.api.wait_for_calls("response_url", 1)
    await bot.transport.drain()

    assert message_text(answer.params) == "Link your accounts in a private chat with me."
