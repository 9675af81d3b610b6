"""Identity of a section: entity, document symbol, plan year and languages."""

from __future__ import annotations

import datetime as dt

from fascicle.model.base import Count, Frozen, Year
from fascicle.model.text import Language, Text


class Masthead(Frozen):
    """What the first page of a UN document carries besides its title: session, agenda, date, original."""

    session: Text
    agenda: Text | None = None
    date: dt.date | None = None
    original: Language = "en"
    job: str | None = None


class Part(Frozen):
    """The part of the programme budget the section belongs to: "Part IV", "International cooperation for
    development"."""

    number: Text
    title: Text


class Section(Frozen):
    """The section's identity: which entity, which budget year, which document."""

    entity: str
    name: Text
    number: Count
    symbol: str
    year: Year
    title: Text
    languages: tuple[Language, ...] = ("zh", "en")
    part: Part | None = None
    masthead: Masthead | None = None
