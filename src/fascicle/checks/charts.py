"""Checks of what the charts draw: the hierarchy of the organization charts."""

from __future__ import annotations

from collections.abc import Iterable

from fascicle.checks.finding import Finding, Location, check, finding
from fascicle.compute.figures import Figures
from fascicle.model.budget import Budget


@check("STR003", "error")
def check_reports_to(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A unit reports to a unit that does not exist in each of its years, or the units report to each other in
    a loop, so the organization chart has no top."""
    units = {unit.id: unit for unit in budget.structure.units}
    for index, unit in enumerate(budget.structure.units):
        if unit.reports_to is None:
            continue
        where = Location("structure", ("units", index, "reports_to"))
        parent = units.get(unit.reports_to)
        missing = sorted(set(unit.years) - set(parent.years)) if parent is not None else list(unit.years)
        if missing:
            yield finding(check_reports_to, f"{unit.id} reports to {unit.reports_to}, which does not exist in "
                                            f"{', '.join(map(str, missing))}", where)
            continue
        loop = _loop(unit.id, {u.id: u.reports_to for u in budget.structure.units})
        if loop:
            yield finding(check_reports_to, f"{unit.id} reports to itself: {' → '.join(loop)}", where)


def _loop(start: str, parents: dict[str, str | None]) -> list[str]:
    """The chain of parents from `start` back to it, or nothing when the chain reaches a top unit."""
    chain, seen = [start], {start}
    current = parents.get(start)
    while current is not None:
        chain.append(current)
        if current == start:
            return chain
        if current in seen:
            # A loop further up: reported on its own units, not on every unit below it.
            return []
        seen.add(current)
        current = parents.get(current)
    return []
