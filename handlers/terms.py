"""The /terms command: show the team's standard quotation terms, or set and clear them."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.errors import ParseError, UserError
from bot.i18n import N_
from bot.services import terms as terms_service
from bot.services.members import is_manager
from bot.services.terms import TERM_KEYS, QuoteTerms
from bot.transports.base import Reply
from handlers.context import HandlerContext
from handlers.field_aliases import FIELD_ALIASES
from handlers.parsing import accepted_keys, parse_fields
from handlers.parsing_fields import FIELD_TWICE
from handlers.parsing_text import fold_key, normalize_text

TERM_FIELDS = frozenset(TERM_KEYS)
# Words that start "/terms clear KEY".
CLEAR_WORDS = frozenset({"clear", "remove", "delete", "清除", "删除"})
# Unit words a validity may carry after its number: "15 days", "15天".
DAY_UNITS = ("days", "day", "d", "天")

TERM_LABELS: dict[str, str] = {
    "payment": N_("Payment"),
    "lead_time": N_("Lead time"),
    "validity": N_("Validity"),
    "moq": N_("MOQ"),
    "signature": N_("Signature"),
}
TERMS_EXAMPLE = N_("/terms 付款: 30% T/T deposit, 70% against B/L copy 交期: 15 days after deposit 有效期: 15")
TEXT_BEFORE_FIELDS = N_("Text '%(text)s' before the first field is not understood. Write e.g. %(example)s")
TERM_NOT_RECOGNISED = N_("Term '%(value)s' is not recognised. Write one of: %(accepted)s.")


def parse_validity_days(text: str) -> str:
    """Strip a day unit from a validity: '15 days', '15天' and '15' all give '15'."""
    value = normalize_text(text).casefold()
    for unit in DAY_UNITS:
        if value.endswith(unit):
            value = value.removesuffix(unit).strip()
            break
    return value


@lru_cache(maxsize=1)
def _term_key_pattern() -> re.Pattern[str]:
    # A key starts the text or follows a space or separator, as in handlers/parsing_fields.py.
    aliases = sorted((alias for key in TERM_KEYS for alias in FIELD_ALIASES[key]), key=len, reverse=True)
    alternation = "|".join(r"\s+".join(re.escape(word) for word in alias.split()) for alias in aliases)
    return re.compile(rf"(?<![^\s;,])(?P<key>{alternation})\s*:", re.IGNORECASE)


def reject_repeated_terms(text: str) -> None:
    """Reject a term key written twice ("付款: T/T 付款: L/C").

    Every term is free text, so the field parser would keep the second key inside the first
    value. For the same reason, a term value cannot quote another term's key.

    Raises:
        ParseError: a term is given twice, with the same "given twice" message as /deal.
    """
    seen: set[str] = set()
    for match in _term_key_pattern().finditer(normalize_text(text)):
        key = _term_key(match.group("key"))
        if key in seen:
            raise ParseError(FIELD_TWICE, key=match.group("key"), field=key)
        seen.add(key)


def _term_key(text: str) -> str:
    folded = fold_key(text)
    for key in TERM_KEYS:
        if folded in (fold_key(alias) for alias in FIELD_ALIASES[key]) or folded == key:
            return key
    raise UserError(TERM_NOT_RECOGNISED, value=text, accepted=accepted_keys(TERM_FIELDS))


def render_terms(context: HandlerContext, terms: QuoteTerms) -> str:
    """List every term, 'not set' where empty, and how to change them as the reader may."""
    t = context.t
    not_set = t.gettext("not set")
    validity = (
        t.ngettext("%(count)s day", "%(count)s days", terms.validity_days) if terms.validity_days else None
    )
    values = {
        "payment": terms.payment,
        "lead_time": terms.lead_time,
        "validity": validity,
        "moq": terms.moq,
        "signature": terms.signature,
    }
    lines = [t.gettext("The team's standard terms for quotations:")]
    for key in TERM_KEYS:
        value = values[key] or not_set
        separator = "\n" if "\n" in value else " "
        lines.append(f"{t.gettext(TERM_LABELS[key])}:{separator}{value}")
    member = context.member
    if member is not None and is_manager(member):
        lines.append(t.gettext("Set them with %(example)s; remove one with /terms clear 付款.", example=t.gettext(TERMS_EXAMPLE)))
    else:
        lines.append(t.gettext("Only an admin or a manager can change them."))
    return "\n".join(lines)


async def cmd_terms(context: HandlerContext, args: str) -> list[Reply]:
    """Show the team's terms, or set or clear them (admins and managers)."""
    member = context.require_member()
    team = context.team
    words = normalize_text(args).split(maxsplit=1)
    if not words:
        return [Reply(text=render_terms(context, terms_service.team_terms(team)))]
    # A rep learns that only managers may change terms before any value is checked.
    terms_service.require_terms_manager(member)
    t = context.t
    if words[0].casefold() in CLEAR_WORDS:
        if len(words) < 2:
            raise UserError(TERM_NOT_RECOGNISED, value="", accepted=accepted_keys(TERM_FIELDS))
        key = _term_key(words[1])
        terms = terms_service.clear_term(team, actor=member, key=key)
        heading = t.gettext("Removed: %(term)s.", term=t.gettext(TERM_LABELS[key]))
        return [Reply(text=heading + "\n" + render_terms(context, terms))]

    reject_repeated_terms(args)
    parsed = parse_fields(args, allowed=TERM_FIELDS, free_text_fields=TERM_FIELDS)
    if parsed.leading or not parsed.fields:
        raise UserError(TEXT_BEFORE_FIELDS, text=parsed.leading[:50], example=t.gettext(TERMS_EXAMPLE))
    values = dict(parsed.fields)
    if "validity" in values:
        values["validity"] = parse_validity_days(values["validity"])
    terms = terms_service.set_terms(team, actor=member, values=values)
    return [Reply(text=t.gettext("Terms saved.") + "\n" + render_terms(context, terms))]

