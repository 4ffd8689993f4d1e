"""Virtual time for asyncio tests: a sleep moves a clock instead of waiting.

Usage::

    clock = VirtualClock()
    limiter = RateLimiter(limits, monotonic=clock.monotonic, sleep=clock.sleep)
    await clock.run(send_everything(limiter))

`run` drives the awaitable and, whenever every task is parked in `sleep`, moves the clock
to the earliest wake-up and wakes those sleepers. So events happen in the order they
would in real time, and a test of minutes of sending takes milliseconds.

Limitations:
    The clock cannot see tasks that wait for real I/O. While no task sleeps on the
    clock, `run` waits in real time, so one sender that alternates between HTTP
    requests and virtual sleeps works. Several such senders at once may see the clock
    move while one of them waits for a response.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")

# Event loop turns that `run` lets pass before it decides that every task is parked.
# Waking a task through a lock or a future takes one or two turns.
_SETTLE_TURNS = 20
# Real seconds that `run` waits while no task sleeps on the clock (tasks wait for I/O).
_IO_POLL_SECONDS = 0.001


class VirtualClock:
    """A monotonic clock in seconds that only `run` advances."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def monotonic(self) -> float:
        """Return the current virtual instant."""
        return self._now

    async def sleep(self, seconds: float) -> None:
        """Park the caller until the clock has moved `seconds` forward."""
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        wake = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self._now + seconds, next(self._order), wake))
        await wake

    async def run(self, awaitable: Awaitable[T]) -> T:
        """Await `awaitable` in a task, advancing the clock whenever all tasks are parked."""
        task = asyncio.ensure_future(awaitable)
        while not task.done():
            for _ in range(_SETTLE_TURNS):
                await asyncio.sleep(0)
                if task.done():
                    break
            if task.done():
                break
            self._drop_cancelled()
            if not self._sleepers:
                await asyncio.sleep(_IO_POLL_SECONDS)
                continue
            self._now = self._sleepers[0][0]
            while self._sleepers and self._sleepers[0][0] <= self._now:
                _, _, wake = heapq.heappop(self._sleepers)
                if not wake.done():
                    wake.set_result(None)
        return task.result()

    def _drop_cancelled(self) -> None:
        self._sleepers = [entry for entry in self._sleepers if not entry[2].done()]
        heapq.heapify(self._sleepers)
