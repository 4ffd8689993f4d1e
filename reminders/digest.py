"""The rep's follow-up list, shared by /today and the morning digest."""

from __future__ import annotations

from datetime import date, datetime

from bot.i18n import Translator
from bot.transports.base import Button, Reply
from reminders.formatting import format_money, format_weekday_date, format_window
from reminders.planner import FollowUp

# Buttons are offered under the first items only, so a long list stays usable on a phone.
MAX_ITEMS_WITH_BUTTONS = 8
# The draft buttons (/draft #id) share one row under the list, so only the first items get one.
MAX_ITEMS_WITH_DRAFT_BUTTONS = 4
# A list longer than this shows its top items and a count of the rest.
MAX_ITEMS_SHOWN = 30


def format_reason(item: FollowUp, t: Translator, *, carried_after: date | None = None) -> str:
    """Say why the item sits where it does: expected return, tier, days overdue.

    An item that fell due after `carried_after`, the rep's last workday, but before today
    fell on the rep's day off: it is marked carried over rather than overdue.
    """
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
    if item.days_overdue > 0 and carried_after is not None and item.due_date > carried_after:
        parts.append(
            t.gettext(
                "carried over from your day off, %(day)s",
                day=format_weekday_date(item.due_date, t),
            )
        )
    elif item.days_overdue > 0:
        parts.append(t.ngettext("%(count)s day overdue", "%(count)s days overdue", item.days_overdue))
    else:
        parts.append(t.gettext("due today"))
    return t.gettext("; ").join(parts)


def render_followups(
    items: list[FollowUp],
    *,
    t: Translator,
    rep_zone: str,
    now: datetime,
    header: str,
    carried_after: date | None = None,
) -> Reply:
    """Render a numbered follow-up list with done/snooze buttons and a row of draft buttons under the first items."""
    lines = [header]
    for number, item in enumerate(items[:MAX_ITEMS_SHOWN], start=1):
        lines.append(f"{number}. {item.name} ({item.country}) — {format_window(item.window, rep_zone=rep_zone, now=now, t=t)}")
        lines.append("   " + format_reason(item, t, carried_after=carried_after))
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
    drafts = tuple(
        Button(t.gettext("✍️ %(number)s draft", number=number), f"/draft #{item.customer_id}")
        for number, item in enumerate(items[:MAX_ITEMS_WITH_DRAFT_BUTTONS], start=1)
    )
    if drafts:
        buttons.append(drafts)
    return Reply(text="\n".join(lines), buttons=tuple(buttons))
