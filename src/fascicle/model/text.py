"""Multilingual text, paragraphs and references of the narrative parts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from pydantic import field_validator

from fascicle.model.base import Frozen

LANGUAGES = ("zh", "en", "fr", "es", "ru", "ar")
Language = Literal["zh", "en", "fr", "es", "ru", "ar"]
FOOTNOTE_MARK = re.compile(r"\[\^([^\]]+)\]")
"""How a text refers to a footnote of its paragraph: [^1]."""
REFERENCE = re.compile(r"\{([a-z][a-z0-9_]*(?:\.[A-Za-z0-9_-]+)+)@((?:19|20)\d\d [a-z]+)\}")
"""A figure reference: the figure's name, "@", and its period."""


def references(text: str) -> Iterator[tuple[str, str]]:
    """The (name, period) of every figure a note names."""
    for match in REFERENCE.finditer(text):
        yield match.group(1), match.group(2)


REQUIRED_LANGUAGES = ("zh", "en")


class Text(Frozen):
    """A text in the six UN languages; a missing language is None, never a copy of another."""

    zh: str | None = None
    en: str | None = None
    fr: str | None = None
    es: str | None = None
    ru: str | None = None
    ar: str | None = None

    def get(self, lang: str) -> str | None:
        """Return the text in one language, or None when it has no translation."""
        value: str | None = getattr(self, lang)
        return value

    def missing(self, languages: tuple[str, ...] = REQUIRED_LANGUAGES) -> tuple[str, ...]:
        """Languages among `languages` that have no text."""
        return tuple(lang for lang in languages if not self.get(lang))


class Link(Frozen):
    """A document cited by symbol; its address on undocs.org is derived per language (document.ids.undocs_url)."""

    symbol: str

    @field_validator("symbol")
    @classmethod
    def _no_spaces_at_ends(cls, value: str) -> str:
        if value != value.strip() or not value:
            raise ValueError("a symbol has no leading or trailing spaces")
        return value


class Item(Frozen):
    """A lettered item (a), (b)... inside a paragraph."""

    label: str
    text: Text


class Footnote(Frozen):
    """A footnote: the text refers to it as [^mark]."""

    mark: str
    text: Text


class Paragraph(Frozen):
    """A numbered paragraph (13.1...) or an unnumbered one named by id, with items, notes and cited documents."""

    number: str | None = None
    id: str | None = None
    text: Text
    items: tuple[Item, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    links: tuple[Link, ...] = ()
