"""Every number of a general section's tables, evaluated from its figures: leaves, sums, changes, percentages.

A cell of a `figure` or `change` column on a line is a leaf figure named by its row and column; on a subtotal or
total it is the sum of the rows it adds up. A `changes` cell is the sum of the row's change columns, a `result`
cell the base column plus them, a `percent` cell their ratio to the base. A line cell with no leaf figure but a
printed cell restates the figure that printed cell names, wherever the section computes it. Every derived cell
also names a figure (first occurrence wins), so a total of one table can be restated in another.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext
from typing import Literal

from fascicle.compute.rounding import agrees, half_up
from fascicle.model.general import Column, PrintedCell, Section, Table

Position = tuple[str, int, int]
"""A cell: (table id, row index, column index)."""
Key = tuple[str, str]
"""A named figure: (name, period)."""
Operation = Literal["leaf", "sum", "changes", "percent", "result", "across", "rowsum"]

NUMERIC_COLUMNS = frozenset({"figure", "change", "changes", "percent", "result", "rowsum"})
NUMERIC_ROWS = frozenset({"line", "group", "subtotal", "total"})
DERIVED: frozenset[Operation] = frozenset({"sum", "changes", "percent", "result", "across", "rowsum"})
HUNDRED = Decimal(100)
PRECISION = 80
"""Digits for the arithmetic: sums of sums and a change over a tiny base outgrow Decimal's default 28 digits."""


@dataclass(frozen=True)
class Evaluation:
    """The value of every numeric cell of a section's tables, and the section's named figures."""

    cells: dict[Position, Decimal | None]
    """Every numeric cell (not blank, not text) by (table id, row, column); None when nothing gives it a value."""
    figures: dict[Key, Decimal | None]
    """Every leaf figure, then every figure a derived cell names; the first occurrence of a name wins."""
    origins: dict[Key, Position] = field(default_factory=dict)
    """For each named figure a derived cell defines: the cell that defines it."""
    restated: dict[Position, Key] = field(default_factory=dict)
    """For each line cell with no leaf figure that a printed cell covers: the figure it restates."""
    operations: dict[Position, Operation] = field(default_factory=dict)
    """How each numeric cell gets its value (the keys are exactly the numeric cells)."""

    def cell(self, table_id: str, row: int, column: int) -> Decimal | None:
        """The value of one cell; None for a nil, a blank or a cell that is not numeric."""
        return self.cells.get((table_id, row, column))


@dataclass(frozen=True)
class _Cell:
    position: Position


@dataclass(frozen=True)
class _Figure:
    key: Key


_Node = _Cell | _Figure


def tables(section: Section) -> dict[str, Table]:
    """The section's tables by id, in reading order; the first table of an id wins."""
    found: dict[str, Table] = {}
    for block in section.document.blocks:
        if block.table is not None and block.table.id not in found:
            found[block.table.id] = block.table
    return found


def numeric(table: Table, row: int, column: int) -> bool:
    """Whether a cell holds a number: a figure row, a numeric column, a cell neither blank nor text."""
    if not (0 <= row < len(table.rows) and 0 <= column < len(table.columns)):
        return False
    cells = table.rows[row].cells
    if column >= len(cells) or cells[column].blank or cells[column].text is not None:
        return False
    return table.rows[row].role in NUMERIC_ROWS and table.columns[column].role in NUMERIC_COLUMNS


def operation(table: Table, row: int, column: int) -> Operation:
    """How a numeric cell gets its value; a total that names no rows is read as a line."""
    role = table.columns[column].role
    line = table.rows[row]
    if role == "rowsum":
        return "rowsum"
    # "Total (1+2)" under sub-tables adds up their totals column by column.
    if line.across and role in ("figure", "change", "changes", "result"):
        return "across"
    if role == "changes" or role == "percent" or role == "result":
        return role
    # A total that adds up nothing is a restatement of a total printed elsewhere, not a sum of zero terms.
    return "sum" if line.role in ("subtotal", "total") and line.sums else "leaf"


def name(table: Table, row: int, column: int) -> Key | None:
    """The figure a numeric cell is: its row's ref, with the change or derived suffix, for its column's period."""
    ref, col = table.rows[row].ref, table.columns[column]
    period = table.rows[row].period or col.period
    if ref is None or period is None:
        return None
    if col.role == "change":
        if col.change is None:
            return None
        return (f"{ref}.{col.key}.change.{col.change}" if col.key else f"{ref}.change.{col.change}"), period
    if col.key is not None:
        return f"{ref}.{col.key}", period
    suffix = {"changes": ".changes", "percent": ".percent"}.get(col.role, "")
    return f"{ref}{suffix}", period


def matching_column(table: Table, column: Column) -> int | None:
    """The column of another sub-table that a total across sub-tables adds: same year, or the changes."""
    year = column.period[:4] if column.period else None
    for index, other in enumerate(table.columns):
        if column.role in ("figure", "result") and other.role in ("figure", "result") and other.period \
                and other.period[:4] == year:
            return index
    if column.role in ("change", "changes"):
        total_changes = [i for i, c in enumerate(table.columns) if c.role == "changes"]
        singles = [i for i, c in enumerate(table.columns) if c.role == "change"]
        if total_changes:
            return total_changes[0]
        if len(singles) == 1:
            return singles[0]
    return None


def change_columns(table: Table, column: int | None = None) -> tuple[int, ...]:
    """The change columns a derived column adds: those starting from its base (a table may group periods by fund,
    each group with its own variance), or all of them."""
    base = table.columns[column].base if column is not None else None
    return tuple(index for index, col in enumerate(table.columns)
                 if col.role == "change" and (base is None or col.base is None or col.base == base))


def base_of(table: Table, row: int, column: int) -> int | None:
    """The base column of a derived cell, when it names another numeric cell of the row."""
    base = table.columns[column].base
    if base is None or base == column or not numeric(table, row, base):
        return None
    return base


def total(values: list[Decimal | None]) -> Decimal | None:
    """The sum of some cells, a nil counting as 0; None when there is no cell to add."""
    return sum((value or Decimal(0) for value in values), Decimal(0)) if values else None


def rounded(value: Decimal, decimals: int) -> Decimal:
    """Round half up to `decimals` places; a value too long to round (far beyond any budget) stays as it is."""
    try:
        return half_up(value, Decimal(1).scaleb(-decimals))
    except InvalidOperation:
        return value


def percent(base: Decimal | None, changes: list[Decimal | None], decimals: int) -> Decimal | None:
    """The changes in per cent of the base, half up to `decimals`; None for a nil or zero base, or no change cell."""
    change = total(changes)
    if not base or change is None:
        return None
    return rounded(change / base * HUNDRED, decimals)


def matches(computed: Decimal | None, printed: Decimal | None) -> bool:
    """Whether a printed number agrees with its computation: a dash with a nil or zero, else `agrees`."""
    if printed is None:
        return computed is None or computed == 0
    with _context():
        try:
            return agrees(computed or Decimal(0), printed)
        except InvalidOperation:
            return False  # a computed value too long to round to the printed precision cannot agree with it


def _context() -> AbstractContextManager[Context]:
    # Wide enough that no sum or ratio of bounded figures is ever rounded, and exponents never overflow.
    return localcontext(prec=PRECISION, Emax=MAX_EMAX, Emin=MIN_EMIN, rounding=ROUND_HALF_UP)


class _Solver:
    """Values of cells and named figures, each computed once, after its operands, cycles broken by a nil."""

    def __init__(self, section: Section) -> None:
        self.tables = tables(section)
        self.leaves: dict[Key, Decimal | None] = {}
        for figure in section.figures.figures:
            self.leaves.setdefault((figure.name, figure.period), figure.value)
        self.printed: dict[Position, PrintedCell] = {}
        for cell in section.printed.cells if section.printed else ():
            self.printed.setdefault((cell.table, cell.row, cell.column), cell)
        self.origins: dict[Key, Position] = {}
        for position in self.positions():
            key = name(self.tables[position[0]], position[1], position[2])
            if key is not None and key not in self.leaves and self._op(position) in DERIVED:
                self.origins.setdefault(key, position)
        self.done: dict[_Node, Decimal | None] = {}
        self.deps: dict[_Node, list[_Node]] = {}

    def positions(self) -> Iterator[Position]:
        """Every numeric cell, in reading order."""
        for table_id, table in self.tables.items():
            for r in range(len(table.rows)):
                for c in range(len(table.columns)):
                    if numeric(table, r, c):
                        yield table_id, r, c

    def _op(self, position: Position) -> Operation:
        return operation(self.tables[position[0]], position[1], position[2])

    def restates(self, position: Position) -> Key | None:
        """The figure a line cell restates: the one its printed cell names, when no leaf figure gives it."""
        key = name(self.tables[position[0]], position[1], position[2])
        if self._op(position) != "leaf" or (key is not None and key in self.leaves) or position not in self.printed:
            return None
        cell = self.printed[position]
        return cell.ref, cell.period

    def operands(self, node: _Node) -> list[_Node]:
        """What a node's value is computed from, in order (for a percent or a result, the base first)."""
        if isinstance(node, _Figure):
            origin = self.origins.get(node.key)
            return [_Cell(origin)] if node.key not in self.leaves and origin is not None else []
        table_id, r, c = node.position
        table, op = self.tables[table_id], self._op(node.position)
        if op == "leaf":
            restated = self.restates(node.position)
            return [] if restated is None else [_Figure(restated)]
        if op == "sum":
            rows = dict.fromkeys(s for s in table.rows[r].sums if numeric(table, s, c))
            return [_Cell((table_id, s, c)) for s in rows]
        if op == "across":
            return self._across(table, r, c)
        if op == "rowsum":
            return [_Cell((table_id, r, k)) for k, col in enumerate(table.columns)
                    if col.role == "figure" and numeric(table, r, k)]
        changes: list[_Node] = [_Cell((table_id, r, k)) for k in change_columns(table, c) if numeric(table, r, k)]
        if op == "changes":
            return changes
        base = base_of(table, r, c)
        return [] if base is None else [_Cell((table_id, r, base)), *changes]

    def _across(self, table: Table, r: int, c: int) -> list[_Node]:
        found: list[_Node] = []
        for other_id, other_row in dict.fromkeys(table.rows[r].across):
            other = self.tables.get(other_id)
            if other is None or (other is table and other_row == r):
                continue
            column = matching_column(other, table.columns[c])
            if column is not None and numeric(other, other_row, column):
                found.append(_Cell((other_id, other_row, column)))
        return found

    def combine(self, node: _Node, values: list[Decimal | None]) -> Decimal | None:
        """A node's value from its operands' values."""
        if isinstance(node, _Figure):
            return self.leaves[node.key] if node.key in self.leaves else (values[0] if values else None)
        table_id, r, c = node.position
        table, op = self.tables[table_id], self._op(node.position)
        if op == "leaf":
            key = name(table, r, c)
            return self.leaves[key] if key is not None and key in self.leaves else (values[0] if values else None)
        if op in ("sum", "changes", "across", "rowsum"):
            return total(values)
        if not values:
            return None  # no base column to start from
        if op == "result":
            return total(values)
        return percent(values[0], values[1:], table.rows[r].cells[c].decimals)

    def solve(self, root: _Node) -> Decimal | None:
        """The value of a node, by a depth-first walk with an explicit stack (no recursion limit)."""
        stack, open_ = [root], set[_Node]()
        while stack:
            node = stack[-1]
            if node in self.done:
                stack.pop()
                continue
            if node not in open_:
                open_.add(node)
                self.deps[node] = self.operands(node)
                stack.extend(d for d in reversed(self.deps[node]) if d not in self.done and d not in open_)
                continue
            # An operand still open is an ancestor: a cycle of restatements, broken by reading it as a nil.
            self.done[node] = self.combine(node, [self.done.get(d) for d in self.deps[node]])
            open_.discard(node)
            stack.pop()
        return self.done[root]


def evaluate(section: Section) -> Evaluation:
    """Evaluate every numeric cell of the section's tables and name every figure they give."""
    with _context():
        solver = _Solver(section)
        positions = list(solver.positions())
        cells = {position: solver.solve(_Cell(position)) for position in positions}
        figures = dict(solver.leaves)
        for key, origin in solver.origins.items():
            figures[key] = cells[origin]
        restated = {p: k for p in cells if (k := solver.restates(p)) is not None}
        operations = {position: solver._op(position) for position in positions}
    return Evaluation(cells, figures, dict(solver.origins), restated, operations)


GRANT_CHF_STEP = Decimal(100)
"""The UN share is rounded to the hundred francs."""
GRANT_USD_STEP = Decimal(100)
"""The dollar grant is rounded to the hundred dollars: the tables print it in thousands with one decimal."""


def _to_step(value: Decimal, step: Decimal) -> Decimal:
    return half_up(value / step, Decimal(1)) * step


def grant(full_chf: Decimal, rate: Decimal) -> Decimal:
    """The UN grant in dollars: half the full budget half up to CHF 100, over `rate` CHF per USD, half up to $100.

    A/80/6 (Sect. 13): CHF 38 431 400 → CHF 19 215 700 → $23 376 763.99 at 0.8220, printed $23 376 800; rounding
    the dollars to the dollar would give 23 376 764, so they are rounded once, half up, to the hundred. Both
    roundings are half up (away from zero), never half to even. Amounts are whole currency units, not thousands."""
    if rate <= 0:
        raise ValueError(f"an exchange rate is positive, not {rate}")
    with _context():
        half = _to_step(full_chf / 2, GRANT_CHF_STEP)
        return _to_step(half / rate, GRANT_USD_STEP)
