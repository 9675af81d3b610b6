"""Recosting: a year's estimates at a new exchange rate and at inflation rates given as dated reference data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator, Strict

from fascicle.compute.lines import value
from fascicle.compute.resources import fund_total, share, to_usd
from fascicle.compute.rounding import half_up
from fascicle.model.base import Frozen, bounded, exact
from fascicle.model.budget import Budget

InflationPercent = Annotated[Decimal, BeforeValidator(exact), Strict(),
                            bounded(Decimal(-50), Decimal(1000), 4, "an annual inflation rate in per cent")]
"""Deflation past half of all prices, or prices rising more than elevenfold in a year, is a typing error."""


class InflationRate(Frozen):
    """An annual inflation rate in per cent for one class of lines, applying from a date."""

    applies_to: Literal["post", "non_post", "all"]
    effective: dt.date
    percent: InflationPercent


class Inflation(Frozen):
    """Dated inflation rates: the reference data of a recosting."""

    rates: tuple[InflationRate, ...]


@dataclass(frozen=True)
class RecostedLine:
    """One line before recosting, its recosting and after."""

    id: str
    before: Decimal
    recosting: Decimal
    after: Decimal


@dataclass(frozen=True)
class Recosting:
    """The estimate of one period recosted, in the regular budget's currency and as the dollar grant."""

    period: str
    rate_before: Decimal | None
    rate_after: Decimal
    lines: tuple[RecostedLine, ...]
    total_before: Decimal
    total_after: Decimal
    grant_before: Decimal | None
    grant_after: Decimal


def year_factor(inflation: Inflation, applies_to: str, year: int) -> Decimal:
    """The average price factor over the year's twelve months: each month takes the latest rate in effect."""
    rates = sorted((r for r in inflation.rates if r.applies_to in (applies_to, "all")), key=lambda r: r.effective)
    months = []
    for month in range(1, 13):
        first = dt.date(year, month, 1)
        current = [r.percent for r in rates if r.effective <= first]
        months.append(1 + (current[-1] if current else Decimal(0)) / 100)
    return sum(months, Decimal(0)) / 12


def recost(budget: Budget, rate: Decimal, inflation: Inflation | None = None) -> Recosting:
    """Recost the regular budget estimate: inflate each top line, then convert the UN share at `rate`."""
    resources = budget.resources
    estimate = resources.regular.periods[2]
    year = int(estimate[:4])
    rows = []
    for line in resources.regular.lines:
        before = value(line, estimate) or Decimal(0)
        factor = year_factor(inflation, line.id, year) if inflation else Decimal(1)
        after = half_up(before * factor)
        rows.append(RecostedLine(line.id, before, after - before, after))
    total_before = fund_total(resources.regular, estimate) or Decimal(0)
    total_after = sum((row.after for row in rows), Decimal(0))
    percent = next((s.percent for s in resources.shares if s.party == resources.grant_party), None)
    if percent is None:
        raise ValueError(f"the grant is paid by {resources.grant_party}, which has no share of the budget")
    old_rate = resources.exchange_rates.get(estimate)
    old_share = share(resources, resources.grant_party, estimate)
    return Recosting(
        estimate, old_rate, rate, tuple(rows), total_before, total_after,
        to_usd(old_share, old_rate) if old_rate and old_share is not None else None,
        to_usd(total_after * percent / 100, rate),
    )
