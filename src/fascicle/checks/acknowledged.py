"""Acknowledged findings: an error the authors publish anyway stays listed, with who accepted it, when and why."""

from __future__ import annotations

from dataclasses import replace

from fascicle.checks.finding import CheckInfo, Finding, Location
from fascicle.model.acknowledgements import Acknowledgement, Acknowledgements
from fascicle.model.base import field_path
from fascicle.model.budget import Budget

STALE = CheckInfo("ACK001", "warning", "An acknowledgement matches no finding any more: the data changed, or the "
                                       "finding was fixed.")


def place(location: Location) -> tuple[str, str]:
    """The (file, field) by which an acknowledgement names a finding's first location."""
    return f"{location.part}.yaml", field_path(location.path)


def _key(item: Acknowledgement) -> tuple[str, str, str]:
    return item.code, item.location.file, item.location.field


def _finding_key(found: Finding) -> tuple[str, str, str]:
    file, field = place(found.locations[0]) if found.locations else ("", "")
    return found.code, file, field


def acknowledge(budget: Budget, findings: list[Finding]) -> list[Finding]:
    """Mark each finding its acknowledgement covers, and warn of every acknowledgement that covers none."""
    return apply(budget.acknowledgements, findings)


def apply(acknowledgements: Acknowledgements | None, findings: list[Finding]) -> list[Finding]:
    """Mark each finding one of `acknowledgements` covers, and warn of each that covers none (any shape of section)."""
    items = acknowledgements.acknowledgements if acknowledgements else ()
    by_key = {_key(item): item for item in items}
    marked = [replace(f, acknowledged=by_key[_finding_key(f)]) if _finding_key(f) in by_key else f
              for f in findings]
    used = {_finding_key(f) for f in marked if f.acknowledged is not None}
    stale = [Finding(STALE.code, STALE.severity, f"the acknowledgement of {item.code} at {item.location.file} "
                                                 f"{item.location.field} matches no finding",
                     (Location("acknowledgements", ("acknowledgements", index)),))
             for index, item in enumerate(items) if _key(item) not in used]
    return marked + stale
