"""Managers' views: /pipeline (and its funnel chart) and /forecast.

/overdue and /top are in handlers/priorities.py, /fx and converted totals in handlers/fx.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from bot.errors import ParseError
from bot.i18n import N_, Translator
from bot.services import pipeline as pipeline_service
from bot.services.fx import TeamRates
from bot.services.market_table import market_label
from bot.transports.base import OutgoingFile, Reply
from handlers.context import HandlerContext, member_today, member_zone
from handlers.fx import format_conversion
from handlers.labels import STAGE_LABELS
from handlers.parsing_text import normalize_text
from reminders.formatting import country_name, format_money
from reports.forecast import ForecastMonth
from reports.fx import convert_totals
from reports.periods import Period, parse_period, relative_period
from reports.pipeline import NO_CLOSE_MONTH, Figures, Grouping

# --- Words and limits -----------------------------------------------------------------------

# Source: our own command wording. The words after "by" / 按 that choose a grouping.
GROUPING_WORDS: dict[str, Grouping] = {
    "stage": Grouping.STAGE,
    "stages": Grouping.STAGE,
    "阶段": Grouping.STAGE,
    "rep": Grouping.REP,
    "reps": Grouping.REP,
    "业务员": Grouping.REP,
    "销售": Grouping.REP,
    "market": Grouping.MARKET,
    "markets": Grouping.MARKET,
    "country": Grouping.MARKET,
    "市场": Grouping.MARKET,
    "国家": Grouping.MARKET,
    "month": Grouping.MONTH,
    "months": Grouping.MONTH,
    "月": Grouping.MONTH,
    "月份": Grouping.MONTH,
}
CHART_WORDS = frozenset({"chart", "图", "图表", "漏斗图"})
BY_WORDS = frozenset({"by", "按"})

GROUPING_NOT_RECOGNISED = N_(
    "Grouping '%(value)s' is not recognised. Write by stage, by rep, by market or by month / 按阶段, 按业务员, 按市场, 按月."
)
GROUPING_MISSING = N_(
    "A grouping is missing after 'by'. Write by stage, by rep, by market or by month / 按阶段, 按业务员, 按市场, 按月."
)
CHART_TITLE = N_("Open deals by stage: count · value")
CHART_BY_STAGE_ONLY = N_(
    "The chart is by stage only, so the figures below are by stage too. For figures by %(grouping)s, send the command without 图 / chart."
)
OPEN_AS_OF_TODAY = N_("Open deals are as of today; %(period)s applies to the won and lost deals.")

GROUPING_LABELS: dict[Grouping, str] = {
    Grouping.STAGE: N_("stage"),
    Grouping.REP: N_("rep"),
    Grouping.MARKET: N_("market"),
    Grouping.MONTH: N_("expected close month"),
}


# --- Parsing ------------------------------------------------------------------------------


def parse_grouping(word: str) -> Grouping:
    if not word:
        raise ParseError(GROUPING_MISSING)
    grouping = GROUPING_WORDS.get(word.casefold())
    if grouping is None:
        raise ParseError(GROUPING_NOT_RECOGNISED, value=word)
    return grouping


@dataclass(frozen=True)
class PipelineArgs:
    grouping: Grouping
    period: Period
    chart: bool
    # True when the member named a period; without one, the period is this month.
    period_given: bool


def _take_grouping(words: list[str]) -> tuple[Grouping | None, list[str]]:
    """Find 'by GROUP', '按GROUP' or '按 GROUP' anywhere in `words`, or a bare grouping word first."""
    for index, word in enumerate(words):
        folded = word.casefold()
        if folded in BY_WORDS:
            following = words[index + 1] if index + 1 < len(words) else ""
            return parse_grouping(following), words[:index] + words[index + 2 :]
        if word.startswith("按"):
            return parse_grouping(word[1:]), words[:index] + words[index + 1 :]
    # A bare word ("rep", 业务员) only leads: "this month" must stay a period.
    if words and words[0].casefold() in GROUPING_WORDS:
        return GROUPING_WORDS[words[0].casefold()], words[1:]
    return None, words


def parse_pipeline_args(text: str, *, context: HandlerContext) -> PipelineArgs:
    """Read 'chart', 'by GROUP' / '按GROUP' and a PERIOD in any order; the period defaults to this month."""
    words = normalize_text(text).split()
    chart = any(word.casefold() in CHART_WORDS for word in words)
    words = [word for word in words if word.casefold() not in CHART_WORDS]
    grouping, words = _take_grouping(words)
    today = member_today(context)
    period = parse_period(" ".join(words), today=today) if words else relative_period("month", 0, today=today)
    return PipelineArgs(grouping=grouping or Grouping.STAGE, period=period, chart=chart, period_given=bool(words))


# --- Rendering ----------------------------------------------------------------------------


def format_values(values: Mapping[str, Decimal], t: Translator) -> str:
    return " + ".join(format_money(values[currency], currency, t) for currency in sorted(values))


def format_figures(figures: Figures, t: Translator) -> str:
    parts = [t.ngettext("%(count)s deal", "%(count)s deals", figures.count)]
    if figures.values:
        parts.append(format_values(figures.values, t))
    if figures.unvalued:
        parts.append(t.gettext("%(count)s without a value", count=figures.unvalued))
    return t.gettext(", ").join(parts)


def _with_conversion(
    figures_text: str, values: Mapping[str, Decimal], rates: TeamRates, t: Translator, *, zone: str
) -> str:
    conversion = format_conversion(values, rates, t, zone=zone)
    return figures_text if conversion is None else f"{figures_text}\n   {conversion}"


def _group_label(key: str, *, grouping: Grouping, names: Mapping[str, str], t: Translator) -> str:
    if grouping is Grouping.STAGE:
        return t.gettext(STAGE_LABELS[key])
    if grouping is Grouping.MONTH:
        return key if key != NO_CLOSE_MONTH else t.gettext("no close date")
    if key in names:
        return market_label(names[key], t.locale) if grouping is Grouping.MARKET else names[key]
    return country_name(key, t) if grouping is Grouping.MARKET else key


def render_pipeline(view: pipeline_service.PipelineView, t: Translator, *, zone: str) -> str:
    """Render the groups and totals; rate dates are in the reader's zone `zone`."""
    report = view.report
    grouping_label = t.gettext(GROUPING_LABELS[report.grouping])
    if view.scope.is_team:
        header = t.gettext("Team pipeline by %(grouping)s.", grouping=grouping_label)
    else:
        header = t.gettext("Your pipeline by %(grouping)s.", grouping=grouping_label)
    lines = [header]
    if report.open_total.count:
        for key, figures in report.groups:
            label = _group_label(key, grouping=report.grouping, names=view.group_names, t=t)
            lines.append(f"• {label}: {format_figures(figures, t)}")
    else:
        lines.append(t.gettext("No open deals."))
    open_text = t.gettext("Open: %(figures)s", figures=format_figures(report.open_total, t))
    lines.append(_with_conversion(open_text, report.open_total.values, view.rates, t, zone=zone))
    won_text = t.gettext(
        "Won in %(period)s: %(figures)s", period=view.period.label, figures=format_figures(report.won, t)
    )
    lines.append(_with_conversion(won_text, report.won.values, view.rates, t, zone=zone))
    lost_text = t.gettext(
        "Lost in %(period)s: %(figures)s", period=view.period.label, figures=format_figures(report.lost, t)
    )
    lines.append(_with_conversion(lost_text, report.lost.values, view.rates, t, zone=zone))
    return "\n".join(lines)


def funnel_rows(view: pipeline_service.PipelineView) -> tuple[list[tuple[str, int, float | None]], str | None]:
    """Return (stage label id, count, value) per open stage, and the currency the values are in.

    Values are in the reporting currency when every currency has a rate, in the one
    currency when only one is involved, and None otherwise (the currency is then None);
    a stage without any valued deal has the value None too.
    """
    rates = view.rates
    currencies = set(view.report.open_total.values)
    complete = convert_totals(view.report.open_total.values, base=rates.base, rates=rates.usable).total is not None
    if complete:
        currency: str | None = rates.base
    elif len(currencies) == 1:
        currency = next(iter(currencies))
    else:
        currency = None
    rows: list[tuple[str, int, float | None]] = []
    for key, figures in view.report.groups:
        value: Decimal | None = None
        if not figures.values:
            value = None
        elif currency == rates.base and complete:
            value = convert_totals(figures.values, base=rates.base, rates=rates.usable).total
        elif currency is not None:
            value = figures.values.get(currency)
        rows.append((STAGE_LABELS[key], figures.count, None if value is None else float(value)))
    return rows, currency


def _forecast_line(label: str, month: ForecastMonth, rates: TeamRates, t: Translator, *, zone: str) -> str:
    parts = [t.ngettext("%(count)s deal", "%(count)s deals", month.count)]
    if month.weighted:
        parts.append(
            t.gettext(
                "weighted %(weighted)s of %(value)s",
                weighted=format_values(month.weighted, t),
                value=format_values(month.values, t),
            )
        )
    if month.unvalued:
        parts.append(t.gettext("%(count)s without a value", count=month.unvalued))
    return _with_conversion(f"• {label}: " + t.gettext(", ").join(parts), month.weighted, rates, t, zone=zone)


def render_forecast(view: pipeline_service.ForecastView, t: Translator, *, zone: str) -> str:
    report = view.report
    if view.period is None:
        header = (
            t.gettext("Team forecast by expected close month:")
            if view.scope.is_team
            else t.gettext("Your forecast by expected close month:")
        )
    elif view.scope.is_team:
        header = t.gettext("Team forecast by expected close month in %(period)s:", period=view.period.label)
    else:
        header = t.gettext("Your forecast by expected close month in %(period)s:", period=view.period.label)
    lines = [
        header,
        t.gettext(
            "Value × probability; a deal without its own probability counts at its stage's: "
            "inquiry 10%, quoted 25%, sample 40%, negotiation 60%."
        ),
    ]
    if report.total.count == 0:
        lines.append(t.gettext("No open deals in this period."))
        return "\n".join(lines)
    if report.past_due.count:
        lines.append(
            _forecast_line(t.gettext("close date passed, still open"), report.past_due, view.rates, t, zone=zone)
        )
    for month in report.months:
        label = month.month if month.month is not None else t.gettext("no close date")
        lines.append(_forecast_line(label, month, view.rates, t, zone=zone))
    lines.append(_forecast_line(t.gettext("total"), report.total, view.rates, t, zone=zone))
    return "\n".join(lines)


# --- Commands -----------------------------------------------------------------------------


async def cmd_pipeline(context: HandlerContext, args: str) -> list[Reply]:
    """Show open deals per stage, rep, market or close month, and won and lost in a period."""
    member = context.require_member()
    parsed = parse_pipeline_args(args, context=context)
    t = context.t
    notes = []
    grouping = parsed.grouping
    if parsed.chart and grouping is not Grouping.STAGE:
        # The funnel is by stage; the reply says so rather than dropping the grouping unseen.
        notes.append(t.gettext(CHART_BY_STAGE_ONLY, grouping=t.gettext(GROUPING_LABELS[grouping])))
        grouping = Grouping.STAGE
    zone = member_zone(context)
    view = await pipeline_service.pipeline_view(
        context.session, actor=member, team=context.team, grouping=grouping, period=parsed.period, zone=zone
    )
    lines = [*notes, render_pipeline(view, t, zone=zone)]
    if parsed.period_given:
        lines.append(t.gettext(OPEN_AS_OF_TODAY, period=parsed.period.label))
    text = "\n".join(lines)
    if not parsed.chart:
        return [Reply(text=text)]
    return [_funnel_reply(view, text=text, t=t)]


def _funnel_reply(view: pipeline_service.PipelineView, *, text: str, t: Translator) -> Reply:
    # Imported here because matplotlib takes about a second to load, and only charts need it.
    from reports.charts import funnel_chart

    rows, currency = funnel_rows(view)
    data = funnel_chart(stages=rows, title=CHART_TITLE, locale=t.locale, currency=currency)
    if currency is None:
        note = t.gettext("The chart shows counts only: the values are in several currencies without rates.")
    else:
        note = t.gettext("Chart values are in %(currency)s.", currency=currency)
    file = OutgoingFile(filename=f"pipeline-{view.period.label}.png", data=data, mime_type="image/png")
    return Reply(text=f"{text}\n{note}", file=file)


async def cmd_forecast(context: HandlerContext, args: str) -> list[Reply]:
    """Show open deals weighted by probability, by expected close month."""
    member = context.require_member()
    today = member_today(context)
    period = parse_period(args, today=today) if args.strip() else None
    view = await pipeline_service.forecast_view(
        context.session, actor=member, team=context.team, period=period, today=today
    )
    return [Reply(text=render_forecast(view, context.t, zone=member_zone(context)))]
