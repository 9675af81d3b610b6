"""The general model's evaluation and checks: totals, change columns, percentages, restatements and the UN grant."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from fascicle.checks.finding import Finding
from fascicle.checks.general import GENERAL_CHECKS, general_catalogue, general_info, run_general
from fascicle.compute.general import evaluate, grant, matches
from fascicle.model.acknowledgements import Acknowledgement, Acknowledgements, Where
from fascicle.model.base import LIMIT
from fascicle.model.general import (
    Block,
    Cell,
    Column,
    Document,
    Figure,
    Figures,
    Identity,
    Printed,
    PrintedCell,
    Row,
    Section,
    Table,
)
from fascicle.model.text import Text

D = Decimal
BASE, PROPOSED = "2024 approved", "2025 proposed"
# Object-of-expenditure rows: (ref, base, technical change, other change); None is a dash.
LINES = (("regular.posts", D("100.0"), D("10.0"), D("-2.5")),
         ("regular.non_post", D("50.0"), None, D("5.0")))
COLUMNS = (
    Column(role="label"),
    Column(role="figure", period=BASE),
    Column(role="change", period=PROPOSED, change="technical"),
    Column(role="change", period=PROPOSED, change="other"),
    Column(role="changes", period=PROPOSED, base=1),
    Column(role="percent", period=PROPOSED, base=1),
    Column(role="result", period=PROPOSED, base=1),
)
SUFFIX = {1: "", 2: ".change.technical", 3: ".change.other", 4: ".changes", 5: ".percent", 6: ""}
PERIOD = {1: BASE, 2: PROPOSED, 3: PROPOSED, 4: PROPOSED, 5: PROPOSED, 6: PROPOSED}
# What the document prints in the derived cells (row, column) of the main table: all of it consistent.
DERIVED = {
    (0, 4): D("7.5"), (0, 5): D("7.5"), (0, 6): D("107.5"),
    (1, 4): D("5.0"), (1, 5): D("10.0"), (1, 6): D("55.0"),
    (2, 1): D("150.0"), (2, 2): D("10.0"), (2, 3): D("2.5"), (2, 4): D("12.5"), (2, 5): D("8.3"), (2, 6): D("162.5"),
}
REF = {0: "regular.posts", 1: "regular.non_post", 2: "regular.total"}


def _cells(decimals: tuple[int, ...] = (0, 1, 1, 1, 1, 1, 1), dashes: tuple[int, ...] = ()) -> tuple[Cell, ...]:
    return tuple(Cell(text=Text(en="x")) if c == 0 else Cell(decimals=decimals[c], dash=c in dashes)
                 for c in range(len(COLUMNS)))


def resources_table(table_id: str = "t1") -> Table:
    """An object-of-expenditure table: two lines, a total, two change columns, their total, percent and result."""
    rows = [Row(role="line", ref=ref, cells=_cells(dashes=(2,) if tech is None else ())) for ref, _, tech, _ in LINES]
    rows.append(Row(role="total", ref="regular.total", sums=(0, 1), cells=_cells()))
    return Table(id=table_id, title=Text(en="Resources"), columns=COLUMNS, rows=tuple(rows))


def summary_table() -> Table:
    """A table restating the totals of the first: one line, no figures of its own."""
    columns = (Column(role="label"), Column(role="figure", period=BASE), Column(role="figure", period=PROPOSED))
    row = Row(role="line", ref="regular.total", cells=(Cell(text=Text(en="Total")), Cell(decimals=1), Cell(decimals=1)))
    return Table(id="t2", title=Text(en="Overview"), columns=columns, rows=(row,))


def leaf_figures() -> tuple[Figure, ...]:
    """The data: each line's base figure and its two changes."""
    out = []
    for ref, base, tech, other in LINES:
        out += [Figure(name=ref, period=BASE, value=base),
                Figure(name=f"{ref}.change.technical", period=PROPOSED, value=tech),
                Figure(name=f"{ref}.change.other", period=PROPOSED, value=other)]
    return tuple(out)


def printed_cells() -> list[PrintedCell]:
    """Every derived cell of the main table and both restatements of the summary, as printed."""
    cells = [PrintedCell(ref=f"{REF[r]}{SUFFIX[c]}", period=PERIOD[c], value=value, table="t1", row=r, column=c,
                         where=f"Table 1, row {r}, column {c}") for (r, c), value in DERIVED.items()]
    cells += [PrintedCell(ref="regular.total", period=period, value=value, table="t2", row=0, column=c,
                          where=f"Table 2, total, {period}")
              for c, period, value in ((1, BASE, D("150.0")), (2, PROPOSED, D("162.5")))]
    return cells


def section(cells: list[PrintedCell] | None = None, figures: tuple[Figure, ...] | None = None,
            tables: tuple[Table, ...] | None = None, acknowledgements: Acknowledgements | None = None) -> Section:
    """A small section: the resources table and its summary, with their data and printed cells."""
    blocks = tuple(Block(kind="table", table=t) for t in (tables or (resources_table(), summary_table())))
    return Section(fascicle=Identity(symbol="A/80/6 (Sect. 99)", year=2025, section="99", title=Text(en="Test"),
                                     languages=("zh", "en")),
                   document=Document(blocks=blocks), figures=Figures(figures=leaf_figures() if figures is None
                                                                     else figures),
                   printed=Printed(document="A/80/6 (Sect. 99)", cells=tuple(printed_cells() if cells is None
                                                                               else cells)),
                   acknowledgements=acknowledgements)


def index_of(cells: list[PrintedCell], table: str, row: int, column: int) -> int:
    """The index of the printed cell at one table cell."""
    return next(i for i, c in enumerate(cells) if (c.table, c.row, c.column) == (table, row, column))


def misprint(table: str, row: int, column: int, value: Decimal | None) -> tuple[list[PrintedCell], int]:
    """The printed cells with one number changed, and its index."""
    cells = printed_cells()
    index = index_of(cells, table, row, column)
    cells[index] = cells[index].model_copy(update={"value": value})
    return cells, index


def codes(found: list[Finding]) -> list[tuple[str, str, tuple[str | int, ...]]]:
    """(code, part, path) of each finding's first location."""
    return [(f.code, f.locations[0].part, f.locations[0].path) for f in found]


# -- evaluation ---------------------------------------------------------------------------------------------------


def test_the_evaluation_derives_every_cell() -> None:
    ev = evaluate(section())
    assert {(r, c): ev.cell("t1", r, c) for (r, c) in DERIVED} == DERIVED
    assert ev.cell("t1", 1, 2) is None  # a dash: the leaf figure is nil
    assert ev.cell("t1", 2, 5) == D("8.3")  # 12.5 / 150 = 8.333..., half up to the cell's one decimal
    assert ev.cell("t2", 0, 1) == D("150.0") and ev.cell("t2", 0, 2) == D("162.5")
    assert ev.cell("t1", 0, 0) is None and ("t1", 0, 0) not in ev.cells  # a label is not a number
    assert ev.figures[("regular.total", BASE)] == D("150.0")
    assert ev.figures[("regular.total", PROPOSED)] == D("162.5")
    assert ev.figures[("regular.total.percent", PROPOSED)] == D("8.3")
    assert ev.figures[("regular.posts.changes", PROPOSED)] == D("7.5")
    assert ev.origins[("regular.total", BASE)] == ("t1", 2, 1)
    assert ev.restated == {("t2", 0, 1): ("regular.total", BASE), ("t2", 0, 2): ("regular.total", PROPOSED)}


def test_the_first_derived_cell_names_a_figure_and_a_leaf_beats_it() -> None:
    second = resources_table("t3")
    figures = (*leaf_figures(), Figure(name="regular.total", period=PROPOSED, value=D("999.0")))
    ev = evaluate(section(cells=[], tables=(resources_table(), second), figures=figures))
    assert ev.origins[("regular.total", BASE)] == ("t1", 2, 1)
    assert ev.figures[("regular.total", PROPOSED)] == D("999.0")
    assert ev.cell("t1", 2, 6) == D("162.5")  # the cell is still computed from its own row


def test_percent_rounds_half_up_and_is_none_over_a_zero_base() -> None:
    figures = (Figure(name="a", period=BASE, value=D("8.0")), Figure(name="a.change.technical", period=PROPOSED,
                                                                     value=D("0.1")),
               Figure(name="b", period=BASE, value=D("0.0")), Figure(name="b.change.technical", period=PROPOSED,
                                                                     value=D("1.0")))
    rows = tuple(Row(role="line", ref=ref, cells=_cells(dashes=(3,))) for ref in ("a", "b"))
    table = Table(id="p", title=Text(en="P"), columns=COLUMNS, rows=rows)
    ev = evaluate(section(cells=[], tables=(table,), figures=figures))
    assert ev.cell("p", 0, 5) == D("1.3")  # 0.1 / 8 = 1.25 per cent: half up, not half to even (1.2)
    assert ev.cell("p", 1, 5) is None
    assert ev.cell("p", 1, 6) == D("1.0")


def test_a_cycle_of_restatements_ends_with_a_nil() -> None:
    # The line restates the total, and the total adds up the line.
    columns = (Column(role="label"), Column(role="figure", period=BASE))
    rows = (Row(role="line", ref="x", cells=(Cell(), Cell())), Row(role="total", ref="x", sums=(0, 1),
                                                                   cells=(Cell(), Cell())))
    table = Table(id="c", title=Text(en="C"), columns=columns, rows=rows)
    cell = PrintedCell(ref="x", period=BASE, value=D("1.0"), table="c", row=0, column=1, where="loop")
    ev = evaluate(section(cells=[cell], tables=(table,), figures=()))
    # The line, read first, waits on the total; the total meets the line still open and counts it as a nil.
    assert ev.cell("c", 0, 1) == 0 and ev.cell("c", 1, 1) == 0


def test_a_long_chain_of_restatements_needs_no_recursion() -> None:
    # Table i restates the total of table i + 1: evaluating the first walks the whole chain.
    count = 3000
    columns = (Column(role="label"), Column(role="figure", period=BASE))
    tables, cells = [], []
    for i in range(count):
        rows = (Row(role="line", ref=f"t{i + 1}", cells=(Cell(), Cell())),
                Row(role="total", ref=f"t{i}", sums=(0,), cells=(Cell(), Cell())))
        tables.append(Table(id=f"k{i}", title=Text(en="K"), columns=columns, rows=rows))
        cells.append(PrintedCell(ref=f"t{i + 1}", period=BASE, value=D(1), table=f"k{i}", row=0, column=1, where="k"))
    last = Figure(name=f"t{count}", period=BASE, value=D("7.0"))
    ev = evaluate(section(cells=cells, tables=tuple(tables), figures=(last,)))
    assert ev.cell("k0", 1, 1) == D("7.0")


def test_matches_reads_a_dash_as_nil_or_zero() -> None:
    assert matches(None, None) and matches(D(0), None) and matches(None, D("0.0"))
    assert not matches(D("0.1"), None) and not matches(None, D("5.0"))
    assert matches(D("8.333"), D("8.3")) and not matches(D("8.35"), D("8.3"))
    assert not matches(D("1e40"), D("0.000001"))  # too long to round at the printed precision: no crash


# -- checks, one number wrong at a time ---------------------------------------------------------------------------


def test_a_consistent_section_has_no_findings() -> None:
    assert run_general(section()) == []


@pytest.mark.parametrize(("row", "column", "value", "found"), [
    (2, 1, D("150.1"), []),  # two lines, each rounded: a total may be off by 0.1
    (2, 1, D("150.2"), ["TAB001"]),  # but not by more than half a unit per line
    (2, 5, D("8.4"), []),  # a percentage from unrounded amounts may move by one unit
    (2, 5, D("8.5"), ["TAB003"]),
])
def test_rounding_of_printed_lines_is_not_an_error(row: int, column: int, value: Decimal, found: list[str]) -> None:
    cells, _ = misprint("t1", row, column, value)
    assert [f.code for f in run_general(section(cells=cells))] == found


@pytest.mark.parametrize(("table", "row", "column", "value", "code"), [
    ("t1", 2, 1, D("151.0"), "TAB001"),
    ("t1", 2, 2, None, "TAB001"),
    ("t1", 2, 3, D("3.5"), "TAB001"),
    ("t1", 0, 4, D("9.5"), "TAB002"),
    ("t1", 2, 4, D("14.5"), "TAB002"),
    ("t1", 2, 5, D("9.4"), "TAB003"),
    ("t1", 1, 5, None, "TAB003"),
    ("t1", 1, 6, D("57.0"), "TAB004"),
    ("t1", 2, 6, D("160.0"), "TAB004"),
    ("t2", 0, 1, D("151.0"), "TAB005"),
    ("t2", 0, 2, D("162.6"), "TAB005"),
])
def test_one_wrong_number_is_one_finding_at_its_cell(table: str, row: int, column: int, value: Decimal | None,
                                                     code: str) -> None:
    cells, index = misprint(table, row, column, value)
    found = run_general(section(cells=cells))
    assert codes(found) == [(code, "printed", ("cells", index))]
    assert found[0].severity == "error" and found[0].blocking
    assert found[0].locations[0].where == cells[index].where


def test_a_dash_for_a_nil_total_is_no_finding() -> None:
    # With no technical change at all, its total is a dash, and every cell built on it moves.
    figures = tuple(f.model_copy(update={"value": None}) if f.name.endswith("technical") else f
                    for f in leaf_figures())
    now = {(0, 4): D("-2.5"), (0, 5): D("-2.5"), (0, 6): D("97.5"), (2, 2): None, (2, 4): D("2.5"),
           (2, 5): D("1.7"), (2, 6): D("152.5")}
    cells = [c.model_copy(update={"value": now[(c.row, c.column)]}) if c.table == "t1" and (c.row, c.column) in now
             else c for c in printed_cells()]
    cells[-1] = cells[-1].model_copy(update={"value": D("152.5")})
    assert evaluate(section(cells=cells, figures=figures)).cell("t1", 2, 2) == 0
    assert run_general(section(cells=cells, figures=figures)) == []


def test_a_wrong_line_figure_shows_in_every_cell_derived_from_it() -> None:
    figures = tuple(f.model_copy(update={"value": D("110.0")}) if (f.name, f.period) == ("regular.posts", BASE)
                    else f for f in leaf_figures())
    cells = printed_cells()
    found = run_general(section(figures=figures))
    expected = {("TAB003", index_of(cells, "t1", 0, 5)), ("TAB004", index_of(cells, "t1", 0, 6)),
                ("TAB003", index_of(cells, "t1", 2, 5)),
                ("TAB001", index_of(cells, "t1", 2, 1)),
                ("TAB004", index_of(cells, "t1", 2, 6)), ("TAB005", index_of(cells, "t2", 0, 1)),
                ("TAB005", index_of(cells, "t2", 0, 2))}
    assert {(f.code, f.locations[0].path[1]) for f in found} == expected


def test_a_printed_cell_of_an_unknown_figure_warns_and_is_not_compared() -> None:
    cells = printed_cells()
    index = index_of(cells, "t2", 0, 1)
    cells[index] = cells[index].model_copy(update={"ref": "regular.totl", "value": D("1.0")})
    found = run_general(section(cells=cells))
    assert codes(found) == [("TAB006", "printed", ("cells", index))]
    assert found[0].severity == "warning" and not found[0].blocking
    assert "regular.totl" in found[0].message


def test_a_printed_cell_on_no_number_warns() -> None:
    cells = printed_cells()
    for column, table in ((0, "t1"), (1, "nowhere")):
        cells.append(PrintedCell(ref="regular.unknown", period=BASE, value=D(1), table=table, row=0, column=column,
                                 where="stray"))
    found = run_general(section(cells=cells))
    assert codes(found) == [("TAB006", "printed", ("cells", len(cells) - 2)),
                            ("TAB006", "printed", ("cells", len(cells) - 1))]


def test_a_figure_restated_in_a_text_cell_is_compared() -> None:
    # "Approved for 2025: 1 ASG, 1 D-2..." restates figures inside a text cell: no number cell, but a known name.
    cells = printed_cells()
    cells.append(PrintedCell(ref="regular.total", period=BASE, value=D("150.0"), table="t1", row=0, column=0,
                             where="in words"))
    assert run_general(section(cells=cells)) == []
    cells[-1] = cells[-1].model_copy(update={"value": D("151.0")})
    assert codes(run_general(section(cells=cells))) == [("TAB005", "printed", ("cells", len(cells) - 1))]


def test_a_total_printed_as_a_dash_with_a_value_is_a_finding() -> None:
    cells, index = misprint("t1", 2, 1, None)
    assert codes(run_general(section(cells=cells))) == [("TAB001", "printed", ("cells", index))]


# -- the UN grant -------------------------------------------------------------------------------------------------


def test_the_grant_of_a80_6_sect_13() -> None:
    # Half of CHF 38,431,400 is 19,215,700; at 0.8220 that is $23,376,763.99, printed as $23,376,800.
    assert grant(D(38431400), D("0.8220")) == D(23376800)


def test_the_grant_rounds_half_up_never_half_to_even() -> None:
    # Half of 38,431,300 is 19,215,650: half up to 19,215,700 ($23,376,800); half to even would give 19,215,600.
    assert D(19215650).quantize(D("1E2"), rounding=ROUND_HALF_EVEN) == D(19215600)
    assert grant(D(38431300), D("0.8220")) == D(23376800)
    # CHF 500 at 2 is exactly $250: half up gives 300, half to even 200.
    assert grant(D(1000), D(2)) == D(300)
    assert grant(D(-1000), D(2)) == D(-300)
    with pytest.raises(ValueError, match="positive"):
        grant(D(1000), D(0))


FULL_BUDGET = D("38431.4")
"""A/80/6 (Sect. 13): the full budget, in thousands of CHF."""


def grant_figures(recorded: Decimal, full: Decimal = FULL_BUDGET) -> tuple[Figure, ...]:
    """The grant's three figures for 2026, in thousands."""
    period = "2026 proposed"
    return (Figure(name="regular.total", period=period, value=full, currency="CHF"),
            Figure(name="exchange_rate", period=period, value=D("0.8220"), unit="CHF per USD"),
            Figure(name="un_grant.total", period=period, value=recorded, currency="USD", where="Table 13.3"))


def test_grt001_accepts_the_published_grant_and_flags_a_wrong_one() -> None:
    assert run_general(section(cells=[], figures=grant_figures(D("23376.8")))) == []
    found = run_general(section(cells=[], figures=grant_figures(D("23376.7"))))
    assert codes(found) == [("GRT001", "figures", ("figures", 2))]
    assert found[0].locations[0].where == "Table 13.3" and "23376.8" in found[0].message


def test_grt001_flags_the_half_to_even_grant() -> None:
    found = run_general(section(cells=[], figures=grant_figures(D("23376.6"), full=D("38431.3"))))
    assert codes(found) == [("GRT001", "figures", ("figures", 2))]


def test_grt001_skips_a_grant_without_a_rate() -> None:
    assert run_general(section(cells=[], figures=grant_figures(D("1.0"))[::2])) == []


# -- runner, catalogue, acknowledgements ---------------------------------------------------------------------------


def test_the_catalogue_pins_codes_and_severities() -> None:
    listed = {entry.code: entry.severity for entry in general_catalogue()}
    assert listed == {"CHK000": "error", "TAB001": "error", "TAB002": "error", "TAB003": "error", "TAB004": "error",
                      "TAB005": "error", "TAB006": "warning", "GRT001": "error", "GRD001": "error",
                      "ORG001": "error", "LNG001": "warning", "ACK001": "warning"}
    assert all(general_info(function).title.endswith(".") for function in GENERAL_CHECKS)


def test_a_crashing_check_is_a_finding() -> None:
    def broken(section: Section, ev: object) -> list[object]:
        raise RuntimeError("boom")

    broken.info = general_info(GENERAL_CHECKS[0])  # type: ignore[attr-defined]
    [found] = run_general(section(), checks=(broken,))  # type: ignore[arg-type]
    assert found.code == "CHK000" and "TAB001" in found.message


def acknowledge(code: str, field: str) -> Acknowledgements:
    """One acknowledgement of printed.yaml at a field."""
    return Acknowledgements(acknowledgements=(Acknowledgement(
        code=code, location=Where(file="printed.yaml", field=field), reason="Printed so.", who="Officer",
        date=dt.date(2026, 1, 5)),))


def test_an_acknowledged_finding_no_longer_blocks_and_a_stale_one_warns() -> None:
    cells, index = misprint("t1", 2, 1, D("151.0"))
    [found] = run_general(section(cells=cells, acknowledgements=acknowledge("TAB001", f"cells[{index}]")))
    assert found.code == "TAB001" and not found.blocking and found.acknowledged is not None
    elsewhere = run_general(section(cells=cells, acknowledgements=acknowledge("TAB001", f"cells[{index + 1}]")))
    assert [(f.code, f.blocking) for f in elsewhere] == [("TAB001", True), ("ACK001", False)]


# -- properties ---------------------------------------------------------------------------------------------------

PERIODS = (BASE, PROPOSED)
REFS = ("a", "b", "c")
amounts = st.one_of(st.none(), st.decimals(min_value=-LIMIT, max_value=LIMIT, places=6, allow_nan=False,
                                           allow_infinity=False),
                    st.sampled_from([D(0), D("0.000001"), D("-0.5"), D("100.0")]))


@st.composite
def tables_of(draw: st.DrawFn, table_id: str) -> Table:
    """A small table of any shape: any roles, bases and sums, in range or not."""
    columns = draw(st.lists(st.builds(
        Column, role=st.sampled_from(["label", "text", "figure", "figure", "change", "change", "changes", "percent",
                                      "result", "empty"]),
        period=st.none() | st.sampled_from(PERIODS), change=st.none() | st.sampled_from(["x", "y"]),
        base=st.none() | st.integers(-1, 6)), min_size=1, max_size=6))
    rarely = st.sampled_from([False, False, False, True])
    cell = st.builds(Cell, decimals=st.integers(0, 6), dash=st.booleans(), blank=rarely,
                     text=rarely.map(lambda text: Text(en="t") if text else None))
    rows = draw(st.lists(st.builds(
        Row, role=st.sampled_from(["line", "group", "subtotal", "total", "heading", "text"]),
        ref=st.none() | st.sampled_from(REFS), sums=st.lists(st.integers(-2, 7), max_size=4).map(tuple),
        cells=st.lists(cell, min_size=len(columns) - 1, max_size=len(columns) + 1).map(tuple)), min_size=1, max_size=6))
    return Table(id=table_id, title=Text(en="T"), columns=tuple(columns), rows=tuple(rows))


names = st.builds(lambda ref, suffix: ref + suffix, st.sampled_from(REFS),
                  st.sampled_from(["", ".change.x", ".change.y", ".changes", ".percent"]))


@st.composite
def sections(draw: st.DrawFn) -> Section:
    """A small section of random tables, figures and printed cells."""
    tables = tuple(draw(tables_of(f"t{i}")) for i in range(draw(st.integers(1, 3))))
    figures = draw(st.lists(st.builds(Figure, name=names, period=st.sampled_from(PERIODS), value=amounts),
                            max_size=12))
    cells = draw(st.lists(st.builds(PrintedCell, ref=names, period=st.sampled_from(PERIODS), value=amounts,
                                    table=st.sampled_from([t.id for t in tables] + ["t9"]),
                                    row=st.integers(-1, 5), column=st.integers(-1, 5), where=st.just("w")),
                          max_size=16))
    return section(cells=cells, figures=tuple(figures), tables=tables)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sections())
def test_evaluation_never_raises_and_is_deterministic(made: Section) -> None:
    first, second = evaluate(made), evaluate(made)
    assert first == second
    assert all(0 <= r and 0 <= c for (_, r, c) in first.cells)
    assert not [f for f in run_general(made, first) if f.code == "CHK000"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sections())
def test_printing_what_the_evaluation_gives_is_no_error(made: Section) -> None:
    # Printed values do not feed the evaluation, so printing the evaluated cells must agree with every check.
    ev = evaluate(made)
    cells = made.printed.cells if made.printed else ()
    # A cell that is not a number of its table (a restatement in words) prints the figure it names.
    values = [ev.cells[(c.table, c.row, c.column)] if (c.table, c.row, c.column) in ev.cells
              else ev.figures.get((c.ref, c.period)) for c in cells]
    assume(all(v is None or abs(v) <= LIMIT for v in values))
    fixed = tuple(c.model_copy(update={"value": v}) for c, v in zip(cells, values, strict=True))
    reprinted = made.model_copy(update={"printed": Printed(document="d", cells=fixed)})
    assert [f for f in run_general(reprinted) if f.severity == "error" and f.code != "GRT001"] == []


def test_a_section_in_english_only_says_its_chinese_is_missing() -> None:
    english = section().model_copy(update={"fascicle": section().fascicle.model_copy(update={"languages": ("en",)})})
    [found] = run_general(english)
    assert (found.code, found.severity, found.locations[0].part) == ("LNG001", "warning", "fascicle")
    assert "zh" in found.message


def test_posts_by_grade_that_do_not_add_up_to_the_total_are_an_error() -> None:
    period = "2026 proposed"
    posts = (Figure(name="posts.regular.total", period=period, value=D(10)),
             Figure(name="posts.regular.p-5", period=period, value=D(4)),
             Figure(name="posts.regular.gs-ol", period=period, value=D(6)))
    assert [f.code for f in run_general(section(figures=leaf_figures() + posts))] == []
    wrong = (*posts[:2], posts[2].model_copy(update={"value": D(5)}))
    [found] = run_general(section(figures=leaf_figures() + wrong))
    assert found.code == "GRD001" and "add up to 9" in found.message
