"""Alerts to a team's managers and admins about an audited event, such as a refused export.

An alert is a reminder row per recipient, due at once, so the dispatcher delivers it
with the usual pacing, lease and send-once rules. The row's subject is the audit event,
which reminders/alerts.py reads to compose the message in each recipient's language.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import AuditEvent, Member, Reminder, ReminderStatus
from bot.services.members import MANAGING_ROLES
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
