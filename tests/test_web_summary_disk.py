"""The summaries of revisions on disk, shared by the web's worker processes: a fresh memo (or another process)
reads the summary an edit wrote instead of checking the revision again, and it is the summary a cold check
computes; an entry that is damaged, not the one its name says, or in a folder others may write is computed
again, never trusted."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fascicle import edit as edit_api
from fascicle.web.budgets import service
from web_support import OTHER_STAFF, seed_dataset, user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("home")]


def _key(finding: Any) -> tuple[Any, ...]:
    return finding.code, finding.message, tuple((loc.part, tuple(loc.path)) for loc in finding.locations)


def _same(a: service.Summary, b: service.Summary) -> None:
    assert [_key(f) for f in a.findings] == [_key(f) for f in b.findings]
    assert a.findings == b.findings
    assert (a.errors, a.warnings, a.blocking, a.totals, a.key_totals) == (b.errors, b.warnings, b.blocking,
                                                                          b.totals, b.key_totals)
    assert a.figures == b.figures


def _forget() -> None:
    service._SUMMARIES.clear()
    service._LOADED.clear()


def _edited() -> Any:
    dataset, _ = seed_dataset()
    officer = user("olga", ("officer", "ITC"))
    revision, _ = service.edit(dataset, officer, [edit_api.Edit("resources", OTHER_STAFF, "514.7", "1")],
                               "recosted", "technical", dataset.head)
    return revision


def _entry(revision: Any) -> Path:
    parts = list(revision.parts.values_list("name", "text_id"))
    folder = service._shared_folder("summaries")
    assert folder is not None
    return folder / service._shared_name("summaries", revision.dataset.shape, parts)


def _cold(revision: Any) -> service.Summary:
    """The summary checked again from the revision's texts, with no memo and no disk."""
    _forget()
    shape = revision.dataset.shape
    return service._summarise(shape, service._load(shape, service.texts_of(revision, shape)))


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    calls: list[Any] = []
    real = service._summarise

    def summarise(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "_summarise", summarise)
    return calls


def test_a_fresh_memo_reads_the_summary_an_edit_wrote_and_it_is_the_cold_one(monkeypatch: pytest.MonkeyPatch) -> None:
    revision = _edited()
    assert _entry(revision).is_file()
    remembered = service.summary(revision)
    _forget()
    calls = _counting(monkeypatch)
    from_disk = service.summary(revision)
    assert calls == []  # read, not checked again
    _same(from_disk, remembered)
    _same(from_disk, _cold(revision))


def test_another_process_reads_the_same_summary(home: Path) -> None:
    revision = _edited()
    parts = sorted(revision.parts.values_list("name", "text_id"))
    expected = service.summary(revision)
    script = (
        "import json, sys, django\n"
        "django.setup()\n"
        "from fascicle.web.budgets import service\n"
        "shape, parts = sys.argv[1], [tuple(p) for p in json.loads(sys.argv[2])]\n"
        "found = service.shared_get('summaries', shape, parts, service._is_summary)\n"
        "print(json.dumps(None if found is None else [found.errors, found.warnings, found.blocking, found.totals,\n"
        "    [[f.code, f.message] for f in found.findings], len(found.figures)]))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fascicle.web.settings_test", "FASCICLE_HOME": str(home)}
    out = subprocess.run([sys.executable, "-c", script, revision.dataset.shape, json.dumps(parts)], env=env,
                         capture_output=True, text=True, check=True, cwd=Path(__file__).parent.parent)
    found = json.loads(out.stdout)
    assert found == [expected.errors, expected.warnings, expected.blocking, [list(t) for t in expected.totals],
                     [[f.code, f.message] for f in expected.findings], len(expected.figures)]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other summary", "not a summary", "writable"])
def test_a_damaged_entry_is_checked_again_and_written_anew(monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    revision = _edited()
    entry = _entry(revision)
    good = entry.read_bytes()
    cold = _cold(revision)
    if damage == "garbage":
        entry.write_bytes(os.urandom(64))
    elif damage == "truncated":
        entry.write_bytes(good[: len(good) // 2])
    elif damage == "other summary":  # a summary, but under another name than its own
        _, found = pickle.loads(good)
        entry.write_bytes(pickle.dumps(("summaries-" + "0" * 64, found)))
    elif damage == "not a summary":
        entry.write_bytes(pickle.dumps((entry.name, {"errors": 0})))
    else:  # a file others may write is not read, whatever it holds
        entry.chmod(0o666)
    _forget()
    calls = _counting(monkeypatch)
    again = service.summary(revision)
    assert calls == ["seed"]
    _same(again, cold)
    assert entry.stat().st_mode & 0o077 == 0
    _forget()
    _same(service.summary(revision), cold)
    assert calls == ["seed"]  # the entry written anew is read


def test_no_summary_is_kept_in_a_folder_others_may_write(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    folder = home / "summaries"
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    revision = _edited()
    assert service._shared_folder("summaries") is None and list(folder.iterdir()) == []
    _forget()
    calls = _counting(monkeypatch)
    service.summary(revision)
    assert calls == ["seed"]


def test_the_oldest_summaries_beyond_the_limit_are_deleted(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    folder = service._shared_folder("summaries")
    assert folder is not None
    for n in range(5):
        entry = folder / f"summaries-{n}"
        entry.write_bytes(b"x")
        os.utime(entry, (1000 + n, 1000 + n))
    from fascicle.source import cache

    cache.prune(folder, service._SHARED_KEPT)  # nothing beyond the limit: every entry stays
    assert len(list(folder.iterdir())) == 5
    cache.prune(folder, 2)
    assert sorted(p.name for p in folder.iterdir()) == ["summaries-3", "summaries-4"]
