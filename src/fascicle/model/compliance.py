"""Compliance rates (Table 13.8)."""

from __future__ import annotations

from fascicle.model.base import Amount, Frozen, Period
from fascicle.model.text import Text


class Indicator(Frozen):
    """A compliance indicator with its rates in per cent by period."""

    id: str
    name: Text
    values: dict[Period, Amount]


class Compliance(Frozen):
    """Table 13.8."""

    title: Text
    indicators: tuple[Indicator, ...]
