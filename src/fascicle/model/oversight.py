"""Annex II: follow-up to the recommendations of the advisory and oversight bodies."""

from __future__ import annotations

from fascicle.model.base import Frozen
from fascicle.model.text import Link, Text


class Recommendation(Frozen):
    """A recommendation in brief and the action taken to implement it."""

    report: Link
    paragraph: str
    summary: Text
    action: tuple[Text, ...]
    links: tuple[Link, ...] = ()


class OversightBody(Frozen):
    """One advisory or oversight body and its recommendations."""

    body: str
    title: Text
    recommendations: tuple[Recommendation, ...]


class Oversight(Frozen):
    """Annex II."""

    title: Text
    bodies: tuple[OversightBody, ...]
