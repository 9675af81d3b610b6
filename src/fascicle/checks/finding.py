"""The one shape of every finding: a stable code, a severity, a message and where it is."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from fascicle.compute.figures import Figures
from fascicle.model.acknowledgements import Acknowledgement
from fascicle.model.budget import Budget

Severity = Literal["error", "warning"]
Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Location:
    """Where a finding sits: the part and field path, what the document calls it, and its file and line."""

    part: str
    path: Path = ()
    where: str = ""
    file: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Finding:
    """One problem found by one check."""

    code: str
    severity: Severity
    message: str
    locations: tuple[Location, ...] = field(default=())
    acknowledged: Acknowledgement | None = None

    @property
    def blocking(self) -> bool:
        """Whether the finding stops publication: an error nobody has acknowledged."""
        return self.severity == "error" and self.acknowledged is None


Check = Callable[[Budget, Figures], Iterable[Finding]]


@dataclass(frozen=True)
class CheckInfo:
    """What the catalogue says of a check."""

    code: str
    severity: Severity
    title: str


def check(code: str, severity: Severity) -> Callable[[Check], Check]:
    """Mark a function as a check with a stable code and severity; its docstring is its title."""

    def mark(function: Check) -> Check:
        function.info = CheckInfo(code, severity, (function.__doc__ or "").strip())  # type: ignore[attr-defined]
        return function

    return mark


def info(function: Check) -> CheckInfo:
    """The catalogue entry of a check."""
    found: CheckInfo = function.info  # type: ignore[attr-defined]
    return found


def finding(function: Check, message: str, *locations: Location) -> Finding:
    """A finding of `function`, with its code and severity."""
    entry = info(function)
    return Finding(entry.code, entry.severity, message, tuple(locations))


def show(value: Decimal | None) -> str:
    """A figure in a message: plain digits, a dash for none."""
    return "—" if value is None else format(value, "f")
