"""Load, write, load again: the same budget, to the last digit."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def test_written_files_read_like_the_hand_written_ones(tmp_path: Path) -> None:
    long = "A paragraph long enough that a YAML writer would fold it onto a second line " * 3
    budget = load(TINY).budget
    budget = budget.model_copy(update={"section": budget.section.model_copy(
        update={"title": budget.section.title.model_copy(update={"en": long})})})
    write(budget, tmp_path / "new" / "section")
    section = (tmp_path / "new" / "section" / "section.yaml").read_text(encoding="utf-8")
    # Chinese as it is written, keys in the model's order (entity first), one line per value however long.
    assert section.splitlines()[0] == "entity: TINY"
    assert "  zh: 小中心" in section.splitlines()
    assert f"  en: '{long}'" in section.splitlines()
    assert (tmp_path / "new" / "section" / "section.yaml").stat().st_mode & 0o777 == 0o644


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    write(load(TINY).budget, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def refuse(source: str, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="No space left"):
        write(load(TINY).budget, tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
