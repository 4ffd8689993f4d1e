"""The audit trail: who read, wrote or exported customer data, when, and through which chat.

The log is append-only. No service changes or deletes an event, and migration 0007 adds
database triggers that reject UPDATE and DELETE on audit_events.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import TracebackType

from sqlalchemy import event as sa_event, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from bot.errors import AccessDenied, NotFound, ParseError
from bot.i18n import N_
from bot.models import (
    AuditEvent,
    Conversation,
    Customer,
    Identity,
    Member,
    Reminder,
    Team,
)
from bot.services.members import is_manager

logger = logging.getLogger(__name__)

# Actions recorded by this module; other services add their own (export, import, calendar_*).
CARD_READ_ACTION = "card_read"
SEARCH_ACTION = "search"
WRITE_ACTION = "write"
AUDIT_READ_ACTION = "audit_read"

# /audit shows at most this many events, newest first, and looks back at most this far.
AUDIT_SHOWN = 50
AUDIT_DEFAULT_DAYS = 7
AUDIT_MAX_DAYS = 366
# A search event keeps at most this many customer ids; the count is always whole.
MAX_IDS_PER_EVENT = 200

# Rows a message writes that are bookkeeping rather than data: not audited as writes.
_NOT_AUDITED = (AuditEvent, Conversation, Identity, Reminder)


async def record(
    session: AsyncSession,
    *,
    actor: Member,
    action: str,
    now: datetime,
    detail: dict[str, object] | None = None,
    platform: str | None = None,
    chat_id: str | None = None,
    customer_id: int | None = None,
    command: str | None = None,
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
        customer_id=customer_id,
        command=command,
        at=now,
    )
    session.add(event)
    await session.flush()
    logger.info(
        "audit event_id=%s action=%s member_id=%s team_id=%s customer_id=%s",
        event.id,
        action,
        actor.id,
        actor.team_id,
        customer_id,
    )
    return event


async def record_search(
    session: AsyncSession,
    *,
    actor: Member,
    customer_ids: list[int],
    now: datetime,
    platform: str | None,
    chat_id: str | None,
    command: str,
) -> AuditEvent:
    """Record which customers a listing showed; the search text is not kept (it may be an email)."""
    return await record(
        session,
        actor=actor,
        action=SEARCH_ACTION,
        now=now,
        detail={"customer_ids": customer_ids[:MAX_IDS_PER_EVENT], "count": len(customer_ids)},
        platform=platform,
        chat_id=chat_id,
        command=command,
    )


async def count_actions(session: AsyncSession, *, member: Member, action: str, since: datetime) -> int:
    """Count the member's events of one action after `since`."""
    statement = select(func.count(AuditEvent.id)).where(
        AuditEvent.member_id == member.id, AuditEvent.action == action, AuditEvent.at > since
    )
    return int(await session.scalar(statement) or 0)


@dataclass
class WriteTracker:
    """Collects what a unit of work writes, from the session's flushes, while it is entered.

    `audited` tells whether the unit of work recorded its own audit event (an import, an
    export, a claim), which then stands for its writes.
    """

    session: AsyncSession
    tables: set[str] = field(default_factory=set)
    customer_ids: set[int] = field(default_factory=set)
    audited: bool = False

    def __enter__(self) -> WriteTracker:
        sa_event.listen(self.session.sync_session, "after_flush", self._after_flush)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        sa_event.remove(self.session.sync_session, "after_flush", self._after_flush)

    def _after_flush(self, session: Session, _context: object) -> None:
        # After a flush the new, dirty and deleted sets still show what the flush wrote.
        changed = list(session.new) + [obj for obj in session.dirty if session.is_modified(obj)] + list(session.deleted)
        for obj in changed:
            if isinstance(obj, AuditEvent):
                self.audited = True
                continue
            if isinstance(obj, _NOT_AUDITED):
                continue
            self.tables.add(obj.__tablename__)
            customer_id = obj.id if isinstance(obj, Customer) else getattr(obj, "customer_id", None)
            if isinstance(customer_id, int):
                self.customer_ids.add(customer_id)

    @property
    def wrote(self) -> bool:
        return bool(self.tables)


async def record_writes(
    session: AsyncSession,
    *,
    actor: Member,
    tracker: WriteTracker,
    command: str,
    now: datetime,
    platform: str | None,
    chat_id: str | None,
) -> AuditEvent | None:
    """Record one "write" event for what a command wrote, unless it audited itself."""
    if not tracker.wrote or tracker.audited:
        return None
    customer_ids = sorted(tracker.customer_ids)
    return await record(
        session,
        actor=actor,
        action=WRITE_ACTION,
        now=now,
        detail={"tables": sorted(tracker.tables), "customer_ids": customer_ids[:MAX_IDS_PER_EVENT]},
        platform=platform,
        chat_id=chat_id,
        customer_id=customer_ids[0] if len(customer_ids) == 1 else None,
        command=command,
    )


async def find_team_member(session: AsyncSession, *, team: Team, text: str) -> Member:
    """Find a member of `team` by '#id', '@name' or display name (case-insensitive).

    Raises:
        NotFound: no member, or several, have that name.
    """
    query = text.strip().lstrip("@").strip()
    if not query:
        raise ParseError(N_("Whose audit log? Write e.g. /audit @Li 7."))
    members = list((await session.execute(select(Member).where(Member.team_id == team.id).order_by(Member.id))).scalars())
    if query.startswith("#") and query[1:].isdigit():
        matches = [member for member in members if member.id == int(query[1:])]
    else:
        folded = query.casefold()
        matches = [member for member in members if member.display_name.casefold() == folded]
        if not matches:
            matches = [member for member in members if member.display_name.casefold().startswith(folded)]
        if not matches:
            matches = [
                member
                for member in members
                if any(identity.external_id.casefold() == folded for identity in member.identities)
            ]
    if len(matches) != 1:
        raise NotFound(N_("No single member of your team is called '%(query)s'. Write the name as /start showed it, or #ID."), query=query)
    return matches[0]


def parse_days(text: str | None) -> int:
    """Read the look-back of /audit in days: 1 to AUDIT_MAX_DAYS, default AUDIT_DEFAULT_DAYS."""
    if text is None:
        return AUDIT_DEFAULT_DAYS
    value = text.strip().removesuffix("d").removesuffix("天")
    if not value.isdigit() or not 1 <= int(value) <= AUDIT_MAX_DAYS:
        raise ParseError(N_("'%(value)s' is not a number of days from 1 to %(max)s."), value=text, max=AUDIT_MAX_DAYS)
    return int(value)


@dataclass(frozen=True)
class MemberLog:
    member: Member
    days: int
    events: list[AuditEvent]
    total: int


async def member_log(
    session: AsyncSession,
    *,
    actor: Member,
    team: Team,
    subject: Member,
    days: int,
    now: datetime,
    platform: str | None,
    chat_id: str | None,
) -> MemberLog:
    """Return a member's events of the last `days`, newest first, for an admin or manager.

    Reading the log is itself recorded.
    """
    if not is_manager(actor):
        raise AccessDenied(N_("Only admins and managers can read the audit log."))
    since = now - timedelta(days=days)
    where = (AuditEvent.team_id == team.id, AuditEvent.member_id == subject.id, AuditEvent.at > since)
    total = int(await session.scalar(select(func.count(AuditEvent.id)).where(*where)) or 0)
    events = list(
        (
            await session.execute(
                select(AuditEvent).where(*where).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(AUDIT_SHOWN)
            )
        ).scalars()
    )
    await record(
        session,
        actor=actor,
        action=AUDIT_READ_ACTION,
        now=now,
        detail={"member_id": subject.id, "days": days},
        platform=platform,
        chat_id=chat_id,
        command="audit",
    )
    return MemberLog(member=subject, days=days, events=events, total=total)


# Bounds of the team's bulk-read threshold (cards per hour).
BULK_READ_LIMIT_RANGE = (1, 1000)


async def set_bulk_read_limit(session: AsyncSession, *, actor: Member, team: Team, text: str) -> int:
    """Set how many cards a rep may read within an hour before managers are alerted."""
    if not is_manager(actor):
        raise AccessDenied(N_("Only admins and managers can change this team setting."))
    low, high = BULK_READ_LIMIT_RANGE
    value = text.strip()
    if not value.isdigit() or not low <= int(value) <= high:
        raise ParseError(N_("'%(value)s' is not a number from %(low)s to %(high)s."), value=value, low=low, high=high)
    team.bulk_read_limit = int(value)
    await session.flush()
    logger.info("bulk read limit set team_id=%s limit=%s member_id=%s", team.id, team.bulk_read_limit, actor.id)
    return team.bulk_read_limit

