"""Reply-time statistics per rep and the team's follow-up completion, as pure functions.

Definitions (the README repeats them for users):

- An inquiry counts in a period when it was received inside the period.
- Median time to reply: the median of (replied − received) over the rep's replied
  inquiries. With an even count it is the mean of the two middle values.
- Share within deadline: replies sent at or before the deadline, divided by the
  inquiries whose outcome is known, that is the replied ones plus the open ones whose
  deadline has passed. An open inquiry still inside its deadline is left out, because
  it may yet be answered in time.
- Open: inquiries still without a reply now.
- A rep with no inquiry in the period has no median and no share (shown as "—").

Follow-up completion: see `followup_completion`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from zoneinfo import ZoneInfo

from reminders.calendar import next_buyer_workday


@dataclass(frozen=True)
class InquiryTimes:
    """The instants of one inquiry that reply statistics need (all UTC)."""

    member_id: int
    received_at: datetime
    deadline_at: datetime
    replied_at: datetime | None


@dataclass(frozen=True)
class RepReplyStats:
    """One rep's reply figures for a period; None where there is nothing to measure."""

    member_id: int
    name: str
    inquiries: int
    replied: int
    within_deadline: int
    decided: int
    open: int
    median_reply: timedelta | None

    @property
    def share_within_deadline(self) -> Decimal | None:
        """Replies in time over inquiries whose outcome is known, 0..1; None when none is known."""
        if self.decided == 0:
            return None
        return Decimal(self.within_deadline) / Decimal(self.decided)


@dataclass(frozen=True)
class ContactHistory:
    """One customer's contacts, oldest first: its registration, then every logged interaction.

    `cadence_days` is the customer's current cadence, already resolved from the customer,
    team and tier defaults; `rep_zone` is the owner's zone, where the planner counts days.
    """

    customer_id: int
    member_id: int
    country: str
    subdivision: str | None
    cadence_days: int
    rep_zone: str
    contacts: tuple[datetime, ...]


@dataclass(frozen=True)
class FollowUpCompletion:
    """Follow-ups that fell due in a period: done on the due day, done later, or never done."""

    on_time: int = 0
    late: int = 0
    never: int = 0

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.never

    def share(self, count: int) -> Decimal | None:
        """Return `count` over the total, 0..1, or None when nothing fell due."""
        if self.total == 0:
            return None
        return Decimal(count) / Decimal(self.total)


@dataclass(frozen=True)
class WeekPoint:
    """One week of the trend: its Monday, the inquiries received, their median reply time."""

    monday: date
    inquiries: int
    median_reply: timedelta | None

    @property
    def start(self) -> date:
        return self.monday


@dataclass(frozen=True)
class MonthPoint:
    """One month of the trend: its first day, the inquiries received, their median reply time."""

    start: date
    inquiries: int
    median_reply: timedelta | None


# A point of the /stats chart: a week or a month.
TrendPoint = WeekPoint | MonthPoint


def median_duration(durations: Sequence[timedelta]) -> timedelta | None:
    """Return the median of `durations`, or None for an empty sequence."""
    if not durations:
        return None
    return timedelta(seconds=median(duration.total_seconds() for duration in durations))


def rep_reply_stats(
    inquiries: Iterable[InquiryTimes], *, members: Sequence[tuple[int, str]], now: datetime
) -> list[RepReplyStats]:
    """Compute each member's reply figures, in the order of `members` (id, display name).

    `inquiries` are those received in the period. A member without any gets zero counts
    and None figures, so the caller never divides by zero.
    """
    by_member: dict[int, list[InquiryTimes]] = defaultdict(list)
    for inquiry in inquiries:
        by_member[inquiry.member_id].append(inquiry)

    result = []
    for member_id, name in members:
        own = by_member.get(member_id, [])
        durations = [item.replied_at - item.received_at for item in own if item.replied_at is not None]
        in_time = sum(1 for item in own if item.replied_at is not None and item.replied_at <= item.deadline_at)
        missed_open = sum(1 for item in own if item.replied_at is None and item.deadline_at < now)
        result.append(
            RepReplyStats(
                member_id=member_id,
                name=name,
                inquiries=len(own),
                replied=len(durations),
                within_deadline=in_time,
                decided=len(durations) + missed_open,
                open=sum(1 for item in own if item.replied_at is None),
                median_reply=median_duration(durations),
            )
        )
    return result


def followup_completion(histories: Iterable[ContactHistory], *, start: date, end: date, today: date) -> FollowUpCompletion:
    """Count the follow-ups that fell due from `start` (inclusive) to `end` (exclusive) by outcome.

    The due dates are rebuilt the way reminders/planner.py plans them: after each contact,
    the next follow-up is due `cadence_days` later, counted from the contact's date in the
    rep's zone, and moved to the buyer's next workday. The next contact decides the outcome:

    - on the due date (rep's date): done on the due day;
    - after it: late;
    - none yet, and the due date is before `today`: never (so far). A follow-up due today
      and not yet done is left out, because the day is not over.
    - before the due date: no follow-up fell due, because any contact restarts the clock.

    Limitations: the current cadence and tier are used for the whole history, and snoozes
    (which store only the latest date) are not replayed, so a snoozed follow-up done on
    its new date counts as late.
    """
    on_time = late = never = 0
    for history in histories:
        zone = ZoneInfo(history.rep_zone)
        local_days = [contact.astimezone(zone).date() for contact in history.contacts]
        for index, contact_day in enumerate(local_days):
            due = next_buyer_workday(
                contact_day + timedelta(days=history.cadence_days),
                country=history.country,
                subdivision=history.subdivision,
            )
            if not start <= due < end:
                continue
            next_day = local_days[index + 1] if index + 1 < len(local_days) else None
            if next_day is None:
                if due < today:
                    never += 1
            elif next_day == due:
                on_time += 1
            elif next_day > due:
                late += 1
    return FollowUpCompletion(on_time=on_time, late=late, never=never)


def weekly_trend(inquiries: Iterable[InquiryTimes], *, start: date, end: date, zone: str) -> list[WeekPoint]:
    """Group inquiries by the Monday of their received week in `zone`, every week from `start` to before `end`.

    Weeks without inquiries are kept, with a count of 0 and no median, so the chart's
    x axis has no gaps.
    """
    tz = ZoneInfo(zone)
    first_monday = start - timedelta(days=start.weekday())
    weeks: dict[date, list[InquiryTimes]] = {}
    monday = first_monday
    while monday < end:
        weeks[monday] = []
        monday += timedelta(days=7)
    for inquiry in inquiries:
        day = inquiry.received_at.astimezone(tz).date()
        key = day - timedelta(days=day.weekday())
        if key in weeks:
            weeks[key].append(inquiry)
    return [
        WeekPoint(
            monday=monday,
            inquiries=len(items),
            median_reply=median_duration(
                [item.replied_at - item.received_at for item in items if item.replied_at is not None]
            ),
        )
        for monday, items in weeks.items()
    ]


def monthly_trend(inquiries: Iterable[InquiryTimes], *, start: date, end: date, zone: str) -> list[MonthPoint]:
    """Group inquiries by the month they were received in `zone`, every month from `start` to before `end`.

    Months without inquiries are kept, with a count of 0 and no median.
    """
    tz = ZoneInfo(zone)
    months: dict[date, list[InquiryTimes]] = {}
    first = start.replace(day=1)
    while first < end:
        months[first] = []
        first = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    for inquiry in inquiries:
        key = inquiry.received_at.astimezone(tz).date().replace(day=1)
        if key in months:
            months[key].append(inquiry)
    return [
        MonthPoint(
            start=first_day,
            inquiries=len(items),
            median_reply=median_duration(
                [item.replied_at - item.received_at for item in items if item.replied_at is not None]
            ),
        )
        for first_day, items in months.items()
    ]


def percent(share: Decimal | None) -> str | None:
    """Format a 0..1 share as a whole percentage ("67%"), or None for no share."""
    if share is None:
        return None
    return f"{(share * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"

