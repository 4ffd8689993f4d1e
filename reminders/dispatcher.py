"""Plans reminder rows, claims the due ones and delivers each once through a notifier.

Delivery guarantee: each row is sent once, with two exceptions. A process that dies after
the platform accepted a message but before the row is marked sent leaves the row to be
sent again after its lease. A send whose outcome is unknown (a timeout after the request
left) is marked so and never resent, because the message may have arrived, so it may be
lost. A send that failed is retried after the lease until the row's grace window passes,
unless the platform rejected it for good (`DeliveryRejected`: the chat is gone or blocks
the bot): such a row is marked failed at once, and a channel's team digest subscription
that is rejected so is dropped.
Rows are claimed under a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL), so two processes
never hold one row at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timedelta

from sqlalchemy import or_, select

from bot.clock import Clock, ManualClock
from bot.models import Reminder, ReminderStatus
from bot.services.channels import TEAM_DIGEST_KIND, drop_rejected_subscription
from bot.services.pool import plan_pool_warnings, release_idle_customers
from bot.store import Store
from bot.transports.base import DeliveryRejected, Notifier
from bot.transports.fanout import DEFAULT_CONCURRENCY, DeliveryResult, send_many
from reminders.composer import COMPOSERS, DIGEST_GRACE, ComposeContext, Composed
from reminders.scheduling import plan_rows

logger = logging.getLogger(__name__)

# A claim is given up after this long, so that another process may send what a dead one held.
CLAIM_LEASE = timedelta(minutes=5)
CLAIM_BATCH = 100
# Sends in flight at once. The notifier paces them within the platform's limits; this
# only keeps one slow chat from holding up the others.
SEND_CONCURRENCY = DEFAULT_CONCURRENCY


class Dispatcher:
    """Runs the reminder loop: plan rows, claim the due ones, send, mark sent."""

    def __init__(
        self,
        *,
        store: Store,
        clock: Clock,
        notifiers: dict[str, Notifier],
        worker_id: str,
        digest_grace: timedelta = DIGEST_GRACE,
    ) -> None:
        self.store = store
        self.clock = clock
        self.notifiers = notifiers
        self.worker_id = worker_id
        self.digest_grace = digest_grace

    async def plan(self) -> int:
        """Release idle customers to the pool, then create the missing rows; return how many are new."""
        now = self.clock.now()
        await release_idle_customers(self.store, now=now)
        created = await plan_rows(self.store, now=now)
        created += await plan_pool_warnings(self.store, now=now)
        if created:
            logger.info("reminders planned count=%d worker=%s", created, self.worker_id)
        return created

    async def claim(self) -> list[Reminder]:
        """Claim up to CLAIM_BATCH due rows under a lease, oldest first."""
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
        total = 0
        while rows := await self.claim():
            total += await self._dispatch_batch(rows)
            if len(rows) < CLAIM_BATCH:
                break
        return total

    async def _dispatch_batch(self, rows: list[Reminder]) -> int:
        started = time.monotonic()
        context = ComposeContext(now=self.clock.now(), platforms=self.notifiers.keys(), digest_grace=self.digest_grace)
        ready: list[tuple[Reminder, Composed]] = []
        for row in rows:
            composed = await self._compose(row, context)
            if composed.delivery is None:
                await self._finish(row, ReminderStatus.SKIPPED)
                logger.info(
                    "reminder skipped reminder_id=%s kind=%s member_id=%s reason=%s",
                    row.id,
                    row.kind,
                    row.member_id,
                    composed.skip_reason,
                )
            else:
                ready.append((row, composed))

        sent = 0
        # Composing reads the database one row at a time; sending goes out concurrently, paced
        # by each platform's notifier.
        for platform in sorted({composed.delivery.platform for _row, composed in ready if composed.delivery}):
            batch = [(row, composed) for row, composed in ready if composed.delivery and composed.delivery.platform == platform]
            deliveries = [composed.delivery for _row, composed in batch if composed.delivery]
            results = await send_many(self.notifiers[platform], deliveries, concurrency=SEND_CONCURRENCY)
            for (row, composed), result in zip(batch, results):
                sent += await self._record(row, composed, result)
        if rows:
            logger.info(
                "reminder batch done claimed=%d sent=%d worker=%s in %d ms",
                len(rows),
                sent,
                self.worker_id,
                (time.monotonic() - started) * 1000,
            )
        return sent

    async def _compose(self, row: Reminder, context: ComposeContext) -> Composed:
        composer = COMPOSERS.get(row.kind)
        if composer is None:
            return Composed(delivery=None, skip_reason=f"unknown kind {row.kind}")
        async with self.store.session() as session:
            return await composer(session, row, context)

    async def _record(self, row: Reminder, composed: Composed, result: DeliveryResult) -> int:
        """Mark the row by the send's outcome; return 1 when the message went out."""
        if result.unknown:
            await self._finish(row, ReminderStatus.UNKNOWN)
            logger.warning(
                "reminder outcome unknown, not resent reminder_id=%s kind=%s member_id=%s chat_id=%s",
                row.id,
                row.kind,
                row.member_id,
                result.delivery.chat_id,
            )
            return 0
        if isinstance(result.error, DeliveryRejected):
            await self._reject(row, result.error)
            return 0
        if result.error is not None:
            # Leave the row pending; the claim lease expires and a later tick retries it.
            logger.warning(
                "reminder send failed, retried after the lease reminder_id=%s kind=%s member_id=%s error=%r",
                row.id,
                row.kind,
                row.member_id,
                result.error,
            )
            return 0
        await self._finish(row, ReminderStatus.SENT, late=composed.late)
        logger.info(
            "reminder sent reminder_id=%s kind=%s member_id=%s late=%s",
            row.id,
            row.kind,
            row.member_id,
            composed.late,
        )
        return 1

    async def _reject(self, row: Reminder, error: DeliveryRejected) -> None:
        """Mark a rejected row failed; a rejected team digest also ends its channel's subscription."""
        await self._finish(row, ReminderStatus.FAILED)
        logger.warning(
            "reminder rejected for good, not retried reminder_id=%s kind=%s member_id=%s error=%s",
            row.id,
            row.kind,
            row.member_id,
            error,
        )
        if row.kind == TEAM_DIGEST_KIND:
            async with self.store.session() as session, session.begin():
                await drop_rejected_subscription(session, subscription_id=row.subject_id, reason=str(error))

    async def _finish(self, row: Reminder, status: ReminderStatus, *, late: bool = False) -> None:
        now = self.clock.now()
        async with self.store.session() as session, session.begin():
            stored = await session.get(Reminder, row.id, with_for_update=True)
            if stored is None or stored.claimed_by != self.worker_id or stored.status != ReminderStatus.PENDING:
                # Another process took the row over after our lease ran out, so its outcome is kept.
                return
            stored.status = status
            stored.sent_at = now if status in (ReminderStatus.SENT, ReminderStatus.UNKNOWN) else None
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
