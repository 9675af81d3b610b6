"""How every backend writes a table cell: one rule for numbers, dashes and text."""

from __future__ import annotations

import re
from decimal import Decimal

from fascicle.document.labels import label
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


def column_weights(table: Table) -> list[float]:
    """Relative column widths: a column of figures is as wide as its heading's longest word (9 characters at
    least), a column of words as its mean length (at most 40 for labels, 60 for text), so that titles and
    symbols get the room they need and neither figures nor heading words break."""
    weights = []
    for index, heading in enumerate(table.columns):
        texts = [row.label if index == 0 else row.cells[index - 1] for row in table.rows
                 if index == 0 or len(row.cells) >= index]
        words = [len(t) for t in texts if isinstance(t, str) and t]
        longest = max((len(word) for word in heading.split()), default=0) + 1
        if words and (index == 0 or len(words) * 2 >= len(texts)):
            weights.append(min(40.0 if index == 0 else 60.0, max(9.0, longest, sum(words) / len(words))))
        else:
            weights.append(max(9.0, float(longest)))
    return weights


CHANGE_KEYS = ("technical", "new_mandates", "other", "total", "percent")
"""The change columns' heading labels, in order."""
DASHES = {"—", "–", "-", ""}


def numeric_column(table: Table, index: int) -> bool:
    """Whether a column holds figures; a column of nil dashes (an unchanged percentage) counts, as None is a nil."""
    cells = [r.cells[index - 1] for r in table.rows if len(r.cells) >= index]
    return any(is_number(c) for c in cells) or (bool(cells) and all(c is None or (isinstance(c, str) and c in DASHES)
                                                                      for c in cells))


def change_group(table: Table, lang: str) -> tuple[int, int] | None:
    """The first and last of the change columns, to set under one spanning "Changes" heading.

    The tree's table has flat headings; the group is the run of columns headed by the change labels, from
    "Technical adjustments" on."""
    names = [label(key, lang) for key in CHANGE_KEYS]
    for start in range(1, len(table.columns)):
        if table.columns[start] == names[0]:
            end = start
            while end + 1 < len(table.columns) and table.columns[end + 1] in names[1:]:
                end += 1
            return (start, end) if end - start >= 2 else None
    return None


NOTE = re.compile(r"^(?P<mark>[a-z](?:,[a-z])*)\s+(?P<text>.+)$", re.S)
"""A table note as the tree gives it: its mark ("a", or "a,b"), a space, its text."""


def split_note(note: str) -> tuple[str | None, str]:
    """A note's mark (None for an unmarked note, such as the abbreviations) and its text."""
    match = NOTE.match(note)
    return (match.group("mark"), match.group("text")) if match else (None, note)


def marks_at(table: Table, row: int, column: int) -> str:
    """The note marks printed as a superscript after a cell ("a", "a,b"); row -1 is the column headings,
    column 0 the row's label (review Z5)."""
    return ",".join(mark for r, c, mark in table.marks if (r, c) == (row, column))
