"""DOCX backend: an editable Word document with real tables, footnotes and styles, for editors and translators.

What Word users expect of a UN document: styles with explicit fonts (no theme fonts), UN tables (horizontal
rules only: top, under the header, above a total, bottom) whose columns hold their widest figure or word,
real footnotes, a contents field updated on open, the language of the text set for proofing and line
breaking, alt text on every picture and document properties that name the United Nations; and the page
furniture of a UN document: running heads alternating by page parity, "n/N" page numbers, a cover without a
head and with the job number at its foot."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from fascicle.document.labels import label
from fascicle.document.table import Table
from fascicle.document.tree import Cover, Document, FigureBlock, Heading, Para, Signature, TableBlock
from fascicle.model.text import FOOTNOTE_MARK
from fascicle.render.cells import (
    DASHES,
    cell_text,
    change_group,
    column_weights,
    is_number,
    marks_at,
    numeric_column,
    split_note,
)
from fascicle.render.charts import Drawn

LATIN, EAST_ASIAN, COMPLEX = "Noto Serif", "Noto Serif CJK SC", "Noto Naskh Arabic"
LOCALES = {"zh": "zh-CN", "en": "en-US", "fr": "fr-FR", "es": "es-ES", "ru": "ru-RU", "ar": "ar-SA"}
"""The language tag of each document language (w:lang)."""

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(21), Cm(29.7), Cm(2.2)
TWIPS_PER_EMU = 635
TEXT_WIDTH = (PAGE_WIDTH - 2 * MARGIN) // TWIPS_PER_EMU
"""The width of the text on a portrait page, in twips (9,411)."""
LANDSCAPE_WIDTH = (PAGE_HEIGHT - 2 * MARGIN) // TWIPS_PER_EMU
CELL_MARGIN = 57
"""Left and right padding of a table cell, in twips (0.1 cm, as the PDF's 3 pt)."""
INDENT = 142
"""Indentation of a row label per level, in twips (0.25 cm)."""
SHORT = 12
"""Rows of a table short enough to keep on one page with its caption (as the PDF)."""
SIZES = (8.5, 8.0)
"""Table text sizes tried in turn, in points, before a table goes on a landscape page."""
HEADER_SIZE = 8.0
RULE = {"val": "single", "sz": "4", "space": "0", "color": "000000"}
"""A table rule: 0.5 pt, black."""

# Advance widths of Noto Serif Bold (or Bold Italic, whichever is wider) for ASCII 32-126, in thousandths of
# an em: a safe measure of any table text in Latin script. Other characters count as a full em.
_ASCII = (
    "260 395 508 559 559 906 801 290 400 400 618 559 304 310 304 288 559 559 559 559 559 559 559 559 559 559 358 "
    "358 559 559 559 550 921 753 672 668 768 653 621 796 819 401 401 741 654 952 788 792 663 787 707 586 653 747 "
    "698 1067 732 693 666 414 288 414 559 459 334 665 649 528 665 571 407 580 667 354 345 636 354 986 672 618 645 "
    "648 551 514 417 673 606 875 646 586 558 442 559 442 559")
WIDTHS = {chr(32 + index): int(width) for index, width in enumerate(_ASCII.split())}
WIDTHS.update({"\u202f": 166, "\u00a0": 260, "\u2009": 200})
ARABIC = 650
"""An Arabic letter's width (Noto Naskh Arabic Bold averages 620 unjoined; joined forms are narrower)."""
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
_CJK_RUN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+")
_BREAKS = re.compile(r"[ \t\n]+|(?<=[/\u2013])|(?<=[A-Za-z]-)|(?=\()")


def text_width(text: str, size: float) -> int:
    """The width of `text` set in `size` points, in twips, with bold Noto Serif widths (a safe upper bound)."""
    return -(-sum(WIDTHS.get(char, ARABIC if "\u0600" <= char <= "\u06ff" else 1000) for char in text)
             * int(size * 20) // 1000)


def units(text: str, whole: bool = False) -> list[str]:
    """The pieces of `text` no line may break: words (a slash, an en dash or a hyphen after a letter ends one;
    an opening parenthesis starts one); unless `whole`, a run of more than four Chinese characters may break
    between them, so it counts as two characters."""
    pieces = []
    for piece in _BREAKS.split(text):
        if not whole and len(_CJK.findall(piece)) > 4:
            pieces += ["\u4e00\u4e00", *(p for p in _CJK_RUN.split(piece) if p)]
        elif piece:
            pieces.append(piece)
    return pieces


def widest(text: str, size: float, whole: bool = False) -> int:
    """The width of the widest unbreakable piece of `text`, in twips."""
    return max((text_width(piece, size) for piece in units(text, whole)), default=0)


def wrap(text: str, room: int, size: float) -> list[str]:
    """`text` in lines of at most `room` twips, broken only after a space or a slash or before a parenthesis
    (a piece wider than `room` keeps a line of its own)."""
    lines, line = [], ""
    for part in (p for p in re.split(r"(?<=[ /])|(?=\()", text) if p):
        if line.strip() and text_width((line + part).rstrip(), size) > room:
            lines.append(line.rstrip())
            line = part
        else:
            line += part
    return [*lines, line.rstrip()]


def _fonts(properties: Any) -> None:
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for key in list(fonts.attrib):
        if key.endswith("Theme") or key.endswith("theme"):
            del fonts.attrib[key]
    for key, name in (("w:ascii", LATIN), ("w:hAnsi", LATIN), ("w:eastAsia", EAST_ASIAN), ("w:cs", COMPLEX)):
        fonts.set(qn(key), name)


def _lang(properties: Any, lang: str) -> None:
    element = properties.find(qn("w:lang"))
    if element is None:
        element = OxmlElement("w:lang")
        properties.append(element)
    locale = LOCALES.get(lang, "en-US")
    element.set(qn("w:val"), locale)
    element.set(qn("w:eastAsia"), "zh-CN" if lang == "zh" else locale)
    element.set(qn("w:bidi"), "ar-SA")


def page_of(paragraph: DocxParagraph) -> None:
    """ "n/N" in 9 pt: the PAGE and NUMPAGES fields, each with a result for a reader that does not update them."""
    for index, code in enumerate(("PAGE", "NUMPAGES")):
        if index:
            paragraph.add_run("/")
        for kind in ("begin", "instr", "separate", "result", "end"):
            run = paragraph.add_run()
            if kind == "instr":
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = f" {code} "
            elif kind == "result":
                element = _text("1")
            else:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
    for run in paragraph.runs:
        run.font.size = Pt(9)


def page_furniture(out: Any, symbol: str, job: str | None, rtl: bool, draft: str | None = None) -> None:
    """The page furniture of a UN document, as the PDF sets it (review issue 8, Z15): from the second page on,
    the symbol heads every page and "n/N" foots it, both on the outer edge (even pages at the start, odd pages
    at the end); the first page, the cover, has no running head, and its foot carries the job number when there
    is one. A draft's note is printed once in every head (D5)."""
    section = out.sections[0]
    out.settings.odd_and_even_pages_header_footer = True  # w:evenAndOddHeaders
    section.different_first_page_header_footer = True  # w:titlePg
    # The default (odd) head first: it is header1.xml, the part a reader of the package finds first.
    for header, even in ((section.header, False), (section.even_page_header, True)):
        head = header.paragraphs[0]
        run = head.add_run(symbol)
        run.bold, run.font.size = True, Pt(9)
        _edge(head, even, rtl)
        _draft(header, draft, rtl)
    # The cover has a head of its own, empty but for a draft's note, so that no reader falls back to the running
    # head there.
    section.first_page_header.is_linked_to_previous = False
    _draft(section.first_page_header, draft, rtl)
    for footer, even in ((section.footer, False), (section.even_page_footer, True), (section.first_page_footer, False)):
        foot = footer.paragraphs[0]
        page_of(foot)
        _edge(foot, even, rtl)
    if job:
        line = section.first_page_footer.add_paragraph()
        line.add_run(job).font.size = Pt(9)
        _edge(line, True, rtl)  # the start of the line, where UN documents print it


def _draft(header: Any, note: str | None, rtl: bool) -> None:
    """A draft's note in a page head, once (D5); nothing for a final document."""
    if note is None:
        return
    paragraph = header.paragraphs[0] if not header.paragraphs[0].text else header.add_paragraph()
    run = paragraph.add_run(note)
    run.bold, run.font.color.rgb, run.font.size = True, RGBColor(200, 0, 0), Pt(12)
    if rtl:
        _rtl(paragraph)


def _edge(paragraph: DocxParagraph, even: bool, rtl: bool) -> None:
    """Set a head or foot on the outer edge: the start of the line on an even page, its end on an odd one (the
    right on an even page of a right-to-left document)."""
    # The symbol and "n/N" are left-to-right text in a left-to-right paragraph, set by its visual side: in a
    # right-to-left paragraph LibreOffice orders the two fields of "n/N" as "N/n".
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if even != rtl else WD_ALIGN_PARAGRAPH.RIGHT


def job_number(document: Document) -> str | None:
    """The job number of the cover, if the data has one."""
    return document.cover.job if document.cover is not None else None


def _fld_char(paragraph: DocxParagraph, kind: str, code: str | None = None) -> None:
    run = paragraph.add_run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        char.set(qn("w:dirty"), "true")  # Word updates the field when it opens the document
    run._r.append(char)
    if code:
        instruction = OxmlElement("w:instrText")
        instruction.set(qn("xml:space"), "preserve")
        instruction.text = code
        paragraph.add_run()._r.append(instruction)


def _rtl(paragraph: DocxParagraph) -> None:
    properties = paragraph._p.get_or_add_pPr()
    properties.append(OxmlElement("w:bidi"))


def _border(parent: Any, tag: str, sides: tuple[str, ...], none: tuple[str, ...] = ()) -> None:
    """Set the rules of a cell or table: `sides` ruled, `none` explicitly without a rule."""
    borders = parent.find(qn(tag))
    if borders is None:
        borders = OxmlElement(tag)
        parent.append(borders)
    order = ("top", "left", "start", "bottom", "right", "end", "insideH", "insideV")
    for side in order:
        if side in sides or side in none:
            old = borders.find(qn(f"w:{side}"))
            if old is not None:
                borders.remove(old)
            element = OxmlElement(f"w:{side}")
            for key, value in (RULE if side in sides else {"val": "nil"}).items():
                element.set(qn(f"w:{key}"), value)
            borders.append(element)
    children = sorted(borders, key=lambda e: order.index(e.tag.split("}")[1]))
    for child in children:
        borders.append(child)


STYLES = f"""
<w:styles {nsdecls("w")}>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableText"><w:name w:val="Table Text"/>
 <w:basedOn w:val="Normal"/><w:qFormat/>
 <w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr>
 <w:rPr><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/>
 <w:link w:val="FootnoteTextChar"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>
 <w:pPr><w:spacing w:after="40" w:line="240" w:lineRule="auto"/><w:ind w:left="284" w:hanging="284"/></w:pPr>
 <w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>
 <w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableNote"><w:name w:val="Table Note"/>
 <w:basedOn w:val="Normal"/>
 <w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/><w:ind w:left="170" w:hanging="170"/>
 </w:pPr><w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="Caption1"><w:name w:val="Table Caption"/>
 <w:basedOn w:val="Normal"/><w:qFormat/>
 <w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="0" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>
 </w:style>
<w:style w:type="paragraph" w:styleId="TOCHeading"><w:name w:val="TOC Heading"/><w:basedOn w:val="Normal"/>
 <w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/>
 <w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="24"/>
 <w:szCs w:val="24"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>
 <w:uiPriority w:val="39"/><w:unhideWhenUsed/><w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9401"/></w:tabs>
 <w:spacing w:before="60" w:after="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="TOC2"><w:name w:val="toc 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>
 <w:uiPriority w:val="39"/><w:unhideWhenUsed/><w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9401"/></w:tabs>
 <w:spacing w:after="0"/><w:ind w:left="284"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="TOC3"><w:name w:val="toc 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>
 <w:uiPriority w:val="39"/><w:unhideWhenUsed/><w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9401"/></w:tabs>
 <w:spacing w:after="0"/><w:ind w:left="567"/></w:pPr></w:style>
<w:style w:type="table" w:customStyle="1" w:styleId="UNTable"><w:name w:val="UN Table"/>
 <w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>
 <w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
 <w:tblPr><w:tblBorders>
  <w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="nil"/>
  <w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="nil"/>
  <w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>
  <w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{CELL_MARGIN}" w:type="dxa"/>
  <w:bottom w:w="0" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" w:type="dxa"/></w:tblCellMar></w:tblPr>
 <w:tblStylePr w:type="firstRow"><w:tblPr/><w:tcPr><w:tcBorders>
  <w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tcBorders></w:tcPr></w:tblStylePr>
</w:style>
<w:style w:type="table" w:customStyle="1" w:styleId="PanelGrid"><w:name w:val="Figure Panels"/>
 <w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/>
 <w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders></w:tblPr></w:style>
</w:styles>"""

FOOTNOTES = f"""<w:footnotes {nsdecls("w", "r")}>
<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
<w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240"
 w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
</w:footnotes>"""

APP = """<?xml version='1.0' encoding='UTF-8' standalone='yes'?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" \
xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Fascicle</Application>\
<Company>United Nations</Company><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>\
<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>\
</Properties>"""

HEADINGS = {0: (14, 0, 240), 1: (12, 280, 160), 2: (11, 240, 140), 3: (10, 200, 120)}
"""Title and heading sizes (points) with the space before and after them (twips), as in the PDF."""


@dataclass(frozen=True)
class Layout:
    """How a table is set: its columns' widths in twips, its text size and whether it needs a landscape page."""

    widths: tuple[int, ...]
    size: float
    landscape: bool


def needs(table: Table, lang: str, size: float, whole: bool = False) -> list[int]:
    """The narrowest each column may be, in twips: its widest figure, word or heading word, with the cell's
    padding (and a row label's indentation), at `size` points (headings at 8 pt); with `whole`, the headings'
    Chinese words are not broken either."""
    found = []
    group = change_group(table, lang)
    for index, heading in enumerate(table.columns):
        widths = [widest(heading, HEADER_SIZE, whole)]
        for row in table.rows:
            if index == 0:
                widths.append(widest(row.label, size) + INDENT * row.level)
            elif len(row.cells) >= index:
                widths.append(widest(cell_text(table, index, row.cells[index - 1], lang, narrow=True), size))
        found.append(max(widths) + 2 * CELL_MARGIN)
    if group:
        span = sum(found[group[0]:group[1] + 1])
        found[group[1]] += max(0, widest(label("changes_heading", lang), HEADER_SIZE) + 2 * CELL_MARGIN - span)
    return found


def layout(table: Table, lang: str) -> Layout:
    """The columns' widths: each at least its need, the rest of the page shared as the columns' weights ask;
    a smaller size, then a landscape page, when the needs do not fit across a portrait page."""
    for landscape in (False, True):
        room = LANDSCAPE_WIDTH if landscape else TEXT_WIDTH
        for size in SIZES:
            for whole in (True, False):
                need = needs(table, lang, size, whole)
                if sum(need) <= room or (landscape and size == SIZES[-1] and not whole):
                    return Layout(_share(need, column_weights(table), room), size, landscape)
    raise AssertionError("unreachable")


def _share(need: list[int], weights: list[float], room: int) -> tuple[int, ...]:
    wanted = [max(n, int(room * w / sum(weights))) for n, w in zip(need, weights, strict=True)]
    if sum(wanted) <= room:
        extra = room - sum(wanted)
        wanted = [w + extra * w // sum(wanted) for w in wanted]
    else:
        slack = [w - n for w, n in zip(wanted, need, strict=True)]
        cut = sum(wanted) - room
        wanted = [w - (cut * s // sum(slack) if sum(slack) else 0) for w, s in zip(wanted, slack, strict=True)]
    final = [max(w, n) for w, n in zip(wanted, need, strict=True)]
    if sum(need) <= room:  # rounding: the column with most room takes up or gives back the last twips
        widest_slack = max(range(len(final)), key=lambda i: final[i] - need[i])
        final[widest_slack] += room - sum(final)
    return tuple(final)


class _Writer:
    def __init__(self, document: Document, charts: dict[str, Drawn]) -> None:
        self.doc, self.charts = document, charts
        self.out = new_document()
        self.rtl = document.direction == "rtl"
        self.zh = document.lang == "zh"
        self.footnotes = parse_xml(FOOTNOTES)
        part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, self.footnotes, self.out.part.package)
        self.out.part.relate_to(part, RT.FOOTNOTES)
        self.notes = 0
        self._styles()
        self.table_text = self.out.styles["Table Text"].style_id
        self._settings()
        self._page()

    # Styles, settings and the page ---------------------------------------------------------------------------

    def _styles(self) -> None:
        styles = self.out.styles.element
        for extra in parse_xml(STYLES):
            styles.append(extra)
        defaults = styles.find(qn("w:docDefaults"))
        run = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _fonts(run)
        _lang(run, self.doc.lang)
        for size in run.findall(qn("w:sz")) + run.findall(qn("w:szCs")):
            size.set(qn("w:val"), "20")
        spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
        spacing.set(qn("w:after"), "120")
        spacing.set(qn("w:line"), "252")
        # No theme font or theme colour anywhere: Word would prefer them to the explicit fonts and black.
        for fonts in styles.iter(qn("w:rFonts")):
            if any(key.lower().endswith("theme") for key in fonts.attrib):
                _fonts(fonts.getparent())
        for element in styles.iter():
            for key in [k for k in element.attrib if "theme" in k.lower()]:
                del element.attrib[key]
            if element.tag == qn("w:color"):
                element.set(qn("w:val"), "000000")
        if self.zh:  # CJK has no italics: no style slants (Z9)
            for slant in [*styles.iter(qn("w:i")), *styles.iter(qn("w:iCs"))]:
                slant.getparent().remove(slant)
        normal = self.out.styles["Normal"]
        _fonts(normal.element.get_or_add_rPr())
        _lang(normal.element.get_or_add_rPr(), self.doc.lang)
        for level, name in enumerate(("Title", *(f"Heading {n}" for n in range(1, 10)))):
            style = self.out.styles[name]
            size, before, after = HEADINGS.get(level, HEADINGS[3])
            properties = style.element.get_or_add_pPr()
            for border in properties.findall(qn("w:pBdr")):
                properties.remove(border)
            style.font.size, style.font.bold = Pt(size), True
            style.font.color.rgb = RGBColor(0, 0, 0)
            style.font.italic = level >= 3 and not self.zh  # CJK has no italics (Z9)
            rpr = style.element.get_or_add_rPr()
            for name_ in ("w:spacing", "w:kern"):
                for element in rpr.findall(qn(name_)):
                    rpr.remove(element)
            style.paragraph_format.space_before = Pt(before / 20)
            style.paragraph_format.space_after = Pt(after / 20)
            style.paragraph_format.keep_with_next = True
            if self.rtl:
                properties.append(OxmlElement("w:bidi"))

    def _settings(self) -> None:
        settings = self.out.settings.element
        for proof in settings.findall(qn("w:proofState")):
            settings.remove(proof)
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")  # the contents field is filled in when Word opens the document
        later = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids")
        anchor = next((e for e in settings if e.tag in {qn(t) for t in later}), None)
        if anchor is not None:
            anchor.addprevious(update)
        else:
            settings.append(update)
        theme = settings.find(qn("w:themeFontLang"))
        if theme is not None:
            locale = LOCALES.get(self.doc.lang, "en-US")
            theme.set(qn("w:val"), locale)
            theme.set(qn("w:eastAsia"), "zh-CN")
            theme.set(qn("w:bidi"), "ar-SA")

    def _page(self) -> None:
        section = self.out.sections[0]
        self._portrait(section)
        draft = label("draft_note", self.doc.lang) if self.doc.draft else None
        page_furniture(self.out, self.doc.symbol, job_number(self.doc), self.rtl, draft)
        if self.rtl:
            section._sectPr.append(OxmlElement("w:bidi"))

    @staticmethod
    def _portrait(section: Any) -> None:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.left_margin = section.right_margin = MARGIN
        section.top_margin, section.bottom_margin = Cm(2.6), Cm(2.4)

    def _landscape(self, on: bool) -> None:
        section = self.out.add_section(WD_SECTION.NEW_PAGE)
        self._portrait(section)
        if self.rtl:
            _rtl(self.out.paragraphs[-1])  # the paragraph that ends the previous section
        # A landscape page takes the running heads of the pages around it (the new section inherits them);
        # only the document's first page is a cover.
        section.different_first_page_header_footer = False
        if on:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH

    # Text ----------------------------------------------------------------------------------------------------

    def paragraph(self, text: str = "", style: str | None = None) -> DocxParagraph:
        paragraph = self.out.add_paragraph(style=style)
        if text:
            self.runs(paragraph, text)
        if self.rtl:
            _rtl(paragraph)
        return paragraph

    def runs(self, paragraph: DocxParagraph, text: str, notes: dict[str, str] | None = None,
             cited: set[str] | None = None) -> None:
        last = 0
        for match in FOOTNOTE_MARK.finditer(text):
            paragraph.add_run(text[last:match.start()])
            mark = match.group(1)
            if notes is not None and mark in notes and cited is not None and mark not in cited:
                cited.add(mark)
                self.footnote(paragraph, mark, notes[mark])
            else:
                paragraph.add_run(mark).font.superscript = True
            last = match.end()
        paragraph.add_run(text[last:])

    def footnote(self, paragraph: DocxParagraph, mark: str, text: str) -> None:
        """A Word footnote: its reference here, its text in footnotes.xml; Word numbers it when the data's
        mark is the number Word would give, else the data's mark is kept as a custom mark."""
        self.notes += 1
        custom = mark != str(self.notes)
        run = paragraph.add_run()
        run.style = self.out.styles["footnote reference"]
        reference = OxmlElement("w:footnoteReference")
        if custom:
            reference.set(qn("w:customMarkFollows"), "1")
        reference.set(qn("w:id"), str(self.notes))
        run._r.append(reference)
        if custom:
            run._r.append(_text(mark))
        note = OxmlElement("w:footnote")
        note.set(qn("w:id"), str(self.notes))
        body = OxmlElement("w:p")
        properties = OxmlElement("w:pPr")
        style = OxmlElement("w:pStyle")
        style.set(qn("w:val"), "FootnoteText")
        properties.append(style)
        if self.rtl:
            properties.append(OxmlElement("w:bidi"))
        body.append(properties)
        ref = OxmlElement("w:r")
        ref_properties = OxmlElement("w:rPr")
        ref_style = OxmlElement("w:rStyle")
        ref_style.set(qn("w:val"), "FootnoteReference")
        ref_properties.append(ref_style)
        ref.append(ref_properties)
        ref.append(_text(mark) if custom else OxmlElement("w:footnoteRef"))
        body.append(ref)
        words = OxmlElement("w:r")
        words.append(_text(f" {text}"))
        body.append(words)
        note.append(body)
        self.footnotes.append(note)

    def cover(self, cover: Cover) -> None:
        """The first page of a UN document: the masthead both sides, then the title one line per part (Z14).
        The job number is printed at the foot of the page (see _page), as UN documents print it, not here."""
        grid = self.out.add_table(rows=1, cols=2)
        right = cover.right
        for cell, lines, end in ((grid.cell(0, 0), cover.left, False), (grid.cell(0, 1), right, True)):
            paragraph = cell.paragraphs[0]
            for index, line in enumerate(lines):
                run = paragraph.add_run(line)
                run.bold = end and index == 0
                if index + 1 < len(lines):
                    run.add_break()
            if end:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if not self.rtl else WD_ALIGN_PARAGRAPH.LEFT
        for index, line in enumerate(cover.lines):
            paragraph = self.out.add_heading(line, level=0) if index == len(cover.lines) - 1 else self.paragraph()
            if index < len(cover.lines) - 1:
                run = paragraph.add_run(line)
                run.bold = True
                run.font.size = Pt(14 if index == 0 else 12)
            if self.rtl:
                _rtl(paragraph)

    def write(self) -> None:
        cover = self.doc.cover
        if cover is None:
            title = self.out.add_heading(self.doc.title, level=0)
            if self.rtl:
                _rtl(title)
            subtitle = self.paragraph()
            subtitle.add_run(self.doc.subtitle).font.size = Pt(11)
        else:
            self.cover(cover)
        self.contents()
        annex = label("annex", self.doc.lang, n="").strip()
        for block in self.doc.blocks:
            if isinstance(block, Heading):
                heading = self.out.add_heading(block.text, level=min(block.level, 9))
                if block.level == 1 and annex and block.text.startswith(annex):
                    heading.paragraph_format.page_break_before = True  # each annex on a new page (Z13)
                if self.rtl:
                    _rtl(heading)
            elif isinstance(block, Para):
                self.para(block)
            elif isinstance(block, Signature):
                signature = self.paragraph("\n".join(block.lines))
                signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif isinstance(block, TableBlock):
                shape = layout(block.table, self.doc.lang)
                if shape.landscape:
                    self._landscape(True)
                self.caption(block.number, block.title, block.unit)
                self.table(block.table, shape)
                if shape.landscape:
                    self._landscape(False)
            elif isinstance(block, FigureBlock):
                self.figure(block)

    def contents(self) -> None:
        """A contents field (TOC) of headings 1-3, updated when Word opens the document; until then it lists
        the headings without page numbers."""
        self.paragraph(label("contents", self.doc.lang), style="TOC Heading")
        entries: list[Heading | None] = [h for h in self.doc.headings() if h.level <= 3] or [None]
        for index, heading in enumerate(entries):
            paragraph = self.paragraph(style=f"toc {heading.level}" if heading else "toc 1")
            if index == 0:
                _fld_char(paragraph, "begin", ' TOC \\o "1-3" \\h \\z \\u ')
                _fld_char(paragraph, "separate")
            if heading:
                paragraph.add_run(heading.text)
            if index == len(entries) - 1:
                _fld_char(paragraph, "end")

    def para(self, block: Para) -> None:
        notes, cited = dict(block.footnotes), set[str]()
        paragraph = self.paragraph()
        paragraph.paragraph_format.left_indent = Cm(1.3)
        paragraph.paragraph_format.first_line_indent = Cm(-1.3) if block.number else None
        if block.number:
            paragraph.add_run(f"{block.number}\t")
        if block.fallback:
            paragraph.add_run(f"{block.marker} ").bold = True
        start = len(paragraph.runs)
        self.runs(paragraph, block.text, notes, cited)
        if block.fallback:
            for run in paragraph.runs:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            for run in paragraph.runs[start:]:
                _lang(run._r.get_or_add_rPr(), block.fallback)
        for letter, text in block.items:
            item = self.paragraph()
            item.paragraph_format.left_indent = Cm(2.2)
            item.paragraph_format.first_line_indent = Cm(-0.9)
            item.add_run(f"({letter})\t")
            self.runs(item, text, notes, cited)
        for mark, text in block.footnotes:
            if mark not in cited:  # a footnote the text does not cite is referenced at the paragraph's end
                cited.add(mark)
                self.footnote(paragraph, mark, text)

    def caption(self, number: str | None, title: str, unit: str | None) -> None:
        lines = [(text, bold, italic) for text, bold, italic in
                 ((number, True, False), (title, True, False), (unit, False, not self.zh)) if text]
        for index, (text, bold, italic) in enumerate(lines):
            paragraph = self.paragraph(style="Table Caption")
            if index == 0:
                paragraph.paragraph_format.space_before = Pt(12)  # apart from what comes before (D6)
            run = paragraph.add_run(text)
            run.bold, run.italic = bold, italic

    # Tables --------------------------------------------------------------------------------------------------

    def table(self, table: Table, shape: Layout | None = None) -> None:
        shape = shape or layout(table, self.doc.lang)
        width = len(table.columns)
        group = change_group(table, self.doc.lang)
        headers = 2 if group else 1
        self._apart()
        grid = self.out.add_table(rows=headers, cols=width)
        grid.style = self.out.styles["UN Table"]
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        _widths(grid, shape.widths)
        numeric = [False, *(numeric_column(table, i) for i in range(1, width))]
        heads = grid.rows[headers - 1].cells
        if group:
            start, end = group
            top = grid.rows[0].cells
            for index in range(width):
                if not start <= index <= end:
                    top[index].merge(heads[index])
            span = top[start].merge(top[end])
            self._cell(span, label("changes_heading", self.doc.lang), HEADER_SIZE, italic=not self.zh,
                       align=WD_ALIGN_PARAGRAPH.CENTER)
            _border(span._tc.get_or_add_tcPr(), "w:tcBorders", ("bottom",))
            for index in range(width):
                if not start <= index <= end:
                    self._cell(grid.rows[0].cells[index], table.columns[index], HEADER_SIZE, italic=not self.zh,
                               align=WD_ALIGN_PARAGRAPH.RIGHT if numeric[index] else None,
                               room=shape.widths[index] - 2 * CELL_MARGIN, mark=marks_at(table, -1, index))
            columns: Iterator[int] = iter(range(start, end + 1))
        else:
            columns = iter(range(width))
        for index in columns:
            self._cell(heads[index], table.columns[index], HEADER_SIZE, italic=not self.zh,
                       align=WD_ALIGN_PARAGRAPH.RIGHT if numeric[index] else None,
                       room=shape.widths[index] - 2 * CELL_MARGIN, mark=marks_at(table, -1, index))
        for row in grid.rows[:headers]:
            _row_properties(row, header=True)
            for cell in row.cells:
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM  # headings sit on the rule
        for tc in grid.rows[headers - 1]._tr.tc_lst:
            _border(tc.get_or_add_tcPr(), "w:tcBorders", ("bottom",))  # the rule under the header (D2)
        keep = len(table.rows) <= SHORT
        for position, row in enumerate(table.rows):
            docx_row = grid.add_row()
            _row_properties(docx_row)
            cells = docx_row.cells
            if not row.cells:
                cells = [cells[0].merge(cells[-1])]
            bold = row.kind in ("total", "heading")
            label_cell = self._cell(cells[0], row.label, shape.size, bold=bold, mark=marks_at(table, position, 0))
            label_cell.paragraph_format.left_indent = Pt(INDENT * row.level / 20) if row.level else None
            for index, value in enumerate(row.cells, start=1):
                text = cell_text(table, index, value, self.doc.lang, narrow=True)
                right = is_number(value) or value is None or (numeric[index] and text in DASHES)
                self._cell(cells[index], text, shape.size, bold=bold,
                           align=WD_ALIGN_PARAGRAPH.RIGHT if right else None)
            if row.kind == "total":
                for cell in cells:  # the rule above a total (D2)
                    _border(cell._tc.get_or_add_tcPr(), "w:tcBorders", ("top",))
            if keep and position < len(table.rows) - 1:
                for cell in cells:  # a short table stays on one page (D6)
                    for paragraph in cell.paragraphs:
                        paragraph.paragraph_format.keep_with_next = True
        for tc in (tc for row in grid.rows[:headers] for tc in row._tr.tc_lst):
            for p in tc.p_lst:  # the header keeps with the first row
                DocxParagraph(p, grid).paragraph_format.keep_with_next = True
        self.notes_of(table)

    def _apart(self) -> None:
        """An empty line between two tables: Word and LibreOffice join tables that touch."""
        body = self.out.element.body
        last = body[-2] if len(body) > 1 and body[-1].tag == qn("w:sectPr") else body[-1]
        if last.tag == qn("w:tbl"):
            self.paragraph(style="Table Note")

    def _cell(self, cell: Any, text: str, size: float, bold: bool = False, italic: bool = False,
              align: Any = None, room: int | None = None, mark: str = "") -> DocxParagraph:
        paragraph: DocxParagraph = cell.paragraphs[0]
        # The style by its id, set on the XML: python-docx's lookup by name walks every style each time, two
        # seconds of a build for the tables' 2,000 cells.
        paragraph._p.style = self.table_text
        if align is not None:
            paragraph.alignment = align
        if self.rtl:
            _rtl(paragraph)
        # Chinese breaks between any two characters: a heading is broken into lines here, at its spaces,
        # slashes and parentheses, so that no word of it is cut.
        # A note's mark rides on the last line: the lines leave it room.
        lines = wrap(text, room - text_width(mark, size) if mark else room, size) if self.zh and room else [text]
        for number, line in enumerate(lines if text else []):
            run = paragraph.add_run(line)
            if number:
                run._r.insert(0, OxmlElement("w:br"))
            run.bold, run.italic = bold or None, italic or None
            if size != 8.5:
                run.font.size = Pt(size)
        if mark:  # a note's mark after the heading or label it is about (Z5)
            run = paragraph.add_run(mark)
            run.font.superscript = True
            if size != 8.5:
                run.font.size = Pt(size)
        return paragraph

    def notes_of(self, table: Table) -> None:
        """Each note of a table on its own line, its letter as a superscript, hanging (Z5)."""
        for text in table.notes:
            paragraph = self.paragraph(style="Table Note")
            mark, words = split_note(text)
            if mark:
                paragraph.add_run(mark).font.superscript = True
                paragraph.add_run(f"\t{words}")
            else:
                paragraph.add_run(words)

    # Figures -------------------------------------------------------------------------------------------------

    def figure(self, block: FigureBlock) -> None:
        self.caption(block.number, block.title, block.unit)
        charts = list(block.charts)
        if len(charts) == 1:
            paragraph = self.paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self.picture(paragraph, block, charts[0], Cm(12 if charts[0].kind != "org" else 16))
        elif charts:
            # Panels side by side, up to three to a row at one scale, kept together with their caption (D9, E3,
            # Z18): three panels share one row, as the charts are drawn a third of the text wide.
            across = 3 if len(charts) % 3 == 0 else 2
            rows = (len(charts) + across - 1) // across
            self._apart()
            grid = self.out.add_table(rows=rows, cols=across)
            grid.style = self.out.styles["Figure Panels"]
            grid.alignment = WD_TABLE_ALIGNMENT.CENTER
            _widths(grid, (*[TEXT_WIDTH // across] * (across - 1), TEXT_WIDTH - (across - 1) * (TEXT_WIDTH // across)),
                    rules=False)
            for index, chart in enumerate(charts):
                row = grid.rows[index // across]
                _row_properties(row)
                paragraph = row.cells[index % across].paragraphs[0]
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                paragraph.paragraph_format.keep_with_next = index // across < rows - 1
                # The picture fills its cell inside the cell's margins, Word's 108 twips a side for a table of
                # the Normal style (any wider, and Word and LibreOffice crop it).
                room = (TEXT_WIDTH // across - 2 * 108 - 20) * TWIPS_PER_EMU
                self.picture(paragraph, block, chart, Emu(room))
        for data in block.data:
            self.table(data)

    def picture(self, paragraph: DocxParagraph, block: FigureBlock, chart: Any, width: Any) -> None:
        shape = paragraph.add_run().add_picture(str(self.charts[chart.id].png), width=width)
        titles = [t for t in dict.fromkeys((block.title, chart.title)) if t]
        described = " — ".join(titles) or (block.number or "")
        properties = shape._inline.docPr
        properties.set("descr", described)  # alt text (D8)
        properties.set("title", " ".join(t for t in (block.number, block.title or chart.title) if t))


def _text(value: str) -> Any:
    element = OxmlElement("w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = value
    return element


SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")


def _widths(grid: Any, widths: tuple[int, ...], rules: bool = True) -> None:
    """The columns' widths in twips (fixed), and the table's rules: top and bottom only, or none."""
    grid.autofit = False
    properties = grid._tbl.tblPr
    width = properties.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(sum(widths)))
    for column, gridcol in zip(widths, grid._tbl.tblGrid.findall(qn("w:gridCol")), strict=True):
        gridcol.set(qn("w:w"), str(column))
    for row in grid.rows:
        for column, cell in zip(widths, row.cells, strict=True):
            cell.width = column * TWIPS_PER_EMU
    ruled = ("top", "bottom") if rules else ()
    _border(properties, "w:tblBorders", ruled, tuple(s for s in SIDES if s not in ruled))


def _row_properties(row: Any, header: bool = False) -> None:
    properties = row._tr.get_or_add_trPr()
    split = OxmlElement("w:cantSplit")  # a row is never split across pages (D6)
    properties.append(split)
    if header:
        element = OxmlElement("w:tblHeader")
        element.set(qn("w:val"), "true")
        properties.append(element)


def _created() -> datetime:
    """The build time (or SOURCE_DATE_EPOCH, for a reproducible build), to the second."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    return moment.replace(microsecond=0, tzinfo=None)


def _properties(out: Any, document: Document) -> None:
    """Clean document properties: the United Nations as author, the section as title, no generator's trace."""
    core = out.core_properties
    core.author = core.last_modified_by = "United Nations"
    core.title = document.title[:255]  # python-docx refuses a longer property
    core.subject = document.symbol[:255]
    core.identifier = document.symbol[:255]
    core.language = LOCALES.get(document.lang, document.lang)
    core.comments = core.keywords = core.category = ""
    core.revision = 1
    core.created = core.modified = _created()
    for part in out.part.package.parts:
        if part.partname == "/docProps/app.xml":
            part._blob = APP.encode("utf-8")


def write_docx(document: Document, charts: dict[str, Drawn], path: Path) -> Path:
    """Write the document as DOCX at `path`."""
    writer = _Writer(document, charts)
    writer.write()
    _properties(writer.out, document)
    writer.out.save(str(path))
    return path
