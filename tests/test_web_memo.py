"""The web service's reads once a request (issue 9's benchmark): memoised summaries that read no part text, an
edit applied before the section's lock and applied again when the head moved meanwhile, the findings of a field
found through an index as by trying each, and Change rows with clean scalar texts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import yaml

from fascicle import edit as edit_api
from fascicle.web.budgets import service
from fascicle.web.budgets.models import Change
from fascicle.web.front import views
from web_support import OTHER_STAFF, REGULAR_POST, seed_dataset, user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("home")]



def _key(finding: Any) -> tuple[Any, ...]:
    return finding.code, finding.message, tuple((loc.part, tuple(loc.path)) for loc in finding.locations)


def test_a_change_holds_a_scalar_as_plain_text_without_the_yaml_end_marker() -> None:
    assert service._text(13) == "13"
    assert service._text(1.5) == "1.5"
    assert service._text(True) == "true"
    assert service._text(Decimal("514.70")) == "514.70"
    assert service._text(date(2026, 11, 26)) == "2026-11-26"
    assert service._text("text") == "text"
    assert service._text(None) == ""
    item = service._text({"code": "RES003", "n": 2})
    assert "..." not in item and yaml.safe_load(item) == {"code": "RES003", "n": 2}


def test_a_post_count_edit_stores_the_counts_as_plain_numbers() -> None:
    dataset, _ = seed_dataset()
    manager = user("mia", ("manager", "DMD"))
    staffing = yaml.safe_load(service.head_texts(dataset)["posts"])["staffing"]
    own = next(i for i, s in enumerate(staffing) if s["unit"] == "DMD" and s["period"] == "2024 proposed")
    p4 = staffing[own]["grades"]["P-4"]
    revision, _ = service.edit(dataset, manager, [edit_api.Edit("posts", f"staffing[{own}].grades.P-4", p4, p4 + 1)],
                               "one more", "other", None)
    change = Change.objects.get(revision=revision)
    assert (change.old, change.new) == (str(p4), str(p4 + 1))


def test_the_summary_of_an_edit_is_what_checking_the_new_head_finds_and_reads_no_text(
        django_assert_max_num_queries: Any) -> None:
    dataset, _ = seed_dataset()
    officer = user("olga", ("officer", "ITC"))
    revision, findings = service.edit(dataset, officer, [edit_api.Edit("resources", OTHER_STAFF, "514.7", "1")],
                                      "recosted", "technical", dataset.head)
    with django_assert_max_num_queries(1):  # the parts' hashes only: the memo holds what the edit computed
        remembered = service.summary(revision)
    assert [_key(f) for f in remembered.findings] == [_key(f) for f in findings]
    service._SUMMARIES.clear()
    service._LOADED.clear()
    fresh = service.summary(revision)
    assert [_key(f) for f in fresh.findings] == [_key(f) for f in remembered.findings]
    assert fresh.figures == remembered.figures and fresh.key_totals == remembered.key_totals


def test_an_edit_whose_head_moved_before_the_lock_is_applied_again_to_the_new_head(monkeypatch: Any) -> None:
    dataset, _ = seed_dataset()
    officer, other = user("olga", ("officer", "ITC")), user("omar", ("officer", "ITC"))
    base = dataset.head
    real = service.texts_of
    landed: list[Any] = []

    def meanwhile(revision: Any, shape: str | None = None, names: Any = None) -> dict[str, str]:
        texts = real(revision, shape, names)
        if not landed:  # the first read is the optimistic one: another edit lands before the lock
            landed.append(None)
            landed[0] = (service.edit(dataset, other, [edit_api.Edit("resources", REGULAR_POST, "29780.0", "29790")],
                                       "b", "other", base)[0])
        return texts

    monkeypatch.setattr(service, "texts_of", meanwhile)
    revision, findings = service.edit(dataset, officer, [edit_api.Edit("resources", OTHER_STAFF, "514.7", "520")],
                                      "a", "other", base)
    monkeypatch.setattr(service, "texts_of", real)
    dataset.refresh_from_db()
    assert landed and revision.parent_id == landed[0].pk and dataset.head_id == revision.pk
    texts = service.head_texts(dataset)
    assert Decimal(str(edit_api.value_at(texts, "resources", OTHER_STAFF))) == Decimal("520")
    assert Decimal(str(edit_api.value_at(texts, "resources", REGULAR_POST))) == Decimal("29790")
    assert [_key(f) for f in service.summary(revision).findings] == [_key(f) for f in findings]


def test_the_same_path_changed_before_the_lock_is_a_conflict(monkeypatch: Any) -> None:
    dataset, _ = seed_dataset()
    officer, other = user("olga", ("officer", "ITC")), user("omar", ("officer", "ITC"))
    base = dataset.head
    real = service.texts_of
    landed: list[Any] = []

    def meanwhile(revision: Any, shape: str | None = None, names: Any = None) -> dict[str, str]:
        texts = real(revision, shape, names)
        if not landed:
            landed.append(None)
            landed[0] = (service.edit(dataset, other, [edit_api.Edit("resources", OTHER_STAFF, "514.7", "530")],
                                       "b", "other", base)[0])
        return texts

    monkeypatch.setattr(service, "texts_of", meanwhile)
    with pytest.raises(service.EditConflict) as caught:
        service.edit(dataset, officer, [edit_api.Edit("resources", OTHER_STAFF, "514.7", "520")], "a", "other", base)
    assert Decimal(caught.value.current) == Decimal("530") and caught.value.author == "omar"
    dataset.refresh_from_db()
    assert dataset.head_id == landed[0].pk


def test_the_findings_beside_each_field_are_those_concerns_gives() -> None:
    from fascicle.checks.finding import Finding, Location

    dataset, _ = seed_dataset()
    officer = user("olga", ("officer", "ITC"))
    revision, _ = service.edit(dataset, officer, [edit_api.Edit("resources", OTHER_STAFF, "514.7", "1")],
                               "a total now differs", "technical", dataset.head)
    summary = service.summary(revision)
    budget = service.loaded(revision).budget
    fields = views._figures(budget) + _paragraphs(budget, "en")
    made = [Finding("X1", "error", "the part", (Location("resources"),)),
            Finding("X2", "error", "a line", (Location("resources", ("regular", "lines", 1)),)),
            Finding("X3", "error", "deeper", (Location("resources", ("regular", "lines", 1, "values", "2024 proposed",
                                                                    "x")),)),
            Finding("X4", "error", "two places", (Location("plan", ("foreword",)),
                                                  Location("resources", ("regular", "lines", 10)))),
            Finding("X5", "warning", "elsewhere", (Location("posts", ("staffing", 0)),))]
    findings = [*summary.findings, *made]
    about = views._Findings(findings)
    matched = 0
    for field in fields:
        expected = [f for f in findings if views._concerns(f, field.part, field.path)]
        assert about.concerning(field.part, field.path) == expected, field.path
        matched += any(f in summary.findings for f in expected)
    assert matched


def test_editable_for_a_page_matches_one_place_at_a_time() -> None:
    dataset, _ = seed_dataset()
    manager = user("mia", ("manager", "DMD"))
    translator = user("tian", ("translator", "ITC", "zh"))
    budget = service.loaded(dataset.head).budget
    places = [(f.part, f.path) for f in views._figures(budget) + _paragraphs(budget, "zh")]
    for who in (manager, translator):
        together = service.editable(who, dataset, places)
        alone = [service.editable(who, dataset, [place])[0] for place in places[::25]]
        assert together[::25] == alone and any(together) and not all(together)


def _paragraphs(budget: Any, lang: str) -> list[views.Field]:
    return [views.Field("plan", f"foreword.paragraphs[{i}].text.{lang}", p.id, getattr(p.text, lang) or "")
            for i, p in enumerate(budget.plan.foreword.paragraphs)]
