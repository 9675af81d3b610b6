"""Synthetic sections for load and performance work: ITC's section grown N times, valid by construction."""

from __future__ import annotations

import contextlib
import math
import random
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from fascicle.compute.figures import figures
from fascicle.model.budget import Budget
from fascicle.render.output import OutputError, ensure_folder
from fascicle.source.parts import PARTS
from fascicle.source.write import write

# About 3 MB of YAML per 100 of scale, generated at about 1 s per 25 (measured on this 2-core machine):
# 10 000 is 100 sections, about 275 MB and 7 minutes; 100 000 would be 2.7 GB and more than an hour.
MAX_SCALE = 10_000
SECTION = re.compile(r"section-[0-9]{2,}")


def section_count(scale: int) -> int:
    """How many sections a dataset of this scale has: about √scale."""
    return max(1, round(math.sqrt(scale)))


def synthesize(base: Budget, scale: int, seed: int = 0) -> Iterator[Budget]:
    """Yield about √scale sections, each with scale/sections times the base's units, posts, deliverables,
    measures, mandates and objects of expenditure; every printed figure is the computed one."""
    if not 1 <= scale <= MAX_SCALE:
        raise ValueError(f"scale {scale}: choose from 1 to {MAX_SCALE}")
    sections = section_count(scale)
    factor = math.ceil(scale / sections)
    rng = random.Random(seed)  # noqa: S311 - repeatable test data, not secrets
    for index in range(sections):
        data = base.model_dump(mode="python")
        number = 100 + index
        data["section"].update(entity=f"S{number}", number=number, symbol=f"A/78/6 (Sect. {number})")
        _renumber(data, f"{base.section.number}.", f"{number}.")
        _grow_structure(data, factor, rng)
        _grow_deliverables(data, factor, rng)
        _grow_measures(data, factor)
        _grow_mandates(data, factor)
        _grow_lines(data, factor, rng)
        data["printed"] = None
        _balance(data, Budget.model_validate(data))
        budget = Budget.model_validate(data)
        yield budget.model_copy(update={"printed": _printed(budget)})


def _renumber(value: Any, old: str, new: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "number" and isinstance(item, str) and item.startswith(old):
                value[key] = new + item[len(old):]
            else:
                _renumber(item, old, new)
    elif isinstance(value, list | tuple):
        for item in value:
            _renumber(item, old, new)


def _grow_structure(data: dict[str, Any], factor: int, rng: random.Random) -> None:
    units, staffing = data["structure"]["units"], data["posts"]["staffing"]
    grown_units, grown_staff = [], []
    for copy in range(factor):
        suffix = "" if copy == 0 else f"-{copy}"
        for unit in units:
            renamed = unit["renamed_from"] and unit["renamed_from"] + suffix
            grown_units.append({**unit, "id": unit["id"] + suffix, "renamed_from": renamed})
        for entry in staffing:
            grades = {g: max(0, n + rng.randint(-1, 1)) if copy else n for g, n in entry["grades"].items()}
            grown_staff.append({**entry, "unit": entry["unit"] + suffix, "grades": grades})
    data["structure"]["units"], data["posts"]["staffing"] = grown_units, grown_staff


def _grow_deliverables(data: dict[str, Any], factor: int, rng: random.Random) -> None:
    number = 0
    for category in data["deliverables"]["categories"]:
        for sub in category["subcategories"]:
            items = []
            for copy in range(factor):
                for item in sub["items"]:
                    number += 1
                    quantities = {p: q + (rng.randint(0, 3) if copy else 0) for p, q in item["quantities"].items()}
                    items.append({**item, "number": number, "quantities": quantities})
            sub["items"] = items


def _grow_measures(data: dict[str, Any], factor: int) -> None:
    for result in data["performance"]["results"]:
        result["measures"] = [{**m, "id": f"{m['id']}.{copy}" if copy else m["id"]}
                              for copy in range(factor) for m in result["measures"]]


def _grow_mandates(data: dict[str, Any], factor: int) -> None:
    for group in data["mandates"]["groups"]:
        group["mandates"] = [{**m, "symbols": [f"{s}/{copy}" if copy else s for s in m["symbols"]]}
                             for copy in range(factor) for m in group["mandates"]]


def _grow_lines(data: dict[str, Any], factor: int, rng: random.Random) -> None:
    for line in data["resources"]["regular"]["lines"]:
        if not line["lines"]:
            continue
        objects = line["lines"]
        line["lines"] = [
            {**obj, "id": f"{obj['id']}_{copy}" if copy else obj["id"],
             "values": {p: v + (Decimal(rng.randint(0, 999)) / 10 if copy else 0) for p, v in obj["values"].items()}}
            for copy in range(factor) for obj in objects]
        line["values"] = {p: v * factor for p, v in line["values"].items()}


def _balance(data: dict[str, Any], budget: Budget) -> None:
    # Growing changed the estimates; the difference goes into the "other" change column,
    # as a budget office would explain it, so that every check holds.
    figs = figures(budget)
    for fund in ("regular", "un_grant"):
        block = data["resources"][fund]
        current, estimate = block["periods"][1], block["periods"][2]
        for line in block["lines"]:
            before, after = figs.get((f"{fund}.{line['id']}", current)), figs.get((f"{fund}.{line['id']}", estimate))
            if before is not None and after is not None and before != after:
                line["changes"] = [{"kind": "other", "amount": after - before}]
    year = budget.section.year
    old = figs_by_grade(figs, f"{year - 1} approved")
    new = figs_by_grade(figs, f"{year} proposed")
    unit = data["posts"]["staffing"][0]["unit"]
    deltas = {grade: new.get(grade, 0) - old.get(grade, 0) for grade in {*old, *new}}
    data["posts"]["changes"] = [{"kind": "other", "unit": unit, "grade": grade, "number": int(delta)}
                                for grade, delta in sorted(deltas.items()) if delta]


def figs_by_grade(figs: dict[tuple[str, str], Decimal | None], period: str) -> dict[str, Decimal]:
    """Regular-budget posts by grade in a period, from the computed figures."""
    prefix = "posts.rb.grade."
    return {ref[len(prefix):]: n for (ref, per), n in figs.items() if ref.startswith(prefix) and per == period and n}


def _printed(budget: Budget) -> Any:
    from fascicle.model.printed import PrintedFigures

    rows = [{"ref": ref, "period": per, "value": amount, "where": f"synthetic {ref} {per}"}
            for (ref, per), amount in figures(budget).items()
            if ref.endswith(".total") or (".unit." in ref and ".grade." not in ref)]
    return PrintedFigures.model_validate({"document": budget.section.symbol, "figures": rows})


def write_sections(base: Budget, scale: int, out: Path, seed: int = 0) -> Iterator[Path]:
    """Write the dataset into `out/section-NN/`, one section at a time as it is generated (memory holds one
    section), and yield each folder once written. Each file is replaced whole; a section folder is written only
    when it is absent, empty or an earlier synthetic section, else OutputError names the file in the way.
    Synthetic sections of an earlier, larger run beyond the new count are removed at the end, file by file."""
    if not 1 <= scale <= MAX_SCALE:
        raise OutputError(f"--scale {scale}: choose from 1 to {MAX_SCALE}")
    ensure_folder(out)
    count = section_count(scale)
    folders = [out / f"section-{index + 1:02d}" for index in range(count)]
    for folder in folders:
        _check_writable(folder)
    for folder, budget in zip(folders, synthesize(base, scale, seed), strict=True):
        try:
            write(budget, folder)
        except OSError as error:
            raise OutputError(f"--out {out}: cannot write {error.filename or folder}: {error.strerror}") from None
        yield folder
    for stale in sorted(set(out.iterdir()) - set(folders)):
        if SECTION.fullmatch(stale.name) and stale.is_dir() and not stale.is_symlink() and _synthetic(stale):
            _remove_section(stale)


def _check_writable(folder: Path) -> None:
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise OutputError(f"{folder} is not a folder synth wrote, and synth would write a section there: "
                          f"move it away or choose another --out")
    stray = _stray(folder) if folder.is_dir() else None
    if stray is not None:
        raise OutputError(f"{stray} was not written by synth, and synth would write into {folder}: "
                          f"move it away or choose another --out")


def _synthetic(folder: Path) -> bool:
    return _stray(folder) is None


def _stray(folder: Path) -> Path | None:
    """The first file in a section folder that synth did not write; synth's printed figures say "synthetic"."""
    names = set(PARTS.values())
    entries = sorted(folder.iterdir())
    for entry in entries:
        if entry.name not in names or not entry.is_file() or entry.is_symlink():
            return entry
    if not entries:
        return None
    try:
        with (folder / PARTS["printed"]).open(encoding="utf-8") as printed:
            head = printed.read(4096)
    except OSError:
        return entries[0]
    return None if re.search(r"^  where: synthetic ", head, re.MULTILINE) else folder / PARTS["printed"]


def _remove_section(folder: Path) -> None:
    for name in PARTS.values():
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()
    with contextlib.suppress(OSError):
        folder.rmdir()
