"""Plans the reminder rows of the coming days: rep digests and team channel digests.

Each row has a unique key (kind, subject, member, local date), so planning twice, or
from two processes at once, adds nothing. Inquiry nudges are planned when the inquiry is
registered, by bot.services.inquiries.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.models import ChannelSubscription, Member, Reminder, ReminderStatus, Team
from bot.services.channels import TEAM_DIGEST_KIND
from bot.services.members import DIGEST_KIND
from bot.store import Store
from reminders.rep_calendar import is_team_workday

logger = logging.getLogger(__name__)

PLAN_DAYS_AHEAD = 2
TEAM_DIGEST_HOUR = 9


def digest_instant(day: date, hour: int, zone: str) -> datetime:
    """Return `hour`:00 on the local date `day` in `zone`, as UTC.

    A wall time inside a DST gap moves forward by the gap, so it still occurs once.
    """
    tz = ZoneInfo(zone)
    local = datetime.combine(day, time(hour), tzinfo=tz)
    return local.astimezone(timezone.utc).astimezone(tz).astimezone(timezone.utc)


def wants_digest(member: Member, team: Team, day: date) -> bool:
    """Tell whether the member gets a digest on `day`: team workdays, or every day when opted in."""
    return member.digest_on_holidays or is_team_workday(day, country=team.calendar_country)


async def plan_rows(store: Store, *, now: datetime) -> int:
    """Create the missing digest rows of the coming days; return how many are new."""
    async with store.session() as session:
        teams = {team.id: team for team in (await session.execute(select(Team))).scalars()}
        members = list((await session.execute(select(Member).where(Member.active.is_(True)))).scalars())
        subscriptions = list((await session.execute(select(ChannelSubscription))).scalars())
        existing = {
            (row.kind, row.subject_id, row.local_date)
            for row in (
                await session.execute(
                    select(Reminder.kind, Reminder.subject_id, Reminder.local_date).where(
                        Reminder.kind.in_((DIGEST_KIND, TEAM_DIGEST_KIND)),
                        Reminder.due_at >= now - timedelta(days=2),
                    )
                )
            )
        }

    candidates: list[Reminder] = []
    for member in members:
        team = teams[member.team_id]
        for day in _coming_days(now, member.zone):
            if (DIGEST_KIND, member.id, day) in existing or not wants_digest(member, team, day):
                continue
            due_at = digest_instant(day, member.digest_hour, member.zone)
            if due_at < member.created_at:
                # The member joined after this digest's time: their first digest is a later one.
                continue
            candidates.append(_row(DIGEST_KIND, subject_id=member.id, member_id=member.id, day=day, due_at=due_at))

    for subscription in subscriptions:
        team = teams[subscription.team_id]
        for day in _coming_days(now, team.default_zone):
            key = (TEAM_DIGEST_KIND, subscription.id, day)
            if key in existing or not is_team_workday(day, country=team.calendar_country):
                continue
            due_at = digest_instant(day, TEAM_DIGEST_HOUR, team.default_zone)
            if due_at < subscription.created_at:
                continue
            candidates.append(
                _row(TEAM_DIGEST_KIND, subject_id=subscription.id, member_id=subscription.added_by, day=day, due_at=due_at)
            )

    created = 0
    for row in candidates:
        created += await _insert(store, row)
    return created


def _coming_days(now: datetime, zone: str) -> list[date]:
    today = now.astimezone(ZoneInfo(zone)).date()
    return [today + timedelta(days=offset) for offset in range(PLAN_DAYS_AHEAD)]


def _row(kind: str, *, subject_id: int, member_id: int, day: date, due_at: datetime) -> Reminder:
    return Reminder(
        kind=kind,
        subject_id=subject_id,
        member_id=member_id,
        local_date=day,
        due_at=due_at,
        status=ReminderStatus.PENDING,
        late=False,
    )


async def _insert(store: Store, reminder: Reminder) -> int:
    # The unique key makes a row that another planner inserted first a no-op here.
    try:
        async with store.session() as session, session.begin():
            session.add(reminder)
    except IntegrityError:
        return 0
    return 1
