"""Buyer workdays and send windows: weekends, public holidays and business hours per country.

A follow-up should land inside the buyer's business hours (09:00-18:00 local by default)
on a buyer workday. Weekends and public holidays come from the `holidays` package, which
also records weekends that changed over time (the UAE moved from Friday-Saturday to
Saturday-Sunday in 2022) and weekend days turned into workdays (China's make-up days).
All arithmetic uses zoneinfo, and SendWindow exposes its instants in UTC for storage.

The zone functions live in reminders.zones and are re-exported here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from bot.errors import ParseError
from bot.i18n import N_
from reminders.zones import country_zones, default_zone, normalize_country, resolve_zone, zone_label

__all__ = [
    "DEFAULT_END",
    "DEFAULT_START",
    "SendWindow",
    "buyer_today",
    "country_zones",
    "default_zone",
    "is_buyer_workday",
    "local_date",
    "next_buyer_workday",
    "next_send_window",
    "normalize_subdivision",
    "resolve_zone",
    "send_window",
    "weekend_days",
    "zone_label",
]

logger = logging.getLogger(__name__)

DEFAULT_START = time(9)
DEFAULT_END = time(18)

# The number of days next_buyer_workday() searches at most. The longest run of days off in the
# holidays 0.109 data for 2025-2028 is 12 days (Russia's New Year, Azerbaijan's Novruz).
MAX_DAYS_OFF = 60

# One cached calendar per (country, subdivision, year). Building one takes about 0.3-1.6 ms
# and keeps about 4.5 KB (holidays 0.109, measured with tracemalloc over 100 calendars), so
# a full cache takes about 5 MB. Entries are never invalidated, so a process picks up a newly
# announced holiday only after a restart with an updated package.
HOLIDAY_CACHE_SIZE = 1024
# Cached results per (day, country, subdivision): 2 years of days for 60 countries fit.
WORKDAY_CACHE_SIZE = 65536


# --- Workdays ---------------------------------------------------------------------------


def weekend_days(country: str, *, on: date | None = None) -> frozenset[int]:
    """Return the country's weekend as weekday numbers (Monday = 0), e.g. {4, 5} for SA.

    Without `on`, this is the weekend the holidays package records as current. With `on`,
    it is the weekend in force during the seven days starting at `on`, for countries that
    changed their weekend.
    """
    code = normalize_country(country)
    if on is None:
        return _current_weekend(code)

    days = [on + timedelta(days=offset) for offset in range(7)]
    return frozenset(
        day.weekday()
        for day in days
        if _holidays_for(code, None, day.year).is_weekend(day)
    )


def is_buyer_workday(day: date, *, country: str, subdivision: str | None = None) -> bool:
    """Tell whether `day` is a workday in the buyer's country.

    Weekend days and public holidays are days off, except weekend days that the country
    turned into workdays. `subdivision` is a code or name that the holidays package lists,
    such as CA or California for the US.

    Raises:
        ParseError: for an unknown country or subdivision.
    """
    return _is_working_day(day, country, subdivision)


@lru_cache(maxsize=WORKDAY_CACHE_SIZE)
def _is_working_day(day: date, country: str, subdivision: str | None) -> bool:
    # Planning checks the same few hundred (day, country) pairs for every customer.
    code = normalize_country(country)
    subdivision_code = normalize_subdivision(code, subdivision)
    return _holidays_for(code, subdivision_code, day.year).is_working_day(day)


def next_buyer_workday(day: date, *, country: str, subdivision: str | None = None) -> date:
    """Return the first buyer workday on or after `day`.

    Raises:
        RuntimeError: when no workday falls within MAX_DAYS_OFF days, which would mean
            broken holiday data.
    """
    for offset in range(MAX_DAYS_OFF):
        candidate = day + timedelta(days=offset)
        if is_buyer_workday(candidate, country=country, subdivision=subdivision):
            return candidate
    raise RuntimeError(
        f"no workday for country={country} subdivision={subdivision} within "
        f"{MAX_DAYS_OFF} days of {day.isoformat()}; check the holidays package data"
    )


# --- Send windows -----------------------------------------------------------------------


@dataclass(frozen=True)
class SendWindow:
    """Business hours on one buyer-local date, as aware datetimes in the buyer's zone."""

    buyer_start: datetime
    buyer_end: datetime

    def __post_init__(self) -> None:
        start_tz, end_tz = self.buyer_start.tzinfo, self.buyer_end.tzinfo
        if not isinstance(start_tz, ZoneInfo) or not isinstance(end_tz, ZoneInfo):
            raise ValueError(
                f"SendWindow needs datetimes with a ZoneInfo tzinfo, got {self.buyer_start!r}, {self.buyer_end!r}"
            )
        if start_tz.key != end_tz.key:
            raise ValueError(
                f"SendWindow start and end are in different zones: {self.buyer_start!r}, {self.buyer_end!r}"
            )
        if self.buyer_end <= self.buyer_start:
            raise ValueError(f"SendWindow ends before it starts: {self.buyer_start!r} to {self.buyer_end!r}")

    @property
    def buyer_zone(self) -> str:
        """The buyer's IANA zone name."""
        assert isinstance(self.buyer_start.tzinfo, ZoneInfo)  # checked in __post_init__
        return self.buyer_start.tzinfo.key

    @property
    def buyer_date(self) -> date:
        """The buyer-local date of the window."""
        return self.buyer_start.date()

    @property
    def start_utc(self) -> datetime:
        """The window's start in UTC, as stored."""
        return self.buyer_start.astimezone(timezone.utc)

    @property
    def end_utc(self) -> datetime:
        """The window's end in UTC, as stored."""
        return self.buyer_end.astimezone(timezone.utc)

    def in_zone(self, zone: str) -> tuple[datetime, datetime]:
        """Return (start, end) in another zone, usually the rep's."""
        tz = ZoneInfo(zone)
        return self.buyer_start.astimezone(tz), self.buyer_end.astimezone(tz)

    def contains(self, instant: datetime) -> bool:
        """Tell whether an aware instant falls inside the window (the end is excluded)."""
        return self.buyer_start <= instant < self.buyer_end


def send_window(
    day: date, *, buyer_zone: str, start: time = DEFAULT_START, end: time = DEFAULT_END
) -> SendWindow:
    """Return the business hours `start`-`end` on the buyer-local date `day`.

    A wall time that a DST change skips moves forward by the length of the gap (02:30
    becomes 03:30). A wall time that occurs twice means its first occurrence.

    Raises:
        ValueError: when `end` is not after `start`.
        zoneinfo.ZoneInfoNotFoundError: for an unknown zone.
    """
    if end <= start:
        raise ValueError(f"business hours must end after they start, got {start} to {end}")
    tz = ZoneInfo(buyer_zone)
    return SendWindow(
        buyer_start=_wall_time(day, start, tz),
        buyer_end=_wall_time(day, end, tz),
    )


def next_send_window(
    now: datetime,
    *,
    buyer_zone: str,
    country: str,
    earliest: date | None = None,
    subdivision: str | None = None,
    start: time = DEFAULT_START,
    end: time = DEFAULT_END,
) -> SendWindow:
    """Return the first window on a buyer workday on or after `earliest` that ends after `now`.

    `earliest` is a buyer-local date and defaults to the buyer's today. A window that is
    already running counts, so at 10:00 buyer time on a workday today's window is returned.
    """
    today = buyer_today(now, buyer_zone=buyer_zone)
    # A window on a date before the buyer's today has ended, so start the search at today.
    day = max(earliest, today) if earliest is not None else today
    day = next_buyer_workday(day, country=country, subdivision=subdivision)
    window = send_window(day, buyer_zone=buyer_zone, start=start, end=end)
    if window.buyer_end > now:
        return window

    # Only today's window can have ended. The next workday lies after today, so its
    # window ends after now.
    day = next_buyer_workday(day + timedelta(days=1), country=country, subdivision=subdivision)
    return send_window(day, buyer_zone=buyer_zone, start=start, end=end)


# --- Local dates ------------------------------------------------------------------------


def local_date(now: datetime, zone: str) -> date:
    """Return the calendar date of an aware instant in `zone`.

    Raises:
        ValueError: for a naive datetime, which has no defined instant.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"local_date needs an aware datetime, got {now!r}")
    return now.astimezone(ZoneInfo(zone)).date()


def buyer_today(now: datetime, *, buyer_zone: str) -> date:
    """Return the buyer's local date at the instant `now`."""
    return local_date(now, buyer_zone)


# --- Holiday calendars ------------------------------------------------------------------


def _wall_time(day: date, wall: time, tz: ZoneInfo) -> datetime:
    naive_local = datetime.combine(day, wall).replace(tzinfo=tz)
    # The round trip through UTC turns a wall time inside a DST gap into a real one.
    return naive_local.astimezone(timezone.utc).astimezone(tz)


@lru_cache(maxsize=HOLIDAY_CACHE_SIZE)
def _holidays_for(country: str, subdivision: str | None, year: int) -> holidays.HolidayBase:
    """Build the public holiday calendar of one country, subdivision and year."""
    try:
        # NOTE: expand=False keeps the cached object read-only, because a lookup outside
        # `year` would otherwise add that year's holidays to it. Callers key by day.year.
        return holidays.country_holidays(country, subdiv=subdivision, years=year, expand=False)
    except NotImplementedError:
        # Every country in pytz 2026.x is supported by holidays 0.109, but the two packages
        # update separately.
        logger.warning("no holiday data country=%s year=%s, using a Saturday-Sunday weekend", country, year)
        return holidays.HolidayBase(years=year, expand=False)


@lru_cache(maxsize=None)
def _current_weekend(country: str) -> frozenset[int]:
    try:
        weekend = holidays.country_holidays(country).weekend
    except NotImplementedError:
        weekend = holidays.HolidayBase.weekend
    return frozenset(weekend)


@lru_cache(maxsize=None)
def _subdivision_codes(country: str) -> dict[str, str]:
    """Map case-folded subdivision codes and names (CA, California) to the package's code."""
    try:
        calendar_class = type(holidays.country_holidays(country))
    except NotImplementedError:
        return {}
    codes = {code.casefold(): code for code in calendar_class.subdivisions}
    for alias, code in getattr(calendar_class, "subdivisions_aliases", {}).items():
        codes.setdefault(alias.casefold(), code)
    return codes


def normalize_subdivision(country: str, subdivision: str | None) -> str | None:
    """Return the holidays package's code for a subdivision code or name, or None for none.

    Raises:
        ParseError: for a subdivision the package does not list for `country`.
    """
    if subdivision is None or not subdivision.strip():
        return None
    codes = _subdivision_codes(country)
    code = codes.get(subdivision.strip().casefold())
    if code is None:
        accepted = ", ".join(sorted(set(codes.values()))) or "-"
        raise ParseError(
            N_("Region '%(value)s' is not recognised for %(country)s. Write one of: %(codes)s."),
            value=subdivision,
            country=country,
            codes=accepted,
        )
    return code
