"""Checks across the sections of a budget: a figure one document restates from another must agree with it.

ITC's 2026 fascicle restates the 2024 planned deliverables, the 2022 compliance rates and the posts of the seed;
the 2027 plan restates the 2026 plan, and prints in square brackets what A/80/6 (Sect. 13) said where it
updates a figure. Sections are compared on keys both shapes can name: the budget's own figure names, numbered
deliverables (`deliverables.item.<n>`), compliance rows in order (`compliance.#<i>`) and posts by grade.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from fascicle.checks.finding import CheckInfo, Finding, Location, show
from fascicle.compute.figures import Figures
from fascicle.compute.general import matches
from fascicle.model.base import split_period
from fascicle.model.budget import Budget
from fascicle.model.general import Section

ACROSS = CheckInfo("XYR001", "error", "A figure one document restates from another differs from what that document "
                                      "says")
RESTATED_STAGES = frozenset({"actual", "approved", "planned"})
"""Stages a later document repeats as they were; a "proposed" or "estimate" figure may change before approval."""


@dataclass(frozen=True)
class Value:
    """A comparable figure of one section: its value and where it sits."""

    value: Decimal | None
    location: Location


@dataclass
class Comparable:
    """What one section says, on keys every shape of section can name."""

    symbol: str
    section: str
    year: int
    values: dict[tuple[str, str], Value] = field(default_factory=dict)
    quoted: list[tuple[str, tuple[str, str], Value]] = field(default_factory=list)
    """(document, key, value): numbers this section prints as another document printed them."""


def _grade(grade: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", grade.lower()))


def of_budget(budget: Budget, figs: Figures) -> Comparable:
    """The comparable figures of a section in the seed's shape."""
    found = Comparable(budget.section.symbol, str(budget.section.number), budget.section.year)
    order = {indicator.id: index for index, indicator in enumerate(budget.compliance.indicators, 1)}
    for (name, period), value in figs.items():
        location = Location("figures", (), f"{name} ({period})")
        for key in _budget_keys(name, order):
            found.values[(key, period)] = Value(value, location)
    return found


def _budget_keys(name: str, order: dict[str, int]) -> Iterator[str]:
    yield name
    if name.startswith("compliance.") and name.split(".", 1)[1] in order:
        yield f"compliance.#{order[name.split('.', 1)[1]]}"
    grade = re.match(r"^posts\.(rb|xb)\.grade\.(.+)$", name)
    if grade:
        yield f"posts.{grade.group(1)}.grade.{_grade(grade.group(2))}"


FUNDS = {"regular": "rb", "extrabudgetary": "xb"}


def of_section(section: Section) -> Comparable:
    """The comparable figures of a section held as the document prints it."""
    ident = section.fascicle
    found = Comparable(ident.symbol, ident.section, ident.year)
    aliases = _aliases(section)
    # Only the data is compared: a total follows from its lines, and a later document may update a line.
    for index, figure in enumerate(section.figures.figures):
        location = Location("figures", ("figures", index), f"{figure.name} ({figure.period})")
        for key in (figure.name, *aliases.get(figure.name, ())):
            found.values.setdefault((key, figure.period), Value(figure.value, location))
    for index, cell in enumerate(section.printed.cells if section.printed else ()):
        if cell.document:
            value = Value(cell.value, Location("printed", ("cells", index), cell.where))
            for key in (cell.ref, *aliases.get(cell.ref, ())):
                found.quoted.append((cell.document, (key, cell.period), value))
    return found


def _aliases(section: Section) -> dict[str, list[str]]:
    """Other names of a section's figures: numbered deliverables, compliance rows in order, posts by grade."""
    found: dict[str, list[str]] = {}
    for block in section.document.blocks:
        table = block.table
        if table is None or table.entity:
            continue
        lines = [row for row in table.rows if row.ref and row.role == "line"]
        if table.kind == "deliverables" and table.scope in (None, "overall"):
            for row in lines:
                if row.number and row.number.isdigit() and row.ref:
                    found.setdefault(row.ref, []).append(f"deliverables.item.{row.number}")
        elif table.kind == "compliance":
            for order, row in enumerate(lines, 1):
                if row.ref:
                    found.setdefault(row.ref, []).append(f"compliance.#{order}")
    for name in list(found):
        found[name] = list(dict.fromkeys(found[name]))
    for fund, short in FUNDS.items():
        found.setdefault(f"posts.{fund}.total", []).append(f"posts.{short}.total")
    return found


def check_across(sections: Iterable[Comparable]) -> list[tuple[str, Finding]]:
    """Findings, each with the symbol of the later document it is about, where one section restates another."""
    every = list(sections)
    by_symbol = {c.symbol: c for c in every}
    out: list[tuple[str, Finding]] = []
    for later in every:
        quoted_keys = set()
        for document, key, value in later.quoted:
            quoted_keys.add(key)
            earlier = by_symbol.get(document)
            if earlier is not None and key in earlier.values:
                out += _compare(later, earlier, key, value, earlier.values[key])
        for earlier in every:
            if earlier is later or earlier.section != later.section or earlier.year >= later.year:
                continue
            for key, value in later.values.items():
                if key in quoted_keys or key not in earlier.values or split_period(key[1])[1] not in RESTATED_STAGES:
                    continue
                out += _compare(later, earlier, key, value, earlier.values[key])
    return _unique(out)


def _compare(later: Comparable, earlier: Comparable, key: tuple[str, str], value: Value,
             other: Value) -> list[tuple[str, Finding]]:
    if matches(other.value, value.value) or matches(value.value, other.value):
        return []
    message = (f"{later.symbol} prints {show(value.value)} for {key[0]} ({key[1]}); {earlier.symbol} says "
               f"{show(other.value)}")
    return [(later.symbol, Finding(ACROSS.code, ACROSS.severity, message, (value.location,)))]


def _unique(found: list[tuple[str, Finding]]) -> list[tuple[str, Finding]]:
    # One figure reached under two names (its own and an alias) is one finding.
    seen: set[tuple[str, str, tuple[object, ...]]] = set()
    out = []
    for symbol, finding in found:
        location = finding.locations[0]
        mark = (symbol, location.part, (location.path, finding.message.split(";")[1]))
        if mark not in seen:
            seen.add(mark)
            out.append((symbol, finding))
    return out
