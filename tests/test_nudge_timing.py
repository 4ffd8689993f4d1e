"""When the warning before a reply deadline goes out: an hour before, moved into the rep's working hours."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from reminders.nudge_timing import nudge_time

BEIJING = ZoneInfo("Asia/Shanghai")
# Tuesday 9 March 2027, 10:00 in Beijing.
TUESDAY_10 = datetime(2027, 3, 9, 10, 0, tzinfo=BEIJING)


def at(day: int, hour: int, minute: int = 0, zone: ZoneInfo = BEIJING) -> datetime:
    return datetime(2027, 3, day, hour, minute, tzinfo=zone)


@pytest.mark.parametrize(
    ("deadline", "expected"),
    [
        # Inside working hours: an hour before the deadline.
        (at(9, 15), at(9, 14)),
        (at(9, 18), at(9, 17)),
        (at(9, 17, 30), at(9, 16, 30)),
        # An hour before would be 17:30 to 20:00: the rep's last working hour starts at 17:00.
        (at(9, 18, 30), at(9, 17)),
        (at(9, 21), at(9, 17)),
        # An hour before is early next morning: 17:00 the evening before.
        (at(10, 9, 30), at(9, 17)),
        (at(10, 7), at(9, 17)),
        # 09:00 is the start of working hours, so a 10:00 deadline keeps its 09:00 nudge.
        (at(10, 10), at(10, 9)),
    ],
)
def test_nudge_inside_rep_working_hours(deadline: datetime, expected: datetime) -> None:
    assert nudge_time(deadline.astimezone(timezone.utc), now=TUESDAY_10, rep_zone="Asia/Shanghai") == expected


def test_nudge_for_new_york_morning_comes_at_five() -> None:
    # New York's 08:00 is 21:00 in Beijing: warned at 17:00, with four hours left.
    nudge = nudge_time(at(9, 21), now=TUESDAY_10, rep_zone="Asia/Shanghai")
    assert nudge is not None
    assert at(9, 21) - nudge == timedelta(hours=4)


def test_nudge_never_before_now() -> None:
    # At 17:30 the last working moment has passed, so the nudge keeps its hour before.
    assert nudge_time(at(9, 21), now=at(9, 17, 30), rep_zone="Asia/Shanghai") == at(9, 20)
    # At 19:00 the evening's 17:00 has passed too: the nudge stays at 06:00.
    assert nudge_time(at(10, 7), now=at(9, 19), rep_zone="Asia/Shanghai") == at(10, 6)


def test_nudge_at_now_is_kept_when_inside_hours() -> None:
    # 16:59: the moved nudge at 17:00 is still ahead.
    assert nudge_time(at(9, 21), now=at(9, 16, 59), rep_zone="Asia/Shanghai") == at(9, 17)


def test_no_nudge_within_the_last_hour() -> None:
    assert nudge_time(at(9, 10, 30), now=TUESDAY_10, rep_zone="Asia/Shanghai") is None
    assert nudge_time(at(9, 11), now=TUESDAY_10, rep_zone="Asia/Shanghai") is None
    assert nudge_time(at(9, 11, 1), now=TUESDAY_10, rep_zone="Asia/Shanghai") == at(9, 10, 1)


def test_nudge_uses_rep_zone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    deadline = at(9, 21, zone=berlin)
    nudge = nudge_time(deadline, now=at(9, 8, zone=berlin), rep_zone="Europe/Berlin")
    assert nudge == at(9, 17, zone=berlin)


def test_nudge_is_utc() -> None:
    nudge = nudge_time(at(9, 15).astimezone(timezone.utc), now=TUESDAY_10, rep_zone="Asia/Shanghai")
    assert nudge is not None
    assert nudge.utcoffset() == timedelta(0)
