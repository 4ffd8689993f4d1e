"""Short text renderings of stored records, shared by several commands."""

from __future__ import annotations

from bot.errors import CountryCode, MarketNames
from bot.i18n import Translator
from bot.models import Deal
from bot.services.deals import deal_probability
from bot.services.market_table import market_label
from handlers.labels import STAGE_LABELS
from reminders.formatting import country_name


def describe_quantity(deal: Deal) -> str | None:
    if deal.qty_amount is None:
        return None
    amount = f"{deal.qty_amount.normalize():f}"
    return f"{amount}×{deal.qty_unit}" if deal.qty_is_container else f"{amount} {deal.qty_unit}"


def describe_deal(deal: Deal, *, t: Translator) -> str:
    """Render product, spec, quantity, price terms and stage with its probability on one line."""
    parts = [deal.product]
    if deal.spec:
        parts.append(deal.spec)
    quantity = describe_quantity(deal)
    if quantity:
        parts.append(quantity)
    if deal.unit_price is not None and deal.currency:
        terms = f"{deal.currency} {deal.unit_price.normalize():f}"
        if deal.price_unit:
            terms += f"/{deal.price_unit}"
        if deal.incoterm:
            terms += f" {deal.incoterm}" + (f" {deal.incoterm_place}" if deal.incoterm_place else "")
        parts.append(terms)
    percent = int(deal_probability(deal) * 100)
    parts.append(f"{t.gettext(STAGE_LABELS[deal.stage.value])} ({percent}%)")
    if deal.close_date and deal.stage.is_open:
        parts.append(t.gettext("expected close %(date)s", date=deal.close_date.isoformat()))
    if deal.close_reason and not deal.stage.is_open:
        parts.append(deal.close_reason)
    return ", ".join(parts)


def localized_param(value: object, t: Translator) -> object:
    """Render an error parameter that depends on the reader's language; return others unchanged."""
    if isinstance(value, CountryCode):
        return country_name(value, t)
    if isinstance(value, MarketNames):
        return ", ".join(market_label(name, t.locale) for name in value)
    return value
