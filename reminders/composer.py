"""Turns one due reminder row into the message it stands for, or a reason to skip it.

Each kind has a composer that reads what it needs in one session and returns a
`Composed`: a delivery to send, or the reason why nothing goes out. Content is built at
send time, so a digest shows the state of the morning it is sent, not of its planning.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import translator
from bot.models import ChannelSubscription, Identity, Member, Reminder, Team
from bot.services.alerts import ALERT_KIND
from bot.services.channels import TEAM_DIGEST_KIND
from bot.services.inquiries import NUDGE_KIND
from bot.services.members import DIGEST_KIND, effective_locale
from bot.services.pool import POOL_WARNING_KIND
from bot.transports.base import Delivery
from reminders.alerts import compose_alert
from reminders.calendar import local_date
from reminders.inquiry_nudge import build_nudge
from reminders.pool_warning import compose_pool_warning
from reminders.rep_digest import build_rep_digest
from reminders.scheduling import wants_digest
from reminders.team_digest import build_team_digest

# A reminder sent this long after its time is marked late (the bot was down or busy).
LATE_AFTER = timedelta(minutes=15)
# After downtime a digest is still sent, marked late, up to this long after its time. An
# older one is skipped, because the rep's day has moved on.
DIGEST_GRACE = timedelta(hours=12)


@dataclass(frozen=True)
class Composed:
    """The message for one row, or why there is none."""

    delivery: Delivery | None
    skip_reason: str = ""
    late: bool = False


@dataclass(frozen=True)
class ComposeContext:
    now: datetime
    platforms: Collection[str]
    digest_grace: timedelta


Composer = Callable[[AsyncSession, Reminder, ComposeContext], Awaitable[Composed]]


def skipped(reason: str) -> Composed:
    return Composed(delivery=None, skip_reason=reason)


def reachable_identity(member: Member, platforms: Collection[str]) -> Identity | None:
    """Return the member's account on a running platform that they wrote from last.

    A member with linked accounts (say Telegram and Slack) gets reminders in one place
    only: the account with the latest last_used_at. Accounts never used since that column
    exists count as oldest, and among equals the account added first wins.
    """
    reachable = [identity for identity in member.identities if identity.platform in platforms]
    if not reachable:
        return None
    oldest = datetime.min.replace(tzinfo=timezone.utc)
    return max(reachable, key=lambda identity: (identity.last_used_at or oldest, -identity.id))


def _lateness(row: Reminder, context: ComposeContext) -> tuple[bool, str]:
    """Return (late, skip reason) for a daily digest row."""
    overdue = context.now - row.due_at
    if overdue > context.digest_grace:
        return False, "past grace window"
    return overdue > LATE_AFTER, ""


async def compose_rep_digest(session: AsyncSession, row: Reminder, context: ComposeContext) -> Composed:
    """Compose a rep's morning digest: follow-ups, birthdays, holiday greetings, late replies."""
    member = await session.get(Member, row.member_id)
    if member is None or not member.active:
        return skipped("member inactive")
    team = await session.get(Team, member.team_id)
    assert team is not None  # members.team_id is a foreign key
    if row.local_date != local_date(context.now, member.zone):
        # A digest of an earlier day, left over from downtime: today's digest replaces it.
        # Sending only the row of the member's current date also means that two processes
        # racing over old and new rows can never send a member two digests on one day.
        return skipped("stale")
    late, reason = _lateness(row, context)
    if reason:
        return skipped(reason)
    if not wants_digest(member, team, row.local_date):
        return skipped("team day off")
    target = reachable_identity(member, context.platforms)
    if target is None:
        return skipped("no reachable chat")

    t = translator(effective_locale(member, target.client_locale, team))
    reply = await build_rep_digest(session, member=member, team=team, now=context.now, t=t, late=late)
    if reply is None:
        # An empty digest is not sent: a quiet day should not ping the rep.
        return skipped("nothing due")
    delivery = Delivery(platform=target.platform, chat_id=target.chat_id, reply=reply, reminder_ids=(row.id,))
    return Composed(delivery=delivery, late=late)


async def compose_team_digest(session: AsyncSession, row: Reminder, context: ComposeContext) -> Composed:
    """Compose the team digest of one subscribed channel."""
    subscription = await session.get(ChannelSubscription, row.subject_id)
    if subscription is None:
        return skipped("channel unsubscribed")
    if subscription.platform not in context.platforms:
        return skipped("platform not running")
    team = await session.get(Team, subscription.team_id)
    assert team is not None
    if row.local_date != local_date(context.now, team.default_zone):
        return skipped("stale")
    late, reason = _lateness(row, context)
    if reason:
        return skipped(reason)
    t = translator(team.default_locale)
    reply = await build_team_digest(session, team=team, now=context.now, t=t, late=late)
    delivery = Delivery(
        platform=subscription.platform, chat_id=subscription.chat_id, reply=reply, reminder_ids=(row.id,)
    )
    return Composed(delivery=delivery, late=late)


async def compose_nudge(session: AsyncSession, row: Reminder, context: ComposeContext) -> Composed:
    """Compose the one-hour warning before an inquiry's reply deadline."""
    member = await session.get(Member, row.member_id)
    if member is None or not member.active:
        return skipped("member inactive")
    team = await session.get(Team, member.team_id)
    target = reachable_identity(member, context.platforms)
    if target is None:
        return skipped("no reachable chat")
    t = translator(effective_locale(member, target.client_locale, team))
    outcome = await build_nudge(session, inquiry_id=row.subject_id, member=member, now=context.now, t=t)
    if isinstance(outcome, str):
        return skipped(outcome)
    delivery = Delivery(platform=target.platform, chat_id=target.chat_id, reply=outcome, reminder_ids=(row.id,))
    return Composed(delivery=delivery, late=context.now - row.due_at > LATE_AFTER)


COMPOSERS: dict[str, Composer] = {
    DIGEST_KIND: compose_rep_digest,
    TEAM_DIGEST_KIND: compose_team_digest,
    NUDGE_KIND: compose_nudge,
    ALERT_KIND: compose_alert,
    POOL_WARNING_KIND: compose_pool_warning,
}
