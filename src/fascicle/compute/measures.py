"""Performance measures against their targets."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fascicle.compute.rounding import half_up
from fascicle.model.performance import Measure


@dataclass(frozen=True)
class Attainment:
    """A measure's actual against its target in one year."""

    measure: str
    year: int
    actual: Decimal
    target: Decimal
    percent: Decimal | None
    met: bool


def attainment(measure: Measure, year: int) -> Attainment | None:
    """How far the year's actual reached the year's target; None without both."""
    actual = measure.values.get(f"{year} actual")
    target = measure.values.get(f"{year} target")
    if actual is None or target is None:
        return None
    percent = half_up(actual / target * 100) if target else None
    return Attainment(measure.id, year, actual, target, percent, actual >= target)
