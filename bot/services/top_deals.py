"""The priority list (/top): open deals by expected return, probability × value."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import case, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import Numeric

from bot.models import Customer, Deal, Member, Stage, Team
from bot.services.fx import TeamRates, team_rates
from bot.services.pipeline import (
    CENT,
    Scope,
    customer_condition,
    deal_probability_sql,
    deal_value_sql,
    scope_for,
    to_decimal,
)
from reminders.cadence_table import TIER_ORDER
from reports.pipeline import OPEN_STAGES

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TopDeal:
    deal_id: int
    customer_name: str
    country: str
    tier: str
    owner_name: str
    product: str
    stage: Stage
    currency: str | None
    value: Decimal | None
    probability: Decimal
    close_date: date | None
    # Probability × value in the deal's currency, and in the reporting currency when a rate exists.
    expected: Decimal | None
    expected_base: Decimal | None


@dataclass(frozen=True)
class TopView:
    deals: tuple[TopDeal, ...]
    scope: Scope
    rates: TeamRates
    # Currencies of open deals that have no rate, so their deals are ranked by the plain amount.
    unconverted: tuple[str, ...]


async def top_deals(session: AsyncSession, *, actor: Member, team: Team, limit: int) -> TopView:
    """Return the open deals with the highest expected return (probability × value) first.

    Deals are compared in the reporting currency where the team has a rate. Deals in a
    currency without one come after all converted deals, grouped per currency (in code
    order) and compared by their plain amount, and the currency is named in `unconverted`.
    Ties go to the higher probability, then the higher tier, then the earlier close date,
    then the older deal. Deals without a value come last, by probability.
    """
    scope = scope_for(actor)
    rates = await team_rates(session, team=team)
    value = deal_value_sql()
    probability = deal_probability_sql()
    expected = value * probability
    rate_cases = [(Deal.currency == rates.base, literal(Decimal(1), Numeric(18, 6)))]
    rate_cases += [(Deal.currency == currency, literal(rate.rate, Numeric(18, 6))) for currency, rate in rates.usable.items()]
    # A currency without a rate counts at 1 for ordering within its own currency only, and the reply names it.
    rank = expected * case(*rate_cases, else_=literal(Decimal(1), Numeric(18, 6)))
    convertible = [rates.base, *rates.usable]
    unconvertible = case((Deal.currency.in_(convertible), 0), else_=1)
    unconverted_currency = case((Deal.currency.in_(convertible), literal("")), else_=Deal.currency)
    tier_rank = case(*[(Customer.tier == tier, order) for tier, order in TIER_ORDER.items()], else_=len(TIER_ORDER))
    where = [customer_condition(scope), Deal.stage.in_(OPEN_STAGES)]
    statement = (
        select(
            Deal.id,
            Deal.product,
            Deal.stage,
            Deal.currency,
            value.label("value"),
            probability.label("probability"),
            Deal.close_date,
            Customer.name,
            Customer.country,
            Customer.tier,
            Member.display_name,
        )
        .join(Customer, Customer.id == Deal.customer_id)
        .join(Member, Member.id == Customer.owner_id)
        .where(*where)
        .order_by(
            case((or_(value.is_(None), Deal.currency.is_(None)), 1), else_=0),
            unconvertible,
            unconverted_currency,
            rank.desc(),
            probability.desc(),
            tier_rank,
            case((Deal.close_date.is_(None), 1), else_=0),
            Deal.close_date,
            Deal.id,
        )
        .limit(limit)
    )
    currencies_statement = (
        select(Deal.currency)
        .join(Customer, Customer.id == Deal.customer_id)
        .where(*where, Deal.currency.is_not(None))
        .distinct()
    )
    currencies = {row.currency for row in await session.execute(currencies_statement)}
    unconverted = tuple(sorted(currency for currency in currencies if currency != rates.base and currency not in rates.usable))
    deals = []
    for row in await session.execute(statement):
        deal_value = None if row.value is None else to_decimal(row.value).quantize(CENT, rounding=ROUND_HALF_UP)
        deal_probability = to_decimal(row.probability)
        weighted = None
        converted = None
        if deal_value is not None and row.currency:
            weighted = (deal_value * deal_probability).quantize(CENT, rounding=ROUND_HALF_UP)
            if row.currency == rates.base:
                converted = weighted
            elif row.currency in rates.usable:
                converted = (weighted * rates.usable[row.currency].rate).quantize(CENT, rounding=ROUND_HALF_UP)
        deals.append(
            TopDeal(
                deal_id=row.id,
                customer_name=row.name,
                country=row.country,
                tier=row.tier,
                owner_name=row.display_name,
                product=row.product,
                stage=row.stage,
                currency=row.currency,
                value=deal_value,
                probability=deal_probability,
                close_date=row.close_date,
                expected=weighted,
                expected_base=converted,
            )
        )
    logger.info("top deals read team_id=%s member_id=%s limit=%s shown=%s", team.id, actor.id, limit, len(deals))
    return TopView(deals=tuple(deals), scope=scope, rates=rates, unconverted=unconverted)
