"""/api/v1/: the sections a user may see, their revisions, a revision's parts and findings, an edit and a
workflow move. Session authentication (the pages' login), with Django's CSRF check on every unsafe method.

The API asks the service for everything (fascicle.web.budgets.service, and through it fascicle.workflow): it
authorises exactly as the pages do (a draft the user may not see is a 404, as a section that does not exist) and
never re-implements a rule. Every error is JSON: `{"detail": ...}` (a conflict adds the current value and who
set it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema, Status
from ninja.security import SessionAuth

from fascicle.edit import Edit, EditError
from fascicle.model.base import field_path
from fascicle.web.budgets import service
from fascicle.web.budgets.models import Dataset, Revision
from fascicle.workflow import MOVES, WorkflowError

api = NinjaAPI(title="Fascicle", version="1", urls_namespace="api-v1", auth=SessionAuth(csrf=True),
               docs_url=None,  # Swagger's page needs scripts the content security policy refuses
               description="Programme budget sections: read what you may see, edit and move them as the "
                           "workflow allows. Log in through the site; send the CSRF token on POST.")


# --- errors: JSON, {"detail": ...} --------------------------------------------------------------------------------


@api.exception_handler(PermissionDenied)
def _refused(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(error) or "refused"}, status=403)


@api.exception_handler(service.Locked)
def _locked(request: HttpRequest, error: service.Locked) -> HttpResponse:
    return api.create_response(request, {"detail": str(error)}, status=403)


@api.exception_handler(service.EditConflict)
def _conflict(request: HttpRequest, error: service.EditConflict) -> HttpResponse:
    return api.create_response(request, {"detail": str(error), "part": error.part, "path": error.path,
                                         "yours": error.yours, "current": error.current, "author": error.author,
                                         "revision": error.revision}, status=409)


@api.exception_handler(service.ServiceError)
def _bad(request: HttpRequest, error: service.ServiceError) -> HttpResponse:
    return api.create_response(request, {"detail": str(error)}, status=400)


@api.exception_handler(EditError)
def _bad_edit(request: HttpRequest, error: EditError) -> HttpResponse:
    return api.create_response(request, {"detail": str(error)}, status=400)


@api.exception_handler(WorkflowError)
def _bad_move(request: HttpRequest, error: WorkflowError) -> HttpResponse:
    return api.create_response(request, {"detail": str(error)}, status=400)


# --- schemas ------------------------------------------------------------------------------------------------------


class Detail(Schema):
    detail: str


class ConflictOut(Schema):
    detail: str
    part: str
    path: str
    yours: str
    current: str
    author: str
    revision: int | None


class SectionOut(Schema):
    slug: str
    title: str
    state: str
    head: int | None
    errors: int | None
    warnings: int | None


class RevisionOut(Schema):
    id: int
    parent: int | None
    author: str
    created: datetime
    reason: str
    category: str


class LocationOut(Schema):
    part: str
    path: str
    where: str


class FindingOut(Schema):
    code: str
    severity: str
    message: str
    blocking: bool
    locations: list[LocationOut]


class EditIn(Schema):
    part: str
    path: str
    old: Any = None
    new: Any = None
    reason: str
    category: str = "other"
    base: int | None = None
    """The revision the client read the old value at (the head when not given)."""


class EditOut(Schema):
    revision: int
    findings: list[FindingOut]


class TransitionIn(Schema):
    action: str
    text: str = ""


class TransitionOut(Schema):
    id: int
    action: str
    from_state: str
    to_state: str
    revision: int


# --- helpers ------------------------------------------------------------------------------------------------------


def _visible(request: HttpRequest, slug: str) -> Dataset:
    """The section, or 404 when it does not exist or the user may not see it (the pages' rule)."""
    dataset = Dataset.objects.filter(slug=slug).first()
    if dataset is None or not service.can_view(request.user, dataset):
        raise Http404("no such section")
    return dataset


def _revision(request: HttpRequest, pk: int) -> Revision:
    """The revision, or 404 when it does not exist or the user may not see it (the download's rule)."""
    revision = Revision.objects.select_related("dataset").filter(pk=pk).first()
    if revision is None or not service.can_view_revision(request.user, revision):
        raise Http404("no such revision")
    return revision


def _path(location: Any) -> str:
    return field_path(tuple(location.path))


def _finding(finding: Any) -> dict[str, Any]:
    return {"code": finding.code, "severity": finding.severity, "message": finding.message,
            "blocking": finding.blocking,
            "locations": [{"part": loc.part, "path": _path(loc), "where": loc.where} for loc in finding.locations]}


# --- endpoints ----------------------------------------------------------------------------------------------------


@api.get("/sections", response=list[SectionOut])
def sections(request: HttpRequest) -> list[dict[str, Any]]:
    """The sections the user may see: state, head revision and the head's count of errors and warnings."""
    datasets = list(Dataset.objects.select_related("head").order_by("slug"))
    known = service.roles(request.user, datasets)
    shown = [d for d in datasets if service.can_view(request.user, d, known)]
    heads = [d for d in shown if d.head is not None]
    found = dict(zip((d.pk for d in heads), service.summaries([d.head for d in heads]), strict=True))
    return [{"slug": d.slug, "title": d.title, "state": d.state, "head": d.head_id,
             "errors": found[d.pk].errors if d.pk in found else None,
             "warnings": found[d.pk].warnings if d.pk in found else None} for d in shown]


@api.get("/sections/{slug}/revisions", response={200: list[RevisionOut], 404: Detail})
def revisions(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """The section's revisions, newest first."""
    dataset = _visible(request, slug)
    return [{"id": r.pk, "parent": r.parent_id, "author": r.author.get_username(), "created": r.created,
             "reason": r.reason, "category": r.category}
            for r in dataset.revisions.select_related("author").order_by("-id")]


@api.get("/revisions/{pk}/parts", response={200: dict[str, str], 404: Detail})
def parts(request: HttpRequest, pk: int) -> dict[str, str]:
    """The revision's parts as the CLI reads them: part name → canonical YAML text."""
    return service.texts_of(_revision(request, pk))


@api.get("/revisions/{pk}/findings", response={200: list[FindingOut], 404: Detail})
def findings(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    """Every check's findings on the revision."""
    return [_finding(f) for f in service.summary(_revision(request, pk)).findings]


@api.post("/sections/{slug}/edit",
          response={200: EditOut, 400: Detail, 403: Detail, 404: Detail, 409: ConflictOut})
def edit(request: HttpRequest, slug: str, body: EditIn) -> Status[dict[str, Any]]:
    """Change one value (service.edit): the new revision and the findings of all checks on it; 409 with the
    current value and who set it when the value changed since `base`."""
    dataset = _visible(request, slug)
    base = None
    if body.base is not None:
        base = Revision.objects.filter(dataset=dataset, pk=body.base).first()
        if base is None:
            raise service.ServiceError(f"no revision {body.base} of {dataset.slug}")
    revision, found = service.edit(dataset, request.user, [Edit(body.part, body.path, body.old, body.new)],
                                   body.reason, body.category, base)
    return Status(200, {"revision": revision.pk, "findings": [_finding(f) for f in found]})


@api.post("/sections/{slug}/transition", response={200: TransitionOut, 400: Detail, 403: Detail, 404: Detail})
def transition(request: HttpRequest, slug: str, body: TransitionIn) -> Status[dict[str, Any]]:
    """Move the section (service.transition): submit, start_review, return (text: the comment), approve, reopen
    (text: the reason)."""
    dataset = _visible(request, slug)
    if body.action not in MOVES:
        raise service.ServiceError(f"no move {body.action!r}: one of {', '.join(MOVES)}")
    row = service.transition(dataset, request.user, body.action, body.text)
    return Status(200, {"id": row.pk, "action": row.action, "from_state": row.from_state, "to_state": row.to_state,
                        "revision": row.revision_id})

