"""Charts as PNG bytes for a phone screen: a pipeline funnel and a weekly reply-time trend.

Charts are drawn with matplotlib's Agg canvas, so no screen is needed. Labels are in the
reader's language. Chinese needs a CJK font, looked up among the installed fonts (on
Debian, the packages fonts-noto-cjk, fonts-wqy-microhei or fonts-wqy-zenhei provide
one). Without one, charts fall back to English labels and a warning is logged once per
process.

Every label and title passed in is a gettext message id (English), translated here, so
that the fallback to English needs no second set of labels from the caller. Text that
is not a message id (a customer name, a date) passes through unchanged.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from matplotlib import font_manager, rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.ticker import MaxNLocator

from bot.i18n import N_, translator
from reports.stats import TrendPoint

logger = logging.getLogger(__name__)

# Font families that cover Simplified Chinese, preferred first. Sources: the family names
# of Debian's fonts-noto-cjk (Noto Sans CJK SC), fonts-wqy-microhei (WenQuanYi Micro Hei),
# fonts-wqy-zenhei (WenQuanYi Zen Hei), and Adobe's Source Han Sans.
CJK_FONT_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK JP",
)
# Bundled with matplotlib, so it is always present; it covers Latin text and digits.
LATIN_FONT_FAMILY = "DejaVu Sans"
# A sample of common characters that a font must contain to count as a Chinese font.
_CJK_SAMPLE = "询盘回复中位数周"

# 1080 × 1350 px at 100 dpi: the width of a phone screen in portrait, with large text.
FIGURE_SIZE_INCHES = (10.8, 13.5)
FIGURE_DPI = 100
TITLE_SIZE = 34
LABEL_SIZE = 28
TICK_SIZE = 24
BAR_COLOUR = "#2b6cb0"
LINE_COLOUR = "#dd6b20"

TREND_TITLE = N_("Inquiries and median reply time per week")
TREND_TITLE_MONTHLY = N_("Inquiries and median reply time per month")
TREND_INQUIRIES = N_("Inquiries")
TREND_MEDIAN_HOURS = N_("Median reply (hours)")
TREND_WEEK_OF = N_("Week of")
TREND_MONTH = N_("Month")
TREND_NO_INQUIRIES = N_("No inquiries in this period")

_missing_cjk_font_logged = False


@dataclass(frozen=True)
class ChartFont:
    """The font a chart is drawn in, and the language its labels are written in."""

    family: str
    path: str
    locale: str


def _font_covers(path: str, text: str) -> bool:
    try:
        charmap = FT2Font(path).get_charmap()
    except (OSError, RuntimeError):
        return False
    return all(ord(char) in charmap for char in text)


def find_cjk_font(fonts: Sequence[font_manager.FontEntry] | None = None) -> font_manager.FontEntry | None:
    """Return the first installed font of CJK_FONT_FAMILIES that contains Chinese glyphs.

    `fonts` defaults to matplotlib's font list; tests pass another list, e.g. an empty one.
    """
    if fonts is not None:
        return _first_cjk_font(fonts)
    found = _first_cjk_font(font_manager.fontManager.ttflist)
    if found is None and _register_new_system_fonts():
        found = _first_cjk_font(font_manager.fontManager.ttflist)
    return found


def _first_cjk_font(entries: Sequence[font_manager.FontEntry]) -> font_manager.FontEntry | None:
    by_family: dict[str, list[font_manager.FontEntry]] = {}
    for entry in entries:
        by_family.setdefault(entry.name, []).append(entry)
    for family in CJK_FONT_FAMILIES:
        for entry in by_family.get(family, []):
            if _font_covers(entry.fname, _CJK_SAMPLE):
                return entry
    return None


@lru_cache(maxsize=1)
def _register_new_system_fonts() -> int:
    """Add the system fonts that matplotlib's cached font list lacks; return how many.

    matplotlib builds its font list once and caches it on disk, so a font package
    installed later is otherwise never seen. lru_cache makes this run once per process.
    """
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    added = 0
    for path in font_manager.findSystemFonts():
        if path in known:
            continue
        try:
            font_manager.fontManager.addfont(path)
        except (OSError, RuntimeError, ValueError) as error:
            logger.warning("font not readable path=%s error=%s", path, error)
            continue
        added += 1
    if added:
        logger.info("fonts added to matplotlib's list count=%s", added)
    return added


def choose_font(locale: str, *, fonts: Sequence[font_manager.FontEntry] | None = None) -> ChartFont:
    """Pick the chart font for `locale`: a CJK font for Chinese, else DejaVu Sans with English labels."""
    global _missing_cjk_font_logged
    language = translator(locale).locale
    # str(): matplotlib 3.11 returns a FontPath (path and face index) rather than a str.
    latin = str(font_manager.findfont(font_manager.FontProperties(family=LATIN_FONT_FAMILY), fallback_to_default=True))
    if not language.startswith("zh"):
        return ChartFont(family=LATIN_FONT_FAMILY, path=latin, locale=language)
    entry = find_cjk_font(fonts)
    if entry is not None:
        return ChartFont(family=entry.name, path=entry.fname, locale=language)
    if not _missing_cjk_font_logged:
        _missing_cjk_font_logged = True
        logger.warning(
            "no CJK font found, charts use English labels; install e.g. fonts-wqy-microhei or fonts-noto-cjk "
            "families=%s",
            ",".join(CJK_FONT_FAMILIES),
        )
    return ChartFont(family=LATIN_FONT_FAMILY, path=latin, locale="en")


def _style(font: ChartFont) -> dict[str, object]:
    # The Latin font after the chosen one supplies any glyph the chosen one lacks.
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [font.family, LATIN_FONT_FAMILY],
        "font.size": LABEL_SIZE,
        "axes.titlesize": TITLE_SIZE,
        "axes.labelsize": LABEL_SIZE,
        "xtick.labelsize": TICK_SIZE,
        "ytick.labelsize": TICK_SIZE,
        "axes.unicode_minus": False,
    }


def render_png(figure: Figure, *, font: ChartFont) -> bytes:
    """Draw `figure` with `font` and return the PNG bytes."""
    buffer = io.BytesIO()
    with rc_context(_style(font)):
        FigureCanvasAgg(figure)
        figure.savefig(buffer, format="png", dpi=FIGURE_DPI)
    return buffer.getvalue()


def _format_amount(value: float) -> str:
    return f"{value:,.0f}"


def _bar_label(count: int, value: float | None, currency: str | None) -> str:
    """Label a funnel bar "12 · USD 30,000", or the count alone when the value is unknown."""
    if value is None:
        return str(count)
    amount = _format_amount(value)
    return f"{count} · {currency} {amount}" if currency else f"{count} · {amount}"


def build_funnel_figure(
    *, stages: Sequence[tuple[str, int, float | None]], title: str, font: ChartFont, currency: str | None = None
) -> Figure:
    """Lay out the funnel: one centred bar per stage, as wide as its count, top stage first.

    A stage's value is None when it cannot be given (several currencies without rates);
    its bar then shows the count alone.
    """
    t = translator(font.locale)
    with rc_context(_style(font)):
        figure = Figure(figsize=FIGURE_SIZE_INCHES, dpi=FIGURE_DPI, layout="constrained")
        axes = figure.add_subplot()
        largest = max((count for _, count, _ in stages), default=0) or 1
        positions = list(range(len(stages)))
        widths = [count / largest for _, count, _ in stages]
        axes.barh(positions, widths, left=[-width / 2 for width in widths], color=BAR_COLOUR, height=0.7)
        for position, (_, count, value) in zip(positions, stages):
            axes.text(0, position, _bar_label(count, value, currency), ha="center", va="center",
                      color="white" if count / largest > 0.35 else "black", fontsize=LABEL_SIZE)
        axes.set_yticks(positions, [t.gettext(label) for label, _, _ in stages])
        axes.invert_yaxis()
        axes.set_xlim(-0.55, 0.55)
        axes.set_xticks([])
        for side in ("top", "right", "bottom", "left"):
            axes.spines[side].set_visible(False)
        axes.set_title(t.gettext(title))
    return figure


def funnel_chart(
    *,
    stages: list[tuple[str, int, float | None]],
    title: str,
    locale: str,
    currency: str | None = None,
    fonts: Sequence[font_manager.FontEntry] | None = None,
) -> bytes:
    """Return a PNG funnel of (stage label, deal count, value or None) rows, labelled in `locale`.

    `title` and the stage labels are gettext message ids, e.g. the stage labels of
    handlers/labels.py; `currency` is written before each value. `fonts` replaces the
    installed font list (for tests).
    """
    font = choose_font(locale, fonts=fonts)
    figure = build_funnel_figure(stages=stages, title=title, font=font, currency=currency)
    return render_png(figure, font=font)


def _point_labels(points: Sequence[TrendPoint], *, monthly: bool) -> list[str]:
    """Label each point by its first day; with the year when the points span two years."""
    spans_years = len({point.start.year for point in points}) > 1
    if monthly:
        return [point.start.strftime("%Y-%m" if spans_years else "%m") for point in points]
    return [point.start.strftime("%Y-%m-%d" if spans_years else "%m-%d") for point in points]


def build_trend_figure(points: Sequence[TrendPoint], *, font: ChartFont, monthly: bool = False) -> Figure:
    """Lay out the trend: inquiry bars on the left axis, median reply hours as a line on the right.

    Points are weeks, or months when `monthly`. Without any inquiry, both axes run from 0
    to 1 and the chart says so, rather than showing an axis around zero.
    """
    t = translator(font.locale)
    with rc_context(_style(font)):
        figure = Figure(figsize=FIGURE_SIZE_INCHES, dpi=FIGURE_DPI, layout="constrained")
        axes = figure.add_subplot()
        positions = list(range(len(points)))
        axes.bar(positions, [point.inquiries for point in points], color=BAR_COLOUR, width=0.6)
        axes.set_ylabel(t.gettext(TREND_INQUIRIES), color=BAR_COLOUR)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        empty = not any(point.inquiries for point in points)
        if empty:
            axes.set_ylim(0, 1)
            axes.text(0.5, 0.5, t.gettext(TREND_NO_INQUIRIES), transform=axes.transAxes, ha="center", va="center")
        labels = _point_labels(points, monthly=monthly)
        # Few ticks, so the dates stay readable on a phone: at most about six, fewer for long labels.
        most = 6 if len(labels[0] if labels else "") <= 5 else 4
        step = max(1, len(points) // most + (1 if len(points) % most else 0))
        axes.set_xticks(positions[::step], labels[::step])
        axes.set_xlabel(t.gettext(TREND_MONTH if monthly else TREND_WEEK_OF))

        hours_axes = axes.twinx()
        measured = [(position, point.median_reply.total_seconds() / 3600)
                    for position, point in zip(positions, points) if point.median_reply is not None]
        if measured:
            hours_axes.plot([p for p, _ in measured], [h for _, h in measured], color=LINE_COLOUR,
                            marker="o", linewidth=4, markersize=12)
        hours_axes.set_ylabel(t.gettext(TREND_MEDIAN_HOURS), color=LINE_COLOUR)
        if measured:
            hours_axes.set_ylim(bottom=0)
        else:
            hours_axes.set_ylim(0, 1)
        axes.set_title(t.gettext(TREND_TITLE_MONTHLY if monthly else TREND_TITLE))
    return figure


def trend_chart(
    points: Sequence[TrendPoint],
    *,
    locale: str,
    monthly: bool = False,
    fonts: Sequence[font_manager.FontEntry] | None = None,
) -> bytes:
    """Return a PNG of weekly (or, when `monthly`, monthly) inquiry counts and median reply times."""
    font = choose_font(locale, fonts=fonts)
    return render_png(build_trend_figure(points, font=font, monthly=monthly), font=font)
