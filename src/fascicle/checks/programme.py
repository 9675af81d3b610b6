"""Checks of deliverables, measures, compliance rates and mandates."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from fascicle.checks.finding import Finding, Location, check, finding, show
from fascicle.compute.figures import Figures
from fascicle.model.base import split_period
from fascicle.model.budget import Budget


@check("DEL002", "error")
def check_deliverable_periods(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A deliverable has a quantity for a period the table does not show, or a negative quantity."""
    shown = set(budget.deliverables.periods)
    for c, category in enumerate(budget.deliverables.categories):
        for s, sub in enumerate(category.subcategories):
            for i, item in enumerate(sub.items):
                for period, quantity in item.quantities.items():
                    if period not in shown or quantity < 0:
                        yield finding(check_deliverable_periods, f"deliverable {item.number}: {quantity} for "
                                                                 f"{period}",
                                      Location("deliverables", ("categories", c, "subcategories", s, "items", i,
                                                                "quantities", period)))


@check("DEL003", "error")
def check_deliverable_numbers(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """Deliverables are not numbered 1, 2, 3... in table order."""
    expected = 1
    for c, category in enumerate(budget.deliverables.categories):
        for s, sub in enumerate(category.subcategories):
            for i, item in enumerate(sub.items):
                if item.number != expected:
                    yield finding(check_deliverable_numbers, f"deliverable {item.number} where {expected} was "
                                                             "expected",
                                  Location("deliverables", ("categories", c, "subcategories", s, "items", i,
                                                            "number")))
                expected = item.number + 1


@check("DEL004", "warning")
def check_future_actuals(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """An actual quantity or measure is reported for a year that has not ended when the plan is written."""
    last_closed = budget.section.year - 2
    for path, name, series in _series(budget):
        for period, amount in series.items():
            year, stage = split_period(period)
            if stage == "actual" and year > last_closed:
                yield finding(check_future_actuals, f"{name}: actual {show(Decimal(amount))} for {year}",
                              Location(str(path[0]), (*path[1:], period)))


def _series(budget: Budget) -> Iterable[tuple[tuple[str | int, ...], str, dict[str, Any]]]:
    for c, category in enumerate(budget.deliverables.categories):
        for s, sub in enumerate(category.subcategories):
            for i, item in enumerate(sub.items):
                yield (("deliverables", "categories", c, "subcategories", s, "items", i, "quantities"),
                       f"deliverable {item.number}", dict(item.quantities))
    for m, measure in enumerate(budget.performance.performance.measures):
        yield ("performance", "performance", "measures", m, "values"), measure.id, dict(measure.values)
    for r, result in enumerate(budget.performance.results):
        for m, measure in enumerate(result.measures):
            yield ("performance", "results", r, "measures", m, "values"), measure.id, dict(measure.values)


@check("ID001", "error")
def check_unique_ids(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """Two subcategories, measures or compliance indicators share an id, so their figures cannot be told apart."""
    for kind, part, entries in _ids(budget):
        seen: set[str] = set()
        for path, id_ in entries:
            if id_ in seen:
                yield finding(check_unique_ids, f"{kind} id {id_!r} is used twice", Location(part, path))
            seen.add(id_)


Ids = list[tuple[tuple[str | int, ...], str]]


def _ids(budget: Budget) -> Iterable[tuple[str, str, Ids]]:
    subcategories: Ids = [(("categories", c, "subcategories", s, "id"), sub.id)
                     for c, category in enumerate(budget.deliverables.categories)
                     for s, sub in enumerate(category.subcategories)]
    measures: Ids = [(("performance", "measures", m, "id"), measure.id)
                for m, measure in enumerate(budget.performance.performance.measures)]
    measures += [(("results", r, "measures", m, "id"), measure.id)
                 for r, result in enumerate(budget.performance.results) for m, measure in enumerate(result.measures)]
    indicators: Ids = [(("indicators", i, "id"), indicator.id)
                       for i, indicator in enumerate(budget.compliance.indicators)]
    return [("subcategory", "deliverables", subcategories), ("measure", "performance", measures),
            ("indicator", "compliance", indicators)]


@check("CMP001", "error")
def check_rates(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A compliance rate lies outside 0 to 100 per cent."""
    for i, indicator in enumerate(budget.compliance.indicators):
        for period, rate in indicator.values.items():
            if not 0 <= rate <= 100:
                yield finding(check_rates, f"{indicator.id} {period}: {show(rate)} per cent",
                              Location("compliance", ("indicators", i, "values", period)))


@check("MSR002", "warning")
def check_targets(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A quantified measure has no target for the plan year: its figure prints a note saying which periods the
    dataset holds (review Z2)."""
    wanted = f"{budget.section.year} target"
    for r, result in enumerate(budget.performance.results):
        for m, measure in enumerate(result.measures):
            if measure.values and wanted not in measure.values:
                yield finding(check_targets, f"{measure.id} has no {wanted}",
                              Location("performance", ("results", r, "measures", m, "values")))


@check("FIG003", "warning")
def check_figure_data(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A figure of the plan has no data: it prints a note saying so instead of a chart."""
    for r, result in enumerate(budget.performance.results):
        if result.exhibit.kind == "figure" and not any(m.values for m in result.measures):
            yield finding(check_figure_data, f"figure {result.exhibit.number} has no values to draw",
                          Location("performance", ("results", r, "measures")))


@check("MAN001", "error")
def check_mandates(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A resolution is listed twice in the legislative mandates."""
    seen: set[str] = set()
    for g, group in enumerate(budget.mandates.groups):
        for m, mandate in enumerate(group.mandates):
            for symbol in mandate.symbols:
                if f"{group.body} {symbol}" in seen:
                    yield finding(check_mandates, f"{group.body} {symbol} is listed twice",
                                  Location("mandates", ("groups", g, "mandates", m, "symbols")))
                seen.add(f"{group.body} {symbol}")
