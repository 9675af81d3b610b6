"""Issue 9's table: every role × every workflow state × every address of fascicle/web/urls.py, one parametrised
test. The expected status is derived from `fascicle.workflow.allowed` (never from the views):

* anonymous: a redirect to the login page for every page behind a login; the login page itself is 200, and
  logging out (POST) redirects to it;
* a section the user may not see (a draft without `view_draft`) is a 404, as if it did not exist — for its pages,
  its revision's downloads and every POST to it;
* a section the user may see: a GET is 200 (its translation page into Chinese: 200 to whoever may view its drafts,
  translators only of Chinese; 403 to the others; the form of a figure or a paragraph brought in place: 200 to
  whoever may make that edit now, 403 to the others); a POST the table allows succeeds (an edit answers 200, the
  htmx fragment of the saved field, a confirmed translation the fragment of its row, a comment, a reply or a
  resolved thread the thread; a move or a publication redirects, 302, to the section page); a POST the table
  refuses is a 403 and stores nothing (no revision, transition, comment or confirmed translation; no thread
  resolved; the state unchanged);
* the pages every logged-in user has (tasks, sections, login) are 200; logging out redirects (302).
* publishing (POST) follows `publish` (an officer or a reviewer, approved only: 302 to the section page, else
  403); the public page of published revisions is 200 to everyone, anonymous included, and a revision's public
  download is 200 when it was published (the approved section's, in the set-up) and 404 otherwise, to everyone;
* the administrator's pages (manage/) follow `manage`: 200 (a GET) or 302 back to manage/ (a POST) for the admin
  role, 403 to every other logged-in user;
* the JSON API (/api/v1/) answers as the pages do, with 200 where a page redirects after acting and 401 (JSON)
  to anonymous users.

Each state is its own dataset of the ITC seed, all five set up once for the module through the service's
`transition` (draft → submitted → under review → approved; submitted → returned) inside one outer transaction
that is rolled back at the end; each test runs in a savepoint of its own, so a POST that succeeds is undone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings

from fascicle import edit as edit_api
from fascicle.web.accounts.models import Membership
from fascicle.web.budgets import service
from fascicle.web.budgets.models import Comment, Dataset, Publication, Revision, Transition, Translation
from fascicle.workflow import MOVES, STATES, Action, Actor, State, allowed
from web_support import OTHER_STAFF, REGULAR_POST, seed_dataset, user

DMD_POSTS = "staffing[14].grades.P-4"
"""DMD's regular-budget P-4 posts for 2024 (6 in the seed): a path inside a mapping whose `unit` is DMD."""
ZH_PARAGRAPH = "foreword.paragraphs[0].text.zh"
"""The Chinese text of the foreword's first paragraph: a translation (the section's original is English)."""


# --- who ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Role:
    """One column of the table: how the user is made, and how the workflow sees them. `unit` is the unit of the
    section a manager manages (None: none of its units); `language` a translator's language; `submits` whether
    this user is the one who submitted the section in the set-up."""

    key: str
    roles: tuple[str, ...]
    memberships: tuple[tuple[str, ...], ...] = ()
    unit: str | None = None
    language: str | None = None
    superuser: bool = False
    anonymous: bool = False
    submits: bool = False

    def actors(self, state: State, concerns_unit: str | None = None, language: str | None = None) -> list[Actor]:
        """How `fascicle.workflow` sees the user, for an act concerning `concerns_unit` (None: the whole section,
        where a manager of one of its units sees the section) in `language`, the section being in `state`."""
        submitted = self.submits and state != "draft"
        found = []
        for role in self.roles:
            same_unit = self.unit is not None and (concerns_unit is None or concerns_unit == self.unit)
            found.append(Actor(role, same_unit=same_unit,  # type: ignore[arg-type]
                               own_language=language is not None and language == self.language,
                               is_submitter=submitted))
        return found or [Actor("reader")]

    def may(self, action: Action, state: State, concerns_unit: str | None = None,
            language: str | None = None) -> bool:
        return any(allowed(a, action, state) for a in self.actors(state, concerns_unit, language))

    def sees(self, state: State) -> bool:
        return self.may("view_published" if state == "approved" else "view_draft", state)

    def reads_translation(self, state: State, language: str) -> bool:
        """The translation page into `language`: whoever may view drafts, among translators those of it."""
        return any(allowed(a, "view_draft", state) and (a.role != "translator" or a.own_language)
                   for a in self.actors(state, None, language))


ROLES = (
    Role("officer", ("officer",), (("officer", "ITC"),)),
    Role("manager-own-unit", ("manager",), (("manager", "DMD"),), unit="DMD"),
    Role("manager-other-unit", ("manager",), (("manager", "DCP"),), unit="DCP"),
    Role("manager-other-entity", ("manager",), (("manager", "XU"),)),
    Role("reviewer", ("reviewer",), (("reviewer", "ITC"),)),
    Role("translator-zh", ("translator",), (("translator", "ITC", "zh"),), language="zh"),
    Role("reader", ("reader",), (("reader", "ITC"),)),
    Role("admin", ("admin",), superuser=True),
    Role("anonymous", (), anonymous=True),
    # Officer and reviewer at once, and the one who submitted: may not approve what they submitted.
    Role("officer-reviewer-submitter", ("officer", "reviewer"), (("officer", "ITC"), ("reviewer", "ITC")),
         submits=True),
)
"""`manager-other-unit` manages DCP, a unit of the section: they see the section (as its summary) but DMD's posts
are not theirs; `manager-other-entity` manages a unit of another entity, which is not in the section at all."""


# --- what -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """A valid minimal edit body: one value, from the head, to a new value; the unit and language it concerns."""

    key: str
    part: str
    path: str
    new: str
    unit: str | None = None
    language: str | None = None
    action: Action = "edit"


EN_TEXT = Edit("en-text", "plan", "foreword.paragraphs[0].text.en", "A new paragraph.")
"""The English text of the foreword's first paragraph: the section's own narrative (no unit's), the officer's."""
EDITS = (
    Edit("figure", "resources", OTHER_STAFF, "520"),
    Edit("dmd-posts", "posts", DMD_POSTS, "7", unit="DMD"),
    Edit("zh-text", "plan", ZH_PARAGRAPH, "新的中文段落。", language="zh", action="translate"),
)


@dataclass(frozen=True)
class Address:
    """One address of urls.py with a method and a body."""

    key: str
    method: str
    section: bool = False
    """Whether the address concerns the section (404 to whoever may not see it)."""
    action: Action | None = None
    edit: Edit | None = None
    body: dict[str, str] = field(default_factory=dict)
    language: str | None = None
    """The language an address concerns that is not an edit's (the translation page and its confirmation)."""
    public: bool = False
    """Whether the address needs no login (the published revisions and their downloads)."""
    manages: bool = False
    """Whether the address is the administrator's (fascicle.workflow `manage`)."""
    api: bool = False
    """Whether the address is the JSON API's (/api/v1/: 401 to anonymous users, a JSON body, 200 when it acts)."""

    def url(self, dataset: Dataset) -> str:
        urls = {"tasks": "/", "login": "/login/", "logout": "/logout/", "dashboard": "/sections/",
                "section": f"/sections/{dataset.slug}/", "history": f"/sections/{dataset.slug}/history/",
                "edit": f"/sections/{dataset.slug}/edit/", "move": f"/sections/{dataset.slug}/move/",
                "comment": f"/sections/{dataset.slug}/comment/",
                "translate": f"/sections/{dataset.slug}/translate/zh/",
                "confirm": f"/sections/{dataset.slug}/translate/zh/confirm/",
                "download": f"/revisions/{dataset.head_id}/en.html",
                "figures": f"/sections/{dataset.slug}/figures/",
                "figure": f"/sections/{dataset.slug}/figure/?part=resources&path={OTHER_STAFF}",
                "cell": f"/sections/{dataset.slug}/cell/?source=resources:{REGULAR_POST}",
                "thread": f"/sections/{dataset.slug}/comments/?anchor=foreword",
                "chart": f"/revisions/{dataset.head_id}/charts/en/0.svg",
                "publish": f"/sections/{dataset.slug}/publish/", "published": "/published/",
                "published-file": f"/published/{dataset.head_id}/en.html",
                "manage": "/manage/", "manage-history": "/manage/history/", "manage-add": "/manage/memberships/add/",
                "api-sections": "/api/v1/sections", "api-revisions": f"/api/v1/sections/{dataset.slug}/revisions",
                "api-parts": f"/api/v1/revisions/{dataset.head_id}/parts",
                "api-findings": f"/api/v1/revisions/{dataset.head_id}/findings",
                "api-edit": f"/api/v1/sections/{dataset.slug}/edit",
                "api-move": f"/api/v1/sections/{dataset.slug}/transition"}
        if self.key == "manage-remove":
            leaving = Membership.objects.get(user__username="leaver")
            return f"/manage/memberships/{leaving.pk}/remove/"
        if self.key == "resolve":
            return f"/sections/{dataset.slug}/comments/{question(dataset).pk}/resolve/"
        if self.key.startswith("text:"):
            lang = self.key.split(":")[1]
            return f"/sections/{dataset.slug}/text/?source=plan:foreword.paragraphs[0].text&lang={lang}"
        if self.key.startswith("grid:"):
            return f"/sections/{dataset.slug}/grid/{self.key.split(':')[1]}/"
        return urls[self.key.split(":")[0]]


ADDRESSES = (
    Address("tasks", "GET"),
    Address("login", "GET"),
    Address("logout", "POST"),
    Address("dashboard", "GET"),
    Address("section", "GET", section=True),
    Address("history", "GET", section=True),
    Address("download", "GET", section=True),
    *(Address(f"edit:{e.key}", "POST", section=True, action=e.action, edit=e) for e in EDITS),
    *(Address(f"move:{a}", "POST", section=True, action=a, body={"action": a, "text": "because"})
      for a in MOVES),
    Address("comment", "POST", section=True, action="comment", body={"text": "a note", "anchor": ""}),
    Address("comment:reply", "POST", section=True, action="comment", body={"text": "an answer", "anchor": ""}),
    Address("resolve", "POST", section=True, action="comment"),
    Address("thread", "GET", section=True),
    Address("figures", "GET", section=True),
    Address("chart", "GET", section=True),
    # The forms brought in place: a figure's and a paragraph's (GET), by the rule of the edit they would make.
    Address("figure", "GET", section=True, action="edit", edit=EDITS[0]),
    Address("cell", "GET", section=True, action="edit", edit=Edit("cell", "resources", REGULAR_POST, "29800")),
    Address("text:en", "GET", section=True, action="edit", edit=EN_TEXT),
    Address("text:zh", "GET", section=True, action="translate", edit=EDITS[2]),
    Address("translate", "GET", section=True, language="zh"),
    Address("confirm:zh-text", "POST", section=True, action="translate", language="zh",
            body={"part": "plan", "path": ZH_PARAGRAPH.removesuffix(".zh")}),
    *(Address(f"grid:{kind}", "GET", section=True) for kind in ("resources", "posts", "deliverables", "measures")),
    # A grid's save of one changed cell follows the `edit` action's rule, as the edit rows above (fascicle.web.front
    # .grids: one revision of the changed cells); `cell` is the grid's name of the cell.
    Address("grid:resources:figure", "POST", section=True, action="edit", edit=EDITS[0],
            body={"cell": OTHER_STAFF.replace(".values.", "|")}),
    Address("grid:posts:dmd-posts", "POST", section=True, action="edit", edit=EDITS[1],
            body={"cell": "DMD|P-4", "period": "2024 proposed", "source": "rb"}),
    Address("publish", "POST", section=True, action="publish"),
    Address("published", "GET", public=True),
    Address("published-file", "GET", public=True),
    Address("manage", "GET", manages=True),
    Address("manage-history", "GET", manages=True),
    Address("manage-add", "POST", manages=True, body={"username": "newcomer", "unit": "DMD", "role": "reader"}),
    Address("manage-remove", "POST", manages=True),
    Address("api-sections", "GET", api=True),
    Address("api-revisions", "GET", section=True, api=True),
    Address("api-parts", "GET", section=True, api=True),
    Address("api-findings", "GET", section=True, api=True),
    *(Address(f"api-edit:{e.key}", "POST", section=True, action=e.action, edit=e, api=True) for e in EDITS),
    *(Address(f"api-move:{a}", "POST", section=True, action=a, body={"action": a, "text": "because"}, api=True)
      for a in MOVES),
)
PUBLISHED: frozenset[State] = frozenset({"approved"})
"""The states whose dataset's head is published in the set-up (an approved section, by a reviewer)."""


def expected(role: Role, state: State, address: Address) -> int:
    """The status the workflow's table implies (see the module's docstring)."""
    if address.public:
        # Published revisions are everyone's (`view_published`), logged in or not; an unpublished one is a 404.
        visible = address.key == "published" or state in PUBLISHED
        return 200 if visible and role.may("view_published", state) else 404
    if role.anonymous:
        return 401 if address.api else 200 if address.key == "login" else 302
    if address.key == "logout":
        return 302
    if address.manages:
        if not role.may("manage", state):
            return 403
        return 200 if address.method == "GET" else 302
    if not address.section:
        return 200
    if not role.sees(state):
        return 404
    if address.key == "translate":
        return 200 if role.reads_translation(state, "zh") else 403
    if address.action is None:
        return 200
    edit = address.edit
    # An edit of a path outside every unit ("") is the whole section's: no manager's own unit.
    if not role.may(address.action, state, (edit.unit or "") if edit else None,
                    edit.language if edit else address.language):
        return 403
    # htmx answers in place: an edit, a confirmation, a comment or a resolved thread (the thread again); the API
    # answers JSON; a GET its page or fragment; a move redirects to the section page.
    return 302 if address.key.startswith("move:") or address.key == "publish" else 200


def cases() -> Iterator[Any]:
    for role in ROLES:
        for state in STATES:
            for address in ADDRESSES:
                yield pytest.param(role, state, address, id=f"{role.key}-{state}-{address.key}")


# --- set-up: one dataset per state, once for the module -------------------------------------------------------------


@dataclass
class World:
    datasets: dict[State, Dataset]
    users: dict[str, Any]


PATHS: dict[State, tuple[Action, ...]] = {
    "draft": (),
    "submitted": ("submit",),
    "under_review": ("submit", "start_review"),
    "approved": ("submit", "start_review", "approve"),
    "returned": ("submit", "return"),
}


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    home = tmp_path_factory.mktemp("roles-home")
    with django_db_blocker.unblock(), override_settings(FASCICLE_HOME=Path(home)):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            first, system = seed_dataset()
            service.ensure_units(service.create_dataset("xu-2024", "another entity", "XE"), [("XU", "XU")])
            users: dict[str, Any] = {}
            for role in ROLES:
                if role.anonymous:
                    continue
                made = user(role.key, *role.memberships)  # type: ignore[arg-type]
                if role.superuser:
                    made.is_superuser = made.is_staff = True
                    made.save()
                users[role.key] = made
            reviewer = user("second-reviewer", ("reviewer", "ITC"))
            user("newcomer")
            user("leaver", ("reader", "ITC"))
            submitter = users["officer-reviewer-submitter"]
            datasets: dict[State, Dataset] = {}
            for state in STATES:
                if state == "draft":
                    dataset = first
                else:
                    dataset = service.create_dataset(f"itc-{state.replace('_', '-')}", f"ITC {state}", "ITC")
                    service.import_directory(dataset, service.export(first.head, Path(home) / "seed"), system,
                                             "the seed")
                for action in PATHS[state]:
                    service.transition(dataset, submitter if action == "submit" else reviewer, action, "because")
                dataset.refresh_from_db()
                assert dataset.state == state
                if state in PUBLISHED:
                    service.publish(dataset, reviewer)
                service.comment(dataset, reviewer, "a question", "foreword")  # the thread to reply to, resolve
                datasets[state] = dataset
            yield World(datasets, users)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def question(dataset: Dataset) -> Comment:
    """The comment the set-up left on the section's foreword, the thread the reply and resolve rows act on."""
    found = Comment.objects.filter(dataset=dataset, parent__isnull=True).order_by("id").first()
    assert found is not None
    return found


def counts(dataset: Dataset) -> tuple[int, int, int]:
    return (Revision.objects.filter(dataset=dataset).count(), Transition.objects.filter(dataset=dataset).count(),
            Comment.objects.filter(dataset=dataset).count())


def others() -> tuple[int, int]:
    """What the publish and the administrator's addresses store: publications and memberships."""
    return Publication.objects.count(), Membership.objects.count()


def body(address: Address, dataset: Dataset) -> dict[str, Any]:
    if address.key.startswith("grid:") and address.edit is not None:
        # The grid's form with one cell changed from the value the page showed at the head.
        cell = address.body["cell"]
        old = edit_api.value_at(service.head_texts(dataset), address.edit.part, address.edit.path)
        return {**{k: v for k, v in address.body.items() if k != "cell"},
                f"old.{cell}": "" if old is None else str(old), f"new.{cell}": address.edit.new,
                "reason": "a test", "category": "technical", "base": dataset.head_id}
    if address.key == "comment:reply":
        return {**address.body, "parent": str(question(dataset).pk)}
    if address.edit is None:
        return dict(address.body)
    edit = address.edit
    old = edit_api.value_at(service.head_texts(dataset), edit.part, edit.path)
    return {"part": edit.part, "path": edit.path, "old": "" if old is None else str(old), "new": edit.new,
            "reason": "a test", "category": "technical", "base": dataset.head_id, "label": edit.key}


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "state", "address"), list(cases()))
def test_every_role_state_and_address(world: World, role: Role, state: State, address: Address) -> None:
    dataset = Dataset.objects.get(pk=world.datasets[state].pk)
    client = Client()
    if not role.anonymous:
        client.force_login(world.users[role.key])
    before = counts(dataset)
    stored = others()
    confirmed = Translation.objects.filter(dataset=dataset).count()
    want = expected(role, state, address)
    if address.method == "GET":
        response = client.get(address.url(dataset))
    elif address.api:
        response = client.post(address.url(dataset), json.dumps(body(address, dataset)),
                               content_type="application/json")
    else:
        response = client.post(address.url(dataset), body(address, dataset), HTTP_HX_REQUEST="true")
    assert response.status_code == want, (response.status_code, response.content[:300])
    if want == 302:
        target = "/login/" if role.anonymous or address.key == "logout" else \
            "/manage/" if address.manages else f"/sections/{dataset.slug}/"
        assert response["Location"].startswith(target)
    after = Dataset.objects.get(pk=dataset.pk)
    if address.method == "GET" or want not in (200, 302) or address.key == "logout" or role.anonymous:
        # Nothing stored: no revision, transition or comment, the state and the head unchanged.
        assert counts(after) == before
        assert (after.state, after.head_id) == (state, dataset.head_id)
        assert Translation.objects.filter(dataset=dataset).count() == confirmed
        assert others() == stored
        assert not question(after).resolved
        return
    revisions, transitions, comments = before
    if address.edit is not None:
        assert counts(after) == (revisions + 1, transitions, comments)
        new = edit_api.value_at(service.head_texts(after), address.edit.part, address.edit.path)
        assert str(new) == address.edit.new
    elif address.key.startswith("confirm:"):
        # A confirmation records the source's hash; no revision, transition or comment.
        assert counts(after) == before
        assert Translation.objects.filter(dataset=dataset).count() == confirmed + 1
    elif address.key == "resolve":
        assert counts(after) == before and question(after).resolved
    elif address.key == "publish":
        # Published already in the set-up: publishing the same revision again stores nothing new.
        assert counts(after) == before and others() == stored
        assert Publication.objects.filter(dataset=dataset, revision=after.head).exists()
    elif address.manages:
        publications, members = stored
        assert counts(after) == before
        assert others() == (publications, members + (1 if address.key == "manage-add" else -1))
    elif address.key.split(":")[0] in ("move", "api-move"):
        assert counts(after)[:2] == (revisions, transitions + 1)
        assert after.state == MOVES[address.action][1]  # type: ignore[index]
    else:
        assert counts(after) == (revisions, transitions, comments + 1)


@pytest.mark.django_db
def test_the_dashboard_lists_a_section_only_to_who_may_see_it(world: World) -> None:
    for role in ROLES:
        if role.anonymous:
            continue
        client = Client()
        client.force_login(world.users[role.key])
        page = client.get("/sections/").content.decode()
        for state, dataset in world.datasets.items():
            assert (f"/sections/{dataset.slug}/" in page) == role.sees(state), (role.key, state)


@pytest.mark.django_db
def test_a_hidden_draft_answers_as_a_section_that_does_not_exist(world: World) -> None:
    """The 404 of a draft one may not see says nothing a missing slug would not."""
    client = Client()
    client.force_login(world.users["reader"])
    draft = world.datasets["draft"]
    for suffix in ("", "history/", "translate/zh/"):
        hidden = client.get(f"/sections/{draft.slug}/{suffix}")
        missing = client.get(f"/sections/no-such-section/{suffix}")
        assert hidden.status_code == missing.status_code == 404
        assert hidden.content.replace(draft.slug.encode(), b"") == missing.content.replace(b"no-such-section", b"")
    for address in ("edit", "move", "comment"):
        assert client.post(f"/sections/{draft.slug}/{address}/", {"action": "submit"}).status_code == 404
        assert client.post(f"/sections/no-such-section/{address}/", {"action": "submit"}).status_code == 404


@pytest.mark.django_db
def test_a_get_of_a_post_only_address_is_405_whatever_the_section(world: World) -> None:
    """GET on edit/move/comment/logout is "method not allowed" (405) before any lookup: it tells nothing of whether
    the section exists, so it is outside the 200/403/404 table."""
    client = Client()
    client.force_login(world.users["reader"])
    for slug in (world.datasets["draft"].slug, "no-such-section"):
        for address in ("edit", "move", "comment"):
            assert client.get(f"/sections/{slug}/{address}/").status_code == 405
    assert client.get("/logout/").status_code == 405
