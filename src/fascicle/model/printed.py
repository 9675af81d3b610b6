"""Figures as the source document prints them, kept to check the data against, never to print from."""

from __future__ import annotations

from fascicle.model.base import Amount, Frozen, Period
from fascicle.model.text import Text


class Printed(Frozen):
    """One figure printed in a table, a chart, a note or a paragraph; None stands for a printed dash."""

    ref: str
    period: Period
    value: Amount | None
    where: str
    paragraph: str | None = None
    text: Text | None = None


class PrintedFigures(Frozen):
    """Every figure the source document prints that the data also holds or derives."""

    document: str
    figures: tuple[Printed, ...]
