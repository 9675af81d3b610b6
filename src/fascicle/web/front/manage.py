"""The administrator's pages (fascicle.workflow `manage`: the admin role only): units with their memberships, a
membership added or removed through the service, and the history of both (django-simple-history: who, when,
what). Anyone else: 403 when logged in, the login page when not."""

from __future__ import annotations

from itertools import chain
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from fascicle.web.accounts.models import LANGUAGES, Membership, Unit
from fascicle.web.budgets import service
from fascicle.workflow import ROLES


def _admin(request: HttpRequest) -> None:
    if not service.may_manage(request.user):
        raise PermissionDenied("only an administrator manages units and memberships")


def _page(request: HttpRequest, errors: list[str] | None = None, values: dict[str, str] | None = None,
          status: int = 200) -> HttpResponse:
    units = list(Unit.objects.select_related("parent").order_by("code"))
    members: dict[int, list[Membership]] = {u.pk: [] for u in units}
    for m in Membership.objects.select_related("user").order_by("user__username", "role", "language"):
        members[m.unit_id].append(m)
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[Unit, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in children.get(parent, []):
            ordered.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    rows = [{"unit": u, "depth": d, "indent": "\u2003" * d, "memberships": members[u.pk]} for u, d in ordered]
    users = get_user_model().objects.order_by("username").values_list("username", flat=True)
    return render(request, "front/manage.html", {
        "rows": rows, "roles": ROLES, "languages": LANGUAGES, "users": users, "errors": errors or [],
        "values": values or {}, "units": [u for u, _ in ordered]}, status=status)


@login_required
@require_GET
def units(request: HttpRequest) -> HttpResponse:
    """Every unit (entities and their units), its memberships, a form to add one."""
    _admin(request)
    return _page(request)


@login_required
@require_POST
def add(request: HttpRequest) -> HttpResponse:
    """A new membership (user, unit, role, a translator's language): back to the page; the page again with what
    is wrong (400) when the form does not fit."""
    _admin(request)
    post = request.POST
    values = {name: post.get(name, "").strip() for name in ("username", "unit", "role", "language")}
    errors = []
    member = get_user_model().objects.filter(username=values["username"]).first()
    if member is None:
        errors.append(f"no user named {values['username']!r}" if values["username"] else "a user is needed")
    unit = Unit.objects.filter(code=values["unit"]).first()
    if unit is None:
        errors.append(f"no unit {values['unit']!r}" if values["unit"] else "a unit is needed")
    if not errors:
        try:
            service.add_membership(request.user, member, unit, values["role"], values["language"])
        except service.ServiceError as error:
            errors.append(str(error))
    if errors:
        return _page(request, errors, values, status=400)
    return redirect("manage")


@login_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    """End a membership: back to the page."""
    _admin(request)
    service.remove_membership(request.user, get_object_or_404(Membership, pk=pk))
    return redirect("manage")


KINDS = {"+": "manage.added", "~": "manage.changed", "-": "manage.removed"}


def _what(record: Any, users: dict[int, str], units: dict[int, str]) -> str:
    """One historical row in words: the membership or unit it was, and for a change the fields that changed
    (`users`, `units`: names by id, read once for the page; a removed one by its id)."""
    if hasattr(record, "role"):
        what = f"{users.get(record.user_id, record.user_id)} {record.role} {units.get(record.unit_id, record.unit_id)}"
        what += f" ({record.language})" if record.language else ""
    else:
        what = f"{record.code} {record.name}".strip()
        what += f" ⊂ {units.get(record.parent_id, record.parent_id)}" if record.parent_id else ""
    previous = record.prev_record if record.history_type == "~" else None
    if previous is not None:
        changes = record.diff_against(previous).changes
        what += "; " + ", ".join(f"{c.field}: {c.old} → {c.new}" for c in changes)
    return what


@login_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    """Every change of a unit or a membership, newest first: when, who, what."""
    _admin(request)
    records = sorted(chain(Unit.history.select_related("history_user")[:500],
                           Membership.history.select_related("history_user")[:500]),
                     key=lambda r: r.history_date, reverse=True)[:500]
    users = dict(get_user_model().objects.values_list("pk", "username"))
    units = dict(Unit.objects.values_list("pk", "code"))
    rows = [{"when": r.history_date, "who": r.history_user.get_username() if r.history_user else "",
             "kind": KINDS[r.history_type], "object": "manage.membership" if hasattr(r, "role") else "manage.unit",
             "what": _what(r, users, units)} for r in records]
    return render(request, "front/manage_history.html", {"rows": rows})
