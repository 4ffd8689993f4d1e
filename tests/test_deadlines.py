"""Reply deadlines: the buyer's next inbox time on a buyer workday, or 2 hours in a running day."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.errors import ParseError
from reminders.deadlines import ReplyDeadline, reply_deadline

BEIJING = ZoneInfo("Asia/Shanghai")
# Tuesday 9 March 2027, 10:00 in Beijing: a workday in China, India, Germany, Japan and the US.
TUESDAY_10_BEIJING = datetime(2027, 3, 9, 10, 0, tzinfo=BEIJING)


def beijing(deadline: ReplyDeadline) -> datetime:
    return deadline.in_zone("Asia/Shanghai")


@pytest.mark.parametrize(
    ("country", "zone", "beijing_deadline", "buyer_wall", "running"),
    [
        ("IN", "Asia/Kolkata", datetime(2027, 3, 9, 10, 30), time(8), False),
        ("DE", "Europe/Berlin", datetime(2027, 3, 9, 15, 0), time(8), False),
        ("US", "America/New_York", datetime(2027, 3, 9, 21, 0), time(8), False),
        ("JP", "Asia/Tokyo", datetime(2027, 3, 9, 12, 0), time(13), True),
        ("NP", "Asia/Kathmandu", datetime(2027, 3, 9, 10, 15), time(8), False),
        ("HK", "Asia/Hong_Kong", datetime(2027, 3, 9, 12, 0), time(12), True),
        ("AU", "Australia/Sydney", datetime(2027, 3, 9, 12, 0), time(15), True),
    ],
)
def test_deadline_for_beijing_rep_tuesday_morning(
    country: str, zone: str, beijing_deadline: datetime, buyer_wall: time, running: bool
) -> None:
    deadline = reply_deadline(TUESDAY_10_BEIJING, buyer_zone=zone, country=country)
    assert beijing(deadline).replace(tzinfo=None) == beijing_deadline
    assert deadline.buyer_local.time() == buyer_wall
    assert deadline.in_running_day is running


def test_deadline_utc_and_both_clocks() -> None:
    deadline = reply_deadline(TUESDAY_10_BEIJING, buyer_zone="Europe/Berlin", country="DE")
    assert deadline.deadline == datetime(2027, 3, 9, 7, 0, tzinfo=timezone.utc)
    assert deadline.deadline.tzinfo is timezone.utc
    rep, buyer = deadline.clocks("Asia/Shanghai")
    assert (rep.hour, buyer.hour) == (15, 8)
    assert buyer.tzinfo == ZoneInfo("Europe/Berlin")


def test_saudi_friday_waits_for_sunday() -> None:
    # Saudi Arabia's weekend is Friday-Saturday; 16 April 2027 is a Friday without holidays.
    friday_noon = datetime(2027, 4, 16, 12, 0, tzinfo=ZoneInfo("Asia/Riyadh"))
    deadline = reply_deadline(friday_noon, buyer_zone="Asia/Riyadh", country="SA")
    assert deadline.buyer_local.replace(tzinfo=None) == datetime(2027, 4, 18, 8, 0)
    assert deadline.buyer_local.strftime("%A") == "Sunday"
    assert beijing(deadline).replace(tzinfo=None) == datetime(2027, 4, 18, 13, 0)
    assert deadline.in_running_day is False


def test_saudi_sunday_morning_is_a_running_day() -> None:
    sunday_ten = datetime(2027, 4, 18, 10, 0, tzinfo=ZoneInfo("Asia/Riyadh"))
    deadline = reply_deadline(sunday_ten, buyer_zone="Asia/Riyadh", country="SA")
    assert deadline.buyer_local.replace(tzinfo=None) == datetime(2027, 4, 18, 12, 0)
    assert deadline.in_running_day is True


def test_saudi_eid_holidays_are_skipped() -> None:
    # The holidays package lists Eid al-Fitr 9-12 March 2027 and 14 March (observed);
    # 13 March is a Saturday, so the next workday is Monday 15 March.
    deadline = reply_deadline(TUESDAY_10_BEIJING, buyer_zone="Asia/Riyadh", country="SA")
    assert deadline.buyer_local.replace(tzinfo=None) == datetime(2027, 3, 15, 8, 0)
    assert deadline.in_running_day is False


def test_german_easter_holidays_are_skipped() -> None:
    # Thursday 25 March 2027 after hours; Good Friday, the weekend and Easter Monday are off.
    thursday_evening = datetime(2027, 3, 25, 19, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    deadline = reply_deadline(thursday_evening, buyer_zone="Europe/Berlin", country="DE")
    assert deadline.buyer_local.replace(tzinfo=None) == datetime(2027, 3, 30, 8, 0)


def test_subdivision_holiday_counts() -> None:
    # 6 January (Epiphany) is a public holiday in Bavaria but not in Berlin.
    early = datetime(2027, 1, 6, 6, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    bavaria = reply_deadline(early, buyer_zone="Europe/Berlin", country="DE", subdivision="BY")
    berlin = reply_deadline(early, buyer_zone="Europe/Berlin", country="DE", subdivision="BE")
    assert bavaria.buyer_local.date().isoformat() == "2027-01-07"
    assert berlin.buyer_local.date().isoformat() == "2027-01-06"


def test_new_york_deadline_after_spring_dst_change() -> None:
    # Friday 12 March 2027 after hours. Clocks go forward on Sunday 14 March, so Monday's
    # 08:00 is UTC-4. That is 20:00 in Beijing, an hour earlier than the week before.
    friday_evening = datetime(2027, 3, 12, 19, 0, tzinfo=ZoneInfo("America/New_York"))
    deadline = reply_deadline(friday_evening, buyer_zone="America/New_York", country="US")
    assert deadline.buyer_local.replace(tzinfo=None) == datetime(2027, 3, 15, 8, 0)
    assert deadline.deadline == datetime(2027, 3, 15, 12, 0, tzinfo=timezone.utc)
    assert beijing(deadline).hour == 20


def test_new_york_deadline_on_dst_sunday_night() -> None:
    # 01:30 on the Sunday of the change is a day off; Monday 08:00 EDT is the deadline.
    sunday = datetime(2027, 3, 14, 6, 30, tzinfo=timezone.utc)
    deadline = reply_deadline(sunday, buyer_zone="America/New_York", country="US")
    assert deadline.deadline == datetime(2027, 3, 15, 12, 0, tzinfo=timezone.utc)


def test_new_york_deadline_after_autumn_dst_change() -> None:
    # Clocks go back on Sunday 7 November 2027; Monday's 08:00 is UTC-5 again.
    friday_evening = datetime(2027, 11, 5, 20, 0, tzinfo=ZoneInfo("America/New_York"))
    deadline = reply_deadline(friday_evening, buyer_zone="America/New_York", country="US")
    assert deadline.deadline == datetime(2027, 11, 8, 13, 0, tzinfo=timezone.utc)
    assert beijing(deadline).hour == 21


def test_running_day_counts_two_real_hours() -> None:
    # Two real hours, on the Monday after the spring change (10:15 EDT).
    monday = datetime(2027, 3, 15, 10, 15, tzinfo=ZoneInfo("America/New_York"))
    deadline = reply_deadline(monday, buyer_zone="America/New_York", country="US")
    assert deadline.deadline - monday == timedelta(hours=2)
    assert deadline.in_running_day is True


@pytest.mark.parametrize(
    ("arrival", "expected", "running"),
    [
        (time(7, 59), datetime(2027, 3, 9, 8, 0), False),
        (time(8, 0), datetime(2027, 3, 9, 10, 0), True),
        (time(15, 59), datetime(2027, 3, 9, 17, 59), True),
        (time(16, 0), datetime(2027, 3, 9, 18, 0), True),
        (time(16, 1), datetime(2027, 3, 9, 18, 1), True),
        (time(17, 59), datetime(2027, 3, 9, 19, 59), True),
        (time(18, 0), datetime(2027, 3, 10, 8, 0), False),
        (time(23, 30), datetime(2027, 3, 10, 8, 0), False),
    ],
)
def test_deadline_around_buyer_business_hours(arrival: time, expected: datetime, running: bool) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    received = datetime.combine(datetime(2027, 3, 9).date(), arrival, tzinfo=berlin)
    deadline = reply_deadline(received, buyer_zone="Europe/Berlin", country="DE")
    assert deadline.buyer_local.replace(tzinfo=None) == expected
    assert deadline.in_running_day is running


def test_friday_late_afternoon_gets_two_hours() -> None:
    # The buyer's day is still running at 16:30, so the reply is due that evening, not on Monday.
    friday = datetime(2027, 3, 12, 16, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    deadline = reply_deadline(friday, buyer_zone="Europe/Berlin", country="DE")
    assert deadline.buyer_local.replace(tzinfo=None) == datetime(2027, 3, 12, 18, 30)
    assert deadline.in_running_day is True


def test_friday_after_business_waits_for_monday() -> None:
    friday = datetime(2027, 3, 12, 18, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    deadline = reply_deadline(friday, buyer_zone="Europe/Berlin", country="DE")
    assert deadline.buyer_local.replace(tzinfo=None) == datetime(2027, 3, 15, 8, 0)
    assert deadline.in_running_day is False


def test_japan_late_afternoon_is_due_at_once() -> None:
    # 16:30 in Beijing is 17:30 in Tokyo: the buyer's day is running, so 2 hours, not Tokyo's next 08:00.
    received = datetime(2027, 3, 9, 16, 30, tzinfo=BEIJING)
    deadline = reply_deadline(received, buyer_zone="Asia/Tokyo", country="JP")
    assert beijing(deadline).replace(tzinfo=None) == datetime(2027, 3, 9, 18, 30)
    assert deadline.buyer_local.strftime("%H:%M") == "19:30"
    assert deadline.in_running_day is True


def test_custom_inbox_time_and_business_end() -> None:
    received = datetime(2027, 3, 9, 8, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    deadline = reply_deadline(
        received, buyer_zone="Europe/Berlin", country="DE", inbox_time=time(9), end_of_business=time(17)
    )
    assert deadline.buyer_local.replace(tzinfo=None) == datetime(2027, 3, 9, 9, 0)
    afternoon = received.replace(hour=16, minute=30)
    running = reply_deadline(
        afternoon, buyer_zone="Europe/Berlin", country="DE", inbox_time=time(9), end_of_business=time(17)
    )
    assert running.buyer_local.replace(tzinfo=None) == datetime(2027, 3, 9, 18, 30)
    evening = received.replace(hour=17, minute=0)
    late = reply_deadline(
        evening, buyer_zone="Europe/Berlin", country="DE", inbox_time=time(9), end_of_business=time(17)
    )
    assert late.buyer_local.replace(tzinfo=None) == datetime(2027, 3, 10, 9, 0)


def test_kathmandu_quarter_hour_offset_in_running_day() -> None:
    # Nepal is UTC+05:45, so 13:00 in Beijing is 10:45 in Kathmandu.
    received = datetime(2027, 3, 9, 13, 0, tzinfo=BEIJING)
    deadline = reply_deadline(received, buyer_zone="Asia/Kathmandu", country="NP")
    assert beijing(deadline).replace(tzinfo=None) == datetime(2027, 3, 9, 15, 0)
    assert deadline.buyer_local.strftime("%H:%M") == "12:45"


def test_lateness_is_signed() -> None:
    deadline = reply_deadline(TUESDAY_10_BEIJING, buyer_zone="Europe/Berlin", country="DE")
    assert deadline.lateness(deadline.deadline + timedelta(minutes=25)) == timedelta(minutes=25)
    assert deadline.lateness(deadline.deadline - timedelta(hours=1)) == -timedelta(hours=1)


def test_naive_received_time_is_rejected() -> None:
    with pytest.raises(ValueError, match="aware"):
        reply_deadline(datetime(2027, 3, 9, 10, 0), buyer_zone="Europe/Berlin", country="DE")


def test_unknown_country_is_rejected() -> None:
    with pytest.raises(ParseError):
        reply_deadline(TUESDAY_10_BEIJING, buyer_zone="Europe/Berlin", country="XX")


def test_deadline_must_be_utc() -> None:
    with pytest.raises(ValueError, match="UTC"):
        ReplyDeadline(deadline=TUESDAY_10_BEIJING, in_running_day=False, buyer_zone="Europe/Berlin")
