"""The JSON API (/api/v1/, django-ninja): what a user may see, a revision's parts and findings, edits with
compare-and-set (409 with both values), moves; session authentication with CSRF on POST; every error as JSON
`{"detail": ...}`; authorised exactly as the pages (a draft one may not see is a 404)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from fascicle.web.budgets import service
from fascicle.web.budgets.models import Revision
from web_support import OTHER_STAFF, REGULAR_POST, logged_in, user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("home")]



def post(client: Client, url: str, body: dict[str, Any], **headers: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def edit_body(dataset: Any, new: Any, base: Any = None, old: Any = "514.7") -> dict[str, Any]:
    return {"part": "resources", "path": OTHER_STAFF, "old": old, "new": new, "reason": "recosted",
            "category": "technical", "base": (base or dataset.head).pk}


def test_the_openapi_schema_lists_the_endpoints() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/sections", "/api/v1/sections/{slug}/revisions", "/api/v1/revisions/{pk}/parts",
            "/api/v1/revisions/{pk}/findings", "/api/v1/sections/{slug}/edit",
            "/api/v1/sections/{slug}/transition"} <= set(paths)


def test_anonymous_calls_are_401_json(seeded: Any) -> None:
    dataset, _ = seeded
    for url in ("/api/v1/sections", f"/api/v1/sections/{dataset.slug}/revisions",
                f"/api/v1/revisions/{dataset.head.pk}/parts"):
        response = Client().get(url)
        assert response.status_code == 401 and response.json() == {"detail": "Unauthorized"}, url


def test_sections_lists_only_what_the_user_may_see(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    rows = logged_in(officer).get("/api/v1/sections").json()
    assert len(rows) == 1
    row = rows[0]
    summary = service.summary(dataset.head)
    assert row == {"slug": dataset.slug, "title": dataset.title, "state": "draft", "head": dataset.head.pk,
                   "errors": summary.errors, "warnings": summary.warnings}
    assert logged_in(user("rob", ("reader", "ITC"))).get("/api/v1/sections").json() == []


def test_revisions_parts_and_findings(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    client = logged_in(officer)
    revisions = client.get(f"/api/v1/sections/{dataset.slug}/revisions").json()
    assert [(r["id"], r["author"], r["category"]) for r in revisions] == [(dataset.head.pk, "system", "import")]
    parts = client.get(f"/api/v1/revisions/{dataset.head.pk}/parts").json()
    assert parts == service.texts_of(dataset.head) and "resources" in parts
    findings = client.get(f"/api/v1/revisions/{dataset.head.pk}/findings").json()
    assert len(findings) == len(service.summary(dataset.head).findings)
    assert all(set(f) == {"code", "severity", "message", "blocking", "locations"} for f in findings)


def test_a_reader_calling_for_a_hidden_draft_gets_404(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    reader = logged_in(user("rob", ("reader", "ITC")))
    for url in (f"/api/v1/sections/{dataset.slug}/revisions", f"/api/v1/revisions/{dataset.head.pk}/parts",
                f"/api/v1/revisions/{dataset.head.pk}/findings"):
        hidden = reader.get(url)
        assert hidden.status_code == 404 and set(hidden.json()) == {"detail"}, url
    missing = reader.get("/api/v1/sections/no-such-section/revisions")
    assert missing.status_code == 404 and missing.json() == reader.get(
        f"/api/v1/sections/{dataset.slug}/revisions").json()
    assert post(reader, f"/api/v1/sections/{dataset.slug}/edit", edit_body(dataset, "520")).status_code == 404
    assert post(reader, f"/api/v1/sections/{dataset.slug}/transition", {"action": "submit"}).status_code == 404
    # Approved, the reader sees it.
    service.transition(dataset, officer, "submit")
    service.transition(dataset, user("rita", ("reviewer", "ITC")), "approve")
    assert reader.get(f"/api/v1/revisions/{dataset.head.pk}/parts").status_code == 200


def test_an_edit_answers_the_new_revision_and_its_findings(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    response = post(logged_in(officer), f"/api/v1/sections/{dataset.slug}/edit",
                    {**edit_body(dataset, "29790", old="29780.0"), "path": REGULAR_POST})
    assert response.status_code == 200, response.content
    body = response.json()
    dataset.refresh_from_db()
    assert body["revision"] == dataset.head.pk and dataset.head.parent_id is not None
    assert "RES003" in {f["code"] for f in body["findings"]}
    change = dataset.head.changes.get()
    assert (change.path, change.old, change.new) == (REGULAR_POST, "29780.0", "29790")


def test_an_edit_conflict_is_409_json_with_both_values(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    base = dataset.head
    first = post(logged_in(officer), f"/api/v1/sections/{dataset.slug}/edit", edit_body(dataset, "520", base))
    assert first.status_code == 200
    other = logged_in(user("omar", ("officer", "ITC")))
    response = post(other, f"/api/v1/sections/{dataset.slug}/edit", edit_body(dataset, "530", base))
    assert response.status_code == 409
    body = response.json()
    assert (body["current"], body["yours"], body["author"]) == ("520", "530", "olga")
    assert body["path"] == OTHER_STAFF and "olga" in body["detail"]
    assert Revision.objects.filter(dataset=dataset).count() == 2


def test_refusals_and_bad_requests_are_json(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    url = f"/api/v1/sections/{dataset.slug}/edit"
    translator = logged_in(user("tian", ("translator", "ITC", "zh")))
    refused = post(translator, url, edit_body(dataset, "1"))
    assert refused.status_code == 403 and "may not" in refused.json()["detail"]
    client = logged_in(officer)
    no_reason = post(client, url, {**edit_body(dataset, "520"), "reason": " "})
    assert no_reason.status_code == 400 and no_reason.json() == {"detail": "every change needs a reason"}
    bad_path = post(client, url, {**edit_body(dataset, "520"), "path": "regular.nothing[7]"})
    assert bad_path.status_code == 400 and "regular.nothing" in bad_path.json()["detail"]
    bad_base = post(client, url, edit_body(dataset, "520") | {"base": 999999})
    assert bad_base.status_code == 400 and "999999" in bad_base.json()["detail"]
    malformed = client.post(url, "{", content_type="application/json")
    assert malformed.status_code in (400, 422) and "detail" in malformed.json()
    assert Revision.objects.filter(dataset=dataset).count() == 1
    # Approved: locked, and the message says who approved it.
    service.transition(dataset, officer, "submit")
    service.transition(dataset, user("rita", ("reviewer", "ITC")), "approve")
    locked = post(client, url, edit_body(dataset, "520"))
    assert locked.status_code == 403 and "approved by rita" in locked.json()["detail"]


def test_transitions_move_refuse_and_need_their_text(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    url = f"/api/v1/sections/{dataset.slug}/transition"
    client = logged_in(officer)
    assert post(client, url, {"action": "approve"}).status_code == 403
    unknown = post(client, url, {"action": "explode"})
    assert unknown.status_code == 400 and "explode" in unknown.json()["detail"]
    moved = post(client, url, {"action": "submit"})
    assert moved.status_code == 200 and moved.json()["to_state"] == "submitted"
    reviewer = logged_in(user("rita", ("reviewer", "ITC")))
    no_comment = post(reviewer, url, {"action": "return", "text": ""})
    assert no_comment.status_code == 400 and "comment" in no_comment.json()["detail"]
    returned = post(reviewer, url, {"action": "return", "text": "check the posts"})
    assert returned.status_code == 200 and returned.json()["from_state"] == "submitted"
    dataset.refresh_from_db()
    assert dataset.state == "returned"


def test_csrf_is_enforced_on_posts_with_session_auth(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    client = logged_in(officer, enforce_csrf_checks=True)
    url = f"/api/v1/sections/{dataset.slug}/edit"
    refused = post(client, url, edit_body(dataset, "520"))
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert post(client, f"/api/v1/sections/{dataset.slug}/transition", {"action": "submit"}).status_code == 403
    dataset.refresh_from_db()
    assert dataset.head.parent_id is None and dataset.state == "draft"
    # A GET needs no token; with the token a page sets, the POST goes through.
    assert client.get("/api/v1/sections").status_code == 200
    token = client.get(f"/sections/{dataset.slug}/").cookies["csrftoken"].value
    done = post(client, url, edit_body(dataset, "520"), HTTP_X_CSRFTOKEN=token)
    assert done.status_code == 200, done.content


def test_production_settings_pass_the_deployment_checks(tmp_path: Any) -> None:
    """With the API, the history middleware and the public pages installed, `check --deploy` stays clean."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "FASCICLE_HOME": str(tmp_path), "FASCICLE_PRODUCTION": "1",
           "FASCICLE_SECRET_KEY": "a-production-secret-" + "k3y" * 20, "FASCICLE_HOSTS": "fascicle.example.org",
           "DJANGO_SETTINGS_MODULE": "fascicle.web.settings"}
    done = subprocess.run([sys.executable, "-m", "fascicle.web", "check", "--deploy", "--fail-level", "WARNING"],
                          env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
