"""Identity of a section: entity, document symbol, plan year and languages."""

from __future__ import annotations

from fascicle.model.base import Count, Frozen, Year
from fascicle.model.text import Language, Text


class Section(Frozen):
    """The section's identity: which entity, which budget year, which document."""

    entity: str
    name: Text
    number: Count
    symbol: str
    year: Year
    title: Text
    languages: tuple[Language, ...] = ("zh", "en")
