"""Reporting periods in Chinese and English: relative, month, quarter, year and day counts."""

from __future__ import annotations

from datetime import date

import pytest

from bot.errors import ParseError
from reports.periods import Period, parse_period

# Monday 7 Dec 2026.
TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("this month", date(2026, 12, 1), date(2027, 1, 1), "2026-12"),
        ("本月", date(2026, 12, 1), date(2027, 1, 1), "2026-12"),
        ("last month", date(2026, 11, 1), date(2026, 12, 1), "2026-11"),
        ("上个月", date(2026, 11, 1), date(2026, 12, 1), "2026-11"),
        ("next month", date(2027, 1, 1), date(2027, 2, 1), "2027-01"),
        ("this quarter", date(2026, 10, 1), date(2027, 1, 1), "2026Q4"),
        ("上季度", date(2026, 7, 1), date(2026, 10, 1), "2026Q3"),
        ("next quarter", date(2027, 1, 1), date(2027, 4, 1), "2027Q1"),
        ("今年", date(2026, 1, 1), date(2027, 1, 1), "2026"),
        ("last year", date(2025, 1, 1), date(2026, 1, 1), "2025"),
        ("2027-03", date(2027, 3, 1), date(2027, 4, 1), "2027-03"),
        ("2027年3月", date(2027, 3, 1), date(2027, 4, 1), "2027-03"),
        ("2027Q1", date(2027, 1, 1), date(2027, 4, 1), "2027Q1"),
        ("２０２７Ｑ２", date(2027, 4, 1), date(2027, 7, 1), "2027Q2"),
        ("Q4 2027", date(2027, 10, 1), date(2028, 1, 1), "2027Q4"),
        ("2027年第一季度", date(2027, 1, 1), date(2027, 4, 1), "2027Q1"),
        ("2027", date(2027, 1, 1), date(2028, 1, 1), "2027"),
        ("last 30 days", date(2026, 11, 8), date(2026, 12, 8), "2026-11-08…2026-12-07"),
        ("最近7天", date(2026, 12, 1), date(2026, 12, 8), "2026-12-01…2026-12-07"),
        ("本周", date(2026, 12, 7), date(2026, 12, 14), "2026-12-07…2026-12-13"),
    ],
)
def test_parse_period_accepted_forms(text: str, start: date, end: date, label: str) -> None:
    assert parse_period(text, today=TODAY) == Period(start, end, label)


def test_parse_period_december_rolls_into_next_year() -> None:
    assert parse_period("next month", today=date(2026, 12, 31)).start == date(2027, 1, 1)
    assert parse_period("last month", today=date(2027, 1, 15)).start == date(2026, 12, 1)


@pytest.mark.parametrize("text", ["colour", "2027-13", "2027Q5", "0000", "someday", "last 0 days", "最近9999天"])
def test_parse_period_rejects_bad_text(text: str) -> None:
    with pytest.raises(ParseError):
        parse_period(text, today=TODAY)


def test_period_contains_start_not_end() -> None:
    period = parse_period("2027-03", today=TODAY)
    assert period.contains(date(2027, 3, 1))
    assert period.contains(date(2027, 3, 31))
    assert not period.contains(date(2027, 4, 1))
    assert not period.is_empty


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # A month or quarter without a year is the most recent one that has begun.
        ("12月", "2026-12"),
        ("3月", "2026-03"),
        ("Q4", "2026Q4"),
        ("q1", "2026Q1"),
        ("第四季度", "2026Q4"),
        ("2026-Q4", "2026Q4"),
        ("上季", "2026Q3"),
        ("2026年12月份", "2026-12"),
        ("Dec 2026", "2026-12"),
        ("December 2026", "2026-12"),
        ("2026 Dec", "2026-12"),
        ("Sept 2026", "2026-09"),
        ("Dec", "2026-12"),
    ],
)
def test_period_common_phrasings_read(text: str, label: str) -> None:
    assert parse_period(text, today=TODAY).label == label


def test_period_month_without_year_not_begun_is_last_years() -> None:
    # In March 2027, 12月 is the December just past.
    assert parse_period("12月", today=date(2027, 3, 5)).label == "2026-12"
    assert parse_period("Q4", today=date(2027, 3, 5)).label == "2026Q4"
    assert parse_period("第一季度", today=date(2027, 3, 5)).label == "2027Q1"


@pytest.mark.parametrize("text", ["13月", "Q5", "Decembre 2026", "0月"])
def test_period_bad_phrasings_refused(text: str) -> None:
    with pytest.raises(ParseError):
        parse_period(text, today=TODAY)
