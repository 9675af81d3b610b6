"""The XLSX findings of the ITC 2024 output review (reviews/itc-2024-outputs.md, section 4, X1-X7): the draft
mark, the unit lines, the sheet names, bold subtotals, frozen panes and print setup, and the percentage column
as a formula. Each test builds or opens the workbook and checks what a reader of it gets."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from fascicle.cli import app
from fascicle.document.build import build, figure_number
from fascicle.document.labels import label
from fascicle.document.table import Row, Table
from fascicle.document.tree import Document, FigureBlock, TableBlock
from fascicle.render.xlsx import write_xlsx
from fascicle.source.load import Loaded, bundled_path

LANGS = ("zh", "en")
PERCENT = re.compile(r"=IF\(([A-Z]+)([0-9]+)=0,0,ROUND\(([A-Z]+)([0-9]+)/([A-Z]+)([0-9]+)\*100,1\)\)")
SUM = re.compile(r"=SUM\([A-Z]+[0-9]+(?:,[A-Z]+[0-9]+)*\)")


@dataclass(frozen=True)
class Books:
    final: Path
    draft: Path

    def path(self, lang: str, draft: bool) -> Path:
        return (self.draft if draft else self.final) / lang / "fascicle.xlsx"


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> Books:
    """The bundled fascicle built as the CLI builds it: as it stands (final), and without its acknowledgement
    forced past the error it then has (a draft). XLSX only, Chinese and English."""
    root = tmp_path_factory.mktemp("xlsx-review")
    runner = CliRunner()
    final = runner.invoke(app, ["build", "--out", str(root / "final"), "--format", "xlsx", "--lang", "zh,en"])
    assert final.exit_code == 0, final.output
    data = Path(shutil.copytree(bundled_path(), root / "data"))
    (data / "acknowledgements.yaml").unlink()
    forced = runner.invoke(app, ["build", str(data), "--out", str(root / "draft"), "--format", "xlsx", "--lang",
                                 "zh,en", "--force"])
    assert forced.exit_code == 0, forced.output
    return Books(root / "final", root / "draft")


@pytest.fixture(scope="module")
def documents(itc: Loaded) -> dict[str, Document]:
    return {lang: build(itc.budget, lang) for lang in LANGS}


def _open(books: Books, lang: str, draft: bool, data_only: bool = False) -> openpyxl.Workbook:
    return openpyxl.load_workbook(books.path(lang, draft), data_only=data_only)


def _texts(sheet: Worksheet) -> list[str]:
    return [str(c.value) for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]


def _sheets_of(book: openpyxl.Workbook, number: str) -> list[Worksheet]:
    return [s for s in book if s.title == number or s.title.startswith(f"{number} ")]


# X1: the draft mark -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_x1_draft_mark_on_every_sheet(books: Books, lang: str) -> None:
    book = _open(books, lang, draft=True)
    note, mark = label("draft_note", lang), label("draft", lang)
    assert len(book.worksheets) >= 14
    for sheet in book:
        assert sheet["A1"].value == note, sheet.title
        assert sheet["A1"].font.b, sheet.title
        # The header and footer of every printed page: the mark, in bold.
        for part in (sheet.oddHeader.center, sheet.oddFooter.center):
            assert part.text == mark and part.font is not None and "Bold" in part.font, sheet.title
    assert mark in (book.properties.keywords or "") and "DRAFT" in (book.properties.keywords or "")
    assert book.properties.subject == note
    assert book.properties.contentStatus == mark


@pytest.mark.parametrize("lang", LANGS)
def test_x1_no_draft_mark_on_a_final_build(books: Books, lang: str) -> None:
    book = _open(books, lang, draft=False)
    note, mark = label("draft_note", lang), label("draft", lang)
    for sheet in book:
        assert note not in _texts(sheet), sheet.title
        assert not sheet.oddHeader.center.text and not sheet.oddFooter.center.text, sheet.title
    assert not book.properties.keywords and not book.properties.subject
    assert book.properties.contentStatus != mark


# X2: the unit line ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_x2_unit_line_under_the_title_from_the_tree(books: Books, documents: dict[str, Document],
                                                    lang: str) -> None:
    final, draft = _open(books, lang, draft=False), _open(books, lang, draft=True)
    checked = 0
    for block in documents[lang].blocks:
        if not isinstance(block, TableBlock | FigureBlock) or block.number is None:
            continue
        sheets = _sheets_of(final, block.number)
        # A table in parts (Z8) has a sheet for each: "Table 13.4", then "Table 13.4 (2)".
        parts = 1 + sum(isinstance(b, TableBlock) and b.continues == block.number for b in documents[lang].blocks)
        assert len(sheets) == (parts if isinstance(block, TableBlock) else len(block.data)), block.number
        for index, sheet in enumerate(sheets):
            title = f"{block.number} {block.title}" + (f" ({index + 1})" if index and isinstance(block, TableBlock)
                                                       else "")
            assert sheet["A1"].value == title
            # A2 under the title (A3 under the draft line), as the tree gives it; nothing when it gives none.
            assert sheet["A2"].value == block.unit, sheet.title
            assert draft[sheet.title]["A3"].value == block.unit, sheet.title
            checked += block.unit is not None
    assert checked >= 7
    # What the reviewer found missing, word for word.
    units = {"zh": ("(千美元)", "(千瑞士法郎)", "(员额数目)"),
             "en": ("(Thousands of United States dollars)", "(Thousands of Swiss francs)", "(Number of posts)")}
    table = label("table_title", lang, n="13.{}")
    assert [final[table.format(n)]["A2"].value for n in (3, 4, 6)] == list(units[lang])


# X3: a unit for the transactions of Figure 13.I --------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_x3_figure_13_i_rows_as_the_tree_labels_them(books: Books, documents: dict[str, Document],
                                                     lang: str) -> None:
    figure = next(b for b in documents[lang].blocks if isinstance(b, FigureBlock)
                  and b.number == figure_number("13.I", lang))
    sheet = _open(books, lang, draft=False)[figure.number]
    labels = [str(sheet.cell(4 + i, 1).value).strip() for i in range(len(figure.data[0].rows))]
    assert labels == [row.label for row in figure.data[0].rows]
    assert sheet["B5"].value == 1279 and sheet["C5"].value == 1093


@pytest.mark.parametrize("lang", LANGS)
def test_x3_transactions_row_names_its_unit(books: Books, lang: str) -> None:
    sheet = _open(books, lang, draft=False)[figure_number("13.I", lang)]
    unit = {"zh": "百万美元", "en": "millions of United States dollars"}[lang]
    assert unit in str(sheet["A5"].value) or unit in str(sheet["A2"].value)


# X4: sheet names --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_x4_sheet_names_are_valid_unique_and_say_what_they_hold(books: Books, documents: dict[str, Document],
                                                                lang: str) -> None:
    book = _open(books, lang, draft=False)
    names = book.sheetnames
    assert all(0 < len(n) <= 31 and not set("[]:*?/\\") & set(n) for n in names), names
    assert len({n.lower() for n in names}) == len(names)
    tables = sum(1 if isinstance(b, TableBlock) else len(b.data) for b in documents[lang].blocks
                 if isinstance(b, TableBlock | FigureBlock))
    assert len(names) == tables + 1  # and the cover
    assert names[0] == label("cover_sheet", lang)
    # No opaque "… 2": the two sheets of Figure 13.IV say which is the posts and which the money.
    number = figure_number("13.IV", lang)
    assert not any(re.search(r" [0-9]+$", n) for n in names), names
    wanted = {"zh": [f"{number} (员额)", f"{number} (财政资源)"],
              "en": [f"{number} (posts)", f"{number} (financial)"]}[lang]
    assert [s.title for s in _sheets_of(book, number)] == wanted
    assert [s["B3"].value for s in _sheets_of(book, number)] == [label("posts_distribution", lang),
                                                                 label("financial_distribution", lang)]
    # The annex sheets keep their year.
    annex = {"zh": ["A. 2023 年组织结构和员额分配", "B. 2024 年组织结构和员额分配"],
             "en": ["Annex I A (2023)", "Annex I B (2024)"]}[lang]
    assert all(n in names for n in annex), names
    assert ["2023" in str(book[annex[0]]["A1"].value), "2024" in str(book[annex[1]]["A1"].value)] == [True, True]


def test_x4_zh_sheet_names_use_chinese_figure_numerals(books: Books) -> None:
    # As the seed's text and UN Chinese style write them (review Z3), the tree's numbers, never retyped here.
    names = _open(books, "zh", draft=False).sheetnames
    assert {"图 13.一", "图 13.二", "图 13.四 (员额)", "图 13.四 (财政资源)"} <= set(names), names
    assert not any(re.match(r"图 13\.[IVX]", n) for n in names), names


# X6: bold subtotals, frozen panes, print setup ------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_x6_subtotal_rows_are_bold(books: Books, lang: str) -> None:
    sheet = _open(books, lang, draft=False)[label("table_title", lang, n="13.2")]
    subtotals = [row for row in sheet.iter_rows(min_row=4) if isinstance(row[1].value, str)
                 and SUM.fullmatch(row[1].value)]
    assert len(subtotals) == 5
    assert all(c.font.b for row in subtotals for c in row[:5] if c.value is not None)
    items = [row for row in sheet.iter_rows(min_row=4) if isinstance(row[1].value, int)]
    assert items and not any(c.font.b for row in items for c in row[:5])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("draft", [False, True])
def test_x6_frozen_headings_and_a4_landscape_with_title_rows(books: Books, lang: str, draft: bool) -> None:
    book = _open(books, lang, draft=draft)
    heading_row = 4 if draft else 3
    for sheet in book.worksheets[1:]:  # every sheet of a table; the cover (the first) is a page of text
        # Frozen under the column headings and right of the row labels.
        assert sheet.freeze_panes == f"B{heading_row + 1}", sheet.title
        assert sheet[f"A{heading_row + 1}"].value or sheet[f"B{heading_row}"].value, sheet.title
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert int(sheet.page_setup.paperSize) == 9, sheet.title  # A4
        assert sheet.print_title_rows == f"$1:${heading_row}", sheet.title
        # One page wide (1 is the default, which Excel leaves unwritten), as many pages down as it takes.
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth in (None, 1)
        assert sheet.page_setup.fitToHeight == 0


# X7: the percentage column ----------------------------------------------------------------------------------------


def _percent_cells(sheet: Worksheet, lang: str) -> list[tuple[int, int]]:
    heading = next(c for c in sheet[3] if c.value == label("percent", lang))
    return [(row, heading.column) for row in range(4, sheet.max_row + 1)
            if sheet.cell(row, heading.column).value is not None]


def _evaluate(formula: str, row: int, column: str, values: dict[str, float]) -> float:
    """The value of our percentage formula, computed from the cells it names."""
    match = PERCENT.fullmatch(formula)
    assert match, formula
    base_col, base_row, change_col, change_row, divisor_col, divisor_row = match.groups()
    assert base_row == change_row == divisor_row == str(row) and base_col == divisor_col
    base, change = values.get(f"{base_col}{row}") or 0, values.get(f"{change_col}{row}") or 0
    if base == 0:
        return 0.0
    return float(Decimal(repr(change / base * 100)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@pytest.mark.parametrize("lang", LANGS)
def test_x7_percentage_is_a_formula_with_its_value(books: Books, lang: str) -> None:
    formulas, cached = _open(books, lang, draft=False), _open(books, lang, draft=False, data_only=True)
    checked = 0
    for n in ("13.3", "13.4", "13.4 (2)", "13.5"):
        name = label("table_title", lang, n=n.split()[0]) + n[4:]
        sheet, values = formulas[name], {c.coordinate: c.value for row in cached[name].iter_rows() for c in row
                                         if isinstance(c.value, int | float)}
        for row, column in _percent_cells(sheet, lang):
            cell = sheet.cell(row, column)
            assert cell.data_type == "f", (name, cell.coordinate, cell.value)
            # Against the base (current year) and the total change of the same row, as the table computes it.
            # The total change is G after three change columns; the extrabudgetary part (Z8) has one, D.
            change = "D" if n.endswith("(2)") else "G"
            assert PERCENT.fullmatch(str(cell.value)).groups()[::2] == ("C", change, "C")  # type: ignore[union-attr]
            assert _evaluate(str(cell.value), row, cell.column_letter, values) == values[cell.coordinate]
            assert cell.number_format.endswith('"—"')
            checked += 1
    assert checked == 2 + 2 + 3 + 6


def _with_changes(document: Document) -> tuple[Document, Table]:
    """The English document with Table 13.3's grant changed: +1,234.5 on a base of 20,457.6 (6.0 %), and a total
    row whose printed percentage (9.9) is not the formula's."""
    block = next(b for b in document.blocks if isinstance(b, TableBlock) and b.table.id == "table-grant")
    item, total = block.table.rows
    d = Decimal
    cells = (d("19073.4"), d("20457.6"), d("1000.0"), d("234.5"), None, d("1234.5"), d("6.0"), d("21692.1"))
    rows = (replace(item, cells=cells), Row(total.label, (*cells[:6], d("9.9"), cells[7]), 0, "total"))
    table = replace(block.table, rows=rows)
    blocks = tuple(replace(b, table=table) if b is block else b for b in document.blocks)
    return replace(document, blocks=blocks), table


def test_x7_percentage_formula_recomputes_a_real_change(documents: dict[str, Document], tmp_path: Path) -> None:
    document, table = _with_changes(documents["en"])
    path = write_xlsx(document, tmp_path / "changed.xlsx")
    sheet = openpyxl.load_workbook(path)["Table 13.3"]
    cached = openpyxl.load_workbook(path, data_only=True)["Table 13.3"]
    values = {c.coordinate: c.value for row in cached.iter_rows() for c in row if isinstance(c.value, int | float)}
    assert sheet["H4"].value == "=IF(C4=0,0,ROUND(G4/C4*100,1))"
    assert cached["H4"].value == 6.0 == _evaluate(sheet["H4"].value, 4, "H", values)
    assert _evaluate(sheet["H4"].value, 4, "H", {**values, "G4": 2000.0}) == 9.8  # it does depend on the row
    # A printed figure the formula would not give stays the number printed, not a formula that disagrees.
    assert sheet["H5"].value == 9.9 and sheet["H5"].data_type == "n"
    assert table.rows[1].cells[6] == Decimal("9.9")


# What the file already guaranteed ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("draft", [False, True])
def test_only_our_own_formulas(books: Books, lang: str, draft: bool) -> None:
    book = _open(books, lang, draft=draft)
    formulas = [str(c.value) for s in book for row in s.iter_rows() for c in row if c.data_type == "f"]
    assert len(formulas) >= 50
    assert [f for f in formulas if not (SUM.fullmatch(f) or PERCENT.fullmatch(f))] == []


def test_text_that_looks_like_a_formula_stays_text(documents: dict[str, Document], tmp_path: Path) -> None:
    document, table = _with_changes(documents["en"])
    item = replace(table.rows[0], label="=1+1")
    tricked = replace(table, rows=(item, table.rows[1]), columns=("=HYPERLINK(\"x\")", *table.columns[1:]), marks=())
    blocks = tuple(replace(b, table=tricked, unit="=2*3") if isinstance(b, TableBlock) and b.table is table
                   else b for b in document.blocks)
    path = write_xlsx(replace(document, blocks=blocks, draft=True), tmp_path / "tricked.xlsx")
    sheet = openpyxl.load_workbook(path)["Table 13.3"]
    assert [(sheet[a].value, sheet[a].data_type) for a in ("A3", "A4", "A5")] == [
        ("=2*3", "s"), ('=HYPERLINK("x")', "s"), ("=1+1", "s")]
