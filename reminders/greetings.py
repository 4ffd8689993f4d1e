"""Holiday greetings: which buyers to greet, when to notify the rep, and the digest lines.

A greeting should arrive before the buyer's office closes for the holiday, so the rep is notified
`lead_workdays` buyer workdays before it and should send by the last buyer workday before it.
Both are buyer-local dates, counted on the buyer country's weekends and public holidays.

Customers are grouped by (country, subdivision) first, and holiday dates and workdays are
cached, so a day's plan for 100,000 customers computes each country's dates once.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from bot.errors import ParseError
from bot.i18n import Translator
from bot.models import Customer
from reminders.calendar import MAX_DAYS_OFF, is_buyer_workday, normalize_subdivision
from reminders.formatting import babel_locale, country_name, format_day
from reminders.holiday_dates import HolidayOccurrence, days_off, holiday_occurrences, names_on
from reminders.holiday_table import GreetingHoliday
from reminders.zones import normalize_country

logger = logging.getLogger(__name__)

DEFAULT_LEAD_WORKDAYS = 2
# A group line shows this many customer names, then a count of the rest.
MAX_NAMES_SHOWN = 10
WORKDAY_CACHE_SIZE = 65536
# A run of days off that starts inside the listed window is followed this far beyond it, so
# that a digest shows where a long holiday really ends.
MAX_SPAN_DAYS = 21


@dataclass(frozen=True)
class GreetingGroup:
    """The rep's customers of one country to greet for one holiday, notified on the same day."""

    holiday: GreetingHoliday
    country: str
    day: date
    """The holiday's buyer-local date."""
    estimated: bool
    notify_on: date
    """The buyer-local date on which the rep is notified."""
    send_by: date
    """The last buyer workday before the holiday."""
    customers: tuple[Customer, ...]
    """Sorted by name."""


@dataclass(frozen=True)
class UpcomingHoliday:
    """A buyer holiday of the coming days, with how many of the customers it touches."""

    country: str
    day: date
    """The holiday's date, or for a holiday that is only a day off, its first day in the window."""
    name: str
    """The table's English name (a message id) when greeting-worthy, else the package's English name."""
    holiday: GreetingHoliday | None
    """The table entry when the holiday is greeting-worthy."""
    estimated: bool
    days_off: tuple[date, ...]
    """Public holiday dates of this holiday inside the window; empty when it is no day off."""
    customer_count: int

    @property
    def greeting_worthy(self) -> bool:
        return self.holiday is not None


# --- Dates ------------------------------------------------------------------------------


def notify_date(
    day: date, *, country: str, subdivision: str | None = None, lead_workdays: int = DEFAULT_LEAD_WORKDAYS
) -> date:
    """Return the buyer-local date to notify the rep on: `lead_workdays` workdays before `day`.

    Raises:
        ValueError: when `lead_workdays` is less than 1.
        ParseError: for an unknown country or subdivision.
    """
    if lead_workdays < 1:
        raise ValueError(f"lead_workdays must be at least 1, got {lead_workdays}")
    return _workday_before(day, normalize_country(country), subdivision, lead_workdays)


def send_by_date(day: date, *, country: str, subdivision: str | None = None) -> date:
    """Return the last buyer workday before `day`, when a greeting should be sent at the latest."""
    return _workday_before(day, normalize_country(country), subdivision, 1)


@lru_cache(maxsize=WORKDAY_CACHE_SIZE)
def _workday_before(day: date, country: str, subdivision: str | None, count: int) -> date:
    """Return the `count`-th buyer workday before `day`, counting back."""
    candidate = day
    for _ in range(count * MAX_DAYS_OFF):
        candidate -= timedelta(days=1)
        if is_buyer_workday(candidate, country=country, subdivision=subdivision):
            count -= 1
            if count == 0:
                return candidate
    raise RuntimeError(
        f"no workday for country={country} subdivision={subdivision} within "
        f"{MAX_DAYS_OFF} days before {day.isoformat()}; check the holidays package data"
    )


# --- Due greetings ----------------------------------------------------------------------


def greetings_due(
    customers: Iterable[Customer],
    *,
    rep_date: date,
    lead_workdays: int = DEFAULT_LEAD_WORKDAYS,
    notify_from: date | None = None,
) -> list[GreetingGroup]:
    """Group the customers to greet by holiday, for the holidays whose notify date is `rep_date`.

    `notify_from` widens the notify dates to `notify_from`..`rep_date`, for a digest that
    catches up on days when none was sent; holidays already past `rep_date` stay out. Groups
    are ordered by holiday date, country and holiday.

    Raises:
        ValueError: when `lead_workdays` is less than 1.
    """
    if lead_workdays < 1:
        raise ValueError(f"lead_workdays must be at least 1, got {lead_workdays}")
    first_notify = notify_from if notify_from is not None else rep_date
    # A holiday whose notify date is rep_date lies at most lead_workdays workdays ahead, each
    # after at most MAX_DAYS_OFF days off.
    last_day = rep_date + timedelta(days=lead_workdays * (MAX_DAYS_OFF + 1))

    # Customers of one country share a group unless their subdivisions' holidays give them
    # another send-by date.
    collected: dict[tuple[str, str, date, date], list[Customer]] = defaultdict(list)
    occurrences: dict[tuple[str, str, date, date], HolidayOccurrence] = {}
    notify_dates: dict[tuple[str, str, date, date], date] = {}
    for (country, subdivision), members in _group_by_place(customers).items():
        for occurrence in holiday_occurrences(country, start=rep_date, end=last_day):
            notify_on = _workday_before(occurrence.day, country, subdivision, lead_workdays)
            if not first_notify <= notify_on <= rep_date:
                continue
            send_by = _workday_before(occurrence.day, country, subdivision, 1)
            key = (occurrence.holiday.key, country, occurrence.day, send_by)
            collected[key].extend(members)
            occurrences[key] = occurrence
            notify_dates[key] = min(notify_on, notify_dates.get(key, notify_on))

    groups = []
    for key, members in collected.items():
        occurrence = occurrences[key]
        groups.append(
            GreetingGroup(
                holiday=occurrence.holiday,
                country=occurrence.country,
                day=occurrence.day,
                estimated=occurrence.estimated,
                notify_on=notify_dates[key],
                send_by=key[3],
                customers=tuple(sorted(members, key=_name_order)),
            )
        )
    groups.sort(key=lambda group: (group.day, group.country, group.holiday.key))
    logger.debug("greetings due rep_date=%s groups=%d", rep_date, len(groups))
    return groups


def upcoming_holidays(
    customers: Iterable[Customer], *, start: date, days: int = 7
) -> list[UpcomingHoliday]:
    """List the buyer holidays from `start` for `days` days, with the customers each touches.

    A greeting-worthy holiday counts every customer of its country. A holiday that is only a
    day off counts the customers whose calendar (country and subdivision) has it. Days off that
    belong to a greeting-worthy holiday, such as the second day of Eid, are shown with it, and
    another holiday on one of those days is not listed apart.
    """
    end = start + timedelta(days=days - 1)
    span_end = end + timedelta(days=MAX_SPAN_DAYS)
    greetings: dict[tuple[str, str, date], _Tally] = {}
    others: dict[tuple[str, str, date], _Tally] = {}
    for (country, subdivision), members in _group_by_place(customers).items():
        claimed: set[date] = set()
        for occurrence in holiday_occurrences(country, start=start, end=end):
            dates_off = _dates_off_of(occurrence, subdivision=subdivision, start=start, end=span_end)
            claimed.update(dates_off)
            tally = greetings.setdefault(
                (occurrence.holiday.key, country, occurrence.day),
                _Tally(name=occurrence.holiday.name, holiday=occurrence.holiday, day=occurrence.day),
            )
            tally.add(len(members), dates_off, estimated=occurrence.estimated)
        for run in _day_off_runs(country, subdivision=subdivision, start=start, end=span_end, skip=claimed):
            if run.days[0] > end:
                continue
            tally = others.setdefault(
                (run.name, country, run.days[0]), _Tally(name=run.name, holiday=None, day=run.days[0])
            )
            tally.add(len(members), run.days, estimated=run.estimated)

    items = [tally.item(country) for (_, country, _), tally in greetings.items()]
    items += [tally.item(country) for (_, country, _), tally in others.items()]
    items.sort(key=lambda item: (item.day, not item.greeting_worthy, item.country, item.name))
    return items


class _Tally:
    """Counts of one upcoming holiday, summed over the customers' subdivisions."""

    def __init__(self, *, name: str, holiday: GreetingHoliday | None, day: date) -> None:
        self.name = name
        self.holiday = holiday
        self.day = day
        self.estimated = False
        self.count = 0
        self.days_off: set[date] = set()

    def add(self, count: int, days_off: Iterable[date], *, estimated: bool) -> None:
        self.count += count
        self.days_off.update(days_off)
        self.estimated = self.estimated or estimated

    def item(self, country: str) -> UpcomingHoliday:
        return UpcomingHoliday(
            country=country,
            day=self.day,
            name=self.name,
            holiday=self.holiday,
            estimated=self.estimated,
            days_off=tuple(sorted(self.days_off)),
            customer_count=self.count,
        )


def _dates_off_of(
    occurrence: HolidayOccurrence, *, subdivision: str | None, start: date, end: date
) -> list[date]:
    """Return the public holidays next to a greeting holiday that carry its name, inside the window.

    "Eid al-Fitr" also covers "Eid al-Fitr Holiday" and "Eid al-Fitr (Second Day)". The search
    goes on across weekends and other holidays and stops at the first buyer workday, so that a
    day off in lieu after a weekend (Thailand's "National Day (in lieu)") is found too.
    """
    country = occurrence.country
    names = occurrence.holiday.dates[country].names
    found = []
    for step in (-1, 1):
        day = occurrence.day if step == 1 else occurrence.day - timedelta(days=1)
        while start <= day <= end and not is_buyer_workday(day, country=country, subdivision=subdivision):
            day_names = names_on(country, day, subdivision=subdivision)
            if any(wanted in name.base for name in day_names for wanted in names):
                found.append(day)
            day += timedelta(days=step)
    return sorted(found)


@dataclass
class _DayOffRun:
    name: str
    days: list[date]
    estimated: bool


def _day_off_runs(
    country: str, *, subdivision: str | None, start: date, end: date, skip: set[date]
) -> list[_DayOffRun]:
    """Return the runs of consecutive days off with the same names in the window, outside `skip`."""
    runs: list[_DayOffRun] = []
    open_runs: dict[str, _DayOffRun] = {}
    for day_off in days_off(country, start=start, end=end, subdivision=subdivision):
        if day_off.day in skip:
            continue
        # Names of one day are joined as the package joins them, because they are often
        # one observance under several names (Thailand's 5 December).
        name = "; ".join(part.text for part in day_off.names)
        estimated = any(part.estimated for part in day_off.names)
        run = open_runs.get(name)
        if run is not None and (day_off.day - run.days[-1]).days == 1:
            run.days.append(day_off.day)
            run.estimated = run.estimated or estimated
            continue
        run = _DayOffRun(name=name, days=[day_off.day], estimated=estimated)
        open_runs[name] = run
        runs.append(run)
    return runs


def _group_by_place(customers: Iterable[Customer]) -> dict[tuple[str, str | None], list[Customer]]:
    """Group customers by (country code, subdivision), leaving out those of an unknown country."""
    places: dict[tuple[str, str | None], list[Customer]] = defaultdict(list)
    for customer in customers:
        places[(customer.country, customer.subdivision or None)].append(customer)

    checked: dict[tuple[str, str | None], list[Customer]] = defaultdict(list)
    for (country, subdivision), members in places.items():
        try:
            code = normalize_country(country)
        except ParseError:
            logger.warning(
                "customers of an unknown country left out of greetings country=%r customer_ids=%s",
                country, [member.id for member in members[:5]],
            )
            continue
        try:
            subdivision = normalize_subdivision(code, subdivision)
        except ParseError:
            logger.warning(
                "unknown subdivision, using the country calendar country=%s subdivision=%r customer_ids=%s",
                code, subdivision, [member.id for member in members[:5]],
            )
            subdivision = None
        checked[(code, subdivision)].extend(members)
    return checked


def _name_order(customer: Customer) -> tuple[str, int]:
    return customer.name.casefold(), customer.id


# --- Rendering --------------------------------------------------------------------------


def render_greeting_groups(groups: list[GreetingGroup], *, t: Translator, rep_today: date) -> list[str]:
    """Render the greeting groups as digest lines: the holiday, the customers, the English draft."""
    lines = []
    for group in groups:
        count = len(group.customers)
        lines.append(
            t.gettext(
                "🎁 %(holiday)s (%(country)s), %(day)s%(estimated)s: %(customers)s, send by %(send_by)s",
                holiday=t.gettext(group.holiday.name),
                country=country_name(group.country, t),
                day=format_day(group.day, relative_to=rep_today, t=t),
                estimated=_estimated_mark(group.estimated, t),
                customers=t.ngettext("%(count)s customer", "%(count)s customers", count),
                send_by=format_day(group.send_by, relative_to=rep_today, t=t),
            )
        )
        # Translators: separates customer names in a list.
        names_line = t.gettext(", ").join(customer.name for customer in group.customers[:MAX_NAMES_SHOWN])
        if count > MAX_NAMES_SHOWN:
            rest = count - MAX_NAMES_SHOWN
            names_line = t.ngettext("%(names)s and %(count)s more", "%(names)s and %(count)s more", rest, names=names_line)
        lines.append("   " + names_line)
        lines.append("   " + t.gettext("Greeting to copy (English):"))
        lines.append(group.holiday.draft)
    return lines


def holiday_display_name(item: UpcomingHoliday, t: Translator) -> str:
    """Name a holiday in the reader's language; a day off without a greeting may only have an English name."""
    if item.greeting_worthy:
        return t.gettext(item.name)
    if babel_locale(t) == "en":
        return item.name
    # The holidays package names most holidays in English only.
    return t.gettext("public holiday")


def render_upcoming_holidays(items: list[UpcomingHoliday], *, t: Translator, today: date) -> list[str]:
    """Render upcoming buyer holidays for a team digest, one line each, with days named from `today`."""
    lines = []
    for item in items:
        name = holiday_display_name(item, t)
        line = t.gettext(
            "%(holiday)s (%(country)s), %(day)s%(estimated)s: %(customers)s",
            holiday=name,
            country=country_name(item.country, t),
            day=format_day(item.day, relative_to=today, t=t),
            estimated=_estimated_mark(item.estimated, t),
            customers=t.ngettext("%(count)s customer", "%(count)s customers", item.customer_count),
        )
        if item.days_off == (item.day,):
            line += t.gettext("; ") + t.gettext("day off")
        elif item.days_off:
            line += t.gettext("; ") + t.ngettext(
                "day off %(days)s", "days off %(days)s", len(item.days_off), days=_days_text(item.days_off, t, today)
            )
        lines.append(("🎁 " if item.greeting_worthy else "📅 ") + line)
    return lines


def _estimated_mark(estimated: bool, t: Translator) -> str:
    # Translators: follows a holiday's date that the holidays package marks as estimated.
    return t.gettext(" (estimated)") if estimated else ""


def _days_text(days: tuple[date, ...], t: Translator, today: date) -> str:
    first = format_day(days[0], relative_to=today, t=t)
    if len(days) == 1:
        return first
    return f"{first}–{format_day(days[-1], relative_to=today, t=t)}"
