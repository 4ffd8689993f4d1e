"""Linking a member's accounts on two chat platforms with a one-time code."""

from __future__ import annotations

from bot.errors import UserError
from bot.i18n import N_
from bot.services.links import LINK_CODE_LIFETIME, issue_code, redeem_code
from bot.transports.base import Reply
from handlers.context import HandlerContext

# Platform names as users know them; an unknown platform shows its code.
PLATFORM_NAMES = {"telegram": "Telegram", "slack": "Slack", "console": "console"}


async def cmd_link(context: HandlerContext, args: str) -> list[Reply]:
    """Without a code: give a one-time code. With one: attach this account to its member."""
    incoming = context.incoming
    if not incoming.is_private:
        raise UserError(N_("Link your accounts in a private chat with me."))
    t = context.t
    code = args.strip()
    if not code:
        member = context.require_member()
        new_code = await issue_code(context.session, member=member, platform=incoming.platform, now=context.now)
        minutes = int(LINK_CODE_LIFETIME.total_seconds() // 60)
        return [
            Reply(
                text=t.gettext(
                    "Your link code is %(code)s. Within %(minutes)s minutes, send /link %(code)s from your account "
                    "on the other platform (on Slack: /followup link %(code)s). The code works once.",
                    code=new_code,
                    minutes=minutes,
                )
            )
        ]
    if len(code.split()) != 1:
        raise UserError(N_("Write the code alone, e.g. /link K7M2Q9XP."))
    member = await redeem_code(
        context.session,
        code=code,
        sender=context.member,
        platform=incoming.platform,
        external_id=incoming.user_id,
        chat_id=incoming.chat_id,
        client_locale=incoming.locale,
        workspace_id=incoming.workspace_id,
        team_id=context.team.id,
        now=context.now,
    )
    context.member = member
    platforms = ", ".join(sorted(PLATFORM_NAMES.get(identity.platform, identity.platform) for identity in member.identities))
    return [
        Reply(
            text=t.gettext(
                "Linked: you are %(name)s on %(platforms)s. Your customers and reminders are the same on each; "
                "reminders go where you wrote last.",
                name=member.display_name,
                platforms=platforms,
            )
        )
    ]
