"""XLSX backend: a cover sheet, then one sheet per table, figures as numbers with their format, totals and
percentages as Excel formulas, each with its cached value; a figure's sheet also shows its charts as pictures."""

from __future__ import annotations

import re
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from fascicle.compute.rounding import half_up
from fascicle.document.labels import label
from fascicle.document.table import Row, Table, sum_rows
from fascicle.document.tree import Chart, Cover, Document, FigureBlock, Heading, TableBlock
from fascicle.render.cells import is_number, marks_at
from fascicle.render.charts import Drawn

# A zero change prints as a dash, as in the document; the cell still holds the number 0.
DASH = '"—"'
# Excel's limit on a sheet name, and the characters it refuses in one.
NAME_LENGTH = 31
NAME_FORBIDDEN = "[]:*?/\\"
A4 = 9  # Excel's paper code
HUNDRED = Decimal(100)
CHART_WIDTH = 760
"""The widest a chart is shown, in pixels: beside its table, the sheet still prints one page wide on A4."""
ORG_WIDTH = 605
"""An organization chart's width, in pixels: 16 cm, as in the Word document."""
CHART_GAP = 20
"""Pixels between two charts stacked beside a table."""


@dataclass(frozen=True)
class Sheet:
    """What one sheet holds: its name, the title and unit line printed above the table, and the table."""

    name: str
    title: str
    unit: str | None
    table: Table
    charts: tuple[tuple[Chart, str], ...] = ()
    """The charts shown beside the table, each with its alt text."""


def _sheets(document: Document, used: set[str] | None = None) -> list[Sheet]:
    """A sheet for every table, named by its number; an unnumbered table is named after its heading. `used`
    holds the names taken already (the cover's)."""
    found: list[Sheet] = []
    used = set() if used is None else used
    part = heading = ""
    # A table printed in parts (Table 13.4 (1) and (2)): each part on a sheet of its own, named by its number.
    numbered: dict[str, tuple[str, str | None, int]] = {}
    for block in document.blocks:
        if isinstance(block, Heading):
            heading = block.text
            part = block.text if block.level == 1 else part
        if not isinstance(block, TableBlock | FigureBlock):
            continue
        tables = (block.table,) if isinstance(block, TableBlock) else block.data
        title = f"{block.number or ''} {block.title}".strip() or heading
        bases = _numbered(block.number, tables) if block.number else [_unnumbered(part, heading)] * len(tables)
        if isinstance(block, TableBlock) and block.number:
            numbered[block.number] = (title, block.unit, 1)
        if isinstance(block, TableBlock) and block.continues in numbered:
            title, unit, count = numbered[block.continues]
            numbered[block.continues] = (title, unit, count + 1)
            found.append(Sheet(_name(f"{block.continues} ({count + 1})", used), f"{title} ({count + 1})", unit,
                               block.table))
            continue
        charts = _placed(block) if isinstance(block, FigureBlock) else [()] * len(tables)
        for base, table, shown in zip(bases, tables, charts, strict=True):
            found.append(Sheet(_name(base or table.id, used), title, block.unit, table, shown))
    return found


def _placed(block: FigureBlock) -> list[tuple[tuple[Chart, str], ...]]:
    """The charts of a figure, each on the sheet of the table that holds what it draws (its labels are that
    table's row labels or column headings), with its alt text; a chart no table holds goes on the first."""
    sheets: list[list[tuple[Chart, str]]] = [[] for _ in block.data]
    for chart in block.charts:
        holds = [index for index, table in enumerate(block.data)
                 if set(chart.labels) <= {row.label.strip() for row in table.rows} | set(table.columns)]
        if sheets:
            sheets[holds[0] if holds else 0].append((chart, alt_text(block, chart)))
    return [tuple(charts) for charts in sheets]


def alt_text(block: FigureBlock, chart: Chart) -> str:
    """What a picture of a chart says to a reader who cannot see it: the figure's title and the chart's."""
    return " — ".join(t for t in dict.fromkeys((block.title, chart.title)) if t) or (block.number or "")


def _numbered(number: str, tables: tuple[Table, ...]) -> list[str]:
    """A figure with several tables of data names each sheet by what its figures show that the others' do not:
    "Figure 13.IV (posts)", "Figure 13.IV (financial resources)"."""
    if len(tables) < 2:
        return [number] * len(tables)
    own, room = _distinct([" ".join(table.columns[1:]) for table in tables]), NAME_LENGTH - len(number) - 3
    return [f"{number} ({_fit(words, room)})" if words and room > 3 else number for words in own]


def _distinct(texts: list[str]) -> list[str]:
    """The texts without the words (characters, in a language written without spaces) they all share at their
    start and end."""
    spaced = any(" " in text for text in texts)
    tokens = [text.split() if spaced else list(text) for text in texts]
    shortest = min(len(t) for t in tokens)
    start = 0
    while start < shortest and len({t[start] for t in tokens}) == 1:
        start += 1
    end = 0
    while end < shortest - start and len({t[len(t) - 1 - end] for t in tokens}) == 1:
        end += 1
    return [(" " if spaced else "").join(t[start:len(t) - end]) for t in tokens]


def _fit(text: str, room: int) -> str:
    """The text in `room` characters: whole words if it has spaces, else cut with an ellipsis."""
    if len(text) <= room:
        return text
    words = text.split()
    kept = ""
    for word in words:
        if len(f"{kept} {word}".strip()) > room:
            break
        kept = f"{kept} {word}".strip()
    return kept or text[:room - 1] + "…"


def _unnumbered(part: str, heading: str) -> str:
    """The heading, or when it is too long for a sheet name, its part, letter and years: "Annex I A (2023)"."""
    if len(heading) <= NAME_LENGTH:
        return heading
    letter = re.match(r"([A-Z])\.\s", heading)
    years = list(dict.fromkeys(re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", heading)))
    pieces = [part] if part and part != heading else []
    pieces += [letter.group(1)] if letter else []
    pieces += [f"({'-'.join(years)})"] if years else []
    compact = " ".join(pieces)
    return compact if pieces and len(compact) <= NAME_LENGTH else heading


def _name(base: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\, unique without regard to case.
    for char in NAME_FORBIDDEN:
        base = base.replace(char, "-")
    # Nor empty, nor with an apostrophe at either end (xlsxwriter refuses those).
    name = base[:NAME_LENGTH].strip().strip("'").strip() or "Sheet"
    short, counter = base[:NAME_LENGTH - 3].strip().strip("'").strip() or "Sheet", 2
    while name.lower() in used:
        name, counter = f"{short} {counter}", counter + 1
    used.add(name.lower())
    return name


def draft_mark(document: Document) -> str:
    """The line a draft prints above every table: it says "draft" and why, in the document's language."""
    return label("draft_note", document.lang)


def write_xlsx(document: Document, path: Path, charts: Mapping[str, Drawn] | None = None) -> Path:
    """Write the cover and every table of the document into its own sheet, with the PNG of each chart drawn in
    `charts` (render.charts.draw_all) beside the table of its figures."""
    # No text from the data ever becomes a formula, a link or a number, even through write(): a title
    # "=HYPERLINK(...)" stays that text. Only our own totals and percentages are formulas (write_formula).
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                           "strings_to_numbers": False})
    properties = {"title": document.title}
    if document.draft:
        mark = label("draft", document.lang)
        properties |= {"subject": draft_mark(document), "status": mark,
                       "keywords": ", ".join(dict.fromkeys((mark, label("draft", "en"))))}
    book.set_properties(properties)
    formats = _formats(book)
    used: set[str] = set()
    cover = book.add_worksheet(_name(label("cover_sheet", document.lang), used))
    if document.direction == "rtl":
        cover.right_to_left()
    _cover(cover, document, formats)
    for spec in _sheets(document, used):
        sheet = book.add_worksheet(spec.name)
        if document.direction == "rtl":
            sheet.right_to_left()
        _pictures(sheet, spec, charts or {}, _table(sheet, spec, document, formats))
    book.close()
    return path


def cover_of(document: Document) -> Cover:
    """The cover the tree gives; without a masthead in the data, the symbol and the title."""
    if document.cover is not None:
        return document.cover
    return Cover((), (document.symbol,), tuple(dict.fromkeys(t for t in (document.title, document.subtitle) if t)))


def _drafted(sheet: Any, document: Document, formats: dict[str, Any]) -> int:
    """A draft's mark in the sheet's first row and the header and footer of every printed page; the first row
    left for the sheet's own content (1 on a draft, else 0)."""
    if not document.draft:
        return 0
    _text(sheet, 0, 0, draft_mark(document), formats["draft"])
    mark = '&C&"-,Bold"' + label("draft", document.lang).replace("&", "&&")
    sheet.set_header(mark)
    sheet.set_footer(mark)
    return 1


def _cover(sheet: Any, document: Document, formats: dict[str, Any]) -> None:
    """The first page of the document: the masthead left and right, a rule, then the title one line a row.
    The job number, when the data has one, is the last line, as it stands at the foot of the printed page."""
    cover, first = cover_of(document), _drafted(sheet, document, formats)
    height = max(len(cover.left), len(cover.right))
    for index in range(height):
        ruled = "_ruled" if index == height - 1 else ""
        left = cover.left[index] if index < len(cover.left) else ""
        right = cover.right[index] if index < len(cover.right) else ""
        _text(sheet, first + index, 0, left, formats[("mast_left" if index else "mast_bold") + ruled])
        _text(sheet, first + index, 1, right, formats[("mast_right" if index else "mast_symbol") + ruled])
    start = first + height + 1
    for index, line in enumerate(cover.lines):
        # As the PDF sets them: the first and the last line (the entity) larger than the parts between.
        large = index in (0, len(cover.lines) - 1)
        _text(sheet, start + index, 0, line, formats["cover_large" if large else "cover_line"])
    if cover.job:
        _text(sheet, start + len(cover.lines) + 1, 0, cover.job, formats["text"])
    sheet.set_column(0, 1, 45)
    sheet.set_paper(A4)
    sheet.set_portrait()
    sheet.fit_to_pages(1, 1)


def _pictures(sheet: Any, spec: Sheet, charts: Mapping[str, Drawn], top: int) -> None:
    """The sheet's charts as pictures beside its table from its heading row `top` down, one under the other,
    each with its alt text."""
    column, offset = len(spec.table.columns) + 1, 0
    for chart, described in spec.charts:
        drawn = charts.get(chart.id)
        if drawn is None or not drawn.png.is_file():
            continue
        width, height, pixels = _shown(drawn.png.read_bytes())
        if not width:
            continue
        # An organization chart is read box by box: as wide as the Word document sets it, never wider than
        # the file's own pixels; other charts at their printed size.
        wanted = min(max(width, ORG_WIDTH), pixels) if chart.kind == "org" else width
        scale = min(wanted, CHART_WIDTH) / width
        sheet.insert_image(top, column, str(drawn.png), {
            "x_scale": scale, "y_scale": scale, "y_offset": offset, "description": described,
            "object_position": 2})
        offset += round(height * scale) + CHART_GAP


def _shown(png: bytes) -> tuple[float, float, int]:
    """The size Excel shows a PNG at, in pixels (its pixels at 96 dpi for the resolution it names in pHYs),
    and its width in pixels; zeros for what is not a PNG."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
        return 0.0, 0.0, 0
    width, height = struct.unpack(">II", png[16:24])
    dpi_x = dpi_y = 96.0
    found = png.find(b"pHYs")
    if found > 0 and len(png) >= found + 13 and png[found + 12] == 1:  # unit 1: pixels per metre
        per_x, per_y = struct.unpack(">II", png[found + 4:found + 12])
        dpi_x, dpi_y = (per_x * 0.0254 or 96.0), (per_y * 0.0254 or 96.0)
    return width * 96 / dpi_x, height * 96 / dpi_y, width


def _formats(book: Any) -> dict[str, Any]:
    money, count = f"#,##0.0;-#,##0.0;{DASH}", f"#,##0;-#,##0;{DASH}"
    return {
        "draft": book.add_format({"bold": True, "font_color": "#C00000"}),
        "mast_bold": book.add_format({"bold": True}),
        "mast_left": book.add_format({}),
        "mast_symbol": book.add_format({"bold": True, "align": "right"}),
        "mast_right": book.add_format({"align": "right"}),
        "mast_bold_ruled": book.add_format({"bold": True, "bottom": 1}),
        "mast_left_ruled": book.add_format({"bottom": 1}),
        "mast_symbol_ruled": book.add_format({"bold": True, "align": "right", "bottom": 1}),
        "mast_right_ruled": book.add_format({"align": "right", "bottom": 1}),
        "cover_large": book.add_format({"bold": True, "font_size": 14}),
        "cover_line": book.add_format({"bold": True, "font_size": 12}),
        "title": book.add_format({"bold": True}),
        "unit": book.add_format({"italic": True}),
        "head": book.add_format({"italic": True, "bottom": 1, "top": 1, "text_wrap": True, "valign": "top"}),
        "text": book.add_format({"text_wrap": True, "valign": "top"}),
        "mark": book.add_format({"font_script": 1}),
        "bold": book.add_format({"bold": True, "text_wrap": True, "valign": "top"}),
        "0": book.add_format({"num_format": count}),
        "1": book.add_format({"num_format": money}),
        # A total: bold under a rule; a group's subtotal: bold.
        "0b": book.add_format({"num_format": count, "bold": True, "top": 1}),
        "1b": book.add_format({"num_format": money, "bold": True, "top": 1}),
        "0g": book.add_format({"num_format": count, "bold": True}),
        "1g": book.add_format({"num_format": money, "bold": True}),
    }


def _table(sheet: Any, spec: Sheet, document: Document, formats: dict[str, Any]) -> int:
    """Write the table with its title, unit line and notes; return the row of its headings."""
    table = spec.table
    first = _drafted(sheet, document, formats)
    _text(sheet, first, 0, spec.title, formats["title"])
    if spec.unit:
        _text(sheet, first + 1, 0, spec.unit, formats["unit"])
    top = first + 2
    for column, heading in enumerate(table.columns):
        _marked(sheet, top, column, heading, marks_at(table, -1, column), formats, "head")
    sheet.set_column(0, 0, 48)
    sheet.set_column(1, len(table.columns), 14)
    # The headings and the row labels stay in view; printed on A4 across, the rows down to the headings repeat
    # on every page.
    sheet.freeze_panes(top + 1, 1)
    sheet.set_paper(A4)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, top)
    ratio = _percentage(table, document.lang)
    for index, row in enumerate(table.rows):
        line = top + 1 + index
        weight = {"total": "b", "group": "g"}.get(row.kind, "")
        bold = row.kind in ("total", "group", "heading")
        _marked(sheet, line, 0, ("  " * row.level) + row.label, marks_at(table, index, 0), formats,
                "bold" if bold else "text")
        parts = sum_rows(table.rows, index) if row.kind in ("total", "group") else ()
        for column, value in enumerate(row.cells, start=1):
            if ratio and column == ratio[0] and _percent(sheet, line, row, ratio, formats["1" + weight]):
                continue
            _cell(sheet, line, column, value, table, weight, parts, top, formats)
    for offset, note in enumerate(table.notes):
        _text(sheet, top + 2 + len(table.rows) + offset, 0, note)
    return top


def _percentage(table: Table, lang: str) -> tuple[int, int, int] | None:
    """(column, change, base) when the table has a percentage column: the change column headed "Percentage"
    that does not add up, the total change before it and the column before the changes, whose figure it is a
    percentage of."""
    heading = label("percent", lang)
    columns = [c for c in sorted(table.changes - table.additive) if c < len(table.columns)
               and table.columns[c] == heading]
    if not columns:
        return None
    column = columns[0]
    changes = [c for c in table.changes & table.additive if c < column]
    base = min(table.changes) - 1
    if not changes or base < 1 or base not in table.additive:
        return None
    return column, max(changes), base


def _percent(sheet: Any, line: int, row: Row, ratio: tuple[int, int, int], style: Any) -> bool:
    """Write the percentage as the formula the table computes it by, with its value, if the row's figure is
    that formula's result (a nil change or no base is 0, printed as a dash); else leave the cell to _cell."""
    column, change, base = ratio
    if max(ratio) > len(row.cells):
        return False
    value, part, whole = (row.cells[c - 1] for c in ratio)
    if any(isinstance(cell, str) for cell in (value, part, whole)):
        return False
    expected = Decimal(0)
    if isinstance(whole, Decimal | int) and whole and isinstance(part, Decimal | int):
        expected = half_up(Decimal(part) / Decimal(whole) * HUNDRED)
    if Decimal(value if isinstance(value, Decimal | int) else 0) != expected:
        return False
    b, c = xl_rowcol_to_cell(line, base), xl_rowcol_to_cell(line, change)
    sheet.write_formula(line, column, f"=IF({b}=0,0,ROUND({c}/{b}*100,1))", style, float(expected))
    return True


def _marked(sheet: Any, line: int, column: int, value: str, mark: str, formats: dict[str, Any], style: str) -> None:
    """A heading or label with a note's mark after it as a superscript (review Z5); without one, plain text."""
    if mark and value:
        sheet.write_rich_string(line, column, value, formats["mark"], mark, formats[style])
    else:
        _text(sheet, line, column, value, formats[style])


def _text(sheet: Any, line: int, column: int, value: str, style: Any = None) -> None:
    # Text is only ever a string cell, never parsed into a formula, a link or a number; an empty text is a
    # formatted blank, as write() makes it.
    if value:
        sheet.write_string(line, column, value, style)
    else:
        sheet.write_blank(line, column, None, style)


def _cell(sheet: Any, line: int, column: int, value: Any, table: Table, weight: str, parts: tuple[int, ...],
          top: int, formats: dict[str, Any]) -> None:
    if isinstance(value, str):
        _text(sheet, line, column, value, formats["text"])
        return
    places = "1" if table.places == 1 and not isinstance(value, int) else "0"
    style = formats[places + weight]
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
        sheet.write_number(line, column, float(value), style)
