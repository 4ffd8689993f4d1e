"""Inquiry commands: /inquiry registers one or lists the open ones, /replied closes one."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.errors import ParseError, UserError
from bot.i18n import N_, Translator
from bot.models import Customer, Inquiry
from bot.services import customers as customer_service
from bot.services import inquiries as inquiry_service
from bot.services.customers import AmbiguousName
from bot.services.inquiries import InquiryDraft, deadline_of, nudge_time
from bot.services.inquiry_channels import CHANNEL_ALIASES, CHANNEL_LABELS
from bot.transports.base import Reply
from handlers.context import HandlerContext, member_zone, next_followup_date
from handlers.customers import ambiguous_choice, find_customer_prefix
from handlers.deals import fields_text
from handlers.limits import check_lengths
from handlers.parsing import accepted_keys, parse_email, parse_fields, parse_phone
from handlers.parsing_text import fold_key, normalize_text
from handlers.parsing_times import parse_received
from reminders.inquiry_render import (
    INQUIRY_REFERENCE_PREFIX,
    describe_inquiry,
    describe_request,
    format_deadline,
    format_duration,
    format_instant,
    render_open_inquiries,
    render_probe_flags,
    replied_button,
    replied_buttons,
)

INQUIRY_FIELDS = frozenset({"product", "qty", "channel", "email", "phone", "received", "text"})
QUANTITY_LIMIT = int(Inquiry.quantity.property.columns[0].type.length)

CHANNEL_NOT_RECOGNISED = N_("Channel '%(value)s' is not recognised. Write one of: %(accepted)s.")
FIELD_TOO_LONG = N_("The field %(field)s is too long (%(length)s characters). Use at most %(limit)s.")
# Translated, so that English replies show the English field keys.
INQUIRY_EXAMPLE = N_("/inquiry Sharma 产品: CTCP plate 数量: 5000 sqm 渠道: alibaba")
# "!34" after the customer in /replied #12 !34: the id of the inquiry to close.
_INQUIRY_REFERENCE = re.compile(re.escape(INQUIRY_REFERENCE_PREFIX) + r"(?P<id>[0-9]{1,19})(?:\s+|$)")


def parse_channel(text: str, *, t: Translator) -> str:
    """Return the channel code for a word such as Alibaba, 阿里, 邮件, WhatsApp or 展会.

    Raises:
        ParseError: for a word that names no channel; the message lists the channel labels
            in the reader's language, each of which is accepted.
    """
    key = fold_key(text)
    for code, aliases in CHANNEL_ALIASES.items():
        if key in aliases:
            return code
    accepted = t.gettext(", ").join(t.gettext(label) for label in CHANNEL_LABELS.values())
    raise ParseError(CHANNEL_NOT_RECOGNISED, value=normalize_text(text), accepted=accepted)


def _check_quantity_length(fields: dict[str, str]) -> None:
    quantity = fields.get("qty", "").strip()
    if len(quantity) > QUANTITY_LIMIT:
        raise UserError(FIELD_TOO_LONG, field=accepted_keys(frozenset({"qty"})), length=len(quantity), limit=QUANTITY_LIMIT)


async def _resolve_customer(context: HandlerContext, leading: str, *, tail: str) -> tuple[Customer, str]:
    """Split 'NAME [text]' before the fields. An ambiguous name raises a question whose answer re-runs with `tail`."""
    try:
        return await customer_service.resolve_customer_prefix(
            context.session, actor=context.require_member(), text=leading
        )
    except AmbiguousName as error:
        error.rests = {customer_id: f"{rest} {tail}".strip() for customer_id, rest in error.rests.items()}
        raise ambiguous_choice(error, command="inquiry", rest=tail) from error


def _rerun_fields(fields: dict[str, str], *, received_at: datetime, zone: str) -> str:
    """Write the fields back for a re-run after a choice, with the received time made absolute."""
    local = received_at.astimezone(ZoneInfo(zone))
    return fields_text({**fields, "received": f"{local:%Y-%m-%d %H:%M}"})


async def cmd_inquiry(context: HandlerContext, args: str) -> list[Reply]:
    """Register an inquiry with its reply deadline and price-probe check, or list the open ones."""
    member = context.require_member()
    if not args.strip():
        return await _list_open(context)

    parsed = parse_fields(args, allowed=INQUIRY_FIELDS, free_text_fields=frozenset({"text"}))
    if not parsed.leading:
        raise UserError(N_("Which customer? Write e.g. %(example)s."), example=context.t.gettext(INQUIRY_EXAMPLE))
    fields = dict(parsed.fields)
    check_lengths(fields)
    _check_quantity_length(fields)
    zone = member_zone(context)
    received_at = parse_received(fields["received"], now=context.now, zone=zone) if "received" in fields else context.now
    channel = parse_channel(fields["channel"], t=context.t) if "channel" in fields else None
    email = parse_email(fields["email"]) if "email" in fields else None

    tail = _rerun_fields(fields, received_at=received_at, zone=zone)
    customer, text_after_name = await _resolve_customer(context, parsed.leading, tail=tail)
    if text_after_name and "text" in fields:
        raise UserError(
            N_("Text '%(text)s' after the customer name is not understood, because 内容/text is given too. Put all of it in 内容/text."),
            text=text_after_name[:50],
        )
    phone = parse_phone(fields["phone"], country=customer.country) if "phone" in fields else None
    draft = InquiryDraft(
        received_at=received_at,
        product=fields.get("product"),
        quantity=fields.get("qty"),
        channel=channel,
        text=fields.get("text") or text_after_name or None,
        sender_email=email,
        sender_phone=phone,
    )
    inquiry = await inquiry_service.add_inquiry(
        context.session, actor=member, customer=customer, draft=draft, now=context.now
    )
    return [_render_registered(context, inquiry)]


def _render_registered(context: HandlerContext, inquiry: Inquiry) -> Reply:
    t = context.t
    now = context.now
    zone = member_zone(context)
    deadline = deadline_of(inquiry)
    lines = [
        t.gettext(
            "Inquiry registered: %(inquiry)s, received %(received)s.",
            inquiry=describe_inquiry(inquiry, t=t),
            received=format_instant(inquiry.received_at, zone=zone, now=now, t=t),
        ),
        t.gettext(
            "Reply by: %(deadline)s",
            deadline=format_deadline(deadline, country=inquiry.customer.country, t=t, rep_zone=zone, now=now),
        ),
    ]
    if deadline.in_running_day:
        lines.append(t.gettext("The buyer's working day is running, so reply within 2 hours."))
    nudge_at = nudge_time(deadline.deadline, now=now, rep_zone=zone)
    if deadline.deadline <= now:
        lines.append(
            t.gettext("⚠️ The deadline passed %(duration)s ago. Reply now.", duration=format_duration(now - deadline.deadline, t=t))
        )
    elif nudge_at is not None:
        lines.append(t.gettext("I will remind you %(when)s.", when=format_instant(nudge_at, zone=zone, now=now, t=t)))
    else:
        lines.append(t.gettext("Less than an hour is left, so there will be no reminder."))
    lines += render_probe_flags(inquiry, t=t)
    return Reply(text="\n".join(lines), buttons=((replied_button(inquiry, t=t),),))


async def _list_open(context: HandlerContext) -> list[Reply]:
    member = context.require_member()
    inquiries = await inquiry_service.list_open(context.session, member=member)
    t = context.t
    if not inquiries:
        example = t.gettext(INQUIRY_EXAMPLE)
        return [Reply(text=t.gettext("No open inquiries. Register one with e.g. %(example)s.", example=example))]
    overdue = sum(1 for inquiry in inquiries if inquiry.deadline_at <= context.now)
    if overdue:
        header = t.ngettext(
            "%(count)s open inquiry, %(overdue)s overdue, earliest deadline first:",
            "%(count)s open inquiries, %(overdue)s overdue, earliest deadline first:",
            len(inquiries),
            overdue=overdue,
        )
    else:
        header = t.ngettext(
            "%(count)s open inquiry, earliest deadline first:",
            "%(count)s open inquiries, earliest deadline first:",
            len(inquiries),
        )
    zone = member_zone(context)
    lines = [header, *render_open_inquiries(inquiries, t=t, rep_zone=zone, now=context.now, numbered=True)]
    return [Reply(text="\n".join(lines), buttons=replied_buttons(inquiries, t=t))]


def split_inquiry_reference(rest: str) -> tuple[int | None, str]:
    """Split '!34 text' after the customer into (34, 'text'); text without a reference gives (None, text)."""
    match = _INQUIRY_REFERENCE.match(rest.strip())
    if match is None:
        return None, rest.strip()
    return int(match.group("id")), rest.strip()[match.end() :]


async def cmd_replied(context: HandlerContext, args: str) -> list[Reply]:
    """Mark the customer's open inquiry with the earliest deadline replied, or the one a button names.

    An optional text is kept as the interaction.
    """
    member = context.require_member()
    customer, rest = await find_customer_prefix(context, args, command="replied")
    inquiry_id, text = split_inquiry_reference(rest)
    outcome = await inquiry_service.mark_replied(
        context.session, actor=member, customer=customer, now=context.now, text=text, inquiry_id=inquiry_id
    )
    t = context.t
    if outcome.within_deadline:
        verdict = t.gettext(
            "Replied to %(name)s within the deadline, %(duration)s to spare.",
            name=customer.name,
            duration=format_duration(outcome.lateness, t=t),
        )
    else:
        verdict = t.gettext(
            "Replied to %(name)s %(duration)s after the deadline.",
            name=customer.name,
            duration=format_duration(outcome.lateness, t=t),
        )
    lines = [verdict]
    request = describe_request(outcome.inquiry, t=t)
    if request:
        received = format_instant(outcome.inquiry.received_at, zone=member_zone(context), now=context.now, t=t)
        lines.append(t.gettext("Inquiry closed: %(request)s, received %(received)s.", request=request, received=received))
    if outcome.still_open:
        lines.append(
            t.ngettext(
                "%(count)s more inquiry from %(name)s is open; send /replied %(name)s again when you answer it.",
                "%(count)s more inquiries from %(name)s are open; send /replied %(name)s again for each.",
                outcome.still_open,
                name=customer.name,
            )
        )
    lines.append(t.gettext("Next follow-up: %(date)s.", date=next_followup_date(context, customer).isoformat()))
    return [Reply(text="\n".join(lines))]
