"""The team digest for group chats: per rep what is due, and the buyer holidays ahead.

Channels are read by everyone in them, so customer names appear only when the team
allows it (Team.channel_shows_names); otherwise the digest shows counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.models import Member, Team
from bot.services.customers import list_customers_for_planning
from bot.services.inquiries import list_open
from bot.transports.base import Reply
from reminders.calendar import local_date
from reminders.greetings import render_upcoming_holidays, upcoming_holidays
from reminders.planner import due_followups
from reminders.rep_calendar import previous_team_workday

# Buyer holidays of this many days ahead appear in the team digest.
HOLIDAY_DAYS_AHEAD = 7
# Names listed per rep when the team shows names in channels.
MAX_NAMES_PER_REP = 10


@dataclass(frozen=True)
class RepSummary:
    """One rep's line in the team digest."""

    name: str
    due_today: int
    overdue: int
    replies_pending: int
    replies_late: int
    due_names: tuple[str, ...]


async def build_team_digest(
    session: AsyncSession, *, team: Team, now: datetime, t: Translator, late: bool
) -> Reply:
    """Read the team's data and render its channel digest for the team's local today."""
    members = list(
        (
            await session.execute(
                select(Member).where(Member.team_id == team.id, Member.active.is_(True)).order_by(Member.id)
            )
        ).scalars()
    )
    today = local_date(now, team.default_zone)
    # What fell due on the team's days off since the last workday counts as due today, as the
    # reps' own digests show it, not as overdue.
    previous_workday = previous_team_workday(today, country=team.calendar_country)
    summaries = []
    all_customers = []
    for member in members:
        customers = await list_customers_for_planning(session, actor=member)
        all_customers.extend(customers)
        items = due_followups(customers, now=now, rep_zone=member.zone, team_overrides=team.cadence_overrides or {})
        open_inquiries = await list_open(session, member=member)
        summaries.append(
            RepSummary(
                name=member.display_name,
                due_today=sum(1 for item in items if item.due_date > previous_workday),
                overdue=sum(1 for item in items if item.due_date <= previous_workday),
                replies_pending=len(open_inquiries),
                replies_late=sum(1 for inquiry in open_inquiries if inquiry.deadline_at < now),
                due_names=tuple(item.name for item in items[:MAX_NAMES_PER_REP]),
            )
        )
    holidays = upcoming_holidays(all_customers, start=today, days=HOLIDAY_DAYS_AHEAD)
    return render_team_digest(
        summaries, holidays_lines=render_upcoming_holidays(holidays, t=t, today=today),
        t=t, today=today, show_names=team.channel_shows_names, late=late,
    )


def render_team_digest(
    summaries: list[RepSummary],
    *,
    holidays_lines: list[str],
    t: Translator,
    today: date,
    show_names: bool,
    late: bool,
) -> Reply:
    """Render the per-rep lines and the buyer holidays of the week ahead."""
    lines: list[str] = []
    if late:
        lines.append(t.gettext("(Late: the bot was offline at the digest time.)"))
    lines.append(t.gettext("Team digest for %(date)s", date=today.isoformat()))
    active = [summary for summary in summaries if summary.due_today or summary.overdue or summary.replies_pending]
    if not active:
        lines.append(t.gettext("No follow-ups or replies are waiting today."))
    for summary in active:
        lines.append(
            t.gettext(
                "• %(rep)s: %(due)s due, %(overdue)s overdue, %(replies)s replies pending (%(late)s late)",
                rep=summary.name,
                due=summary.due_today,
                overdue=summary.overdue,
                replies=summary.replies_pending,
                late=summary.replies_late,
            )
        )
        if show_names and summary.due_names:
            lines.append("   " + t.gettext(", ").join(summary.due_names))
    lines.append("")
    if holidays_lines:
        lines.append(t.gettext("Buyer holidays in the next %(days)s days:", days=HOLIDAY_DAYS_AHEAD))
        lines.extend(holidays_lines)
    else:
        lines.append(t.gettext("No buyer holidays in the next %(days)s days.", days=HOLIDAY_DAYS_AHEAD))
    return Reply(text="\n".join(lines))
