"""The team's standard quotation terms (payment, lead time, validity, MOQ, signature).

Admins and managers set them once with /terms; reply drafts reuse them. They are stored as
strings in Team.terms under the keys of TERM_KEYS.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from bot.errors import AccessDenied, UserError
from bot.i18n import N_
from bot.models import Member, Team
from bot.services.members import is_manager

logger = logging.getLogger(__name__)

TERM_KEYS: tuple[str, ...] = ("payment", "lead_time", "validity", "moq", "signature")
# Maximum characters per term. Each term becomes one line of a reply draft that stays under
# about 120 words, so the limits are short. The signature may take a few lines.
TERM_LENGTH_LIMITS: Mapping[str, int] = {
    "payment": 160,
    "lead_time": 100,
    "moq": 100,
    "signature": 300,
}
MAX_SIGNATURE_LINES = 6
MIN_VALIDITY_DAYS = 1
MAX_VALIDITY_DAYS = 365
ONLY_MANAGERS = N_("Only an admin or a manager can change the team's terms. Send /terms to see them.")
VALIDITY_INVALID = N_(
    "Validity '%(value)s' is not valid. Write a number of days from %(min)s to %(max)s, e.g. 有效期: 15."
)
TERM_TOO_LONG = N_("The field %(field)s is too long (%(length)s characters). Use at most %(limit)s.")
SIGNATURE_TOO_MANY_LINES = N_("The signature has %(count)s lines. Use at most %(limit)s.")


@dataclass(frozen=True)
class QuoteTerms:
    """The team's terms; None where a term is not set."""

    payment: str | None = None
    lead_time: str | None = None
    validity_days: int | None = None
    moq: str | None = None
    signature: str | None = None


def team_terms(team: Team) -> QuoteTerms:
    """Return the team's stored terms."""
    stored = team.terms or {}
    validity = stored.get("validity")
    return QuoteTerms(
        payment=stored.get("payment") or None,
        lead_time=stored.get("lead_time") or None,
        validity_days=int(validity) if validity and validity.isdigit() else None,
        moq=stored.get("moq") or None,
        signature=stored.get("signature") or None,
    )


def require_terms_manager(actor: Member) -> None:
    """Raise AccessDenied unless the actor is an admin or a manager."""
    if not is_manager(actor):
        raise AccessDenied(ONLY_MANAGERS)


def _check_value(key: str, value: str) -> str:
    """Return the value as stored, or raise with what is accepted."""
    if key == "validity":
        if not value.isdigit() or not MIN_VALIDITY_DAYS <= int(value) <= MAX_VALIDITY_DAYS:
            raise UserError(VALIDITY_INVALID, value=value, min=MIN_VALIDITY_DAYS, max=MAX_VALIDITY_DAYS)
        return str(int(value))
    limit = TERM_LENGTH_LIMITS[key]
    if len(value) > limit:
        raise UserError(TERM_TOO_LONG, field=key, length=len(value), limit=limit)
    if key == "signature":
        lines = value.count("\n") + 1
        if lines > MAX_SIGNATURE_LINES:
            raise UserError(SIGNATURE_TOO_MANY_LINES, count=lines, limit=MAX_SIGNATURE_LINES)
    return value


def set_terms(team: Team, *, actor: Member, values: Mapping[str, str]) -> QuoteTerms:
    """Check and store the given terms; the validity is a number of days as digits.

    Raises:
        AccessDenied: the actor is a rep.
        UserError: a value is too long, or the validity is not 1 to 365 days. Nothing is
            stored then, not even the valid values.
        ValueError: a key outside TERM_KEYS (a programming error).
    """
    require_terms_manager(actor)
    unknown = set(values) - set(TERM_KEYS)
    if unknown:
        raise ValueError(f"unknown term keys: {sorted(unknown)}")
    checked = {key: _check_value(key, value.strip()) for key, value in values.items()}
    # Assign a new dict: SQLAlchemy does not track changes made inside a JSON value.
    team.terms = {**(team.terms or {}), **checked}
    logger.info("team terms set team_id=%s member_id=%s keys=%s", team.id, actor.id, ",".join(sorted(checked)))
    return team_terms(team)


def clear_term(team: Team, *, actor: Member, key: str) -> QuoteTerms:
    """Remove one term, so that drafts list it as missing again."""
    require_terms_manager(actor)
    if key not in TERM_KEYS:
        raise ValueError(f"unknown term key: {key}")
    team.terms = {name: value for name, value in (team.terms or {}).items() if name != key}
    logger.info("team term cleared team_id=%s member_id=%s key=%s", team.id, actor.id, key)
    return team_terms(team)
