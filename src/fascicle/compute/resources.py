"""Fund totals, change columns and percentages, parent shares and the UN grant in dollars."""

from __future__ import annotations

from decimal import Decimal

from fascicle.compute.lines import changes, sum_of
from fascicle.compute.rounding import half_up
from fascicle.model.resources import Fund, Line, Resources

HUNDRED = Decimal(100)


def fund_total(fund: Fund, period: str) -> Decimal | None:
    """A fund's total for a period."""
    return sum_of(fund.lines, period)


def fund_changes(fund: Fund) -> dict[str, Decimal]:
    """A fund's change columns from the current year to the estimate, with their total."""
    root = Line(id="total", name=fund.name, lines=fund.lines)
    return changes(root)


def percent_change(base: Decimal | None, total_change: Decimal) -> Decimal | None:
    """The change in per cent of the base, one decimal, half up; None for a nil change or no base."""
    if not base or total_change == 0:
        return None
    return half_up(total_change / base * HUNDRED)


def share(resources: Resources, party: str, period: str) -> Decimal | None:
    """A parent organization's share of the regular budget, in thousands, unrounded."""
    total = fund_total(resources.regular, period)
    percent = next((s.percent for s in resources.shares if s.party == party), None)
    if total is None or percent is None:
        return None
    return total * percent / HUNDRED


def gross(resources: Resources, period: str) -> Decimal | None:
    """The gross requirement: the net regular budget plus estimated miscellaneous income."""
    total = fund_total(resources.regular, period)
    if total is None:
        return None
    return total + resources.misc_income.get(period, Decimal(0))


def to_usd(chf: Decimal, rate: Decimal) -> Decimal:
    """Convert thousands of CHF to thousands of USD at `rate` CHF per USD, rounded half up to 0.1."""
    return half_up(chf / rate)


def converted_grant(resources: Resources, period: str) -> Decimal | None:
    """The UN share converted to USD at the period's rate; None without a rate."""
    rate = resources.exchange_rates.get(period)
    amount = share(resources, resources.grant_party, period)
    if rate is None or amount is None:
        return None
    return to_usd(amount, rate)
