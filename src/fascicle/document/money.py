"""The columns and cells of a resources table: previous year, current year, change columns, estimate."""

from __future__ import annotations

from fascicle.compute.figures import Figures
from fascicle.document.labels import label, period_label
from fascicle.document.table import Cell
from fascicle.model.base import field_path
from fascicle.model.resources import CHANGE_KINDS, Fund, Line

CHANGE_COLUMNS = (*CHANGE_KINDS, "total", "percent")


def money_columns(fund: Fund, lang: str, first: str) -> tuple[str, ...]:
    """The nine columns of a resources table: previous, current, the change columns and the estimate."""
    previous, current, estimate = fund.periods
    return (first, period_label(previous, lang), period_label(current, lang),
            *(label(k, lang) for k in CHANGE_COLUMNS), period_label(estimate, lang))


def money_cells(figs: Figures, fund: Fund, ref: str) -> tuple[Cell, ...]:
    """One row of a resources table for the figure named `ref` (e.g. regular.total)."""
    previous, current, estimate = fund.periods
    base = ref.removesuffix(".total")
    return (figs.get((ref, previous)), figs.get((ref, current)),
            *(figs.get((f"{base}.change.{k}", estimate)) for k in CHANGE_COLUMNS), figs.get((ref, estimate)))


def money_sources(name: str, fund: Fund, index: int, line: Line) -> tuple[str | None, ...]:
    """Where each cell of a top-level line's row (as money_cells lays it out) is in the data, the fund being the
    resources' field `name`: the line's own values of the previous, current and estimate periods when it has no
    sub-lines; None for a sum or a change."""
    if line.lines:
        return ()

    def at(period: str) -> str | None:
        return f"resources:{field_path((name, 'lines', index, 'values', period))}" if period in line.values else None

    previous, current, estimate = fund.periods
    return (at(previous), at(current), *(None for _ in CHANGE_COLUMNS), at(estimate))
