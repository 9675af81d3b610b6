"""Each check against a tiny budget broken in one place: the finding's code and location."""

from __future__ import annotations

from pathlib import Path

from conftest import TINY, edit, found, line_of, tiny
from fascicle.checks.finding import Finding
from fascicle.checks.registry import CHECKS, catalogue, run_checks
from fascicle.source.load import Loaded, load


def test_the_tiny_budget_is_clean() -> None:
    assert found(TINY) == set()


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


def test_printed_total_that_disagrees(tmp_path: Path) -> None:
    path = edit(tmp_path, "printed", "value: 200.0", "value: 201.0")
    assert found(path) == {("RES001", "printed.yaml", line_of(path, "printed", "value: 201.0"))}


def test_printed_figure_with_unknown_reference(tmp_path: Path) -> None:
    path = edit(tmp_path, "printed", "ref: regular.non_post", "ref: regular.nonpost")
    assert found(path) == {("FIG001", "printed.yaml", line_of(path, "printed", "regular.nonpost"))}


def test_deliverable_subtotal(tmp_path: Path) -> None:
    path = edit(tmp_path, "deliverables", '"2022 actual": 8', '"2022 actual": 9')
    assert found(path) == {("DEL001", "printed.yaml", line_of(path, "printed", "deliverables.training"))}


def test_posts_printed_and_changes(tmp_path: Path) -> None:
    path = edit(tmp_path, "posts", "unit: C, grades: {P-4: 1, P-3: 2", "unit: C, grades: {P-4: 2, P-3: 2")
    # With no changes listed, the grade-by-grade finding points at the staffing.
    assert found(path) == {
        ("PST001", "printed.yaml", line_of(path, "printed", "posts.rb.total")),
        ("PST004", "posts.yaml", line_of(path, "posts", "staffing:") + 1),
    }


def test_restated_text_missing_from_paragraph(tmp_path: Path) -> None:
    path = edit(tmp_path, "performance", "Helped 120 users.", "Helped 121 users.")
    assert found(path) == {("TXT002", "performance.yaml", line_of(path, "performance", "Helped 121 users"))}


def test_measure_restated_with_other_value(tmp_path: Path) -> None:
    path = edit(tmp_path, "performance", '"2022 actual": 120', '"2022 actual": 125')
    assert found(path) == {("MSR001", "printed.yaml", line_of(path, "printed", "measure.users"))}


def test_line_own_figure_against_its_lines(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", 'values: {"2022 actual": 150.0, "2023 approved": 200.0}',
                'values: {"2022 actual": 150.0, "2023 approved": 200.0, "2024 proposed": 210.0}')
    result = found(path)
    assert ("RES002", "resources.yaml", line_of(path, "resources", '"2024 proposed": 210.0')) in result


def test_change_columns_do_not_give_the_estimate(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", '      name: {zh: "员额", en: "Post"}\n',
                '      name: {zh: "员额", en: "Post"}\n      changes: [{kind: technical, amount: 5.0}]\n')
    assert ("RES003", "resources.yaml", line_of(path, "resources", "- id: post")) in found(path)


def test_shares_must_make_100(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", "percent: 50}\n  - {party: WTO", "percent: 60}\n  - {party: WTO")
    result = found(path)
    assert ("RES004", "resources.yaml", line_of(path, "resources", "- {party: UN")) in result


def test_recorded_grant_against_conversion(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", 'values: {"2022 actual": 450.0, "2023 approved": 500.0}',
                'values: {"2022 actual": 450.0, "2023 approved": 500.0, "2024 proposed": 480.0}')
    result = found(path)
    assert ("RES005", "resources.yaml", line_of(path, "resources", "exchange_rates")) in result


def test_posts_in_a_unit_that_does_not_exist_that_year(tmp_path: Path) -> None:
    path = edit(tmp_path, "posts", '{period: "2023 approved", source: rb, unit: B',
                '{period: "2023 approved", source: rb, unit: C')
    assert ("PST002", "posts.yaml", line_of(path, "posts", "unit: C, grades: {P-3: 2")) in found(path)


def test_duplicate_staffing(tmp_path: Path) -> None:
    path = edit(tmp_path, "posts", 'unit: A, grades: {P-2: 1}}\n  - {period: "2024 proposed"',
                'unit: A, grades: {P-2: 1}}\n  - {period: "2023 estimate", source: xb, unit: A, grades: {}}\n'
                '  - {period: "2024 proposed"')
    assert ("PST003", "posts.yaml", line_of(path, "posts", "grades: {}}")) in found(path)


def test_post_changes_grade_by_grade(tmp_path: Path) -> None:
    path = edit(tmp_path, "posts", "unit: C, grades: {P-4: 1, P-3: 2", "unit: C, grades: {P-5: 1, P-3: 2")
    result = {code for code, _, _ in found(path)}
    assert "PST004" in result


def test_lineage_to_an_unknown_unit(tmp_path: Path) -> None:
    path = edit(tmp_path, "structure", "renamed_from: B", "renamed_from: Z")
    assert found(path) == {("STR001", "structure.yaml", line_of(path, "structure", "renamed_from: Z"))}


def test_duplicate_unit(tmp_path: Path) -> None:
    path = edit(tmp_path, "structure", "id: B,", "id: A,")
    assert ("STR002", "structure.yaml", line_of(path, "structure", "id: A, name: {zh: \"乙司\"")) in found(path)


def test_deliverable_numbering_and_periods(tmp_path: Path) -> None:
    path = edit(tmp_path, "deliverables", "number: 2,", "number: 3,")
    assert found(path) == {("DEL003", "deliverables.yaml", line_of(path, "deliverables", "number: 3,"))}
    path = edit(tmp_path / "b", "deliverables", '"2024 planned": 12', '"2024 planned": 12, "2025 planned": 1')
    assert ("DEL002", "deliverables.yaml", line_of(path, "deliverables", '"2025 planned"')) in found(path)


def test_actual_for_a_year_not_yet_closed(tmp_path: Path) -> None:
    path = edit(tmp_path, "performance", '"2024 target": 150', '"2024 target": 150, "2023 actual": 140')
    assert found(path) == {("DEL004", "performance.yaml", line_of(path, "performance", '"2023 actual": 140'))}


def test_compliance_rate_outside_0_100(tmp_path: Path) -> None:
    path = edit(tmp_path, "compliance", '"2022 actual": 67', '"2022 actual": 167')
    assert found(path) == {("CMP001", "compliance.yaml", line_of(path, "compliance", "167"))}


def test_missing_target_for_plan_year(tmp_path: Path) -> None:
    path = edit(tmp_path, "performance", ', "2024 target": 150', "")
    assert found(path) == {("MSR002", "performance.yaml", line_of(path, "performance", "- {id: users"))}


def test_mandate_listed_twice(tmp_path: Path) -> None:
    path = edit(tmp_path, "mandates", 'symbols: ["70/1"]', 'symbols: ["70/1", "70/1"]')
    assert found(path) == {("MAN001", "mandates.yaml", line_of(path, "mandates", '"70/1", "70/1"'))}


def test_missing_translation(tmp_path: Path) -> None:
    path = edit(tmp_path, "plan", 'text: {zh: "目标", en: "Objective"}', 'text: {zh: "目标"}')
    assert found(path) == {("TXT001", "plan.yaml", line_of(path, "plan", 'text: {zh: "目标"}'))}


def test_footnote_marker_without_footnote(tmp_path: Path) -> None:
    path = edit(tmp_path, "plan", '{zh: "战略", en: "Strategy"}', '{zh: "战略[^1]", en: "Strategy[^1]"}')
    assert {code for code, _, _ in found(path)} == {"TXT003"}


def test_paragraph_numbers_run_on(tmp_path: Path) -> None:
    path = edit(tmp_path, "plan", 'number: "7.2"', 'number: "7.9"')
    assert ("PAR001", "plan.yaml", line_of(path, "plan", '"7.9"')) in found(path)


def test_a_crashing_check_becomes_a_finding() -> None:
    def broken(budget: object, figs: object) -> list[Finding]:
        raise ZeroDivisionError("boom")

    broken.info = CHECKS[0].info  # type: ignore[attr-defined]
    result = run_checks(load(TINY).budget, checks=(broken,))
    assert [(f.code, f.severity) for f in result] == [("CHK000", "error")]


def test_catalogue_codes_are_unique_and_titled() -> None:
    codes = [entry.code for entry in catalogue()]
    assert len(codes) == len(set(codes)) == len(CHECKS) + 1
    assert all(entry.title for entry in catalogue())


def test_restated_text_that_says_another_figure(tmp_path: Path) -> None:
    path = edit(tmp_path, "performance", "Helped 120 users.", "Helped 125 users.")
    printed = (path / "printed.yaml").read_text(encoding="utf-8").replace('en: "120 users"', 'en: "125 users"')
    (path / "printed.yaml").write_text(printed, encoding="utf-8")
    assert found(path) == {("TXT002", "performance.yaml", line_of(path, "performance", "Helped 125 users"))}


def test_text_scale_words_are_read() -> None:
    from decimal import Decimal

    from fascicle.checks.text import said_value

    assert said_value("12.79 亿美元", Decimal(10) ** 6) == 1279
    assert said_value("$1.279 billion", Decimal(10) ** 6) == 1279
    assert said_value("CHF 37,936,500", Decimal(1000)) == Decimal("37936.5")
    assert said_value("18 968 300 瑞士法郎", Decimal(1000)) == Decimal("18968.3")
    assert said_value("no figure", Decimal(1)) is None


def test_a_line_missing_where_its_neighbours_have_figures(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", 'values: {"2024 proposed": 150.0}', "values: {}")
    result = found(path)
    assert ("RES008", "resources.yaml", line_of(path, "resources", "values: {}")) in result


def test_reserved_line_id(tmp_path: Path) -> None:
    path = edit(tmp_path, "resources", "- id: travel", "- id: gross")
    assert ("RES007", "resources.yaml", line_of(path, "resources", "- id: gross")) in found(path)


def test_duplicate_measure_and_indicator_ids(tmp_path: Path) -> None:
    line = '- {id: tickets, name: {zh: "机票", en: "Tickets"}, values: {"2022 actual": 67'
    path = edit(tmp_path, "compliance", line, line.replace('{"2022 actual": 67', "{}}\n  ") + line)
    assert found(path) == {("ID001", "compliance.yaml", 4)}


def test_no_printed_figures_is_a_warning(tmp_path: Path) -> None:
    path = tiny(tmp_path)
    (path / "printed.yaml").unlink()
    assert found(path) == {("FIG002", "section.yaml", 1)}
