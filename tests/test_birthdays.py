"""Contact birthdays: 29 February, birthdays without a year, zones on both sides of the rep, lines."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from bot.i18n import translator
from bot.models import Contact, Customer
from reminders.birthdays import BirthdayItem, birthday_in_year, birthdays_due, render_birthdays

SHANGHAI = "Asia/Shanghai"
NEW_YORK = "America/New_York"
UTC = timezone.utc


def buyer(
    number: int,
    *,
    country: str = "IN",
    zone: str = "Asia/Kolkata",
    month: int | None,
    day: int | None,
    year: int | None = None,
    contact: str = "Rahul",
    company: str = "Sharma Print House",
) -> Customer:
    return Customer(
        id=number,
        name=company,
        country=country,
        zone=zone,
        subdivision=None,
        contacts=[Contact(id=number * 10, name=contact, birth_month=month, birth_day=day, birth_year=year)],
    )


def due(customers: list[Customer], rep_date: date, *, now: datetime | None = None) -> list[BirthdayItem]:
    now = now or datetime(rep_date.year, rep_date.month, rep_date.day, 1, tzinfo=UTC)
    return birthdays_due(customers, rep_date=rep_date, rep_zone=SHANGHAI, now=now)


# --- birthday_in_year -------------------------------------------------------------------


def test_birthday_in_year_leap_day_2026_2027_2028() -> None:
    assert birthday_in_year(2, 29, 2026) == date(2026, 2, 28)
    assert birthday_in_year(2, 29, 2027) == date(2027, 2, 28)
    assert birthday_in_year(2, 29, 2028) == date(2028, 2, 29)


def test_birthday_in_year_plain_date() -> None:
    assert birthday_in_year(10, 27, 2027) == date(2027, 10, 27)


def test_birthday_in_year_invalid_date_raises() -> None:
    with pytest.raises(ValueError):
        birthday_in_year(2, 30, 2028)


# --- birthdays_due ----------------------------------------------------------------------


def test_birthdays_due_on_buyer_date() -> None:
    items = due([buyer(1, month=10, day=27)], date(2027, 10, 27))
    assert len(items) == 1
    item = items[0]
    assert item.birthday == date(2027, 10, 27)
    assert item.contact_name == "Rahul"
    assert item.customer_id == 1
    assert item.contact_id == 10
    # 09:00 in Kolkata (UTC+5:30) is 11:30 in Shanghai.
    start, end = item.window.in_zone(SHANGHAI)
    assert (start.date(), start.strftime("%H:%M"), end.strftime("%H:%M")) == (date(2027, 10, 27), "11:30", "20:30")


def test_birthdays_due_not_day_before_or_after() -> None:
    customers = [buyer(1, month=10, day=27)]
    assert due(customers, date(2027, 10, 26)) == []
    assert due(customers, date(2027, 10, 28)) == []


def test_birthdays_due_leap_day_non_leap_years() -> None:
    customers = [buyer(1, month=2, day=29, year=1988)]
    for year in (2026, 2027):
        assert [item.birthday for item in due(customers, date(year, 2, 28))] == [date(year, 2, 28)]
        assert due(customers, date(year, 3, 1)) == []


def test_birthdays_due_leap_day_leap_year() -> None:
    customers = [buyer(1, month=2, day=29)]
    assert [item.birthday for item in due(customers, date(2028, 2, 29))] == [date(2028, 2, 29)]
    assert due(customers, date(2028, 2, 28)) == []


def test_birthdays_due_without_year() -> None:
    items = due([buyer(1, month=6, day=15, year=None)], date(2027, 6, 15))
    assert [item.birthday for item in items] == [date(2027, 6, 15)]


def test_birthdays_due_skips_contact_without_birthday() -> None:
    customers = [buyer(1, month=None, day=None), buyer(2, month=6, day=None)]
    assert due(customers, date(2027, 6, 15)) == []


def test_birthdays_due_skips_invalid_stored_date() -> None:
    customers = [buyer(1, month=2, day=30), buyer(2, month=2, day=28, contact="Amit")]
    assert [item.contact_name for item in due(customers, date(2027, 2, 28))] == ["Amit"]


def test_birthdays_due_on_weekend() -> None:
    saturday = date(2027, 10, 30)
    assert saturday.weekday() == 5
    assert [item.birthday for item in due([buyer(1, month=10, day=30)], saturday)] == [saturday]


def test_birthdays_due_zone_behind_crosses_year_end() -> None:
    # 31 December 09:00 in Los Angeles (UTC-8) is 1 January 01:00 in Shanghai.
    customers = [buyer(1, country="US", zone="America/Los_Angeles", month=12, day=31, contact="Jane")]
    assert due(customers, date(2026, 12, 31)) == []
    items = due(customers, date(2027, 1, 1))
    assert [item.birthday for item in items] == [date(2026, 12, 31)]


def test_birthdays_due_zone_ahead_crosses_year_end() -> None:
    # For a rep in New York, 1 January 09:00 in Tokyo is 31 December 19:00.
    customers = [buyer(1, country="JP", zone="Asia/Tokyo", month=1, day=1, contact="Yuki")]
    now = datetime(2026, 12, 31, 14, tzinfo=UTC)
    assert birthdays_due(customers, rep_date=date(2027, 1, 1), rep_zone=NEW_YORK, now=now) == []
    items = birthdays_due(customers, rep_date=date(2026, 12, 31), rep_zone=NEW_YORK, now=now)
    assert [item.birthday for item in items] == [date(2027, 1, 1)]


def test_birthdays_due_zone_ahead_same_date_for_shanghai() -> None:
    # 1 January 09:00 in Auckland (UTC+13 in summer) is 1 January 04:00 in Shanghai.
    customers = [buyer(1, country="NZ", zone="Pacific/Auckland", month=1, day=1, contact="Aroha")]
    assert due(customers, date(2026, 12, 31)) == []
    assert [item.birthday for item in due(customers, date(2027, 1, 1))] == [date(2027, 1, 1)]


def test_birthdays_due_ordered_by_window_start() -> None:
    customers = [
        buyer(1, country="DE", zone="Europe/Berlin", month=5, day=4, contact="Hans", company="Berlin GmbH"),
        buyer(2, country="JP", zone="Asia/Tokyo", month=5, day=4, contact="Yuki", company="Tokyo KK"),
    ]
    assert [item.contact_name for item in due(customers, date(2027, 5, 4))] == ["Yuki", "Hans"]


def test_birthdays_due_late_after_window() -> None:
    customers = [buyer(1, month=10, day=27)]
    # The window ends at 18:00 Kolkata, 12:30 UTC.
    open_items = due(customers, date(2027, 10, 27), now=datetime(2027, 10, 27, 12, 29, tzinfo=UTC))
    late_items = due(customers, date(2027, 10, 27), now=datetime(2027, 10, 27, 12, 30, tzinfo=UTC))
    assert open_items[0].late is False
    assert late_items[0].late is True


def test_birthdays_due_rejects_naive_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        birthdays_due([], rep_date=date(2027, 1, 1), rep_zone=SHANGHAI, now=datetime(2027, 1, 1))


def test_birthdays_due_skips_unknown_zone() -> None:
    customers = [buyer(1, zone="Mars/Olympus", month=5, day=4), buyer(2, month=5, day=4, contact="Amit")]
    assert [item.contact_name for item in due(customers, date(2027, 5, 4))] == ["Amit"]


# --- Rendering --------------------------------------------------------------------------


def test_render_birthdays_english() -> None:
    now = datetime(2027, 10, 27, 1, tzinfo=UTC)
    items = due([buyer(1, month=10, day=27, year=1980)], date(2027, 10, 27), now=now)
    lines = render_birthdays(items, t=translator("en"), rep_zone=SHANGHAI, now=now)
    assert lines == [
        "🎂 Rahul (Sharma Print House, India): send today 11:30–20:30 your time (buyer 09:00–18:00)",
        "   Dear Rahul, happy birthday! We wish you good health, happiness and success in the year ahead.",
    ]


def test_render_birthdays_no_age() -> None:
    now = datetime(2027, 10, 27, 1, tzinfo=UTC)
    items = due([buyer(1, month=10, day=27, year=1980)], date(2027, 10, 27), now=now)
    text = "\n".join(render_birthdays(items, t=translator("en"), rep_zone=SHANGHAI, now=now))
    assert "47" not in text
    assert "1980" not in text


def test_render_birthdays_chinese() -> None:
    now = datetime(2027, 10, 27, 1, tzinfo=UTC)
    items = due([buyer(1, month=10, day=27)], date(2027, 10, 27), now=now)
    lines = render_birthdays(items, t=translator("zh_CN"), rep_zone=SHANGHAI, now=now)
    assert "印度" in lines[0]
    assert "今天 11:30–20:30" in lines[0]
    assert "客户当地 09:00–18:00" in lines[0]
    assert lines[1].startswith("   Dear Rahul, happy birthday!")


def test_render_birthdays_window_crossing_rep_midnight() -> None:
    # 09:00-18:00 in Los Angeles is 01:00-10:00 the next day in Shanghai, shown on the rep's date.
    now = datetime(2026, 12, 31, 16, tzinfo=UTC)
    customers = [buyer(1, country="US", zone="America/Los_Angeles", month=12, day=31, contact="Jane", company="LA Inc")]
    items = birthdays_due(customers, rep_date=date(2027, 1, 1), rep_zone=SHANGHAI, now=now)
    (line, _) = render_birthdays(items, t=translator("en"), rep_zone=SHANGHAI, now=now)
    assert line == "🎂 Jane (LA Inc, United States): send today 01:00–10:00 your time (buyer 09:00–18:00)"


def test_render_birthdays_late_marked() -> None:
    now = datetime(2027, 10, 27, 13, tzinfo=UTC)
    items = due([buyer(1, month=10, day=27)], date(2027, 10, 27), now=now)
    (line, _) = render_birthdays(items, t=translator("en"), rep_zone=SHANGHAI, now=now)
    assert line.endswith("; the window has passed, send as soon as possible")
