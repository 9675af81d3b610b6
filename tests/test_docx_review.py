"""The seed's DOCX as Word users expect it (review of the ITC 2024 outputs, section 3, D1-D9, and the general
items Z6, Z9, Z13): each test names its review item and reads the package's XML parts as Word does."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from PIL import ImageFont

from fascicle.document.build import build
from fascicle.document.labels import label
from fascicle.document.table import Table
from fascicle.document.tree import Document, FigureBlock, Heading, Para, TableBlock
from fascicle.render.publish import publish
from fascicle.source.load import Loaded

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
      "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/"}
LANGS = ("zh", "en", "ar")
FONTS = Path("/usr/share/fonts/truetype/noto")
CJK = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
CELL_PADDING = 2 * 57
"""Left and right padding of a cell of the UN table style, in twips."""


def w(name: str) -> str:
    return f"{{{W}}}{name}"


@dataclass
class Package:
    """One built DOCX: its parts, parsed, and the document tree it was written from."""

    path: Path
    tree: Document
    parts: dict[str, Any]

    def xml(self, name: str) -> Any:
        return self.parts[name]


def _read(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        return {name: etree.fromstring(archive.read(name)) for name in archive.namelist()
                if name.endswith((".xml", ".rels"))}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, itc: Loaded) -> dict[str, Package]:
    out = tmp_path_factory.mktemp("docx")
    publish(itc.budget, LANGS, ("docx",), out, draft=True)
    return {lang: Package(out / lang / "fascicle.docx", build(itc.budget, lang, draft=True),
                          _read(out / lang / "fascicle.docx")) for lang in LANGS}


@pytest.fixture(scope="module")
def round_trip(built: dict[str, Package], tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The zh and en DOCX saved again as DOCX by LibreOffice, once for the module."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("round-trip")
    sources = []
    for lang in ("zh", "en"):
        sources.append(folder / f"{lang}.docx")
        shutil.copy(built[lang].path, sources[-1])
    subprocess.run(["soffice", "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir",
                    str(folder / "out"), *map(str, sources)], check=True, capture_output=True, timeout=300)
    return {lang: _read(folder / "out" / f"{lang}.docx") for lang in ("zh", "en")}


def _text(element: Any) -> str:
    return "".join(element.itertext(w("t")))


def _tables(document: Document) -> list[Table]:
    """The tree's tables in the order the DOCX prints them."""
    found: list[Table] = []
    for block in document.blocks:
        if isinstance(block, TableBlock):
            found.append(block.table)
        elif isinstance(block, FigureBlock):
            found += block.data
    return found


def _un_tables(package: Package) -> list[Any]:
    return package.xml("word/document.xml").xpath("//w:tbl[w:tblPr/w:tblStyle/@w:val='UNTable']", namespaces=NS)


def _header_rows(table: Any) -> int:
    return len(table.xpath("w:tr[w:trPr/w:tblHeader]", namespaces=NS))


# D1 -----------------------------------------------------------------------------------------------------------


_fonts: dict[object, Any] = {}


def _measure(text: str, half_points: int, bold: bool, italic: bool) -> float:
    """The width of `text` in twips, measured with the real Noto Serif face it is set in."""
    key = (bold, italic)
    if key not in _fonts:
        face = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic",
                (True, True): "BoldItalic"}[key]
        _fonts[key] = ImageFont.truetype(str(FONTS / f"NotoSerif-{face}.ttf"), 1000)
    return _fonts[key].getlength(text) / 1000 * half_points * 10


def _measure_cjk(text: str, half_points: int) -> float:
    if "cjk" not in _fonts:
        _fonts["cjk"] = ImageFont.truetype(str(CJK), 1000, index=2)  # the SC face of the collection
    return _fonts["cjk"].getlength(text) / 1000 * half_points * 10


NUMBER = re.compile(r"^[−-]?[\d,.\u202f\u00a0 ]*\d[\d,.]*%?$")


@pytest.mark.skipif(not (FONTS / "NotoSerif-Bold.ttf").exists() or not CJK.exists(), reason="no Noto fonts")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_d1_numbers_and_words_fit_their_columns(built: dict[str, Package], lang: str) -> None:
    """D1: every figure (and, in English, every word) of a table cell fits its column's width in twips at the
    size it is set in, with the cell's padding, so neither Word nor LibreOffice breaks it; text is 8-9 pt."""
    package = built[lang]
    checked = 0
    for table in _un_tables(package):
        columns = [int(c.get(w("w"))) for c in table.xpath("w:tblGrid/w:gridCol", namespaces=NS)]
        assert table.xpath("w:tblPr/w:tblLayout/@w:type", namespaces=NS) == ["fixed"]
        for row in table.xpath("w:tr", namespaces=NS):
            position = 0
            for cell in row.xpath("w:tc", namespaces=NS):
                span = int((cell.xpath("w:tcPr/w:gridSpan/@w:val", namespaces=NS) or ["1"])[0])
                room = sum(columns[position:position + span]) - CELL_PADDING
                indent = sum(int(v) for v in cell.xpath("w:p/w:pPr/w:ind/@w:left", namespaces=NS))
                position += span
                for run in cell.xpath(".//w:r[w:t]", namespaces=NS):
                    size = int((run.xpath("w:rPr/w:sz/@w:val", namespaces=NS) or ["17"])[0])
                    assert 16 <= size <= 18, f"table text at {size / 2} pt"
                    bold, italic = bool(run.xpath("w:rPr/w:b", namespaces=NS)), bool(
                        run.xpath("w:rPr/w:i", namespaces=NS))
                    text = _text(run)
                    if lang == "zh" and row.xpath("w:trPr/w:tblHeader", namespaces=NS):
                        # A Chinese heading is set in lines of whole words, one run a line.
                        assert _measure_cjk(text, size) <= room, (text, room)
                        checked += 1
                        continue
                    pieces = [text] if NUMBER.match(text.strip()) else (
                        re.split(r"\s+|(?<=/)", text) if lang == "en" else [])
                    for piece in pieces:
                        width = _measure(piece, size, bold, italic)
                        assert width <= room - indent, (piece, width, room - indent)
                        checked += 1
    assert checked > 380


# D2 -----------------------------------------------------------------------------------------------------------


def _ruled(element: Any, side: str) -> bool:
    found = element.xpath(f"w:{side}/@w:val", namespaces=NS)
    return bool(found) and found[0] not in ("nil", "none")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_d2_tables_have_horizontal_rules_only(built: dict[str, Package], lang: str) -> None:
    """D2: UN tables, not Word's "Table Grid": a rule at the top, under the header, above every total row and
    at the bottom; no vertical rule and no rule between other rows."""
    package = built[lang]
    styles = package.xml("word/styles.xml")
    style = styles.xpath("//w:style[@w:styleId='UNTable']", namespaces=NS)[0]
    borders = style.xpath("w:tblPr/w:tblBorders", namespaces=NS)[0]
    assert _ruled(borders, "top") and _ruled(borders, "bottom")
    assert not any(_ruled(borders, side) for side in ("left", "right", "insideH", "insideV"))
    tables, trees = _un_tables(package), _tables(package.tree)
    assert len(tables) == len(trees) >= 15
    assert not package.xml("word/document.xml").xpath("//w:tblStyle[@w:val='TableGrid']", namespaces=NS)
    for table, tree in zip(tables, trees, strict=True):
        borders = table.xpath("w:tblPr/w:tblBorders", namespaces=NS)[0]
        assert _ruled(borders, "top") and _ruled(borders, "bottom"), tree.title
        assert not any(_ruled(borders, side) for side in ("left", "right", "insideH", "insideV")), tree.title
        for cell_borders in table.xpath(".//w:tcBorders", namespaces=NS):
            assert not any(_ruled(cell_borders, side) for side in ("left", "right", "insideV", "start", "end"))
        rows = table.xpath("w:tr", namespaces=NS)
        headers = _header_rows(table)
        assert all(c.xpath("w:tcPr/w:tcBorders/w:bottom", namespaces=NS)
                   for c in rows[headers - 1].xpath("w:tc", namespaces=NS)), tree.title
        body = rows[headers:]
        assert len(body) == len(tree.rows), tree.title
        for row, data in zip(body, tree.rows, strict=True):
            cells = row.xpath("w:tc", namespaces=NS)
            tops = [bool(c.xpath("w:tcPr/w:tcBorders[w:top/@w:val='single']", namespaces=NS)) for c in cells]
            assert all(tops) if data.kind == "total" else not any(tops), (tree.title, data.label)
            assert not any(c.xpath("w:tcPr/w:tcBorders/w:bottom", namespaces=NS) for c in cells)


# D3 -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_d3_footnotes_are_word_footnotes(built: dict[str, Package], lang: str) -> None:
    """D3: each footnote of the tree is a Word footnote (footnotes.xml, referenced by w:footnoteReference from
    its paragraph), not a paragraph of the body."""
    package = built[lang]
    notes = [note for block in package.tree.blocks if isinstance(block, Para) for note in block.footnotes]
    assert len(notes) == 2
    document = package.xml("word/document.xml")
    references = document.xpath("//w:footnoteReference", namespaces=NS)
    assert len(references) == len(notes)
    footnotes = package.xml("word/footnotes.xml").xpath("w:footnote[not(@w:type)]", namespaces=NS)
    assert len(footnotes) == len(notes)
    assert sorted(r.get(w("id")) for r in references) == sorted(f.get(w("id")) for f in footnotes)
    body = _text(document)
    for (_, text), footnote in zip(notes, footnotes, strict=True):
        assert text in _text(footnote) and text not in body
        assert footnote.xpath(".//w:footnoteRef", namespaces=NS)  # Word numbers it: the data's marks are 1, 2
    rels = etree.tostring(package.xml("word/_rels/document.xml.rels")).decode()
    assert "relationships/footnotes" in rels and 'Target="footnotes.xml"' in rels
    types = etree.tostring(package.xml("[Content_Types].xml")).decode()
    assert "wordprocessingml.footnotes+xml" in types


# D4 -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_d4_title_and_heading_styles_have_explicit_fonts(built: dict[str, Package], lang: str) -> None:
    """D4: no theme font (asciiTheme, hAnsiTheme, eastAsiaTheme, cstheme) or theme colour in any style; Title
    and headings in Noto, black, bold, at the PDF's sizes (14, 12, 11, 10 pt), the Title without its rule."""
    styles = built[lang].xml("word/styles.xml")
    for element in styles.iter():
        assert not [key for key in element.attrib if key.lower().endswith("theme") or "themeColor" in key], (
            element.tag, dict(element.attrib))
    defaults = styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", namespaces=NS)[0]
    assert defaults.get(w("ascii")) == "Noto Serif" and defaults.get(w("eastAsia")) == "Noto Serif CJK SC"
    for style_id, size in (("Title", 28), ("Heading1", 24), ("Heading2", 22), ("Heading3", 20), ("Heading5", 20)):
        style = styles.xpath(f"//w:style[@w:styleId='{style_id}']", namespaces=NS)[0]
        assert style.xpath("w:rPr/w:sz/@w:val", namespaces=NS) == [str(size)], style_id
        assert style.xpath("w:rPr/w:color/@w:val", namespaces=NS) == ["000000"], style_id
        assert style.xpath("w:rPr/w:b", namespaces=NS) and not style.xpath("w:pPr/w:pBdr", namespaces=NS)


# D5 -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_d5_draft_banner_is_printed_once(built: dict[str, Package], lang: str) -> None:
    """D5: the draft header says "Draft: ..." once (not "DRAFT — Draft: ..."); the symbol is in the header, not
    again at the top of the body."""
    package = built[lang]
    header = _text(package.xml("word/header1.xml"))
    note = label("draft_note", lang)
    assert header.count(note) == 1 and f"{label('draft', lang)} — " not in header
    # The body opens with the UN cover (review Z14): the masthead, where the symbol stands once, then the title.
    first = package.xml("word/document.xml").xpath("//w:body/w:p", namespaces=NS)[0]
    cover = package.tree.cover
    assert cover is not None and _text(first) == cover.lines[0] and package.tree.symbol not in _text(first)
    masthead = _text(package.xml("word/document.xml").xpath("//w:body/w:tbl", namespaces=NS)[0])
    assert masthead.count(package.tree.symbol) == 1


# D6, E3, E4 -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_d6_rows_do_not_split_and_short_tables_keep_together(built: dict[str, Package], lang: str) -> None:
    """D6 (E3, E4): no row splits across pages; a short table (12 rows or fewer) keeps every row but the last
    with the next; captions keep with what they caption and have space before them."""
    package = built[lang]
    for table, tree in zip(_un_tables(package), _tables(package.tree), strict=True):
        rows = table.xpath("w:tr", namespaces=NS)
        assert all(row.xpath("w:trPr/w:cantSplit", namespaces=NS) for row in rows), tree.title
        if len(tree.rows) <= 12:
            for row in rows[:-1]:
                assert all(p.xpath("w:pPr/w:keepNext", namespaces=NS) for p in row.xpath(".//w:p", namespaces=NS))
    document = package.xml("word/document.xml")
    captions = document.xpath("//w:p[w:pPr/w:pStyle/@w:val='Caption1']", namespaces=NS)
    numbered = [b for b in package.tree.blocks if isinstance(b, TableBlock | FigureBlock) and b.number]
    starts = [c for c in captions if c.xpath("w:pPr/w:spacing/@w:before", namespaces=NS)]
    assert len(starts) >= len(numbered)
    assert all(int(c.xpath("w:pPr/w:spacing/@w:before", namespaces=NS)[0]) >= 200 for c in starts)
    style = package.xml("word/styles.xml").xpath("//w:style[@w:styleId='Caption1']", namespaces=NS)[0]
    assert style.xpath("w:pPr/w:keepNext", namespaces=NS)  # every caption line keeps with the next


# D7 -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_d7_contents_field_updated_on_open(built: dict[str, Package], lang: str) -> None:
    """D7: a TOC field of headings 1-3 (its entries listed until Word updates it) and w:updateFields."""
    package = built[lang]
    document = package.xml("word/document.xml")
    codes = [i.text for i in document.xpath("//w:instrText", namespaces=NS)]
    assert [c for c in codes if c.strip().startswith("TOC \\o")] == [' TOC \\o "1-3" \\h \\z \\u ']
    kinds = document.xpath("//w:fldChar/@w:fldCharType", namespaces=NS)
    assert kinds == ["begin", "separate", "end"]
    entries = document.xpath("//w:p[w:pPr/w:pStyle/@w:val='TOC1' or w:pPr/w:pStyle/@w:val='TOC2' or "
                             "w:pPr/w:pStyle/@w:val='TOC3']", namespaces=NS)
    assert len(entries) == len([h for h in package.tree.headings() if h.level <= 3])
    settings = package.xml("word/settings.xml")
    assert settings.xpath("w:updateFields/@w:val", namespaces=NS) == ["true"]


# D8 -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "val", "east_asia"), [("zh", "zh-CN", "zh-CN"), ("en", "en-US", "en-US"),
                                                        ("ar", "ar-SA", "ar-SA")])
def test_d8_language_tags(built: dict[str, Package], lang: str, val: str, east_asia: str) -> None:
    """D8: w:lang of the document's language in the defaults and Normal style (East Asian set for zh, the
    complex-script language ar-SA); Arabic paragraphs and sections are right to left."""
    package = built[lang]
    styles = package.xml("word/styles.xml")
    for path in ("w:docDefaults/w:rPrDefault/w:rPr/w:lang", "w:style[@w:styleId='Normal']/w:rPr/w:lang"):
        tag = styles.xpath(path, namespaces=NS)[0]
        assert (tag.get(w("val")), tag.get(w("eastAsia")), tag.get(w("bidi"))) == (val, east_asia, "ar-SA")
    document = package.xml("word/document.xml")
    paragraphs = document.xpath("//w:body/w:p", namespaces=NS)
    rtl = [p for p in paragraphs if p.xpath("w:pPr/w:bidi", namespaces=NS)]
    if lang == "ar":
        assert len(rtl) == len(paragraphs) and document.xpath("//w:sectPr/w:bidi", namespaces=NS)
    else:
        assert not rtl


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_d8_clean_properties_and_alt_text(built: dict[str, Package], lang: str) -> None:
    """D8: core properties name the United Nations and the section, carry the build time and no trace of
    python-docx; every picture has alt text (descr and title) naming its figure."""
    package = built[lang]
    core = package.xml("docProps/core.xml")
    raw = etree.tostring(core).decode() + etree.tostring(package.xml("docProps/app.xml")).decode()
    assert "python-docx" not in raw and "Macintosh" not in raw
    assert core.xpath("dc:creator/text()", namespaces=NS) == ["United Nations"]
    assert core.xpath("cp:lastModifiedBy/text()", namespaces=NS) == ["United Nations"]
    assert core.xpath("dc:title/text()", namespaces=NS) == [package.tree.title]
    assert not core.xpath("dc:description/text()", namespaces=NS) and not core.xpath("cp:keywords/text()",
                                                                                     namespaces=NS)
    created = datetime.fromisoformat(core.xpath("dcterms:created/text()", namespaces=NS)[0].replace("Z", "+00:00"))
    assert abs(datetime.now(UTC) - created) < timedelta(hours=1)
    pictures = package.xml("word/document.xml").xpath("//wp:docPr", namespaces=NS)
    figures = [b for b in package.tree.blocks if isinstance(b, FigureBlock)]
    assert len(pictures) == sum(len(f.charts) for f in figures) >= 9
    assert all(p.get("descr") and p.get("title") for p in pictures)
    titled = [f.title for f in figures if f.title and f.charts]
    assert all(any(title in p.get("descr") for p in pictures) for title in titled)


# D9 -----------------------------------------------------------------------------------------------------------


def test_d9_chart_panels_side_by_side(built: dict[str, Package]) -> None:
    """D9, Z18: a figure of several charts sets them side by side in a borderless table, two to a row, or the
    three panels of Figure 13.IV in one row at one size; each picture fits inside its cell's margins."""
    document = built["en"].xml("word/document.xml")
    panels = document.xpath("//w:tbl[w:tblPr/w:tblStyle/@w:val='PanelGrid']", namespaces=NS)
    # Figures 13.I, 13.II, 13.III (two charts each; 13.III's from A/80/6's chart data) and 13.IV (three).
    assert [len(t.xpath("w:tblGrid/w:gridCol", namespaces=NS)) for t in panels] == [2, 2, 2, 3]
    for table in panels:
        columns = [int(c.get(f"{{{NS['w']}}}w")) for c in table.xpath("w:tblGrid/w:gridCol", namespaces=NS)]
        widths = {int(e.get("cx")) for e in table.xpath(".//wp:extent", namespaces=NS)}
        assert table.xpath(".//wp:docPr", namespaces=NS) and len(widths) == 1
        # EMU to twips; Word's 108-twip cell margins on each side.
        assert widths.pop() / 635 <= min(columns) - 2 * 108


# Z6, Z9, Z13 ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_z6_changes_span_their_columns(built: dict[str, Package], lang: str) -> None:
    """Z6: the change columns (technical adjustments to percentage) sit under one merged "Changes"/"变动"
    cell in a two-row header; the other headings span both rows."""
    package = built[lang]
    heading = label("changes_heading", lang)
    grouped = 0
    for table, tree in zip(_un_tables(package), _tables(package.tree), strict=True):
        names = [label(k, lang) for k in ("technical", "new_mandates", "other", "total")]
        if not all(name in tree.columns for name in names):
            assert _header_rows(table) == 1
            continue
        grouped += 1
        assert _header_rows(table) == 2, tree.title
        first = table.xpath("w:tr", namespaces=NS)[0]
        spans = [c for c in first.xpath("w:tc", namespaces=NS) if c.xpath("w:tcPr/w:gridSpan", namespaces=NS)]
        assert len(spans) == 1 and _text(spans[0]) == heading
        width = int(spans[0].xpath("w:tcPr/w:gridSpan/@w:val", namespaces=NS)[0])
        assert width == sum(1 for c in tree.columns if c in names or c == label("percent", lang))
        restarts = first.xpath("w:tc/w:tcPr/w:vMerge[@w:val='restart']", namespaces=NS)
        assert len(restarts) == len(tree.columns) - width
    assert grouped == 4  # Tables 13.3, 13.4, 13.5 and 13.7


def test_z9_no_italics_in_chinese(built: dict[str, Package]) -> None:
    """Z9: CJK has no italics: no italic run, heading style or caption in the zh document (en keeps them)."""
    for lang, italic in (("zh", False), ("en", True)):
        document = built[lang].xml("word/document.xml")
        styles = built[lang].xml("word/styles.xml")
        runs = document.xpath("//w:rPr/w:i[not(@w:val) or @w:val!='0']", namespaces=NS)
        headings = styles.xpath("//w:style[starts-with(@w:styleId, 'Heading')]/w:rPr/w:i[not(@w:val) or "
                                "(@w:val!='0' and @w:val!='false')]", namespaces=NS)
        assert bool(runs) == italic and bool(headings) == italic, lang


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_z13_annexes_start_on_a_new_page(built: dict[str, Package], lang: str) -> None:
    """Z13: each annex heading breaks the page before it."""
    package = built[lang]
    annexes = [h.text for h in package.tree.blocks if isinstance(h, Heading) and h.level == 1
               and h.text.startswith(label("annex", lang, n="").strip())]
    assert len(annexes) == 2
    for paragraph in package.xml("word/document.xml").xpath("//w:p[w:pPr/w:pStyle/@w:val='Heading1']",
                                                            namespaces=NS):
        assert bool(paragraph.xpath("w:pPr/w:pageBreakBefore", namespaces=NS)) == (_text(paragraph) in annexes)


# Round trip -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_round_trip_through_libreoffice_keeps_footnotes_contents_and_tables(
        built: dict[str, Package], round_trip: dict[str, dict[str, Any]], lang: str) -> None:
    """Issue 8: the DOCX survives a round trip (LibreOffice opens it and saves it as DOCX): its footnotes, its
    contents field and its tables are still there."""
    before, after = built[lang], round_trip[lang]
    document = after["word/document.xml"]
    notes = sum(len(b.footnotes) for b in before.tree.blocks if isinstance(b, Para))
    assert len(document.xpath("//w:footnoteReference", namespaces=NS)) == notes
    assert len(after["word/footnotes.xml"].xpath("w:footnote[not(@w:type) or @w:type='normal']",
                                                 namespaces=NS)) == notes
    codes = " ".join(i.text or "" for i in document.xpath("//w:instrText", namespaces=NS))
    assert re.search(r"\bTOC\b.*\\o \"1-3\"", codes), codes
    count = len(before.xml("word/document.xml").xpath("//w:tbl", namespaces=NS))
    assert len(document.xpath("//w:tbl", namespaces=NS)) == count
