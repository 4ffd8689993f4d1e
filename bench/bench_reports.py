"""Latency of the managers' views on a large team: /pipeline, /forecast, /top and /overdue.

Data size: 100,000 deals over 20,000 customers (5 each) and 10 reps, and 20,000 inquiries,
in three currencies with team rates set, inserted in bulk. The commands go through the real
router as the team's admin. Each command runs 3 times; the median time is printed, and last
the slowest median, the figure to keep under one second.

Run: python bench/bench_reports.py [--deals 100000] [--inquiries 20000]
PostgreSQL: set BENCH_DATABASE_URL=postgresql+asyncpg://USER@HOST/DB (the tables are dropped first).

`seed_reports_team` is shared with other report benchmarks (e.g. /stats).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, text

from bot.clock import ManualClock
from bot.config import Settings
from bot.models import Base, Customer, Deal, FxRate, Identity, Inquiry, Member, Role, Stage, Team
from bot.services.customers import name_key
from bot.store import Store, migrate
from bot.transports.base import Incoming
from handlers.routes import build_router

REPS = 10
DEALS_PER_CUSTOMER = 5
COUNTRIES = [("IN", "Asia/Kolkata"), ("DE", "Europe/Berlin"), ("AE", "Asia/Dubai"), ("BR", "America/Sao_Paulo")]
CURRENCIES = ("USD", "EUR", "CNY")
STAGES = (Stage.INQUIRY, Stage.QUOTED, Stage.SAMPLE, Stage.NEGOTIATION, Stage.WON, Stage.LOST)
# The admin's chat identity, for sending commands through the router.
ADMIN_PLATFORM = "bench"
ADMIN_USER_ID = "admin"
# Rows per INSERT statement, so that no single statement exceeds SQLite's variable limit.
BATCH = 5000
NOW = datetime(2026, 12, 10, 2, tzinfo=timezone.utc)
COMMANDS = (
    "/pipeline",
    "/pipeline by rep",
    "/pipeline by market last quarter",
    "/pipeline by month",
    "/forecast",
    "/forecast next quarter",
    "/top 20",
    "/overdue",
)


@dataclass(frozen=True)
class SeededTeam:
    team_id: int
    admin_id: int
    rep_ids: tuple[int, ...]
    customer_ids: tuple[int, ...]


def incoming(command: str) -> Incoming:
    return Incoming(
        platform=ADMIN_PLATFORM, user_id=ADMIN_USER_ID, chat_id=ADMIN_USER_ID, text=command, display_name="Admin", locale="en"
    )


async def _insert(store: Store, model: type[Base], rows: list[dict[str, object]]) -> None:
    async with store.session() as session, session.begin():
        for start in range(0, len(rows), BATCH):
            await session.execute(insert(model), rows[start : start + BATCH])


async def seed_reports_team(store: Store, *, deals: int = 100_000, inquiries: int = 20_000, now: datetime = NOW) -> SeededTeam:
    """Bulk-insert a team: an admin, REPS reps, deals / 5 customers, `deals` deals and `inquiries` inquiries.

    Deals cycle through the stages and currencies; closed ones spread over the last 90 days,
    open ones have close dates over the next 6 months (every 7th has none, every 11th no value).
    Inquiries spread over the last 60 days; two thirds are replied, half of those in time.
    The admin can send commands as incoming(text).
    """
    async with store.session() as session, session.begin():
        team = Team(name="Bench", default_locale="zh_CN", default_zone="Asia/Shanghai", cadence_overrides={}, created_at=now)
        session.add(team)
        await session.flush()
        admin = Member(team_id=team.id, display_name="Admin", role=Role.ADMIN, locale="en", zone="Asia/Shanghai", active=True, digest_hour=9, created_at=now)
        reps = [
            Member(team_id=team.id, display_name=f"Rep {number}", role=Role.REP, locale="en", zone="Asia/Shanghai", active=True, digest_hour=9, created_at=now)
            for number in range(REPS)
        ]
        session.add_all([admin, *reps])
        await session.flush()
        session.add(Identity(member_id=admin.id, platform=ADMIN_PLATFORM, external_id=ADMIN_USER_ID, chat_id=ADMIN_USER_ID, client_locale="en"))
        for currency, rate in (("USD", Decimal("7.1")), ("EUR", Decimal("7.8"))):
            session.add(FxRate(team_id=team.id, currency=currency, base="CNY", rate=rate, set_by=admin.id, set_at=now))
        team_id, admin_id, rep_ids = team.id, admin.id, tuple(rep.id for rep in reps)

    customer_count = max(deals // DEALS_PER_CUSTOMER, 1)
    customer_rows = []
    for number in range(customer_count):
        country, zone = COUNTRIES[number % len(COUNTRIES)]
        name = f"Buyer {number:06d} Trading"
        customer_rows.append(
            dict(
                id=number + 1, team_id=team_id, owner_id=rep_ids[number % REPS], name=name, name_key=name_key(name),
                country=country, zone=zone, tier="ABC"[number % 3], source="b2b", tags=[],
                last_contact_at=now - timedelta(days=number % 45), created_at=now - timedelta(days=200),
            )
        )
    await _insert(store, Customer, customer_rows)

    deal_rows = []
    for number in range(deals):
        customer = number % customer_count
        stage = STAGES[number % len(STAGES)]
        closed = not stage.is_open
        deal_rows.append(
            dict(
                customer_id=customer + 1, owner_id=rep_ids[customer % REPS], product=f"Plate {number % 17}",
                currency=CURRENCIES[number % 3], value=None if number % 11 == 0 else Decimal(1000 + number % 9000),
                qty_is_container=False, stage=stage,
                probability=Decimal("0.3") if number % 4 == 0 and not closed else None,
                close_date=None if number % 7 == 0 else (now + timedelta(days=number % 180)).date(),
                close_reason="bench" if closed else None,
                created_at=now - timedelta(days=120),
                updated_at=now - timedelta(days=number % 90, hours=number % 24),
            )
        )
    await _insert(store, Deal, deal_rows)

    inquiry_rows = []
    for number in range(inquiries):
        customer = number % customer_count
        received = now - timedelta(days=number % 60, minutes=number % 600)
        deadline = received + timedelta(hours=8)
        replied = None if number % 3 == 0 else received + timedelta(hours=2 if number % 2 else 12)
        inquiry_rows.append(
            dict(
                team_id=team_id, customer_id=customer + 1, member_id=rep_ids[customer % REPS], received_at=received,
                product="CTCP plate", deadline_at=deadline, deadline_in_running_day=False, replied_at=replied,
                probe_flags=[], created_at=received,
            )
        )
    await _insert(store, Inquiry, inquiry_rows)
    return SeededTeam(team_id=team_id, admin_id=admin_id, rep_ids=rep_ids, customer_ids=tuple(range(1, customer_count + 1)))


async def time_commands(router, commands: tuple[str, ...], *, runs: int = 3) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Return the median seconds of each command over `runs` runs through the router."""
    medians = {}
    for command in commands:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            replies = await router.handle(incoming(command))
            times.append(time.perf_counter() - started)
            assert replies and "not recognised" not in replies[0].text, (command, replies)
        medians[command] = statistics.median(times)
    return medians


async def _reset_postgres(store: Store) -> None:
    async with store.engine.begin() as connection:
        await connection.run_sync(Base.metadata.drop_all)
        await connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


async def main(deals: int, inquiries: int) -> None:
    logging.disable(logging.INFO)
    postgres_url = os.environ.get("BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory() as folder:
        url = postgres_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        store = Store(url)
        if postgres_url:
            await _reset_postgres(store)
        await migrate(store)
        started = time.perf_counter()
        await seed_reports_team(store, deals=deals, inquiries=inquiries)
        seeded = time.perf_counter() - started
        clock = ManualClock(NOW)
        settings = Settings(url, None, None, "Bench", "zh_CN", "Asia/Shanghai", "WARNING")
        router = build_router(store=store, clock=clock, settings=settings)
        medians = await time_commands(router, COMMANDS)
        await store.dispose()
    backend = "PostgreSQL" if postgres_url else "SQLite"
    print(f"data: {deals} deals, {deals // DEALS_PER_CUSTOMER} customers, {inquiries} inquiries, {REPS} reps, {backend}")
    print(f"seeding: {seeded:.1f} s")
    for command, seconds in medians.items():
        print(f"{command}: {seconds * 1000:.0f} ms")
    print(f"slowest command (median of 3): {max(medians.values()) * 1000:.0f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--inquiries", type=int, default=20_000)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.deals, arguments.inquiries))
