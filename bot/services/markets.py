"""Markets: a team's named groups of countries, assigned to reps to split the territory."""

from __future__ import annotations

import logging
import re
import unicodedata

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import AccessDenied, CountryCode, MarketNames, NotFound, UserError
from bot.i18n import DEFAULT_LOCALE, N_
from bot.models import Market, Member, MemberMarket, Team
from bot.services.market_table import DEFAULT_MARKETS, market_label
from bot.services.members import is_manager

logger = logging.getLogger(__name__)

MAX_MARKET_NAME = 100
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)

OUTSIDE_MARKETS = N_(
    "%(country)s is outside your markets (%(markets)s). Ask a manager to register this buyer, "
    "or to turn on registering outside markets (/market outside on)."
)
# An import row's reason, shown in the preview's list of invalid rows.
OUTSIDE_MARKETS_ROW = N_("country %(country)s is outside your markets (%(markets)s).")


def market_key(name: str) -> str:
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", name).casefold())


def require_manager(actor: Member) -> None:
    if not is_manager(actor):
        raise AccessDenied(N_("Only admins and managers can change markets."))


async def team_markets(session: AsyncSession, *, team_id: int) -> list[Market]:
    statement = select(Market).where(Market.team_id == team_id).order_by(Market.name_key)
    return list((await session.execute(statement)).scalars())


def default_market(name: str) -> tuple[str, str, tuple[str, ...]] | None:
    """Return the default market whose Chinese or English name is `name`, or None."""
    key = market_key(name)
    for entry in DEFAULT_MARKETS:
        if key in (market_key(entry[0]), market_key(entry[1])):
            return entry
    return None


async def set_market(session: AsyncSession, *, actor: Member, name: str, countries: list[str]) -> Market:
    """Create the market `name` or replace its countries (admins and managers)."""
    require_manager(actor)
    name = name.strip()
    key = market_key(name)
    if not key or len(name) > MAX_MARKET_NAME:
        raise UserError(N_("A market needs a name of 1 to %(limit)s characters, e.g. /market set 欧洲 DE FR IT."), limit=MAX_MARKET_NAME)
    if not countries:
        raise UserError(N_("Name the market's countries, e.g. /market set 欧洲 DE FR IT."))
    market = await _stored_market(session, team_id=actor.team_id, name=name)
    if market is None:
        market = Market(team_id=actor.team_id, name=name, name_key=key, countries=[])
        session.add(market)
    market.countries = sorted(set(countries))
    await session.flush()
    logger.info("market set market_id=%s team_id=%s countries=%d by member_id=%s", market.id, actor.team_id, len(market.countries), actor.id)
    return market


async def _stored_market(session: AsyncSession, *, team_id: int, name: str) -> Market | None:
    """Return the team's market called `name`, in any case, or by another name of the same default market.

    "欧洲", "Europe" and "EUROPE" are one market, whichever of them the team stored.
    """
    entry = default_market(name)
    keys = {market_key(name)} | ({market_key(alias) for alias in entry[:2]} if entry else set())
    statement = select(Market).where(Market.team_id == team_id, Market.name_key.in_(sorted(keys))).order_by(Market.id)
    return (await session.execute(statement)).scalars().first()


async def find_market(session: AsyncSession, *, team_id: int, name: str, locale: str = DEFAULT_LOCALE) -> Market:
    """Return the team's market `name`; a default market named for the first time is stored for the team.

    When there is none, the error lists the team's markets, default ones in `locale`.
    """
    market = await _stored_market(session, team_id=team_id, name=name)
    if market is not None:
        return market
    entry = default_market(name)
    if entry is not None:
        market = Market(team_id=team_id, name=name.strip(), name_key=market_key(name), countries=sorted(entry[2]))
        session.add(market)
        await session.flush()
        return market
    stored = [market.name for market in await team_markets(session, team_id=team_id)]
    names = [market_label(stored_name, locale) for stored_name in stored]
    keys = {market_key(stored_name) for stored_name in stored}
    names += [
        market_label(entry[0], locale) for entry in DEFAULT_MARKETS if not keys & {market_key(entry[0]), market_key(entry[1])}
    ]
    raise NotFound(N_("No market '%(value)s'. Markets: %(names)s."), value=name, names=", ".join(names))


async def remove_market(session: AsyncSession, *, actor: Member, market: Market) -> None:
    require_manager(actor)
    await session.execute(delete(MemberMarket).where(MemberMarket.market_id == market.id))
    await session.delete(market)
    await session.flush()
    logger.info("market removed market_id=%s team_id=%s by member_id=%s", market.id, actor.team_id, actor.id)


async def member_markets(session: AsyncSession, *, member: Member) -> list[Market]:
    statement = (
        select(Market)
        .join(MemberMarket, MemberMarket.market_id == Market.id)
        .where(MemberMarket.member_id == member.id)
        .order_by(Market.name_key)
    )
    return list((await session.execute(statement)).scalars())


async def assign_market(session: AsyncSession, *, actor: Member, member: Member, market: Market, assigned: bool) -> None:
    """Give `member` the market, or take it away when `assigned` is False (admins and managers)."""
    require_manager(actor)
    link = await session.get(MemberMarket, (member.id, market.id))
    if assigned and link is None:
        session.add(MemberMarket(member_id=member.id, market_id=market.id))
    elif not assigned and link is not None:
        await session.delete(link)
    await session.flush()
    logger.info(
        "market %s market_id=%s member_id=%s by member_id=%s",
        "assigned" if assigned else "unassigned",
        market.id,
        member.id,
        actor.id,
    )


async def set_outside_allowed(session: AsyncSession, *, actor: Member, team: Team, allowed: bool) -> None:
    require_manager(actor)
    team.markets_outside_allowed = allowed
    await session.flush()
    logger.info("markets outside allowed=%s team_id=%s by member_id=%s", allowed, team.id, actor.id)


async def binding_markets(session: AsyncSession, *, actor: Member) -> list[Market]:
    """Return the markets that limit where the actor registers buyers; empty means anywhere.

    Managers, reps without markets, and every member of a team that allows it may register anywhere.
    """
    if is_manager(actor):
        return []
    team = await session.get(Team, actor.team_id)
    if team is not None and team.markets_outside_allowed:
        return []
    return await member_markets(session, member=actor)


def outside_markets(markets: list[Market], country: str | None) -> bool:
    """Tell whether `country` lies outside non-empty `markets`; a buyer without a country never does."""
    return bool(markets) and country is not None and not any(country in market.countries for market in markets)


async def check_market(session: AsyncSession, *, actor: Member, country: str) -> None:
    """Reject a rep's buyer in a country outside the rep's markets, unless the team allows it."""
    markets = await binding_markets(session, actor=actor)
    if outside_markets(markets, country):
        names = MarketNames(market.name for market in markets)
        raise AccessDenied(OUTSIDE_MARKETS, country=CountryCode(country), markets=names)

