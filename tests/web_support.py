"""Shared set-up of the web tests (tests/test_web_*.py): users with roles, and the ITC seed imported once per
test (the database is rolled back after each)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

from fascicle.source.load import bundled_path
from fascicle.web.accounts.models import Membership, Unit
from fascicle.web.budgets import service
from fascicle.web.budgets.models import Dataset

SEED = bundled_path()
REGULAR_POST = "regular.lines[0].values.2024 proposed"
"""Table 13.3's post line for 2024, a figure the officer may edit (29780.0 in the seed)."""
OTHER_STAFF = "regular.lines[1].lines[0].values.2024 proposed"
"""Other staff costs for 2024 (514.7)."""


def user(name: str, *roles: tuple[str, str] | tuple[str, str, str]) -> Any:
    """A user holding (role, unit[, language]) memberships."""
    made = get_user_model().objects.create_user(name, f"{name}@example.org", "a long enough password")
    for role in roles:
        unit = Unit.objects.get(code=role[1])
        Membership.objects.create(user=made, unit=unit, role=role[0], language=role[2] if len(role) > 2 else "")
    return made


def logged_in(who: Any, **options: Any) -> Client:
    """A test client logged in as `who` (options as Client takes them)."""
    client = Client(**options)
    client.force_login(who)
    return client


def seed_dataset() -> tuple[Dataset, Any]:
    """The ITC 2024 seed as dataset `itc-2024`, imported by a system user, its units as Units."""
    from fascicle.source.load import load

    system = get_user_model().objects.create_user("system")
    dataset = service.create_dataset("itc-2024", "A/78/6 (Sect. 13)", "ITC")
    budget = load(SEED).budget
    service.ensure_units(dataset, [(u.id, u.name.en or u.id) for u in budget.structure.units])
    service.import_directory(dataset, SEED, system, "the seed")
    dataset.refresh_from_db()
    return dataset, system


def files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def instance(argv: list[str]) -> dict[str, Any]:
    """One step of the two-instance test (tests/test_web_stateful.py), run in a Django process of its own against
    the database of DATABASE_URL (django.setup() done by the caller):

    * `setup`: migrate, import the seed, make the officers olga and omar; the head's id;
    * `edit USER PART PATH OLD NEW BASE`: a compare-and-set edit from revision BASE through the service; "ok" and
      the new revision's id, or the conflict's class, current value and author;
    * `read PART PATH`: the head's id and value at PATH.
    """
    from django.core.management import call_command

    from fascicle.edit import Edit, value_at
    from fascicle.web.budgets.models import Revision

    command, *args = argv
    if command == "setup":
        call_command("migrate", verbosity=0)
        dataset, _ = seed_dataset()
        user("olga", ("officer", "ITC"))
        user("omar", ("officer", "ITC"))
        return {"head": dataset.head_id}
    dataset = Dataset.objects.get(slug="itc-2024")
    if command == "edit":
        name, part, path, old, new, base = args
        who = get_user_model().objects.get(username=name)
        try:
            revision, _ = service.edit(dataset, who, [Edit(part, path, old, new)], f"{name}'s edit", "other",
                                       Revision.objects.get(pk=int(base)))
        except service.EditConflict as conflict:
            return {"outcome": type(conflict).__name__, "current": conflict.current, "author": conflict.author,
                    "revision": conflict.revision}
        return {"outcome": "ok", "revision": revision.pk}
    if command == "read":
        part, path = args
        return {"head": dataset.head_id, "value": str(value_at(service.head_texts(dataset), part, path))}
    raise ValueError(f"unknown command {command!r}")
