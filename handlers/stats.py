"""The /stats command: reply-time statistics per rep and follow-up completion, as text or a chart.

Only admins and managers may run it; a rep gets a refusal, because the figures name every
rep of the team.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.services import stats as stats_service
from bot.services.stats import TeamStats
from bot.transports.base import OutgoingFile, Reply
from handlers.context import HandlerContext
from reports.charts import trend_chart
from reports.periods import Period, last_days_period, parse_period
from reports.stats import MonthPoint, RepReplyStats, percent

CHART_WORDS = frozenset({"chart", "图表", "图"})
# /stats without a period covers the last 30 days, today included.
DEFAULT_PERIOD_DAYS = 30
PNG_MIME_TYPE = "image/png"
NO_FIGURE = "—"

STATS_HEADER = N_("Reply times, %(start)s to %(end)s (team time zone):")
STATS_FOLLOWUPS = N_(
    "Follow-ups due: %(total)s. Done on the due day %(on_time)s (%(on_time_share)s), "
    "late %(late)s (%(late_share)s), never %(never)s (%(never_share)s)."
)
STATS_NO_FOLLOWUPS = N_("Follow-ups due: none in this period.")
STATS_CHART_CAPTION = N_("Inquiries and median reply time per week, %(start)s to %(end)s.")
STATS_CHART_CAPTION_MONTHLY = N_("Inquiries and median reply time per month, %(start)s to %(end)s.")
DURATION = N_("%(hours)sh %(minutes)02dmin")


def _period(context: HandlerContext, text: str) -> Period:
    today = context.now.astimezone(ZoneInfo(context.team.default_zone)).date()
    if not text:
        return last_days_period(DEFAULT_PERIOD_DAYS, today=today)
    return parse_period(text, today=today)


def format_duration(duration: timedelta | None, *, t: Translator) -> str:
    """Render a duration in hours and minutes ("27h 05min"), or "—" for none."""
    if duration is None:
        return NO_FIGURE
    minutes = round(duration.total_seconds() / 60)
    return t.gettext(DURATION, hours=minutes // 60, minutes=minutes % 60)


def _rep_line(rep: RepReplyStats, *, t: Translator) -> str:
    return t.ngettext(
        "%(name)s: %(count)s inquiry, median reply %(median)s, %(share)s within the deadline, %(open)s still open",
        "%(name)s: %(count)s inquiries, median reply %(median)s, %(share)s within the deadline, %(open)s still open",
        rep.inquiries,
        name=rep.name,
        median=format_duration(rep.median_reply, t=t),
        share=percent(rep.share_within_deadline) or NO_FIGURE,
        open=rep.open,
    )


def render_stats(stats: TeamStats, *, t: Translator) -> str:
    """Render the per-rep lines and the follow-up completion line."""
    last_day = stats.end - timedelta(days=1)
    lines = [t.gettext(STATS_HEADER, start=stats.start.isoformat(), end=last_day.isoformat())]
    lines.extend(_rep_line(rep, t=t) for rep in stats.reps)
    followups = stats.followups
    if followups.total == 0:
        lines.append(t.gettext(STATS_NO_FOLLOWUPS))
    else:
        lines.append(
            t.gettext(
                STATS_FOLLOWUPS,
                total=followups.total,
                on_time=followups.on_time,
                on_time_share=percent(followups.share(followups.on_time)),
                late=followups.late,
                late_share=percent(followups.share(followups.late)),
                never=followups.never,
                never_share=percent(followups.share(followups.never)),
            )
        )
    return "\n".join(lines)


async def cmd_stats(context: HandlerContext, args: str) -> list[Reply]:
    """Show reply-time statistics per rep and the follow-up completion rate, or their weekly chart."""
    member = context.require_member()
    words = args.split()
    want_chart = any(word.casefold() in CHART_WORDS for word in words)
    period = _period(context, " ".join(word for word in words if word.casefold() not in CHART_WORDS))
    t = context.t
    if want_chart:
        points = await stats_service.weekly_inquiry_trend(
            context.session, actor=member, team=context.team, start=period.start, end=period.end
        )
        # Drawing takes a few hundred milliseconds, so it runs off the event loop.
        # A long period comes back in months (bot.services.stats.MAX_WEEKLY_DAYS).
        monthly = bool(points) and isinstance(points[0], MonthPoint)
        data = await asyncio.to_thread(trend_chart, points, locale=t.locale, monthly=monthly)
        caption = t.gettext(
            STATS_CHART_CAPTION_MONTHLY if monthly else STATS_CHART_CAPTION,
            start=period.start.isoformat(),
            end=(period.end - timedelta(days=1)).isoformat(),
        )
        filename = f"stats-{period.start.isoformat()}.png"
        return [Reply(text=caption, file=OutgoingFile(filename=filename, data=data, mime_type=PNG_MIME_TYPE))]
    stats = await stats_service.team_stats(
        context.session, actor=member, team=context.team, start=period.start, end=period.end, now=context.now
    )
    return [Reply(text=render_stats(stats, t=t))]
