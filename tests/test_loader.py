"""The loader refuses broken files with file, line, column and field, and returns nothing half-loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import edit, line_of, tiny
from fascicle.source.errors import LoadError, SourceError
from fascicle.source.load import load


def errors(path: Path) -> list[SourceError]:
    with pytest.raises(LoadError) as caught:
        load(path)
    return caught.value.errors


def test_unknown_key_names_file_line_and_field(tmp_path: Path) -> None:
    path = edit(tmp_path, "compliance", "- {id: tickets,", "- {id: tickets, colour: red,")
    [error] = errors(path)
    assert (error.file, error.line, error.field) == ("compliance.yaml", 3, "indicators[0].colour")
    assert "Extra inputs" in error.message


def test_float_where_a_decimal_belongs(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", '"2024 proposed": 50.0}', '"2024 proposed": 5.0e+1}')
    [error] = errors(path)
    assert (error.file, error.line) == ("resources.yaml", line_of(path, "resources", "5.0e+1"))
    assert "plain decimals" in error.message


def test_text_where_a_figure_belongs(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", '"2024 proposed": 50.0}', '"2024 proposed": "fifty"}')
    [error] = errors(path)
    assert error.field == "regular.lines[1].lines[0].values.2024 proposed"
    assert error.line == line_of(path, "resources", '"fifty"')


def test_fraction_where_a_count_belongs(tmp_path: Path) -> None:
    path = edit(tmp_path, "posts", "grades: {D-1: 1, P-4: 2", "grades: {D-1: 1.5, P-4: 2")
    [error] = errors(path)
    assert (error.file, error.field) == ("posts.yaml", "staffing[0].grades.D-1")


def test_bad_period_and_unknown_grade(tmp_path: Path) -> None:
    path = edit(tmp_path, "posts", '{period: "2023 approved", source: rb, unit: A, grades: {D-1: 1',
                '{period: "2023 aproved", source: rb, unit: A, grades: {D-9: 1')
    fields = sorted(e.field for e in errors(path))
    assert fields == ["staffing[0].grades", "staffing[0].period"]


def test_yaml_syntax_error_and_duplicate_key(tmp_path: Path) -> None:
    path = tiny(tmp_path, section="entity: X\nentity: Y\n", compliance="title: [unclosed\n")
    found = {(e.file, e.line, e.message.split(":")[0]) for e in errors(path)}
    assert ("section.yaml", 2, "duplicate key 'entity'") in found
    assert any(file == "compliance.yaml" and message == "not valid YAML" for file, _, message in found)


def test_every_broken_file_is_reported_and_nothing_is_returned(tmp_path: Path) -> None:
    path = edit(tmp_path, "compliance", "- {id: tickets,", "- {id: tickets, colour: red,")
    (path / "oversight.yaml").unlink()
    files = sorted({e.file for e in errors(path)})
    assert files == ["compliance.yaml", "oversight.yaml"]


def test_not_a_directory(tmp_path: Path) -> None:
    [error] = errors(tmp_path / "nowhere")
    assert "not a directory" in error.message


def test_text_where_a_whole_number_belongs(tmp_path: Path) -> None:
    path = edit(tmp_path, "section", "year: 2024", 'year: "2024"')
    [error] = errors(path)
    assert (error.file, error.line, error.field) == ("section.yaml", 5, "year")
