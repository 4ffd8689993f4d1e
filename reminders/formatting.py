"""Dates, send windows, countries and money as a rep reads them, in the rep's language.

Shared by the follow-up list, birthdays, holiday greetings and inquiries.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency

from bot.i18n import Translator
from reminders.calendar import SendWindow


def babel_locale(t: Translator) -> str:
    """Return the Babel locale of the translator's language: zh_CN or en."""
    return "zh_CN" if t.locale == "zh_CN" else "en"


def country_name(code: str, t: Translator) -> str:
    """Name a country in the reader's language from Babel's CLDR data: IN -> 印度 or India."""
    territories = Locale.parse(babel_locale(t)).territories
    return str(territories.get(code.upper(), code.upper()))


def format_weekday_date(day: date, t: Translator) -> str:
    """Show a date as weekday and month/day: 周五 10/29 or Fri 10/29."""
    return format_date(day, format="EEE M/d", locale=babel_locale(t))


def format_day(day: date, *, relative_to: date, t: Translator) -> str:
    """Name a day the way a rep reads it: today, tomorrow, yesterday, or weekday and date."""
    offset = (day - relative_to).days
    if offset == 0:
        return t.gettext("today")
    if offset == 1:
        return t.gettext("tomorrow")
    if offset == -1:
        return t.gettext("yesterday")
    return format_weekday_date(day, t)


def format_window(window: SendWindow, *, rep_zone: str, now: datetime, t: Translator) -> str:
    """Show the send window in the rep's zone, with the buyer's local hours beside it."""
    rep_tz = ZoneInfo(rep_zone)
    start = window.buyer_start.astimezone(rep_tz)
    end = window.buyer_end.astimezone(rep_tz)
    rep_today = now.astimezone(rep_tz).date()
    end_text = end.strftime("%H:%M")
    if end.date() != start.date():
        end_text = t.gettext("next day %(time)s", time=end_text)
    return t.gettext(
        "send %(day)s %(start)s–%(end)s your time (buyer %(buyer_start)s–%(buyer_end)s)",
        day=format_day(start.date(), relative_to=rep_today, t=t),
        start=start.strftime("%H:%M"),
        end=end_text,
        buyer_start=window.buyer_start.strftime("%H:%M"),
        buyer_end=window.buyer_end.strftime("%H:%M"),
    )


def format_money(amount: Decimal, currency: str, t: Translator) -> str:
    return format_currency(amount, currency, locale=babel_locale(t))
