"""The pipeline: counts and values of deals per group and currency, summed from database aggregates.

The database returns one row per (group, stage, currency) with a count and a value sum;
this module folds those rows into figures per group, never looking at single deals.
A deal without a known value, or without a currency, is counted but adds no value.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from bot.models import Stage

# The open stages in funnel order, the order of the by-stage view and of the funnel chart.
OPEN_STAGES: tuple[Stage, ...] = (Stage.INQUIRY, Stage.QUOTED, Stage.SAMPLE, Stage.NEGOTIATION)


class Grouping(str, enum.Enum):
    STAGE = "stage"
    REP = "rep"
    MARKET = "market"
    MONTH = "month"


# The group of open deals that have no expected close date, in the by-month view.
NO_CLOSE_MONTH = ""


@dataclass(frozen=True)
class DealAggregate:
    """Deals sharing a group, a stage and a currency, as one database row returns them."""

    group: str
    stage: Stage
    currency: str | None
    count: int
    # Sum of the known values; deals without a value add nothing to it.
    value: Decimal
    unvalued: int


@dataclass
class Figures:
    """A count of deals, how many of them have no value, and the value per currency."""

    count: int = 0
    unvalued: int = 0
    values: dict[str, Decimal] = field(default_factory=dict)

    def add(self, row: DealAggregate) -> None:
        self.count += row.count
        if row.currency is None:
            # A value without a currency cannot be summed with anything.
            self.unvalued += row.count
            return
        self.unvalued += row.unvalued
        if row.count > row.unvalued:
            self.values[row.currency] = self.values.get(row.currency, Decimal(0)) + row.value


@dataclass(frozen=True)
class PipelineReport:
    """Open deals per group and in total, and the deals won and lost in the period."""

    grouping: Grouping
    groups: tuple[tuple[str, Figures], ...]
    open_total: Figures
    won: Figures
    lost: Figures

    @property
    def currencies(self) -> tuple[str, ...]:
        found = set(self.open_total.values) | set(self.won.values) | set(self.lost.values)
        return tuple(sorted(found))


def _order_groups(grouping: Grouping, figures: dict[str, Figures]) -> list[tuple[str, Figures]]:
    if grouping is Grouping.STAGE:
        # Every open stage is listed, even an empty one, so the funnel always shows four steps.
        return [(stage.value, figures.get(stage.value, Figures())) for stage in OPEN_STAGES]
    if grouping is Grouping.MONTH:
        dated = sorted(key for key in figures if key != NO_CLOSE_MONTH)
        keys = dated + ([NO_CLOSE_MONTH] if NO_CLOSE_MONTH in figures else [])
        return [(key, figures[key]) for key in keys]
    # Reps and markets: the most deals first; ties by key, so the order is stable.
    return sorted(figures.items(), key=lambda item: (-item[1].count, item[0]))


def summarize_pipeline(
    *,
    grouping: Grouping,
    open_rows: Iterable[DealAggregate],
    closed_rows: Iterable[DealAggregate],
) -> PipelineReport:
    """Fold open deals into groups and closed ones into won and lost; the groups of closed rows are ignored."""
    by_group: dict[str, Figures] = {}
    total = Figures()
    for row in open_rows:
        by_group.setdefault(row.group, Figures()).add(row)
        total.add(row)
    won, lost = Figures(), Figures()
    for row in closed_rows:
        if row.stage is Stage.WON:
            won.add(row)
        elif row.stage is Stage.LOST:
            lost.add(row)
    return PipelineReport(
        grouping=grouping,
        groups=tuple(_order_groups(grouping, by_group)),
        open_total=total,
        won=won,
        lost=lost,
    )
