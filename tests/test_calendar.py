"""Buyer workdays, holidays and send windows in reminders.calendar.

Holiday dates are those of the holidays package 0.109.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.errors import ParseError
from reminders import calendar
from reminders.calendar import (
    SendWindow,
    buyer_today,
    is_buyer_workday,
    local_date,
    next_buyer_workday,
    next_send_window,
    send_window,
    weekend_days,
)

NEW_YORK = ZoneInfo("America/New_York")
UTC = timezone.utc


# --- Weekends ---------------------------------------------------------------------------


def test_weekend_days_saudi_arabia_friday_saturday() -> None:
    assert weekend_days("SA") == frozenset({4, 5})


def test_weekend_days_iran_friday_only() -> None:
    assert weekend_days("IR") == frozenset({4})


def test_weekend_days_us_saturday_sunday() -> None:
    assert weekend_days("us") == frozenset({5, 6})


def test_weekend_days_uae_before_2022_change() -> None:
    assert weekend_days("AE", on=date(2021, 6, 7)) == frozenset({4, 5})
    assert weekend_days("AE", on=date(2023, 6, 5)) == frozenset({5, 6})
    assert weekend_days("AE") == frozenset({5, 6})


def test_weekend_days_unknown_country_raises() -> None:
    with pytest.raises(ParseError, match="IN"):
        weekend_days("XX")


# --- Workdays ---------------------------------------------------------------------------


def test_is_buyer_workday_saudi_friday_and_saturday_off() -> None:
    friday = date(2026, 5, 8)
    assert friday.weekday() == 4
    assert is_buyer_workday(friday, country="SA") is False
    assert is_buyer_workday(friday + timedelta(days=1), country="SA") is False
    assert is_buyer_workday(friday + timedelta(days=2), country="SA") is True


def test_next_buyer_workday_saudi_friday_moves_to_sunday() -> None:
    assert next_buyer_workday(date(2026, 5, 8), country="SA") == date(2026, 5, 10)


def test_next_buyer_workday_iran_friday_moves_to_saturday() -> None:
    thursday = date(2026, 5, 7)
    assert is_buyer_workday(thursday, country="IR") is True
    assert next_buyer_workday(date(2026, 5, 8), country="IR") == date(2026, 5, 9)


def test_next_buyer_workday_us_saturday_moves_to_monday() -> None:
    assert next_buyer_workday(date(2026, 5, 9), country="US") == date(2026, 5, 11)


def test_next_buyer_workday_workday_stays() -> None:
    assert next_buyer_workday(date(2026, 5, 12), country="US") == date(2026, 5, 12)


def test_next_buyer_workday_india_republic_day_moves() -> None:
    republic_day = date(2027, 1, 26)
    assert republic_day.weekday() == 1
    assert is_buyer_workday(republic_day, country="IN") is False
    assert next_buyer_workday(republic_day, country="IN") == date(2027, 1, 27)


def test_next_buyer_workday_us_independence_day_observed() -> None:
    observed = date(2026, 7, 3)  # 4 July 2026 is a Saturday, so Friday is the day off.
    assert is_buyer_workday(observed, country="US") is False
    assert next_buyer_workday(observed, country="US") == date(2026, 7, 6)


def test_is_buyer_workday_china_make_up_sunday_works() -> None:
    make_up_sunday = date(2026, 1, 4)
    assert make_up_sunday.weekday() == 6
    assert is_buyer_workday(make_up_sunday, country="CN") is True


def test_is_buyer_workday_subdivision_holiday() -> None:
    cesar_chavez_day = date(2026, 3, 31)
    assert is_buyer_workday(cesar_chavez_day, country="US") is True
    assert is_buyer_workday(cesar_chavez_day, country="US", subdivision="CA") is False


def test_is_buyer_workday_subdivision_name_and_case() -> None:
    cesar_chavez_day = date(2026, 3, 31)
    assert is_buyer_workday(cesar_chavez_day, country="US", subdivision="ca") is False
    assert is_buyer_workday(cesar_chavez_day, country="US", subdivision="California") is False


def test_is_buyer_workday_unknown_subdivision_lists_codes() -> None:
    with pytest.raises(ParseError, match="Region 'Atlantis'.*CA, CO"):
        is_buyer_workday(date(2026, 3, 31), country="US", subdivision="Atlantis")


def test_is_buyer_workday_blank_subdivision_means_none() -> None:
    assert is_buyer_workday(date(2026, 3, 31), country="US", subdivision=" ") is True


def test_is_buyer_workday_unknown_country_raises() -> None:
    with pytest.raises(ParseError, match="not recognised"):
        is_buyer_workday(date(2026, 3, 31), country="XX")


def test_holiday_calendar_built_once_per_year() -> None:
    calendar._holidays_for.cache_clear()
    for day in range(1, 29):
        is_buyer_workday(date(2026, 2, day), country="DE", subdivision="BY")
    is_buyer_workday(date(2027, 2, 1), country="DE", subdivision="BY")

    info = calendar._holidays_for.cache_info()
    assert info.misses == 2
    assert info.hits == 27


def test_next_buyer_workday_gives_up_after_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calendar, "is_buyer_workday", lambda day, *, country, subdivision=None: False)
    with pytest.raises(RuntimeError, match="within 60 days"):
        next_buyer_workday(date(2026, 5, 11), country="US")


# --- Send windows -----------------------------------------------------------------------


def test_send_window_india_seen_from_shanghai() -> None:
    window = send_window(date(2027, 1, 27), buyer_zone="Asia/Kolkata")
    start, end = window.in_zone("Asia/Shanghai")

    assert (start.hour, start.minute) == (11, 30)
    assert (end.hour, end.minute) == (20, 30)
    assert start.date() == date(2027, 1, 27)


def test_send_window_utc_instants() -> None:
    window = send_window(date(2027, 1, 27), buyer_zone="Asia/Kolkata")
    assert window.start_utc == datetime(2027, 1, 27, 3, 30, tzinfo=UTC)
    assert window.end_utc == datetime(2027, 1, 27, 12, 30, tzinfo=UTC)
    assert window.start_utc.utcoffset() == timedelta(0)


def test_send_window_new_york_dst_changes_utc() -> None:
    winter = send_window(date(2026, 1, 14), buyer_zone="America/New_York")
    summer = send_window(date(2026, 7, 15), buyer_zone="America/New_York")

    assert winter.start_utc == datetime(2026, 1, 14, 14, 0, tzinfo=UTC)
    assert winter.end_utc == datetime(2026, 1, 14, 23, 0, tzinfo=UTC)
    assert summer.start_utc == datetime(2026, 7, 15, 13, 0, tzinfo=UTC)
    assert summer.end_utc == datetime(2026, 7, 15, 22, 0, tzinfo=UTC)


def test_send_window_berlin_dst_seen_from_shanghai() -> None:
    winter_start, _ = send_window(date(2026, 1, 14), buyer_zone="Europe/Berlin").in_zone("Asia/Shanghai")
    summer_start, _ = send_window(date(2026, 7, 15), buyer_zone="Europe/Berlin").in_zone("Asia/Shanghai")

    assert winter_start.hour == 16
    assert summer_start.hour == 15


def test_send_window_new_york_day_of_dst_start() -> None:
    # Clocks jump from 02:00 to 03:00 on 8 March 2026, so the whole window is on
    # summer time (UTC-4).
    window = send_window(date(2026, 3, 8), buyer_zone="America/New_York")
    assert window.start_utc == datetime(2026, 3, 8, 13, 0, tzinfo=UTC)
    assert window.end_utc - window.start_utc == timedelta(hours=9)


def test_send_window_start_in_dst_gap_moves_forward() -> None:
    window = send_window(date(2026, 3, 8), buyer_zone="America/New_York", start=time(2, 30), end=time(6))
    assert window.buyer_start.hour == 3
    assert window.buyer_start.minute == 30
    assert window.start_utc == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)


def test_send_window_custom_hours() -> None:
    window = send_window(date(2026, 5, 12), buyer_zone="Europe/Berlin", start=time(8), end=time(12, 30))
    assert window.buyer_start == datetime(2026, 5, 12, 8, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert window.end_utc == datetime(2026, 5, 12, 10, 30, tzinfo=UTC)


def test_send_window_end_before_start_raises() -> None:
    with pytest.raises(ValueError, match="end after they start"):
        send_window(date(2026, 5, 12), buyer_zone="Europe/Berlin", start=time(18), end=time(9))


def test_send_window_properties() -> None:
    window = send_window(date(2026, 5, 12), buyer_zone="America/Chicago")
    assert window.buyer_zone == "America/Chicago"
    assert window.buyer_date == date(2026, 5, 12)


def test_send_window_contains_excludes_end() -> None:
    window = send_window(date(2026, 5, 12), buyer_zone="America/Chicago")
    assert window.contains(window.start_utc) is True
    assert window.contains(window.end_utc - timedelta(seconds=1)) is True
    assert window.contains(window.end_utc) is False
    assert window.contains(window.start_utc - timedelta(seconds=1)) is False


def test_send_window_rejects_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="ZoneInfo"):
        SendWindow(buyer_start=datetime(2026, 5, 12, 9), buyer_end=datetime(2026, 5, 12, 18))


def test_send_window_rejects_mixed_zones() -> None:
    with pytest.raises(ValueError, match="different zones"):
        SendWindow(
            buyer_start=datetime(2026, 5, 12, 9, tzinfo=NEW_YORK),
            buyer_end=datetime(2026, 5, 12, 18, tzinfo=ZoneInfo("America/Chicago")),
        )


def test_send_window_rejects_end_before_start() -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        SendWindow(
            buyer_start=datetime(2026, 5, 12, 18, tzinfo=NEW_YORK),
            buyer_end=datetime(2026, 5, 12, 9, tzinfo=NEW_YORK),
        )


# --- Next send window -------------------------------------------------------------------


def test_next_send_window_before_hours_gives_today() -> None:
    now = datetime(2026, 5, 12, 7, 0, tzinfo=NEW_YORK)  # Tuesday
    window = next_send_window(now, buyer_zone="America/New_York", country="US")
    assert window.buyer_start == datetime(2026, 5, 12, 9, 0, tzinfo=NEW_YORK)


def test_next_send_window_during_hours_gives_running_window() -> None:
    now = datetime(2026, 5, 12, 10, 0, tzinfo=NEW_YORK)
    window = next_send_window(now, buyer_zone="America/New_York", country="US")
    assert window.buyer_date == date(2026, 5, 12)
    assert window.contains(now) is True


def test_next_send_window_after_hours_gives_tomorrow() -> None:
    now = datetime(2026, 5, 12, 19, 0, tzinfo=NEW_YORK)
    window = next_send_window(now, buyer_zone="America/New_York", country="US")
    assert window.buyer_start == datetime(2026, 5, 13, 9, 0, tzinfo=NEW_YORK)


def test_next_send_window_friday_evening_gives_monday() -> None:
    now = datetime(2026, 5, 15, 19, 0, tzinfo=NEW_YORK)
    window = next_send_window(now, buyer_zone="America/New_York", country="US")
    assert window.buyer_start == datetime(2026, 5, 18, 9, 0, tzinfo=NEW_YORK)


def test_next_send_window_at_end_gives_tomorrow() -> None:
    now = datetime(2026, 5, 12, 18, 0, tzinfo=NEW_YORK)
    window = next_send_window(now, buyer_zone="America/New_York", country="US")
    assert window.buyer_date == date(2026, 5, 13)


def test_next_send_window_rep_clock_in_shanghai() -> None:
    # 08:00 Wednesday in Shanghai is 03:00 in Riyadh, so the buyer's window opens later
    # that day, at 14:00 Shanghai time.
    now = datetime(2026, 5, 13, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    window = next_send_window(now, buyer_zone="Asia/Riyadh", country="SA")
    assert window.buyer_date == date(2026, 5, 13)
    start, _ = window.in_zone("Asia/Shanghai")
    assert (start.date(), start.hour) == (date(2026, 5, 13), 14)


def test_next_send_window_saudi_thursday_evening_gives_sunday() -> None:
    now = datetime(2026, 5, 7, 19, 0, tzinfo=ZoneInfo("Asia/Riyadh"))
    window = next_send_window(now, buyer_zone="Asia/Riyadh", country="SA")
    assert window.buyer_date == date(2026, 5, 10)


def test_next_send_window_skips_holiday() -> None:
    now = datetime(2027, 1, 26, 8, 0, tzinfo=ZoneInfo("Asia/Kolkata"))
    window = next_send_window(now, buyer_zone="Asia/Kolkata", country="IN")
    assert window.buyer_date == date(2027, 1, 27)


def test_next_send_window_earliest_on_weekend() -> None:
    now = datetime(2026, 5, 12, 7, 0, tzinfo=NEW_YORK)
    window = next_send_window(now, buyer_zone="America/New_York", country="US", earliest=date(2026, 5, 16))
    assert window.buyer_date == date(2026, 5, 18)


def test_next_send_window_earliest_in_past_uses_today() -> None:
    now = datetime(2026, 5, 12, 7, 0, tzinfo=NEW_YORK)
    window = next_send_window(now, buyer_zone="America/New_York", country="US", earliest=date(2025, 1, 1))
    assert window.buyer_date == date(2026, 5, 12)


def test_next_send_window_subdivision_holiday() -> None:
    now = datetime(2026, 3, 31, 7, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    window = next_send_window(now, buyer_zone="America/Los_Angeles", country="US", subdivision="CA")
    assert window.buyer_date == date(2026, 4, 1)


def test_next_send_window_custom_hours() -> None:
    now = datetime(2026, 5, 12, 12, 30, tzinfo=NEW_YORK)
    window = next_send_window(
        now, buyer_zone="America/New_York", country="US", start=time(8), end=time(12)
    )
    assert window.buyer_start == datetime(2026, 5, 13, 8, 0, tzinfo=NEW_YORK)
    assert window.buyer_end == datetime(2026, 5, 13, 12, 0, tzinfo=NEW_YORK)


def test_next_send_window_naive_now_raises() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_send_window(datetime(2026, 5, 12, 7), buyer_zone="America/New_York", country="US")


# --- Local dates ------------------------------------------------------------------------


def test_local_date_crosses_midnight() -> None:
    instant = datetime(2026, 1, 1, 20, 0, tzinfo=UTC)
    assert local_date(instant, "Asia/Shanghai") == date(2026, 1, 2)
    assert local_date(instant, "Pacific/Honolulu") == date(2026, 1, 1)


def test_local_date_naive_raises() -> None:
    with pytest.raises(ValueError, match="aware"):
        local_date(datetime(2026, 1, 1, 20, 0), "Asia/Shanghai")


def test_buyer_today_behind_rep() -> None:
    # 07:00 Monday in Shanghai is still Sunday in New York.
    now = datetime(2026, 5, 11, 7, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert buyer_today(now, buyer_zone="America/New_York") == date(2026, 5, 10)
