"""Handover (离职交接): move a leaver's customers and open work to a successor in one transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import AccessDenied, UserError
from bot.i18n import N_
from bot.models import (
    CalendarFeed,
    Conversation,
    Customer,
    Deal,
    Inquiry,
    Market,
    Member,
    PendingImport,
    Reminder,
    ReminderStatus,
    Role,
)
from bot.services import audit
from bot.services.inquiries import NUDGE_KIND
from bot.services.invites import forget_refusal
from bot.services.members import DIGEST_KIND, is_manager
from bot.services.pool import POOL_WARNING_KIND

logger = logging.getLogger(__name__)

HANDOVER_ACTION = "handover"


@dataclass(frozen=True)
class HandoverResult:
    customers: int
    deals: int
    inquiries: int
    reminders: int
    deactivated: bool


async def hand_over(
    session: AsyncSession,
    *,
    actor: Member,
    leaver: Member,
    successor: Member,
    market: Market | None,
    now: datetime,
    platform: str | None = None,
    chat_id: str | None = None,
) -> HandoverResult:
    """Move the leaver's customers with their deals, open inquiries and pending reminders.

    A full handover also deactivates the leaver at once: their calendar feeds are revoked and
    their pending digests, questions and imports are dropped. A handover of one `market`
    moves only the customers in its countries and leaves the leaver active. Everything
    happens in the caller's unit of work, so a failure midway moves nothing.

    A manager hands over reps only. An admin hands over reps and managers, and another
    admin only while at least one other admin stays active, so a team never loses its
    last admin.
    """
    if not is_manager(actor):
        raise AccessDenied(N_("Only admins and managers can hand customers over."))
    if leaver.id == successor.id:
        raise UserError(N_("The leaver and the successor are the same member. Name two different members."))
    if not successor.active:
        raise UserError(N_("%(name)s is no longer active and cannot take customers over."), name=successor.display_name)
    if leaver.id == actor.id and market is None:
        raise UserError(N_("You cannot hand over all your own customers and deactivate yourself. Ask another admin or manager."))
    if leaver.id != actor.id:
        await _check_rank(session, actor=actor, leaver=leaver)

    conditions = [
        Customer.team_id == leaver.team_id,
        Customer.owner_id == leaver.id,
        Customer.pooled_at.is_(None),
    ]
    if market is not None:
        conditions.append(Customer.country.in_(market.countries))
    customer_ids = sorted((await session.execute(select(Customer.id).where(*conditions))).scalars())

    customers = deals = inquiries = reminders = 0
    if customer_ids:
        customers = await _update(
            session, update(Customer).where(Customer.id.in_(customer_ids)).values(owner_id=successor.id)
        )
        deals = await _update(
            session,
            update(Deal).where(Deal.customer_id.in_(customer_ids), Deal.owner_id == leaver.id).values(owner_id=successor.id),
        )
        inquiry_ids = list(
            (
                await session.execute(
                    select(Inquiry.id).where(
                        Inquiry.customer_id.in_(customer_ids),
                        Inquiry.member_id == leaver.id,
                        Inquiry.replied_at.is_(None),
                    )
                )
            ).scalars()
        )
        if inquiry_ids:
            inquiries = await _update(
                session, update(Inquiry).where(Inquiry.id.in_(inquiry_ids)).values(member_id=successor.id)
            )
            reminders += await _move_reminders(session, kind=NUDGE_KIND, subject_ids=inquiry_ids, leaver=leaver, successor=successor)
        reminders += await _move_reminders(
            session, kind=POOL_WARNING_KIND, subject_ids=customer_ids, leaver=leaver, successor=successor
        )

    deactivated = market is None
    if deactivated:
        await _deactivate(session, leaver=leaver, now=now)

    await audit.record(
        session,
        actor=actor,
        action=HANDOVER_ACTION,
        now=now,
        detail={
            "leaver_id": leaver.id,
            "successor_id": successor.id,
            "market_id": market.id if market is not None else None,
            "customer_ids": customer_ids,
            "deals": deals,
            "inquiries": inquiries,
            "reminders": reminders,
            "deactivated": deactivated,
        },
        platform=platform,
        chat_id=chat_id,
    )
    logger.info(
        "handover leaver_id=%s successor_id=%s market_id=%s customers=%d deals=%d inquiries=%d reminders=%d deactivated=%s by member_id=%s",
        leaver.id,
        successor.id,
        market.id if market is not None else None,
        customers,
        deals,
        inquiries,
        reminders,
        deactivated,
        actor.id,
    )
    return HandoverResult(customers=customers, deals=deals, inquiries=inquiries, reminders=reminders, deactivated=deactivated)


async def _check_rank(session: AsyncSession, *, actor: Member, leaver: Member) -> None:
    """Reject a handover of a member whose role the actor may not manage."""
    if leaver.role == Role.REP:
        return
    if actor.role != Role.ADMIN:
        raise AccessDenied(
            N_("Only an admin can hand over %(name)s, who is a manager or admin. Managers hand over reps."),
            name=leaver.display_name,
        )
    if leaver.role == Role.ADMIN:
        other_admins = await session.scalar(
            select(func.count(Member.id)).where(
                Member.team_id == leaver.team_id,
                Member.role == Role.ADMIN,
                Member.active.is_(True),
                Member.id != leaver.id,
            )
        )
        if not other_admins:
            raise UserError(
                N_("%(name)s is the team's only active admin and cannot be handed over."), name=leaver.display_name
            )


async def _update(session: AsyncSession, statement) -> int:  # type: ignore[no-untyped-def]
    result = await session.execute(statement.execution_options(synchronize_session="fetch"))
    return int(result.rowcount or 0)


async def _move_reminders(
    session: AsyncSession, *, kind: str, subject_ids: list[int], leaver: Member, successor: Member
) -> int:
    statement = (
        update(Reminder)
        .where(
            Reminder.kind == kind,
            Reminder.subject_id.in_(subject_ids),
            Reminder.member_id == leaver.id,
            Reminder.status == ReminderStatus.PENDING,
        )
        .values(member_id=successor.id, claimed_by=None, claimed_until=None)
    )
    return await _update(session, statement)


async def _deactivate(session: AsyncSession, *, leaver: Member, now: datetime) -> None:
    """End the leaver's access: no digests, no calendar feed, no open question or import."""
    leaver.active = False
    await session.execute(
        delete(Reminder).where(
            Reminder.member_id == leaver.id,
            Reminder.kind == DIGEST_KIND,
            Reminder.status == ReminderStatus.PENDING,
        )
    )
    await session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.member_id == leaver.id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    await session.execute(delete(Conversation).where(Conversation.member_id == leaver.id))
    await session.execute(delete(PendingImport).where(PendingImport.member_id == leaver.id))
    for identity in leaver.identities:
        # A leaver refused before (e.g. deactivated earlier) is told once more on their next message.
        await forget_refusal(session, platform=identity.platform, external_id=identity.external_id)
    await session.flush()
