"""The team's own calendar: which days the reps work, and so which days get a digest.

The team's country (China by default) decides. Its public holidays are days off, and so
are weekend days, except the make-up working days (调休) that the holidays package lists
for China, such as Saturday 2026-10-10 after the National Day week.

Limitations:
    China announces each year's make-up days in November of the year before, and the
    holidays package carries them only from its next release on. Until then, that year
    has no make-up Saturdays here (holidays 0.109 has none for 2027).
"""

from __future__ import annotations

from datetime import date, timedelta

from reminders.calendar import MAX_DAYS_OFF, is_buyer_workday


def is_team_workday(day: date, *, country: str) -> bool:
    """Tell whether the team works on `day`: not a weekend or public holiday, or a make-up day."""
    # The buyer calendar and the rep's calendar follow the same rules, from the same data.
    return is_buyer_workday(day, country=country)


def previous_team_workday(day: date, *, country: str) -> date:
    """Return the last team workday before `day`.

    Raises:
        RuntimeError: when none falls within MAX_DAYS_OFF days, which would mean broken data.
    """
    for offset in range(1, MAX_DAYS_OFF + 1):
        candidate = day - timedelta(days=offset)
        if is_team_workday(candidate, country=country):
            return candidate
    raise RuntimeError(f"no team workday for country={country} within {MAX_DAYS_OFF} days before {day}")


def next_team_workday(day: date, *, country: str) -> date:
    """Return the first team workday after `day`.

    Raises:
        RuntimeError: when none falls within MAX_DAYS_OFF days, which would mean broken data.
    """
    for offset in range(1, MAX_DAYS_OFF + 1):
        candidate = day + timedelta(days=offset)
        if is_team_workday(candidate, country=country):
            return candidate
    raise RuntimeError(f"no team workday for country={country} within {MAX_DAYS_OFF} days after {day}")
