"""Greeting-worthy holidays: the table, their dates, notify and send-by dates, groups and lines.

Expected dates are those of the holidays package 0.109 for 2026-2028. Fixed-date holidays are
checked against their legal day, movable ones against the rule that defines them.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR, translator
from bot.models import Customer
from reminders.greetings import (
    greetings_due,
    notify_date,
    render_greeting_groups,
    render_upcoming_holidays,
    send_by_date,
    upcoming_holidays,
)
from reminders.holiday_dates import HolidayOccurrence, holiday_occurrences
from reminders.holiday_table import GREETING_HOLIDAYS, FixedDate, GreetingHoliday

YEARS = (2026, 2027, 2028)
COUNTRIES = (
    "US CA MX BR GB DE FR IT ES NL PL RU TR SA AE EG NG ZA IN PK BD ID MY SG TH VN PH JP KR AU".split()
)
HOLIDAYS = {holiday.key: holiday for holiday in GREETING_HOLIDAYS}


def occurrences_of(key: str, country: str, year: int) -> list[HolidayOccurrence]:
    found = holiday_occurrences(country, start=date(year, 1, 1), end=date(year, 12, 31))
    return [occurrence for occurrence in found if occurrence.holiday.key == key]


def day_of(key: str, country: str, year: int) -> date:
    (occurrence,) = occurrences_of(key, country, year)
    return occurrence.day


def customer(number: int, country: str, *, subdivision: str | None = None, name: str | None = None) -> Customer:
    return Customer(
        id=number, name=name or f"Buyer {number:03d}", country=country, zone="UTC", subdivision=subdivision, contacts=[]
    )


# --- The table --------------------------------------------------------------------------


def test_table_keys_unique() -> None:
    keys = [holiday.key for holiday in GREETING_HOLIDAYS]
    assert len(keys) == len(set(keys))


def test_table_covers_thirty_countries() -> None:
    listed = {country for holiday in GREETING_HOLIDAYS for country in holiday.dates}
    assert listed == set(COUNTRIES)


@pytest.mark.parametrize("holiday", GREETING_HOLIDAYS, ids=lambda holiday: holiday.key)
def test_table_rule_finds_one_date_per_year(holiday: GreetingHoliday) -> None:
    for country in holiday.dates:
        for year in YEARS:
            assert len(occurrences_of(holiday.key, country, year)) == 1, (country, year)


def test_table_drafts_are_short_english() -> None:
    for holiday in GREETING_HOLIDAYS:
        assert 20 < len(holiday.draft) < 160, holiday.key
        assert holiday.draft.isascii(), holiday.key
        assert "best" not in holiday.draft.lower(), holiday.key
        assert not holiday.draft.startswith("Dear"), holiday.key


def test_table_names_translated_in_zh_catalog() -> None:
    with (LOCALES_DIR / "zh_CN" / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        catalog = read_po(po_file, locale="zh_CN")
    untranslated = [
        holiday.name
        for holiday in GREETING_HOLIDAYS
        if catalog.get(holiday.name) is None or not catalog.get(holiday.name).string
    ]
    assert untranslated == []


def test_every_country_has_year_end_or_national_day() -> None:
    for country in COUNTRIES:
        keys = {key for key, holiday in HOLIDAYS.items() if country in holiday.dates}
        national = {key for key in keys if HOLIDAYS[key].national_day}
        assert keys & {"christmas", "new_year"} or national, country


def test_national_day_every_country_but_gb() -> None:
    for country in COUNTRIES:
        national = [holiday for holiday in GREETING_HOLIDAYS if holiday.national_day and country in holiday.dates]
        if country == "GB":
            # The United Kingdom has no national day.
            assert national == []
        else:
            assert national, country


# --- Dates per holiday family -----------------------------------------------------------

NATIONAL_DAYS = {
    ("US", "independence_day"): (7, 4),
    ("CA", "canada_day"): (7, 1),
    ("MX", "independence_day"): (9, 16),
    ("BR", "independence_day"): (9, 7),
    ("DE", "german_unity_day"): (10, 3),
    ("FR", "national_day"): (7, 14),
    ("IT", "republic_day"): (6, 2),
    ("ES", "national_day"): (10, 12),
    # King's Day moves to 26 April when 27 April is a Sunday, which 2026-2028 avoid.
    ("NL", "kings_day"): (4, 27),
    ("PL", "independence_day"): (11, 11),
    ("RU", "russia_day"): (6, 12),
    ("TR", "republic_day"): (10, 29),
    ("SA", "national_day"): (9, 23),
    ("AE", "national_day"): (12, 2),
    ("EG", "revolution_day"): (7, 23),
    ("NG", "national_day"): (10, 1),
    ("ZA", "freedom_day"): (4, 27),
    ("IN", "republic_day"): (1, 26),
    ("IN", "independence_day"): (8, 15),
    ("PK", "independence_day"): (8, 14),
    ("BD", "independence_day"): (3, 26),
    ("ID", "independence_day"): (8, 17),
    ("MY", "national_day"): (8, 31),
    ("SG", "national_day"): (8, 9),
    ("TH", "national_day"): (12, 5),
    ("VN", "national_day"): (9, 2),
    ("PH", "independence_day"): (6, 12),
    ("JP", "japan_foundation_day"): (2, 11),
    ("KR", "gaecheonjeol"): (10, 3),
    ("AU", "australia_day"): (1, 26),
}


@pytest.mark.parametrize(("country", "key"), sorted(NATIONAL_DAYS))
def test_national_day_on_its_legal_date(country: str, key: str) -> None:
    month, day = NATIONAL_DAYS[(country, key)]
    assert HOLIDAYS[key].national_day
    for year in YEARS:
        assert day_of(key, country, year) == date(year, month, day)


def test_national_day_listed_for_all_but_gb() -> None:
    countries = {country for country, _ in NATIONAL_DAYS}
    assert countries == set(COUNTRIES) - {"GB"}


def test_egypt_revolution_day_kept_when_day_off_moves() -> None:
    # In 2028 the package lists only the moved day off, Thursday 27 July.
    assert day_of("revolution_day", "EG", 2028) == date(2028, 7, 23)


def test_vietnam_national_day_is_second_september() -> None:
    # The package's second National Day falls on 1 September in 2026.
    assert day_of("national_day", "VN", 2026) == date(2026, 9, 2)


def test_christmas_on_december_25() -> None:
    for country in HOLIDAYS["christmas"].dates:
        if country == "RU":
            continue
        for year in YEARS:
            assert day_of("christmas", country, year) == date(year, 12, 25), country


def test_christmas_russia_orthodox_january_7() -> None:
    assert [day_of("christmas", "RU", year) for year in YEARS] == [date(year, 1, 7) for year in YEARS]


def test_christmas_absent_where_not_observed() -> None:
    for country in ("SA", "AE", "EG", "TR", "IN", "PK", "BD", "ID", "MY", "TH", "VN", "JP"):
        assert country not in HOLIDAYS["christmas"].dates


def test_new_year_on_january_first() -> None:
    for country in HOLIDAYS["new_year"].dates:
        for year in YEARS:
            assert day_of("new_year", country, year) == date(year, 1, 1), country


def test_new_year_russia_counted_once_across_christmas() -> None:
    # Russia's New Year holidays run 1-8 January with Christmas on the 7th inside them.
    assert [occurrence.day for occurrence in occurrences_of("new_year", "RU", 2027)] == [date(2027, 1, 1)]


def test_eid_al_fitr_known_dates() -> None:
    assert day_of("eid_al_fitr", "TR", 2026) == date(2026, 3, 20)
    assert day_of("eid_al_fitr", "MY", 2027) == date(2027, 3, 10)
    assert day_of("eid_al_fitr", "AE", 2028) == date(2028, 2, 26)
    # Saudi Arabia's Eid holiday starts on 30 Ramadan when Ramadan has 30 days.
    assert day_of("eid_al_fitr", "SA", 2026) == date(2026, 3, 19)


def test_eid_al_fitr_saudi_flagged_estimated() -> None:
    for year in YEARS:
        (occurrence,) = occurrences_of("eid_al_fitr", "SA", year)
        assert occurrence.estimated is True


def test_eid_estimated_only_after_confirmed_years() -> None:
    (confirmed,) = occurrences_of("eid_al_fitr", "AE", 2026)
    (estimated,) = occurrences_of("eid_al_fitr", "AE", 2027)
    assert confirmed.estimated is False
    assert estimated.estimated is True


def test_eid_al_adha_gap_after_fitr() -> None:
    # 1 Shawwal to 10 Dhu al-Hijjah: two lunar months of 29 or 30 days plus 9 days, and a
    # day more where the Eid al-Fitr holiday starts on the eve.
    for country in HOLIDAYS["eid_al_fitr"].dates:
        for year in YEARS:
            gap = (day_of("eid_al_adha", country, year) - day_of("eid_al_fitr", country, year)).days
            assert 67 <= gap <= 70, (country, year, gap)


def test_eid_dates_agree_across_countries() -> None:
    for key in ("eid_al_fitr", "eid_al_adha"):
        for year in YEARS:
            days = [day_of(key, country, year) for country in HOLIDAYS[key].dates]
            assert (max(days) - min(days)).days <= 2, (key, year)


def test_eid_absent_where_not_observed() -> None:
    for country in ("IN", "SG", "US", "GB"):
        assert country not in HOLIDAYS["eid_al_fitr"].dates


def test_diwali_india_dates() -> None:
    assert [day_of("diwali", "IN", year) for year in YEARS] == [
        date(2026, 11, 8),
        date(2027, 10, 29),
        date(2028, 10, 17),
    ]


def test_lunar_new_year_vietnam_singapore_malaysia() -> None:
    for country in ("VN", "SG", "MY", "ID", "PH"):
        assert [day_of("lunar_new_year", country, year) for year in YEARS] == [
            date(2026, 2, 17),
            date(2027, 2, 6),
            date(2028, 1, 26),
        ], country


def test_lunar_new_year_korea_day_later() -> None:
    # The new moon of 6 February 2027 falls before midnight in China (UTC+8), after it in Seoul (UTC+9).
    assert day_of("lunar_new_year", "KR", 2027) == date(2027, 2, 7)


def test_thanksgiving_us_fourth_thursday_of_november() -> None:
    days = [day_of("thanksgiving", "US", year) for year in YEARS]
    assert days == [date(2026, 11, 26), date(2027, 11, 25), date(2028, 11, 23)]
    for day in days:
        assert day.weekday() == 3
        assert 22 <= day.day <= 28


def test_thanksgiving_canada_second_monday_of_october() -> None:
    days = [day_of("thanksgiving", "CA", year) for year in YEARS]
    assert days == [date(2026, 10, 12), date(2027, 10, 11), date(2028, 10, 9)]
    for day in days:
        assert day.weekday() == 0
        assert 8 <= day.day <= 14


def test_songkran_and_chuseok() -> None:
    assert day_of("songkran", "TH", 2027) == date(2027, 4, 13)
    assert day_of("chuseok", "KR", 2026) == date(2026, 9, 25)


def test_fixed_rules_state_day_names_for_days_off() -> None:
    for holiday in GREETING_HOLIDAYS:
        for country, rule in holiday.dates.items():
            if isinstance(rule, FixedDate) and country != "IN":
                assert rule.names, (holiday.key, country)


# --- Notify and send-by dates -----------------------------------------------------------


def test_send_by_saudi_skips_friday_saturday() -> None:
    sunday = date(2026, 5, 10)
    assert send_by_date(sunday, country="SA") == date(2026, 5, 7)
    assert notify_date(sunday, country="SA") == date(2026, 5, 6)


def test_send_by_us_skips_saturday_sunday() -> None:
    sunday = date(2026, 5, 10)
    assert send_by_date(sunday, country="US") == date(2026, 5, 8)
    assert notify_date(sunday, country="US") == date(2026, 5, 7)


def test_send_by_eid_al_adha_saudi_vs_turkey() -> None:
    eid = date(2027, 5, 16)
    assert day_of("eid_al_adha", "SA", 2027) == eid
    assert day_of("eid_al_adha", "TR", 2027) == eid
    # Saturday 15 May is the Day of Arafah and a weekend day in Saudi Arabia.
    assert send_by_date(eid, country="SA") == date(2027, 5, 13)
    assert notify_date(eid, country="SA") == date(2027, 5, 12)
    assert send_by_date(eid, country="TR") == date(2027, 5, 14)
    assert notify_date(eid, country="TR") == date(2027, 5, 13)


def test_send_by_skips_observed_holiday() -> None:
    # Christmas 2027 is a Saturday: the US observes it on Friday 24 December, Britain on Monday 27.
    christmas = date(2027, 12, 25)
    assert send_by_date(christmas, country="US") == date(2027, 12, 23)
    assert send_by_date(christmas, country="GB") == date(2027, 12, 24)


def test_notify_date_one_lead_day_equals_send_by() -> None:
    assert notify_date(date(2027, 10, 29), country="IN", lead_workdays=1) == date(2027, 10, 28)


def test_notify_date_rejects_zero_lead() -> None:
    with pytest.raises(ValueError, match="lead_workdays"):
        notify_date(date(2027, 10, 29), country="IN", lead_workdays=0)


# --- Due greetings ----------------------------------------------------------------------


def test_greetings_due_groups_diwali_customers() -> None:
    customers = [customer(number, "IN") for number in range(12)] + [customer(100, "US"), customer(101, "SA")]
    groups = greetings_due(customers, rep_date=date(2027, 10, 27))
    assert len(groups) == 1
    group = groups[0]
    assert group.holiday.key == "diwali"
    assert group.country == "IN"
    assert group.day == date(2027, 10, 29)
    assert group.send_by == date(2027, 10, 28)
    assert group.notify_on == date(2027, 10, 27)
    assert len(group.customers) == 12
    assert [item.name for item in group.customers][:2] == ["Buyer 000", "Buyer 001"]


def test_greetings_due_nothing_a_day_early() -> None:
    customers = [customer(number, "IN") for number in range(3)]
    assert greetings_due(customers, rep_date=date(2027, 10, 26)) == []


def test_greetings_due_christmas_us_before_gb() -> None:
    customers = [customer(1, "US"), customer(2, "US"), customer(3, "GB"), customer(4, "SA")]
    wednesday = greetings_due(customers, rep_date=date(2027, 12, 22))
    thursday = greetings_due(customers, rep_date=date(2027, 12, 23))
    assert [(group.holiday.key, group.country, len(group.customers)) for group in wednesday] == [("christmas", "US", 2)]
    assert [(group.holiday.key, group.country, len(group.customers)) for group in thursday] == [("christmas", "GB", 1)]


def test_greetings_due_subdivisions_share_group() -> None:
    customers = [customer(1, "US", subdivision="CA"), customer(2, "US", subdivision="Texas"), customer(3, "US")]
    groups = greetings_due(customers, rep_date=date(2027, 11, 23))
    assert [(group.holiday.key, len(group.customers)) for group in groups] == [("thanksgiving", 3)]
    assert groups[0].send_by == date(2027, 11, 24)


def test_greetings_due_saudi_notified_before_weekend() -> None:
    customers = [customer(1, "SA"), customer(2, "TR")]
    groups = greetings_due(customers, rep_date=date(2027, 5, 12))
    assert [(group.holiday.key, group.country, group.send_by) for group in groups] == [
        ("eid_al_adha", "SA", date(2027, 5, 13))
    ]
    assert groups[0].estimated is True


def test_greetings_due_catch_up_from_earlier_date() -> None:
    customers = [customer(1, "IN")]
    assert greetings_due(customers, rep_date=date(2027, 10, 28)) == []
    caught_up = greetings_due(customers, rep_date=date(2027, 10, 28), notify_from=date(2027, 10, 26))
    assert [group.holiday.key for group in caught_up] == ["diwali"]


def test_greetings_due_new_year_across_year_end() -> None:
    # Friday 1 January 2027: notified on Wednesday 30 December 2026, send by Thursday 31.
    groups = greetings_due([customer(1, "DE")], rep_date=date(2026, 12, 30))
    assert [(group.holiday.key, group.day, group.send_by) for group in groups] == [
        ("new_year", date(2027, 1, 1), date(2026, 12, 31))
    ]


def test_greetings_due_skips_unknown_country() -> None:
    customers = [customer(1, "XX"), customer(2, "IN")]
    groups = greetings_due(customers, rep_date=date(2027, 10, 27))
    assert [len(group.customers) for group in groups] == [1]


def test_greetings_due_unknown_subdivision_uses_country() -> None:
    groups = greetings_due([customer(1, "IN", subdivision="Atlantis")], rep_date=date(2027, 10, 27))
    assert [group.holiday.key for group in groups] == ["diwali"]


def test_greetings_due_rejects_zero_lead() -> None:
    with pytest.raises(ValueError, match="lead_workdays"):
        greetings_due([], rep_date=date(2027, 10, 27), lead_workdays=0)


# --- Upcoming holidays ------------------------------------------------------------------


def test_upcoming_eid_merges_days_off() -> None:
    customers = [customer(1, "SA"), customer(2, "SA")] + [customer(10 + number, "IN") for number in range(3)]
    items = upcoming_holidays(customers, start=date(2027, 3, 8), days=7)
    saudi_eid = next(item for item in items if item.country == "SA" and item.greeting_worthy)
    assert saudi_eid.holiday is HOLIDAYS["eid_al_fitr"]
    assert saudi_eid.customer_count == 2
    assert saudi_eid.estimated is True
    # Sunday 14 March is the observed day for the Eid day that fell on the Saturday weekend.
    assert saudi_eid.days_off == (
        date(2027, 3, 9),
        date(2027, 3, 10),
        date(2027, 3, 11),
        date(2027, 3, 12),
        date(2027, 3, 14),
    )
    india_eid = next(item for item in items if item.country == "IN" and item.name == "Eid al-Fitr")
    assert india_eid.greeting_worthy is False
    assert india_eid.customer_count == 3
    assert india_eid.days_off == (date(2027, 3, 10),)


def test_upcoming_independence_day_with_observed_friday() -> None:
    items = upcoming_holidays([customer(1, "US")], start=date(2026, 7, 1), days=7)
    assert [(item.name, item.day, item.days_off) for item in items] == [
        ("Independence Day", date(2026, 7, 4), (date(2026, 7, 3), date(2026, 7, 4)))
    ]


def test_upcoming_national_day_in_lieu_after_weekend() -> None:
    items = upcoming_holidays([customer(1, "TH")], start=date(2026, 12, 3), days=7)
    assert [(item.name, item.day, item.days_off) for item in items] == [
        ("National Day", date(2026, 12, 5), (date(2026, 12, 5), date(2026, 12, 7)))
    ]


def test_upcoming_day_names_joined() -> None:
    items = upcoming_holidays([customer(1, "TH")], start=date(2026, 8, 12), days=1)
    assert [(item.name, item.greeting_worthy) for item in items] == [
        ("HM Queen Sirikit The Queen Mother's Birthday; National Mother's Day", False)
    ]


def test_upcoming_subdivision_day_off_counts_its_customers() -> None:
    customers = [customer(1, "US", subdivision="CA"), customer(2, "US", subdivision="CA"), customer(3, "US")]
    items = upcoming_holidays(customers, start=date(2027, 3, 29), days=7)
    assert [(item.name, item.customer_count, item.greeting_worthy) for item in items] == [
        ("Cesar Chavez Day", 2, False)
    ]


def test_upcoming_greeting_without_day_off() -> None:
    # Canada's Thanksgiving is a federal holiday but no national public holiday in the package.
    items = upcoming_holidays([customer(1, "CA")], start=date(2027, 10, 10), days=3)
    assert [(item.name, item.days_off, item.greeting_worthy) for item in items] == [("Thanksgiving", (), True)]


def test_upcoming_lists_every_greeting_of_week() -> None:
    # Every greeting of the next 7 days shows in the upcoming list of a team with one buyer per country.
    customers = [customer(number, country) for number, country in enumerate(COUNTRIES)]
    start = date(2027, 12, 20)
    items = upcoming_holidays(customers, start=start, days=7)
    greeting_keys = {(item.holiday.key, item.country) for item in items if item.holiday is not None}
    expected = {
        (occurrence.holiday.key, country)
        for country in COUNTRIES
        for occurrence in holiday_occurrences(country, start=start, end=start + timedelta(days=6))
    }
    assert greeting_keys == expected
    assert ("christmas", "US") in greeting_keys


def test_upcoming_empty_without_customers() -> None:
    assert upcoming_holidays([], start=date(2027, 12, 20)) == []


# --- Rendering --------------------------------------------------------------------------


def diwali_groups(count: int) -> list:  # type: ignore[type-arg]
    customers = [customer(number, "IN") for number in range(count)]
    return greetings_due(customers, rep_date=date(2027, 10, 27))


def test_render_groups_english() -> None:
    lines = render_greeting_groups(diwali_groups(12), t=translator("en"), rep_today=date(2027, 10, 27))
    assert lines[0] == "🎁 Diwali (India), Fri 10/29: 12 customers, send by tomorrow"
    assert lines[1].startswith("   Buyer 000, Buyer 001, ")
    assert lines[1].endswith("Buyer 009 and 2 more")
    assert lines[2] == "   Greeting to copy (English):"
    assert lines[3] == HOLIDAYS["diwali"].draft
    assert len(lines) == 4


def test_render_groups_one_customer_singular() -> None:
    lines = render_greeting_groups(diwali_groups(1), t=translator("en"), rep_today=date(2027, 10, 27))
    assert lines[0].endswith(": 1 customer, send by tomorrow")
    assert lines[1] == "   Buyer 000"


def test_render_groups_chinese() -> None:
    lines = render_greeting_groups(diwali_groups(12), t=translator("zh_CN"), rep_today=date(2027, 10, 27))
    assert "排灯节" in lines[0]
    assert "印度" in lines[0]
    assert "周五 10/29" in lines[0]
    assert "12 个客户" in lines[0]
    assert "明天" in lines[0]
    assert "Diwali" not in lines[0]
    assert lines[3] == HOLIDAYS["diwali"].draft


def test_render_groups_estimated_marker() -> None:
    groups = greetings_due([customer(1, "SA")], rep_date=date(2027, 5, 12))
    (line,) = render_greeting_groups(groups, t=translator("en"), rep_today=date(2027, 5, 12))[:1]
    assert line == "🎁 Eid al-Adha (Saudi Arabia), Sun 5/16 (estimated): 1 customer, send by tomorrow"


def test_render_upcoming_english() -> None:
    customers = [customer(1, "SA"), customer(2, "SA")]
    items = upcoming_holidays(customers, start=date(2027, 3, 8), days=7)
    lines = render_upcoming_holidays(items, t=translator("en"), today=date(2027, 3, 8))
    assert lines == ["🎁 Eid al-Fitr (Saudi Arabia), tomorrow (estimated): 2 customers; days off tomorrow–Sun 3/14"]


def test_render_upcoming_chinese() -> None:
    items = upcoming_holidays([customer(1, "IN")], start=date(2027, 10, 25), days=7)
    (line,) = render_upcoming_holidays(items, t=translator("zh_CN"), today=date(2027, 10, 25))
    assert line.startswith("🎁 排灯节")
    assert "印度" in line
    assert "周五 10/29" in line


def test_upcoming_span_reaches_past_window() -> None:
    # Listed on 4 March, the Saudi Eid holiday starts inside the week and ends on 14 March.
    items = upcoming_holidays([customer(1, "SA")], start=date(2027, 3, 4), days=7)
    eid = next(item for item in items if item.greeting_worthy)
    assert eid.days_off[0] == date(2027, 3, 9)
    assert eid.days_off[-1] == date(2027, 3, 14)


def test_upcoming_holiday_after_window_left_out() -> None:
    items = upcoming_holidays([customer(1, "SA")], start=date(2027, 3, 1), days=7)
    assert items == []


def test_upcoming_package_name_hidden_in_chinese() -> None:
    # Indonesia's Day of Silence has no greeting and only an English name in the package.
    items = upcoming_holidays([customer(1, "ID")], start=date(2027, 3, 8), days=1)
    (chinese,) = render_upcoming_holidays(items, t=translator("zh_CN"), today=date(2027, 3, 8))
    (english,) = render_upcoming_holidays(items, t=translator("en"), today=date(2027, 3, 8))
    assert "Day of Silence" not in chinese
    assert "公共假日" in chinese
    assert "Day of Silence" in english
