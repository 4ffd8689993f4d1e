"""The audit trail: who read, wrote or exported customer data, when, and through which chat."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import AuditEvent, Member

logger = logging.getLogger(__name__)


async def record(
    session: AsyncSession,
    *,
    actor: Member,
    action: str,
    now: datetime,
    detail: dict[str, object] | None = None,
    platform: str | None = None,
    chat_id: str | None = None,
) -> AuditEvent:
    """Add an audit event in the caller's unit of work, so it commits or rolls back with the change.

    `detail` contains counts and ids, never contact details.
    """
    event = AuditEvent(
        team_id=actor.team_id,
        member_id=actor.id,
        action=action,
        detail=detail or {},
        platform=platform,
        chat_id=chat_id,
        at=now,
    )
    session.add(event)
    await session.flush()
    logger.info("audit event_id=%s action=%s member_id=%s team_id=%s", event.id, action, actor.id, actor.team_id)
    return event
