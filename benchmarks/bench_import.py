"""Importing the UN's Word fascicles, and loading + checking a budget of 40 imported sections, as ratios in one run.

Run: make bench (or .venv/bin/python benchmarks/bench_import.py [--data DIR] [--sections 40]).
1. `import_file` over every .docx of the development set (the corrigendum applied onto its section), against
   two ways of merely reading the same files measured in the same process: python-docx's plain API and lxml
   walking word/document.xml. The aim: the set imports in under 10 s.
2. The imported sections written out and copied round-robin into 40 section folders, then loaded, computed and
   checked (`load_section` + `run_general`), against loading + checking the bundled ITC 2024 seed as many times.
   The aim: 40 sections in under 2 s. `fascicle validate DIR --json` once, end to end, in a fresh process.
The ratios are what carry from machine to machine; the seconds are this machine's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
from lxml import etree

from fascicle.checks.general import run_general
from fascicle.checks.registry import run_checks
from fascicle.ingest.document import Imported
from fascicle.ingest.importer import apply_corrigendum, import_file
from fascicle.model.general import Section
from fascicle.source.general import load_section, write_section
from fascicle.source.load import bundled_path, load
from timing import median_time

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "fascicles"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
IMPORT_AIM = 10.0
BUDGET_AIM = 2.0
REPEAT = 3


def import_set(files: list[Path], times: dict[str, float]) -> list[Section]:
    """Import every file, corrigenda applied onto the sections they correct; each file's seconds into `times`."""
    imported: list[tuple[Path, Imported]] = []
    for path in files:
        start = time.perf_counter()
        imported.append((path, import_file(path)))
        times[path.name] = time.perf_counter() - start
    sections = {item.section.fascicle.symbol: item.section for _, item in imported if not item.corrigendum}
    for path, item in imported:
        if item.corrigendum:
            start = time.perf_counter()
            base = item.section.fascicle.symbol.split("/Corr.")[0]
            sections[base] = apply_corrigendum(sections[base], item)
            times[path.name] += time.perf_counter() - start
    return list(sections.values())


def read_python_docx(path: Path) -> int:
    """The reference (a): python-docx's plain API, every paragraph's text and every table cell's text."""
    document = docx.Document(str(path))
    chars = sum(len(paragraph.text) for paragraph in document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            chars += sum(len(cell.text) for cell in row.cells)
    return chars


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def read_lxml(path: Path) -> int:
    """The reference (b): lxml straight on word/document.xml, the body's paragraphs and table cells as text."""
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    body = root.find(f"{W}body")
    chars = 0
    for child in body if body is not None else ():
        if child.tag == f"{W}p":
            chars += len(_text(child))
        elif child.tag == f"{W}tbl":
            for row in child.iterchildren(f"{W}tr"):
                chars += sum(len(_text(cell)) for cell in row.iterchildren(f"{W}tc"))
    return chars


def per_file(files: list[Path], read: Callable[[Path], object], times: dict[str, float]) -> None:
    """Read every file one way; each file's seconds into `times`."""
    for path in files:
        start = time.perf_counter()
        read(path)
        times[path.name] = time.perf_counter() - start


def timed(files: list[Path], *ways: Callable[[dict[str, float]], object]) -> list[tuple[list[float], dict[str, float]]]:
    """For each way of reading the set, the totals of REPEAT runs and the median seconds of each file. The ways
    take turns within each repeat, so that a busy moment of the machine falls on all of them alike."""
    runs: list[list[dict[str, float]]] = [[] for _ in ways]
    for _ in range(REPEAT):
        for way, found in zip(ways, runs, strict=True):
            times: dict[str, float] = {}
            way(times)
            found.append(times)
    return [([sum(times.values()) for times in found],
             {p.name: statistics.median(times[p.name] for times in found) for p in files}) for found in runs]


def bench_import(files: list[Path]) -> list[Section]:
    """Part 1: print the import of the set against merely reading it; return the imported sections."""
    sections: list[Section] = []

    def ours(times: dict[str, float]) -> None:
        sections[:] = import_set(files, times)

    (imports, each), (plain, plain_each), (walk, walk_each) = timed(
        files, ours, lambda times: per_file(files, read_python_docx, times),
        lambda times: per_file(files, read_lxml, times))
    total, plain_total, walk_total = (statistics.median(t) for t in (imports, plain, walk))
    print(f"1. Import of the development set: {len(files)} Word files, {len(sections)} sections "
          f"(median of {REPEAT}; per file: import / python-docx / lxml walk, seconds; a "
          "corrigendum's import includes applying it)")
    for path in files:
        name = path.name
        print(f"   {name:<28} {path.stat().st_size / 1e6:5.2f} MB  {each[name]:6.3f} {plain_each[name]:6.3f} "
              f"{walk_each[name]:6.3f}  import/python-docx {each[name] / plain_each[name]:5.2f}  "
              f"import/lxml {each[name] / walk_each[name]:6.2f}")
    print(f"   total: import {total:.2f} s (first run {imports[0]:.2f} s); python-docx {plain_total:.2f} s; "
          f"lxml walk {walk_total:.2f} s")
    print(f"   ratio import/python-docx {total / plain_total:.2f}; import/lxml walk {total / walk_total:.2f}")
    verdict = "yes" if total < IMPORT_AIM else "no"
    print(f"   aim: the set imports in under {IMPORT_AIM:.0f} s: {verdict} ({total:.2f} s median, "
          f"{max(imports):.2f} s slowest run)")
    return sections


def check_budget(dirs: list[Path], split: list[float]) -> None:
    """Load, compute and check every imported section; the seconds of loading and of checking added to `split`."""
    for directory in dirs:
        start = time.perf_counter()
        section = load_section(directory).section
        loaded = time.perf_counter()
        run_general(section)
        split[0] += loaded - start
        split[1] += time.perf_counter() - loaded


def check_seed(times: int) -> None:
    """The reference: load and check the bundled ITC 2024 seed `times` times."""
    for _ in range(times):
        run_checks(load().budget)


def bench_budget(sections: list[Section], count: int, tmp: Path) -> None:
    """Part 2: print a budget of `count` imported sections loaded and checked, against the seed as many times."""
    written = []
    for section in sections:
        directory = tmp / "written" / section.fascicle.symbol.replace("/", "-").replace(" ", "").replace(".", "")
        write_section(section, directory)
        written.append(directory)
    root = tmp / "budget"
    dirs = [root / f"s{index + 1:02d}" for index in range(count)]
    for index, directory in enumerate(dirs):
        shutil.copytree(written[index % len(written)], directory)
    size = sum(f.stat().st_size for d in dirs for f in d.iterdir()) / 1e6
    seed_size = sum(f.stat().st_size for f in bundled_path().glob("*.yaml")) / 1e6 * count
    splits: list[list[float]] = []

    def ours_once() -> None:
        splits.append([0.0, 0.0])
        check_budget(dirs, splits[-1])

    # The part cache (source/cache.py) lives in a folder of this run: cold is without it, warm after one priming.
    os.environ["FASCICLE_CACHE_DIR"] = str(tmp / "cache")
    os.environ["FASCICLE_CACHE"] = "0"
    cold = median_time(ours_once, REPEAT)
    cold_load, cold_check = sorted(splits, key=sum)[len(splits) // 2]
    os.environ["FASCICLE_CACHE"] = "1"
    ours_once()
    splits.clear()
    ours = median_time(ours_once, REPEAT)
    load_s, check_s = sorted(splits, key=sum)[len(splits) // 2]
    seed = median_time(lambda: check_seed(count), REPEAT)
    print(f"2. A budget of {count} sections ({len(written)} imported sections round-robin, {size:.1f} MB "
          f"of YAML): load_section + run_general (median of {REPEAT})")
    print(f"   cold (every YAML file parsed): {cold:.2f} s ({cold / count * 1000:.0f} ms per section; load "
          f"{cold_load:.2f} s, compute + check {cold_check:.2f} s; {size / cold:.1f} MB/s)")
    print(f"   warm (unchanged parts from the cache): {ours:.2f} s ({ours / count * 1000:.0f} ms per section; "
          f"load {load_s:.2f} s, compute + check {check_s:.2f} s)")
    print(f"   ITC 2024 seed x{count} (load + run_checks, {seed_size:.1f} MB, warm) {seed:.2f} s "
          f"({seed_size / seed:.1f} MB/s); ratio imported/seed {ours / seed:.2f}")
    verdict = "yes" if ours < BUDGET_AIM else "no"
    print(f"   aim: {count} sections in under {BUDGET_AIM:.0f} s: {verdict} (warm), "
          f"{'yes' if cold < BUDGET_AIM else 'no'} (cold)")
    command = [str(Path(sys.executable).parent / "fascicle"), "validate", str(root), "--json"]
    for label, setting in (("cache off", "0"), ("first run, cache on", "1"), ("unchanged, cache on", "1")):
        environment = {**os.environ, "FASCICLE_CACHE": setting}
        start = time.perf_counter()
        status = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                                env=environment).returncode
        seconds = time.perf_counter() - start
        expected = "expected: official documents have findings" if status == 1 else "UNEXPECTED, 1 was expected"
        print(f"   fascicle validate DIR --json, {count} sections, fresh process, {label}: {seconds:.2f} s "
              f"(exit {status}, {expected})")


def main() -> None:
    """Run the benchmarks."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the development set's Word files")
    parser.add_argument("--sections", type=int, default=40, help="sections in the budget of part 2")
    args = parser.parse_args()
    files = sorted(args.data.glob("*/*.docx"))
    if not files:
        sys.exit(f"no Word files under {args.data}")
    sections = bench_import(files)
    with tempfile.TemporaryDirectory() as tmp:
        bench_budget(sections, args.sections, Path(tmp))


if __name__ == "__main__":
    main()
