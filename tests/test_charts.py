"""Charts: PNG output of phone size, labels in the reader's language and in the font in use."""

from __future__ import annotations

import io
import logging
import re
from datetime import date, timedelta

import pytest
from matplotlib import font_manager, rc_context
from matplotlib.ft2font import FT2Font
from matplotlib.image import imread
from matplotlib.text import Text

from reports import charts
from reports.charts import build_funnel_figure, build_trend_figure, choose_font, find_cjk_font, funnel_chart, trend_chart
from reports.stats import MonthPoint, WeekPoint

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CJK = re.compile("[\u3400-\u9fff]")
STAGES = [("inquiry", 40, 120000.0), ("quoted", 22, 80000.0), ("sample", 9, 30000.0), ("negotiation", 4, 21000.0)]
POINTS = [
    WeekPoint(date(2026, 11, 2) + timedelta(weeks=index), 10 + index, timedelta(hours=3 + index) if index != 2 else None)
    for index in range(8)
]


def texts_of(figure: object) -> list[Text]:
    return [text for text in figure.findobj(Text) if text.get_text().strip()]  # type: ignore[attr-defined]


def pixel_size(png: bytes) -> tuple[int, int]:
    height, width = imread(io.BytesIO(png), format="png").shape[:2]
    return width, height


def test_funnel_chart_png_phone_size() -> None:
    png = funnel_chart(stages=STAGES, title="Pipeline", locale="en")
    assert png.startswith(PNG_SIGNATURE)
    assert pixel_size(png) == (1080, 1350)


def test_trend_chart_png_phone_size() -> None:
    png = trend_chart(POINTS, locale="en")
    assert png.startswith(PNG_SIGNATURE)
    assert pixel_size(png) == (1080, 1350)


def test_trend_chart_empty_period_renders() -> None:
    assert trend_chart([], locale="en").startswith(PNG_SIGNATURE)


def test_funnel_all_zero_counts_renders() -> None:
    assert funnel_chart(stages=[("inquiry", 0, 0.0)], title="Pipeline", locale="zh_CN").startswith(PNG_SIGNATURE)


def test_english_chart_labels_and_font() -> None:
    font = choose_font("en")
    figure = build_funnel_figure(stages=STAGES, title="Pipeline", font=font)
    labels = [text.get_text() for text in texts_of(figure)]
    assert "inquiry" in labels
    assert "40 · 120,000" in labels
    with rc_context(charts._style(font)):
        assert {str(font_manager.findfont(text.get_fontproperties())) for text in texts_of(figure)} == {font.path}


cjk_font = find_cjk_font()


@pytest.mark.skipif(cjk_font is None, reason="no CJK font installed (e.g. Debian fonts-wqy-microhei)")
def test_chinese_labels_rendered_in_cjk_font() -> None:
    font = choose_font("zh_CN")
    assert font.locale == "zh_CN"
    assert font.path == cjk_font.fname  # type: ignore[union-attr]
    figure = build_funnel_figure(stages=STAGES, title="Pipeline", font=font)
    texts = texts_of(figure)
    labels = [text.get_text() for text in texts]
    assert "询盘" in labels
    with rc_context(charts._style(font)):
        # A .ttc collection comes back as a FontPath (path, face index); str() is the path.
        used = {str(font_manager.findfont(text.get_fontproperties())) for text in texts}
    assert used == {font.path}
    charmap = FT2Font(font.path).get_charmap()
    chinese = "".join(CJK.findall("".join(labels)))
    assert chinese
    assert all(ord(char) in charmap for char in chinese)


@pytest.mark.skipif(cjk_font is None, reason="no CJK font installed (e.g. Debian fonts-wqy-microhei)")
def test_chinese_trend_chart_renders_png() -> None:
    font = choose_font("zh_CN")
    figure = build_trend_figure(POINTS, font=font)
    png = charts.render_png(figure, font=font)
    assert png.startswith(PNG_SIGNATURE)


def test_no_cjk_font_falls_back_to_english(caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    # The notice is logged once per process; start from a process that has not logged it.
    monkeypatch.setattr(charts, "_missing_cjk_font_logged", False)
    with caplog.at_level(logging.WARNING, logger="reports.charts"):
        font = choose_font("zh_CN", fonts=[])
        choose_font("zh_CN", fonts=[])
    assert (font.family, font.locale) == (charts.LATIN_FONT_FAMILY, "en")
    notices = [record for record in caplog.records if "no CJK font found" in record.getMessage()]
    assert len(notices) == 1

    figure = build_funnel_figure(stages=STAGES, title="Pipeline", font=font)
    labels = [text.get_text() for text in texts_of(figure)]
    assert "inquiry" in labels
    assert not any(CJK.search(label) for label in labels)
    png = funnel_chart(stages=STAGES, title="Pipeline", locale="zh_CN", fonts=[])
    assert png.startswith(PNG_SIGNATURE)


def test_font_without_chinese_glyphs_not_chosen() -> None:
    latin = [entry for entry in font_manager.fontManager.ttflist if entry.name == charts.LATIN_FONT_FAMILY]
    # A Latin font registered under a CJK family name must not pass as a Chinese font.
    impostor = font_manager.FontEntry(fname=latin[0].fname, name="WenQuanYi Micro Hei")
    assert find_cjk_font([impostor]) is None


def test_funnel_unknown_value_shows_count_only_and_currency_on_values() -> None:
    font = choose_font("en")
    stages = [("inquiry", 3, None), ("quoted", 2, 1500.0)]
    figure = build_funnel_figure(stages=stages, title="Pipeline", font=font, currency="USD")
    labels = {text.get_text() for text in texts_of(figure)}
    assert "3" in labels
    assert "2 · USD 1,500" in labels
    assert not any(label.endswith(" · 0") for label in labels)


def test_trend_without_inquiries_axis_from_zero_to_one_with_note() -> None:
    points = [WeekPoint(date(2026, 11, 2) + timedelta(weeks=index), 0, None) for index in range(4)]
    figure = build_trend_figure(points, font=choose_font("en"))
    axes = figure.axes[0]
    assert axes.get_ylim() == (0.0, 1.0)
    assert "No inquiries in this period" in {text.get_text() for text in texts_of(figure)}


def test_trend_across_new_year_labels_carry_the_year() -> None:
    points = [WeekPoint(date(2026, 12, 14) + timedelta(weeks=index), 1, None) for index in range(4)]
    figure = build_trend_figure(points, font=choose_font("en"))
    labels = [label.get_text() for label in figure.axes[0].get_xticklabels()]
    assert labels[0] == "2026-12-14"
    assert "2027-01-04" in labels


def test_trend_monthly_points_labelled_by_month() -> None:
    points = [MonthPoint(date(2026, month, 1), month, None) for month in range(1, 13)]
    figure = build_trend_figure(points, font=choose_font("en"), monthly=True)
    labels = [label.get_text() for label in figure.axes[0].get_xticklabels()]
    assert labels[0] == "01"
    assert "Month" in {text.get_text() for text in texts_of(figure)}
    assert "Inquiries and median reply time per month" in {text.get_text() for text in texts_of(figure)}
