"""The section page as the fascicle itself (issue 9): the document tree printed by the HTML backend's template, its
paragraphs editable in place by whoever may edit them, every paragraph, table row, heading and figure open to
comment threads that can be answered and resolved, and the charts drawn from the revision."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

import pytest

from fascicle import edit as edit_api
from fascicle.web.budgets import service
from fascicle.web.budgets.models import Comment, Revision
from web_support import logged_in, user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("home")]

FIRST = "plan:foreword.paragraphs[0].text"
"""The foreword's first paragraph, "In 2024, the International Trade Centre (ITC) will continue…"."""



def overlay(page: str) -> dict[str, Any]:
    found = re.search(r'<script id="section-overlay" type="application/json">(.*?)</script>', page, re.S)
    assert found, "no overlay"
    loaded: dict[str, Any] = json.loads(found.group(1))
    return loaded


def test_the_section_page_is_the_fascicle_with_the_places_of_its_paragraphs(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    page = logged_in(officer).get(f"/sections/{dataset.slug}/").content.decode()
    article = page[page.index('<article class="fascicle"'):page.index("</article>")]
    # The fascicle's own headings, paragraphs and tables, as the HTML backend prints them.
    assert '<h2 id="foreword" data-anchor="foreword">Foreword</h2>' in article
    assert f'data-source="{FIRST}"' in article
    assert "In 2024, the International Trade Centre (ITC) will continue" in article
    assert article.count("<table") >= 8 and 'data-anchor="table-' in article
    assert article.count("<main") == 0 and page.count("<main") == 1
    # Charts are images of the revision's own drawings.
    charts = re.findall(r'<img src="(/revisions/\d+/charts/en/\d+\.svg)"', article)
    assert len(charts) >= 4
    # The officer may edit every paragraph in English; the overlay lists them, and may comment.
    shown = overlay(page)
    sources = re.findall(r'data-source="([^"]+)"', article)
    assert shown["editable"] == sources and shown["comment"] is True and shown["lang"] == "en"


def test_a_reader_and_a_translator_get_no_edit_of_the_english_paragraphs(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    translator = logged_in(user("tian", ("translator", "ITC", "zh")))
    shown = overlay(translator.get(f"/sections/{dataset.slug}/").content.decode())
    assert shown["editable"] == []
    # In Chinese, the translator's own language, every paragraph is theirs to edit.
    page = translator.get(f"/sections/{dataset.slug}/?lang=zh").content.decode()
    assert overlay(page)["editable"] and overlay(page)["lang"] == "zh"
    assert '<article class="fascicle" id="document" lang="zh"' in page
    response = translator.get(f"/sections/{dataset.slug}/text/", {"source": FIRST, "lang": "en"})
    assert response.status_code == 403
    assert translator.get(f"/sections/{dataset.slug}/text/", {"source": FIRST, "lang": "zh"}).status_code == 200


def test_a_paragraph_is_edited_in_place_and_the_document_shows_it(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    client = logged_in(officer)
    form = client.get(f"/sections/{dataset.slug}/text/", {"source": FIRST, "lang": "en"}).content.decode()
    assert 'name="path" value="foreword.paragraphs[0].text.en"' in form
    assert "In 2024, the International Trade Centre (ITC) will continue" in form
    old = unescape(re.search(r'name="old" value="([^"]*)"', form).group(1))  # type: ignore[union-attr]
    response = client.post(f"/sections/{dataset.slug}/edit/", {
        "fragment": "text", "part": "plan", "path": "foreword.paragraphs[0].text.en", "label": FIRST,
        "old": old, "new": "In 2024, ITC will <em>trade</em> & grow.", "reason": "shorter", "category": "other",
        "base": dataset.head_id}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200, response.content
    text = response.content.decode()
    assert "In 2024, ITC will &lt;em&gt;trade&lt;/em&gt; &amp; grow." in text and "<em>trade" not in text
    head = Revision.objects.filter(dataset=dataset).latest("id")
    assert f"Saved as revision {head.pk}." in text
    page = client.get(f"/sections/{dataset.slug}/").content.decode()
    assert "In 2024, ITC will &lt;em&gt;trade&lt;/em&gt; &amp; grow." in page
    # The same paragraph from the old base by someone else: a conflict that keeps their words.
    other = logged_in(user("omar", ("officer", "ITC")))
    response = other.post(f"/sections/{dataset.slug}/edit/", {
        "fragment": "text", "part": "plan", "path": "foreword.paragraphs[0].text.en", "label": FIRST,
        "old": old, "new": "My own words.", "reason": "mine", "category": "other",
        "base": head.parent_id}, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    conflict = response.content.decode()
    assert "My own words." in conflict and "olga" in conflict and 'class="para-edit"' in conflict


def test_the_text_form_knows_only_the_paragraphs_of_the_document(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    client = logged_in(officer)
    for source, lang in (("plan:foreword.paragraphs[999].text", "en"), ("resources:regular.lines[0]", "en"),
                         (FIRST, "xx"), ("", "en")):
        assert client.get(f"/sections/{dataset.slug}/text/", {"source": source, "lang": lang}).status_code == 404
    reader = logged_in(user("rita", ("reader", "ITC")))
    assert reader.get(f"/sections/{dataset.slug}/text/", {"source": FIRST, "lang": "en"}).status_code == 404


def test_a_comment_thread_on_a_table_row_is_answered_and_resolved(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    client = logged_in(officer)
    page = client.get(f"/sections/{dataset.slug}/").content.decode()
    anchor = re.findall(r'<tr class="item" data-anchor="([^"]+)"', page)[0]
    response = client.post(f"/sections/{dataset.slug}/comment/", {"anchor": anchor, "text": "Is this <b>right</b>?"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    root = Comment.objects.get(dataset=dataset, anchor=anchor)
    assert "Is this &lt;b&gt;right&lt;/b&gt;?" in response.content.decode()
    assert overlay(client.get(f"/sections/{dataset.slug}/").content.decode())["counts"] == {anchor: 1}
    manager = logged_in(user("mia", ("manager", "DMD")))
    response = manager.post(f"/sections/{dataset.slug}/comment/", {"parent": root.pk, "text": "Yes.",
                                                                    "anchor": "ignored"}, HTTP_HX_REQUEST="true")
    reply = Comment.objects.get(parent=root)
    assert reply.anchor == anchor and "Yes." in response.content.decode()
    response = client.post(f"/sections/{dataset.slug}/comments/{reply.pk}/resolve/", HTTP_HX_REQUEST="true")
    root.refresh_from_db()
    assert root.resolved and root.resolved_by == officer and root.resolved_at is not None
    assert "resolved by olga" in response.content.decode()
    assert overlay(client.get(f"/sections/{dataset.slug}/").content.decode())["counts"] == {}
    # A reply reopens the thread.
    manager.post(f"/sections/{dataset.slug}/comment/", {"parent": root.pk, "text": "Not quite."})
    root.refresh_from_db()
    assert not root.resolved
    thread = client.get(f"/sections/{dataset.slug}/comments/", {"anchor": anchor}).content.decode()
    assert thread.index("Is this") < thread.index("Yes.") < thread.index("Not quite.")


def test_a_reader_may_not_comment_nor_resolve(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    made = service.comment(dataset, officer, "a question", "foreword")
    for action in ("submit", "start_review", "approve"):
        service.transition(dataset, officer if action == "submit" else user(f"r-{action}", ("reviewer", "ITC")),
                           action, "ok")
    reader = logged_in(user("rita", ("reader", "ITC")))
    assert reader.post(f"/sections/{dataset.slug}/comments/{made.pk}/resolve/").status_code == 403
    assert reader.post(f"/sections/{dataset.slug}/comment/", {"text": "x", "parent": made.pk}).status_code == 403
    made.refresh_from_db()
    assert not made.resolved and Comment.objects.filter(dataset=dataset).count() == 1
    thread = reader.get(f"/sections/{dataset.slug}/comments/", {"anchor": "foreword"}).content.decode()
    assert "a question" in thread and "reply-form" not in thread and "resolve-form" not in thread


def test_a_reply_to_another_sections_comment_is_refused(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    other = service.create_dataset("other-2024", "another", "ITC")
    service.import_directory(other, service.export(dataset.head, service.git_root().parent / "x"),
                             officer, "copy")
    theirs = service.comment(other, officer, "elsewhere", "foreword")
    response = logged_in(officer).post(f"/sections/{dataset.slug}/comment/", {"parent": theirs.pk, "text": "hi"})
    assert response.status_code == 400
    assert not Comment.objects.filter(dataset=dataset).exists()


def test_a_chart_of_the_revision_is_an_svg_image(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    client = logged_in(officer)
    page = client.get(f"/sections/{dataset.slug}/").content.decode()
    address = re.findall(r'<img src="(/revisions/\d+/charts/en/\d+\.svg)"', page)[0]
    response = client.get(address)
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert client.get(f"/revisions/{dataset.head_id}/charts/en/999.svg").status_code == 404
    assert client.get(f"/revisions/{dataset.head_id}/charts/xx/0.svg").status_code == 404
    reader = logged_in(user("rita", ("reader", "ITC")))
    assert reader.get(address).status_code == 404  # a draft's chart is the draft's


def test_markup_in_a_paragraph_stays_text_in_the_document(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    path = "foreword.paragraphs[1].text.en"
    old = edit_api.value_at(service.head_texts(dataset), "plan", path)
    service.edit(dataset, officer, [edit_api.Edit("plan", path, old, '<img src=x onerror="alert(1)">')], "t",
                 "other", None)
    page = logged_in(officer).get(f"/sections/{dataset.slug}/").content.decode()
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page  # the HTML backend's escape (markupsafe)
    assert 'onerror="alert(1)"' not in page


def test_the_section_page_offers_publishing_an_approved_section_to_an_officer(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    page = logged_in(officer).get(f"/sections/{dataset.slug}/").content.decode()
    assert 'data-action="publish"' not in page  # a draft is not published
    service.transition(dataset, officer, "submit", "")
    reviewer = user("rev", ("reviewer", "ITC"))
    service.transition(dataset, reviewer, "start_review", "")
    service.transition(dataset, reviewer, "approve", "")
    page = logged_in(officer).get(f"/sections/{dataset.slug}/").content.decode()
    assert 'data-action="publish"' in page and "This revision is published." not in page
    response = logged_in(officer).post(f"/sections/{dataset.slug}/publish/")
    assert response.status_code == 302
    assert "This revision is published." in logged_in(officer).get(f"/sections/{dataset.slug}/").content.decode()
    manager = logged_in(user("mia", ("manager", "DMD")))
    assert 'data-action="publish"' not in manager.get(f"/sections/{dataset.slug}/").content.decode()


def test_a_long_list_of_findings_shows_its_errors_first_and_the_rest_on_demand(seeded: Any, officer: Any,
                                                                                 monkeypatch: Any) -> None:
    from fascicle.web.front import views

    FINDINGS_SHOWN = 8
    monkeypatch.setattr(views, "FINDINGS_SHOWN", FINDINGS_SHOWN)
    dataset, _ = seeded
    # Every non-post line's 2024 figure changed: each breaks its line's sum of changes (RES003) and the printed
    # tables, more findings than the page lists at first.
    texts = service.head_texts(dataset)
    edits = []
    for index in range(9):
        path = f"regular.lines[1].lines[{index}].values.2024 proposed"
        old = edit_api.value_at(texts, "resources", path)
        if old is not None:
            edits.append(edit_api.Edit("resources", path, old, str(old + 1)))  # type: ignore[operator]
    service.edit(dataset, officer, edits, "recosting", "technical", None)
    total = len(service.summary(dataset.head).findings)
    assert total > FINDINGS_SHOWN
    client = logged_in(officer)
    page = client.get(f"/sections/{dataset.slug}/").content.decode()
    listed = re.findall(r'<li class="(error|warning)[^"]*" data-code=', page)
    assert len(listed) == FINDINGS_SHOWN and listed[0] == "error"
    assert listed == sorted(listed, key=lambda severity: severity != "error")
    assert f"{total - FINDINGS_SHOWN} more findings: show all" in page
    everything = client.get(f"/sections/{dataset.slug}/", {"findings": "all"}).content.decode()
    assert len(re.findall(r'<li class="(?:error|warning)[^"]*" data-code=', everything)) == total
    assert "more findings: show all" not in everything


def test_a_revisions_page_body_is_shared_by_the_workers_on_disk(seeded: Any, monkeypatch: Any) -> None:
    from fascicle.web.front import document

    dataset, _ = seeded
    document._BODIES.clear()  # this worker's first page of the revision: made and put on disk
    made = document.body(dataset.head, "en")
    document._BODIES.clear()  # another worker: its own memo is empty
    monkeypatch.setattr(document, "_made", lambda *_: pytest.fail("built again"))
    found = document.body(Revision.objects.get(pk=dataset.head_id), "en")
    assert found == made and 'data-source="plan:foreword.paragraphs[0].text"' in found.html
    # A damaged entry is not trusted: the page is built again.
    folder = service._shared_folder("bodies")
    assert folder is not None
    (entry,) = [p for p in folder.iterdir() if p.name.startswith("bodies-")]
    entry.write_bytes(b"not a pickle")
    document._BODIES.clear()
    built: list[str] = []
    monkeypatch.setattr(document, "_made", lambda *args: built.append(args[1]) or made)
    assert document.body(Revision.objects.get(pk=dataset.head_id), "en") == made and built == ["en"]


def test_an_imported_section_is_shown_as_its_document_read_only_and_open_to_comments(officer: Any) -> None:
    from fascicle.source.load import bundled_path

    folder = bundled_path().parent / "a80-6-2026" / "sect-13"
    dataset = service.create_dataset("a80-6-2026-sect-13", "A/80/6 (Sect. 13)", "IMPORTED", shape="general",
                                     read_only=True)
    system = user("importer")
    service.import_directory(dataset, folder, system, "bundled data")
    reviewer = user("rev", ("reviewer", "ITC"))
    service.ensure_units(dataset, [("IMPORTED", "IMPORTED")])
    from fascicle.web.accounts.models import Membership, Unit

    Membership.objects.create(user=reviewer, unit=Unit.objects.get(code="IMPORTED"), role="reviewer")
    client = logged_in(reviewer)
    page = client.get(f"/sections/{dataset.slug}/").content.decode()
    article = page[page.index('<article class="fascicle"'):page.index("</article>")]
    section = service.loaded(dataset.head).section
    first = next(b for b in section.document.blocks if b.kind == "table" and b.table is not None).table
    assert f'data-anchor="table/{first.id}"' in article and article.count("<table") >= 5
    assert "data-source" not in article and overlay(page)["editable"] == []
    assert "An imported document, held for reading" in page and 'class="figures-link"' not in page
    # Its figures are the core's: a cell of the first table's first figure row, as compute.general gives it.
    from fascicle.compute.general import evaluate
    from fascicle.render.general_docx import format_number

    evaluation = evaluate(section)
    tables = [b.table for b in section.document.blocks if b.table is not None]
    table, row, column, value = next((t, r, c, evaluation.cell(t.id, r, c)) for t in tables
                                     for r, line in enumerate(t.rows) for c in range(1, len(line.cells))
                                     if evaluation.cell(t.id, r, c) not in (None, 0))
    cell = table.rows[row].cells[column]
    printed = format_number(value, cell.decimals, cell.dash)
    shown = article[article.index(f'data-anchor="table/{table.id}/{row}"'):]
    assert printed in shown[:shown.index("</tr>")]
    # A comment on a row of it.
    response = client.post(f"/sections/{dataset.slug}/comment/", {"anchor": f"table/{first.id}/0", "text": "ok?"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "ok?" in response.content.decode()


POST_2024 = "resources:regular.lines[0].values.2024 proposed"
"""Table 13.5's posts line for 2024 (29,780.0 in the seed): a value of the data the table prints as it is."""


def test_a_figure_of_the_fascicles_tables_is_edited_in_place(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    client = logged_in(officer)
    page = client.get(f"/sections/{dataset.slug}/").content.decode()
    article = page[page.index('<article class="fascicle"'):page.index("</article>")]
    marked = re.findall(r'data-cell="([^"]+)">(?:<bdi>)?([^<]*)', article)
    assert (POST_2024, "29,780.0") in marked and len({cell for cell, _ in marked}) >= 30
    # Sums and changes are not cells of the data: a total row has none.
    assert all(not cell.endswith((".total", "change")) for cell, _ in marked)
    assert POST_2024 in overlay(page)["cells"]
    form = client.get(f"/sections/{dataset.slug}/cell/", {"source": POST_2024}).content.decode()
    assert 'name="path" value="regular.lines[0].values.2024 proposed"' in form and 'value="29780.0"' in form
    response = client.post(f"/sections/{dataset.slug}/edit/", {
        "fragment": "cell", "part": "resources", "path": "regular.lines[0].values.2024 proposed",
        "label": POST_2024, "old": "29780.0", "new": "29800", "reason": "recosting", "category": "technical",
        "base": dataset.head_id}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'class="cell-edit"' in response.content.decode()
    assert "Saved as revision" in response.content.decode()
    after = client.get(f"/sections/{dataset.slug}/").content.decode()
    assert f'data-cell="{POST_2024}"><bdi>29,800.0' in after


def test_a_cell_form_is_only_for_whoever_may_edit_that_figure(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    for who in (user("tian", ("translator", "ITC", "zh")), user("mia", ("manager", "DMD"))):
        client = logged_in(who)
        assert overlay(client.get(f"/sections/{dataset.slug}/").content.decode())["cells"] == []
        assert client.get(f"/sections/{dataset.slug}/cell/", {"source": POST_2024}).status_code == 403
    client = logged_in(officer)
    for source in ("resources:regular.total", "resources:regular.lines[1].values.2024 proposed", ""):
        assert client.get(f"/sections/{dataset.slug}/cell/", {"source": source}).status_code == 404
