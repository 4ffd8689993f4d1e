"""Paced delivery and unknown outcomes through python-telegram-bot, against a fake Bot API that enforces flood limits.

The fan-out test runs at Telegram's real 30 messages a second and takes about ten
seconds. The group test runs the limiter and the fake server on one virtual clock.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

import httpx
import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.clock import SystemClock
from bot.store import Store, migrate
from bot.transports.base import Delivery, DeliveryUnknown, Incoming, Reply
from bot.transports.fanout import send_many
from bot.transports.pacing import RateLimiter
from bot.transports.telegram import (
    MESSAGE_TEXT_LIMIT,
    TELEGRAM_LIMITS,
    TelegramTransport,
    is_group_chat,
    outcome_unknown,
    split_text,
    utf16_length,
)
from reminders.dispatcher import Dispatcher
from tests.fakes.telegram_api import FakeTelegramAPI, FloodLimits
from tests.test_dispatch_processes import seed_due_digests
from tests.fakes.virtual_clock import VirtualClock

# PTB 22 itself reads the deprecated int `RetryAfter.retry_after` when it builds the error.
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"
)

StartTransport = Callable[..., Awaitable[TelegramTransport]]


async def no_reply(incoming: Incoming) -> list[Reply]:
    return []


def digest(chat_id: int | str, text: str = "今日跟进 3 位客户", reminder_id: int = 1) -> Delivery:
    return Delivery(platform="telegram", chat_id=str(chat_id), reply=Reply(text=text), reminder_ids=(reminder_id,))


def max_in_window(instants: Sequence[float], window: float) -> int:
    """Return the maximum number of instants in any half-open window [t, t + window)."""
    ordered = sorted(instants)
    return max(sum(1 for other in ordered if start <= other < start + window) for start in ordered)


@pytest.fixture
async def limited_api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI(max_poll_wait=0.5, flood_limits=FloodLimits()) as api:
        yield api


@pytest.fixture
async def start_transport(limited_api: FakeTelegramAPI) -> AsyncIterator[StartTransport]:
    started: list[TelegramTransport] = []

    async def start(**options: Any) -> TelegramTransport:
        transport = TelegramTransport(
            token=limited_api.token,
            handler=no_reply,
            base_url=limited_api.base_url,
            polling_timeout=1,
            **options,
        )
        await transport.start()
        started.append(transport)
        return transport

    yield start
    for transport in started:
        await transport.stop()


# ---------------------------------------------------------------------------- pacing


async def test_fan_out_reaches_every_chat_without_429(
    limited_api: FakeTelegramAPI, start_transport: StartTransport, tmp_path: Path
) -> None:
    # 300 members with a due digest each, sent by the real dispatcher through the notifier.
    store = Store(f"sqlite+aiosqlite:///{tmp_path / 'fanout.db'}")
    await migrate(store)
    now = datetime.now(timezone.utc)
    await seed_due_digests(store, count=300, now=now, platform="telegram")
    transport = await start_transport()
    dispatcher = Dispatcher(
        store=store, clock=SystemClock(), notifiers={"telegram": transport.notifier}, worker_id="fan-out"
    )

    started = time.monotonic()
    sent = await dispatcher.dispatch_due()
    elapsed = time.monotonic() - started
    await store.dispose()

    assert sent == 300
    assert limited_api.flood_error_count == 0
    received = Counter(int(message["chat_id"]) for message in limited_api.sent_messages())
    assert received == Counter(10_001 + number for number in range(300))
    # 300 messages at 30 a second: the first goes at once, the last after 299/30 s.
    assert elapsed >= 299 / 30
    # Far below the 300 s of sends that wait one chat interval each.
    assert elapsed < 40


async def test_retry_after_pauses_only_that_chat(
    limited_api: FakeTelegramAPI, start_transport: StartTransport
) -> None:
    transport = await start_transport()
    paused_chat = 20_000
    other_chats = [20_001 + number for number in range(30)]
    limited_api.flood_limit_next(1, retry_after=2)

    paused_send = asyncio.create_task(transport.notifier.send(digest(paused_chat)))
    [flood_error] = await limited_api.wait_for_calls("sendMessage", 1)
    results = await send_many(transport.notifier, [digest(chat_id) for chat_id in other_chats])
    await paused_send

    assert all(result.sent for result in results)
    calls = [call for call in limited_api.calls_to("sendMessage") if call.params["chat_id"] == paused_chat]
    assert [call.status for call in calls] == [429, 200]
    retry = calls[1]
    assert retry.received_at - flood_error.received_at >= 2.0
    other_arrivals = [
        call.received_at for call in limited_api.calls_to("sendMessage") if call.params["chat_id"] in other_chats
    ]
    assert len(other_arrivals) == 30
    # Every other chat was served while the paused one waited.
    assert max(other_arrivals) < retry.received_at
    assert limited_api.flood_error_count == 1


async def test_group_gets_at_most_20_a_minute() -> None:
    clock = VirtualClock()
    group_id = -100_123
    async with FakeTelegramAPI(
        max_poll_wait=0.5, flood_limits=FloodLimits(), monotonic=clock.monotonic
    ) as api:
        limiter = RateLimiter(TELEGRAM_LIMITS, monotonic=clock.monotonic, sleep=clock.sleep)
        transport = TelegramTransport(
            token=api.token, handler=no_reply, base_url=api.base_url, polling_timeout=1, limiter=limiter
        )
        await transport.start()
        try:

            async def send_all() -> None:
                for number in range(25):
                    await transport.notifier.send(digest(group_id, text=f"团队日报 {number}"))

            await clock.run(send_all())
        finally:
            await transport.stop()

    arrivals = [call.received_at for call in api.calls_to("sendMessage")]
    assert api.flood_error_count == 0
    assert len(api.sent_messages(group_id)) == 25
    assert arrivals[:20] == pytest.approx([float(second) for second in range(20)])
    assert arrivals[20] == pytest.approx(60.0)
    assert max_in_window(arrivals, 60.0) == 20


async def test_long_digest_arrives_split_and_paced(
    limited_api: FakeTelegramAPI, start_transport: StartTransport
) -> None:
    transport = await start_transport()
    line = "Sharma Print House 印度 CTCP 0.30 mm 1×20GP 😀\n"
    text = line * (10_000 // len(line))

    await transport.notifier.send(digest(30_001, text=text))

    calls = limited_api.calls_to("sendMessage")
    parts = [call.params["text"] for call in calls]
    assert len(parts) == len(split_text(text)) == 3
    assert "".join(parts) == text
    assert all(part.endswith("\n") for part in parts)
    assert all(utf16_length(part) <= MESSAGE_TEXT_LIMIT for part in parts)
    gaps = [later.received_at - earlier.received_at for earlier, later in zip(calls, calls[1:])]
    assert min(gaps) >= 0.9
    assert limited_api.flood_error_count == 0


# ---------------------------------------------------------------------------- outcomes


async def test_timeout_after_send_is_unknown(
    limited_api: FakeTelegramAPI, start_transport: StartTransport, caplog: pytest.LogCaptureFixture
) -> None:
    transport = await start_transport(read_timeout=0.3)
    limited_api.delay_responses(1, seconds=2.0)

    results = await send_many(transport.notifier, [digest(40_001, reminder_id=7), digest(40_002, reminder_id=8)])

    assert results[0].unknown
    assert isinstance(results[0].error, DeliveryUnknown)
    assert isinstance(results[0].error.__cause__, TimedOut)
    assert results[1].sent
    assert len(limited_api.sent_messages(40_001)) == 1
    assert len(limited_api.calls_to("sendMessage")) == 2
    assert "delivery outcome unknown, not resending chat_id=40001 reminder_ids=(7,)" in caplog.text


async def test_connection_refused_is_plain_failure() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port now, so the connection is refused before any request.
    transport = TelegramTransport(token="1:x", handler=no_reply, base_url=f"http://127.0.0.1:{port}")

    with pytest.raises(NetworkError) as raised:
        await transport.notifier.send(digest(50_001))

    assert not isinstance(raised.value, DeliveryUnknown)
    assert isinstance(raised.value.__cause__, httpx.ConnectError)


def _caused_by(error: Exception, cause: Exception | None) -> Exception:
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (_caused_by(TimedOut(), httpx.ReadTimeout("read")), True),
        (_caused_by(TimedOut(), httpx.WriteTimeout("write")), True),
        (_caused_by(NetworkError("httpx.ReadError"), httpx.ReadError("reset")), True),
        (_caused_by(NetworkError("httpx.RemoteProtocolError"), httpx.RemoteProtocolError("closed")), True),
        (NetworkError("Bad Gateway"), True),
        (_caused_by(TimedOut(), httpx.ConnectTimeout("connect")), False),
        (_caused_by(TimedOut(), httpx.PoolTimeout("pool")), False),
        (_caused_by(NetworkError("httpx.ConnectError"), httpx.ConnectError("refused")), False),
        (BadRequest("Bad Request: chat not found"), False),
        (Forbidden("Forbidden: bot was blocked by the user"), False),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value),
)
def test_outcome_unknown_cases(error: Exception, expected: bool) -> None:
    assert outcome_unknown(error) is expected  # type: ignore[arg-type]


def test_outcome_unknown_false_for_retry_after() -> None:
    # Built here, because PTB warns about `retry_after` on construction.
    assert outcome_unknown(RetryAfter(5)) is False


@pytest.mark.parametrize(
    ("chat_id", "expected"), [("-1001234567890", True), ("@sales_team", True), ("1001", False)]
)
def test_is_group_chat_cases(chat_id: str, expected: bool) -> None:
    assert is_group_chat(chat_id) is expected


# ---------------------------------------------------------------------------- fake server limits


@pytest.fixture
async def raw_bot(limited_api: FakeTelegramAPI) -> AsyncIterator[Bot]:
    async with Bot(limited_api.token, base_url=limited_api.base_url + "/bot") as bot:
        yield bot


async def test_fake_rejects_second_message_within_second(limited_api: FakeTelegramAPI, raw_bot: Bot) -> None:
    await raw_bot.send_message(chat_id=1001, text="first")

    with pytest.raises(RetryAfter):
        await raw_bot.send_message(chat_id=1001, text="second")

    [rejected] = [call for call in limited_api.calls_to("sendMessage") if call.status == 429]
    assert rejected.response["parameters"] == {"retry_after": 1}
    assert rejected.response["description"] == "Too Many Requests: retry after 1"
    assert limited_api.flood_error_count == 1


async def test_fake_rejects_31st_message_in_second(limited_api: FakeTelegramAPI, raw_bot: Bot) -> None:
    outcomes = await asyncio.gather(
        *(raw_bot.send_message(chat_id=60_001 + number, text="digest") for number in range(31)),
        return_exceptions=True,
    )

    assert sum(isinstance(outcome, RetryAfter) for outcome in outcomes) == 1
    assert len(limited_api.sent_messages()) == 30
    assert limited_api.flood_error_count == 1


async def test_fake_rejects_21st_group_message_in_minute() -> None:
    clock = VirtualClock()
    async with FakeTelegramAPI(flood_limits=FloodLimits(), monotonic=clock.monotonic) as api:
        async with Bot(api.token, base_url=api.base_url + "/bot") as bot:
            for _ in range(20):
                await bot.send_message(chat_id=-100, text="team digest")
                await clock.run(clock.sleep(1.0))
            with pytest.raises(RetryAfter):
                await bot.send_message(chat_id=-100, text="team digest")

    [rejected] = [call for call in api.calls_to("sendMessage") if call.status == 429]
    # The first message, sent at 0 s, leaves the 60 s window (59.9 s with the tolerance)
    # 39.9 s after this one at 20 s; Telegram rounds up to whole seconds.
    assert rejected.response["parameters"] == {"retry_after": 40}
