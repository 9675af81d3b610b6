"""Checks of a general section: every printed total, change, percentage and restatement against its figures.

Each printed cell (`printed.yaml`) sits in a table cell; the cell's column and row say how the table derives it
(`compute.general`), and the check comparing the two is chosen by that: a sum (TAB001), the total of the change
columns (TAB002), a percentage (TAB003), a proposed figure (TAB004) or a restatement (TAB005). A printed dash
agrees with a nil or a zero; a number agrees when the computation, rounded half up to its precision, equals it.

GRT001 assumes, for each period that has all three figures (in figures.yaml or as a table total): "regular.total"
is the full budget in thousands of CHF, "un_grant.total" the UN grant in thousands of USD and "exchange_rate" the
francs per dollar; a period whose money figures figures.yaml states in another unit than thousands is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from functools import partial

from fascicle.checks.acknowledged import STALE, apply
from fascicle.checks.finding import CheckInfo, Finding, Location, Severity, show
from fascicle.checks.registry import CRASH, guarded
from fascicle.compute.general import (
    Evaluation,
    Key,
    Operation,
    Position,
    change_columns,
    evaluate,
    grant,
    matches,
    tables,
)
from fascicle.model.general import OrgChart, PrintedCell, Section, Table
from fascicle.model.text import REQUIRED_LANGUAGES

GeneralCheck = Callable[[Section, Evaluation], Iterable[Finding]]
THOUSAND = Decimal(1000)


def general_check(code: str, severity: Severity) -> Callable[[GeneralCheck], GeneralCheck]:
    """Mark a function as a check of a general section, with a stable code and severity; its docstring is its title."""

    def mark(function: GeneralCheck) -> GeneralCheck:
        function.info = CheckInfo(code, severity, (function.__doc__ or "").strip())  # type: ignore[attr-defined]
        return function

    return mark


def general_info(function: GeneralCheck) -> CheckInfo:
    """The catalogue entry of a general check."""
    found: CheckInfo = function.info  # type: ignore[attr-defined]
    return found


def _finding(function: GeneralCheck, message: str, *locations: Location) -> Finding:
    entry = general_info(function)
    return Finding(entry.code, entry.severity, message, tuple(locations))


def _cells(section: Section) -> Iterator[tuple[int, PrintedCell]]:
    # A number quoting another document is checked against that document (checks.across), not this one.
    yield from ((i, c) for i, c in enumerate(section.printed.cells if section.printed else ()) if c.document is None)


def _at(cell: PrintedCell) -> Position:
    return cell.table, cell.row, cell.column


def _placed(section: Section, ev: Evaluation) -> Iterator[tuple[int, PrintedCell, Operation, Table]]:
    """The printed cells that sit in a numeric cell of a table, with how the table derives that cell."""
    found = tables(section)
    for index, cell in _cells(section):
        op = ev.operations.get(_at(cell))
        if op is not None:
            yield index, cell, op, found[cell.table]


def _printed_at(index: int, cell: PrintedCell) -> Location:
    return Location("printed", ("cells", index), cell.where)


def _compare(function: GeneralCheck, section: Section, ev: Evaluation, op: Operation, what: str) -> Iterator[Finding]:
    for index, cell, found, table in _placed(section, ev):
        if found != op:
            continue
        position = _at(cell)
        restated = ev.restated.get(position)
        if restated is not None and restated not in ev.figures:
            continue  # nothing to compare with: TAB006 reports the unknown name
        computed = ev.cells.get(position)
        if not matches(computed, cell.value) and not rounding_explains(table, position, found, computed, cell.value):
            yield _finding(function, f"{cell.where} prints {show(cell.value)}, {what} {show(computed)} "
                                     f"({cell.ref}, {cell.period})", _printed_at(index, cell))


def _terms(table: Table, position: Position, op: Operation) -> int:
    """How many independently rounded printed figures a derived cell is computed from."""
    row = table.rows[position[1]]
    changes = len(change_columns(table, position[2]))
    counts = {"sum": len(row.sums), "across": len(row.across), "changes": changes, "result": changes + 1,
              "rowsum": sum(1 for c in table.columns if c.role == "figure"), "leaf": 0,
              # A percentage is computed from unrounded amounts; from the printed ones it may move by one unit.
              "percent": 2}
    return counts[op]


def rounding_explains(table: Table, position: Position, op: Operation, computed: Decimal | None,
                      printed: Decimal | None) -> bool:
    """Whether a derived number differs from its printed figure by no more than rounding its terms can explain.

    Each figure of a table is rounded on its own (to 0.1 thousand), so a printed total may differ from the sum of
    the printed lines by up to half a unit of the last place per line; the UN does not force totals to foot."""
    if computed is None or printed is None:
        return False
    exponent = printed.as_tuple().exponent
    if not isinstance(exponent, int):
        return False
    half = Decimal(1).scaleb(exponent) / 2
    return abs(computed - printed) <= half * _terms(table, position, op)


@general_check("TAB001", "error")
def check_table_sums(section: Section, ev: Evaluation) -> Iterable[Finding]:
    """A printed total or subtotal differs from the sum of the lines it adds up."""
    yield from _compare(check_table_sums, section, ev, "sum", "the lines it adds up give")
    yield from _compare(check_table_sums, section, ev, "across", "the sub-tables' totals add up to")
    yield from _compare(check_table_sums, section, ev, "rowsum", "the row's columns add up to")


@general_check("TAB002", "error")
def check_table_changes(section: Section, ev: Evaluation) -> Iterable[Finding]:
    """A printed total of the change columns differs from their sum."""
    return _compare(check_table_changes, section, ev, "changes", "the change columns add up to")


@general_check("TAB003", "error")
def check_table_percentages(section: Section, ev: Evaluation) -> Iterable[Finding]:
    """A printed percentage differs from the change over the base."""
    return _compare(check_table_percentages, section, ev, "percent", "the change over the base gives")


@general_check("TAB004", "error")
def check_table_results(section: Section, ev: Evaluation) -> Iterable[Finding]:
    """A printed proposed figure differs from the base plus the changes."""
    return _compare(check_table_results, section, ev, "result", "the base plus the changes gives")


@general_check("TAB005", "error")
def check_table_restatements(section: Section, ev: Evaluation) -> Iterable[Finding]:
    """A figure printed twice (restated in another table, or in a table's text) differs."""
    yield from _compare(check_table_restatements, section, ev, "leaf", "the figure it restates is")
    # A number inside a text cell ("1 ASG, 1 D-2, 5 D-1..." in a posts table) restates the figure it names.
    placed = {index for index, _, _, _ in _placed(section, ev)}
    for index, cell in _cells(section):
        key = (cell.ref, cell.period)
        if index not in placed and key in ev.figures and not matches(ev.figures[key], cell.value):
            yield _finding(check_table_restatements, f"{cell.where} prints {show(cell.value)}, the figure it restates"
                                                     f" is {show(ev.figures[key])} ({cell.ref}, {cell.period})",
                           _printed_at(index, cell))


@general_check("TAB006", "warning")
def check_table_names(section: Section, ev: Evaluation) -> Iterable[Finding]:
    """A printed cell names a figure the data does not have."""
    placed = {index for index, _, _, _ in _placed(section, ev)}
    for index, cell in _cells(section):
        if index not in placed and (cell.ref, cell.period) not in ev.figures:
            yield _finding(check_table_names, f"{cell.where}: table {cell.table} has no number at row {cell.row}, "
                                              f"column {cell.column}", _printed_at(index, cell))
        elif index in placed and (cell.ref, cell.period) not in ev.figures:
            yield _finding(check_table_names, f"{cell.where}: no figure {cell.ref} for {cell.period}",
                           _printed_at(index, cell))


GRANT, FULL, RATE = "un_grant.total", "regular.total", "exchange_rate"


def _figure_location(section: Section, ev: Evaluation, key: Key) -> Location:
    """Where a named figure is: its entry in figures.yaml, else the printed cell of the table total defining it."""
    for index, figure in enumerate(section.figures.figures):
        if (figure.name, figure.period) == key:
            return Location("figures", ("figures", index), figure.where)
    for index, cell in _cells(section):
        if _at(cell) == ev.origins.get(key):
            return _printed_at(index, cell)
    return Location("figures", (), f"{key[0]}, {key[1]}")


def _in_thousands(section: Section, name: str, period: str) -> bool:
    """Whether a money figure is in thousands: the default, unless figures.yaml says otherwise."""
    return all(f.unit == "thousands" for f in section.figures.figures if (f.name, f.period) == (name, period))


@general_check("GRT001", "error")
def check_grant(section: Section, ev: Evaluation) -> Iterable[Finding]:
    """The UN grant is not half the full budget rounded half up to CHF 100, converted at the stated rate."""
    # Assumes, per period: regular.total is the full budget in thousands of CHF, un_grant.total the grant in
    # thousands of USD, exchange_rate CHF per USD; skipped unless all three have a value (leaf or table total).
    for (ref, period), recorded in ev.figures.items():
        full, rate = ev.figures.get((FULL, period)), ev.figures.get((RATE, period))
        if ref != GRANT or recorded is None or full is None or rate is None:
            continue
        if not (_in_thousands(section, GRANT, period) and _in_thousands(section, FULL, period)):
            continue
        where = _figure_location(section, ev, (GRANT, period))
        if rate <= 0:
            yield _finding(check_grant, f"{period}: the exchange rate {show(rate)} is not positive", where)
            continue
        expected = grant(full * THOUSAND, rate) / THOUSAND
        if expected != recorded:
            yield _finding(check_grant, f"{period}: the grant is {show(recorded)} thousand USD; half of CHF "
                                        f"{show(full)} thousand at {show(rate)} gives {show(expected)}", where)


GRADES = ("usg", "asg", "d-2", "d-1", "p-5", "p-4", "p-3", "p-2-1", "p-2", "p-1", "npo", "fs", "gs-pl", "gs-ol", "gs",
          "ll", "ss", "tc")
"""Posts grades as figure names write them (key of "P-2/1", "GS (OL)")."""


@general_check("GRD001", "error")
def check_grades(section: Section, ev: Evaluation) -> Iterable[Finding]:
    """The posts by grade of a source of funds do not add up to its total posts."""
    for fund in ("regular", "other_assessed", "extrabudgetary"):
        periods = {period for name, period in ev.figures if name == f"posts.{fund}.total"}
        for period in sorted(periods):
            grades = [ev.figures[(f"posts.{fund}.{g}", period)] for g in GRADES if (f"posts.{fund}.{g}", period)
                      in ev.figures]
            total = ev.figures[(f"posts.{fund}.total", period)]
            if len(grades) < 2 or total is None:
                continue
            counted = sum((g or Decimal(0) for g in grades), Decimal(0))
            if counted != total:
                yield _finding(check_grades, f"the {fund} posts by grade add up to {show(counted)} for {period}, "
                                             f"the total is {show(total)}",
                               _figure_location(section, ev, (f"posts.{fund}.total", period)))


SOURCES = {"RB": "regular", "XB": "extrabudgetary", "OA": "other_assessed"}


def _charts(section: Section) -> dict[int, list[tuple[int, OrgChart]]]:
    """The drawn organization charts by the year their heading names ("…post distribution for 2025")."""
    found: dict[int, list[tuple[int, OrgChart]]] = {}
    heading = ""
    for index, block in enumerate(section.document.blocks):
        if block.kind == "heading" and block.text is not None:
            heading = block.text.en or ""
        elif block.kind == "orgchart" and block.orgchart is not None and block.orgchart.boxes:
            match = re.search(r"\bfor (\d{4})\b", heading)
            year = int(match.group(1)) if match else section.fascicle.year
            found.setdefault(year, []).append((index, block.orgchart))
    return found


@general_check("ORG001", "error")
def check_orgchart_posts(section: Section, ev: Evaluation) -> Iterable[Finding]:
    """The posts the organization charts show for a year do not add up to the section's posts of that year."""
    if any(name.startswith("entity-") for name, _ in ev.figures):
        return  # each entity has its chart and its totals; the annex does not say which is whose
    for year, charts in sorted(_charts(section).items()):
        # A chart the reader was unsure of (flagged for review) proves nothing either way.
        if any(chart.review for _, chart in charts):
            continue
        shown: dict[str, int] = {}
        for _, chart in charts:
            for box in chart.boxes:
                for source, grades in box.posts.items():
                    shown[source] = shown.get(source, 0) + sum(grades.values())
        for source, count in sorted(shown.items()):
            fund = SOURCES.get(source)
            key = next(((f"posts.{fund}.total", f"{year} {stage}") for stage in ("approved", "proposed", "estimate")
                        if (f"posts.{fund}.total", f"{year} {stage}") in ev.figures), None)
            total = ev.figures.get(key) if key else None
            if fund and key and total is not None and total != count:
                yield _finding(check_orgchart_posts, f"the organization chart for {year} shows {count} {source} "
                                                     f"posts; {key[0]} for {key[1]} is {show(total)}",
                               Location("document", ("blocks", charts[0][0])))


@general_check("LNG001", "warning")
def check_languages(section: Section, ev: Evaluation) -> Iterable[Finding]:
    """The section has no texts in a language the fascicle is published in (an import holds its original only)."""
    missing = [lang for lang in REQUIRED_LANGUAGES if lang not in section.fascicle.languages]
    if missing:
        yield _finding(check_languages, f"texts in {', '.join(missing)} are missing: the section holds "
                                        f"{', '.join(section.fascicle.languages)} only", Location("fascicle",
                                                                                                   ("languages",)))


GENERAL_CHECKS: tuple[GeneralCheck, ...] = (
    check_table_sums,
    check_table_changes,
    check_table_percentages,
    check_table_results,
    check_table_restatements,
    check_table_names,
    check_grant,
    check_grades,
    check_orgchart_posts,
    check_languages,
)


def general_catalogue() -> list[CheckInfo]:
    """Code, severity and title of every general check, in the order they run."""
    return [CRASH, *(general_info(function) for function in GENERAL_CHECKS), STALE]


def acknowledge_section(section: Section, findings: list[Finding]) -> list[Finding]:
    """Mark each finding the section's acknowledgements cover, and warn of each that covers none."""
    return apply(section.acknowledgements, findings)


def run_general(section: Section, ev: Evaluation | None = None,
                checks: Iterable[GeneralCheck] = GENERAL_CHECKS) -> list[Finding]:
    """Run every general check and mark the acknowledged findings; a check that raises becomes a CHK000 finding."""
    ev = evaluate(section) if ev is None else ev
    return acknowledge_section(section, guarded((general_info(f).code, partial(f, section, ev)) for f in checks))
