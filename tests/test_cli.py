"""The command line: exit codes, output shapes and the commands on the bundled data."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from conftest import TINY, edit
from fascicle.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout


def test_validate_exit_codes(tmp_path: Path) -> None:
    assert run("validate", str(TINY))[0] == 0
    # ITC's one error (RES001, note a of Table 13.4) is acknowledged in acknowledgements.yaml: listed, not blocking.
    code, output = run("validate")
    assert code == 0 and "printed.yaml:" in output and "[RES001]" in output
    wrong = edit(tmp_path / "wrong", "compliance", '"2022 actual": 67', '"2022 actual": 167')
    assert run("validate", str(wrong))[0] == 1
    broken = edit(tmp_path, "compliance", "- {id: tickets,", "- {id: tickets, colour: red,")
    code, _ = run("validate", str(broken))
    assert code == 2


def test_validate_prints_file_line_code(tmp_path: Path) -> None:
    path = edit(tmp_path, "compliance", '"2022 actual": 67', '"2022 actual": 167')
    code, output = run("validate", str(path))
    assert code == 1
    assert output.strip().endswith("compliance.yaml:3: [CMP001] tickets 2022 actual: 167 per cent")


def test_validate_json() -> None:
    code, output = run("validate", "--json")
    data = json.loads(output)
    assert code == 0
    assert {(f["code"], f["blocking"]) for f in data["findings"] if f["severity"] == "error"} == {("RES001", False)}


def test_show_tables_in_both_languages() -> None:
    code, output = run("show", "resources", "--lang", "zh")
    assert code == 0 and "37\u00a0936.5" in output and "赠款和捐助款" in output
    code, output = run("show", "posts", "--json")
    tables = json.loads(output)
    total = next(r for r in tables[0]["rows"] if r["kind"] == "total")
    assert code == 0 and total["cells"] == ["160", "0", "160"]
    for name in ("structure", "changes", "deliverables", "measures", "compliance"):
        assert run("show", name)[0] == 0
    assert run("show", str(TINY), "structure", "--year", "2023")[0] == 0
    assert run("show", "nonsense")[0] == 2


def test_diff_two_years_and_two_datasets(tmp_path: Path) -> None:
    code, output = run("diff", "2023", "2024", "--json")
    data = json.loads(output)
    assert code == 0
    moves = [r["cells"] for r in data["tables"][0]["rows"] if r["label"] == "Redeployed"]
    assert ["D-1", "Office of the Executive Director", "Division of Sustainable and Inclusive Trade", "1"] in moves
    rows = {f["ref"]: (f["period"], f["old"], f["new"], f["delta"]) for f in data["figures"]}
    # Table 13.2, item 8 (field and technical cooperation projects): 135 planned for 2023, 140 for 2024.
    assert rows["deliverables.item.8"] == ("2023 planned → 2024 planned", "135", "140", "5")
    # No regular-budget total changes: Table 13.4 prints 37,936.5 for 2023 and for 2024.
    assert "regular.total" not in rows and "resources.total" not in rows
    changed = edit(tmp_path, "resources", '"2024 proposed": 50.0', '"2024 proposed": 60.0')
    code, output = run("diff", str(TINY), str(changed), "--json")
    refs = {(f["ref"], f["delta"]) for f in json.loads(output)["figures"]}
    assert ("regular.total", "10.0") in refs and ("regular.travel", "10.0") in refs


def test_recost(tmp_path: Path) -> None:
    inflation = tmp_path / "inflation.yaml"
    inflation.write_text("rates:\n  - {applies_to: all, effective: 2024-01-01, percent: 2.0}\n", encoding="utf-8")
    code, output = run("recost", "--rate", "CHF/USD=0.90", "--inflation", str(inflation), "--json")
    data = json.loads(output)
    assert code == 0 and data["total_after"] == "38695.2"  # 29 780.0 × 1.02 + 8 156.5 × 1.02, each half up
    assert run("recost", "--rate", "USD=1")[0] == 2
    inflation.write_text("rates:\n  - {applies_to: all, effective: 2024-01-01, percent: 2.0e+0}\n", encoding="utf-8")
    assert run("recost", "--rate", "CHF/USD=0.90", "--inflation", str(inflation))[0] == 2


def test_synth_writes_valid_sections(tmp_path: Path) -> None:
    assert run("synth", "--scale", "4", "--out", str(tmp_path))[0] == 0
    sections = sorted(p.name for p in tmp_path.iterdir())
    assert sections == ["section-01", "section-02"]
    code, output = run("validate", str(tmp_path), "--json")
    data = json.loads(output)
    assert code == 0 and data["sections"] == 2
    assert not [f for f in data["findings"] if f["severity"] == "error"]


def test_checks_catalogue() -> None:
    code, output = run("checks", "--json")
    entries = {entry["code"]: entry for entry in json.loads(output)}
    assert code == 0 and entries["RES001"]["severity"] == "error" and entries["MSR002"]["severity"] == "warning"


def test_show_a_numbered_table_as_published() -> None:
    code, output = run("show", "13.6", "--json")
    [table] = json.loads(output)
    assert code == 0 and table["title"].startswith("Table 13.6")
    assert table["rows"][0]["cells"] == ["160", "1 ASG, 1 D-2, 5 D-1, 21 P-5, 29 P-4, 20 P-3, 14 P-2/1, 69 GS (OL)"]
    assert run("show", "13.9")[0] == 2
    assert run("show", "resources", "--year", "2023")[0] == 2
    assert run("show", "posts", "--lang", "xx")[0] == 2


def test_measures_against_targets() -> None:
    code, output = run("show", "measures", "--json")
    rows = {row["label"]: row["cells"][-1] for row in json.loads(output)[0]["rows"]}
    assert code == 0
    assert rows["figure 13.I: Number of users of ITC global public goods (cumulative)"] == "114.6"


def test_diff_two_years_lists_the_figures_that_changed() -> None:
    code, output = run("diff", "2023", "2024", "--path", str(TINY), "--json")
    assert code == 0
    rows = {f["ref"]: (f["period"], f["old"], f["new"], f["delta"]) for f in json.loads(output)["figures"]}
    # tests/data/tiny, 2023 against 2024 (the whole derivation is in test_compute.test_year_changes_of_the_tiny_budget):
    # gross 1000.0 → 1010.0 (misc. income), travel and consultants only in 2024, unit A loses a P-4, B becomes C.
    units = [f"posts.{s}.unit.{u}{g}" for s in ("all", "rb") for u, grades in
             (("A", ("", ".grade.P-4")), ("B", ("", ".grade.GS (OL)", ".grade.P-3")),
              ("C", ("", ".grade.GS (OL)", ".grade.P-3", ".grade.P-4"))) for g in grades]
    assert list(rows) == sorted(["compliance.tickets", "deliverables.item.1", "deliverables.training", "exchange_rate",
                                 "measure.users", *units, "regular.consultants", "regular.gross",
                                 "regular.misc_income", "regular.travel"])
    assert rows["regular.gross"] == ("2023 approved → 2024 proposed", "1000.0", "1010.0", "10.0")
    assert rows["posts.rb.unit.A"] == ("2023 approved → 2024 proposed", "5", "4", "-1")
    assert rows["posts.all.unit.A"] == ("2023 approved → 2024 proposed", "6", "5", "-1")
    assert rows["posts.rb.unit.B"] == ("2023 approved → ", "3", None, None)
    assert rows["regular.misc_income"] == (" → 2024 proposed", None, "10.0", None)
    assert rows["deliverables.training"] == ("2023 planned → 2024 planned", "15", "17", "2")
