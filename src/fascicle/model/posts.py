"""Posts by organizational unit, grade, source of funds and period (Tables 13.5-13.7, Annex I)."""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator

from fascicle.model.base import Count, Frozen, Period
from fascicle.model.grades import GRADES
from fascicle.model.text import Text

Source = Literal["rb", "xb"]


class Staffing(Frozen):
    """The posts of one unit from one source of funds in one period, by grade."""

    period: Period
    source: Source
    unit: str
    grades: dict[str, Count]

    @field_validator("grades")
    @classmethod
    def _known_grades(cls, value: dict[str, int]) -> dict[str, int]:
        unknown = [grade for grade in value if grade not in GRADES]
        if unknown:
            raise ValueError(f"unknown grade {unknown[0]!r}; known: {', '.join(GRADES)}")
        if any(count < 0 for count in value.values()):
            raise ValueError("a number of posts cannot be negative")
        return value


class PostChange(Frozen):
    """A proposed post change (establishment, abolishment, reclassification) in a change column."""

    kind: Literal["technical", "new_mandates", "other"]
    unit: str
    grade: str
    number: Count
    reason: Text | None = None

    @field_validator("grade")
    @classmethod
    def _known_grade(cls, value: str) -> str:
        if value not in GRADES:
            raise ValueError(f"unknown grade {value!r}; known: {', '.join(GRADES)}")
        return value


class Posts(Frozen):
    """All post counts of the section and the proposed changes; every table of posts is a view of them."""

    sources: dict[Source, Text]
    staffing: tuple[Staffing, ...]
    changes: tuple[PostChange, ...] = ()
