"""Holiday dates read from the `holidays` package: greeting-worthy occurrences and public days off.

Calendars here are built with English (en_US) names where the country supports them, so the
names in reminders.holiday_table match in every country, and with islamic_show_estimated=True
wherever the country accepts it, because some countries hide the "(estimated)" mark by default
(Saudi Arabia in holidays 0.109). reminders.calendar keeps its own calendars, in each country's
default language, for workday arithmetic.

Limitations:
    A greeting date is the same across a country: the buyer's subdivision changes which days
    are days off, but not the day of a greeting-worthy holiday.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from reminders.calendar import normalize_subdivision
from reminders.holiday_table import GREETING_HOLIDAYS, DateRule, FixedDate, GreetingHoliday, PackageDate
from reminders.zones import normalize_country

logger = logging.getLogger(__name__)

NAMES_LANGUAGE = "en_US"
PUBLIC = ("public",)

# One cached calendar per (country, subdivision, year, categories). reminders.calendar measured
# about 4.5 KB per calendar (holidays 0.109), so a full cache is estimated at about 9 MB.
CALENDAR_CACHE_SIZE = 2048


@dataclass(frozen=True)
class HolidayName:
    """One holiday name of a day, split into the package's name and its marks."""

    text: str
    """The package's name without the estimated mark, e.g. "Christmas Day (observed)"."""
    base: str
    """The name without any mark, e.g. "Christmas Day"."""
    estimated: bool
    observed: bool


@dataclass(frozen=True)
class DayOff:
    """A public holiday of a buyer's calendar, with its names (several when holidays coincide)."""

    day: date
    names: tuple[HolidayName, ...]


@dataclass(frozen=True)
class HolidayOccurrence:
    """One greeting-worthy holiday on its buyer-local date in one country."""

    holiday: GreetingHoliday
    country: str
    day: date
    estimated: bool
    """True when the package marks the date as an estimate (Islamic dates of future years)."""


def holiday_occurrences(country: str, *, start: date, end: date) -> list[HolidayOccurrence]:
    """Return the greeting-worthy holidays of a country from `start` to `end` inclusive, by date.

    Raises:
        ParseError: for a country code that pytz does not list.
    """
    code = normalize_country(country)
    found = [
        occurrence
        for year in range(start.year, end.year + 1)
        for occurrence in _occurrences_in_year(code, year)
        if start <= occurrence.day <= end
    ]
    found.sort(key=lambda occurrence: (occurrence.day, occurrence.holiday.key))
    return found


def days_off(country: str, *, start: date, end: date, subdivision: str | None = None) -> list[DayOff]:
    """Return the buyer's public holidays from `start` to `end` inclusive, by date.

    These are the days that reminders.calendar.is_buyer_workday treats as holidays; weekends
    are not listed.

    Raises:
        ParseError: for an unknown country or subdivision.
    """
    code = normalize_country(country)
    subdivision_code = normalize_subdivision(code, subdivision)
    found = []
    for year in range(start.year, end.year + 1):
        calendar = _calendar(code, subdivision_code, year, PUBLIC)
        for day in sorted(calendar):
            if start <= day <= end:
                found.append(DayOff(day=day, names=_names_of(calendar, day)))
    return found


def names_on(country: str, day: date, *, subdivision: str | None = None) -> tuple[HolidayName, ...]:
    """Return the public holiday names of one buyer-local day, or () on a day that is no holiday."""
    code = normalize_country(country)
    calendar = _calendar(code, normalize_subdivision(code, subdivision), day.year, PUBLIC)
    return _names_of(calendar, day) if day in calendar else ()


# --- Occurrences ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _rules_by_country() -> dict[str, tuple[tuple[GreetingHoliday, DateRule], ...]]:
    rules: dict[str, list[tuple[GreetingHoliday, DateRule]]] = {}
    for holiday in GREETING_HOLIDAYS:
        for country, rule in holiday.dates.items():
            rules.setdefault(country, []).append((holiday, rule))
    return {country: tuple(pairs) for country, pairs in rules.items()}


@lru_cache(maxsize=CALENDAR_CACHE_SIZE)
def _occurrences_in_year(country: str, year: int) -> tuple[HolidayOccurrence, ...]:
    occurrences = []
    for holiday, rule in _rules_by_country().get(country, ()):
        if isinstance(rule, FixedDate):
            occurrences.append(HolidayOccurrence(holiday, country, date(year, rule.month, rule.day), False))
            continue
        found = list(_run_starts(country, year, rule))
        if not found:
            # Every row is checked for 2026-2028 by the tests; a miss later means the package
            # renamed or dropped the holiday.
            logger.warning(
                "greeting holiday not found country=%s holiday=%s year=%s names=%s",
                country, holiday.key, year, rule.names,
            )
        occurrences.extend(HolidayOccurrence(holiday, country, day, estimated) for day, estimated in found)
    return tuple(occurrences)


def _run_starts(country: str, year: int, rule: PackageDate) -> Iterator[tuple[date, bool]]:
    """Yield (first day, estimated) of each run of consecutive days that carry the rule's names.

    A multi-day holiday (Eid, Lunar New Year in Vietnam) counts once, on its first day. A run
    goes on across other holidays inside it, such as Orthodox Christmas on 7 January within
    Russia's New Year holidays. Observed days are left out, because the greeting belongs to
    the holiday itself.
    """
    calendar = _calendar(country, None, year, rule.categories)
    for day in sorted(calendar):
        name = _matching_name(_names_of(calendar, day), rule.names)
        if name is not None and not _continues_run(country, day, rule):
            yield day, name.estimated


def _continues_run(country: str, day: date, rule: PackageDate) -> bool:
    """Tell whether the holidays right before `day` carry the rule's names too."""
    previous = day - timedelta(days=1)
    while True:
        calendar = _calendar(country, None, previous.year, rule.categories)
        if previous not in calendar:
            return False
        if _matching_name(_names_of(calendar, previous), rule.names) is not None:
            return True
        previous -= timedelta(days=1)


def _matching_name(names: tuple[HolidayName, ...], wanted: tuple[str, ...]) -> HolidayName | None:
    for name in names:
        if name.base in wanted and not name.observed:
            return name
    return None


# --- Calendars and names ----------------------------------------------------------------


@lru_cache(maxsize=CALENDAR_CACHE_SIZE)
def _calendar(
    country: str, subdivision: str | None, year: int, categories: tuple[str, ...]
) -> holidays.HolidayBase:
    """Build one country's calendar with English names and estimate marks shown."""
    try:
        calendar_class = type(holidays.country_holidays(country))
    except NotImplementedError:
        logger.warning("no holiday data country=%s year=%s, listing no holidays", country, year)
        return holidays.HolidayBase(years=year, expand=False)

    options: dict[str, object] = {}
    if NAMES_LANGUAGE in calendar_class.supported_languages:
        options["language"] = NAMES_LANGUAGE
    if "islamic_show_estimated" in inspect.signature(calendar_class.__init__).parameters:
        options["islamic_show_estimated"] = True
    # expand=False keeps the cached object read-only, as in reminders.calendar.
    return holidays.country_holidays(
        country, subdiv=subdivision, years=year, expand=False, categories=categories, **options
    )


def _names_of(calendar: holidays.HolidayBase, day: date) -> tuple[HolidayName, ...]:
    return tuple(_parse_name(calendar, text) for text in calendar.get_list(day))


def _parse_name(calendar: holidays.HolidayBase, text: str) -> HolidayName:
    """Split the package's marks off a name, with the labels of the calendar's own language."""
    for attribute, estimated, observed in (
        ("observed_estimated_label", True, True),
        ("estimated_label", True, False),
        ("observed_label", False, True),
        ("observed_label_before", False, True),
    ):
        base = _unlabel(text, calendar.tr(getattr(calendar, attribute, "%s")))
        if base is None:
            continue
        if estimated and observed:
            # Keep the observed mark in the text; only the estimate is reported apart.
            observed_text = calendar.tr(getattr(calendar, "observed_label", "%s (observed)"))
            return HolidayName(text=observed_text % base, base=base, estimated=True, observed=True)
        return HolidayName(text=base if estimated else text, base=base, estimated=estimated, observed=observed)
    return HolidayName(text=text, base=text, estimated=False, observed=False)


def _unlabel(text: str, label: str) -> str | None:
    """Return the name inside a label such as "%s (observed)", or None when `text` lacks it."""
    if label == "%s" or "%s" not in label:
        return None
    prefix, suffix = label.split("%s", 1)
    if len(text) > len(prefix) + len(suffix) and text.startswith(prefix) and text.endswith(suffix):
        return text[len(prefix) : len(text) - len(suffix)]
    return None
