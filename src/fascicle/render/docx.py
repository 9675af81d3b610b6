"""DOCX backend: an editable Word document with real tables and styles, for editors and translators."""

from __future__ import annotations

from pathlib import Path

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from fascicle.document.labels import label
from fascicle.document.table import Table
from fascicle.document.tree import Document, FigureBlock, Heading, Para, Signature, TableBlock
from fascicle.model.text import FOOTNOTE_MARK
from fascicle.render.cells import cell_text, column_weights, is_number
from fascicle.render.charts import Drawn

LATIN, EAST_ASIAN, COMPLEX = "Noto Serif", "Noto Serif CJK SC", "Noto Naskh Arabic"


def _fonts(style_or_run: object) -> None:
    element = style_or_run.element  # type: ignore[attr-defined]
    properties = element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.append(fonts)
    for key, name in (("w:ascii", LATIN), ("w:hAnsi", LATIN), ("w:eastAsia", EAST_ASIAN), ("w:cs", COMPLEX)):
        fonts.set(qn(key), name)


def _field(paragraph: DocxParagraph, code: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, code), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _rtl(paragraph: DocxParagraph) -> None:
    properties = paragraph._p.get_or_add_pPr()
    properties.append(OxmlElement("w:bidi"))


class _Writer:
    def __init__(self, document: Document, charts: dict[str, Drawn]) -> None:
        self.doc, self.charts = document, charts
        self.out = new_document()
        self.rtl = document.direction == "rtl"
        self._page()

    def _page(self) -> None:
        section = self.out.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.2)
        for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Heading 5", "Heading 6"):
            style = self.out.styles[name]
            _fonts(style)
            style.font.color.rgb = RGBColor(0, 0, 0)
        self.out.styles["Normal"].font.size = Pt(10)
        header = section.header.paragraphs[0]
        header.text = self.doc.symbol
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        header.runs[0].bold = True
        if self.doc.draft:
            mark = section.header.add_paragraph()
            run = mark.add_run(f"{label('draft', self.doc.lang)} — {label('draft_note', self.doc.lang)}")
            run.bold, run.font.color.rgb, run.font.size = True, RGBColor(200, 0, 0), Pt(14)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _field(footer, "PAGE")

    def paragraph(self, text: str = "", style: str | None = None) -> DocxParagraph:
        paragraph = self.out.add_paragraph(style=style)
        if text:
            self.runs(paragraph, text)
        if self.rtl:
            _rtl(paragraph)
        return paragraph

    def runs(self, paragraph: DocxParagraph, text: str) -> None:
        last = 0
        for match in FOOTNOTE_MARK.finditer(text):
            paragraph.add_run(text[last:match.start()])
            paragraph.add_run(match.group(1)).font.superscript = True
            last = match.end()
        paragraph.add_run(text[last:])

    def write(self) -> None:
        title = self.paragraph(self.doc.symbol)
        title.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self.out.add_heading(self.doc.title, level=0)
        self.paragraph(self.doc.subtitle)
        for block in self.doc.blocks:
            if isinstance(block, Heading):
                heading = self.out.add_heading(block.text, level=min(block.level, 9))
                if self.rtl:
                    _rtl(heading)
            elif isinstance(block, Para):
                self.para(block)
            elif isinstance(block, Signature):
                signature = self.paragraph(f"{block.title}\n{block.name}")
                signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif isinstance(block, TableBlock):
                self.caption(block.number, block.title, block.unit)
                self.table(block.table)
            elif isinstance(block, FigureBlock):
                self.figure(block)

    def para(self, block: Para) -> None:
        paragraph = self.paragraph()
        paragraph.paragraph_format.left_indent = Cm(1.3)
        paragraph.paragraph_format.first_line_indent = Cm(-1.3) if block.number else None
        if block.number:
            paragraph.add_run(f"{block.number}\t")
        if block.fallback:
            paragraph.add_run(f"{block.marker} ").bold = True
        self.runs(paragraph, block.text)
        if block.fallback:
            for run in paragraph.runs:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        for letter, text in block.items:
            item = self.paragraph()
            item.paragraph_format.left_indent = Cm(2.2)
            item.paragraph_format.first_line_indent = Cm(-0.9)
            item.add_run(f"({letter})\t")
            self.runs(item, text)
        for mark, text in block.footnotes:
            note = self.paragraph()
            note.add_run(mark).font.superscript = True
            note.add_run(f" {text}").font.size = Pt(8)

    def caption(self, number: str | None, title: str, unit: str | None) -> None:
        for text, bold, italic in ((number, True, False), (title, True, False), (unit, False, True)):
            if text:
                paragraph = self.paragraph()
                paragraph.paragraph_format.keep_with_next = True  # a caption stays with its table
                run = paragraph.add_run(text)
                run.bold, run.italic = bold, italic

    def table(self, table: Table) -> None:
        width = len(table.columns)
        grid = self.out.add_table(rows=1, cols=width)
        grid.style = self.out.styles["Table Grid"]
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        _widths(grid, table)
        for index, column in enumerate(table.columns):
            cell = grid.rows[0].cells[index]
            cell.text = column
            run = cell.paragraphs[0].runs[0]
            run.italic, run.font.size = True, Pt(8)
        _repeat_header(grid.rows[0])
        for row in table.rows:
            cells = grid.add_row().cells
            if not row.cells:
                cells = [cells[0].merge(cells[-1])]
            cells[0].text = ("    " * row.level) + row.label
            bold = row.kind in ("total", "heading")
            for index, value in enumerate(row.cells, start=1):
                cells[index].text = cell_text(table, index, value, self.doc.lang, narrow=True)
                if is_number(value) or value is None:
                    cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for cell in cells:
                for run in cell.paragraphs[0].runs:
                    run.bold, run.font.size = bold, Pt(8.5)
        for note in table.notes:
            self.paragraph().add_run(note).font.size = Pt(8)

    def figure(self, block: FigureBlock) -> None:
        self.caption(block.number, block.title, block.unit)
        for chart in block.charts:
            self.out.add_picture(str(self.charts[chart.id].png), width=Cm(12 if chart.kind != "org" else 16))
        for data in block.data:
            self.table(data)


def _widths(grid: object, table: Table) -> None:
    weights = column_weights(table)
    grid.autofit = False  # type: ignore[attr-defined]
    width = grid._tbl.tblPr.find(qn("w:tblW"))  # type: ignore[attr-defined]
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(int(16.6 / 2.54 * 1440)))
    for weight, column in zip(weights, grid.columns, strict=True):  # type: ignore[attr-defined]
        column.width = Cm(16.6 * weight / sum(weights))
        for cell in column.cells:
            cell.width = column.width


def _repeat_header(row: object) -> None:
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def write_docx(document: Document, charts: dict[str, Drawn], path: Path) -> Path:
    """Write the document as DOCX at `path`."""
    writer = _Writer(document, charts)
    writer.write()
    writer.out.core_properties.title = document.title[:255]  # python-docx refuses a longer property
    writer.out.save(str(path))
    return path
