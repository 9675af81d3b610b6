"""Server-rendered pages (templates + htmx): every view asks the service (and through it fascicle.workflow)
whether the user may act; a draft the user may not see is a 404, as if it did not exist."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from fascicle.model.base import field_path
from fascicle.web.budgets import service
from fascicle.web.budgets.models import CATEGORIES, Dataset, Revision
from fascicle.web.front import general, i18n
from fascicle.workflow import MOVES, WorkflowError

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8", "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _visible(request: HttpRequest, slug: str) -> Dataset:
    """The section, 404 when the user may not see it; the user's roles, read for the question, stay on the request
    for the page's other questions (`_roles`)."""
    dataset = get_object_or_404(Dataset.objects.select_related("head", "head__author"), slug=slug)
    known = service.roles(request.user, [dataset])
    if not service.can_view(request.user, dataset, known):
        raise Http404("no such section")
    request.fascicle_roles = known
    return dataset


def _seed(request: HttpRequest, slug: str, missing: str) -> tuple[Dataset, Revision]:
    """A visible section of the seed's shape and its head; 404 (saying `missing`) for an imported document or a
    section with no revision yet."""
    dataset = _visible(request, slug)
    if dataset.head is None or dataset.shape != "seed":
        raise Http404(missing)
    return dataset, dataset.head


def _roles(request: HttpRequest, dataset: Dataset) -> service.Roles:
    """The user's roles as `_visible` read them for this request (read again if it did not)."""
    known = getattr(request, "fascicle_roles", None)
    return known if known is not None and dataset.pk in known.submitters else service.roles(request.user, [dataset])


@dataclass(frozen=True)
class Field:
    """One editable value on the section page: where it is, what it is called, its value at the head."""

    part: str
    path: str
    label: str
    value: str
    feeds: tuple[tuple[str, str, str], ...] = ()
    """The totals the figure feeds: (kind of total, figure reference, period), as compute.figures names them."""

    @property
    def key(self) -> str:
        return f"{self.part}:{self.path}"

    @property
    def dom_id(self) -> str:
        return "f-" + "".join(c if c.isalnum() else "-" for c in self.key)


def _amount(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _figures(budget: Any) -> list[Field]:
    """The resources lines of every fund, period by period, as editable fields."""
    found: list[Field] = []
    for fund_name in ("regular", "extrabudgetary"):
        fund = getattr(budget.resources, fund_name)

        def walk(lines: Any, prefix: str, depth: int, fund: Any = fund) -> None:
            for i, line in enumerate(lines):
                path = f"{prefix}lines[{i}]"
                name = line.name.en or line.name.zh or line.id
                for period in fund.periods:
                    if period in line.values:
                        found.append(Field("resources", f"{path}.values.{period}",
                                           f"{fund.id} · {'  ' * depth}{name} · {period}",
                                           _amount(line.values[period]),
                                           ((fund.id, f"{fund.id}.total", period),
                                            ("resources", "resources.total", f"{period.split()[0]} estimate"))))
                walk(line.lines, f"{path}.", depth + 1)

        walk(fund.lines, f"{fund_name}.", 0)
    for i, staffing in enumerate(budget.posts.staffing):
        if str(budget.section.year) in staffing.period:
            for grade, count in staffing.grades.items():
                found.append(Field("posts", f"staffing[{i}].grades.{grade}",
                                   f"posts · {staffing.unit} · {staffing.source} · {staffing.period} · {grade}",
                                   str(count),
                                   (("unit_posts", f"posts.{staffing.source}.unit.{staffing.unit}", staffing.period),
                                    ("posts", f"posts.{staffing.source}.total", staffing.period),
                                    ("all_posts", "posts.all.total", staffing.period))))
    return found



@dataclass(frozen=True)
class Total:
    """A total shown beside a figure or on the dashboard: its kind (a label key), reference, period, value."""

    kind: str
    ref: str
    period: str
    value: Decimal
    width: int = 0


def _fed(field: Field, figs: Any) -> list[Total]:
    """The totals a field feeds, with their values in the revision's figures (compute.figures)."""
    found = []
    for kind, ref, period in field.feeds:
        value = figs.get((ref, period)) if figs is not None else None
        if value is not None:
            found.append(Total(kind, ref, period, value))
    return found


def _place(finding: Any) -> tuple[str, str]:
    """The (file, field) by which an acknowledgement names a finding (the core's rule)."""
    from fascicle.checks.acknowledged import place

    return place(finding.locations[0]) if finding.locations else ("", "")


@dataclass(frozen=True)
class Shown:
    """A field as the page shows it: the field, the totals it feeds and the findings about it."""

    field: Field
    totals: list[Total]
    findings: list[Any]
    may_edit: bool


def _shown(fields: list[Field], may: list[bool], summary: service.Summary, about: _Findings) -> list[Shown]:
    """The fields with their totals and findings, and whether the user may edit each (the service's rule)."""
    return [Shown(f, _fed(f, summary.figures), about.concerning(f.part, f.path), m)
            for f, m in zip(fields, may, strict=True)]


def _where(location: Any) -> str:
    """A finding's location as a field path (the core's own writing of paths)."""
    return field_path(tuple(location.path))


class _Findings:
    """The findings of a revision indexed by the place of each location, once a page: those that concern a field
    (`_concerns`) are found by the prefixes of its path and a range of the sorted places, not by trying each."""

    def __init__(self, findings: list[Any]) -> None:
        from bisect import bisect_left

        self.bisect = bisect_left
        self.findings = findings
        by_place: dict[tuple[str, str], list[int]] = {}
        for index, finding in enumerate(findings):
            for location in getattr(finding, "locations", ()):
                by_place.setdefault((location.part, _where(location)), []).append(index)
        self.by_place = by_place
        self.places: dict[str, list[str]] = {}
        for part, where in sorted(by_place):
            self.places.setdefault(part, []).append(where)

    def concerning(self, part: str, path: str) -> list[Any]:
        """The findings `_concerns` would give for the field, in their order."""
        places = self.places.get(part)
        if not places:
            return []
        found: set[int] = set()
        for end in range(len(path) + 1):  # a place the path starts with (the path itself included)
            found.update(self.by_place.get((part, path[:end]), ()))
        i = self.bisect(places, path)  # places that start with the path
        while i < len(places) and places[i].startswith(path):
            found.update(self.by_place[(part, places[i])])
            i += 1
        return [self.findings[i] for i in sorted(found)]


@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    """What waits for the user: sections they may move or edit now, and open comments on them."""
    rows = []
    # The open comments of every section counted in the same query.
    datasets = list(Dataset.objects.annotate(open_comments=Count("comments", filter=Q(comments__resolved=False)))
                    .order_by("slug"))
    known = request.fascicle_roles = service.roles(request.user, datasets)
    for dataset in datasets:
        if not service.can_view(request.user, dataset, known):
            continue
        todo = [action for action in MOVES if service.can(request.user, dataset, action, known=known)]
        if not dataset.read_only and service.can(request.user, dataset, "edit", known=known):
            todo.insert(0, "edit")
        open_comments = dataset.open_comments
        if todo or open_comments:
            rows.append({"dataset": dataset, "todo": todo, "comments": open_comments})
    return render(request, "front/tasks.html", {"rows": rows})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every section the user may see: its state, its findings and key totals (bars scaled to the largest of the
    same kind on the page)."""
    datasets = list(Dataset.objects.select_related("head").order_by("slug"))
    known = request.fascicle_roles = service.roles(request.user, datasets)
    shown = [d for d in datasets if d.head is not None and service.can_view(request.user, d, known)]
    rows = [{"dataset": dataset, "summary": found}
            for dataset, found in zip(shown, service.summaries([d.head for d in shown]), strict=True)]
    def scale(kind: str) -> str:  # money on one scale, posts on another
        return "posts" if kind == "posts" else "money"

    largest: dict[str, Decimal] = {}
    for row in rows:
        for key in row["summary"].key_totals:
            largest[scale(key.kind)] = max(largest.get(scale(key.kind), Decimal(0)), abs(key.value))
    for row in rows:
        row["bars"] = [Total(k.kind, k.ref, k.period, k.value,
                             int(120 * abs(k.value) / largest[scale(k.kind)]) if largest[scale(k.kind)] else 0)
                       for k in row["summary"].key_totals]
    return render(request, "front/dashboard.html", {"rows": rows})


def _document_language(request: HttpRequest, languages: list[str]) -> str:
    """The language the section's document is shown in: asked for, else the interface's, else English."""
    for lang in (request.GET.get("lang", ""), i18n.language(request), "en"):
        if lang in languages:
            return lang
    return languages[0]


def _languages(dataset: Dataset) -> list[str]:
    if dataset.shape == "seed" and dataset.head is not None:
        return service.languages(dataset.head)
    return list(service.LANGUAGES)


@login_required
def section(request: HttpRequest, slug: str) -> HttpResponse:
    """The section as the fascicle itself (the document tree, printed by the HTML backend's template), its
    paragraphs editable in place where the user may, every paragraph, table row and figure open to comments;
    beside it the state, the workflow's moves, the findings, the downloads and the grids."""
    from fascicle.web.front import document

    dataset = _visible(request, slug)
    head = dataset.head
    if head is None:
        raise Http404("no revision")
    known = _roles(request, dataset)
    key = service.revision_key(head)  # once: the memos of the load, the summary and the document share it
    summary = service.summary(head, key)
    may_comment = service.can(request.user, dataset, "comment", known=known)
    threads = _threads(dataset)
    # Errors not yet acknowledged first; a long list (a busy draft has hundreds) shows its first ones until asked.
    ordered = sorted(summary.findings, key=lambda f: (f.severity != "error" or bool(f.acknowledged)))
    shown = ordered if request.GET.get("findings") == "all" else ordered[:FINDINGS_SHOWN]
    context: dict[str, Any] = {
        "dataset": dataset, "head": head, "categories": CATEGORIES,
        "summary": summary,
        "findings": [{"finding": f, "file": place[0], "field": place[1]} for f in shown for place in [_place(f)]],
        "hidden_findings": len(summary.findings) - len(shown),
        "may_acknowledge": False,
        "moves": [a for a in MOVES if service.can(request.user, dataset, a, known=known)],
        "may_publish": service.can(request.user, dataset, "publish", known=known),
        "published": dataset.state == "approved" and service.is_published(head),
        "may_comment": may_comment,
        "threads": threads,
        "languages": service.LANGUAGES, "formats": list(CONTENT_TYPES),
    }
    if dataset.state == "approved":
        context["lock"] = service.lock_reason(dataset)
    ui = i18n.language(request)
    overlay: dict[str, Any] = {
        "editable": [], "cells": [], "comment": may_comment, "counts": _open_counts(threads),
        "text_url": reverse("text", args=[dataset.slug]), "thread_url": reverse("thread", args=[dataset.slug]),
        "labels": {"edit": i18n.label("action.edit", ui), "comment": i18n.label("comments.button", ui)}}
    if dataset.shape == "seed":
        languages = service.languages(head)
        lang = _document_language(request, languages)
        context["translations"] = [language for language in _target_languages(dataset, languages)[1]
                                   if service.may_read_translation(request.user, dataset, language, known)]
        found = document.body(head, lang, key)
        # One question for every place of the page: the parts are parsed and the units read once.
        cells = [document.split_source(source) for source in found.cells]
        may = service.editable(request.user, dataset, [("acknowledgements", "acknowledgements"),
                                                       *document.places(found, lang), *cells], known)
        paragraphs = may[1:1 + len(found.sources)]
        overlay["editable"] = [source for source, ok in zip(found.sources, paragraphs, strict=True) if ok]
        overlay["cells"] = [source for source, ok in zip(found.cells, may[1 + len(found.sources):], strict=True)
                            if ok]
        overlay["cell_url"] = reverse("cell", args=[dataset.slug])
        context.update(lang=lang, languages=languages, body=found.markup, grids=_grids(dataset),
                       may_acknowledge=may[0])
    else:  # an imported document: read-only, open to comments
        languages = general.languages(head)
        lang = _document_language(request, languages)
        context.update(lang=lang, languages=languages, general=True,
                       body=mark_safe(general.page(head, lang, key).html))  # noqa: S308 - front/_general.html escaped it
    overlay["lang"] = lang
    context["overlay"] = overlay
    return render(request, "front/section.html", context)


GRIDS = ("resources", "posts", "deliverables", "measures")
FINDINGS_SHOWN = 20
"""Findings listed on the section page until the user asks for all of them."""


def _grids(dataset: Dataset) -> list[tuple[str, str]]:
    """The grid editors of the section, (kind, address)."""
    return [(kind, reverse("grid", args=[dataset.slug, kind])) for kind in GRIDS]


def _threads(dataset: Dataset, anchor: str | None = None) -> list[dict[str, Any]]:
    """The section's comment threads (on `anchor` only, when given: a reply has its thread's anchor), open ones
    first, newest first: each first comment with its replies."""
    found = dataset.comments.select_related("author", "resolved_by").order_by("id")
    rows = list(found if anchor is None else found.filter(anchor=anchor))
    replies: dict[int, list[Any]] = {}
    for row in rows:
        if row.parent_id is not None:
            replies.setdefault(row.parent_id, []).append(row)
    roots = [row for row in rows if row.parent_id is None]
    roots.sort(key=lambda row: (row.resolved, -row.pk))
    return [{"root": row, "replies": replies.get(row.pk, [])} for row in roots]


def _open_counts(threads: list[dict[str, Any]]) -> dict[str, int]:
    """How many open threads each anchor of the section has."""
    counts: dict[str, int] = {}
    for thread in threads:
        root = thread["root"]
        if root.anchor and not root.resolved:
            counts[root.anchor] = counts.get(root.anchor, 0) + 1
    return counts


@login_required
def figures(request: HttpRequest, slug: str) -> HttpResponse:
    """Every figure of the resources and the plan year's posts by grade, with the totals it feeds (compute) and
    the findings about it; a figure the user may edit has a button that brings its form in place (`figure`)."""
    from fascicle.web.front.templatetags.ui import num

    dataset, head = _seed(request, slug, "no figures to edit")
    known = _roles(request, dataset)
    key = service.revision_key(head)
    summary = service.summary(head, key)
    fields = _figures(service.loaded(head, key).budget)
    # One question for every place on the page: the parts are parsed and the roles read once.
    may = service.editable(request.user, dataset, [(f.part, f.path) for f in fields], known)
    ui = i18n.language(request)
    labels: dict[str, str] = {}
    rows = []
    for shown in _shown(fields, may, summary, _Findings(summary.findings)):
        totals = [{"ref": t.ref, "period": t.period, "shown": num(t.value, ui),
                   "label": labels.setdefault(t.kind, i18n.label(f"total.{t.kind}", ui))} for t in shown.totals]
        rows.append({"field": shown.field, "may_edit": shown.may_edit, "findings": shown.findings,
                     "totals": totals})
    return render(request, "front/figures.html", {
        "dataset": dataset, "head": head, "summary": summary, "figures": rows,
        "edit_label": i18n.label("action.edit", ui)})


@login_required
def figure(request: HttpRequest, slug: str) -> HttpResponse:
    """One figure of the figures page as its form, in place (htmx): 404 for a place that is not one of the page's
    figures, 403 when the user may not edit it now."""
    dataset, head = _seed(request, slug, "no figures to edit")
    part, path = request.GET.get("part", ""), request.GET.get("path", "")
    key = service.revision_key(head)
    field = next((f for f in _figures(service.loaded(head, key).budget) if (f.part, f.path) == (part, path)), None)
    if field is None:
        raise Http404("no such figure")
    if not service.editable(request.user, dataset, [(part, path)], _roles(request, dataset))[0]:
        raise PermissionDenied("you may not edit this figure now")
    summary = service.summary(head, key)
    return render(request, "front/_field.html", {
        "dataset": dataset, "head": head, "field": field, "may_edit": True, "categories": CATEGORIES,
        "totals": _fed(field, summary.figures), "findings": _Findings(summary.findings).concerning(part, path)})


@login_required
def text(request: HttpRequest, slug: str) -> HttpResponse:
    """A paragraph of the section in one language as a form, in place of the paragraph (htmx): 404 for a place
    that is not a paragraph of the head, 403 when the user may not edit it."""
    from fascicle.edit import value_at
    from fascicle.web.front import document

    dataset, head = _seed(request, slug, "no texts")
    lang = request.GET.get("lang", "")
    source = request.GET.get("source", "")
    if lang not in _languages(dataset) or source not in document.body(head, lang).sources:
        raise Http404("no such paragraph")
    part, path = document.split_source(source)
    if not service.editable(request.user, dataset, [(part, f"{path}.{lang}")], _roles(request, dataset))[0]:
        raise PermissionDenied("you may not edit this paragraph now")
    value = value_at(service.texts_of(head, dataset.shape, [part]), part, f"{path}.{lang}")
    field = Field(part, f"{path}.{lang}", source, "" if value is None else str(value))
    return render(request, "front/_text.html", {"dataset": dataset, "head": head, "field": field,
                                                "categories": CATEGORIES, "may_edit": True, "lang": lang})


def _key(finding: Any) -> tuple[str, str, tuple[Any, ...]]:
    return finding.code, finding.message, tuple((loc.part, loc.path) for loc in finding.locations)


def finding_changes(before: Revision | None, findings: list[Any]) -> tuple[list[Any], list[Any]]:
    """The findings an edit made and those it removed: the new head's `findings` against those of `before`."""
    old = service.summary(before).findings if before is not None else []
    old_keys, new_keys = {_key(f) for f in old}, {_key(f) for f in findings}
    return [f for f in findings if _key(f) not in old_keys], [f for f in old if _key(f) not in new_keys]


@login_required
@require_POST
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    """One field's new value (htmx): saved as a revision, answered with the field, the totals it feeds and the
    findings beside it (those about the field, those the change made or removed), and the section's summary
    (out of band); 409 on a conflict with both values, 403 when the user may not or when the section is
    locked."""
    from fascicle.edit import Edit, EditError

    dataset = _visible(request, slug)
    post = request.POST
    part, path = post.get("part", ""), post.get("path", "")
    base = Revision.objects.filter(dataset=dataset, pk=post.get("base") or 0).first()
    feeds = tuple(tuple(x.split("|", 2)) for x in post.getlist("feeds") if x.count("|") == 2)
    field = Field(part, path, post.get("label", path), post.get("new", ""), feeds)
    context: dict[str, Any] = {"dataset": dataset, "field": field, "may_edit": True, "categories": CATEGORIES}
    status = 200
    before = dataset.head
    try:
        revision, findings = service.edit(dataset, request.user, [Edit(part, path, post.get("old", ""),
                                                                        post.get("new", ""))],
                                          post.get("reason", ""), post.get("category", "other"), base)
        added, removed = finding_changes(before, findings)
        context.update(head=revision, saved=True,
                       findings=[f for f in findings if _concerns(f, part, path)], added=added, removed=removed,
                       others=sum(1 for f in findings if f.blocking))
    except service.EditConflict as conflict:
        status = 409
        context.update(head=dataset.head, conflict=conflict)
    except PermissionDenied:
        raise
    except service.Locked as locked:
        # Refused, and the message says why: who approved or submitted it (403, as every refusal).
        status = 403
        context.update(head=dataset.head, error=str(locked))
    except (service.ServiceError, EditError) as error:
        status = 400
        context.update(head=dataset.head, error=str(error))
    if not context.get("saved"):  # service.edit read the dataset again when it stored the edit
        dataset.refresh_from_db()
    saved = context.get("head") if context.get("saved") else None
    # The revision the edit stored is the head unless another edit landed since; its memo key is known then.
    context["head"] = saved if saved is not None and saved.pk == dataset.head_id else dataset.head
    if context["head"] is not None:
        summary = service.summary(context["head"])
        context.update(summary=summary, totals=_fed(field, summary.figures))
        if status != 200 or not context.get("saved"):
            context["findings"] = [f for f in summary.findings if _concerns(f, part, path)]
    if post.get("fragment") == "text":
        context["lang"] = path.rsplit(".", 1)[-1]
        return render(request, "front/_text.html", context, status=status)
    if post.get("fragment") == "cell":
        return render(request, "front/_cell.html", context, status=status)
    return render(request, "front/_field.html", context, status=status)


def _concerns(finding: Any, part: str, path: str) -> bool:
    for location in getattr(finding, "locations", ()):
        where = _where(location)
        if location.part == part and (where == path or path.startswith(where) or where.startswith(path)):
            return True
    return False


@login_required
def cell(request: HttpRequest, slug: str) -> HttpResponse:
    """A figure of the fascicle's tables as a form, in place of the cell (htmx): 404 for a place that is not a
    cell of the head's tables printing a value of the data, 403 when the user may not edit it now."""
    from fascicle.edit import value_at
    from fascicle.web.front import document

    dataset, head = _seed(request, slug, "no figures")
    source = request.GET.get("source", "")
    languages = service.languages(head)
    # A table's cells are the same in every language: the page's own body (memoised) answers.
    lang = request.GET.get("lang", "")
    if source not in document.body(head, lang if lang in languages else languages[0]).cells:
        raise Http404("no such cell")
    part, path = document.split_source(source)
    if not service.editable(request.user, dataset, [(part, path)], _roles(request, dataset))[0]:
        raise PermissionDenied("you may not edit this figure now")
    value = value_at(service.texts_of(head, dataset.shape, [part]), part, path)
    field = Field(part, path, source, "" if value is None else str(value))
    return render(request, "front/_cell.html", {"dataset": dataset, "head": head, "field": field,
                                                "categories": CATEGORIES, "may_edit": True})


@login_required
@require_POST
def acknowledge(request: HttpRequest, slug: str) -> HttpResponse:
    """Accept an error finding for publication, with a reason (service.acknowledge, through fascicle.edit)."""
    from fascicle.edit import EditError

    dataset = _visible(request, slug)
    post = request.POST
    base = Revision.objects.filter(dataset=dataset, pk=post.get("base") or 0).first()
    try:
        service.acknowledge(dataset, request.user, post.get("code", ""), post.get("file", ""),
                            post.get("field", ""), post.get("reason", ""), base)
    except service.EditConflict as conflict:
        return render(request, "front/_message.html", {"error": str(conflict)}, status=409)
    except service.Locked as locked:
        return render(request, "front/_message.html", {"error": str(locked)}, status=403)
    except (service.ServiceError, EditError) as error:
        return render(request, "front/_message.html", {"error": str(error)}, status=400)
    return redirect("section", slug=slug)


@login_required
@require_POST
def move(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _visible(request, slug)
    action = request.POST.get("action", "")
    if action not in MOVES:
        raise Http404("no such action")
    try:
        service.transition(dataset, request.user, action, request.POST.get("text", ""))
    except WorkflowError as error:
        return render(request, "front/_message.html", {"error": str(error)}, status=400)
    return redirect("section", slug=slug)


@login_required
@require_POST
def comment(request: HttpRequest, slug: str) -> HttpResponse:
    """A new comment on an anchor of the section, or a reply to a thread (`parent`): the thread again for htmx,
    else back to the section page."""
    dataset = _visible(request, slug)
    raw = request.POST.get("parent", "")
    try:
        made = service.comment(dataset, request.user, request.POST.get("text", ""), request.POST.get("anchor", ""),
                               parent=int(raw) if raw.isdigit() else None)
    except service.ServiceError as error:
        return render(request, "front/_message.html", {"error": str(error)}, status=400)
    if request.headers.get("HX-Request"):
        return _thread_response(request, dataset, made.anchor)
    return redirect("section", slug=slug)


def _thread_response(request: HttpRequest, dataset: Dataset, anchor: str) -> HttpResponse:
    threads = _threads(dataset, anchor)
    return render(request, "front/_thread.html", {
        "dataset": dataset, "anchor": anchor, "threads": threads,
        "may_comment": service.can(request.user, dataset, "comment", known=_roles(request, dataset))})


@login_required
def thread(request: HttpRequest, slug: str) -> HttpResponse:
    """The comment threads on one anchor of the section (a paragraph, a table row, a figure), with a form to
    start one and to reply to each (htmx)."""
    dataset = _visible(request, slug)
    anchor = request.GET.get("anchor", "")
    if len(anchor) > 500:
        raise Http404("no such anchor")
    return _thread_response(request, dataset, anchor)


@login_required
@require_POST
def resolve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Resolve a comment's thread (whoever may comment): the thread again for htmx, else the section page."""
    dataset = _visible(request, slug)
    row = get_object_or_404(dataset.comments.select_related("dataset"), pk=pk)
    service.resolve(row, request.user)
    if request.headers.get("HX-Request"):
        return _thread_response(request, dataset, row.anchor)
    return redirect("section", slug=slug)


@login_required
def chart(request: HttpRequest, pk: int, lang: str, index: int) -> HttpResponse:
    """A chart of a revision's document, drawn by the core's chart backend once into the revision's cache
    (SVG, shown as an image: nothing in it runs)."""
    from fascicle.render.charts import draw_one
    from fascicle.web.front import document

    revision = get_object_or_404(Revision.objects.select_related("dataset"), pk=pk)
    if not service.can_view_revision(request.user, revision) or revision.dataset.shape != "seed":
        raise Http404("no such revision")
    if lang not in service.languages(revision):
        raise Http404("no such language")
    charts = document.body(revision, lang).charts
    if index >= len(charts):
        raise Http404("no such chart")
    folder = Path(settings.FASCICLE_HOME) / "cache" / str(revision.pk) / f"{lang}-charts"
    target = folder / f"{index}.svg"
    if not target.exists():
        drawn = draw_one(charts[index], lang, folder / f"draw-{index}", ("svg",))
        drawn.svg.replace(target)
    return FileResponse(open(target, "rb"), content_type="image/svg+xml")  # FileResponse closes it


@login_required
def history(request: HttpRequest, slug: str) -> HttpResponse:
    """The section's revisions, newest first, a page of them at a time (`?before=<id>` for older ones), with their
    changes; and the workflow's moves."""
    dataset = _visible(request, slug)
    found = dataset.revisions.select_related("author").prefetch_related("changes").order_by("-id")
    before = request.GET.get("before", "")
    if before.isdigit():
        found = found.filter(pk__lt=int(before))
    revisions = list(found[:HISTORY_PAGE + 1])
    older = revisions[HISTORY_PAGE - 1].pk if len(revisions) > HISTORY_PAGE else None
    return render(request, "front/history.html", {
        "dataset": dataset, "revisions": revisions[:HISTORY_PAGE], "older": older,
        "transitions": dataset.transitions.select_related("actor")})


HISTORY_PAGE = 50
"""Revisions on a page of the history: a busy section makes hundreds."""


@login_required
def compare(request: HttpRequest, slug: str) -> HttpResponse:
    """The difference between any two revisions of the section: figures (compute.diff) and part texts."""
    dataset = _visible(request, slug)
    found = []
    for name in ("a", "b"):
        raw = request.GET.get(name, "")
        revision = Revision.objects.filter(dataset=dataset, pk=int(raw)).first() if raw.isdigit() else None
        if revision is None:
            raise Http404("no such revision")
        found.append(revision)
    old, new = sorted(found, key=lambda r: r.pk)
    comparison = service.compare(old, new)
    return render(request, "front/compare.html", {"dataset": dataset, "comparison": comparison,
                                                  "revisions": dataset.revisions.order_by("-id")[:200]})


def _target_languages(dataset: Dataset, languages: list[str] | None = None) -> tuple[str, list[str]]:
    """The section's original language and the languages it is translated into (a seed section's own list, when
    not given)."""
    original = service.original_language(dataset)
    if languages is None:
        languages = _languages(dataset)
    return original, [language for language in languages if language != original]


def _translatable(request: HttpRequest, slug: str, lang: str) -> tuple[Dataset, str]:
    """The section and its original language for the translation page into `lang`: 404 when the user may not
    see the section (or it has no such target language), 403 when they see it but not its translation into
    `lang`."""
    dataset, _ = _seed(request, slug, "no texts to translate")
    original, targets = _target_languages(dataset)
    if lang not in targets:
        raise Http404("no such language")
    if not service.may_read_translation(request.user, dataset, lang, _roles(request, dataset)):
        raise PermissionDenied(f"you may not read the translation of this section into {lang}")
    return dataset, original


def _entries(dataset: Dataset, original: str, lang: str) -> list[Any]:
    from fascicle.translation import entries

    assert dataset.head is not None
    return entries(service.loaded(dataset.head).budget, original, [lang], service.recorded_hashes(dataset))


@login_required
def translate(request: HttpRequest, slug: str, lang: str) -> HttpResponse:
    """The section's texts side by side, source and translation into `lang`, outdated first, then missing,
    unconfirmed and current (fascicle.translation), with the progress per status; a translator of `lang` saves or
    confirms each text (htmx)."""
    from fascicle.translation import ORDER, progress

    dataset, original = _translatable(request, slug, lang)
    found = _entries(dataset, original, lang)
    counts = progress(found).get(lang, dict.fromkeys(ORDER, 0))
    return render(request, "front/translate.html", {
        "dataset": dataset, "head": dataset.head, "lang": lang, "original": original,
        "entries": found, "progress": [(status, counts[status]) for status in ORDER],
        "may_translate": service.can(request.user, dataset, "translate", language=lang,
                                     known=_roles(request, dataset))})


def _entry_response(request: HttpRequest, dataset: Dataset, original: str, lang: str, part: str, path: str,
                    status: int = 200, **extra: Any) -> HttpResponse:
    """One row of the translation page after a save or a confirmation, with its new status."""
    dataset.refresh_from_db()
    entry = next((e for e in _entries(dataset, original, lang) if e.part == part and e.field == path), None)
    if entry is None:
        raise Http404("no such text")
    context = {"dataset": dataset, "head": dataset.head, "lang": lang, "original": original, "entry": entry,
               "may_translate": service.can(request.user, dataset, "translate", language=lang,
                                            known=_roles(request, dataset)), **extra}
    return render(request, "front/_translation.html", context, status=status)


@login_required
@require_POST
def translate_save(request: HttpRequest, slug: str, lang: str) -> HttpResponse:
    """A translator's new text for one source text (service.edit of `<path>.<lang>`, which records the source's
    hash): the row again, current; 409 on a conflict, 403 when refused."""
    from fascicle.edit import Edit, EditError

    dataset, original = _translatable(request, slug, lang)
    post = request.POST
    part, path = post.get("part", ""), post.get("path", "")
    base = Revision.objects.filter(dataset=dataset, pk=post.get("base") or 0).first()
    reason = post.get("reason", "").strip() or f"translation into {lang} of {part}: {path}"
    try:
        revision, _ = service.edit(dataset, request.user, [Edit(part, f"{path}.{lang}", post.get("old", ""),
                                                                 post.get("new", ""))], reason, "translation", base)
    except service.EditConflict as conflict:
        return _entry_response(request, dataset, original, lang, part, path, 409, conflict=conflict)
    except service.Locked as locked:
        return _entry_response(request, dataset, original, lang, part, path, 403, error=str(locked))
    except (service.ServiceError, EditError) as error:
        return _entry_response(request, dataset, original, lang, part, path, 400, error=str(error))
    return _entry_response(request, dataset, original, lang, part, path, saved=revision)


@login_required
@require_POST
def translate_confirm(request: HttpRequest, slug: str, lang: str) -> HttpResponse:
    """A translator confirms that a text, unchanged, translates the current source (service.confirm_translation):
    the row again, current; 403 when refused."""
    dataset, original = _translatable(request, slug, lang)
    part, path = request.POST.get("part", ""), request.POST.get("path", "")
    try:
        service.confirm_translation(dataset, request.user, part, path, lang)
    except service.ServiceError as error:
        return _entry_response(request, dataset, original, lang, part, path, 400, error=str(error))
    return _entry_response(request, dataset, original, lang, part, path, confirmed=True)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The switcher: the interface language in a cookie (a year), back to the page it came from."""
    lang = request.POST.get("lang", "")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = redirect(target)
    if lang in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax",
                            secure=request.is_secure())
    return response


@login_required
def download(request: HttpRequest, pk: int, lang: str, kind: str) -> HttpResponse:
    revision = get_object_or_404(Revision.objects.select_related("dataset"), pk=pk)
    if not service.can_view_revision(request.user, revision):
        raise Http404("no such revision")
    return revision_file(revision, lang, kind)


def revision_file(revision: Revision, lang: str, kind: str) -> HttpResponse:
    """The revision's fascicle in `lang` and `kind` (built once), for whoever the caller let see it; 404 for a
    format or language there is none of."""
    if kind not in CONTENT_TYPES or lang not in service.LANGUAGES:
        raise Http404("no such format")
    try:
        path = service.download(revision, lang, kind)
    except service.ServiceError as error:
        raise Http404(str(error)) from error
    name = f"{revision.dataset.slug}-r{revision.pk}-{lang}.{kind}"
    return FileResponse(open(path, "rb"), content_type=CONTENT_TYPES[kind],  # FileResponse closes it
                        as_attachment=kind != "html", filename=name)
