"""How every backend writes a table cell: one rule for numbers, dashes and text."""

from __future__ import annotations

from decimal import Decimal

from fascicle.document.numbers import NBSP, change, number
from fascicle.document.table import Cell, Table

NARROW_NBSP = "\u202f"


def cell_text(table: Table, column: int, value: Cell, lang: str, narrow: bool = False) -> str:
    """A cell as printed: numbers in the language's style at the table's precision, nil changes as a dash."""
    if isinstance(value, str):
        return value
    if column in table.changes:
        shown = change(_places(value, table), lang)
    else:
        shown = number(_places(value, table), lang)
    return shown.replace(NBSP, NARROW_NBSP) if narrow else shown


def _places(value: Decimal | int | None, table: Table) -> Decimal | int | None:
    if value is None or table.places is None or isinstance(value, int):
        return value
    return value.quantize(Decimal(1).scaleb(-table.places)) if value == value.quantize(
        Decimal(1).scaleb(-table.places)) else value


def is_number(value: Cell) -> bool:
    """Whether a cell holds a figure (right-aligned, a number in spreadsheets)."""
    return isinstance(value, Decimal | int) and not isinstance(value, bool)
