"""The programme plan: foreword, overall orientation, objective, strategy and evaluations."""

from __future__ import annotations

from fascicle.model.base import Count, Frozen
from fascicle.model.text import Paragraph, Text


class Foreword(Frozen):
    """The foreword signed by the head of the entity."""

    paragraphs: tuple[Paragraph, ...]
    signatory: Text
    signatory_title: Text


class Programme(Frozen):
    """Where the entity sits in the programme budget (ITC: subprogramme 6 of programme 10)."""

    programme: Count
    subprogramme: Count
    title: Text


class Evaluations(Frozen):
    """Evaluations completed in the performance year and planned for the plan year."""

    completed: tuple[Paragraph, ...]
    use: tuple[Paragraph, ...]
    planned: tuple[Paragraph, ...]


class ProgrammePlan(Frozen):
    """Part A of the section up to the planned results: every narrative part, in the seed's order."""

    foreword: Foreword
    mandates: tuple[Paragraph, ...]
    programme: Programme
    objective: tuple[Paragraph, ...]
    strategy: tuple[Paragraph, ...]
    expected_outcomes: tuple[Paragraph, ...]
    planning_assumptions: tuple[Paragraph, ...]
    cooperation: tuple[Paragraph, ...]
    coordination: tuple[Paragraph, ...]
    gender: tuple[Paragraph, ...]
    disability: tuple[Paragraph, ...]
    pandemic: tuple[Paragraph, ...]
    evaluations: Evaluations
