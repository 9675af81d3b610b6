"""XLSX backend: one sheet per table, figures as numbers with their format, totals as Excel formulas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from fascicle.document.table import Table, sum_rows
from fascicle.document.tree import Document, FigureBlock, Heading, TableBlock
from fascicle.render.cells import is_number

# A zero change prints as a dash, as in the document; the cell still holds the number 0.
DASH = '"—"'


def _sheets(document: Document) -> list[tuple[str, str, Table]]:
    """(sheet name, title, table) for every table; an unnumbered table is named after its heading."""
    found: list[tuple[str, str, Table]] = []
    used: set[str] = set()
    heading = ""
    for block in document.blocks:
        if isinstance(block, Heading):
            heading = block.text
        if not isinstance(block, TableBlock | FigureBlock):
            continue
        tables = (block.table,) if isinstance(block, TableBlock) else block.data
        title = f"{block.number or ''} {block.title}".strip() or heading
        for table in tables:
            found.append((_name(block.number or heading or table.id, used), title, table))
    return found


def _name(base: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\, unique without regard to case.
    for char in "[]:*?/\\":
        base = base.replace(char, "-")
    # Nor empty, nor with an apostrophe at either end (xlsxwriter refuses those).
    base = base[:28].strip().strip("'").strip() or "Sheet"
    name, counter = base, 2
    while name.lower() in used:
        name, counter = f"{base[:26]} {counter}", counter + 1
    used.add(name.lower())
    return name


def write_xlsx(document: Document, path: Path) -> Path:
    """Write every table of the document into its own sheet."""
    # No text from the data ever becomes a formula, a link or a number, even through write(): a title
    # "=HYPERLINK(...)" stays that text. Our own totals are written with write_formula only.
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                           "strings_to_numbers": False})
    book.set_properties({"title": document.title})
    formats = _formats(book)
    for name, title, table in _sheets(document):
        sheet = book.add_worksheet(name)
        if document.direction == "rtl":
            sheet.right_to_left()
        _table(sheet, title, table, formats)
    book.close()
    return path


def _formats(book: Any) -> dict[str, Any]:
    return {
        "title": book.add_format({"bold": True}),
        "head": book.add_format({"italic": True, "bottom": 1, "top": 1, "text_wrap": True, "valign": "top"}),
        "text": book.add_format({"text_wrap": True, "valign": "top"}),
        "bold": book.add_format({"bold": True, "text_wrap": True, "valign": "top"}),
        "0": book.add_format({"num_format": f"#,##0;-#,##0;{DASH}"}),
        "1": book.add_format({"num_format": f"#,##0.0;-#,##0.0;{DASH}"}),
        "0b": book.add_format({"num_format": f"#,##0;-#,##0;{DASH}", "bold": True, "top": 1}),
        "1b": book.add_format({"num_format": f"#,##0.0;-#,##0.0;{DASH}", "bold": True, "top": 1}),
        "plain": book.add_format({"num_format": "General"}),
    }


def _table(sheet: Any, title: str, table: Table, formats: dict[str, Any]) -> None:
    _text(sheet, 0, 0, title, formats["title"])
    top = 2
    for column, heading in enumerate(table.columns):
        _text(sheet, top, column, heading, formats["head"])
    sheet.set_column(0, 0, 48)
    sheet.set_column(1, len(table.columns), 14)
    for index, row in enumerate(table.rows):
        line = top + 1 + index
        bold = row.kind in ("total", "heading")
        _text(sheet, line, 0, ("  " * row.level) + row.label, formats["bold" if bold else "text"])
        parts = sum_rows(table.rows, index) if row.kind in ("total", "group") else ()
        for column, value in enumerate(row.cells, start=1):
            _cell(sheet, line, column, value, table, row.kind == "total", parts, top, formats)
    for offset, note in enumerate(table.notes):
        _text(sheet, top + 2 + len(table.rows) + offset, 0, note)


def _text(sheet: Any, line: int, column: int, value: str, style: Any = None) -> None:
    # Text is only ever a string cell, never parsed into a formula, a link or a number; an empty text is a
    # formatted blank, as write() makes it.
    if value:
        sheet.write_string(line, column, value, style)
    else:
        sheet.write_blank(line, column, None, style)


def _cell(sheet: Any, line: int, column: int, value: Any, table: Table, total: bool, parts: tuple[int, ...],
          top: int, formats: dict[str, Any]) -> None:
    if isinstance(value, str):
        _text(sheet, line, column, value, formats["text"])
        return
    places = "1" if table.places == 1 and not isinstance(value, int) else "0"
    style = formats[places + ("b" if total else "")]
    if not is_number(value):
        if column in table.changes:
            sheet.write_number(line, column, 0, style)
        else:
            sheet.write_blank(line, column, None, style)
        return
    if parts and column in table.additive:
        cells = ",".join(xl_rowcol_to_cell(top + 1 + part, column) for part in parts)
        sheet.write_formula(line, column, f"=SUM({cells})", style, float(value))
    else:
        sheet.write_number(line, column, float(value), style if is_number(value) and places else formats["plain"])
