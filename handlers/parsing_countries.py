"""Country names in Chinese or English, ISO codes, and names for display."""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

import pycountry
from babel import Locale
from rapidfuzz import fuzz, process

from bot.errors import ParseError
from bot.i18n import N_
from handlers.field_aliases import COUNTRY_ALIASES
from handlers.parsing_text import normalize_text

logger = logging.getLogger(__name__)

COUNTRY_NOT_RECOGNISED = N_("Country '%(value)s' is not recognised. Write e.g. 印度 / India / IN.")
COUNTRY_NOT_RECOGNISED_SUGGESTION = N_(
    "Country '%(value)s' is not recognised. Did you mean %(suggestion)s? Write e.g. 印度 / India / IN."
)

# Babel locales whose CLDR territory names are accepted as input.
_NAME_LOCALES = ("en", "zh_CN", "zh_Hant")
# Minimum rapidfuzz ratio (0-100) for a "did you mean" suggestion. At 75, one swapped or
# missing letter in a five-letter name still matches ("Indai" scores 80 against "india").
_SUGGESTION_CUTOFF = 75
_PUNCTUATION = re.compile(r"[.,'’()]")
_CJK = re.compile("[\u3400-\u9fff]")


@lru_cache(maxsize=1)
def _iso_alpha2_codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


def _country_key(text: str) -> str:
    """Return the lookup form of a country name: case, accents, "&" and punctuation folded."""
    decomposed = unicodedata.normalize("NFKD", normalize_text(text).casefold())
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    spaced = without_accents.replace("&", " and ").replace("-", " ").replace("_", " ")
    words = _PUNCTUATION.sub("", spaced).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    """Map every known name to its ISO 3166 alpha-2 code; earlier sources win on a clash."""
    index: dict[str, str] = {}
    iso_codes = _iso_alpha2_codes()
    for alias, code in COUNTRY_ALIASES.items():
        index.setdefault(_country_key(alias), code)
    for locale_name in _NAME_LOCALES:
        for code, name in Locale.parse(locale_name).territories.items():
            # CLDR also names regions (001), groupings (EU) and private-use codes (XA).
            if code in iso_codes:
                index.setdefault(_country_key(name), code)
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if name:
                index.setdefault(_country_key(name), country.alpha_2)
    return index


def resolve_country(text: str) -> str:
    """Return the ISO 3166 alpha-2 code for a country written as 印度, India, IN or IND.

    A two-letter ISO code wins over any name. Names come from Babel's CLDR territory
    names in zh_CN, zh_Hant and en, pycountry's ISO 3166 names and COUNTRY_ALIASES.

    Raises:
        ParseError: for an unknown country, with a close match as a suggestion when one
            scores well.
    """
    value = normalize_text(text)
    key = _country_key(value)

    if re.fullmatch(r"[a-z]{2}", key) and key.upper() in _iso_alpha2_codes():
        return key.upper()
    if re.fullmatch(r"[a-z]{3}", key):
        country = pycountry.countries.get(alpha_3=key.upper())
        if country is not None:
            return str(country.alpha_2)

    index = _country_index()
    if key in index:
        return index[key]

    best = None
    if key:
        best = process.extractOne(key, list(index), scorer=fuzz.ratio, score_cutoff=_SUGGESTION_CUTOFF)
    if best is None:
        raise ParseError(COUNTRY_NOT_RECOGNISED, value=value)
    code = index[best[0]]
    display_locale = "zh_CN" if _CJK.search(value) else "en"
    suggestion = f"{country_name(code, display_locale)} ({code})"
    raise ParseError(COUNTRY_NOT_RECOGNISED_SUGGESTION, value=value, suggestion=suggestion, code=code)


def country_name(code: str, locale: str) -> str:
    """Return the country's name in a locale from Babel's CLDR data: IN -> 印度 or India.

    Raises:
        ValueError: for a code that CLDR does not name or a locale that Babel lacks.
    """
    territories = Locale.parse(locale.replace("-", "_")).territories
    try:
        return str(territories[code.upper()])
    except KeyError:
        raise ValueError(f"unknown country code {code!r}") from None
