"""Visual regression (issue 8): pages of the published PDFs, drawn by pdftoppm, against reference images that a
person looked at and accepted (tests/visual/*.png). A page may differ from its reference only by a small share of
pixels (anti-aliasing, a font's minor version), never by a moved table, a lost rule or a missing chart.

To accept new pages after a reviewed change: FASCICLE_VISUAL_UPDATE=1 pytest tests/test_visual.py, look at every
image written to tests/visual/, and commit them with the change."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from fascicle.render.publish import publish
from fascicle.source.load import Loaded

REFERENCES = Path(__file__).parent / "visual"
RESOLUTION = 40
TOLERANCE = 0.005
"""The share of pixels that may differ by more than a quarter of the grey scale."""
UPDATE = os.environ.get("FASCICLE_VISUAL_UPDATE") == "1"

# (name, the line that finds the page: the first page with a line that reads exactly so, a caption or heading)
PAGES = {
    "zh": [("cover", "联合国"), ("table-13-4", "表 13.4"), ("figure-13-iv", "图 13.四"), ("annex-1-a", "附件一"),
           ("annex-1-b", "B. 2024 年组织结构和员额分配")],
    "en": [("cover", "United Nations"), ("table-13-4", "Table 13.4"), ("figure-13-iv", "Figure 13.IV"),
           ("annex-1-a", "Annex I"), ("annex-1-b", "B. Organizational structure and post distribution for 2024")],
}


@pytest.fixture(scope="module")
def pdfs(itc: Loaded, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("visual")
    publish(itc.budget, ("zh", "en"), ("pdf",), out, draft=False)
    return {lang: out / lang / "fascicle.pdf" for lang in ("zh", "en")}


def _pages(pdf: Path) -> list[str]:
    count = int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout.splitlines()
        if line.startswith("Pages:")))
    return [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"], check=True,
                           capture_output=True, text=True).stdout for n in range(1, count + 1)]


def _page(pdf: Path, line: str, after: int = 0) -> int:
    # The contents page lists the same headings, followed by dots and a page number: never matched exactly.
    for number, text in enumerate(_pages(pdf), 1):
        if number > after and any(" ".join(row.split()) == line for row in text.splitlines()):
            return number
    raise AssertionError(f"no page of {pdf.name} has a line {line!r}")


def _draw(pdf: Path, page: int, target: Path) -> Image.Image:
    stem = target.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(RESOLUTION), "-gray", "-png", "-singlefile", "-f", str(page), "-l",
                    str(page), str(pdf), str(stem)], check=True)
    return Image.open(stem.with_suffix(".png")).convert("L")


def difference(drawn: Image.Image, reference: Image.Image) -> float:
    """The share of pixels that differ by more than a quarter of the grey scale; a page of another size is 1."""
    if drawn.size != reference.size:
        return 1.0
    changed = ImageChops.difference(drawn, reference).point(lambda v: 255 if v > 64 else 0)
    histogram = changed.histogram()
    return histogram[255] / (drawn.size[0] * drawn.size[1])


@pytest.mark.parametrize(("lang", "name", "line"),
                         [(lang, name, line) for lang, pages in PAGES.items() for name, line in pages])
def test_page_matches_its_reviewed_image(pdfs: dict[str, Path], tmp_path: Path, lang: str, name: str,
                                         line: str) -> None:
    page = 1 if name == "cover" else _page(pdfs[lang], line, 1)
    drawn = _draw(pdfs[lang], page, tmp_path / f"{lang}-{name}.png")
    reference = REFERENCES / f"{lang}-{name}.png"
    if UPDATE:
        drawn.save(reference, optimize=True)
    assert reference.exists(), f"no reviewed image {reference.name}: see this module's docstring"
    share = difference(drawn, Image.open(reference).convert("L"))
    assert share <= TOLERANCE, f"{lang} {name} (page {page}) differs from its reviewed image in {share:.1%} of pixels"


def test_the_comparison_sees_a_real_change(tmp_path: Path) -> None:
    """The tolerance lets anti-aliasing through but not a table gone: blanking a band of a page fails it."""
    page = Image.new("L", (330, 470), 255)
    for y in range(40, 430, 12):
        page.paste(0, (30, y, 300, y + 2))
    moved = page.copy()
    moved.paste(255, (30, 200, 300, 300))
    assert difference(page, page) == 0
    assert difference(moved, page) > TOLERANCE
    assert difference(page.resize((331, 470)), page) == 1.0
