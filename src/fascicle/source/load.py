"""Load a section from its directory of YAML files, all or nothing."""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path as FilePath
from typing import Any

from fascicle.model.budget import Budget
from fascicle.source.errors import LoadError, SourceError
from fascicle.source.parts import OPTIONAL_PARTS, PARTS, part_model
from fascicle.source.validate import SourceErrors, parse_part, position
from fascicle.source.yaml_tree import Path, Positions


def bundled_path() -> FilePath:
    """The directory of the bundled ITC 2024 dataset."""
    return FilePath(str(resources.files("fascicle") / "data" / "itc-2024"))


@dataclass(frozen=True)
class Loaded:
    """A loaded budget with the directory it came from and where each value sits in its file."""

    budget: Budget
    root: FilePath
    positions: dict[str, Positions] = field(default_factory=dict)

    def line_of(self, part: str, path: Path) -> tuple[str, int]:
        """The file and line of a value, by part and field path."""
        line, _ = position(self.positions.get(part, {}), path)
        return PARTS[part], line


def load(root: FilePath | str | None = None) -> Loaded:
    """Load every part of a section; raise LoadError listing every problem, returning nothing half-loaded."""
    directory = FilePath(root) if root is not None else bundled_path()
    if not directory.is_dir():
        raise LoadError([SourceError(directory.name, 1, 1, "", "not a directory of section files")])
    parts: dict[str, Any] = {}
    positions: dict[str, Positions] = {}
    errors: list[SourceError] = _unknown_entries(directory)
    for name, file_name in PARTS.items():
        file = directory / file_name
        if not file.exists() and not file.is_symlink():
            if name not in OPTIONAL_PARTS:
                errors.append(SourceError(file_name, 1, 1, "", "missing part file"))
            continue
        escape = _escapes(directory, file)
        if escape:
            errors.append(SourceError(file_name, 1, 1, "", escape))
            continue
        try:
            parts[name], positions[name] = parse_part(file, file_name, part_model(name))
        except SourceErrors as error:
            errors.extend(error.errors)
    if errors:
        raise LoadError(errors)
    # Every part was validated on its own, with file-level positions; assembling re-validates nothing.
    return Loaded(Budget.model_construct(**parts), directory, positions)


def _unknown_entries(directory: FilePath) -> list[SourceError]:
    # A misspelt part (resourcs.yaml) would otherwise be ignored while its data silently goes missing.
    known = set(PARTS.values())
    try:
        names = sorted(entry.name for entry in directory.iterdir())
    except OSError as error:
        return [SourceError(directory.name, 1, 1, "", f"cannot list the folder: {error.strerror or error}")]
    return [SourceError(name, 1, 1, "", f"not a part of a section (the parts are {', '.join(sorted(known))}); "
                                        "rename or move it")
            for name in names if name not in known and not name.startswith(".")]


def _escapes(directory: FilePath, file: FilePath) -> str | None:
    """Why a part file that is a symbolic link may not be read: it loops, dangles or leaves the dataset."""
    if not file.is_symlink():
        return None
    try:
        target = file.resolve(strict=True)
    except RuntimeError:
        return "a symbolic link that loops"
    except OSError as error:
        return "a symbolic link that loops" if error.errno == errno.ELOOP else "a symbolic link to nothing"
    if not target.is_relative_to(directory.resolve()):
        return f"a symbolic link out of the dataset (to {target})"
    return None
