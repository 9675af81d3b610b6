"""Figures as the source document prints them, kept to check the data against, never to print from."""

from __future__ import annotations

from decimal import Decimal

from fascicle.model.base import Amount, Frozen, Multiple, Period
from fascicle.model.text import Text


class Printed(Frozen):
    """One figure printed in a table, a chart, a note or a paragraph; None stands for a printed dash.

    In a paragraph, `text` is the figure as each language writes it; it must appear there and say `value`."""

    ref: str
    period: Period
    value: Amount | None
    where: str
    paragraph: str | None = None
    text: Text | None = None
    unit: Multiple = Decimal(1)
    """How many of the text's units make one unit of the figure: 1000 when the text says
    CHF 37,936,500 of a figure in thousands."""


class PrintedFigures(Frozen):
    """Every figure the source document prints that the data also holds or derives."""

    document: str
    figures: tuple[Printed, ...]
