"""Shared building blocks of the model: the frozen base class, figures and periods."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict, StringConstraints

STAGES = ("planned", "target", "actual", "approved", "revised", "proposed", "estimate")
Stage = Literal["planned", "target", "actual", "approved", "revised", "proposed", "estimate"]


def exact(value: object) -> object:
    """A figure as a Decimal: an int becomes one, a binary float is refused."""
    # A binary float has already lost the printed figure, so it is refused, never converted.
    if isinstance(value, float):
        raise ValueError("a figure must be a decimal, not a binary float")
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


def bounded(low: Decimal, high: Decimal, places: int, what: str, low_open: bool = False) -> AfterValidator:
    """A declared range and precision, so that no arithmetic of the core can overflow or divide by zero."""
    def check(value: Decimal) -> Decimal:
        exponent = value.as_tuple().exponent
        if not isinstance(exponent, int) or -exponent > places:
            raise ValueError(f"{what} has at most {places} decimal places")
        if value < low or value > high or (low_open and value == low):
            floor = f"above {low:,}" if low_open else f"at least {low:,}"
            raise ValueError(f"{what} is {floor} and at most {high:,}")
        return value

    return AfterValidator(check)


LIMIT = Decimal(10) ** 15
"""Figures are in thousands: a thousand trillion dollars is beyond any budget, and well inside Decimal's 28 digits."""
Amount = Annotated[Decimal, BeforeValidator(exact), Strict(), bounded(-LIMIT, LIMIT, 6, "a figure")]
"""A figure: always a Decimal built from the source text, within a declared range and precision."""
Rate = Annotated[Decimal, BeforeValidator(exact), Strict(), bounded(Decimal(0), Decimal(10) ** 6, 6,
                                                                     "an exchange rate", low_open=True)]
"""Units of one currency per unit of another: positive, so that converting never divides by zero."""
Percent = Annotated[Decimal, BeforeValidator(exact), Strict(), bounded(Decimal(0), Decimal(100), 4,
                                                                        "a share in per cent")]
"""A part of a whole in per cent."""
Count = Annotated[int, Strict(), Field(ge=-(10**12), le=10**12)]
"""A whole number (a count, a number): strict, so "2" and 2.0 are refused."""
Year = Annotated[int, Strict(), Field(ge=1945, le=2999)]
"""A calendar year of the United Nations' budgets."""
Multiple = Annotated[Decimal, BeforeValidator(exact), Strict(), bounded(Decimal(0), Decimal(10) ** 12, 0,
                                                                         "a multiple", low_open=True)]
"""How many of one unit make another (1000 when a text says dollars of a figure in thousands)."""

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


def field_path(path: tuple[str | int, ...]) -> str:
    """Write a path into a part as a field path: results[0].measures[1].values."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
