"""Reads a rep's data and renders their morning digest."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.models import Member, Team
from bot.services.customers import list_customers_for_planning
from bot.services.inquiries import list_overdue
from bot.transports.base import Reply
from reminders.birthdays import render_birthdays
from reminders.calendar import local_date
from reminders.day_plan import RepDay, plan_rep_day
from reminders.digest import render_followups
from reminders.formatting import format_weekday_date
from reminders.greetings import render_greeting_groups
from reminders.inquiry_render import render_open_inquiries
from reminders.rep_calendar import next_team_workday, previous_team_workday


async def load_rep_day(session: AsyncSession, *, member: Member, team: Team, now: datetime) -> RepDay:
    """Read what the rep's digest needs and plan their day."""
    today = local_date(now, member.zone)
    if member.digest_on_holidays:
        previous, following = today - timedelta(days=1), today + timedelta(days=1)
    else:
        previous = previous_team_workday(today, country=team.calendar_country)
        following = next_team_workday(today, country=team.calendar_country)
    # Nothing from before the member joined is carried over.
    previous = max(previous, local_date(member.created_at, member.zone) - timedelta(days=1))
    customers = await list_customers_for_planning(session, actor=member, with_contacts=True)
    overdue = await list_overdue(session, member=member, now=now)
    return plan_rep_day(
        customers,
        today=today,
        previous_workday=previous,
        next_workday=following,
        now=now,
        rep_zone=member.zone,
        team_overrides=team.cadence_overrides or {},
        greeting_lead_days=team.greeting_lead_days,
        overdue_inquiries=overdue,
    )


async def build_rep_digest(
    session: AsyncSession, *, member: Member, team: Team, now: datetime, t: Translator, late: bool
) -> Reply | None:
    """Render the member's digest for their local today, or None when nothing is due."""
    day = await load_rep_day(session, member=member, team=team, now=now)
    if day.is_empty:
        return None
    return render_rep_day(day, t=t, rep_zone=member.zone, now=now, late=late)


def render_rep_day(day: RepDay, *, t: Translator, rep_zone: str, now: datetime, late: bool) -> Reply:
    """Render the digest: late replies first, then follow-ups, birthdays and greetings."""
    lines: list[str] = []
    if late:
        lines.append(t.gettext("(Late: the bot was offline at the digest time.)"))
    lines.append(t.gettext("Good morning!"))

    if day.overdue_inquiries:
        lines.append("")
        lines.append(
            t.ngettext(
                "⏰ %(count)s inquiry waits for your reply past its deadline:",
                "⏰ %(count)s inquiries wait for your reply past their deadlines:",
                len(day.overdue_inquiries),
            )
        )
        lines.extend(render_open_inquiries(day.overdue_inquiries, t=t, rep_zone=rep_zone, now=now))

    buttons: tuple = ()
    if day.followups:
        header = t.ngettext(
            "%(count)s follow-up due today:", "%(count)s follow-ups due today:", len(day.followups)
        )
        followups = render_followups(
            day.followups, t=t, rep_zone=rep_zone, now=now, header=header, carried_after=day.previous_workday
        )
        lines.append("")
        lines.append(followups.text)
        buttons = followups.buttons

    if day.birthdays:
        lines.append("")
        lines.append(t.gettext("🎂 Birthdays:"))
        for on_day, item in day.birthdays:
            rendered = render_birthdays([item], t=t, rep_zone=rep_zone, now=now)
            if day.is_early(on_day):
                rendered[0] += " " + _early_note(on_day, t)
            lines.extend(rendered)

    if day.greetings:
        lines.append("")
        lines.append(t.gettext("🎉 Holiday greetings to send:"))
        for on_day, group in day.greetings:
            rendered = render_greeting_groups([group], t=t, rep_today=day.today)
            if day.is_early(on_day):
                rendered[0] += " " + _early_note(on_day, t)
            lines.extend(rendered)

    return Reply(text="\n".join(lines), buttons=buttons)


def _early_note(day: date, t: Translator) -> str:
    return t.gettext("(told early: %(day)s is your day off)", day=format_weekday_date(day, t))
