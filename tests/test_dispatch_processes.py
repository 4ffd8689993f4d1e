"""Real processes on one database: each reminder is sent once, even across a crash."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.clock import ManualClock
from bot.models import Customer, Identity, Member, Reminder, ReminderStatus, Role, Team
from bot.store import Store
from reminders.dispatcher import CLAIM_LEASE, Dispatcher
from tests.dispatch_worker import PLATFORM, FileNotifier

ROOT = Path(__file__).resolve().parent.parent


def midday_zone(now: datetime) -> str:
    """Return a fixed-offset zone where it is about noon, so no test row crosses midnight."""
    offset = max(-12, min(14, 12 - now.hour))
    # POSIX-style Etc zones count the other way round: Etc/GMT-3 is UTC+3.
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


async def seed_due_digests(store: Store, *, count: int, now: datetime, platform: str = PLATFORM) -> list[int]:
    """Create `count` members, each with one due customer and a digest row due a minute ago.

    Member number N is reached in chat 10001 + N on `platform`.
    """
    zone = midday_zone(now)
    today = now.astimezone(ZoneInfo(zone)).date()
    async with store.session() as session, session.begin():
        team = Team(name="Process team", default_locale="en", default_zone=zone, cadence_overrides={}, created_at=now)
        session.add(team)
        await session.flush()
        members = [
            Member(
                team_id=team.id,
                display_name=f"rep{number}",
                role=Role.REP,
                locale="en",
                zone=zone,
                active=True,
                digest_hour=9,
                # The wall clock may fall on a weekend or a Chinese holiday, the team's days off.
                digest_on_holidays=True,
                created_at=now - timedelta(days=30),
            )
            for number in range(count)
        ]
        session.add_all(members)
        await session.flush()
        for number, member in enumerate(members):
            chat_id = str(10_001 + number)
            session.add(Identity(member_id=member.id, platform=platform, external_id=chat_id, chat_id=chat_id))
            session.add(
                Customer(
                    team_id=team.id,
                    owner_id=member.id,
                    name=f"Buyer {number}",
                    name_key=f"buyer {number}",
                    country="PL",
                    zone="Europe/Warsaw",
                    tier="A",
                    last_contact_at=now - timedelta(days=10),
                    created_at=now - timedelta(days=10),
                )
            )
        rows = [
            Reminder(
                kind="digest",
                subject_id=member.id,
                member_id=member.id,
                local_date=today,
                due_at=now - timedelta(minutes=1),
                status=ReminderStatus.PENDING,
                late=False,
            )
            for member in members
        ]
        session.add_all(rows)
        await session.flush()
        return [row.id for row in rows]


def start_worker(store: Store, worker: str, output: Path, *mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.dispatch_worker", store.url, worker, str(output), *mode],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


async def test_two_processes_send_each_once(store: Store, tmp_path: Path) -> None:
    if not store.url.startswith("postgresql"):
        pytest.skip("two writers at once need PostgreSQL; SQLite serves one process")
    ids = await seed_due_digests(store, count=1000, now=datetime.now(timezone.utc))
    outputs = [tmp_path / "w1.txt", tmp_path / "w2.txt"]
    workers = [start_worker(store, f"w{index + 1}", output) for index, output in enumerate(outputs)]
    for worker in workers:
        _stdout, stderr = worker.communicate(timeout=240)
        assert worker.returncode == 0, stderr[-2000:]

    sent = [int(line) for output in outputs if output.exists() for line in output.read_text().split()]
    assert len(sent) == 1000
    assert sorted(sent) == sorted(ids)
    # Both processes took part, so the rows were really contended.
    assert all(output.exists() and output.read_text().strip() for output in outputs)
    async with store.session() as session:
        pending = await session.scalar(
            select(func.count(Reminder.id)).where(Reminder.status != ReminderStatus.SENT)
        )
    assert pending == 0


async def test_crash_after_claim_sends_after_lease(store: Store, tmp_path: Path) -> None:
    now = datetime.now(timezone.utc)
    (reminder_id,) = await seed_due_digests(store, count=1, now=now)
    crashed = start_worker(store, "doomed", tmp_path / "doomed.txt", "crash-after-claim")
    stdout, stderr = crashed.communicate(timeout=60)
    assert crashed.returncode == -9, stderr[-2000:]
    assert stdout.strip() == "1"
    assert not (tmp_path / "doomed.txt").exists()

    output = tmp_path / "survivor.txt"
    clock = ManualClock(now + timedelta(seconds=30))
    survivor = Dispatcher(store=store, clock=clock, notifiers={PLATFORM: FileNotifier(output)}, worker_id="survivor")
    # Inside the dead process's lease the row stays claimed.
    assert await survivor.dispatch_due() == 0
    clock.set(now + CLAIM_LEASE + timedelta(minutes=1))
    assert await survivor.dispatch_due() == 1
    assert output.read_text().split() == [str(reminder_id)]
    # Sent is final: later runs send nothing more.
    clock.advance(CLAIM_LEASE * 3)
    assert await survivor.dispatch_due() == 0
    assert output.read_text().split() == [str(reminder_id)]
