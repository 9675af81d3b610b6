"""Translation status by the hash of the source text (issue 9): outdated first, never by timestamps."""

from __future__ import annotations

from fascicle.model.text import Text
from fascicle.source.load import Loaded
from fascicle.translation import entries, progress, source_hash, status


def test_a_translation_is_current_until_its_source_changes() -> None:
    source = "The objective, to which ITC contributes, is to assist MSMEs."
    recorded = source_hash(source)
    assert status(source, "目标是……", recorded) == "current"
    assert status(source + " Edited.", "目标是……", recorded) == "outdated"
    assert status(source, None, recorded) == "missing"
    assert status(source, "目标是……", None) == "unconfirmed"
    # The same words in another Unicode form, or with spaces around them, are the same source.
    assert source_hash("Cafe\u0301 ") == source_hash("Café")


def test_the_seed_in_french_is_all_missing_and_an_edited_source_puts_its_translation_first(itc: Loaded) -> None:
    budget = itc.budget
    french = entries(budget, "en", ["fr"], {})
    assert french and {e.status for e in french} == {"missing"}
    chinese = entries(budget, "en", ["zh"], {})
    assert {e.status for e in chinese} == {"unconfirmed"}
    # Confirm every Chinese text against its English source, then change one English source.
    recorded = {(e.part, e.field, "zh"): source_hash(e.source) for e in chinese}
    objective = budget.plan.objective[0]
    edited = budget.model_copy(update={"plan": budget.plan.model_copy(update={"objective": (objective.model_copy(
        update={"text": Text(zh=objective.text.zh, en="A new objective.")}),)})})
    after = entries(edited, "en", ["zh"], recorded)
    assert after[0].status == "outdated" and after[0].source == "A new objective."
    assert after[0].field.startswith("objective[0].text")
    assert {e.status for e in after[1:]} == {"current"}
    assert progress(after)["zh"] == {"outdated": 1, "missing": 0, "unconfirmed": 0, "current": len(after) - 1}
