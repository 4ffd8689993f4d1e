"""Managers' views of deals: /pipeline and /forecast, and the scope and SQL they share with /overdue and /top.

Every figure is summed by the database (GROUP BY) and folded by the pure functions in
reports/, so a team with 100,000 deals never loads them as Python objects. Admins and
managers see the team; a rep sees only the deals and customers they own, and asking for a
by-rep view or another rep's follow-ups raises AccessDenied.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, false, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import Numeric

from bot.errors import AccessDenied
from bot.i18n import N_
from bot.models import Customer, Deal, Market, Member, Stage, Team
from bot.services.deals import DEFAULT_STAGE_PROBABILITY
from bot.services.fx import TeamRates, team_rates
from bot.services.members import is_manager
from reports.forecast import ForecastReport, ForecastRow, summarize_forecast
from reports.periods import Period
from reports.pipeline import NO_CLOSE_MONTH, OPEN_STAGES, DealAggregate, Grouping, PipelineReport, summarize_pipeline

logger = logging.getLogger(__name__)

TEAM_FIGURES_FOR_MANAGERS = N_(
    "Only admins and managers see figures per rep or another rep's follow-ups. "
    "Send the command without a rep to see your own figures."
)

CLOSED_STAGES = (Stage.WON, Stage.LOST)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Scope:
    """Whose deals a view covers: the whole team, or one member's own."""

    team_id: int
    member_id: int | None

    @property
    def is_team(self) -> bool:
        return self.member_id is None


def scope_for(actor: Member) -> Scope:
    """Return the team for admins and managers, and the rep's own deals for a rep."""
    return Scope(team_id=actor.team_id, member_id=None if is_manager(actor) else actor.id)


def customer_condition(scope: Scope) -> ColumnElement[bool]:
    if scope.member_id is None:
        return Customer.team_id == scope.team_id
    # A rep's own customers, not those that went back to the shared pool.
    return and_(
        Customer.team_id == scope.team_id, Customer.owner_id == scope.member_id, Customer.pooled_at.is_(None)
    )


def deal_value_sql() -> ColumnElement[Decimal]:
    """Build the SQL form of bot.services.deals.deal_value: the typed value, or price × units (not containers)."""
    computed = case(
        (Deal.qty_is_container == false(), func.round(Deal.unit_price * Deal.qty_amount, 2)),
        else_=None,
    )
    return func.coalesce(Deal.value, computed, type_=Numeric(18, 2))


def deal_probability_sql() -> ColumnElement[Decimal]:
    """Build the SQL form of bot.services.deals.deal_probability for open deals: own value, else the stage's."""
    default = case(
        *[(Deal.stage == stage, literal(probability, Numeric(4, 3))) for stage, probability in DEFAULT_STAGE_PROBABILITY.items()],
        else_=literal(Decimal(0), Numeric(4, 3)),
    )
    return func.coalesce(Deal.probability, default, type_=Numeric(4, 3))


def to_decimal(value: object) -> Decimal:
    # SQLite sums NUMERIC columns as floats; str() keeps the printed digits.
    if value is None:
        return Decimal(0)
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def period_instants(period: Period, *, zone: str) -> tuple[datetime, datetime]:
    """Return the period's bounds as instants: local midnight of its first day and of its end."""
    tz = ZoneInfo(zone)
    return (
        datetime.combine(period.start, time(0), tzinfo=tz),
        datetime.combine(period.end, time(0), tzinfo=tz),
    )


# --- /pipeline ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PipelineView:
    report: PipelineReport
    scope: Scope
    period: Period
    rates: TeamRates
    # Display names of rep and market groups; country groups are named by the reader's locale.
    group_names: dict[str, str]


def _group_column(grouping: Grouping) -> ColumnElement[object]:
    if grouping is Grouping.STAGE:
        return Deal.stage
    if grouping is Grouping.REP:
        return Customer.owner_id
    if grouping is Grouping.MARKET:
        return Customer.country
    return Deal.close_date


def _group_key(grouping: Grouping, value: object) -> str:
    if value is None:
        return NO_CLOSE_MONTH
    if isinstance(value, Stage):
        return value.value
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    return str(value)


async def _market_of_country(session: AsyncSession, *, team_id: int) -> dict[str, tuple[str, str]]:
    """Map each country in one of the team's market groups to (group key, market name)."""
    markets = (await session.execute(select(Market).where(Market.team_id == team_id).order_by(Market.name))).scalars()
    mapping: dict[str, tuple[str, str]] = {}
    for market in markets:
        for country in market.countries or []:
            # A country in two groups counts once, under the first name in sort order.
            mapping.setdefault(country, (f"market:{market.id}", market.name))
    return mapping


async def _member_names(session: AsyncSession, *, team_id: int) -> dict[str, str]:
    rows = await session.execute(select(Member.id, Member.display_name).where(Member.team_id == team_id))
    return {str(row.id): row.display_name for row in rows}


async def pipeline_view(
    session: AsyncSession,
    *,
    actor: Member,
    team: Team,
    grouping: Grouping,
    period: Period,
    zone: str,
) -> PipelineView:
    """Sum open deals per group and currency, and the deals won and lost in `period`.

    Won and lost deals count in the period in which they were last changed, which is when
    they were closed, because /deal and /stage change open deals only.

    Raises:
        AccessDenied: a rep asks for the by-rep view.
    """
    scope = scope_for(actor)
    if grouping is Grouping.REP and not scope.is_team:
        raise AccessDenied(TEAM_FIGURES_FOR_MANAGERS)
    value = deal_value_sql()
    group = _group_column(grouping)
    where = customer_condition(scope)
    open_statement = (
        select(
            group.label("group_key"),
            Deal.stage,
            Deal.currency,
            func.count().label("deals"),
            func.sum(value).label("value"),
            func.sum(case((value.is_(None), 1), else_=0)).label("unvalued"),
        )
        .join(Customer, Customer.id == Deal.customer_id)
        .where(where, Deal.stage.in_(OPEN_STAGES))
        .group_by(group, Deal.stage, Deal.currency)
    )
    start, end = period_instants(period, zone=zone)
    closed_statement = (
        select(
            Deal.stage,
            Deal.currency,
            func.count().label("deals"),
            func.sum(value).label("value"),
            func.sum(case((value.is_(None), 1), else_=0)).label("unvalued"),
        )
        .join(Customer, Customer.id == Deal.customer_id)
        .where(where, Deal.stage.in_(CLOSED_STAGES), Deal.updated_at >= start, Deal.updated_at < end)
        .group_by(Deal.stage, Deal.currency)
    )
    markets = await _market_of_country(session, team_id=team.id) if grouping is Grouping.MARKET else {}
    group_names: dict[str, str] = {}
    open_rows = []
    for row in await session.execute(open_statement):
        key = _group_key(grouping, row.group_key)
        if key in markets:
            market_key, market_name = markets[key]
            group_names[market_key] = market_name
            key = market_key
        open_rows.append(
            DealAggregate(
                group=key,
                stage=row.stage,
                currency=row.currency,
                count=row.deals,
                value=to_decimal(row.value),
                unvalued=int(row.unvalued or 0),
            )
        )
    closed_rows = [
        DealAggregate(
            group="",
            stage=row.stage,
            currency=row.currency,
            count=row.deals,
            value=to_decimal(row.value),
            unvalued=int(row.unvalued or 0),
        )
        for row in await session.execute(closed_statement)
    ]
    if grouping is Grouping.REP:
        group_names = await _member_names(session, team_id=team.id)
    report = summarize_pipeline(grouping=grouping, open_rows=open_rows, closed_rows=closed_rows)
    logger.info(
        "pipeline read team_id=%s member_id=%s grouping=%s period=%s groups=%s",
        team.id,
        actor.id,
        grouping.value,
        period.label,
        len(report.groups),
    )
    return PipelineView(
        report=report,
        scope=scope,
        period=period,
        rates=await team_rates(session, team=team),
        group_names=group_names,
    )


# --- /forecast ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ForecastView:
    report: ForecastReport
    scope: Scope
    period: Period | None
    rates: TeamRates


async def forecast_view(
    session: AsyncSession, *, actor: Member, team: Team, period: Period | None, today: date
) -> ForecastView:
    """Sum open deals' value and probability-weighted value per close date and currency."""
    scope = scope_for(actor)
    value = deal_value_sql()
    weighted = value * deal_probability_sql()
    conditions = [customer_condition(scope), Deal.stage.in_(OPEN_STAGES)]
    if period is not None:
        conditions += [Deal.close_date >= period.start, Deal.close_date < period.end]
    statement = (
        select(
            Deal.close_date,
            Deal.currency,
            func.count().label("deals"),
            func.sum(value).label("value"),
            func.sum(weighted).label("weighted"),
            func.sum(case((value.is_(None), 1), else_=0)).label("unvalued"),
        )
        .join(Customer, Customer.id == Deal.customer_id)
        .where(*conditions)
        .group_by(Deal.close_date, Deal.currency)
    )
    rows = [
        ForecastRow(
            close_date=row.close_date,
            currency=row.currency,
            count=row.deals,
            value=to_decimal(row.value),
            weighted=to_decimal(row.weighted),
            unvalued=int(row.unvalued or 0),
        )
        for row in await session.execute(statement)
    ]
    report = summarize_forecast(rows, today=today, period=period)
    logger.info(
        "forecast read team_id=%s member_id=%s period=%s rows=%s",
        team.id,
        actor.id,
        period.label if period else "open",
        len(rows),
    )
    return ForecastView(report=report, scope=scope, period=period, rates=await team_rates(session, team=team))
