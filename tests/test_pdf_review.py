"""The PDF as a UN editor reads it: regressions of the output review (shared/reviews/itc-2024-outputs.md), each
named by its number."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from fascicle.compute.figures import figures
from fascicle.document.build import build
from fascicle.render.typst_pdf import to_typst, write_pdf
from fascicle.source.load import Loaded


@pytest.fixture(scope="module")
def sources(itc: Loaded, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The Typst source of the zh and en fascicles (charts are referenced, not needed to read the source)."""
    from fascicle.render.charts import draw_all

    figs = figures(itc.budget)
    found = {}
    for lang in ("zh", "en"):
        root = tmp_path_factory.mktemp(lang)
        document = build(itc.budget, lang, figs, False)
        found[lang] = to_typst(document, draw_all(document, root / "charts"), root)
    return found


def test_e14_no_hyphenation(sources: dict[str, str]) -> None:
    assert all("hyphenate: false" in text for text in sources.values())


def test_z9_no_italics_in_chinese(sources: dict[str, str]) -> None:
    zh, en = sources["zh"], sources["en"]
    # Headings, column heads and units lines take their slant from one setting: upright in zh, italic in en.
    assert 'style: "italic"' not in zh and '#let hd(body) = text(8pt, style: "normal", body)' in zh
    assert '#let hd(body) = text(8pt, style: "italic", body)' in en


def test_z6_changes_span_their_columns_and_percentages_are_right_aligned(sources: dict[str, str]) -> None:
    for lang, heading in (("zh", "变动"), ("en", "Changes")):
        assert f'table.cell(colspan: 5, align: center, hd("{heading}"))' in sources[lang]
    table = next(line for line in sources["en"].splitlines() if '"Percentage"' in line and "#ruled(" in line)
    aligns = re.search(r"#ruled\(\([^)]*\), \(([^)]*)\)", table)
    assert aligns is not None
    assert aligns.group(1).rstrip(",").split(", ")[1:] == ["end"] * 8  # every column of figures, dashes too


def test_z5_each_note_on_its_own_line_with_a_superscript_mark(sources: dict[str, str]) -> None:
    notes = re.findall(r'#note\("([a-z])", "', sources["en"])
    assert notes.count("a") >= 2 and "b" in notes
    assert "#text(8pt, \"a " not in sources["en"]  # no note run into the next as one paragraph


def test_z13_annexes_start_on_a_new_page(sources: dict[str, str]) -> None:
    for lang, annex in (("zh", "附件"), ("en", "Annex")):
        lines = sources[lang].splitlines()
        headings = [i for i, line in enumerate(lines) if line.startswith(f'#heading(level: 1, "{annex}')]
        assert len(headings) == 2 and all(lines[i - 1] == "#pagebreak(weak: true)" for i in headings)


def test_e3_captions_stay_with_their_figure(sources: dict[str, str]) -> None:
    for number in ("13.I", "13.II", "13.IV"):
        assert f'#block(breakable: false)[\n#caption("Figure {number}"' in sources["en"]


def test_z15_page_numbers_n_of_total_on_the_outer_edge(itc: Loaded, tmp_path: Path) -> None:
    from fascicle.render.charts import draw_all

    document = build(itc.budget, "en", figures(itc.budget), False)
    pdf = write_pdf(document, draw_all(document, tmp_path / "charts"), tmp_path / "fascicle.pdf")
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                             check=True).stdout).group(1))  # type: ignore[union-attr]
    for page in (2, 3):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert f"{page}/{pages}" in text
        footer = next(line for line in reversed(text.splitlines()) if line.strip())
        # Even pages carry the number on the left, odd pages on the right.
        assert footer.startswith(f"{page}/") if page % 2 == 0 else footer.rstrip().endswith(f"{page}/{pages}")


def test_z3_chinese_figure_numbers_as_the_seed_writes_them(sources: dict[str, str]) -> None:
    zh = sources["zh"]
    assert all(f'#caption("图 13.{n}"' in zh for n in "一二四")
    assert not re.search(r"图 13\.[IVX]+", zh)
    assert '#caption("Figure 13.IV"' in sources["en"]


def test_z10_the_abbreviations_are_a_note_under_table_13_6(sources: dict[str, str]) -> None:
    en = sources["en"]
    at = en.index('#caption("Table 13.6"')
    note = en.index("Note: The following abbreviations are used", at)
    assert note < en.index('#caption("Table 13.7"') and "注：表格和图表使用的缩写如下" in sources["zh"]


def test_z14_e10_the_cover_of_a_un_document_from_the_data(itc: Loaded, tmp_path: Path) -> None:
    from fascicle.render.charts import draw_all

    section = itc.budget.section
    assert section.part is not None and section.masthead is not None
    for lang, expected in (("en", ["United Nations", "General Assembly", "Seventy-eighth session", "A/78/6 (Sect. 13)",
                                   "Distr.: General", "Original: English", "Proposed programme budget for 2024",
                                   "Part IV", "International cooperation for development", "Section 13",
                                   "International Trade Centre"]),
                           ("zh", ["联合国", "大会", "第七十八届会议", "原件：英文", "2024 年拟议方案预算", "第四编",
                                   "国际发展合作", "第 13 款", "国际贸易中心"])):
        document = build(itc.budget, lang, figures(itc.budget), False)
        pdf = write_pdf(document, draw_all(document, tmp_path / lang / "charts"), tmp_path / lang / "fascicle.pdf")
        first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout
        lines = [line.strip() for line in first.splitlines() if line.strip()]
        # Each on its own line, title lines in order, and the entity named once on the cover (no subtitle).
        positions = [next(i for i, line in enumerate(lines) if line == text) for text in expected]
        assert positions[-5:] == sorted(positions[-5:]), lines[:20]
        assert sum(1 for line in lines[:15] if line == expected[-1]) == 1


def test_e11_signature_name_first_in_english_title_first_in_chinese(sources: dict[str, str]) -> None:
    signed = re.compile(r'#align\(end, emph\[#"([^"]*)" \\ #"([^"]*)"\]\)')
    en, zh = signed.search(sources["en"]), signed.search(sources["zh"])
    assert en is not None and zh is not None
    assert en.group(1) == "(Signed) Pamela Coke-Hamilton" and en.group(2).startswith("Executive Director")
    assert zh.group(1) == "国际贸易中心执行主任" and zh.group(2).endswith("(签名)")
