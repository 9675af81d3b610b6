"""Values of resource lines: a line's own figure, or the sum of its sub-lines."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from fascicle.model.resources import CHANGE_KINDS, Line


def value(line: Line, period: str) -> Decimal | None:
    """The line's figure for a period: its own, else the sum of its sub-lines that have one."""
    if period in line.values:
        return line.values[period]
    return sum_of(line.lines, period)


def sum_of(lines: Sequence[Line], period: str) -> Decimal | None:
    """The sum of the lines' figures for a period; None when none has a figure."""
    parts = [part for part in (value(line, period) for line in lines) if part is not None]
    return sum(parts, Decimal(0)) if parts else None


def children_sum(line: Line, period: str) -> Decimal | None:
    """The sum of the sub-lines only, ignoring the line's own figure."""
    return sum_of(line.lines, period) if line.lines else None


def walk(lines: Sequence[Line], trail: tuple[int, ...] = ()) -> Iterator[tuple[tuple[int, ...], Line]]:
    """Every line at any depth with its index trail, parents first."""
    for index, line in enumerate(lines):
        yield (*trail, index), line
        yield from walk(line.lines, (*trail, index))


def change(line: Line, kind: str) -> Decimal:
    """The line's change in one change column, its sub-lines' included."""
    own = sum((c.amount for c in line.changes if c.kind == kind), Decimal(0))
    return own + sum((change(sub, kind) for sub in line.lines), Decimal(0))


def changes(line: Line) -> dict[str, Decimal]:
    """The line's change columns and their total."""
    columns: dict[str, Decimal] = {kind: change(line, kind) for kind in CHANGE_KINDS}
    return {**columns, "total": sum(columns.values(), Decimal(0))}
