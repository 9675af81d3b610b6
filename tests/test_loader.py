"""The loader refuses broken files with file, line, column and field, and returns nothing half-loaded."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import TINY, edit, line_of, tiny
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


def where(path: Path, part: str, needle: str) -> str:
    """`file:line:column` of the first occurrence of `needle` in a part file, counted in characters from 1."""
    for number, text in enumerate((path / f"{part}.yaml").read_text(encoding="utf-8").splitlines(), 1):
        if needle in text:
            return f"{part}.yaml:{number}:{text.index(needle) + 1}"
    raise AssertionError(f"{needle!r} not in {part}.yaml")


RATE = "indicators[0].values.2022 actual"


@pytest.mark.parametrize(("written", "message"), [
    ("1_000", "'1_000': write whole numbers in decimal digits"),
    ("0x1F", "'0x1F': write whole numbers in decimal digits"),
    ("1:30", "'1:30': write whole numbers in decimal digits"),
    ("!!binary aGVsbG8=", "unsupported YAML tag tag:yaml.org,2002:binary"),
    ('"67"', "expected a decimal figure"),
])
def test_figures_yaml_would_misread_are_refused(tmp_path: Path, written: str, message: str) -> None:
    path = edit(tmp_path, "compliance", '"2022 actual": 67', f'"2022 actual": {written}')
    [error] = errors(path)
    # Line 3 of compliance.yaml; the value starts at column 76 (after `  - {id: tickets, name: {zh: "机票", ...`).
    assert where(path, "compliance", written) == "compliance.yaml:3:76"
    assert str(error) == f"compliance.yaml:3:76: {RATE}: {message}"


def test_text_where_a_figure_belongs_names_line_and_column(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", '"2024 proposed": 50.0}', '"2024 proposed": "fifty"}')
    [error] = errors(path)
    at = where(path, "resources", '"fifty"')
    assert str(error) == f"{at}: regular.lines[1].lines[0].values.2024 proposed: expected a decimal figure"

    assert (error.line, error.column) == (17, 37)


def test_float_names_its_column(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", '"2024 proposed": 50.0}', '"2024 proposed": 5.0e+1}')
    [error] = errors(path)
    assert str(error) == (f"{where(path, 'resources', '5.0e+1')}: regular.lines[1].lines[0].values.2024 proposed: "
                          "'5.0e+1': write figures as plain decimals (no exponent, inf or nan)")


def test_unknown_key_names_its_column(tmp_path: Path) -> None:
    path = edit(tmp_path, "compliance", "- {id: tickets,", "- {id: tickets, colour: red,")
    [error] = errors(path)
    # The field is `indicators[0].colour`, reported at its value `red`: line 3, column 27.
    assert where(path, "compliance", "red") == "compliance.yaml:3:27"
    assert (error.file, error.line, error.column) == ("compliance.yaml", 3, 27)


def test_duplicate_key_names_its_column(tmp_path: Path) -> None:
    path = tiny(tmp_path, section="entity: X\nname: {zh: a, en: b}\n  \nentity: Y\n")
    [error] = [e for e in errors(path) if e.file == "section.yaml"]
    assert str(error) == "section.yaml:4:1: entity: duplicate key 'entity'"


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = tiny(tmp_path, compliance="title: {zh: a, en: b}\nindicators: [unclosed\n")
    [error] = errors(path)
    # The flow sequence opened on line 2 is still open at the end of the text: line 3, column 1.
    assert (error.file, error.line, error.column) == ("compliance.yaml", 3, 1)
    assert error.message.startswith("not valid YAML")


def test_a_key_that_is_not_a_plain_value(tmp_path: Path) -> None:
    path = tiny(tmp_path, compliance="title: {zh: a, en: b}\n? [a, b]\n: 1\n")
    [error] = errors(path)
    assert (error.file, error.line, error.column) == ("compliance.yaml", 2, 3)


def test_an_empty_part_file(tmp_path: Path) -> None:
    path = tiny(tmp_path, compliance="")
    [error] = errors(path)
    assert str(error) == "compliance.yaml:1:1: Input should be a valid dictionary or instance of Compliance"


def test_a_part_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tiny(tmp_path)
    (path / "compliance.yaml").write_bytes(b'title: {zh: "' + b"\xff" + b'", en: "x"}\n')
    [error] = errors(path)
    # The byte after `title: {zh: "` (13 characters): line 1, column 14.
    assert (error.file, error.line, error.column) == ("compliance.yaml", 1, 14)
    assert "UTF-8" in error.message


def test_a_missing_part_file(tmp_path: Path) -> None:
    path = tiny(tmp_path)
    (path / "compliance.yaml").unlink()
    [error] = errors(path)
    assert str(error) == "compliance.yaml:1:1: missing part file"


def test_plain_values_of_every_kind(tmp_path: Path) -> None:
    from fascicle.source.yaml_tree import read_tree

    tree, positions = read_tree("a: 12\nb: -3.50\nc: yes\nd: on\ne: off\nf: null\ng: text\nh:\n  - 2024-01-01\n")
    assert tree == {"a": 12, "b": Decimal("-3.50"), "c": True, "d": True, "e": False, "f": None, "g": "text",
                    "h": ["2024-01-01"]}
    assert type(tree["a"]) is int and str(tree["b"]) == "-3.50"
    # Positions are 1-based (line, column) of each value.
    assert positions[("a",)] == (1, 4) and positions[("h", 0)] == (9, 5) and positions[()] == (1, 1)


def test_a_bad_byte_after_wide_characters_is_at_its_character_column(tmp_path: Path) -> None:
    path = tiny(tmp_path)
    (path / "compliance.yaml").write_bytes('title: {zh: "遵守率'.encode() + b"\xc3(" + b'", en: "x"}\n')
    [error] = errors(path)
    # 13 characters, then 遵守率 (three characters, nine bytes): the bad byte is the 17th character.
    assert (error.line, error.column, error.message) == (1, 17, "byte 0xC3 is not UTF-8: save the file as UTF-8")


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tiny(tmp_path)
    (path / "oversight.yaml").write_bytes(b"\xef\xbb\xbf" + (path / "oversight.yaml").read_bytes())
    assert load(path).budget.oversight is not None


@pytest.mark.parametrize(("value", "megabytes"), [("", 16), ("abc", 16), ("0", 1), ("3", 3), ("999999", 999999),
                                                  ("9999999", 16),
                                                  ("-5", 16), ("２", 16)])
def test_the_file_limit_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch, value: str,
                                                     megabytes: int) -> None:
    from fascicle.source.files import limit_bytes

    monkeypatch.setenv("FASCICLE_MAX_FILE_MB", value)
    assert limit_bytes() == megabytes * 1024 * 1024


def test_the_tree_reader_refuses_what_the_file_reader_would_have(tmp_path: Path) -> None:
    from fascicle.source.yaml_tree import TreeError, read_tree

    # read_tree is also given text that never was a file (tests, and later web forms).
    with pytest.raises(TreeError) as caught:
        read_tree("a: b\x07c\n")
    assert (caught.value.line, caught.value.column) == (1, 5)
    assert caught.value.message.startswith("not valid YAML: ")


def test_nesting_deeper_than_any_part_is_refused() -> None:
    from fascicle.source.yaml_tree import MAX_DEPTH, TreeError, read_tree

    # The path of the innermost of 64 nested lists under "a" has 64 steps: the limit itself is allowed.
    read_tree("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH)
    with pytest.raises(TreeError) as caught:
        read_tree("a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    # The list one level too deep is the 65th bracket, after "a: " (three characters): column 68.
    assert (caught.value.line, caught.value.column) == (1, 3 + MAX_DEPTH + 1)
    assert "nest deeper than 64 levels" in caught.value.message


def test_positions_after_a_leading_empty_line_and_a_byte_order_mark(tmp_path: Path) -> None:
    path = tiny(tmp_path)
    (path / "oversight.yaml").write_bytes(b"\n\xff")
    (path / "mandates.yaml").write_bytes(b"\n\x07")
    (path / "plan.yaml").write_bytes(b"\xef\xbb\xbfa\x07")
    found = {str(e) for e in errors(path)}
    # A BOM is not a column of its own; the first character after it is column 1.
    assert found == {"oversight.yaml:2:1: byte 0xFF is not UTF-8: save the file as UTF-8",
                     "mandates.yaml:2:1: control character U+0007 is not allowed in a source file",
                     "plan.yaml:1:2: control character U+0007 is not allowed in a source file"}


def test_file_level_refusals_are_at_line_1_column_1(tmp_path: Path) -> None:
    path = tiny(tmp_path)
    (path / "oversight.yaml").unlink()
    (path / "oversight.yaml").mkdir()
    [error] = errors(path)
    assert (error.file, error.line, error.column) == ("oversight.yaml", 1, 1)
    assert error.message.startswith("not a regular file")


def test_errors_print_as_located_lines() -> None:
    from fascicle.source.files import FileRefused

    first, second = SourceError("a.yaml", 3, 4, "x.y", "bad"), SourceError("b.yaml", 1, 1, "", "worse")
    assert str(LoadError([first, second])) == "a.yaml:3:4: x.y: bad\nb.yaml:1:1: worse"
    assert str(FileRefused(second)) == "b.yaml:1:1: worse"


def test_a_file_exactly_at_the_limit_is_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fascicle.source.files import read_text

    monkeypatch.setenv("FASCICLE_MAX_FILE_MB", "1")
    limit = 1024 * 1024
    file = tmp_path / "part.yaml"
    body = "a: " + "x" * (limit - len("a: ") - len("\nlast: end\n")) + "\nlast: end\n"
    file.write_text(body, encoding="utf-8")
    assert len(body.encode()) == limit
    assert read_text(file, "part.yaml").endswith("last: end\n")
    file.write_text(body + "\n", encoding="utf-8")
    with pytest.raises(Exception, match="over the limit of 1 MB"):
        read_text(file, "part.yaml")


def test_a_file_that_cannot_be_opened_is_refused_with_the_reason(tmp_path: Path) -> None:
    from fascicle.source.files import FileRefused, read_text

    with pytest.raises(FileRefused) as caught:
        read_text(tmp_path / "gone.yaml", "gone.yaml")
    assert str(caught.value) == "gone.yaml:1:1: cannot read: No such file or directory"


def test_loading_closes_every_file_it_opens(tmp_path: Path) -> None:
    import os

    path = tiny(tmp_path)
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(5):
        load(path)
    (path / "oversight.yaml").write_bytes(b"\xff")
    for _ in range(5):
        with pytest.raises(LoadError):
            load(path)
    assert len(os.listdir("/proc/self/fd")) == before


def test_refusals_of_a_folder_and_of_links_are_at_line_1_column_1(tmp_path: Path) -> None:
    [error] = errors(tmp_path / "nowhere")
    assert str(error) == "nowhere:1:1: not a directory of section files"
    path = tiny(tmp_path)
    (path / "oversight.yaml").unlink()
    (path / "oversight.yaml").symlink_to("/etc/hostname")
    [error] = errors(path)
    assert (error.file, error.line, error.column) == ("oversight.yaml", 1, 1)


def test_a_folder_that_cannot_be_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tiny(tmp_path)

    def refuse(self: Path) -> object:
        raise PermissionError(13, "Permission denied")

    # Root reads every folder, so the refusal is simulated.
    monkeypatch.setattr(Path, "iterdir", refuse)
    assert [str(e) for e in errors(path)] == ["tiny:1:1: cannot list the folder: Permission denied"]


def test_unknown_files_and_dangling_links_are_at_line_1_column_1(tmp_path: Path) -> None:
    path = tiny(tmp_path)
    (path / "notes.txt").write_text("mine\n", encoding="utf-8")
    (path / "oversight.yaml").unlink()
    (path / "oversight.yaml").symlink_to("gone.yaml")
    assert sorted(str(e).split(" (")[0] for e in errors(path)) == [
        "notes.txt:1:1: not a part of a section", "oversight.yaml:1:1: a symbolic link to nothing"]


def test_tree_errors_carry_their_message() -> None:
    from fascicle.source.validate import SourceErrors, position
    from fascicle.source.yaml_tree import TreeError

    assert str(TreeError(2, 3, ("a",), "bad")) == "bad"
    first, second = SourceError("a.yaml", 3, 4, "x", "bad"), SourceError("a.yaml", 5, 1, "", "worse")
    assert str(SourceErrors([first, second])) == "a.yaml:3:4: x: bad\na.yaml:5:1: worse"
    # A path with no known node at all falls back to the top of the file.
    assert position({}, ("a", 0)) == (1, 1)
    assert position({("a",): (4, 2)}, ("a", 0, "b")) == (4, 2)


def test_sections_of_a_folder(tmp_path: Path) -> None:
    import shutil

    from fascicle.source.many import section_dirs

    root = tmp_path / "root"
    shutil.copytree(TINY, root / "b")
    shutil.copytree(TINY, root / "a")
    (root / "empty").mkdir()
    assert section_dirs(root) == [root / "a", root / "b"]
    # A folder that holds a section is that section, whatever its sub-folders hold.
    shutil.copytree(TINY, root / "a" / "nested")
    assert section_dirs(root / "a") == [root / "a"]
    # A file, or a folder with no section, is returned as is, for loading to say what is wrong with it.
    (tmp_path / "file.yaml").write_text("x: 1\n", encoding="utf-8")
    assert section_dirs(tmp_path / "file.yaml") == [tmp_path / "file.yaml"]
    assert section_dirs(root / "empty") == [root / "empty"]


def test_a_key_that_is_a_list_or_a_mapping_is_refused_by_name() -> None:
    from fascicle.source.yaml_tree import TreeError, read_tree

    for text in ("? [a, b]\n: 1\n", "{{a: 1}: 2}\n"):
        with pytest.raises(TreeError) as caught:
            read_tree(text)
        assert caught.value.message == "a key must be a plain value"
