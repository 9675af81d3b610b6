"""Issue 8: a rebuilt 2026 fascicle held against the official Word file it was imported from.

Both files are read with the ingest reader (`ingest.reader.read_body`), the low layer that gives each body
paragraph the UN heading level its style chain names (HCh, H1, H23, H4) and knows nothing of the model: the
comparison is the official file against ours, so one reader for both is fair. From each file comes the outline a
reader sees: headings (level and text), table captions and figure captions (number and title). The two outlines
must be equal. The page count of our file, as LibreOffice lays both out, must be within 15 % of the official one.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from fascicle.ingest.package import open_package
from fascicle.ingest.reader import Para, read_body
from fascicle.render.general_docx import write_docx
from fascicle.source.general import load_section

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "fascicle" / "data" / "a80-6-2026"
OFFICIAL = ROOT / "tests" / "data" / "fascicles" / "a80-6-2026"
SECTIONS = {"sect-02": "A_80_6_Sect.2.docx", "sect-09": "A_80_6_Sect.9.docx", "sect-12": "A_80_6_Sect.12.docx",
            "sect-13": "A_80_6_Sect.13.docx", "sect-24": "A_80_6_Sect.24.docx",
            "sect-29a": "A_80_6_Sect.29A.docx"}
UNITS = re.compile(r"\(.{3,120}\)")
CAPTION = re.compile(r"^(?P<kind>Table|Figure)\s+(?P<number>\d+[A-Z]?\.[0-9IVXL]+)$")
LOST: dict[str, tuple[str, str, str]] = {}
"""What the import drops, so no writer can print it, by section: (kind, key, text) of the official outline's
entry. Empty since figures keep their units line."""
PAGES_WITHIN = 0.15
"""How far our page count may be from the official one (issue 8)."""


@dataclass(frozen=True)
class Entry:
    """One line of a document's outline: a heading (level, text) or a caption (Table/Figure, number, title)."""

    kind: str
    key: str
    text: str

    def __str__(self) -> str:
        return f"{self.kind} {self.key}: {self.text}"


def collapsed(text: str) -> str:
    """Text with tabs and runs of spaces made one space, as a reader compares headings."""
    return " ".join(text.split())


def outline(path: Path) -> list[Entry]:
    """The headings, table captions and figure captions of a Word file's body, in order.

    A caption is a paragraph "Table 13.4" or "Figure 13.I" (whatever its style) and its title the next paragraph
    with a heading level (the official Sect. 2 sets a note between the two); any other non-empty paragraph with a
    heading level is a heading."""
    package = open_package(path)
    try:
        paragraphs = [block for block in read_body(package).blocks if isinstance(block, Para)]
    finally:
        package.close()
    found: list[Entry] = []
    index = 0
    while index < len(paragraphs):
        text = collapsed(paragraphs[index].clean)
        caption = CAPTION.match(text)
        if caption:
            index += 1
            while index < len(paragraphs) and not (paragraphs[index].level and collapsed(paragraphs[index].clean)):
                index += 1
            title = collapsed(paragraphs[index].clean) if index < len(paragraphs) else ""
            found.append(Entry(caption["kind"].lower(), caption["number"], title))
            # The units line under the title, whatever its style (the official Figure 29A.V sets it as H23):
            # part of the caption, not a heading.
            if index + 1 < len(paragraphs) and UNITS.fullmatch(collapsed(paragraphs[index + 1].clean)):
                index += 1
        elif text and paragraphs[index].level is not None:
            found.append(Entry("heading", paragraphs[index].level or "", text))
        index += 1
    return found


def rebuilt(name: str, out: Path) -> Path:
    """Our DOCX of a bundled 2026 section, written as `fascicle build` writes it."""
    target = out / f"{name}.docx"
    write_docx(load_section(DATA / name).section, target)
    return target


def page_count(docx: Path, work: Path) -> int:
    """The pages LibreOffice lays a Word file out on, through its PDF export."""
    profile = work / "profile"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf",
                    "--outdir", str(work), str(docx)], check=True, capture_output=True, timeout=240)
    info = subprocess.run(["pdfinfo", str(work / f"{docx.stem}.pdf")], check=True, capture_output=True, text=True,
                          timeout=60).stdout
    match = re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE)
    assert match, info
    return int(match[1])


def difference(official: list[Entry], ours: list[Entry]) -> str:
    """The first entries where the outlines part, for the failure message."""
    for index, (theirs, mine) in enumerate(zip(official, ours, strict=False)):
        if theirs != mine:
            return f"entry {index}: official {theirs}; ours {mine}"
    shorter, longer = (official, ours) if len(official) < len(ours) else (ours, official)
    extra = longer[len(shorter)] if len(longer) > len(shorter) else None
    who = "ours" if longer is ours else "official"
    return f"same first {len(shorter)} entries; {who} goes on with {extra}"


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_same_outline_as_the_official_file(name: str, tmp_path: Path) -> None:
    """Headings, table captions and figure captions come in the official file's order, with its texts."""
    source = OFFICIAL / SECTIONS[name]
    if not source.exists():
        pytest.skip(f"{source} is not available")
    official, ours = outline(source), outline(rebuilt(name, tmp_path))
    if name in LOST:
        lost = Entry(*LOST[name])
        assert lost in official and lost not in ours, f"{lost} is no longer lost: remove it from LOST"
        official.remove(lost)
    assert any(entry.kind == "table" for entry in official), "the official outline has no table captions"
    assert any(entry.kind == "heading" for entry in official), "the official outline has no headings"
    assert ours == official, difference(official, ours)


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdfinfo")), reason="LibreOffice is missing")
def test_page_count_of_sect_13_is_near_the_official(tmp_path: Path) -> None:
    """A/80/6 (Sect. 13): as LibreOffice lays out both files, ours is within 15 % of the official page count."""
    source = OFFICIAL / SECTIONS["sect-13"]
    if not source.exists():
        pytest.skip(f"{source} is not available")
    official = page_count(source, tmp_path / "official")
    ours = page_count(rebuilt("sect-13", tmp_path), tmp_path / "ours")
    assert abs(ours - official) <= PAGES_WITHIN * official, f"{ours} pages, the official file has {official}"


def test_figures_keep_their_units_line(tmp_path: Path) -> None:
    """The units line under a figure's title in the official file is printed under ours (Figure 29A.V's)."""
    source = OFFICIAL / SECTIONS["sect-29a"]
    if not source.exists():
        pytest.skip(f"{source} is not available")
    units = "(Number of site visits to the Finance Knowledge Gateway platform)"
    for path in (source, rebuilt("sect-29a", tmp_path)):
        package = open_package(path)
        try:
            texts = [collapsed(block.clean) for block in read_body(package).blocks if isinstance(block, Para)]
        finally:
            package.close()
        at = next(i for i, text in enumerate(texts) if text == "Figure 29A.V")
        assert units in texts[at + 1:at + 4], path.name
