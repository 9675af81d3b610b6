"""The service's compare-and-set under real concurrency, on PostgreSQL (SQLite serialises writers whole): two
threads released together by a barrier. A control shows that a naive read-modify-write does lose an update, so
a harness that could not see one would fail here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from pgserver import postgres_server


def test_concurrent_edits_on_postgresql(tmp_path: Path) -> None:
    with postgres_server() as server:
        env = {**os.environ, "DATABASE_URL": server.url(), "FASCICLE_HOME": str(tmp_path),
               "DJANGO_SETTINGS_MODULE": "fascicle.web.settings_test"}
        done = subprocess.run([sys.executable, str(Path(__file__).parent / "web_concurrency.py")], env=env,
                              capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["vendor"] == "postgresql"
    # Two people editing different figures from the same revision both succeed.
    assert report["different_paths"] == ["ok", "ok"]
    assert [Decimal(v) for v in report["after_different"]] == [Decimal("520"), Decimal("29790")]
    # The same figure from the same revision: one saves, the other is told of the conflict.
    assert report["same_path"] == ["EditConflict", "ok"]
    assert Decimal(report["after_same"]) in (Decimal("600"), Decimal("700"))
    # The control: without the lock and the compare, one of two writes to different figures is lost.
    assert report["naive"] == ["ok", "ok"]
    assert sorted(Decimal(v) for v in report["after_naive"]).count(Decimal("1")) + \
        sorted(Decimal(v) for v in report["after_naive"]).count(Decimal("2")) == 1
