"""The rep's follow-up list, shared by /today and the morning digest."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_currency

from bot.i18n import Translator
from bot.transports.base import Button, Reply
from reminders.planner import FollowUp

# Buttons are offered under the first items only, so a long list stays usable on a phone.
MAX_ITEMS_WITH_BUTTONS = 8
# A list longer than this shows its top items and a count of the rest.
MAX_ITEMS_SHOWN = 30


def _babel_locale(t: Translator) -> str:
    return "zh_CN" if t.locale == "zh_CN" else "en"


def format_day(day: date, *, relative_to: date, t: Translator) -> str:
    """Name a day the way a rep reads it: today, tomorrow, or weekday and date."""
    if day == relative_to:
        return t.gettext("today")
    if (day - relative_to).days == 1:
        return t.gettext("tomorrow")
    return format_date(day, format="EEE M/d", locale=_babel_locale(t))


def format_window(item: FollowUp, *, rep_zone: str, now: datetime, t: Translator) -> str:
    """Show the send window in the rep's zone, with the buyer's local hours beside it."""
    rep_tz = ZoneInfo(rep_zone)
    start = item.window.buyer_start.astimezone(rep_tz)
    end = item.window.buyer_end.astimezone(rep_tz)
    rep_today = now.astimezone(rep_tz).date()
    end_text = end.strftime("%H:%M")
    if end.date() != start.date():
        end_text = t.gettext("next day %(time)s", time=end_text)
    return t.gettext(
        "send %(day)s %(start)s–%(end)s your time (buyer %(buyer_start)s–%(buyer_end)s)",
        day=format_day(start.date(), relative_to=rep_today, t=t),
        start=start.strftime("%H:%M"),
        end=end_text,
        buyer_start=item.window.buyer_start.strftime("%H:%M"),
        buyer_end=item.window.buyer_end.strftime("%H:%M"),
    )


def format_money(amount: Decimal, currency: str, t: Translator) -> str:
    return format_currency(amount, currency, locale=_babel_locale(t))


def format_reason(item: FollowUp, t: Translator) -> str:
    """Say why the item sits where it does: expected return, tier, days overdue."""
    parts = []
    for expected in item.returns:
        parts.append(
            t.gettext(
                "expected %(weighted)s (%(percent)s%% of %(value)s)",
                weighted=format_money(expected.weighted, expected.currency, t),
                percent=int(expected.probability * 100),
                value=format_money(expected.value, expected.currency, t),
            )
        )
    parts.append(t.gettext("tier %(tier)s", tier=item.tier))
    if item.is_checkin:
        parts.append(t.gettext("monthly check-in of a buyer"))
    if item.days_overdue > 0:
        parts.append(t.ngettext("%(count)s day overdue", "%(count)s days overdue", item.days_overdue))
    else:
        parts.append(t.gettext("due today"))
    return t.gettext("; ").join(parts)


def render_followups(
    items: list[FollowUp], *, t: Translator, rep_zone: str, now: datetime, header: str
) -> Reply:
    """Render a numbered follow-up list with done/snooze buttons under the first items."""
    lines = [header]
    for number, item in enumerate(items[:MAX_ITEMS_SHOWN], start=1):
        lines.append(f"{number}. {item.name} ({item.country}) — {format_window(item, rep_zone=rep_zone, now=now, t=t)}")
        lines.append("   " + format_reason(item, t))
    if len(items) > MAX_ITEMS_SHOWN:
        lines.append(t.gettext("…and %(count)s more, lower in priority.", count=len(items) - MAX_ITEMS_SHOWN))
    buttons = []
    for number, item in enumerate(items[:MAX_ITEMS_WITH_BUTTONS], start=1):
        buttons.append(
            (
                Button(t.gettext("✅ %(number)s done", number=number), f"/done #{item.customer_id}"),
                Button(t.gettext("+1 day"), f"/snooze #{item.customer_id} 1d"),
                Button(t.gettext("+3 days"), f"/snooze #{item.customer_id} 3d"),
                Button(t.gettext("next week"), f"/snooze #{item.customer_id} next week"),
            )
        )
    return Reply(text="\n".join(lines), buttons=tuple(buttons))
