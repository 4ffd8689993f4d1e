"""Joining, language, time zone and help."""

from __future__ import annotations

from bot.errors import ParseError
from bot.i18n import N_, translator
from bot.services.invites import split_code
from bot.models import Member, Role
from bot.services.members import is_manager, join, set_zone
from bot.transports.base import Reply
from handlers.commands import (
    ADMIN_ONLY_COMMANDS,
    COMMANDS_BY_NAME,
    HELP_SECTIONS,
    KEYWORDS,
    MANAGER_ONLY_COMMANDS,
    PICK_COMMAND,
    CommandSpec,
)
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
    code, rest = split_code(normalize_text(args))
    for token in rest.split():
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
        code=code,
    )
    context.member = member
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
    more = t.gettext("/help lists every command.")
    return [Reply(text="\n".join([greeting, settings, first_step, more]))]


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


def _may_use(member: Member | None, name: str) -> bool:
    if name in ADMIN_ONLY_COMMANDS:
        return member is not None and member.role == Role.ADMIN
    if name in MANAGER_ONLY_COMMANDS:
        return member is not None and is_manager(member)
    return True


def render_help(context: HandlerContext) -> str:
    """List the commands the member may use, one line each, grouped by section."""
    t = context.t
    lines = [t.gettext("Commands (the Chinese keyword works too):")]
    for title, names in HELP_SECTIONS:
        visible = [COMMANDS_BY_NAME[name] for name in names if _may_use(context.member, name)]
        if not visible:
            continue
        lines.append("")
        lines.append(f"【{t.gettext(title)}】")
        for spec in visible:
            lines.append(f"/{spec.name}（{spec.keywords[0]}）— {t.gettext(spec.summary)}")
    lines.append("")
    lines.append(t.gettext("/help COMMAND shows how to write it, e.g. /help add."))
    lines.append(t.gettext("Fields are written as key: value, with keys in Chinese or English."))
    return "\n".join(lines)


def render_command_help(context: HandlerContext, spec: CommandSpec) -> str:
    """Show one command's form, what it does and its Chinese keywords."""
    t = context.t
    return "\n".join(
        [
            t.gettext(spec.usage),
            t.gettext(spec.summary),
            t.gettext("Chinese keywords: %(keywords)s", keywords="、".join(spec.keywords)),
        ]
    )


async def cmd_help(context: HandlerContext, args: str) -> list[Reply]:
    """List the commands in the member's language, or explain the one named."""
    words = normalize_text(args).lower().lstrip("/").split()
    topic = words[0] if words else ""
    spec = COMMANDS_BY_NAME.get(topic) or next(
        (COMMANDS_BY_NAME[name] for keyword, name in KEYWORDS if keyword == topic), None
    )
    if spec is not None and spec.name != PICK_COMMAND:
        return [Reply(text=render_command_help(context, spec))]
    return [Reply(text=render_help(context))]
