"""Findings and load errors as the command line prints them: one located line each, or JSON with the same fields."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fascicle.checks.acknowledged import place
from fascicle.checks.finding import Finding, Location
from fascicle.source.errors import SourceError
from fascicle.source.general import Deferred, LoadedSection
from fascicle.source.load import Loaded


def display_path(path: Path) -> str:
    """A path relative to the working folder when it lies under it, else as given."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def load_error_json(root: Path | None, problem: SourceError) -> dict[str, Any]:
    """One load error with the file named from the working folder."""
    where = display_path(root / problem.file) if root is not None and root.is_dir() else str(root or problem.file)
    return {"file": where, "line": problem.line, "column": problem.column, "field": problem.field,
            "message": problem.message}


def load_error_line(entry: dict[str, Any]) -> str:
    """file:line:column: [LOAD] field: message."""
    field = f" {entry['field']}:" if entry["field"] else ""
    return f"{entry['file']}:{entry['line']}:{entry['column']}: [LOAD]{field} {entry['message']}"


def finding_json(loaded: Loaded | LoadedSection | Deferred, finding: Finding) -> dict[str, Any]:
    """A finding with each location's file and line, and its acknowledgement if it has one."""
    item = finding.acknowledged
    return {"code": finding.code, "severity": finding.severity, "message": finding.message,
            "blocking": finding.blocking,
            "acknowledged": None if item is None else {"reason": item.reason, "who": item.who,
                                                       "date": item.date.isoformat()},
            "locations": [_location(loaded, loc) for loc in finding.locations]}


def _location(loaded: Loaded | LoadedSection | Deferred, location: Location) -> dict[str, Any]:
    file, line = loaded.line_of(location.part, location.path)
    return {"file": display_path(loaded.root / file), "line": line, "part": location.part,
            "field": place(location)[1], "path": list(location.path), "where": location.where}


def finding_line(entry: dict[str, Any]) -> str:
    """file:line: [CODE] message, and who acknowledged it, when and why."""
    first = entry["locations"][0] if entry["locations"] else {"file": "-", "line": 0}
    line = f"{first['file']}:{first['line']}: [{entry['code']}] {entry['message']}"
    item = entry["acknowledged"]
    return line if item is None else f"{line} [acknowledged by {item['who']}, {item['date']}: {item['reason']}]"


def summary(sections: int, found: list[dict[str, Any]], unreadable: int = 0) -> str:
    """How many sections were checked and what was found in them."""
    errors = sum(1 for entry in found if entry["blocking"])
    accepted = sum(1 for entry in found if entry["severity"] == "error" and not entry["blocking"])
    warnings = sum(1 for entry in found if entry["severity"] == "warning")
    parts = [f"{sections} section(s): {errors} error(s)"]
    if accepted:
        parts.append(f"{accepted} acknowledged error(s)")
    parts.append(f"{warnings} warning(s)")
    if unreadable:
        parts.append(f"{unreadable} section(s) unreadable")
    return ", ".join(parts)
