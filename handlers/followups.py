"""Follow-up commands: /today, /done, /snooze."""

from __future__ import annotations

from bot.errors import UserError
from bot.i18n import N_
from bot.services import customers as customer_service
from bot.services import followups as followup_service
from bot.transports.base import Reply
from handlers.context import HandlerContext, member_today, next_followup_date
from handlers.customers import find_customer_prefix
from handlers.parsing import parse_snooze
from reminders.digest import render_followups


async def cmd_today(context: HandlerContext, args: str) -> list[Reply]:
    """List today's follow-ups, highest expected return first, with send windows."""
    member = context.require_member()
    if args.strip():
        raise UserError(N_("/today takes nothing after it. Send /today alone; use /card NAME for one customer."))
    items = await followup_service.list_due(context.session, member=member, team=context.team, now=context.now)
    t = context.t
    if not items:
        return [Reply(text=t.gettext("Nothing due today. Register customers with /add or log contact with /log."))]
    header = t.ngettext("%(count)s follow-up due:", "%(count)s follow-ups due:", len(items))
    return [render_followups(items, t=t, rep_zone=member.zone, now=context.now, header=header)]


async def cmd_done(context: HandlerContext, args: str) -> list[Reply]:
    """Mark a customer's follow-up done; an optional text is kept as the interaction."""
    member = context.require_member()
    customer, rest = await find_customer_prefix(context, args, command="done")
    t = context.t
    await followup_service.mark_done(context.session, actor=member, customer=customer, note=rest.strip(), now=context.now)
    next_due = next_followup_date(context, customer)
    return [
        Reply(text=t.gettext("Done: %(name)s. Next follow-up: %(date)s.", name=customer.name, date=next_due.isoformat()))
    ]


async def cmd_snooze(context: HandlerContext, args: str) -> list[Reply]:
    """Postpone a customer's follow-up by 1d, 3d, next week or to a date."""
    member = context.require_member()
    customer, rest = await find_customer_prefix(context, args, command="snooze")
    until = parse_snooze(rest, today=member_today(context))
    already_due = next_followup_date(context, customer)
    if until <= already_due:
        # The cadence already puts the follow-up at or after that day; a snooze would change nothing.
        return [
            Reply(
                text=context.t.gettext(
                    "%(name)s is not due before %(date)s, so there is nothing to postpone.",
                    name=customer.name,
                    date=already_due.isoformat(),
                )
            )
        ]
    await customer_service.snooze(context.session, actor=member, customer=customer, until=until)
    next_due = next_followup_date(context, customer)
    return [
        Reply(
            text=context.t.gettext(
                "Snoozed %(name)s. Next follow-up: %(date)s.", name=customer.name, date=next_due.isoformat()
            )
        )
    ]
