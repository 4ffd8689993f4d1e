"""The /watch command: the team's watch list of suspected price probers."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from bot.errors import ParseError, UserError
from bot.i18n import N_
from bot.models import WatchEntry
from bot.services import watchlist as watch_service
from bot.services.probe import WATCH_DOMAIN, WATCH_EMAIL, WATCH_PHONE
from bot.transports.base import Reply
from handlers.context import HandlerContext, member_zone
from handlers.parsing import normalize_text, parse_email, parse_phone

# Sub-command words -> action.
ACTIONS = {
    "add": "add", "添加": "add", "加": "add", "加入": "add", "新增": "add",
    "remove": "remove", "rm": "remove", "delete": "remove", "del": "remove",
    "删除": "remove", "移除": "remove", "删": "remove",
}  # fmt: skip
VALUE_LIMIT = int(WatchEntry.value.property.columns[0].type.length)
NOTE_LIMIT = int(WatchEntry.note.property.columns[0].type.length)

# A group of a phone number as people write it: +49, (030), 901-820.
_PHONE_PART = re.compile(r"[+(]?[\d()\-.]+")

WATCH_USAGE = N_("Write /watch to see the list, /watch add VALUE [note] or /watch remove VALUE.")
WATCH_VALUE_INVALID = N_(
    "'%(value)s' is not an email, a domain or a phone number. Write e.g. name@rival.com, @rival.com or +49 30 1234567."
)
WATCH_DOMAIN_INVALID = N_("Domain '%(value)s' is not valid. Write e.g. rival.com or @rival.com.")


def parse_watch_value(text: str) -> tuple[str, str]:
    """Read an email, an email domain (@rival.com or rival.com) or a phone with its country code.

    Returns (kind, value) with the email lower-cased, the domain lower-cased and the phone
    in E.164 form, as the price-probe check compares them.

    Raises:
        ParseError: for anything else, or a phone without a country code.
    """
    value = normalize_text(text)
    if not value:
        raise ParseError(WATCH_USAGE)
    if "@" in value[1:]:
        return WATCH_EMAIL, parse_email(value).lower()
    if value.startswith("@"):
        return WATCH_DOMAIN, _parse_domain(value[1:], typed=value)
    if "." in value and any(char.isalpha() for char in value):
        # Domains may start with a digit (163.com), so letters tell them from phone numbers.
        return WATCH_DOMAIN, _parse_domain(value, typed=value)
    if value[0] in "+0123456789(":
        return WATCH_PHONE, parse_phone(value, country=None)
    raise ParseError(WATCH_VALUE_INVALID, value=value)


def split_watch_value(text: str) -> tuple[str, str | None]:
    """Split 'VALUE [note]', where a phone number may span several groups of digits (+49 30 901820 note)."""
    words = text.split()
    count = 1
    if _PHONE_PART.fullmatch(words[0]):
        while count < len(words) and _PHONE_PART.fullmatch(words[count]):
            count += 1
    note = " ".join(words[count:])
    return " ".join(words[:count]), note or None


def _parse_domain(domain: str, *, typed: str) -> str:
    # A domain is valid when it could follow the @ of an email address.
    try:
        return parse_email("x@" + domain.strip().rstrip(".")).split("@", 1)[1]
    except ParseError:
        raise ParseError(WATCH_DOMAIN_INVALID, value=typed) from None


async def cmd_watch(context: HandlerContext, args: str) -> list[Reply]:
    """List the team's watch list, or add or remove a sender."""
    member = context.require_member()
    text = normalize_text(args)
    if not text:
        return [await _render_list(context)]
    action_word, _, rest = text.partition(" ")
    action = ACTIONS.get(action_word.casefold())
    if action is None or not rest.strip():
        raise UserError(WATCH_USAGE)
    value_text, note = split_watch_value(rest)
    kind, value = parse_watch_value(value_text)
    t = context.t
    if action == "remove":
        if note:
            raise UserError(N_("/watch remove takes one value. Write e.g. /watch remove %(value)s."), value=value)
        await watch_service.remove_watch(context.session, actor=member, kind=kind, value=value)
        return [Reply(text=t.gettext("Removed %(value)s from the watch list.", value=value))]

    if len(value) > VALUE_LIMIT:
        raise UserError(N_("'%(value)s' is too long for the watch list. Use at most %(limit)s characters."), value=value, limit=VALUE_LIMIT)
    if note and len(note) > NOTE_LIMIT:
        raise UserError(
            N_("The note is too long (%(length)s characters). Use at most %(limit)s."), length=len(note), limit=NOTE_LIMIT
        )
    await watch_service.add_watch(context.session, actor=member, kind=kind, value=value, note=note, now=context.now)
    return [
        Reply(
            text=t.gettext(
                "Added %(value)s to the team's watch list. New inquiries from it will be flagged.", value=value
            )
        )
    ]


async def _render_list(context: HandlerContext) -> Reply:
    t = context.t
    listed = await watch_service.list_watch(context.session, team_id=context.team.id)
    if not listed:
        return Reply(text=t.gettext("The watch list is empty. Add a suspected price prober with /watch add name@rival.com [note]."))
    tz = ZoneInfo(member_zone(context))
    lines = [t.ngettext("%(count)s entry on the team's watch list:", "%(count)s entries on the team's watch list:", len(listed))]
    for entry, added_by in listed:
        note = f" — {entry.note}" if entry.note else ""
        line = t.gettext(
            "%(value)s%(note)s (added by %(name)s on %(date)s)",
            value=entry.value,
            note=note,
            name=added_by,
            date=entry.created_at.astimezone(tz).date().isoformat(),
        )
        lines.append(f"• {line}")
    return Reply(text="\n".join(lines))

