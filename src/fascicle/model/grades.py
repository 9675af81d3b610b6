"""The UN grade scale: each grade's category and its order in tables."""

from __future__ import annotations

# The post categories, in printed order; their names in each language are document labels.
CATEGORIES = ("professional", "general_service")

# Grade -> category, in the order tables print them (highest first).
GRADES = {
    "USG": "professional",
    "ASG": "professional",
    "D-2": "professional",
    "D-1": "professional",
    "P-5": "professional",
    "P-4": "professional",
    "P-3": "professional",
    "P-2": "professional",
    "P-1": "professional",
    "GS (PL)": "general_service",
    "GS (OL)": "general_service",
    "LL": "general_service",
}


def grade_order(grade: str) -> int:
    """Position of a grade in printed order."""
    return list(GRADES).index(grade)

# Summary tables print the two junior Professional grades together.
_DISPLAY = {"P-2": "P-2/1"}


def display_grade(grade: str) -> str:
    """A grade as summary tables print it (P-2 is shown as P-2/1)."""
    return _DISPLAY.get(grade, grade)
