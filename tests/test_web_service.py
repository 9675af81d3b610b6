"""The web application's only writer (fascicle.web.budgets.service) on SQLite: import and export byte for byte,
edits as revisions with their changes, path-level compare-and-set, roles, and the workflow's locks."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from typer.testing import CliRunner

from fascicle import edit as edit_api
from fascicle.cli import app
from fascicle.source.parts import PARTS
from fascicle.web.budgets import service
from fascicle.web.budgets.models import Change, Comment, Revision, Transition
from fascicle.workflow import WorkflowError
from web_support import OTHER_STAFF, REGULAR_POST, SEED, files, user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("home")]





@pytest.fixture
def reviewer(seeded: Any) -> Any:
    return user("rita", ("reviewer", "ITC"))


def Edit(part: str, path: str, old: object, new: object, language: str | None = None) -> Any:
    return edit_api.Edit(part, path, old, new, language)


def test_export_of_an_import_is_the_canonical_seed_byte_for_byte(seeded: Any, tmp_path: Path) -> None:
    dataset, system = seeded
    out = service.export(dataset.head, tmp_path / "out")
    canonical = edit_api.canonical(edit_api.read_texts(SEED))

    assert files(out) == {PARTS[name]: text.encode("utf-8") for name, text in canonical.items()}
    result = CliRunner().invoke(app, ["validate", str(out)])
    assert result.exit_code == 0, result.output
    # A second import of the export changes nothing: no new revision.
    count = Revision.objects.count()
    again = service.import_directory(dataset, out, system, "again")
    assert again.pk == dataset.head.pk and Revision.objects.count() == count


def test_an_edit_is_a_revision_with_its_changes_author_and_reason(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    base = dataset.head
    revision, findings = service.edit(dataset, officer, [Edit("resources", OTHER_STAFF, "514.7", "520.0")],
                                      "recosted", "technical", base)
    dataset.refresh_from_db()
    assert dataset.head == revision and revision.parent == base
    assert (revision.author, revision.reason, revision.category) == (officer, "recosted", "technical")
    change = Change.objects.get(revision=revision)
    assert (change.part, change.path, Decimal(change.old), Decimal(change.new)) == \
        ("resources", OTHER_STAFF, Decimal("514.7"), Decimal("520.0"))
    assert isinstance(findings, list)
    # Only the changed part is a new text; the others are shared with the base.
    new_parts = {p.name: p.text_id for p in revision.parts.all()}
    old_parts = {p.name: p.text_id for p in base.parts.all()}
    assert {name for name in new_parts if new_parts[name] != old_parts[name]} == {"resources"}


def test_two_edits_of_different_paths_from_one_base_both_land(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    base = dataset.head
    other = user("omar", ("officer", "ITC"))
    service.edit(dataset, officer, [Edit("resources", OTHER_STAFF, "514.7", "520")], "a", "other", base)
    service.edit(dataset, other, [Edit("resources", REGULAR_POST, "29780.0", "29790")], "b", "other", base)
    dataset.refresh_from_db()
    texts = service.head_texts(dataset)
    assert Decimal(str(edit_api.value_at(texts, "resources", OTHER_STAFF))) == Decimal("520")
    assert Decimal(str(edit_api.value_at(texts, "resources", REGULAR_POST))) == Decimal("29790")


def test_the_same_path_from_one_base_is_a_conflict_with_the_other_value_and_author(seeded: Any,
                                                                                    officer: Any) -> None:
    dataset, _ = seeded
    base = dataset.head
    other = user("omar", ("officer", "ITC"))
    service.edit(dataset, officer, [Edit("resources", OTHER_STAFF, "514.7", "520")], "a", "other", base)
    head = Revision.objects.count()
    with pytest.raises(service.EditConflict) as caught:
        service.edit(dataset, other, [Edit("resources", OTHER_STAFF, "514.7", "530")], "b", "other", base)
    assert Decimal(caught.value.current) == Decimal("520") and caught.value.author == "olga"
    assert caught.value.yours == "530"
    assert Revision.objects.count() == head


def test_a_translator_may_not_edit_a_figure_and_nothing_is_stored(seeded: Any) -> None:
    dataset, _ = seeded
    translator = user("tian", ("translator", "ITC", "zh"))
    before = (Revision.objects.count(), Change.objects.count())
    with pytest.raises(PermissionDenied):
        service.edit(dataset, translator, [Edit("resources", OTHER_STAFF, "514.7", "1")], "x", "other", None)
    assert (Revision.objects.count(), Change.objects.count()) == before


def test_a_translator_edits_their_language_only(seeded: Any) -> None:
    dataset, _ = seeded
    translator = user("tian", ("translator", "ITC", "zh"))
    texts = service.head_texts(dataset)
    path_zh, path_en = "foreword.paragraphs[0].text.zh", "foreword.paragraphs[0].text.en"
    zh = edit_api.value_at(texts, "plan", path_zh)
    service.edit(dataset, translator, [Edit("plan", path_zh, zh, str(zh) + "。")], "wording", "translation", None)
    en = edit_api.value_at(texts, "plan", path_en)
    with pytest.raises(PermissionDenied):
        service.edit(dataset, translator, [Edit("plan", path_en, en, "x")], "no", "translation", None)


def test_a_manager_edits_posts_of_their_own_unit_only(seeded: Any) -> None:
    dataset, _ = seeded
    manager = user("mia", ("manager", "DMD"))
    texts = service.head_texts(dataset)
    import yaml

    staffing = yaml.safe_load(texts["posts"])["staffing"]
    own = next(i for i, s in enumerate(staffing) if s["unit"] == "DMD" and s["period"] == "2024 proposed")
    other = next(i for i, s in enumerate(staffing) if s["unit"] == "DPS" and s["period"] == "2024 proposed")
    p4 = staffing[own]["grades"]["P-4"]
    service.edit(dataset, manager, [Edit("posts", f"staffing[{own}].grades.P-4", p4, p4 + 1)], "one more",
                 "other", None)
    with pytest.raises(PermissionDenied):
        service.edit(dataset, manager, [Edit("posts", f"staffing[{other}].grades.P-4", 3, 4)], "no", "other", None)
    with pytest.raises(PermissionDenied):  # a figure of the whole section: officers only
        service.edit(dataset, manager, [Edit("resources", OTHER_STAFF, "514.7", "1")], "no", "other", None)


def test_an_approved_section_is_locked_and_committed_to_git(seeded: Any, officer: Any, reviewer: Any,
                                                            home: Path, django_capture_on_commit_callbacks: Any
                                                            ) -> None:
    dataset, _ = seeded
    service.edit(dataset, officer, [Edit("resources", OTHER_STAFF, "514.7", "520")], "recosted", "technical", None)
    service.transition(dataset, officer, "submit")
    with django_capture_on_commit_callbacks(execute=True):
        service.transition(dataset, reviewer, "approve")
    dataset.refresh_from_db()
    assert dataset.state == "approved"
    with pytest.raises(service.Locked, match="approved by rita"):
        service.edit(dataset, officer, [Edit("resources", OTHER_STAFF, "520", "530")], "late", "other", None)
    log = subprocess.run(["git", "-C", str(home / "git"), "log", "--format=%an%n%B"], capture_output=True,
                         text=True, check=True).stdout
    assert log.startswith("rita\n") and "recosted (olga, technical)" in log
    assert (home / "git" / "itc-2024" / "resources.yaml").read_bytes() == \
        service.head_texts(dataset)["resources"].encode()
    # A reviewer reopens it (with a reason); it is a draft again and may change.
    with pytest.raises(WorkflowError, match="reason"):
        service.transition(dataset, reviewer, "reopen", "")
    service.transition(dataset, reviewer, "reopen", "a late correction")
    service.edit(dataset, officer, [Edit("resources", OTHER_STAFF, "520", "530")], "late", "correction", None)


def test_a_return_needs_a_comment_which_stays_in_the_trail(seeded: Any, officer: Any, reviewer: Any) -> None:
    dataset, _ = seeded
    service.transition(dataset, officer, "submit")
    with pytest.raises(WorkflowError, match="comment"):
        service.transition(dataset, reviewer, "return", "  ")
    service.transition(dataset, reviewer, "return", "Table 13.3 does not add up")
    dataset.refresh_from_db()
    assert dataset.state == "returned"
    assert Comment.objects.get(dataset=dataset).text == "Table 13.3 does not add up"
    assert list(Transition.objects.values_list("action", "from_state", "to_state")) == [
        ("submit", "draft", "submitted"), ("return", "submitted", "returned")]


def test_nobody_approves_their_own_submission(seeded: Any, reviewer: Any) -> None:
    dataset, _ = seeded
    both = user("bea", ("officer", "ITC"), ("reviewer", "ITC"))
    service.transition(dataset, both, "submit")
    with pytest.raises(PermissionDenied, match="may not approve"):
        service.transition(dataset, both, "approve")
    service.transition(dataset, reviewer, "approve")
    dataset.refresh_from_db()
    assert dataset.state == "approved"


def test_a_comment_needs_a_role_that_may_comment(seeded: Any, officer: Any) -> None:
    dataset, _ = seeded
    reader = user("rob", ("reader", "ITC"))
    service.comment(dataset, officer, "check this", "resources:" + OTHER_STAFF)
    with pytest.raises(PermissionDenied):
        service.comment(dataset, reader, "me too")
    assert Comment.objects.get().anchor == "resources:" + OTHER_STAFF


@pytest.mark.parametrize("landings", [1, 3])
def test_an_edit_whose_head_moved_before_the_lock_is_applied_again_to_the_new_head(
        seeded: Any, officer: Any, monkeypatch: pytest.MonkeyPatch, landings: int) -> None:
    """Another edit lands while this one is applied (outside the lock): it is applied again to the new head, outside
    the lock twice, then under it; both edits are in the head and the revisions chain."""
    import fascicle.edit as core

    dataset, _ = seeded
    other = user("omar", ("officer", "ITC"))
    real = core.apply
    landed: list[int] = []

    def apply(texts: Any, edits: Any) -> Any:
        # While `olga`'s edit is applied, `omar` saves another figure (`landings` times in a row).
        if edits[0].path == OTHER_STAFF and len(landed) < landings:
            landed.append(1)
            now = edit_api.value_at(service.head_texts(dataset), "resources", REGULAR_POST)
            service.edit(dataset, other, [edit_api.Edit("resources", REGULAR_POST, now, now + len(landed))],
                         "meanwhile", "other", None)
        return real(texts, edits)

    monkeypatch.setattr(core, "apply", apply)
    base = dataset.head
    revision, _ = service.edit(dataset, officer, [edit_api.Edit("resources", OTHER_STAFF, "514.7", "600")],
                               "mine", "other", base)
    head = service.head_texts(dataset)
    assert edit_api.value_at(head, "resources", OTHER_STAFF) == Decimal("600")
    assert edit_api.value_at(head, "resources", REGULAR_POST) == Decimal("29780.0") + sum(range(1, landings + 1))
    assert revision.parent_id == Revision.objects.filter(reason="meanwhile").latest("id").pk
    assert len(landed) == landings


def test_an_import_of_a_file_cut_in_half_is_refused_naming_the_file_and_stores_nothing(
        seeded: Any, officer: Any, tmp_path: Path) -> None:
    from fascicle.source.errors import LoadError

    dataset, _ = seeded
    folder = tmp_path / "cut"
    folder.mkdir()
    for file in SEED.iterdir():
        data = file.read_bytes()
        (folder / file.name).write_bytes(data[: len(data) // 2] if file.name == "resources.yaml" else data)
    before = (Revision.objects.count(), dataset.head_id)
    with pytest.raises((LoadError, service.ServiceError)) as refused:
        service.import_directory(dataset, folder, officer, "a broken file")
    assert "resources.yaml" in str(refused.value)
    dataset.refresh_from_db()
    assert (Revision.objects.count(), dataset.head_id) == before
