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

from fascicle.document.tree import Chart, Document, FigureBlock, Para
from fascicle.web.budgets import service
from fascicle.web.budgets.models import Revision


@dataclass(frozen=True)
class Body:
    """A revision's document in one language: the tree, its body as HTML and the places of its paragraphs."""

    document: Document
    html: Markup
    sources: tuple[str, ...]
    """Every paragraph's "part:path" (without the language), in document order."""

    def charts(self) -> list[Chart]:
        """The document's charts in order: a chart's address is its position here, never an id from the data."""
        return [chart for block in self.document.blocks if isinstance(block, FigureBlock) for chart in block.charts]


_BODIES = service._Memo(16)  # the service's memo, shared by a worker's threads


def body(revision: Revision, lang: str, revision_key: tuple[Any, ...] | None = None) -> Body:
    """The document of a seed-shaped revision in `lang`, with its annotated HTML (`revision_key`: the revision's
    memo key, when the caller has it)."""
    from fascicle.document.build import build
    from fascicle.render.html import render_main

    key = (revision_key or service._revision_key(revision), lang)
    found = _BODIES.get(key)
    if found is not None:
        return found
    budget = service.loaded(revision, key[0]).budget
    figures = service.summary(revision, key[0]).figures
    document = build(budget, lang, figures, draft=False, sources=True)
    order = {id(chart): index for index, chart in enumerate(
        chart for block in document.blocks if isinstance(block, FigureBlock) for chart in block.charts)}

    def address(chart: Chart) -> str:
        return reverse("chart", args=[revision.pk, lang, order[id(chart)]])

    html = render_main(document, address)
    sources = tuple(block.source for block in document.blocks if isinstance(block, Para) and block.source)
    return _BODIES.put(key, Body(document, html, sources))


def split_source(source: str) -> tuple[str, str]:
    """A paragraph's "part:path" as (part, path)."""
    part, _, path = source.partition(":")
    return part, path


def places(found: Body, lang: str) -> list[tuple[str, str]]:
    """The (part, path) of every paragraph's text in `lang`, in document order, as `service.editable` asks."""
    return [(part, f"{path}.{lang}") for part, path in map(split_source, found.sources)]
