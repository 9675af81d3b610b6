"""Acknowledged findings: listed with who, when and why, no longer blocking; a stale acknowledgement warns."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from conftest import TINY, edit, line_of
from fascicle.checks.registry import run_checks
from fascicle.cli import app
from fascicle.source.load import bundled_path, load

runner = CliRunner()

ACK = """acknowledgements:
  - code: {code}
    location: {{file: printed.yaml, field: "{field}"}}
    reason: The source prints it so.
    who: Budget officer
    date: 2026-11-25
"""


def _disagreeing(tmp_path: Path) -> Path:
    # printed.yaml of the tiny budget prints regular.non_post 2024 proposed as 200.0; 201.0 disagrees.
    return edit(tmp_path, "printed", "value: 200.0", "value: 201.0")


def _figure_index(path: Path) -> int:
    """The index of the printed figure that now says 201.0, counted from the file itself."""
    lines = (path / "printed.yaml").read_text(encoding="utf-8").splitlines()
    entries = [text for text in lines if text.lstrip().startswith("- {ref:")]
    return next(index for index, text in enumerate(entries) if "value: 201.0" in text)


def test_an_acknowledged_error_is_listed_and_no_longer_blocks(tmp_path: Path) -> None:
    path = _disagreeing(tmp_path)
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 1
    (path / "acknowledgements.yaml").write_text(ACK.format(code="RES001", field=f"figures[{_figure_index(path)}]"),
                                                encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0
    line = line_of(path, "printed", "value: 201.0")
    assert f"printed.yaml:{line}: [RES001]" in result.stdout
    assert "[acknowledged by Budget officer, 2026-11-25: The source prints it so.]" in result.stdout
    [finding] = run_checks(load(path).budget)
    assert (finding.code, finding.severity, finding.blocking) == ("RES001", "error", False)
    assert finding.acknowledged is not None and finding.acknowledged.who == "Budget officer"


def test_an_acknowledgement_of_another_place_does_not_cover_the_error(tmp_path: Path) -> None:
    path = _disagreeing(tmp_path)
    other = _figure_index(path) + 1
    (path / "acknowledgements.yaml").write_text(ACK.format(code="RES001", field=f"figures[{other}]"),
                                                encoding="utf-8")
    found = {(f.code, f.severity, f.blocking) for f in run_checks(load(path).budget)}
    # The error still blocks, and the acknowledgement that matches nothing is a warning.
    assert found == {("RES001", "error", True), ("ACK001", "warning", False)}


def test_a_stale_acknowledgement_is_a_warning_at_its_line(tmp_path: Path) -> None:
    path = Path(shutil.copytree(TINY, tmp_path / "tiny"))
    (path / "acknowledgements.yaml").write_text(ACK.format(code="RES001", field="figures[0]"), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path), "--json"])
    data = json.loads(result.stdout)
    assert result.exit_code == 0
    assert [(f["code"], f["severity"], f["locations"][0]["line"]) for f in data["findings"]] == [
        ("ACK001", "warning", 2)]


def test_an_acknowledgement_needs_reason_who_and_a_real_date(tmp_path: Path) -> None:
    path = Path(shutil.copytree(TINY, tmp_path / "tiny"))
    text = ACK.format(code="RES001", field="figures[0]").replace("reason: The source prints it so.", 'reason: " "')
    (path / "acknowledgements.yaml").write_text(text.replace("2026-11-25", "2026-13-45"), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "acknowledgements.yaml:4:13: [LOAD] acknowledgements[0].reason:" in result.stderr
    assert "acknowledgements.yaml:6:11: [LOAD] acknowledgements[0].date:" in result.stderr


def test_the_seed_transposition_is_acknowledged_with_its_reason() -> None:
    result = runner.invoke(app, ["validate", "--json"])
    data = json.loads(result.stdout)
    assert result.exit_code == 0
    errors = [f for f in data["findings"] if f["severity"] == "error"]
    # Note a of Table 13.4 prints $19,037,400; Table 13.3 prints 19,073.4 thousand (A/78/6 (Sect. 13)).
    [error] = errors
    assert error["code"] == "RES001" and not error["blocking"]
    assert error["locations"][0]["line"] == line_of(bundled_path(), "printed", "value: 19037.4")
    assert "19,037,400" in error["acknowledged"]["reason"] and "19,073.4" in error["acknowledged"]["reason"]
    assert sorted(f["code"] for f in data["findings"] if f["severity"] == "warning") == ["MSR002"] * 4


def test_show_findings_lets_a_reviewer_see_the_acknowledgement() -> None:
    result = runner.invoke(app, ["show", "findings", "--json"])
    found = json.loads(result.stdout)
    assert result.exit_code == 0
    assert [(f["code"], f["blocking"], f["acknowledged"]["who"] if f["acknowledged"] else None)
            for f in found if f["severity"] == "error"] == [
        ("RES001", False, "Fascicle maintainers, for the ITC budget office")]
    table = runner.invoke(app, ["show", "findings"]).stdout
    assert "acknowledged" in table and "figures[34]" in table


def test_a_finding_with_two_locations_is_acknowledged_at_its_first(tmp_path: Path) -> None:
    # TXT002 points at the paragraph first and at the printed figure second; an acknowledgement names the first.
    path = edit(tmp_path, "performance", "Helped 120 users.", "Helped 121 users.")
    [entry] = json.loads(runner.invoke(app, ["validate", str(path), "--json"]).stdout)["findings"]
    first, second = entry["locations"]
    assert (entry["code"], first["file"].rsplit("/", 1)[-1], second["file"].rsplit("/", 1)[-1]) == (
        "TXT002", "performance.yaml", "printed.yaml")
    (path / "acknowledgements.yaml").write_text(ACK.format(code="TXT002", field=second["field"]), encoding="utf-8")
    assert {(f.code, f.blocking) for f in run_checks(load(path).budget)} == {("TXT002", True), ("ACK001", False)}
    text = ACK.format(code="TXT002", field=first["field"]).replace("file: printed.yaml", "file: performance.yaml")
    (path / "acknowledgements.yaml").write_text(text, encoding="utf-8")
    assert {(f.code, f.blocking) for f in run_checks(load(path).budget)} == {("TXT002", False)}
