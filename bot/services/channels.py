"""Team digest subscriptions of group chats and channels, and the digest settings."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import AccessDenied
from bot.i18n import N_
from bot.models import ChannelSubscription, Member, Reminder, ReminderStatus, Team
from bot.services.members import is_manager

logger = logging.getLogger(__name__)

# The reminder kind of a channel's daily team digest; subject_id is the subscription id.
TEAM_DIGEST_KIND = "team_digest"

def require_manager(member: Member) -> None:
    """Raise AccessDenied unless the member is an admin or a manager."""
    if not is_manager(member):
        raise AccessDenied(N_("Only admins and managers can change this."))


async def subscribe_channel(
    session: AsyncSession, *, member: Member, platform: str, chat_id: str, now: datetime
) -> bool:
    """Subscribe a group chat to the team digest; return False when it already was.

    Raises:
        AccessDenied: for a rep, because the digest shows the whole team's numbers.
    """
    require_manager(member)
    existing = await session.scalar(
        select(ChannelSubscription).where(
            ChannelSubscription.platform == platform, ChannelSubscription.chat_id == chat_id
        )
    )
    if existing is not None:
        return False
    subscription = ChannelSubscription(
        team_id=member.team_id, platform=platform, chat_id=chat_id, added_by=member.id, created_at=now
    )
    session.add(subscription)
    await session.flush()
    logger.info(
        "channel subscribed subscription_id=%s team_id=%s member_id=%s", subscription.id, member.team_id, member.id
    )
    return True


async def unsubscribe_channel(session: AsyncSession, *, member: Member, platform: str, chat_id: str) -> bool:
    """Stop the team digest in a chat and drop its pending rows; return False when none ran there."""
    require_manager(member)
    subscription = await session.scalar(
        select(ChannelSubscription).where(
            ChannelSubscription.platform == platform,
            ChannelSubscription.chat_id == chat_id,
            ChannelSubscription.team_id == member.team_id,
        )
    )
    if subscription is None:
        return False
    await _delete_subscription(session, subscription)
    logger.info("channel unsubscribed subscription_id=%s member_id=%s", subscription.id, member.id)
    return True


async def drop_rejected_subscription(session: AsyncSession, *, subscription_id: int, reason: str) -> bool:
    """Stop the team digest of a chat the platform rejects for good; return False when already gone.

    The pending rows go too. A manager subscribes the chat again with /digest here once
    the bot can post there.
    """
    subscription = await session.get(ChannelSubscription, subscription_id)
    if subscription is None:
        return False
    await _delete_subscription(session, subscription)
    logger.warning(
        "channel subscription dropped after a rejected delivery subscription_id=%s team_id=%s platform=%s reason=%s",
        subscription.id, subscription.team_id, subscription.platform, reason,
    )
    return True


async def list_subscriptions(session: AsyncSession) -> list[ChannelSubscription]:
    statement = select(ChannelSubscription).order_by(ChannelSubscription.id)
    return list((await session.execute(statement)).scalars())


async def set_holiday_digests(session: AsyncSession, *, member: Member, enabled: bool) -> None:
    """Choose whether the member gets a digest on the team's days off too."""
    member.digest_on_holidays = enabled
    await session.flush()
    logger.info("holiday digests set member_id=%s enabled=%s", member.id, enabled)


async def set_channel_names(session: AsyncSession, *, member: Member, team: Team, enabled: bool) -> None:
    """Choose whether channel digests name customers or show counts only."""
    require_manager(member)
    team.channel_shows_names = enabled
    await session.flush()
    logger.info("channel names set team_id=%s member_id=%s enabled=%s", team.id, member.id, enabled)


async def set_greeting_lead(session: AsyncSession, *, member: Member, team: Team, days: int) -> None:
    """Set how many buyer workdays ahead holiday greetings are announced."""
    require_manager(member)
    team.greeting_lead_days = days
    await session.flush()
    logger.info("greeting lead set team_id=%s member_id=%s days=%d", team.id, member.id, days)


async def _delete_subscription(session: AsyncSession, subscription: ChannelSubscription) -> None:
    """Delete the subscription and its pending team digests."""
    await session.execute(
        delete(Reminder).where(
            Reminder.kind == TEAM_DIGEST_KIND,
            Reminder.subject_id == subscription.id,
            Reminder.status == ReminderStatus.PENDING,
        )
    )
    # Sent rows keep their history; their subject id is never reused by the unique key
    # because ids only grow.
    await session.delete(subscription)
