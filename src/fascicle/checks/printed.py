"""Checks that every figure the document prints twice agrees with the data and its computations."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from fascicle.checks.finding import Check, Finding, Location, check, finding, show
from fascicle.compute.figures import Figures
from fascicle.compute.rounding import agrees
from fascicle.model.budget import Budget
from fascicle.model.printed import Printed


def _printed(budget: Budget, prefixes: tuple[str, ...]) -> Iterator[tuple[int, Printed]]:
    if budget.printed is None:
        return
    for index, figure in enumerate(budget.printed.figures):
        if figure.ref.startswith(prefixes):
            yield index, figure


def _compare(function: Check, budget: Budget, figs: Figures, prefixes: tuple[str, ...]) -> Iterable[Finding]:
    for index, figure in _printed(budget, prefixes):
        key = (figure.ref, figure.period)
        if key not in figs:
            continue  # reported by check_printed_known
        computed = figs[key]
        printed_nil = figure.value is None
        computed_nil = computed is None or computed == 0
        if printed_nil and computed_nil:
            continue
        if not printed_nil and computed is not None and figure.value is not None and agrees(computed, figure.value):
            continue
        yield finding(function, f"{figure.where} prints {show(figure.value)}, the data gives {show(computed)} "
                                f"({figure.ref}, {figure.period})",
                      Location("printed", ("figures", index), figure.where))


@check("RES001", "error")
def check_printed_resources(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A resources figure printed in a table, chart, note or paragraph differs from the data."""
    return _compare(check_printed_resources, budget, figs, ("regular.", "extrabudgetary.", "un_grant.",
                                                            "resources.", "exchange_rate"))


@check("PST001", "error")
def check_printed_posts(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A number of posts printed in a table, chart or annex differs from the posts data."""
    return _compare(check_printed_posts, budget, figs, ("posts.",))


@check("DEL001", "error")
def check_printed_deliverables(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A deliverable quantity printed for a subcategory differs from the sum of its items."""
    return _compare(check_printed_deliverables, budget, figs, ("deliverables.",))


@check("MSR001", "error")
def check_printed_measures(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A performance measure or compliance rate restated in the text differs from its series."""
    return _compare(check_printed_measures, budget, figs, ("measure.", "compliance."))


@check("FIG002", "warning")
def check_printed_present(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """The section has no printed figures, so no total, note or restatement is checked against the data."""
    if budget.printed is None or not budget.printed.figures:
        yield finding(check_printed_present, "no printed.yaml: printed totals and restatements are not checked",
                      Location("section"))


@check("FIG001", "error")
def check_printed_known(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A printed figure names a figure or period that the data does not have."""
    for index, figure in _printed(budget, ("",)):
        if (figure.ref, figure.period) not in figs:
            yield finding(check_printed_known, f"no figure {figure.ref} for {figure.period}",
                          Location("printed", ("figures", index, "ref"), figure.where))
