"""One web edit of the ITC seed in one process: fascicle.edit.apply (parse, set, validate, dump, load, every check)
and the figures the web service summarises, for three kinds of edit, and where their time goes.

Run: .venv/bin/python benchmarks/bench_edit.py [--repeat 30]
Each kind of edit is applied `repeat` times in a chain, each on the texts the previous one gave, as a web worker
applies edits to the head the last one made: the edited part is a new text every time (never a hit of a cache),
while the parts the edits do not touch are the same texts. The times are compared with a reference measured in
the same process, interleaved with the edits: parsing the thirteen part texts with PyYAML's C loader alone. The
ratio is what counts, not the milliseconds.

The split is measured inside the same chained calls, by wrapping the functions apply calls (their module's
global names, as apply looks them up): parse of the edited part's tree, validation, dump, load of the budget,
figures, each check module, the acknowledgements; "figures again" is the service's summary (service._summarise).
"""

from __future__ import annotations

import argparse
import importlib
import os
import random
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import yaml

from fascicle.checks import registry
from fascicle.compute.figures import figures
from fascicle.edit import Edit, apply, canonical, read_texts, value_at
from fascicle.source.load import bundled_path

FIGURE = ("resources", "regular.lines[1].lines[0].values.2024 proposed")
POSTS = ("posts", "staffing[0].grades.P-4")
PARAGRAPH = ("plan", "foreword.paragraphs[0].text.en")

# (label, module, global name) of what apply calls, timed where apply looks it up.
HOOKS = (
    ("parse edited part", "fascicle.edit.core", "part_tree"),
    ("validate edited part", "fascicle.edit.core", "_validate"),
    ("dump edited part", "fascicle.edit.core", "dump_part"),
    ("read the new text (tree, positions, model)", "fascicle.edit.core", "_read_new"),
    ("load budget", "fascicle.edit.core", "load_texts"),
    ("figures", "fascicle.checks.registry", "figures"),
    ("acknowledgements", "fascicle.checks.registry", "acknowledge"),
)


class Split:
    """Seconds spent in each hooked function and each check module, summed over the runs measured."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def timed(self, label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - start
        return run

    def guarded(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def run(runs: Any) -> Any:
            timed = []
            for code, check in runs:
                module = check.func.__module__.rsplit(".", 1)[-1]
                # A check is a generator function: its work is done while its findings are listed.
                timed.append((code, self.timed(f"checks: {module}", lambda check=check: list(check()))))
            return original(timed)
        return run

    @contextmanager
    def hooked(self) -> Iterator[None]:
        saved = []
        for label, module_name, name in HOOKS:
            module = importlib.import_module(module_name)
            original = getattr(module, name, None)
            if original is None:  # a step apply no longer takes
                continue
            saved.append((module, name, original))
            setattr(module, name, self.timed(label, original))
        saved.append((registry, "guarded", registry.guarded))
        registry.guarded = self.guarded(registry.guarded)
        try:
            yield
        finally:
            for module, name, original in saved:
                setattr(module, name, original)


def values(kind: str, start: object) -> Iterator[object]:
    """New values for a field, never one given before in this run or an earlier one: each edit makes a part text
    that no cache, in memory or on disk, has seen."""
    n = random.randrange(10**6) * 1000
    while True:
        n += 1
        if kind == "figure":
            yield str(Decimal(str(start)) + Decimal(n) / 10)
        elif kind == "posts":
            yield int(str(start)) + n
        else:
            yield f"{start} ({n})"


def chain(base: dict[str, str], kind: str, part: str, path: str, repeat: int, reference: Callable[[], float],
          split: Split | None = None) -> tuple[list[float], list[float]]:
    """`repeat` edits of one field, each on the texts the one before gave: their times and the reference's,
    interleaved; with `split`, the steps are timed too."""
    texts = dict(base)
    # The value read is the one set before, kept here: reading it from the texts would parse the part first.
    old = value_at(texts, part, path)
    new = values(kind, old)
    times, references = [], []
    for _ in range(repeat):
        value = next(new)
        start = time.perf_counter()
        if split is None:
            applied = apply(texts, [Edit(part, path, old, value)])
            figures(applied.loaded.budget)
        else:
            with split.hooked():
                applied = apply(texts, [Edit(part, path, old, value)])
                split.timed("figures again (service summary)", figures)(applied.loaded.budget)
        times.append(time.perf_counter() - start)
        references.append(reference())
        texts, old = applied.texts, value
    return times, references


def main() -> None:
    """Print the median time of each kind of edit, its ratio to the reference, and the split."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    repeat = parser.parse_args().repeat
    # The disk cache of parts, as the CLI and the web use it, in a folder of this run's own.
    os.environ["FASCICLE_CACHE_DIR"] = tempfile.mkdtemp(prefix="fascicle-bench-edit-")
    start = time.perf_counter()
    base = canonical(read_texts(bundled_path()))
    print(f"canonical texts of the seed, first time in this process {1000 * (time.perf_counter() - start):8.1f} ms")

    def reference() -> float:
        begin = time.perf_counter()
        for text in base.values():
            yaml.load(text, Loader=yaml.CSafeLoader)
        return time.perf_counter() - begin

    edits = {"figure": FIGURE, "posts": POSTS, "paragraph": PARAGRAPH}
    for kind, (part, path) in edits.items():  # once each, untimed: imports and first-use costs
        chain(base, kind, part, path, 2, reference)
    print(f"{'edit (apply + figures), median of ' + str(repeat):<44}{'ms':>8}{'reference ms':>14}{'ratio':>8}")
    for kind, (part, path) in edits.items():
        times, references = chain(base, kind, part, path, repeat, reference)
        ours, ref = statistics.median(times), statistics.median(references)
        print(f"  {kind + ' (' + part + ': ' + path + ')':<42}{1000 * ours:8.2f}{1000 * ref:14.2f}"
              f"{ours / ref:8.2f}")
    for kind, (part, path) in edits.items():
        split = Split()
        chain(base, kind, part, path, repeat, reference, split)
        print(f"split of the {kind} edit (mean ms an edit, hooks included)")
        for label, seconds in sorted(split.seconds.items(), key=lambda item: -item[1]):
            print(f"  {label:<42}{1000 * seconds / repeat:8.2f}")


if __name__ == "__main__":
    main()
