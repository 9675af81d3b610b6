"""Each check against a tiny budget broken in one place: the exact set of findings, with severity and every location.

Line numbers are found with `line_of` in the edited file; the tiny budget's lines are quoted in the comments
(tests/data/tiny). Where one edit sets off other checks too, the comment derives each of them by hand: a
computed figure then differs from a figure printed in tiny/printed.yaml, whose lines are
3 regular.total 1000.0 (paragraph 7.7), 4 regular.non_post 200.0, 5 un_grant.total 500.0, 6 posts.rb.total 8,
7 deliverables.training 13, 8 measure.users 120.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import TINY, edit, found, line_of, messages, tiny
from fascicle.checks.finding import Finding, info
from fascicle.checks.registry import CHECKS, catalogue, run_checks
from fascicle.compute.recost import recost
from fascicle.source.load import Loaded, load

# The printed figures of tiny/printed.yaml, by line (see the module docstring).
REGULAR_TOTAL, NON_POST, GRANT, POSTS_TOTAL, TRAINING, USERS = 3, 4, 5, 6, 7, 8


def test_the_tiny_budget_is_clean() -> None:
    assert found(TINY) == set()


def test_every_check_has_its_severity() -> None:
    # Errors stop `build` and set the exit status; warnings do not. The catalogue's promise, check by check:
    # a figure that disagrees, an impossible structure or a broken reference is an error; a missing target,
    # translation or column, an actual reported early and a dataset with nothing printed are warnings.
    expected = {
        "FIG002": "warning", "FIG001": "error", "RES001": "error", "PST001": "error", "DEL001": "error",
        "MSR001": "error", "RES007": "error", "RES002": "error", "RES003": "error", "RES004": "error",
        "RES005": "error", "RES006": "warning", "RES008": "error", "PST002": "error", "PST003": "error",
        "PST004": "error", "STR001": "error", "STR002": "error", "DEL002": "error", "DEL003": "error",
        "DEL004": "warning", "ID001": "error", "CMP001": "error", "MSR002": "warning", "MAN001": "error",
        "FIG003": "warning",
        "TXT001": "warning", "TXT002": "error", "TXT003": "error", "PAR001": "error", "CHK000": "error",
        # A figure no table shows and a post change to a unit that does not exist are broken references; a
        # negative expenditure is usually a typo but can be true; a stale acknowledgement hides nothing.
        "RES009": "error", "RES010": "warning", "PST005": "error", "ACK001": "warning",
        # Issue 8: a chart whose units report in a loop, a note naming a figure the data lacks or set on a column
        # or line that is not there are errors; a figure run into Chinese text is a warning (a PDF line-join).
        "STR003": "error", "TXT004": "error", "RES011": "error", "TXT005": "warning",
    }
    listed = {entry.code: entry.severity for entry in catalogue()}
    assert listed == expected
    assert {info(function).code for function in CHECKS} == set(expected) - {"CHK000", "ACK001"}


def test_itc_disagreement_between_table_13_3_and_note_a_is_found(itc: Loaded) -> None:
    findings = run_checks(itc.budget)
    errors = {(f.code, itc.line_of(f.locations[0].part, f.locations[0].path)) for f in findings
              if f.severity == "error"}
    note_line = line_of(itc.root, "printed", "value: 19037.4")
    assert errors == {("RES001", ("printed.yaml", note_line))}


def test_itc_warns_of_targets_the_seed_does_not_print(itc: Loaded) -> None:
    warnings = sorted(f.message for f in run_checks(itc.budget) if f.code == "MSR002")
    assert warnings == [f"{m} has no 2024 target" for m in
                        ("r1.transactions", "r1.users", "r2.msmes", "r2.partners")]


# -- printed figures against the data --------------------------------------------------------------------------

def test_printed_total_that_disagrees(tmp_path: Path) -> None:
    path = edit(tmp_path, "printed", "value: 200.0", "value: 201.0")
    assert found(path) == {("RES001", "error", "printed.yaml", line_of(path, "printed", "value: 201.0"))}


def test_printed_dash_against_a_figure(tmp_path: Path) -> None:
    # Non-post is 200.0 in 2024 (travel 50.0 + consultants 150.0); the document printing "—" is wrong.
    path = edit(tmp_path, "printed", "value: 200.0", "value: null")
    assert found(path) == {("RES001", "error", "printed.yaml", NON_POST)}


def test_printed_figure_where_the_data_has_nil_or_zero(tmp_path: Path) -> None:
    # No line of tiny has a change column, so regular.change.total is 0: a printed 5.0 is wrong (line 9),
    # a printed "—" agrees with it (line 10), and so does a printed 0.0 (line 11).
    text = (TINY / "printed.yaml").read_text(encoding="utf-8") + (
        '  - {ref: regular.change.total, period: "2024 proposed", value: 5.0, where: "Table 7.4, change"}\n'
        '  - {ref: regular.change.total, period: "2024 proposed", value: null, where: "Table 7.3, change"}\n'
        '  - {ref: regular.change.technical, period: "2024 proposed", value: 0.0, where: "Table 7.3, tech"}\n')
    path = tiny(tmp_path, printed=text)
    assert found(path) == {("RES001", "error", "printed.yaml", 9)}


def test_printed_figure_with_unknown_reference(tmp_path: Path) -> None:
    path = edit(tmp_path, "printed", "ref: regular.non_post", "ref: regular.nonpost")
    assert found(path) == {("FIG001", "error", "printed.yaml", line_of(path, "printed", "regular.nonpost"))}


def test_deliverable_subtotal(tmp_path: Path) -> None:
    path = edit(tmp_path, "deliverables", '"2022 actual": 8', '"2022 actual": 9')
    assert found(path) == {("DEL001", "error", "printed.yaml", TRAINING)}


def test_posts_printed_and_changes(tmp_path: Path) -> None:
    path = edit(tmp_path, "posts", "unit: C, grades: {P-4: 1, P-3: 2", "unit: C, grades: {P-4: 2, P-3: 2")
    # 9 posts proposed where 8 are printed; with no changes listed, the grade-by-grade finding points at the
    # staffing (line 4, `staffing:`, whose first item opens on line 5).
    assert found(path) == {
        ("PST001", "error", "printed.yaml", POSTS_TOTAL),
        ("PST004", "error", "posts.yaml", line_of(path, "posts", "staffing:") + 1),
    }
    # Approved P-4: 2 in A; proposed: 1 in A and 2 in C.
    assert messages(path, "PST004") == ["P-4: 2 approved + 0 changes ≠ 3 proposed"]


def test_measure_restated_with_other_value(tmp_path: Path) -> None:
    path = edit(tmp_path, "performance", '"2022 actual": 120', '"2022 actual": 125')
    assert found(path) == {("MSR001", "error", "printed.yaml", USERS)}


def test_no_printed_figures_is_a_warning(tmp_path: Path) -> None:
    path = tiny(tmp_path)
    (path / "printed.yaml").unlink()
    assert found(path) == {("FIG002", "warning", "section.yaml", 1)}


# -- resources ---------------------------------------------------------------------------------------------------

def test_line_own_figure_against_its_lines(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", 'values: {"2022 actual": 150.0, "2023 approved": 200.0}',
                'values: {"2022 actual": 150.0, "2023 approved": 200.0, "2024 proposed": 210.0}')
    # Non-post now says 210.0 for 2024 where travel 50.0 + consultants 150.0 = 200.0 (RES002). Its own figure
    # wins, so 2024 is 800.0 + 210.0 = 1010.0 (printed 1000.0), non-post 210.0 (printed 200.0), the UN half
    # 505.0 at 1.0 CHF/USD (printed 500.0): three RES001; and 200.0 (2023) + no change ≠ 210.0: RES003 on the
    # line (line 11, `- id: non_post`); the grant line has no 2024 figure and takes the converted 505.0, which
    # its 500.0 (2023) + no change does not give: RES003 on line 38 (`- id: grants`).
    assert found(path) == {
        ("RES003", "error", "resources.yaml", 38),
        ("RES002", "error", "resources.yaml", line_of(path, "resources", '"2024 proposed": 210.0')),
        ("RES001", "error", "printed.yaml", REGULAR_TOTAL),
        ("RES001", "error", "printed.yaml", NON_POST),
        ("RES001", "error", "printed.yaml", GRANT),
        ("RES003", "error", "resources.yaml", line_of(path, "resources", "- id: non_post")),
    }


def test_change_columns_do_not_give_the_estimate(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", '      name: {zh: "员额", en: "Post"}\n',
                '      name: {zh: "员额", en: "Post"}\n      changes: [{kind: technical, amount: 5.0}]\n')
    # 800.0 (2023 approved) + 5.0 ≠ 800.0 (2024 proposed).
    assert found(path) == {("RES003", "error", "resources.yaml", line_of(path, "resources", "- id: post"))}


def test_shares_must_make_100(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", "percent: 50}\n  - {party: WTO", "percent: 60}\n  - {party: WTO")
    # 60 + 50 = 110 per cent; the UN's 60 % of 1000.0 is 600.0 dollars at 1.0, where 500.0 is printed; the
    # grant line's 500.0 (2023) + no change ≠ 600.0 (RES003, line 38).
    assert found(path) == {
        ("RES003", "error", "resources.yaml", 38),
        ("RES004", "error", "resources.yaml", line_of(path, "resources", "- {party: UN")),
        ("RES001", "error", "printed.yaml", GRANT),
    }


def test_grant_paid_by_a_party_without_a_share(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", "grant_party: UN", "grant_party: ILO")
    # ILO has no share, so no grant can be converted for 2024: the printed 500.0 has nothing to agree with, and the
    # grant's 2024 column (third period, line 36) has no figure.
    assert found(path) == {
        ("RES006", "warning", "resources.yaml", 36),
        ("RES004", "error", "resources.yaml", line_of(path, "resources", "grant_party: ILO")),
        ("RES001", "error", "printed.yaml", GRANT),
    }
    with pytest.raises(ValueError, match="ILO"):
        recost(load(path).budget, Decimal("0.9"))


def test_recorded_grant_against_conversion(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", 'values: {"2022 actual": 450.0, "2023 approved": 500.0}',
                'values: {"2022 actual": 450.0, "2023 approved": 500.0, "2024 proposed": 480.0}')
    # Recorded 480.0 against 1000.0 × 50 % / 1.0 = 500.0 (RES005); the printed total 500.0 is not 480.0
    # (RES001); and the grant line's 500.0 (2023) + no change ≠ 480.0 (RES003, line 38 `- id: grants`).
    assert found(path) == {
        ("RES005", "error", "resources.yaml", line_of(path, "resources", "exchange_rates")),
        ("RES001", "error", "printed.yaml", GRANT),
        ("RES003", "error", "resources.yaml", line_of(path, "resources", "- id: grants")),
    }


def test_a_line_missing_where_its_neighbours_have_figures(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", 'values: {"2024 proposed": 150.0}', "values: {}")
    # Without consultants, 2024 is 800.0 + 50.0 = 850.0 (printed 1000.0), non-post 50.0 (printed 200.0), the UN
    # half 425.0 (printed 500.0); non-post's 200.0 (2023) + no change ≠ 50.0 and the grant's 500.0 + no change ≠
    # 425.0 (RES003, lines 11 and 38).
    assert found(path) == {
        ("RES003", "error", "resources.yaml", 38),
        ("RES008", "error", "resources.yaml", line_of(path, "resources", "values: {}")),
        ("RES001", "error", "printed.yaml", REGULAR_TOTAL),
        ("RES001", "error", "printed.yaml", NON_POST),
        ("RES001", "error", "printed.yaml", GRANT),
        ("RES003", "error", "resources.yaml", line_of(path, "resources", "- id: non_post")),
    }


def test_a_fund_column_with_no_figure_is_a_warning(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", '"2022 actual": 300.0, ', "")
    # The extrabudgetary fund's only line loses 2022: its first column (line 26) has no figure at all.
    assert found(path) == {("RES006", "warning", "resources.yaml", line_of(path, "resources", '["2022 actual", '
                                                                                              '"2023 estimate"'))}
    assert messages(path, "RES006") == ["extrabudgetary has no figure for 2022 actual"]


def test_two_lines_with_one_id(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", "- id: consultants", "- id: travel")
    # The second `travel` is the one reported; the first is not.
    assert found(path) == {("RES007", "error", "resources.yaml", line_of(path, "resources", "- id: travel") + 3)}


@pytest.mark.parametrize("name", ["change", "share", "gross", "misc_income"])
def test_reserved_line_id(tmp_path: Path, name: str) -> None:
    path = edit(tmp_path, "resources", "- id: travel", f"- id: {name}")
    assert found(path) == {("RES007", "error", "resources.yaml", line_of(path, "resources", f"- id: {name}"))}


def test_a_line_called_total_hides_the_fund_total(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", "- id: travel", "- id: total")
    # `regular.total` now names travel's figure: 50.0 for 2024 (printed 1000.0) and nothing for 2022 and 2023,
    # so the first two columns (line 6) have no figure.
    assert found(path) == {
        ("RES007", "error", "resources.yaml", line_of(path, "resources", "- id: total")),
        ("RES001", "error", "printed.yaml", REGULAR_TOTAL),
        ("RES006", "warning", "resources.yaml", 6),
    }


# -- posts and structure -----------------------------------------------------------------------------------------

def test_posts_in_a_unit_that_does_not_exist_that_year(tmp_path: Path) -> None:
    path = edit(tmp_path, "posts", '{period: "2023 approved", source: rb, unit: B',
                '{period: "2023 approved", source: rb, unit: C')
    assert found(path) == {("PST002", "error", "posts.yaml", line_of(path, "posts", "unit: C, grades: {P-3: 2"))}


def test_duplicate_staffing(tmp_path: Path) -> None:
    path = edit(tmp_path, "posts", 'unit: A, grades: {P-2: 1}}\n  - {period: "2024 proposed"',
                'unit: A, grades: {P-2: 1}}\n  - {period: "2023 estimate", source: xb, unit: A, grades: {}}\n'
                '  - {period: "2024 proposed"')
    assert found(path) == {("PST003", "error", "posts.yaml", line_of(path, "posts", "grades: {}}"))}


def test_post_changes_grade_by_grade(tmp_path: Path) -> None:
    path = edit(tmp_path, "posts", "unit: C, grades: {P-4: 1, P-3: 2", "unit: C, grades: {P-5: 1, P-3: 2")
    # P-4 is on both sides (2 approved, 1 proposed); P-5 on the proposed side only. Both findings point at the
    # staffing, which opens on line 5.
    assert found(path) == {("PST004", "error", "posts.yaml", 5)}
    assert messages(path, "PST004") == ["P-4: 2 approved + 0 changes ≠ 1 proposed",
                                        "P-5: 0 approved + 0 changes ≠ 1 proposed"]


def test_post_changes_grade_only_approved(tmp_path: Path) -> None:
    path = edit(tmp_path, "posts", "unit: A, grades: {D-1: 1, P-4: 2", "unit: A, grades: {D-2: 1, P-4: 2")
    # D-2 approved only, D-1 proposed only.
    assert found(path) == {("PST004", "error", "posts.yaml", 5)}
    assert messages(path, "PST004") == ["D-1: 0 approved + 0 changes ≠ 1 proposed",
                                        "D-2: 1 approved + 0 changes ≠ 0 proposed"]


def test_post_changes_listed_point_at_the_changes(tmp_path: Path) -> None:
    text = (TINY / "posts.yaml").read_text(encoding="utf-8") + (
        "changes:\n  - {kind: technical, unit: C, grade: P-4, number: 1}\n")
    path = tiny(tmp_path, posts=text)
    # P-4: 2 approved + 1 change ≠ 2 proposed, at the changes (`changes:` on line 11, its list from line 12).
    assert found(path) == {("PST004", "error", "posts.yaml", 12)}
    assert messages(path, "PST004") == ["P-4: 2 approved + 1 changes ≠ 2 proposed"]


def test_a_grade_abolished_entirely_agrees_with_its_change(tmp_path: Path) -> None:
    text = (TINY / "posts.yaml").read_text(encoding="utf-8").replace(
        "unit: C, grades: {P-4: 1, P-3: 2, ", "unit: C, grades: {P-4: 1, ") + (
        "changes:\n  - {kind: other, unit: C, grade: P-3, number: -2}\n")
    path = tiny(tmp_path, posts=text)
    # P-3: 2 approved − 2 = 0, and no P-3 is proposed: no PST004. Only the printed total of 8 (now 6) disagrees.
    assert found(path) == {("PST001", "error", "printed.yaml", POSTS_TOTAL)}


def test_no_grade_by_grade_check_without_both_tables(tmp_path: Path) -> None:
    text = (TINY / "posts.yaml").read_text(encoding="utf-8").replace('"2024 proposed", source: rb',
                                                                      '"2024 revised", source: rb')
    path = tiny(tmp_path, posts=text)
    # No regular-budget table for 2024 proposed: nothing to compare grade by grade, and the printed 2024 total
    # names a figure the data no longer has (FIG001 on its ref).
    assert found(path) == {("FIG001", "error", "printed.yaml", POSTS_TOTAL)}


def test_lineage_to_an_unknown_unit(tmp_path: Path) -> None:
    path = edit(tmp_path, "structure", "renamed_from: B", "renamed_from: Z")
    assert found(path) == {("STR001", "error", "structure.yaml", line_of(path, "structure", "renamed_from: Z"))}


def test_predecessor_that_still_exists_with_its_successor(tmp_path: Path) -> None:
    path = edit(tmp_path, "structure", "years: [2023]}", "years: [2023, 2024]}")
    assert found(path) == {("STR001", "error", "structure.yaml", line_of(path, "structure", "renamed_from: B"))}


def test_predecessor_that_outlives_its_successor_start(tmp_path: Path) -> None:
    # B in 2023 and 2025, C in 2024 and 2026: no year in common, but B (last 2025) still exists after C begins
    # (2024), so C cannot have been renamed from it.
    path = edit(tmp_path, "structure", "years: [2023]}", "years: [2023, 2025]}")
    text = (path / "structure.yaml").read_text(encoding="utf-8").replace("years: [2024]", "years: [2024, 2026]")
    (path / "structure.yaml").write_text(text, encoding="utf-8")
    assert found(path) == {("STR001", "error", "structure.yaml", line_of(path, "structure", "renamed_from: B"))}


def test_duplicate_unit(tmp_path: Path) -> None:
    path = edit(tmp_path, "structure", "id: B,", "id: A,")
    # The second A (2023 only) replaces the first in the list of years, B is gone: C's predecessor is unknown
    # (STR001), B's 2023 posts (line 6) and A's 2024 posts (lines 8 and 10) are in units that do not exist.
    assert found(path) == {
        ("STR002", "error", "structure.yaml", line_of(path, "structure", 'id: A, name: {zh: "乙司"')),
        ("STR001", "error", "structure.yaml", line_of(path, "structure", "renamed_from: B")),
        ("PST002", "error", "posts.yaml", 6),
        ("PST002", "error", "posts.yaml", 8),
        ("PST002", "error", "posts.yaml", 10),
    }


# -- deliverables, measures, compliance, mandates ----------------------------------------------------------------

def test_deliverable_numbering(tmp_path: Path) -> None:
    path = edit(tmp_path, "deliverables", "number: 2,", "number: 3,")
    assert found(path) == {("DEL003", "error", "deliverables.yaml", line_of(path, "deliverables", "number: 3,"))}


def test_deliverable_for_a_period_the_table_does_not_show(tmp_path: Path) -> None:
    path = edit(tmp_path, "deliverables", '"2024 planned": 12', '"2024 planned": 12, "2025 planned": 1')
    assert found(path) == {("DEL002", "error", "deliverables.yaml", line_of(path, "deliverables", '"2025 planned"'))}


def test_negative_deliverable_quantity(tmp_path: Path) -> None:
    path = edit(tmp_path, "deliverables", '"2024 planned": 5}', '"2024 planned": -1}')
    assert found(path) == {("DEL002", "error", "deliverables.yaml", line_of(path, "deliverables", "-1}"))}
    assert messages(path, "DEL002") == ["deliverable 2: -1 for 2024 planned"]


def test_zero_deliverable_quantity_is_allowed(tmp_path: Path) -> None:
    path = edit(tmp_path, "deliverables", '"2024 planned": 5}', '"2024 planned": 0}')
    assert found(path) == set()


def test_actual_for_a_year_not_yet_closed(tmp_path: Path) -> None:
    path = edit(tmp_path, "performance", '"2024 target": 150', '"2024 target": 150, "2023 actual": 140')
    assert found(path) == {("DEL004", "warning", "performance.yaml", line_of(path, "performance", '"2023 actual"'))}


def test_deliverable_actual_for_a_year_not_yet_closed(tmp_path: Path) -> None:
    path = edit(tmp_path, "deliverables", '"2024 planned": 12', '"2024 planned": 12, "2023 actual": 9')
    # 2023 has not ended when the 2024 plan is written (DEL004); and the table has no 2023 actual column (DEL002).
    line = line_of(path, "deliverables", '"2023 actual": 9')
    assert found(path) == {("DEL004", "warning", "deliverables.yaml", line), ("DEL002", "error", "deliverables.yaml",
                                                                                line)}
    assert messages(path, "DEL004") == ["deliverable 1: actual 9 for 2023"]


def test_section_measure_actual_for_a_year_not_yet_closed(tmp_path: Path) -> None:
    path = edit(tmp_path, "performance", "  measures: []",
                '  measures: [{id: visits, name: {zh: "访问", en: "Visits"}, values: {"2023 actual": 5}}]')
    assert found(path) == {("DEL004", "warning", "performance.yaml", 6)}


def test_duplicate_indicator_ids(tmp_path: Path) -> None:
    line = '- {id: tickets, name: {zh: "机票", en: "Tickets"}, values: {"2022 actual": 67'
    path = edit(tmp_path, "compliance", line, line.replace('{"2022 actual": 67', "{}}\n  ") + line)
    # The second `tickets` (line 4) is reported.
    assert found(path) == {("ID001", "error", "compliance.yaml", 4)}


def test_duplicate_result_measure_ids(tmp_path: Path) -> None:
    measure = '      - {id: users, name: {zh: "用户", en: "Users"}, values: {"2022 actual": 120, "2022 target": 100, ' \
              '"2024 target": 150}}\n'
    text = (TINY / "performance.yaml").read_text(encoding="utf-8")
    assert text.endswith(measure)
    path = tiny(tmp_path, performance=text + measure)
    assert found(path) == {("ID001", "error", "performance.yaml", 14)}
    assert messages(path, "ID001") == ["measure id 'users' is used twice"]


def test_section_measure_and_result_measure_with_one_id(tmp_path: Path) -> None:
    path = edit(tmp_path, "performance", "  measures: []",
                '  measures: [{id: users, name: {zh: "用户", en: "Users"}, values: {"2022 actual": 120}}]')
    # The section's measures come first, so the result's `users` (line 13) is the second.
    assert found(path) == {("ID001", "error", "performance.yaml", 13)}


def test_duplicate_subcategory_ids(tmp_path: Path) -> None:
    text = (TINY / "deliverables.yaml").read_text(encoding="utf-8") + (
        "      - id: training\n"
        '        title: {zh: "培训", en: "Training"}\n'
        '        unit: {zh: "天数", en: "number of days"}\n'
        '        items: [{number: 3, title: {zh: "三", en: "Three"}, quantities: {"2022 actual": 13}}]\n')
    path = tiny(tmp_path, deliverables=text)
    # The second `training` (line 13) says 13 for 2022 actual, as printed, so only ID001 is found.
    assert found(path) == {("ID001", "error", "deliverables.yaml", 13)}
    assert messages(path, "ID001") == ["subcategory id 'training' is used twice"]


@pytest.mark.parametrize("rate", ["167", "100.1", "-0.1"])
def test_compliance_rate_outside_0_100(tmp_path: Path, rate: str) -> None:
    path = edit(tmp_path, "compliance", '"2022 actual": 67', f'"2022 actual": {rate}')
    assert found(path) == {("CMP001", "error", "compliance.yaml", 3)}
    assert messages(path, "CMP001") == [f"tickets 2022 actual: {rate} per cent"]


@pytest.mark.parametrize("rate", ["0", "100", "100.0"])
def test_compliance_rates_0_and_100_are_allowed(tmp_path: Path, rate: str) -> None:
    path = edit(tmp_path, "compliance", '"2022 actual": 67', f'"2022 actual": {rate}')
    assert found(path) == set()


def test_missing_target_for_plan_year(tmp_path: Path) -> None:
    path = edit(tmp_path, "performance", ', "2024 target": 150', "")
    assert found(path) == {("MSR002", "warning", "performance.yaml", line_of(path, "performance", "- {id: users"))}


def test_fig003_a_figure_without_data_warns_and_prints_a_note(tmp_path: Path) -> None:
    # Review Z1/E1: a figure whose data is not in the dataset is never a bare caption.
    path = edit(tmp_path, "performance", 'values: {"2022 actual": 120, "2022 target": 100, "2024 target": 150}',
                "values: {}")
    # printed.yaml still cites the measure (FIG001); the figure itself warns that it has nothing to draw.
    assert ("FIG003", "warning", "performance.yaml", line_of(path, "performance", "- {id: users")) in found(path)
    assert {code for code, *_ in found(path)} == {"FIG001", "FIG003"}
    from fascicle.document.build import build
    from fascicle.document.tree import FigureBlock, Para

    for lang, note in (("zh", "[本图数据未列入数据集]"), ("en", "[The data of this figure are not in the dataset.]")):
        blocks = list(build(load(path).budget, lang).blocks)
        figure = next(i for i, b in enumerate(blocks) if (isinstance(b, FigureBlock) and b.number.endswith("7.I"))
                      or (isinstance(b, FigureBlock) and b.number.endswith("7.一")))
        after = blocks[figure + 1]
        assert isinstance(after, Para) and after.text == note


def test_mandate_listed_twice(tmp_path: Path) -> None:
    path = edit(tmp_path, "mandates", 'symbols: ["70/1"]', 'symbols: ["70/1", "70/1"]')
    assert found(path) == {("MAN001", "error", "mandates.yaml", line_of(path, "mandates", '"70/1", "70/1"'))}


# -- text --------------------------------------------------------------------------------------------------------

def test_missing_translation(tmp_path: Path) -> None:
    path = edit(tmp_path, "plan", 'text: {zh: "目标", en: "Objective"}', 'text: {zh: "目标"}')
    assert found(path) == {("TXT001", "warning", "plan.yaml", line_of(path, "plan", 'text: {zh: "目标"}'))}


def test_missing_translation_in_a_mapping(tmp_path: Path) -> None:
    # posts.sources is a mapping of texts: its values are walked too.
    path = edit(tmp_path, "posts", 'rb: {zh: "经常预算", en: "Regular budget"}', 'rb: {zh: "经常预算"}')
    assert found(path) == {("TXT001", "warning", "posts.yaml", 2)}
    assert messages(path, "TXT001") == ["no text in en"]


def test_restated_text_missing_from_paragraph(tmp_path: Path) -> None:
    path = edit(tmp_path, "performance", "Helped 120 users.", "Helped 121 users.")
    # Only the English text (line 4) lost "120 users"; both the paragraph and the printed figure (line 8) are named.
    assert found(path) == {("TXT002", "error", "performance.yaml", 4, "printed.yaml", USERS)}


def test_restated_text_that_says_another_figure(tmp_path: Path) -> None:
    path = edit(tmp_path, "performance", "Helped 120 users.", "Helped 125 users.")
    printed = (path / "printed.yaml").read_text(encoding="utf-8").replace('en: "120 users"', 'en: "125 users"')
    (path / "printed.yaml").write_text(printed, encoding="utf-8")
    assert found(path) == {("TXT002", "error", "performance.yaml", 4, "printed.yaml", USERS)}


def test_restated_figure_naming_a_paragraph_that_does_not_exist(tmp_path: Path) -> None:
    path = edit(tmp_path, "printed", "paragraph: s.intro", "paragraph: s.nowhere")
    assert found(path) == {("TXT002", "error", "printed.yaml", POSTS_TOTAL)}
    assert messages(path, "TXT002") == ["no paragraph s.nowhere"]


def test_footnote_marker_without_footnote(tmp_path: Path) -> None:
    path = edit(tmp_path, "plan", '{zh: "战略", en: "Strategy"}', '{zh: "战略[^1]", en: "Strategy[^1]"}')
    # One finding per language, both on line 8.
    assert found(path) == {("TXT003", "error", "plan.yaml", 8)}
    assert messages(path, "TXT003") == ["marker [^1] (en) has no footnote", "marker [^1] (zh) has no footnote"]


def test_footnote_never_referred_to(tmp_path: Path) -> None:
    path = edit(tmp_path, "plan", 'text: {zh: "战略[^1]", en: "Strategy"}'.replace("[^1]", ""),
                'text: {zh: "战略[^1]", en: "Strategy"}, footnotes: [{mark: "1", text: {zh: "注", en: "Note"}}]')
    # The Chinese text refers to footnote 1, the English one does not.
    assert found(path) == {("TXT003", "error", "plan.yaml", 8)}
    assert messages(path, "TXT003") == ["footnote 1 is not referred to in the en text"]


def test_paragraph_numbers_run_on(tmp_path: Path) -> None:
    path = edit(tmp_path, "plan", 'number: "7.2"', 'number: "7.9"')
    # 7.9 where 7.2 was expected (line 7); counting then runs on from 7.9, so 7.3 (line 8) is not the 7.10 expected;
    # from 7.3 on, 7.4 to 7.7 run on.
    assert found(path) == {("PAR001", "error", "plan.yaml", 7), ("PAR001", "error", "plan.yaml", 8)}
    assert messages(path, "PAR001") == ["paragraph 7.3 where 7.10 was expected",
                                        "paragraph 7.9 where 7.2 was expected"]


def test_paragraph_number_that_is_not_a_number(tmp_path: Path) -> None:
    path = edit(tmp_path, "plan", 'number: "7.2"', 'number: "7.2bis"')
    # 7.2bis is not 7.2; counting goes on from the expected 7.2, so 7.3 follows it without a finding.
    assert found(path) == {("PAR001", "error", "plan.yaml", 7)}


def test_text_scale_words_are_read() -> None:
    from fascicle.checks.text import said_value

    assert said_value("12.79 亿美元", Decimal(10) ** 6) == 1279
    assert said_value("$1.279 billion", Decimal(10) ** 6) == 1279
    assert said_value("CHF 37,936,500", Decimal(1000)) == Decimal("37936.5")
    assert said_value("18 968 300 瑞士法郎", Decimal(1000)) == Decimal("18968.3")
    assert said_value("no figure", Decimal(1)) is None
    # 万 is 10^4 and million 10^6: 3.5 万 = 35 000; 2.5 million = 2 500 thousand.
    assert said_value("3.5 万美元", Decimal(1)) == 35000
    assert said_value("12 万", Decimal(1000)) == 120
    assert said_value("$2.5 million", Decimal(1000)) == 2500
    assert said_value("7 million", Decimal(1)) == 7000000
    assert said_value("1 billion", Decimal(1)) == 10**9
    assert said_value("1 亿", Decimal(1)) == 10**8


# -- the runner and the catalogue --------------------------------------------------------------------------------

def test_a_crashing_check_becomes_a_finding() -> None:
    def broken(budget: object, figs: object) -> list[Finding]:
        raise ZeroDivisionError("boom")

    broken.info = CHECKS[0].info  # type: ignore[attr-defined]
    result = run_checks(load(TINY).budget, checks=(broken,))
    assert [(f.code, f.severity) for f in result] == [("CHK000", "error")]


def test_catalogue_codes_are_unique_and_titled() -> None:
    codes = [entry.code for entry in catalogue()]
    assert len(codes) == len(set(codes))
    assert {info(function).code for function in CHECKS} | {"CHK000"} <= set(codes)
    assert all(entry.title for entry in catalogue())
