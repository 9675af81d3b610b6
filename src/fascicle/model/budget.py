"""The whole section as one immutable value: every part of the programme budget."""

from __future__ import annotations

from fascicle.model.acknowledgements import Acknowledgements
from fascicle.model.base import Frozen
from fascicle.model.compliance import Compliance
from fascicle.model.deliverables import Deliverables
from fascicle.model.mandates import Mandates
from fascicle.model.narrative import ResourcesNarrative
from fascicle.model.oversight import Oversight
from fascicle.model.performance import Performance
from fascicle.model.plan import ProgrammePlan
from fascicle.model.posts import Posts
from fascicle.model.printed import PrintedFigures
from fascicle.model.resources import Resources
from fascicle.model.section import Section
from fascicle.model.structure import Structure


class Budget(Frozen):
    """A programme budget section; the printed fascicle for its year is a view of it."""

    section: Section
    plan: ProgrammePlan
    performance: Performance
    mandates: Mandates
    deliverables: Deliverables
    resources_narrative: ResourcesNarrative
    resources: Resources
    posts: Posts
    structure: Structure
    compliance: Compliance
    oversight: Oversight
    printed: PrintedFigures | None = None
    acknowledgements: Acknowledgements | None = None
