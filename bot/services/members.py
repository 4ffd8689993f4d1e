"""Joining the team, and each member's language and time zone."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import DEFAULT_LOCALE, normalize_locale
from bot.models import Identity, Member, Role, Team

logger = logging.getLogger(__name__)

MAX_DISPLAY_NAME = 200


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
    team = (await session.execute(select(Team).where(Team.name == name))).scalar_one_or_none()
    if team is None:
        team = Team(
            name=name,
            default_locale=default_locale,
            default_zone=default_zone,
            cadence_overrides={},
            created_at=now,
        )
        session.add(team)
        await session.flush()
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
            member.zone = zone
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
