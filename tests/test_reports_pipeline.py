"""Pure report functions: pipeline folding, forecast months and currency conversion."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from bot.models import Stage
from reports.forecast import ForecastRow, summarize_forecast
from reports.fx import FxRate, convert_amount, convert_totals, usable_rates
from reports.periods import month_period
from reports.pipeline import NO_CLOSE_MONTH, DealAggregate, Grouping, summarize_pipeline

SET_AT = datetime(2026, 12, 1, tzinfo=timezone.utc)
USD = FxRate(currency="USD", rate=Decimal("7.1"), base="CNY", set_at=SET_AT)
EUR = FxRate(currency="EUR", rate=Decimal("7.8"), base="CNY", set_at=SET_AT)


def row(group: str, stage: Stage, currency: str | None, count: int, value: str, unvalued: int = 0) -> DealAggregate:
    return DealAggregate(group=group, stage=stage, currency=currency, count=count, value=Decimal(value), unvalued=unvalued)


def test_summarize_pipeline_folds_currencies_and_unvalued() -> None:
    report = summarize_pipeline(
        grouping=Grouping.STAGE,
        open_rows=[
            row("quoted", Stage.QUOTED, "USD", 3, "3000", unvalued=1),
            row("quoted", Stage.QUOTED, "EUR", 1, "500"),
            row("quoted", Stage.QUOTED, None, 2, "0"),
            row("inquiry", Stage.INQUIRY, "USD", 1, "100"),
        ],
        closed_rows=[row("", Stage.WON, "USD", 2, "900"), row("", Stage.LOST, "EUR", 1, "0", unvalued=1)],
    )
    groups = dict(report.groups)
    assert [key for key, _ in report.groups] == ["inquiry", "quoted", "sample", "negotiation"]
    assert groups["quoted"].count == 6
    assert groups["quoted"].unvalued == 3
    assert groups["quoted"].values == {"USD": Decimal("3000"), "EUR": Decimal("500")}
    assert groups["sample"].count == 0
    assert report.open_total.values == {"USD": Decimal("3100"), "EUR": Decimal("500")}
    assert report.won.values == {"USD": Decimal("900")}
    assert report.lost.values == {}
    assert report.lost.unvalued == 1


def test_summarize_pipeline_month_order_undated_last() -> None:
    report = summarize_pipeline(
        grouping=Grouping.MONTH,
        open_rows=[
            row(NO_CLOSE_MONTH, Stage.QUOTED, "USD", 1, "1"),
            row("2027-02", Stage.QUOTED, "USD", 1, "1"),
            row("2027-01", Stage.SAMPLE, "USD", 1, "1"),
        ],
        closed_rows=[],
    )
    assert [key for key, _ in report.groups] == ["2027-01", "2027-02", NO_CLOSE_MONTH]


def test_summarize_pipeline_rep_ties_ordered_by_key() -> None:
    report = summarize_pipeline(
        grouping=Grouping.REP,
        open_rows=[row("7", Stage.QUOTED, "USD", 2, "1"), row("3", Stage.QUOTED, "USD", 2, "1"), row("9", Stage.QUOTED, "USD", 5, "1")],
        closed_rows=[],
    )
    assert [key for key, _ in report.groups] == ["9", "3", "7"]


def test_summarize_pipeline_empty_input() -> None:
    report = summarize_pipeline(grouping=Grouping.REP, open_rows=[], closed_rows=[])
    assert report.groups == ()
    assert report.open_total.count == 0
    assert report.currencies == ()


def test_convert_totals_all_rates_known() -> None:
    conversion = convert_totals(
        {"USD": Decimal("100"), "EUR": Decimal("10"), "CNY": Decimal("5")}, base="CNY", rates={"USD": USD, "EUR": EUR}
    )
    # 100 × 7.1 + 10 × 7.8 + 5 = 710 + 78 + 5 = 793.
    assert conversion.total == Decimal("793.00")
    assert conversion.used == (EUR, USD)
    assert conversion.missing == ()


def test_convert_totals_missing_rate_gives_no_total() -> None:
    conversion = convert_totals({"USD": Decimal("100"), "GBP": Decimal("10")}, base="CNY", rates={"USD": USD})
    assert conversion.total is None
    assert conversion.missing == ("GBP",)


def test_usable_rates_skip_other_base() -> None:
    old = FxRate(currency="EUR", rate=Decimal("1.1"), base="USD", set_at=SET_AT)
    assert usable_rates([USD, old], base="CNY") == {"USD": USD}


def test_convert_amount_rounds_half_up() -> None:
    rate = FxRate(currency="USD", rate=Decimal("0.5"), base="CNY", set_at=SET_AT)
    assert convert_amount(Decimal("0.05"), "USD", base="CNY", rates={"USD": rate}) == Decimal("0.03")
    assert convert_amount(Decimal("1"), "GBP", base="CNY", rates={}) is None


def forecast_row(day: date | None, currency: str | None, count: int, value: str, weighted: str, unvalued: int = 0) -> ForecastRow:
    return ForecastRow(close_date=day, currency=currency, count=count, value=Decimal(value), weighted=Decimal(weighted), unvalued=unvalued)


def test_summarize_forecast_months_past_due_and_undated() -> None:
    rows = [
        forecast_row(date(2027, 1, 5), "USD", 1, "1000", "600"),
        forecast_row(date(2027, 1, 20), "USD", 2, "2000", "500"),
        forecast_row(date(2026, 11, 30), "EUR", 1, "100", "10"),
        forecast_row(None, "CNY", 1, "50", "5"),
    ]
    report = summarize_forecast(rows, today=date(2026, 12, 7), period=None)
    assert [month.month for month in report.months] == ["2027-01", None]
    assert report.months[0].weighted == {"USD": Decimal("1100.00")}
    assert report.months[0].count == 3
    assert report.past_due.weighted == {"EUR": Decimal("10.00")}
    assert report.total.count == 5


def test_summarize_forecast_period_leaves_out_other_months() -> None:
    rows = [forecast_row(date(2027, 1, 5), "USD", 1, "1000", "600"), forecast_row(None, "USD", 1, "10", "1")]
    report = summarize_forecast(rows, today=date(2026, 12, 7), period=month_period(2027, 2))
    assert report.months == ()
    assert report.total.count == 0
