"""Delivery rate of digests through TelegramNotifier against a fake Bot API that enforces flood limits.

Data size: 2,000 members, each with a private chat and one digest of about 500 characters,
sent with send_many through the real python-telegram-bot to tests/fakes/telegram_api.py on
127.0.0.1, which responds with 429 above 30 messages a second, one a second per chat or 20 a
minute per group. Meanwhile one rep sends a message every 5 seconds and waits for the reply.
Prints the elapsed time, the count of 429 responses, the reply latency, the most messages
in any one second, and the achieved rate as a share of the 30 messages a second ceiling,
the figure last. The rate is measured on the server: messages after the first, divided by
the time from the first arrival to the last.

Run: python bench/bench_delivery.py [--members 2000] [--concurrency 60]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import time
from pathlib import Path

# The fake Bot API lives in tests/fakes, which is not part of the installed distribution.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.transports.base import Delivery, Incoming, Reply  # noqa: E402
from bot.transports.fanout import send_many  # noqa: E402
from bot.transports.telegram import TELEGRAM_LIMITS, TelegramTransport  # noqa: E402
from tests.fakes.telegram_api import FakeTelegramAPI, FloodLimits  # noqa: E402

FIRST_CHAT_ID = 100_001
REP_CHAT_ID = 99
REPLY_EVERY_SECONDS = 5.0
DIGEST_LINE = "{n}. Sharma Print House 印度 A级 · 报价跟进 · 发送时段 11:30–20:30（对方 09:00–18:00）\n"


def digest_text(member: int) -> str:
    header = f"早上好！今天有 6 位客户要跟进（成员 {member}）：\n"
    return header + "".join(DIGEST_LINE.format(n=number) for number in range(1, 7))


def max_in_window(instants: list[float], window: float) -> int:
    """Return the maximum number of instants in any half-open window [t, t + window)."""
    ordered = sorted(instants)
    maximum = 0
    end = 0
    for start, instant in enumerate(ordered):
        while end < len(ordered) and ordered[end] < instant + window:
            end += 1
        maximum = max(maximum, end - start)
    return maximum


async def echo(incoming: Incoming) -> list[Reply]:
    return [Reply(text=f"收到：{incoming.text}")]


async def measure_replies(api: FakeTelegramAPI, fan_out: asyncio.Task[object]) -> list[float]:
    """Send a rep's message every few seconds during the fan-out; return each reply's latency."""
    latencies = []
    number = 0
    while not fan_out.done():
        number += 1
        pushed_at = time.monotonic()
        api.push_text(REP_CHAT_ID, f"/today {number}", language_code="zh-hans")
        await api.wait_for_messages(number, chat_id=REP_CHAT_ID, timeout=30.0)
        latencies.append(time.monotonic() - pushed_at)
        await asyncio.wait([fan_out], timeout=REPLY_EVERY_SECONDS)
    return latencies


async def main(members: int, concurrency: int) -> None:
    logging.disable(logging.WARNING)
    deliveries = [
        Delivery(platform="telegram", chat_id=str(FIRST_CHAT_ID + member), reply=Reply(text=digest_text(member)))
        for member in range(members)
    ]
    async with FakeTelegramAPI(max_poll_wait=1.0, flood_limits=FloodLimits()) as api:
        transport = TelegramTransport(token=api.token, handler=echo, base_url=api.base_url, polling_timeout=1)
        await transport.start()
        try:
            started = time.monotonic()
            fan_out = asyncio.create_task(send_many(transport.notifier, deliveries, concurrency=concurrency))
            latencies = await measure_replies(api, fan_out)
            results = await fan_out
            elapsed = time.monotonic() - started
        finally:
            await transport.stop()

    failed = sum(1 for result in results if not result.sent)
    delivered_chats = {str(message["chat_id"]) for message in api.sent_messages()} - {str(REP_CHAT_ID)}
    ceiling = TELEGRAM_LIMITS.messages_per_second
    assert ceiling is not None
    # Digests and replies share the global rate, so both count.
    arrivals = [call.received_at for call in api.calls_to("sendMessage") if call.ok]
    sent = len(arrivals)
    rate = (sent - 1) / (max(arrivals) - min(arrivals))
    characters = len(digest_text(0))
    print(
        f"data: {members} members in {members} private chats, one digest of {characters} characters each, "
        f"concurrency {concurrency}, Python {sys.version.split()[0]}"
    )
    print(f"elapsed: {elapsed:.1f} s for {sent} messages ({len(latencies)} of them replies)")
    print(f"chats reached: {len(delivered_chats)} of {members}, failed deliveries: {failed}")
    print(f"429 responses: {api.flood_error_count}")
    print(f"reply latency during the fan-out: median {statistics.median(latencies) * 1000:.0f} ms, "
          f"max {max(latencies) * 1000:.0f} ms")
    print(f"most messages in any 1 s: {max_in_window(arrivals, 1.0)}")
    print(f"messages per second: {rate:.2f}")
    print(f"share of the {ceiling:.0f} messages a second ceiling: {rate / ceiling:.1%}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2_000)
    parser.add_argument("--concurrency", type=int, default=60)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.members, arguments.concurrency))
