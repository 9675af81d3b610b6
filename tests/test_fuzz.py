"""Corrupt the bundled YAML at random and hold the command line to its promise: exit 0, 1 or 2, never a
traceback, and an exit 2 names a file and a line. FASCICLE_FUZZ_RUNS sets the number of runs (make fuzz)."""

from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from fascicle.cli import app
from fascicle.source.load import bundled_path
from fascicle.source.parts import PARTS
from mutators import corrupt, tree

RUNS = int(os.environ.get("FASCICLE_FUZZ_RUNS", "150"))
SOURCE = bundled_path()
FILES = sorted(p.name for p in SOURCE.iterdir() if p.suffix == ".yaml")
LOCATED = re.compile(r"^\S*(" + "|".join(re.escape(name) for name in PARTS.values()) + r"):\d+:\d+: \[LOAD\] ",
                     re.MULTILINE)
SHOWN = ["resources", "posts", "structure", "changes", "deliverables", "measures", "13.4", "13.IV", "findings"]
runner = CliRunner()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@settings(max_examples=RUNS, deadline=None, derandomize=RUNS <= 150, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(seed=st.integers(0, 2**32 - 1), files=st.lists(st.sampled_from(FILES), min_size=1, max_size=3),
       times=st.integers(1, 4), well_formed=st.booleans(), show=st.sampled_from(SHOWN))
def test_corrupted_yaml_never_crashes(workspace: Path, seed: int, files: list[str], times: int, well_formed: bool,
                                     show: str) -> None:
    target = workspace / "section"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(SOURCE, target)
    rng = random.Random(seed)
    for name in files:
        mutate = tree if well_formed else corrupt
        (target / name).write_bytes(mutate((SOURCE / name).read_bytes(), rng, times))
    result = runner.invoke(app, ["validate", str(target)])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"validate crashed on seed {seed} ({files}): {result.exception!r}")
    assert result.exit_code in (0, 1, 2)
    if result.exit_code == 2:
        assert LOCATED.search(result.stderr), f"exit 2 without file and line: {result.stderr[:500]}"
        return
    shown = runner.invoke(app, ["show", str(target), show, "--json"])
    assert shown.exception is None or isinstance(shown.exception, SystemExit), (
        f"show {show} crashed on seed {seed} ({files}): {shown.exception!r}")
    assert shown.exit_code in (0, 2)
