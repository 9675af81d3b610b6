"""Shared building blocks of the model: the frozen base class, figures and periods."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Strict, StringConstraints

STAGES = ("planned", "target", "actual", "approved", "revised", "proposed", "estimate")
Stage = Literal["planned", "target", "actual", "approved", "revised", "proposed", "estimate"]



def _exact(value: object) -> object:
    # A binary float has already lost the printed figure, so it is refused, never converted.
    if isinstance(value, float):
        raise ValueError("a figure must be a decimal, not a binary float")
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


Amount = Annotated[Decimal, BeforeValidator(_exact), Strict()]
"""A figure: always a Decimal built from the source text."""
Count = Annotated[int, Strict()]
"""A whole number (a count, a year, a number): strict, so "2" and 2.0 are refused."""

PERIOD_PATTERN = r"^(\d{4}) (" + "|".join(STAGES) + r")$"
Period = Annotated[str, StringConstraints(pattern=PERIOD_PATTERN)]
"""A year and a stage, written "2024 proposed": every figure belongs to one."""

_PERIOD = re.compile(PERIOD_PATTERN)


def split_period(period: str) -> tuple[int, str]:
    """Return (year, stage) of a period key such as "2024 proposed"."""
    match = _PERIOD.match(period)
    if match is None:
        raise ValueError(f"not a period: {period!r}")
    return int(match.group(1)), match.group(2)


def period(year: int, stage: str) -> str:
    """Return the period key for a year and a stage."""
    return f"{year} {stage}"


class Frozen(BaseModel):
    """Immutable, strict base of every model class: unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")
