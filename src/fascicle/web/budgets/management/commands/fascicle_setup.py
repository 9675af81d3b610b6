"""`fascicle-web fascicle_setup`: migrate, load every bundled section once, create one demo account per role.

Idempotent: a second run changes nothing (a section already loaded is compared with its head and left alone; an
existing account keeps its password). The demo passwords are printed when made, and kept in
FASCICLE_HOME/demo-accounts.txt (readable by its owner only) to be printed again.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from fascicle.source.errors import LoadError
from fascicle.source.load import bundled_path
from fascicle.web.accounts.models import Membership, Unit
from fascicle.web.budgets import service
from fascicle.web.budgets.models import Dataset

SYSTEM = "fascicle"
"""The account that imports bundled data (no role, cannot log in)."""
IMPORTED = "UN"
"""The entity code under which the imported sections (of many entities) are held."""

# user name, role, unit, language
DEMO: list[tuple[str, str, str, str]] = [
    ("officer", "officer", "ITC", ""),
    ("manager", "manager", "DMD", ""),
    ("reviewer", "reviewer", "ITC", ""),
    ("translator", "translator", "ITC", "zh"),
    ("reader", "reader", "ITC", ""),
    ("admin", "admin", "ITC", ""),
]
IMPORTED_ROLES = {"officer", "reviewer", "translator", "reader"}


class Command(BaseCommand):
    help = "Migrate, load the bundled sections once and create one demo account per role."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="the address to print")
        parser.add_argument("--no-imported", action="store_true", help="load only the ITC 2024 seed")

    def handle(self, *args: Any, **options: Any) -> None:
        Path(settings.FASCICLE_HOME).mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        system = self._system()
        self._seed(system)
        if not options["no_imported"]:
            self._imported(system)
        self._demo()
        self.stdout.write(f"Open {options['url']} and log in with one of the accounts above.")

    def _system(self) -> Any:
        users = get_user_model()
        user, made = users.objects.get_or_create(username=SYSTEM, defaults={"first_name": "Fascicle"})
        if made:
            user.set_unusable_password()
            user.save()
        return user

    def _seed(self, system: Any) -> None:
        from fascicle.source.load import load

        root = bundled_path()
        budget = load(root).budget
        dataset = Dataset.objects.filter(slug="itc-2024").first()
        if dataset is None:
            dataset = service.create_dataset("itc-2024", budget.section.symbol + " " +
                                             (budget.section.name.en or ""), budget.section.entity)
        service.ensure_units(dataset, [(u.id, u.name.en or u.id) for u in budget.structure.units])
        self._load(dataset, root, system)

    def _imported(self, system: Any) -> None:
        from fascicle.source.general import is_general, load_section
        from fascicle.source.many import section_dirs

        data = bundled_path().parent
        for budget_dir in ("a80-6-2026", "a81-6-2027"):
            if not (data / budget_dir).is_dir():
                continue
            for folder in section_dirs(data / budget_dir):
                if not is_general(folder):
                    continue
                slug = f"{budget_dir}-{folder.name}"
                try:
                    identity = load_section(folder).section.fascicle
                except LoadError as error:
                    self.stdout.write(f"{slug}: not loaded ({len(error.errors)} problem(s))")
                    continue
                dataset = Dataset.objects.filter(slug=slug).first()
                if dataset is None:
                    title = f"{identity.symbol} {identity.title.en or ''}".strip()
                    dataset = service.create_dataset(slug, title, IMPORTED, shape="general", read_only=True)
                self._load(dataset, folder, system)

    def _load(self, dataset: Dataset, folder: Path, system: Any) -> None:
        before = dataset.head_id
        revision = service.import_directory(dataset, folder, system, f"bundled data ({folder.name})")
        state = "unchanged" if revision.pk == before else f"loaded as revision {revision.pk}"
        self.stdout.write(f"{dataset.slug}: {state}{' (read only)' if dataset.read_only else ''}")

    @transaction.atomic
    def _demo(self) -> None:
        users = get_user_model()
        home = Path(settings.FASCICLE_HOME)
        record = home / "demo-accounts.txt"
        lines = record.read_text(encoding="utf-8").splitlines() if record.exists() else []
        known = {line.split()[0] for line in lines if line.strip()}
        Unit.objects.get_or_create(code=IMPORTED, defaults={"name": "United Nations (imported sections)"})
        for name, role, unit_code, language in DEMO:
            user = users.objects.filter(username=name).first()
            if user is None:
                password = secrets.token_urlsafe(12)
                user = users.objects.create_user(name, f"{name}@example.org", password,
                                                 is_superuser=role == "admin", is_staff=role == "admin")
                if name not in known:
                    lines.append(f"{name} {password} ({role})")
            unit = Unit.objects.get(code=unit_code)
            Membership.objects.get_or_create(user=user, unit=unit, role=role, language=language)
            if role in IMPORTED_ROLES:
                Membership.objects.get_or_create(user=user, unit=Unit.objects.get(code=IMPORTED), role=role,
                                                 language=language)
        if lines:
            descriptor = os.open(record, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as out:
                out.write("\n".join(lines) + "\n")
        self.stdout.write("Demo accounts (user password role), also in " + str(record) + ":")
        for line in lines:
            self.stdout.write("  " + line)
