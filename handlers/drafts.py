"""Draft commands: /reply drafts a quotation reply, /draft a follow-up, and the Sent button logs one.

Each draft comes as two messages: a note in the rep's language (what was used, what to
check), then the English draft alone, so that a long press copies it whole. The draft's
Sent button carries the customer (#12), the replied inquiry (!34) and the quoted deal (d56),
and runs the hidden /sent command, which resolves them among the presser's own records only.

A draft whose facts contain Chinese still comes out, because the rep may fix it by hand.
The buyer reads English, so the note names each such fact and the command that fixes it.
"""

from __future__ import annotations

import re

from bot.errors import UserError
from bot.i18n import N_, Translator
from bot.models import Customer, Member
from bot.services import drafts as draft_service
from bot.services.draft_text import MAX_FOLLOWUP_WORDS, MAX_REPLY_WORDS, FollowupKind
from bot.services.drafts import (
    FOLLOWUP_KIND,
    QUOTE_KIND,
    SENT_KINDS,
    AmbiguousDeal,
    FollowupPlan,
    Missing,
    ReplyPlan,
)
from bot.services.members import is_manager
from bot.transports.base import Button, Reply
from handlers.audit import audit_card_read
from handlers.check import render_flag_lines
from handlers.context import ChoiceRequired, HandlerContext, member_today, member_zone, next_followup_date
from handlers.customers import find_customer, find_customer_prefix
from handlers.deals import fields_text
from handlers.inquiries import split_inquiry_reference
from handlers.labels import INTERACTION_LABELS
from handlers.parsing import accepted_keys, parse_fields
from reminders.inquiry_render import INQUIRY_REFERENCE_PREFIX, describe_request, format_duration, format_instant
from handlers.render import describe_deal

SENT_COMMAND = "sent"
# The Sent button names the quoted deal as d56.
DEAL_REFERENCE_PREFIX = "d"
_DEAL_REFERENCE = re.compile(rf"^{DEAL_REFERENCE_PREFIX}(?P<id>\d+)$")
REPLY_FIELDS = frozenset({"product"})
DRAFT_FIELDS = frozenset({"product", "point", "news"})
# A point or a fact is one clause of a follow-up that stays under MAX_FOLLOWUP_WORDS words.
MAX_POINT_CHARS = 200

# The command that gives each missing fact, shown to the rep. Admins and managers set terms.
MISSING_HINTS: dict[Missing, str] = {
    Missing.PRODUCT: N_("the product: /deal %(name)s 产品: CTCP plate"),
    Missing.SPEC: N_("the specification: /deal %(name)s 规格: 530×664 mm 0.30 mm"),
    Missing.PRICE: N_("the unit price with currency: /deal %(name)s 价格: USD 2.5 FOB Shanghai"),
    Missing.INCOTERM: N_("the Incoterm and port of the price: /deal %(name)s 价格: USD 2.5 FOB Shanghai"),
    Missing.PAYMENT: N_("the payment terms: /terms 付款: 30% T/T deposit, 70% against B/L copy"),
    Missing.VALIDITY: N_("the price validity in days: /terms 有效期: 15"),
    Missing.QUANTITY: N_("the quantity: /deal %(name)s 数量: 1×20GP"),
    Missing.MOQ: N_("the MOQ: /terms 起订量: 500 sqm"),
    Missing.LEAD_TIME: N_("the lead time: /terms 交期: 15 days after deposit"),
    Missing.SIGNATURE: N_("the team signature, so your chat name signs for now: /terms 签名: …"),
    Missing.CONTACT_NAME: N_("the contact's name, so the greeting is Dear Sir or Madam"),
    Missing.POINT: N_("the one open point of the negotiation: /draft %(name)s 要点: the payment terms"),
    Missing.NEWS: N_(
        "one new fact for the buyer, such as a new product or a price change: /draft %(name)s 新消息: …"
    ),
}
# How to replace a fact that contains Chinese, where the hint for a missing fact does not fit.
CHINESE_HINTS: dict[Missing, str] = {
    Missing.INCOTERM: N_("the port of the price: /deal %(name)s 价格: USD 2.5 FOB Shanghai"),
    Missing.SIGNATURE: N_("the signature: /terms 签名: Li Wei, Sales Manager"),
    Missing.CONTACT_NAME: N_(
        "the contact's name, so the greeting is Dear Sir or Madam: add the name in Latin letters to greet by name"
    ),
    Missing.POINT: N_("the open point: /draft %(name)s 要点: …"),
}
TERMS_GAPS = frozenset({Missing.PAYMENT, Missing.VALIDITY, Missing.MOQ, Missing.LEAD_TIME, Missing.SIGNATURE})

FOLLOWUP_KIND_LABELS: dict[FollowupKind, str] = {
    FollowupKind.QUOTED: N_("after the quotation: did the price work, is anything needed"),
    FollowupKind.SAMPLE: N_("after the sample: feedback on it"),
    FollowupKind.NEGOTIATION: N_("in negotiation: the one open point"),
    FollowupKind.NEWS: N_("one new fact for a quiet buyer"),
}

BAD_SENT_BUTTON = N_("That button is not valid. Draft again with /reply or /draft.")
FIELD_TOO_LONG = N_("The field %(field)s is too long (%(length)s characters). Use at most %(limit)s.")
WHICH_CUSTOMER_REPLY = N_("Which customer? Write e.g. /reply Sharma.")
WHICH_CUSTOMER_DRAFT = N_("Which customer? Write e.g. /draft Sharma.")


def sent_command(customer: Customer, *, kind: str, inquiry_id: int | None = None, deal_id: int | None = None) -> str:
    """Return the Sent button's command, e.g. /sent #12 quote !34 d56, well under Telegram's 64 bytes."""
    command = f"/{SENT_COMMAND} #{customer.id} {kind}"
    if inquiry_id is not None:
        command += f" {INQUIRY_REFERENCE_PREFIX}{inquiry_id}"
    if deal_id is not None:
        command += f" {DEAL_REFERENCE_PREFIX}{deal_id}"
    return command


def _hint_lines(
    gaps: tuple[Missing, ...],
    *,
    customer: Customer,
    member: Member,
    t: Translator,
    hints: dict[Missing, str] = MISSING_HINTS,
) -> list[str]:
    lines = []
    for gap in gaps:
        hint = hints.get(gap, MISSING_HINTS[gap])
        # Only hints with a placeholder are formatted, because "30% T/T" is no placeholder.
        line = "• " + (t.gettext(hint, name=customer.name) if "%(name)s" in hint else t.gettext(hint))
        if gap in TERMS_GAPS and not is_manager(member):
            line += " " + t.gettext("(an admin or a manager sets this)")
        lines.append(line)
    return lines


def _length_line(words: int, *, limit: int, t: Translator) -> str:
    if words >= limit:
        return t.gettext(
            "The draft has %(count)s words, %(limit)s or more; shorten the terms, the point or the signature.",
            count=words,
            limit=limit,
        )
    return t.ngettext("%(count)s word.", "%(count)s words.", words)


def _missing_reply(heading: str, gaps: tuple[Missing, ...], *, customer: Customer, member: Member, t: Translator) -> Reply:
    lines = [heading, *_hint_lines(gaps, customer=customer, member=member, t=t)]
    return Reply(text="\n".join(lines))


def _check_lines(
    plan: ReplyPlan | FollowupPlan, *, member: Member, t: Translator, price_unit_unclear: bool = False
) -> list[str]:
    """List what the rep must check before sending: Chinese facts, an unclear price unit, /check flags."""
    lines = []
    if plan.chinese:
        lines.append(
            t.gettext(
                "The buyer reads English, but these parts of the draft contain Chinese. "
                "Fix them with the command shown, or edit the draft by hand:"
            )
        )
        lines += _hint_lines(plan.chinese, customer=plan.customer, member=member, t=t, hints=CHINESE_HINTS)
    if price_unit_unclear:
        lines.append(
            t.gettext(
                "Check: unit price without a unit, while the quantity is not in single units. "
                "Add the unit: /deal %(name)s 价格: USD 2.5/sqm FOB Shanghai",
                name=plan.customer.name,
            )
        )
    if plan.flags:
        lines.append(t.gettext("/check finds in the draft:"))
        lines += [f"  {line}" for line in render_flag_lines(list(plan.flags), t=t)]
    return lines


def _choose_deal(error: AmbiguousDeal, *, command: str, customer: Customer, fields: dict[str, str]) -> ChoiceRequired:
    """Ask which of the matching deals the draft is about; the choice re-runs the command."""
    others = fields_text({key: value for key, value in fields.items() if key != "product"})
    return ChoiceRequired(
        error.message,
        before=f"/{command} {customer.name} 产品: ",
        after=f" {others}" if others else "",
        labels=error.products,
        values=error.products,
        **error.params,
    )


def _check_length(fields: dict[str, str]) -> None:
    for key in ("point", "news"):
        value = fields.get(key, "")
        if len(value) > MAX_POINT_CHARS:
            raise UserError(FIELD_TOO_LONG, field=accepted_keys(frozenset({key})), length=len(value), limit=MAX_POINT_CHARS)


def _reply_note(plan: ReplyPlan, *, context: HandlerContext, member: Member) -> str:
    t = context.t
    customer = plan.customer
    if plan.inquiry is not None:
        received = format_instant(plan.inquiry.received_at, zone=member_zone(context), now=context.now, t=t)
        request = describe_request(plan.inquiry, t=t) or "-"
        lines = [
            t.gettext(
                "Reply draft for %(name)s, answering the inquiry received %(received)s: %(request)s.",
                name=customer.name,
                received=received,
                request=request,
            )
        ]
    else:
        assert plan.deal is not None
        lines = [t.gettext("Reply draft for %(name)s, from the open deal.", name=customer.name)]
    if plan.deal is not None:
        lines.append(t.gettext("Deal: %(deal)s", deal=describe_deal(plan.deal, t=t)))
    assert plan.valid_until is not None
    lines.append(t.gettext("Check the price and the date: valid until %(date)s.", date=plan.valid_until.isoformat()))
    lines += _greeting_lines(plan, t=t)
    if plan.left_out:
        lines.append(t.gettext("Not in the draft, add when you know it:"))
        lines += _hint_lines(plan.left_out, customer=customer, member=member, t=t)
    lines += _check_lines(plan, member=member, t=t, price_unit_unclear=plan.price_unit_unclear)
    lines.append(_length_line(plan.word_count, limit=MAX_REPLY_WORDS, t=t))
    lines.append(t.gettext("Copy the next message whole and send it; then press ✅ Sent to log it."))
    return "\n".join(lines)


def _greeting_lines(plan: ReplyPlan | FollowupPlan, *, t: Translator) -> list[str]:
    if plan.contact is None or not plan.contact.name or Missing.CONTACT_NAME in plan.chinese:
        # A name in Chinese is listed with the other Chinese facts.
        return []
    if plan.text is not None and plan.text.startswith("Dear Sir or Madam"):
        return [
            t.gettext(
                "The contact %(contact)s is not a name a greeting can use, so the greeting is Dear Sir or Madam.",
                contact=plan.contact.name,
            )
        ]
    return [t.gettext("The greeting uses the contact %(contact)s; check the first name.", contact=plan.contact.name)]


async def cmd_reply(context: HandlerContext, args: str) -> list[Reply]:
    """Draft an English reply to the customer's latest open inquiry or open deal."""
    member = context.require_member()
    parsed = parse_fields(args, allowed=REPLY_FIELDS)
    if not parsed.leading:
        raise UserError(WHICH_CUSTOMER_REPLY)
    customer = await find_customer(context, parsed.leading, command="reply", rest=fields_text(parsed.fields))
    await audit_card_read(context, customer, command="reply")
    try:
        plan = await draft_service.plan_reply(
            context.session,
            actor=member,
            customer=customer,
            team=context.team,
            today=member_today(context),
            product=parsed.fields.get("product"),
        )
    except AmbiguousDeal as error:
        raise _choose_deal(error, command="reply", customer=customer, fields=parsed.fields) from error
    t = context.t
    if plan.text is None:
        heading = t.gettext(
            "No draft yet: the reply to %(name)s would have to guess these. Give them, then send /reply %(name)s again:",
            name=customer.name,
        )
        return [_missing_reply(heading, plan.missing, customer=customer, member=member, t=t)]
    button = Button(
        t.gettext("✅ Sent"),
        sent_command(
            customer,
            kind=QUOTE_KIND,
            inquiry_id=plan.inquiry.id if plan.inquiry else None,
            deal_id=plan.deal.id if plan.deal else None,
        ),
    )
    return [
        Reply(text=_reply_note(plan, context=context, member=member)),
        Reply(text=plan.text, buttons=((button,),)),
    ]


def _followup_note(plan: FollowupPlan, *, context: HandlerContext, member: Member) -> str:
    t = context.t
    lines = [
        t.gettext(
            "Follow-up draft for %(name)s, %(kind)s.",
            name=plan.customer.name,
            kind=t.gettext(FOLLOWUP_KIND_LABELS[plan.kind]),
        )
    ]
    if plan.deal is not None:
        lines.append(t.gettext("Deal: %(deal)s", deal=describe_deal(plan.deal, t=t)))
    if plan.kind is FollowupKind.NEWS:
        lines.append(t.ngettext("Last contact %(count)s day ago.", "Last contact %(count)s days ago.", plan.silent_days))
    lines += _greeting_lines(plan, t=t)
    if plan.left_out:
        lines.append(t.gettext("Not in the draft, add when you know it:"))
        lines += _hint_lines(plan.left_out, customer=plan.customer, member=member, t=t)
    lines += _check_lines(plan, member=member, t=t)
    lines.append(_length_line(plan.word_count, limit=MAX_FOLLOWUP_WORDS, t=t))
    lines.append(t.gettext("Copy the next message whole and send it; then press ✅ Sent to log it."))
    return "\n".join(lines)


async def cmd_draft(context: HandlerContext, args: str) -> list[Reply]:
    """Draft a short English follow-up that fits the deal's stage or the buyer's silence."""
    member = context.require_member()
    parsed = parse_fields(args, allowed=DRAFT_FIELDS, free_text_fields=frozenset({"point", "news"}))
    if not parsed.leading:
        raise UserError(WHICH_CUSTOMER_DRAFT)
    _check_length(parsed.fields)
    customer = await find_customer(context, parsed.leading, command="draft", rest=fields_text(parsed.fields))
    await audit_card_read(context, customer, command="draft")
    try:
        plan = await draft_service.plan_followup(
            context.session,
            actor=member,
            customer=customer,
            team=context.team,
            now=context.now,
            product=parsed.fields.get("product"),
            point=parsed.fields.get("point"),
            news=parsed.fields.get("news"),
        )
    except AmbiguousDeal as error:
        raise _choose_deal(error, command="draft", customer=customer, fields=parsed.fields) from error
    t = context.t
    if plan.text is None:
        heading = t.gettext(
            "No draft yet for %(name)s (%(kind)s). Give this first:",
            name=customer.name,
            kind=t.gettext(FOLLOWUP_KIND_LABELS[plan.kind]),
        )
        return [_missing_reply(heading, plan.missing, customer=customer, member=member, t=t)]
    button = Button(t.gettext("✅ Sent"), sent_command(customer, kind=FOLLOWUP_KIND))
    return [
        Reply(text=_followup_note(plan, context=context, member=member)),
        Reply(text=plan.text, buttons=((button,),)),
    ]


async def cmd_sent(context: HandlerContext, args: str) -> list[Reply]:
    """Log a draft as sent: record the interaction and close the inquiry the draft replied to."""
    member = context.require_member()
    customer, rest = await find_customer_prefix(context, args, command=SENT_COMMAND)
    kind, _, reference = rest.strip().partition(" ")
    inquiry_id, extra = split_inquiry_reference(reference)
    deal_reference = _DEAL_REFERENCE.match(extra)
    deal_id = int(deal_reference.group("id")) if deal_reference else None
    if deal_reference is not None:
        extra = ""
    if kind not in SENT_KINDS or extra or (inquiry_id is not None and kind != QUOTE_KIND):
        raise UserError(BAD_SENT_BUTTON)
    outcome = await draft_service.record_sent(
        context.session,
        actor=member,
        customer=customer,
        kind=kind,
        now=context.now,
        inquiry_id=inquiry_id,
        deal_id=deal_id,
        zone=member_zone(context),
    )
    t = context.t
    lines = [
        t.gettext(
            "Logged for %(name)s (%(kind)s).",
            name=customer.name,
            kind=t.gettext(INTERACTION_LABELS[outcome.interaction.kind]),
        )
    ]
    if outcome.reply is not None:
        duration = format_duration(outcome.reply.lateness, t=t)
        if outcome.reply.within_deadline:
            lines.append(t.gettext("Inquiry closed, %(duration)s before the deadline.", duration=duration))
        else:
            lines.append(t.gettext("Inquiry closed, %(duration)s after the deadline.", duration=duration))
    if outcome.quoted_deal is not None:
        lines.append(
            t.gettext("The %(product)s deal moved from inquiry to quoted.", product=outcome.quoted_deal.product)
        )
    lines.append(t.gettext("Next follow-up: %(date)s.", date=next_followup_date(context, customer).isoformat()))
    return [Reply(text="\n".join(lines))]
