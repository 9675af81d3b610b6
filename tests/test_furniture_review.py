"""The cover and page furniture of a UN document in the XLSX and DOCX outputs (review of the ITC 2024 outputs,
issue 8 and Z15): the workbook's cover sheet and its charts as pictures; the Word file's running heads
alternating by page parity, "n/N" page numbers on the outer edge, a cover without a head and with the job
number at its foot, in the seed's writer and in the writer of imported sections."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from lxml import etree

from fascicle.document.build import build
from fascicle.document.labels import label
from fascicle.document.tree import Document, FigureBlock
from fascicle.render.charts import draw_all
from fascicle.render.docx import write_docx
from fascicle.render.general_docx import write_docx as write_general_docx
from fascicle.render.publish import publish
from fascicle.render.xlsx import write_xlsx
from fascicle.source.general import load_section
from fascicle.source.load import Loaded, bundled_path

LANGS = ("zh", "en")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
NS = {"w": W, "r": R, "rel": PACKAGE_RELS, "s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
JOB = "23-07245 (E)"
"""A job number as the UN prints it, for a cover whose data has one (the seed's masthead has none)."""
ITC_2026 = bundled_path().parent / "a80-6-2026" / "sect-13"


@dataclass(frozen=True)
class Built:
    """The seed built as a draft in zh, en and ar (DOCX) and zh, en (XLSX), and its trees."""

    out: Path
    trees: dict[str, Document]

    def path(self, lang: str, kind: str) -> Path:
        return self.out / lang / f"fascicle.{kind}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, itc: Loaded) -> Built:
    out = tmp_path_factory.mktemp("furniture")
    publish(itc.budget, (*LANGS, "ar"), ("docx", "xlsx"), out, draft=True)
    return Built(out, {lang: build(itc.budget, lang, draft=True) for lang in (*LANGS, "ar")})


def _parts(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        return {name: etree.fromstring(archive.read(name)) for name in archive.namelist()
                if name.endswith((".xml", ".rels"))}


def _text(element: Any) -> str:
    return "".join(element.itertext(f"{{{W}}}t"))


# XLSX: the cover sheet (issue 8) ---------------------------------------------------------------------------------


def _column(sheet: Any, column: int, start: int) -> list[str]:
    return [str(sheet.cell(row, column).value) for row in range(start, sheet.max_row + 1)
            if sheet.cell(row, column).value is not None]


@pytest.mark.parametrize("lang", LANGS)
def test_issue8_xlsx_cover_sheet_carries_the_trees_cover(built: Built, lang: str) -> None:
    """Issue 8: the first sheet, named "Cover"/"封面", prints the draft note, the masthead left and right one
    line a row, then the title one line a row, as the tree's cover gives them; A4 portrait, one page."""
    book = openpyxl.load_workbook(built.path(lang, "xlsx"))
    cover = built.trees[lang].cover
    assert cover is not None
    sheet = book.worksheets[0]
    assert sheet.title == label("cover_sheet", lang) == {"zh": "封面", "en": "Cover"}[lang]
    assert sheet["A1"].value == label("draft_note", lang)
    assert _column(sheet, 2, 2) == list(cover.right)
    assert _column(sheet, 1, 2) == [*cover.left, *cover.lines]
    # One line a row, the title under the masthead after a blank row, the symbol bold on the right.
    title_row = 2 + max(len(cover.left), len(cover.right)) + 1
    assert [sheet.cell(title_row + i, 1).value for i in range(len(cover.lines))] == list(cover.lines)
    assert sheet["B2"].value == built.trees[lang].symbol and sheet["B2"].font.b
    assert all(sheet.cell(title_row + i, 1).font.b for i in range(len(cover.lines)))
    assert sheet.page_setup.orientation == "portrait" and int(sheet.page_setup.paperSize) == 9
    assert sheet.oddHeader.center.text == label("draft", lang)
    # The sheet names still follow Excel's rules with the cover among them.
    names = book.sheetnames
    assert all(0 < len(n) <= 31 and not set("[]:*?/\\") & set(n) for n in names)
    assert len({n.lower() for n in names}) == len(names)


def test_issue8_xlsx_cover_shows_the_job_number_and_a_plain_cover_without_masthead(built: Built,
                                                                                    tmp_path: Path) -> None:
    """Issue 8: a job number in the data is on the cover (its last line, as at the foot of the page); a document
    whose data has no masthead still opens on a cover: its symbol and title."""
    document = built.trees["en"]
    assert document.cover is not None
    with_job = replace(document, cover=replace(document.cover, job=JOB), draft=False)
    sheet = openpyxl.load_workbook(write_xlsx(with_job, tmp_path / "job.xlsx")).worksheets[0]
    assert _column(sheet, 1, 1)[-1] == JOB and sheet["A1"].value == label("united_nations", "en")
    assert JOB not in _column(sheet, 2, 1)
    plain = openpyxl.load_workbook(write_xlsx(replace(document, cover=None), tmp_path / "plain.xlsx"))
    first = plain.worksheets[0]
    assert first.title == "Cover" and _column(first, 2, 1) == [document.symbol]
    assert document.title in _column(first, 1, 1)


# XLSX: the charts of every figure as pictures -------------------------------------------------------------------


def _pictures(path: Path) -> dict[str, list[tuple[str, int, int, str]]]:
    """Each sheet's pictures: (alt text, anchor column, anchor row, SHA-256 of the image), by sheet name."""
    with zipfile.ZipFile(path) as archive:
        def xml(name: str) -> Any:
            return etree.fromstring(archive.read(name))

        def target(rels: str, rid: str) -> str:
            found = xml(rels).xpath(f"rel:Relationship[@Id='{rid}']/@Target", namespaces=NS)[0]
            return str(found).replace("../", "xl/") if found.startswith("../") else f"xl/{found}"

        found: dict[str, list[tuple[str, int, int, str]]] = {}
        for sheet in xml("xl/workbook.xml").xpath("//s:sheet", namespaces=NS):
            part = target("xl/_rels/workbook.xml.rels", sheet.get(f"{{{R}}}id"))
            rels = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
            drawings = xml(part).xpath("//s:drawing/@r:id", namespaces=NS)
            pictures = found.setdefault(sheet.get("name"), [])
            for rid in drawings:
                drawing = target(rels, rid)
                drawing_rels = drawing.replace("drawings/", "drawings/_rels/") + ".rels"
                for anchor in xml(drawing).xpath("//xdr:twoCellAnchor|//xdr:oneCellAnchor", namespaces=NS):
                    descr = anchor.xpath(".//xdr:cNvPr/@descr", namespaces=NS)
                    embed = anchor.xpath(".//a:blip/@r:embed", namespaces=NS)[0]
                    image = archive.read(target(drawing_rels, embed))
                    column = int(anchor.xpath("xdr:from/xdr:col/text()", namespaces=NS)[0])
                    row = int(anchor.xpath("xdr:from/xdr:row/text()", namespaces=NS)[0])
                    pictures.append((descr[0] if descr else "", column, row, hashlib.sha256(image).hexdigest()))
    return found


def _holds(sheet: Any, heading_row: int, columns: tuple[str, ...], labels: list[str]) -> bool:
    """Whether the sheet's table has these column headings (in row `heading_row`) and these row labels."""
    found = [str(sheet.cell(heading_row + 1 + i, 1).value or "").strip() for i in range(len(labels) + 1)]
    return ([c.value for c in sheet[heading_row]][:len(columns)] == list(columns)
            and found[:-1] == labels and not found[-1])


@pytest.mark.parametrize("lang", LANGS)
def test_issue8_every_figure_sheet_shows_its_charts_with_alt_text(built: Built, lang: str) -> None:
    """Issue 8: every sheet of a figure's data (Figures 13.I-13.IV and the Annex I organization charts) shows
    the figure's charts as the PNG files the other outputs use, beside the table (right of its columns, from
    its heading row down), each with alt text naming the figure and the chart; every chart once."""
    path = built.path(lang, "xlsx")
    pictures, book = _pictures(path), openpyxl.load_workbook(path)
    heading_row = 3  # counted from 0: under the draft note, the title and the unit line
    figures = [b for b in built.trees[lang].blocks if isinstance(b, FigureBlock) and b.charts]
    assert len(figures) == 6 and any(c.kind == "org" for f in figures for c in f.charts)
    drawn = {hashlib.sha256((built.out / lang / "charts" / f"{c.id}.png").read_bytes()).hexdigest(): (f, c)
             for f in figures for c in f.charts}
    shown = [p for sheet in pictures.values() for p in sheet]
    assert sorted(p[3] for p in shown) == sorted(drawn)  # each chart exactly once
    for figure in figures:
        for table in figure.data:
            sheet = next(s for s in book.worksheets[1:] if _holds(s, heading_row + 1, table.columns,
                                                                   [row.label for row in table.rows]))
            assert pictures[sheet.title], f"{sheet.title} shows no chart"
            for descr, column, row, digest in pictures[sheet.title]:
                owner, chart = drawn[digest]
                assert owner is figure, (sheet.title, chart.id)
                assert chart.title in descr and (not figure.title or figure.title in descr), descr
                assert column == len(table.columns) + 1 and row >= heading_row, (sheet.title, column, row)
    assert not any(pictures[name] for name in book.sheetnames[:1])  # none on the cover


# DOCX: running heads, n/N, the cover (Z15) ----------------------------------------------------------------------


def _header_parts(parts: dict[str, Any]) -> dict[str, str]:
    """The part of each head and foot of the first section, by "header-default", "footer-first" and so on."""
    section = parts["word/document.xml"].xpath("//w:body/w:sectPr", namespaces=NS)[0]
    rels = parts["word/_rels/document.xml.rels"]
    found = {}
    for kind in ("header", "footer"):
        for reference in section.xpath(f"w:{kind}Reference", namespaces=NS):
            rid = reference.get(f"{{{R}}}id")
            name = rels.xpath(f"rel:Relationship[@Id='{rid}']/@Target", namespaces=NS)[0]
            found[f"{kind}-{reference.get(f'{{{W}}}type')}"] = f"word/{name}"
    return found


def _alignment(element: Any) -> list[str]:
    return [str(v) for v in element.xpath("w:p/w:pPr/w:jc/@w:val", namespaces=NS)]


def _codes(element: Any) -> list[str]:
    return [str(t).strip() for t in element.xpath("//w:instrText/text()", namespaces=NS)]


@pytest.mark.parametrize(("lang", "even", "odd"), [("zh", "left", "right"), ("en", "left", "right"),
                                                   ("ar", "right", "left")])
def test_z15_docx_heads_alternate_by_parity_with_n_of_n(built: Built, lang: str, even: str, odd: str) -> None:
    """Z15: w:evenAndOddHeaders; the symbol heads even pages at the start (left; right in Arabic) and odd pages
    at the end; "n/N" (PAGE, NUMPAGES) foots every page on the same edge; the first page (w:titlePg) has a head
    without the symbol, and the draft note stays once in every head (D5)."""
    parts = _parts(built.path(lang, "docx"))
    symbol, note = built.trees[lang].symbol, label("draft_note", lang)
    assert parts["word/settings.xml"].xpath("w:evenAndOddHeaders", namespaces=NS)
    assert parts["word/document.xml"].xpath("//w:body/w:sectPr/w:titlePg", namespaces=NS)
    found = _header_parts(parts)
    assert set(found) == {f"{k}-{t}" for k in ("header", "footer") for t in ("default", "even", "first")}
    heads = {kind: parts[found[f"header-{kind}"]] for kind in ("default", "even", "first")}
    feet = {kind: parts[found[f"footer-{kind}"]] for kind in ("default", "even", "first")}
    assert found["header-default"] == "word/header1.xml"
    for kind, edge in (("default", odd), ("even", even)):
        paragraphs = heads[kind].xpath("w:p", namespaces=NS)
        assert _text(paragraphs[0]) == symbol and _alignment(heads[kind])[0] == edge, kind
        assert _text(heads[kind]).count(note) == 1, kind
        assert _codes(feet[kind]) == ["PAGE", "NUMPAGES"] and _alignment(feet[kind]) == [edge], kind
        assert re.fullmatch(r"1/1", _text(feet[kind])), kind  # the fields' results until a reader updates them
    assert symbol not in _text(heads["first"]) and _text(heads["first"]) == note
    assert _codes(feet["first"]) == ["PAGE", "NUMPAGES"] and _alignment(feet["first"]) == [odd]


def test_z15_docx_cover_carries_the_job_number_at_its_foot(built: Built, tmp_path: Path) -> None:
    """Z15: a job number in the data is printed at the foot of the first page, at the start of the line, and
    not again in the masthead; without one the first page's foot is "n/N" alone."""
    document = built.trees["en"]
    assert document.cover is not None
    charts = draw_all(document, tmp_path / "charts", ("png",))
    with_job = replace(document, cover=replace(document.cover, job=JOB))
    parts = _parts(write_docx(with_job, charts, tmp_path / "job.docx"))
    first = parts[_header_parts(parts)["footer-first"]]
    assert [_text(p) for p in first.xpath("w:p", namespaces=NS)] == ["1/1", JOB]
    assert _alignment(first) == ["right", "left"]
    masthead = _text(parts["word/document.xml"].xpath("//w:body/w:tbl", namespaces=NS)[0])
    assert JOB not in masthead and document.symbol in masthead
    plain = _parts(built.path("en", "docx"))
    assert JOB not in _text(plain[_header_parts(plain)["footer-first"]])


def _pdf(docx: Path, folder: Path) -> Path:
    """The DOCX converted to PDF by LibreOffice, with a profile of its own so that parallel runs do not clash."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    folder.mkdir(parents=True, exist_ok=True)
    profile = folder / "profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(docx)], check=True, capture_output=True, timeout=300)
    return folder / f"{docx.stem}.pdf"


def _words(pdf: Path, page: int) -> list[tuple[str, float, float]]:
    """The words of a page with their left edge, and the page's width (pdftotext -bbox)."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    width = float(re.search(r'<page width="([0-9.]+)"', html).group(1))  # type: ignore[union-attr]
    return [(word, float(x), width) for x, word in re.findall(r'<word xMin="([0-9.]+)"[^>]*>([^<]*)</word>', html)]


def test_z15_libreoffice_prints_n_of_n_on_the_outer_edge(built: Built, tmp_path: Path) -> None:
    """Z15, as a reader sees it: LibreOffice prints "2/N" at the left of page 2 and "3/N" at the right of
    page 3 (N the real page count), the symbol on the same edge at the top; page 1 has "1/N" and no head."""
    pdf = _pdf(built.path("en", "docx"), tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+([0-9]+)", info).group(1))  # type: ignore[union-attr]
    assert pages >= 10
    symbol = built.trees["en"].symbol.split()[0]
    for page, left in ((2, True), (3, False)):
        words = _words(pdf, page)
        numbers = [(x, width) for word, x, width in words if word == f"{page}/{pages}"]
        assert len(numbers) == 1, (page, [w for w, _, _ in words][-5:])
        x, width = numbers[0]
        assert (x < width / 2) == left, (page, x, width)
        heads = [x for word, x, _ in words if word == symbol]
        assert heads and (heads[0] < width / 2) == left, (page, heads)
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], check=True,
                              capture_output=True, text=True).stdout
        assert f"{page}/{pages}" in text
    first = [word for word, _, _ in _words(pdf, 1)]
    assert f"1/{pages}" in first and first.count(symbol) == 1  # the masthead's, no running head


# The writer of imported sections --------------------------------------------------------------------------------


def test_z15_general_docx_has_the_same_furniture(tmp_path: Path) -> None:
    """Z15 for an imported section (A/80/6 (Sect. 13)): the symbol alternating by parity, "n/N" on the outer
    edge, no head on the first page and the job number from fascicle.yaml at its foot; a draft's "DRAFT" in
    every head."""
    section = load_section(ITC_2026).section
    ident = section.fascicle
    assert ident.job
    path = tmp_path / "general.docx"
    write_general_docx(section, path, "en", draft=True)
    parts = _parts(path)
    assert parts["word/settings.xml"].xpath("w:evenAndOddHeaders", namespaces=NS)
    assert parts["word/document.xml"].xpath("//w:body/w:sectPr/w:titlePg", namespaces=NS)
    found = _header_parts(parts)
    default, even, first = (parts[found[f"header-{k}"]] for k in ("default", "even", "first"))
    assert _text(default.xpath("w:p", namespaces=NS)[0]) == ident.symbol and _alignment(default)[0] == "right"
    assert _text(even.xpath("w:p", namespaces=NS)[0]) == ident.symbol and _alignment(even)[0] == "left"
    assert ident.symbol not in _text(first) and all("DRAFT" in _text(h) for h in (default, even, first))
    feet = [parts[found[f"footer-{k}"]] for k in ("default", "even", "first")]
    assert all(_codes(foot) == ["PAGE", "NUMPAGES"] for foot in feet)
    assert [_text(p) for p in feet[2].xpath("w:p", namespaces=NS)] == ["1/1", ident.job]
    assert _alignment(feet[0]) == ["right"] and _alignment(feet[1]) == ["left"]


def test_z15_the_job_number_in_section_yaml_reaches_the_foot_of_every_first_page(tmp_path: Path) -> None:
    """Z15: `masthead.job` in section.yaml, and nothing else, puts the job number on the first page of the PDF
    (at its foot, under the title) and the page, and never into the masthead's columns."""
    from fascicle.source.load import load

    seed = bundled_path()
    copy = tmp_path / "itc"
    shutil.copytree(seed, copy)
    section = copy / "section.yaml"
    text = section.read_text(encoding="utf-8")
    assert "masthead:\n" in text and "job:" not in text
    section.write_text(text.replace("masthead:\n", f'masthead:\n  job: "{JOB}"\n'), encoding="utf-8")
    publish(load(copy).budget, ("en",), ("pdf", "html"), tmp_path / "out", draft=False)
    pdf = tmp_path / "out" / "en" / "fascicle.pdf"
    first = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf), "-"], check=True,
                           capture_output=True, text=True).stdout.splitlines()
    lines = [line.strip() for line in first if line.strip()]
    assert JOB in lines and lines.index(JOB) > lines.index("International Trade Centre")
    second = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], check=True, capture_output=True,
                            text=True).stdout
    assert JOB not in second
    page = (tmp_path / "out" / "en" / "fascicle.html").read_text(encoding="utf-8")
    assert f'<p class="job"><bdi dir="ltr">{JOB}</bdi></p>' in page or f'<p class="job">{JOB}</p>' in page
    assert page.count(JOB) == 1
