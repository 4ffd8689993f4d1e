"""Deals (商机): create or update by product, and move through the stages."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import NotFound, UserError
from bot.i18n import N_
from bot.models import Customer, Deal, Member, Stage
from bot.services.customers import is_owned_by, name_key

logger = logging.getLogger(__name__)

# Success probability assumed when a deal has none, by stage (won and lost are certain).
DEFAULT_STAGE_PROBABILITY: dict[Stage, Decimal] = {
    Stage.INQUIRY: Decimal("0.10"),
    Stage.QUOTED: Decimal("0.25"),
    Stage.SAMPLE: Decimal("0.40"),
    Stage.NEGOTIATION: Decimal("0.60"),
    Stage.WON: Decimal("1"),
    Stage.LOST: Decimal("0"),
}


@dataclass(frozen=True)
class DealDraft:
    """The fields a rep typed; None means 'not given, keep what is stored'."""

    product: str | None = None
    spec: str | None = None
    qty_amount: Decimal | None = None
    qty_unit: str | None = None
    qty_is_container: bool | None = None
    currency: str | None = None
    unit_price: Decimal | None = None
    price_unit: str | None = None
    incoterm: str | None = None
    incoterm_place: str | None = None
    value: Decimal | None = None
    stage: Stage | None = None
    probability: Decimal | None = None
    close_date: date | None = None
    reason: str | None = None


def deal_value(deal: Deal) -> Decimal | None:
    """Return the order value: the typed total, or unit price × quantity counted in units."""
    if deal.value is not None:
        return deal.value
    if deal.unit_price is not None and deal.qty_amount is not None and not deal.qty_is_container:
        return (deal.unit_price * deal.qty_amount).quantize(Decimal("0.01"))
    return None


def deal_probability(deal: Deal) -> Decimal:
    if deal.probability is not None and deal.stage.is_open:
        return deal.probability
    return DEFAULT_STAGE_PROBABILITY[deal.stage]


def _check_closing(stage: Stage | None, reason: str | None) -> None:
    if stage in (Stage.WON, Stage.LOST) and not (reason and reason.strip()):
        raise UserError(
            N_("A won or lost deal needs a reason. Write e.g. 原因: price accepted / reason: lost to a cheaper supplier.")
        )


def _raise_which_deal(customer: Customer) -> None:
    open_products = [deal.product for deal in customer.deals if deal.stage.is_open]
    if not open_products:
        raise UserError(N_("Which product? Write e.g. /deal Sharma 产品: CTCP plate 价格: USD 2.5 FOB Shanghai."))
    raise UserError(
        N_("Which deal? Add the product, e.g. 产品: %(product)s. Open deals: %(products)s"),
        product=open_products[0],
        products=", ".join(open_products),
    )


def _find_open_deal(customer: Customer, product: str | None) -> Deal | None:
    open_deals = [deal for deal in customer.deals if deal.stage.is_open]
    if product is None:
        return open_deals[-1] if len(open_deals) == 1 else None
    key = name_key(product)
    for deal in open_deals:
        if name_key(deal.product) == key:
            return deal
    # "ctcp" names the open "CTCP plate" when no other open deal contains it.
    partial = [deal for deal in open_deals if key and key in name_key(deal.product)]
    return partial[0] if len(partial) == 1 else None


async def upsert_deal(
    session: AsyncSession, *, actor: Member, customer: Customer, draft: DealDraft, now: datetime
) -> tuple[Deal, bool]:
    """Update the customer's open deal for the same product, or create one; return (deal, created)."""
    if not is_owned_by(customer, actor):
        raise NotFound(N_("No customer '%(query)s' among yours. Try /find."), query=customer.name)
    _check_closing(draft.stage, draft.reason)
    deal = _find_open_deal(customer, draft.product)
    created = deal is None
    if deal is None:
        if not draft.product:
            _raise_which_deal(customer)
        deal = Deal(
            customer_id=customer.id,
            owner_id=actor.id,
            product=draft.product,
            stage=draft.stage or Stage.INQUIRY,
            qty_is_container=False,
            created_at=now,
            updated_at=now,
        )
        session.add(deal)
        customer.deals.append(deal)
    for attribute in (
        "spec",
        "qty_amount",
        "qty_unit",
        "qty_is_container",
        "currency",
        "unit_price",
        "incoterm",
        "incoterm_place",
        "value",
        "stage",
        "probability",
        "close_date",
    ):
        value = getattr(draft, attribute)
        if value is not None:
            setattr(deal, attribute, value)
    if draft.unit_price is not None:
        # A new price comes with its own terms: an old Incoterm, port or unit must not stick to it.
        deal.incoterm = draft.incoterm
        deal.incoterm_place = draft.incoterm_place
        deal.price_unit = draft.price_unit
    if draft.reason:
        deal.close_reason = draft.reason
    deal.updated_at = now
    await session.flush()
    logger.info(
        "deal %s deal_id=%s customer_id=%s member_id=%s stage=%s",
        "created" if created else "updated",
        deal.id,
        customer.id,
        actor.id,
        deal.stage.value,
    )
    return deal, created


async def move_stage(
    session: AsyncSession,
    *,
    actor: Member,
    customer: Customer,
    stage: Stage,
    product: str | None,
    reason: str | None,
    now: datetime,
) -> Deal:
    """Move the customer's open deal (the only one, or the one for `product`) to `stage`."""
    if not is_owned_by(customer, actor):
        raise NotFound(N_("No customer '%(query)s' among yours. Try /find."), query=customer.name)
    _check_closing(stage, reason)
    deal = _find_open_deal(customer, product)
    if deal is None:
        if not any(deal.stage.is_open for deal in customer.deals):
            raise NotFound(N_("'%(name)s' has no open deal. Create one with /deal."), name=customer.name)
        _raise_which_deal(customer)
    deal.stage = stage
    if reason:
        deal.close_reason = reason
    deal.updated_at = now
    await session.flush()
    logger.info("deal stage moved deal_id=%s member_id=%s stage=%s", deal.id, actor.id, stage.value)
    return deal
