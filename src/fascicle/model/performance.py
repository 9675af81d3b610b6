"""Performance: the programme performance of the past year and the planned results with their measures."""

from __future__ import annotations

from pydantic import StrictBool

from fascicle.model.base import Amount, Count, Frozen, Period, Year
from fascicle.model.text import Paragraph, Text


class Measure(Frozen):
    """A performance measure: a series of actuals and targets by year, in figures or in words."""

    id: str
    name: Text
    unit: Text | None = None
    cumulative: StrictBool = False
    values: dict[Period, Amount] = {}
    texts: dict[Period, Text] = {}
    source: str | None = None
    """Where the values come from when this document does not print them (another document, its chart data)."""


class Exhibit(Frozen):
    """A numbered table or figure of the section (Table 13.1, Figure 13.I)."""

    kind: str
    number: str
    title: Text


class Block(Frozen):
    """A headed run of paragraphs inside a result."""

    heading: Text
    paragraphs: tuple[Paragraph, ...]


class ProgrammePerformance(Frozen):
    """Programme performance of the past year: a highlighted result with its measure table."""

    year: Year
    title: Text
    paragraphs: tuple[Paragraph, ...]
    exhibit: Exhibit
    measures: tuple[Measure, ...]


class Result(Frozen):
    """A planned result: its title, narrative blocks, figure and measures."""

    number: Count
    title: Text
    blocks: tuple[Block, ...]
    exhibit: Exhibit
    measures: tuple[Measure, ...]


class Performance(Frozen):
    """Programme performance of year Y-2 and planned results of year Y."""

    performance: ProgrammePerformance
    results: tuple[Result, ...]
