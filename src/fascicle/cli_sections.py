"""Commands over sections of any year held as the document prints them: import, figures, summary."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer

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
        write_section(section, target, report(imported))
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
            out.print(f"{f.section}\t{f.name}\t{f.period}\t{value}\t{f.unit}{currency}", soft_wrap=True)


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
        unit = "posts" if head == "posts" else "thousands" if head in currencies else "number"
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
    unit = "posts" if kind in ("grades", "posts-by-component", "post-changes") else "percent" if name.endswith(
        ".percent") else "thousands" if table.currency else "number"
    return unit, table.currency if unit == "thousands" else None
