"""The rep's due follow-ups, and marking them done."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Customer, Member, Team
from bot.services.customers import list_customers_for_planning, log_interaction
from reminders.planner import FollowUp, due_followups


async def list_due(session: AsyncSession, *, member: Member, team: Team, now: datetime) -> list[FollowUp]:
    customers = await list_customers_for_planning(session, actor=member)
    return due_followups(customers, now=now, rep_zone=member.zone, team_overrides=team.cadence_overrides or {})


async def mark_done(session: AsyncSession, *, actor: Member, customer: Customer, note: str, now: datetime) -> None:
    """Record the follow-up as an interaction, which restarts the cadence clock."""
    await log_interaction(session, actor=actor, customer=customer, kind="followup", text=note, now=now)
