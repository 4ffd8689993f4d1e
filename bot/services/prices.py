"""Regional price lists (/price): list prices per product and market, and the quote check.

A market is a country (ISO 3166 alpha-2) or one of the team's market groups. When a rep
quotes a price on a deal, the buyer's market list price is looked up (the country's own
entry first, then a market group that contains the country) and the quote is compared
with it. A quote further than the team's tolerance from the list price warns the rep
and queues an alert for the managers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import AccessDenied, NotFound, ParseError
from bot.i18n import N_
from bot.models import Customer, Deal, ListPrice, Market, Member, Team
from bot.services import audit
from bot.services.alerts import alert_managers
from bot.services.customers import name_key
from bot.services.fx import team_rates
from bot.services.members import is_manager
from handlers.parsing_money import Money
from handlers.parsing_text import normalize_text
from reports.fx import convert_amount

logger = logging.getLogger(__name__)

PRICES_MANAGERS_ONLY = N_("Only admins and managers set list prices and the quote tolerance. /price PRODUCT shows them.")
# The product is quoted as `value`, so the router cuts a pasted page of text to 80 characters.
PRICE_PRODUCT_UNKNOWN = N_("No list price for '%(value)s'. Products with list prices: %(products)s.")
PRICE_PRODUCT_UNKNOWN_MORE = N_(
    "No list price for '%(value)s'. Products with list prices: %(products)s and %(count)s more."
)
PRICE_NO_PRODUCTS = N_("No list prices yet. A manager sets one with /price set PRODUCT MARKET PRICE.")
PRICE_MARKET_MISSING = N_("'%(product)s' has no list price for %(market)s. It has: %(markets)s.")
TOLERANCE_OUT_OF_RANGE = N_("The tolerance '%(value)s' is out of range. Give a percentage from 0 to 100, e.g. /price tolerance 10.")
TOLERANCE_TOO_PRECISE = N_(
    "The tolerance '%(value)s' has more than %(places)s decimal places. Round it to %(places)s places, e.g. /price tolerance 7.5."
)

# The audit action, and alert, of a quote outside the tolerance.
QUOTE_OFF_LIST_ACTION = "quote_off_list"
COUNTRY_PREFIX = "country:"
MARKET_PREFIX = "market:"
MAX_TOLERANCE = Decimal(100)
# The tolerance is stored as Numeric(5, 2); more places would be rounded away unseen.
TOLERANCE_PLACES = 2
# Products named in the reply to an unknown product, and characters shown of each name.
MAX_LISTED_PRODUCTS = 10
MAX_PRODUCT_CHARS = 80


@dataclass(frozen=True)
class MarketRef:
    """A market as stored: a country code, or a market group's id and name."""

    country: str | None = None
    market_id: int | None = None
    market_name: str | None = None

    @property
    def key(self) -> str:
        if self.country:
            return COUNTRY_PREFIX + self.country
        return f"{MARKET_PREFIX}{self.market_id}"


@dataclass(frozen=True)
class QuoteCheck:
    """A quote compared with the buyer's market list price.

    `difference` is (quote − list) / list in percent, None when the two cannot be compared;
    `mismatch` then names why: "currency" (and no team rates), "unit" or "incoterm".
    """

    entry: ListPrice
    market: MarketRef
    difference: Decimal | None
    mismatch: str | None
    tolerance: Decimal

    @property
    def outside_tolerance(self) -> bool:
        return self.difference is not None and abs(self.difference) > self.tolerance


def product_key(product: str) -> str:
    """Fold width, case and runs of whitespace: "Thermal  CTP plate" matches "thermal ctp plate"."""
    return " ".join(normalize_text(product).casefold().split())


def describe_price(entry: ListPrice | Deal) -> str:
    """Render a price with its unit and terms: "USD 3.3/sqm FOB Shanghai"."""
    amount = entry.amount if isinstance(entry, ListPrice) else entry.unit_price
    text = f"{entry.currency} {amount.normalize():f}" if amount is not None else str(entry.currency)
    if entry.price_unit:
        text += f"/{entry.price_unit}"
    if entry.incoterm:
        text += f" {entry.incoterm}" + (f" {entry.incoterm_place}" if entry.incoterm_place else "")
    return text


def _require_manager(actor: Member) -> None:
    if not is_manager(actor):
        raise AccessDenied(PRICES_MANAGERS_ONLY)


async def find_market_group(session: AsyncSession, *, team_id: int, text: str) -> Market | None:
    """Return the team's market group named `text` (case, width and punctuation folded), or None."""
    key = name_key(text)
    if not key:
        return None
    # Folded here rather than by the stored name_key, so the match does not depend on how
    # the market groups' own service folds names.
    groups = (await session.execute(select(Market).where(Market.team_id == team_id).order_by(Market.id))).scalars()
    for group in groups:
        if name_key(group.name) == key:
            return group
    return None


async def set_list_price(
    session: AsyncSession, *, actor: Member, team: Team, product: str, market: MarketRef, money: Money, now: datetime
) -> ListPrice:
    """Store or replace the list price of `product` for `market`.

    Raises:
        AccessDenied: when `actor` is a rep.
    """
    _require_manager(actor)
    key = product_key(product)
    statement = select(ListPrice).where(
        ListPrice.team_id == team.id, ListPrice.product_key == key, ListPrice.market_key == market.key
    )
    entry = (await session.execute(statement)).scalar_one_or_none()
    if entry is None:
        entry = ListPrice(team_id=team.id, product_key=key, market_key=market.key)
        session.add(entry)
    entry.product = " ".join(normalize_text(product).split())
    entry.country = market.country
    entry.market_id = market.market_id
    entry.currency = money.currency
    entry.amount = money.amount
    entry.price_unit = money.unit
    entry.incoterm = money.incoterm
    entry.incoterm_place = money.place
    entry.set_by = actor.id
    entry.set_at = now
    await session.flush()
    logger.info("list price set list_price_id=%s team_id=%s member_id=%s market=%s", entry.id, team.id, actor.id, market.key)
    return entry


async def set_tolerance(session: AsyncSession, *, actor: Member, team: Team, percent: Decimal) -> None:
    """Set the team's quote tolerance in percent.

    Raises:
        AccessDenied: when `actor` is a rep.
        ParseError: for a percentage below 0 or above 100.
    """
    _require_manager(actor)
    if not Decimal(0) <= percent <= MAX_TOLERANCE:
        raise ParseError(TOLERANCE_OUT_OF_RANGE, value=f"{percent:f}")
    if -percent.normalize().as_tuple().exponent > TOLERANCE_PLACES:  # type: ignore[operator]
        raise ParseError(TOLERANCE_TOO_PRECISE, value=f"{percent:f}", places=TOLERANCE_PLACES)
    team.price_tolerance_percent = percent
    await session.flush()
    logger.info("quote tolerance set team_id=%s member_id=%s percent=%s", team.id, actor.id, percent)


async def _team_entries(session: AsyncSession, *, team_id: int, key: str | None = None) -> list[ListPrice]:
    statement = select(ListPrice).where(ListPrice.team_id == team_id).order_by(ListPrice.product_key, ListPrice.id)
    if key is not None:
        statement = statement.where(ListPrice.product_key == key)
    return list((await session.execute(statement)).scalars())


async def has_list_prices(session: AsyncSession, *, team_id: int, product: str) -> bool:
    statement = select(ListPrice.id).where(ListPrice.team_id == team_id, ListPrice.product_key == product_key(product))
    return (await session.execute(statement.limit(1))).first() is not None


async def market_names(session: AsyncSession, *, team_id: int) -> dict[int, str]:
    rows = await session.execute(select(Market.id, Market.name).where(Market.team_id == team_id))
    return {market_id: name for market_id, name in rows}


def _listed_product(name: str) -> str:
    return name if len(name) <= MAX_PRODUCT_CHARS else name[:MAX_PRODUCT_CHARS] + "…"


def _unknown_product(product: str, known: list[str]) -> NotFound:
    listed = ", ".join(_listed_product(name) for name in known[:MAX_LISTED_PRODUCTS])
    if len(known) > MAX_LISTED_PRODUCTS:
        return NotFound(PRICE_PRODUCT_UNKNOWN_MORE, value=product, products=listed, count=len(known) - MAX_LISTED_PRODUCTS)
    return NotFound(PRICE_PRODUCT_UNKNOWN, value=product, products=listed)


async def show_list_prices(
    session: AsyncSession,
    *,
    team: Team,
    product: str,
    market: MarketRef | None,
    country_label: Callable[[str], str] = str,
    market_label: Callable[[str], str] = str,
) -> list[ListPrice]:
    """Return the list prices of `product`, for one market when given, countries first.

    `country_label` names a country code in the reader's language in the error about a
    missing market.

    Raises:
        NotFound: for a product without list prices (naming those that have one), or a
            market without a list price for the product (naming the markets it has).
    """
    entries = await _team_entries(session, team_id=team.id, key=product_key(product))
    if not entries:
        known = list(dict.fromkeys(entry.product for entry in await _team_entries(session, team_id=team.id)))
        if not known:
            raise NotFound(PRICE_NO_PRODUCTS)
        raise _unknown_product(product, known)
    entries.sort(key=lambda entry: (entry.country is None, entry.country or "", entry.market_id or 0))
    if market is None:
        return entries
    matching = [entry for entry in entries if entry.market_key == market.key]
    if not matching:
        names = await market_names(session, team_id=team.id)
        raise NotFound(
            PRICE_MARKET_MISSING,
            product=entries[0].product,
            market=country_label(market.country) if market.country else market_label(market.market_name or "?"),
            markets=", ".join(
                country_label(entry.country) if entry.country else market_label(names.get(entry.market_id or 0, "?"))
                for entry in entries
            ),
        )
    return matching


async def buyer_list_price(session: AsyncSession, *, team: Team, customer: Customer, product: str) -> tuple[ListPrice, MarketRef] | None:
    """Return the list price of `product` for the buyer's country, else for a market group containing it."""
    entries = await _team_entries(session, team_id=team.id, key=product_key(product))
    for entry in entries:
        if entry.country == customer.country:
            return entry, MarketRef(country=entry.country)
    group_ids = [entry.market_id for entry in entries if entry.market_id is not None]
    if not group_ids:
        return None
    groups = (await session.execute(select(Market).where(Market.id.in_(group_ids)).order_by(Market.id))).scalars()
    containing = {group.id: group for group in groups if customer.country in (group.countries or [])}
    for entry in entries:
        if entry.market_id in containing:
            return entry, MarketRef(market_id=entry.market_id, market_name=containing[entry.market_id].name)
    return None


def compare_quote(
    quote: Deal, entry: ListPrice, *, tolerance: Decimal, rates: dict[str, object], base: str, market: MarketRef
) -> QuoteCheck:
    """Compare a deal's unit price with a list price; convert currencies only through team rates."""

    def result(difference: Decimal | None, mismatch: str | None) -> QuoteCheck:
        return QuoteCheck(entry=entry, market=market, difference=difference, mismatch=mismatch, tolerance=tolerance)

    assert quote.unit_price is not None and quote.currency is not None
    if quote.price_unit and entry.price_unit and quote.price_unit != entry.price_unit:
        return result(None, "unit")
    if quote.incoterm and entry.incoterm and quote.incoterm != entry.incoterm:
        return result(None, "incoterm")
    quoted, listed = quote.unit_price, entry.amount
    if quote.currency != entry.currency:
        quoted_base = convert_amount(quoted, quote.currency, base=base, rates=rates)  # type: ignore[arg-type]
        listed_base = convert_amount(listed, entry.currency, base=base, rates=rates)  # type: ignore[arg-type]
        if quoted_base is None or listed_base is None or listed_base == 0:
            return result(None, "currency")
        quoted, listed = quoted_base, listed_base
    difference = ((quoted - listed) / listed * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return result(difference, None)


async def check_quote(
    session: AsyncSession,
    *,
    actor: Member,
    team: Team,
    customer: Customer,
    deal: Deal,
    now: datetime,
    platform: str | None,
    chat_id: str | None,
) -> QuoteCheck | None:
    """Compare the deal's quote with the buyer's market list price; alert managers when outside tolerance.

    Returns None when the deal has no price or the product has no list price for the buyer's market.
    """
    if deal.unit_price is None or deal.currency is None:
        return None
    found = await buyer_list_price(session, team=team, customer=customer, product=deal.product)
    if found is None:
        return None
    entry, market = found
    rates = await team_rates(session, team=team)
    tolerance = Decimal(team.price_tolerance_percent if team.price_tolerance_percent is not None else 10)
    check = compare_quote(deal, entry, tolerance=tolerance, rates=rates.usable, base=rates.base, market=market)
    if check.outside_tolerance:
        event = await audit.record(
            session,
            actor=actor,
            action=QUOTE_OFF_LIST_ACTION,
            now=now,
            detail={
                "deal_id": deal.id,
                "list_price_id": entry.id,
                # Parameters of the alert message; prices, not contact details.
                "params": {
                    "customer": customer.name,
                    "product": deal.product,
                    "quote": describe_price(deal),
                    "list": describe_price(entry),
                    "difference": f"{check.difference:+}%",
                    "tolerance": f"{tolerance.normalize():f}%",
                },
            },
            platform=platform,
            chat_id=chat_id,
            customer_id=customer.id,
        )
        await alert_managers(session, event=event, now=now)
    logger.info(
        "quote checked deal_id=%s list_price_id=%s difference=%s mismatch=%s",
        deal.id,
        entry.id,
        check.difference,
        check.mismatch,
    )
    return check
