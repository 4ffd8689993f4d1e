"""Overdue follow-ups per rep (/overdue), oldest first; a rep sees their own."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import AccessDenied, NotFound
from bot.i18n import N_
from bot.models import Customer, Deal, Member, Stage, Team
from bot.services.pipeline import TEAM_FIGURES_FOR_MANAGERS, scope_for
from reminders.cadence_table import DEFAULT_CADENCE_DAYS, TIER_ORDER, WON_CHECKIN_DAYS
from reminders.planner import due_date
from reports.pipeline import OPEN_STAGES

logger = logging.getLogger(__name__)

REP_NOT_FOUND = N_("No team member named '%(query)s'. Check the name as /pipeline by rep shows it.")


@dataclass(frozen=True)
class _StageOnly:
    stage: Stage


@dataclass(frozen=True)
class _PlanningFacts:
    """The customer fields reminders.planner.due_date reads, loaded as columns, not ORM rows.

    `deals` holds only stage markers: the planner asks whether a won or open deal exists.
    """

    id: int
    name: str
    country: str
    subdivision: str | None
    tier: str
    cadence_days: int | None
    last_contact_at: datetime
    claimed_at: datetime | None
    snoozed_until: date | None
    deals: tuple[_StageOnly, ...]


@dataclass(frozen=True)
class OverdueItem:
    customer_id: int
    name: str
    country: str
    tier: str
    due_date: date
    days_overdue: int


@dataclass(frozen=True)
class RepOverdue:
    member_id: int
    name: str
    items: tuple[OverdueItem, ...]


async def _resolve_rep(session: AsyncSession, *, actor: Member, query: str) -> Member:
    members = list(
        (await session.execute(select(Member).where(Member.team_id == actor.team_id).order_by(Member.id))).scalars()
    )
    folded = query.strip().casefold()
    exact = [member for member in members if member.display_name.casefold() == folded]
    partial = [member for member in members if folded and folded in member.display_name.casefold()]
    found = exact or partial
    if len(found) != 1:
        raise NotFound(REP_NOT_FOUND, query=query.strip())
    return found[0]


def _min_cadence(team: Team, smallest_customer_cadence: int | None) -> int:
    candidates = [*DEFAULT_CADENCE_DAYS.values(), WON_CHECKIN_DAYS, *(team.cadence_overrides or {}).values()]
    if smallest_customer_cadence:
        candidates.append(smallest_customer_cadence)
    return max(min(candidates), 1)


async def overdue_followups(
    session: AsyncSession, *, actor: Member, team: Team, rep_query: str | None, now: datetime
) -> list[RepOverdue]:
    """List each rep's overdue follow-ups, oldest due date first; reps without any are left out.

    Due dates come from reminders.planner.due_date, in each owner's zone as /today counts
    them, from the later of the last contact and the claim from the pool. Only customers
    whose last contact and claim are both older than the shortest cadence in use are read,
    because no other customer can be overdue.

    Raises:
        AccessDenied: a rep names another member.
        NotFound: `rep_query` names no member.
    """
    scope = scope_for(actor)
    owner_ids: list[int] | None = None if scope.is_team else [actor.id]
    if rep_query:
        rep = await _resolve_rep(session, actor=actor, query=rep_query)
        if not scope.is_team and rep.id != actor.id:
            raise AccessDenied(TEAM_FIGURES_FOR_MANAGERS)
        owner_ids = [rep.id]

    smallest = await session.scalar(select(func.min(Customer.cadence_days)).where(Customer.team_id == team.id))
    # A day more than the shortest cadence covers any difference between UTC and a rep's zone.
    cutoff = now - timedelta(days=_min_cadence(team, smallest) - 1)
    has_won = exists().where(Deal.customer_id == Customer.id, Deal.stage == Stage.WON)
    has_open = exists().where(Deal.customer_id == Customer.id, Deal.stage.in_(OPEN_STAGES))
    # A claim restarts the clock like a contact (see due_date), so a fresh claim is not overdue.
    conditions = [
        Customer.team_id == team.id,
        Customer.pooled_at.is_(None),
        Customer.last_contact_at < cutoff,
        or_(Customer.claimed_at.is_(None), Customer.claimed_at < cutoff),
    ]
    if owner_ids is not None:
        conditions.append(Customer.owner_id.in_(owner_ids))
    statement = (
        select(
            Customer.id,
            Customer.name,
            Customer.country,
            Customer.subdivision,
            Customer.tier,
            Customer.cadence_days,
            Customer.last_contact_at,
            Customer.claimed_at,
            Customer.snoozed_until,
            Customer.owner_id,
            Member.zone,
            Member.display_name,
            has_won.label("has_won"),
            has_open.label("has_open"),
        )
        .join(Member, Member.id == Customer.owner_id)
        .where(*conditions, Member.active.is_(True))
    )
    overrides = team.cadence_overrides or {}
    by_rep: dict[int, tuple[str, list[OverdueItem]]] = {}
    for row in await session.execute(statement):
        stages = ((_StageOnly(Stage.WON),) if row.has_won else ()) + ((_StageOnly(Stage.QUOTED),) if row.has_open else ())
        facts = _PlanningFacts(
            id=row.id,
            name=row.name,
            country=row.country,
            subdivision=row.subdivision,
            tier=row.tier,
            cadence_days=row.cadence_days,
            last_contact_at=row.last_contact_at,
            claimed_at=row.claimed_at,
            snoozed_until=row.snoozed_until,
            deals=stages,
        )
        due, _is_checkin = due_date(facts, team_overrides=overrides, rep_zone=row.zone)  # type: ignore[arg-type]
        rep_today = now.astimezone(ZoneInfo(row.zone)).date()
        if due >= rep_today:
            continue
        item = OverdueItem(
            customer_id=row.id,
            name=row.name,
            country=row.country,
            tier=row.tier,
            due_date=due,
            days_overdue=(rep_today - due).days,
        )
        by_rep.setdefault(row.owner_id, (row.display_name, []))[1].append(item)
    result = [
        RepOverdue(
            member_id=member_id,
            name=name,
            items=tuple(sorted(items, key=lambda item: (item.due_date, TIER_ORDER.get(item.tier, 9), item.name))),
        )
        for member_id, (name, items) in by_rep.items()
    ]
    # The rep with the oldest overdue follow-up first.
    result.sort(key=lambda rep: (rep.items[0].due_date, -len(rep.items), rep.name))
    logger.info(
        "overdue read team_id=%s member_id=%s reps=%s items=%s",
        team.id,
        actor.id,
        len(result),
        sum(len(rep.items) for rep in result),
    )
    return result
