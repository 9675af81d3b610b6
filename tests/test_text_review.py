"""Review items about the words themselves: Z12/T2 (a renamed unit), Z21 (figures run into Chinese text), T1
(possessives with ITC), T6 (one spelling of MSMEs) and E15 (resolution symbols)."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import edit, found, line_of
from fascicle.checks.walk import texts
from fascicle.document.tables import structure
from fascicle.source.load import Loaded


def _english(itc: Loaded) -> list[str]:
    return [t.get("en") or "" for _, _, t in texts(itc.budget)]


def test_z21_a_figure_run_into_chinese_text_is_a_warning_at_its_line(tmp_path: Path) -> None:
    path = edit(tmp_path, "plan", 'zh: "目标"', 'zh: "3 月19 日的目标"')
    assert {f for f in found(path) if f[0] == "TXT005"} == {
        ("TXT005", "warning", "plan.yaml", line_of(path, "plan", "3 月19 日"))}


def test_z21_the_seed_sets_a_space_between_figures_and_chinese(itc: Loaded) -> None:
    joined = [t.get("zh") for _, _, t in texts(itc.budget)
              if re.search(r"[\u4e00-\u9fff]\d|\d[\u4e00-\u9fff]", t.get("zh") or "")]
    assert joined == []


def test_t1_no_possessive_with_the_acronym(itc: Loaded) -> None:
    assert [t for t in _english(itc) if re.search(r"ITC['’]s", t)] == []


def test_t6_one_spelling_of_micro_small_and_medium_sized(itc: Loaded) -> None:
    assert [t for t in _english(itc) if re.search(r"\b[Mm]icro, small", t)] == []


def test_e15_resolution_symbols_set_the_session_apart(itc: Loaded) -> None:
    symbols = [s for g in itc.budget.mandates.groups for m in g.mandates for s in m.symbols]
    assert any(re.fullmatch(r"\d+ \([IVXLC]+\)", s) for s in symbols)
    assert [s for s in symbols if re.search(r"\d\([IVXLC]+\)", s)] == []


def test_z12_a_renamed_unit_says_what_it_was_called(itc: Loaded) -> None:
    units = {u.id: u for u in itc.budget.structure.units}
    renamed = [u for u in units.values() if u.renamed_from]
    assert renamed
    for unit in renamed:
        year = max(unit.years)
        old = units[unit.renamed_from]
        labels = {row.label for row in structure(itc.budget, "en", year).rows}
        assert f"{unit.name.en} (formerly {old.name.en})" in labels
        labels = {row.label for row in structure(itc.budget, "zh", year).rows}
        assert f"{unit.name.zh} (原{old.name.zh})" in labels
        assert not any("Renamed" in label or "更名" in label for label in labels)


def test_h4_arabic_annex_ordinals_and_chart_letters(itc: Loaded) -> None:
    """Review H4: UN Arabic numbers annexes "المرفق الأول/الثاني" and letters charts "ألف/باء", never I/II or A/B."""
    from fascicle.document.build import build
    from fascicle.document.tree import Heading

    headings = [b.text for b in build(itc.budget, "ar").blocks if isinstance(b, Heading)]
    assert "المرفق الأول" in headings and "المرفق الثاني" in headings
    charts = [h for h in headings if h.startswith(("ألف - ", "باء - "))]
    assert any(h.startswith("ألف - ") and "2023" in h for h in charts)
    assert any(h.startswith("باء - ") and "2024" in h for h in charts)
    assert not any(re.match(r"(المرفق I|[AB]\. )", h) for h in headings)


def test_e13_the_subprogramme_number_and_title_are_on_lines_of_their_own(itc: Loaded) -> None:
    from fascicle.document.build import build
    from fascicle.document.tree import Heading

    programme = itc.budget.plan.programme
    for lang, words in (("en", "Subprogramme"), ("zh", "次级方案")):
        headings = [b.text for b in build(itc.budget, lang).blocks if isinstance(b, Heading)]
        at = headings.index(f"{words} {programme.subprogramme}")
        assert headings[at + 1] == programme.title.get(lang)


def test_z17_table_13_1_repeats_no_caption_in_its_stub(itc: Loaded) -> None:
    """Review Z17: the seed's Table 13.1 has no row label; the measure, named as the table is titled, leaves it
    empty."""
    from fascicle.document.section_tables import measure_text_table

    pp = itc.budget.performance.performance
    assert pp.measures[0].name.get("zh") == pp.exhibit.title.get("zh")
    for lang in ("zh", "en"):
        table = measure_text_table(itc.budget, lang)
        assert [row.label for row in table.rows] == [""]
        assert table.rows[0].cells[-1] == pp.measures[0].texts["2022 actual"].get(lang)
