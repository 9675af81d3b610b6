"""Publishing an approved section (fascicle.workflow `publish`: an officer or a reviewer, approved only) and the
public page of published revisions: anyone, logged in or not, downloads a published revision; an unpublished one
is a 404 at the public address."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from fascicle.web.budgets import service
from fascicle.web.budgets.models import Publication
from web_support import logged_in, user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("home")]



def approve(dataset: Any, officer: Any) -> Any:
    reviewer = user("rita", ("reviewer", "ITC"))
    service.transition(dataset, officer, "submit")
    service.transition(dataset, reviewer, "approve")
    dataset.refresh_from_db()
    return reviewer


def test_an_officer_publishes_an_approved_section_once(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    approve(dataset, officer)
    response = logged_in(officer).post(f"/sections/{dataset.slug}/publish/")
    assert response.status_code == 302 and response["Location"] == f"/sections/{dataset.slug}/"
    first = Publication.objects.get()
    assert (first.dataset, first.revision, first.actor) == (dataset, dataset.head, officer)
    # The same revision again: the same publication, nothing new.
    assert service.publish(dataset, officer) == first
    assert logged_in(officer).post(f"/sections/{dataset.slug}/publish/").status_code == 302
    assert Publication.objects.count() == 1


def test_a_reviewer_publishes_too(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    reviewer = approve(dataset, officer)
    assert logged_in(reviewer).post(f"/sections/{dataset.slug}/publish/").status_code == 302
    assert Publication.objects.get().actor == reviewer


def test_a_draft_is_not_published(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    response = logged_in(officer).post(f"/sections/{dataset.slug}/publish/")
    assert response.status_code == 403
    with pytest.raises(PermissionDenied, match="only an approved section"):
        service.publish(dataset, officer)
    assert not Publication.objects.exists()


def test_roles_that_may_not_publish_are_refused_or_do_not_see_it(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    approve(dataset, officer)
    for who in (user("mia", ("manager", "DMD")), user("tian", ("translator", "ITC", "zh")),
                user("rob", ("reader", "ITC"))):
        assert logged_in(who).post(f"/sections/{dataset.slug}/publish/").status_code == 403, who.username
    # A draft a reader may not see is a 404, as a section that does not exist.
    draft = service.create_dataset("hidden", "Hidden", "ITC")
    service.import_directory(draft, service.export(dataset.head, service.git_root().parent / "x"), officer, "copy")
    assert logged_in(user("ron", ("reader", "ITC"))).post("/sections/hidden/publish/").status_code == 404
    assert Client().post(f"/sections/{dataset.slug}/publish/").status_code == 302  # anonymous: to the login
    assert not Publication.objects.exists()


def test_a_get_of_publish_is_405(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    assert logged_in(officer).get(f"/sections/{dataset.slug}/publish/").status_code == 405


def test_anyone_downloads_a_published_revision_but_not_an_unpublished_one(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    draft_head = dataset.head
    anonymous = Client()
    # Nothing published yet: the page says so and the revision is a 404 at the public address.
    page = anonymous.get("/published/")
    assert page.status_code == 200 and "Nothing is published yet." in page.content.decode()
    assert anonymous.get(f"/published/{draft_head.pk}/en.html").status_code == 404
    approve(dataset, officer)
    assert anonymous.get(f"/published/{dataset.head.pk}/en.html").status_code == 404  # approved, not published
    service.publish(dataset, officer)
    page = anonymous.get("/published/").content.decode()
    assert dataset.title in page
    for lang in ("zh", "en"):
        for kind in ("html", "pdf", "docx", "xlsx"):
            assert f'href="/published/{dataset.head.pk}/{lang}.{kind}"' in page
    response = anonymous.get(f"/published/{dataset.head.pk}/en.html")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert b"International Trade Centre" in b"".join(response.streaming_content)
    # A format or a language there is none of, and a revision that does not exist: 404.
    assert anonymous.get(f"/published/{dataset.head.pk}/en.exe").status_code == 404
    assert anonymous.get(f"/published/{dataset.head.pk}/xx.html").status_code == 404
    assert anonymous.get("/published/999999/en.html").status_code == 404
    # Reopened and edited: the new draft head is not public; the published revision stays so.
    published = dataset.head
    service.transition(dataset, user("rex", ("reviewer", "ITC")), "reopen", "a correction")
    from fascicle import edit as edit_api
    from web_support import OTHER_STAFF

    revision, _ = service.edit(dataset, officer, [edit_api.Edit("resources", OTHER_STAFF, "514.7", "520")],
                               "recosted", "technical", None)
    assert anonymous.get(f"/published/{revision.pk}/en.html").status_code == 404
    assert anonymous.get(f"/published/{published.pk}/en.html").status_code == 200


def test_the_published_page_escapes_titles(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    dataset.title = "<script>alert(1)</script>"
    dataset.save()
    approve(dataset, officer)
    service.publish(dataset, officer)
    page = Client().get("/published/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
