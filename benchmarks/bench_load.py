"""Load + check + compute of the bundled ITC data and of a synthetic dataset, as ratios in one run.

Run: make bench (or .venv/bin/python benchmarks/bench_load.py [--scale 100]).
Times are reported against a reference measured in the same process: reading the same
YAML files with PyYAML's C loader alone, so the ratio says what Fascicle adds to parsing.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import yaml

from fascicle.checks.registry import run_checks
from fascicle.compute.figures import figures
from fascicle.source.load import bundled_path, load
from fascicle.source.many import section_dirs
from fascicle.source.write import write
from fascicle.synth import synthesize
from timing import median_time


def full(dirs: list[Path]) -> None:
    """Load, compute and check every section."""
    for directory in dirs:
        budget = load(directory).budget
        run_checks(budget, figures(budget))


def parse_only(dirs: list[Path]) -> None:
    """The reference: parse the same files with PyYAML's C loader and nothing else."""
    for directory in dirs:
        for file in sorted(directory.glob("*.yaml")):
            yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def report(name: str, dirs: list[Path], repeat: int) -> None:
    """Print one benchmark line."""
    ours, reference = median_time(lambda: full(dirs), repeat), median_time(lambda: parse_only(dirs), repeat)
    size = sum(f.stat().st_size for d in dirs for f in d.glob("*.yaml"))
    print(f"{name:<12} {len(dirs):>3} section(s) {size / 1e6:6.2f} MB  load+check+compute {ours:7.3f} s"
          f"  YAML parse alone {reference:7.3f} s  ratio {ours / reference:5.2f}")


def main() -> None:
    """Run the benchmarks."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    args = parser.parse_args()
    report("ITC 2024", [bundled_path()], 7)
    with tempfile.TemporaryDirectory() as tmp:
        for index, budget in enumerate(synthesize(load().budget, args.scale)):
            write(budget, Path(tmp) / f"section-{index + 1:02d}")
        report(f"synth x{args.scale}", section_dirs(tmp), 3)


if __name__ == "__main__":
    main()
