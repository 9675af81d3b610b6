"""The organization of each year (Annex I): units, their lineage and the annex text."""

from __future__ import annotations

from fascicle.model.base import Frozen, Year
from fascicle.model.text import Paragraph, Text


class Unit(Frozen):
    """An organizational unit, the years it exists, the unit it was renamed from and the unit it reports to."""

    id: str
    name: Text
    years: tuple[Year, ...]
    renamed_from: str | None = None
    reports_to: str | None = None
    """The unit above it in the organization chart, existing in each of its years; a unit without one is a root
    (the Office of the Executive Director). STR003 finds a parent that does not exist or a loop."""


class Chart(Frozen):
    """One organization chart of Annex I (A: the current year, B: the plan year)."""

    label: str
    year: Year
    title: Text
    notes: tuple[Paragraph, ...] = ()


class Structure(Frozen):
    """Annex I: organizational structure and post distribution."""

    title: Text
    intro: tuple[Paragraph, ...]
    rationale_heading: Text
    rationale: tuple[Paragraph, ...]
    abbreviations: Text
    charts: tuple[Chart, ...]
    units: tuple[Unit, ...]
