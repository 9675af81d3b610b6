"""Edits as core operations on the part texts of the ITC seed: compare-and-set, validate, dump, load, check."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest

from fascicle.compute.figures import figures
from fascicle.compute.memo import Recent
from fascicle.edit import (
    Applied,
    Conflict,
    Edit,
    EditError,
    add_deliverable,
    add_measure_value,
    apply,
    canonical,
    core,
    load_texts,
    move_posts,
    read_texts,
    rename_unit,
    set_deliverable_quantity,
    set_line_value,
    set_measure_value,
    set_post_count,
    set_text,
    value_at,
)
from fascicle.source.errors import LoadError
from fascicle.source.load import Loaded, bundled_path, load
from fascicle.source.parts import PARTS
from fascicle.source.write import write

CONTRACTUAL = "regular.lines[1].lines[4].values.2024 proposed"
"""Contractual services, 2024 proposed: CHF 1,202.2 thousand in the seed."""
OED_P4 = "staffing[10].grades.P-4"
"""The Office of the Executive Director's regular-budget P-4 posts in 2024: 6."""


@pytest.fixture(scope="module")
def base() -> dict[str, str]:
    """The seed's part texts in canonical form, as the web stores a revision."""
    return canonical(read_texts(bundled_path()))


def figure(state: Applied | Loaded, ref: str, period: str) -> Decimal:
    """A computed figure of a budget, which must exist."""
    value = figures((state.loaded if isinstance(state, Applied) else state).budget)[(ref, period)]
    assert value is not None
    return value


def unacknowledged(applied: Applied) -> list[tuple[str, str, tuple[str | int, ...]]]:
    return sorted((f.code, f.locations[0].part, f.locations[0].path) for f in applied.findings
                  if f.acknowledged is None and f.locations)


def test_a_figure_edit_changes_the_total_and_the_findings(base: dict[str, str]) -> None:
    before = apply(base, [])
    applied = apply(base, [Edit("resources", CONTRACTUAL, Decimal("1202.2"), "1203.2")])
    total = ("regular.total", "2024 proposed")
    assert figures(before.loaded.budget)[total] == Decimal("37936.5")
    assert figures(applied.loaded.budget)[total] == Decimal("37937.5")
    assert applied.changes == (("resources", CONTRACTUAL, Decimal("1202.2"), Decimal("1203.2")),)
    assert "1203.2" in applied.texts["resources"] and "1202.2" not in applied.texts["resources"]
    assert all(applied.texts[name] == base[name] for name in base if name != "resources")
    # The total printed in paragraph 13.30 no longer agrees; before the edit only the acknowledged one differed.
    assert not [f for f in unacknowledged(before) if f[0] == "RES001"]
    assert ("RES001", "printed", ("figures", 12)) in unacknowledged(applied)


def test_table_13_3_disagreeing_with_what_was_printed_is_found_where_it_is_printed(base: dict[str, str]) -> None:
    applied = apply(base, [Edit("resources", "un_grant.lines[0].values.2023 approved", "20457.6", "20500.0")])
    found = [f for f in applied.findings if f.code == "RES001" and f.acknowledged is None
             and f.locations[0].where == "Table 13.3, total, 2023 appropriation"]
    assert len(found) == 1
    assert "prints 20457.6, the data gives 20500.0" in found[0].message
    location = found[0].locations[0]
    file, line = applied.loaded.line_of(location.part, location.path)
    # The line is counted in the new canonical text, where that printed figure's entry begins.
    entry = applied.texts["printed"].splitlines()[line - 1:line + 5]
    assert file == "printed.yaml" and "ref: un_grant.total" in entry[0]
    assert "period: 2023 approved" in "\n".join(entry)


def test_two_edits_of_different_paths_from_the_same_base_both_apply(base: dict[str, str]) -> None:
    first = Edit("resources", CONTRACTUAL, Decimal("1202.2"), Decimal("1300"))
    second = Edit("posts", OED_P4, 6, 7)
    after_first = apply(base, [first])
    after_both = apply(after_first.texts, [second])
    assert value_at(after_both.texts, "resources", CONTRACTUAL) == Decimal("1300")
    assert value_at(after_both.texts, "posts", OED_P4) == 7
    assert figure(after_both, "posts.rb.grade.P-4", "2024 proposed") == \
        figure(after_first, "posts.rb.grade.P-4", "2024 proposed") + 1


def test_the_same_path_from_the_same_base_conflicts_with_the_current_value(base: dict[str, str]) -> None:
    mine = Edit("resources", CONTRACTUAL, Decimal("1202.2"), Decimal("1250.0"))
    theirs = Edit("resources", CONTRACTUAL, Decimal("1202.2"), Decimal("1260.0"))
    after = apply(base, [mine]).texts
    with pytest.raises(Conflict) as raised:
        apply(after, [theirs])
    assert raised.value.current == Decimal("1250.0")
    assert (raised.value.part, raised.value.path) == ("resources", CONTRACTUAL)
    assert "it is now 1250.0, not 1202.2" in str(raised.value)
    assert isinstance(raised.value, EditError)


def test_two_appends_to_the_same_list_from_the_same_base_conflict(base: dict[str, str]) -> None:
    title, quantities = {"zh": "新", "en": "New"}, {"2024 planned": 1}
    first = add_deliverable(base, "substantive_services", title, quantities)
    second = add_deliverable(base, "substantive_services", {"zh": "另", "en": "Another"}, quantities)
    after = apply(base, first).texts
    with pytest.raises(Conflict) as raised:
        apply(after, second)
    assert isinstance(raised.value.current, dict) and raised.value.current["title"]["en"] == "New"


@pytest.mark.parametrize("old", [Decimal("1202.2"), Decimal("1202.20"), "1202.2", 1202.2])
def test_the_old_value_compares_figures_by_value(base: dict[str, str], old: object) -> None:
    applied = apply(base, [Edit("resources", CONTRACTUAL, old, Decimal("1202.3"))])
    assert value_at(applied.texts, "resources", CONTRACTUAL) == Decimal("1202.3")


@pytest.mark.parametrize("old", [Decimal("1202.3"), "1,202.2", None, "text", True])
def test_an_old_value_that_is_not_the_current_one_conflicts(base: dict[str, str], old: object) -> None:
    with pytest.raises(Conflict) as raised:
        apply(base, [Edit("resources", CONTRACTUAL, old, Decimal("1"))])
    assert raised.value.current == Decimal("1202.2")


def test_an_empty_old_value_from_a_form_reads_as_absent(base: dict[str, str]) -> None:
    applied = apply(base, [Edit("posts", "staffing[10].grades.D-1", "", "1")])
    assert value_at(applied.texts, "posts", "staffing[10].grades.D-1") == 1
    with pytest.raises(Conflict):
        apply(base, [Edit("posts", OED_P4, "", "1")])


def test_edits_of_one_batch_apply_in_turn(base: dict[str, str]) -> None:
    applied = apply(base, [Edit("posts", OED_P4, 6, 7), Edit("posts", OED_P4, 7, 8)])
    assert value_at(applied.texts, "posts", OED_P4) == 8
    assert [change[2:] for change in applied.changes] == [(6, 7), (7, 8)]


@pytest.mark.parametrize(("part", "path", "says"), [
    ("resources", "regular.lins[1].values.2024 proposed", "regular has no field 'lins'"),
    ("resources", "regular.lines[99].values.2024 proposed", "regular.lines has 2 items"),
    ("resources", "regular.lines.post", "regular.lines is a list: write an index"),
    ("resources", "regular.name.en.x", "regular.name.en is a single value"),
    ("resources", "regular.lines[1", "an index is written [0]"),
    ("resources", "regular..name", "followed by an empty name"),
    ("resources", "", "a field path is text"),
    ("resources", "[0]", "the part has named fields"),
    ("budget", "regular", "no such part"),
    ("plan", "objective[0].text.de", "has no field 'de'"),
])
def test_a_path_that_names_nothing_is_refused_naming_part_and_path(base: dict[str, str], part: str, path: str,
                                                                   says: str) -> None:
    copy = dict(base)
    with pytest.raises(EditError) as raised:
        apply(base, [Edit(part, path, None, "1")])
    assert says in raised.value.message
    assert raised.value.part == part and str(raised.value).startswith(part)
    assert base == copy


@pytest.mark.parametrize(("path", "new", "says"), [
    (CONTRACTUAL, "abc", "expected a figure written as plain decimal digits"),
    (CONTRACTUAL, "1,202.2", "not '1,202.2'"),
    (CONTRACTUAL, "1 202,2", "plain decimal digits"),
    (CONTRACTUAL, 1202.2, "a binary float"),
    (CONTRACTUAL, Decimal("NaN"), "is not a figure"),
    (CONTRACTUAL, {"a": 1}, "expected a figure"),
    (CONTRACTUAL, Decimal("1.0000001"), "at most 6 decimal places"),
    ("regular.name.en", 5, "expected text, not 5"),
    ("regular.name.en", "bell\x07", "control character U+0007"),
    ("regular.name.en", "\ud800", "lone surrogate"),
    ("regular.name", "Regular budget", "expected a mapping of fields"),
    ("regular.periods[1]", "2023", "should match pattern"),
])
def test_a_value_of_the_wrong_kind_is_refused_and_nothing_changes(base: dict[str, str], path: str, new: object,
                                                                  says: str) -> None:
    copy = dict(base)
    old = value_at(base, "resources", path)
    with pytest.raises(EditError) as raised:
        apply(base, [Edit("resources", path, old, new)])
    assert says in raised.value.message
    assert (raised.value.part, raised.value.path) == ("resources", path)
    assert not isinstance(raised.value, Conflict)
    assert base == copy


def test_a_negative_count_is_refused_by_the_model_naming_the_edit(base: dict[str, str]) -> None:
    with pytest.raises(EditError) as raised:
        apply(base, set_post_count(base, "OED", "rb", "2024 proposed", "P-4", -1))
    assert (raised.value.part, raised.value.path) == ("posts", OED_P4)
    assert "staffing[10].grades: Value error, a number of posts cannot be negative" in raised.value.message


def test_a_batch_with_one_bad_edit_applies_nothing(base: dict[str, str]) -> None:
    copy = dict(base)
    good = Edit("resources", CONTRACTUAL, Decimal("1202.2"), Decimal("1300"))
    bad = Edit("posts", OED_P4, 6, "six")
    with pytest.raises(EditError, match="expected a whole number"):
        apply(base, [good, bad])
    assert base == copy
    assert value_at(base, "resources", CONTRACTUAL) == Decimal("1202.2")


def test_a_change_records_the_value_set_even_when_a_later_edit_goes_inside_it(base: dict[str, str]) -> None:
    [add] = add_deliverable(base, "substantive_services", {"zh": "新", "en": "New"}, {"2024 planned": 1})[:1]
    retitle = Edit("deliverables", f"{add.path}.title.en", "New", "Renamed")
    applied = apply(base, [add, retitle])
    assert applied.changes[0][3] == {"number": 8, "title": {"zh": "新", "en": "New"}, "quantities": {"2024 planned": 1}}
    assert applied.changes[1][2:] == ("New", "Renamed")
    assert applied.loaded.budget.deliverables.categories[0].subcategories[1].items[5].title.en == "Renamed"


def test_a_new_key_the_model_refuses_is_named_by_the_edit(base: dict[str, str]) -> None:
    path = "regular.lines[1].lines[4].values.2024 proposd"
    with pytest.raises(EditError, match="should match pattern") as raised:
        apply(base, [Edit("resources", path, None, "1")])
    assert (raised.value.part, raised.value.path) == ("resources", path)


@pytest.mark.parametrize("edits", [Edit("posts", OED_P4, 6, 7), "posts", [("posts", OED_P4, 6, 7)]])
def test_edits_that_are_not_a_list_of_edit_are_refused(base: dict[str, str], edits: object) -> None:
    with pytest.raises(EditError, match="Edit"):
        apply(base, edits)  # type: ignore[arg-type]


def test_a_required_field_cannot_be_deleted_but_an_optional_one_can(base: dict[str, str]) -> None:
    with pytest.raises(EditError, match="Field required") as raised:
        apply(base, [Edit("resources", "regular.name", value_at(base, "resources", "regular.name"), None)])
    assert raised.value.path == "regular.name"
    applied = apply(base, [Edit("structure", "units[2].name.en", "Division of Market Development", None)])
    assert applied.loaded.budget.structure.units[2].name.en is None
    assert ("TXT001", "structure", ("units", 2, "name")) in unacknowledged(applied)


def test_a_list_item_is_neither_deleted_nor_set_past_the_end(base: dict[str, str]) -> None:
    with pytest.raises(EditError, match="cannot be deleted"):
        apply(base, [Edit("posts", "staffing[0]", value_at(base, "posts", "staffing[0]"), None)])
    with pytest.raises(EditError, match="staffing has 21 items"):
        apply(base, [Edit("posts", "staffing[22]", None, {"period": "2024 proposed"})])


@pytest.mark.parametrize("text", ["<script>alert('x')</script>", "2024", "null", "yes", "- item", "key: value",
                                  "# not a comment", "  leading and trailing  ", "line\nbreak", "{a: 1}", "'quoted'",
                                  "&anchor *alias", "\t€ 中文 \\ \"", "@at", "%percent"])
def test_a_text_is_stored_as_text_whatever_it_looks_like(base: dict[str, str], text: str) -> None:
    applied = apply(base, set_text(base, "plan", "objective[0].text", "fr", text))
    assert applied.loaded.budget.plan.objective[0].text.fr == text
    assert load_texts(applied.texts).budget.plan.objective[0].text.fr == text
    assert value_at(applied.texts, "plan", "objective[0].text.fr") == text


def test_canonical_texts_written_out_load_back_as_the_same_budget(base: dict[str, str], itc: Loaded,
                                                                  tmp_path: Path) -> None:
    write(itc.budget, tmp_path / "written")
    for name, text in base.items():
        (tmp_path / "texts").mkdir(exist_ok=True)
        (tmp_path / "texts" / PARTS[name]).write_bytes(text.encode("utf-8"))
    for file in (tmp_path / "written").iterdir():
        assert (tmp_path / "texts" / file.name).read_bytes() == file.read_bytes()
    assert load(tmp_path / "texts").budget == itc.budget
    assert load_texts(base).budget == itc.budget
    assert read_texts(tmp_path / "texts") == base


def test_canonical_is_its_own_fixed_point_without_the_memo(base: dict[str, str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(core, "_CANONICAL", Recent(16_000_000))
    assert canonical(base) == base
    assert canonical(read_texts(bundled_path())) == base


def test_read_texts_gives_the_bytes_decoded_and_nothing_else(tmp_path: Path) -> None:
    for file in bundled_path().iterdir():
        (tmp_path / file.name).write_bytes(file.read_bytes())
    section = (tmp_path / "section.yaml").read_bytes()
    (tmp_path / "section.yaml").write_bytes(b"\xef\xbb\xbf" + section.replace(b"\n", b"\r\n"))
    texts = read_texts(tmp_path)
    assert set(texts) == set(PARTS)
    assert texts["section"].encode("utf-8") == (tmp_path / "section.yaml").read_bytes()
    assert load_texts(texts).budget == load(tmp_path).budget
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(LoadError, match=r"notes\.txt"):
        read_texts(tmp_path)


def test_load_texts_reports_what_load_reports(base: dict[str, str], tmp_path: Path) -> None:
    broken = dict(base)
    broken["resources"] = base["resources"].replace("1202.2", "1202.2.1")
    del broken["posts"]
    broken["extra"] = "a: 1\n"
    for name, text in broken.items():
        if name in PARTS:
            (tmp_path / PARTS[name]).write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as from_files:
        load(tmp_path)
    with pytest.raises(LoadError) as from_texts:
        load_texts(broken)
    assert from_texts.value.errors[1:] == from_files.value.errors
    assert from_texts.value.errors[0].file == "extra"
    assert [e.file for e in from_files.value.errors] == ["resources.yaml", "posts.yaml"]


def test_load_texts_refuses_what_no_file_could_hold(base: dict[str, str]) -> None:
    cases = [(b"x", "not text but bytes"), ("a: \ud800\n", "lone surrogate"), ("a: \x07\n", r"U\+0007 is not allowed")]
    for bad, says in cases:
        with pytest.raises(LoadError, match=says):
            load_texts({**base, "section": bad})  # type: ignore[dict-item]


def test_load_texts_keeps_positions(base: dict[str, str]) -> None:
    loaded = load_texts(base)
    file, line = loaded.line_of("resources", ("regular", "lines", 1, "lines", 4, "values", "2024 proposed"))
    assert file == "resources.yaml"
    assert "2024 proposed: 1202.2" in base["resources"].splitlines()[line - 1]


def test_value_at_reads_the_current_value(base: dict[str, str]) -> None:
    assert value_at(base, "resources", CONTRACTUAL) == Decimal("1202.2")
    assert value_at(base, "posts", OED_P4) == 6
    assert value_at(base, "posts", "staffing[10].grades.D-1") is None
    assert value_at(base, "structure", "units[0].name") == {"zh": "执行主任办公室",
                                                            "en": "Office of the Executive Director"}
    with pytest.raises(EditError, match="no field"):
        value_at(base, "structure", "units[0].title")
    name = value_at(base, "structure", "units[0].name")
    assert isinstance(name, dict)
    name["en"] = "changed by the caller"
    assert value_at(base, "structure", "units[0].name.en") == "Office of the Executive Director"


# --- the operations a budget officer makes --------------------------------------------------------------------------

def test_set_a_line_of_resources(base: dict[str, str]) -> None:
    edits = set_line_value(base, "regular", "contractual_services", "2024 proposed", "1203.2")
    assert edits == [Edit("resources", CONTRACTUAL, Decimal("1202.2"), "1203.2")]
    assert figures(apply(base, edits).loaded.budget)[("regular.non_post", "2024 proposed")] == Decimal("8157.5")
    with pytest.raises(EditError, match="no line 'catering'"):
        set_line_value(base, "regular", "catering", "2024 proposed", "1")
    with pytest.raises(EditError, match="no fund 'irregular'"):
        set_line_value(base, "irregular", "post", "2024 proposed", "1")


def test_set_a_post_count(base: dict[str, str]) -> None:
    edits = set_post_count(base, "OED", "rb", "2024 proposed", "P-4", 7)
    old, new = load_texts(base), apply(base, edits)
    for key in ("posts.rb.grade.P-4", "posts.rb.unit.OED", "posts.rb.total"):
        assert figure(new, key, "2024 proposed") == figure(old, key, "2024 proposed") + 1
    assert figure(new, "posts.rb.total", "2024 proposed") == Decimal(161)
    gone = apply(base, set_post_count(base, "OED", "rb", "2024 proposed", "P-4", 0))
    assert "P-4" not in gone.loaded.budget.posts.staffing[10].grades


def test_set_a_deliverable_quantity(base: dict[str, str]) -> None:
    applied = apply(base, set_deliverable_quantity(base, 3, "2024 planned", 5))
    assert figures(applied.loaded.budget)[("deliverables.item.3", "2024 planned")] == Decimal(5)
    assert ("DEL001", "printed") in {f[:2] for f in unacknowledged(applied)}
    with pytest.raises(EditError, match="no deliverable numbered 99"):
        set_deliverable_quantity(base, 99, "2024 planned", 5)


def test_set_and_add_a_measure_value(base: dict[str, str]) -> None:
    applied = apply(base, set_measure_value(base, "r1.users", "2022 actual", 1404457))
    assert figures(applied.loaded.budget)[("measure.r1.users", "2022 actual")] == Decimal(1404457)
    added = apply(base, add_measure_value(base, "r1.users", "2024 target", "1300000"))
    assert added.loaded.budget.performance.results[0].measures[0].values["2024 target"] == Decimal(1300000)
    assert added.changes == (("performance", "results[0].measures[0].values.2024 target", None, Decimal(1300000)),)
    with pytest.raises(EditError, match="already has a figure for 2022 actual"):
        add_measure_value(base, "r1.users", "2022 actual", 1)
    with pytest.raises(EditError, match=r"no measure 'r9\.x'"):
        set_measure_value(base, "r9.x", "2022 actual", 1)


def test_set_a_text_in_one_language(base: dict[str, str]) -> None:
    before = load_texts(base).budget.plan.objective[0].text
    applied = apply(base, set_text(base, "plan", "objective[0].text", "en", "A new objective."))
    after = applied.loaded.budget.plan.objective[0].text
    assert (after.en, after.zh) == ("A new objective.", before.zh)
    with pytest.raises(EditError, match="no language 'de'"):
        set_text(base, "plan", "objective[0].text", "de", "x")
    with pytest.raises(EditError, match="not a text in six languages"):
        set_text(base, "plan", "objective[0].number", "en", "x")
    with pytest.raises(EditError, match="has no field 'txt'") as raised:
        set_text(base, "plan", "objective[0].txt", "en", "x")
    assert raised.value.language == "en"


def test_rename_a_unit(base: dict[str, str]) -> None:
    applied = apply(base, rename_unit(base, "DMD", "en", "Division of Markets"))
    unit = applied.loaded.budget.structure.units[2]
    assert (unit.id, unit.name.en, unit.name.zh) == ("DMD", "Division of Markets", "市场开发司")
    assert figures(applied.loaded.budget) == figures(load_texts(base).budget)
    with pytest.raises(EditError, match="no unit 'XYZ'"):
        rename_unit(base, "XYZ", "en", "x")


def test_add_a_deliverable(base: dict[str, str]) -> None:
    edits = add_deliverable(base, "substantive_services", {"zh": "新会议", "en": "New meetings"},
                            {"2022 planned": 0, "2022 actual": 0, "2023 planned": 2, "2024 planned": 2})
    applied = apply(base, edits)
    items = [item for category in applied.loaded.budget.deliverables.categories
             for sub in category.subcategories for item in sub.items]
    assert [item.number for item in items] == list(range(1, len(items) + 1))
    added = applied.loaded.budget.deliverables.categories[0].subcategories[1].items[-1]
    assert (added.number, added.title.en, added.quantities["2024 planned"]) == (8, "New meetings", 2)
    key = "deliverables.substantive_services"
    assert figure(applied, key, "2024 planned") == figure(load_texts(base), key, "2024 planned") + 2
    assert not [f for f in unacknowledged(applied) if f[0] == "DEL002"]
    with pytest.raises(EditError, match="no subcategory 'parties'"):
        add_deliverable(base, "parties", {"en": "x"}, {})


def test_add_a_deliverable_refuses_a_bad_quantity(base: dict[str, str]) -> None:
    edits = add_deliverable(base, "substantive_services", {"zh": "新", "en": "New"}, {"2024 planned": "two"})
    with pytest.raises(EditError, match="expected a whole number, not 'two'") as raised:
        apply(base, edits)
    assert raised.value.path == "categories[0].subcategories[1].items[5].quantities.2024 planned"


def test_move_posts_between_units_keeps_the_totals_by_grade(base: dict[str, str]) -> None:
    edits = move_posts(base, number=2, grade="P-4", source="rb", period="2024 proposed", from_unit="DCP",
                       to_unit="OED")
    applied = apply(base, edits)
    old, new = figures(load_texts(base).budget), figures(applied.loaded.budget)
    grades = {key: value for key, value in old.items() if key[0].startswith("posts.rb.grade.")}
    assert grades and all(new[key] == value for key, value in grades.items())
    before = load_texts(base)
    for unit, moved in (("OED", 2), ("DCP", -2)):
        ref = f"posts.rb.unit.{unit}"
        assert figure(applied, ref, "2024 proposed") == figure(before, ref, "2024 proposed") + moved
    # What Annex I printed per unit no longer holds; nothing else is found.
    assert {f[:2] for f in unacknowledged(applied)} - {f[:2] for f in unacknowledged(apply(base, []))} == {
        ("PST001", "printed")}


def test_move_posts_to_a_unit_without_a_row_and_emptying_a_grade(base: dict[str, str]) -> None:
    edits = move_posts(base, number=1, grade="P-3", source="xb", period="2024 estimate", from_unit="DCP",
                       to_unit="DSIT")
    staffing = apply(base, edits).loaded.budget.posts.staffing
    assert "P-3" not in staffing[13].grades
    assert (staffing[-1].unit, staffing[-1].source, staffing[-1].period, dict(staffing[-1].grades)) == (
        "DSIT", "xb", "2024 estimate", {"P-3": 1})


@pytest.mark.parametrize(("kwargs", "says"), [
    ({"number": 9}, "DCP has 8 P-4 posts"),
    ({"number": 0}, "a whole number above 0"),
    ({"to_unit": "DCP"}, "to itself"),
    ({"to_unit": "NOPE"}, "no unit 'NOPE'"),
    ({"from_unit": "NOPE"}, "NOPE has 0 P-4 posts"),
])
def test_move_posts_refuses_what_cannot_move(base: dict[str, str], kwargs: dict[str, object], says: str) -> None:
    arguments: dict[str, object] = {"number": 1, "grade": "P-4", "source": "rb", "period": "2024 proposed",
                                    "from_unit": "DCP", "to_unit": "OED", **kwargs}
    with pytest.raises(EditError, match=says):
        move_posts(base, **arguments)  # type: ignore[arg-type]


def test_the_edit_package_imports_no_edge() -> None:
    forbidden = ("django", "psycopg", "sqlite3", "sqlalchemy", "jinja2", "docx", "xlsxwriter", "matplotlib",
                 "typst", "weasyprint", "fascicle.web", "fascicle.render", "fascicle.cli")
    package = Path(core.__file__).parent
    for file in package.glob("*.py"):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        names |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
        assert not {name for name in names if name.startswith(forbidden)}, file.name
