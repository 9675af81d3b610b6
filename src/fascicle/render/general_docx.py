"""A general section as a Word file: every block in reading order, every table with the numbers the data gives.

Table numbers are never copied from the import: each numeric cell prints `compute.general.evaluate`'s value,
formatted as the UN prints it, so a printed total that does not add up comes out corrected. python-docx escapes
every text it is given, so no text of the section can inject markup.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from pathlib import Path
from typing import Any

from docx import Document as new_document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from fascicle.compute.general import Evaluation, evaluate
from fascicle.model.general import (
    Block,
    Box,
    Cell,
    Chart,
    HeaderCell,
    OrgChart,
    PrintedCell,
    Row,
    Section,
    Table,
)
from fascicle.model.text import Text

DASH = "\u2013"
"""The en dash the UN prints for a nil."""
HEADINGS = {"HCh": 1, "H1": 2, "H23": 3, "H4": 4}
NO_DATA = "Data not in the document"
LANGUAGE_TAGS = {"en": "en-US", "fr": "fr-FR", "es": "es-ES", "ru": "ru-RU", "zh": "zh-CN", "ar": "ar-SA"}
TOTAL_ROWS = frozenset({"subtotal", "total"})
TABLE_SIZE = Pt(8.5)
NOTE_SIZE = Pt(8)
INDENT = Cm(0.3)
"""Indent per depth level of a row label."""


def format_number(value: Decimal | None, decimals: int, dash: bool) -> str:
    """A table number as the UN prints it: `1 277.6`, `(25.0)` for a negative, `–` for a nil shown as a dash."""
    if value is None or (dash and value == 0):
        return DASH if dash else ""
    # Wide enough for any finite amount; quantize would otherwise fail on long values.
    with localcontext(prec=max(60, value.adjusted() + decimals + 10), rounding=ROUND_HALF_UP):
        try:
            rounded = value.quantize(Decimal(1).scaleb(-decimals))
        except InvalidOperation:
            return str(value)
        digits = f"{abs(rounded):,.{decimals}f}".replace(",", " ")
    # A negative change that rounds to zero keeps its sign, as the UN prints it: "(0.0)".
    return f"({digits})" if value.is_signed() else digits


def _decimals_of(value: Decimal) -> int:
    """The decimals a chart value is written with (its own exponent, never negative)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


class _Writer:
    """Writes one section into a python-docx document."""

    def __init__(self, section: Section, lang: str) -> None:
        self.section, self.lang = section, lang
        self.ev: Evaluation = evaluate(section)
        # Numbers restating an earlier document ("24 [26]"), printed in brackets after the figure.
        self.earlier: dict[tuple[str, int, int], PrintedCell] = {}
        for printed in section.printed.cells if section.printed else ():
            if printed.document is not None:
                self.earlier.setdefault((printed.table, printed.row, printed.column), printed)
        self.out: Any = new_document()
        self.out.styles["Normal"].font.size = Pt(10)

    # Text ------------------------------------------------------------------------------------------------------

    def text(self, text: Text | None) -> tuple[str, str | None]:
        """The text in the wanted language, else the English with the language to mark its run with."""
        if text is None:
            return "", None
        found = text.get(self.lang)
        if found:
            return found, None
        return text.en or "", "en" if self.lang != "en" else None

    def run(self, paragraph: DocxParagraph, content: str, fallback: str | None = None) -> Any:
        """Add a run; a run in English standing in for a missing translation says it is English."""
        run = paragraph.add_run(content)
        if fallback is not None:
            language = OxmlElement("w:lang")
            language.set(qn("w:val"), LANGUAGE_TAGS.get(fallback, fallback))
            run._r.get_or_add_rPr().append(language)
        return run

    def marks(self, paragraph: DocxParagraph, marks: tuple[str, ...]) -> None:
        """Note marks as one superscript run: "a,b"."""
        if marks:
            self.run(paragraph, ",".join(marks)).font.superscript = True

    def paragraph(self, content: str = "", style: str | None = None, fallback: str | None = None) -> DocxParagraph:
        """A body paragraph with one run of text."""
        paragraph = self.out.add_paragraph(style=style)
        if content:
            self.run(paragraph, content, fallback)
        if self.lang == "ar":
            paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
        return paragraph  # type: ignore[no-any-return]

    # Blocks ----------------------------------------------------------------------------------------------------

    def write(self) -> None:
        """Write the title and every block in order."""
        ident = self.section.fascicle
        self.paragraph(ident.symbol).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        title, fallback = self.text(ident.title)
        self.paragraph(title, "Title", fallback)
        for block in self.section.document.blocks:
            self.block(block)

    def block(self, block: Block) -> None:
        """Write one block by its kind."""
        if block.kind == "heading":
            content, fallback = self.text(block.text)
            self.paragraph(content, f"Heading {HEADINGS.get(block.level or 'H4', 4)}", fallback)
        elif block.kind in ("paragraph", "item"):
            self.numbered(block)
        elif block.kind == "note":
            self.note(block.number, block.text)
        elif block.kind == "table" and block.table is not None:
            self.table(block.table)
        elif block.kind in ("figure", "picture"):
            self.figure(block)
        elif block.kind == "orgchart" and block.orgchart is not None:
            self.orgchart(block.orgchart)
        else:  # text and frame: plain paragraphs
            content, fallback = self.text(block.text)
            self.paragraph(content, fallback=fallback)
        for footnote in block.footnotes:
            self.footnote(footnote)

    def numbered(self, block: Block) -> None:
        """A numbered paragraph "13.26<tab>text" or an item "(a)<tab>text", hanging from its number."""
        paragraph = self.paragraph()
        outer = Cm(2.2) if block.kind == "item" else Cm(1.3)
        paragraph.paragraph_format.left_indent = outer
        paragraph.paragraph_format.first_line_indent = Cm(-0.9) if block.kind == "item" else Cm(-1.3)
        if block.number:
            self.run(paragraph, f"{block.number}\t")
        content, fallback = self.text(block.text)
        self.run(paragraph, content, fallback)

    def note(self, mark: str | None, text: Text | None) -> None:
        """A note under a table or figure: its mark as a superscript, a tab, then the text."""
        paragraph = self.paragraph()
        if mark:
            self.marks(paragraph, (mark,))
            self.run(paragraph, "\t")
        content, fallback = self.text(text)
        self.run(paragraph, content, fallback).font.size = NOTE_SIZE

    def footnote(self, text: Text) -> None:
        """A footnote of a heading or paragraph, as a small paragraph after it."""
        content, fallback = self.text(text)
        self.run(self.paragraph(), content, fallback).font.size = NOTE_SIZE

    def caption(self, lines: list[tuple[str, str | None, bool]]) -> None:
        """Caption lines kept with what follows: (text, fallback language, bold)."""
        for content, fallback, bold in lines:
            if content:
                paragraph = self.paragraph()
                paragraph.paragraph_format.keep_with_next = True  # a caption stays with its table
                self.run(paragraph, content, fallback).bold = bold

    # Tables ----------------------------------------------------------------------------------------------------

    def table(self, table: Table) -> None:
        """A table: its caption lines (only for a captioned one), header rows, body rows and notes."""
        if table.number is not None:
            title, title_lang = self.text(table.title)
            units, units_lang = self.text(table.units)
            self.caption([(f"Table {table.number}", None, True), (title, title_lang, True),
                          (units, units_lang, False), (table.part or "", None, False)])
        # One Word grid column per logical column: row.cells[i] is column i, whatever grid the source drew.
        width = max(len(table.columns), *(len(row.cells) for row in table.rows),
                    *(_width(header) for header in table.header), 1)
        grid = self.out.add_table(rows=0, cols=width)
        grid.style = self.out.styles["Table Grid"]
        for header in table.header:
            self.header_row(grid, header, width)
        for index, row in enumerate(table.rows):
            self.body_row(grid, table, index, row, width)
        for note in table.notes:
            self.note(note.mark, note.text)

    def header_row(self, grid: Any, header: tuple[HeaderCell, ...], width: int) -> None:
        """A header row, repeated on each page, its spanning cells merged."""
        row = grid.add_row()
        _repeat_header(row)
        for column, span, cell in _header_placed(header, width):
            target = _merged(row, column, span)
            paragraph = target.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if column else None
            run = self.run(paragraph, cell.text)
            run.italic, run.font.size = True, NOTE_SIZE

    def body_row(self, grid: Any, table: Table, index: int, row: Row, width: int) -> None:
        """A body row: the label cell, text cells and numeric cells, each cell's marks after it."""
        out = grid.add_row()
        bold = row.role in TOTAL_ROWS
        for column, span, cell in _body_placed(row.cells, width):
            target = _merged(out, column, span)
            paragraph = target.paragraphs[0]
            if column == 0:
                self.label(paragraph, row, cell)
            elif cell.text is not None:
                self.cell_text(target, cell)
            elif not cell.blank:
                value = self.ev.cell(table.id, index, column)
                printed = format_number(value, cell.decimals, cell.dash)
                earlier = self.earlier.get((table.id, index, column))
                if earlier is not None:
                    # "24 [26]": the figure, then as the earlier document printed it, to the same decimals.
                    printed = f"{printed} [{format_number(earlier.value, cell.decimals, True)}]"
                self.run(paragraph, printed)
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            self.marks(target.paragraphs[-1], cell.marks)
            for each in target.paragraphs:
                for run in each.runs:
                    run.font.size, run.bold = TABLE_SIZE, bold or None

    def label(self, paragraph: DocxParagraph, row: Row, cell: Cell) -> None:
        """A row label: leading tabs for its depth (as the UN sets it), its number, a tab, its text."""
        # The importer reads depth from leading tabs, a numbered row counting one level for its number.
        tabs = row.depth - 1 if row.number and row.depth else row.depth
        paragraph.paragraph_format.left_indent = INDENT * row.depth if row.depth else None
        content, fallback = self.text(row.label if cell.text is None or row.label is not None else cell.text)
        number = f"{row.number}.\t" if row.number else ""
        self.run(paragraph, "\t" * tabs + number + content, fallback)

    def cell_text(self, target: Any, cell: Cell) -> None:
        """A text cell, one Word paragraph per line."""
        content, fallback = self.text(cell.text)
        lines = content.split("\n")
        self.run(target.paragraphs[0], lines[0], fallback)
        for line in lines[1:]:
            self.run(target.add_paragraph(), line, fallback)

    # Figures and organization charts ---------------------------------------------------------------------------

    def figure(self, block: Block) -> None:
        """A figure: its caption and title, then its chart's data as a table, or a line saying there is none."""
        title, fallback = self.text(block.text)
        self.caption([(f"Figure {block.caption}" if block.caption else "", None, True), (title, fallback, True)])
        if block.chart is None or not block.chart.series:
            self.paragraph(NO_DATA).runs[0].italic = True
            return
        self.chart(block.chart)

    def chart(self, chart: Chart) -> None:
        """A chart's series as a table: one row per category, one column per series."""
        categories = list(dict.fromkeys(p.category for s in chart.series for p in s.points))
        grid = self.out.add_table(rows=1, cols=len(chart.series) + 1)
        grid.style = self.out.styles["Table Grid"]
        _repeat_header(grid.rows[0])
        for column, series in enumerate(chart.series, start=1):
            grid.rows[0].cells[column].text = series.name
        values = [{p.category: p.value for p in s.points} for s in chart.series]
        for category in categories:
            cells = grid.add_row().cells
            cells[0].text = category
            for column, points in enumerate(values, start=1):
                value = points.get(category)
                cells[column].text = "" if value is None else format_number(value, _decimals_of(value), False)
                cells[column].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def orgchart(self, chart: OrgChart) -> None:
        """An organization chart as a nested list: each box with its posts, under its parent."""
        if chart.picture or not chart.boxes:
            self.paragraph(NO_DATA).runs[0].italic = True
            return
        for depth, box in _tree(chart.boxes):
            content, fallback = self.text(box.title)
            paragraph = self.paragraph(style="List Bullet" if depth == 0 else f"List Bullet {min(depth + 1, 3)}")
            self.run(paragraph, content, fallback).bold = True
            posts = _posts(box)
            if posts:
                self.run(paragraph, f": {posts}")


def _width(cells: tuple[HeaderCell, ...]) -> int:
    """The grid columns a header row covers."""
    return sum(cell.span for cell in cells)


def _header_placed(cells: tuple[HeaderCell, ...], width: int) -> Iterator[tuple[int, int, HeaderCell]]:
    """Each header cell with its first grid column and its span, cut to the grid's width."""
    column = 0
    for cell in cells:
        if column >= width:
            return
        yield column, min(cell.span, width - column), cell
        column += cell.span


def _body_placed(cells: tuple[Cell, ...], width: int) -> Iterator[tuple[int, int, Cell]]:
    """Each drawn body cell with its column (its index: one cell per column) and its span, cut to the width.

    A cell covered by a span to its left is a merged filler, not drawn."""
    for column, cell in enumerate(cells[:width]):
        if not cell.merged:
            yield column, max(1, min(cell.span, width - column)), cell


def _merged(row: Any, column: int, span: int) -> Any:
    """The Word cell at a grid column, merged across its span."""
    cells = row.cells
    return cells[column] if span == 1 else cells[column].merge(cells[column + span - 1])


def _repeat_header(row: Any) -> None:
    """Mark a row as a header Word repeats on each page."""
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _tree(boxes: tuple[Box, ...]) -> Iterator[tuple[int, Box]]:
    """The boxes depth first from the roots, each with its depth; a box whose parent is missing is a root."""
    known = {box.id for box in boxes}
    children: dict[str | None, list[Box]] = {}
    for box in boxes:
        children.setdefault(box.parent if box.parent in known else None, []).append(box)
    stack = [(0, box) for box in reversed(children.get(None, []))]
    seen: set[str] = set()
    while stack:
        depth, box = stack.pop()
        if box.id in seen:
            continue  # a cycle of parents is printed once
        seen.add(box.id)
        yield depth, box
        stack.extend((depth + 1, child) for child in reversed(children.get(box.id, [])))


def _posts(box: Box) -> str:
    """A box's posts as printed: "RB: 1 D-2, 2 P-5; XB: 1 P-4", then its total."""
    funds = "; ".join(f"{fund}: " + ", ".join(f"{count} {grade}" for grade, count in grades.items())
                      for fund, grades in box.posts.items() if grades)
    total = f"total {box.total}" if box.total is not None else ""
    return "; ".join(part for part in (funds, total) if part)


DRAFT = "DRAFT: published with errors nobody has acknowledged; `fascicle validate` lists them."


def write_docx(section: Section, path: Path, lang: str = "en", draft: bool = False) -> None:
    """Write the whole section as a Word file at `path`, in `lang` where translated, else in English; a draft says
    so at the top and in every page header."""
    writer = _Writer(section, lang)
    if draft:
        writer.paragraph(DRAFT).runs[0].bold = True
        for part in writer.out.sections:
            part.header.paragraphs[0].text = "DRAFT"
    writer.write()
    title, _ = writer.text(section.fascicle.title)
    writer.out.core_properties.title = title[:255]  # python-docx refuses a longer property
    writer.out.save(str(path))
