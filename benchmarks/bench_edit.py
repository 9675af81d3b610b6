"""One figure edit of the ITC seed through fascicle.edit.apply, and where its time goes.

Run: .venv/bin/python benchmarks/bench_edit.py [--repeat 20]
The base is the seed's canonical texts, as the web keeps a revision; each run sets another value, so the edited
part is never a hit of the part cache, while the twelve parts the edit does not touch are.
"""

from __future__ import annotations

import argparse
import itertools
import time
from decimal import Decimal

from fascicle.checks.registry import run_checks
from fascicle.compute.figures import figures
from fascicle.edit import Edit, apply, canonical, load_texts, read_texts
from fascicle.source.load import bundled_path
from fascicle.source.write import dump_part
from timing import median_time

PATH = "regular.lines[1].lines[4].values.2024 proposed"


def main() -> None:
    """Print the median time of one edit and of its steps."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    repeat = parser.parse_args().repeat
    start = time.perf_counter()
    base = canonical(read_texts(bundled_path()))
    print(f"canonical texts of the seed, first time in this process   {1000 * (time.perf_counter() - start):7.1f} ms")
    values = (Decimal(1202) + Decimal(n) / 10 for n in itertools.count(1))
    edit = median_time(lambda: apply(base, [Edit("resources", PATH, Decimal("1202.2"), next(values))]), repeat)
    loaded = load_texts(base)
    steps = {
        "load_texts, every part remembered": lambda: load_texts(base),
        "figures": lambda: figures(loaded.budget),
        "run_checks (figures included)": lambda: run_checks(loaded.budget),
        "dump_part of resources": lambda: dump_part(loaded.budget.resources),
    }
    print(f"apply, one figure edit (median of {repeat})                  {1000 * edit:7.1f} ms")
    for name, step in steps.items():
        print(f"  {name:<55}{1000 * median_time(step, repeat):7.1f} ms")


if __name__ == "__main__":
    main()
