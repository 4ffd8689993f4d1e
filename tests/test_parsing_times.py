"""Received times as reps write them, read in the rep's zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.errors import ParseError
from handlers.parsing_times import parse_received

BEIJING = ZoneInfo("Asia/Shanghai")
NOW = datetime(2027, 3, 9, 10, 0, tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-03-09 08:15", datetime(2027, 3, 9, 8, 15)),
        ("2027-03-09T08:15", datetime(2027, 3, 9, 8, 15)),
        ("9:30", datetime(2027, 3, 9, 9, 30)),
        ("今天9:30", datetime(2027, 3, 9, 9, 30)),
        ("昨天 18:00", datetime(2027, 3, 8, 18, 0)),
        ("昨天下午3点半", datetime(2027, 3, 8, 15, 30)),
        ("3月8日 晚上8点20分", datetime(2027, 3, 8, 20, 20)),
        ("上午十点", datetime(2027, 3, 9, 10, 0)),
        ("中午1点", datetime(2027, 3, 9, 13, 0)),
        ("3/8 22:15", datetime(2027, 3, 8, 22, 15)),
        ("8 Mar 9:05 am", datetime(2027, 3, 8, 9, 5)),
        ("yesterday 3pm", datetime(2027, 3, 8, 15, 0)),
        ("12am", datetime(2027, 3, 9, 0, 0)),
        ("2小时前", datetime(2027, 3, 9, 8, 0)),
        ("30 min ago", datetime(2027, 3, 9, 9, 30)),
        ("两天前", datetime(2027, 3, 7, 10, 0)),
        ("刚刚", datetime(2027, 3, 9, 10, 0)),
    ],
)
def test_received_time_read_in_rep_zone(text: str, expected: datetime) -> None:
    assert parse_received(text, now=NOW, zone="Asia/Shanghai") == expected.replace(tzinfo=BEIJING)


def test_received_time_in_other_zone() -> None:
    # 08:00 in New York on 8 March (EST, UTC-5) is 13:00 UTC.
    received = parse_received("2027-03-08 08:00", now=NOW, zone="America/New_York")
    assert received == datetime(2027, 3, 8, 13, 0, tzinfo=ZoneInfo("UTC"))


def test_received_time_in_dst_gap_moves_forward() -> None:
    # 02:30 on 14 March 2027 does not exist in New York; it becomes 03:30 EDT.
    later = datetime(2027, 3, 15, 12, 0, tzinfo=ZoneInfo("UTC"))
    received = parse_received("2027-03-14 02:30", now=later, zone="America/New_York")
    assert received.astimezone(ZoneInfo("America/New_York")).strftime("%H:%M") == "03:30"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("someday", "is not recognised"),
        ("2027-03-09", "has no time of day"),
        ("3月8日", "has no time of day"),
        ("24:00", "does not exist"),
        ("9:75", "does not exist"),
        ("13pm", "does not exist"),
        ("2027-02-30 10:00", "Date '2027-02-30' does not exist"),
        ("05.03 10:00", "could be day-month or month-day"),
    ],
)
def test_received_time_invalid(text: str, message: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse_received(text, now=NOW, zone="Asia/Shanghai")
    assert message in str(raised.value)
