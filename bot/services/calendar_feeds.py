"""Calendar feeds: each member's private, revocable iCalendar URL, and the feed behind it.

The token in the URL is the only credential, so it comes from `secrets` (256 bits), is
never logged, and stops working the moment it is revoked. Creating and revoking a feed
are audited. Reads are not, because calendar apps poll every few minutes: each read sets
`last_read_at` instead.
"""

from __future__ import annotations

import logging
import re
import secrets
from datetime import datetime

from icalendar import Calendar
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import translator
from bot.models import CalendarFeed, Member, Team
from bot.services.audit import record
from bot.services.customers import list_customers_for_planning
from bot.services.inquiries import list_open
from bot.services.members import effective_locale
from reminders.ics import DEFAULT_FEED_DAYS, build_feed

logger = logging.getLogger(__name__)

# 32 random bytes, as secrets.token_urlsafe writes them: 43 URL-safe base64 characters.
TOKEN_BYTES = 32
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
AUDIT_CREATE = "calendar_feed_create"
AUDIT_REVOKE = "calendar_feed_revoke"


async def active_feed(session: AsyncSession, *, member: Member) -> CalendarFeed | None:
    """Return the member's newest feed that is not revoked, or None."""
    statement = (
        select(CalendarFeed)
        .where(CalendarFeed.member_id == member.id, CalendarFeed.revoked_at.is_(None))
        .order_by(CalendarFeed.id.desc())
        .limit(1)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def get_or_create_feed(
    session: AsyncSession, *, member: Member, now: datetime, platform: str | None = None, chat_id: str | None = None
) -> tuple[CalendarFeed, bool]:
    """Return the member's active feed and True when this call created it, because there was none."""
    feed = await active_feed(session, member=member)
    if feed is not None:
        return feed, False
    return await _create(session, member=member, now=now, platform=platform, chat_id=chat_id), True


async def rotate_feed(
    session: AsyncSession, *, member: Member, now: datetime, platform: str | None = None, chat_id: str | None = None
) -> CalendarFeed:
    """Revoke the member's feeds and create a new one, in the caller's unit of work."""
    await revoke_feeds(session, member=member, now=now, platform=platform, chat_id=chat_id)
    return await _create(session, member=member, now=now, platform=platform, chat_id=chat_id)


async def revoke_feeds(
    session: AsyncSession, *, member: Member, now: datetime, platform: str | None = None, chat_id: str | None = None
) -> int:
    """Revoke every active feed of the member and return how many there were."""
    statement = select(CalendarFeed.id).where(CalendarFeed.member_id == member.id, CalendarFeed.revoked_at.is_(None))
    feed_ids = list((await session.execute(statement)).scalars())
    if not feed_ids:
        return 0
    await session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.id.in_(feed_ids), CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session="fetch")
    )
    await record(
        session,
        actor=member,
        action=AUDIT_REVOKE,
        now=now,
        detail={"feed_ids": feed_ids},
        platform=platform,
        chat_id=chat_id,
    )
    logger.info("calendar feeds revoked member_id=%s feed_ids=%s", member.id, feed_ids)
    return len(feed_ids)


async def find_active_by_token(session: AsyncSession, token: str) -> CalendarFeed | None:
    """Return the feed whose token this is, or None when it is unknown, revoked or malformed.

    A malformed token is rejected before any query.
    """
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    statement = select(CalendarFeed).where(CalendarFeed.token == token, CalendarFeed.revoked_at.is_(None))
    return (await session.execute(statement)).scalar_one_or_none()


async def read_feed(
    session: AsyncSession, *, feed: CalendarFeed, now: datetime, days: int = DEFAULT_FEED_DAYS
) -> Calendar | None:
    """Build the feed's calendar from the database and note the read; None when its member has left.

    Runs in the caller's unit of work, which must commit for `last_read_at` to be stored.
    """
    member = await session.get(Member, feed.member_id)
    if member is None or not member.active:
        return None
    calendar = await build_member_calendar(session, member=member, now=now, days=days)
    feed.last_read_at = now
    return calendar


async def build_member_calendar(
    session: AsyncSession, *, member: Member, now: datetime, days: int = DEFAULT_FEED_DAYS
) -> Calendar:
    """Read the member's customers and open inquiries and build their calendar, in their language."""
    team = await session.get(Team, member.team_id)
    assert team is not None  # members.team_id is a foreign key
    client_locale = next((identity.client_locale for identity in member.identities if identity.client_locale), None)
    t = translator(effective_locale(member, client_locale, team))
    customers = await list_customers_for_planning(session, actor=member, with_contacts=True)
    inquiries = await list_open(session, member=member)
    return build_feed(
        customers,
        inquiries,
        member_id=member.id,
        calendar_name=t.gettext("FollowUp Bot: %(name)s", name=member.display_name),
        rep_zone=member.zone,
        team_overrides=team.cadence_overrides or {},
        now=now,
        t=t,
        days=days,
    )


async def _create(
    session: AsyncSession, *, member: Member, now: datetime, platform: str | None, chat_id: str | None
) -> CalendarFeed:
    feed = CalendarFeed(member_id=member.id, token=secrets.token_urlsafe(TOKEN_BYTES), created_at=now)
    session.add(feed)
    await session.flush()
    await record(
        session,
        actor=member,
        action=AUDIT_CREATE,
        now=now,
        detail={"feed_id": feed.id},
        platform=platform,
        chat_id=chat_id,
    )
    logger.info("calendar feed created member_id=%s feed_id=%s", member.id, feed.id)
    return feed
