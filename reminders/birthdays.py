"""Contact birthdays: which are due in a rep's digest, and their lines with the send window.

A birthday is a date in the buyer's zone. The greeting should land inside the buyer's business
hours on that date, weekend or not, so a birthday is due in the digest of the rep-local date on
which that window starts. The age is never shown, even when the year of birth is known,
because a greeting that names a buyer's age reads as too personal in most business cultures.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfoNotFoundError

from bot.i18n import Translator
from bot.models import Contact, Customer
from reminders.calendar import SendWindow, local_date, send_window
from reminders.formatting import country_name, format_window

logger = logging.getLogger(__name__)

# Buyer-facing English, not translated; {contact} is the contact's name as stored.
BIRTHDAY_DRAFT = "Dear {contact}, happy birthday! We wish you good health, happiness and success in the year ahead."


@dataclass(frozen=True)
class BirthdayItem:
    """One contact's birthday to greet, with the buyer's business hours on that date."""

    customer_id: int
    customer_name: str
    country: str
    contact_id: int
    contact_name: str
    birthday: date
    """The birthday in the current year, as a buyer-local date."""
    window: SendWindow
    late: bool
    """True when the window had already ended at the `now` given to birthdays_due."""

    @property
    def draft(self) -> str:
        return BIRTHDAY_DRAFT.format(contact=self.contact_name)


def birthday_in_year(month: int, day: int, year: int) -> date:
    """Return the birthday's date in `year`; 29 February falls on 28 February in other years.

    Raises:
        ValueError: for a month and day that no year has, such as 30 February.
    """
    if month == 2 and day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, month, day)


def birthdays_due(
    customers: Iterable[Customer], *, rep_date: date, rep_zone: str, now: datetime
) -> list[BirthdayItem]:
    """Return the birthdays whose buyer business-hours window starts on the rep-local `rep_date`.

    Contacts without a birth month and day are skipped, and a year of birth is not needed.
    Items are ordered by window start, then customer and contact name.

    Raises:
        ValueError: for a naive `now`.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"birthdays_due needs an aware datetime, got {now!r}")
    items = []
    for customer in customers:
        try:
            buyer_dates = _buyer_dates_starting_on(rep_date, buyer_zone=customer.zone, rep_zone=rep_zone)
        except ZoneInfoNotFoundError:
            logger.warning("unknown buyer zone, birthdays skipped customer_id=%s zone=%r", customer.id, customer.zone)
            continue
        for contact in customer.contacts:
            birthday = _birthday_on(contact, buyer_dates, customer_id=customer.id)
            if birthday is None:
                continue
            window = send_window(birthday, buyer_zone=customer.zone)
            items.append(
                BirthdayItem(
                    customer_id=customer.id,
                    customer_name=customer.name,
                    country=customer.country,
                    contact_id=contact.id,
                    contact_name=contact.name,
                    birthday=birthday,
                    window=window,
                    late=window.buyer_end <= now,
                )
            )
    items.sort(key=lambda item: (item.window.start_utc, item.customer_name.casefold(), item.contact_name.casefold()))
    return items


def _birthday_on(contact: Contact, buyer_dates: tuple[date, ...], *, customer_id: int) -> date | None:
    """Return the buyer date among `buyer_dates` that is the contact's birthday, if any."""
    if contact.birth_month is None or contact.birth_day is None:
        return None
    for buyer_date in buyer_dates:
        try:
            birthday = birthday_in_year(contact.birth_month, contact.birth_day, buyer_date.year)
        except ValueError:
            logger.warning("invalid stored birthday skipped customer_id=%s contact_id=%s", customer_id, contact.id)
            return None
        if birthday == buyer_date:
            return birthday
    return None


@lru_cache(maxsize=4096)
def _buyer_dates_starting_on(rep_date: date, *, buyer_zone: str, rep_zone: str) -> tuple[date, ...]:
    """Return the buyer-local dates whose business-hours window starts on `rep_date` in the rep's zone.

    Zone offsets differ by at most 26 hours, so only the day before, the day itself and the
    day after can qualify. A date line change such as Samoa's in 2011 can give two or none.
    """
    found = []
    for offset in (-1, 0, 1):
        buyer_date = rep_date + timedelta(days=offset)
        window = send_window(buyer_date, buyer_zone=buyer_zone)
        if local_date(window.buyer_start, rep_zone) == rep_date:
            found.append(buyer_date)
    return tuple(found)


# --- Rendering --------------------------------------------------------------------------


def render_birthdays(items: list[BirthdayItem], *, t: Translator, rep_zone: str, now: datetime) -> list[str]:
    """Render each birthday as a line with the send window, and a line with the English draft."""
    lines = []
    for item in items:
        line = t.gettext(
            "🎂 %(contact)s (%(customer)s, %(country)s): %(window)s",
            contact=item.contact_name,
            customer=item.customer_name,
            country=country_name(item.country, t),
            window=format_window(item.window, rep_zone=rep_zone, now=now, t=t),
        )
        if item.late:
            line += t.gettext("; ") + t.gettext("the window has passed, send as soon as possible")
        lines.append(line)
        lines.append("   " + item.draft)
    return lines
