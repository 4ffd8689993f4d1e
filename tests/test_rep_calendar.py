"""The team's own workdays: Chinese public holidays and make-up working days (调休)."""

from __future__ import annotations

from datetime import date

import pytest

from reminders.rep_calendar import is_team_workday, previous_team_workday


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 10, 1), False),  # National Day, Thursday
        (date(2026, 10, 7), False),  # last day of the National Day week, Wednesday
        (date(2026, 10, 8), True),  # back at work, Thursday
        (date(2026, 10, 10), True),  # make-up working Saturday
        (date(2026, 10, 11), False),  # an ordinary Sunday
        (date(2026, 2, 14), True),  # make-up Saturday before the Spring Festival
        (date(2026, 2, 17), False),  # Spring Festival
        (date(2026, 12, 7), True),  # an ordinary Monday
        (date(2026, 12, 12), False),  # an ordinary Saturday
    ],
)
def test_china_workdays(day: date, expected: bool) -> None:
    assert is_team_workday(day, country="CN") is expected


def test_previous_workday_skips_holiday_week() -> None:
    assert previous_team_workday(date(2026, 10, 8), country="CN") == date(2026, 9, 30)


def test_previous_workday_of_monday_after_makeup_saturday() -> None:
    # Sunday 11 Oct is off, Saturday 10 Oct is a make-up working day.
    assert previous_team_workday(date(2026, 10, 12), country="CN") == date(2026, 10, 10)


def test_other_team_country_has_its_own_holidays() -> None:
    # 4 July is a US public holiday but an ordinary workday in China.
    assert is_team_workday(date(2028, 7, 4), country="US") is False
    assert is_team_workday(date(2028, 7, 4), country="CN") is True
