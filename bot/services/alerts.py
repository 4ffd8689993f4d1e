"""Alerts to a team's managers and admins about an audited event, such as a refused export.

An alert is a reminder row per recipient, due at once, so the dispatcher delivers it
with the usual pacing, lease and send-once rules. The row's subject is the audit event,
which reminders/alerts.py reads to compose the message in each recipient's language.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import AuditEvent, Member, Reminder, ReminderStatus, Team
from bot.services.audit import CARD_READ_ACTION, count_actions, record
from bot.services.members import MANAGING_ROLES, is_manager
from reminders.calendar import local_date

logger = logging.getLogger(__name__)

# The reminder kind of an alert. Its subject_id is the audit event id.
ALERT_KIND = "alert"


async def alert_managers(session: AsyncSession, *, event: AuditEvent, now: datetime) -> list[Reminder]:
    """Queue an alert about `event` for every active admin and manager of its team, due now.

    The member who caused the event gets no alert about it. Returns the new rows.
    """
    statement = (
        select(Member)
        .where(
            Member.team_id == event.team_id,
            Member.active.is_(True),
            Member.role.in_(MANAGING_ROLES),
            Member.id != event.member_id,
        )
        .order_by(Member.id)
    )
    recipients = list((await session.execute(statement)).scalars())
    rows = [
        Reminder(
            kind=ALERT_KIND,
            subject_id=event.id,
            member_id=recipient.id,
            local_date=local_date(now, recipient.zone),
            due_at=now,
            status=ReminderStatus.PENDING,
            late=False,
        )
        for recipient in recipients
    ]
    session.add_all(rows)
    await session.flush()
    if not rows:
        # A team without admins or managers gets no alert, but the audit event still records the action.
        logger.warning("alert has no recipients event_id=%s team_id=%s", event.id, event.team_id)
    else:
        logger.info(
            "alert queued event_id=%s action=%s recipients=%s",
            event.id,
            event.action,
            ",".join(str(recipient.id) for recipient in recipients),
        )
    return rows


# The audit action of a bulk-read alert, and the window its threshold counts in.
BULK_READ_ACTION = "bulk_read"
BULK_READ_WINDOW = timedelta(hours=1)


async def check_bulk_read(
    session: AsyncSession,
    *,
    actor: Member,
    team: Team,
    now: datetime,
    platform: str | None,
    chat_id: str | None,
) -> AuditEvent | None:
    """Alert the managers when a rep read more cards within the last hour than the team allows.

    One alert per window: after an alert, the rep's reads raise no other until an hour has
    passed. Admins and managers read the whole team's cards by role and are not counted.
    Returns the "bulk_read" audit event when an alert was queued.
    """
    if is_manager(actor):
        return None
    since = now - BULK_READ_WINDOW
    reads = await count_actions(session, member=actor, action=CARD_READ_ACTION, since=since)
    if reads <= team.bulk_read_limit:
        return None
    if await count_actions(session, member=actor, action=BULK_READ_ACTION, since=since):
        return None
    event = await record(
        session,
        actor=actor,
        action=BULK_READ_ACTION,
        now=now,
        detail={"count": reads, "limit": team.bulk_read_limit},
        platform=platform,
        chat_id=chat_id,
    )
    await alert_managers(session, event=event, now=now)
    logger.warning("bulk read alert member_id=%s reads=%s limit=%s", actor.id, reads, team.bulk_read_limit)
    return event
