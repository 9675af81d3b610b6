"""Load, write, load again: the same budget, to the last digit."""

from __future__ import annotations

from pathlib import Path

from conftest import TINY
from fascicle.source.load import Loaded, load
from fascicle.source.write import write


def test_itc_round_trip(itc: Loaded, tmp_path: Path) -> None:
    write(itc.budget, tmp_path)
    again = load(tmp_path).budget
    assert again == itc.budget
    assert again.resources.regular.lines[1].lines[1].values["2024 proposed"].as_tuple() == \
        itc.budget.resources.regular.lines[1].lines[1].values["2024 proposed"].as_tuple()


def test_written_files_are_stable(tmp_path: Path) -> None:
    write(load(TINY).budget, tmp_path / "a")
    write(load(tmp_path / "a").budget, tmp_path / "b")
    for file in sorted((tmp_path / "a").iterdir()):
        assert file.read_text(encoding="utf-8") == (tmp_path / "b" / file.name).read_text(encoding="utf-8")
