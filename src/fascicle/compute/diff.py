"""What changed between two datasets, or between two years of one dataset."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fascicle.compute.figures import Figures
from fascicle.model.base import split_period


@dataclass(frozen=True)
class FigureChange:
    """One figure in the old and the new data; None where it is absent."""

    ref: str
    period: str
    old: Decimal | None
    new: Decimal | None

    @property
    def delta(self) -> Decimal | None:
        """New minus old, where both exist."""
        return None if self.old is None or self.new is None else self.new - self.old


def figure_changes(old: Figures, new: Figures) -> list[FigureChange]:
    """Figures added, removed or changed between two datasets, in reference order."""
    keys = sorted({*old, *new})
    return [FigureChange(ref, per, old.get((ref, per)), new.get((ref, per)))
            for ref, per in keys if old.get((ref, per)) != new.get((ref, per))]


def year_changes(figs: Figures, before: int, after: int) -> list[FigureChange]:
    """Each figure of year `before` against the same figure of year `after`, whatever their stages."""
    def of(year: int) -> dict[str, tuple[str, Decimal | None]]:
        found: dict[str, tuple[str, Decimal | None]] = {}
        for (ref, per), amount in sorted(figs.items()):
            if split_period(per)[0] == year and ".change." not in ref:
                found.setdefault(ref, (per, amount))
        return found

    old, new = of(before), of(after)
    return [FigureChange(ref, f"{old.get(ref, ('', None))[0]} → {new.get(ref, ('', None))[0]}",
                         old.get(ref, ("", None))[1], new.get(ref, ("", None))[1])
            for ref in sorted({*old, *new}) if old.get(ref, ("", None))[1] != new.get(ref, ("", None))[1]]
