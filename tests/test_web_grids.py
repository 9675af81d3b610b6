"""The grid editors (issue 9): resources, posts (unit × grade for a period and source), deliverables and measures.
Each grid is one form whose changed cells are saved as one revision; conflicts keep what was typed; cells the
user may not edit are text; everything from the data is escaped."""

from __future__ import annotations

import re
from typing import Any

import pytest

from fascicle import edit as edit_api
from fascicle.web.budgets import service
from fascicle.web.budgets.models import Change, Revision
from web_support import OTHER_STAFF, REGULAR_POST, logged_in, user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("home")]

RESOURCES_OTHER = "regular.lines[1].lines[0]|2024 proposed"
"""The resources grid's key of Other staff costs, 2024 (514.7 in the seed)."""
RESOURCES_POST = "regular.lines[0]|2024 proposed"
"""The key of the regular budget's post line, 2024 (29780.0)."""
DMD_P4 = "DMD|P-4"
"""DMD's P-4 posts in the posts grid (6 in the regular budget, 2024 proposed)."""
DCP_P4 = "DCP|P-4"



def url(dataset: Any, kind: str) -> str:
    return f"/sections/{dataset.slug}/grid/{kind}/"


def inputs(page: str) -> dict[str, str]:
    """The form's inputs of a grid page: name → value (as the browser would send them, unescaped)."""
    import html

    found = {}
    for tag in re.findall(r"<input\b[^>]*>", page):
        name = re.search(r'\bname="([^"]*)"', tag)
        value = re.search(r'\bvalue="([^"]*)"', tag)
        if name:
            found[html.unescape(name.group(1))] = html.unescape(value.group(1)) if value else ""
    return found


def form(page: str, reason: str = "recosted", **changes: str) -> dict[str, str]:
    """The grid's form as rendered, with `changes` (cell key → new value) typed in."""
    body = {k: v for k, v in inputs(page).items() if k != "csrfmiddlewaretoken"}
    for key, value in changes.items():
        assert f"new.{key}" in body, key
        body[f"new.{key}"] = value
    body.update(reason=reason, category="technical")
    return body


@pytest.mark.parametrize("kind", ["resources", "posts", "deliverables", "measures"])
def test_each_grid_renders_for_an_officer_with_inputs_and_totals(seeded: Any, officer: Any, kind: str) -> None:
    dataset, _ = seeded
    response = logged_in(officer).get(url(dataset, kind))
    assert response.status_code == 200
    page = response.content.decode()
    fields = inputs(page)
    assert any(name.startswith("new.") for name in fields)
    assert f'hx-post="{url(dataset, kind)}"' in page and f'action="{url(dataset, kind)}"' in page
    assert 'hx-target="#grid"' in page and 'method="post"' in page
    if kind == "resources":
        assert fields[f"new.{RESOURCES_OTHER}"] == "514.7"
        assert fields[f"old.{RESOURCES_OTHER}"] == "514.7"
        # A figure that does not exist has no input (the non-post group's 2024 is its lines').
        assert "new.regular.lines[1]|2024 proposed" not in fields
    if kind == "posts":
        assert fields["period"] == "2024 proposed" and fields["source"] == "rb"
        assert fields[f"new.{DMD_P4}"] == "6"
        # An empty cell is an input too (no posts of that grade), and DEI (2023 only) is not a row in 2024.
        assert fields["new.DMD|ASG"] == ""
        assert "new.DEI|P-4" not in fields
        # Totals from the data: the regular budget's 2024 posts by grade and in all.
        assert '<td class="num total">' in page
    if kind == "deliverables":
        assert fields["new.1|2024 planned"] == "3"
    if kind == "measures":
        assert fields["new.r1.users|2022 actual"] == "1404456"
        assert "new.r1.users|2024 target" in fields


def test_the_posts_grid_takes_another_period_and_source(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    page = logged_in(officer).get(url(dataset, "posts"), {"period": "2023 estimate", "source": "xb"})
    fields = inputs(page.content.decode())
    assert fields["period"] == "2023 estimate" and fields["source"] == "xb"
    assert fields["new.DEI|GS (OL)"] == "2"


def test_unknown_grids_and_hidden_sections_are_404(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    assert logged_in(officer).get(url(dataset, "nonsense")).status_code == 404
    assert logged_in(officer).get("/sections/no-such/grid/posts/").status_code == 404
    reader = logged_in(user("rob", ("reader", "ITC")))
    assert reader.get(url(dataset, "posts")).status_code == 404
    assert reader.post(url(dataset, "posts"), {}).status_code == 404


def test_two_changed_cells_make_one_revision_and_an_unchanged_cell_is_not_sent(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    client = logged_in(officer)
    page = client.get(url(dataset, "resources")).content.decode()
    # The post line typed as 29780 is the 29780.0 shown: unchanged, not sent.
    body = form(page, **{RESOURCES_OTHER: "520", "regular.lines[1].lines[1]|2024 proposed": "10.5",
                         RESOURCES_POST: "29780"})
    response = client.post(url(dataset, "resources"), body, HTTP_HX_REQUEST="true")
    assert response.status_code == 200, response.content[:500]
    text = response.content.decode()
    dataset.refresh_from_db()
    head = dataset.head
    assert f"Saved as revision {head.pk}" in text and "Cells changed: 2." in text
    assert not text.lstrip().startswith("<!DOCTYPE")  # the htmx fragment, the grid alone
    assert Revision.objects.filter(dataset=dataset).count() == 2
    rows = {(c.path, c.old, c.new) for c in Change.objects.filter(revision=head)}
    assert rows == {(OTHER_STAFF, "514.7", "520"), ("regular.lines[1].lines[1].values.2024 proposed", "9.5", "10.5")}
    texts = service.head_texts(dataset)
    assert str(edit_api.value_at(texts, "resources", OTHER_STAFF)) == "520"
    assert str(edit_api.value_at(texts, "resources", REGULAR_POST)) == "29780.0"
    assert head.reason == "recosted" and head.category == "technical" and head.author == officer
    # The grid again, at the new head: its inputs hold the saved values, its base the new revision.
    fields = inputs(text)
    assert fields["base"] == str(head.pk) and fields[f"old.{RESOURCES_OTHER}"] == "520"


def test_a_plain_post_without_htmx_answers_the_whole_page(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    client = logged_in(officer)
    page = client.get(url(dataset, "deliverables")).content.decode()
    response = client.post(url(dataset, "deliverables"), form(page, **{"1|2024 planned": "4"}))
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith("<!DOCTYPE")
    dataset.refresh_from_db()
    change = Change.objects.get(revision=dataset.head)
    assert (change.part, change.path, change.old, change.new) == (
        "deliverables", "categories[0].subcategories[0].items[0].quantities.2024 planned", "3", "4")


def test_posts_save_through_the_core_a_new_grade_and_a_removed_one(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    client = logged_in(officer)
    page = client.get(url(dataset, "posts")).content.decode()
    response = client.post(url(dataset, "posts"), form(page, **{DMD_P4: "7", "DMD|ASG": "1", "DMD|P-2": ""}))
    assert response.status_code == 200, response.content[:500]
    dataset.refresh_from_db()
    grades = edit_api.value_at(service.head_texts(dataset), "posts", "staffing[14].grades")
    assert isinstance(grades, dict)
    assert grades["P-4"] == 7 and grades["ASG"] == 1 and "P-2" not in grades
    assert Change.objects.filter(revision=dataset.head).count() == 3
    # The row total is the data's: 32 + 1 (P-4) + 1 (ASG) - 5 (P-2) = 29 (DMD's 2024 regular-budget posts).
    text = response.content.decode()
    assert inputs(text)[f"new.{DMD_P4}"] == "7"
    row = re.search(r'<th scope="row"[^>]*data-path="staffing\[14\]">.*?</tr>', text, re.S)
    assert row is not None and re.search(r'<td class="num total">29</td>\s*</tr>$', row.group(0))


def test_a_unit_without_posts_gets_its_row_from_a_grid_save(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    client = logged_in(officer)
    page = client.get(url(dataset, "posts"), {"period": "2024 estimate", "source": "xb"}).content.decode()
    # DSIT has no extrabudgetary posts in 2024: two grades typed make one new row.
    response = client.post(url(dataset, "posts"), form(page, **{"DSIT|P-3": "2", "DSIT|GS (OL)": "1"}))
    assert response.status_code == 200, response.content[:500]
    dataset.refresh_from_db()
    posts = service.loaded(dataset.head).budget.posts
    row = [s for s in posts.staffing if s.unit == "DSIT" and s.source == "xb" and s.period == "2024 estimate"]
    assert len(row) == 1 and row[0].grades == {"P-3": 2, "GS (OL)": 1}


def test_a_measure_gets_a_value_for_a_period_it_lacks(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    client = logged_in(officer)
    page = client.get(url(dataset, "measures")).content.decode()
    assert inputs(page)["new.r1.users|2024 target"] == ""
    response = client.post(url(dataset, "measures"), form(page, **{"r1.users|2024 target": "1500000"}))
    assert response.status_code == 200, response.content[:500]
    dataset.refresh_from_db()
    value = edit_api.value_at(service.head_texts(dataset), "performance", "results[0].measures[0].values.2024 target")
    assert str(value) == "1500000"


def test_a_stale_save_of_the_same_cell_is_409_with_their_value_and_name_and_yours_kept(
        seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    olga = logged_in(officer)
    omar = logged_in(user("omar", ("officer", "ITC")))
    # Both read the grid at the same revision.
    page_olga = olga.get(url(dataset, "resources")).content.decode()
    page_omar = omar.get(url(dataset, "resources")).content.decode()
    assert olga.post(url(dataset, "resources"), form(page_olga, **{RESOURCES_OTHER: "520"})).status_code == 200
    heads = Revision.objects.filter(dataset=dataset).count()
    response = omar.post(url(dataset, "resources"),
                         form(page_omar, **{RESOURCES_OTHER: "530", RESOURCES_POST: "29800"}),
                         HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    text = response.content.decode()
    assert Revision.objects.filter(dataset=dataset).count() == heads
    # The conflicting cell names olga and her 520; omar's 530 and his other typed value are still in the inputs.
    cell = re.search(r'<td id="[^"]*" class="[^"]*conflict[^"]*" data-key="([^"]*)".*?</td>', text, re.S)
    assert cell is not None and cell.group(1) == RESOURCES_OTHER
    assert "olga" in cell.group(0) and "520" in cell.group(0) and "530" in cell.group(0)
    fields = inputs(text)
    assert fields[f"new.{RESOURCES_OTHER}"] == "530" and fields[f"new.{RESOURCES_POST}"] == "29800"
    # The hidden old of the conflicting cell is now olga's value and the base the head: saving again replaces it.
    dataset.refresh_from_db()
    assert fields[f"old.{RESOURCES_OTHER}"] == "520" and fields["base"] == str(dataset.head.pk)
    again = omar.post(url(dataset, "resources"), {**form(text), "reason": "mine"})
    assert again.status_code == 200, again.content[:500]
    dataset.refresh_from_db()
    texts = service.head_texts(dataset)
    assert str(edit_api.value_at(texts, "resources", OTHER_STAFF)) == "530"
    assert str(edit_api.value_at(texts, "resources", REGULAR_POST)) == "29800"


def test_a_manager_edits_only_their_units_posts(seeded: Any) -> None:
    dataset, _ = seeded
    mia = logged_in(user("mia", ("manager", "DMD")))
    page = mia.get(url(dataset, "posts")).content.decode()
    fields = inputs(page)
    editable_rows = {name.split("|")[0].removeprefix("new.") for name in fields if name.startswith("new.")}
    assert editable_rows == {"DMD"}
    assert 'data-key="DCP|P-4"' in page  # shown, as text
    # A post to another unit's cell is refused and stores nothing.
    body = form(page, **{DMD_P4: "7"})
    body.update({f"new.{DCP_P4}": "9", f"old.{DCP_P4}": "8"})
    response = mia.post(url(dataset, "posts"), body)
    assert response.status_code == 403
    assert Revision.objects.filter(dataset=dataset).count() == 1
    # Their own unit's cell alone is saved.
    assert mia.post(url(dataset, "posts"), form(page, **{DMD_P4: "7"})).status_code == 200
    # Resources are the whole section's: no input for a manager.
    assert not any(n.startswith("new.") for n in inputs(mia.get(url(dataset, "resources")).content.decode()))


def test_a_translator_gets_no_inputs_and_a_post_is_403(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    tian = logged_in(user("tian", ("translator", "ITC", "zh")))
    for kind in ("resources", "posts", "deliverables", "measures"):
        page = tian.get(url(dataset, kind))
        assert page.status_code == 200
        assert not any(n.startswith("new.") for n in inputs(page.content.decode())), kind
    officer_page = logged_in(officer).get(url(dataset, "resources")).content.decode()
    response = tian.post(url(dataset, "resources"), form(officer_page, **{RESOURCES_OTHER: "1"}))
    assert response.status_code == 403
    assert Revision.objects.filter(dataset=dataset).count() == 1


def test_markup_in_a_unit_or_line_name_is_escaped(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    texts = service.head_texts(dataset)
    service.edit(dataset, officer, [
        edit_api.Edit("structure", "units[2].name.en", edit_api.value_at(texts, "structure", "units[2].name.en"),
                      "<script>alert(1)</script> & DMD"),
        edit_api.Edit("resources", "regular.lines[0].name.en",
                      edit_api.value_at(texts, "resources", "regular.lines[0].name.en"), "<b>Post</b>")],
        "test", "other", None)
    client = logged_in(officer)
    posts = client.get(url(dataset, "posts")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; DMD" in posts and "<script>alert(1)" not in posts
    resources = client.get(url(dataset, "resources")).content.decode()
    assert "&lt;b&gt;Post&lt;/b&gt;" in resources and "<b>Post</b>" not in resources


def test_a_bad_number_is_400_naming_the_cell_with_the_input_kept(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    client = logged_in(officer)
    page = client.get(url(dataset, "posts")).content.decode()
    response = client.post(url(dataset, "posts"), form(page, **{DMD_P4: "six", "DMD|P-5": "4"}),
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    text = response.content.decode()
    # The table (posts, its period and source), the row (the unit) and the column (the grade).
    assert re.search(r"Posts grid · 2024 proposed · [^·<]+ · Division of Market Development \(DMD\) · P-4: ", text)
    fields = inputs(text)
    assert fields[f"new.{DMD_P4}"] == "six" and fields["new.DMD|P-5"] == "4"
    assert Revision.objects.filter(dataset=dataset).count() == 1
    # In a unit's new row (DSIT has no extrabudgetary posts in 2024) the cell named is the bad one.
    page = client.get(url(dataset, "posts"), {"period": "2024 estimate", "source": "xb"}).content.decode()
    response = client.post(url(dataset, "posts"), form(page, **{"DSIT|P-3": "2", "DSIT|P-4": "1.5"}))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Division of Sustainable and Inclusive Trade (DSIT) · P-4: " in text
    assert "(DSIT) · P-3: " not in text
    assert inputs(text)["new.DSIT|P-4"] == "1.5"


def test_findings_are_shown_beside_their_cell_and_row(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    client = logged_in(officer)
    page = client.get(url(dataset, "resources")).content.decode()
    response = client.post(url(dataset, "resources"), form(page, **{RESOURCES_OTHER: "-5"}), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = response.content.decode()
    # The saved edit's new findings, and a negative figure's (RES010) beside its cell and listed under the grid
    # with the table, row and column.
    assert "New findings from this change" in text
    cell = re.search(r'<td id="[^"]*" class="num cell has-findings" data-key="([^"]*)".*?</td>', text, re.S)
    assert cell is not None and cell.group(1) == RESOURCES_OTHER and "RES010" in cell.group(0)
    listed = re.search(r'<section class="grid-findings">.*</section>', text, re.S)
    assert listed is not None
    assert "Regular budget (CHF) · Other staff costs · 2024 proposed" in listed.group(0)
    assert "[RES010]" in listed.group(0)
    # A finding about a line's series as a whole (RES003: the non-post group no longer adds up) is on its row.
    row = re.search(r'<th scope="row" class="depth-0 has-findings" id="[^"]*" data-path="regular.lines\[1\]">.*?</th>',
                    text, re.S)
    assert row is not None and "RES003" in row.group(0)
    # The seed's own measure findings (MSR002, about a measure's series) are on the measures' rows.
    measures = client.get(url(dataset, "measures")).content.decode()
    assert re.search(r'data-path="results\[0\].measures\[0\]">.*?MSR002', measures)


def test_an_approved_section_shows_no_inputs_and_refuses_a_save(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    page = logged_in(officer).get(url(dataset, "resources")).content.decode()
    service.transition(dataset, officer, "submit")
    service.transition(dataset, user("rita", ("reviewer", "ITC")), "approve")
    client = logged_in(officer)
    again = client.get(url(dataset, "resources")).content.decode()
    assert not any(n.startswith("new.") for n in inputs(again))
    assert "approved by rita" in again
    response = client.post(url(dataset, "resources"), form(page, **{RESOURCES_OTHER: "520"}))
    assert response.status_code == 403
    assert Revision.objects.filter(dataset=dataset).count() == 1


def test_every_grid_label_is_in_six_languages() -> None:
    from fascicle.web.front import grids, i18n

    labels = i18n.labels()
    for kind in grids.KINDS:
        assert set(labels[f"grid.{kind}"]) == set(i18n.LANGUAGES)
