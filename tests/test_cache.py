"""The cache of parsed parts: a hit gives the same value, any change of the text misses, and an untrusted or
damaged cache is ignored, never believed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from fascicle.source import cache
from fascicle.source.general import load_section
from fascicle.source.load import bundled_path, load

IMPORTED = Path(__file__).resolve().parents[1] / "src" / "fascicle" / "data" / "a80-6-2026" / "sect-13"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("FASCICLE_CACHE_DIR", str(where))
    return where


def test_a_second_load_comes_from_the_cache_and_equals_the_first(folder: Path) -> None:
    first = load_section(IMPORTED)
    entries = sorted(folder.iterdir())
    assert len(entries) == 4  # the section's four part files (it has no acknowledgements.yaml)
    again = load_section(IMPORTED)
    assert again.section == first.section and again.positions == first.positions
    assert sorted(folder.iterdir()) == entries
    assert load(bundled_path()).budget == load(bundled_path()).budget


def test_an_edited_part_is_read_again(folder: Path, tmp_path: Path) -> None:
    copy = tmp_path / "sect-13"
    shutil.copytree(IMPORTED, copy)
    load_section(copy)
    figures = copy / "figures.yaml"
    figures.write_text(figures.read_text().replace("value: 38431.3", "value: 38431.4", 1))
    edited = load_section(copy)
    assert any(f.value is not None and str(f.value) == "38431.4" for f in edited.section.figures.figures)


def test_a_damaged_entry_is_ignored(folder: Path) -> None:
    first = load_section(IMPORTED)
    for entry in folder.iterdir():
        entry.write_bytes(b"not a pickle")
    assert load_section(IMPORTED).section == first.section


def test_a_folder_others_may_write_to_is_not_used(folder: Path) -> None:
    folder.mkdir(mode=0o700)
    os.chmod(folder, 0o777)
    assert cache.folder() is None
    load_section(IMPORTED)
    assert list(folder.iterdir()) == []


def test_the_cache_can_be_turned_off(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FASCICLE_CACHE", "0")
    load_section(IMPORTED)
    assert not folder.exists()


def test_the_key_depends_on_text_and_model() -> None:
    from fascicle.model.general import Document, Figures

    assert cache.key("a: 1\n", Figures) != cache.key("a: 2\n", Figures)
    assert cache.key("a: 1\n", Figures) != cache.key("a: 1\n", Document)


def test_the_key_changes_with_the_model_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """A field added to a model (any byte of the model package) makes every cached part stale."""
    from fascicle.model.general import Figures

    before = cache.key("a: 1\n", Figures)
    sources = cache._model_sources()
    assert any(b"class Figures" in source for source in sources)
    cache._fingerprint.cache_clear()
    monkeypatch.setattr(cache, "_model_sources", lambda: (*sources[:-1], sources[-1] + b"\n# a new field"))
    try:
        assert cache.key("a: 1\n", Figures) != before
    finally:
        cache._fingerprint.cache_clear()


def test_validate_of_an_unchanged_budget_answers_the_same_from_the_cache(folder: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from fascicle.cli import app

    budget = tmp_path / "budget"
    shutil.copytree(IMPORTED, budget / "a")
    shutil.copytree(IMPORTED.parent / "sect-12", budget / "b")
    runner = CliRunner()
    first = runner.invoke(app, ["validate", str(budget), "--json"])
    cached = sorted(p.name for p in folder.iterdir() if p.name.startswith("folder-"))
    assert len(cached) == 2  # one entry per section folder
    again = runner.invoke(app, ["validate", str(budget), "--json"])
    assert (again.exit_code, again.output) == (first.exit_code, first.output)
    # An edit makes a new key: the edited section is checked again, and its new finding shows.
    figures = budget / "a" / "figures.yaml"
    figures.write_text(figures.read_text().replace("value: 38431.3", "value: 38431.4", 1))
    edited = runner.invoke(app, ["validate", str(budget), "--json"])
    assert edited.output != first.output and "TAB00" in edited.output


def test_a_cache_folder_keeps_its_newest_entries_and_the_files_being_written(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    folder = cache.private_folder(tmp_path / "cache")
    assert folder is not None
    for n in range(6):
        entry = folder / f"entry-{n}"
        entry.write_bytes(b"x")
        os.utime(entry, (1000 + n, 1000 + n))
    (folder / ".part.writing").write_bytes(b"half")
    os.utime(folder / ".part.writing", (1, 1))
    # A write prunes now and then: forced here, it keeps the newest entries, itself among them.
    monkeypatch.setattr(os, "urandom", lambda n: b"\x00" * n)
    cache.put(folder, "entry-new", {"a": 1}, kept=3)
    assert sorted(p.name for p in folder.iterdir()) == [".part.writing", "entry-4", "entry-5", "entry-new"]
    assert cache.get(folder, "entry-new") == {"a": 1}
    # Most writes do not list the folder at all.
    monkeypatch.setattr(os, "urandom", lambda n: b"\xff" * n)
    cache.put(folder, "entry-more", 2, kept=1)
    assert len([p for p in folder.iterdir() if not p.name.startswith(".")]) == 4
