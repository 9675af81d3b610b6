"""The outline of a section held as the document prints it: its subprogrammes and their components."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fascicle.model.general import Section

SUBPROGRAMME = re.compile(r"^Subprogramme (\d+)$")
COMPONENT = re.compile(r"^Component (\d+)$")


@dataclass(frozen=True)
class Subprogramme:
    """A subprogramme as the programme of work presents it, with the chapter it sits in (a duty station)."""

    chapter: str
    number: int
    title: str
    components: tuple[str, ...] = ()


def subprogrammes(section: Section) -> list[Subprogramme]:
    """Every subprogramme of the programme of work, in order, keyed by (chapter, number)."""
    blocks = section.document.blocks
    found: dict[tuple[str, int], Subprogramme] = {}
    chapter = ""
    in_work = False
    current: tuple[str, int] | None = None
    for index, block in enumerate(blocks):
        if block.kind != "heading" or block.text is None or not block.text.en:
            continue
        text = block.text.en
        if block.level == "HCh":
            # The programme of work runs from its heading to part B; duty stations (Sect. 2) are chapters in it.
            if text == "Programme of work":
                in_work, chapter = True, ""
            elif re.match(r"^[B-D]\.\s", text) or text.startswith("Annex"):
                in_work = False
            elif in_work:
                chapter = text
            current = None
            continue
        if not in_work:
            continue
        match = SUBPROGRAMME.match(text)
        if match:
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            title = following.text.en if following and following.kind == "heading" and following.text else ""
            current = (chapter, int(match.group(1)))
            # The first mention names it; the part B tables repeat it, and Annex headings do too.
            found.setdefault(current, Subprogramme(chapter, int(match.group(1)), title or ""))
            continue
        component = COMPONENT.match(text)
        if component and current is not None:
            entry = found[current]
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            title = following.text.en if following and following.kind == "heading" and following.text else ""
            if not any(c.startswith(f"{component.group(1)}.") for c in entry.components):
                found[current] = Subprogramme(entry.chapter, entry.number, entry.title,
                                              (*entry.components, f"{component.group(1)}. {title}"))
    return list(found.values())
