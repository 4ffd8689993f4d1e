"""The /calendar command: the member's private calendar feed link, a new link, or no feed."""

from __future__ import annotations

from bot.errors import UserError
from bot.i18n import N_
from bot.services import calendar_feeds
from bot.transports.base import Reply
from bot.web import feed_url
from handlers.context import HandlerContext
from handlers.parsing import normalize_text
from reminders.ics import DEFAULT_FEED_DAYS

# Sub-command words -> action; no word shows the link.
ACTIONS = {
    "new": "new", "rotate": "new", "reset": "new", "新": "new", "新链接": "new", "更换": "new", "重置": "new",
    "off": "off", "stop": "off", "revoke": "off", "关闭": "off", "停用": "off", "取消": "off",
}  # fmt: skip

CALENDAR_USAGE = N_(
    "Write /calendar for your calendar link, /calendar new for a new link (the old one stops working) "
    "or /calendar off to turn the feed off."
)
SERVER_OFF = N_(
    "The calendar feed is turned off on this bot (FOLLOWUP_HTTP_PORT is 0 or empty). "
    "Ask your admin to turn it on, or write the calendar to a file with: followup-bot ics --as NAME"
)


async def cmd_calendar(context: HandlerContext, args: str) -> list[Reply]:
    """Show the member's calendar feed link, replace it, or turn the feed off."""
    member = context.require_member()
    text = normalize_text(args)
    action = ACTIONS.get(text.casefold()) if text else "show"
    if action is None:
        raise UserError(CALENDAR_USAGE)
    session, now, t = context.session, context.now, context.t
    where = {"platform": context.incoming.platform, "chat_id": context.incoming.chat_id}

    if action == "off":
        revoked = await calendar_feeds.revoke_feeds(session, member=member, now=now, **where)
        if not revoked:
            return [Reply(text=t.gettext("You have no calendar feed. Send /calendar to create one."))]
        return [
            Reply(
                text=t.gettext(
                    "Your calendar feed is off; its link has stopped working. Send /calendar for a new link."
                )
            )
        ]

    base_url = context.settings.feed_base_url
    if base_url is None:
        raise UserError(SERVER_OFF)
    if action == "new":
        feed = await calendar_feeds.rotate_feed(session, member=member, now=now, **where)
        first_line = t.gettext("Your calendar feed has a new link; the old link has stopped working.")
    else:
        feed, _created = await calendar_feeds.get_or_create_feed(session, member=member, now=now, **where)
        first_line = t.gettext(
            "Your calendar feed: follow-ups, birthdays, buyer holidays and inquiry deadlines of the next %(days)s days.",
            days=DEFAULT_FEED_DAYS,
        )
    lines = [
        first_line,
        feed_url(base_url, feed.token),
        t.gettext(
            "Subscribe to it: Google Calendar: Other calendars → From URL. Apple Calendar: File → New Calendar Subscription."
        ),
        t.gettext(
            "The link is private: anyone who has it can read your calendar. "
            "/calendar new replaces it, /calendar off turns the feed off."
        ),
    ]
    return [Reply(text="\n".join(lines))]
