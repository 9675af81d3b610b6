"""The section page's body: the fascicle itself, built by the core (document.build with its sources) and printed
by the HTML backend's own template (render.html.render_main), once per revision and language.

A revision never changes, so its body is memoised by the revision's memo key and the language: the page of a
section costs a memo hit and the user's own overlay (which paragraphs they may edit, which anchors have comments),
which the page adds as data, not by printing the body again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from markupsafe import Markup

from fascicle.compute.memo import Recent
from fascicle.document.tree import Chart, FigureBlock, Para, TableBlock
from fascicle.web.budgets import service
from fascicle.web.budgets.models import Revision


@dataclass(frozen=True)
class Body:
    """A revision's document in one language as the page shows it: its body as HTML, the places of its paragraphs
    and its charts."""

    html: str
    sources: tuple[str, ...]
    """Every paragraph's "part:path" (without the language), in document order."""
    charts: tuple[Chart, ...]
    """The document's charts in order: a chart's address is its position here, never an id from the data."""
    cells: tuple[str, ...] = ()
    """Every table cell that prints a value of the data as it is, by its "part:path" (the same in every
    language)."""

    @property
    def markup(self) -> Markup:
        """The body, printed by the HTML backend (every text from the data escaped there)."""
        return Markup(self.html)  # noqa: S704 - render.html.render_main's output


_BODIES: Recent[Any] = Recent(16)  # shared by a worker's threads


def _is_body(found: Any) -> bool:
    return (isinstance(found, Body) and isinstance(getattr(found, "html", None), str)
            and isinstance(getattr(found, "sources", None), tuple) and isinstance(getattr(found, "cells", None), tuple)
            and all(isinstance(chart, Chart) for chart in getattr(found, "charts", (None,))))


BODY_VERSION = "2"
"""The shape of a Body on disk: a new one is named apart from the old ones."""


def body(revision: Revision, lang: str, revision_key: tuple[Any, ...] | None = None) -> Body:
    """The document of a seed-shaped revision in `lang` (`revision_key`: the revision's memo key, when the caller
    has it): from this worker's memo, else from another worker's on disk, else built and printed."""
    key = (revision_key or service.revision_key(revision), lang)
    found = _BODIES.get(key)
    if found is None:
        found = service.shared_get("bodies", "seed", key[0][1], _is_body, f"{lang}:{BODY_VERSION}")
        if found is None:
            found = service.shared_put("bodies", "seed", key[0][1], _made(revision, lang, key[0]),
                                       f"{lang}:{BODY_VERSION}")
        _BODIES.put(key, found)
    return found


def _made(revision: Revision, lang: str, revision_key: tuple[Any, ...]) -> Body:
    from fascicle.document.build import build
    from fascicle.render.html import render_main

    budget = service.loaded(revision, revision_key).budget
    figures = service.summary(revision, revision_key).figures
    document = build(budget, lang, figures, draft=False, sources=True)
    charts = tuple(chart for block in document.blocks if isinstance(block, FigureBlock) for chart in block.charts)
    order = {id(chart): index for index, chart in enumerate(charts)}

    def address(chart: Chart) -> str:
        return reverse("chart", args=[revision.pk, lang, order[id(chart)]])

    html = render_main(document, address)
    sources = tuple(block.source for block in document.blocks if isinstance(block, Para) and block.source)
    cells = tuple(source for block in document.blocks if isinstance(block, TableBlock)
                  for row in block.table.rows for source in row.sources if source)
    return Body(str(html), sources, charts, cells)


def split_source(source: str) -> tuple[str, str]:
    """A paragraph's "part:path" as (part, path)."""
    part, _, path = source.partition(":")
    return part, path


def places(found: Body, lang: str) -> list[tuple[str, str]]:
    """The (part, path) of every paragraph's text in `lang`, in document order, as `service.editable` asks."""
    return [(part, f"{path}.{lang}") for part, path in map(split_source, found.sources)]
