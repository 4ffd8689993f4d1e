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
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import NotFound, UserError
from bot.i18n import N_
from bot.models import Contact, Customer, Deal, Inquiry, Interaction, Member, Stage, Team
from bot.services import inquiries as inquiry_service
from bot.services.customers import log_interaction, name_key
from bot.services.draft_text import (
    FollowupFacts,
    FollowupKind,
    QuoteFacts,
    compose_followup,
    compose_quote,
    draft_word_count,
    first_name,
    format_price,
    format_quantity,
)
from bot.services.terms import team_terms

logger = logging.getLogger(__name__)

# A buyer not contacted for this long gets a follow-up with one new fact, whatever the stage.
SILENCE_FOR_NEWS = timedelta(days=60)
# The interaction kinds that the Sent button of a draft records.
QUOTE_KIND = "quote"
FOLLOWUP_KIND = "followup"
SENT_KINDS = frozenset({QUOTE_KIND, FOLLOWUP_KIND})

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

    @property
    def word_count(self) -> int:
        return draft_word_count(self.text) if self.text else 0


@dataclass(frozen=True)
class SentOutcome:
    """The interaction a sent draft recorded, and the inquiry it closed, if any."""

    interaction: Interaction
    reply: inquiry_service.ReplyOutcome | None


def _check_owner(customer: Customer, actor: Member) -> None:
    # Handlers resolve only the actor's customers; this guards callers that pass another.
    if customer.owner_id != actor.id or customer.team_id != actor.team_id:
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


def _matching_deal(deals: list[Deal], product: str | None) -> Deal | None:
    """Return the deal whose product is `product` or contains it, else None."""
    key = name_key(product or "")
    if not key:
        return None
    exact = [deal for deal in deals if name_key(deal.product) == key]
    if exact:
        return exact[-1]
    partial = [deal for deal in deals if key in name_key(deal.product) or name_key(deal.product) in key]
    return partial[-1] if len(partial) == 1 else None


def choose_deal(customer: Customer, *, product: str | None, hint: str | None = None) -> Deal | None:
    """Pick the open deal a draft is about: the one named by `product`, else by `hint`, else the latest updated.

    Raises:
        UserError: `product` names no open deal; the message lists the open ones.
    """
    open_deals = sorted((deal for deal in customer.deals if deal.stage.is_open), key=lambda deal: (deal.updated_at, deal.id))
    if product:
        deal = _matching_deal(open_deals, product)
        if deal is None:
            products = ", ".join(deal.product for deal in open_deals) or "-"
            raise UserError(NO_SUCH_DEAL, name=customer.name, product=product, products=products)
        return deal
    return _matching_deal(open_deals, hint) or (open_deals[-1] if open_deals else None)


def choose_contact(customer: Customer, *, sender_email: str | None = None) -> Contact | None:
    """Pick the contact to greet: the inquiry's sender when on file, else the first named contact."""
    if sender_email:
        for contact in customer.contacts:
            if contact.email and contact.email.casefold() == sender_email.casefold():
                return contact
    return next((contact for contact in customer.contacts if contact.name), None)


def deal_price(deal: Deal | None) -> str | None:
    """Return 'USD 2.50 FOB Shanghai', or None when the currency, Incoterm or port is unknown."""
    if deal is None or deal.unit_price is None or not deal.currency or not deal.incoterm or not deal.incoterm_place:
        return None
    return format_price(currency=deal.currency, amount=deal.unit_price, incoterm=deal.incoterm, place=deal.incoterm_place)


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
    return inquiry.quantity if inquiry is not None and inquiry.quantity else None


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
    optional = (
        (Missing.QUANTITY, quantity),
        (Missing.MOQ, terms.moq),
        (Missing.LEAD_TIME, terms.lead_time),
        (Missing.SIGNATURE, terms.signature),
        (Missing.CONTACT_NAME, contact.name if contact else None),
    )
    left_out = tuple(gap for gap, value in optional if not value)
    valid_until = today + timedelta(days=terms.validity_days) if terms.validity_days else None

    text = None
    if not missing:
        # With nothing missing, each of these is known; the asserts narrow the types.
        assert deal is not None and deal.spec
        assert product_name and terms.payment
        assert valid_until is not None
        price = deal_price(deal)
        assert price is not None
        facts = QuoteFacts(
            first_name=first_name(contact.name if contact else None),
            product=product_name,
            spec=deal.spec,
            price=price,
            quantity=quantity,
            moq=terms.moq,
            lead_time=terms.lead_time,
            payment=terms.payment,
            valid_until=valid_until,
            # Without a team signature the rep's own chat name signs, which is a fact, not a guess.
            signature=terms.signature or actor.display_name,
            answers_inquiry=inquiry is not None,
        )
        text = compose_quote(facts)
    logger.info(
        "reply planned customer_id=%s member_id=%s inquiry_id=%s deal_id=%s missing=%s left_out=%s",
        customer.id,
        actor.id,
        inquiry.id if inquiry else None,
        deal.id if deal else None,
        ",".join(gap.value for gap in missing) or "-",
        ",".join(gap.value for gap in left_out) or "-",
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
    optional = ((Missing.SIGNATURE, terms.signature), (Missing.CONTACT_NAME, contact.name if contact else None))
    left_out = tuple(gap for gap, value in optional if not value)

    text = None
    if not missing:
        facts = FollowupFacts(
            kind=kind,
            first_name=first_name(contact.name if contact else None),
            product=deal.product if deal else None,
            price=deal_price(deal) if kind is FollowupKind.QUOTED else None,
            signature=terms.signature or actor.display_name,
            point=point,
            news=news,
        )
        text = compose_followup(facts)
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
    )


async def record_sent(
    session: AsyncSession,
    *,
    actor: Member,
    customer: Customer,
    kind: str,
    now: datetime,
    inquiry_id: int | None = None,
) -> SentOutcome:
    """Log a sent draft as an interaction, which restarts the cadence clock, and close its inquiry.

    Raises:
        NotFound: the customer, or the inquiry `inquiry_id`, is not the actor's.
        UserError: the inquiry was marked replied already.
        ValueError: `kind` is not in SENT_KINDS (a programming error).
    """
    if kind not in SENT_KINDS:
        raise ValueError(f"unknown sent kind: {kind}")
    _check_owner(customer, actor)
    if inquiry_id is not None:
        outcome = await inquiry_service.mark_replied(
            session, actor=actor, customer=customer, now=now, inquiry_id=inquiry_id, interaction_kind=kind
        )
        interaction = await _latest_interaction(session, customer=customer)
        return SentOutcome(interaction=interaction, reply=outcome)
    interaction = await log_interaction(session, actor=actor, customer=customer, kind=kind, text="", now=now)
    return SentOutcome(interaction=interaction, reply=None)


async def _latest_interaction(session: AsyncSession, *, customer: Customer) -> Interaction:
    statement = (
        select(Interaction)
        .where(Interaction.customer_id == customer.id)
        .order_by(Interaction.at.desc(), Interaction.id.desc())
        .limit(1)
    )
    return (await session.execute(statement)).scalar_one()
