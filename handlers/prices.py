"""The /price command: set and show regional list prices, set the quote tolerance.

Grammar (market and price are separated from the product by spaces):

- `/price set PRODUCT MARKET PRICE`: the price is the longest tail of the message that
  reads as a price (USD 3.3 FOB Shanghai), and the market is the last one to four words
  before it that name a country (美国 / US / United States, a code in upper case) or a
  team market group (欧洲). The rest is the product. Commas (，or ,) between the parts
  count as spaces; a comma between two digits stays part of the number (1,250.00). When
  no tail reads as a price but one clearly tries to (USD 0, XYZ 3.3), the reply gives
  that tail's own error. The fields form `/price set 产品: … 国家: … 价格: …`
  works too, and the country field may name a market group.
- `/price PRODUCT [MARKET]`: all markets, or one.
- `/price tolerance [PERCENT]`: show or set the tolerance of the quote check.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from bot.errors import ParseError, UserError
from bot.i18n import N_, Translator
from bot.models import ListPrice
from bot.services import prices as price_service
from bot.services.market_table import market_label
from bot.services.prices import MarketRef, QuoteCheck, describe_price
from bot.transports.base import Reply
from handlers.context import HandlerContext
from handlers.limits import PLACE_LIMIT
from handlers.parsing import parse_fields, parse_money
from handlers.parsing_countries import country_name, resolve_country
from handlers.field_aliases import CURRENCY_CODE_ALIASES, CURRENCY_NAMES_ZH, CURRENCY_SYMBOLS
from handlers.parsing_money import (
    PRICE_NOT_POSITIVE,
    PRICE_TOO_LARGE,
    PRICE_TOO_PRECISE,
    PRICE_UNKNOWN_CURRENCY,
    Money,
)
from handlers.parsing_text import normalize_text

SET_WORDS = frozenset({"set", "设置", "设定"})
TOLERANCE_WORDS = frozenset({"tolerance", "容差", "偏差"})
# A market name has at most this many words ("United Arab Emirates", "South-East Asia").
MAX_MARKET_WORDS = 4
_LOWER_CASE_CODE = re.compile(r"(?![A-Z]+$)[A-Za-z]{2,3}")
PRICE_FIELDS = frozenset({"product", "country", "price"})
# A comma that does not sit between two digits separates parts: "0.27 mm，美国，USD 3.3".
_SEPARATING_COMMA = re.compile(r"(?<!\d),|,(?!\d)")
_CURRENCY_CODE_LIKE = re.compile(r"[A-Z]{3}")
# Put in place of an unknown currency to test whether the rest of the tail reads as a price.
KNOWN_CURRENCY = "USD"
# Errors of parse_money that show a tail was meant as a price, with an amount or currency
# that is wrong, rather than text that is no price at all.
PRICE_ATTEMPT_ERRORS = frozenset({PRICE_NOT_POSITIVE, PRICE_TOO_PRECISE, PRICE_UNKNOWN_CURRENCY, PRICE_TOO_LARGE})
PRODUCT_LIMIT = 300

PRICE_USAGE = N_(
    "Write /price set PRODUCT MARKET PRICE, e.g. /price set thermal CTP plate 0.27 mm 美国 USD 3.3 FOB Shanghai; "
    "or /price PRODUCT to see the list prices."
)
PRICE_SET_NO_PRICE = N_(
    "No price found at the end of '%(value)s'. Write e.g. /price set thermal CTP plate 0.27 mm 美国 USD 3.3 FOB Shanghai."
)
PRICE_SET_NO_MARKET = N_(
    "No market before the price in '%(value)s'. Write a country (美国 / US) or a team market group "
    "between the product and the price, separated by spaces."
)
PRICE_SET_NO_PRODUCT = N_("No product before the market. Write e.g. /price set thermal CTP plate 0.27 mm 美国 USD 3.3.")
PRICE_MARKET_NOT_RECOGNISED = N_(
    "Market '%(value)s' is neither a country nor one of the team's market groups. Write e.g. 美国 / US."
)
PRODUCT_TOO_LONG = N_("The product name is too long. Use at most %(limit)s characters.")
TOLERANCE_NOT_A_NUMBER = N_("The tolerance '%(value)s' is not a number. Write a percentage, e.g. /price tolerance 10.")


def _split_words(text: str) -> list[str]:
    return normalize_text(text).split()


def _split_set_words(text: str) -> list[str]:
    return _SEPARATING_COMMA.sub(" ", normalize_text(text)).split()


def _starts_like_currency(word: str) -> bool:
    folded = word.casefold()
    return (
        bool(_CURRENCY_CODE_LIKE.fullmatch(word))
        or folded in CURRENCY_CODE_ALIASES
        or word in CURRENCY_NAMES_ZH
        or any(folded.startswith(symbol) for symbol in CURRENCY_SYMBOLS)
    )


async def _resolve_market(context: HandlerContext, text: str) -> MarketRef | None:
    """Return the market `text` names: a country first, then a team market group; None when neither."""
    try:
        return MarketRef(country=resolve_country(text))
    except ParseError:
        pass
    group = await price_service.find_market_group(context.session, team_id=context.team.id, text=text)
    if group is not None:
        return MarketRef(market_id=group.id, market_name=group.name)
    return None


async def _trailing_market(context: HandlerContext, words: list[str]) -> tuple[list[str], MarketRef] | None:
    """Split the longest market name (up to MAX_MARKET_WORDS words) off the end of `words`, keeping a product.

    A country code counts here only in upper case (US, IND), because product names end in
    lower-case units that are also codes: "mm" is Myanmar and "pe" Peru.
    """
    for size in range(min(MAX_MARKET_WORDS, len(words) - 1), 0, -1):
        candidate = " ".join(words[-size:])
        if _LOWER_CASE_CODE.fullmatch(candidate):
            continue
        market = await _resolve_market(context, candidate)
        if market is not None:
            return words[:-size], market
    return None


def _is_price_attempt(tail: list[str], error: ParseError) -> bool:
    """Tell whether `tail` failed as a price would; an unknown currency counts only as a whole price's
    first word ("XYZ 3.3 FOB Shanghai"), not as a product word in upper case ("CTP plate 0.27 mm")."""
    if error.message != PRICE_UNKNOWN_CURRENCY:
        return True
    if tail[0] != error.params.get("currency"):
        return False
    try:
        parse_money(" ".join([KNOWN_CURRENCY, *tail[1:]]))
    except ParseError:
        return False
    return True


def _trailing_price(words: list[str]) -> tuple[list[str], Money] | None:
    """Split the longest tail of `words` that reads as a price off the end.

    Raises:
        ParseError: no tail reads as a price, but one fails as a price does (an amount of
            0, too many decimals, an unknown currency, too large): that tail's own error,
            preferring the shortest tail that starts with a currency.
    """
    attempts: list[tuple[int, ParseError]] = []
    for start in range(len(words)):
        try:
            return words[:start], parse_money(" ".join(words[start:]))
        except ParseError as error:
            if error.message in PRICE_ATTEMPT_ERRORS and _is_price_attempt(words[start:], error):
                attempts.append((start, error))
    if attempts:
        with_currency = [error for start, error in attempts if _starts_like_currency(words[start])]
        raise (with_currency or [error for _, error in attempts])[-1]
    return None


async def _parse_set(context: HandlerContext, text: str) -> tuple[str, MarketRef, Money]:
    parsed = parse_fields(text, allowed=PRICE_FIELDS, free_text_fields=frozenset())
    if parsed.fields:
        if parsed.leading.strip() or set(parsed.fields) != PRICE_FIELDS:
            raise UserError(PRICE_USAGE)
        market = await _resolve_market(context, parsed.fields["country"])
        if market is None:
            raise ParseError(PRICE_MARKET_NOT_RECOGNISED, value=parsed.fields["country"].strip())
        return parsed.fields["product"].strip(), market, parse_money(parsed.fields["price"])

    words = _split_set_words(text)
    found = _trailing_price(words)
    if found is None:
        raise ParseError(PRICE_SET_NO_PRICE, value=" ".join(words))
    before_price, money = found
    if not before_price:
        raise ParseError(PRICE_SET_NO_PRODUCT)
    split = await _trailing_market(context, before_price)
    if split is None:
        if len(before_price) == 1:
            raise ParseError(PRICE_SET_NO_PRODUCT)
        raise ParseError(PRICE_SET_NO_MARKET, value=" ".join(words))
    product_words, market = split
    return " ".join(product_words), market, money


def _market_label(entry: ListPrice | MarketRef, *, names: dict[int, str], t: Translator) -> str:
    if entry.country:
        return country_name(entry.country, t.locale)
    if isinstance(entry, MarketRef) and entry.market_name:
        return market_label(entry.market_name, t.locale)
    return market_label(names.get(entry.market_id or 0, "?"), t.locale)


async def _cmd_set(context: HandlerContext, text: str) -> list[Reply]:
    member = context.require_member()
    product, market, money = await _parse_set(context, text)
    if len(product) > PRODUCT_LIMIT:
        raise ParseError(PRODUCT_TOO_LONG, limit=PRODUCT_LIMIT)
    if money.place and len(money.place) > PLACE_LIMIT:
        raise ParseError(
            N_("The port or place '%(place)s…' is too long. Use at most %(limit)s characters."),
            place=money.place[:30],
            limit=PLACE_LIMIT,
        )
    entry = await price_service.set_list_price(
        context.session, actor=member, team=context.team, product=product, market=market, money=money, now=context.now
    )
    t = context.t
    label = _market_label(market, names={}, t=t)
    return [
        Reply(text=t.gettext("List price set: %(product)s, %(market)s: %(price)s.", product=entry.product, market=label, price=describe_price(entry)))
    ]


async def _cmd_tolerance(context: HandlerContext, text: str) -> list[Reply]:
    member = context.require_member()
    t = context.t
    value = text.strip().rstrip("%％").strip()
    if not value:
        current = context.team.price_tolerance_percent
        return [Reply(text=t.gettext("Quote tolerance: %(percent)s%%.", percent=f"{Decimal(current).normalize():f}"))]
    try:
        percent = Decimal(value)
    except InvalidOperation:
        raise ParseError(TOLERANCE_NOT_A_NUMBER, value=text.strip()) from None
    if not percent.is_finite():
        raise ParseError(TOLERANCE_NOT_A_NUMBER, value=text.strip())
    await price_service.set_tolerance(context.session, actor=member, team=context.team, percent=percent)
    return [
        Reply(
            text=t.gettext(
                "Quote tolerance set to %(percent)s%%. A quote further than this from the list price warns the rep and the managers.",
                percent=format(percent.normalize(), "f"),
            )
        )
    ]


async def _cmd_show(context: HandlerContext, text: str) -> list[Reply]:
    context.require_member()
    session, team = context.session, context.team
    words = _split_words(text)
    product, market = " ".join(words), None
    # A product whose whole name has list prices wins over reading its last words as a market.
    if not await price_service.has_list_prices(session, team_id=team.id, product=product):
        split = await _trailing_market(context, words)
        if split is not None:
            product, market = " ".join(split[0]), split[1]
    t = context.t
    entries = await price_service.show_list_prices(
        session,
        team=team,
        product=product,
        market=market,
        country_label=lambda code: country_name(code, t.locale),
        market_label=lambda name: market_label(name, t.locale),
    )
    names = await price_service.market_names(session, team_id=team.id)
    listed = ", ".join(f"{_market_label(entry, names=names, t=t)} {describe_price(entry)}" for entry in entries)
    return [Reply(text=f"{entries[0].product}: {listed}")]


async def cmd_price(context: HandlerContext, args: str) -> list[Reply]:
    """Set or show list prices per product and market, or the quote tolerance."""
    text = normalize_text(args).strip()
    first, _, rest = text.partition(" ")
    folded = first.casefold()
    if not text:
        raise UserError(PRICE_USAGE)
    if folded in SET_WORDS:
        return await _cmd_set(context, rest)
    if folded in TOLERANCE_WORDS:
        return await _cmd_tolerance(context, rest)
    return await _cmd_show(context, text)


def describe_quote_check(check: QuoteCheck, *, t: Translator) -> str:
    """Render the list price of the buyer's market and how the quote compares with it."""
    market = _market_label(check.market, names={}, t=t)
    listed = describe_price(check.entry)
    tolerance = f"{check.tolerance.normalize():f}%"
    if check.mismatch == "currency":
        return t.gettext(
            "List price for %(market)s: %(price)s. The quote is in another currency and the team has no exchange rates "
            "for both, so no difference is computed. Set them with /fx.",
            market=market,
            price=listed,
        )
    if check.mismatch is not None:
        return t.gettext(
            "List price for %(market)s: %(price)s. The quote has another unit or Incoterm, so no difference is computed.",
            market=market,
            price=listed,
        )
    difference = f"{check.difference:+}%"
    if check.outside_tolerance:
        return t.gettext(
            "⚠️ The quote is %(difference)s from the list price for %(market)s (%(price)s), beyond the team's "
            "%(tolerance)s tolerance. Your managers were notified.",
            difference=difference,
            market=market,
            price=listed,
            tolerance=tolerance,
        )
    return t.gettext(
        "List price for %(market)s: %(price)s. The quote is %(difference)s from it, within the %(tolerance)s tolerance.",
        market=market,
        price=listed,
        difference=difference,
        tolerance=tolerance,
    )
