"""Shared fixtures: the bundled ITC data and tiny hand-written budgets."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fascicle.checks.registry import run_checks
from fascicle.source.load import Loaded, load

# The web tests' shared fixtures (home folder, seeded section, officer).
pytest_plugins = ["web_fixtures"]

TINY = Path(__file__).parent / "data" / "tiny"
SNAPSHOTS = Path(__file__).parent / "snapshots"


@pytest.fixture(scope="session", autouse=True)
def part_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The tests keep their cache of parsed parts in a folder of their own, never in the user's."""
    folder = tmp_path_factory.mktemp("part-cache")
    folder.chmod(0o700)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FASCICLE_CACHE_DIR", str(folder))
        yield folder


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--snapshot-update", action="store_true", help="Accept the current output as the snapshot.")


@pytest.fixture
def snapshot(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with tests/snapshots/<name>; with --snapshot-update, write it instead."""
    update = request.config.getoption("--snapshot-update")

    def check(name: str, text: str) -> None:
        path = SNAPSHOTS / name
        if update or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            if not update:
                pytest.fail(f"snapshot {name} was missing and has been written; review it and run again")
            return
        assert text == path.read_text(encoding="utf-8"), f"{name} differs; review, then --snapshot-update"

    return check


@pytest.fixture(scope="session")
def itc() -> Loaded:
    """The bundled ITC 2024 section, loaded once."""
    return load()


def tiny(tmp_path: Path, **files: str) -> Path:
    """A copy of the tiny budget with some part files replaced by the given YAML text."""
    target = tmp_path / "tiny"
    shutil.copytree(TINY, target)
    for name, text in files.items():
        (target / f"{name}.yaml").write_text(text, encoding="utf-8")
    return target


def edit(tmp_path: Path, part: str, old: str, new: str) -> Path:
    """A copy of the tiny budget with one text replaced in one part file (the replacement must happen)."""
    text = (TINY / f"{part}.yaml").read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {part}.yaml"
    return tiny(tmp_path, **{part: text.replace(old, new, 1)})


Found = tuple[str | int, ...]


def found(path: Path) -> set[Found]:
    """(code, severity, file, line) of every finding of the budget at `path`; a finding with several locations
    gives (code, severity, file, line, file, line, ...), every location in order."""
    loaded = load(path)
    result: set[Found] = set()
    for finding in run_checks(loaded.budget):
        where: list[str | int] = []
        for location in finding.locations:
            where.extend(loaded.line_of(location.part, location.path))
        result.add((finding.code, finding.severity, *where))
    return result


def messages(path: Path, code: str) -> list[str]:
    """The messages of the findings with `code`, sorted: where one location holds several findings."""
    return sorted(f.message for f in run_checks(load(path).budget) if f.code == code)


def line_of(path: Path, part: str, needle: str) -> int:
    """The 1-based line of the first line of a part file containing `needle`."""
    for number, text in enumerate((path / f"{part}.yaml").read_text(encoding="utf-8").splitlines(), 1):
        if needle in text:
            return number
    raise AssertionError(f"{needle!r} not in {part}.yaml")
