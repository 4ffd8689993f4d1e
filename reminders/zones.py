"""Buyer time zones: which zones a country offers, how to label them, how to read a typed zone.

Zone ids are IANA names. pytz supplies only the country-to-zones map
(`pytz.country_timezones`), and Babel supplies the city names in the user's language.
"""

from __future__ import annotations

import logging
import unicodedata
import zoneinfo
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import pytz
from babel import Locale, UnknownLocaleError
from babel.dates import get_timezone_location

from bot.errors import ParseError
from bot.i18n import DEFAULT_LOCALE, N_
from reminders.zone_table import COUNTRY_ZONES

logger = logging.getLogger(__name__)

# Locales whose city names resolve_zone() accepts: Simplified Chinese, Traditional Chinese
# and English, because reps type buyer cities in those.
CITY_NAME_LOCALES = ("zh_CN", "zh_Hant", "en")

# Typed names that mean UTC. Other zones without a region, such as EST or MST, are not
# accepted (see _iana_names).
UTC_NAMES = {"utc": "UTC", "gmt": "UTC", "etc/utc": "UTC", "etc/gmt": "UTC"}

EXAMPLE_ZONE = "America/Chicago"


def normalize_country(country: str) -> str:
    """Return the ISO 3166-1 alpha-2 code in upper case, checked against pytz's country list.

    Raises:
        ParseError: when pytz lists no zones for the code.
    """
    code = country.strip().upper()
    if code not in pytz.country_timezones:
        raise ParseError(
            N_("Country '%(value)s' is not recognised. Write e.g. 印度 / India / IN."),
            value=country,
        )
    return code


def country_zones(country: str) -> list[str]:
    """Return the IANA zones to offer for a country, curated where pytz lists several."""
    code = normalize_country(country)
    row = COUNTRY_ZONES.get(code)
    if row is not None:
        return list(row.offered)
    return list(pytz.country_timezones[code])


def default_zone(country: str) -> str | None:
    """Return the zone to preselect for a country, or None when the bot must ask the rep."""
    code = normalize_country(country)
    row = COUNTRY_ZONES.get(code)
    if row is not None:
        return row.default

    zones = pytz.country_timezones[code]
    if len(zones) == 1:
        return zones[0]
    # A newer pytz may list several zones for a country that the table does not cover yet.
    # Asking the rep is safe, and the table test names the country to add.
    logger.warning("country has several zones but no row in the zone table country=%s zones=%s", code, zones)
    return None


def zone_label(zone: str, locale: str, *, at: datetime | None = None) -> str:
    """Return a short button label: the zone's city in the user's language, e.g. 芝加哥.

    With `at`, the UTC offset at that instant follows the city: "芝加哥 (UTC-5)".
    """
    if zone.upper() == "UTC":
        return "UTC"
    city = get_timezone_location(zone, locale=_babel_locale(locale), return_city=True)
    if at is None:
        return city
    offset = at.astimezone(ZoneInfo(zone)).utcoffset()
    assert offset is not None  # a ZoneInfo always has an offset for an aware instant
    return f"{city} ({format_utc_offset(offset)})"


def format_utc_offset(offset: timedelta) -> str:
    """Format an offset the short way: UTC+8, UTC-5, UTC+5:30, UTC+0."""
    total_minutes = int(offset.total_seconds()) // 60
    sign = "-" if total_minutes < 0 else "+"
    hours, minutes = divmod(abs(total_minutes), 60)
    if minutes:
        return f"UTC{sign}{hours}:{minutes:02d}"
    return f"UTC{sign}{hours}"


def resolve_zone(text: str, *, country: str | None = None) -> str:
    """Read a typed buyer zone and return its IANA name.

    Accepted forms: an IANA name in any case (america/chicago), UTC or GMT, a city name in
    Chinese or English (芝加哥, Chicago, sao paulo), or a 1-based number that chooses from
    `country_zones(country)`. Cities are looked up among the zones of `country` when it is
    given and among all zones otherwise. An IANA name is accepted even when it lies outside
    `country`, because the rep typed it on purpose.

    Raises:
        ParseError: when nothing matches, a city matches several zones, or a number is out
            of range. The message lists the accepted forms.
    """
    code = normalize_country(country) if country is not None else None
    stripped = text.strip()

    utc = UTC_NAMES.get(stripped.casefold())
    if utc is not None:
        return utc

    if stripped.isdecimal():
        return _zone_by_number(stripped, country=code)

    iana = _iana_names().get(stripped.replace(" ", "_").casefold())
    if iana is not None:
        return iana

    matches = _city_index().get(city_key(stripped), ())
    if code is not None:
        allowed = set(pytz.country_timezones[code])
        matches = tuple(zone for zone in matches if zone in allowed)
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise ParseError(
            N_("'%(value)s' matches several time zones: %(zones)s. Write one of these names."),
            value=text,
            zones=", ".join(matches),
        )
    raise _unknown_zone_error(text, country=code)


def city_key(text: str) -> str:
    """Fold a city name for lookup: no accents, case, spaces or punctuation, no trailing 市."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(char for char in decomposed if char.isalnum())
    key = letters.casefold()
    # Chinese users often add 市 (city) to a name that CLDR lists without it, e.g. 纽约市.
    if len(key) > 1 and key.endswith("市"):
        key = key[:-1]
    return key


def _zone_by_number(text: str, *, country: str | None) -> str:
    if country is None:
        raise ParseError(
            N_("A number chooses from the time zones of the buyer's country, but no country is "
               "set. Write a city or an IANA name such as %(zone)s."),
            zone=EXAMPLE_ZONE,
        )
    zones = country_zones(country)
    number = int(text)
    if not 1 <= number <= len(zones):
        raise ParseError(
            N_("Time zone number %(value)s is not in the list. Choose a number from 1 to %(count)s."),
            value=text,
            count=len(zones),
        )
    return zones[number - 1]


def _unknown_zone_error(text: str, *, country: str | None) -> ParseError:
    if country is None:
        return ParseError(
            N_("Time zone '%(value)s' is not recognised. Write a city such as 芝加哥 / Chicago, "
               "UTC, or an IANA name such as %(zone)s."),
            value=text,
            zone=EXAMPLE_ZONE,
        )

    zones = country_zones(country)
    example = zones[0]
    city = " / ".join(dict.fromkeys(zone_label(example, locale) for locale in ("zh_CN", "en")))
    return ParseError(
        N_("Time zone '%(value)s' is not recognised. Write a city of the buyer's country such "
           "as %(city)s, a number from 1 to %(count)s, or an IANA name such as %(zone)s."),
        value=text,
        city=city,
        count=len(zones),
        zone=example,
    )


def _babel_locale(locale: str) -> Locale:
    try:
        return Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        logger.debug("unknown locale for zone labels locale=%s, using %s", locale, DEFAULT_LOCALE)
        return Locale.parse(DEFAULT_LOCALE)


@lru_cache(maxsize=1)
def _iana_names() -> dict[str, str]:
    """Map case-folded region zone names (America/Chicago, US/Eastern) to their spelling."""
    # Names without a region (EST, MST) and Etc/ names are fixed offsets without DST, and
    # Etc/GMT+5 means UTC-5. A buyer stored with one of them gets the wrong local time for
    # half the year, so only UTC itself is accepted, through UTC_NAMES.
    names: dict[str, str] = {}
    for name in zoneinfo.available_timezones():
        if "/" not in name or name.startswith(("Etc/", "SystemV/")):
            continue
        names[name.casefold()] = name
    return names


@lru_cache(maxsize=1)
def _city_index() -> dict[str, tuple[str, ...]]:
    """Map folded city names to the zones they name, over every zone pytz assigns a country.

    Built on first use from Babel's CLDR data (about 0.2 s for 418 zones and three locales)
    and kept for the life of the process, at about 1,200 keys.
    """
    index: dict[str, list[str]] = {}
    zones = sorted({zone for country_zone_list in pytz.country_timezones.values() for zone in country_zone_list})
    for zone in zones:
        names = {zone.rsplit("/", 1)[-1].replace("_", " ")}
        try:
            for locale in CITY_NAME_LOCALES:
                names.add(get_timezone_location(zone, locale=locale, return_city=True))
        except LookupError:
            # pytz can be newer than the system tzdata that Babel reads through zoneinfo.
            logger.warning("zone missing from the system tz database zone=%s", zone)
            continue
        for name in names:
            key = city_key(name)
            if key and zone not in index.setdefault(key, []):
                index[key].append(zone)
    return {key: tuple(found) for key, found in index.items()}
