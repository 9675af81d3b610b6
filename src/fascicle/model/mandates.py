"""Legislative mandates: resolutions and declarations of the governing bodies."""

from __future__ import annotations

from fascicle.model.base import Frozen
from fascicle.model.text import Link, Paragraph, Text


class Mandate(Frozen):
    """One line of the list: one or more resolutions under one title."""

    symbols: tuple[str, ...]
    title: Text
    links: tuple[Link, ...] = ()


class MandateGroup(Frozen):
    """The mandates of one body (General Assembly, ECOSOC, WTO)."""

    body: str
    title: Text
    mandates: tuple[Mandate, ...]


class Mandates(Frozen):
    """The legislative mandates of the section."""

    intro: Paragraph
    groups: tuple[MandateGroup, ...]
