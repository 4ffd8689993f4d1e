"""The /cadence command: follow-up intervals per tier for the team, or for one customer."""

from __future__ import annotations

from bot.errors import AccessDenied, UserError
from bot.i18n import N_
from bot.services.members import is_manager
from bot.services import customers as customer_service
from bot.services.cadence import MAX_CADENCE_DAYS, set_customer_cadence, set_team_cadence, team_cadence
from bot.transports.base import Reply
from handlers.context import HandlerContext, next_followup_date
from handlers.audit import audit_card_read
from handlers.customers import find_customer
from handlers.parsing import normalize_text

# The keys a team may override: the three tiers and the monthly check-in of won buyers.
TEAM_KEYS = {"a": "A", "b": "B", "c": "C", "won": "won", "成交": "won"}
RESET_WORDS = {"default", "默认", "reset"}
DAY_UNITS = {"days", "day", "d", "天"}


def parse_days(text: str) -> int | None:
    """Read a number of days (5, 5d, 5天), or None for 'default'."""
    value = normalize_text(text).lower()
    if value in RESET_WORDS:
        return None
    digits = value
    for unit in ("days", "day", "d", "天"):
        digits = digits.removesuffix(unit)
    digits = digits.strip()
    if not digits.isdigit() or not 1 <= int(digits) <= MAX_CADENCE_DAYS:
        raise UserError(
            N_("Cadence '%(value)s' is not valid. Write a number of days from 1 to %(max)s, or default."),
            value=text,
            max=MAX_CADENCE_DAYS,
        )
    return int(digits)


def _looks_like_days(word: str) -> bool:
    value = normalize_text(word).lower()
    return value in RESET_WORDS or value[:1].isdigit() or value[:1] == "-"


def render_team_cadence(context: HandlerContext) -> str:
    cadence = team_cadence(context.team)
    t = context.t
    return t.gettext(
        "Follow-up every: tier A %(a)s days, B %(b)s days, C %(c)s days; won buyers %(won)s days.",
        a=cadence["A"],
        b=cadence["B"],
        c=cadence["C"],
        won=cadence["won"],
    )


async def render_customer_cadence(context: HandlerContext, name: str) -> str:
    customer = await find_customer(context, name, command="cadence")
    await audit_card_read(context, customer, command="cadence")
    t = context.t
    next_due = next_followup_date(context, customer).isoformat()
    if customer.cadence_days:
        return t.gettext(
            "%(name)s: follow up every %(days)s days. Next follow-up: %(date)s.",
            name=customer.name,
            days=customer.cadence_days,
            date=next_due,
        )
    return t.gettext(
        "%(name)s follows the team cadence for tier %(tier)s. Next follow-up: %(date)s.",
        name=customer.name,
        tier=customer.tier,
        date=next_due,
    )


async def cmd_cadence(context: HandlerContext, args: str) -> list[Reply]:
    """Show or set the follow-up cadence of the team or of one customer."""
    member = context.require_member()
    words = normalize_text(args).split()
    if not words:
        return [Reply(text=render_team_cadence(context))]
    if len(words) > 1 and words[-1].lower() in DAY_UNITS:
        # "/cadence A 5 days", "/cadence A 5 天": the unit is a word of its own.
        words = words[:-1]
    if len(words) == 1 and words[0].lower() in TEAM_KEYS:
        raise UserError(N_("Write a tier or a customer and the days, e.g. /cadence A 2 or /cadence Sharma 5."))
    whole = await customer_service.find_exact_customer(context.session, actor=member, text=" ".join(words))
    if whole is not None or len(words) == 1 or not _looks_like_days(words[-1]):
        # A customer named in full (even "Studio 54") is shown, never changed.
        return [Reply(text=await render_customer_cadence(context, " ".join(words)))]

    key = TEAM_KEYS.get(words[0].lower()) if len(words) == 2 else None
    days = parse_days(words[-1])
    if key is not None:
        if not is_manager(member):
            raise AccessDenied(N_("Only an admin or a manager can change the team's cadence."))
        set_team_cadence(context.team, key=key, days=days, actor=member)
        return [Reply(text=render_team_cadence(context))]

    name = " ".join(words[:-1])
    customer = await find_customer(context, name, command="cadence", rest=words[-1])
    await set_customer_cadence(context.session, customer=customer, days=days, actor=member)
    t = context.t
    next_due = next_followup_date(context, customer).isoformat()
    if days is None:
        text = t.gettext("%(name)s follows the team cadence again. Next follow-up: %(date)s.", name=customer.name, date=next_due)
    else:
        text = t.gettext(
            "%(name)s: follow up every %(days)s days. Next follow-up: %(date)s.", name=customer.name, days=days, date=next_due
        )
    return [Reply(text=text)]
