"""Linking one member's accounts on several chat platforms, and which account was used last.

A member asks for a code on one platform (`/link`) and sends it from the other
(`/link CODE`). The other account then becomes another identity of the same member, so
customers, deals and reminders are shared. A code is single use, expires after
LINK_CODE_LIFETIME, and only its SHA-256 digest is stored, so a database reader cannot
use a pending code.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import UserError
from bot.i18n import N_
from bot.models import Identity, LinkCode, Member

logger = logging.getLogger(__name__)

LINK_CODE_LIFETIME = timedelta(minutes=10)
# 8 characters of 31 (no 0/O, 1/I/L) give about 40 bits: far more than can be guessed in
# ten minutes, and short enough to type on a phone.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8

INVALID_CODE = N_("The code %(code)s is invalid or has expired. Send /link on your other account for a new one.")
SAME_PLATFORM = N_("This code was made on this platform. Send /link %(code)s from your account on the other platform.")
ALREADY_MEMBER = N_(
    "This account already belongs to the team as %(name)s, so it cannot be linked to another member. "
    "Ask an admin if the two should be merged."
)
ALREADY_LINKED = N_("Your account is already linked to an account on this platform.")


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def normalize_code(text: str) -> str:
    """Upper-case a typed code and drop spaces and dashes, which people add when copying."""
    return "".join(char for char in text.upper() if char not in " -\u3000")


async def issue_code(session: AsyncSession, *, member: Member, platform: str, now: datetime) -> str:
    """Create a new link code for the member; earlier unused codes stop working."""
    await session.execute(delete(LinkCode).where(LinkCode.member_id == member.id, LinkCode.used_at.is_(None)))
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    session.add(
        LinkCode(
            member_id=member.id,
            code_hash=_digest(code),
            platform=platform,
            created_at=now,
            expires_at=now + LINK_CODE_LIFETIME,
        )
    )
    await session.flush()
    logger.info("link code issued member_id=%s platform=%s", member.id, platform)
    return code


async def redeem_code(
    session: AsyncSession,
    *,
    code: str,
    sender: Member | None,
    platform: str,
    external_id: str,
    chat_id: str,
    client_locale: str | None,
    workspace_id: str | None,
    team_id: int,
    now: datetime,
) -> Member:
    """Attach the sender's account to the member who issued `code`; return that member.

    Raises:
        UserError: if the code is unknown, used, expired or from another team; if it was
            issued on the sender's platform; if the sender's account already belongs to a
            member; or if the member already has an account on this platform.
    """
    normalized = normalize_code(code)
    link = None
    if normalized.isalnum() and normalized.isascii():
        link = await session.scalar(select(LinkCode).where(LinkCode.code_hash == _digest(normalized)).with_for_update())
    target = await session.get(Member, link.member_id) if link is not None else None
    if link is None or target is None or link.used_at is not None or link.expires_at <= now or target.team_id != team_id or not target.active:
        logger.info("link code rejected platform=%s external_id=%s", platform, external_id)
        raise UserError(INVALID_CODE, code=code)
    if link.platform == platform:
        raise UserError(SAME_PLATFORM, code=code)
    if sender is not None:
        if sender.id == target.id:
            raise UserError(ALREADY_LINKED)
        raise UserError(ALREADY_MEMBER, name=sender.display_name)
    if any(identity.platform == platform for identity in target.identities):
        raise UserError(ALREADY_LINKED)

    link.used_at = now
    identity = Identity(
        member_id=target.id,
        platform=platform,
        external_id=external_id,
        chat_id=chat_id,
        client_locale=client_locale,
        workspace_id=workspace_id,
        last_used_at=now,
    )
    session.add(identity)
    await session.flush()
    await session.refresh(target, attribute_names=["identities"])
    logger.info("accounts linked member_id=%s platform=%s from_platform=%s", target.id, platform, link.platform)
    return target


def touch_identity(*, member: Member, platform: str, external_id: str, workspace_id: str | None, now: datetime) -> None:
    """Record that the member wrote from this account now, and its workspace when known.

    Reminders only compare the accounts' last use, so the time is written only when this
    account is not already the latest one; that spares an UPDATE on most messages.
    """
    for identity in member.identities:
        if identity.platform != platform or identity.external_id != external_id:
            continue
        if not _is_latest(identity, member.identities):
            identity.last_used_at = now
        if workspace_id and identity.workspace_id != workspace_id:
            identity.workspace_id = workspace_id


def _is_latest(identity: Identity, identities: list[Identity]) -> bool:
    if identity.last_used_at is None:
        return False
    return all(
        other is identity or other.last_used_at is None or other.last_used_at < identity.last_used_at
        for other in identities
    )
