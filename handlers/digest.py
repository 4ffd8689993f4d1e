"""Digest settings: /digest here and stop in a group, holidays and names in private."""

from __future__ import annotations

from bot.errors import UserError
from bot.i18n import N_
from bot.models import Member
from bot.services import channels as channel_service
from bot.services.members import is_manager
from bot.transports.base import Reply
from handlers.context import HandlerContext

# Accepted words per action, Chinese first; matched case-insensitively.
_HERE = ("here", "这里", "本群", "订阅")
_STOP = ("stop", "off", "停止", "取消", "退订")
_HOLIDAYS = ("holidays", "节假日", "假日")
_NAMES = ("names", "名称", "客户名")
_LEAD = ("lead", "提前")
_ON = ("on", "yes", "开", "开启", "是")
_OFF = ("off", "no", "关", "关闭", "否")

MAX_GREETING_LEAD_DAYS = 10

_USAGE = N_(
    "Write /digest here or /digest stop in a group; in a private chat /digest holidays on|off, "
    "/digest names on|off or /digest lead DAYS (1-%(max)s)."
)
# Reps see only the setting they may change; the others are for admins and managers.
_REP_USAGE = N_(
    "Write /digest holidays on|off in a private chat to choose whether you get a digest on days off. "
    "Admins and managers set up the team digest."
)
_CANNOT_POST = N_(
    "I cannot post in this channel, so it cannot receive the team digest. "
    "Add me with /invite @followup, then send /followup digest here again."
)
_IN_PRIVATE = N_("Digest settings are changed in a private chat with me. Send /digest %(setting)s there.")


def _usage_error(member: Member) -> UserError:
    if is_manager(member):
        return UserError(_USAGE, max=MAX_GREETING_LEAD_DAYS)
    return UserError(_REP_USAGE)


async def cmd_digest(context: HandlerContext, args: str) -> list[Reply]:
    """Subscribe a group to the team digest, or change the digest settings."""
    member = context.require_member()
    words = args.split()
    action = words[0].casefold() if words else ""
    if not context.incoming.is_private:
        return await _in_group(context, member=member, words=words, action=action)

    if not words:
        return [_show_settings(context)]
    if action in _HERE or (action in _STOP and len(words) == 1):
        raise UserError(N_("Send /digest here or /digest stop in the group that should receive the team digest."))
    # The permission comes first, so that a rep is not taught values they may not set.
    if action in _LEAD or action in _NAMES:
        channel_service.require_manager(member)
    if len(words) != 2:
        raise _usage_error(member)
    t = context.t
    value = words[1].casefold()

    if action in _LEAD:
        if not value.isdigit() or not 1 <= int(value) <= MAX_GREETING_LEAD_DAYS:
            raise UserError(
                N_("'%(value)s' is not a number of workdays. Write a whole number from 1 to %(max)s."),
                value=words[1],
                max=MAX_GREETING_LEAD_DAYS,
            )
        await channel_service.set_greeting_lead(context.session, member=member, team=context.team, days=int(value))
        return [Reply(text=t.gettext("Holiday greetings will be announced %(days)s buyer workdays ahead.", days=int(value)))]
    if action not in _HOLIDAYS and action not in _NAMES:
        raise _usage_error(member)

    if value in _ON:
        enabled = True
    elif value in _OFF:
        enabled = False
    else:
        raise UserError(N_("'%(value)s' is not on or off. Write on or off (开 or 关)."), value=words[1])

    if action in _HOLIDAYS:
        await channel_service.set_holiday_digests(context.session, member=member, enabled=enabled)
        if enabled:
            return [Reply(text=t.gettext("You will get a digest on days off too."))]
        return [Reply(text=t.gettext("No digest on weekends and public holidays; what falls due then comes on the next workday."))]
    await channel_service.set_channel_names(context.session, member=member, team=context.team, enabled=enabled)
    if enabled:
        return [Reply(text=t.gettext("Team digests in groups will name customers."))]
    return [Reply(text=t.gettext("Team digests in groups will show counts only."))]


async def _in_group(context: HandlerContext, *, member: Member, words: list[str], action: str) -> list[Reply]:
    """Subscribe or unsubscribe the group; point every other setting to a private chat."""
    t = context.t
    incoming = context.incoming
    if action in _HERE and len(words) == 1:
        channel_service.require_manager(member)
        # A subscription the bot cannot deliver would only fail every day.
        if incoming.can_post_here is not None and not await incoming.can_post_here():
            raise UserError(_CANNOT_POST)
        created = await channel_service.subscribe_channel(
            context.session, member=member, platform=incoming.platform, chat_id=incoming.chat_id, now=context.now
        )
        if not created:
            return [Reply(text=t.gettext("This chat already receives the team digest."))]
        return [Reply(text=t.gettext("This chat will receive the team digest at 09:00 on team workdays."))]
    if action in _STOP and len(words) == 1:
        removed = await channel_service.unsubscribe_channel(
            context.session, member=member, platform=incoming.platform, chat_id=incoming.chat_id
        )
        if not removed:
            return [Reply(text=t.gettext("This chat does not receive the team digest."))]
        return [Reply(text=t.gettext("The team digest will no longer be sent to this chat."))]
    if action in _LEAD or action in _NAMES:
        channel_service.require_manager(member)
    if action in _HOLIDAYS or action in _LEAD or action in _NAMES:
        raise UserError(_IN_PRIVATE, setting=" ".join(words))
    raise _usage_error(member)


def _show_settings(context: HandlerContext) -> Reply:
    member = context.require_member()
    team = context.team
    t = context.t
    usage = _usage_error(member)
    lines = [
        t.gettext("Your digest: %(hour)02d:00, %(zone)s.", hour=member.digest_hour, zone=member.zone),
        t.gettext("On days off: %(state)s.", state=t.gettext("yes") if member.digest_on_holidays else t.gettext("no")),
        t.gettext("Holiday greetings: %(days)s buyer workdays ahead.", days=team.greeting_lead_days),
        t.gettext(
            "Customer names in group digests: %(state)s.",
            state=t.gettext("yes") if team.channel_shows_names else t.gettext("no"),
        ),
        t.gettext(usage.message, **usage.params),
    ]
    return Reply(text="\n".join(lines))
