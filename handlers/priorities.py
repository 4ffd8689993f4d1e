"""Work to do first: /overdue (follow-ups per rep) and /top (deals by expected return)."""

from __future__ import annotations

from bot.errors import ParseError
from bot.i18n import N_, Translator
from bot.services import overdue as overdue_service
from bot.services import top_deals as top_service
from bot.transports.base import Reply
from handlers.context import HandlerContext
from handlers.labels import STAGE_LABELS
from handlers.parsing_text import normalize_text
from reminders.formatting import format_money

DEFAULT_TOP = 10
MAX_TOP = 50
# Overdue follow-ups shown per rep; the rest are counted.
MAX_OVERDUE_PER_REP = 10

TOP_COUNT_INVALID = N_("'%(value)s' is not a count of deals. Write e.g. /top or /top 20 (1 to %(limit)s).")
TOP_NO_RATES = N_(
    "No rate for %(currencies)s, so deals are ranked per currency by their plain amount. "
    "Set a rate with /fx %(example)s RATE to rank them together."
)
TOP_UNCONVERTED = N_(
    "No rate for %(currencies)s: those deals come after the converted ones, per currency, by their plain amount. "
    "Set a rate with /fx %(example)s RATE."
)


def parse_top_count(text: str) -> int:
    value = normalize_text(text).strip()
    if not value:
        return DEFAULT_TOP
    if not value.isdigit() or not 1 <= int(value) <= MAX_TOP:
        raise ParseError(TOP_COUNT_INVALID, value=value, limit=MAX_TOP)
    return int(value)


def parse_rep_query(text: str) -> str | None:
    """Return the rep named in '/overdue Li' or '/overdue @Li', or None for none."""
    query = normalize_text(text).strip().lstrip("@").strip()
    return query or None


def render_overdue(reps: list[overdue_service.RepOverdue], t: Translator) -> str:
    if not reps:
        return t.gettext("No overdue follow-ups.")
    lines = [t.gettext("Overdue follow-ups, oldest first:")]
    for rep in reps:
        lines.append(t.ngettext("%(name)s: %(count)s overdue", "%(name)s: %(count)s overdue", len(rep.items), name=rep.name))
        for item in rep.items[:MAX_OVERDUE_PER_REP]:
            lines.append(
                "  "
                + t.gettext(
                    "%(customer)s (%(country)s), tier %(tier)s: due %(date)s, %(late)s",
                    customer=item.name,
                    country=item.country,
                    tier=item.tier,
                    date=item.due_date.isoformat(),
                    late=t.ngettext("%(count)s day overdue", "%(count)s days overdue", item.days_overdue),
                )
            )
        if len(rep.items) > MAX_OVERDUE_PER_REP:
            lines.append("  " + t.gettext("…and %(count)s more.", count=len(rep.items) - MAX_OVERDUE_PER_REP))
    return "\n".join(lines)


def _top_reason(deal: top_service.TopDeal, base: str, t: Translator) -> str:
    parts = []
    percent = int((deal.probability * 100).to_integral_value())
    if deal.expected is not None and deal.value is not None and deal.currency:
        expected = t.gettext(
            "expected %(weighted)s (%(percent)s%% of %(value)s)",
            weighted=format_money(deal.expected, deal.currency, t),
            percent=percent,
            value=format_money(deal.value, deal.currency, t),
        )
        if deal.expected_base is not None and deal.currency != base:
            expected += " ≈ " + format_money(deal.expected_base, base, t)
        parts.append(expected)
    else:
        parts.append(t.gettext("no value yet, %(percent)s%% probability", percent=percent))
    parts.append(t.gettext("tier %(tier)s", tier=deal.tier))
    if deal.close_date is not None:
        parts.append(t.gettext("closes %(date)s", date=deal.close_date.isoformat()))
    return t.gettext("; ").join(parts)


def render_top(view: top_service.TopView, t: Translator) -> str:
    if not view.deals:
        return t.gettext("No open deals. Create one with /deal.")
    if view.scope.is_team:
        header = t.gettext("The team's open deals by expected return (probability × value):")
    else:
        header = t.gettext("Your open deals by expected return (probability × value):")
    lines = [header]
    for number, deal in enumerate(view.deals, start=1):
        owner = f", {deal.owner_name}" if view.scope.is_team else ""
        lines.append(
            f"{number}. {deal.customer_name} ({deal.country}) — {deal.product}, "
            f"{t.gettext(STAGE_LABELS[deal.stage.value])}{owner}"
        )
        lines.append("   " + _top_reason(deal, view.rates.base, t))
    if view.unconverted:
        # With no converted deal at all, "after the converted ones" would point at nothing.
        any_converted = any(deal.expected_base is not None for deal in view.deals)
        message = TOP_UNCONVERTED if any_converted else TOP_NO_RATES
        lines.append(t.gettext(message, currencies=", ".join(view.unconverted), example=view.unconverted[0]))
    return "\n".join(lines)


async def cmd_overdue(context: HandlerContext, args: str) -> list[Reply]:
    """List overdue follow-ups per rep, oldest first; a rep sees their own."""
    member = context.require_member()
    reps = await overdue_service.overdue_followups(
        context.session, actor=member, team=context.team, rep_query=parse_rep_query(args), now=context.now
    )
    return [Reply(text=render_overdue(reps, context.t))]


async def cmd_top(context: HandlerContext, args: str) -> list[Reply]:
    """List the open deals with the highest expected return, with the reason for each place."""
    member = context.require_member()
    limit = parse_top_count(args)
    view = await top_service.top_deals(context.session, actor=member, team=context.team, limit=limit)
    return [Reply(text=render_top(view, context.t))]
