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
COUNTRY_NOT_RECOGNISED_TWO_SUGGESTIONS = N_(
    "Country '%(value)s' is not recognised. Did you mean %(suggestion)s or %(other)s? Write e.g. 印度 / India / IN."
)

# Babel locales whose CLDR territory names are accepted as input.
_NAME_LOCALES = ("en", "zh_CN", "zh_Hant")
# Minimum rapidfuzz ratio (0-100) for a "did you mean" suggestion of a Latin name. At 80,
# one swapped or missing letter in a five-letter name still matches ("Indai" and "Egpyt"
# score 80), while a different word that shares letters does not ("Narnia" scores 77
# against "armenia").
_SUGGESTION_CUTOFF = 80
# A suggestion names at most this many countries that match equally well, and none when
# more match, because a long list of guesses does not help.
_MAX_SUGGESTIONS = 2
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
        ParseError: for an unknown country, with one or two close matches as suggestions
            when they score well. A suggestion reads "印度 / India (IN)" in either language.
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

    codes = _suggested_codes(key)
    if not codes:
        raise ParseError(COUNTRY_NOT_RECOGNISED, value=value)
    if len(codes) == 1:
        raise ParseError(
            COUNTRY_NOT_RECOGNISED_SUGGESTION,
            value=value,
            suggestion=_bilingual_name(codes[0]),
            code=codes[0],
        )
    raise ParseError(
        COUNTRY_NOT_RECOGNISED_TWO_SUGGESTIONS,
        value=value,
        suggestion=_bilingual_name(codes[0]),
        other=_bilingual_name(codes[1]),
        code=codes[0],
        other_code=codes[1],
    )


def _suggested_codes(key: str) -> list[str]:
    """Return the codes of the countries whose names are the closest slips of `key`.

    A Latin name is compared by rapidfuzz ratio, and the countries with the best score
    at or above _SUGGESTION_CUTOFF are returned. A Chinese name is compared character
    by character instead. A Chinese typing slip is a wrong character of the same sound
    (印读 for 印度), which a ratio cannot tell from a different word. So every name of
    the same length with exactly one different character counts.
    """
    if not key:
        return []
    index = _country_index()
    if _CJK.search(key):
        codes = [code for name, code in index.items() if _differs_by_one_character(name, key)]
    else:
        matches = process.extract(key, list(index), scorer=fuzz.ratio, score_cutoff=_SUGGESTION_CUTOFF, limit=None)
        best_score = matches[0][1] if matches else None
        codes = [index[name] for name, score, _ in matches if score == best_score]
    unique_codes = list(dict.fromkeys(codes))
    return unique_codes if len(unique_codes) <= _MAX_SUGGESTIONS else []


def _differs_by_one_character(name: str, key: str) -> bool:
    if len(name) != len(key) or len(key) < 2:
        return False
    return sum(1 for left, right in zip(name, key) if left != right) == 1


def _bilingual_name(code: str) -> str:
    """Name a country for a message that must read in Chinese and English: 印度 / India (IN)."""
    names = dict.fromkeys(country_name(code, locale) for locale in ("zh_CN", "en"))
    return f"{' / '.join(names)} ({code})"


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
