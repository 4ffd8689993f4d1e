"""`followup-bot ics --as NAME`: write a member's calendar feed to a file, as the feed URL serves it."""

from __future__ import annotations

import logging
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.models import Identity, Member, Team
from bot.services.calendar_feeds import build_member_calendar
from bot.store import Store, migrate
from reminders.ics import DEFAULT_FEED_DAYS

logger = logging.getLogger(__name__)

# The platform name of members who joined through the console, whose user id is their name.
CONSOLE_PLATFORM = "console"
STDOUT = "-"


class MemberLookupError(Exception):
    """The --as value names no member, or several."""


async def find_member_by_name(session: AsyncSession, *, team_name: str, name: str) -> Member:
    """Find the active member that `name` means: a console user id, a display name, or #ID.

    Display names are compared case-insensitively within the team named `team_name`.

    Raises:
        MemberLookupError: when no active member or several members match.
    """
    team = (await session.execute(select(Team).where(Team.name == team_name))).scalar_one_or_none()
    if team is None:
        raise MemberLookupError(f"no team named {team_name!r} in this database; check FOLLOWUP_TEAM_NAME")
    active = (Member.team_id == team.id) & Member.active.is_(True)

    console = select(Member).join(Identity).where(
        active, Identity.platform == CONSOLE_PLATFORM, Identity.external_id == name
    )
    member = (await session.execute(console)).scalar_one_or_none()
    if member is not None:
        return member

    if name.startswith("#") and name[1:].isdigit():
        member = (await session.execute(select(Member).where(active, Member.id == int(name[1:])))).scalar_one_or_none()
        if member is None:
            raise MemberLookupError(f"no active member with id {name} in team {team_name!r}")
        return member

    members = list((await session.execute(select(Member).where(active).order_by(Member.id))).scalars())
    matches = [member for member in members if member.display_name.casefold() == name.strip().casefold()]
    if not matches:
        raise MemberLookupError(f"no active member named {name!r} in team {team_name!r}")
    if len(matches) > 1:
        ids = ", ".join(f"#{member.id}" for member in matches)
        raise MemberLookupError(f"several members are named {name!r} ({ids}); give one id, e.g. --as '#{matches[0].id}'")
    return matches[0]


async def run_ics(
    settings: Settings, *, name: str, output: str | None, now: datetime | None = None, days: int = DEFAULT_FEED_DAYS
) -> int:
    """Write the member's feed to `output` (NAME.ics by default, "-" for stdout); return the exit code.

    Exit code 2 means the member was not found; the reason goes to stderr.
    """
    store = Store(settings.database_url)
    try:
        await migrate(store)
        async with store.session() as session, session.begin():
            try:
                member = await find_member_by_name(session, team_name=settings.team_name, name=name)
            except MemberLookupError as error:
                print(f"followup-bot ics: {error}", file=sys.stderr)
                return 2
            calendar = await build_member_calendar(
                session, member=member, now=now or datetime.now(timezone.utc), days=days
            )
    finally:
        await store.dispose()

    body = calendar.to_ical()
    if output == STDOUT:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
        logger.info("calendar written member_id=%s to stdout bytes=%d", member.id, len(body))
        return 0
    # A name may contain characters that a file name must not (a slash, "#"), and \w keeps Chinese.
    path = Path(output or re.sub(r"[^\w.-]+", "_", name).strip(".") + ".ics")
    path.write_bytes(body)
    logger.info("calendar written member_id=%s path=%s bytes=%d", member.id, path, len(body))
    return 0
