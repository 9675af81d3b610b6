"""Commands over sections of any year held as the document prints them: import, figures, summary."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table as RichTable

from fascicle.compute.figures import figures as budget_figures
from fascicle.compute.general import Evaluation, evaluate
from fascicle.ingest.package import Unreadable
from fascicle.report import display_path, finding_json, finding_line, load_error_json, load_error_line
from fascicle.source.errors import LoadError
from fascicle.source.general import LoadedSection, is_general, load_section, replaceable, write_section
from fascicle.source.load import load
from fascicle.source.many import section_dirs


@dataclass(frozen=True)
class Named:
    """One named figure of one section, as `fascicle figures` prints it."""

    section: str
    name: str
    period: str
    value: Decimal | None
    unit: str
    currency: str | None


def register(app: typer.Typer, out: Any, err: Any) -> None:
    """Add the commands of this module to the app."""

    @app.command(name="import")
    def import_command(
        file: Annotated[Path, typer.Argument(help="A fascicle Word file (.docx).")],
        out_dir: Annotated[Path | None, typer.Option("--out", help="Dataset directory to write.")] = None,
        onto: Annotated[Path | None, typer.Option(help="For a corrigendum: the imported section it corrects.")]
        = None,
    ) -> None:
        """Read a fascicle Word file into a dataset with an import report; exit 0 clean, 1 with errors found,
        2 when the file cannot be read (nothing is written)."""
        from fascicle.checks.general import run_general
        from fascicle.ingest.importer import apply_corrigendum, import_file, report

        try:
            imported = import_file(file)
            section = imported.section
            if onto is not None:
                base = _load_general(onto, err)
                section = apply_corrigendum(base.section, imported)
            elif imported.corrigendum:
                raise Unreadable(f"{file.name} is a corrigendum ({section.fascicle.symbol}): import the section "
                                 "first, then apply it with --onto DIR")
        except Unreadable as error:
            err.print(f"{error}; nothing was written", soft_wrap=True)
            raise typer.Exit(2) from None
        target = out_dir or onto or Path(_default_name(section.fascicle.symbol))
        problem = replaceable(target) if target != onto else None
        if problem:
            err.print(f"{problem}; nothing was written", soft_wrap=True)
            raise typer.Exit(2)
        try:
            write_section(section, target, report(imported))
        except LoadError as error:
            for unreadable in error.errors:
                err.print(f"the import cannot be read back: {unreadable}", soft_wrap=True)
            err.print("nothing was written (this is a defect of Fascicle: please report it with the file)")
            raise typer.Exit(2) from None
        loaded = load_section(target)
        found = run_general(loaded.section)
        for finding in found:
            out.print(finding_line(finding_json(loaded, finding)), soft_wrap=True)
        cells = sum(a.figures for _, a in imported.accounts), sum(a.printed for _, a in imported.accounts)
        unknown = sum(len(a.unknown) for _, a in imported.accounts)
        err.print(f"{section.fascicle.symbol} → {display_path(target)}: {cells[0]} figures, {cells[1]} printed "
                  f"numbers checked, {unknown} cell(s) not understood (see import-report.yaml); "
                  f"{len(found)} finding(s)", soft_wrap=True)
        raise typer.Exit(1 if any(f.blocking for f in found) else 0)

    @app.command(name="figures")
    def figures_command(
        path: Annotated[Path | None, typer.Argument(help="A section, or a directory of sections.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
    ) -> None:
        """Every named figure of a section (or of every section of a budget): name, period, value, unit."""
        found = [figure for directory in section_dirs(path)
                 for figure in section_figures(directory if path is not None else None, err)]
        if as_json:
            out.print_json(json.dumps([{"section": f.section, "name": f.name, "period": f.period,
                                        "value": None if f.value is None else format(f.value, "f"),
                                        "unit": f.unit, "currency": f.currency} for f in found],
                                      ensure_ascii=False))
            return
        for f in found:
            value = "–" if f.value is None else format(f.value, "f")
            currency = f" {f.currency}" if f.currency else ""
            # Plain lines, so the tabs stay tabs (a console would expand them) and cut -f works.
            typer.echo(f"{f.section}\t{f.name}\t{f.period}\t{value}\t{f.unit}{currency}")


GRADE_ORDER = ("USG", "ASG", "D-2", "D-1", "P-5", "P-4", "P-3", "P-2/1", "P-2", "P-1", "NPO", "FS", "GS (PL)",
               "GS (OL)", "GS", "LL", "TC", "SS")


@dataclass(frozen=True)
class SectionSummary:
    """What the budget's introduction tables say of one section: its part, resources and posts by grade."""

    part: str
    section: str
    symbol: str
    title: str
    year: int
    resources: dict[str, Decimal | None]
    posts: dict[str, Decimal | None]


def summarise(directory: Path | None, err: Any) -> SectionSummary:
    """One section's line of the summary tables, from its named figures."""
    named = section_figures(directory, err)
    year, part, section, title = _identity(directory)
    values = _with_entities({(f.name, f.period): f.value for f in named})
    # ITC's regular budget is in Swiss francs; the budget counts the United Nations grant, in dollars.
    grant = any(f.name == "un_grant.total" for f in named)
    total = "un_grant.total" if grant else "regular.total"
    resources = {}
    for label, name, period in (("regular", total, f"{year - 2} actual"), ("regular", total, f"{year - 1} approved"),
                                ("regular", total, f"{year} proposed"),
                                ("other assessed", "other_assessed.total", f"{year} proposed"),
                                ("extrabudgetary", "extrabudgetary.total", f"{year} estimate")):
        resources[f"{label} {period}"] = values.get((name, period))
    posts: dict[str, Decimal | None] = {}
    for (name, period), value in values.items():
        grade = _grade_of(name)
        if grade and period == f"{year} proposed" and grade not in posts:
            posts[grade] = value
    return SectionSummary(part, section, named[0].section if named else "", title, year, resources, posts)


def _with_entities(values: dict[tuple[str, str], Decimal | None]) -> dict[tuple[str, str], Decimal | None]:
    """The section's figures, with each entity's figures of a section of several entities added up."""
    summed: dict[tuple[str, str], Decimal] = {}
    for (name, period), value in values.items():
        match = re.match(r"^entity-[ivx]+\.(.+)$", name)
        if match and (match.group(1), period) not in values:
            key = (match.group(1), period)
            summed[key] = summed.get(key, Decimal(0)) + (value or Decimal(0))
    return {**values, **summed}


def _grade_of(name: str) -> str | None:
    # posts.regular.p-5 (an imported section) or posts.rb.grade.P-5 (the seed's shape): the regular budget's posts.
    keys = {re.sub(r"[^a-z0-9]+", "-", grade.lower()).strip("-"): grade for grade in GRADE_ORDER}
    for prefix in ("posts.regular.", "posts.rb.grade."):
        if name.startswith(prefix):
            rest = name[len(prefix):]
            return keys.get(re.sub(r"[^a-z0-9]+", "-", rest.lower()).strip("-"))
    return None


def _identity(directory: Path | None) -> tuple[int, str, str, str]:
    if directory is not None and is_general(directory):
        ident = load_section(directory).section.fascicle
        return ident.year, ident.part or "", ident.section, ident.title.en or ""
    budget = load(directory).budget
    return budget.section.year, "Part IV", str(budget.section.number), budget.section.name.en or budget.section.entity


def show_summary(path: Path | None, as_json: bool, out: Any, err: Any) -> None:
    """Resources by part and section and posts by grade across the sections of a budget, year by year."""
    lines = [summarise(directory if path is not None else None, err) for directory in section_dirs(path)]
    if as_json:
        out.print_json(json.dumps([{"year": s.year, "part": s.part, "section": s.section, "symbol": s.symbol,
                                    "title": s.title,
                                    "resources": {k: None if v is None else format(v, "f")
                                                  for k, v in s.resources.items()},
                                    "posts": {k: None if v is None else format(v, "f") for k, v in s.posts.items()}}
                                   for s in lines], ensure_ascii=False))
        return
    for year in sorted({s.year for s in lines}):
        of_year = sorted((s for s in lines if s.year == year), key=lambda s: (_roman(s.part), _number(s.section)))
        out.print(_resources_table(year, of_year))
        out.print(_posts_table(year, of_year))


def _roman(part: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50}
    text = part.removeprefix("Part ").strip()
    total = 0
    for index, char in enumerate(text):
        value = values.get(char, 0)
        total += -value if index + 1 < len(text) and values.get(text[index + 1], 0) > value else value
    return total


def _number(section: str) -> tuple[int, str]:
    match = re.match(r"(\d+)(.*)", section)
    return (int(match.group(1)), match.group(2)) if match else (0, section)


def _cell(value: Decimal | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.1f}".replace(",", " ") if value != value.to_integral() or "." in str(value) else f"{value:,}"


def _resources_table(year: int, lines: list[SectionSummary]) -> RichTable:
    columns = list(lines[0].resources) if lines else []
    view = RichTable(title=f"Proposed programme budget for {year}: resources by part and section "
                           "(thousands of United States dollars)", title_justify="left")
    for column in ("part", "section", *columns):
        view.add_column(column, justify="left" if column in ("part", "section") else "right")
    totals: dict[str, Decimal] = {}
    for s in lines:
        view.add_row(s.part, f"{s.section}. {s.title}", *(_cell(s.resources[c]) for c in columns))
        for c in columns:
            if s.resources[c] is not None:
                totals[c] = totals.get(c, Decimal(0)) + (s.resources[c] or Decimal(0))
    view.add_row("", "Total", *(_cell(totals.get(c)) for c in columns))
    return view


def _posts_table(year: int, lines: list[SectionSummary]) -> RichTable:
    grades = [g for g in GRADE_ORDER if any(g in s.posts for s in lines)]
    view = RichTable(title=f"Proposed programme budget for {year}: regular budget posts by grade ({year} proposed)",
                     title_justify="left")
    view.add_column("grade")
    for s in lines:
        view.add_column(f"Sect. {s.section}", justify="right")
    view.add_column("total", justify="right")
    for grade in grades:
        counts = [s.posts.get(grade) for s in lines]
        view.add_row(grade, *(_cell(c) for c in counts), _cell(sum((c or Decimal(0) for c in counts), Decimal(0))))
    return view


TABLE_NUMBER = re.compile(r"^\d+[A-Z]?(?:\.[IVXL]+)?\.\d+$")


def show_general(path: Path, name: str, as_json: bool, out: Any, err: Any) -> None:
    """A table of an imported section as the document prints it (`13.4`), or its findings."""
    from fascicle.checks.general import run_general
    from fascicle.render.general_docx import format_number

    loaded = _load_general(path, err)
    section = loaded.section
    evaluation = evaluate(section)
    if name == "findings":
        found = [finding_json(loaded, f) for f in run_general(section, evaluation)]
        if as_json:
            out.print_json(json.dumps(found, ensure_ascii=False))
        for entry in found if not as_json else ():
            out.print(finding_line(entry), soft_wrap=True)
        return
    tables = [b.table for b in section.document.blocks if b.table is not None and b.table.number == name]
    if not TABLE_NUMBER.match(name) or not tables:
        numbers = sorted({b.table.number for b in section.document.blocks if b.table and b.table.number},
                         key=lambda n: [int(p) if p.isdigit() else p for p in re.split(r"[.]", n)])
        err.print(f"{path} has no table {name!r}; choose summary, findings or a table: {', '.join(numbers)}",
                  soft_wrap=True)
        raise typer.Exit(2)
    shown: list[dict[str, Any]] = []
    for table in tables:
        rows = []
        for r, row in enumerate(table.rows):
            cells = []
            for c, cell in enumerate(row.cells):
                if cell.merged:
                    continue
                if cell.text is not None or table.columns[c].role in ("label", "text", "empty"):
                    text = cell.text.en if cell.text and cell.text.en else ""
                    cells.append((row.number + " " if c == 0 and row.number else "") + text
                                 if c or row.label is None else
                                 ((row.number + " ") if row.number else "") + (row.label.en or ""))
                else:
                    cells.append("" if cell.blank else format_number(evaluation.cell(table.id, r, c), cell.decimals,
                                                                   cell.dash))
            rows.append(cells)
        headers = [c.header for c in table.columns]
        shown.append({"table": table.id, "title": table.title.en, "units": table.units.en if table.units else None,
                      "columns": headers, "rows": rows})
    if as_json:
        out.print_json(json.dumps(shown, ensure_ascii=False))
        return
    for entry in shown:
        view = RichTable(title=f"Table {entry['table']}: {entry['title']}" + (f" {entry['units']}" if entry["units"]
                                                                             else ""), title_justify="left")
        for index, header in enumerate(entry["columns"]):
            view.add_column(header, justify="left" if index == 0 else "right")
        width = len(entry["columns"])
        for cells in entry["rows"]:
            view.add_row(*(cells + [""] * width)[:width])
        out.print(view)


def _default_name(symbol: str) -> str:
    return "-".join(part for part in symbol.replace("/", " ").replace("(", " ").replace(")", " ").replace(".", "")
                    .lower().split())


def _load_general(path: Path, err: Any) -> LoadedSection:
    try:
        return load_section(path)
    except LoadError as error:
        for problem in error.errors:
            err.print(load_error_line(load_error_json(path, problem)), soft_wrap=True)
        raise typer.Exit(2) from None


def section_figures(directory: Path | None, err: Any) -> list[Named]:
    """The named figures of one section: the seed's as it computes them, an imported one's as evaluated."""
    if directory is not None and is_general(directory):
        loaded = _load_general(directory, err)
        section = loaded.section
        units = {(f.name, f.period): (f.unit, f.currency) for f in section.figures.figures}
        tables = {b.table.id: b.table for b in section.document.blocks if b.table is not None}
        evaluation = evaluate(section)
        named = []
        for (name, period), value in sorted(evaluation.figures.items()):
            unit, currency = units.get((name, period), _unit_of(evaluation, tables, name, period))
            named.append(Named(section.fascicle.symbol, name, period, value, unit, currency))
        return named
    try:
        loaded_budget = load(directory)
    except LoadError as error:
        for problem in error.errors:
            err.print(load_error_line(load_error_json(directory, problem)), soft_wrap=True)
        raise typer.Exit(2) from None
    budget = loaded_budget.budget
    currencies = {budget.resources.regular.id: budget.resources.regular.currency,
                  budget.resources.extrabudgetary.id: budget.resources.extrabudgetary.currency,
                  budget.resources.un_grant.id: budget.resources.un_grant.currency}
    named = []
    for (name, period), value in sorted(budget_figures(budget).items()):
        head = name.split(".", 1)[0]
        unit = ("posts" if head == "posts" else "thousands" if head in currencies
                else "percent" if head == "compliance" else "number")
        named.append(Named(budget.section.symbol, name, period, value, unit, currencies.get(head)))
    return named


def _unit_of(evaluation: Evaluation, tables: dict[str, Any], name: str, period: str) -> tuple[str, str | None]:
    origin = evaluation.origins.get((name, period))
    if origin is None:
        return "number", None
    table = tables.get(origin[0])
    if table is None:
        return "number", None
    kind = table.kind
    if name.startswith("posts."):
        return "posts", None
    unit = "posts" if kind in ("grades", "posts-by-component", "post-changes") else "percent" if name.endswith(
        ".percent") else "thousands" if table.currency else "number"
    return unit, table.currency if unit == "thousands" else None
