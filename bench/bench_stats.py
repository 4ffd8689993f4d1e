"""Latency of /stats and /stats chart on a large team, through the router and SQLite (or DATABASE_URL).

Data size: 3 reps and an admin, 10,000 customers, 100,000 deals (10 per customer, in
USD, EUR and CNY), 20,000 inquiries over the last 90 days (a fifth still open) and
30,000 interactions. Each command runs 5 times; the median and the maximum are printed.
A chat stays interactive when the maximum is under one second.

Run: python bench/bench_stats.py [--customers 10000] [--deals 100000] [--inquiries 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select

from bot.clock import ManualClock
from bot.config import Settings
from bot.models import Customer, Deal, Inquiry, Interaction, Member, Role, Stage
from bot.services.customers import name_key
from bot.store import Store, migrate
from bot.transports.base import Incoming
from handlers.routes import build_router

REPS = 3
RUNS = 5
NOW = datetime(2026, 12, 7, 2, 0, tzinfo=timezone.utc)
COUNTRIES = [("IN", "Asia/Kolkata"), ("DE", "Europe/Berlin"), ("US", "America/New_York")]
CURRENCIES = ["USD", "EUR", "CNY"]
STAGES = list(Stage)


def incoming(user_id: str, text: str) -> Incoming:
    return Incoming(platform="bench", user_id=user_id, chat_id=user_id, text=text, display_name=user_id, locale="en")


async def seed(store: Store, router, *, customers: int, deals: int, inquiries: int) -> None:  # type: ignore[no-untyped-def]
    # The first member to /start is the team's admin. Reps join by invitation, which the
    # benchmark skips: they send no message, so they are inserted directly.
    await router.handle(incoming("admin", "/start"))
    async with store.session() as session, session.begin():
        admin = (await session.execute(select(Member))).scalar_one()
        team_id = admin.team_id
        await session.execute(
            insert(Member),
            [
                dict(team_id=team_id, display_name=f"rep{rep}", role=Role.REP, zone="Asia/Shanghai", active=True,
                     digest_hour=9, created_at=NOW)
                for rep in range(REPS)
            ],
        )
        reps = list((await session.execute(select(Member).where(Member.role == Role.REP).order_by(Member.id))).scalars())
    rng = random.Random(7)
    start = NOW - timedelta(days=90)

    customer_rows = []
    for number in range(customers):
        country, zone = COUNTRIES[number % len(COUNTRIES)]
        name = f"Buyer {number:05d}"
        created = start + timedelta(hours=rng.randrange(0, 90 * 24))
        customer_rows.append(
            dict(
                id=number + 1, team_id=team_id, owner_id=reps[number % REPS].id, name=name, name_key=name_key(name),
                country=country, zone=zone, tier="ABC"[number % 3], source="b2b", tags=[],
                last_contact_at=created, created_at=created,
            )
        )
    deal_rows = [
        dict(
            customer_id=number % customers + 1, owner_id=reps[number % customers % REPS].id, product=f"plate {number}",
            stage=STAGES[number % len(STAGES)], currency=CURRENCIES[number % 3], value=Decimal(1000 + number % 5000),
            qty_is_container=False, created_at=start, updated_at=start,
        )
        for number in range(deals)
    ]
    inquiry_rows = []
    for number in range(inquiries):
        received = start + timedelta(minutes=rng.randrange(0, 90 * 24 * 60))
        replied = None if number % 5 == 0 else received + timedelta(minutes=rng.randrange(10, 48 * 60))
        inquiry_rows.append(
            dict(
                team_id=team_id, customer_id=number % customers + 1, member_id=reps[number % REPS].id,
                received_at=received, deadline_at=received + timedelta(hours=rng.randrange(1, 30)),
                replied_at=replied, deadline_in_running_day=False, probe_flags=[], created_at=received,
            )
        )
    interaction_rows = [
        dict(
            customer_id=number % customers + 1, member_id=reps[number % customers % REPS].id, kind="email",
            text="bench", at=start + timedelta(hours=rng.randrange(0, 90 * 24)),
        )
        for number in range(3 * customers)
    ]
    async with store.session() as session, session.begin():
        await session.execute(insert(Customer), customer_rows)
        for table, rows in ((Deal, deal_rows), (Inquiry, inquiry_rows), (Interaction, interaction_rows)):
            for offset in range(0, len(rows), 5000):
                await session.execute(insert(table), rows[offset : offset + 5000])


async def time_command(router, text: str) -> list[float]:  # type: ignore[no-untyped-def]
    durations = []
    for _ in range(RUNS):
        began = time.perf_counter()
        replies = await router.handle(incoming("admin", text))
        durations.append(time.perf_counter() - began)
        assert replies and "Only admins" not in replies[0].text, replies[0].text
    return durations


async def main(arguments: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as directory:
        url = arguments.database_url or f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"
        store = Store(url)
        await migrate(store)
        settings = Settings(
            database_url=url, telegram_token=None, telegram_base_url=None, team_name="Bench",
            default_locale="zh_CN", default_zone="Asia/Shanghai", log_level="WARNING",
        )
        router = build_router(store=store, clock=ManualClock(NOW), settings=settings)
        began = time.perf_counter()
        await seed(store, router, customers=arguments.customers, deals=arguments.deals, inquiries=arguments.inquiries)
        print(f"seeded {arguments.customers} customers, {arguments.deals} deals, {arguments.inquiries} inquiries "
              f"in {time.perf_counter() - began:.1f} s ({url.split(':')[0]})")
        for command in ("/stats last 90 days", "/stats chart last 90 days"):
            durations = await time_command(router, command)
            print(f"{command:30s} median {statistics.median(durations) * 1000:7.0f} ms   max {max(durations) * 1000:7.0f} ms")
        await store.dispose()


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--inquiries", type=int, default=20_000)
    parser.add_argument("--database-url", default=None)
    asyncio.run(main(parser.parse_args()))
