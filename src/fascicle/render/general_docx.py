"""A general section as a Word file: every block in reading order, every table with the numbers the data gives.

Table numbers are never copied from the import: each numeric cell prints `compute.general.evaluate`'s value,
formatted as the UN prints it, so a printed total that does not add up comes out corrected. python-docx escapes
every text it is given, so no text of the section can inject markup.
"""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from pathlib import Path
from typing import Any

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.image.image import Image
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, Twips
from docx.text.paragraph import Paragraph as DocxParagraph

from fascicle.compute.general import Evaluation, evaluate
from fascicle.document import tree
from fascicle.document.general_orgchart import described, org_chart
from fascicle.document.labels import label
from fascicle.model.general import (
    Block,
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
from fascicle.render.charts import draw_one
from fascicle.render.docx import page_furniture

DASH = "\u2013"
"""The en dash the UN prints for a nil."""
HEADINGS = {"HCh": 0, "H1": 0, "H23": 1, "H4": 3}
"""The UN heading styles and the outline level each carries in the official files' styles.xml."""
PART_OR_ANNEX = re.compile(r"^(?:[A-Z]\.\s|Annex\b)")
HEADING_LABEL = re.compile(r"^([A-Z]\.|[IVXL]+\.)\s+")
"""The label a heading hangs in the margin: "A.", "II."."""
NO_DATA = "Data not in the document"
LANGUAGE_TAGS = {"en": "en-US", "fr": "fr-FR", "es": "es-ES", "ru": "ru-RU", "zh": "zh-CN", "ar": "ar-SA"}
TOTAL_ROWS = frozenset({"subtotal", "total"})
TABLE_SIZE = Pt(8.5)
NOTE_SIZE = Pt(8.5)
HEADER_SIZE = Pt(7)
INDENT = Cm(0.3)
"""Indent per depth level of a row label."""
# The page and type of the official Word fascicles (A/80/6: sectPr and styles.xml), so that a republished
# section runs to about as many pages as the original.
PAGE = (Twips(12240), Twips(15840))
MARGINS = {"top_margin": Twips(1440), "bottom_margin": Twips(1152), "left_margin": Twips(1200),
           "right_margin": Twips(1200), "header_distance": Twips(432), "footer_distance": Twips(504)}
TEXT = Twips(1267)
"""Where body text starts: paragraph numbers hang in the margin before it."""
TEXT_WIDTH = Twips(12240 - 1200 - 1200)
"""The width between the margins, which a table spans."""
STEP = Twips(475)
"""How far an item's text sits beyond its "(a)"."""
# The landscape pages of the official Annex I (A/80/6 (Sect. 13): its organization charts' sectPr).
LANDSCAPE_MARGINS = {"top_margin": Twips(1195), "bottom_margin": Twips(1195), "left_margin": Twips(1152),
                     "right_margin": Twips(1440), "header_distance": Twips(576), "footer_distance": Twips(1037)}
LANDSCAPE_WIDTH = Twips(15840 - 1152 - 1440)
CHART_HEIGHT = Twips(15840 - 1440 - 1152 - 1440)
"""The tallest an organization chart is set on a portrait page: the text height less room for its heading."""
LANDSCAPE_HEIGHT = Twips(12240 - 1195 - 1195 - 1440)
COVER = {"HCh": Pt(14), "H1": Pt(12)}
"""The sizes of the cover's lines, as the official title page sets them in its HCh and H1 styles."""


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


def _spacing(form: Any, before: Any, after: Any, exact: Any) -> None:
    """Space before and after a paragraph format, and its exact line height when given."""
    form.space_before, form.space_after = before, after
    if exact is not None:
        form.line_spacing_rule, form.line_spacing = WD_LINE_SPACING.EXACTLY, exact


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
        self.last_table: str | None = None  # the number of the table just written, while tables follow
        self.drawn: dict[int, tuple[tree.Chart, bytes]] = {}  # each organization chart's drawing, by block
        self.layout()

    def layout(self) -> None:
        """The official page, body type and the UN heading styles HCh, H1, H23 and H4."""
        for part in self.out.sections:
            part.page_width, part.page_height = PAGE
            for name, value in MARGINS.items():
                setattr(part, name, value)
        styles = self.out.styles
        normal = styles["Normal"]
        normal.font.name, normal.font.size = "Times New Roman", Pt(10)
        _spacing(normal.paragraph_format, Pt(0), Pt(0), Pt(12))
        # (size, bold, italic, space before and after): the official spacer paragraphs made style spacing.
        for name, (size, bold, italic, space) in {"HCh": (14, True, False, 12), "H1": (12, True, False, 12),
                                                  "H23": (10, True, False, 6), "H4": (10, False, True, 6)}.items():
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style, style.quick_style = normal, True
            style.font.size, style.font.bold, style.font.italic = Pt(size), bold, italic
            form = style.paragraph_format
            form.keep_with_next = form.keep_together = True
            _spacing(form, Pt(space), Pt(space), None)
            # Headings start where body text does, a label ("A.") hanging before them, and stop as short of the
            # right margin as the text does.
            form.left_indent, form.first_line_indent, form.right_indent = TEXT, -TEXT, TEXT
            outline = OxmlElement("w:outlineLvl")
            outline.set(qn("w:val"), str(HEADINGS[name]))
            style.element.get_or_add_pPr().append(outline)

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
        """Write the cover and every block in order, wide organization charts on landscape pages."""
        blocks = self.section.document.blocks
        self.cover()
        self.drawn = self.draw(blocks)
        wide = self.wide(blocks)
        turned = False
        for index, block in enumerate(blocks):
            if (index in wide) != turned:
                turned = not turned
                self.turn(turned)
            self.block(block, index)
        if turned:
            self.turn(False)

    def cover(self) -> None:
        """The title page as the UN sets it: the symbol top right, then the title's lines, bold and black.

        The imported files keep their title page as blocks (the session, "Proposed programme budget for 2026",
        "Part IV", "Section 13"...), which are then the cover; a section whose blocks do not restate it gets
        the lines from its identity."""
        ident = self.section.fascicle
        symbol = self.paragraph(ident.symbol)
        symbol.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        symbol.runs[0].bold = True
        lines: list[tuple[str, str, str | None]] = [("HCh", label("budget_title", self.lang, y=ident.year), None)]
        if ident.part:
            lines.append(("H1", ident.part, None))
        if ident.part_title is not None:
            lines.append(("H1", *self.text(ident.part_title)))
        lines += [("HCh", label("section_title", self.lang, n=ident.section), None), ("HCh", *self.text(ident.title))]
        restated = self.front_matter()
        if all(_collapsed(line) in restated for _, line, _ in lines):
            return
        for level, line, fallback in lines:
            paragraph = self.paragraph()
            form = paragraph.paragraph_format
            form.left_indent, form.right_indent, form.keep_with_next = TEXT, TEXT, True
            _spacing(form, Pt(6) if level == "HCh" else Pt(0), Pt(0), None)
            run = self.run(paragraph, line, fallback)
            run.bold, run.font.size = True, COVER[level]

    def front_matter(self) -> set[str]:
        """The texts of the blocks before the first table or numbered paragraph: the file's own title page."""
        found = set()
        for block in self.section.document.blocks:
            if block.kind not in ("heading", "text", "frame"):
                break
            found.add(_collapsed(self.text(block.text)[0]))
        return found

    def block(self, block: Block, index: int = -1) -> None:
        """Write one block by its kind."""
        if block.kind not in ("table", "note"):  # a sub-table's note does not end the run of its number
            self.last_table = None
        if block.kind == "heading":
            content, fallback = self.text(block.text)
            hung = HEADING_LABEL.match(content)
            content = f"{hung[1]}\t{content[hung.end():]}" if hung else f"\t{content}"
            heading = self.paragraph(content, block.level if block.level in HEADINGS else "H4", fallback)
            # The official fascicles start each part ("A. Proposed programme plan...", "B. Proposed post and
            # non-post resource requirements...") and each annex on a new page.
            english = block.text.en if block.text else None
            if block.level == "HCh" and english and PART_OR_ANNEX.match(english):
                heading.paragraph_format.page_break_before = True
        elif block.kind in ("paragraph", "item"):
            self.numbered(block)
        elif block.kind == "note":
            self.note(block.number, block.text)
        elif block.kind == "table" and block.table is not None:
            self.table(block.table)
        elif block.kind in ("figure", "picture"):
            self.figure(block)
        elif block.kind == "orgchart" and block.orgchart is not None:
            self.orgchart(block.orgchart, self.drawn.get(index))
        else:  # text and frame: plain paragraphs, within the body text's measure
            content, fallback = self.text(block.text)
            form = self.paragraph(content, fallback=fallback).paragraph_format
            form.left_indent, form.right_indent, form.space_after = TEXT, TEXT, Pt(6)
        for footnote in block.footnotes:
            self.footnote(footnote)

    def numbered(self, block: Block) -> None:
        """A numbered paragraph "13.26<tab>text" or an item "(a)<tab>text", hanging from its number."""
        paragraph = self.paragraph()
        form = paragraph.paragraph_format
        # As the official files set them: "13.1" at the margin and its text at TEXT; "(a)" at TEXT, its text a
        # step further.
        form.left_indent = TEXT + STEP if block.kind == "item" else TEXT
        form.first_line_indent = -STEP if block.kind == "item" else -TEXT
        form.right_indent, form.space_after, paragraph.alignment = TEXT, Pt(6), WD_ALIGN_PARAGRAPH.JUSTIFY
        if block.number:
            self.run(paragraph, f"{block.number}\t")
        content, fallback = self.text(block.text)
        self.run(paragraph, content, fallback)

    def note(self, mark: str | None, text: Text | None) -> None:
        """A note under a table or figure: its mark as a superscript, a tab, then the text."""
        paragraph = self.small()
        if mark:
            self.marks(paragraph, (mark,))
            self.run(paragraph, "\t")
        content, fallback = self.text(text)
        self.run(paragraph, content, fallback)
        for run in paragraph.runs:
            run.font.size = NOTE_SIZE

    def small(self) -> DocxParagraph:
        """A paragraph set as the official notes are: small type on tight lines, its mark hanging."""
        paragraph = self.paragraph()
        form = paragraph.paragraph_format
        form.left_indent, form.first_line_indent = Twips(288), Twips(-288)
        _spacing(form, Pt(0), Pt(2), Pt(10.5))
        return paragraph

    def footnote(self, text: Text) -> None:
        """A footnote of a heading or paragraph, as a small paragraph after it."""
        content, fallback = self.text(text)
        self.run(self.small(), content, fallback).font.size = NOTE_SIZE

    def caption(self, kind: str, number: str, title: Text | None, units: Text | None) -> None:
        """A caption as the official files set it: "Table 13.4" and its title as H23 (the number not bold), then
        the units in small type, all kept with what follows."""
        content, fallback = self.text(title)
        self.run(self.paragraph(style="H23"), f"{kind} {number}").bold = False
        if content:
            self.paragraph(content, "H23", fallback)
        content, fallback = self.text(units)
        if content:
            paragraph = self.paragraph()
            paragraph.paragraph_format.keep_with_next = True  # a caption stays with its table
            self.run(paragraph, content, fallback).font.size = HEADER_SIZE

    # Tables ----------------------------------------------------------------------------------------------------

    def table(self, table: Table) -> None:
        """A table: its caption lines (only for a captioned one), header rows, body rows and notes."""
        # The sub-tables of one number ("(1) Regular budget", "(2) Extrabudgetary") share the first one's caption;
        # each is headed by its part, as an H4.
        continued = table.part is not None and table.number is not None and self.last_table == table.number
        self.last_table = table.number
        if table.number is not None and not continued:
            self.caption("Table", table.number, table.title, table.units)
        if table.part:
            self.paragraph(table.part, "H4")
        # One Word grid column per logical column: row.cells[i] is column i, whatever grid the source drew.
        width = max(len(table.columns), *(len(row.cells) for row in table.rows),
                    *(_width(header) for header in table.header), 1)
        grid = self.out.add_table(rows=0, cols=width)
        for header in table.header:
            self.header_row(grid, header, width)
        for index, row in enumerate(table.rows):
            self.body_row(grid, table, index, row, width)
        # Row labels and text columns get twice a column of figures, about as the official tables share the width.
        roles = [column.role for column in table.columns] + ["figure"] * (width - len(table.columns))
        totals = {len(table.header) + index for index, row in enumerate(table.rows) if row.role in TOTAL_ROWS}
        _rule(grid, [2 if role in ("label", "text") else 1 for role in roles[:width]], len(table.header), totals)
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
        if block.caption:
            self.caption("Figure", block.caption, block.text, block.units)
        else:  # an uncaptioned picture: its text describes it
            title, fallback = self.text(block.text)
            self.paragraph(title, fallback=fallback)
        if block.chart is None or not block.chart.series:
            self.paragraph(NO_DATA).runs[0].italic = True
            return
        self.chart(block.chart)

    def chart(self, chart: Chart) -> None:
        """A chart's series as a table: one row per category, one column per series."""
        categories = list(dict.fromkeys(p.category for s in chart.series for p in s.points))
        grid = self.out.add_table(rows=1, cols=len(chart.series) + 1)
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
        for cell in grid.rows[0].cells:
            for run in cell.paragraphs[0].runs:
                run.italic, run.font.size = True, HEADER_SIZE
        for row in grid.rows[1:]:
            for cell in row.cells:
                for run in cell.paragraphs[0].runs:
                    run.font.size = TABLE_SIZE
        _rule(grid, [2] + [1] * len(chart.series), 1, set())

    def draw(self, blocks: tuple[Block, ...]) -> dict[int, tuple[tree.Chart, bytes]]:
        """Each organization chart with boxes as the tree's chart and its PNG, drawn once (render.charts, which
        keeps its drawings in the chart cache); titled by the heading above it."""
        charts: dict[int, tree.Chart] = {}
        heading = ""
        for index, block in enumerate(blocks):
            if block.kind == "heading":
                heading = _collapsed(self.text(block.text)[0])
            elif block.kind == "orgchart" and block.orgchart is not None and not block.orgchart.picture \
                    and block.orgchart.boxes:
                charts[index] = org_chart(block.orgchart, self.lang, f"org-{len(charts) + 1}", heading)
        if not charts:
            return {}
        with tempfile.TemporaryDirectory(prefix="fascicle-org-") as folder:
            return {index: (chart, draw_one(chart, self.lang, Path(folder), ("png",)).png.read_bytes())
                    for index, chart in charts.items()}

    def wide(self, blocks: tuple[Block, ...]) -> set[int]:
        """The blocks set on landscape pages, as the official Annex I is: each organization chart too wide for a
        portrait page, with the headings just above it and the notes just below it."""
        wide: set[int] = set()
        for index, (_, png) in self.drawn.items():
            if Image.from_blob(png).width <= TEXT_WIDTH:
                continue
            wide.add(index)
            above = index - 1
            while above >= 0 and blocks[above].kind == "heading":
                wide.add(above)
                above -= 1
            below = index + 1
            while below < len(blocks) and blocks[below].kind == "note":
                wide.add(below)
                below += 1
        return wide

    def turn(self, landscape: bool) -> None:
        """Start a section on a new page, landscape or back to the portrait page; the running heads carry on."""
        part = self.out.add_section(WD_SECTION.NEW_PAGE)
        part.different_first_page_header_footer = False  # only the cover has a first page of its own
        part.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        width, height = PAGE
        part.page_width, part.page_height = (height, width) if landscape else (width, height)
        for name, value in (LANDSCAPE_MARGINS if landscape else MARGINS).items():
            setattr(part, name, value)

    def orgchart(self, chart: OrgChart, drawn: tuple[tree.Chart, bytes] | None) -> None:
        """An organization chart drawn as its hierarchy, at the text width at most, described for a reader who
        cannot see it; then each unit's posts as a compact list."""
        if chart.picture or not chart.boxes or drawn is None:
            self.paragraph(NO_DATA).runs[0].italic = True
            return
        org, png = drawn
        image = Image.from_blob(png)
        landscape = image.width > TEXT_WIDTH
        room, tallest = (LANDSCAPE_WIDTH, LANDSCAPE_HEIGHT) if landscape else (TEXT_WIDTH, CHART_HEIGHT)
        scale = min(1.0, room / image.width, tallest / image.height)
        paragraph = self.paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        form = paragraph.paragraph_format
        # Not the body's exact line height, which would clip the picture to one line.
        form.line_spacing_rule, form.keep_with_next = WD_LINE_SPACING.SINGLE, True
        form.space_before, form.space_after = Pt(6), Pt(6)
        shape = paragraph.add_run().add_picture(io.BytesIO(png), width=Emu(int(image.width * scale)))
        properties = shape._inline.docPr
        properties.set("descr", described(org, self.lang))
        if org.title:
            properties.set("title", org.title)
        boxes = [(0, top) for top in reversed(org.org)]
        while boxes:
            depth, box = boxes.pop()
            entry = self.small()
            entry.paragraph_format.left_indent = Twips(288) + INDENT * depth
            listed = label("org_posts", self.lang, s=box.name, g="; ".join(box.lines)) if box.lines else box.name
            name = box.name if listed.startswith(box.name) else ""
            self.run(entry, name).bold = True
            self.run(entry, listed[len(name):])
            for run in entry.runs:
                run.font.size = NOTE_SIZE
            boxes.extend((depth + 1, child) for child in reversed(box.children))
            entry.paragraph_format.keep_with_next = bool(boxes)  # the list stays with its chart


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


def _rule(grid: Any, weights: list[int], headers: int, totals: set[int]) -> None:
    """Lay a table out as the official ones are: across the text width on fixed columns, no lines but a rule
    above, a heavy rule under the header rows and at the foot, a rule above each total; tight lines of small
    type, the header on narrower lines than the body."""
    table = grid._tbl
    properties = table.tblPr
    width = properties.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        properties.append(width)
    width.set(qn("w:w"), str(TEXT_WIDTH.twips))
    width.set(qn("w:type"), "dxa")
    borders = _edges("w:tblBorders", top=4, left=0, bottom=12, right=0, insideH=0, insideV=0)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    margins = OxmlElement("w:tblCellMar")
    for side, twips in (("left", 0), ("right", 57)):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    look = properties.find(qn("w:tblLook"))
    for element in (borders, layout, margins):
        if look is not None:
            look.addprevious(element)
        else:
            properties.append(element)
    columns = [TEXT_WIDTH.twips * weight // sum(weights) for weight in weights]
    for column, twips in zip(table.tblGrid.gridCol_lst, columns, strict=False):
        column.w = Twips(twips)
    for number, row in enumerate(table.tr_lst):
        start = 0
        for cell in row.tc_lst:
            span = cell.grid_span
            cell.width = Twips(sum(columns[start:start + span]))
            start += span
            if number == headers - 1:
                cell.get_or_add_tcPr().insert_element_before(_edges("w:tcBorders", bottom=12), *_AFTER_BORDERS)
            elif number in totals:
                cell.get_or_add_tcPr().insert_element_before(_edges("w:tcBorders", top=4), *_AFTER_BORDERS)
            for paragraph in cell.p_lst:
                form = DocxParagraph(paragraph, grid).paragraph_format
                if number < headers:
                    _spacing(form, Pt(4), Pt(4), Pt(8))
                else:
                    _spacing(form, Pt(2), Pt(4), Pt(10.5))


_AFTER_BORDERS = ("w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")
"""What follows w:tcBorders in a cell's properties (ECMA-376 order)."""


def _edges(tag: str, **sizes: int) -> Any:
    """A borders element, its edges named in schema order: each a single line of the size in eighths of a point,
    or none for 0."""
    element = OxmlElement(tag)
    for edge, size in sizes.items():
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single" if size else "nil")
        if size:
            line.set(qn("w:sz"), str(size))
            line.set(qn("w:space"), "0")
            line.set(qn("w:color"), "auto")
        element.append(line)
    return element


def _repeat_header(row: Any) -> None:
    """Mark a row as a header Word repeats on each page."""
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _collapsed(text: str) -> str:
    """Text with its tabs and runs of spaces made one space, to compare titles."""
    return " ".join(text.split())


DRAFT = "DRAFT: published with errors nobody has acknowledged; `fascicle validate` lists them."


def write_docx(section: Section, path: Path, lang: str = "en", draft: bool = False) -> None:
    """Write the whole section as a Word file at `path`, in `lang` where translated, else in English, with the
    page furniture of a UN document (render.docx.page_furniture); a draft says so at the top and in every page
    header."""
    writer = _Writer(section, lang)
    ident = section.fascicle
    page_furniture(writer.out, ident.symbol, ident.job, lang == "ar", "DRAFT" if draft else None)
    if draft:
        writer.paragraph(DRAFT).runs[0].bold = True
    writer.write()
    title, _ = writer.text(section.fascicle.title)
    writer.out.core_properties.title = title[:255]  # python-docx refuses a longer property
    writer.out.save(str(path))
