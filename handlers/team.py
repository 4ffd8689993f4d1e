"""Team administration: invitations, members and roles, markets, and handovers."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from bot.errors import AccessDenied, ParseError
from bot.i18n import N_
from bot.models import Member, Role
from bot.services import handover as handover_service
from bot.services import invites
from bot.services import markets as markets_service
from bot.services.market_table import DEFAULT_MARKETS, market_label
from bot.services.members import is_manager, match_members, resolve_member, set_role, team_members
from bot.transports.base import Reply
from handlers.context import HandlerContext
from handlers.labels import ROLE_LABELS
from handlers.parsing import normalize_text
from handlers.parsing_countries import resolve_country
from reminders.formatting import format_weekday_date

# Role words accepted by /invite and /role, in English and Chinese.
ROLE_WORDS: dict[str, Role] = {
    "rep": Role.REP,
    "sales": Role.REP,
    "业务员": Role.REP,
    "销售": Role.REP,
    "manager": Role.MANAGER,
    "经理": Role.MANAGER,
    "主管": Role.MANAGER,
}


def parse_role(text: str, *, usage: str) -> Role:
    role = ROLE_WORDS.get(normalize_text(text).strip().lower())
    if role is None:
        raise ParseError(usage, value=text)
    return role


async def cmd_invite(context: HandlerContext, args: str) -> list[Reply]:
    """Create a single-use invitation code for a rep or a manager (admins)."""
    member = context.require_member()
    role = parse_role(args, usage=N_("Write /invite rep or /invite manager."))
    code, invitation = await invites.create_invitation(context.session, actor=member, role=role, now=context.now)
    t = context.t
    expires = invitation.expires_at.astimezone(ZoneInfo(member.zone)).date()
    text = t.gettext(
        "Invitation for a %(role)s: %(code)s\n"
        "It works once and expires on %(date)s. The new member sends me:\n/start %(code)s",
        role=t.gettext(ROLE_LABELS[role.value]),
        code=code,
        date=format_weekday_date(expires, t),
    )
    return [Reply(text=text)]


# --- members and roles ---


async def cmd_members(context: HandlerContext, args: str) -> list[Reply]:
    """List the team's members with their roles and markets (admins and managers)."""
    member = context.require_member()
    if not is_manager(member):
        raise AccessDenied(N_("Only admins and managers can list the team's members."))
    t = context.t
    lines = [t.gettext("Members of %(team)s:", team=context.team.name)]
    for each in await team_members(context.session, team_id=context.team.id):
        markets = await markets_service.member_markets(context.session, member=each)
        parts = [f"#{each.id} {each.display_name}", t.gettext(ROLE_LABELS[each.role.value])]
        if not each.active:
            parts.append(t.gettext("inactive"))
        if markets:
            parts.append(t.gettext("markets: %(markets)s", markets=", ".join(market_label(market.name, t.locale) for market in markets)))
        lines.append(" — ".join(parts))
    return [Reply(text="\n".join(lines))]


async def cmd_role(context: HandlerContext, args: str) -> list[Reply]:
    """Make a member a manager or a rep (admins)."""
    actor = context.require_member()
    words = normalize_text(args).split()
    usage = N_("Write /role NAME manager or /role NAME rep.")
    if len(words) < 2:
        raise ParseError(usage, value=args.strip())
    role = parse_role(words[-1], usage=usage)
    target = await resolve_member(context.session, team_id=context.team.id, text=" ".join(words[:-1]))
    await set_role(context.session, actor=actor, member=target, role=role)
    t = context.t
    return [Reply(text=t.gettext("%(name)s is now a %(role)s.", name=target.display_name, role=t.gettext(ROLE_LABELS[role.value])))]


# --- markets ---

MARKET_ACTIONS: dict[str, str] = {
    "set": "set",
    "设置": "set",
    "定义": "set",
    "assign": "assign",
    "分配": "assign",
    "unassign": "unassign",
    "取消分配": "unassign",
    "remove": "remove",
    "删除": "remove",
    "outside": "outside",
    "区域外": "outside",
}
SWITCH_WORDS: dict[str, bool] = {"on": True, "开": True, "允许": True, "off": False, "关": False, "禁止": False}
MARKET_USAGE = N_(
    "Write /market to list markets, /market set NAME COUNTRIES, /market assign MEMBER MARKET, "
    "/market unassign MEMBER MARKET, /market remove NAME or /market outside on|off."
)


async def cmd_market(context: HandlerContext, args: str) -> list[Reply]:
    """List or change the team's markets and who covers them."""
    actor = context.require_member()
    words = normalize_text(args).split()
    if not words:
        return [Reply(text=await render_markets(context))]
    action = MARKET_ACTIONS.get(words[0].lower())
    rest = words[1:]
    session = context.session
    t = context.t
    if action is None:
        raise ParseError(MARKET_USAGE, value=words[0])
    if action == "set":
        if len(rest) < 2:
            raise ParseError(N_("Name the market and its countries, e.g. /market set 欧洲 DE FR IT."), value=args.strip())
        countries = [resolve_country(token) for token in " ".join(rest[1:]).replace(",", " ").replace("，", " ").split()]
        market = await markets_service.set_market(session, actor=actor, name=rest[0], countries=countries)
        return [Reply(text=t.gettext("Market %(name)s: %(countries)s.", name=market_label(market.name, t.locale), countries=" ".join(market.countries)))]
    if action == "remove":
        markets_service.require_manager(actor)
        if not rest:
            raise ParseError(MARKET_USAGE, value=args.strip())
        market = await markets_service.find_market(session, team_id=context.team.id, name=" ".join(rest), locale=t.locale)
        name = market_label(market.name, t.locale)
        await markets_service.remove_market(session, actor=actor, market=market)
        return [Reply(text=t.gettext("Market %(name)s removed.", name=name))]
    if action == "outside":
        allowed = SWITCH_WORDS.get(rest[0].lower()) if len(rest) == 1 else None
        if allowed is None:
            raise ParseError(N_("Write /market outside on or /market outside off."), value=" ".join(rest))
        await markets_service.set_outside_allowed(session, actor=actor, team=context.team, allowed=allowed)
        message = (
            N_("Reps may now register buyers outside their markets.")
            if allowed
            else N_("Reps now register buyers only in their markets.")
        )
        return [Reply(text=t.gettext(message))]
    # assign / unassign MEMBER MARKET
    markets_service.require_manager(actor)
    if len(rest) < 2:
        raise ParseError(MARKET_USAGE, value=args.strip())
    member_text, market_text = split_member_and_rest(await team_members(session, team_id=context.team.id), rest)
    member = await resolve_member(session, team_id=context.team.id, text=member_text)
    market = await markets_service.find_market(session, team_id=context.team.id, name=market_text, locale=context.t.locale)
    assigned = action == "assign"
    await markets_service.assign_market(session, actor=actor, member=member, market=market, assigned=assigned)
    message = N_("%(member)s now covers %(market)s.") if assigned else N_("%(member)s no longer covers %(market)s.")
    return [Reply(text=t.gettext(message, member=member.display_name, market=market_label(market.name, t.locale)))]


def split_member_and_rest(members: list[Member], words: list[str]) -> tuple[str, str]:
    """Split words into a member's name and the rest: the shortest prefix naming one member exactly, else the first word."""
    for count in range(1, len(words)):
        if len(match_members(members, " ".join(words[:count]), exact_only=True)) == 1:
            return " ".join(words[:count]), " ".join(words[count:])
    return words[0], " ".join(words[1:])


async def render_markets(context: HandlerContext) -> str:
    t = context.t
    session = context.session
    markets = await markets_service.team_markets(session, team_id=context.team.id)
    members = await team_members(session, team_id=context.team.id)
    coverage: dict[int, list[str]] = {}
    for member in members:
        if not member.active:
            continue
        for market in await markets_service.member_markets(session, member=member):
            coverage.setdefault(market.id, []).append(member.display_name)
    lines = [t.gettext("Markets of %(team)s:", team=context.team.name) if markets else t.gettext("No markets yet.")]
    for market in markets:
        covered = ", ".join(coverage.get(market.id, [])) or t.gettext("nobody")
        lines.append(f"{market_label(market.name, t.locale)}: {' '.join(market.countries)} — " + t.gettext("covered by %(members)s", members=covered))
    stored = {market.name_key for market in markets}
    defaults = [
        name_zh if t.locale == "zh_CN" else name_en
        for name_zh, name_en, _codes in DEFAULT_MARKETS
        if markets_service.market_key(name_zh) not in stored and markets_service.market_key(name_en) not in stored
    ]
    if defaults:
        lines.append(t.gettext("Ready to assign by name: %(names)s.", names=", ".join(defaults)))
    lines.append(
        t.gettext("Reps may register buyers outside their markets.")
        if context.team.markets_outside_allowed
        else t.gettext("Reps register buyers only in their markets; reps without markets register anywhere.")
    )
    return "\n".join(lines)


# --- handover ---

# The optional market part of /handover: 市场: 欧洲 or market: Europe.
_MARKET_FIELD = re.compile(r"(?:市场|market)\s*[:：]\s*(?P<market>.+)$", re.IGNORECASE)


async def cmd_handover(context: HandlerContext, args: str) -> list[Reply]:
    """Hand a leaver's customers over to a successor; without a market, deactivate the leaver (admins, managers)."""
    actor = context.require_member()
    if not is_manager(actor):
        raise AccessDenied(N_("Only admins and managers can hand customers over."))
    text = normalize_text(args).strip()
    market_name: str | None = None
    field = _MARKET_FIELD.search(text)
    if field:
        market_name = field.group("market").strip()
        text = text[: field.start()].strip()
    words = text.split()
    if len(words) < 2:
        raise ParseError(N_("Write /handover @LEAVER @SUCCESSOR [市场: MARKET]."), value=args.strip())
    session = context.session
    members = await team_members(session, team_id=context.team.id)
    leaver_text, successor_text = split_two_members(members, words)
    leaver = await resolve_member(session, team_id=context.team.id, text=leaver_text)
    successor = await resolve_member(session, team_id=context.team.id, text=successor_text)
    market = await markets_service.find_market(session, team_id=context.team.id, name=market_name, locale=context.t.locale) if market_name else None
    result = await handover_service.hand_over(
        session,
        actor=actor,
        leaver=leaver,
        successor=successor,
        market=market,
        now=context.now,
        platform=context.incoming.platform,
        chat_id=context.incoming.chat_id,
    )
    t = context.t
    lines = [
        t.gettext(
            "Handed over from %(leaver)s to %(successor)s: %(customers)s customers, %(deals)s deals, "
            "%(inquiries)s open inquiries, %(reminders)s reminders.",
            leaver=leaver.display_name,
            successor=successor.display_name,
            customers=result.customers,
            deals=result.deals,
            inquiries=result.inquiries,
            reminders=result.reminders,
        )
    ]
    if result.deactivated:
        lines.append(t.gettext("%(name)s is deactivated and can no longer use the bot.", name=leaver.display_name))
    else:
        lines.append(t.gettext("Only the market %(market)s was handed over; %(name)s stays active.", market=market_label(market.name, t.locale) if market else "", name=leaver.display_name))
    return [Reply(text="\n".join(lines))]


def split_two_members(members: list[Member], words: list[str]) -> tuple[str, str]:
    """Split words into two member names; names of several words are found by exact match."""
    splits = [
        count
        for count in range(1, len(words))
        if len(match_members(members, " ".join(words[:count]), exact_only=True)) == 1
        and len(match_members(members, " ".join(words[count:]), exact_only=True)) == 1
    ]
    count = splits[0] if len(splits) == 1 else 1
    return " ".join(words[:count]), " ".join(words[count:])
