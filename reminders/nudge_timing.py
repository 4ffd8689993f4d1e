"""When the warning before an inquiry's reply deadline (the nudge) is due.

The nudge comes NUDGE_BEFORE the deadline, inside the rep's working hours. A nudge must
leave the rep NUDGE_BEFORE of working time to reply, so with working hours of 09:00-18:00
the last nudge of a day is due at 17:00. A nudge that would fall outside moves to the
latest working moment before it: a deadline at 21:00 Beijing time (New York's 08:00) is
nudged at 17:00 that day, with four hours left.

Limitations:
    Working hours are the same every day: the rep's weekends and public holidays are not
    skipped, so a deadline on a Sunday morning is nudged on Saturday at 17:00.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

# The warning comes this long before the deadline.
NUDGE_BEFORE = timedelta(hours=1)
# The rep's working hours, on the rep's wall clock: the same hours as the buyer's business
# hours in reminders.calendar (DEFAULT_START, DEFAULT_END).
REP_WORK_START = time(9)
REP_WORK_END = time(18)


def nudge_time(deadline: datetime, *, now: datetime, rep_zone: str) -> datetime | None:
    """Return when the nudge before `deadline` is due (UTC), or None when less than NUDGE_BEFORE is left.

    The nudge is due NUDGE_BEFORE the deadline, moved to the latest working moment of the
    rep before that when it falls outside the rep's working hours. A moved nudge is never
    due before `now`; when no working moment is left after `now`, the nudge stays
    NUDGE_BEFORE the deadline.
    """
    due = (deadline - NUDGE_BEFORE).astimezone(timezone.utc)
    if due <= now:
        return None
    moved = _latest_working_moment(due, rep_zone=rep_zone)
    return moved if moved > now else due


def _latest_working_moment(instant: datetime, *, rep_zone: str) -> datetime:
    """Return the latest instant at or before `instant` at which a nudge fits the rep's working hours."""
    tz = ZoneInfo(rep_zone)
    day = instant.astimezone(tz).date()
    first = _at(day, REP_WORK_START, tz)
    last = _at(day, REP_WORK_END, tz) - NUDGE_BEFORE
    if first <= instant <= last:
        return instant
    if instant > last:
        return last
    return _at(day - timedelta(days=1), REP_WORK_END, tz) - NUDGE_BEFORE


def _at(day: date, wall: time, tz: ZoneInfo) -> datetime:
    # Real hours are subtracted in UTC, so a DST change that day does not shift the hour.
    return datetime.combine(day, wall, tzinfo=tz).astimezone(timezone.utc)
