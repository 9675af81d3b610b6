"""The command line: one Typer app over the core (validate, show, diff, recost, synth, checks)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import TypeAdapter, ValidationError
from rich.console import Console
from rich.progress import Progress, track
from rich.table import Table as RichTable

from fascicle.checks.across import Comparable, check_across, of_budget, of_section
from fascicle.checks.finding import Finding
from fascicle.checks.registry import catalogue, run_checks
from fascicle.cli_sections import register, show_general, show_summary
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
from fascicle.model.base import Rate, period, split_period
from fascicle.report import display_path, finding_json, finding_line, load_error_json, load_error_line, summary
from fascicle.source.errors import LoadError
from fascicle.source.general import Deferred, LoadedSection, is_general, load_section
from fascicle.source.load import Loaded, load
from fascicle.source.many import section_dirs
from fascicle.source.validate import SourceErrors, parse_part
from fascicle.synth import MAX_SCALE

app = typer.Typer(help="Fascicle: a programme budget section as checked data.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
# Piped output keeps whole lines: a finding or a figure is never wrapped at 80 columns. Emoji codes are off,
# since "structure.yaml:100:5" would otherwise print a 💯 where the line number is, and markup is off, since
# "[/]" in a unit name is text, not a style (Rich would raise on it).
out = Console(highlight=False, emoji=False, markup=False, width=None if os.isatty(1) else 200)
err = Console(stderr=True, highlight=False, emoji=False, markup=False, width=None if os.isatty(2) else 200)

LANGUAGES = ("zh", "en", "fr", "es", "ru", "ar")
PathArg = Annotated[Path | None, typer.Argument(help="Section directory (default: the bundled ITC 2024 data).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
RATE: TypeAdapter[Decimal] = TypeAdapter(Rate)
TABLES = ("resources", "posts", "structure", "changes", "deliverables", "measures", "compliance", "mandates",
          "oversight", "findings", "summary")
NUMBERED = "13.1 … 13.8, 13.I … 13.IV: a table or figure exactly as the fascicle prints it"


def _load_or_exit(path: Path | None) -> Loaded:
    try:
        return load(path)
    except LoadError as error:
        for problem in error.errors:
            err.print(load_error_line(load_error_json(path, problem)), soft_wrap=True)
        raise typer.Exit(2) from None


@dataclass
class _Checked:
    """What checking every section under a path found."""

    sections: int = 0
    findings: list[dict[str, Any]] = field(default_factory=list)
    load_errors: list[dict[str, Any]] = field(default_factory=list)
    unreadable: int = 0

    def unreadable_section(self, root: Path | None, error: LoadError) -> None:
        """Count a section that cannot be read and keep every one of its load errors."""
        self.unreadable += 1
        self.load_errors += [load_error_json(root, problem) for problem in error.errors]


def _check_all(path: Path | None, progress: bool) -> _Checked:
    """Load and check every section under `path`, one at a time; every error of every section is kept. Sections
    of one entity in different years are then checked against each other (what one restates of the other)."""
    dirs = section_dirs(path)
    checked = _Checked()
    kept: dict[str, Loaded | LoadedSection | Deferred] = {}
    comparables = []
    for directory in track(dirs, description="Checking", console=err, disable=len(dirs) < 2 or not progress):
        root = directory if path is not None else None
        found: tuple[Comparable, Loaded | LoadedSection | Deferred] | None
        if root is not None and is_general(root):
            found = _check_general(root, checked)
        else:
            found = _check_budget(root, checked)
        if found is not None and len(dirs) > 1:
            comparable, loaded = found
            comparables.append(comparable)
            kept[comparable.symbol] = loaded
    if len(comparables) > 1:
        for symbol, finding in check_across(comparables):
            checked.findings.append(finding_json(kept[symbol], finding))
    return checked


def _check_budget(root: Path | None, checked: _Checked) -> tuple[Comparable, Loaded] | None:
    """Load and check one section in the seed's shape."""
    try:
        loaded = load(root)
    except LoadError as error:
        checked.unreadable_section(root, error)
        return None
    checked.sections += 1
    figs = figures(loaded.budget)
    # Only the findings are kept, so memory holds one section at a time however many there are.
    checked.findings += [finding_json(loaded, f) for f in run_checks(loaded.budget, figs)]
    return of_budget(loaded.budget, figs), loaded


def _check_general(root: Path, checked: _Checked) -> tuple[Comparable, LoadedSection | Deferred] | None:
    """Load and check one section held as the document prints it; an unchanged folder's result comes from the
    cache (the same program and the same bytes give the same findings)."""
    from fascicle.checks.general import run_general
    from fascicle.compute.general import evaluate
    from fascicle.source import cache

    where, key = cache.folder(), cache.folder_key(root)
    if where is not None and key is not None:
        hit = cache.get(where, key)
        if isinstance(hit, tuple) and len(hit) == 2 and isinstance(hit[1], Comparable):
            checked.sections += 1
            checked.findings += [_rooted(entry, root) for entry in hit[0]]
            return hit[1], Deferred(root)
    try:
        loaded = load_section(root)
    except LoadError as error:
        checked.unreadable_section(root, error)
        return None
    checked.sections += 1
    evaluation = evaluate(loaded.section)
    found = [finding_json(loaded, f) for f in run_general(loaded.section, evaluation)]
    checked.findings += found
    comparable = of_section(loaded.section)
    if where is not None and key is not None:
        cache.put(where, key, ([_unrooted(entry, root) for entry in found], comparable))
    return comparable, loaded


def _unrooted(entry: dict[str, Any], root: Path) -> dict[str, Any]:
    """A finding with its files named inside the section folder, to be cached."""
    return {**entry, "locations": [{**loc, "file": Path(loc["file"]).name} for loc in entry["locations"]]}


def _rooted(entry: dict[str, Any], root: Path) -> dict[str, Any]:
    """A cached finding with its files named as this run names them."""
    return {**entry, "locations": [{**loc, "file": display_path(root / loc["file"])} for loc in entry["locations"]]}


@app.command()
def validate(path: PathArg = None, as_json: JsonOpt = False) -> None:
    """Load and check a section (or a directory of sections); exit 0 when nothing blocks publication (warnings
    and acknowledged errors allowed), 1 on errors, 2 if a section cannot be read."""
    checked = _check_all(path, progress=not as_json)
    if as_json:
        out.print_json(json.dumps({"sections": checked.sections, "load_errors": checked.load_errors,
                                   "findings": checked.findings}, ensure_ascii=False))
    else:
        for problem in checked.load_errors:
            err.print(load_error_line(problem), soft_wrap=True)
        for entry in checked.findings:
            out.print(finding_line(entry), soft_wrap=True)
        err.print(summary(checked.sections, checked.findings, checked.unreadable))
    blocking = any(entry["blocking"] for entry in checked.findings)
    raise typer.Exit(2 if checked.unreadable else 1 if blocking else 0)


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
    if name == "summary":
        show_summary(path, as_json, out, err)
        return
    if path is not None and is_general(path):
        show_general(path, name, as_json, out, err)
        return
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
    if name == "findings":
        _show_findings(loaded, as_json)
        return
    found = _numbered(loaded, name, lang) if numbered else _tables(loaded, name, lang, year)
    if not found:
        err.print(f"the section has no table or figure {name}")
        raise typer.Exit(2)
    if as_json:
        out.print_json(json.dumps([table.as_json() for table in found], ensure_ascii=False))
        return
    for table in found:
        out.print(_render(table, lang))


def _show_findings(loaded: Loaded, as_json: bool) -> None:
    """Every finding, with the acknowledgement a reviewer needs to see beside an accepted error."""
    found = [finding_json(loaded, f) for f in run_checks(loaded.budget)]
    if as_json:
        out.print_json(json.dumps(found, ensure_ascii=False))
        return
    view = RichTable(title=summary(1, found), title_justify="left")
    for column in ("code", "severity", "status", "where", "finding", "acknowledged by, on, because"):
        view.add_column(column, overflow="fold")
    for entry in found:
        first = entry["locations"][0] if entry["locations"] else {"file": "-", "line": 0}
        item = entry["acknowledged"]
        status = "blocks" if entry["blocking"] else ("acknowledged" if item else "—")
        where = f"{first['file']}:{first['line']} {first.get('field', '')}"
        view.add_row(entry["code"], entry["severity"], status, where, entry["message"],
                     "" if item is None else f"{item['who']}, {item['date']}: {item['reason']}")
    out.print(view)


def _dataset_or_year(text: str) -> tuple[Loaded | LoadedSection | None, int | None]:
    if text.isdigit() and len(text) == 4:
        return None, int(text)
    if is_general(Path(text)):
        try:
            return load_section(Path(text)), None
        except LoadError as error:
            for problem in error.errors:
                err.print(load_error_line(load_error_json(Path(text), problem)), soft_wrap=True)
            raise typer.Exit(2) from None
    return _load_or_exit(Path(text)), None


def _comparable(loaded: Loaded | LoadedSection) -> dict[tuple[str, str], Decimal | None]:
    """A dataset's figures under the names both shapes of section share (numbered deliverables, posts by grade)."""
    found = (of_section(loaded.section) if isinstance(loaded, LoadedSection)
             else of_budget(loaded.budget, figures(loaded.budget)))
    return {key: value.value for key, value in found.values.items()}


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
        figs = figures(loaded.budget)
        years = sorted({split_period(per)[0] for _, per in figs})
        for year in (old_year, new_year):
            if year not in years:
                err.print(f"the data has no figures for {year}; it has {', '.join(map(str, years))}")
                raise typer.Exit(2)
        changes = year_changes(figs, old_year, new_year)
        extra = [tables.post_changes(loaded.budget, lang, period(old_year, "approved"), period(new_year, "proposed"))]
    elif isinstance(old_loaded, Loaded) and isinstance(new_loaded, Loaded):
        changes = figure_changes(figures(old_loaded.budget), figures(new_loaded.budget))
        extra = []
    elif old_loaded and new_loaded:
        # Two years of one entity: what both documents name, and what changed between them.
        before, after = _comparable(old_loaded), _comparable(new_loaded)
        # A measure's series grows by a year: its new points are shown with the changed ones.
        common = before.keys() & after.keys() | {k for k in after.keys() - before.keys() if k[0].startswith("measure.")
                                                 and any(b[0] == k[0] for b in before)}
        changes = figure_changes({k: before[k] for k in common if k in before}, {k: after[k] for k in common})
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
    problem = "write CHF/USD=<positive decimal>, e.g. CHF/USD=0.90"
    # The rate obeys the data's own rule for exchange rates, so 1E+999999999 is refused, not computed with.
    if pair.upper() == "CHF/USD" and re.fullmatch(r"\d{1,12}(\.\d{1,12})?", amount):
        try:
            return RATE.validate_python(Decimal(amount))
        except ValidationError as error:
            problem = error.errors()[0]["msg"].removeprefix("Value error, ")
    err.print(f"--rate {text!r}: {problem}")
    raise typer.Exit(2)


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
            rates, _ = parse_part(inflation, display_path(inflation), Inflation)
        except SourceErrors as error:
            for problem in error.errors:
                err.print(str(problem))
            raise typer.Exit(2) from None
    try:
        result = recost(loaded.budget, new_rate, rates)
    except ValueError as error:
        err.print(f"cannot recost: {error}")
        raise typer.Exit(1) from None
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
    scale: Annotated[int, typer.Option(min=1, max=MAX_SCALE, help=(
        f"Size as a multiple of ITC's section, at most {MAX_SCALE:,} (about 3 MB of YAML per 100)."))] = 10,
    out_dir: Annotated[Path, typer.Option("--out", help="Directory to write the sections into.")] = Path("synth"),
    seed: Annotated[int, typer.Option(help="Random seed, for a repeatable dataset.")] = 0,
) -> None:
    """Write a valid synthetic dataset N times the size of ITC's, in several sections, one at a time."""
    from fascicle.render.output import OutputError
    from fascicle.synth import section_count, write_sections

    count = section_count(scale)
    try:
        for _ in track(write_sections(load().budget, scale, out_dir, seed), total=count, description="Writing",
                       console=err):
            pass
    except OutputError as error:
        err.print(str(error), soft_wrap=True)
        raise typer.Exit(2) from None
    err.print(f"{count} section(s) written to {out_dir}")


@app.command(name="build")
def build_command(
    path: PathArg = None,
    lang: Annotated[str, typer.Option(help="Languages, comma-separated: zh,en,fr,es,ru,ar.")] = "zh,en",
    format_: Annotated[str, typer.Option("--format", help="Formats, comma-separated: html,pdf,docx,xlsx.")] =
    "html,pdf,docx,xlsx",
    out_dir: Annotated[Path, typer.Option("--out", help="Output directory.")] = Path("build"),
    force: Annotated[bool, typer.Option(help="Publish despite errors, watermarked as a draft.")] = False,
) -> None:
    """Publish the section: DIR/<lang>/fascicle.{html,pdf,docx,xlsx}, replacing the last build in DIR as a whole."""
    from fascicle.render.output import OutputError
    from fascicle.render.publish import FORMATS, publish

    langs, formats = _choices(lang, LANGUAGES, "--lang"), _choices(format_, FORMATS, "--format")
    dirs = section_dirs(path) if path is not None else []
    if len(dirs) > 1 or (dirs and dirs[0] != path):
        _build_budget(path, dirs, lang, format_, out_dir, force)
        return
    if path is not None and is_general(path):
        _build_general(path, langs, formats, out_dir, force)
        return
    loaded = _load_or_exit(path)
    errors = _gate(loaded, run_checks(loaded.budget), force)
    steps = len(langs) * (len(formats) + 1)
    try:
        with Progress(console=err, transient=True) as progress:
            task = progress.add_task("Building", total=steps)
            written = publish(loaded.budget, langs, formats, out_dir, draft=bool(errors),
                              step=lambda what: progress.update(task, advance=1, description=what))
    except OutputError as error:
        err.print(f"{error}; nothing was published", soft_wrap=True)
        raise typer.Exit(2) from None
    for file in written:
        out.print(display_path(file))
    if errors:
        err.print(f"{len(errors)} error(s): written as a DRAFT.")


def _build_budget(root: Path | None, dirs: list[Path], lang: str, format_: str, out_dir: Path, force: bool) -> None:
    """Publish every section of a budget into OUT/<its folder>/...; a section that may not be published is named
    and skipped, and the exit code says so."""
    stopped = []
    for directory in dirs:
        target = out_dir / directory.relative_to(root) if root is not None else out_dir
        # A section imported from Word is published as DOCX; the seed's shape in every format asked for.
        wanted = "docx" if is_general(directory) else format_
        try:
            build_command(directory, lang, wanted, target, force)
        except typer.Exit as stop:
            if stop.exit_code:
                stopped.append((directory, stop.exit_code))
    for directory, code in stopped:
        err.print(f"{display_path(directory)}: not published (exit {code})", soft_wrap=True)
    if stopped:
        raise typer.Exit(max(code for _, code in stopped))


def _gate(loaded: Loaded | LoadedSection, findings: list[Finding], force: bool) -> list[Finding]:
    """Print the errors; stop (exit 1) on one nobody acknowledged unless forced; return those that make a draft."""
    found = [f for f in findings if f.severity == "error"]
    # An acknowledged error is listed, but publishes as final; only an error nobody accepted makes a draft.
    errors = [f for f in found if f.blocking]
    for finding in found:
        err.print(finding_line(finding_json(loaded, finding)), soft_wrap=True)
    if errors and not force:
        err.print(f"{len(errors)} error(s): not published. Fix or acknowledge them, or use --force for a draft.")
        raise typer.Exit(1)
    return errors


def _build_general(path: Path, langs: list[str], formats: list[str], out_dir: Path, force: bool) -> None:
    """Publish a section held as the document prints it: the Word file, in the languages it has."""
    from fascicle.checks.general import run_general
    from fascicle.render.general_docx import write_docx

    loaded = load_section(path)
    errors = _gate(loaded, run_general(loaded.section), force)
    if formats != ["docx"]:
        err.print("a section imported from Word is published as DOCX for now: use --format docx")
        raise typer.Exit(2)
    have = loaded.section.fascicle.languages
    for lang in langs:
        if lang not in have:
            err.print(f"the section has no {lang} texts (it has {', '.join(have)}); nothing was published")
            raise typer.Exit(2)
    for lang in langs:
        target = out_dir / lang / "fascicle.docx"
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = target.with_name(".fascicle.docx.partial")
        write_docx(loaded.section, staging, lang, draft=bool(errors))
        os.replace(staging, target)
        out.print(display_path(target))
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


register(app, out, err)
