"""The PDF's line breaks and fonts as printed: regressions of the output review (shared/reviews/itc-2024-outputs.md),
each named by its number, read back from the compiled PDF with pdftotext and pdffonts."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from fascicle.compute.figures import figures
from fascicle.document.build import build
from fascicle.render.typst_pdf import preamble, write_pdf
from fascicle.source.load import Loaded

pytestmark = pytest.mark.skipif(subprocess.run(["which", "pdftotext"], capture_output=True).returncode != 0,
                                reason="poppler-utils (pdftotext, pdffonts) not installed")


@pytest.fixture(scope="module")
def printed(itc: Loaded, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The text of the zh and en PDFs, laid out as on the page (pdftotext -layout)."""
    from fascicle.render.charts import draw_all

    figs = figures(itc.budget)
    found = {}
    for lang in ("zh", "en"):
        root = tmp_path_factory.mktemp(f"pdf-{lang}")
        document = build(itc.budget, lang, figs, False)
        pdf = write_pdf(document, draw_all(document, root / "charts", ("svg",)), root / "fascicle.pdf")
        found[lang] = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                     check=True).stdout
    return found


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def test_z7_the_stub_holds_a_subprogramme_name_on_one_line(printed: dict[str, str]) -> None:
    # Table 13.4 printed "6. 贸易促/进和出口/发展的业/务方面" over 5 lines in a stub 14% wide.
    rows = [line for line in lines(printed["zh"]) if "6. 贸易促" in line]
    assert rows and all("6. 贸易促进和出口发展的业务方面" in line for line in rows)
    assert all("赠款和捐助款" in line for line in lines(printed["zh"]) if "赠款和捐助" in line)


def test_z17_a_heading_word_is_never_broken(printed: dict[str, str]) -> None:
    # "2020 年(实 / 际)": a column as narrow as half its heading's word.
    for line in lines(printed["zh"]):
        for cut in re.findall(r"年\((?:实|目|估)?(?!.)", line) + re.findall(r"年\([^)]*$", line):
            pytest.fail(f"a heading broken inside a word: {line!r} ({cut})")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_e15_z16_mandate_symbols_are_never_broken(printed: dict[str, str], lang: str) -> None:
    text = lines(printed[lang])
    assert any("WT/MIN(01)/DEC/1" in line for line in text)
    assert any(re.search(r"75/203; 76/190;", line) for line in text)
    assert all("77/151" in line for line in text if re.search(r"76/190;$", line) or "76/190; 77" in line)
    assert not [line for line in text if re.search(r"WT/MIN\(\d+\)/?$|\d+/$", line)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_z16_gs_ol_is_never_broken(printed: dict[str, str], lang: str) -> None:
    text = lines(printed[lang])
    assert sum("GS (OL)" in line for line in text) >= 4  # Table 13.6's details, the posts tables, Annex I
    assert not [line for line in text if line.endswith(" GS") or line.lstrip().startswith("(OL)")]


def test_e16_a_space_after_the_footnote_marker(printed: dict[str, str]) -> None:
    notes = [line for line in lines(printed["en"]) if "International Telecommunication Union, Measuring" in line]
    assert notes and all(re.match(r"^\s*1\s+International", line) for line in notes)


def _fonts(source: str, folder: Path) -> set[str]:
    """The fonts a Typst source embeds, without their subset prefix."""
    path = folder / "probe.typ"
    path.write_text(source, encoding="utf-8")
    pdf = write_pdf_from(path)
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {line.split()[0].split("+", 1)[-1] for line in listing.splitlines()[2:] if line.strip()}


def write_pdf_from(source: Path) -> Path:
    import typst

    pdf = source.with_suffix(".pdf")
    pdf.write_bytes(typst.compile(str(source), root=str(source.parent)))  # type: ignore[arg-type]
    return pdf


def test_z20_chinese_quotes_dots_and_dashes_come_from_the_cjk_font(itc: Loaded, tmp_path: Path) -> None:
    figs = figures(itc.budget)
    # The document's own settings, one line of text, no page furniture (page numbers are Latin figures).
    zh = preamble(build(itc.budget, "zh", figs, False)) + "#set page(header: none, footer: none)\n“行动联盟”·——‘国贸’\n"
    assert _fonts(zh, tmp_path) == {"NotoSerifCJKsc-Regular-Identity-H"}
    en = preamble(build(itc.budget, "en", figs, False)) + "#set page(header: none, footer: none)\n“Action”·—‘a’\n"
    assert _fonts(en, tmp_path) == {"NotoSerif-Regular"}
