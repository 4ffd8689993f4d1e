"""A rep's calendar feed as an RFC 5545 VCALENDAR, as a pure function of loaded rows and a clock.

The feed lists, for the rep's next `days` days: each customer's next follow-up, contact
birthdays, buyer public holidays and the reply deadlines of open inquiries. Timed events
carry the buyer's zone (DTSTART;TZID=… with a VTIMEZONE per zone), so that a calendar app
shows them in the rep's zone and the buyer's wall clock stays on record. The times are the
ones the digest shows: a follow-up is FollowUp.window, a birthday is the send window on the
buyer-local birthday, a deadline is Inquiry.deadline_at.

UIDs name the item and its date, so that a calendar app updates an event on the next poll
rather than adding a copy. Every event is transparent (free), because a nine-hour send
window must not block the rep's own free/busy time.

The feed contains names only: customer, contact and holiday names, never emails, phones or
inquiry text.

Limitations:
    A follow-up's date counts the rep's calendar and the buyer's workdays as
    reminders.planner does, but the feed shows each customer's next follow-up only, not
    the ones after it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import TRANSP, Calendar, Event, Timezone, vDuration

from bot.errors import ParseError
from bot.i18n import Translator
from bot.models import Customer, Inquiry
from reminders.birthdays import BIRTHDAY_DRAFT, birthday_in_year
from reminders.calendar import local_date, send_window
from reminders.formatting import country_name
from reminders.greetings import UpcomingHoliday, holiday_display_name, upcoming_holidays
from reminders.planner import FollowUp, due_date, followup_of

logger = logging.getLogger(__name__)

DEFAULT_FEED_DAYS = 60
MAX_FEED_DAYS = 366
# The right-hand side of every UID (RFC 5545 3.8.4.7 recommends an "@domain" suffix).
UID_DOMAIN = "followup-bot"
PRODID = "-//FollowUp Bot//Calendar feed//EN"
# A deadline shows as a block this long that ends at the deadline. Some calendar apps hide
# zero-length events, and a block stays visible in a day view.
DEADLINE_BLOCK = timedelta(minutes=30)
# How often calendar apps should poll (REFRESH-INTERVAL of RFC 7986, and
# X-PUBLISHED-TTL, which Apple Calendar and Outlook read).
REFRESH_INTERVAL = timedelta(hours=1)
# One VTIMEZONE per (zone, first date, last date); the dates move daily, so a day's feeds share them.
VTIMEZONE_CACHE_SIZE = 1024


@dataclass(frozen=True)
class FeedEvent:
    """One calendar entry: timed (aware datetimes in the buyer's zone) or all-day (dates)."""

    uid: str
    summary: str
    start: datetime | date
    end: datetime | date
    description: str = ""


# --- The whole feed ---------------------------------------------------------------------


def build_feed(
    customers: Sequence[Customer],
    inquiries: Sequence[Inquiry],
    *,
    member_id: int,
    calendar_name: str,
    rep_zone: str,
    team_overrides: dict[str, int],
    now: datetime,
    t: Translator,
    days: int = DEFAULT_FEED_DAYS,
) -> Calendar:
    """Build the rep's VCALENDAR for the `days` days from their local today.

    `customers` are the rep's own with their contacts and deals loaded, `inquiries` their
    open ones. A date belongs to the feed when it is from the rep's today to `days` - 1 days
    after, each item's date counted where it happens (the buyer's date for buyer items).

    Raises:
        ValueError: for `days` outside 1..MAX_FEED_DAYS or a naive `now`.
    """
    if not 1 <= days <= MAX_FEED_DAYS:
        raise ValueError(f"days must be from 1 to {MAX_FEED_DAYS}, got {days}")
    first = local_date(now, rep_zone)
    last = first + timedelta(days=days - 1)
    events = [
        *followup_events(customers, last=last, now=now, rep_zone=rep_zone, team_overrides=team_overrides, t=t),
        *birthday_events(customers, first=first, last=last, t=t),
        *holiday_events(customers, first=first, days=days, member_id=member_id, t=t),
        *deadline_events(inquiries, last=last, t=t),
    ]
    logger.debug("feed built member_id=%s events=%d days=%d", member_id, len(events), days)
    return to_calendar(events, name=calendar_name, uid=f"calendar-m{member_id}@{UID_DOMAIN}", now=now)


def to_calendar(events: Iterable[FeedEvent], *, name: str, uid: str, now: datetime) -> Calendar:
    """Write the events into a VCALENDAR with a VTIMEZONE for each zone the events use."""
    stamp = now.astimezone(timezone.utc)
    calendar = Calendar.new(prodid=PRODID, name=name, uid=uid, refresh_interval=REFRESH_INTERVAL)
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL))
    dates: list[date] = []
    zones: set[str] = set()
    for item in sorted(events, key=_event_order):
        event = Event.new(
            uid=item.uid,
            summary=item.summary,
            start=item.start,
            end=item.end,
            stamp=stamp,
            description=item.description or None,
            transparency=TRANSP.TRANSPARENT,
        )
        calendar.add_component(event)
        dates += [_date_of(item.start), _date_of(item.end)]
        if isinstance(item.start, datetime) and isinstance(item.start.tzinfo, ZoneInfo):
            zones.add(item.start.tzinfo.key)
    if dates:
        first, last = min(dates) - timedelta(days=1), max(dates) + timedelta(days=1)
        # VTIMEZONE components go first, as RFC 5545 examples place them.
        calendar.subcomponents[:0] = [_vtimezone(zone, first, last) for zone in sorted(zones)]
    return calendar


@lru_cache(maxsize=VTIMEZONE_CACHE_SIZE)
def _vtimezone(zone: str, first: date, last: date) -> Timezone:
    """Describe a zone's offsets from `first` to `last`; callers must not change the shared result.

    The span is the feed's only, because the package's default (1970-2038) lists every DST
    change of those years. One took about 16 ms in a profile (icalendar 7.3.2), so a feed of
    buyers in 30 zones would spend half a second per request without the cache.
    """
    return Timezone.from_tzinfo(ZoneInfo(zone), tzid=zone, first_date=first, last_date=last)


def _date_of(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _event_order(item: FeedEvent) -> tuple[datetime, str]:
    # All-day events sort as midnight UTC of their date; the order only keeps the output stable.
    start = item.start
    if not isinstance(start, datetime):
        start = datetime(start.year, start.month, start.day, tzinfo=timezone.utc)
    return start.astimezone(timezone.utc), item.uid


# --- Follow-ups -------------------------------------------------------------------------


def next_followup(
    customer: Customer, *, now: datetime, rep_zone: str, team_overrides: dict[str, int]
) -> FollowUp:
    """Return the customer's next follow-up, due or not, as reminders.planner computes it."""
    due, is_checkin = due_date(customer, team_overrides=team_overrides, rep_zone=rep_zone)
    return followup_of(customer, due=due, is_checkin=is_checkin, rep_today=local_date(now, rep_zone), now=now)


def followup_events(
    customers: Iterable[Customer],
    *,
    last: date,
    now: datetime,
    rep_zone: str,
    team_overrides: dict[str, int],
    t: Translator,
) -> list[FeedEvent]:
    """Return each customer's next follow-up due by `last`, overdue ones included, in its send window.

    An overdue follow-up sits in the buyer's next window, as in the rep's digest.
    """
    events = []
    for customer in customers:
        try:
            followup = next_followup(customer, now=now, rep_zone=rep_zone, team_overrides=team_overrides)
            if followup.due_date > last:
                continue
            window = followup.window
        except (ParseError, ZoneInfoNotFoundError):
            logger.warning("invalid country or zone, follow-up left out of the feed customer_id=%s", customer.id)
            continue
        values = {"customer": customer.name, "country": customer.country}
        if followup.is_checkin:
            summary = t.gettext("Check in with %(customer)s (%(country)s)", **values)
        else:
            summary = t.gettext("Follow up %(customer)s (%(country)s)", **values)
        description = t.gettext(
            "Tier %(tier)s, due %(date)s. Send inside this window, the buyer's business hours.",
            tier=customer.tier,
            date=followup.due_date.isoformat(),
        )
        events.append(
            FeedEvent(
                # The due date is part of the UID: a logged interaction moves the follow-up,
                # and the old event should go rather than move.
                uid=f"followup-{customer.id}-{followup.due_date:%Y%m%d}@{UID_DOMAIN}",
                summary=summary,
                start=window.buyer_start,
                end=window.buyer_end,
                description=description,
            )
        )
    return events


# --- Birthdays --------------------------------------------------------------------------


def birthday_events(customers: Iterable[Customer], *, first: date, last: date, t: Translator) -> list[FeedEvent]:
    """Return the contacts' birthdays from `first` to `last`, each in the buyer's send window on that date.

    A 29 February birthday falls on 28 February in other years, and the year of birth is
    never shown.
    """
    events = []
    years = range(first.year, last.year + 1)
    for customer in customers:
        for contact in customer.contacts:
            if contact.birth_month is None or contact.birth_day is None:
                continue
            for year in years:
                try:
                    birthday = birthday_in_year(contact.birth_month, contact.birth_day, year)
                    if not first <= birthday <= last:
                        continue
                    window = send_window(birthday, buyer_zone=customer.zone)
                except (ValueError, ZoneInfoNotFoundError):
                    logger.warning(
                        "invalid birthday or zone, left out of the feed customer_id=%s contact_id=%s",
                        customer.id, contact.id,
                    )
                    break
                summary = t.gettext(
                    "Birthday: %(contact)s (%(customer)s, %(country)s)",
                    contact=contact.name,
                    customer=customer.name,
                    country=customer.country,
                )
                events.append(
                    FeedEvent(
                        uid=f"birthday-{contact.id}-{birthday:%Y%m%d}@{UID_DOMAIN}",
                        summary=summary,
                        start=window.buyer_start,
                        end=window.buyer_end,
                        description=_greeting_description(BIRTHDAY_DRAFT.format(contact=contact.name), t),
                    )
                )
    return events


def _greeting_description(draft: str, t: Translator) -> str:
    return t.gettext("Greeting to copy (English):") + "\n" + draft


# --- Buyer holidays ---------------------------------------------------------------------


def holiday_events(
    customers: Iterable[Customer], *, first: date, days: int, member_id: int, t: Translator
) -> list[FeedEvent]:
    """Return the buyer public holidays and greeting days of the window as all-day events.

    Each event names the holiday (greeting-worthy ones in the rep's language, others as the
    holidays package names them, in English) and counts the rep's customers it touches.
    An event runs from the holiday's date to its last day off.
    """
    events = []
    for item in upcoming_holidays(customers, start=first, days=days):
        name = holiday_display_name(item, t)
        customers_text = t.ngettext("%(count)s customer", "%(count)s customers", item.customer_count)
        summary = t.gettext(
            "%(holiday)s (%(country)s)%(estimated)s: %(customers)s",
            holiday=name,
            country=country_name(item.country, t),
            # Translators: follows a holiday's date that the holidays package marks as estimated.
            estimated=t.gettext(" (estimated)") if item.estimated else "",
            customers=customers_text,
        )
        last_day = max((item.day, *item.days_off))
        events.append(
            FeedEvent(
                # The feed's counts are the rep's own, so the UID names the member too.
                uid=f"holiday-m{member_id}-{item.country}-{item.day:%Y%m%d}-{_holiday_slug(item)}@{UID_DOMAIN}",
                summary=summary,
                start=item.day,
                end=last_day + timedelta(days=1),
                description=_holiday_description(item, t),
            )
        )
    return events


def _holiday_slug(item: UpcomingHoliday) -> str:
    if item.holiday is not None:
        return item.holiday.key
    # Package names contain spaces, brackets and other scripts, so a digest keeps the UID plain.
    return hashlib.sha256(item.name.encode("utf-8")).hexdigest()[:12]


def _holiday_description(item: UpcomingHoliday, t: Translator) -> str:
    lines = []
    if item.days_off:
        days_text = ", ".join(day.isoformat() for day in item.days_off)
        lines.append(t.ngettext("day off %(days)s", "days off %(days)s", len(item.days_off), days=days_text))
    if item.holiday is not None:
        lines.append(_greeting_description(item.holiday.draft, t))
    return "\n".join(lines)


# --- Inquiry reply deadlines ------------------------------------------------------------


def deadline_events(inquiries: Iterable[Inquiry], *, last: date, t: Translator) -> list[FeedEvent]:
    """Return a short event ending at each open inquiry's reply deadline, passed ones included."""
    events = []
    for inquiry in inquiries:
        customer = inquiry.customer
        try:
            deadline = inquiry.deadline_at.astimezone(ZoneInfo(customer.zone))
        except ZoneInfoNotFoundError:
            logger.warning("invalid zone, deadline left out of the feed inquiry_id=%s", inquiry.id)
            continue
        if deadline.date() > last:
            continue
        # The block never starts before the inquiry arrived.
        start = max(deadline - DEADLINE_BLOCK, inquiry.received_at.astimezone(deadline.tzinfo))
        summary = t.gettext(
            "Reply deadline: %(customer)s (%(country)s)", customer=customer.name, country=customer.country
        )
        requested = ", ".join(part for part in (inquiry.product, inquiry.quantity) if part)
        action = t.gettext("Reply before this event ends, then send /replied %(customer)s.", customer=customer.name)
        events.append(
            FeedEvent(
                uid=f"inquiry-{inquiry.id}@{UID_DOMAIN}",
                summary=summary,
                start=start,
                end=deadline,
                description="\n".join(part for part in (requested, action) if part),
            )
        )
    return events
