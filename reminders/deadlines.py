"""Reply deadlines of inquiries (询盘回复时效), as a pure function of the received instant.

A reply should be waiting when the buyer opens the inbox. So the deadline is the buyer's
next local inbox time (08:00 by default) on a buyer workday, skipping the buyer country's
weekend and public holidays (reminders.calendar). When the buyer's business day is already
running (a buyer workday, from the inbox time until the end of business at 18:00), the
reply is due within 2 hours instead.

The 2-hour rule applies until the end of business, even when its deadline falls after it:
an inquiry that arrives at 17:30 buyer time is due at 19:30, not at the next 08:00. A buyer
who writes late in the day is still at the desk and compares the suppliers who answer
first. For a rep in Beijing this is the trade's "Japan at once": 16:30 in Beijing is 17:30
in Tokyo, so the reply is due at 18:30 Beijing time.

Limitations:
    An inquiry that arrives shortly before the buyer's inbox time gets a short deadline:
    at 07:30 buyer time, the reply is due 30 minutes later. That is the rule as the trade
    uses it (a Beijing rep replies to India before about 11:00), and a reply that is a few
    minutes late still tops the buyer's morning inbox.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from reminders.calendar import is_buyer_workday, next_buyer_workday, send_window

logger = logging.getLogger(__name__)

DEFAULT_INBOX_TIME = time(8)
DEFAULT_END_OF_BUSINESS = time(18)
# The reply time allowed while the buyer's business day is running.
RUNNING_DAY_REPLY = timedelta(hours=2)


@dataclass(frozen=True)
class ReplyDeadline:
    """The instant by which the rep should reply to an inquiry.

    `deadline` is an aware UTC datetime. `in_running_day` is True when the buyer's business
    day was running at arrival, so the 2-hour rule set the deadline.
    """

    deadline: datetime
    in_running_day: bool
    buyer_zone: str

    def __post_init__(self) -> None:
        if self.deadline.tzinfo is None or self.deadline.utcoffset() != timedelta(0):
            raise ValueError(f"ReplyDeadline needs an aware UTC datetime, got {self.deadline!r}")
        ZoneInfo(self.buyer_zone)  # raises ZoneInfoNotFoundError for an unknown zone

    @property
    def buyer_local(self) -> datetime:
        """The deadline on the buyer's wall clock."""
        return self.deadline.astimezone(ZoneInfo(self.buyer_zone))

    def in_zone(self, zone: str) -> datetime:
        """Return the deadline on another wall clock, usually the rep's."""
        return self.deadline.astimezone(ZoneInfo(zone))

    def clocks(self, rep_zone: str) -> tuple[datetime, datetime]:
        """Return (rep-local, buyer-local) deadline, to show the rep's time with the buyer's beside it."""
        return self.in_zone(rep_zone), self.buyer_local

    def lateness(self, instant: datetime) -> timedelta:
        """Return how long after the deadline `instant` is, which is negative before the deadline."""
        return instant - self.deadline


def reply_deadline(
    received_at: datetime,
    *,
    buyer_zone: str,
    country: str,
    subdivision: str | None = None,
    inbox_time: time = DEFAULT_INBOX_TIME,
    end_of_business: time = DEFAULT_END_OF_BUSINESS,
    running_day_reply: timedelta = RUNNING_DAY_REPLY,
) -> ReplyDeadline:
    """Compute the reply deadline of an inquiry received at `received_at`.

    `country` is the buyer's ISO 3166 alpha-2 code and `subdivision` a region that the
    holidays package lists (see reminders.calendar.is_buyer_workday). Wall times that a DST
    change skips move forward by the gap, as in reminders.calendar.send_window.

    Raises:
        ValueError: for a naive `received_at`, or business hours that end before they start.
        bot.errors.ParseError: for an unknown country or subdivision.
    """
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        raise ValueError(f"reply_deadline needs an aware datetime, got {received_at!r}")
    received = received_at.astimezone(timezone.utc)
    buyer_day = received.astimezone(ZoneInfo(buyer_zone)).date()

    if is_buyer_workday(buyer_day, country=country, subdivision=subdivision):
        hours = send_window(buyer_day, buyer_zone=buyer_zone, start=inbox_time, end=end_of_business)
        if received < hours.buyer_start:
            # Before the inbox opens on a workday: due when it opens today.
            return ReplyDeadline(deadline=hours.start_utc, in_running_day=False, buyer_zone=buyer_zone)
        if received < hours.buyer_end:
            return ReplyDeadline(
                deadline=received + running_day_reply, in_running_day=True, buyer_zone=buyer_zone
            )

    # A day off or after the end of business: the next workday's inbox time.
    next_day = next_buyer_workday(buyer_day + timedelta(days=1), country=country, subdivision=subdivision)
    hours = send_window(next_day, buyer_zone=buyer_zone, start=inbox_time, end=end_of_business)
    return ReplyDeadline(deadline=hours.start_utc, in_running_day=False, buyer_zone=buyer_zone)
