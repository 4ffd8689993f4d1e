"""Throughput of the message path: router, handlers, services and SQLite (or DATABASE_URL).

Data size: 10,000 customers spread over 10 reps (1,000 each, with one contact and one deal
per customer); 1,000 messages from one rep, a mix of /card, /find, /log, /deal, /done,
/snooze and /today. Prints messages per second and the p99 latency, the figure last.

Run: python bench/bench_handlers.py [--customers 10000] [--messages 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import statistics
import tempfile
import time
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select

from bot.clock import ManualClock
from bot.config import Settings
from bot.models import Contact, Customer, Deal, Member, Stage
from bot.services.customers import name_key
from bot.services.invites import find_code
from bot.store import Store, migrate
from bot.transports.base import Incoming
from handlers.routes import build_router

REPS = 10
COUNTRIES = [("IN", "Asia/Kolkata"), ("DE", "Europe/Berlin"), ("AE", "Asia/Dubai"), ("BR", "America/Sao_Paulo")]


def incoming(user_id: str, text: str) -> Incoming:
    return Incoming(platform="bench", user_id=user_id, chat_id=user_id, text=text, display_name=user_id, locale="en")


async def seed(store: Store, router, customers: int) -> None:  # type: ignore[no-untyped-def]
    # The first member is the admin; the others join with an invitation each, as reps do.
    await router.handle(incoming("rep0", "/start"))
    for rep in range(1, REPS):
        (invitation,) = await router.handle(incoming("rep0", "/invite rep"))
        code = find_code(invitation.text)
        await router.handle(incoming(f"rep{rep}", f"/start {code}"))
    async with store.session() as session:
        members = list((await session.execute(select(Member).order_by(Member.id))).scalars())
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    customer_rows, contact_rows, deal_rows = [], [], []
    for number in range(customers):
        member = members[number % REPS]
        country, zone = COUNTRIES[number % len(COUNTRIES)]
        name = f"Buyer {number:05d} Trading"
        customer_rows.append(
            dict(
                id=number + 1, team_id=member.team_id, owner_id=member.id, name=name, name_key=name_key(name),
                country=country, zone=zone, tier="ABC"[number % 3], source="b2b", tags=[],
                last_contact_at=now, created_at=now,
            )
        )
        contact_rows.append(dict(customer_id=number + 1, name=f"Contact {number}", email=f"c{number}@buyer{number}.com"))
        deal_rows.append(
            dict(
                customer_id=number + 1, owner_id=member.id, product="CTCP plate", currency="USD",
                unit_price=Decimal("2.5"), qty_amount=Decimal(1000 + number), qty_unit="sqm",
                qty_is_container=False, stage=Stage.QUOTED, created_at=now, updated_at=now,
            )
        )
    async with store.session() as session, session.begin():
        await session.execute(insert(Customer), customer_rows)
        await session.execute(insert(Contact), contact_rows)
        await session.execute(insert(Deal), deal_rows)


def messages_for(rep: int, count: int, customers: int) -> list[str]:
    own = [number for number in range(customers) if number % REPS == rep]
    generator = random.Random(7)
    templates = [
        "/card Buyer {n:05d}",
        "/find {n:05d}",
        "/log Buyer {n:05d} Trading email sent the price list",
        "/deal Buyer {n:05d} Trading 产品: CTCP plate 价格: USD 2.4 FOB Shanghai",
        "/done Buyer {n:05d} Trading",
        "/snooze Buyer {n:05d} Trading 3d",
        "/today",
    ]
    return [generator.choice(templates).format(n=generator.choice(own)) for _ in range(count)]


async def main(customers: int, count: int) -> None:
    logging.disable(logging.INFO)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        store = Store(url)
        await migrate(store)
        clock = ManualClock(datetime(2026, 12, 10, 2, tzinfo=timezone.utc))
        settings = Settings(url, None, None, "Bench", "zh_CN", "Asia/Shanghai", "WARNING")
        router = build_router(store=store, clock=clock, settings=settings)
        await seed(store, router, customers)
        latencies = []
        started = time.perf_counter()
        for text in messages_for(0, count, customers):
            before = time.perf_counter()
            replies = await router.handle(incoming("rep0", text))
            latencies.append(time.perf_counter() - before)
            assert replies, text
        elapsed = time.perf_counter() - started
        await store.dispose()
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000
    print(f"data: {customers} customers over {REPS} reps, {count} messages from one rep, SQLite")
    print(f"median latency: {statistics.median(latencies) * 1000:.1f} ms")
    print(f"p99 latency: {p99:.1f} ms")
    print(f"messages per second: {count / elapsed:.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=1_000)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.customers, arguments.messages))
