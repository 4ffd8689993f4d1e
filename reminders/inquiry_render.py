"""Text of inquiries for the rep: deadlines in two clocks, open lists, probe warnings and the nudge.

Shared by the /inquiry and /replied commands and by the dispatcher's nudge and digest.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.i18n import Translator
from bot.models import Inquiry
from bot.services.inquiries import deadline_of, probe_flags_of
from bot.services.inquiry_channels import CHANNEL_LABELS
from bot.services.probe import COUNTRY_PARAMS, ProbeFlag
from bot.transports.base import Button, Reply
from reminders.deadlines import ReplyDeadline
from reminders.formatting import babel_locale, country_name, format_day

# An inquiry without a product is named by the start of its text, cut to this many characters.
TEXT_EXCERPT_CHARS = 40
# /replied #CUSTOMER !INQUIRY closes exactly that inquiry. Buttons send it, and help leaves
# it out, because reps name the customer and /replied picks the earliest deadline.
INQUIRY_REFERENCE_PREFIX = "!"
# Buttons are offered under the first items of a list only, so it stays usable on a phone.
MAX_ITEMS_WITH_BUTTONS = 8


def format_duration(delta: timedelta, *, t: Translator) -> str:
    """Show a duration to the minute, e.g. 2 h 5 min, 45 min, 1 d 3 h; a negative one as positive."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return t.gettext("%(days)s d %(hours)s h", days=days, hours=hours)
    if hours and not minutes:
        return t.gettext("%(hours)s h", hours=hours)
    if hours:
        return t.gettext("%(hours)s h %(minutes)s min", hours=hours, minutes=minutes)
    return t.gettext("%(minutes)s min", minutes=minutes)


def format_instant(instant: datetime, *, zone: str, now: datetime, t: Translator) -> str:
    """Show an instant on a wall clock with its day named from that clock's today: 今天 15:00."""
    local = instant.astimezone(ZoneInfo(zone))
    today = now.astimezone(ZoneInfo(zone)).date()
    return f"{format_day(local.date(), relative_to=today, t=t)} {local:%H:%M}"


def format_deadline(deadline: ReplyDeadline, *, country: str, t: Translator, rep_zone: str, now: datetime) -> str:
    """Show a deadline in the rep's time with the buyer's beside it: 今天 15:00（买家当地 08:00，德国）.

    The buyer's weekday is added when the buyer's date differs from the rep's.
    """
    rep_local, buyer_local = deadline.clocks(rep_zone)
    buyer_time = f"{buyer_local:%H:%M}"
    if buyer_local.date() != rep_local.date():
        buyer_time = format_date(buyer_local.date(), format="EEE", locale=babel_locale(t)) + " " + buyer_time
    return t.gettext(
        "%(when)s (buyer's local %(buyer_time)s, %(country)s)",
        when=format_instant(deadline.deadline, zone=rep_zone, now=now, t=t),
        buyer_time=buyer_time,
        country=country_name(country, t),
    )


def describe_probe_flag(flag: ProbeFlag, *, t: Translator) -> str:
    """Render one price-probe reason in the reader's language, with country names."""
    params = {key: country_name(value, t) if key in COUNTRY_PARAMS else value for key, value in flag.params.items()}
    return t.gettext(flag.message, **params)


def render_probe_flags(inquiry: Inquiry, *, t: Translator) -> list[str]:
    """Return the price-probe check lines: a heading and one warning per reason, or a clean result."""
    flags = probe_flags_of(inquiry)
    if not flags:
        return [t.gettext("Price-probe check: nothing suspicious.")]
    lines = [t.gettext("Price-probe check: be careful before sending prices.")]
    lines += ["⚠ " + describe_probe_flag(flag, t=t) for flag in flags]
    return lines


def excerpt(text: str, *, limit: int = TEXT_EXCERPT_CHARS) -> str:
    """Return the start of a text on one line, quoted, cut at a word boundary with … when longer than `limit`."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        cut = flat[:limit]
        # Cut Latin text between words. Chinese text has no spaces and is cut anywhere, and so
        # is text whose last space would drop more than half of the excerpt.
        before_space = cut.rsplit(" ", 1)[0]
        if flat[limit] != " " and len(before_space) >= limit // 2:
            cut = before_space
        flat = cut.rstrip(" ,;:") + "…"
    return f"“{flat}”"


def describe_request(inquiry: Inquiry, *, t: Translator) -> str:
    """Say what the buyer asked for and where: CTCP plate, 5000 sqm (Alibaba); empty when nothing is known.

    Without a product, the start of the inquiry's text takes its place.
    """
    subject = inquiry.product or (excerpt(inquiry.text) if inquiry.text else "")
    if subject and inquiry.quantity:
        text = t.gettext("%(product)s, %(quantity)s", product=subject, quantity=inquiry.quantity)
    else:
        text = subject or inquiry.quantity or ""
    if inquiry.channel:
        channel = t.gettext(CHANNEL_LABELS.get(inquiry.channel, CHANNEL_LABELS["other"]))
        text = t.gettext("%(request)s (%(channel)s)", request=text, channel=channel) if text else channel
    return text


def describe_inquiry(inquiry: Inquiry, *, t: Translator) -> str:
    """Name the buyer and the request: Sharma Print House: CTCP plate, 5000 sqm (Alibaba)."""
    request = describe_request(inquiry, t=t)
    if not request:
        return inquiry.customer.name
    return t.gettext("%(customer)s: %(request)s", customer=inquiry.customer.name, request=request)


def render_inquiry_line(inquiry: Inquiry, *, t: Translator, rep_zone: str, now: datetime) -> str:
    """Render one open inquiry with its deadline; an overdue one leads with a warning and how late it is."""
    deadline = deadline_of(inquiry)
    deadline_text = format_deadline(deadline, country=inquiry.customer.country, t=t, rep_zone=rep_zone, now=now)
    if deadline.deadline <= now:
        status = t.gettext(
            "⚠️ overdue by %(duration)s, was due %(deadline)s",
            duration=format_duration(deadline.lateness(now), t=t),
            deadline=deadline_text,
        )
    else:
        status = t.gettext("reply by %(deadline)s", deadline=deadline_text)
    line = f"{describe_inquiry(inquiry, t=t)} — {status}"
    flag_count = len(inquiry.probe_flags or [])
    if flag_count:
        line += " " + t.ngettext(
            "(%(count)s price-probe warning)", "(%(count)s price-probe warnings)", flag_count
        )
    return line


def render_open_inquiries(
    inquiries: list[Inquiry], *, t: Translator, rep_zone: str, now: datetime, numbered: bool = False
) -> list[str]:
    """Render one line per inquiry, in the given order; list_open puts overdue ones first.

    Numbered lines (1., 2.) go with the buttons of replied_buttons(); other lists get bullets.
    """
    lines = []
    for number, inquiry in enumerate(inquiries, start=1):
        marker = f"{number}." if numbered else "•"
        lines.append(f"{marker} {render_inquiry_line(inquiry, t=t, rep_zone=rep_zone, now=now)}")
    return lines


def replied_command(inquiry: Inquiry) -> str:
    """Return the command that closes exactly this inquiry: /replied #12 !34, well under Telegram's 64 bytes."""
    return f"/replied #{inquiry.customer_id} {INQUIRY_REFERENCE_PREFIX}{inquiry.id}"


def replied_button(inquiry: Inquiry, *, t: Translator) -> Button:
    return Button(t.gettext("✅ Replied"), replied_command(inquiry))


def replied_buttons(inquiries: list[Inquiry], *, t: Translator) -> tuple[tuple[Button, ...], ...]:
    """Return a row with a replied button for each of the first inquiries of a numbered list."""
    return tuple(
        (Button(t.gettext("✅ %(number)s replied", number=number), replied_command(inquiry)),)
        for number, inquiry in enumerate(inquiries[:MAX_ITEMS_WITH_BUTTONS], start=1)
    )


def _received_line(inquiry: Inquiry, *, t: Translator, rep_zone: str, now: datetime) -> str:
    received = format_instant(inquiry.received_at, zone=rep_zone, now=now, t=t)
    request = describe_request(inquiry, t=t)
    if request:
        return t.gettext("Inquiry: %(request)s, received %(received)s.", request=request, received=received)
    return t.gettext("Inquiry received %(received)s.", received=received)


def render_nudge(inquiry: Inquiry, *, t: Translator, rep_zone: str, now: datetime) -> Reply:
    """Render the warning sent about an hour before the reply deadline, with a button to mark it replied."""
    deadline = deadline_of(inquiry)
    lines = [
        t.gettext(
            "⏰ Reply to %(name)s within %(left)s: the deadline is %(deadline)s.",
            name=inquiry.customer.name,
            left=format_duration(deadline.deadline - now, t=t),
            deadline=format_deadline(deadline, country=inquiry.customer.country, t=t, rep_zone=rep_zone, now=now),
        ),
        _received_line(inquiry, t=t, rep_zone=rep_zone, now=now),
    ]
    if inquiry.probe_flags:
        lines += render_probe_flags(inquiry, t=t)
    lines.append(t.gettext("When you have replied, send /replied %(name)s.", name=inquiry.customer.name))
    return Reply(text="\n".join(lines), buttons=((replied_button(inquiry, t=t),),))
