"""The importer on every official Word file of the development set, and on Word files that are not fascicles.

Expected counts were read from the documents themselves (their XML, with grep, and their printed tables), not
from the importer: numbered paragraphs, captioned tables, figures, charts, subprogrammes and posts by grade.
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as WordDocument
from typer.testing import CliRunner

from fascicle.cli import app
from fascicle.compute.general import evaluate
from fascicle.compute.outline import subprogrammes
from fascicle.ingest.importer import import_file
from fascicle.model.general import Section

SET = Path(__file__).resolve().parent / "data" / "fascicles"
A80 = SET / "a80-6-2026"
runner = CliRunner()

# file: (numbered paragraphs, captioned tables, body tables, figure captions, charts)
COUNTS = {
    "A_80_6_Sect.2.docx": (233, 71, 88, 41, 23),
    "A_80_6_Sect.9.docx": (169, 55, 88, 23, 11),
    "A_80_6_Sect.12.docx": (110, 37, 51, 15, 6),
    "A_80_6_Sect.13.docx": (39, 8, 15, 4, 3),
    "A_80_6_Sect.24.docx": (151, 43, 68, 20, 11),
    "A_80_6_Sect.29A.docx": (176, 58, 77, 25, 12),
    "../a81-6-2027/A_81_6_Sect.13_PartA.docx": (25, 3, 7, 2, 2),
}
# file: subprogramme numbers of the programme of work, and components per subprogramme where there are any
SUBPROGRAMMES = {
    "A_80_6_Sect.2.docx": [1] + [2, 3, 4] * 4,  # subprogrammes 2-4 under each of four duty stations
    "A_80_6_Sect.9.docx": list(range(1, 10)),
    "A_80_6_Sect.12.docx": list(range(1, 6)),
    "A_80_6_Sect.13.docx": [6],
    "A_80_6_Sect.24.docx": list(range(1, 5)),
    "A_80_6_Sect.29A.docx": list(range(1, 6)),
}

_cache: dict[str, Section] = {}


def section(name: str) -> Section:
    """Each file is imported once per test session."""
    if name not in _cache:
        _cache[name] = import_file(A80 / name).section
    return _cache[name]


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_counts(name: str) -> None:
    blocks = section(name).document.blocks
    numbered = sum(1 for b in blocks if b.kind == "paragraph")
    captioned = len({b.table.number for b in blocks if b.table is not None and b.table.number})
    tables = sum(1 for b in blocks if b.kind == "table")
    figures = len({b.caption for b in blocks if b.kind in ("figure", "picture") and b.caption})
    charts = sum(1 for b in blocks if b.kind == "figure")
    assert (numbered, captioned, tables, figures, charts) == COUNTS[name]


@pytest.mark.parametrize("name", sorted(SUBPROGRAMMES))
def test_subprogrammes(name: str) -> None:
    found = subprogrammes(section(name))
    assert [s.number for s in found] == SUBPROGRAMMES[name]


def test_components_of_29a() -> None:
    found = {s.number: len(s.components) for s in subprogrammes(section("A_80_6_Sect.29A.docx"))}
    assert found == {1: 3, 2: 3, 3: 2, 4: 0, 5: 0}


def _figure(sec: Section, name: str, period: str) -> Decimal | None:
    figures = evaluate(sec).figures
    assert (name, period) in figures, f"no {name} for {period}"
    return figures[(name, period)]


def test_posts_by_grade_29a() -> None:
    # Table 29A.41, Overall: proposed posts by category and grade, read from the document.
    sec = section("A_80_6_Sect.29A.docx")
    approved = {"usg": 1, "asg": 2, "d-2": 8, "d-1": 18, "p-5": 36, "p-4": 49, "p-3": 42, "p-2-1": 25,
                "gs-pl": 20, "gs-ol": 73, "ll": 1}
    for grade, count in approved.items():
        assert _figure(sec, f"posts.regular.{grade}", "2025 approved") == count, grade
    assert _figure(sec, "posts.regular.total", "2025 approved") == 275
    assert _figure(sec, "posts.regular.total", "2026 proposed") == 282


def test_itc_2026_figures() -> None:
    sec = section("A_80_6_Sect.13.docx")
    assert _figure(sec, "regular.total", "2026 proposed") == Decimal("38431.3")
    assert _figure(sec, "un_grant.total", "2026 proposed") == Decimal("23376.8")
    assert _figure(sec, "un_grant.total", "2024 actual") == Decimal("21631.7")
    assert _figure(sec, "extrabudgetary.total", "2026 estimate") == Decimal("94530.0")
    assert _figure(sec, "posts.regular.total", "2025 approved") == 160
    assert _figure(sec, "posts.extrabudgetary.total", "2026 estimate") == 20
    assert _figure(sec, "exchange_rate", "2026 proposed") == Decimal("0.8220")


def test_identity() -> None:
    ident = section("A_80_6_Sect.29A.docx").fascicle
    assert (ident.symbol, ident.year, ident.part, ident.section) == ("A/80/6 (Sect. 29A)", 2026, "Part VIII", "29A")
    plan = import_file(SET / "a81-6-2027" / "A_81_6_Sect.13_PartA.docx").section.fascicle
    assert (plan.symbol, plan.year) == ("A/81/6 (Sect. 13)", 2027)  # its properties carry no "/Part A"


def test_import_writes_dataset_and_report(tmp_path: Path) -> None:
    out = tmp_path / "s13"
    result = runner.invoke(app, ["import", str(A80 / "A_80_6_Sect.13.docx"), "--out", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert sorted(p.name for p in out.iterdir()) == ["document.yaml", "fascicle.yaml", "figures.yaml",
                                                      "import-report.yaml", "printed.yaml"]
    report = (out / "import-report.yaml").read_text()
    assert "not_understood: 0" in report
    again = runner.invoke(app, ["validate", str(out)])
    assert again.exit_code == result.exit_code


def test_import_refuses_a_folder_of_other_files(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me")
    result = runner.invoke(app, ["import", str(A80 / "A_80_6_Sect.13.docx"), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "mine.txt" in result.output
    assert (tmp_path / "mine.txt").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.txt"]


def test_corrigendum_onto_section(tmp_path: Path) -> None:
    out = tmp_path / "s24"
    first = runner.invoke(app, ["import", str(A80 / "A_80_6_Sect.24.docx"), "--out", str(out)])
    assert first.exit_code in (0, 1), first.output
    alone = runner.invoke(app, ["import", str(A80 / "A_80_6_SECT.24__CORR.1.docx"), "--out", str(tmp_path / "c")])
    assert alone.exit_code == 2 and "--onto" in alone.output
    fixed = runner.invoke(app, ["import", str(A80 / "A_80_6_SECT.24__CORR.1.docx"), "--onto", str(out)])
    assert fixed.exit_code in (0, 1), fixed.output
    ident = (out / "fascicle.yaml").read_text()
    assert "A/80/6 (Sect. 24)/Corr.1" in ident
    document = (out / "document.yaml").read_text()
    assert "Replaced by A/80/6 (Sect. 24)/Corr.1 (paragraph 24.11" in document
    twice = runner.invoke(app, ["import", str(A80 / "A_80_6_SECT.24__CORR.1.docx"), "--onto", str(out)])
    assert twice.exit_code == 2 and "already applied" in twice.output


def _docx_bytes(paragraphs: list[str], table: bool = False) -> bytes:
    document = WordDocument()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        document.add_table(rows=1, cols=2)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _rewrite(data: bytes, part: str, change: object) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == part:
                content = change(content)  # type: ignore[operator]
            target.writestr(item, content)
    return buffer.getvalue()


def _fascicle_props(data: bytes) -> bytes:
    props = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats'
             '.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument'
             '/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Symbol1">'
             '<vt:lpwstr>A/80/6 (Sect. 99)</vt:lpwstr></property></Properties>')
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("docProps/custom.xml", props)
    return buffer.getvalue()


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("word/document.xml", b"<" + b"a" * (200 * 1024 * 1024) + b"/>")
    return buffer.getvalue()


def _laughs(data: bytes) -> bytes:
    def change(content: bytes) -> bytes:
        head = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        return head + content.split(b"?>", 1)[1].replace(b"</w:body>", b"<w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body>")
    return _rewrite(data, "word/document.xml", change)


def _empty_table(data: bytes) -> bytes:
    def change(content: bytes) -> bytes:
        start = content.index(b"<w:tbl>")
        end = content.index(b"</w:tbl>")
        return content[:start] + b"<w:tbl><w:tblPr/><w:tblGrid/>" + content[end:]
    return _rewrite(data, "word/document.xml", change)


BAD = {
    "not a zip": (lambda: b"%PDF-1.7 not a Word file", "not a Word file"),
    "zip that is not a document": (lambda: _rewrite(_docx_bytes(["x"]), "word/document.xml", lambda c: c)
                                   .replace(b"word/document.xml", b"word/documenx.xml"), "not a Word document"),
    "document that is not a fascicle": (lambda: _docx_bytes(["Minutes of the staff picnic", "We had fun."]),
                                        "not a fascicle"),
    "empty table": (lambda: _empty_table(_fascicle_props(_docx_bytes(["Section 99"], table=True))), "no rows"),
    "zip bomb": (_bomb, "zip bomb"),
    "entities": (lambda: _laughs(_fascicle_props(_docx_bytes(["Section 99"]))), "DOCTYPE"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_word_files_exit_2_and_write_nothing(case: str, tmp_path: Path) -> None:
    make, message = BAD[case]
    file = tmp_path / "bad.docx"
    file.write_bytes(make())
    out = tmp_path / "out"
    result = runner.invoke(app, ["import", str(file), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "bad.docx" in result.output
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.docx"]
