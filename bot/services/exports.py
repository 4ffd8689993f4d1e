"""Export of the team's customers, deals and interactions to an .xlsx workbook, audited.

Only admins and managers may export, because the customer list is the company's trade
secret and a bulk copy is how a leaving rep would take it along. A rep's request is
refused, recorded in the audit log, and alerts the team's admins and managers. Both the
export and the refusal are recorded in the caller's unit of work, so the audit event
commits with what it records.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import AccessDenied
from bot.i18n import N_
from bot.models import AuditEvent, Customer, Interaction, Member
from bot.services import audit
from bot.services.alerts import alert_managers
from bot.services.members import is_manager
from bot.services.export_workbook import build_workbook
from reminders.calendar import local_date

logger = logging.getLogger(__name__)

EXPORT_ACTION = "export"
EXPORT_REFUSED_ACTION = "export_refused"
XLSX_MIME_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_MANAGERS_ONLY = N_("Only admins and managers can export the team's data.")


@dataclass(frozen=True)
class ExportCounts:
    customers: int
    deals: int
    interactions: int


@dataclass(frozen=True)
class TeamExport:
    """A finished export: the workbook, what it holds, and its audit event."""

    filename: str
    data: bytes
    counts: ExportCounts
    audit_event_id: int
    # The exporter's local date, which the file name carries.
    local_date: date
    # The zone of the interaction times in the workbook.
    zone: str


def may_export(member: Member) -> bool:
    return is_manager(member)


def export_filename(day: date) -> str:
    return f"followup-export-{day.isoformat()}.xlsx"


async def export_team(
    session: AsyncSession,
    *,
    actor: Member,
    locale: str,
    now: datetime,
    platform: str | None,
    chat_id: str | None,
) -> TeamExport:
    """Build the workbook of the actor's whole team and record an "export" audit event.

    Headers, sheet names and labels are in `locale`. Interaction times are in the actor's zone.

    Raises:
        AccessDenied: for a rep. The caller records the refusal with `refuse_export` first,
            because raising rolls the unit of work back.
    """
    if not may_export(actor):
        raise AccessDenied(EXPORT_MANAGERS_ONLY)
    started = time.monotonic()
    customers = await _team_customers(session, team_id=actor.team_id)
    interactions = await _team_interactions(session, team_id=actor.team_id)
    member_names = await _member_names(session, team_id=actor.team_id)
    # Writing tens of thousands of rows takes seconds, so it runs in a thread and the event
    # loop goes on serving other chats. Every attribute it reads is loaded by now.
    data = await asyncio.to_thread(
        build_workbook,
        customers=customers,
        interactions=interactions,
        member_names=member_names,
        locale=locale,
        zone=actor.zone,
    )
    counts = ExportCounts(
        customers=len(customers),
        deals=sum(len(customer.deals) for customer in customers),
        interactions=len(interactions),
    )
    event = await audit.record(
        session,
        actor=actor,
        action=EXPORT_ACTION,
        now=now,
        detail={
            "customers": counts.customers,
            "deals": counts.deals,
            "interactions": counts.interactions,
            "bytes": len(data),
        },
        platform=platform,
        chat_id=chat_id,
    )
    today = local_date(now, actor.zone)
    logger.info(
        "export built event_id=%s member_id=%s team_id=%s customers=%d deals=%d interactions=%d bytes=%d in %d ms",
        event.id,
        actor.id,
        actor.team_id,
        counts.customers,
        counts.deals,
        counts.interactions,
        len(data),
        (time.monotonic() - started) * 1000,
    )
    return TeamExport(
        filename=export_filename(today),
        data=data,
        counts=counts,
        audit_event_id=event.id,
        local_date=today,
        zone=actor.zone,
    )


async def refuse_export(
    session: AsyncSession, *, actor: Member, now: datetime, platform: str | None, chat_id: str | None
) -> AuditEvent:
    """Record a refused export request and queue an alert for each admin and manager."""
    event = await audit.record(
        session,
        actor=actor,
        action=EXPORT_REFUSED_ACTION,
        now=now,
        detail={"role": actor.role.value},
        platform=platform,
        chat_id=chat_id,
    )
    await alert_managers(session, event=event, now=now)
    logger.warning("export refused event_id=%s member_id=%s team_id=%s", event.id, actor.id, actor.team_id)
    return event


async def _team_customers(session: AsyncSession, *, team_id: int) -> list[Customer]:
    # Contacts and deals load with the customers (selectin), the owner by a join.
    statement = select(Customer).where(Customer.team_id == team_id).order_by(Customer.id)
    return list((await session.execute(statement)).scalars())


async def _team_interactions(session: AsyncSession, *, team_id: int) -> list[Interaction]:
    statement = (
        select(Interaction)
        .join(Customer, Customer.id == Interaction.customer_id)
        .where(Customer.team_id == team_id)
        .order_by(Interaction.customer_id, Interaction.at, Interaction.id)
    )
    return list((await session.execute(statement)).scalars())


async def _member_names(session: AsyncSession, *, team_id: int) -> dict[int, str]:
    # Members who left still own deals and interactions, so inactive ones are named too.
    statement = select(Member.id, Member.display_name).where(Member.team_id == team_id)
    return {member_id: name for member_id, name in (await session.execute(statement)).all()}
