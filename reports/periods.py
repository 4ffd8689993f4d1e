"""Reporting periods: this month, last quarter, 2027-03, 2027Q1, last 30 days, in Chinese or English.

A period is a range of local dates, start inclusive and end exclusive, so that an empty
range and back-to-back periods need no special cases. Relative periods count from the
member's local today.

A month or quarter without a year (12月, Dec, Q4, 第四季度) is the most recent one that
has begun: this year's when it has started by today, else last year's. A report looks
back, so in March "12月" is the December just past, not the coming one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from bot.errors import ParseError
from bot.i18n import N_

PERIOD_NOT_RECOGNISED = N_(
    "The period '%(value)s' is not recognised. Write e.g. this month, last month, this quarter, "
    "this year, last 30 days, 2027-03, 2027Q1, 2027 / 本月, 上月, 本季度, 今年, 最近30天, 2027年3月, 2027年第1季度."
)
PERIOD_DAYS_OUT_OF_RANGE = N_("'%(value)s': the number of days must be from 1 to %(limit)s.")

# "last N days" accepts at most ten years, so that a typo like 300000 is caught.
MAX_PERIOD_DAYS = 3660
# Years outside this range are typos in a sales report (and year 0 is no date at all).
MIN_YEAR = 1970
MAX_YEAR = 2200

# Relative periods by their words. Source: our own command wording in Chinese and English.
# Each maps to (unit, offset): offset 0 is the current unit, -1 the previous, 1 the next.
RELATIVE_PERIODS: dict[str, tuple[str, int]] = {
    "this month": ("month", 0),
    "last month": ("month", -1),
    "next month": ("month", 1),
    "this quarter": ("quarter", 0),
    "last quarter": ("quarter", -1),
    "next quarter": ("quarter", 1),
    "this year": ("year", 0),
    "last year": ("year", -1),
    "next year": ("year", 1),
    "this week": ("week", 0),
    "last week": ("week", -1),
    "next week": ("week", 1),
    "本月": ("month", 0),
    "这个月": ("month", 0),
    "上月": ("month", -1),
    "上个月": ("month", -1),
    "下月": ("month", 1),
    "下个月": ("month", 1),
    "本季度": ("quarter", 0),
    "本季": ("quarter", 0),
    "这个季度": ("quarter", 0),
    "上季度": ("quarter", -1),
    "上季": ("quarter", -1),
    "下季": ("quarter", 1),
    "上个季度": ("quarter", -1),
    "下季度": ("quarter", 1),
    "下个季度": ("quarter", 1),
    "今年": ("year", 0),
    "本年": ("year", 0),
    "去年": ("year", -1),
    "明年": ("year", 1),
    "本周": ("week", 0),
    "这周": ("week", 0),
    "上周": ("week", -1),
    "下周": ("week", 1),
}

CHINESE_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4}
# English month names and their abbreviations (Sept too). Source: the Gregorian calendar.
ENGLISH_MONTHS: dict[str, int] = {}
for _number, _name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"),
    start=1,
):
    ENGLISH_MONTHS[_name] = _number
    ENGLISH_MONTHS[_name[:3]] = _number
ENGLISH_MONTHS["sept"] = 9

_LAST_DAYS = re.compile(r"^(?:last|past|最近|近|过去)\s*(\d+)\s*(?:days?|天|日)$")
_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:月份?)?$")
_MONTH_ONLY = re.compile(r"^(\d{1,2})\s*月份?$")
_NAMED_MONTH = re.compile(r"^([a-z]+)\.?(?:\s*,?\s*(\d{4}))?$")
_NAMED_MONTH_AFTER_YEAR = re.compile(r"^(\d{4})\s+([a-z]+)\.?$")
_QUARTER = re.compile(r"^(\d{4})\s*(?:年|-)?\s*(?:q|第)?\s*([1-4一二三四])\s*(?:季度|季)?$")
_QUARTER_ONLY = re.compile(r"^(?:q\s*([1-4])|第\s*([1-4一二三四])\s*(?:季度|季))$")
_QUARTER_FIRST = re.compile(r"^q([1-4])\s*(\d{4})$")
_YEAR = re.compile(r"^(\d{4})\s*年?$")


@dataclass(frozen=True)
class Period:
    """Local dates from `start` (inclusive) to `end` (exclusive), and a language-neutral label."""

    start: date
    end: date
    label: str

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    @property
    def is_empty(self) -> bool:
        return self.end <= self.start


def month_period(year: int, month: int) -> Period:
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return Period(start, end, f"{year:04d}-{month:02d}")


def quarter_period(year: int, quarter: int) -> Period:
    first_month = 3 * (quarter - 1) + 1
    start = date(year, first_month, 1)
    end = month_period(year, first_month + 2).end
    return Period(start, end, f"{year:04d}Q{quarter}")


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year + 1, 1, 1), f"{year:04d}")


def last_days_period(days: int, *, today: date) -> Period:
    """Return the `days` days that end with today, today included."""
    start = today - timedelta(days=days - 1)
    end = today + timedelta(days=1)
    return Period(start, end, f"{start.isoformat()}…{today.isoformat()}")


def _year(text: str, *, value: str) -> int:
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ParseError(PERIOD_NOT_RECOGNISED, value=value)
    return year


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


def relative_period(unit: str, offset: int, *, today: date) -> Period:
    """Return the month, quarter, year or ISO week `offset` units from the one containing today."""
    if unit == "month":
        return month_period(*_shift_month(today.year, today.month, offset))
    if unit == "quarter":
        index = today.year * 4 + (today.month - 1) // 3 + offset
        return quarter_period(index // 4, index % 4 + 1)
    if unit == "year":
        return year_period(today.year + offset)
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
    end = monday + timedelta(days=7)
    return Period(monday, end, f"{monday.isoformat()}…{(end - timedelta(days=1)).isoformat()}")


def _latest_month(month: int, *, today: date) -> Period:
    """Return the most recent month `month` that has begun: this year's, else last year's."""
    return month_period(today.year if month <= today.month else today.year - 1, month)


def _latest_quarter(quarter: int, *, today: date) -> Period:
    """Return the most recent quarter `quarter` that has begun: this year's, else last year's."""
    current = (today.month - 1) // 3 + 1
    return quarter_period(today.year if quarter <= current else today.year - 1, quarter)


def _named_month(folded: str, *, value: str, today: date) -> Period | None:
    """Read "Dec 2026", "December 2026", "2026 Dec" or "Dec"; None when no month name is there."""
    match = _NAMED_MONTH.match(folded)
    if match and match.group(1) in ENGLISH_MONTHS:
        month = ENGLISH_MONTHS[match.group(1)]
        if match.group(2) is None:
            return _latest_month(month, today=today)
        return month_period(_year(match.group(2), value=value), month)
    match = _NAMED_MONTH_AFTER_YEAR.match(folded)
    if match and match.group(2) in ENGLISH_MONTHS:
        return month_period(_year(match.group(1), value=value), ENGLISH_MONTHS[match.group(2)])
    return None


def parse_period(text: str, *, today: date) -> Period:
    """Read a period in Chinese or English; relative ones count from `today`.

    Raises:
        ParseError: for text that names no period, a month 13 or a day count out of range.
    """
    # NFKC turns full-width digits and letters (２０２７Ｑ１) into ASCII ones.
    value = " ".join(unicodedata.normalize("NFKC", text).split())
    folded = value.lower()
    if folded in RELATIVE_PERIODS:
        unit, offset = RELATIVE_PERIODS[folded]
        return relative_period(unit, offset, today=today)

    match = _LAST_DAYS.match(folded)
    if match:
        days = int(match.group(1))
        if not 1 <= days <= MAX_PERIOD_DAYS:
            raise ParseError(PERIOD_DAYS_OUT_OF_RANGE, value=value, limit=MAX_PERIOD_DAYS)
        return last_days_period(days, today=today)

    match = _MONTH.match(folded)
    if match:
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise ParseError(PERIOD_NOT_RECOGNISED, value=value)
        return month_period(_year(match.group(1), value=value), month)

    match = _QUARTER.match(folded)
    # A bare "2027" is a year, so a quarter needs its marker: Q, 第 or 季度.
    if match and re.search(r"q|第|季", folded):
        quarter_text = match.group(2)
        quarter = CHINESE_NUMERALS.get(quarter_text) or int(quarter_text)
        return quarter_period(_year(match.group(1), value=value), quarter)
    match = _QUARTER_FIRST.match(folded)
    if match:
        return quarter_period(_year(match.group(2), value=value), int(match.group(1)))
    match = _QUARTER_ONLY.match(folded)
    if match:
        quarter_text = match.group(1) or match.group(2)
        return _latest_quarter(CHINESE_NUMERALS.get(quarter_text) or int(quarter_text), today=today)
    match = _MONTH_ONLY.match(folded)
    if match:
        month = int(match.group(1))
        if not 1 <= month <= 12:
            raise ParseError(PERIOD_NOT_RECOGNISED, value=value)
        return _latest_month(month, today=today)
    named = _named_month(folded, value=value, today=today)
    if named is not None:
        return named

    match = _YEAR.match(folded)
    if match:
        return year_period(_year(match.group(1), value=value))
    raise ParseError(PERIOD_NOT_RECOGNISED, value=value)
