"""The narrative of part B (resources): overview, extrabudgetary resources and other information."""

from __future__ import annotations

from fascicle.model.base import Frozen
from fascicle.model.text import Footnote, Paragraph, Text


class ResourcesNarrative(Frozen):
    """Paragraphs 13.28 to 13.37 and the abbreviations note of the tables."""

    title: Text
    overview: tuple[Paragraph, ...]
    extrabudgetary: tuple[Paragraph, ...]
    other: tuple[Paragraph, ...]
    abbreviations: Footnote
