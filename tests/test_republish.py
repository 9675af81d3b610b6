"""Republish each development fascicle as Word and compare every budget table with the official file, cell by cell.

Both files are read on logical columns (`ingest.tables.logical`, over the rows Word flags as repeating headers),
so a cell's column is the model's whatever grid Word drew. Our DOCX prints each number as
`compute.general.evaluate` gives it, so it may differ from the source only where rounding of the printed lines
explains it (`rounding_explains`) or where the official document does not add up: those cells are listed in
GENUINE, each checked by hand against the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as open_document

import fascicle.checks.general as general_checks
from fascicle.compute.general import Evaluation, evaluate, numeric, operation, tables
from fascicle.ingest.importer import import_file
from fascicle.ingest.package import open_package
from fascicle.ingest.reader import Table as WordTable
from fascicle.ingest.reader import read_body
from fascicle.ingest.tables import logical, parse_number
from fascicle.model.general import Block, Section
from fascicle.model.text import Text
from fascicle.render.general_docx import format_number, write_docx

DATA = Path(__file__).resolve().parent / "data" / "fascicles"
FILES = ("a80-6-2026/A_80_6_Sect.2.docx", "a80-6-2026/A_80_6_Sect.9.docx", "a80-6-2026/A_80_6_Sect.12.docx",
         "a80-6-2026/A_80_6_Sect.13.docx", "a80-6-2026/A_80_6_Sect.24.docx", "a80-6-2026/A_80_6_Sect.29A.docx",
         "a81-6-2027/A_81_6_Sect.13_PartA.docx")

Where = tuple[str, int, int]
"""(table id, body row, logical column): a cell as the model and the evaluation index it."""

GENUINE: dict[str, dict[Where, str]] = {
    "A_80_6_Sect.2.docx": {
        ("2.48 (2)", 20, 2): "Total (1+2): the sub-tables' totals differ by (7), the change printed –",
    },
    "A_80_6_Sect.9.docx": {
        ("9.38", 6, 5): "P-4: 'Other' +2 printed, 'Total' of the changes printed –",
        ("9.38", 7, 5): "P-3: 'Other' +1 printed, 'Total' of the changes printed –",
        ("9.38", 9, 5): "Subtotal: 'Other' +3 printed, 'Total' of the changes printed –",
        ("9.38", 14, 5): "Total: 'Other' +3 printed, 'Total' of the changes printed –",
        ("9.40 (1)", 3, 5): "'Other' +2 printed, 'Total' of the changes printed –",
        ("9.40 (1)", 6, 5): "'Other' +1 printed, 'Total' of the changes printed –",
        ("9.40 (1)", 12, 5): "Subtotal, C: 'Other' +3 printed, 'Total' of the changes printed –",
        ("9.40 (1)", 14, 5): "'Other' +3 printed, 'Total' of the changes printed –",
        ("9.41", 5, 6): "Professional: 'Other' 3 printed, 'Total' of the changes printed –",
        ("9.41", 5, 7): "Professional: percentage printed – though the changes are 3",
        ("9.41", 7, 2): "2025 posts: 320 + 199 = 519, printed 499 (table 9.38 has 179 GS posts, not 199)",
        ("9.41", 7, 6): "Total: 'Other' 3 printed, 'Total' of the changes printed –",
        ("9.41", 7, 7): "Total: percentage printed – though the changes are 3",
        ("9.41", 7, 8): "2026 posts: follows the 499 above, 519 + 3 = 522, printed 502",
        ("9.46", 5, 6): "Professional: 'Other' printed, 'Total' of the changes printed –",
        ("9.46", 5, 7): "Professional: percentage printed – though there are changes",
        ("9.46", 7, 6): "Total: 'Other' printed, 'Total' of the changes printed –",
        ("9.46", 7, 7): "Total: percentage printed – though there are changes",
        ("9.49", 5, 6): "Professional: 'Other' printed, 'Total' of the changes printed –",
        ("9.49", 5, 7): "Professional: percentage printed – though there are changes",
        ("9.49", 7, 6): "Total: 'Other' printed, 'Total' of the changes printed –",
        ("9.49", 7, 7): "Total: percentage printed – though there are changes",
        ("9.55", 3, 1): "2024 expenditure: 4 031.7 + 14.5 = 4 046.2, printed 5 347.2",
    },
    "A_80_6_Sect.24.docx": {
        ("24.24 (3)", 9, 5): "Subtotal, 3: 2025 approved plus the changes is 238 346.1, printed 238 346.3 (0.2 off)",
        ("24.28", 1, 3): "Establishment: the row's columns add up to 5 565 700, 'Total new mandates' printed –",
        ("24.28", 2, 3): "Redeployment: the row's columns add up to (779 800), 'Total new mandates' printed –",
        ("24.28", 3, 3): "Conversion and redeployment: the row adds up to 173 300, 'Total new mandates' printed –",
        ("24.28", 6, 3): "Other staff costs: the row's columns add up to 3 494 400, 'Total new mandates' printed –",
        ("24.28", 7, 3): "Redeployment: the row's columns add up to (515 600), 'Total new mandates' printed –",
        ("24.28", 8, 3): "Conversion: the row's columns add up to (199 100), 'Total new mandates' printed –",
        ("24.33", 2, 7): "Non-post: the change is (1 414.7), the percentage printed 8.6 without parentheses",
        ("24.36", 3, 7): "Total: the change is +778.5, the percentage printed (2.2)",
        ("T68", 9, 12): "Annex III, posts Total 2025: the lines add up to 2 027, printed 2 024",
        ("T68", 9, 14): "Annex III, posts Total 2026: 2 027 plus the variance is 2 030, printed 2 027",
    },
    "A_80_6_Sect.29A.docx": {
        ("29A.43 (3)", 18, 2): "Total (1+2+3): 586 posts become 593, the change printed –",
    },
}


@dataclass(frozen=True)
class Republished:
    """A development file imported once, written as our DOCX, and both files' Word tables."""

    name: str
    section: Section
    evaluation: Evaluation
    source: list[WordTable]
    ours: list[WordTable]


def word_tables(path: Path) -> list[WordTable]:
    """The body tables of a Word file, in order."""
    package = open_package(path)
    try:
        return [block for block in read_body(package).blocks if isinstance(block, WordTable)]
    finally:
        package.close()


def writes_table(block: Block) -> bool:
    """Whether our writer emits a Word table for a block: a table, or a figure with chart data."""
    return block.table is not None or (block.kind == "figure" and block.chart is not None
                                       and bool(block.chart.series))


@pytest.fixture(scope="module", params=FILES, ids=lambda name: Path(name).name)
def republished(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Republished:
    """Import a development file once per module and write our DOCX of it."""
    path = DATA / request.param
    if not path.exists():
        pytest.skip(f"{path} is not available")
    section = import_file(path).section
    out = tmp_path_factory.mktemp("republish") / path.name
    write_docx(section, out)
    return Republished(path.name, section, evaluate(section), word_tables(path), word_tables(out))


def flagged(table: WordTable) -> int:
    """How many leading rows Word repeats as header rows (tblHeader)."""
    count = 0
    for row in table.rows:
        if not row.header:
            break
        count += 1
    return count


def on_columns(table: WordTable) -> WordTable:
    """A Word table read on the logical columns its flagged header rows name, as the importer reads it."""
    return logical(table, flagged(table))


def comparable(text: str) -> tuple[object, ...]:
    """A cell for comparison: a number by value, decimals and dash (spaces normalised), else collapsed text."""
    number = parse_number(text)
    if number is not None:
        return "number", number.value, number.decimals, number.dash
    return "text", " ".join(text.split())


def rounding_explains(item: Republished, where: Where, source: str, ours: str | None) -> bool:
    """Whether our computed cell differs from the printed one by no more than rounding its printed terms explains.

    The UN rounds every figure on its own and does not force totals to foot: a printed total, change total or
    result may be off the sum of its printed terms by half a unit of the last place per term, a percentage
    (computed from unrounded amounts) by one unit. The same rule as `checks.general` applies to printed cells."""
    printed, mine = parse_number(source), parse_number(ours or "")
    if printed is None or mine is None or printed.value is None or printed.decimals != mine.decimals:
        return False
    table_id, row, column = where
    table = tables(item.section)[table_id]
    computed = item.evaluation.cell(table_id, row, column)
    if computed is None or not numeric(table, row, column):
        return False
    return general_checks.rounding_explains(table, where, operation(table, row, column), computed, printed.value)


def mismatches(item: Republished) -> dict[Where, tuple[str, str | None]]:
    """Every non-empty body cell of a captioned source table that our table prints differently.

    Both files are read on logical columns, so a cell's column is the model's (and the evaluation's)."""
    emitted = [block for block in item.section.document.blocks if writes_table(block)]
    ours = [table for block, table in zip(emitted, item.ours, strict=True) if block.table is not None]
    models = [block.table for block in emitted if block.table is not None]
    found: dict[Where, tuple[str, str | None]] = {}
    for raw, written, model in zip(item.source, ours, models, strict=True):
        if model.number is None and not any(row.ref for row in model.rows):
            continue  # an uncaptioned list (of resolutions) is prose, not a budget table
        source, mine = on_columns(raw), on_columns(written)
        header = len(model.header)
        assert flagged(raw) == header, f"table {model.id}: the source flags {flagged(raw)} header rows, not {header}"
        assert flagged(written) == header, f"table {model.id}: {flagged(written)} header rows, not {header}"
        assert len(mine.rows) == len(source.rows), f"table {model.id}: {len(mine.rows)} rows, not {len(source.rows)}"
        for index, (theirs, row) in enumerate(zip(source.rows[header:], mine.rows[header:], strict=True)):
            cells = {cell.column: cell for cell in row.cells}
            for cell in theirs.cells:
                if not cell.value_text or cell.merged:
                    continue
                other = cells.get(cell.column)
                text = other.value_text if other else None
                where = (model.id, index, cell.column)
                if comparable(text or "") != comparable(cell.value_text) \
                        and not rounding_explains(item, where, cell.value_text, text):
                    found[where] = (cell.value_text, text)
    return found


def test_same_tables(republished: Republished) -> None:
    """Our file has one Word table per source table, plus one per chart's data."""
    emitted = [block for block in republished.section.document.blocks if writes_table(block)]
    assert len(republished.ours) == len(emitted)
    assert sum(block.table is not None for block in emitted) == len(republished.source)


def test_tables_match_the_source(republished: Republished) -> None:
    """Every captioned table prints what the source prints, except the listed inconsistencies of the source."""
    found = mismatches(republished)
    allowed = GENUINE.get(republished.name, {})
    unexpected = sorted((where, found[where]) for where in found if where not in allowed)
    stale = sorted(where for where in allowed if where not in found)
    shown = "\n".join(f"  table {t}, row {r}, column {c}: source {s!r}, ours {o!r}" for (t, r, c), (s, o)
                      in unexpected[:60])
    assert not unexpected, f"{len(unexpected)} cells differ from the source:\n{shown}"
    assert not stale, f"listed as inconsistent but printed as the source: {stale}"


@pytest.mark.parametrize(("value", "decimals", "dash", "printed"), [
    (Decimal("1277.55"), 1, False, "1 277.6"),
    (Decimal("-1277.6"), 1, False, "(1 277.6)"),
    (Decimal("1234567"), 0, False, "1 234 567"),
    (Decimal("999.96"), 1, False, "1 000.0"),
    (Decimal("0.25"), 1, False, "0.3"),
    (Decimal("-0.0"), 1, False, "(0.0)"),
    (Decimal(0), 1, False, "0.0"),
    (Decimal(0), 0, True, "\u2013"),
    (None, 0, True, "\u2013"),
    (None, 1, False, ""),
    (Decimal(12), 2, True, "12.00"),
])
def test_format_number(value: Decimal | None, decimals: int, dash: bool, printed: str) -> None:
    """Numbers print as the UN prints them: space thousands, half-up decimals, parentheses, en dash."""
    assert format_number(value, decimals, dash) == printed


def test_markup_is_text(tmp_path: Path) -> None:
    """A text with XML or field syntax is written as text, not markup."""
    section = import_file(DATA / FILES[6]).section if (DATA / FILES[6]).exists() else None
    if section is None:
        pytest.skip("development data is not available")
    hostile = "<w:p/>&amp; {{ PAGE }} ]]>"
    block = Block(kind="paragraph", number="1.1", text=Text(en=hostile))
    changed = section.model_copy(update={"document": section.document.model_copy(update={"blocks": (block,)})})
    out = tmp_path / "hostile.docx"
    write_docx(changed, out)
    assert any(hostile in p.text for p in open_document(str(out)).paragraphs)
