"""Tables 13.3–13.5 in every format, cell by cell, against the seed: the expected cells are written out here as
A/78/6 (Sect. 13) prints them (the Chinese verbatim; the English with the English edition's separators),
never produced by our own number formatter."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import docx
import openpyxl
import pytest

from fascicle.render.publish import publish
from fascicle.source.load import Loaded

NIL = "—"
BLANK = None
"""The seed leaves the cell empty; we print a dash there (either is accepted until issue 8 settles it)."""

# (table number, row label, cells) as the seed prints them in Chinese.
ZH = {
    # "b": the mark of note b after the line it is about, a superscript in print (Z5), plain in extracted text.
    "13.3": [("赠款和捐助款b", ["19 073.4", "20 457.6", NIL, NIL, NIL, NIL, NIL, "20 457.6"]),
             ("共计", ["19 073.4", "20 457.6", NIL, NIL, NIL, NIL, NIL, "20 457.6"])],
    "13.4": [("6. 贸易促进和出口发展的业务方面", ["36 360.9", "37 936.5", NIL, NIL, NIL, NIL, NIL, "37 936.5"]),
             ("小计(1)", ["36 360.9", "37 936.5", NIL, NIL, NIL, NIL, NIL, "37 936.5"])],
    # Review Z8: the extrabudgetary part under its own columns: 2022 expenditure, 2023 estimate, change,
    # percentage, 2024 estimate.
    "13.4 (2)": [("6. 贸易促进和出口发展的业务方面", ["109 809.9", "97 356.0", NIL, NIL, "97 356.0"]),
                 ("小计(2)", ["109 809.9", "97 356.0", NIL, NIL, "97 356.0"]),
                 ("共计", ["146 170.8", "135 292.5", NIL, NIL, "135 292.5"])],
    "13.5": [("员额", ["28 505.3", "29 780.0", NIL, NIL, NIL, NIL, NIL, "29 780.0"]),
             ("非员额", ["7 855.6", "8 156.5", NIL, NIL, NIL, NIL, NIL, "8 156.5"]),
             ("共计", ["36 360.9", "37 936.5", NIL, NIL, NIL, NIL, NIL, "37 936.5"]),
             ("专业及以上职类", [BLANK, "91", NIL, NIL, NIL, NIL, NIL, "91"]),
             ("一般事务及有关职类", [BLANK, "69", NIL, NIL, NIL, NIL, NIL, "69"]),
             ("共计", [BLANK, "160", NIL, NIL, NIL, NIL, NIL, "160"])],
}
EN_LABELS = {"赠款和捐助款b": "Grants and contributionsb", "共计": "Total",
             "6. 贸易促进和出口发展的业务方面": "6. Operational aspects of trade promotion and export development",
             "小计(1)": "Subtotal (1)", "小计(2)": "Subtotal (2)", "员额": "Post", "非员额": "Non-post",
             "专业及以上职类": "Professional and higher", "一般事务及有关职类": "General Service and related"}


def expected(lang: str) -> dict[str, list[tuple[str, list[str | None]]]]:
    """The Chinese tables, or the English ones: labels translated, thousands grouped with a comma."""
    if lang == "zh":
        return ZH
    return {number: [(EN_LABELS[label], [c.replace(" ", ",") if c else c for c in cells]) for label, cells in rows]
            for number, rows in ZH.items()}


def same(cell: str, wanted: str | None) -> bool:
    """A printed cell against the seed's: spaces of any kind are one space."""
    text = re.sub(r"[\s\u00a0\u202f]+", " ", cell).strip()
    return text in ("", NIL) if wanted is None else text == wanted


class _Tables(HTMLParser):
    """Every <table> of a page by its caption's number, as rows of (header cell, data cells)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[tuple[str, list[str]]]] = {}
        self.caption: str | None = None
        self.rows: list[list[str]] = []
        self.text: list[str] | None = None
        self.where = ""
        self.last: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.caption, self.rows = "", []
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td", "caption"):
            self.text, self.where = [], tag

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self.text is not None and self.rows:
            self.rows[-1].append("".join(self.text))
            self.text = None
        elif tag == "caption" and self.text is not None:
            self.caption, self.text = "".join(self.text), None
        elif tag == "table":
            found = re.search(r"13\.\d+", self.caption or "")
            # A table with no caption right after a numbered one is that table's next part.
            number = found.group() if found else (f"{self.last} (2)" if self.last and self.caption == "" else None)
            if number:
                self.tables[number] = [(row[0], row[1:]) for row in self.rows if row]
            self.last = found.group() if found else None


def check(rows: list[tuple[str, list[str]]], wanted: list[tuple[str, list[str | None]]], where: str) -> None:
    """Every expected row is printed, in order, with exactly the expected cells."""
    remaining = iter(rows)
    for label, cells in wanted:
        for printed, values in remaining:
            if same(printed, label):
                assert len(values) == len(cells) and all(map(same, values, cells)), (where, label, values)
                break
        else:
            raise AssertionError(f"{where}: no row {label!r} (in order)")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, itc: Loaded) -> Path:
    out = tmp_path_factory.mktemp("tables")
    publish(itc.budget, ("zh", "en"), ("html", "pdf", "docx", "xlsx"), out, draft=False)
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_tables_print_the_seed_cells(built: Path, lang: str) -> None:
    parser = _Tables()
    parser.feed((built / lang / "fascicle.html").read_text(encoding="utf-8"))
    for number, rows in expected(lang).items():
        check(parser.tables[number], rows, f"HTML {lang} {number}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_docx_tables_print_the_seed_cells(built: Path, lang: str) -> None:
    document = docx.Document(str(built / lang / "fascicle.docx"))
    tables = [[(row.cells[0].text, [c.text for c in row.cells[1:]]) for row in table.rows]
              for table in document.tables]
    for number, rows in expected(lang).items():
        label = rows[0][0]
        candidates = [t for t in tables if any(same(printed, label) for printed, _ in t)
                      and any(same(printed, rows[-1][0]) for printed, _ in t) and len(t[-1][1]) == len(rows[-1][1])]
        errors = []
        for table in candidates:
            try:
                check(table, rows, f"DOCX {lang} {number}")
                break
            except AssertionError as error:
                errors.append(str(error))
        else:
            raise AssertionError(errors or f"DOCX {lang}: no table with {label!r}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_lines_print_the_seed_rows(built: Path, lang: str) -> None:
    import subprocess

    text = subprocess.run(["pdftotext", "-layout", str(built / lang / "fascicle.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    lines = [re.sub(r"[\s\u00a0\u202f]+", " ", line).strip() for line in text.splitlines()]
    for number, rows in expected(lang).items():
        for label, cells in rows:
            printed = " ".join(c if c is not None else NIL for c in cells)
            # A long label may wrap in the PDF; the figures stay on the row's last line.
            assert any(line.endswith(printed) for line in lines), (number, label, printed)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_xlsx_sheets_hold_the_seed_figures(built: Path, lang: str) -> None:
    book = openpyxl.load_workbook(built / lang / "fascicle.xlsx", data_only=True)
    for number, rows in expected(lang).items():
        sheet = next(s for s in book if s.title.endswith(number))
        values = [(str(r[0].value or "").strip(), list(r[1:9])) for r in sheet.iter_rows()]
        printed = [(label, [_xlsx_text(c.value, c.number_format, lang) for c in cells]) for label, cells in values]
        check(printed, rows, f"XLSX {lang} {number}")


def _xlsx_text(value: object, number_format: str, lang: str) -> str:
    """What Excel shows for a cell of ours: 0 in a change column shows as a dash; thousands grouped as the
    reader's Excel groups them (a space in a Chinese edition of the UN's, a comma in an English one)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if value == 0 and '"—"' in number_format:
        return NIL
    places = 1 if "0.0" in number_format else 0
    return f"{value:,.{places}f}".replace(",", " " if lang == "zh" else ",")
