"""Concurrent sending of many deliveries through one notifier, with one result each."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from bot.transports.base import Delivery, DeliveryUnknown, Notifier

# Enough sends in flight to keep Telegram's 30 messages a second going while some of them
# wait for a chat's one-second interval (a digest split into parts) or a slow response:
# about two seconds of the global rate. More only lengthens the queue in the limiter.
DEFAULT_CONCURRENCY = 60


@dataclass(frozen=True)
class DeliveryResult:
    """The outcome of one delivery: sent when `error` is None, else failed or unknown."""

    delivery: Delivery
    error: Exception | None = None

    @property
    def sent(self) -> bool:
        return self.error is None

    @property
    def unknown(self) -> bool:
        """Whether the message may have been delivered, so it must not be resent."""
        return isinstance(self.error, DeliveryUnknown)


async def send_many(
    notifier: Notifier,
    deliveries: Sequence[Delivery],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> list[DeliveryResult]:
    """Send `deliveries` with at most `concurrency` in flight; return their results in order.

    The notifier paces the sends, so this only bounds how many wait at once. An error
    of one delivery is stored in its result and does not stop the others. The caller
    logs the failures with its own ids, such as the reminder ids.
    """
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, got {concurrency}")
    results: list[DeliveryResult | None] = [None] * len(deliveries)
    pending = iter(range(len(deliveries)))

    async def work() -> None:
        # Each worker takes the next index, so the deliveries start in their given order.
        for index in pending:
            delivery = deliveries[index]
            try:
                await notifier.send(delivery)
            except Exception as error:
                results[index] = DeliveryResult(delivery, error)
            else:
                results[index] = DeliveryResult(delivery)

    async with asyncio.TaskGroup() as group:
        for _ in range(min(concurrency, len(deliveries))):
            group.create_task(work())
    return [result for result in results if result is not None]
