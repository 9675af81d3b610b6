"""The section page of an imported document (the general shape): its blocks in reading order as the Word file
prints them (headings, numbered paragraphs, tables with their header rows and figures, the data of its charts,
organization charts as their boxes), read-only, each heading, paragraph, table row and figure open to comments.

The edit operations take the seed's shape, so nothing here is editable; the figures of the tables are the
core's (compute.general.evaluate), never the text of the Word file. Printed once per revision and language and
shared as the seed's page is (front.document)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from fascicle.compute.memo import Recent
from fascicle.model.general import Block, Section, Table
from fascicle.model.text import Text
from fascicle.web.budgets import service
from fascicle.web.budgets.models import Revision

HEADINGS = {"HCh": 2, "H1": 3, "H23": 4, "H4": 5}
"""The UN's heading styles as the page's heading levels (the page's own title is h1)."""
_PAGES: Recent[Any] = Recent(16)  # shared by a worker's threads


@dataclass(frozen=True)
class Page:
    """An imported revision's document in one language, as the page shows it."""

    html: str
    languages: tuple[str, ...]


def _is_page(found: Any) -> bool:
    return isinstance(found, Page) and isinstance(found.html, str)


def page(revision: Revision, lang: str, revision_key: tuple[Any, ...] | None = None) -> Page:
    """The document of an imported revision in `lang`: from this worker's memo, else from another worker's on disk,
    else printed."""
    key = (revision_key or service.revision_key(revision), lang)
    found = _PAGES.get(key)
    if found is None:
        found = service.shared_get("bodies", "general", key[0][1], _is_page, lang)
        if found is None:
            section = service.loaded(revision, key[0]).section
            found = service.shared_put("bodies", "general", key[0][1], _made(section, lang), lang)
        _PAGES.put(key, found)
    return found


def languages(revision: Revision) -> list[str]:
    """The languages an imported revision's document is held in."""
    return list(page(revision, "en").languages)


def _made(section: Section, lang: str) -> Page:
    from fascicle.compute.general import evaluate

    evaluation = evaluate(section)
    blocks = [_block(block, index, lang, evaluation) for index, block in enumerate(section.document.blocks)]
    html = render_to_string("front/_general.html", {"blocks": blocks, "lang": lang})
    return Page(html, tuple(section.fascicle.languages))


def _words(text: Text | None, lang: str) -> str:
    """A text in `lang`, else in English, else in the first language it has."""
    if text is None:
        return ""
    return text.get(lang) or text.get("en") or next((words for _, words in text if words), "")


def _block(block: Block, index: int, lang: str, evaluation: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"kind": block.kind, "number": block.number or "", "text": _words(block.text, lang),
                             "anchor": f"block/{index}", "footnotes": [_words(f, lang) for f in block.footnotes]}
    if block.kind == "heading":
        found["h"] = HEADINGS.get(block.level or "H1", 3)
    elif block.kind == "table" and block.table is not None:
        found["table"] = _table(block.table, lang, evaluation)
        found["anchor"] = f"table/{block.table.id}"
    elif block.kind == "figure":
        found.update(caption=block.caption or "", units=_words(block.units, lang), anchor=f"figure/{index}",
                     series=[(series.name, [(point.category, "" if point.value is None else format(point.value, "f"))
                                            for point in series.points])
                             for series in (block.chart.series if block.chart is not None else ())])
    elif block.kind == "orgchart" and block.orgchart is not None:
        found["boxes"] = [{"title": _words(box.title, lang), "total": box.total,
                           "posts": "; ".join(f"{source}: " + ", ".join(f"{count} {grade}"
                                                                         for grade, count in grades.items())
                                              for source, grades in box.posts.items())}
                          for box in block.orgchart.boxes]
    return found


def _table(table: Table, lang: str, evaluation: Any) -> dict[str, Any]:
    rows = []
    for index, row in enumerate(table.rows):
        cells = []
        for column, cell in enumerate(row.cells):
            if cell.merged:
                continue
            if column == 0:
                label = _words(row.label if cell.text is None or row.label is not None else cell.text, lang)
                text, numeric = (f"{row.number}. " if row.number else "") + label, False
            elif cell.text is not None:
                text, numeric = _words(cell.text, lang), False
            elif cell.blank:
                text, numeric = "", False
            else:
                text, numeric = _number(evaluation.cell(table.id, index, column), cell.decimals, cell.dash), True
            cells.append({"text": text, "span": cell.span, "numeric": numeric, "marks": "".join(cell.marks)})
        rows.append({"role": row.role, "depth": min(row.depth, 3), "cells": cells})
    return {"id": table.id, "number": table.number or "", "part": table.part or "", "title": _words(table.title, lang),
            "units": _words(table.units, lang), "header": [[(c.text, c.span) for c in line] for line in table.header],
            "rows": rows, "notes": [((note.mark or ""), _words(note.text, lang)) for note in table.notes]}


def _number(value: Any, decimals: int, dash: bool) -> str:
    from fascicle.render.general_docx import format_number

    return format_number(value, decimals, dash)
