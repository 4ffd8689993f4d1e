"""Dates, durations and snooze periods as reps write them in Chinese or English."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from functools import lru_cache
from typing import NamedTuple

from babel import Locale

from bot.errors import ParseError
from bot.i18n import N_
from handlers.field_aliases import CHINESE_WEEKDAYS, ENGLISH_COUNT_WORDS
from handlers.parsing_text import normalize_text, parse_small_count

logger = logging.getLogger(__name__)

DATE_NOT_RECOGNISED = N_("Date '%(value)s' is not recognised. Write e.g. 2027-03-05, 3月5日, 5 Mar or 明天.")
DATE_AMBIGUOUS = N_("Date '%(value)s' could be day-month or month-day. Write e.g. 2027-03-05 or 5 Mar 2027.")
DATE_DOES_NOT_EXIST = N_("Date '%(value)s' does not exist. Check the day and the month.")
DATE_IN_PAST = N_("Date '%(value)s' is in the past. Write a future date, e.g. 明天 or 2027-03-05.")
DATE_RECENTLY_PASSED = N_(
    "Date '%(value)s' was %(date)s, which has passed. Write a later date, or %(next_year)s if you mean next year."
)
# A yearless date up to this many days past is asked about; an older one is read as next year's.
RECENT_PAST_DAYS = 60
DATE_TOO_FAR = N_("Date '%(value)s' is more than %(days)s days from today. Write a nearer date, e.g. 2027-03-05.")
BIRTHDAY_NOT_RECOGNISED = N_("Birthday '%(value)s' is not recognised. Write e.g. 1980-03-05, 3月5日 or 5 Mar 1980.")
BIRTHDAY_AMBIGUOUS = N_(
    "Birthday '%(value)s' could be day-month or month-day. Write e.g. 1980-03-05, 3月5日 or 5 Mar 1980."
)
BIRTHDAY_NOT_A_DATE = N_("A birthday needs a calendar date, not '%(value)s'. Write e.g. 3月5日 or 5 Mar 1990.")
BIRTHDAY_IN_FUTURE = N_("Birthday '%(value)s' is in the future. Write e.g. 3月5日 or 5 Mar 1990.")
DURATION_NOT_RECOGNISED = N_("Duration '%(value)s' is not recognised. Write e.g. 30m, 2h, 3d, 1w or 1d12h.")
DURATION_NOT_POSITIVE = N_("Duration '%(value)s' is not above zero. Write e.g. 30m, 2h or 3d.")
DURATION_TOO_LONG = N_("Duration '%(value)s' is longer than %(days)s days. Write e.g. 30m, 2h, 3d or 1w.")
SNOOZE_NOT_RECOGNISED = N_("Snooze '%(value)s' is not recognised. Write e.g. 1d, 3d, 1w, 下周 or 2027-03-05.")
SNOOZE_NOT_POSITIVE = N_("Snooze '%(value)s' is not above zero. Write e.g. 1d, 3d, 1w, 下周 or 2027-03-05.")
SNOOZE_TOO_LONG = N_(
    "Snooze '%(value)s' is longer than %(days)s days. Write e.g. 1d, 3d, 1w, 下周 or a date within a year."
)

# A snooze or duration spans at most a year, 366 days so that a leap year fits.
MAX_PERIOD_DAYS = 366
# Relative dates ("in 500 days", "300天后") reach at most this many days from today,
# about ten years.
MAX_RELATIVE_DAYS = 3660
# Counts above this are read as this, which is beyond every limit above even in days,
# so that int() and timedelta never see a huge digit string (both fail on one).
_COUNT_CAP = 1_000_000

# A leap year, to check a month and day that come without a year (29 Feb is valid).
_LEAP_YEAR = 2000


class DatePurpose(Enum):
    """What a date is for, which decides how a missing year and a past date are read."""

    FUTURE = "future"
    BIRTHDAY = "birthday"
    ANY = "any"


@dataclass(frozen=True)
class MonthDay:
    """A date without a year, such as a birthday written as 3月5日."""

    month: int
    day: int

    def __post_init__(self) -> None:
        date(_LEAP_YEAR, self.month, self.day)  # raises ValueError for 2/30, 13/1 ...

    def in_year(self, year: int) -> date:
        """Return this day in `year`, with 29 Feb falling on 28 Feb in common years."""
        if (self.month, self.day) == (2, 29) and not _is_leap(year):
            return date(year, 2, 28)
        return date(year, self.month, self.day)


class _DateParts(NamedTuple):
    year: int | None
    month: int
    day: int


# ---------------------------------------------------------------------------
# Patterns. They run on normalize_text(...).casefold(), so English is lower-case.
# ---------------------------------------------------------------------------

_YEAR_FIRST = re.compile(r"(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})")
_CHINESE_FULL = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_CHINESE_MONTH_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_NUMERIC = re.compile(r"(\d{1,2})\s*([-/.])\s*(\d{1,2})(?:\s*\2\s*(\d{4}))?")
_ORDINAL = r"(?:st|nd|rd|th)?"
_DAY_THEN_MONTH = re.compile(
    r"(\d{1,2})" + _ORDINAL + r"(?:\s*[-/.]\s*|\s*)(?:of\s+)?([a-z]+)\.?(?:\s*[-/.,]?\s*(\d{4}))?"
)
_MONTH_THEN_DAY = re.compile(r"([a-z]+)\.?\s*[-/.]?\s*(\d{1,2})" + _ORDINAL + r"(?:\s*[-/.,]?\s*(\d{4}))?")

_RELATIVE_DAY_WORDS = {
    "今天": 0, "今日": 0, "today": 0,
    "明天": 1, "明日": 1, "tomorrow": 1,
    "后天": 2, "day after tomorrow": 2, "the day after tomorrow": 2,
    "大后天": 3,
    "昨天": -1, "yesterday": -1,
    "前天": -2,
}  # fmt: skip
_CHINESE_COUNT = r"(\d+|[零一二两三四五六七八九十]+)"
_CHINESE_OFFSET = re.compile(_CHINESE_COUNT + r"\s*(天|日|个?星期|周|个?礼拜)\s*(后|以后|之后|前|以前|之前)")
_ENGLISH_COUNT = r"(\d+|" + "|".join(ENGLISH_COUNT_WORDS) + ")"
_ENGLISH_IN = re.compile(r"in\s+" + _ENGLISH_COUNT + r"\s+(days?|weeks?)")
_ENGLISH_LATER = re.compile(_ENGLISH_COUNT + r"\s+(days?|weeks?)\s+(later|from now|ago)")
_CHINESE_WEEKDAY = re.compile(r"(下个?|这个?|本)?\s*(?:周|星期|礼拜)([一二三四五六日天])")
_ENGLISH_WEEKDAY = re.compile(r"(?:(next|this)\s+)?([a-z]+)")

_DURATION_PART = re.compile(r"(\d+)\s*(min|分钟|小时|周|天|w|d|h|m)")
_DURATION_UNITS = {
    "w": timedelta(weeks=1), "周": timedelta(weeks=1),
    "d": timedelta(days=1), "天": timedelta(days=1),
    "h": timedelta(hours=1), "小时": timedelta(hours=1),
    "m": timedelta(minutes=1), "min": timedelta(minutes=1), "分钟": timedelta(minutes=1),
}  # fmt: skip
_SNOOZE_PERIOD = re.compile(r"(\d+|[一二两三四五六七八九十]+)\s*(days?|d|weeks?|w|天|个星期|星期|周)")
_WEEK_UNITS = frozenset({"w", "week", "weeks", "周", "星期", "个星期"})
_NEXT_WEEK = frozenset({"next week", "下周", "下星期", "下礼拜", "下个星期", "下个礼拜"})


@lru_cache(maxsize=1)
def _english_months() -> dict[str, int]:
    # Month names from Babel's CLDR data for English, plus "sept", which CLDR lacks.
    months = Locale.parse("en").months["format"]
    names = {"sept": 9}
    for width in ("wide", "abbreviated"):
        for number, name in months[width].items():
            names[name.casefold()] = number
    return names


@lru_cache(maxsize=1)
def _english_weekdays() -> dict[str, int]:
    # Weekday names from Babel's CLDR data for English. Monday is 0, as in date.weekday().
    days = Locale.parse("en").days["format"]
    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for number, name in days[width].items():
            names[name.casefold()] = number
    return names


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------


def parse_date(text: str, *, today: date, purpose: DatePurpose) -> date | MonthDay:
    """Read a date such as 2027-03-05, 3月5日, 5 Mar, 明天, 下周五 or in 3 days.

    A slash date is month/day (3/5 is 5 March) unless the first number is above 12.
    Dotted and dashed dates without the year first must be unambiguous. A weekday name
    means the next such day after today. 下周五 and "next Friday" mean Friday of next
    week, and weeks start on Monday. Past relative words (昨天, 3天前, 2 days ago) suit
    ANY only.

    FUTURE rejects past dates, and a date without a year falls in the next 12 months.
    BIRTHDAY rejects relative words and future dates, and returns a MonthDay when the
    year is missing. ANY puts a date without a year within six months of today.

    Raises:
        ParseError: for an unknown form, an ambiguous or impossible date, or a date
            that does not suit the purpose.
    """
    value = normalize_text(text)
    folded = value.casefold()

    offset_days = _relative_offset(folded, today=today)
    if offset_days is not None:
        if purpose is DatePurpose.BIRTHDAY:
            raise ParseError(BIRTHDAY_NOT_A_DATE, value=value)
        if abs(offset_days) > MAX_RELATIVE_DAYS:
            raise ParseError(DATE_TOO_FAR, value=value, days=MAX_RELATIVE_DAYS)
        relative = today + timedelta(days=offset_days)
        if purpose is DatePurpose.FUTURE and relative < today:
            raise ParseError(DATE_IN_PAST, value=value, date=relative.isoformat())
        return relative

    parts = _parse_absolute(folded, value=value, purpose=purpose)
    if parts is None:
        if purpose is DatePurpose.BIRTHDAY:
            raise ParseError(BIRTHDAY_NOT_RECOGNISED, value=value)
        raise ParseError(DATE_NOT_RECOGNISED, value=value)
    if parts.year is not None:
        return _check_dated(parts, value=value, today=today, purpose=purpose)
    return _place_yearless(parts, value=value, today=today, purpose=purpose)


def _check_dated(parts: _DateParts, *, value: str, today: date, purpose: DatePurpose) -> date:
    assert parts.year is not None
    result = _make_date(parts.year, parts.month, parts.day, value=value)
    if purpose is DatePurpose.FUTURE and result < today:
        raise ParseError(DATE_IN_PAST, value=value, date=result.isoformat())
    if purpose is DatePurpose.FUTURE and (result - today).days > MAX_RELATIVE_DAYS:
        raise ParseError(DATE_TOO_FAR, value=value, days=MAX_RELATIVE_DAYS)
    if purpose is DatePurpose.BIRTHDAY and result > today:
        raise ParseError(BIRTHDAY_IN_FUTURE, value=value)
    return result


def _place_yearless(parts: _DateParts, *, value: str, today: date, purpose: DatePurpose) -> date | MonthDay:
    _make_date(_LEAP_YEAR, parts.month, parts.day, value=value)
    if purpose is DatePurpose.BIRTHDAY:
        return MonthDay(parts.month, parts.day)

    if purpose is DatePurpose.FUTURE:
        if (parts.month, parts.day) == (2, 29):
            # The next 29 February, up to four years away.
            year = next(year for year in range(today.year, today.year + 5) if _is_leap(year) and date(year, 2, 29) >= today)
            return date(year, 2, 29)
        if (parts.month, parts.day) >= (today.month, today.day):
            return _make_date(today.year, parts.month, parts.day, value=value)
        if (parts.month, parts.day) != (2, 29):
            passed = date(today.year, parts.month, parts.day)
            if (today - passed).days <= RECENT_PAST_DAYS:
                # 12/6 written on 7 Dec is more likely a slip than a date a year away: ask.
                next_year = passed.replace(year=today.year + 1).isoformat()
                raise ParseError(DATE_RECENTLY_PASSED, value=value, date=passed.isoformat(), next_year=next_year)
        return _make_date(today.year + 1, parts.month, parts.day, value=value)

    # ANY: the candidate nearest to today, so 1月5日 written in December means next January.
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        if (parts.month, parts.day) != (2, 29) or _is_leap(year):
            candidates.append(date(year, parts.month, parts.day))
    if not candidates:
        raise ParseError(DATE_DOES_NOT_EXIST, value=value)
    return min(candidates, key=lambda candidate: (abs((candidate - today).days), candidate < today))


def _make_date(year: int, month: int, day: int, *, value: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ParseError(DATE_DOES_NOT_EXIST, value=value) from None


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _parse_absolute(folded: str, *, value: str, purpose: DatePurpose) -> _DateParts | None:
    for pattern in (_YEAR_FIRST, _CHINESE_FULL):
        match = pattern.fullmatch(folded)
        if match:
            numbers = [group for group in match.groups() if group and group.isdigit()]
            year, month, day = (int(number) for number in numbers)
            return _DateParts(year, month, day)

    match = _CHINESE_MONTH_DAY.fullmatch(folded)
    if match:
        return _DateParts(None, int(match.group(1)), int(match.group(2)))

    match = _NUMERIC.fullmatch(folded)
    if match:
        return _read_numeric(match, value=value, purpose=purpose)

    return _read_month_name(folded)


def _read_numeric(match: re.Match[str], *, value: str, purpose: DatePurpose) -> _DateParts:
    first, separator, second, year_text = match.groups()
    first_number, second_number = int(first), int(second)
    year = int(year_text) if year_text else None

    if first_number > 12:
        return _DateParts(year, second_number, first_number)
    if separator == "/":
        # Chinese writers put the month first, as in 3/5 for 5 March.
        return _DateParts(year, first_number, second_number)
    if second_number > 12 or first_number == second_number:
        return _DateParts(year, first_number, second_number)
    # 05.03.2027 is 5 March in Europe and India but 3 May in the US, so ask.
    # A birthday gets past examples, because a future one would be rejected next.
    if purpose is DatePurpose.BIRTHDAY:
        raise ParseError(BIRTHDAY_AMBIGUOUS, value=value)
    raise ParseError(DATE_AMBIGUOUS, value=value)


def _read_month_name(folded: str) -> _DateParts | None:
    months = _english_months()
    match = _DAY_THEN_MONTH.fullmatch(folded)
    if match and match.group(2) in months:
        day_text, month_name, year_text = match.groups()
    else:
        match = _MONTH_THEN_DAY.fullmatch(folded)
        if not match or match.group(1) not in months:
            return None
        month_name, day_text, year_text = match.groups()
    year = int(year_text) if year_text else None
    return _DateParts(year, months[month_name], int(day_text))


def _relative_offset(folded: str, *, today: date) -> int | None:
    """Return the days from today to a relative date (明天, 3天后, in 2 weeks, 下周五), or None."""
    if folded in _RELATIVE_DAY_WORDS:
        return _RELATIVE_DAY_WORDS[folded]

    match = _CHINESE_OFFSET.fullmatch(folded)
    if match:
        count = _read_count(match.group(1))
        if count is None:
            return None
        unit_days = 1 if match.group(2) in ("天", "日") else 7
        sign = -1 if match.group(3).endswith("前") else 1
        return sign * count * unit_days

    for pattern in (_ENGLISH_IN, _ENGLISH_LATER):
        match = pattern.fullmatch(folded)
        if match:
            count_text = match.group(1)
            count = ENGLISH_COUNT_WORDS.get(count_text)
            if count is None:
                count = _read_count(count_text)
            if count is None:
                return None
            unit_days = 7 if match.group(2).startswith("week") else 1
            sign = -1 if match.re is _ENGLISH_LATER and match.group(3) == "ago" else 1
            return sign * count * unit_days

    weekday = _parse_weekday(folded, today=today)
    return None if weekday is None else (weekday - today).days


def _read_count(text: str) -> int | None:
    """Read a count in digits or Chinese numerals, capped at _COUNT_CAP, or return None."""
    if not text.isdigit():
        return parse_small_count(text)
    significant = text.lstrip("0") or "0"
    if len(significant) > len(str(_COUNT_CAP)):
        return _COUNT_CAP
    return min(int(significant), _COUNT_CAP)


def _parse_weekday(folded: str, *, today: date) -> date | None:
    match = _CHINESE_WEEKDAY.fullmatch(folded)
    if match:
        prefix, day_name = match.groups()
        week = None
        if prefix:
            week = "next" if prefix.startswith("下") else "this"
        return _weekday_date(CHINESE_WEEKDAYS[day_name], week=week, today=today)

    match = _ENGLISH_WEEKDAY.fullmatch(folded)
    if match and match.group(2) in _english_weekdays():
        return _weekday_date(_english_weekdays()[match.group(2)], week=match.group(1), today=today)
    return None


def _weekday_date(weekday: int, *, week: str | None, today: date) -> date:
    """Return the weekday in this or next week (Monday to Sunday), or the next one after today."""
    monday = today - timedelta(days=today.weekday())
    if week == "this":
        return monday + timedelta(days=weekday)
    if week == "next":
        return monday + timedelta(days=7 + weekday)
    days_ahead = (weekday - today.weekday()) % 7 or 7
    return today + timedelta(days=days_ahead)


# ---------------------------------------------------------------------------
# Durations and snoozes
# ---------------------------------------------------------------------------


def parse_duration(text: str) -> timedelta:
    """Read a duration: 3d, 2h, 30m, 90min, 1w, 1d12h, 3天, 2小时, 30分钟, 1周.

    Each unit may appear once; m means minutes. The total is at most MAX_PERIOD_DAYS.

    Raises:
        ParseError: for any other form, or a total that is not above zero or too long.
    """
    value = normalize_text(text)
    folded = value.casefold().replace(" ", "")
    is_negative = folded.startswith("-")
    total = _sum_duration_parts(folded.removeprefix("-"), value=value)
    if is_negative or total <= timedelta():
        raise ParseError(DURATION_NOT_POSITIVE, value=value)
    if total > timedelta(days=MAX_PERIOD_DAYS):
        raise ParseError(DURATION_TOO_LONG, value=value, days=MAX_PERIOD_DAYS)
    return total


def _sum_duration_parts(folded: str, *, value: str) -> timedelta:
    total = timedelta()
    units_seen: set[timedelta] = set()
    position = 0
    for match in _DURATION_PART.finditer(folded):
        unit = _DURATION_UNITS[match.group(2)]
        if match.start() != position or unit in units_seen:
            raise ParseError(DURATION_NOT_RECOGNISED, value=value)
        units_seen.add(unit)
        count = _read_count(match.group(1))
        assert count is not None  # the pattern matched digits
        total += count * unit
        position = match.end()
    if not folded or position != len(folded):
        raise ParseError(DURATION_NOT_RECOGNISED, value=value)
    return total


def parse_snooze(text: str, *, today: date) -> date:
    """Read the day to snooze a reminder to: 1d, 3d, 1w, 下周/next week, 明天 or a date.

    An empty text means tomorrow. 下周 and "next week" mean next Monday. The snooze
    ends at most MAX_PERIOD_DAYS after today.

    Raises:
        ParseError: for an unknown form, a period that is not above zero, a past date,
            or a date more than MAX_PERIOD_DAYS ahead.
    """
    value = normalize_text(text)
    folded = value.casefold()
    if not folded:
        return today + timedelta(days=1)
    if folded in _NEXT_WEEK:
        return today + timedelta(days=7 - today.weekday())

    match = _SNOOZE_PERIOD.fullmatch(folded)
    if match:
        count = _read_count(match.group(1))
        assert count is not None  # the pattern matched digits
        if count == 0:
            raise ParseError(SNOOZE_NOT_POSITIVE, value=value)
        unit_days = 7 if match.group(2) in _WEEK_UNITS else 1
        days = count * unit_days
    else:
        days = (_parse_snooze_date(value, today=today) - today).days

    if days > MAX_PERIOD_DAYS:
        raise ParseError(SNOOZE_TOO_LONG, value=value, days=MAX_PERIOD_DAYS)
    return today + timedelta(days=days)


def _parse_snooze_date(value: str, *, today: date) -> date:
    try:
        result = parse_date(value, today=today, purpose=DatePurpose.FUTURE)
    except ParseError as error:
        if error.message == DATE_NOT_RECOGNISED:
            raise ParseError(SNOOZE_NOT_RECOGNISED, value=value) from None
        if error.message == DATE_TOO_FAR:
            raise ParseError(SNOOZE_TOO_LONG, value=value, days=MAX_PERIOD_DAYS) from None
        raise
    assert isinstance(result, date)
    return result
