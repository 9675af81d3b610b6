"""Peak memory of `fascicle validate` on a synthetic dataset, against the dataset's size and against the same
command on the tiny test budget (the interpreter and its libraries), measured in the same run.

Run: .venv/bin/python benchmarks/bench_memory.py [--scale 470] [--keep DIR]   (scale 470 is about 15 MB,
scale 5700 about 160 MB; writing the dataset takes longer than checking it.)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fascicle.source.load import load
from fascicle.source.many import section_dirs
from fascicle.source.write import write
from fascicle.synth import synthesize

TINY = Path(__file__).resolve().parent.parent / "tests" / "data" / "tiny"


def peak(path: Path) -> tuple[float, float, int]:
    """(peak resident MB, seconds, exit status) of one `fascicle validate` run in a fresh process."""
    command = [str(Path(sys.executable).parent / "fascicle"), "validate", str(path)]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    return usage.ru_maxrss / 1024, time.perf_counter() - start, os.waitstatus_to_exitcode(status)


def size(directory: Path) -> int:
    """Bytes of the YAML files under a folder."""
    return sum(file.stat().st_size for file in directory.rglob("*.yaml"))


def main() -> None:
    """Write the dataset, then measure."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=470)
    parser.add_argument("--keep", type=Path, help="write the dataset here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        if not any(root.glob("*/section.yaml")):
            for index, budget in enumerate(synthesize(load().budget, args.scale)):
                write(budget, root / f"section-{index + 1:02d}")
        base, _, _ = peak(TINY)
        used, seconds, status = peak(root)
        total, largest = size(root), max(size(d) for d in section_dirs(root))
        print(f"baseline (tiny budget)   {base:7.1f} MB")
        print(f"synth x{args.scale:<6} {len(section_dirs(root)):3} sections {total / 1e6:7.1f} MB: peak {used:7.1f} MB "
              f"in {seconds:5.1f} s (exit {status}); peak / dataset {used * 2**20 / total:5.2f}; "
              f"(peak - baseline) / largest section ({largest / 1e6:.2f} MB) {(used - base) * 2**20 / largest:5.1f}")


if __name__ == "__main__":
    main()
