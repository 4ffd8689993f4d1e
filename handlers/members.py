"""Joining, language, time zone and help."""

from __future__ import annotations

from bot.errors import ParseError
from bot.i18n import N_, translator
from bot.services.members import join, set_zone
from bot.transports.base import Reply
from handlers.commands import COMMANDS
from handlers.context import HandlerContext
from handlers.labels import LANGUAGE_CHOICES, LANGUAGE_NAMES, ROLE_LABELS
from handlers.parsing import normalize_text
from reminders.zones import resolve_zone


def language_of(text: str) -> str | None:
    """Return the locale that a word such as zh, 中文 or English names, or None."""
    return LANGUAGE_CHOICES.get(normalize_text(text).lower().replace("-", "_"))


def parse_language(text: str) -> str:
    locale = language_of(text)
    if locale is None:
        raise ParseError(N_("Language '%(value)s' is not supported. Write zh or en."), value=text)
    return locale


async def cmd_start(context: HandlerContext, args: str) -> list[Reply]:
    """Join the team, optionally with a language and a time zone."""
    locale: str | None = None
    zone: str | None = None
    for token in normalize_text(args).split():
        locale_named = language_of(token)
        if locale_named is not None:
            locale = locale_named
        else:
            zone = resolve_zone(token)
    incoming = context.incoming
    member, created = await join(
        context.session,
        team=context.team,
        platform=incoming.platform,
        external_id=incoming.user_id,
        chat_id=incoming.chat_id,
        display_name=incoming.display_name,
        client_locale=incoming.locale,
        locale=locale,
        zone=zone,
        now=context.now,
    )
    if locale:
        context.t = translator(locale)
    t = context.t
    greeting = (
        t.gettext("Welcome, %(name)s! You joined %(team)s as %(role)s.", name=member.display_name, team=context.team.name, role=t.gettext(ROLE_LABELS[member.role.value]))
        if created
        else t.gettext("Welcome back, %(name)s.", name=member.display_name)
    )
    settings = t.gettext(
        "Language: %(language)s. Time zone: %(zone)s. Change them with /lang and /tz.",
        language=LANGUAGE_NAMES[t.locale],
        zone=member.zone,
    )
    first_step = t.gettext("Register your first customer, e.g.:\n/add 名称: Sharma Print House 国家: 印度 等级: A")
    return [Reply(text="\n".join([greeting, settings, first_step, "", render_help(context)]))]


async def cmd_lang(context: HandlerContext, args: str) -> list[Reply]:
    """Set the member's language."""
    member = context.require_member()
    if not args.strip():
        raise ParseError(N_("Which language? Write /lang zh or /lang en."))
    member.locale = parse_language(args)
    context.t = translator(member.locale)
    # Translators: shown after /lang; name the language of this catalog.
    return [Reply(text=context.t.gettext("Language set to English."))]


async def cmd_tz(context: HandlerContext, args: str) -> list[Reply]:
    """Set the member's time zone."""
    member = context.require_member()
    if not args.strip():
        raise ParseError(
            N_("Your time zone is %(zone)s. To change it, write e.g. /tz Asia/Shanghai or /tz 迪拜."),
            zone=member.zone,
        )
    await set_zone(context.session, member=member, zone=resolve_zone(args), now=context.now)
    return [Reply(text=context.t.gettext("Time zone set to %(zone)s.", zone=member.zone))]


def render_help(context: HandlerContext) -> str:
    t = context.t
    lines = [t.gettext("Commands (the Chinese keyword works too):")]
    for spec in COMMANDS:
        lines.append(f"{t.gettext(spec.usage)}  ({spec.keywords[0]})")
        lines.append("   " + t.gettext(spec.summary))
    lines.append(t.gettext("Fields are written as key: value, with keys in Chinese or English."))
    return "\n".join(lines)


async def cmd_help(context: HandlerContext, args: str) -> list[Reply]:
    """List the commands in the member's language."""
    return [Reply(text=render_help(context))]
