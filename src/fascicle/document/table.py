"""A table as plain data: a title, column headings and rows of figures, ready for any renderer."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Cell = Decimal | int | str | None
RowKind = Literal["item", "group", "total", "heading"]


@dataclass(frozen=True)
class Row:
    """A row: its label, its cells, its depth and whether it is an item, a group, a total or a heading."""

    label: str
    cells: tuple[Cell, ...]
    level: int = 0
    kind: RowKind = "item"
    sums: tuple[int, ...] | None = None
    sources: tuple[str | None, ...] = ()
    """Where each cell's figure is in the data ("part:field path"), for a cell that prints a value of the data
    as it is (not a sum or a change): the web's page edits it in place; the printed backends ignore it."""


@dataclass(frozen=True)
class Table:
    """A table of the section; `changes` marks the columns that print a nil change as a dash."""

    id: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    changes: frozenset[int] = field(default_factory=frozenset)
    notes: tuple[str, ...] = ()
    additive: frozenset[int] = field(default_factory=frozenset)
    places: int | None = None
    marks: tuple[tuple[int, int, str], ...] = ()
    """Note marks printed as superscripts: (row, column, mark), row -1 for the column headings, column 0 for the
    row's label."""

    def as_json(self) -> dict[str, object]:
        """The table as JSON-ready data: every figure as the string of its exact decimal."""
        return {
            "id": self.id, "title": self.title, "columns": list(self.columns), "notes": list(self.notes),
            "rows": [{"label": r.label, "level": r.level, "kind": r.kind,
                      "cells": [_json_cell(c) for c in r.cells]}
                     for r in self.rows],
        }


def _json_cell(cell: Cell) -> str | None:
    if cell is None or isinstance(cell, str):
        return cell
    return str(cell) if isinstance(cell, int) else format(cell, "f")


def sum_rows(rows: tuple[Row, ...], index: int) -> tuple[int, ...]:
    """The rows a total or group row adds up: as the row says, else the following deeper rows for a group,
    or the rows of its level above a total, back to the previous total or heading."""
    row = rows[index]
    if row.sums is not None:
        return row.sums
    if row.kind == "group":
        found = []
        for position in range(index + 1, len(rows)):
            if rows[position].level <= row.level or rows[position].kind == "total":
                break
            if rows[position].level == row.level + 1 and rows[position].kind != "heading":
                found.append(position)
        return tuple(found)
    if row.kind == "total":
        found = []
        for position in range(index - 1, -1, -1):
            if rows[position].kind in ("total", "heading") and rows[position].level <= row.level:
                break
            if rows[position].level == row.level:
                found.append(position)
        return tuple(reversed(found))
    return ()
