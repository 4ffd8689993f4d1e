"""Prices with currency and Incoterm, and quantities in units or shipping containers."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from babel.numbers import list_currencies

from bot.errors import ParseError
from bot.i18n import N_
from handlers.field_aliases import (
    CHINESE_MULTIPLIERS,
    CONTAINER_TYPE_ALIASES,
    CONTAINER_TYPES,
    CURRENCY_CODE_ALIASES,
    CURRENCY_NAMES_ZH,
    CURRENCY_SYMBOLS,
    INCOTERM_ALIASES,
    INCOTERMS,
    UNIT_ALIASES,
)
from handlers.parsing_text import NUMBER_PATTERN, fold_key, normalize_text, parse_decimal, parse_small_count

logger = logging.getLogger(__name__)

PRICE_NO_AMOUNT = N_("Price '%(value)s' has no amount. Write e.g. USD 2.5 FOB Shanghai.")
PRICE_NOT_POSITIVE = N_("Price '%(value)s' is not above zero. Write e.g. USD 2.5 FOB Shanghai.")
PRICE_TWO_AMOUNTS = N_("Price '%(value)s' has more than one amount. Write one price, e.g. USD 2.5 FOB Shanghai.")
PRICE_NO_CURRENCY = N_("Price '%(value)s' has no currency. Write e.g. USD 2.5 FOB Shanghai.")
PRICE_TWO_CURRENCIES = N_("Price '%(value)s' has more than one currency. Write e.g. USD 2.5 FOB Shanghai.")
PRICE_TWO_INCOTERMS = N_("Price '%(value)s' has more than one Incoterm. Write e.g. USD 2.5 FOB Shanghai.")
PRICE_UNKNOWN_CURRENCY = N_("Currency '%(currency)s' is not recognised. Write e.g. USD 2.5 FOB Shanghai.")
PRICE_NOT_RECOGNISED = N_("Price '%(value)s' has unrecognised text '%(extra)s'. Write e.g. USD 2.5 FOB Shanghai.")
PRICE_NOT_A_NUMBER = N_(
    "'%(number)s' in price '%(value)s' is not a number. Write the amount in digits, e.g. USD 2.5 or USD 1,250.00."
)
PRICE_TOO_LARGE = N_("Price '%(value)s' is too large. Write an amount below %(limit)s.")
PRICE_TOO_PRECISE = N_(
    "Price '%(value)s' has more than %(places)s decimal places. Round the amount to %(places)s decimal places."
)
UNIT_NOT_RECOGNISED = N_(
    "Unit '%(unit)s' is not recognised. Write pcs, sqm, m, kg, t, sets, cartons, pallets or rolls."
)
QUANTITY_NO_NUMBER = N_("Quantity '%(value)s' has no number. Write e.g. 5000 pcs, 3 tons or 1×20GP.")
QUANTITY_NOT_POSITIVE = N_("Quantity '%(value)s' is not above zero. Write e.g. 5000 pcs or 1×20GP.")
QUANTITY_NOT_RECOGNISED = N_("Quantity '%(value)s' is not recognised. Write e.g. 5000 pcs, 3 tons or 1×20GP.")
CONTAINER_NOT_RECOGNISED = N_(
    "Container '%(value)s' is not recognised. Write e.g. 1×20GP, 2×40HQ, 1×45HQ or 1×40RF."
)
CONTAINER_COUNT_NOT_WHOLE = N_("Container count in '%(value)s' is not a whole number. Write e.g. 2×40HQ.")
QUANTITY_TOO_LARGE = N_("Quantity '%(value)s' is too large. Write an amount below %(limit)s.")
QUANTITY_TOO_PRECISE = N_(
    "Quantity '%(value)s' has more than %(places)s decimal places. Round the amount to %(places)s decimal places."
)

# Limits of the database columns: unit prices are Numeric(18, 4) and quantities
# Numeric(18, 3) in bot/models.py, so PostgreSQL raises "numeric field overflow" above
# 14 or 15 integer digits. Amounts must stay below 10^12, well inside both. Extra
# decimal places are rejected rather than rounded away by the database.
MAX_AMOUNT = Decimal(10) ** 12
PRICE_PLACES = 4
QUANTITY_PLACES = 3


@dataclass(frozen=True)
class Money:
    """A unit price: ISO 4217 currency, amount, and the Incoterm, place and unit if given."""

    currency: str
    amount: Decimal
    incoterm: str | None = None
    place: str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Quantity:
    """An order quantity: an amount of a unit (pcs, sqm, t...) or of a container type (20GP...)."""

    amount: Decimal
    unit: str
    is_container: bool = False


# ---------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
# Chinese amounts are counted in 万 (ten thousand) as often as in digits: "1万片",
# "5万美元". A 千 that starts 千克 (kilogram) is the unit, not a multiplier.
_MULTIPLIER = r"(?P<multiplier>" + "|".join(CHINESE_MULTIPLIERS) + r")(?!克)"
# A price amount is read loosely here and checked by parse_decimal, which also accepts
# decimal commas (3,20) and European grouping (1.250,00).
_NUMBER = re.compile(r"(?P<sign>-\s*)?(?P<number>\d(?:[\d,.]*\d)?)(?:\s*" + _MULTIPLIER + ")?")
# Scientific notation such as 1e9, which would otherwise read as the two amounts 1 and 9.
_EXPONENT_NUMBER = re.compile(r"\d[\d,.]*e[+-]?\d+", re.IGNORECASE)
# A unit after "/", "per" or 每: a Latin word that may contain digits and dots (m2, sq.m)
# or end in " m" (sq m), or a run of Chinese characters.
_UNIT_AFTER_PRICE = re.compile(
    r"(?:/|\bper\b|每)\s*(?P<unit>[a-z][a-z0-9.]*(?:\s+m\b)?|[" + _CJK + r"]+)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z]+|[" + _CJK + r"]+", re.IGNORECASE)
_CONTAINER = re.compile(
    r"(?:(?P<count>\d+(?:\.\d+)?|[零一二两三四五六七八九十]+)\s*(?:x|×|\*|个)\s*)?"
    r"(?P<size>20|40|45)\s*(?P<foot>ft|feet|'|尺|英尺|呎)?\s*"
    r"(?P<type>" + "|".join(sorted(CONTAINER_TYPE_ALIASES, key=len, reverse=True)) + r")?"
)
_AMOUNT_AND_UNIT = re.compile(r"(?P<number>-?\s*" + NUMBER_PATTERN + r")\s*(?:" + _MULTIPLIER + r")?\s*(?P<unit>.*)")


@lru_cache(maxsize=1)
def _iso_currencies() -> frozenset[str]:
    return frozenset(list_currencies())


@lru_cache(maxsize=1)
def _incoterm_pattern() -> re.Pattern[str]:
    words = [re.escape(term.casefold()) for term in INCOTERMS]
    words += [r"\s*".join(re.escape(char) for char in alias.replace(" ", "")) for alias in INCOTERM_ALIASES]
    return re.compile(r"(?<![a-z])(?P<term>" + "|".join(words) + r")(?![a-z])", re.IGNORECASE)


@lru_cache(maxsize=1)
def _currency_mark_pattern() -> re.Pattern[str]:
    # Chinese names and symbols, longest first, so that 日元 wins over 元 and US$ over $.
    # A symbol that starts with a letter (US$, HK$) must not continue a word.
    alternatives = []
    for mark in sorted([*CURRENCY_NAMES_ZH, *CURRENCY_SYMBOLS], key=len, reverse=True):
        guard = "(?<![a-z])" if mark[0].isascii() and mark[0].isalpha() else ""
        alternatives.append(guard + re.escape(mark))
    return re.compile("|".join(alternatives), re.IGNORECASE)


# ---------------------------------------------------------------------------
# Prices
# ---------------------------------------------------------------------------


def parse_money(text: str, *, places: int = PRICE_PLACES) -> Money:
    """Read a price such as "USD 2.5 FOB Shanghai", "US$ 2.50/pc CIF Mumbai", "2.5美元" or "5万美元".

    Currencies are ISO 4217 codes known to Babel, RMB, symbols ($ is USD, ¥ is CNY) or
    Chinese names. The Incoterm (Incoterms 2020, where C&F and CNF mean CFR) and the
    place after it are optional, and so is a unit after "/" or "per". The amount may
    use a decimal comma where it cannot be a thousands separator (€3,20, 1.250,00), and
    万, 千 or 亿 after it multiply it. `places` is the maximum number of decimal places
    of the amount, which should match the scale of the column that stores it.

    Raises:
        ParseError: when the amount is missing, not a number, not above zero, 10^12 or
            more, has too many decimal places or is given twice, when the currency is
            missing, unknown or given twice, or for any other text.
    """
    value = normalize_text(text)
    price_text, incoterm, place = _split_incoterm(value)
    price_text, unit = _take_unit(price_text)

    currencies: set[str] = set()
    marks = _currency_mark_pattern()
    for match in marks.finditer(price_text):
        mark = match.group().casefold()
        currencies.add(CURRENCY_NAMES_ZH.get(mark) or CURRENCY_SYMBOLS[mark])
    price_text = marks.sub(" ", price_text)

    amount = _take_amount(price_text, value=value, places=places)
    price_text = _NUMBER.sub(" ", price_text)

    for match in _WORD.finditer(price_text):
        currencies.add(_read_currency_code(match.group(), value=value))
    leftover = _WORD.sub(" ", price_text).strip(" ,;:()")
    if leftover:
        raise ParseError(PRICE_NOT_RECOGNISED, value=value, extra=leftover)

    if not currencies:
        raise ParseError(PRICE_NO_CURRENCY, value=value)
    if len(currencies) > 1:
        raise ParseError(PRICE_TWO_CURRENCIES, value=value)
    return Money(currency=currencies.pop(), amount=amount, incoterm=incoterm, place=place, unit=unit)


def _split_incoterm(value: str) -> tuple[str, str | None, str | None]:
    """Cut the Incoterm and its place out of a price; return the rest, the term, the place."""
    matches = list(_incoterm_pattern().finditer(value))
    if not matches:
        return value, None, None
    if len(matches) > 1:
        raise ParseError(PRICE_TWO_INCOTERMS, value=value)

    match = matches[0]
    written = match.group("term").casefold().replace(" ", "")
    incoterm = INCOTERM_ALIASES.get(written) or written.upper()
    before, after = value[: match.start()], value[match.end() :]
    if any(char.isdigit() for char in before):
        place_text, rest = after, ""
    else:
        # "FOB Shanghai USD 2.5": the place ends where the currency or the amount starts.
        price_start = _first_price_token(after)
        place_text, rest = after[:price_start], after[price_start:]
    place = place_text.strip(" ,;:") or None
    return f"{before} {rest}", incoterm, place


def _first_price_token(text: str) -> int:
    marks = _currency_mark_pattern()
    for token in re.finditer(r"\S+", text):
        word = token.group()
        if any(char.isdigit() for char in word) or marks.match(word) or _is_currency_code(word):
            return token.start()
    return len(text)


def _take_unit(price_text: str) -> tuple[str, str | None]:
    match = _UNIT_AFTER_PRICE.search(price_text)
    if not match:
        return price_text, None
    written = match.group("unit").rstrip(".")
    unit = UNIT_ALIASES.get(fold_key(written))
    if unit is None:
        raise ParseError(UNIT_NOT_RECOGNISED, unit=written)
    return price_text[: match.start()] + " " + price_text[match.end() :], unit


def _take_amount(price_text: str, *, value: str, places: int) -> Decimal:
    exponent = _EXPONENT_NUMBER.search(price_text)
    if exponent:
        raise ParseError(PRICE_NOT_A_NUMBER, value=value, number=exponent.group())
    matches = list(_NUMBER.finditer(price_text))
    if not matches:
        raise ParseError(PRICE_NO_AMOUNT, value=value)
    if len(matches) > 1:
        raise ParseError(PRICE_TWO_AMOUNTS, value=value)

    match = matches[0]
    amount = parse_decimal(match.group("number"), decimal_comma=True)
    if amount is None:
        raise ParseError(PRICE_NOT_RECOGNISED, value=value, extra=match.group())
    if match.group("sign") or amount <= 0:
        raise ParseError(PRICE_NOT_POSITIVE, value=value)
    if match.group("multiplier"):
        amount *= CHINESE_MULTIPLIERS[match.group("multiplier")]

    if amount >= MAX_AMOUNT:
        raise ParseError(PRICE_TOO_LARGE, value=value, limit=f"{MAX_AMOUNT:,}")
    if _decimal_places(amount) > places:
        raise ParseError(PRICE_TOO_PRECISE, value=value, places=places)
    return amount


def _decimal_places(amount: Decimal) -> int:
    """Count the decimal places that carry a value: 2.50 has one, 15000.0 has none."""
    exponent = amount.normalize().as_tuple().exponent
    assert isinstance(exponent, int)  # finite, because parse_decimal reads only digits
    return max(0, -exponent)


def _is_currency_code(word: str) -> bool:
    folded = word.casefold()
    return folded in CURRENCY_CODE_ALIASES or (len(word) == 3 and word.upper() in _iso_currencies())


def _read_currency_code(word: str, *, value: str) -> str:
    folded = word.casefold()
    if folded in CURRENCY_CODE_ALIASES:
        return CURRENCY_CODE_ALIASES[folded]
    if folded in UNIT_ALIASES:
        # A unit without "/" or "per" ("USD 2.5 pcs") is not a currency.
        raise ParseError(PRICE_NOT_RECOGNISED, value=value, extra=word)
    if len(word) == 3 and word.isascii():
        if word.upper() in _iso_currencies():
            return word.upper()
        raise ParseError(PRICE_UNKNOWN_CURRENCY, value=value, currency=word)
    raise ParseError(PRICE_NOT_RECOGNISED, value=value, extra=word)


# ---------------------------------------------------------------------------
# Quantities
# ---------------------------------------------------------------------------


def parse_quantity(text: str) -> Quantity:
    """Read a quantity such as "5000 pcs", "3吨", "1万片", "1×20GP" or "1个40尺高柜".

    Containers are 20GP, 40GP, 40HQ, 45HQ, 20RF and 40RF; 40HC means 40HQ and a size
    alone (20ft, 20') means a general-purpose box. A bare number counts pieces.

    Raises:
        ParseError: when the number is missing, not above zero, 10^12 or more or has
            more than three decimal places, a container count is not whole, or the unit
            or container type is unknown.
    """
    value = normalize_text(text)
    folded = value.casefold()

    container = _CONTAINER.fullmatch(folded)
    if container and (container.group("foot") or container.group("type")):
        return _read_container(container, value=value)

    match = _AMOUNT_AND_UNIT.fullmatch(folded)
    if not match:
        if not any(char.isdigit() for char in folded):
            raise ParseError(QUANTITY_NO_NUMBER, value=value)
        raise ParseError(QUANTITY_NOT_RECOGNISED, value=value)

    number_text = match.group("number").replace(" ", "")
    amount = parse_decimal(number_text.lstrip("-"))
    if amount is None:
        raise ParseError(QUANTITY_NOT_RECOGNISED, value=value)
    if number_text.startswith("-") or amount <= 0:
        raise ParseError(QUANTITY_NOT_POSITIVE, value=value)
    if match.group("multiplier"):
        amount *= CHINESE_MULTIPLIERS[match.group("multiplier")]
    _check_quantity_size(amount, value=value)

    unit_text = match.group("unit").strip().rstrip(".")
    if not unit_text:
        return Quantity(amount=amount, unit="pcs")
    unit = UNIT_ALIASES.get(fold_key(unit_text))
    if unit is None:
        raise ParseError(UNIT_NOT_RECOGNISED, unit=unit_text)
    return Quantity(amount=amount, unit=unit)


def _read_container(match: re.Match[str], *, value: str) -> Quantity:
    count_text = match.group("count") or "1"
    if count_text.isdigit():
        count = Decimal(count_text)
    elif re.fullmatch(r"\d+\.\d+", count_text):
        raise ParseError(CONTAINER_COUNT_NOT_WHOLE, value=value)
    else:
        small_count = parse_small_count(count_text)
        if small_count is None:
            raise ParseError(QUANTITY_NOT_RECOGNISED, value=value)
        count = Decimal(small_count)
    if count <= 0:
        raise ParseError(QUANTITY_NOT_POSITIVE, value=value)
    _check_quantity_size(count, value=value)

    type_code = CONTAINER_TYPE_ALIASES.get(match.group("type") or "", "GP")
    container = match.group("size") + type_code
    if container not in CONTAINER_TYPES:
        raise ParseError(CONTAINER_NOT_RECOGNISED, value=value)
    return Quantity(amount=count, unit=container, is_container=True)


def _check_quantity_size(amount: Decimal, *, value: str) -> None:
    if amount >= MAX_AMOUNT:
        raise ParseError(QUANTITY_TOO_LARGE, value=value, limit=f"{MAX_AMOUNT:,}")
    if _decimal_places(amount) > QUANTITY_PLACES:
        raise ParseError(QUANTITY_TOO_PRECISE, value=value, places=QUANTITY_PLACES)
