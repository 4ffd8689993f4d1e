"""The weighted forecast: open deals' value × success probability, by expected close month.

A deal without its own probability counts at its stage's default. The defaults are the
table DEFAULT_STAGE_PROBABILITY in bot.services.deals (inquiry 10%, quoted 25%, sample 40%,
negotiation 60%), which /today's priority uses too, so both views weigh a deal alike.
Source of the defaults: the team's sales playbook, as in the product's domain rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from bot.services.deals import DEFAULT_STAGE_PROBABILITY
from reports.periods import Period

__all__ = ["DEFAULT_STAGE_PROBABILITY", "ForecastMonth", "ForecastReport", "ForecastRow", "summarize_forecast"]

CENT = Decimal("0.01")


@dataclass(frozen=True)
class ForecastRow:
    """Open deals sharing an expected close date and a currency, as one database row returns them."""

    close_date: date | None
    currency: str | None
    count: int
    value: Decimal
    weighted: Decimal
    unvalued: int


@dataclass
class ForecastMonth:
    """One close month ('2027-03'), or the deals without a close date (month None)."""

    month: str | None
    count: int = 0
    unvalued: int = 0
    values: dict[str, Decimal] = field(default_factory=dict)
    weighted: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class ForecastReport:
    months: tuple[ForecastMonth, ...]
    # Deals whose expected close date is already past: still open, so probably late.
    past_due: ForecastMonth
    total: ForecastMonth


def _add(month: ForecastMonth, row: ForecastRow) -> None:
    month.count += row.count
    if row.currency is None:
        month.unvalued += row.count
        return
    month.unvalued += row.unvalued
    if row.count > row.unvalued:
        month.values[row.currency] = month.values.get(row.currency, Decimal(0)) + row.value
        month.weighted[row.currency] = month.weighted.get(row.currency, Decimal(0)) + row.weighted


def _round(month: ForecastMonth) -> ForecastMonth:
    month.values = {currency: amount.quantize(CENT, rounding=ROUND_HALF_UP) for currency, amount in month.values.items()}
    month.weighted = {currency: amount.quantize(CENT, rounding=ROUND_HALF_UP) for currency, amount in month.weighted.items()}
    return month


def summarize_forecast(rows: Iterable[ForecastRow], *, today: date, period: Period | None) -> ForecastReport:
    """Fold rows into close months; with a period only its months count, else every open deal.

    Without a period, deals whose close date lies before the current month go to `past_due`
    and deals without a close date get a month of their own (month None). With a period,
    both are left out, because they have no month inside it.
    """
    months: dict[str | None, ForecastMonth] = {}
    past_due = ForecastMonth(month=None)
    total = ForecastMonth(month=None)
    this_month = today.replace(day=1)
    for row in rows:
        if period is not None:
            if row.close_date is None or not period.contains(row.close_date):
                continue
        elif row.close_date is not None and row.close_date < this_month:
            _add(past_due, row)
            _add(total, row)
            continue
        key = None if row.close_date is None else f"{row.close_date.year:04d}-{row.close_date.month:02d}"
        _add(months.setdefault(key, ForecastMonth(month=key)), row)
        _add(total, row)
    ordered = sorted((month for key, month in months.items() if key is not None), key=lambda month: month.month or "")
    if None in months:
        ordered.append(months[None])
    return ForecastReport(
        months=tuple(_round(month) for month in ordered),
        past_due=_round(past_due),
        total=_round(total),
    )
