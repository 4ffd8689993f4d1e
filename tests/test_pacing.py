"""RateLimiter on virtual time: per-chat interval, group window, global rate, pauses."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import pytest

from bot.transports.pacing import ChatPaused, RateLimiter, RateLimits
from tests.fakes.virtual_clock import VirtualClock

TELEGRAM_LIKE = RateLimits(
    messages_per_second=30, chat_interval=1.0, group_messages_per_window=20, group_window=60.0
)
PER_CHAT_ONLY = RateLimits(messages_per_second=None, chat_interval=1.0)
# Float sums of 1/30 drift by a few ulps, so instants are compared with this slack.
EPSILON = 1e-6


def make_limiter(limits: RateLimits, clock: VirtualClock) -> RateLimiter:
    return RateLimiter(limits, monotonic=clock.monotonic, sleep=clock.sleep)


async def acquire_all(
    limiter: RateLimiter, clock: VirtualClock, chat_ids: Sequence[str], **options: Any
) -> list[float]:
    """Acquire once per entry of `chat_ids`, all concurrently, and return each grant instant."""

    async def acquire(chat_id: str) -> float:
        await limiter.acquire(chat_id, **options)
        return clock.monotonic()

    return list(await asyncio.gather(*(acquire(chat_id) for chat_id in chat_ids)))


async def grant_instants(
    limiter: RateLimiter, clock: VirtualClock, chat_ids: Sequence[str], **options: Any
) -> list[float]:
    """Run acquire_all on the virtual clock."""
    return await clock.run(acquire_all(limiter, clock, chat_ids, **options))


def max_in_window(instants: Sequence[float], window: float) -> int:
    """Return the maximum number of instants in any half-open window [t, t + window)."""
    ordered = sorted(instants)
    return max(
        sum(1 for other in ordered if start <= other < start + window - EPSILON) for start in ordered
    )


# ---------------------------------------------------------------------------- per chat


async def test_chat_interval_spaces_one_chat() -> None:
    clock = VirtualClock()
    limiter = make_limiter(PER_CHAT_ONLY, clock)

    instants = await grant_instants(limiter, clock, ["1001"] * 3)

    assert instants == [0.0, 1.0, 2.0]


async def test_chats_wait_in_parallel() -> None:
    clock = VirtualClock()
    limiter = make_limiter(PER_CHAT_ONLY, clock)
    chats = [str(1000 + number) for number in range(10)]

    instants = await grant_instants(limiter, clock, chats * 2)

    assert instants[:10] == [0.0] * 10
    assert instants[10:] == [1.0] * 10


async def test_group_window_caps_group_chat() -> None:
    clock = VirtualClock()
    limiter = make_limiter(TELEGRAM_LIKE, clock)

    instants = await grant_instants(limiter, clock, ["-100"] * 25, is_group=True)

    assert instants[:20] == pytest.approx([float(second) for second in range(20)])
    assert instants[20:] == pytest.approx([60.0, 61.0, 62.0, 63.0, 64.0])
    assert max_in_window(instants, 60.0) == 20


async def test_group_rule_skips_private_chat() -> None:
    clock = VirtualClock()
    limiter = make_limiter(TELEGRAM_LIKE, clock)

    instants = await grant_instants(limiter, clock, ["100"] * 25)

    assert instants[20] == pytest.approx(20.0)


# ---------------------------------------------------------------------------- global rate


async def test_global_rate_spaces_chats() -> None:
    clock = VirtualClock()
    limiter = make_limiter(TELEGRAM_LIKE, clock)
    chats = [str(2000 + number) for number in range(90)]

    instants = await grant_instants(limiter, clock, chats)

    assert instants == pytest.approx([number / 30 for number in range(90)])
    assert max_in_window(instants, 1.0) == 30


async def test_late_wakeups_keep_rate() -> None:
    clock = VirtualClock()
    overshoot = 0.01  # every sleep ends 10 ms late, as on a busy event loop

    async def late_sleep(seconds: float) -> None:
        await clock.sleep(seconds + overshoot)

    limiter = RateLimiter(TELEGRAM_LIKE, monotonic=clock.monotonic, sleep=late_sleep)
    chats = [str(3000 + number) for number in range(300)]

    instants = await grant_instants(limiter, clock, chats)

    # Without catch-up, each send would lose the overshoot: 300 × (1/30 + 0.01) s = 13 s.
    assert max(instants) < 10.1
    assert max_in_window(instants, 1.0) <= 31


async def test_urgent_send_skips_bulk_queue() -> None:
    clock = VirtualClock()
    limiter = make_limiter(TELEGRAM_LIKE, clock)
    bulk_chats = [str(4000 + number) for number in range(60)]

    async def urgent_reply() -> float:
        await clock.sleep(0.1)
        await limiter.acquire("5000", urgent=True)
        return clock.monotonic()

    async def scenario() -> float:
        bulk = asyncio.gather(*(limiter.acquire(chat_id) for chat_id in bulk_chats))
        reply_at = await urgent_reply()
        await bulk
        return reply_at

    reply_at = await clock.run(scenario())
    finished_at = clock.monotonic()

    # Behind 60 queued bulk sends, a FIFO reply would wait until 2 s.
    assert reply_at <= 0.1 + 2 / 30 + EPSILON
    # The reply took a global slot, so the bulk sends end one interval later than 59/30 s.
    assert finished_at == pytest.approx(60 / 30)


# ---------------------------------------------------------------------------- pauses


async def test_pause_holds_only_that_chat() -> None:
    clock = VirtualClock()
    limiter = make_limiter(TELEGRAM_LIKE, clock)
    limiter.pause_chat("a", 5.0)

    instants = await grant_instants(limiter, clock, ["a", "b", "c"])

    assert instants[0] == pytest.approx(5.0)
    assert instants[1] < 0.1
    assert instants[2] < 0.1


async def test_pause_during_global_wait_holds_chat() -> None:
    clock = VirtualClock()
    limiter = make_limiter(TELEGRAM_LIKE, clock)
    chats = [str(6000 + number) for number in range(60)] + ["x"]

    async def pause_x() -> None:
        await clock.sleep(0.5)
        limiter.pause_chat("x", 10.0)

    async def scenario() -> list[float]:
        pauser = asyncio.ensure_future(pause_x())
        instants = await acquire_all(limiter, clock, chats)
        await pauser
        return instants

    instants = await clock.run(scenario())

    # "x" queued last for the global rate, at 60/30 = 2 s, but was paused at 0.5 s for 10 s.
    assert instants[-1] >= 10.5 - EPSILON
    assert max(instants[:-1]) == pytest.approx(59 / 30)


async def test_long_pause_raises_chat_paused() -> None:
    clock = VirtualClock()
    limiter = make_limiter(TELEGRAM_LIKE, clock)
    limiter.pause_chat("a", 600.0)

    with pytest.raises(ChatPaused, match="chat_id=a is paused for another 600.0 s") as raised:
        await clock.run(limiter.acquire("a", max_pause=30.0))

    assert raised.value.seconds == pytest.approx(600.0)
    assert clock.monotonic() == 0.0


async def test_short_pause_within_max_is_waited() -> None:
    clock = VirtualClock()
    limiter = make_limiter(TELEGRAM_LIKE, clock)
    limiter.pause_chat("a", 10.0)

    waited = await clock.run(limiter.acquire("a", max_pause=30.0))

    assert waited == pytest.approx(10.0)
    assert limiter.paused_for("a") == 0.0


def test_later_pause_never_shortens() -> None:
    clock = VirtualClock()
    limiter = make_limiter(TELEGRAM_LIKE, clock)

    limiter.pause_chat("a", 10.0)
    limiter.pause_chat("a", 2.0)

    assert limiter.paused_for("a") == pytest.approx(10.0)
    assert limiter.paused_for("b") == 0.0


# ---------------------------------------------------------------------------- housekeeping


async def test_idle_chats_are_forgotten() -> None:
    clock = VirtualClock()
    limiter = make_limiter(TELEGRAM_LIKE, clock)
    await grant_instants(limiter, clock, [str(7000 + number) for number in range(100)])
    assert limiter.tracked_chats == 100

    await clock.run(clock.sleep(61.0))
    await grant_instants(limiter, clock, ["7999"])

    assert limiter.tracked_chats == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"messages_per_second": 0, "chat_interval": 1.0}, "messages_per_second"),
        ({"messages_per_second": 30, "chat_interval": -1.0}, "chat_interval"),
        ({"messages_per_second": 30, "chat_interval": 1.0, "group_messages_per_window": 0}, "group_messages"),
        ({"messages_per_second": 30, "chat_interval": 1.0, "group_window": 0.0}, "group_window"),
    ],
)
def test_limits_reject_invalid_values(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RateLimits(**options)
