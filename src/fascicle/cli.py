"""The command line: one Typer app over the core (validate, show, diff, recost, synth, checks)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress, track
from rich.table import Table as RichTable

from fascicle.checks.finding import Finding
from fascicle.checks.registry import catalogue, run_checks
from fascicle.compute.diff import figure_changes, year_changes
from fascicle.compute.figures import figures
from fascicle.compute.recost import Inflation, recost
from fascicle.document import tables
from fascicle.document.build import build
from fascicle.document.labels import label
from fascicle.document.numbers import change, number
from fascicle.document.section_tables import compliance_table, deliverables_table, mandates_table, oversight_table
from fascicle.document.table import Table
from fascicle.document.tree import FigureBlock, TableBlock
from fascicle.model.base import period
from fascicle.source.errors import LoadError
from fascicle.source.load import Loaded, load
from fascicle.source.many import section_dirs
from fascicle.source.validate import SourceErrors, parse_part

app = typer.Typer(help="Fascicle: a programme budget section as checked data.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
# Piped output keeps whole lines: a finding or a figure is never wrapped at 80 columns.
out = Console(highlight=False, width=None if os.isatty(1) else 200)
err = Console(stderr=True, highlight=False, width=None if os.isatty(2) else 200)

LANGUAGES = ("zh", "en", "fr", "es", "ru", "ar")
PathArg = Annotated[Path | None, typer.Argument(help="Section directory (default: the bundled ITC 2024 data).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
TABLES = ("resources", "posts", "structure", "changes", "deliverables", "measures", "compliance", "mandates",
          "oversight")
NUMBERED = "13.1 … 13.8, 13.I … 13.IV: a table or figure exactly as the fascicle prints it"


def _display(path: Path) -> str:
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def _load_or_exit(path: Path | None) -> Loaded:
    try:
        return load(path)
    except LoadError as error:
        for problem in error.errors:
            where = _display(Path(path) / problem.file) if path and Path(path).is_dir() else str(path or problem.file)
            field = f" {problem.field}:" if problem.field else ""
            err.print(f"{where}:{problem.line}:{problem.column}: [LOAD]{field} {problem.message}", markup=False,
                      soft_wrap=True)
        raise typer.Exit(2) from None


def _finding_line(entry: dict[str, Any]) -> str:
    first = entry["locations"][0] if entry["locations"] else {"file": "-", "line": 0}
    return f"{first['file']}:{first['line']}: [{entry['code']}] {entry['message']}"


def _finding_json(loaded: Loaded, finding: Finding) -> dict[str, Any]:
    return {"code": finding.code, "severity": finding.severity, "message": finding.message,
            "locations": [{"file": _display(loaded.root / loaded.line_of(loc.part, loc.path)[0]),
                           "line": loaded.line_of(loc.part, loc.path)[1], "part": loc.part,
                           "path": list(loc.path), "where": loc.where} for loc in finding.locations]}


@app.command()
def validate(path: PathArg = None, as_json: JsonOpt = False) -> None:
    """Load and check a section (or a directory of sections); exit 0 clean, 1 on errors, 2 if unreadable."""
    dirs = section_dirs(path)
    results = []
    for directory in track(dirs, description="Checking", console=err, disable=len(dirs) < 2 or as_json):
        loaded = _load_or_exit(directory if path is not None else None)
        results.append((loaded, run_checks(loaded.budget)))
    found = [_finding_json(loaded, f) for loaded, findings in results for f in findings]
    if as_json:
        out.print_json(json.dumps({"sections": len(results), "findings": found}))
    else:
        for entry in found:
            out.print(_finding_line(entry), markup=False, soft_wrap=True)
        errors = sum(1 for entry in found if entry["severity"] == "error")
        err.print(f"{len(results)} section(s): {errors} error(s), {len(found) - errors} warning(s)")
    raise typer.Exit(1 if any(entry["severity"] == "error" for entry in found) else 0)


def _render(table: Table, lang: str) -> RichTable:
    view = RichTable(title=table.title, title_justify="left", show_lines=False)
    for index, column in enumerate(table.columns):
        # Figures never wrap; a column of words (Table 13.1, Annex II) may.
        words = any(isinstance(c, str) and len(c) > 24 for r in table.rows for c in r.cells[index - 1:index])
        view.add_column(column, justify="left" if index == 0 or words else "right", overflow="fold",
                        no_wrap=index > 0 and not words)
    for row in table.rows:
        style = "bold" if row.kind in ("total", "heading") else ("italic" if row.kind == "group" else None)
        cells = [_cell(value, lang, index + 1 in table.changes) for index, value in enumerate(row.cells)]
        view.add_row("  " * row.level + row.label, *cells, style=style)
    if table.notes:
        view.caption = "\n".join(table.notes)
        view.caption_justify = "left"
    return view


def _cell(value: Any, lang: str, is_change: bool) -> str:
    if isinstance(value, str):
        return value
    return change(value, lang) if is_change else number(value, lang)


def _tables(loaded: Loaded, name: str, lang: str, year: int | None) -> list[Table]:
    budget, figs = loaded.budget, figures(loaded.budget)
    plan = budget.section.year
    if name == "resources":
        return tables.resources(budget, figs, lang)
    if name == "posts":
        return tables.posts(budget, figs, lang)
    if name == "structure":
        return [tables.structure(budget, lang, y) for y in ([year] if year else [plan - 1, plan])]
    if name == "changes":
        before = (year or plan) - 1
        return [tables.post_changes(budget, lang, period(before, "approved"), period(year or plan, "proposed"))]
    if name == "deliverables":
        return [deliverables_table(budget, lang, rate_year=plan - 2)]
    if name == "measures":
        return [tables.measures(budget, lang)]
    if name in ("mandates", "oversight"):
        return [mandates_table(budget, lang) if name == "mandates" else oversight_table(budget, lang)]
    return [compliance_table(budget, lang)]


def _numbered(loaded: Loaded, name: str, lang: str) -> list[Table]:
    """A numbered table or figure of the document, e.g. 13.4 or 13.IV, as published."""
    found: list[Table] = []
    for block in build(loaded.budget, lang).blocks:
        if isinstance(block, TableBlock | FigureBlock) and block.number and block.number.split()[-1] == name:
            title = f"{block.number} {block.title}"
            found += [replace(t, title=title) for t in ((block.table,) if isinstance(block, TableBlock)
                                                         else block.data)]
    return found


@app.command()
def show(
    first: Annotated[str, typer.Argument(metavar="[PATH] TABLE",
                                         help=f"One of: {', '.join(TABLES)}; or {NUMBERED}.")],
    second: Annotated[str | None, typer.Argument(hidden=True)] = None,
    year: Annotated[int | None, typer.Option(help="Year of the structure or post changes.")] = None,
    lang: Annotated[str, typer.Option(help="Language: zh, en, fr, es, ru or ar.")] = "en",
    as_json: JsonOpt = False,
) -> None:
    """Print a table of the section in the terminal."""
    path, name = (Path(first), second) if second else (None, first)
    _choices(lang, LANGUAGES, "--lang")
    numbered = bool(re.fullmatch(r"\d+\.[0-9IVX]+", name))
    if name not in TABLES and not numbered:
        err.print(f"unknown table {name!r}; choose one of: {', '.join(TABLES)}; or {NUMBERED}")
        raise typer.Exit(2)
    loaded = _load_or_exit(path)
    plan = loaded.budget.section.year
    if year is not None and name not in ("structure", "changes") and year != plan:
        err.print(f"the section is the plan for {plan}; --year picks the year of structure and changes")
        raise typer.Exit(2)
    if year is not None and not any(year in u.years for u in loaded.budget.structure.units):
        err.print(f"the data has no structure for {year}")
        raise typer.Exit(2)
    found = _numbered(loaded, name, lang) if numbered else _tables(loaded, name, lang, year)
    if not found:
        err.print(f"the section has no table or figure {name}")
        raise typer.Exit(2)
    if as_json:
        out.print_json(json.dumps([table.as_json() for table in found], ensure_ascii=False))
        return
    for table in found:
        out.print(_render(table, lang))


def _dataset_or_year(text: str) -> tuple[Loaded | None, int | None]:
    if text.isdigit() and len(text) == 4:
        return None, int(text)
    return _load_or_exit(Path(text)), None


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="Old section directory, or a year.")],
    new: Annotated[str, typer.Argument(help="New section directory, or a year.")],
    path: Annotated[Path | None, typer.Option(help="Section to compare two years of.")] = None,
    lang: Annotated[str, typer.Option(help="Language: zh or en.")] = "en",
    as_json: JsonOpt = False,
) -> None:
    """What changed between two datasets, or between two years of one dataset (figures and posts)."""
    (old_loaded, old_year), (new_loaded, new_year) = _dataset_or_year(old), _dataset_or_year(new)
    if old_year and new_year:
        loaded = _load_or_exit(path)
        changes = year_changes(figures(loaded.budget), old_year, new_year)
        extra = [tables.post_changes(loaded.budget, lang, period(old_year, "approved"), period(new_year, "proposed"))]
    elif old_loaded and new_loaded:
        changes = figure_changes(figures(old_loaded.budget), figures(new_loaded.budget))
        extra = []
    else:
        err.print("compare two directories or two years")
        raise typer.Exit(2)
    if as_json:
        out.print_json(json.dumps({"figures": [{"ref": c.ref, "period": c.period, "old": _str(c.old),
                                                "new": _str(c.new), "delta": _str(c.delta)} for c in changes],
                                   "tables": [t.as_json() for t in extra]}, ensure_ascii=False))
        return
    view = RichTable(title=f"{len(changes)} figure(s) changed", title_justify="left")
    for column in ("figure", "period", "old", "new", "change"):
        view.add_column(column, justify="left" if column in ("figure", "period") else "right")
    for c in changes:
        view.add_row(c.ref, c.period, number(c.old, lang), number(c.new, lang), change(c.delta, lang))
    out.print(view)
    for table in extra:
        out.print(_render(table, lang))


def _str(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _rate(text: str) -> Decimal:
    pair, _, amount = text.partition("=")
    try:
        rate = Decimal(amount)
    except InvalidOperation:
        rate = Decimal(0)
    if pair.upper() != "CHF/USD" or not rate.is_finite() or rate <= 0:
        err.print(f"--rate {text!r}: write CHF/USD=<positive decimal>, e.g. CHF/USD=0.90")
        raise typer.Exit(2)
    return rate


@app.command(name="recost")
def recost_command(
    path: PathArg = None,
    rate: Annotated[str, typer.Option(help="New exchange rate, e.g. CHF/USD=0.90.")] = "",
    inflation: Annotated[Path | None, typer.Option(help="YAML file of dated inflation rates.")] = None,
    lang: Annotated[str, typer.Option(help="Language: zh or en.")] = "en",
    as_json: JsonOpt = False,
) -> None:
    """The section's estimate recosted at a new exchange rate and dated inflation rates."""
    new_rate = _rate(rate)
    loaded = _load_or_exit(path)
    rates = None
    if inflation is not None:
        try:
            rates, _ = parse_part(inflation, _display(inflation), Inflation)
        except SourceErrors as error:
            for problem in error.errors:
                err.print(str(problem), markup=False)
            raise typer.Exit(2) from None
    result = recost(loaded.budget, new_rate, rates)
    if as_json:
        out.print_json(json.dumps({
            "period": result.period, "rate_before": _str(result.rate_before), "rate_after": _str(result.rate_after),
            "lines": [{"id": r.id, "before": _str(r.before), "recosting": _str(r.recosting), "after": _str(r.after)}
                      for r in result.lines],
            "total_before": _str(result.total_before), "total_after": _str(result.total_after),
            "grant_before": _str(result.grant_before), "grant_after": _str(result.grant_after)}))
        return
    view = RichTable(title=f"{result.period}: {label('recosting', lang)} (CHF/USD "
                           f"{number(result.rate_before, lang)} → {number(result.rate_after, lang)})",
                     title_justify="left")
    for column in ("", label("before", lang), label("recosting", lang), label("after", lang)):
        view.add_column(column, justify="right" if column else "left")
    for row in result.lines:
        view.add_row(row.id, number(row.before, lang), change(row.recosting, lang), number(row.after, lang))
    view.add_row(label("total", lang) + " (CHF)", number(result.total_before, lang),
                 change(result.total_after - result.total_before, lang), number(result.total_after, lang),
                 style="bold")
    grant_change = None if result.grant_before is None else result.grant_after - result.grant_before
    view.add_row(label("grant", lang), number(result.grant_before, lang), change(grant_change, lang),
                 number(result.grant_after, lang), style="bold")
    out.print(view)


@app.command()
def synth(
    scale: Annotated[int, typer.Option(min=1, help="Size as a multiple of ITC's section.")] = 10,
    out_dir: Annotated[Path, typer.Option("--out", help="Directory to write the sections into.")] = Path("synth"),
    seed: Annotated[int, typer.Option(help="Random seed, for a repeatable dataset.")] = 0,
) -> None:
    """Write a valid synthetic dataset N times the size of ITC's, in several sections."""
    from fascicle.source.write import write
    from fascicle.synth import synthesize

    budgets = list(synthesize(load().budget, scale, seed))
    for index, budget in track(list(enumerate(budgets)), description="Writing", console=err):
        write(budget, out_dir / f"section-{index + 1:02d}")
    err.print(f"{len(budgets)} section(s) written to {out_dir}")


@app.command(name="build")
def build_command(
    path: PathArg = None,
    lang: Annotated[str, typer.Option(help="Languages, comma-separated: zh,en,fr,es,ru,ar.")] = "zh,en",
    format_: Annotated[str, typer.Option("--format", help="Formats, comma-separated: html,pdf,docx,xlsx.")] =
    "html,pdf,docx,xlsx",
    out_dir: Annotated[Path, typer.Option("--out", help="Output directory.")] = Path("build"),
    force: Annotated[bool, typer.Option(help="Publish despite errors, watermarked as a draft.")] = False,
) -> None:
    """Publish the section: DIR/<lang>/fascicle.{html,pdf,docx,xlsx}."""
    from fascicle.render.publish import FORMATS, publish

    langs, formats = _choices(lang, LANGUAGES, "--lang"), _choices(format_, FORMATS, "--format")
    loaded = _load_or_exit(path)
    errors = [f for f in run_checks(loaded.budget) if f.severity == "error"]
    for finding in errors:
        err.print(_finding_line(_finding_json(loaded, finding)), markup=False, soft_wrap=True)
    if errors and not force:
        err.print(f"{len(errors)} error(s): not published. Fix them, or use --force for a draft.")
        raise typer.Exit(1)
    steps = len(langs) * (len(formats) + 1)
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("Building", total=steps)
        written = publish(loaded.budget, langs, formats, out_dir, draft=bool(errors),
                          step=lambda what: progress.update(task, advance=1, description=what))
    for file in written:
        out.print(_display(file))
    if errors:
        err.print(f"{len(errors)} error(s): written as a DRAFT.")


def _choices(text: str, allowed: tuple[str, ...], option: str) -> list[str]:
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [part for part in chosen if part not in allowed]
    if unknown or not chosen:
        err.print(f"{option} {text!r}: choose from {', '.join(allowed)}")
        raise typer.Exit(2)
    return chosen


@app.command()
def checks(as_json: JsonOpt = False) -> None:
    """The catalogue of checks: code, severity and what each finds."""
    entries = catalogue()
    if as_json:
        out.print_json(json.dumps([e.__dict__ for e in entries]))
        return
    view = RichTable(title="Checks", title_justify="left")
    for column in ("code", "severity", "finds"):
        view.add_column(column)
    for entry in entries:
        view.add_row(entry.code, entry.severity, entry.title)
    out.print(view)
