"""Team exchange rates (/fx) and the reporting currency that reports convert into."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import AccessDenied, ParseError
from bot.i18n import N_
from bot.models import FxRate as FxRateRow
from bot.models import Member, Team
from bot.services.members import is_manager
from reports.fx import DEFAULT_REPORTING_CURRENCY, FxRate, usable_rates

logger = logging.getLogger(__name__)

FX_MANAGERS_ONLY = N_("Only admins and managers set exchange rates and the reporting currency. /fx alone lists them.")
FX_SAME_AS_BASE = N_("%(currency)s is the reporting currency, so its rate is always 1. Set rates for other currencies.")
FX_RATE_TOO_PRECISE = N_("The rate '%(value)s' has more than %(places)s decimal places. Round it to %(places)s places.")
FX_RATE_NOT_POSITIVE = N_("The rate '%(value)s' must be above 0, e.g. /fx EUR 7.8.")
FX_RATE_OUT_OF_RANGE = N_("The rate '%(value)s' is out of range. Give a positive number below %(limit)s, e.g. /fx EUR 7.8.")

# A rate is stored with Numeric(18, 6), so it must stay below 10^12 with at most 6 places.
MAX_RATE = Decimal("1000000000000")
RATE_PLACES = 6


@dataclass(frozen=True)
class TeamRates:
    """The team's reporting currency, the rates usable against it, and every stored rate."""

    base: str
    usable: dict[str, FxRate]
    stored: tuple[FxRate, ...]


def reporting_currency(team: Team) -> str:
    return team.reporting_currency or DEFAULT_REPORTING_CURRENCY


async def team_rates(session: AsyncSession, *, team: Team) -> TeamRates:
    rows = (
        await session.execute(select(FxRateRow).where(FxRateRow.team_id == team.id).order_by(FxRateRow.currency))
    ).scalars()
    stored = tuple(FxRate(currency=row.currency, rate=row.rate, base=row.base, set_at=row.set_at) for row in rows)
    base = reporting_currency(team)
    return TeamRates(base=base, usable=usable_rates(stored, base=base), stored=stored)


def _require_manager(actor: Member) -> None:
    if not is_manager(actor):
        raise AccessDenied(FX_MANAGERS_ONLY)


async def set_rate(
    session: AsyncSession, *, actor: Member, team: Team, currency: str, rate: Decimal, now: datetime
) -> FxRate:
    """Store the team's rate of `currency` against the reporting currency, replacing an older one."""
    _require_manager(actor)
    base = reporting_currency(team)
    if currency == base:
        raise ParseError(FX_SAME_AS_BASE, currency=currency)
    if rate <= 0:
        raise ParseError(FX_RATE_NOT_POSITIVE, value=str(rate))
    if rate >= MAX_RATE:
        raise ParseError(FX_RATE_OUT_OF_RANGE, value=str(rate), limit=str(MAX_RATE))
    if -rate.normalize().as_tuple().exponent > RATE_PLACES:
        raise ParseError(FX_RATE_TOO_PRECISE, value=str(rate), places=RATE_PLACES)
    row = (
        await session.execute(select(FxRateRow).where(FxRateRow.team_id == team.id, FxRateRow.currency == currency))
    ).scalar_one_or_none()
    if row is None:
        row = FxRateRow(team_id=team.id, currency=currency, base=base, rate=rate, set_by=actor.id, set_at=now)
        session.add(row)
    else:
        row.base, row.rate, row.set_by, row.set_at = base, rate, actor.id, now
    await session.flush()
    logger.info("fx rate set team_id=%s member_id=%s currency=%s base=%s", team.id, actor.id, currency, base)
    return FxRate(currency=currency, rate=rate, base=base, set_at=now)


async def set_reporting_currency(session: AsyncSession, *, actor: Member, team: Team, currency: str) -> None:
    """Change the currency that reports convert into; rates against the old base stay stored, unused."""
    _require_manager(actor)
    team.reporting_currency = currency
    await session.flush()
    logger.info("reporting currency set team_id=%s member_id=%s currency=%s", team.id, actor.id, currency)
