"""A rep's day: what the morning digest lists, as a pure function of data and a clock.

No digest goes out on the rep's days off (weekends, public holidays), so the digest of a
workday covers them. Follow-ups that fell due on a day off since the last workday come
late, marked carried over. Birthdays and holiday greetings of the days off before the
next workday come early instead, because a greeting after the day is worth little.
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
    # The rep's next workday; birthdays and greetings due before it are listed today.
    next_workday: date
    followups: list[FollowUp]
    birthdays: list[tuple[date, BirthdayItem]]
    greetings: list[tuple[date, GreetingGroup]]
    overdue_inquiries: list[Inquiry]

    @property
    def is_empty(self) -> bool:
        return not (self.followups or self.birthdays or self.greetings or self.overdue_inquiries)

    def is_early(self, day: date) -> bool:
        """Tell whether `day` is a coming day off whose birthdays and greetings are listed today."""
        return self.today < day < self.next_workday


def plan_rep_day(
    customers: list[Customer],
    *,
    today: date,
    previous_workday: date,
    next_workday: date,
    now: datetime,
    rep_zone: str,
    team_overrides: dict[str, int],
    greeting_lead_days: int,
    overdue_inquiries: list[Inquiry] = (),  # type: ignore[assignment]
) -> RepDay:
    """Collect the rep's follow-ups, birthdays, holiday greetings and late replies for `today`.

    Birthdays and greetings are looked up for every day from `today` to the day before
    `next_workday`, so that none falls on a day without a digest.
    """
    followups = due_followups(customers, now=now, rep_zone=rep_zone, team_overrides=team_overrides)
    birthdays: list[tuple[date, BirthdayItem]] = []
    greetings: list[tuple[date, GreetingGroup]] = []
    day = today
    while day < next_workday:
        birthdays.extend((day, item) for item in birthdays_due(customers, rep_date=day, rep_zone=rep_zone, now=now))
        greetings.extend((day, group) for group in greetings_due(customers, rep_date=day, lead_workdays=greeting_lead_days))
        day += timedelta(days=1)
    return RepDay(
        today=today,
        previous_workday=previous_workday,
        next_workday=next_workday,
        followups=followups,
        birthdays=birthdays,
        greetings=greetings,
        overdue_inquiries=list(overdue_inquiries),
    )
