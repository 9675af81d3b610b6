"""The bundled budget: the seed (ITC 2024) and the sections imported from the UN's Word files, as a whole.

Expected values were read from the official documents (their tables and paragraphs, with python-docx) and from
the data files, not copied from the program's output: Table 13.2 of A/80/6 (Sect. 13) prints 140 field and
technical cooperation projects planned for 2024 (item 8), as Table 13.2 of A/78/6 (Sect. 13) does for its plan;
Table 13.3 of A/81/6 (Sect. 13) prints "24 [26]a" for item 14 planned in 2026 (A/80/6 said 26); paragraph 13.33
of A/80/6 (Sect. 13) gives the grant of $23,376,800, the full budget of SwF 38,431,300 at SwF 0.8220 to $1.00.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from docx import Document as WordDocument
from typer.testing import CliRunner

from fascicle.cli import app

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "fascicle" / "data"
SEED = DATA / "itc-2024"
ITC_2026 = DATA / "a80-6-2026" / "sect-13"
ITC_2027 = DATA / "a81-6-2027" / "sect-13"
FILES = ("fascicle.yaml", "document.yaml", "figures.yaml", "printed.yaml", "import-report.yaml")
runner = CliRunner()


def _import_set() -> ModuleType:
    """tools/import_set.py, the script that wrote the bundled imported sections."""
    spec = importlib.util.spec_from_file_location("import_set", ROOT / "tools" / "import_set.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


IMPORT_SET = _import_set()
SOURCE: Path = IMPORT_SET.SOURCE


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout


def run_json(*args: str) -> tuple[int, Any]:
    code, output = run(*args, "--json")
    return code, json.loads(output)


# 1. The shipped data is the importer's output.


@pytest.fixture(scope="module")
def reimported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every entry of the import set imported again, once, into a fresh directory."""
    if not SOURCE.is_dir():
        pytest.skip(f"{SOURCE} is missing: the development fascicles are not on this machine")
    target = tmp_path_factory.mktemp("reimport")
    for name, (source, corrigendum) in IMPORT_SET.SET.items():
        IMPORT_SET.build(target / name, source, corrigendum)
    return target


def test_the_import_set_is_every_imported_section() -> None:
    shipped = sorted(str(p.parent.relative_to(DATA)) for p in DATA.glob("*/*/fascicle.yaml"))
    assert shipped == sorted(IMPORT_SET.SET)
    assert len(shipped) == 7


@pytest.mark.parametrize("name", sorted(IMPORT_SET.SET))
def test_shipped_data_is_the_importers_output(reimported: Path, name: str) -> None:
    fresh, shipped = reimported / name, DATA / name
    assert sorted(p.name for p in fresh.iterdir()) == sorted(FILES)
    assert sorted(p.name for p in shipped.iterdir()) == sorted(FILES)
    for file in FILES:
        assert (fresh / file).read_bytes() == (shipped / file).read_bytes(), f"{name}/{file} differs"
    # The provenance both record is each source file's own name and digest (a corrigendum's too).
    sources = [SOURCE / file for file in IMPORT_SET.SET[name] if file]
    line = "source: " + "; ".join(f"{s.name} sha256:{hashlib.sha256(s.read_bytes()).hexdigest()}"
                                  for s in sources) + "\n"
    for file in ("fascicle.yaml", "import-report.yaml"):
        assert line in (shipped / file).read_text(encoding="utf-8"), file


def test_sect_24_carries_its_corrigendum() -> None:
    text = (DATA / "a80-6-2026" / "sect-24" / "fascicle.yaml").read_text(encoding="utf-8")
    assert "corrected_by:\n- A/80/6 (Sect. 24)/Corr.1\n" in text


# 2. Validating the bundled budget.


def test_validate_the_whole_budget() -> None:
    code, data = run_json("validate", str(DATA))
    # The official documents have real inconsistencies: e.g. Annex III of A/80/6 (Sect. 24) prints a total of
    # 2 024 posts for 2025 where 689 + 10 + 1 328 = 2 027, and Table 24.28 prints "–" beside 5 565 700.
    assert code == 1
    assert data["sections"] == 8 and data["load_errors"] == []
    codes = {f["code"] for f in data["findings"]}
    assert "XYR001" not in codes  # the years agree
    blocking = {f["locations"][0]["file"] for f in data["findings"] if f["blocking"]}
    assert any(file.endswith("a80-6-2026/sect-24/printed.yaml") for file in blocking)
    assert not any("sect-13" in file or "sect-12" in file or "itc-2024" in file for file in blocking)


@pytest.mark.parametrize("section", ["sect-13", "sect-12"])
def test_validate_clean_sections(section: str) -> None:
    code, output = run("validate", str(DATA / "a80-6-2026" / section))
    # LNG001 (no zh texts) is a warning: it does not block.
    assert code == 0
    assert "fascicle.yaml:1: [LNG001]" in output


# 3. XYR001: a figure restated across years.


def _budget(tmp_path: Path) -> Path:
    budget = tmp_path / "budget"
    shutil.copytree(SEED, budget / "itc-2024")
    shutil.copytree(ITC_2026, budget / "a80-6-2026" / "sect-13")
    shutil.copytree(ITC_2027, budget / "a81-6-2027" / "sect-13")
    return budget


def _items(path: Path) -> list[tuple[int, list[str]]]:
    """The top-level items of the list of a figures.yaml or printed.yaml: (1-based first line, lines)."""
    items: list[tuple[int, list[str]]] = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text.startswith("- "):
            items.append((number, [text]))
        elif items:
            items[-1][1].append(text)
    return items


def _replace_in_item(path: Path, start: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i in range(start - 1, len(lines)) if lines[i].rstrip("\n") == old)
    lines[index] = new + "\n"
    path.write_text("".join(lines), encoding="utf-8")


def _xyr(budget: Path) -> tuple[int, list[dict[str, Any]]]:
    code, data = run_json("validate", str(budget))
    assert data["sections"] == 3
    return code, [f for f in data["findings"] if f["code"] == "XYR001"]


def test_the_three_years_agree(tmp_path: Path) -> None:
    code, found = _xyr(_budget(tmp_path))
    assert (code, found) == (0, [])


def test_xyr001_on_a_restated_figure(tmp_path: Path) -> None:
    budget = _budget(tmp_path)
    # Item 8 of Table 13.2: 140 projects planned for 2024, in the seed and in the 2026 document alike.
    assert '"2024 planned": 140}' in (SEED / "deliverables.yaml").read_text(encoding="utf-8")
    figures = budget / "a80-6-2026" / "sect-13" / "figures.yaml"
    name = "- name: deliverables.generation-and-transfer-of-knowledge.on-trade-related-technical-assistance"
    [(start, lines)] = [(n, ls) for n, ls in _items(figures) if ls[0] == name and "  period: 2024 planned" in ls]
    assert "  value: 140" in lines
    _replace_in_item(figures, start, "  value: 140", "  value: 141")
    code, found = _xyr(budget)
    assert code == 1
    assert [(f["locations"][0]["file"], f["locations"][0]["line"]) for f in found] == [(str(figures), start)]
    assert re.search(r"\b141\b", found[0]["message"]) and re.search(r"\b140\b", found[0]["message"])
    assert found[0]["blocking"] is True


def test_xyr001_on_a_bracketed_value(tmp_path: Path) -> None:
    budget = _budget(tmp_path)
    printed = budget / "a81-6-2027" / "sect-13" / "printed.yaml"
    # Table 13.3 of A/81/6 prints "24 [26]a" for item 14 in 2026: 26 is what A/80/6 (Sect. 13) planned.
    [(start, lines)] = [(n, ls) for n, ls in _items(printed) if "  document: A/80/6 (Sect. 13)" in ls]
    assert "  value: 26" in lines and "  period: 2026 planned" in lines
    _replace_in_item(printed, start, "  value: 26", "  value: 25")
    code, found = _xyr(budget)
    assert code == 1
    assert [(f["locations"][0]["file"], f["locations"][0]["line"]) for f in found] == [(str(printed), start)]
    assert re.search(r"\b25\b", found[0]["message"]) and re.search(r"\b26\b", found[0]["message"])


# 4. Named figures.


def test_figures_of_itc_2026() -> None:
    code, data = run_json("figures", str(ITC_2026))
    assert code == 0
    named = {(f["name"], f["period"]): (f["value"], f["unit"], f["currency"]) for f in data}
    assert {f["section"] for f in data} == {"A/80/6 (Sect. 13)"}
    assert named[("regular.total", "2026 proposed")] == ("38431.3", "thousands", "CHF")
    assert named[("un_grant.total", "2026 proposed")] == ("23376.8", "thousands", "USD")
    assert named[("exchange_rate", "2026 proposed")][0] == "0.8220"
    assert named[("posts.regular.total", "2025 approved")] == ("160", "posts", None)


def test_figures_of_the_seed() -> None:
    # Paragraph 13.30 of A/78/6 (Sect. 13): CHF 37,936,500 in full, a grant of $20,457,600.
    code, data = run_json("figures")
    assert code == 0
    named = {(f["name"], f["period"]): (f["value"], f["currency"]) for f in data}
    assert named[("regular.total", "2024 proposed")] == ("37936.5", "CHF")
    assert named[("un_grant.total", "2024 proposed")] == ("20457.6", "USD")


def test_figures_text_is_tab_separated() -> None:
    code, output = run("figures")
    assert code == 0
    lines = output.splitlines()
    assert lines and all(len(line.split("\t")) == 5 for line in lines)
    assert "A/78/6 (Sect. 13)\tun_grant.total\t2024 proposed\t20457.6\tthousands USD" in lines


# 5. The budget's summary by section.


def test_summary_of_2026() -> None:
    code, data = run_json("show", str(DATA / "a80-6-2026"), "summary")
    assert code == 0
    assert [(s["year"], s["section"]) for s in data] == [(2026, n) for n in ("2", "9", "12", "13", "24", "29A")]
    by = {s["section"]: s for s in data}
    # ITC is counted by its United Nations grant, in dollars (paragraph 13.33: $23,376,800).
    assert by["13"]["resources"]["regular 2026 proposed"] == "23376.8"
    # Annex III of A/80/6 (Sect. 24): 249 426.7 + 694.5 + 12 834.2 = 262 955.4, its printed total.
    assert Decimal("249426.7") + Decimal("694.5") + Decimal("12834.2") == Decimal("262955.4")
    assert by["24"]["resources"]["regular 2026 proposed"] == "262955.4"
    # 2026 proposed: 51 P-4 in the words of Table 29A.40, and 49 approved + 2 new mandates in Table 29A.41.
    assert by["29A"]["posts"]["P-4"] == "51"
    # Table 13.6, "Proposed for 2026": 1 ASG, 1 D-2, 6 D-1, 20 P-5, 28 P-4, 21 P-3, 14 P-2/1, 69 GS (OL).
    assert by["13"]["posts"] == {"ASG": "1", "D-2": "1", "D-1": "6", "P-5": "20", "P-4": "28", "P-3": "21",
                                 "P-2/1": "14", "GS (OL)": "69"}


def test_table_13_6_words_are_in_the_data() -> None:
    text = (ITC_2026 / "document.yaml").read_text(encoding="utf-8")
    assert "en: 1 ASG, 1 D-2, 6 D-1, 20 P-5, 28 P-4, 21 P-3, 14 P-2/1, 69 GS (OL)\n" in text
    printed = (DATA / "a80-6-2026" / "sect-24" / "printed.yaml").read_text(encoding="utf-8")
    assert "column 'Regular budget 2026 estimate'" in printed and "value: 262955.4\n" in printed


# 6. Differences between years.


def test_diff_2026_plan_and_2027_plan() -> None:
    code, data = run_json("diff", str(ITC_2026), str(ITC_2027))
    assert code == 0
    rows = {(f["ref"], f["period"]): (f["old"], f["new"], f["delta"]) for f in data["figures"]}
    assert rows[("deliverables.item.14", "2026 planned")] == ("26", "24", "-2")
    # The 2027 plan updates no other figure of the 2026 plan that both documents print; its measures add the
    # 2025 actuals and the 2027 plans to the series of Figures 13.II and 13.III of A/80/6 (13.I and 13.II now).
    changed = {(ref, period) for ref, period in rows if not ref.startswith("measure.")}
    assert {period for _, period in changed} == {"2026 planned"}
    added = {(ref, period): new for (ref, period), (old, new, _) in rows.items() if ref.startswith("measure.")}
    assert all(period in ("2025 actual", "2027 planned") for _, period in added)
    assert added[("measure.number-of-business-support-organizations-that-improved-their", "2025 actual")] == "67"


def test_a_measure_restated_by_the_next_year_is_checked(tmp_path: Path) -> None:
    # Figure 13.II of A/80/6 (Sect. 13) and Figure 13.I of the 2027 plan both chart 37 organizations in 2024.
    budget = _budget(tmp_path)
    assert _xyr(budget) == (0, [])
    figures = budget / "a81-6-2027" / "sect-13" / "figures.yaml"
    name = "- name: measure.number-of-business-support-organizations-that-improved-their"
    [(start, lines)] = [(n, ls) for n, ls in _items(figures) if ls[0] == name and "  period: 2024 actual" in ls]
    assert "  value: 37" in lines
    _replace_in_item(figures, start, "  value: 37", "  value: 38")
    code, found = _xyr(budget)
    assert code == 1 and [(f["locations"][0]["file"], f["locations"][0]["line"]) for f in found] == [
        (str(figures), start)]


def test_diff_seed_and_2026(tmp_path: Path) -> None:
    code, data = run_json("diff", str(SEED), str(ITC_2026))
    assert code == 0 and data["figures"] == []  # A/80/6 restates the 2024 plan as A/78/6 printed it
    changed = tmp_path / "sect-13"
    shutil.copytree(ITC_2026, changed)
    figures = changed / "figures.yaml"
    name = "- name: deliverables.generation-and-transfer-of-knowledge.on-trade-related-technical-assistance"
    [(start, _)] = [(n, ls) for n, ls in _items(figures) if ls[0] == name and "  period: 2024 planned" in ls]
    _replace_in_item(figures, start, "  value: 140", "  value: 141")
    code, data = run_json("diff", str(SEED), str(changed))
    rows = {(f["ref"], f["period"]): (f["old"], f["new"]) for f in data["figures"]}
    assert code == 0 and rows[("deliverables.item.8", "2024 planned")] == ("140", "141")


# 7. Publishing an imported section.


def test_build_docx_of_itc_2026(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(ITC_2026), "--format", "docx", "--lang", "en", "--out", str(out)])
    assert result.exit_code == 0, result.output
    target = out / "en" / "fascicle.docx"
    assert target.is_file()
    text = "\n".join(p.text for p in WordDocument(str(target)).paragraphs)
    assert "$23,376,800" in text and "SwF 38,431,300" in text


def test_build_without_zh_texts(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(ITC_2026), "--format", "docx", "--lang", "zh", "--out", str(out)])
    assert result.exit_code == 2
    assert "the section has no zh texts" in result.output
    assert not out.exists()


def test_org_charts_agree_with_the_posts_tables_and_a_changed_box_is_found(tmp_path: Path) -> None:
    # Annex I of A/80/6 (Sect. 13): both charts show 160 regular budget and 20 extrabudgetary posts, as
    # Tables 13.6 and 13.7 do; the Division of Country Programmes holds 8 RB P-4 posts in the 2025 chart.
    copy = tmp_path / "sect-13"
    shutil.copytree(ITC_2026, copy)
    code, data = run_json("validate", str(copy))
    assert code == 0 and not [f for f in data["findings"] if f["code"] == "ORG001"]
    document = copy / "document.yaml"
    text = document.read_text(encoding="utf-8")
    box = ("        en: Division of Country Programmes\n      posts:\n        RB:\n          D-1: 1\n"
           "          P-5: 6\n          P-4: 8\n")
    assert text.count(box) == 1  # in the 2025 chart (the 2026 one moves a P-4 post)
    document.write_text(text.replace(box, box.replace("P-4: 8", "P-4: 9"), 1), encoding="utf-8")
    code, data = run_json("validate", str(copy))
    found = [f for f in data["findings"] if f["code"] == "ORG001"]
    assert code == 1 and len(found) == 1
    assert "161 RB posts" in found[0]["message"] and "2025 approved is 160" in found[0]["message"]
    assert found[0]["locations"][0]["file"] == str(document)


def test_show_a_table_of_an_imported_section_as_printed() -> None:
    # Table 13.4 (2) of A/80/6 (Sect. 13): its Total row adds the two sub-tables, 37 889.8 + 102 991.9.
    code, data = run_json("show", str(ITC_2026), "13.4")
    assert code == 0 and [t["table"] for t in data] == ["13.4 (1)", "13.4 (2)"]
    total = next(row for row in data[1]["rows"] if row[0] == "Total")
    assert total[1:3] == ["140 881.7", "132 961.3"]
    missing = runner.invoke(app, ["show", str(ITC_2026), "13.99"])
    assert missing.exit_code == 2 and "13.4" in missing.output


def test_build_a_budget_publishes_what_may_be_and_names_the_rest(tmp_path: Path) -> None:
    budget = tmp_path / "budget"
    shutil.copytree(ITC_2026, budget / "sect-13")
    shutil.copytree(ITC_2026.parent / "sect-29a", budget / "sect-29a")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(budget), "--lang", "en", "--out", str(out)])
    # Sect. 29A holds an error of the official document (Table 29A.43 (3)): not published without --force.
    assert result.exit_code == 1 and "sect-29a: not published (exit 1)" in result.output
    assert (out / "sect-13" / "en" / "fascicle.docx").is_file() and not (out / "sect-29a").exists()
    forced = runner.invoke(app, ["build", str(budget), "--lang", "en", "--out", str(out), "--force"])
    assert forced.exit_code == 0, forced.output
    from docx import Document as Word

    draft = Word(str(out / "sect-29a" / "en" / "fascicle.docx"))
    assert draft.paragraphs[0].text.startswith("DRAFT")
    section = draft.sections[0]
    # Every page's head says so: the first page's, the odd pages' and the even pages'.
    for header in (section.first_page_header, section.header, section.even_page_header):
        assert "DRAFT" in [p.text for p in header.paragraphs], [p.text for p in header.paragraphs]
    final = Word(str(out / "sect-13" / "en" / "fascicle.docx"))
    assert not final.paragraphs[0].text.startswith("DRAFT")
