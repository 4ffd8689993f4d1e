"""Conversion of per-currency totals into the team's reporting currency at team-set rates.

There is no network access and so no live rates: a team sets each rate by hand, and every
converted figure is shown with the rates and the dates they were set.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

# The reporting currency of a team that has not chosen one: the exporters this bot serves
# report in renminbi.
DEFAULT_REPORTING_CURRENCY = "CNY"

CENT = Decimal("0.01")


@dataclass(frozen=True)
class FxRate:
    """One unit of `currency` is worth `rate` units of `base`, as set by the team at `set_at`."""

    currency: str
    rate: Decimal
    base: str
    set_at: datetime


@dataclass(frozen=True)
class Conversion:
    """Totals per currency summed in the reporting currency, or the currencies that lack a rate.

    `total` is None unless every currency involved has a rate against `base`; `used` lists
    the rates the total depends on, so that a reader sees which rates and dates it rests on.
    """

    base: str
    total: Decimal | None
    used: tuple[FxRate, ...]
    missing: tuple[str, ...]


def usable_rates(rates: Iterable[FxRate], *, base: str) -> dict[str, FxRate]:
    """Return the rates set against `base`, by currency; rates against an older base are left out."""
    return {rate.currency: rate for rate in rates if rate.base == base and rate.currency != base}


def convert_totals(totals: Mapping[str, Decimal], *, base: str, rates: Mapping[str, FxRate]) -> Conversion:
    """Sum `totals` in `base`; a currency without a rate makes the total None and is named in `missing`."""
    used: list[FxRate] = []
    missing: list[str] = []
    total = Decimal(0)
    for currency in sorted(totals):
        amount = totals[currency]
        if currency == base:
            total += amount
        elif currency in rates:
            used.append(rates[currency])
            total += amount * rates[currency].rate
        else:
            missing.append(currency)
    if missing:
        return Conversion(base=base, total=None, used=tuple(used), missing=tuple(missing))
    return Conversion(base=base, total=total.quantize(CENT, rounding=ROUND_HALF_UP), used=tuple(used), missing=())


def convert_amount(amount: Decimal, currency: str, *, base: str, rates: Mapping[str, FxRate]) -> Decimal | None:
    """Return `amount` in `base`, or None when no rate exists for `currency`."""
    if currency == base:
        return amount
    rate = rates.get(currency)
    if rate is None:
        return None
    return (amount * rate.rate).quantize(CENT, rounding=ROUND_HALF_UP)
