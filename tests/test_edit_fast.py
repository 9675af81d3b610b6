"""The fast path of an edit (memos of part texts, trees, validated parts, dumped fields, walks and figures per
part object) gives exactly what a cold load of the same texts gives: the same canonical texts, findings and
figures, edit after edit."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fascicle.checks.registry import run_checks
from fascicle.compute import memo
from fascicle.compute.figures import figures
from fascicle.edit import Edit, apply, canonical, core, read_texts, value_at
from fascicle.source import load as loader
from fascicle.source import write
from fascicle.source.load import bundled_path, load_texts
from fascicle.source.parts import PARTS

FIGURE = ("resources", "regular.lines[1].lines[0].values.2024 proposed")
POSTS = ("posts", "staffing[0].grades.P-4")
PARAGRAPH = ("plan", "foreword.paragraphs[0].text.en")


def _forget() -> None:
    for remembered in (core._CANONICAL, core._TREES, loader._RECENT, write._PIECES, memo.MEMO):
        remembered.clear()


@pytest.fixture
def cold(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A cold load of texts: every memo forgotten and the disk cache off, as a fresh process without a cache."""
    def load_cold(texts: dict[str, str]) -> tuple[list[Any], dict[Any, Any], dict[str, str]]:
        with monkeypatch.context() as patch:
            patch.setenv("FASCICLE_CACHE", "0")
            _forget()
            budget = load_texts(texts).budget
            figs = figures(budget)
            found = run_checks(budget, figs)
            dumped = {name: write._dump(getattr(budget, name).model_dump(mode="python", exclude_defaults=True))
                      for name in PARTS if name in texts}
            _forget()
        return found, figs, dumped

    yield load_cold
    _forget()


def _chain() -> list[list[Edit]]:
    """Edits of several kinds, each batch applied to the texts the one before gave."""
    return [
        [Edit(*FIGURE, Decimal("514.7"), "600.3")],
        [Edit(*POSTS, 6, 9)],
        [Edit(*PARAGRAPH, None, "A paragraph rewritten, with a figure 12.79 million and [^9] a mark.")],
        [Edit(*FIGURE, "600.3", "514.70"), Edit(*POSTS, 9, 6)],  # back to the seed's values, written otherwise
        [Edit("resources", "regular.lines[1].lines[0].values.2023 approved", None, "0")],
        [Edit("plan", "foreword.paragraphs[1].text.zh", None, "国贸中心2024年将继续")],  # a Han-digit join
        [Edit("acknowledgements", "acknowledgements[0].reason", None, "another reason")],
        [Edit(*PARAGRAPH, None, None)],  # an English text deleted: a translation missing
    ]


def test_every_edit_of_a_chain_finds_what_a_cold_load_finds(cold: Any) -> None:
    texts = canonical(read_texts(bundled_path()))
    for batch in _chain():
        edits = [Edit(e.part, e.path, value_at(texts, e.part, e.path) if e.old is None else e.old, e.new)
                 for e in batch]
        applied = apply(texts, edits)
        warm_figures = figures(applied.loaded.budget)
        found, figs, dumped = cold(applied.texts)
        assert applied.findings == found
        assert warm_figures == figs and list(warm_figures) == list(figs)
        assert {name: applied.texts[name] for name in dumped} == dumped
        texts = applied.texts


def test_the_warm_checks_of_an_edit_are_the_cold_ones_even_when_every_memo_is_warm(cold: Any) -> None:
    texts = canonical(read_texts(bundled_path()))
    applied = apply(texts, [Edit(*POSTS, 6, 7)])
    budget = applied.loaded.budget
    again = [run_checks(budget) for _ in range(3)]
    found, figs, _ = cold(applied.texts)
    assert all(run == found for run in again) and figures(budget) == figs


def test_the_figures_of_a_part_are_remembered_by_the_part_object_not_its_value() -> None:
    budget = load_texts(canonical(read_texts(bundled_path()))).budget
    first = figures(budget)
    posts = budget.posts.model_copy(update={"staffing": budget.posts.staffing[1:]})
    changed = budget.model_copy(update={"posts": posts})
    assert figures(changed) != first and figures(budget) == first


def test_a_part_dumped_field_by_field_is_the_part_dumped_whole() -> None:
    budget = load_texts(canonical(read_texts(bundled_path()))).budget
    for name in PARTS:
        value = getattr(budget, name)
        if value is not None:
            assert write.dump_part(value) == write._dump(value.model_dump(mode="python", exclude_defaults=True))


def test_a_part_with_a_shared_value_is_dumped_whole_with_its_alias() -> None:
    shared = Decimal("1.50")
    data = {"a": {"x": shared}, "b": {"y": shared}}
    assert write._shares(data) and not write._shares({"a": {"x": Decimal("1.50")}, "b": {"y": Decimal("1.50")}})
    assert "&id001" in write._dump(data)


_SCALARS = (st.text(max_size=30) | st.integers() | st.booleans() | st.none()
            | st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=10**6, min_value=-10**6))
_KEYS = (st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True) | st.sampled_from(["null", "yes", "on", "y", "n"])
         | st.text(min_size=1, max_size=12))
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4)
                       | st.tuples(inner, inner), max_leaves=20)


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(_KEYS, _VALUES | st.lists(_VALUES, min_size=2, max_size=5), max_size=5))
def test_any_data_dumped_field_by_field_and_item_by_item_is_the_data_dumped_whole(data: dict[str, Any]) -> None:
    assert write._dump_fields(data) == write._dump(data)
