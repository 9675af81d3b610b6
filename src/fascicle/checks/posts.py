"""Checks of posts and structure: units exist in their year, lineage is sound, changes add up."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from fascicle.checks.finding import Finding, Location, check, finding
from fascicle.compute import posts as counts
from fascicle.compute.figures import Figures
from fascicle.model.base import period, split_period
from fascicle.model.budget import Budget


@check("PST002", "error")
def check_post_units(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """Posts are placed in a unit that does not exist in that year's structure."""
    years = {unit.id: unit.years for unit in budget.structure.units}
    for index, entry in enumerate(budget.posts.staffing):
        year, _ = split_period(entry.period)
        if year not in years.get(entry.unit, ()):
            yield finding(check_post_units, f"unit {entry.unit} does not exist in {year}",
                          Location("posts", ("staffing", index, "unit")))


@check("PST003", "error")
def check_post_duplicates(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """The same unit, source and period is staffed twice."""
    seen: set[tuple[str, str, str]] = set()
    for index, entry in enumerate(budget.posts.staffing):
        key = (entry.period, entry.source, entry.unit)
        if key in seen:
            yield finding(check_post_duplicates, f"{entry.unit} {entry.source} {entry.period} appears twice",
                          Location("posts", ("staffing", index)))
        seen.add(key)


@check("PST004", "error")
def check_post_changes(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """Approved posts plus the proposed post changes do not give the proposed posts, grade by grade."""
    year = budget.section.year
    approved = counts.by_grade(counts.select(budget.posts, period(year - 1, "approved"), "rb"))
    proposed = counts.by_grade(counts.select(budget.posts, period(year, "proposed"), "rb"))
    if not approved or not proposed:
        return
    changed: Counter[str] = Counter()
    for change in budget.posts.changes:
        changed[change.grade] += change.number
    for grade in sorted({*approved, *proposed, *changed}):
        if approved.get(grade, 0) + changed[grade] != proposed.get(grade, 0):
            yield finding(check_post_changes, f"{grade}: {approved.get(grade, 0)} approved + {changed[grade]} "
                                              f"changes ≠ {proposed.get(grade, 0)} proposed",
                          Location("posts", ("changes",) if budget.posts.changes else ("staffing",),
                                   f"Table {budget.section.number}.6, {grade}"))


@check("STR001", "error")
def check_lineage(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A unit is renamed from a unit that is unknown or that still exists in the same year."""
    units = {unit.id: unit for unit in budget.structure.units}
    for index, unit in enumerate(budget.structure.units):
        if unit.renamed_from is None:
            continue
        old = units.get(unit.renamed_from)
        if old is None or set(old.years) & set(unit.years) or not old.years or max(old.years) >= min(unit.years):
            yield finding(check_lineage, f"{unit.id} cannot be renamed from {unit.renamed_from}",
                          Location("structure", ("units", index, "renamed_from")))


@check("STR002", "error")
def check_unit_ids(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """Two units have the same id."""
    seen: set[str] = set()
    for index, unit in enumerate(budget.structure.units):
        if unit.id in seen:
            yield finding(check_unit_ids, f"unit {unit.id} is defined twice",
                          Location("structure", ("units", index, "id")))
        seen.add(unit.id)


@check("PST005", "error")
def check_post_change_units(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A proposed post change is placed in a unit that does not exist in the plan year."""
    year = budget.section.year
    units = {unit.id for unit in budget.structure.units if year in unit.years}
    for index, change in enumerate(budget.posts.changes):
        if change.unit not in units:
            yield finding(check_post_change_units, f"post change to unit {change.unit}, which does not exist in "
                                                   f"{year}", Location("posts", ("changes", index, "unit")))
