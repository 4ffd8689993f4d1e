"""Tests for dates, durations and snoozes. Today is Friday 2026-12-04 throughout."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.errors import ParseError
from handlers.parsing import DatePurpose, MonthDay, parse_date, parse_duration, parse_snooze
from handlers.parsing_dates import (
    BIRTHDAY_AMBIGUOUS,
    BIRTHDAY_IN_FUTURE,
    BIRTHDAY_NOT_A_DATE,
    BIRTHDAY_NOT_RECOGNISED,
    DATE_AMBIGUOUS,
    DATE_DOES_NOT_EXIST,
    DATE_IN_PAST,
    DATE_NOT_RECOGNISED,
    DATE_RECENTLY_PASSED,
    DATE_TOO_FAR,
    DURATION_NOT_POSITIVE,
    DURATION_NOT_RECOGNISED,
    DURATION_TOO_LONG,
    MAX_PERIOD_DAYS,
    SNOOZE_NOT_POSITIVE,
    SNOOZE_NOT_RECOGNISED,
    SNOOZE_TOO_LONG,
)

TODAY = date(2026, 12, 4)


def test_today_is_friday() -> None:
    assert TODAY.weekday() == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-03-05", date(2027, 3, 5)),
        ("2027/3/5", date(2027, 3, 5)),
        ("2027.3.5", date(2027, 3, 5)),
        ("2027年3月5日", date(2027, 3, 5)),
        ("2027年3月5号", date(2027, 3, 5)),
        ("２０２７－０３－０５", date(2027, 3, 5)),
        ("3月5日", date(2027, 3, 5)),
        ("3/5", date(2027, 3, 5)),
        ("13/5", date(2027, 5, 13)),
        ("25/12/2026", date(2026, 12, 25)),
        ("5 Mar", date(2027, 3, 5)),
        ("Mar 5", date(2027, 3, 5)),
        ("March 5", date(2027, 3, 5)),
        ("march 5th", date(2027, 3, 5)),
        ("5th of March", date(2027, 3, 5)),
        ("5 March 2027", date(2027, 3, 5)),
        ("Mar 5, 2027", date(2027, 3, 5)),
        ("05-Mar-2027", date(2027, 3, 5)),
        ("5 Sept", date(2027, 9, 5)),
        ("25.12.2026", date(2026, 12, 25)),
        ("12-25", date(2026, 12, 25)),
        ("05.05.2027", date(2027, 5, 5)),
        ("12月4日", date(2026, 12, 4)),
        ("9月3日", date(2027, 9, 3)),
        ("今天", date(2026, 12, 4)),
        ("today", date(2026, 12, 4)),
        ("明天", date(2026, 12, 5)),
        ("Tomorrow", date(2026, 12, 5)),
        ("后天", date(2026, 12, 6)),
        ("大后天", date(2026, 12, 7)),
        ("3天后", date(2026, 12, 7)),
        ("3 天后", date(2026, 12, 7)),
        ("两天后", date(2026, 12, 6)),
        ("十天后", date(2026, 12, 14)),
        ("2周后", date(2026, 12, 18)),
        ("2个星期后", date(2026, 12, 18)),
        ("in 3 days", date(2026, 12, 7)),
        ("in 2 weeks", date(2026, 12, 18)),
        ("in a week", date(2026, 12, 11)),
        ("周五", date(2026, 12, 11)),
        ("星期五", date(2026, 12, 11)),
        ("周一", date(2026, 12, 7)),
        ("星期日", date(2026, 12, 6)),
        ("下周五", date(2026, 12, 11)),
        ("下周一", date(2026, 12, 7)),
        ("下周日", date(2026, 12, 13)),
        ("本周六", date(2026, 12, 5)),
        ("Friday", date(2026, 12, 11)),
        ("next Friday", date(2026, 12, 11)),
        ("next mon", date(2026, 12, 7)),
        ("this Friday", date(2026, 12, 4)),
        ("Saturday", date(2026, 12, 5)),
    ],
)
def test_parse_date_future_forms(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY, purpose=DatePurpose.FUTURE) == expected


def test_parse_date_next_weekday_from_monday() -> None:
    monday = date(2026, 11, 30)
    assert parse_date("周五", today=monday, purpose=DatePurpose.FUTURE) == date(2026, 12, 4)
    assert parse_date("下周五", today=monday, purpose=DatePurpose.FUTURE) == date(2026, 12, 11)
    assert parse_date("next Friday", today=monday, purpose=DatePurpose.FUTURE) == date(2026, 12, 11)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("05.03.2027", DATE_AMBIGUOUS),
        ("05-03-2027", DATE_AMBIGUOUS),
        ("5.3", DATE_AMBIGUOUS),
        ("2月30日", DATE_DOES_NOT_EXIST),
        ("2027-02-29", DATE_DOES_NOT_EXIST),
        ("2月30日", DATE_DOES_NOT_EXIST),
        ("13/13", DATE_DOES_NOT_EXIST),
        ("2027-13-01", DATE_DOES_NOT_EXIST),
        ("31 Apr", DATE_DOES_NOT_EXIST),
        ("2026-01-01", DATE_IN_PAST),
        ("2026-12-03", DATE_IN_PAST),
        ("昨天", DATE_IN_PAST),
        ("本周一", DATE_IN_PAST),
        ("someday", DATE_NOT_RECOGNISED),
        ("2027-03", DATE_NOT_RECOGNISED),
        ("3 Marzo", DATE_NOT_RECOGNISED),
        ("", DATE_NOT_RECOGNISED),
        ("五天以前以后", DATE_NOT_RECOGNISED),
        ("in 99999999999999999999 days", DATE_TOO_FAR),
        ("99999999999天后", DATE_TOO_FAR),
        ("in 600 weeks", DATE_TOO_FAR),
    ],
)
def test_parse_date_future_errors(text: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_date(text, today=TODAY, purpose=DatePurpose.FUTURE)
    assert caught.value.message == message
    assert caught.value.params["value"] == text


def test_parse_date_relative_within_ten_years() -> None:
    assert parse_date("in 3000 days", today=TODAY, purpose=DatePurpose.FUTURE) == date(2035, 2, 20)
    assert parse_date("0003天后", today=TODAY, purpose=DatePurpose.FUTURE) == date(2026, 12, 7)


def test_parse_date_relative_limit_in_days() -> None:
    assert parse_date("in 3660 days", today=TODAY, purpose=DatePurpose.FUTURE) == date(2036, 12, 11)
    with pytest.raises(ParseError) as caught:
        parse_date("in 3661 days", today=TODAY, purpose=DatePurpose.FUTURE)
    assert caught.value.message == DATE_TOO_FAR
    assert caught.value.params["days"] == 3660


def test_parse_date_huge_leading_zeros_read_as_count() -> None:
    text = "0" * 5000 + "3天后"
    assert parse_date(text, today=TODAY, purpose=DatePurpose.FUTURE) == date(2026, 12, 7)


def test_parse_date_past_error_names_resolved_date() -> None:
    with pytest.raises(ParseError) as caught:
        parse_date("2026-01-01", today=TODAY, purpose=DatePurpose.FUTURE)
    assert caught.value.params["date"] == "2026-01-01"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3月5日", MonthDay(3, 5)),
        ("2月29日", MonthDay(2, 29)),
        ("29 Feb", MonthDay(2, 29)),
        ("12/25", MonthDay(12, 25)),
        ("1990-03-05", date(1990, 3, 5)),
        ("5 Mar 1990", date(1990, 3, 5)),
        ("1988年2月29日", date(1988, 2, 29)),
        ("2026-12-04", date(2026, 12, 4)),
    ],
)
def test_parse_date_birthday_forms(text: str, expected: date | MonthDay) -> None:
    assert parse_date(text, today=TODAY, purpose=DatePurpose.BIRTHDAY) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("明天", BIRTHDAY_NOT_A_DATE),
        ("today", BIRTHDAY_NOT_A_DATE),
        ("3天后", BIRTHDAY_NOT_A_DATE),
        ("周五", BIRTHDAY_NOT_A_DATE),
        ("2027-03-05", BIRTHDAY_IN_FUTURE),
        ("2026-12-05", BIRTHDAY_IN_FUTURE),
        ("1990-02-29", DATE_DOES_NOT_EXIST),
        ("2月30日", DATE_DOES_NOT_EXIST),
        ("in 99999999999999999999 days", BIRTHDAY_NOT_A_DATE),
        ("05.03.1980", BIRTHDAY_AMBIGUOUS),
        ("someday", BIRTHDAY_NOT_RECOGNISED),
    ],
)
def test_parse_date_birthday_errors(text: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_date(text, today=TODAY, purpose=DatePurpose.BIRTHDAY)
    assert caught.value.message == message


@pytest.mark.parametrize("text", ["05.03.1980", "someday"])
def test_parse_date_birthday_errors_show_past_examples(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_date(text, today=TODAY, purpose=DatePurpose.BIRTHDAY)
    message = str(caught.value)
    assert "1980-03-05" in message
    assert "2027" not in message
    assert "明天" not in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1月5日", date(2027, 1, 5)),
        ("11月20日", date(2026, 11, 20)),
        ("6月10日", date(2026, 6, 10)),
        ("6月1日", date(2027, 6, 1)),
        ("2026-01-01", date(2026, 1, 1)),
        ("昨天", date(2026, 12, 3)),
        ("3天前", date(2026, 12, 1)),
        ("2 days ago", date(2026, 12, 2)),
    ],
)
def test_parse_date_any_forms(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY, purpose=DatePurpose.ANY) == expected


def test_parse_date_any_feb_29_error() -> None:
    with pytest.raises(ParseError) as caught:
        parse_date("2月29日", today=TODAY, purpose=DatePurpose.ANY)
    assert caught.value.message == DATE_DOES_NOT_EXIST


def test_month_day_feb_29_common_year() -> None:
    assert MonthDay(2, 29).in_year(2027) == date(2027, 2, 28)
    assert MonthDay(2, 29).in_year(2028) == date(2028, 2, 29)


def test_month_day_rejects_impossible_day() -> None:
    with pytest.raises(ValueError):
        MonthDay(2, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3d", timedelta(days=3)),
        ("2h", timedelta(hours=2)),
        ("30m", timedelta(minutes=30)),
        ("1w", timedelta(weeks=1)),
        ("1d12h", timedelta(days=1, hours=12)),
        ("1d 12h", timedelta(days=1, hours=12)),
        ("90min", timedelta(minutes=90)),
        ("3天", timedelta(days=3)),
        ("2小时", timedelta(hours=2)),
        ("30分钟", timedelta(minutes=30)),
        ("1周", timedelta(weeks=1)),
        ("３Ｄ", timedelta(days=3)),
        ("366d", timedelta(days=366)),
        ("52w2d", timedelta(days=366)),
    ],
)
def test_parse_duration_forms(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0d", DURATION_NOT_POSITIVE),
        ("0h0m", DURATION_NOT_POSITIVE),
        ("-1d", DURATION_NOT_POSITIVE),
        ("3 days", DURATION_NOT_RECOGNISED),
        ("1.5h", DURATION_NOT_RECOGNISED),
        ("1d1d", DURATION_NOT_RECOGNISED),
        ("明天", DURATION_NOT_RECOGNISED),
        ("d", DURATION_NOT_RECOGNISED),
        ("", DURATION_NOT_RECOGNISED),
        ("367d", DURATION_TOO_LONG),
        ("53w", DURATION_TOO_LONG),
        ("8785h", DURATION_TOO_LONG),
        ("3000000d", DURATION_TOO_LONG),
        ("999999999999999999999d", DURATION_TOO_LONG),
        ("9" * 5000 + "d", DURATION_TOO_LONG),
    ],
)
def test_parse_duration_errors(text: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_duration(text)
    assert caught.value.message == message


def test_parse_duration_too_long_names_limit() -> None:
    with pytest.raises(ParseError) as caught:
        parse_duration("3000000d")
    assert caught.value.params["days"] == MAX_PERIOD_DAYS
    assert "longer than 366 days" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", date(2026, 12, 5)),
        ("1d", date(2026, 12, 5)),
        ("3d", date(2026, 12, 7)),
        ("1w", date(2026, 12, 11)),
        ("3天", date(2026, 12, 7)),
        ("next week", date(2026, 12, 7)),
        ("下周", date(2026, 12, 7)),
        ("明天", date(2026, 12, 5)),
        ("tomorrow", date(2026, 12, 5)),
        ("下周三", date(2026, 12, 9)),
        ("3月5日", date(2027, 3, 5)),
        ("2027-03-05", date(2027, 3, 5)),
        ("366d", date(2027, 12, 5)),
        ("52w", date(2027, 12, 3)),
        ("2027-12-05", date(2027, 12, 5)),
    ],
)
def test_parse_snooze_forms(text: str, expected: date) -> None:
    assert parse_snooze(text, today=TODAY) == expected


def test_parse_snooze_next_week_from_monday() -> None:
    assert parse_snooze("下周", today=date(2026, 11, 30)) == date(2026, 12, 7)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2h", SNOOZE_NOT_RECOGNISED),
        ("later", SNOOZE_NOT_RECOGNISED),
        ("0d", SNOOZE_NOT_POSITIVE),
        ("0w", SNOOZE_NOT_POSITIVE),
        ("2026-01-01", DATE_IN_PAST),
        ("05.03.2027", DATE_AMBIGUOUS),
        ("367d", SNOOZE_TOO_LONG),
        ("53w", SNOOZE_TOO_LONG),
        ("3000000d", SNOOZE_TOO_LONG),
        ("999999999999999999999d", SNOOZE_TOO_LONG),
        ("9" * 5000 + "d", SNOOZE_TOO_LONG),
        ("2027-12-06", SNOOZE_TOO_LONG),
        ("in 99999999999999999999 days", SNOOZE_TOO_LONG),
    ],
)
def test_parse_snooze_errors(text: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_snooze(text, today=TODAY)
    assert caught.value.message == message


@pytest.mark.parametrize("text", ["0d", "3000000d", "later"])
def test_parse_snooze_errors_suggest_only_snooze_forms(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_snooze(text, today=TODAY)
    message = str(caught.value)
    assert "1d, 3d, 1w, 下周" in message
    for duration_only in ("30m", "2h"):
        assert duration_only not in message


@pytest.mark.parametrize("text", ["12月3日", "12/3", "Oct 6"])
def test_parse_date_future_recent_past_asks(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_date(text, today=TODAY, purpose=DatePurpose.FUTURE)
    assert caught.value.message == DATE_RECENTLY_PASSED
    assert caught.value.params["next_year"].startswith("2027-")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3 days", date(2026, 12, 7)), ("1 week", date(2026, 12, 11)), ("一周", date(2026, 12, 11)), ("两个星期", date(2026, 12, 18))],
)
def test_parse_snooze_spelled_periods(text: str, expected: date) -> None:
    assert parse_snooze(text, today=TODAY) == expected


def test_future_29_february_next_leap_day() -> None:
    assert parse_date("2月29日", today=TODAY, purpose=DatePurpose.FUTURE) == date(2028, 2, 29)


def test_parse_date_future_far_year_rejected() -> None:
    with pytest.raises(ParseError) as caught:
        parse_date("9999-12-31", today=TODAY, purpose=DatePurpose.FUTURE)
    assert caught.value.message == DATE_TOO_FAR
