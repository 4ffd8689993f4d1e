"""Joining the team, and each member's language and time zone."""

from __future__ import annotations

import logging
import unicodedata
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import AccessDenied, NotFound, UserError
from bot.i18n import DEFAULT_LOCALE, N_, normalize_locale
from bot.models import Identity, Member, Reminder, ReminderStatus, Role, Team
from bot.services.invites import FORMER_MEMBER_REFUSAL, STRANGER_REFUSAL, forget_refusal, take_invitation

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
    code: str | None = None,
) -> tuple[Member, bool]:
    """Register the sender as a member, or update the existing one; return (member, created).

    The first member of a team becomes its admin. Anyone else joins, or comes back after
    being deactivated, with an invitation `code`, which gives the role and is used up.
    """
    member = await find_member(session, platform=platform, external_id=external_id)
    if member is not None and member.team_id != team.id:
        raise AccessDenied(N_("You are a member of another team. One chat account serves one team."))
    created = member is None
    if member is None:
        # Lock the team row so that of two first members joining at once only one is admin.
        await session.execute(select(Team.id).where(Team.id == team.id).with_for_update())
        count = await session.scalar(select(func.count(Member.id)).where(Member.team_id == team.id))
        invitation = None
        if count:
            if code is None:
                raise AccessDenied(STRANGER_REFUSAL)
            invitation = await take_invitation(session, team=team, code=code, now=now)
        member = Member(
            team_id=team.id,
            # The name comes from the chat profile, which may be longer than the column.
            display_name=(display_name or external_id)[:MAX_DISPLAY_NAME],
            role=invitation.role if invitation is not None else Role.ADMIN,
            locale=locale,
            zone=zone or team.default_zone,
            active=True,
            digest_hour=9,
            created_at=now,
        )
        session.add(member)
        await session.flush()
        if invitation is not None:
            invitation.used_at = now
            invitation.used_by = member.id
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
        if not member.active:
            if code is None:
                raise AccessDenied(FORMER_MEMBER_REFUSAL)
            invitation = await take_invitation(session, team=team, code=code, now=now)
            invitation.used_at = now
            invitation.used_by = member.id
            member.active = True
            member.role = invitation.role
            created = True
            logger.info("member rejoined member_id=%s team_id=%s role=%s", member.id, team.id, member.role.value)
        if locale:
            member.locale = locale
        if zone:
            await set_zone(session, member=member, zone=zone, now=now)
    await session.flush()
    if created:
        await forget_refusal(session, platform=platform, external_id=external_id)
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


# --- finding members by name, and the admin's view of the team ---

MAX_MEMBER_CANDIDATES = 5


def member_name_key(text: str) -> str:
    """Fold a display name or an @name for matching: case, width and a leading @ do not matter."""
    return unicodedata.normalize("NFKC", text).strip().lstrip("@").casefold()


async def team_members(session: AsyncSession, *, team_id: int) -> list[Member]:
    statement = select(Member).where(Member.team_id == team_id).order_by(Member.id)
    return list((await session.execute(statement)).scalars())


def match_members(members: list[Member], text: str, *, exact_only: bool = False) -> list[Member]:
    """Return the members that `text` names: '#ID', the whole display name, or else a part of it."""
    text = text.strip()
    if text.startswith("#") and text[1:].isdigit():
        return [member for member in members if member.id == int(text[1:])]
    key = member_name_key(text)
    if not key:
        return []
    exact = [member for member in members if member_name_key(member.display_name) == key]
    if exact or exact_only:
        return exact
    return [member for member in members if key in member_name_key(member.display_name)]


async def resolve_member(session: AsyncSession, *, team_id: int, text: str) -> Member:
    """Find one member of the team by '#ID', display name or @name.

    Raises:
        NotFound: no member matches.
        UserError: several members match; the message lists them with their ids.
    """
    matches = match_members(await team_members(session, team_id=team_id), text)
    if not matches:
        raise NotFound(N_("No member '%(query)s' in your team. Send /members for the list."), query=text.strip())
    if len(matches) > 1:
        listed = ", ".join(f"{member.display_name} (#{member.id})" for member in matches[:MAX_MEMBER_CANDIDATES])
        raise UserError(
            N_("Several members match '%(query)s': %(members)s. Write #ID instead of the name."),
            query=text.strip(),
            members=listed,
        )
    return matches[0]


async def set_role(session: AsyncSession, *, actor: Member, member: Member, role: Role) -> None:
    """Make `member` a manager or a rep (admins only; an admin's own role stays)."""
    if actor.role != Role.ADMIN:
        raise AccessDenied(N_("Only admins can change roles."))
    if member.id == actor.id:
        raise UserError(N_("You cannot change your own role; the team needs its admin."))
    if role not in (Role.MANAGER, Role.REP):
        raise UserError(N_("A role is manager or rep. Write e.g. /role Li manager."))
    if not member.active:
        raise UserError(N_("%(name)s is no longer active. Invite them again with /invite."), name=member.display_name)
    member.role = role
    await session.flush()
    logger.info("member role set member_id=%s role=%s by member_id=%s", member.id, role.value, actor.id)
