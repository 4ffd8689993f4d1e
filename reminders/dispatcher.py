"""Plans the daily digests, claims the due ones and delivers each once through a notifier."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from bot.clock import Clock, ManualClock
from bot.i18n import translator
from bot.models import Member, Reminder, ReminderStatus, Team
from bot.services.followups import list_due
from bot.services.members import DIGEST_KIND, effective_locale
from bot.store import Store
from bot.transports.base import Delivery, Notifier
from reminders.calendar import local_date
from reminders.digest import render_followups

logger = logging.getLogger(__name__)

DIGEST = DIGEST_KIND
# A reminder sent this long after its time is marked late (the bot was down or busy).
LATE_AFTER = timedelta(minutes=15)
# A claim is given up after this long, so that another process may send what a dead one held.
CLAIM_LEASE = timedelta(minutes=5)
PLAN_DAYS_AHEAD = 2
CLAIM_BATCH = 100


class Dispatcher:
    """Runs the reminder loop: plan rows, claim the due ones, send, mark sent."""

    def __init__(self, *, store: Store, clock: Clock, notifiers: dict[str, Notifier], worker_id: str) -> None:
        self.store = store
        self.clock = clock
        self.notifiers = notifiers
        self.worker_id = worker_id

    async def plan(self) -> int:
        """Create the digest rows of the coming days for every active member; return how many are new."""
        now = self.clock.now()
        created = 0
        async with self.store.session() as session:
            members = list((await session.execute(select(Member).where(Member.active.is_(True)))).scalars())
            existing = {
                (row.member_id, row.local_date)
                for row in (
                    await session.execute(
                        select(Reminder).where(Reminder.kind == DIGEST, Reminder.due_at >= now - timedelta(days=2))
                    )
                ).scalars()
            }
        for member in members:
            zone = ZoneInfo(member.zone)
            today = now.astimezone(zone).date()
            for offset in range(PLAN_DAYS_AHEAD):
                day = today + timedelta(days=offset)
                if (member.id, day) in existing:
                    continue
                due_local = datetime(day.year, day.month, day.day, member.digest_hour, tzinfo=zone)
                if due_local < member.created_at:
                    # The member joined after today's digest time: the first digest is tomorrow's.
                    continue
                created += await self._insert_reminder(
                    Reminder(
                        kind=DIGEST,
                        subject_id=member.id,
                        member_id=member.id,
                        local_date=day,
                        due_at=due_local.astimezone(ZoneInfo("UTC")),
                        status=ReminderStatus.PENDING,
                        late=False,
                    )
                )
        if created:
            logger.info("reminders planned count=%d worker=%s", created, self.worker_id)
        return created

    async def _insert_reminder(self, reminder: Reminder) -> int:
        # The unique key (kind, subject, member, local date) makes a second planner a no-op.
        try:
            async with self.store.session() as session, session.begin():
                session.add(reminder)
        except IntegrityError:
            return 0
        return 1

    async def _claim(self) -> list[Reminder]:
        now = self.clock.now()
        async with self.store.session() as session, session.begin():
            statement = (
                select(Reminder)
                .where(
                    Reminder.status == ReminderStatus.PENDING,
                    Reminder.due_at <= now,
                    or_(Reminder.claimed_until.is_(None), Reminder.claimed_until < now),
                )
                .order_by(Reminder.due_at, Reminder.id)
                .limit(CLAIM_BATCH)
                .with_for_update(skip_locked=True)
            )
            rows = list((await session.execute(statement)).scalars())
            for row in rows:
                row.claimed_by = self.worker_id
                row.claimed_until = now + CLAIM_LEASE
        return rows

    async def dispatch_due(self) -> int:
        """Send every due reminder once; return how many messages went out."""
        rows = await self._claim()
        if not rows:
            return 0
        sent = 0
        for row in rows:
            sent += await self._send_digest(row)
        return sent

    async def _send_digest(self, row: Reminder) -> int:
        started = time.monotonic()
        now = self.clock.now()
        async with self.store.session() as session:
            member = await session.get(Member, row.member_id)
            is_stale = member is not None and row.local_date != local_date(now, member.zone)
            team = await session.get(Team, member.team_id) if member is not None else None
            items = []
            target = None
            if not is_stale and member is not None and team is not None and member.active:
                items = await list_due(session, member=member, team=team, now=now)
                target = next(
                    (identity for identity in member.identities if identity.platform in self.notifiers), None
                )

        if is_stale:
            # A digest of an earlier day, left over from downtime: today's digest replaces it.
            # Sending only the row of the member's current date also means that two processes
            # racing over old and new rows can never send a member two digests on one day.
            await self._finish([row], ReminderStatus.SKIPPED)
            logger.info("stale digest skipped reminder_id=%s member_id=%s", row.id, row.member_id)
            return 0
        if member is None or team is None or not items or target is None:
            # An empty digest is not sent: a quiet day should not ping the rep.
            await self._finish([row], ReminderStatus.SKIPPED)
            logger.debug("digest skipped reminder_id=%s member_id=%s items=%d", row.id, row.member_id, len(items))
            return 0

        late = now - row.due_at > LATE_AFTER
        t = translator(effective_locale(member, target.client_locale, team))
        header = t.ngettext(
            "Good morning! %(count)s follow-up due today:",
            "Good morning! %(count)s follow-ups due today:",
            len(items),
        )
        if late:
            header = t.gettext("(Late: the bot was offline at the digest time.)") + "\n" + header
        reply = render_followups(items, t=t, rep_zone=member.zone, now=now, header=header)
        delivery = Delivery(platform=target.platform, chat_id=target.chat_id, reply=reply, reminder_ids=(row.id,))
        try:
            await self.notifiers[target.platform].send(delivery)
        except Exception:
            # Leave the row pending; the claim lease expires and a later tick retries it.
            logger.exception("digest send failed reminder_id=%s member_id=%s", row.id, member.id)
            return 0
        await self._finish([row], ReminderStatus.SENT, late=late)
        logger.info(
            "digest sent reminder_id=%s member_id=%s items=%d late=%s in %d ms",
            row.id,
            member.id,
            len(items),
            late,
            (time.monotonic() - started) * 1000,
        )
        return 1

    async def _finish(self, rows: list[Reminder], status: ReminderStatus, *, late: bool = False) -> None:
        if not rows:
            return
        now = self.clock.now()
        async with self.store.session() as session, session.begin():
            for row in rows:
                stored = await session.get(Reminder, row.id)
                if stored is None or stored.claimed_by != self.worker_id:
                    continue
                stored.status = status
                stored.sent_at = now if status == ReminderStatus.SENT else None
                stored.late = late
                stored.claimed_until = None

    async def tick(self) -> int:
        await self.plan()
        return await self.dispatch_due()

    async def run_forever(self, *, interval: float = 60.0) -> None:
        """Wake every `interval` seconds until cancelled."""
        while True:
            try:
                await self.tick()
            except Exception:
                # The loop must survive a database hiccup; the next tick retries.
                logger.exception("dispatcher tick failed worker=%s", self.worker_id)
            await asyncio.sleep(interval)

    async def run_until(self, target: datetime, *, clock: ManualClock) -> int:
        """Move a manual clock to `target`, sending each reminder at its own due time."""
        sent = 0
        while True:
            await self.plan()
            async with self.store.session() as session:
                next_due = await session.scalar(
                    select(Reminder.due_at)
                    .where(
                        Reminder.status == ReminderStatus.PENDING,
                        or_(Reminder.claimed_until.is_(None), Reminder.claimed_until < clock.now()),
                    )
                    .order_by(Reminder.due_at)
                    .limit(1)
                )
            if next_due is not None and next_due <= target:
                if next_due > clock.now():
                    clock.set(next_due)
                sent += await self.dispatch_due()
                continue
            if clock.now() >= target:
                return sent
            # Nothing is planned before the target yet: step a day, so that the next plan
            # looks far enough ahead, rather than jump past digests still to be planned.
            clock.set(min(target, clock.now() + timedelta(days=1)))
