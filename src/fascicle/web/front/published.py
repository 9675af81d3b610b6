"""Publishing (fascicle.workflow `publish`: an officer or a reviewer, approved only) and the public page of what
is published: no login needed, so that readers, delegations and the public download the fascicle. A revision
nobody published is a 404 at the public addresses, whoever asks."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from fascicle.web.budgets import service
from fascicle.web.budgets.models import Publication, Revision
from fascicle.web.front import views


@login_required
@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish the section's approved head (service.publish): back to the section page; 403 when refused (not
    approved, or a role that may not publish), 404 for a section the user may not see."""
    dataset = views._visible(request, slug)
    try:
        service.publish(dataset, request.user)
    except service.ServiceError as error:
        return render(request, "front/_message.html", {"error": str(error)}, status=400)
    return redirect("section", slug=slug)


def _languages(revision: Revision) -> list[str]:
    """The languages a revision's fascicle is built in (the section's own; none for an imported document)."""
    if revision.dataset.shape != "seed":
        return []
    return service.languages(revision)


@require_GET
def published(request: HttpRequest) -> HttpResponse:
    """Every published revision, section by section (newest first), with its downloads in every language and
    format."""
    rows: dict[int, dict[str, Any]] = {}
    for publication in (Publication.objects.select_related("dataset", "revision", "revision__dataset", "actor")
                        .order_by("dataset__slug", "-id")):
        row = rows.setdefault(publication.dataset_id, {"dataset": publication.dataset, "publications": []})
        row["publications"].append({"publication": publication,
                                    "languages": _languages(publication.revision)})
    return render(request, "front/published.html", {"rows": list(rows.values()),
                                                    "formats": list(views.CONTENT_TYPES)})


@require_GET
def published_file(request: HttpRequest, pk: int, lang: str, kind: str) -> HttpResponse:
    """A published revision's fascicle, to anyone; 404 for a revision nobody published."""
    revision = Revision.objects.select_related("dataset").filter(pk=pk, publication__isnull=False).first()
    if revision is None:
        raise Http404("no such publication")
    return views.revision_file(revision, lang, kind)
