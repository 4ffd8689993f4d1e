"""The owner's warning, POOL_WARNING_DAYS before a customer returns to the shared pool."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_, translator
from bot.models import Customer, Member, Reminder, Team
from bot.services.members import effective_locale
from bot.services.pool import release_at, warning_due
from bot.transports.base import Delivery, Reply
from reminders.calendar import local_date

if TYPE_CHECKING:
    from reminders.composer import ComposeContext, Composed

POOL_WARNING = N_(
    "⏳ %(name)s (#%(id)s) has had no logged interaction since %(last)s. "
    "Log one with /log %(name)s … before %(date)s, or it returns to the team's pool (公海), "
    "where any colleague may claim it."
)


async def compose_pool_warning(session: AsyncSession, row: Reminder, context: ComposeContext) -> Composed:
    """Warn the owner of customer `row.subject_id`, unless an interaction or a claim moved its date."""
    from reminders.composer import LATE_AFTER, Composed, reachable_identity, skipped

    member = await session.get(Member, row.member_id)
    if member is None or not member.active:
        return skipped("member inactive")
    customer = await session.get(Customer, row.subject_id)
    if customer is None or customer.pooled_at is not None or customer.owner_id != member.id:
        return skipped("customer no longer the member's")
    if any(deal.stage.value == "won" for deal in customer.deals):
        return skipped("won customer")
    team = await session.get(Team, customer.team_id)
    assert team is not None  # customers.team_id is a foreign key
    release = release_at(customer, team)
    release_day, _warn_at = warning_due(release, zone=member.zone, hour=member.digest_hour)
    if release_day != row.local_date or release <= context.now:
        return skipped("pool date moved")
    target = reachable_identity(member, context.platforms)
    if target is None:
        return skipped("no reachable chat")
    t = translator(effective_locale(member, target.client_locale, team))
    text = t.gettext(
        POOL_WARNING,
        name=customer.name,
        id=customer.id,
        last=local_date(customer.last_contact_at, member.zone).isoformat(),
        date=release_day.isoformat(),
    )
    delivery = Delivery(platform=target.platform, chat_id=target.chat_id, reply=Reply(text=text), reminder_ids=(row.id,))
    return Composed(delivery=delivery, late=context.now - row.due_at > LATE_AFTER)
