"""The core scenario end to end through python-telegram-bot and the fake Bot API.

The real router, services, database and dispatcher run behind a TelegramTransport that
long-polls a FakeTelegramAPI on 127.0.0.1. The tests push updates as a Telegram client
would and assert what the chat received. The zh_CN catalog may still lack translations,
so assertions on Chinese-language replies check values (names, dates, times, ids). Where
a sentence must be checked, the member switches to English first.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest
from sqlalchemy import func, select

from bot.__main__ import _bot_commands
from bot.clock import ManualClock
from bot.config import Settings
from bot.models import Customer, Interaction
from bot.store import Store
from bot.transports.base import Delivery, Notifier
from bot.transports.pacing import RateLimiter, RateLimits
from bot.transports.telegram import CALLBACK_DATA_LIMIT, TelegramTransport
from handlers.commands import COMMANDS
from handlers.router import MAX_MESSAGE_CHARS, Router
from handlers.routes import build_router
from reminders.dispatcher import Dispatcher
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.members import code_in

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The rep here types faster than a person, and Telegram's one message a second per chat
# would stretch the scenario by seconds. tests/test_delivery_telegram.py covers the pacing.
UNPACED = RateLimits(messages_per_second=None, chat_interval=0.0)

REP_ID = 1001
REP_FIRST_NAME = "Wei"
REP_LAST_NAME = "Wang"
OTHER_REP_ID = 2002
OTHER_REP_FIRST_NAME = "Zhang"

# An Indian buyer from an Alibaba inquiry for CTCP offset printing plates, as a rep types it.
ADD_SHARMA = (
    "/add 名称: Sharma Print House 国家: 印度 等级: A 联系人: Rahul Sharma "
    "邮箱: rahul@sharmaprint.in 来源: Alibaba 询盘 备注: CTCP 530×664 mm 0.30 mm blue, 1×20GP"
)
DEAL_SHARMA = (
    "/deal Sharma Print House 产品: CTCP plate 规格: 530×664 mm 0.30 mm blue "
    "数量: 1×20GP 价格: USD 2.5 FOB Shanghai 阶段: quoted"
)
LOG_QUOTE = "/log Sharma quote USD 2.5 FOB Shanghai"

# The clock fixture starts on Monday 7 Dec 2026 at 10:00 in Beijing. Tier A follows up
# every 3 days, so Monday's quote is due on Thursday 10 Dec, in the rep's 09:00 digest.
FIRST_DUE = date(2026, 12, 10)
WEDNESDAY_NIGHT = datetime(2026, 12, 9, 23, 0, tzinfo=SHANGHAI)
THURSDAY_DIGEST = datetime(2026, 12, 10, 9, 0, tzinfo=SHANGHAI)
THURSDAY_MORNING = datetime(2026, 12, 10, 10, 0, tzinfo=SHANGHAI)
# India's business hours 09:00-18:00 (UTC+05:30) are 11:30-20:30 in Beijing (UTC+08:00).
REP_WINDOW = "11:30–20:30"
BUYER_WINDOW = "09:00–18:00"
# Done on Thursday 10 Dec, plus 3 days, is Sunday 13 Dec, which is India's weekend.
NEXT_DUE_AFTER_DONE = date(2026, 12, 14)
SUNDAY_NIGHT = datetime(2026, 12, 13, 23, 0, tzinfo=SHANGHAI)
MONDAY_DIGEST = datetime(2026, 12, 14, 9, 0, tzinfo=SHANGHAI)
MONDAY_MORNING = datetime(2026, 12, 14, 10, 0, tzinfo=SHANGHAI)


class TimedNotifier:
    """Sends through the Telegram notifier and records the clock time of each delivery."""

    def __init__(self, inner: Notifier, clock: ManualClock) -> None:
        self._inner = inner
        self._clock = clock
        self.sent_at: list[datetime] = []

    async def send(self, delivery: Delivery) -> None:
        self.sent_at.append(self._clock.now())
        await self._inner.send(delivery)


@dataclass
class TelegramBot:
    """A running bot and the controls a test needs: the fake API, the clock and the dispatcher."""

    api: FakeTelegramAPI
    router: Router
    clock: ManualClock
    dispatcher: Dispatcher
    notifier: TimedNotifier

    async def send(self, user_id: int, text: str, *, replies: int = 1, **update: Any) -> list[dict[str, Any]]:
        """Push a private text from `user_id` and return the messages sent back to that chat."""
        before = len(self.api.sent_messages(user_id))
        self.api.push_text(user_id, text, **update)
        sent = await self.api.wait_for_messages(before + replies, chat_id=user_id)
        return sent[before:]

    async def say(self, user_id: int, text: str, **update: Any) -> str:
        """Push a private text from `user_id` and return the text of the single reply."""
        [reply] = await self.send(user_id, text, **update)
        return str(reply["text"])

    async def press(self, user_id: int, data: str, *, message_id: int | None = None) -> str:
        """Press a button with `data`, check that the bot answered the callback query, and return the reply."""
        answers_before = len(self.api.calls_to("answerCallbackQuery"))
        messages_before = len(self.api.sent_messages(user_id))
        update = self.api.push_callback(user_id, data, message_id=message_id)
        answers = await self.api.wait_for_calls("answerCallbackQuery", answers_before + 1)
        sent = await self.api.wait_for_messages(messages_before + 1, chat_id=user_id)
        [answer] = answers[answers_before:]
        [reply] = sent[messages_before:]
        assert answer.ok, answer.response
        assert answer.params["callback_query_id"] == update["callback_query"]["id"]
        return str(reply["text"])

    async def advance(self, target: datetime) -> list[dict[str, Any]]:
        """Move the clock to `target` through the dispatcher and return the messages it sent."""
        before = len(self.api.sent_messages())
        await self.dispatcher.run_until(target, clock=self.clock)
        # The notifier awaits each sendMessage response, so every digest is recorded by now.
        return self.api.sent_messages()[before:]

    def last_message_id(self, chat_id: int) -> int:
        """Return the message_id that Telegram gave the bot's latest message in a chat."""
        for call in reversed(self.api.calls_to("sendMessage")):
            if call.ok and str(call.params["chat_id"]) == str(chat_id):
                return int(call.response["result"]["message_id"])
        raise AssertionError(f"no message was sent to chat_id={chat_id}")


@pytest.fixture
async def telegram_bot(store: Store, clock: ManualClock, settings: Settings) -> AsyncIterator[TelegramBot]:
    router = build_router(store=store, clock=clock, settings=settings)
    async with FakeTelegramAPI(max_poll_wait=0.5) as api:
        transport = TelegramTransport(
            token=api.token,
            handler=router.handle,
            base_url=api.base_url,
            commands=_bot_commands(),
            polling_timeout=1,
            limiter=RateLimiter(UNPACED),
        )
        notifier = TimedNotifier(transport.notifier, clock)
        dispatcher = Dispatcher(
            store=store, clock=clock, notifiers={"telegram": notifier}, worker_id="telegram-scenario"
        )
        try:
            await transport.start()
            yield TelegramBot(api=api, router=router, clock=clock, dispatcher=dispatcher, notifier=notifier)
        finally:
            await transport.stop()


def first_india_workday(day: date) -> date:
    """Return `day` or the first later day that the holidays package counts as an Indian workday."""
    india = holidays.country_holidays("IN", years=range(day.year, day.year + 2))
    while not india.is_working_day(day):
        day += timedelta(days=1)
    return day


def customer_id_in(text: str) -> int:
    """Return the customer id that a reply names as '#N'."""
    match = re.search(r"#(\d+)", text)
    assert match is not None, f"no customer id in reply: {text!r}"
    return int(match.group(1))


def line_with(text: str, fragment: str) -> str:
    """Return the single line of `text` that contains `fragment`."""
    [line] = [line for line in text.splitlines() if fragment in line]
    return line


def callback_data_of(message: dict[str, Any]) -> list[str]:
    """Return the callback_data of every inline keyboard button of a sent message."""
    keyboard = message["reply_markup"]["inline_keyboard"]
    return [button["callback_data"] for row in keyboard for button in row]


async def register_sharma(bot: TelegramBot) -> int:
    """Join as the first rep, register the Indian buyer and return the customer id."""
    await bot.say(REP_ID, "/start", first_name=REP_FIRST_NAME, last_name=REP_LAST_NAME)
    added = await bot.say(REP_ID, ADD_SHARMA, first_name=REP_FIRST_NAME, last_name=REP_LAST_NAME)
    return customer_id_in(added)


# ---------------------------------------------------------------------------- the scenario


async def test_quoted_buyer_reminded_in_thursday_digest(telegram_bot: TelegramBot) -> None:
    bot = telegram_bot
    api = bot.api

    # 1. The rep joins from a Chinese Telegram client.
    [welcome] = await bot.send(REP_ID, "/start", language_code="zh-hans", first_name=REP_FIRST_NAME)
    assert welcome["chat_id"] == REP_ID
    assert "parse_mode" not in welcome
    assert REP_FIRST_NAME in welcome["text"]
    assert "中文" in welcome["text"]
    assert "Asia/Shanghai" in welcome["text"]

    # 2. The rep registers the buyer from the Alibaba inquiry.
    added = await bot.say(REP_ID, ADD_SHARMA)
    customer_id = customer_id_in(added)
    assert "Sharma Print House" in added
    assert "Asia/Kolkata" in added
    assert FIRST_DUE.isoformat() in added

    # 3. The rep records the quoted deal and logs the quote.
    deal = await bot.say(REP_ID, DEAL_SHARMA)
    assert "CTCP plate" in deal
    assert "USD 2.5 FOB Shanghai" in deal
    assert "1×20GP" in deal
    logged = await bot.say(REP_ID, LOG_QUOTE)
    assert "Sharma Print House" in logged
    assert FIRST_DUE.isoformat() in logged

    # 4. Nothing is due before Thursday, so the Tuesday and Wednesday digests stay unsent.
    assert await bot.advance(WEDNESDAY_NIGHT) == []
    assert bot.notifier.sent_at == []

    [digest] = await bot.advance(THURSDAY_MORNING)
    assert digest["chat_id"] == REP_ID
    assert "parse_mode" not in digest
    assert bot.notifier.sent_at == [THURSDAY_DIGEST]
    sharma_line = line_with(digest["text"], "Sharma Print House")
    assert REP_WINDOW in sharma_line
    assert BUYER_WINDOW in sharma_line
    assert sharma_line.index(REP_WINDOW) < sharma_line.index(BUYER_WINDOW)
    button_data = callback_data_of(digest)
    assert all(len(data.encode("utf-8")) <= CALLBACK_DATA_LIMIT for data in button_data)
    done_data = f"/done #{customer_id}"
    assert done_data in button_data

    # 5. The rep presses "done" under the digest.
    done_reply = await bot.press(REP_ID, done_data, message_id=bot.last_message_id(REP_ID))
    assert first_india_workday(THURSDAY_MORNING.date() + timedelta(days=3)) == NEXT_DUE_AFTER_DONE
    assert "Sharma Print House" in done_reply
    assert NEXT_DUE_AFTER_DONE.isoformat() in done_reply

    # The next digest naming the buyer comes on Monday 14 Dec, not over India's weekend.
    assert await bot.advance(SUNDAY_NIGHT) == []
    [monday_digest] = await bot.advance(MONDAY_MORNING)
    assert "Sharma Print House" in monday_digest["text"]
    assert bot.notifier.sent_at == [THURSDAY_DIGEST, MONDAY_DIGEST]

    assert all("parse_mode" not in message for message in api.sent_messages())


# ---------------------------------------------------------------------------- access


async def test_second_rep_cannot_reach_customer(telegram_bot: TelegramBot, store: Store) -> None:
    bot = telegram_bot
    customer_id = await register_sharma(bot)
    code = code_in(await bot.say(REP_ID, "/invite rep", first_name=REP_FIRST_NAME))
    await bot.say(OTHER_REP_ID, f"/start {code}", first_name=OTHER_REP_FIRST_NAME)
    language = await bot.say(OTHER_REP_ID, "/lang en", first_name=OTHER_REP_FIRST_NAME)
    assert language == "Language set to English."
    # On Tuesday a forged "done" would leave a dated trace on the card.
    bot.clock.set(datetime(2026, 12, 8, 10, 0, tzinfo=SHANGHAI))

    card = await bot.say(OTHER_REP_ID, "/card Sharma", first_name=OTHER_REP_FIRST_NAME)
    assert "No customer 'Sharma' among yours" in card
    assert "Sharma Print House" not in card
    assert "Rahul" not in card

    # No digest ever offered this button to the second rep: the callback data is forged.
    forged = await bot.press(OTHER_REP_ID, f"/done #{customer_id}")
    assert f"No customer '#{customer_id}' among yours" in forged
    assert "Sharma Print House" not in forged

    duplicate = await bot.say(
        OTHER_REP_ID, "/add 名称: Sharma Print House 国家: 印度 等级: B", first_name=OTHER_REP_FIRST_NAME
    )
    assert "owned by another rep" in duplicate
    assert f"{REP_FIRST_NAME} {REP_LAST_NAME}" not in duplicate

    async with store.session() as session:
        interactions = await session.scalar(
            select(func.count(Interaction.id)).where(Interaction.customer_id == customer_id)
        )
        customers = await session.scalar(select(func.count(Customer.id)))
    assert interactions == 0
    assert customers == 1

    owner_card = await bot.say(REP_ID, "/card Sharma", first_name=REP_FIRST_NAME, last_name=REP_LAST_NAME)
    assert "Sharma Print House" in owner_card
    assert FIRST_DUE.isoformat() in owner_card
    assert "2026-12-08" not in owner_card


# ---------------------------------------------------------------------------- input limits


async def test_too_long_message_stores_nothing(telegram_bot: TelegramBot, store: Store) -> None:
    bot = telegram_bot
    await bot.say(REP_ID, "/start")
    text = ADD_SHARMA + " " + "x" * (5000 - len(ADD_SHARMA) - 1)
    assert len(text) == 5000

    reply = await bot.say(REP_ID, text)
    assert "5000" in reply
    assert str(MAX_MESSAGE_CHARS) in reply

    found = await bot.say(REP_ID, "/find Sharma")
    assert "Sharma Print House" not in found
    async with store.session() as session:
        assert await session.scalar(select(func.count(Customer.id))) == 0


# ---------------------------------------------------------------------------- command menu


async def test_command_menu_lists_routed_commands(telegram_bot: TelegramBot) -> None:
    api = telegram_bot.api
    expected = [spec.name for spec in COMMANDS]

    english = api.commands(language_code="en")
    chinese = api.commands(language_code="zh")
    assert english is not None
    assert chinese is not None
    assert [command["command"] for command in english] == expected
    assert [command["command"] for command in chinese] == expected
    assert api.commands() == chinese
    assert [name for name in expected if name not in telegram_bot.router.handlers] == []


# ---------------------------------------------------------------------------- team channel

TEAM_GROUP_ID = -100777


async def test_group_subscribes_and_gets_team_digest(telegram_bot: TelegramBot) -> None:
    bot = telegram_bot
    api = bot.api
    await register_sharma(bot)
    # The first member of the team is its admin, so they may subscribe a group.
    api.push_text(
        REP_ID, "/digest here", chat_type="supergroup", chat_id=TEAM_GROUP_ID, first_name=REP_FIRST_NAME
    )
    [confirmation] = await api.wait_for_messages(1, chat_id=TEAM_GROUP_ID)
    assert "09:00" in confirmation["text"]

    sent = await bot.advance(THURSDAY_MORNING)
    group_digests = [message for message in sent if str(message["chat_id"]) == str(TEAM_GROUP_ID)]
    # Tuesday, Wednesday and Thursday are team workdays; one digest each, at 09:00 in Beijing.
    assert len(group_digests) == 3
    thursday = group_digests[-1]["text"]
    assert f"{REP_FIRST_NAME} {REP_LAST_NAME}" in thursday
    # Names stay out of group chats unless the team allows them.
    assert "Sharma Print House" not in thursday
    assert "团队日报 2026-12-10" in thursday


async def test_rep_in_group_cannot_subscribe(telegram_bot: TelegramBot) -> None:
    bot = telegram_bot
    api = bot.api
    await register_sharma(bot)
    code = code_in(await bot.say(REP_ID, "/invite rep", first_name=REP_FIRST_NAME))
    await bot.say(OTHER_REP_ID, f"/start {code}", first_name=OTHER_REP_FIRST_NAME)
    api.push_text(
        OTHER_REP_ID, "/digest here", chat_type="supergroup", chat_id=TEAM_GROUP_ID, first_name=OTHER_REP_FIRST_NAME
    )
    [refusal] = await api.wait_for_messages(1, chat_id=TEAM_GROUP_ID)
    assert "只有管理员和经理" in refusal["text"]
    sent = await bot.advance(THURSDAY_MORNING)
    assert [message for message in sent if str(message["chat_id"]) == str(TEAM_GROUP_ID)] == []
