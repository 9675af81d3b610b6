"""Deliverables (Table 13.2): categories A-D, subcategories, numbered items and quantities."""

from __future__ import annotations

from fascicle.model.base import Count, Frozen, Period
from fascicle.model.text import Paragraph, Text


class Deliverable(Frozen):
    """A numbered deliverable with planned and actual quantities by year."""

    number: Count
    title: Text
    quantities: dict[Period, Count]


class Subcategory(Frozen):
    """A quantified subcategory: its unit, an optional lead-in line and its items."""

    id: str
    title: Text
    unit: Text
    lead: Text | None = None
    items: tuple[Deliverable, ...]


class Unquantified(Frozen):
    """A non-quantified deliverable of categories C and D."""

    title: Text
    description: Text


class Category(Frozen):
    """A standard category A-D."""

    code: str
    title: Text
    subcategories: tuple[Subcategory, ...] = ()
    unquantified: tuple[Unquantified, ...] = ()


class Deliverables(Frozen):
    """Table 13.2 and the paragraph that introduces it."""

    intro: Paragraph
    periods: tuple[Period, ...]
    categories: tuple[Category, ...]
