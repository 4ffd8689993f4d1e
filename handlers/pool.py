"""The shared pool (公海): /pool lists it or sets its rules, /claim takes a customer from it."""

from __future__ import annotations

from bot.errors import ParseError
from bot.i18n import N_
from bot.services import pool as pool_service
from bot.services.customers import AmbiguousName
from bot.transports.base import Reply
from handlers.context import HandlerContext, next_followup_date
from handlers.customers import ambiguous_choice

# /pool lists this many customers; a longer list would not fit a phone screen.
MAX_POOL_SHOWN = 30
POOL_SETTINGS = frozenset({"days", "cap"})
POOL_USAGE = N_("Write /pool to list the pool, or /pool days 90 or /pool cap 5 to change its rules (admins, managers).")


async def cmd_pool(context: HandlerContext, args: str) -> list[Reply]:
    """List the team's pool: company, country and tier, never contacts. Or set days/cap."""
    member = context.require_member()
    words = args.split()
    t = context.t
    team = context.team
    if words:
        if len(words) != 2 or words[0].lower() not in POOL_SETTINGS:
            raise ParseError(POOL_USAGE)
        setting = words[0].lower()
        value = await pool_service.set_pool_setting(
            context.session, actor=member, team=team, name=setting, text=words[1], now=context.now
        )
        if setting == "days":
            text = t.gettext("Customers with no logged interaction for %(days)s days now return to the pool.", days=value)
        elif value == 0:
            text = t.gettext("Claiming is now off: pool customers cannot be claimed until /pool cap N.")
        else:
            text = t.gettext("Each member may now claim %(cap)s pool customers per month.", cap=value)
        return [Reply(text=text)]

    incoming = context.incoming
    view = await pool_service.view_pool(
        context.session, actor=member, team=team, now=context.now, platform=incoming.platform, chat_id=incoming.chat_id
    )
    rules = t.gettext(
        "Customers with no logged interaction for %(days)s days return here. Your claims this month: %(used)s of %(cap)s.",
        days=team.pool_days,
        used=view.claims_used,
        cap=team.pool_claim_cap,
    )
    if not view.customers:
        return [Reply(text="\n".join([t.gettext("The pool (公海) is empty."), rules]))]
    lines = [t.ngettext("The pool (公海) holds %(count)s customer:", "The pool (公海) holds %(count)s customers:", len(view.customers))]
    lines += [f"#{customer.id} {customer.name} ({customer.country}, {customer.tier})" for customer in view.customers[:MAX_POOL_SHOWN]]
    if len(view.customers) > MAX_POOL_SHOWN:
        lines.append(t.gettext("…and %(count)s more.", count=len(view.customers) - MAX_POOL_SHOWN))
    lines += [rules, t.gettext("Take one with /claim NAME; its contacts show on its card once it is yours.")]
    return [Reply(text="\n".join(lines))]


async def cmd_claim(context: HandlerContext, args: str) -> list[Reply]:
    """Take a customer from the pool, within the team's monthly cap."""
    member = context.require_member()
    incoming = context.incoming
    try:
        customer, used = await pool_service.claim(
            context.session,
            actor=member,
            team=context.team,
            query=args,
            now=context.now,
            platform=incoming.platform,
            chat_id=incoming.chat_id,
        )
    except AmbiguousName as error:
        raise ambiguous_choice(error, command="claim") from error
    t = context.t
    return [
        Reply(
            text=t.gettext(
                "%(name)s (#%(id)s) is yours now. Claims this month: %(used)s of %(cap)s. Next follow-up: %(date)s.",
                name=customer.name,
                id=customer.id,
                used=used,
                cap=context.team.pool_claim_cap,
                date=next_followup_date(context, customer).isoformat(),
            )
        )
    ]
