"""Run by tests/test_web_postgres.py in a process of its own, with DATABASE_URL pointing at a throwaway PostgreSQL
server: two threads edit the same head at once, released together by a barrier. Prints one JSON line."""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fascicle.web.settings_test")
sys.path.insert(0, str(Path(__file__).parent))

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from fascicle.edit import Edit, apply, value_at  # noqa: E402
from fascicle.web.budgets import service  # noqa: E402
from fascicle.web.budgets.models import Dataset  # noqa: E402
from web_support import OTHER_STAFF, REGULAR_POST, seed_dataset, user  # noqa: E402


def together(*jobs: Callable[[], Any]) -> list[str]:
    """Run the jobs in threads released at once; each one's outcome: "ok", or the exception's class name."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [""] * len(jobs)

    def run(index: int, job: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            job()
            outcomes[index] = "ok"
        except Exception as error:  # noqa: BLE001 - reported to the test
            outcomes[index] = type(error).__name__
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def figure(dataset: Dataset, path: str) -> str:
    dataset.refresh_from_db()
    return str(value_at(service.head_texts(dataset), "resources", path))


def naive(dataset: Dataset, who: Any, path: str, old: str, new: str, barrier: threading.Barrier) -> None:
    """The control: read the head, wait for the other writer to read it too, write — no lock, no compare."""
    texts = service.head_texts(Dataset.objects.get(pk=dataset.pk))
    barrier.wait()
    applied = apply(texts, [Edit("resources", path, old, new)])
    with transaction.atomic():
        fresh = Dataset.objects.get(pk=dataset.pk)
        service._store(fresh, fresh.head, who, "naive", "other", applied.texts, applied.changes)


def main() -> None:
    call_command("migrate", verbosity=0)
    dataset, _ = seed_dataset()
    olga, omar = user("olga", ("officer", "ITC")), user("omar", ("officer", "ITC"))
    report: dict[str, Any] = {"vendor": connection.vendor}

    base = dataset.head
    report["different_paths"] = together(
        lambda: service.edit(dataset, olga, [Edit("resources", OTHER_STAFF, "514.7", "520")], "a", "other", base),
        lambda: service.edit(dataset, omar, [Edit("resources", REGULAR_POST, "29780.0", "29790")], "b", "other",
                             base))
    report["after_different"] = [figure(dataset, OTHER_STAFF), figure(dataset, REGULAR_POST)]

    base = Dataset.objects.get(pk=dataset.pk).head
    report["same_path"] = sorted(together(
        lambda: service.edit(dataset, olga, [Edit("resources", OTHER_STAFF, "520", "600")], "c", "other", base),
        lambda: service.edit(dataset, omar, [Edit("resources", OTHER_STAFF, "520", "700")], "d", "other", base)))
    report["after_same"] = figure(dataset, OTHER_STAFF)

    barrier = threading.Barrier(2)
    current = figure(dataset, OTHER_STAFF)
    post = figure(dataset, REGULAR_POST)
    report["naive"] = together(lambda: naive(dataset, olga, OTHER_STAFF, current, "1", barrier),
                               lambda: naive(dataset, omar, REGULAR_POST, post, "2", barrier))
    report["after_naive"] = [figure(dataset, OTHER_STAFF), figure(dataset, REGULAR_POST)]
    print(json.dumps(report))


if __name__ == "__main__":
    main()
