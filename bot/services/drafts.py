"""Reply and follow-up drafts: gather the facts, list what is missing, and log a sent draft.

A draft states only stored facts. An unknown required fact blocks the draft, and the caller
asks the rep for it. Required are the product, the specification, the unit price with its
currency, Incoterm and port, and the team's payment terms and validity. An optional fact that is unknown (quantity, MOQ, lead time) is left
out of the draft and named, so the rep can add it.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import NotFound, UserError
from bot.i18n import N_
from bot.models import Contact, Customer, Deal, Inquiry, Interaction, Member, Stage, Team
from bot.services import inquiries as inquiry_service
from bot.services.customers import is_owned_by, log_interaction, name_key
from bot.services.deals import move_stage
from bot.services.draft_check import Flag, FlagCode, check_draft
from bot.services.draft_text import (
    FollowupFacts,
    FollowupKind,
    QuoteFacts,
    compose_followup,
    compose_quote,
    draft_word_count,
    format_container_codes,
    format_price,
    format_quantity,
    greeting_name,
    has_cjk,
)
from bot.services.terms import team_terms

logger = logging.getLogger(__name__)

# A buyer not contacted for this long gets a follow-up with one new fact, whatever the stage.
SILENCE_FOR_NEWS = timedelta(days=60)
# The interaction kinds that the Sent button of a draft records.
QUOTE_KIND = "quote"
FOLLOWUP_KIND = "followup"
SENT_KINDS = frozenset({QUOTE_KIND, FOLLOWUP_KIND})
# A second Sent press for the same customer and kind within this time is a repeat, not a new message.
REPEAT_SENT_WINDOW = timedelta(minutes=10)

NO_CUSTOMER = N_("No customer '%(query)s' among yours. Try /find.")
NOTHING_TO_REPLY = N_(
    "%(name)s has no open inquiry or deal to reply to. Register one with /inquiry %(name)s 产品: … "
    "or /deal %(name)s 产品: …"
)
INQUIRY_STAGE = N_(
    "The %(product)s deal with %(name)s is still at the inquiry stage, so it needs a quotation first. "
    "Send /reply %(name)s."
)
NO_SUCH_DEAL = N_("%(name)s has no open deal for '%(product)s'. Open deals: %(products)s")
SEVERAL_DEALS = N_("'%(product)s' matches several open deals of %(name)s: %(products)s. Which one?")
ALREADY_RECORDED = N_(
    "This was already recorded for %(name)s at %(time)s. Nothing was logged again; "
    "log another message with /log if you sent one."
)


class AmbiguousDeal(UserError):
    """A product name matches several open deals; `products` lists them for the rep to choose."""

    def __init__(self, *, name: str, product: str, products: list[str]) -> None:
        super().__init__(SEVERAL_DEALS, name=name, product=product, products=", ".join(products))
        self.products = products


class Missing(str, enum.Enum):
    """A fact a draft needs or would show, named in the rep's note with how to give it."""

    PRODUCT = "product"
    SPEC = "spec"
    PRICE = "price"
    INCOTERM = "incoterm"
    PAYMENT = "payment"
    VALIDITY = "validity"
    QUANTITY = "quantity"
    MOQ = "moq"
    LEAD_TIME = "lead_time"
    SIGNATURE = "signature"
    CONTACT_NAME = "contact_name"
    POINT = "point"
    NEWS = "news"


@dataclass(frozen=True)
class ReplyPlan:
    """A reply draft, or what blocks it (`missing`); `left_out` names optional facts not shown."""

    customer: Customer
    inquiry: Inquiry | None
    deal: Deal | None
    contact: Contact | None
    missing: tuple[Missing, ...]
    left_out: tuple[Missing, ...]
    valid_until: date | None
    text: str | None
    # Facts in the draft that contain Chinese, which the English-reading buyer cannot read.
    chinese: tuple[Missing, ...] = ()
    # The draft's own /check flags, which the rep's note lists.
    flags: tuple[Flag, ...] = ()
    # The price has no unit while the quantity is in containers or in a unit.
    price_unit_unclear: bool = False

    @property
    def word_count(self) -> int:
        return draft_word_count(self.text) if self.text else 0


@dataclass(frozen=True)
class FollowupPlan:
    """A follow-up draft of one kind, or what blocks it (`missing`)."""

    customer: Customer
    deal: Deal | None
    contact: Contact | None
    kind: FollowupKind
    silent_days: int
    missing: tuple[Missing, ...]
    left_out: tuple[Missing, ...]
    text: str | None
    chinese: tuple[Missing, ...] = ()
    flags: tuple[Flag, ...] = ()

    @property
    def word_count(self) -> int:
        return draft_word_count(self.text) if self.text else 0


@dataclass(frozen=True)
class SentOutcome:
    """The interaction a sent draft recorded, and the inquiry it closed, if any."""

    interaction: Interaction
    reply: inquiry_service.ReplyOutcome | None
    # The deal that the sent quotation moved from the inquiry stage to quoted.
    quoted_deal: Deal | None = None


def _check_owner(customer: Customer, actor: Member) -> None:
    # Handlers resolve only the actor's customers; this guards callers that pass another,
    # or a customer that went back to the pool.
    if not is_owned_by(customer, actor):
        raise NotFound(NO_CUSTOMER, query=customer.name)


async def _latest_open_inquiry(session: AsyncSession, *, actor: Member, customer: Customer) -> Inquiry | None:
    statement = (
        select(Inquiry)
        .where(
            Inquiry.team_id == actor.team_id,
            Inquiry.member_id == actor.id,
            Inquiry.customer_id == customer.id,
            Inquiry.replied_at.is_(None),
        )
        .order_by(Inquiry.received_at.desc(), Inquiry.id.desc())
        .limit(1)
    )
    return (await session.execute(statement)).unique().scalar_one_or_none()


def _matching_deals(deals: list[Deal], product: str | None) -> list[Deal]:
    """Return the deals whose product is `product`, else those whose product contains it or is contained in it."""
    key = name_key(product or "")
    if not key:
        return []
    exact = [deal for deal in deals if name_key(deal.product) == key]
    if exact:
        return exact[-1:]
    return [deal for deal in deals if key in name_key(deal.product) or name_key(deal.product) in key]


def choose_deal(customer: Customer, *, product: str | None, hint: str | None = None) -> Deal | None:
    """Pick the open deal a draft is about: the one named by `product`, else by `hint`, else the latest updated.

    Raises:
        AmbiguousDeal: `product` matches several open deals ("plate": CTCP plate, PS plate).
        UserError: `product` names no open deal; the message lists the open ones.
    """
    open_deals = sorted((deal for deal in customer.deals if deal.stage.is_open), key=lambda deal: (deal.updated_at, deal.id))
    if product:
        matches = _matching_deals(open_deals, product)
        if len(matches) > 1:
            raise AmbiguousDeal(name=customer.name, product=product, products=[deal.product for deal in matches])
        if not matches:
            products = ", ".join(deal.product for deal in open_deals) or "-"
            raise UserError(NO_SUCH_DEAL, name=customer.name, product=product, products=products)
        return matches[0]
    hinted = _matching_deals(open_deals, hint)
    if len(hinted) == 1:
        return hinted[0]
    return open_deals[-1] if open_deals else None


def choose_contact(customer: Customer, *, sender_email: str | None = None) -> Contact | None:
    """Pick the contact to greet: the inquiry's sender when on file, else the first named contact."""
    if sender_email:
        for contact in customer.contacts:
            if contact.email and contact.email.casefold() == sender_email.casefold():
                return contact
    return next((contact for contact in customer.contacts if contact.name), None)


def deal_price(deal: Deal | None) -> str | None:
    """Return 'USD 2.50/sqm FOB Shanghai', or None when the currency, Incoterm or port is unknown."""
    if deal is None or deal.unit_price is None or not deal.currency or not deal.incoterm or not deal.incoterm_place:
        return None
    return format_price(
        currency=deal.currency,
        amount=deal.unit_price,
        incoterm=deal.incoterm,
        place=deal.incoterm_place,
        unit=deal.price_unit,
    )


def price_unit_unclear(deal: Deal | None) -> bool:
    """Tell whether a price without a unit meets a quantity in containers or in a unit, so "per what?" is open."""
    if deal is None or deal.unit_price is None or deal.price_unit:
        return False
    return deal.qty_amount is not None and (deal.qty_is_container or bool(deal.qty_unit))


def _chinese_facts(facts: tuple[tuple[Missing, str | None], ...]) -> tuple[Missing, ...]:
    """Name the facts whose text contains Chinese, each once, in draft order."""
    found: list[Missing] = []
    for gap, value in facts:
        if has_cjk(value) and gap not in found:
            found.append(gap)
    return tuple(found)


def _draft_flags(text: str, *, greeting: str | None, contact: Contact | None) -> tuple[Flag, ...]:
    """Run /check on a generated draft; the greeting is checked only when it names the contact."""
    contact_name = contact.name if greeting and contact is not None else None
    return tuple(check_draft(text, contact_name=contact_name))


def _price_gaps(deal: Deal | None) -> list[Missing]:
    gaps = []
    if deal is None or deal.unit_price is None or not deal.currency:
        gaps.append(Missing.PRICE)
    if deal is None or not deal.incoterm or not deal.incoterm_place:
        gaps.append(Missing.INCOTERM)
    return gaps


def _quantity(deal: Deal | None, inquiry: Inquiry | None) -> str | None:
    if deal is not None and deal.qty_amount is not None and deal.qty_unit:
        return format_quantity(amount=deal.qty_amount, unit=deal.qty_unit, is_container=deal.qty_is_container)
    return format_container_codes(inquiry.quantity) if inquiry is not None and inquiry.quantity else None


async def plan_reply(
    session: AsyncSession,
    *,
    actor: Member,
    customer: Customer,
    team: Team,
    today: date,
    product: str | None = None,
) -> ReplyPlan:
    """Draft a quotation reply to the customer's latest open inquiry, or to its open deal.

    `today` is the rep's local date, from which the validity counts.

    Raises:
        NotFound: the customer is not the actor's.
        UserError: the customer has neither an open inquiry nor an open deal, or `product`
            names no open deal.
    """
    _check_owner(customer, actor)
    inquiry = await _latest_open_inquiry(session, actor=actor, customer=customer)
    deal = choose_deal(customer, product=product, hint=inquiry.product if inquiry else None)
    if inquiry is None and deal is None:
        raise UserError(NOTHING_TO_REPLY, name=customer.name)
    terms = team_terms(team)
    contact = choose_contact(customer, sender_email=inquiry.sender_email if inquiry else None)
    product_name = deal.product if deal is not None else None
    if product_name is None and inquiry is not None:
        product_name = inquiry.product

    missing: list[Missing] = []
    if not product_name:
        missing.append(Missing.PRODUCT)
    if deal is None or not deal.spec:
        missing.append(Missing.SPEC)
    missing += _price_gaps(deal)
    if not terms.payment:
        missing.append(Missing.PAYMENT)
    if terms.validity_days is None:
        missing.append(Missing.VALIDITY)

    quantity = _quantity(deal, inquiry)
    # NOTE: the MOQ is the team's, one for every product; a per-product MOQ is not stored yet.
    moq = format_container_codes(terms.moq) if terms.moq else None
    optional = (
        (Missing.QUANTITY, quantity),
        (Missing.MOQ, moq),
        (Missing.LEAD_TIME, terms.lead_time),
        (Missing.SIGNATURE, terms.signature),
        (Missing.CONTACT_NAME, contact.name if contact else None),
    )
    left_out = tuple(gap for gap, value in optional if not value)
    valid_until = today + timedelta(days=terms.validity_days) if terms.validity_days else None
    contact_name = contact.name if contact else None
    signature = terms.signature or actor.display_name
    chinese = _chinese_facts(
        (
            (Missing.CONTACT_NAME, contact_name),
            (Missing.PRODUCT, product_name),
            (Missing.SPEC, deal.spec if deal else None),
            (Missing.INCOTERM, deal_price(deal)),
            (Missing.QUANTITY, quantity),
            (Missing.MOQ, moq),
            (Missing.LEAD_TIME, terms.lead_time),
            (Missing.PAYMENT, terms.payment),
            (Missing.SIGNATURE, signature),
        )
    )

    text = None
    flags: tuple[Flag, ...] = ()
    if not missing:
        # With nothing missing, each of these is known; the asserts narrow the types.
        assert deal is not None and deal.spec
        assert product_name and terms.payment
        assert valid_until is not None
        price = deal_price(deal)
        assert price is not None
        greeting = greeting_name(contact_name)
        # The draft goes out even when a fact is in Chinese: the rep may fix it by hand, and
        # the note names each such fact with the command that fixes it.
        facts = QuoteFacts(
            greeting_name=greeting,
            product=product_name,
            spec=deal.spec,
            price=price,
            quantity=quantity,
            moq=moq,
            lead_time=terms.lead_time,
            payment=terms.payment,
            valid_until=valid_until,
            # Without a team signature the rep's own chat name signs, which is a fact, not a guess.
            signature=signature,
            answers_inquiry=inquiry is not None,
        )
        text = compose_quote(facts)
        flags = _draft_flags(text, greeting=greeting, contact=contact)
    logger.info(
        "reply planned customer_id=%s member_id=%s inquiry_id=%s deal_id=%s missing=%s left_out=%s chinese=%s",
        customer.id,
        actor.id,
        inquiry.id if inquiry else None,
        deal.id if deal else None,
        ",".join(gap.value for gap in missing) or "-",
        ",".join(gap.value for gap in left_out) or "-",
        ",".join(gap.value for gap in chinese) or "-",
    )
    return ReplyPlan(
        customer=customer,
        inquiry=inquiry,
        deal=deal,
        contact=contact,
        missing=tuple(missing),
        left_out=left_out,
        valid_until=valid_until,
        text=text,
        chinese=chinese,
        flags=flags,
        price_unit_unclear=price_unit_unclear(deal),
    )


def followup_kind(deal: Deal | None, *, silent: bool, point: str | None, news: str | None) -> FollowupKind:
    """Choose the follow-up's subject: a given fact or point first, then silence, then the stage."""
    if news:
        return FollowupKind.NEWS
    if point:
        return FollowupKind.NEGOTIATION
    if silent or deal is None:
        # A won buyer's check-in, a lost deal or a long silence: only a new fact gives a reason to write.
        return FollowupKind.NEWS
    if deal.stage is Stage.SAMPLE:
        return FollowupKind.SAMPLE
    if deal.stage is Stage.NEGOTIATION:
        return FollowupKind.NEGOTIATION
    return FollowupKind.QUOTED


async def plan_followup(
    session: AsyncSession,
    *,
    actor: Member,
    customer: Customer,
    team: Team,
    now: datetime,
    product: str | None = None,
    point: str | None = None,
    news: str | None = None,
) -> FollowupPlan:
    """Draft a short follow-up that fits the open deal's stage or the buyer's silence.

    Raises:
        NotFound: the customer is not the actor's.
        UserError: `product` names no open deal, or the open deal is still at the inquiry
            stage, which needs a quotation (/reply) rather than a follow-up.
    """
    _check_owner(customer, actor)
    deal = choose_deal(customer, product=product)
    silence = now - customer.last_contact_at
    silent = silence >= SILENCE_FOR_NEWS
    if deal is not None and deal.stage is Stage.INQUIRY and not (silent or point or news):
        raise UserError(INQUIRY_STAGE, name=customer.name, product=deal.product)
    kind = followup_kind(deal, silent=silent, point=point, news=news)
    terms = team_terms(team)
    contact = choose_contact(customer)

    missing: list[Missing] = []
    if kind is FollowupKind.NEWS and not news:
        missing.append(Missing.NEWS)
    if kind is FollowupKind.NEGOTIATION and not point:
        missing.append(Missing.POINT)
    if kind is not FollowupKind.NEWS and deal is None:
        missing.append(Missing.PRODUCT)
    contact_name = contact.name if contact else None
    optional = ((Missing.SIGNATURE, terms.signature), (Missing.CONTACT_NAME, contact_name))
    left_out = tuple(gap for gap, value in optional if not value)
    product_name = deal.product if deal is not None and kind is not FollowupKind.NEWS else None
    price = deal_price(deal) if kind is FollowupKind.QUOTED else None
    signature = terms.signature or actor.display_name
    chinese = _chinese_facts(
        (
            (Missing.CONTACT_NAME, contact_name),
            (Missing.PRODUCT, product_name),
            (Missing.INCOTERM, price),
            (Missing.POINT, point if kind is FollowupKind.NEGOTIATION else None),
            (Missing.NEWS, news if kind is FollowupKind.NEWS else None),
            (Missing.SIGNATURE, signature),
        )
    )

    text = None
    flags: tuple[Flag, ...] = ()
    if not missing:
        greeting = greeting_name(contact_name)
        facts = FollowupFacts(
            kind=kind,
            greeting_name=greeting,
            product=deal.product if deal else None,
            price=price,
            signature=signature,
            point=point,
            news=news,
            silent=silent,
        )
        text = compose_followup(facts)
        flags = _draft_flags(text, greeting=greeting, contact=contact)
        if terms.validity_days and any(flag.code is FlagCode.PRICE_WITHOUT_VALIDITY for flag in flags):
            # A news item that quotes a price gets the team's validity, as a quotation would.
            valid_until = now.date() + timedelta(days=terms.validity_days)
            text = compose_followup(FollowupFacts(**{**facts.__dict__, "news_valid_until": valid_until}))
            flags = _draft_flags(text, greeting=greeting, contact=contact)
    logger.info(
        "follow-up planned customer_id=%s member_id=%s deal_id=%s kind=%s missing=%s",
        customer.id,
        actor.id,
        deal.id if deal else None,
        kind.value,
        ",".join(gap.value for gap in missing) or "-",
    )
    return FollowupPlan(
        customer=customer,
        deal=deal,
        contact=contact,
        kind=kind,
        silent_days=silence.days,
        missing=tuple(missing),
        left_out=left_out,
        text=text,
        chinese=chinese,
        flags=flags,
    )


async def record_sent(
    session: AsyncSession,
    *,
    actor: Member,
    customer: Customer,
    kind: str,
    now: datetime,
    inquiry_id: int | None = None,
    deal_id: int | None = None,
    zone: str = "UTC",
) -> SentOutcome:
    """Log a sent draft as an interaction, which restarts the cadence clock, and close its inquiry.

    A sent quotation moves its deal (`deal_id`, else the one the inquiry names, else the
    latest open one) from the inquiry stage to quoted. `zone` is the rep's time zone, in
    which a repeat's time is shown.

    Raises:
        NotFound: the customer, or the inquiry `inquiry_id`, is not the actor's.
        UserError: the inquiry was marked replied already, or, without an inquiry, the same
            kind was recorded for the customer within REPEAT_SENT_WINDOW.
        ValueError: `kind` is not in SENT_KINDS (a programming error).
    """
    if kind not in SENT_KINDS:
        raise ValueError(f"unknown sent kind: {kind}")
    _check_owner(customer, actor)
    quoted_deal = None
    if inquiry_id is not None:
        # The inquiry's own replied mark rejects a repeat of this button.
        outcome = await inquiry_service.mark_replied(
            session, actor=actor, customer=customer, now=now, inquiry_id=inquiry_id, interaction_kind=kind
        )
        if kind == QUOTE_KIND:
            quoted_deal = await _mark_quoted(session, actor=actor, customer=customer, deal_id=deal_id, hint=outcome.inquiry.product, now=now)
        interaction = await _latest_interaction(session, customer=customer)
        return SentOutcome(interaction=interaction, reply=outcome, quoted_deal=quoted_deal)

    await _reject_repeat(session, customer=customer, kind=kind, now=now, zone=zone)
    if kind == QUOTE_KIND:
        quoted_deal = await _mark_quoted(session, actor=actor, customer=customer, deal_id=deal_id, hint=None, now=now)
    interaction = await log_interaction(session, actor=actor, customer=customer, kind=kind, text="", now=now)
    return SentOutcome(interaction=interaction, reply=None, quoted_deal=quoted_deal)


async def _reject_repeat(session: AsyncSession, *, customer: Customer, kind: str, now: datetime, zone: str) -> None:
    statement = (
        select(Interaction)
        .where(
            Interaction.customer_id == customer.id,
            Interaction.kind == kind,
            Interaction.at > now - REPEAT_SENT_WINDOW,
        )
        .order_by(Interaction.at.desc())
        .limit(1)
    )
    recent = (await session.execute(statement)).scalar_one_or_none()
    if recent is None:
        return
    at = recent.at if recent.at.tzinfo else recent.at.replace(tzinfo=UTC)
    logger.info("repeated sent rejected customer_id=%s interaction_id=%s kind=%s", customer.id, recent.id, kind)
    raise UserError(ALREADY_RECORDED, name=customer.name, time=at.astimezone(ZoneInfo(zone)).strftime("%H:%M"))


async def _mark_quoted(
    session: AsyncSession, *, actor: Member, customer: Customer, deal_id: int | None, hint: str | None, now: datetime
) -> Deal | None:
    """Move the quoted deal from the inquiry stage to quoted; return it, or None when none moved."""
    open_deals = [deal for deal in customer.deals if deal.stage.is_open]
    deal = next((deal for deal in open_deals if deal.id == deal_id), None)
    if deal is None and deal_id is None:
        deal = choose_deal(customer, product=None, hint=hint)
    if deal is None or deal.stage is not Stage.INQUIRY:
        return None
    return await move_stage(
        session, actor=actor, customer=customer, stage=Stage.QUOTED, product=deal.product, reason=None, now=now
    )


async def _latest_interaction(session: AsyncSession, *, customer: Customer) -> Interaction:
    statement = (
        select(Interaction)
        .where(Interaction.customer_id == customer.id)
        .order_by(Interaction.at.desc(), Interaction.id.desc())
        .limit(1)
    )
    return (await session.execute(statement)).scalar_one()
