"""Joining the team, and each member's language and time zone."""

from __future__ import annotations

import logging
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import DEFAULT_LOCALE, normalize_locale
from bot.models import Identity, Member, Reminder, ReminderStatus, Role, Team

logger = logging.getLogger(__name__)

MAX_DISPLAY_NAME = 200
# The reminder kind of the daily digest; reminders.dispatcher plans and sends these rows.
DIGEST_KIND = "digest"
# Roles that see and manage the whole team: team settings, exports, alerts.
MANAGING_ROLES = (Role.ADMIN, Role.MANAGER)


def is_manager(member: Member) -> bool:
    """Tell whether the member is an admin or a manager."""
    return member.role in MANAGING_ROLES


def effective_locale(member: Member, client_locale: str | None, team: Team | None = None) -> str:
    """Pick the member's own setting, then the chat client's language, then the team default."""
    return (
        normalize_locale(member.locale)
        or normalize_locale(client_locale)
        or normalize_locale(team.default_locale if team else None)
        or DEFAULT_LOCALE
    )


async def find_member(session: AsyncSession, *, platform: str, external_id: str) -> Member | None:
    statement = (
        select(Member)
        .join(Identity)
        .where(Identity.platform == platform, Identity.external_id == external_id)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def get_or_create_team(
    session: AsyncSession, *, name: str, default_locale: str, default_zone: str, now: datetime
) -> Team:
    # One bot process serves one team; several teams run several processes on one database.
    statement = select(Team).where(Team.name == name)
    team = (await session.execute(statement)).scalar_one_or_none()
    if team is not None:
        return team
    team = Team(
        name=name,
        default_locale=default_locale,
        default_zone=default_zone,
        cadence_overrides={},
        created_at=now,
    )
    if session.bind.dialect.name == "sqlite":
        # One process owns a SQLite file, so no other can insert the team in between.
        session.add(team)
        await session.flush()
    else:
        try:
            async with session.begin_nested():
                session.add(team)
        except IntegrityError:
            # Another process created the team between our read and our insert.
            return (await session.execute(statement)).scalar_one()
    logger.info("team created team_id=%s", team.id)
    return team


async def join(
    session: AsyncSession,
    *,
    team: Team,
    platform: str,
    external_id: str,
    chat_id: str,
    display_name: str,
    client_locale: str | None,
    locale: str | None,
    zone: str | None,
    now: datetime,
) -> tuple[Member, bool]:
    """Register the sender as a member, or update the existing one; return (member, created).

    The first member of a team becomes its admin.
    """
    member = await find_member(session, platform=platform, external_id=external_id)
    created = member is None
    if member is None:
        # Lock the team row so that of two first members joining at once only one is admin.
        await session.execute(select(Team.id).where(Team.id == team.id).with_for_update())
        count = await session.scalar(select(func.count(Member.id)).where(Member.team_id == team.id))
        member = Member(
            team_id=team.id,
            # The name comes from the chat profile, which may be longer than the column.
            display_name=(display_name or external_id)[:MAX_DISPLAY_NAME],
            role=Role.ADMIN if not count else Role.REP,
            locale=locale,
            zone=zone or team.default_zone,
            active=True,
            digest_hour=9,
            created_at=now,
        )
        session.add(member)
        await session.flush()
        session.add(
            Identity(
                member_id=member.id,
                platform=platform,
                external_id=external_id,
                chat_id=chat_id,
                client_locale=client_locale,
            )
        )
        logger.info("member joined member_id=%s team_id=%s role=%s", member.id, team.id, member.role.value)
    else:
        if locale:
            member.locale = locale
        if zone:
            await set_zone(session, member=member, zone=zone, now=now)
    await session.flush()
    return member, created


async def update_identity(
    *, member: Member, platform: str, external_id: str, chat_id: str | None, client_locale: str | None
) -> None:
    """Keep the private chat and client language of the sender's identity current."""
    for identity in member.identities:
        if identity.platform != platform or identity.external_id != external_id:
            continue
        if chat_id and identity.chat_id != chat_id:
            identity.chat_id = chat_id
        if client_locale and identity.client_locale != client_locale:
            identity.client_locale = client_locale


async def set_zone(session: AsyncSession, *, member: Member, zone: str, now: datetime) -> None:
    """Change the member's zone and re-plan their digests for 09:00 in the new zone.

    Pending digests go, and so do sent ones dated after the new zone's today, so that each
    coming day gets its digest at the new 09:00. When today's 09:00 has already passed in the
    new zone, today is marked done: a digest now would read as late, and may repeat one the
    member already had.
    """
    member.zone = zone
    today = now.astimezone(ZoneInfo(zone)).date()
    await session.execute(
        delete(Reminder).where(
            Reminder.member_id == member.id,
            Reminder.kind == DIGEST_KIND,
            (Reminder.status == ReminderStatus.PENDING) | (Reminder.local_date > today),
        )
    )
    digest_time = datetime.combine(today, time(member.digest_hour), tzinfo=ZoneInfo(zone))
    already_planned = await session.scalar(
        select(func.count(Reminder.id)).where(
            Reminder.member_id == member.id, Reminder.kind == DIGEST_KIND, Reminder.local_date == today
        )
    )
    if digest_time < now and not already_planned:
        session.add(
            Reminder(
                kind=DIGEST_KIND,
                subject_id=member.id,
                member_id=member.id,
                local_date=today,
                due_at=digest_time,
                status=ReminderStatus.SKIPPED,
                late=False,
            )
        )
    await session.flush()
    logger.info("member zone set member_id=%s zone=%s", member.id, zone)
