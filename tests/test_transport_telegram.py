"""TelegramTransport driven through the real python-telegram-bot against the fake Bot API."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, EndPointNotFound, Forbidden, InvalidToken, RetryAfter

from bot.i18n import translator
from bot.transports.base import Button, Delivery, DeliveryRejected, Incoming, Reply
from bot.transports.pacing import RateLimiter, RateLimits
from bot.transports.telegram import (
    MESSAGE_TEXT_LIMIT,
    TelegramTransport,
    normalize_base_url,
    render_reply,
    split_text,
    strip_bot_mention,
    utf16_length,
)
from tests.fakes.telegram_api import FakeTelegramAPI

COMMANDS = [
    ("today", "今天要跟进的客户", "Follow-ups due today"),
    ("add", "添加客户", "Add a customer"),
]
USER_ID = 1001
# These tests replay a conversation faster than a person types, and Telegram's one message
# a second per chat would stretch each of them by seconds. tests/test_delivery_telegram.py
# covers the pacing.
UNPACED = RateLimits(messages_per_second=None, chat_interval=0.0)
APOLOGY = "Something went wrong. Please try again."

# PTB 22 itself reads the deprecated int `RetryAfter.retry_after` when it builds the error.
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"
)

Handler = Callable[[Incoming], Awaitable[list[Reply]]]
StartTransport = Callable[..., Awaitable[TelegramTransport]]


class RecordingHandler:
    """A stand-in router that records each Incoming and echoes it back."""

    def __init__(self, reply: Callable[[Incoming], list[Reply]] | None = None) -> None:
        self.received: list[Incoming] = []
        self._reply = reply or self.echo

    @staticmethod
    def echo(incoming: Incoming) -> list[Reply]:
        if incoming.callback_data is not None:
            return [Reply(text=f"pressed {incoming.callback_data}")]
        return [Reply(text=f"echo: {incoming.text}")]

    async def __call__(self, incoming: Incoming) -> list[Reply]:
        self.received.append(incoming)
        return self._reply(incoming)


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI(max_poll_wait=0.5) as api:
        yield api


@pytest.fixture
async def start_transport(fake_api: FakeTelegramAPI) -> AsyncIterator[StartTransport]:
    started: list[TelegramTransport] = []

    async def start(handler: Handler, *, base_url: str | None = None) -> TelegramTransport:
        transport = TelegramTransport(
            token=fake_api.token,
            handler=handler,
            base_url=base_url if base_url is not None else fake_api.base_url,
            commands=COMMANDS,
            polling_timeout=1,
            limiter=RateLimiter(UNPACED),
        )
        await transport.start()
        started.append(transport)
        return transport

    yield start
    for transport in started:
        await transport.stop()


# ---------------------------------------------------------------------------- incoming


async def test_text_message_maps_user_chat_and_locale(
    fake_api: FakeTelegramAPI, start_transport: StartTransport
) -> None:
    handler = RecordingHandler()
    await start_transport(handler)

    fake_api.push_text(USER_ID, "hello", language_code="en-US", first_name="Anna", last_name="Smith")
    [sent] = await fake_api.wait_for_messages(1, chat_id=USER_ID)

    [incoming] = handler.received
    assert incoming.platform == "telegram"
    assert incoming.user_id == str(USER_ID)
    assert incoming.chat_id == str(USER_ID)
    assert incoming.text == "hello"
    assert incoming.display_name == "Anna Smith"
    assert incoming.locale == "en"
    assert incoming.is_private is True
    assert incoming.callback_data is None
    assert sent["text"] == "echo: hello"
    assert sent["chat_id"] == USER_ID
    assert "parse_mode" not in sent


async def test_text_message_maps_chinese_client_locale(
    fake_api: FakeTelegramAPI, start_transport: StartTransport
) -> None:
    handler = RecordingHandler()
    await start_transport(handler)

    fake_api.push_text(USER_ID, "今天", language_code="zh-hans")
    await fake_api.wait_for_messages(1)

    assert handler.received[0].locale == "zh_CN"


async def test_text_without_language_has_no_locale(
    fake_api: FakeTelegramAPI, start_transport: StartTransport
) -> None:
    handler = RecordingHandler()
    await start_transport(handler)

    fake_api.push_text(USER_ID, "hi", language_code=None)
    await fake_api.wait_for_messages(1)

    assert handler.received[0].locale is None


async def test_command_mention_is_stripped(
    fake_api: FakeTelegramAPI, start_transport: StartTransport
) -> None:
    handler = RecordingHandler()
    await start_transport(handler)

    fake_api.push_text(USER_ID, "/add@FollowUpBot x", chat_type="supergroup", chat_id=-100500)
    [sent] = await fake_api.wait_for_messages(1, chat_id=-100500)

    [incoming] = handler.received
    assert incoming.text == "/add x"
    assert incoming.chat_id == "-100500"
    assert incoming.is_private is False
    assert sent["text"] == "echo: /add x"


async def test_command_for_other_bot_is_ignored(
    fake_api: FakeTelegramAPI, start_transport: StartTransport
) -> None:
    handler = RecordingHandler()
    await start_transport(handler)

    fake_api.push_text(USER_ID, "/add@OtherBot x", chat_type="group", chat_id=-42)
    fake_api.push_text(USER_ID, "/today", chat_type="group", chat_id=-42)
    await fake_api.wait_for_messages(1)

    assert [incoming.text for incoming in handler.received] == ["/today"]


async def test_edited_and_bot_messages_are_ignored(
    fake_api: FakeTelegramAPI, start_transport: StartTransport
) -> None:
    handler = RecordingHandler()
    await start_transport(handler)

    fake_api.push_text(USER_ID, "edited", edited=True)
    fake_api.push_text(2002, "from a bot", is_bot=True)
    fake_api.push_text(USER_ID, "plain")
    await fake_api.wait_for_messages(1)

    assert [incoming.text for incoming in handler.received] == ["plain"]
    assert len(fake_api.sent_messages()) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/add@FollowUpBot x", "/add x"),
        ("/add@followupbot", "/add"),
        ("/add x", "/add x"),
        ("hello @FollowUpBot", "hello @FollowUpBot"),
        ("/add@OtherBot x", None),
    ],
)
def test_strip_bot_mention_cases(text: str, expected: str | None) -> None:
    assert strip_bot_mention(text, "FollowUpBot") == expected


# ---------------------------------------------------------------------------- rendering


async def test_long_reply_split_within_limit(
    fake_api: FakeTelegramAPI, start_transport: StartTransport
) -> None:
    # Emoji take two UTF-16 units, so a split that counts code points would overflow.
    line = "第{:04d}行 😀 Müller & Co <b>*_x_*</b>\n"
    long_text = "".join(line.format(number) for number in range(400))[:10_000]
    assert len(long_text) == 10_000
    handler = RecordingHandler(lambda incoming: [Reply(text=long_text)])
    await start_transport(handler)

    fake_api.push_text(USER_ID, "export")
    expected_count = len(split_text(long_text))
    sent = await fake_api.wait_for_messages(expected_count)

    texts = [message["text"] for message in sent]
    assert expected_count >= 3
    assert len(texts) == expected_count
    assert all(utf16_length(text) <= MESSAGE_TEXT_LIMIT for text in texts)
    assert all(text.endswith("\n") for text in texts[:-1])
    assert "".join(texts) == long_text


def test_split_text_counts_utf16_units() -> None:
    exactly_full = "😀" * (MESSAGE_TEXT_LIMIT // 2)
    one_over = exactly_full + "😀"

    assert split_text(exactly_full) == [exactly_full]
    assert split_text(one_over) == [exactly_full, "😀"]


def test_split_text_keeps_emoji_sequences_whole() -> None:
    family = "👨\u200d👩\u200d👧"  # 8 UTF-16 units joined by zero width joiners
    flag = "🇮🇳"
    accented = "e\u0301"
    for unit in (family, flag, accented):
        text = unit * (MESSAGE_TEXT_LIMIT // utf16_length(unit) + 3)

        chunks = split_text(text)

        assert "".join(chunks) == text
        assert all(utf16_length(chunk) <= MESSAGE_TEXT_LIMIT for chunk in chunks)
        assert all(chunk.startswith(unit) for chunk in chunks), unit


def test_split_text_prefers_space_in_long_line() -> None:
    text = "word " * 1000  # 5000 units on one line

    chunks = split_text(text)

    assert "".join(chunks) == text
    assert chunks[0].endswith("word ")


async def test_markup_characters_and_emoji_survive(
    fake_api: FakeTelegramAPI, start_transport: StartTransport
) -> None:
    name = "*Ahmed_[VIP]* <b>&amp; 🇮🇳👨\u200d👩\u200d👧"
    handler = RecordingHandler(lambda incoming: [Reply(text=f"客户 {incoming.display_name} ✅")])
    await start_transport(handler)

    fake_api.push_text(USER_ID, "who", first_name=name)
    [sent] = await fake_api.wait_for_messages(1)

    assert handler.received[0].display_name == name
    assert sent["text"] == f"客户 {name} ✅"
    assert "parse_mode" not in sent


def test_render_reply_rejects_callback_data_over_64_bytes() -> None:
    reply = Reply(text="pick", buttons=((Button(label="x", data="客" * 22),),))  # 66 bytes

    with pytest.raises(ValueError, match="66 bytes"):
        render_reply(reply)


def test_render_reply_rejects_empty_text() -> None:
    with pytest.raises(ValueError, match="empty"):
        render_reply(Reply(text="  "))


def test_render_reply_puts_buttons_on_last_chunk() -> None:
    reply = Reply(text="line\n" * 1000, buttons=((Button(label="OK", data="ok"),),))

    messages = render_reply(reply)

    assert len(messages) == 2
    assert messages[0].reply_markup is None
    assert messages[1].reply_markup is not None


# ---------------------------------------------------------------------------- buttons


async def test_buttons_render_and_callback_reaches_handler(
    fake_api: FakeTelegramAPI, start_transport: StartTransport
) -> None:
    def reply(incoming: Incoming) -> list[Reply]:
        if incoming.callback_data is not None:
            return [Reply(text=f"picked {incoming.callback_data}")]
        buttons = ((Button(label="A 甲", data="pick:a"), Button(label="B", data="pick:b")),)
        return [Reply(text="Pick one", buttons=buttons)]

    handler = RecordingHandler(reply)
    await start_transport(handler)

    fake_api.push_text(USER_ID, "choose")
    [menu] = await fake_api.wait_for_messages(1)
    assert menu["reply_markup"] == {
        "inline_keyboard": [
            [
                {"text": "A 甲", "callback_data": "pick:a"},
                {"text": "B", "callback_data": "pick:b"},
            ]
        ]
    }

    update = fake_api.push_callback(USER_ID, "pick:b", language_code="en")
    sent = await fake_api.wait_for_messages(2)

    incoming = handler.received[1]
    assert incoming.callback_data == "pick:b"
    assert incoming.text == ""
    assert incoming.chat_id == str(USER_ID)
    assert incoming.locale == "en"
    assert sent[1]["text"] == "picked pick:b"
    [answer] = fake_api.calls_to("answerCallbackQuery")
    assert answer.ok
    assert answer.params["callback_query_id"] == update["callback_query"]["id"]
    # The spinner on the button stops before the reply is sent.
    assert fake_api.calls.index(answer) < fake_api.calls.index(fake_api.calls_to("sendMessage")[-1])


async def test_invalid_button_in_reply_sends_apology(
    fake_api: FakeTelegramAPI, start_transport: StartTransport
) -> None:
    too_long = Reply(text="pick", buttons=((Button(label="x", data="x" * 65),),))
    handler = RecordingHandler(lambda incoming: [too_long])
    await start_transport(handler)

    fake_api.push_text(USER_ID, "choose", language_code="en")
    [sent] = await fake_api.wait_for_messages(1)

    assert sent["text"] == translator("en").gettext(APOLOGY)
    assert "reply_markup" not in sent


# ---------------------------------------------------------------------------- lifecycle


async def test_start_publishes_commands_per_language(
    fake_api: FakeTelegramAPI, start_transport: StartTransport
) -> None:
    await start_transport(RecordingHandler())

    chinese = [
        {"command": "today", "description": "今天要跟进的客户"},
        {"command": "add", "description": "添加客户"},
    ]
    english = [
        {"command": "today", "description": "Follow-ups due today"},
        {"command": "add", "description": "Add a customer"},
    ]
    assert fake_api.commands() == chinese
    assert fake_api.commands(language_code="zh") == chinese
    assert fake_api.commands(language_code="en") == english
    assert all(call.ok for call in fake_api.calls_to("setMyCommands"))


def test_transport_rejects_invalid_command() -> None:
    with pytest.raises(ValueError, match="'Today'"):
        TelegramTransport(
            token="1:x", handler=RecordingHandler(), commands=[("Today", "今天", "Today")]
        )


@pytest.mark.parametrize("suffix", ["", "/", "/bot", "/bot/"])
async def test_base_url_accepts_root_and_bot_prefix(
    fake_api: FakeTelegramAPI, start_transport: StartTransport, suffix: str
) -> None:
    handler = RecordingHandler()
    await start_transport(handler, base_url=fake_api.base_url + suffix)

    fake_api.push_text(USER_ID, "ping")
    [sent] = await fake_api.wait_for_messages(1)

    assert sent["text"] == "echo: ping"
    assert fake_api.calls_to("getMe")[0].ok


def test_normalize_base_url_forms() -> None:
    expected = ("http://localhost:8081/bot", "http://localhost:8081/file/bot")

    assert normalize_base_url("http://localhost:8081") == expected
    assert normalize_base_url("http://localhost:8081/bot/") == expected
    with pytest.raises(ValueError, match="http://"):
        normalize_base_url("localhost:8081")


async def test_token_is_not_logged(
    fake_api: FakeTelegramAPI, start_transport: StartTransport, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    transport = await start_transport(RecordingHandler())

    fake_api.push_text(USER_ID, "ping")
    await fake_api.wait_for_messages(1)
    # Stopping waits for the update in progress, whose last step is the timing line.
    await transport.stop()

    assert "update_id=1 user_id=1001" in caplog.text
    assert "handled in" in caplog.text
    assert fake_api.token not in caplog.text


# ---------------------------------------------------------------------------- failures


async def test_flood_control_retries_and_delivers_once(
    fake_api: FakeTelegramAPI, start_transport: StartTransport
) -> None:
    await start_transport(RecordingHandler())
    fake_api.flood_limit_next(1, retry_after=1)

    fake_api.push_text(USER_ID, "ping")
    [sent] = await fake_api.wait_for_messages(1)

    assert sent["text"] == "echo: ping"
    assert [call.status for call in fake_api.calls_to("sendMessage")] == [429, 200]


async def test_flood_wait_over_limit_raises(
    fake_api: FakeTelegramAPI, start_transport: StartTransport
) -> None:
    transport = await start_transport(RecordingHandler())
    fake_api.flood_limit_next(1, retry_after=600)

    with pytest.raises(RetryAfter):
        await transport.notifier.send(
            Delivery(platform="telegram", chat_id=str(USER_ID), reply=Reply(text="digest"))
        )

    assert fake_api.sent_messages() == []


async def test_handler_error_sends_apology(
    fake_api: FakeTelegramAPI, start_transport: StartTransport, caplog: pytest.LogCaptureFixture
) -> None:
    def fail(incoming: Incoming) -> list[Reply]:
        raise RuntimeError("database is down")

    await start_transport(RecordingHandler(fail))

    fake_api.push_text(USER_ID, "today", language_code="zh-hans")
    [sent] = await fake_api.wait_for_messages(1)

    assert sent["text"] == translator("zh_CN").gettext(APOLOGY)
    assert sent["text"] != "echo: today"
    assert "handler failed update_id=" in caplog.text
    assert "database is down" in caplog.text


# ---------------------------------------------------------------------------- notifier


async def test_notifier_delivers_to_chat(
    fake_api: FakeTelegramAPI, start_transport: StartTransport
) -> None:
    transport = await start_transport(RecordingHandler())
    buttons = ((Button(label="Done", data="done:7"),),)
    delivery = Delivery(
        platform="telegram",
        chat_id="-100777",
        reply=Reply(text="今日跟进 3 位客户", buttons=buttons),
        reminder_ids=(7,),
    )

    await transport.notifier.send(delivery)

    [sent] = fake_api.sent_messages(chat_id=-100777)
    assert sent["text"] == "今日跟进 3 位客户"
    assert sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "done:7"


async def test_notifier_raises_when_chat_blocked_bot(
    fake_api: FakeTelegramAPI, start_transport: StartTransport
) -> None:
    transport = await start_transport(RecordingHandler())
    fake_api.block_chat(USER_ID)

    # A blocked bot stays blocked, so the dispatcher marks the reminder failed at once.
    with pytest.raises(DeliveryRejected) as raised:
        await transport.notifier.send(
            Delivery(platform="telegram", chat_id=str(USER_ID), reply=Reply(text="digest"))
        )
    assert isinstance(raised.value.__cause__, Forbidden)


async def test_notifier_rejects_other_platform(
    fake_api: FakeTelegramAPI, start_transport: StartTransport
) -> None:
    transport = await start_transport(RecordingHandler())

    with pytest.raises(ValueError, match="slack"):
        await transport.notifier.send(
            Delivery(platform="slack", chat_id="C123", reply=Reply(text="digest"))
        )


# ---------------------------------------------------------------------------- fake server


@pytest.fixture
async def raw_bot(fake_api: FakeTelegramAPI) -> AsyncIterator[Bot]:
    async with Bot(fake_api.token, base_url=fake_api.base_url + "/bot") as bot:
        yield bot


async def test_fake_rejects_text_over_limit(fake_api: FakeTelegramAPI, raw_bot: Bot) -> None:
    full = "😀" * (MESSAGE_TEXT_LIMIT // 2)

    await raw_bot.send_message(chat_id=USER_ID, text=full)
    with pytest.raises(BadRequest, match="too long"):
        await raw_bot.send_message(chat_id=USER_ID, text=full + "x")

    assert [call.status for call in fake_api.calls_to("sendMessage")] == [200, 400]


async def test_fake_rejects_callback_data_over_64_bytes(
    fake_api: FakeTelegramAPI, raw_bot: Bot
) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x" * 65)]])

    with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
        await raw_bot.send_message(chat_id=USER_ID, text="pick", reply_markup=markup)

    assert fake_api.sent_messages() == []


async def test_fake_keeps_numeric_text_as_string(fake_api: FakeTelegramAPI, raw_bot: Bot) -> None:
    message = await raw_bot.send_message(chat_id=USER_ID, text="42")

    assert message.text == "42"
    assert fake_api.sent_messages()[0]["text"] == "42"


async def test_fake_edits_sent_message(fake_api: FakeTelegramAPI, raw_bot: Bot) -> None:
    sent = await raw_bot.send_message(chat_id=USER_ID, text="draft")

    edited = await raw_bot.edit_message_text(
        chat_id=USER_ID, message_id=sent.message_id, text="final"
    )

    assert edited.text == "final"
    with pytest.raises(BadRequest, match="not modified"):
        await raw_bot.edit_message_text(chat_id=USER_ID, message_id=sent.message_id, text="final")
    with pytest.raises(BadRequest, match="not found"):
        await raw_bot.edit_message_text(chat_id=USER_ID, message_id=999, text="x")


async def test_fake_records_unknown_method(fake_api: FakeTelegramAPI, raw_bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await raw_bot.do_api_request("sendHologram", api_kwargs={"chat_id": USER_ID})

    [call] = fake_api.calls_to("sendHologram")
    assert call.status == 404
    assert call.response == {"ok": False, "error_code": 404, "description": "Not Found"}
    assert call.params["chat_id"] == USER_ID


async def test_fake_rejects_wrong_token(fake_api: FakeTelegramAPI) -> None:
    bot = Bot("1:wrong", base_url=fake_api.base_url + "/bot")

    with pytest.raises(InvalidToken):
        await bot.initialize()

    assert fake_api.calls_to("getMe")[0].status == 401
    await bot.shutdown()
