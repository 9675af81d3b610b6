"""The web pages on SQLite: CSRF, escaping, drafts hidden from readers, the htmx edit form with its findings and
conflicts, and downloads of a revision's fascicle."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from fascicle import edit as edit_api
from fascicle.web.budgets import service
from fascicle.web.budgets.models import Revision
from web_support import OTHER_STAFF, REGULAR_POST, logged_in, user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("home")]






def form(dataset: Any, path: str, old: str, new: str, base: Revision | None = None) -> dict[str, Any]:
    return {"part": "resources", "path": path, "old": old, "new": new, "reason": "recosted",
            "category": "technical", "base": (base or dataset.head).pk, "label": "other staff costs"}


def test_the_edit_view_needs_a_csrf_token(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    client = logged_in(officer, enforce_csrf_checks=True)
    response = client.post(f"/sections/{dataset.slug}/edit/", form(dataset, OTHER_STAFF, "514.7", "520"))
    assert response.status_code == 403
    dataset.refresh_from_db()
    assert dataset.head.parent is None
    # With the page's token it goes through.
    page = client.get(f"/sections/{dataset.slug}/")
    token = page.cookies["csrftoken"].value
    response = client.post(f"/sections/{dataset.slug}/edit/", form(dataset, OTHER_STAFF, "514.7", "520"),
                           HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content


def test_the_edit_view_saves_and_answers_a_conflict_with_both_values(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    base = dataset.head
    client = logged_in(officer)
    response = client.post(f"/sections/{dataset.slug}/edit/", form(dataset, OTHER_STAFF, "514.7", "520", base),
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"Saved as revision" in response.content
    other = logged_in(user("omar", ("officer", "ITC")))
    response = other.post(f"/sections/{dataset.slug}/edit/", form(dataset, OTHER_STAFF, "514.7", "530", base),
                          HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    text = response.content.decode()
    assert "olga" in text and "520" in text and "530" in text


def test_a_translator_posting_a_figure_gets_403(seeded: Any) -> None:
    dataset, _ = seeded
    client = logged_in(user("tian", ("translator", "ITC", "zh")))
    response = client.post(f"/sections/{dataset.slug}/edit/", form(dataset, OTHER_STAFF, "514.7", "1"))
    assert response.status_code == 403
    assert Revision.objects.count() == 1


def test_markup_in_a_paragraph_is_escaped_on_the_section_page(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    path = "foreword.paragraphs[0].text.en"
    old = edit_api.value_at(service.head_texts(dataset), "plan", path)
    service.edit(dataset, officer, [edit_api.Edit("plan", path, old, "<script>alert(1)</script> & more")],
                 "test", "other", None)
    page = logged_in(officer).get(f"/sections/{dataset.slug}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "<script>alert(1)" not in page


def test_a_reader_gets_404_on_a_draft_and_sees_it_approved(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    reader = logged_in(user("rob", ("reader", "ITC")))
    for url in (f"/sections/{dataset.slug}/", f"/sections/{dataset.slug}/history/",
                f"/revisions/{dataset.head.pk}/en.html"):
        assert reader.get(url).status_code == 404, url
    assert dataset.title not in reader.get("/sections/").content.decode()
    assert logged_in(officer).get(f"/sections/{dataset.slug}/").status_code == 200
    service.transition(dataset, officer, "submit")
    service.transition(dataset, user("rita", ("reviewer", "ITC")), "approve")
    assert reader.get(f"/sections/{dataset.slug}/").status_code == 200


def test_anonymous_users_are_sent_to_log_in(seeded: Any) -> None:
    dataset, _ = seeded
    response = Client().get(f"/sections/{dataset.slug}/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_pages_render_for_every_role(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    for who in (officer, user("mia", ("manager", "DMD")), user("rita", ("reviewer", "ITC")),
                user("tian", ("translator", "ITC", "zh"))):
        client = logged_in(who)
        for url in ("/", "/sections/", f"/sections/{dataset.slug}/", f"/sections/{dataset.slug}/history/"):
            assert client.get(url).status_code == 200, (who.username, url)


def test_a_downloaded_pdf_holds_an_edited_figure(seeded: Any, officer: Any, tmp_path: Path) -> None:
    dataset, _ = seeded
    revision, _ = service.edit(dataset, officer, [edit_api.Edit("resources", OTHER_STAFF, "514.7", "612.3")],
                               "recosted", "technical", None)
    response = logged_in(officer).get(f"/revisions/{revision.pk}/en.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "612.3" in text and "514.7" not in text
    # Built once: the second request is served from the revision's folder.
    cached = Path(service.download(revision, "en", "pdf"))
    assert cached.is_file() and str(revision.pk) in cached.parts


def test_logins_are_throttled_after_five_failures(settings: Any) -> None:
    settings.AXES_ENABLED = True
    user("olga")
    client = Client()
    statuses = [client.post("/login/", {"username": "olga", "password": "wrong"}).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    # Locked out now, even with the right password.
    response = client.post("/login/", {"username": "olga", "password": "a long enough password"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


# --- the interface in six languages, acknowledgements, totals beside a figure, comparing revisions --------------


def test_every_interface_label_has_the_six_languages_and_every_template_key_exists() -> None:
    import re

    from fascicle.web.front import i18n

    labels = i18n.labels()
    for key, texts in labels.items():
        assert set(texts) == set(i18n.LANGUAGES), key
        assert all(isinstance(v, str) and v.strip() for v in texts.values()), key
        # A field named in English is named in every language.
        fields = set(re.findall(r"\{(\w+)\}", texts["en"]))
        assert all(set(re.findall(r"\{(\w+)\}", v)) == fields for v in texts.values()), key
    folder = Path(i18n.__file__).parent / "templates" / "front"
    used = {key for page in folder.glob("*.html")
            for key in re.findall(r"""{%\s*t\s+["']([\w.]+)["'](?!\|)""", page.read_text(encoding="utf-8"))}
    assert used and used <= set(labels), used - set(labels)
    # Keys built from a prefix and a value: every value the data can hold has its label.
    from fascicle.web.budgets.models import CATEGORIES
    from fascicle.workflow import MOVES, STATES

    for prefix, values in (("state.", STATES), ("action.", [*MOVES, "edit"]), ("category.", CATEGORIES),
                           ("severity.", ["error", "warning"]),
                           ("total.", ["regular", "extrabudgetary", "posts", "resources", "unit_posts", "all_posts"])):
        assert {prefix + v for v in values} <= set(labels), prefix


def test_the_language_switcher_sets_a_cookie_and_arabic_reads_right_to_left(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    client = logged_in(officer)
    page = client.get(f"/sections/{dataset.slug}/").content.decode()
    assert '<html lang="en" dir="ltr">' in page and "Downloads" in page
    response = client.post("/language/", {"lang": "ar", "next": f"/sections/{dataset.slug}/"})
    assert response.status_code == 302 and response["Location"] == f"/sections/{dataset.slug}/"
    assert response.cookies["fascicle_lang"].value == "ar"
    page = client.get(f"/sections/{dataset.slug}/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "التنزيلات" in page and "مسودة" in page and "Downloads" not in page
    client.post("/language/", {"lang": "zh", "next": "/"})
    page = client.get("/sections/").content.decode()
    assert '<html lang="zh" dir="ltr">' in page and "经常预算" in page and "草稿" in page
    # Chinese groups thousands with a no-break space (the document's number style).
    assert "37\u00a0936.5" in page


def test_the_language_switcher_refuses_another_site_and_an_unknown_language(officer: Any) -> None:
    client = logged_in(officer)
    response = client.post("/language/", {"lang": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/" and "fascicle_lang" not in response.cookies


def test_an_officer_acknowledges_an_error_with_a_reason(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    client = logged_in(officer)
    client.post(f"/sections/{dataset.slug}/edit/", {**form(dataset, REGULAR_POST, "29780.0", "29790"),
                                                    "label": "post"})
    dataset.refresh_from_db()
    blocking = [f for f in service.summary(dataset.head).findings if f.blocking]
    target = next(f for f in blocking if f.code == "RES003")
    page = client.get(f"/sections/{dataset.slug}/").content.decode()
    assert 'class="inline ack-form"' in page
    ack = {"code": "RES003", "file": "resources.yaml", "field": "regular.lines[0]", "base": dataset.head.pk}
    # A reason is required.
    assert client.post(f"/sections/{dataset.slug}/acknowledge/", {**ack, "reason": " "}).status_code == 400
    response = client.post(f"/sections/{dataset.slug}/acknowledge/", {**ack, "reason": "approved by ACABQ"})
    assert response.status_code == 302
    dataset.refresh_from_db()
    change = dataset.head.changes.get()
    assert change.part == "acknowledgements" and change.old == ""
    assert "RES003" in change.new and "approved by ACABQ" in change.new and "olga" in change.new
    after = [f for f in service.summary(dataset.head).findings if f.code == "RES003"]
    assert after and after[0].acknowledged is not None and not after[0].blocking
    assert service.summary(dataset.head).blocking == len(blocking) - 1
    assert target.message == after[0].message
    page = client.get(f"/sections/{dataset.slug}/").content.decode()
    assert "Acknowledged by olga on" in page and "approved by ACABQ" in page


def test_a_translator_sees_no_acknowledge_button_and_is_refused(seeded: Any) -> None:
    dataset, _ = seeded
    client = logged_in(user("tian", ("translator", "ITC", "zh")))
    assert "ack-form" not in client.get(f"/sections/{dataset.slug}/").content.decode()
    response = client.post(f"/sections/{dataset.slug}/acknowledge/",
                           {"code": "RES001", "file": "printed.yaml", "field": "figures[0]", "reason": "x"})
    assert response.status_code == 403


def test_an_edit_answers_with_the_totals_it_feeds_and_the_new_findings(seeded: Any) -> None:
    dataset, _ = seeded
    manager = logged_in(user("mia", ("manager", "DMD")))
    page = manager.get(f"/sections/{dataset.slug}/figures/").content.decode()
    # DMD's 2024 regular-budget P-4 posts (staffing[14]) feed the unit's, the fund's and all posts' totals.
    path = "staffing[14].grades.P-4"
    assert 'data-ref="posts.rb.unit.DMD" data-period="2024 proposed"' in page
    feeds = ["unit_posts|posts.rb.unit.DMD|2024 proposed", "posts|posts.rb.total|2024 proposed",
             "all_posts|posts.all.total|2024 proposed"]
    response = manager.post(f"/sections/{dataset.slug}/edit/", {
        "part": "posts", "path": path, "old": "6", "new": "8", "reason": "two new posts", "category": "other",
        "base": dataset.head.pk, "label": "P-4", "feeds": feeds}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200, response.content
    text = response.content.decode()
    assert "Posts of the unit <bdi>2024 proposed</bdi>: <strong class=\"num\">34</strong>" in text
    assert "All posts <bdi>2024 proposed</bdi>: <strong class=\"num\">182</strong>" in text
    assert "[PST004] P-4: 29 approved + 0 changes ≠ 31 proposed" in text
    assert "New findings from this change" in text
    # Another unit's figure is refused.
    response = manager.post(f"/sections/{dataset.slug}/edit/", {
        "part": "posts", "path": "staffing[16].grades.P-4", "old": "4", "new": "5", "reason": "r",
        "category": "other", "base": dataset.head.pk})
    assert response.status_code == 403


def test_two_revisions_compare_by_figures_and_texts(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    first = dataset.head
    service.edit(dataset, officer, [edit_api.Edit("resources", OTHER_STAFF, "514.7", "600")], "a", "other", None)
    path = "foreword.paragraphs[0].text.en"
    old = edit_api.value_at(service.head_texts(dataset), "plan", path)
    last, _ = service.edit(dataset, officer, [edit_api.Edit("plan", path, old, "A <b>new</b> foreword.")], "b",
                           "other", None)
    client = logged_in(officer)
    assert f"?a={first.pk}&amp;b={last.parent_id}" in client.get(f"/sections/{dataset.slug}/history/").content.decode()
    page = client.get(f"/sections/{dataset.slug}/compare/?a={last.pk}&b={first.pk}").content.decode()
    assert f"Differences between revision {first.pk} and revision {last.pk}" in page
    row = page[page.index('data-ref="regular.other_staff_costs" data-period="2024 proposed"'):]
    assert "514.7" in row[:300] and "600" in row[:300]
    assert "+      en: A &lt;b&gt;new&lt;/b&gt; foreword." in page and "<b>new</b>" not in page
    assert client.get(f"/sections/{dataset.slug}/compare/?a={first.pk}&b=999999").status_code == 404


def test_the_figures_page_brings_one_figures_form_in_place_to_whoever_may_edit_it(seeded: Any,
                                                                                  officer: Any) -> None:
    dataset, _ = seeded
    client = logged_in(officer)
    page = client.get(f"/sections/{dataset.slug}/figures/").content.decode()
    row = page[page.index(f'data-path="{OTHER_STAFF}"'):]
    row = row[:row.index("</tr>")]
    assert 'data-value="514.7"' in row and 'class="edit-figure"' in row and "<form" not in row
    address = f"/sections/{dataset.slug}/figure/"
    form = client.get(address, {"part": "resources", "path": OTHER_STAFF}).content.decode()
    assert 'name="old" value="514.7"' in form and 'name="feeds" value="regular|regular.total|2024 proposed"' in form
    assert client.get(address, {"part": "resources", "path": "regular.lines[99].values.2024 proposed"}
                      ).status_code == 404
    translator = logged_in(user("tian", ("translator", "ITC", "zh")))
    assert 'class="edit-figure"' not in translator.get(f"/sections/{dataset.slug}/figures/").content.decode()
    assert translator.get(address, {"part": "resources", "path": OTHER_STAFF}).status_code == 403


def test_the_history_shows_a_page_of_revisions_and_links_the_older_ones(seeded: Any, officer: Any) -> None:
    from fascicle.web.front.views import HISTORY_PAGE

    dataset, _ = seeded
    old = "514.7"
    for step in range(HISTORY_PAGE + 2):
        new = f"{600 + step}.5"
        service.edit(dataset, officer, [edit_api.Edit("resources", OTHER_STAFF, old, new)], f"step {step}",
                     "other", None)
        old = new
    client = logged_in(officer)
    page = client.get(f"/sections/{dataset.slug}/history/").content.decode()
    shown = re.findall(r"<tr><td>(\d+)", page)
    assert len(shown) == HISTORY_PAGE and int(shown[0]) == dataset.revisions.latest("id").pk
    older = re.search(r'href="\?before=(\d+)" class="older"', page)
    assert older is not None and older.group(1) == shown[-1]
    rest = re.findall(r"<tr><td>(\d+)", client.get(f"/sections/{dataset.slug}/history/?before={shown[-1]}")
                      .content.decode())
    assert [int(r) for r in rest] == sorted((r.pk for r in dataset.revisions.all()), reverse=True)[HISTORY_PAGE:]
