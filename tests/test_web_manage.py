"""The administrator's pages (fascicle.workflow `manage`: the admin role only): units and their memberships, a
membership added or removed with clear errors, and the history of each change (django-simple-history: who, when,
what)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client

from fascicle.web.accounts.models import Membership, Unit
from fascicle.web.budgets import service
from web_support import logged_in, user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("home")]



@pytest.fixture
def admin(seeded: Any) -> Any:
    made = user("ada")
    made.is_superuser = made.is_staff = True
    made.save()
    return made


def test_only_the_admin_role_reaches_the_pages(seeded: Any, officer: Any) -> None:
    pages = ("/manage/", "/manage/history/")
    for who in (officer, user("mia", ("manager", "DMD")), user("mo", ("manager", "ITC")),
                user("rita", ("reviewer", "ITC")), user("tian", ("translator", "ITC", "zh")),
                user("rob", ("reader", "ITC"))):
        client = logged_in(who)
        assert "manage-link" not in client.get("/").content.decode()
        for page in pages:
            assert client.get(page).status_code == 403, (who.username, page)
        assert client.post("/manage/memberships/add/", {"username": who.username, "unit": "ITC",
                                                        "role": "admin"}).status_code == 403
        mine = Membership.objects.filter(user=who).first()
        assert client.post(f"/manage/memberships/{mine.pk}/remove/").status_code == 403
        assert client.post("/manage/memberships/999999/remove/").status_code == 403
    assert not Membership.objects.filter(role="admin").exists()
    anonymous = Client()
    for page in pages:
        response = anonymous.get(page)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    with pytest.raises(PermissionDenied):
        service.add_membership(officer, officer, Unit.objects.get(code="ITC"), "admin")


def test_an_admin_membership_gives_the_admin_role(seeded: Any) -> None:
    held = user("abe", ("admin", "ITC"))
    assert logged_in(held).get("/manage/").status_code == 200
    assert 'class="manage-link"' in logged_in(held).get("/").content.decode()  # the header's link


def test_an_admin_adds_a_membership_and_its_history_shows_who(admin: Any) -> None:
    client = logged_in(admin)
    page = client.get("/manage/").content.decode()
    assert 'data-unit="ITC"' in page and 'data-unit="DMD"' in page
    user("nina")
    response = client.post("/manage/memberships/add/", {"username": "nina", "unit": "DMD", "role": "manager"})
    assert response.status_code == 302 and response["Location"] == "/manage/"
    added = Membership.objects.get(user__username="nina")
    assert (added.unit.code, added.role, added.language) == ("DMD", "manager", "")
    record = added.history.get()
    assert record.history_type == "+" and record.history_user == admin
    page = client.get("/manage/").content.decode()
    assert "nina · Manager" in page
    history = client.get("/manage/history/").content.decode()
    row = history[history.index("nina manager DMD") - 400:history.index("nina manager DMD")]
    assert "ada" in row and "Added" in row
    # The new manager now sees the section as the workflow says (a manager of a unit of it).
    dataset = seeded_dataset()
    assert service.can_view(added.user, dataset)
    # Removed: gone, and the history shows who removed it.
    response = client.post(f"/manage/memberships/{added.pk}/remove/")
    assert response.status_code == 302
    assert not Membership.objects.filter(user__username="nina").exists()
    removed = Membership.history.filter(id=added.pk).order_by("-history_id").first()
    assert removed.history_type == "-" and removed.history_user == admin
    assert "Removed" in client.get("/manage/history/").content.decode()
    assert not service.can_view(get_user_model().objects.get(username="nina"), dataset)


def seeded_dataset() -> Any:
    from fascicle.web.budgets.models import Dataset

    return Dataset.objects.get(slug="itc-2024")


def test_a_translator_needs_a_language_and_only_a_translator_has_one(admin: Any) -> None:
    client = logged_in(admin)
    user("tess")
    cases = [
        ({"username": "tess", "unit": "ITC", "role": "translator", "language": ""}, "a translator needs a language"),
        ({"username": "tess", "unit": "ITC", "role": "translator", "language": "xx"}, "a translator needs a language"),
        ({"username": "tess", "unit": "ITC", "role": "officer", "language": "fr"},
         "only a translator&#x27;s membership names a language"),
        ({"username": "tess", "unit": "ITC", "role": "boss"}, "no role &#x27;boss&#x27;"),
        ({"username": "nobody", "unit": "ITC", "role": "officer"}, "no user named &#x27;nobody&#x27;"),
        ({"username": "tess", "unit": "NOPE", "role": "officer"}, "no unit &#x27;NOPE&#x27;"),
        ({"username": "", "unit": "", "role": "officer"}, "a user is needed"),
    ]
    for form, message in cases:
        response = client.post("/manage/memberships/add/", form)
        assert response.status_code == 400, form
        assert message in response.content.decode(), (form, response.content.decode()[-2000:])
    assert not Membership.objects.filter(user__username="tess").exists()
    ok = client.post("/manage/memberships/add/", {"username": "tess", "unit": "ITC", "role": "translator",
                                                  "language": "fr"})
    assert ok.status_code == 302
    again = client.post("/manage/memberships/add/", {"username": "tess", "unit": "ITC", "role": "translator",
                                                     "language": "fr"})
    assert again.status_code == 400 and "tess is already translator in ITC (fr)" in again.content.decode()
    assert Membership.objects.filter(user__username="tess").count() == 1


def test_names_are_escaped_on_the_pages(admin: Any) -> None:
    client = logged_in(admin)
    Unit.objects.create(code="EVIL", name="<script>alert(1)</script>", parent=Unit.objects.get(code="ITC"))
    user("<b>bob</b>", ("officer", "EVIL"))
    for page in ("/manage/", "/manage/history/"):
        text = client.get(page).content.decode()
        assert "<script>alert(1)" not in text and "<b>bob</b>" not in text, page
        assert "&lt;b&gt;bob&lt;/b&gt;" in text, page
    response = client.post("/manage/memberships/add/", {"username": "<i>x</i>", "unit": "ITC", "role": "officer"})
    assert response.status_code == 400 and "<i>x</i>" not in response.content.decode()


def test_the_forms_need_a_csrf_token(admin: Any) -> None:
    client = logged_in(admin, enforce_csrf_checks=True)
    user("nina")
    response = client.post("/manage/memberships/add/", {"username": "nina", "unit": "DMD", "role": "manager"})
    assert response.status_code == 403
    assert not Membership.objects.filter(user__username="nina").exists()
