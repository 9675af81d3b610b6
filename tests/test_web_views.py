"""The web pages on SQLite: CSRF, escaping, drafts hidden from readers, the htmx edit form with its findings and
conflicts, and downloads of a revision's fascicle."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from fascicle.web.budgets import service
from fascicle.web.budgets.models import Revision
from web_support import OTHER_STAFF, seed_dataset, user

pytestmark = pytest.mark.django_db
edit_api = pytest.importorskip("fascicle.edit", reason="the core edit API (fascicle.edit) is not installed yet")


@pytest.fixture(autouse=True)
def home(settings: Any, tmp_path: Path) -> Path:
    settings.FASCICLE_HOME = tmp_path / "home"
    return settings.FASCICLE_HOME


@pytest.fixture
def seeded() -> Any:
    return seed_dataset()


@pytest.fixture
def officer(seeded: Any) -> Any:
    return user("olga", ("officer", "ITC"))


def logged_in(who: Any, **options: Any) -> Client:
    client = Client(**options)
    client.force_login(who)
    return client


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
