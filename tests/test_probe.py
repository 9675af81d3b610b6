"""Regressions of the reliability probe (shared/reviews/reliability-probe.md), each named by its case id:
malformed or hostile input gets a located error or a finding, never a traceback, a hang or exhausted memory."""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import TINY, edit, found, line_of, tiny
from fascicle.cli import app
from fascicle.source.errors import LoadError, SourceError
from fascicle.source.load import load

runner = CliRunner()


def errors(path: Path) -> list[tuple[str, int, int, str]]:
    """(file, line, column, field) of every load error; the message is asserted separately where it matters."""
    with pytest.raises(LoadError) as caught:
        load(path)
    return [(e.file, e.line, e.column, e.field) for e in caught.value.errors]


def the_error(path: Path) -> SourceError:
    with pytest.raises(LoadError) as caught:
        load(path)
    [error] = caught.value.errors
    return error


def write(path: Path, part: str, data: bytes) -> Path:
    (path / f"{part}.yaml").write_bytes(data)
    return path


def copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(TINY, tmp_path / "tiny"))


# Text the file cannot hold ------------------------------------------------------------------------------------

def test_y04_a_latin1_byte_is_reported_at_its_line_and_column(tmp_path: Path) -> None:
    path = copy(tmp_path)
    text = (path / "section.yaml").read_bytes().replace(b'entity: TINY', b'entity: T\xadINY')
    error = the_error(write(path, "section", text))
    assert (error.file, error.line, error.column) == ("section.yaml", 1, 10)
    assert error.message == "byte 0xAD is not UTF-8: save the file as UTF-8"


@pytest.mark.parametrize(("case", "char"), [("y16", "\x00"), ("y21", "\x1b"), ("y22", "\x07")])
def test_y16_y21_y22_control_characters_are_located(tmp_path: Path, case: str, char: str) -> None:
    path = copy(tmp_path)
    text = (path / "section.yaml").read_text(encoding="utf-8")
    # The second one is in a comment: still refused, since no output can carry it.
    text = text.replace("Tiny Centre", f"Tiny{char}Centre") + f"# note{char}\n"
    error = the_error(write(path, "section", text.encode()))
    assert (error.file, error.line, error.column) == ("section.yaml", 2, 28)
    assert error.message == f"control character U+{ord(char):04X} is not allowed in a source file"


@pytest.mark.parametrize("escape", ["\\x01", "\\0", "\\e", "\\uFFFE", "\\N", "\\L"])
def test_d01_control_characters_written_as_yaml_escapes_are_located(tmp_path: Path, escape: str) -> None:
    path = edit(tmp_path, "section", 'en: "Tiny Centre"', f'en: "Tiny{escape}Centre"')
    error = the_error(path)
    assert (error.file, error.line, error.column, error.field) == ("section.yaml", 2, 23, "name.en")
    assert "is not allowed in text" in error.message


def test_d01_a_control_character_in_a_key_is_located(tmp_path: Path) -> None:
    path = edit(tmp_path, "section", "entity: TINY", '"ent\\x01ity": TINY')
    assert errors(path) == [("section.yaml", 1, 1, "")]


# Files that are not what they seem ----------------------------------------------------------------------------

def test_y09_an_unknown_file_in_a_section_is_reported(tmp_path: Path) -> None:
    path = copy(tmp_path)
    (path / "resourcs.yaml").write_text("x: 1\n", encoding="utf-8")
    (path / ".hidden").write_text("editors leave these\n", encoding="utf-8")
    error = the_error(path)
    assert (error.file, error.line) == ("resourcs.yaml", 1)
    assert error.message.startswith("not a part of a section")


def test_y12_a_symlink_loop_is_named_as_such(tmp_path: Path) -> None:
    path = copy(tmp_path)
    (path / "oversight.yaml").unlink()
    (path / "oversight.yaml").symlink_to("oversight.yaml")
    error = the_error(path)
    assert (error.file, error.message) == ("oversight.yaml", "a symbolic link that loops")


def test_y18_a_symlink_out_of_the_dataset_is_refused(tmp_path: Path) -> None:
    path = copy(tmp_path)
    (path / "oversight.yaml").unlink()
    (path / "oversight.yaml").symlink_to("/dev/zero")
    error = the_error(path)
    assert error.file == "oversight.yaml" and error.message.startswith("a symbolic link out of the dataset")


def test_a_symlink_inside_the_section_is_followed(tmp_path: Path) -> None:
    path = copy(tmp_path)
    (path / ".shared").mkdir()
    (path / "oversight.yaml").rename(path / ".shared" / "oversight.yaml")
    (path / "oversight.yaml").symlink_to(Path(".shared") / "oversight.yaml")
    assert load(path).budget.oversight is not None


def test_y17_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    path = copy(tmp_path)
    (path / "oversight.yaml").unlink()
    os.mkfifo(path / "oversight.yaml")
    outcome: list[SourceError] = []
    worker = threading.Thread(target=lambda: outcome.append(the_error(path)), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "loading a FIFO hangs"
    assert outcome[0].file == "oversight.yaml" and outcome[0].message.startswith("not a regular file")


def test_s03_a_file_over_the_size_limit_is_refused_and_the_limit_can_be_raised(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = copy(tmp_path)
    text = (path / "oversight.yaml").read_text(encoding="utf-8")
    padded = text + "#" + "x" * (1024 * 1024) + "\n"
    write(path, "oversight", padded.encode())
    monkeypatch.setenv("FASCICLE_MAX_FILE_MB", "1")
    error = the_error(path)
    assert error.file == "oversight.yaml"
    assert error.message == ("1.0 MB, over the limit of 1 MB for one source file; if the file is genuine, raise "
                             "the limit with FASCICLE_MAX_FILE_MB=<megabytes>")
    monkeypatch.setenv("FASCICLE_MAX_FILE_MB", "2")
    assert load(path).budget.oversight is not None


# YAML that expands -------------------------------------------------------------------------------------------

def laughs(levels: int, width: int) -> str:
    lines = ['a0: &a0 ["lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("case", "levels", "width"), [("b01", 9, 10), ("b02", 6, 10)])
def test_b01_b02_alias_expansion_is_bounded(tmp_path: Path, case: str, levels: int, width: int) -> None:
    path = write(copy(tmp_path), "oversight", laughs(levels, width).encode())
    error = the_error(path)
    assert error.file == "oversight.yaml" and error.message.startswith("aliases expand to more values")


def test_an_alias_that_contains_itself_is_refused(tmp_path: Path) -> None:
    path = write(copy(tmp_path), "oversight", b"a: &x [1, *x]\n")
    error = the_error(path)
    assert (error.file, error.line, error.column) == ("oversight.yaml", 1, 4)
    assert error.message.startswith("an alias refers to a value that contains it")


def test_a_few_honest_aliases_still_load(tmp_path: Path) -> None:
    path = edit(tmp_path, "section", 'name: {zh: "小中心", en: "Tiny Centre"}',
                'name: &name {zh: "小中心", en: "Tiny Centre"}')
    text = (path / "section.yaml").read_text(encoding="utf-8")
    text = text.replace('title: {zh: "第 7 款", en: "Section 7"}', "title: *name")
    write(path, "section", text.encode())
    assert load(path).budget.section.title.en == "Tiny Centre"


# Figures out of range ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("case", "figure", "message"), [
    ("w05", "1234567890123456789012345.5", "more than 24 digits"),
    ("w06", "12345678901234567.5", "a figure is at least -1,000,000,000,000,000 and at most 1,000,000,000,000,000"),
    ("w21", "1" + "0" * 400 + ".0", "more than 24 digits"),
    ("precision", "50.1234567", "a figure has at most 6 decimal places"),
])
def test_w05_w06_w21_figures_have_a_range_and_precision(tmp_path: Path, case: str, figure: str,
                                                        message: str) -> None:
    path = edit(tmp_path, "resources", '"2024 proposed": 50.0}', f'"2024 proposed": {figure}}}')
    error = the_error(path)
    assert (error.file, error.line) == ("resources.yaml", line_of(path, "resources", figure[:20]))
    assert error.field == "regular.lines[1].lines[0].values.2024 proposed"
    assert message in error.message


def test_w15_a_5000_digit_count_is_a_located_error(tmp_path: Path) -> None:
    path = edit(tmp_path, "posts", "grades: {D-1: 1, P-4: 2", "grades: {D-1: " + "9" * 5000 + ", P-4: 2")
    error = the_error(path)
    assert (error.file, error.line, error.column) == ("posts.yaml", 5, 66)
    assert "more than 24 digits" in error.message


@pytest.mark.parametrize(("case", "rate"), [("w22", "0.0"), ("w23", "-0.9")])
def test_w22_w23_an_exchange_rate_must_be_positive(tmp_path: Path, case: str, rate: str) -> None:
    path = edit(tmp_path, "resources", 'exchange_rates: {"2024 proposed": 1.0000}',
                f'exchange_rates: {{"2024 proposed": {rate}}}')
    error = the_error(path)
    assert (error.file, error.field) == ("resources.yaml", "exchange_rates.2024 proposed")
    assert error.message.endswith("an exchange rate is above 0 and at most 1,000,000")


def test_w04_a_negative_expenditure_is_a_warning(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", '"2022 actual": 700.0', '"2022 actual": -700.0')
    assert found(path) == {("RES010", "warning", "resources.yaml", line_of(path, "resources", "-700.0"))}


def test_w13_a_thousands_separator_in_a_flow_mapping_is_explained(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", '"2024 proposed": 50.0}', '"2024 proposed": 28,505.3}')
    error = the_error(path)
    assert error.field == "regular.lines[1].lines[0].values"
    assert error.message == ("key '505.3' is not text: quote it, and write figures without thousands separators")


def test_shares_and_units_have_ranges(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", "percent: 50}\n  - {party: WTO", "percent: 150}\n  - {party: WTO")
    assert the_error(path).message.endswith("a share in per cent is at least 0 and at most 100")


def test_a_year_out_of_range_is_refused(tmp_path: Path) -> None:
    path = edit(tmp_path, "section", "year: 2024", "year: 20240")
    assert errors(path) == [("section.yaml", 5, 7, "year")]


# Dangling data -----------------------------------------------------------------------------------------------

def test_r04_a_figure_for_a_period_its_fund_does_not_show_is_an_error(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", '"2022 actual": 700.0', '"2022 actual": 700.0, "2021 actual": 650.0')
    assert found(path) == {("RES009", "error", "resources.yaml", line_of(path, "resources", '"2021 actual": 650.0'))}


def test_r14_an_unknown_language_is_a_located_load_error(tmp_path: Path) -> None:
    path = tiny(tmp_path, section=(TINY / "section.yaml").read_text(encoding="utf-8") + "languages: [zh, en, xx]\n")
    assert errors(path) == [("section.yaml", 7, 21, "languages[2]")]


def test_r17_a_post_change_of_an_unknown_grade_is_a_load_error(tmp_path: Path) -> None:
    text = (TINY / "posts.yaml").read_text(encoding="utf-8") + (
        "changes:\n  - {kind: other, unit: A, grade: P-9, number: 1}\n")
    path = tiny(tmp_path, posts=text)
    [(file, line, _, field)] = errors(path)
    assert (file, line, field) == ("posts.yaml", text.count("\n"), "changes[0].grade")


def test_r21_balanced_post_changes_to_an_unknown_unit_are_found(tmp_path: Path) -> None:
    text = (TINY / "posts.yaml").read_text(encoding="utf-8") + (
        "changes:\n  - {kind: other, unit: Z, grade: P-4, number: 1}\n"
        "  - {kind: other, unit: Z, grade: P-4, number: -1}\n")
    path = tiny(tmp_path, posts=text)
    lines = text.count("\n")
    assert found(path) == {("PST005", "error", "posts.yaml", lines - 1), ("PST005", "error", "posts.yaml", lines)}


# The command line --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("case", "rate"), [("c08", "CHF/USD=1E+999999999"), ("c09", "CHF/USD=1E-999999999"),
                                            ("zero", "CHF/USD=0"), ("nan", "CHF/USD=NaN")])
def test_c08_c09_recost_refuses_rates_out_of_range(case: str, rate: str) -> None:
    result = runner.invoke(app, ["recost", "--rate", rate])
    assert result.exit_code == 2 and f"--rate {rate!r}:" in result.stderr


@pytest.mark.parametrize("percent", ["-100", "1000000"])
def test_c14_inflation_has_a_range(tmp_path: Path, percent: str) -> None:
    rates = tmp_path / "inflation.yaml"
    rates.write_text(f"rates:\n  - {{applies_to: all, effective: 2024-01-01, percent: {percent}}}\n",
                     encoding="utf-8")
    result = runner.invoke(app, ["recost", "--rate", "CHF/USD=0.9", "--inflation", str(rates)])
    assert result.exit_code == 2
    assert "inflation.yaml:2:" in result.stderr
    assert "an annual inflation rate in per cent is at least -50 and at most 1,000" in result.stderr


def test_c20_diff_against_a_year_with_no_data() -> None:
    result = runner.invoke(app, ["diff", "2023", "2099"])
    assert result.exit_code == 2
    assert result.stderr.startswith("the data has no figures for 2099; it has 2020, ")


def test_c32_validate_json_on_unreadable_input_prints_json(tmp_path: Path) -> None:
    path = edit(tmp_path, "compliance", "- {id: tickets,", "- {id: tickets, colour: red,")
    result = runner.invoke(app, ["validate", str(path), "--json"])
    data = json.loads(result.stdout)
    assert result.exit_code == 2
    assert [(e["file"].rsplit("/", 1)[-1], e["line"], e["field"]) for e in data["load_errors"]] == [
        ("compliance.yaml", 3, "indicators[0].colour")]


def test_m01_every_error_of_every_section_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "sections"
    first = edit(tmp_path / "1", "compliance", "- {id: tickets,", "- {id: tickets, colour: red,")
    second = edit(tmp_path / "2", "compliance", '"2022 actual": 67', '"2022 actual": 167')
    third = edit(tmp_path / "3", "section", "year: 2024", "year: 20240")
    for name, source in (("a", first), ("b", second), ("c", third)):
        shutil.copytree(source, root / name)
    result = runner.invoke(app, ["validate", str(root), "--json"])
    data = json.loads(result.stdout)
    assert result.exit_code == 2
    assert sorted((e["file"].rsplit("/", 2)[-2], e["line"], e["field"]) for e in data["load_errors"]) == [
        ("a", 3, "indicators[0].colour"), ("c", 5, "year")]
    assert [(f["code"], f["locations"][0]["file"].rsplit("/", 2)[-2]) for f in data["findings"]] == [
        ("CMP001", "b")]
    assert data["sections"] == 1


def test_fuzz_a_line_number_is_printed_as_digits_not_an_emoji(tmp_path: Path) -> None:
    # Found by the fuzz test: Rich turned "structure.yaml:100:5" into "structure.yaml💯5".
    text = "#\n" * 99 + "title: [unclosed\n"
    path = tiny(tmp_path, compliance=text)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0].endswith("compliance.yaml:101:1: [LOAD] not valid YAML: did not find "
                                                  "expected ',' or ']'")


def test_fuzz_rich_markup_in_the_data_is_printed_as_text(tmp_path: Path) -> None:
    path = edit(tmp_path, "structure", 'id: B, name: {zh: "乙司", en: "Division B"}',
                'id: B, name: {zh: "乙司", en: "[/] Division [bold]B :100:"}')
    result = runner.invoke(app, ["show", str(path), "structure", "--year", "2023"])
    assert result.exit_code == 0 and "[/] Division [bold]B :100:" in result.stdout


def test_m01_a_section_without_its_section_file_is_still_reported(tmp_path: Path) -> None:
    root = tmp_path / "sections"
    shutil.copytree(TINY, root / "a")
    shutil.copytree(TINY, root / "b")
    (root / "b" / "section.yaml").unlink()
    (root / "notes").mkdir()
    result = runner.invoke(app, ["validate", str(root), "--json"])
    data = json.loads(result.stdout)
    assert result.exit_code == 2 and data["sections"] == 1
    assert [(e["file"].rsplit("/", 2)[-2:], e["message"]) for e in data["load_errors"]] == [
        (["b", "section.yaml"], "missing part file")]


def test_fuzz_post_changes_with_posts_in_an_unknown_unit_are_shown(tmp_path: Path) -> None:
    # Found by the fuzz test: a staffing entry in a unit the structure lacks made `show changes` raise KeyError.
    path = edit(tmp_path, "posts", '{period: "2024 proposed", source: rb, unit: C',
                '{period: "2024 proposed", source: rb, unit: Z')
    result = runner.invoke(app, ["show", str(path), "changes", "--json"])
    assert result.exit_code == 0
    [table] = json.loads(result.stdout)
    assert ["Z"] == sorted({row["cells"][2] for row in table["rows"] if row["cells"][2] == "Z"})
    assert ("PST002", "error", "posts.yaml", line_of(path, "posts", "unit: Z")) in found(path)


def test_r04_income_and_rates_for_a_period_no_table_shows(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", 'exchange_rates: {"2024 proposed": 1.0000}',
                'exchange_rates: {"2024 proposed": 1.0000, "2019 actual": 1.1}')
    text = (path / "resources.yaml").read_text(encoding="utf-8")
    (path / "resources.yaml").write_text(text.replace('misc_income: {"2024 proposed": 10.0}',
                                                      'misc_income: {"2024 proposed": 10.0, "2030 proposed": 1.0}'),
                                         encoding="utf-8")
    rates, income = line_of(path, "resources", "exchange_rates"), line_of(path, "resources", "misc_income")
    assert found(path) == {("RES009", "error", "resources.yaml", rates), ("RES009", "error", "resources.yaml", income)}


def test_w04_the_smallest_negative_figure_is_a_warning(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", '"2022 actual": 700.0', '"2022 actual": -0.1')
    assert found(path) == {("RES010", "warning", "resources.yaml", line_of(path, "resources", "-0.1"))}
