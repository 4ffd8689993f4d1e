"""Deal commands: /deal and /stage."""

from __future__ import annotations



from bot.errors import UserError
from bot.i18n import N_
from bot.models import Stage
from bot.services import deals as deal_service
from bot.services import prices as price_service
from bot.services.deals import DealDraft
from bot.transports.base import Reply
from handlers.context import HandlerContext, member_today
from handlers.customers import find_customer
from handlers.prices import describe_quote_check
from handlers.limits import PLACE_LIMIT, VALUE_PLACES, check_lengths
from handlers.render import describe_deal
from handlers.parsing import (
    DatePurpose,
    parse_date,
    parse_fields,
    parse_money,
    parse_probability,
    parse_quantity,
    parse_stage,
)

DEAL_FIELDS = frozenset(
    {"product", "spec", "qty", "price", "stage", "probability", "close", "reason", "value", "note"}
)
STAGE_FIELDS = frozenset({"product", "stage", "reason"})


def fields_text(fields: dict[str, str]) -> str:
    """Write parsed fields back as 'key: value' text with the canonical English keys."""
    return " ".join(f"{key}: {value}" for key, value in fields.items())


def build_deal_draft(fields: dict[str, str], *, context: HandlerContext) -> DealDraft:
    """Check every field of a /deal message; raise on the first bad one, before any write."""
    check_lengths(fields)
    values: dict[str, object] = {}
    if "product" in fields:
        values["product"] = fields["product"].strip()
    if "spec" in fields:
        values["spec"] = fields["spec"].strip()
    if "qty" in fields:
        quantity = parse_quantity(fields["qty"])
        values.update(qty_amount=quantity.amount, qty_unit=quantity.unit, qty_is_container=quantity.is_container)
    if "price" in fields:
        money = parse_money(fields["price"])
        if money.place and len(money.place) > PLACE_LIMIT:
            raise UserError(
                N_("The port or place '%(place)s…' is too long. Use at most %(limit)s characters."),
                place=money.place[:30],
                limit=PLACE_LIMIT,
            )
        values.update(
            currency=money.currency,
            unit_price=money.amount,
            price_unit=money.unit,
            incoterm=money.incoterm,
            incoterm_place=money.place,
        )
    if "value" in fields:
        total = parse_money(fields["value"], places=VALUE_PLACES)
        if "currency" in values and values["currency"] != total.currency:
            raise UserError(
                N_("The price is in %(price)s but the value in %(value)s. Use one currency per deal."),
                price=values["currency"],
                value=total.currency,
            )
        values.update(value=total.amount, currency=total.currency)
    if "stage" in fields:
        values["stage"] = Stage(parse_stage(fields["stage"]))
    if "probability" in fields:
        values["probability"] = parse_probability(fields["probability"])
    if "close" in fields:
        values["close_date"] = parse_date(fields["close"], today=member_today(context), purpose=DatePurpose.FUTURE)
    if "reason" in fields:
        values["reason"] = fields["reason"].strip()
    return DealDraft(**values)  # type: ignore[arg-type]


async def cmd_deal(context: HandlerContext, args: str) -> list[Reply]:
    """Create or update a customer's deal from key: value fields."""
    member = context.require_member()
    parsed = parse_fields(args, allowed=DEAL_FIELDS)
    if not parsed.leading:
        raise UserError(N_("Which customer? Write e.g. /deal Sharma 产品: CTCP plate 价格: USD 2.5 FOB Shanghai."))
    if not parsed.fields:
        raise UserError(N_("No deal fields given. Write e.g. /deal Sharma 产品: CTCP plate 价格: USD 2.5 FOB Shanghai."))
    draft = build_deal_draft(parsed.fields, context=context)
    customer = await find_customer(context, parsed.leading, command="deal", rest=fields_text(parsed.fields))
    deal, created = await deal_service.upsert_deal(
        context.session, actor=member, customer=customer, draft=draft, now=context.now
    )
    t = context.t
    message = (
        t.gettext("Deal created for %(name)s: %(deal)s.", name=customer.name, deal=describe_deal(deal, t=context.t))
        if created
        else t.gettext("Deal updated for %(name)s: %(deal)s.", name=customer.name, deal=describe_deal(deal, t=context.t))
    )
    if draft.unit_price is not None:
        # A price typed in this message is a quote: compare it with the buyer's market list price.
        check = await price_service.check_quote(
            context.session,
            actor=member,
            team=context.team,
            customer=customer,
            deal=deal,
            now=context.now,
            platform=context.incoming.platform,
            chat_id=context.incoming.chat_id,
        )
        if check is not None:
            message += "\n" + describe_quote_check(check, t=t)
    return [Reply(text=message)]


async def cmd_stage(context: HandlerContext, args: str) -> list[Reply]:
    """Move a deal to another stage; won and lost need a reason."""
    member = context.require_member()
    parsed = parse_fields(args, allowed=STAGE_FIELDS)
    fields = parsed.fields
    leading = parsed.leading
    if "stage" in fields:
        stage_text, name = fields["stage"], leading
    else:
        name, _, stage_text = leading.rpartition(" ")
    if not name.strip() or not stage_text.strip():
        raise UserError(N_("Write the customer and the stage, e.g. /stage Sharma won 原因: price accepted."))
    stage = Stage(parse_stage(stage_text))
    customer = await find_customer(context, name, command="stage", rest=fields_text({**fields, "stage": stage.value}))
    deal = await deal_service.move_stage(
        context.session,
        actor=member,
        customer=customer,
        stage=stage,
        product=fields.get("product"),
        reason=fields.get("reason"),
        now=context.now,
    )
    return [
        Reply(
            text=context.t.gettext(
                "%(name)s: %(deal)s.", name=customer.name, deal=describe_deal(deal, t=context.t)
            )
        )
    ]



