"""Reply-time statistics and follow-up completion of a team: the queries behind /stats.

The figures themselves are computed by reports/stats.py; this module reads the rows.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date, datetime, time as wall_time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import AccessDenied
from bot.i18n import N_
from bot.models import Customer, Deal, Inquiry, Interaction, Member, Role, Stage, Team
from bot.services.members import is_manager
from reminders.cadence_table import DEFAULT_CADENCE_DAYS, WON_CHECKIN_DAYS
from reminders.calendar import MAX_DAYS_OFF, next_buyer_workday
from reports.stats import (
    ContactHistory,
    FollowUpCompletion,
    InquiryTimes,
    RepReplyStats,
    TrendPoint,
    followup_completion,
    monthly_trend,
    rep_reply_stats,
    weekly_trend,
)

logger = logging.getLogger(__name__)

STATS_MANAGERS_ONLY = N_("Only admins and managers can see the team's reply-time statistics.")
# A chart of a longer period shows months rather than weeks, so that its bars stay readable.
MAX_WEEKLY_DAYS = 26 * 7


@dataclass(frozen=True)
class TeamStats:
    """The /stats figures of one period: per rep, and the team's follow-up completion."""

    start: date
    end: date
    reps: list[RepReplyStats]
    followups: FollowUpCompletion


def require_manager(member: Member) -> None:
    """Raise AccessDenied unless `member` is an admin or a manager, because the figures cover every rep."""
    if not is_manager(member):
        raise AccessDenied(STATS_MANAGERS_ONLY)


def _period_bounds(start: date, end: date, zone: str) -> tuple[datetime, datetime]:
    """Return the UTC instants of `start` 00:00 and `end` 00:00 in `zone`."""
    tz = ZoneInfo(zone)
    return (
        datetime.combine(start, wall_time(), tz),
        datetime.combine(end, wall_time(), tz),
    )


async def _inquiry_times(session: AsyncSession, *, team_id: int, since: datetime, until: datetime) -> list[InquiryTimes]:
    statement = select(Inquiry.member_id, Inquiry.received_at, Inquiry.deadline_at, Inquiry.replied_at).where(
        Inquiry.team_id == team_id, Inquiry.received_at >= since, Inquiry.received_at < until
    )
    rows = await session.execute(statement)
    return [
        InquiryTimes(member_id=member_id, received_at=received, deadline_at=deadline, replied_at=replied)
        for member_id, received, deadline, replied in rows
    ]


async def _listed_members(session: AsyncSession, *, team_id: int, inquiries: list[InquiryTimes]) -> list[tuple[int, str]]:
    """Return (id, name) of the active reps, and of any member (a manager, a former rep) with inquiries in the period."""
    with_inquiries = {item.member_id for item in inquiries}
    statement = (
        select(Member.id, Member.display_name)
        .where(
            Member.team_id == team_id,
            or_(and_(Member.active.is_(True), Member.role == Role.REP), Member.id.in_(with_inquiries)),
        )
        .order_by(Member.display_name, Member.id)
    )
    return [(member_id, name) for member_id, name in await session.execute(statement)]


def resolved_cadence(*, customer_days: int | None, tier: str, has_won: bool, has_open: bool, overrides: dict[str, int]) -> int:
    """Return a customer's cadence in days from column values.

    NOTE: mirrors reminders.planner.cadence_days, which needs the customer's deals loaded;
    loading them is too slow for a team with 100,000 deals, so the deal flags come from SQL.
    """
    if customer_days:
        return customer_days
    if has_won and not has_open:
        return overrides.get("won", WON_CHECKIN_DAYS)
    return overrides.get(tier, DEFAULT_CADENCE_DAYS[tier])


def _split_at_claim(
    contacts: list[datetime], *, claimed_at: datetime, cadence: int, zone: str, country: str, subdivision: str | None
) -> list[list[datetime]]:
    """Split a customer's contacts at its claim from the pool, which restarts the follow-up clock.

    reminders.planner.due_date counts from the later of the last contact and the claim, so the
    claim counts as a contact: the next follow-up is due a cadence after it. The follow-up of
    the last contact before the claim counts as never done when it fell due on or before the
    claim day, so the contacts before the claim become a separate history. A claim before
    that due date replaced the follow-up, so the claim joins the same history.
    """
    tz = ZoneInfo(zone)
    before = [contact for contact in contacts if contact < claimed_at]
    after = [claimed_at, *(contact for contact in contacts if contact >= claimed_at)]
    if not before:
        return [after]
    due = next_buyer_workday(
        before[-1].astimezone(tz).date() + timedelta(days=cadence), country=country, subdivision=subdivision
    )
    if due <= claimed_at.astimezone(tz).date():
        return [before, after]
    return [before + after]


async def _contact_histories(session: AsyncSession, *, team: Team, since: datetime) -> list[ContactHistory]:
    """Read the contacts from `since` on of every customer with one, with its cadence and owner's zone.

    A claim from the pool from `since` on restarts the clock like a contact (see _split_at_claim).
    """
    closed = (Stage.WON, Stage.LOST)
    deal_flags = (
        select(
            Deal.customer_id.label("customer_id"),
            func.max(case((Deal.stage == Stage.WON, 1), else_=0)).label("has_won"),
            func.max(case((Deal.stage.not_in(closed), 1), else_=0)).label("has_open"),
        )
        .group_by(Deal.customer_id)
        .subquery()
    )
    customers = (
        select(
            Customer.id,
            Customer.owner_id,
            Customer.country,
            Customer.subdivision,
            Customer.tier,
            Customer.cadence_days,
            Customer.created_at,
            Customer.claimed_at,
            Member.zone,
            deal_flags.c.has_won,
            deal_flags.c.has_open,
        )
        .join(Member, Member.id == Customer.owner_id)
        .outerjoin(deal_flags, deal_flags.c.customer_id == Customer.id)
        .where(Customer.team_id == team.id)
    )
    interactions = (
        select(Interaction.customer_id, Interaction.at)
        .join(Customer, Customer.id == Interaction.customer_id)
        .where(and_(Customer.team_id == team.id, Interaction.at >= since))
        .order_by(Interaction.customer_id, Interaction.at)
    )
    contacts: dict[int, list[datetime]] = {}
    for customer_id, at in await session.execute(interactions):
        contacts.setdefault(customer_id, []).append(at)

    overrides = team.cadence_overrides or {}
    histories = []
    for row in await session.execute(customers):
        own = contacts.get(row.id, [])
        if row.created_at >= since:
            own = [row.created_at, *own]
        cadence = resolved_cadence(
            customer_days=row.cadence_days,
            tier=row.tier,
            has_won=bool(row.has_won),
            has_open=bool(row.has_open),
            overrides=overrides,
        )
        segments = [own]
        if row.claimed_at is not None and row.claimed_at >= since:
            segments = _split_at_claim(
                own,
                claimed_at=row.claimed_at,
                cadence=cadence,
                zone=row.zone,
                country=row.country,
                subdivision=row.subdivision,
            )
        histories.extend(
            ContactHistory(
                customer_id=row.id,
                member_id=row.owner_id,
                country=row.country,
                subdivision=row.subdivision,
                cadence_days=cadence,
                rep_zone=row.zone,
                contacts=tuple(segment),
            )
            for segment in segments
            if segment
        )
    return histories


def _earliest_relevant_contact(start: date, zone: str, overrides: dict[str, int]) -> datetime:
    """Return the instant before which no contact can make a follow-up fall due on or after `start`."""
    longest = max([*DEFAULT_CADENCE_DAYS.values(), WON_CHECKIN_DAYS, *overrides.values()])
    # A due date moves forward by at most MAX_DAYS_OFF buyer days off, and customer
    # cadences above the longest default are covered by the same margin.
    # NOTE: a per-customer cadence longer than longest + MAX_DAYS_OFF days would be missed.
    earliest_day = start - timedelta(days=longest + MAX_DAYS_OFF + 1)
    return datetime.combine(earliest_day, wall_time(), ZoneInfo(zone))


async def team_stats(session: AsyncSession, *, actor: Member, team: Team, start: date, end: date, now: datetime) -> TeamStats:
    """Compute /stats for the team-zone dates from `start` (inclusive) to `end` (exclusive).

    Raises:
        AccessDenied: when `actor` is a rep.
    """
    require_manager(actor)
    began = time.perf_counter()
    since, until = _period_bounds(start, end, team.default_zone)
    inquiries = await _inquiry_times(session, team_id=team.id, since=since, until=until)
    members = await _listed_members(session, team_id=team.id, inquiries=inquiries)
    reps = rep_reply_stats(inquiries, members=members, now=now)

    histories = await _contact_histories(
        session, team=team, since=_earliest_relevant_contact(start, team.default_zone, team.cadence_overrides or {})
    )
    today = now.astimezone(ZoneInfo(team.default_zone)).date()
    followups = followup_completion(histories, start=start, end=end, today=today)
    logger.info(
        "stats computed team_id=%s member_id=%s inquiries=%s customers=%s in %d ms",
        team.id,
        actor.id,
        len(inquiries),
        len(histories),
        (time.perf_counter() - began) * 1000,
    )
    return TeamStats(start=start, end=end, reps=reps, followups=followups)


async def weekly_inquiry_trend(
    session: AsyncSession, *, actor: Member, team: Team, start: date, end: date
) -> list[TrendPoint]:
    """Return the weekly inquiry counts and median reply times of the team for the period.

    A period longer than MAX_WEEKLY_DAYS is counted per month instead (MonthPoint).

    Raises:
        AccessDenied: when `actor` is a rep.
    """
    require_manager(actor)
    since, until = _period_bounds(start, end, team.default_zone)
    inquiries = await _inquiry_times(session, team_id=team.id, since=since, until=until)
    logger.info("stats trend read team_id=%s member_id=%s inquiries=%s", team.id, actor.id, len(inquiries))
    if (end - start).days > MAX_WEEKLY_DAYS:
        return list(monthly_trend(inquiries, start=start, end=end, zone=team.default_zone))
    return list(weekly_trend(inquiries, start=start, end=end, zone=team.default_zone))
