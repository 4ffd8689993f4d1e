"""Admission to the team: invitation codes, the first member's bootstrap, and one-time refusals.

Limitations: a sender who guesses codes gets a reply for each guess; the 60-bit codes make
guessing hopeless, so no rate limit is kept.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import unicodedata
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import AccessDenied, UserError
from bot.i18n import N_
from bot.models import Invitation, Member, Refusal, Role, Team

logger = logging.getLogger(__name__)

INVITATION_LIFETIME = timedelta(days=7)
# Crockford-style alphabet: no 0/O or 1/I/L to confuse when a code is read aloud or retyped.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4
# How a code looks in /start arguments once NFKC has folded full-width forms: three groups of
# four letters or digits in any case, joined by dashes, by spaces, or by nothing. Dash-joined
# groups may hold any letter or digit, so that a mistyped code gets the "not valid" reply; groups
# joined by spaces or nothing must use CODE_ALPHABET, so that a word such as "Johannesburg"
# (in "/start Africa/Johannesburg") is not read as a code.
_DASHES = "-‐‑‒–—"
_DASHED_CODE = re.compile(rf"(?<![0-9A-Za-z])([0-9A-Za-z]{{4}})[{_DASHES}]([0-9A-Za-z]{{4}})[{_DASHES}]([0-9A-Za-z]{{4}})(?![0-9A-Za-z])")
_PLAIN_CODE = re.compile(rf"(?<![0-9A-Za-z])([{CODE_ALPHABET}]{{4}}) ?([{CODE_ALPHABET}]{{4}}) ?([{CODE_ALPHABET}]{{4}})(?![0-9A-Za-z])", re.IGNORECASE)
INVITABLE_ROLES = (Role.REP, Role.MANAGER)

# The one reply a sender gets when they are not a member and hold no code.
STRANGER_REFUSAL = N_("This bot is private to its team. Ask your admin for an invitation code, then send /start CODE.")
# The one reply a deactivated member (e.g. after a handover) gets.
FORMER_MEMBER_REFUSAL = N_(
    "Your access to this team has ended. Ask your admin for an invitation code if this is a mistake."
)


class InvitationInvalid(UserError):
    """The invitation code is unknown, used, expired or for another team."""


def new_code() -> str:
    """Return a random code such as K7QM-4XPD-2R9A (about 59 bits)."""
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH)) for _ in range(CODE_GROUPS)
    )
    return "-".join(groups)


def code_hash(code: str) -> str:
    """Hash a code as typed: case and dashes do not matter."""
    canonical = code.replace("-", "").strip().upper()
    return hashlib.sha256(canonical.encode("ascii", "replace")).hexdigest()


def find_code(text: str) -> str | None:
    """Return the first invitation code in `text` as K7QM-4XPD-2R9A, however it was typed, or None.

    Full-width characters, spaces or no separator in place of dashes, and lowercase are accepted.
    """
    return split_code(text)[0]


def split_code(text: str) -> tuple[str | None, str]:
    """Return the first invitation code in `text` (as find_code does) and the NFKC text without it."""
    folded = " ".join(unicodedata.normalize("NFKC", text).split())
    match = _DASHED_CODE.search(folded) or _PLAIN_CODE.search(folded)
    if match is None:
        return None, folded
    code = "-".join(group.upper() for group in match.groups())
    return code, (folded[: match.start()] + " " + folded[match.end() :]).strip()


async def create_invitation(session: AsyncSession, *, actor: Member, role: Role, now: datetime) -> tuple[str, Invitation]:
    """Store a new single-use invitation for `role` and return its code, which is shown only once."""
    if actor.role != Role.ADMIN:
        raise AccessDenied(N_("Only admins can create invitations."))
    if role not in INVITABLE_ROLES:
        raise UserError(N_("An invitation is for a rep or a manager. Write /invite rep or /invite manager."))
    code = new_code()
    invitation = Invitation(
        team_id=actor.team_id,
        code_hash=code_hash(code),
        role=role,
        created_by=actor.id,
        created_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    session.add(invitation)
    await session.flush()
    logger.info("invitation created invitation_id=%s team_id=%s role=%s by member_id=%s", invitation.id, actor.team_id, role.value, actor.id)
    return code, invitation


async def take_invitation(session: AsyncSession, *, team: Team, code: str, now: datetime) -> Invitation:
    """Lock and return the team's unused, unexpired invitation with this code.

    The caller marks it used in the same unit of work, so two people cannot both redeem it.
    """
    statement = (
        select(Invitation).where(Invitation.code_hash == code_hash(code)).with_for_update()
    )
    invitation = (await session.execute(statement)).scalar_one_or_none()
    if invitation is None or invitation.team_id != team.id:
        raise InvitationInvalid(N_("The invitation code %(value)s is not valid. Check it, or ask your admin for a new one."), value=code)
    if invitation.used_at is not None:
        raise InvitationInvalid(N_("The invitation code %(value)s has already been used. Ask your admin for a new one."), value=code)
    if invitation.expires_at <= now:
        raise InvitationInvalid(N_("The invitation code %(value)s has expired. Ask your admin for a new one."), value=code)
    return invitation


async def team_has_members(session: AsyncSession, *, team: Team) -> bool:
    return bool(await session.scalar(select(exists().where(Member.team_id == team.id))))


async def refuse_once(session: AsyncSession, *, team: Team, platform: str, external_id: str, now: datetime) -> bool:
    """Remember that the sender was refused; return True only the first time."""
    key = (platform, external_id)
    if await session.get(Refusal, key) is not None:
        return False
    refusal = Refusal(platform=platform, external_id=external_id, team_id=team.id, at=now)
    if session.bind.dialect.name == "sqlite":
        # One process owns a SQLite file, and its one connection serialises the messages.
        session.add(refusal)
        await session.flush()
    else:
        try:
            async with session.begin_nested():
                session.add(refusal)
        except IntegrityError:
            # Two messages of the same sender arrived at once; the other one replies.
            return False
    logger.info("sender refused platform=%s user_id=%s team_id=%s", platform, external_id, team.id)
    return True


async def forget_refusal(session: AsyncSession, *, platform: str, external_id: str) -> None:
    """Drop the sender's refusal, so that a later refusal (e.g. after a handover) is sent again."""
    refusal = await session.get(Refusal, (platform, external_id))
    if refusal is not None:
        await session.delete(refusal)
        await session.flush()
