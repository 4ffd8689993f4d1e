"""Buyer time zones: which zones a country offers, how to label them, how to read a typed zone.

Zone ids are IANA names. pytz supplies only the country-to-zones map
(`pytz.country_timezones`), and Babel supplies the city names in the user's language.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import zoneinfo
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import pytz
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import get_timezone_location

from bot.errors import ParseError
from bot.i18n import DEFAULT_LOCALE, N_
from reminders.zone_table import CITY_ZONE_ALIASES, COUNTRY_ZONES, OFFSET_EXAMPLE_ZONES

logger = logging.getLogger(__name__)

# Locales whose city names resolve_zone() accepts: Simplified Chinese, Traditional Chinese
# and English, because reps type buyer cities in those.
CITY_NAME_LOCALES = ("zh_CN", "zh_Hant", "en")

# Typed names that mean UTC. Other zones without a region, such as EST or MST, are not
# accepted (see _iana_names).
UTC_NAMES = {"utc": "UTC", "gmt": "UTC", "etc/utc": "UTC", "etc/gmt": "UTC"}

EXAMPLE_ZONE = "America/Chicago"
# The zone suggested for a fixed offset that no zone of any country matches.
FALLBACK_OFFSET_ZONE = "Asia/Shanghai"

ZONE_NOT_RECOGNISED = N_(
    "Time zone '%(value)s' is not recognised. Write a city such as 芝加哥 / Chicago, "
    "UTC, or an IANA name such as %(zone)s."
)
ZONE_NOT_IN_COUNTRY = N_(
    "'%(value)s' is not recognised as a time zone of %(country)s. Write its city, "
    "%(cities)s (%(zone)s), or leave the time zone out."
)
ZONE_NOT_IN_COUNTRY_NUMBERED = N_(
    "'%(value)s' is not recognised as a time zone of %(country)s. Write one of its cities "
    "or its number: %(cities)s."
)
ZONE_FIXED_OFFSET = N_(
    "Time zone '%(value)s' is a fixed UTC offset without daylight-saving rules. Write a city "
    "such as %(city)s, or an IANA name such as %(zone)s."
)
ZONE_FIXED_OFFSET_IN_COUNTRY = N_(
    "Time zone '%(value)s' is a fixed UTC offset without daylight-saving rules. Write the city "
    "of %(country)s, %(cities)s (%(zone)s), or leave the time zone out."
)
ZONE_FIXED_OFFSET_IN_COUNTRY_NUMBERED = N_(
    "Time zone '%(value)s' is a fixed UTC offset without daylight-saving rules. Write a city "
    "of %(country)s or its number: %(cities)s."
)
ZONE_NUMBER_OUT_OF_RANGE = N_(
    "Time zone number %(value)s is not in the list. Choose a number from 1 to %(count)s."
)
ZONE_SEVERAL_MATCHES = N_("'%(value)s' matches several time zones: %(zones)s. Write one of these names.")

# Words after a city that name its time: 北京时间, 香港時間, Beijing time.
_TIME_SUFFIXES = ("时间", "時間", "time")
# A fixed offset as people write it: UTC+8, GMT+08:00, +8, -0530, UTC-5.
_FIXED_OFFSET = re.compile(r"(?P<prefix>utc|gmt)?(?P<sign>[+-])?(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?")
# The POSIX-style tz names Etc/GMT+5 (which is UTC-5, the sign inverted) and the Chinese
# 东八区 (east zone 8, UTC+8) and 西五区 (west zone 5, UTC-5).
_ETC_OFFSET = re.compile(r"etc/gmt(?P<sign>[+-])(?P<hours>\d{1,2})")
_CHINESE_OFFSET = re.compile(
    r"(?P<side>[东東西])(?P<hours>[一二三四五六七八九十]{1,3}|\d{1,2})[区區]|(?P<zero>零|中)[时時][区區]"
)
_CHINESE_HOURS = {
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "十": 10, "十一": 11, "十二": 12,
}  # fmt: skip
# UTC offsets in use range from UTC-12 to UTC+14, and minutes are 00, 30 or 45.
_MAX_EAST_HOURS = 14
_MAX_WEST_HOURS = 12
# Instants at which a zone's winter and summer offsets are compared with a typed offset.
# They are fixed, so suggestions follow the tz rules of 2026 even in later years.
_OFFSET_SAMPLE_INSTANTS = (
    datetime(2026, 1, 15, 12, tzinfo=timezone.utc),
    datetime(2026, 7, 15, 12, tzinfo=timezone.utc),
)


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
    """Read a typed zone and return its IANA name.

    Accepted forms: an IANA name in any case (america/chicago), UTC or GMT, a city name in
    Chinese or English (芝加哥, Chicago, sao paulo, 北京, 北京时间), or a 1-based number that
    chooses from `country_zones(country)`.

    With `country`, as for a buyer, only that country's zones are accepted: the zones that
    pytz lists for it, and their older IANA names such as Asia/Calcutta. Without it, as for
    a rep's own zone, any zone is accepted. Fixed offsets (UTC+8, +8, Etc/GMT-8, 东八区) are
    rejected in both cases, because they have no daylight-saving rules.

    Raises:
        ParseError: when nothing matches, the zone lies outside `country`, the text is a
            fixed offset, a city matches several zones, or a number is out of range. The
            message lists the accepted forms.
    """
    code = normalize_country(country) if country is not None else None
    value = unicodedata.normalize("NFKC", text).strip()

    utc = UTC_NAMES.get(value.casefold())
    if utc is not None:
        if code is not None:
            raise _zone_error(text, country=code)
        return utc

    if value.isdecimal():
        return _zone_by_number(value, text=text, country=code)

    offset = _fixed_offset(value)
    if offset is not None:
        raise _fixed_offset_error(text, offset=offset, country=code)

    iana = _iana_names().get(value.replace(" ", "_").casefold())
    if iana is not None:
        if code is not None and not _zone_in_country(iana, code):
            raise _zone_error(text, country=code)
        return iana

    matches = _city_matches(value)
    if code is not None:
        matches = tuple(zone for zone in matches if _zone_in_country(zone, code))
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise ParseError(ZONE_SEVERAL_MATCHES, value=text, zones=", ".join(matches))
    raise _zone_error(text, country=code)


def city_key(text: str) -> str:
    """Fold a city name for lookup: no accents, case, spaces or punctuation, no trailing 市."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(char for char in decomposed if char.isalnum())
    key = letters.casefold()
    # Chinese users often add 市 (city) to a name that CLDR lists without it, e.g. 纽约市.
    if len(key) > 1 and key.endswith("市"):
        key = key[:-1]
    return key


def _zone_by_number(number_text: str, *, text: str, country: str | None) -> str:
    number = int(number_text)
    if country is None:
        # Without a country there is no list to choose from, so a rep who writes
        # "/tz 8" means UTC+8.
        if number <= _MAX_EAST_HOURS:
            raise _fixed_offset_error(text, offset=timedelta(hours=number), country=None)
        raise _zone_error(text, country=None)

    zones = country_zones(country)
    if 1 <= number <= len(zones):
        return zones[number - 1]
    if len(zones) == 1:
        raise _zone_error(text, country=country)
    raise ParseError(ZONE_NUMBER_OUT_OF_RANGE, value=text, count=len(zones))


def _zone_in_country(zone: str, country: str) -> bool:
    """Tell whether `zone`, or the zone that an older IANA name links to, lies in `country`."""
    allowed = {*pytz.country_timezones[country], *country_zones(country)}
    # Babel's CLDR data maps older names to current ones: Asia/Calcutta to Asia/Kolkata.
    return zone in allowed or get_global("zone_aliases").get(zone) in allowed


def _city_matches(value: str) -> tuple[str, ...]:
    index = _city_index()
    key = city_key(value)
    if key in index:
        return index[key]
    for suffix in _TIME_SUFFIXES:
        if key.endswith(suffix) and key != suffix:
            return index.get(city_key(key.removesuffix(suffix)), ())
    return ()


def _fixed_offset(value: str) -> timedelta | None:
    """Return the UTC offset that `value` writes (UTC+8, +8, Etc/GMT-8, 东八区), or None."""
    folded = value.casefold().replace(" ", "")
    match = _FIXED_OFFSET.fullmatch(folded)
    if match and (match.group("prefix") or match.group("sign")):
        sign = -1 if match.group("sign") == "-" else 1
        hours, minutes = int(match.group("hours")), int(match.group("minutes") or 0)
        return _checked_offset(sign, hours=hours, minutes=minutes)

    match = _ETC_OFFSET.fullmatch(folded)
    if match:
        sign = 1 if match.group("sign") == "-" else -1
        return _checked_offset(sign, hours=int(match.group("hours")), minutes=0)

    match = _CHINESE_OFFSET.fullmatch(folded)
    if match:
        if match.group("zero"):
            return timedelta()
        hours_text = match.group("hours")
        hours = int(hours_text) if hours_text.isdecimal() else _CHINESE_HOURS.get(hours_text)
        if hours is None:
            return None
        sign = -1 if match.group("side") == "西" else 1
        return _checked_offset(sign, hours=hours, minutes=0)
    return None


def _checked_offset(sign: int, *, hours: int, minutes: int) -> timedelta | None:
    max_hours = _MAX_EAST_HOURS if sign > 0 else _MAX_WEST_HOURS
    if hours > max_hours or minutes not in (0, 30, 45):
        return None
    return sign * timedelta(hours=hours, minutes=minutes)


def _zone_error(text: str, *, country: str | None) -> ParseError:
    if country is None:
        return ParseError(ZONE_NOT_RECOGNISED, value=text, zone=EXAMPLE_ZONE)
    return _country_zones_error(
        text, country=country, single_message=ZONE_NOT_IN_COUNTRY, numbered_message=ZONE_NOT_IN_COUNTRY_NUMBERED
    )


def _fixed_offset_error(text: str, *, offset: timedelta, country: str | None) -> ParseError:
    if country is None:
        zone = _example_zone_for_offset(offset)
        return ParseError(ZONE_FIXED_OFFSET, value=text, city=_city_label(zone), zone=zone)
    return _country_zones_error(
        text,
        country=country,
        single_message=ZONE_FIXED_OFFSET_IN_COUNTRY,
        numbered_message=ZONE_FIXED_OFFSET_IN_COUNTRY_NUMBERED,
    )


def _country_zones_error(text: str, *, country: str, single_message: str, numbered_message: str) -> ParseError:
    """Build an error that names the country's offered zones: one city, or numbered cities.

    A number is offered only where the country has several zones, because a number that
    chooses from a single zone would only confuse.
    """
    zones = country_zones(country)
    if len(zones) == 1:
        return ParseError(
            single_message,
            value=text,
            country=_country_label(country),
            cities=_city_label(zones[0]),
            zone=zones[0],
        )
    return ParseError(
        numbered_message,
        value=text,
        country=_country_label(country),
        cities=_numbered_cities(zones),
        count=len(zones),
    )


def _example_zone_for_offset(offset: timedelta) -> str:
    """Return a zone whose winter or summer offset is `offset`, from OFFSET_EXAMPLE_ZONES first."""
    for zone in (*OFFSET_EXAMPLE_ZONES, *_country_zone_names()):
        try:
            tz = ZoneInfo(zone)
        except zoneinfo.ZoneInfoNotFoundError:
            # pytz can be newer than the system tz database, as in _city_index.
            continue
        if any(instant.astimezone(tz).utcoffset() == offset for instant in _OFFSET_SAMPLE_INSTANTS):
            return zone
    return FALLBACK_OFFSET_ZONE


def _city_label(zone: str) -> str:
    """Name a zone's city for a message that must read in Chinese and English: 纽约 / New York."""
    return " / ".join(dict.fromkeys(zone_label(zone, locale) for locale in ("zh_CN", "en")))


def _numbered_cities(zones: list[str]) -> str:
    return ", ".join(f"{number}. {_city_label(zone)}" for number, zone in enumerate(zones, start=1))


def _country_label(country: str) -> str:
    """Name a country in Chinese and English from Babel's CLDR data: 美国 / United States."""
    names = [Locale.parse(locale).territories.get(country, country) for locale in ("zh_CN", "en")]
    return " / ".join(dict.fromkeys(names))


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
def _country_zone_names() -> tuple[str, ...]:
    """Return every zone that pytz assigns a country, sorted."""
    return tuple(sorted({zone for zones in pytz.country_timezones.values() for zone in zones}))


@lru_cache(maxsize=1)
def _city_index() -> dict[str, tuple[str, ...]]:
    """Map folded city names to the zones they name, over every zone pytz assigns a country.

    Built on first use from Babel's CLDR data (about 0.2 s for 418 zones and three locales)
    and kept for the life of the process, at about 1,200 keys. CITY_ZONE_ALIASES adds the
    cities that CLDR does not name.
    """
    index: dict[str, list[str]] = {}
    for zone in _country_zone_names():
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
    for city, zone in CITY_ZONE_ALIASES.items():
        index.setdefault(city_key(city), [zone])
    return {key: tuple(found) for key, found in index.items()}
