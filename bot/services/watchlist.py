"""The team's watch list of suspected price probers: emails, email domains and phones.

Every member reads the list and may add to it. An entry is removed by the member who
added it, or by an admin or a manager, so that one rep cannot quietly clear a colleague's
warning.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import AccessDenied, NotFound, UserError
from bot.i18n import N_
from bot.models import Member, WatchEntry
from bot.services.members import is_manager
from bot.services.probe import WATCH_DOMAIN, WATCH_EMAIL, WATCH_PHONE, is_free_mail

logger = logging.getLogger(__name__)

WATCH_KINDS = frozenset({WATCH_EMAIL, WATCH_DOMAIN, WATCH_PHONE})
ALREADY_WATCHED = N_("%(value)s is already on the watch list.")
FREE_MAIL_DOMAIN = N_(
    "%(value)s is a free-mail service that many real buyers use, so watching it would flag them all. "
    "Add the full address instead, e.g. /watch add name@%(value)s."
)


async def list_watch(session: AsyncSession, *, team_id: int) -> list[tuple[WatchEntry, str]]:
    """Return the team's watch list, oldest entry first, each with the name of the member who added it."""
    statement = (
        select(WatchEntry, Member.display_name)
        .join(Member, Member.id == WatchEntry.added_by)
        .where(WatchEntry.team_id == team_id)
        .order_by(WatchEntry.id)
    )
    return [(entry, name) for entry, name in await session.execute(statement)]


async def add_watch(
    session: AsyncSession, *, actor: Member, kind: str, value: str, note: str | None, now: datetime
) -> WatchEntry:
    """Add a normalised email, domain or E.164 phone to the actor's team's watch list.

    Raises:
        UserError: the value is already listed, or it is a free-mail domain.
        ValueError: for an unknown kind (a programming error).
    """
    if kind not in WATCH_KINDS:
        raise ValueError(f"unknown watch kind {kind!r}")
    if kind == WATCH_DOMAIN and is_free_mail(value):
        raise UserError(FREE_MAIL_DOMAIN, value=value)
    if await _find(session, team_id=actor.team_id, kind=kind, value=value) is not None:
        raise UserError(ALREADY_WATCHED, value=value)

    entry = WatchEntry(team_id=actor.team_id, kind=kind, value=value, note=note, added_by=actor.id, created_at=now)
    session.add(entry)
    try:
        await session.flush()
    except IntegrityError as error:
        # Another process added the same value after our check; the router rolls back.
        raise UserError(ALREADY_WATCHED, value=value) from error
    logger.info("watch entry added watch_id=%s team_id=%s member_id=%s kind=%s", entry.id, actor.team_id, actor.id, kind)
    return entry


async def remove_watch(session: AsyncSession, *, actor: Member, kind: str, value: str) -> WatchEntry:
    """Remove an entry from the watch list.

    Raises:
        NotFound: the value is not on the team's list.
        AccessDenied: the actor is a rep who did not add the entry.
    """
    entry = await _find(session, team_id=actor.team_id, kind=kind, value=value)
    if entry is None:
        raise NotFound(N_("%(value)s is not on the watch list. Send /watch to see it."), value=value)
    if not may_remove(actor, entry):
        raise AccessDenied(
            N_("Only the member who added %(value)s, a manager or an admin can remove it from the watch list."),
            value=value,
        )
    await session.delete(entry)
    await session.flush()
    logger.info("watch entry removed watch_id=%s team_id=%s member_id=%s", entry.id, actor.team_id, actor.id)
    return entry


def may_remove(actor: Member, entry: WatchEntry) -> bool:
    return entry.added_by == actor.id or is_manager(actor)


async def _find(session: AsyncSession, *, team_id: int, kind: str, value: str) -> WatchEntry | None:
    statement = select(WatchEntry).where(
        WatchEntry.team_id == team_id, WatchEntry.kind == kind, WatchEntry.value == value
    )
    return (await session.execute(statement)).scalar_one_or_none()
