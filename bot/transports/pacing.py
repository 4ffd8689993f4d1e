"""Pacing of outgoing chat messages within a platform's rate limits, free of any chat SDK.

A `RateLimiter` makes each send wait, in this order, for:

1. The chat's own rules: a minimum interval between two messages to the chat, a cap on
   messages to a group chat in any sliding window, and a pause that a flood-control error
   (Telegram's RetryAfter) put on the chat.
2. The global rate shared by all chats, granted in arrival order. Urgent sends, the
   replies a user is waiting for, go ahead of the queued bulk sends.

Senders to different chats wait for their own chats in parallel and queue only for the
global rate, so many tasks may call `acquire` at once. Time comes from an injected
monotonic clock and sleep function, so tests can run on virtual time.

Limitations:
    The limits are kept per process. Several bot processes that share one bot token
    each pace themselves, so together they can exceed the platform's global rate
    unless each gets a share of it in its `RateLimits`.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

Monotonic = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class RateLimits:
    """Sending limits of one chat platform, all in seconds and message counts.

    Attributes:
        messages_per_second: messages to all chats together, or None for no global limit.
        chat_interval: minimum time between two messages to one chat.
        group_messages_per_window: maximum messages to one group chat in any
            `group_window`, or None for no group rule.
        group_window: length of the sliding window of the group rule.
    """

    messages_per_second: float | None
    chat_interval: float
    group_messages_per_window: int | None = None
    group_window: float = 60.0

    def __post_init__(self) -> None:
        if self.messages_per_second is not None and self.messages_per_second <= 0:
            raise ValueError(f"messages_per_second must be positive or None, got {self.messages_per_second}")
        if self.chat_interval < 0:
            raise ValueError(f"chat_interval must be 0 or more seconds, got {self.chat_interval}")
        if self.group_messages_per_window is not None and self.group_messages_per_window < 1:
            raise ValueError(
                f"group_messages_per_window must be at least 1 or None, got {self.group_messages_per_window}"
            )
        if self.group_window <= 0:
            raise ValueError(f"group_window must be positive, got {self.group_window}")


class ChatPaused(Exception):
    """A send was given up because its chat stays paused longer than the caller would wait."""

    def __init__(self, chat_id: str, seconds: float) -> None:
        super().__init__(
            f"chat_id={chat_id} is paused for another {seconds:.1f} s after a flood-control "
            "error; send later"
        )
        self.chat_id = chat_id
        self.seconds = seconds


@dataclass
class _ChatState:
    next_send_at: float = -math.inf
    paused_until: float = -math.inf
    # Grant instants of recent messages to a group chat, oldest first.
    group_sent: deque[float] = field(default_factory=deque)
    # Serialises the senders of one chat, so that the chat rules see each grant in turn.
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    senders: int = 0


class RateLimiter:
    """Paces sends to many chats within `RateLimits`; safe to share between asyncio tasks.

    Args:
        limits: the platform's limits.
        monotonic: the clock, in seconds; `time.monotonic` unless a test injects one.
        sleep: waits the given seconds on that clock; `asyncio.sleep` unless injected.
    """

    def __init__(
        self,
        limits: RateLimits,
        *,
        monotonic: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.limits = limits
        self._monotonic = monotonic
        self._sleep = sleep
        self._chats: dict[str, _ChatState] = {}
        self._global_interval = (
            1.0 / limits.messages_per_second if limits.messages_per_second is not None else 0.0
        )
        self._global_next = -math.inf
        self._global_lock = asyncio.Lock()
        # Chat state older than this carries no limit any more and may be dropped.
        self._state_lifetime = max(limits.chat_interval, limits.group_window)
        self._swept_at = monotonic()

    @property
    def tracked_chats(self) -> int:
        """The number of chats whose recent sends or pause the limiter still remembers."""
        return len(self._chats)

    async def acquire(
        self,
        chat_id: str,
        *,
        is_group: bool = False,
        urgent: bool = False,
        max_pause: float | None = None,
    ) -> float:
        """Wait until a message to `chat_id` may go out, and count it as sent.

        Call this right before each send. `is_group` applies the group rule. `urgent`
        puts the send ahead of non-urgent ones queued for the global rate.

        Returns:
            The seconds waited.

        Raises:
            ChatPaused: if the chat is paused for longer than `max_pause` seconds, when
                given, before or while this send waits.
        """
        started = self._monotonic()
        state = self._chats.get(chat_id)
        if state is None:
            state = self._chats[chat_id] = _ChatState()
        state.senders += 1
        try:
            async with state.lock:
                while True:
                    await self._wait_for_chat(chat_id, state, is_group=is_group, max_pause=max_pause)
                    await self._wait_for_global(urgent=urgent)
                    if state.paused_until <= self._monotonic():
                        break
                    # A RetryAfter paused this chat while the send queued for the global
                    # rate. The global slot is spent, which errs on the slow side.
                granted = self._monotonic()
                state.next_send_at = granted + self.limits.chat_interval
                if is_group and self.limits.group_messages_per_window is not None:
                    state.group_sent.append(granted)
        finally:
            state.senders -= 1
        self._sweep()
        return self._monotonic() - started

    def pause_chat(self, chat_id: str, seconds: float) -> None:
        """Hold every send to `chat_id` for `seconds` from now, as a RetryAfter error requests.

        A later pause never shortens an earlier one. Other chats are not affected.
        """
        state = self._chats.get(chat_id)
        if state is None:
            state = self._chats[chat_id] = _ChatState()
        until = self._monotonic() + seconds
        state.paused_until = max(state.paused_until, until)
        logger.debug("chat paused chat_id=%s seconds=%.1f", chat_id, seconds)

    def paused_for(self, chat_id: str) -> float:
        """Return the seconds left of the chat's pause, or 0 when it is not paused."""
        state = self._chats.get(chat_id)
        if state is None:
            return 0.0
        return max(0.0, state.paused_until - self._monotonic())

    # ------------------------------------------------------------------ internals

    async def _wait_for_chat(
        self, chat_id: str, state: _ChatState, *, is_group: bool, max_pause: float | None
    ) -> None:
        while True:
            now = self._monotonic()
            pause_left = state.paused_until - now
            if max_pause is not None and pause_left > max_pause:
                raise ChatPaused(chat_id, pause_left)
            ready_at = max(state.next_send_at, state.paused_until)
            if is_group:
                ready_at = max(ready_at, self._group_ready_at(state, now))
            if ready_at <= now:
                return
            await self._sleep(ready_at - now)

    def _group_ready_at(self, state: _ChatState, now: float) -> float:
        limit = self.limits.group_messages_per_window
        if limit is None:
            return -math.inf
        window = self.limits.group_window
        sent = state.group_sent
        while sent and sent[0] <= now - window:
            sent.popleft()
        if len(sent) < limit:
            return -math.inf
        # The oldest message of the window leaves it at this instant.
        return sent[len(sent) - limit] + window

    async def _wait_for_global(self, *, urgent: bool) -> None:
        if self.limits.messages_per_second is None:
            return
        if urgent:
            # An urgent send reserves the next slot at once. A queued bulk sender that
            # wakes up for that slot finds it taken and waits one interval more.
            slot = max(self._global_next, self._monotonic())
            self._global_next = slot + self._global_interval
            wait = slot - self._monotonic()
            if wait > 0:
                await self._sleep(wait)
            return
        async with self._global_lock:
            slot = max(self._global_next, self._monotonic())
            # The loop re-checks after each sleep, because an urgent send may take the slot.
            while (now := self._monotonic()) < self._global_next:
                slot = self._global_next
                await self._sleep(slot - now)
            granted = self._monotonic()
            # A late wake-up (sleep overshoot, a busy event loop) is caught up by at most
            # one interval. So overshoot does not lower the rate, and a stall does not
            # release a burst: any window of W seconds holds at most rate × W + 1 sends.
            self._global_next = max(slot + self._global_interval, granted)

    def _sweep(self) -> None:
        now = self._monotonic()
        if now - self._swept_at < self._state_lifetime:
            return
        self._swept_at = now
        horizon = now - self._state_lifetime
        idle = [
            chat_id
            for chat_id, state in self._chats.items()
            if state.senders == 0
            and state.next_send_at <= now
            and state.paused_until <= now
            and (not state.group_sent or state.group_sent[-1] <= horizon)
        ]
        for chat_id in idle:
            del self._chats[chat_id]
