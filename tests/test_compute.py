"""Computations on ITC's data: conversion, post changes, delivery rates, measures and recosting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from conftest import TINY
from fascicle.compute.deliverables import subcategory_rate
from fascicle.compute.diff import FigureChange, year_changes
from fascicle.compute.figures import figures
from fascicle.compute.measures import attainment
from fascicle.compute.posts import Movement, post_changes, select, year_entries
from fascicle.compute.recost import Inflation, InflationRate, RecostedLine, recost, year_factor
from fascicle.compute.resources import percent_change
from fascicle.document.numbers import change, number
from fascicle.model.posts import Posts, Staffing
from fascicle.source.load import Loaded, load

CHANGES = Path(__file__).parent / "data" / "changes"


def test_grant_is_the_un_half_converted_at_the_stated_rate(itc: Loaded) -> None:
    figs = figures(itc.budget)
    assert figs[("regular.share.UN", "2024 proposed")] == Decimal("18968.25")
    assert figs[("un_grant.total", "2024 proposed")] == Decimal("20457.6")
    assert figs[("regular.gross", "2024 proposed")] == Decimal("38136.5")
    assert figs[("un_grant.change.total", "2024 proposed")] == 0


def test_post_changes_2023_to_2024(itc: Loaded) -> None:
    found = post_changes(itc.budget.posts, itc.budget.structure, "2023 approved", "2024 proposed", "rb")
    assert found.renamed == (("DEI", "DECI"),)
    assert found.new_units == ("DSIT",)
    assert found.established == () and found.abolished == () and found.net == {}
    # From posts.yaml, regular budget, 2023 approved against 2024 proposed, DEI read as its successor DECI
    # (structure.yaml: DECI renamed_from DEI; DSIT new in 2024):
    #   OED  D-1 1 → 0 (−1);  DCP P-2 1 → 0 (−1);  DMD P-3 5 → 4 (−1), GS 12 → 11 (−1);
    #   DECI P-5 3 → 2 (−1), P-4 6 → 4 (−2), GS 13 → 8 (−5);  DPS unchanged;
    #   DSIT D-1 +1, P-5 +1, P-4 +2, P-3 +1, P-2 +1, GS +6.
    # Grade by grade every departure arrives in DSIT, so all are redeployments (none established or abolished),
    # GS (OL) from DECI (5) and DMD (1).
    assert set(found.redeployments) == {
        Movement("D-1", "OED", "DSIT", 1), Movement("P-5", "DECI", "DSIT", 1), Movement("P-4", "DECI", "DSIT", 2),
        Movement("P-3", "DMD", "DSIT", 1), Movement("P-2", "DCP", "DSIT", 1),
        Movement("GS (OL)", "DMD", "DSIT", 1), Movement("GS (OL)", "DECI", "DSIT", 5),
    }


def test_delivery_rates_and_attainment(itc: Loaded) -> None:
    seminars = itc.budget.deliverables.categories[1].subcategories[1]
    assert seminars.id == "seminars_training"
    assert subcategory_rate(seminars, 2022) == Decimal("104.7")  # 3 663 of 3 500 days
    users = itc.budget.performance.results[0].measures[0]
    result = attainment(users, 2022)
    assert result is not None and result.met and result.percent == Decimal("114.6")  # 1 404 456 / 1 225 000 = 114.649…


def test_recost_at_a_new_rate_and_dated_inflation(itc: Loaded) -> None:
    plain = recost(itc.budget, Decimal("0.90"))
    assert plain.total_after == plain.total_before == Decimal("37936.5")
    assert plain.grant_before == Decimal("20457.6")
    assert plain.grant_after == Decimal("21075.8")  # 18 968.25 / 0.90 = 21 075.83…
    inflation = Inflation(rates=(
        InflationRate(applies_to="post", effective=dt.date(2024, 7, 1), percent=Decimal("2")),
        InflationRate(applies_to="all", effective=dt.date(2023, 1, 1), percent=Decimal("1")),
    ))
    assert year_factor(inflation, "post", 2024) == Decimal("1.015")
    result = recost(itc.budget, Decimal("0.9272"), inflation)
    post, non_post = result.lines
    assert post.after == Decimal("30226.7")  # 29 780.0 × 1.015
    assert non_post.after == Decimal("8238.1")  # 8 156.5 × 1.01, half up
    assert result.total_after == post.after + non_post.after


def test_number_style_by_language() -> None:
    assert number(Decimal("37936.5"), "zh") == "37\u00a0936.5"
    assert number(Decimal("37936.5"), "en") == "37,936.5"
    assert number(Decimal("1404456"), "en") == "1,404,456"
    assert change(Decimal(0), "en") == change(None, "zh") == "—"
    assert number(Decimal("-1234.5"), "fr") == "-1\u00a0234,5"
    assert number(Decimal("0.9272"), "ru") == "0,9272"
    assert number(Decimal("1404456"), "ar") == "1,404,456"


# -- tests/data/changes: the tiny budget with change columns, a 60/40 split, revised staffing and post changes ----

def test_the_changes_dataset_is_clean() -> None:
    from conftest import found

    assert found(CHANGES) == set()


def test_change_columns_and_percentages() -> None:
    figs = figures(load(CHANGES).budget)
    estimate = "2024 proposed"
    # Lines (thousands of CHF), 2023 approved → 2024 proposed, change columns as in resources.yaml:
    #   post        800.0 → 830.0   technical +20, new mandates +10   +30   30/800  = 3.75 %   → 3.8
    #   travel       60.0 →  50.0   other −10                         −10  −10/60   = −16.67 % → −16.7
    #   consultants 140.0 → 160.0   technical +20                     +20   20/140  = 14.29 %  → 14.3
    #   furniture     0.0 →   5.0   new mandates +5                    +5   no base            → none
    #   non_post    200.0 → 215.0   (its lines)                       +15   15/200  = 7.5 %
    #   fund       1000.0 → 1045.0  technical 40, new mandates 15, other −10, total 45; 45/1000 = 4.5 %
    expected = {
        "regular.change.technical": Decimal(40), "regular.change.new_mandates": Decimal(15),
        "regular.change.other": Decimal(-10), "regular.change.total": Decimal(45),
        "regular.change.percent": Decimal("4.5"),
        "regular.post.change.total": Decimal(30), "regular.post.change.percent": Decimal("3.8"),
        "regular.non_post.change.total": Decimal(15), "regular.non_post.change.percent": Decimal("7.5"),
        "regular.travel.change.total": Decimal(-10), "regular.travel.change.percent": Decimal("-16.7"),
        "regular.consultants.change.total": Decimal(20), "regular.consultants.change.percent": Decimal("14.3"),
        "regular.furniture.change.total": Decimal(5), "regular.furniture.change.percent": None,
        # Extrabudgetary 300.0 → 330.0, other +30: 10 %.
        "extrabudgetary.change.technical": Decimal(0), "extrabudgetary.change.other": Decimal(30),
        "extrabudgetary.change.total": Decimal(30), "extrabudgetary.change.percent": Decimal("10.0"),
        "extrabudgetary.extrabudgetary.change.percent": Decimal("10.0"),
        # The grant: 500.0 (2023) + 160.0 = 660.0, the converted UN share; 160/500 = 32 %.
        "un_grant.change.total": Decimal(160), "un_grant.change.percent": Decimal("32.0"),
    }
    assert {ref: figs[(ref, "2024 estimate" if ref.startswith("extrabudgetary") else estimate)]
            for ref in expected} == expected
    assert figs[("regular.total", estimate)] == Decimal("1045.0")
    # A line with a base and no change has no percentage (a dash, not 0.0).
    assert percent_change(Decimal(800), Decimal(0)) is None
    assert percent_change(None, Decimal(5)) is None
    assert percent_change(Decimal(8), Decimal(1)) == Decimal("12.5")  # 1/8 = 12.5 %
    assert percent_change(Decimal(-200), Decimal(-10)) == Decimal("5.0")  # −10 of −200 is +5 %


def test_combined_change_columns_of_table_4() -> None:
    figs = figures(load(CHANGES).budget)
    # Regular budget + extrabudgetary, named by the extrabudgetary estimate: technical 40 + 0, new mandates
    # 15 + 0, other −10 + 30 = 20, total 45 + 30 = 75; base 1000.0 + 300.0 = 1300.0; 75/1300 = 5.769 % → 5.8.
    assert {kind: figs[(f"resources.change.{kind}", "2024 estimate")]
            for kind in ("technical", "new_mandates", "other", "total", "percent")} == {
        "technical": 40, "new_mandates": 15, "other": 20, "total": 75, "percent": Decimal("5.8")}
    # Combined totals: 850.0 + 300.0, 1000.0 + 300.0, 1045.0 + 330.0.
    assert [figs[("resources.total", p)] for p in ("2022 actual", "2023 estimate", "2024 estimate")] == [
        Decimal("1150.0"), Decimal("1300.0"), Decimal("1375.0")]


def test_shares_split_60_40_and_the_grant() -> None:
    figs = figures(load(CHANGES).budget)
    # 1045.0 × 60 % = 627.0 (UN, who pays the grant), × 40 % = 418.0 (WTO); 627.0 / 0.95 = 660.0 dollars.
    assert figs[("regular.share.UN", "2024 proposed")] == Decimal("627.0")
    assert figs[("regular.share.WTO", "2024 proposed")] == Decimal("418.0")
    assert figs[("regular.share.UN", "2023 approved")] == Decimal("600.0")
    assert figs[("un_grant.total", "2024 proposed")] == Decimal("660.0")
    assert figs[("regular.gross", "2024 proposed")] == Decimal("1055.0")  # 1045.0 + 10.0 miscellaneous income


def test_post_changes_of_each_kind() -> None:
    budget = load(CHANGES).budget
    figs = figures(budget)
    # posts.yaml changes: new mandates +1 (P-5), technical −1 (GS), other +2 (P-2): total +2.
    assert {kind: figs[(f"posts.rb.change.{kind}", "2024 proposed")]
            for kind in ("technical", "new_mandates", "other", "total")} == {
        "technical": -1, "new_mandates": 1, "other": 2, "total": 2}
    found = post_changes(budget.posts, budget.structure, "2023 approved", "2024 proposed", "rb")
    # Cells (B read as C): A P-4 2 → 1, C P-4 0 → 1: a redeployment; A P-5 0 → 1 and C P-2 0 → 2: established;
    # C GS (OL) 1 → 0: abolished. Net by grade: P-5 +1, P-2 +2, GS (OL) −1 (P-4 nets to 0).
    assert found.redeployments == (Movement("P-4", "A", "C", 1),)
    assert found.established == (("A", "P-5", 1), ("C", "P-2", 2))
    assert found.abolished == (("C", "GS (OL)", 1),)
    assert found.net == {"P-5": 1, "P-2": 2, "GS (OL)": -1}
    assert found.renamed == (("B", "C"),)
    assert found.new_units == () and found.closed_units == ()


def test_a_revised_staffing_table_replaces_the_approved_one() -> None:
    budget = load(CHANGES).budget
    figs = figures(budget)
    # 2023: approved rb 8 posts, revised rb 9 (B has 2 GS (OL)); the year's staffing is the revised table with
    # the extrabudgetary estimate (1 P-2): 10, and GS (OL) 2 + 2 = 4.
    assert [(e.period, e.source, e.unit) for e in year_entries(budget.posts, 2023)] == [
        ("2023 revised", "rb", "A"), ("2023 revised", "rb", "B"), ("2023 estimate", "xb", "A")]
    assert figs[("posts.rb.total", "2023 approved")] == 8
    assert figs[("posts.rb.total", "2023 revised")] == 9
    assert figs[("posts.all.total", "2023 revised")] == 10
    assert figs[("posts.all.grade.GS (OL)", "2023 revised")] == 4
    assert ("posts.all.total", "2023 approved") not in figs
    # 2024: 10 regular-budget posts and 1 extrabudgetary.
    assert figs[("posts.rb.total", "2024 proposed")] == 10
    assert figs[("posts.all.total", "2024 proposed")] == 11


def test_select_filters_by_period_source_and_unit() -> None:
    def staffing(period: str, source: str, unit: str, posts: int) -> Staffing:
        return Staffing.model_validate({"period": period, "source": source, "unit": unit, "grades": {"P-3": posts}})

    posts = Posts.model_validate({"sources": {}, "staffing": [
        staffing("2024 proposed", "rb", "A", 1), staffing("2024 proposed", "xb", "A", 2),
        staffing("2024 proposed", "rb", "B", 4), staffing("2023 approved", "rb", "A", 8)]})
    assert [e.grades["P-3"] for e in select(posts, "2024 proposed", "rb")] == [1, 4]
    assert [e.grades["P-3"] for e in select(posts, "2024 proposed", "xb")] == [2]
    assert [e.grades["P-3"] for e in select(posts, None, "rb", "A")] == [1, 8]
    assert [e.grades["P-3"] for e in select(posts, "2024 proposed")] == [1, 2, 4]
    assert [e.grades["P-3"] for e in select(posts)] == [1, 2, 4, 8]
    # Both sources share the period name: each takes its own latest stage.
    assert [e.grades["P-3"] for e in year_entries(posts, 2024)] == [1, 4, 2]


def test_recosting_column_line_by_line() -> None:
    budget = load(CHANGES).budget
    inflation = Inflation(rates=(
        InflationRate(applies_to="post", effective=dt.date(2024, 1, 1), percent=Decimal("2")),
        InflationRate(applies_to="non_post", effective=dt.date(2024, 1, 1), percent=Decimal("4")),
    ))
    result = recost(budget, Decimal("0.95"), inflation)
    # post 830.0 × 1.02 = 846.6 (recosting 16.6); non-post 215.0 × 1.04 = 223.6 (8.6); total 1070.2.
    assert result.lines == (RecostedLine("post", Decimal("830.0"), Decimal("16.6"), Decimal("846.6")),
                            RecostedLine("non_post", Decimal("215.0"), Decimal("8.6"), Decimal("223.6")))
    assert (result.total_before, result.total_after) == (Decimal("1045.0"), Decimal("1070.2"))
    # The UN pays 60 %: before, 627.0 / 0.95 = 660.0; after, 1070.2 × 60 % = 642.12, / 0.95 = 675.915… → 675.9.
    assert (result.rate_before, result.grant_before, result.grant_after) == (
        Decimal("0.95"), Decimal("660.0"), Decimal("675.9"))


def test_recosting_without_a_stated_rate(tmp_path: Path) -> None:
    from conftest import edit

    path = edit(tmp_path, "resources", 'exchange_rates: {"2024 proposed": 1.0000}', "exchange_rates: {}")
    result = recost(load(path).budget, Decimal("0.8"))
    # No rate for 2024, so no grant before; after, 1000.0 × 50 % / 0.8 = 625.0.
    assert (result.rate_before, result.grant_before, result.grant_after) == (None, None, Decimal("625.0"))


def test_year_changes_of_the_tiny_budget() -> None:
    from conftest import TINY

    changed = {c.ref: c for c in year_changes(figures(load(TINY).budget), 2023, 2024)}
    d = Decimal
    both, first, second = "2023 approved → 2024 proposed", "2023 approved → ", " → 2024 proposed"
    # Derived from tests/data/tiny: only what differs between 2023 and 2024, change columns left out.
    expected = {
        # regular.total 1000.0 both years; gross adds 10.0 of miscellaneous income in 2024 only.
        "regular.gross": FigureChange("regular.gross", both, d("1000.0"), d("1010.0")),
        "regular.misc_income": FigureChange("regular.misc_income", second, None, d("10.0")),
        "exchange_rate": FigureChange("exchange_rate", second, None, d("1.0000")),
        # Travel and consultants have figures in 2024 only (non-post's 200.0 of 2023 is its own).
        "regular.travel": FigureChange("regular.travel", both, None, d("50.0")),
        "regular.consultants": FigureChange("regular.consultants", both, None, d("150.0")),
        # Unit A loses a P-4 (5 → 4 posts); B (3 posts: P-3 2, GS 1) becomes C (4 posts: P-4 1, P-3 2, GS 1).
        # The same for all posts, with A's extrabudgetary P-2 (6 → 5).
        **{f"posts.{s}.unit.A": FigureChange(f"posts.{s}.unit.A", both, d(a), d(a - 1))
           for s, a in (("rb", 5), ("all", 6))},
        **{f"posts.{s}.unit.A.grade.P-4": FigureChange(f"posts.{s}.unit.A.grade.P-4", both, d(2), d(1))
           for s in ("rb", "all")},
        **{f"posts.{s}.unit.B{g}": FigureChange(f"posts.{s}.unit.B{g}", first, d(n), None)
           for s in ("rb", "all") for g, n in (("", 3), (".grade.P-3", 2), (".grade.GS (OL)", 1))},
        **{f"posts.{s}.unit.C{g}": FigureChange(f"posts.{s}.unit.C{g}", second, None, d(n))
           for s in ("rb", "all") for g, n in (("", 4), (".grade.P-4", 1), (".grade.P-3", 2), (".grade.GS (OL)", 1))},
        # Deliverables: 2023 planned 10 + 5 = 15, 2024 planned 12 + 5 = 17; item 1 10 → 12.
        "deliverables.training": FigureChange("deliverables.training", "2023 planned → 2024 planned", d(15), d(17)),
        "deliverables.item.1": FigureChange("deliverables.item.1", "2023 planned → 2024 planned", d(10), d(12)),
        # No 2023 figure for the compliance rate or the measure.
        "compliance.tickets": FigureChange("compliance.tickets", " → 2024 planned", None, d(100)),
        "measure.users": FigureChange("measure.users", " → 2024 target", None, d(150)),
    }
    assert changed == expected
    assert changed["regular.gross"].delta == 10


def test_all_posts_of_a_stage_the_regular_budget_does_not_keep(tmp_path: Path) -> None:
    import shutil

    path = tmp_path / "changes"
    shutil.copytree(CHANGES, path)
    posts = (path / "posts.yaml").read_text(encoding="utf-8")
    (path / "posts.yaml").write_text(posts.replace('{period: "2023 estimate", source: xb',
                                                   '{period: "2023 approved", source: xb'), encoding="utf-8")
    figs = figures(load(path).budget)
    # 2023's staffing is the revised regular table (9) with the extrabudgetary posts (1): 10, named "2023 revised".
    # The extrabudgetary table now shares the name "2023 approved" with the superseded regular table; that name
    # must not get the revised count (10) as if it were the approved one (8 + 1 = 9).
    assert figs[("posts.all.total", "2023 revised")] == 10
    assert figs.get(("posts.all.total", "2023 approved")) in (None, 9)


def _changes_copy(tmp_path: Path, old: str, new: str) -> Path:
    """The changes dataset with one text of its resources replaced (the replacement must happen)."""
    import shutil

    target = Path(shutil.copytree(CHANGES, tmp_path / "changes"))
    text = (target / "resources.yaml").read_text(encoding="utf-8")
    assert old in text
    (target / "resources.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def test_the_combined_percentage_is_of_the_current_year(tmp_path: Path) -> None:
    path = _changes_copy(tmp_path, '"2022 actual": 300.0, "2023 estimate": 300.0',
                         '"2022 actual": 280.0, "2023 estimate": 300.0')
    figs = figures(load(path).budget)
    # The base is still 1000.0 + 300.0 (the 2023 columns), not 2022's 280.0: 75 / 1300 → 5.8 (75 / 1280 is 5.9).
    assert figs[("resources.change.percent", "2024 estimate")] == Decimal("5.8")
    assert figs[("resources.total", "2022 actual")] == Decimal("1130.0")  # 850.0 + 280.0


def test_no_combined_percentage_without_both_current_columns(tmp_path: Path) -> None:
    path = _changes_copy(tmp_path, '"2022 actual": 300.0, "2023 estimate": 300.0', '"2022 actual": 300.0')
    figs = figures(load(path).budget)
    assert figs[("resources.change.percent", "2024 estimate")] is None
    assert figs[("resources.total", "2023 estimate")] is None


def test_a_figure_for_a_period_the_table_does_not_show_is_still_named(tmp_path: Path) -> None:
    path = _changes_copy(tmp_path, '"2022 actual": 700.0,', '"2021 actual": 640.0, "2022 actual": 700.0,')
    figs = figures(load(path).budget)
    # RES009 reports it; the figure exists, so a printed figure for it is compared, not called unknown.
    assert figs[("regular.total", "2021 actual")] == Decimal("640.0")


def test_delivery_rates_at_their_edges() -> None:
    from fascicle.compute.deliverables import delivery_rate, item_rate

    assert delivery_rate(0, 5) is None and delivery_rate(None, 5) is None and delivery_rate(5, None) is None
    assert delivery_rate(1, 1) == Decimal("100.0") and delivery_rate(3, 1) == Decimal("33.3")
    item = load(CHANGES).budget.deliverables.categories[0].subcategories[0].items[0]
    planned, actual = item.quantities.get("2022 planned"), item.quantities.get("2022 actual")
    assert planned and actual is not None
    assert item_rate(item, 2022) == (Decimal(actual) / Decimal(planned) * 100).quantize(Decimal("0.1"), "ROUND_HALF_UP")


def test_attainment_needs_both_figures_and_meets_at_the_target() -> None:
    from fascicle.model.performance import Measure
    from fascicle.model.text import Text

    def measure(**values: str) -> Measure:
        return Measure(id="m", name=Text(en="m"), values={k.replace("_", " "): Decimal(v) for k, v in values.items()})

    assert attainment(measure(**{"2022_actual": "5"}), 2022) is None
    assert attainment(measure(**{"2022_target": "5"}), 2022) is None
    met = attainment(measure(**{"2022_actual": "5", "2022_target": "5"}), 2022)
    assert met is not None and met.met and met.percent == Decimal("100.0")
    short = attainment(measure(**{"2022_actual": "4", "2022_target": "5"}), 2022)
    assert short is not None and not short.met and short.percent == Decimal("80.0")


def test_section_level_measures_are_figures(tmp_path: Path) -> None:
    import shutil

    target = Path(shutil.copytree(TINY, tmp_path / "tiny"))
    text = (target / "performance.yaml").read_text(encoding="utf-8").replace(
        "  measures: []", '  measures: [{id: visits, name: {zh: "访问", en: "Visits"}, values: {"2022 actual": 9}}]', 1)
    (target / "performance.yaml").write_text(text, encoding="utf-8")
    assert figures(load(target).budget)[("measure.visits", "2022 actual")] == 9
