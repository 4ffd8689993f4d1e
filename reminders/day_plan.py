"""A rep's day: what the morning digest lists, as a pure function of data and a clock.

The digest of a team workday also lists what fell on the rep's days off since the last
workday (weekends, public holidays), marked carried over, because no digest went out
on those days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.models import Customer, Inquiry
from reminders.birthdays import BirthdayItem, birthdays_due
from reminders.greetings import GreetingGroup, greetings_due
from reminders.planner import FollowUp, due_followups


@dataclass(frozen=True)
class RepDay:
    """Everything due for one rep on one local date."""

    today: date
    # The rep's last workday before today; what fell due after it was on a day off.
    previous_workday: date
    followups: list[FollowUp]
    birthdays: list[tuple[date, BirthdayItem]]
    greetings: list[tuple[date, GreetingGroup]]
    overdue_inquiries: list[Inquiry]

    @property
    def is_empty(self) -> bool:
        return not (self.followups or self.birthdays or self.greetings or self.overdue_inquiries)

    def is_carried(self, day: date) -> bool:
        """Tell whether `day` was a day off whose items are carried over to today."""
        return self.previous_workday < day < self.today


def plan_rep_day(
    customers: list[Customer],
    *,
    today: date,
    previous_workday: date,
    now: datetime,
    rep_zone: str,
    team_overrides: dict[str, int],
    greeting_lead_days: int,
    overdue_inquiries: list[Inquiry] = (),  # type: ignore[assignment]
) -> RepDay:
    """Collect the rep's follow-ups, birthdays, holiday greetings and late replies for `today`.

    Birthdays and greetings are looked up for every day from the day after
    `previous_workday` to `today`, so that none is lost to a day without a digest.
    """
    followups = due_followups(customers, now=now, rep_zone=rep_zone, team_overrides=team_overrides)
    birthdays: list[tuple[date, BirthdayItem]] = []
    greetings: list[tuple[date, GreetingGroup]] = []
    day = previous_workday + timedelta(days=1)
    while day <= today:
        birthdays.extend((day, item) for item in birthdays_due(customers, rep_date=day, rep_zone=rep_zone, now=now))
        greetings.extend((day, group) for group in greetings_due(customers, rep_date=day, lead_workdays=greeting_lead_days))
        day += timedelta(days=1)
    return RepDay(
        today=today,
        previous_workday=previous_workday,
        followups=followups,
        birthdays=birthdays,
        greetings=greetings,
        overdue_inquiries=list(overdue_inquiries),
    )
