"""The calendar feed as a pure function: parsed back with icalendar, its times match the reminders."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from bot.i18n import translator
from bot.models import Contact, Customer, Inquiry
from reminders.ics import MAX_FEED_DAYS, build_feed
from reminders.planner import due_followups

BEIJING = ZoneInfo("Asia/Shanghai")
# Monday 2 November 2026, 10:00 in Beijing.
MONDAY_10 = datetime(2026, 11, 2, 10, 0, tzinfo=BEIJING)
EN = translator("en")


def customer(
    customer_id: int,
    name: str,
    *,
    country: str,
    zone: str,
    tier: str = "B",
    last_contact: datetime = MONDAY_10,
    contacts: list[Contact] | None = None,
) -> Customer:
    row = Customer(
        id=customer_id,
        name=name,
        country=country,
        zone=zone,
        subdivision=None,
        tier=tier,
        cadence_days=None,
        last_contact_at=last_contact.astimezone(timezone.utc),
        snoozed_until=None,
    )
    row.deals = []
    row.contacts = contacts or []
    return row


def feed(
    customers: list[Customer], inquiries: list[Inquiry] = (), *, now: datetime = MONDAY_10, locale: str = "en", days: int = 60  # type: ignore[assignment]
) -> Calendar:
    built = build_feed(
        customers,
        list(inquiries),
        member_id=7,
        calendar_name="FollowUp Bot: Li",
        rep_zone="Asia/Shanghai",
        team_overrides={},
        now=now,
        t=translator(locale),
        days=days,
    )
    # Every check reads the serialised feed back, as a calendar app would.
    return Calendar.from_ical(built.to_ical())


def events_by_uid_prefix(calendar: Calendar, prefix: str) -> list[Event]:
    return [event for event in calendar.events if str(event["UID"]).startswith(prefix)]


def test_followup_overdue_matches_digest_window() -> None:
    sharma = customer(1, "Sharma Print House", country="IN", zone="Asia/Kolkata", tier="A", last_contact=MONDAY_10 - timedelta(days=10))
    (due,) = due_followups([sharma], now=MONDAY_10.astimezone(timezone.utc), rep_zone="Asia/Shanghai", team_overrides={})
    (event,) = events_by_uid_prefix(feed([sharma]), "followup-")
    assert event.start == due.window.buyer_start
    assert event.end == due.window.buyer_end
    assert event["DTSTART"].params["TZID"] == "Asia/Kolkata"
    assert str(event["UID"]) == f"followup-1-{due.due_date:%Y%m%d}@followup-bot"
    assert str(event["SUMMARY"]) == "Follow up Sharma Print House (IN)"


def test_followup_future_on_due_date() -> None:
    # Tier B: 7 days after Monday 2 November is Monday 9 November, a German workday.
    druck = customer(2, "Müller Druck", country="DE", zone="Europe/Berlin")
    (event,) = events_by_uid_prefix(feed([druck]), "followup-")
    assert event.start == datetime(2026, 11, 9, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert event.end == datetime(2026, 11, 9, 18, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert str(event["UID"]) == "followup-2-20261109@followup-bot"


def test_followup_beyond_window_left_out() -> None:
    # Tier C: 30 days ahead, outside a 14-day feed.
    cold = customer(3, "Cold Buyer", country="DE", zone="Europe/Berlin", tier="C")
    assert events_by_uid_prefix(feed([cold], days=14), "followup-") == []
    assert len(events_by_uid_prefix(feed([cold], days=60), "followup-")) == 1


def test_birthday_feb_29_non_leap_year() -> None:
    priya = Contact(id=11, name="Priya", birth_month=2, birth_day=29, email="priya@sharmaprint.in", phone="+919812345678")
    sharma = customer(1, "Sharma Print House", country="IN", zone="Asia/Kolkata", contacts=[priya])
    calendar = feed([sharma], now=datetime(2027, 2, 1, 10, 0, tzinfo=BEIJING))
    (event,) = events_by_uid_prefix(calendar, "birthday-")
    assert event.start == datetime(2027, 2, 28, 9, 0, tzinfo=ZoneInfo("Asia/Kolkata"))
    assert event.end == datetime(2027, 2, 28, 18, 0, tzinfo=ZoneInfo("Asia/Kolkata"))
    assert event["DTSTART"].params["TZID"] == "Asia/Kolkata"
    assert str(event["UID"]) == "birthday-11-20270228@followup-bot"
    assert str(event["SUMMARY"]) == "Birthday: Priya (Sharma Print House, IN)"


def test_birthday_feb_29_leap_year() -> None:
    priya = Contact(id=11, name="Priya", birth_month=2, birth_day=29)
    sharma = customer(1, "Sharma Print House", country="IN", zone="Asia/Kolkata", contacts=[priya])
    (event,) = events_by_uid_prefix(feed([sharma], now=datetime(2028, 2, 1, 10, 0, tzinfo=BEIJING)), "birthday-")
    assert event.start.date() == date(2028, 2, 29)


def test_deadline_event_ends_at_deadline() -> None:
    sharma = customer(1, "Sharma Print House", country="IN", zone="Asia/Kolkata")
    deadline = datetime(2026, 11, 3, 2, 30, tzinfo=timezone.utc)  # 08:00 in India
    inquiry = Inquiry(
        id=5,
        customer=sharma,
        received_at=MONDAY_10.astimezone(timezone.utc),
        deadline_at=deadline,
        product="CTCP plate",
        quantity="1×20GP",
        text="call me on +91 98123 45678",
        sender_email="buyer@gmail.com",
    )
    (event,) = events_by_uid_prefix(feed([sharma], [inquiry]), "inquiry-")
    assert event.end == deadline
    assert event.end.astimezone(ZoneInfo("Asia/Kolkata")).hour == 8
    assert event["DTEND"].params["TZID"] == "Asia/Kolkata"
    assert event.end - event.start == timedelta(minutes=30)
    assert str(event["UID"]) == "inquiry-5@followup-bot"
    assert "CTCP plate, 1×20GP" in str(event["DESCRIPTION"])


def test_holiday_all_day_on_buyer_date() -> None:
    buyers = [customer(index, f"Buyer {index}", country="US", zone="America/New_York") for index in (1, 2)]
    calendar = feed(buyers)
    (thanksgiving,) = [event for event in events_by_uid_prefix(calendar, "holiday-") if "Thanksgiving" in str(event["SUMMARY"])]
    assert thanksgiving.start == date(2026, 11, 26)
    assert not isinstance(thanksgiving.start, datetime)
    assert thanksgiving.end == date(2026, 11, 27)
    assert str(thanksgiving["SUMMARY"]) == "Thanksgiving (United States): 2 customers"
    assert str(thanksgiving["UID"]) == "holiday-m7-US-20261126-thanksgiving@followup-bot"


def test_holiday_greeting_name_translated() -> None:
    buyer = customer(1, "Buyer", country="US", zone="America/New_York")
    calendar = feed([buyer], locale="zh_CN")
    summaries = [str(event["SUMMARY"]) for event in events_by_uid_prefix(calendar, "holiday-")]
    thanksgiving = translator("zh_CN").gettext("Thanksgiving")
    assert thanksgiving != "Thanksgiving"
    assert any(summary.startswith(thanksgiving) for summary in summaries)


def test_uids_stable_across_builds() -> None:
    priya = Contact(id=11, name="Priya", birth_month=11, birth_day=20)
    buyers = [
        customer(1, "Sharma Print House", country="IN", zone="Asia/Kolkata", tier="A", contacts=[priya]),
        customer(2, "Acme Inc", country="US", zone="America/New_York", last_contact=MONDAY_10 - timedelta(days=20)),
    ]
    first = [str(event["UID"]) for event in feed(buyers).events]
    second = [str(event["UID"]) for event in feed(buyers, now=MONDAY_10 + timedelta(hours=3)).events]
    assert first == second
    assert len(set(first)) == len(first)
    assert {uid.split("-")[0] for uid in first} == {"followup", "birthday", "holiday"}


def test_vtimezone_for_each_zone_used() -> None:
    buyers = [
        customer(1, "Sharma Print House", country="IN", zone="Asia/Kolkata"),
        customer(2, "Acme Inc", country="US", zone="America/New_York"),
    ]
    calendar = feed(buyers)
    assert sorted(str(zone["TZID"]) for zone in calendar.timezones) == ["America/New_York", "Asia/Kolkata"]
    assert str(calendar["X-WR-CALNAME"]) == "FollowUp Bot: Li"
    assert all(event["DTSTAMP"].dt == MONDAY_10.astimezone(timezone.utc) for event in calendar.events)


def test_feed_has_no_contact_details() -> None:
    priya = Contact(id=11, name="Priya", birth_month=11, birth_day=20, email="priya@sharmaprint.in", phone="+919812345678")
    sharma = customer(1, "Sharma Print House", country="IN", zone="Asia/Kolkata", contacts=[priya])
    inquiry = Inquiry(
        id=5,
        customer=sharma,
        received_at=MONDAY_10.astimezone(timezone.utc),
        deadline_at=MONDAY_10.astimezone(timezone.utc) + timedelta(hours=2),
        product="CTCP plate",
        sender_email="buyer@gmail.com",
        sender_phone="+919800000000",
        text="secret text",
    )
    body = feed([sharma], [inquiry]).to_ical().decode()
    for detail in ("priya@sharmaprint.in", "+919812345678", "buyer@gmail.com", "+919800000000", "secret text"):
        assert detail not in body
    assert "Priya" in body


def test_days_out_of_range_rejected() -> None:
    with pytest.raises(ValueError, match="days must be from 1 to 366, got 0"):
        feed([], days=0)
    with pytest.raises(ValueError, match="got 367"):
        feed([], days=MAX_FEED_DAYS + 1)
