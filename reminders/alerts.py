"""Alerts to admins and managers: who did what, when, and through which chat.

The row's subject is an audit event. The message names the member who caused it, the
time in the recipient's zone and the chat, in the recipient's language. An alert is not
dropped after downtime, because a refused export matters however late the alert arrives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import N_, Translator, translator
from bot.models import AuditEvent, Member, Reminder, Team
from bot.services.alerts import BULK_READ_ACTION
from bot.services.exports import EXPORT_REFUSED_ACTION
from bot.services.members import effective_locale
from bot.services.prices import QUOTE_OFF_LIST_ACTION
from bot.transports.base import Delivery, Reply

if TYPE_CHECKING:
    from reminders.composer import ComposeContext, Composed

# Audit action -> the alert text. Source: the actions that services alert managers about.
ALERT_MESSAGES: dict[str, str] = {
    EXPORT_REFUSED_ACTION: N_(
        "⚠️ %(name)s, a rep, tried to export the team's data at %(time)s via %(chat)s. "
        "The export was refused."
    ),
    BULK_READ_ACTION: N_(
        "⚠️ %(name)s, a rep, read %(count)s customer cards within an hour (the team's limit is %(limit)s), "
        "the last at %(time)s via %(chat)s. Their reads are in /audit."
    ),
    QUOTE_OFF_LIST_ACTION: N_(
        "⚠️ %(name)s quoted %(customer)s %(quote)s for %(product)s at %(time)s: %(difference)s from the "
        "list price %(list)s, beyond the team's %(tolerance)s tolerance."
    ),
}

# Platform names as users know them. An unknown platform shows its code.
PLATFORM_NAMES: dict[str, str] = {"telegram": "Telegram", "slack": "Slack", "console": N_("console")}

ALERT_TIME_FORMAT = "%Y-%m-%d %H:%M"


async def compose_alert(session: AsyncSession, row: Reminder, context: ComposeContext) -> Composed:
    """Compose an alert about the audit event `row.subject_id` for the manager `row.member_id`."""
    # Imported here because reminders.composer imports this module to register the composer.
    from reminders.composer import LATE_AFTER, Composed, reachable_identity, skipped

    recipient = await session.get(Member, row.member_id)
    if recipient is None or not recipient.active:
        return skipped("member inactive")
    event = await session.get(AuditEvent, row.subject_id)
    if event is None:
        return skipped("audit event missing")
    message = ALERT_MESSAGES.get(event.action)
    if message is None:
        return skipped(f"no alert message for action {event.action}")
    target = reachable_identity(recipient, context.platforms)
    if target is None:
        return skipped("no reachable chat")

    team = await session.get(Team, recipient.team_id)
    actor = await session.get(Member, event.member_id)
    t = translator(effective_locale(recipient, target.client_locale, team))
    actor_name = actor.display_name if actor else f"#{event.member_id}"
    local_time = event.at.astimezone(ZoneInfo(recipient.zone)).strftime(ALERT_TIME_FORMAT)
    when = f"{local_time} ({recipient.zone})"
    chat = describe_chat(event.platform, event.chat_id, t=t)
    # The event's counts (e.g. reads and limit of a bulk read) fill the message's other placeholders.
    counts = {key: value for key, value in event.detail.items() if isinstance(value, int)}
    # Texts the event stored for its message, e.g. a quote and its list price.
    texts = event.detail.get("params")
    if isinstance(texts, dict):
        counts.update(texts)
    text = t.gettext(message, **counts, name=actor_name, time=when, chat=chat)
    delivery = Delivery(
        platform=target.platform, chat_id=target.chat_id, reply=Reply(text=text), reminder_ids=(row.id,)
    )
    return Composed(delivery=delivery, late=context.now - row.due_at > LATE_AFTER)


def describe_chat(platform: str | None, chat_id: str | None, *, t: Translator) -> str:
    """Name a chat as "Telegram chat 1001" in the reader's language."""
    if platform is None:
        return t.gettext("an unknown chat")
    name = PLATFORM_NAMES.get(platform, platform)
    return t.gettext("%(platform)s chat %(chat_id)s", platform=t.gettext(name), chat_id=chat_id or "?")

