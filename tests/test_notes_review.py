"""Review Z4: a table note never types a figure the data holds; it names it, and the document writes it out."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml

from conftest import edit, found, line_of
from fascicle.document.build import build
from fascicle.document.tree import TableBlock
from fascicle.source.load import Loaded

NOTE = ('  notes:\n    - mark: a\n      text: {zh: "份额为 {regular.post@2022 actual}。", '
        'en: "The share is {regular.post@2022 actual}."}\n')


def _note_a(itc: Loaded, lang: str) -> str:
    blocks = [b for b in build(itc.budget, lang).blocks if isinstance(b, TableBlock)]
    notes = [n for b in blocks for n in b.table.notes if n.startswith("a ")]
    assert notes, "Table 13.4 has its note a"
    return notes[-1]


def test_z4_note_a_writes_the_grant_from_table_13_3(itc: Loaded) -> None:
    """Note a of Table 13.4 says the UN share in dollars as Table 13.3 prints the 2022 grant, not A/78/6's
    transposed $19,037,400 (the figure read here from printed.yaml's record of Table 13.3, not from our code)."""
    root = Path(itc.root) if hasattr(itc, "root") else Path(__file__).parents[1] / "src/fascicle/data/itc-2024"
    printed = yaml.safe_load((root / "printed.yaml").read_text(encoding="utf-8"))["figures"]
    grant = next(Decimal(str(f["value"])) for f in printed
                 if f["ref"] == "un_grant.total" and f["period"] == "2022 actual" and "Table 13.3" in f["where"])
    whole = int(grant * 1000)
    assert f"${whole:,}" in _note_a(itc, "en")
    assert f"{whole:,}".replace(",", "\u00a0") + " 美元" in _note_a(itc, "zh")
    for lang in ("zh", "en"):
        assert "{" not in _note_a(itc, lang) and "19,037,400" not in _note_a(itc, lang)
        assert "19\u00a0037\u00a0400" not in _note_a(itc, lang)


def test_z4_a_named_figure_in_a_note_is_written_out(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", "extrabudgetary:\n", NOTE + "extrabudgetary:\n")
    assert not {f for f in found(path) if f[0] == "TXT004"}


def test_z4_a_note_naming_an_unknown_figure_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", "extrabudgetary:\n",
                NOTE.replace("regular.post@2022", "regular.postage@2022") + "extrabudgetary:\n")
    line = line_of(path, "resources", "regular.postage")
    assert {f for f in found(path) if f[0] == "TXT004"} == {("TXT004", "error", "resources.yaml", line)}


def test_z4_a_named_figure_outside_a_note_is_an_error(tmp_path: Path) -> None:
    path = edit(tmp_path, "plan", 'en: "Objective"', 'en: "Objective {regular.post@2022 actual}"')
    line = line_of(path, "plan", "regular.post@")
    assert {f for f in found(path) if f[0] == "TXT004"} == {("TXT004", "error", "plan.yaml", line)}


def test_z5_the_notes_marks_stand_in_the_heading_and_the_row_they_are_about(itc: Loaded) -> None:
    """Note a of Table 13.3 is marked on "2022 expenditure", note b on "Grants and contributions", as in the seed;
    note a of Table 13.4 on its "2022 expenditure"."""
    tables = {b.number: b.table for b in build(itc.budget, "en").blocks if isinstance(b, TableBlock) and b.number}
    grant = tables["Table 13.3"]
    assert {(grant.columns[c] if r < 0 else grant.rows[r].label, m) for r, c, m in grant.marks} == {
        ("2022 expenditure", "a"), ("Grants and contributions", "b")}
    sources = tables["Table 13.4"]
    assert [(sources.columns[c], m) for r, c, m in sources.marks if r < 0] == [("2022 expenditure", "a")]


def test_z5_a_mark_on_an_unknown_period_or_line_is_an_error(tmp_path: Path) -> None:
    note = NOTE.replace("    - mark: a\n", '    - mark: a\n      period: "2019 actual"\n      line: postage\n')
    path = edit(tmp_path, "resources", "extrabudgetary:\n", note + "extrabudgetary:\n")
    assert {f for f in found(path) if f[0] == "RES011"} == {
        ("RES011", "error", "resources.yaml", line_of(path, "resources", "2019 actual")),
        ("RES011", "error", "resources.yaml", line_of(path, "resources", "line: postage"))}
