"""A section of any year held as the document prints it (`model.general`): its YAML files, read and written."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

from pydantic import BaseModel

from fascicle.model.acknowledgements import Acknowledgements
from fascicle.model.general import Document, Figures, Identity, Printed, Section
from fascicle.source.errors import LoadError, SourceError
from fascicle.source.validate import SourceErrors, parse_part, position
from fascicle.source.write import dump_part
from fascicle.source.yaml_tree import Path, Positions

PARTS: dict[str, tuple[str, type[BaseModel]]] = {
    "fascicle": ("fascicle.yaml", Identity),
    "document": ("document.yaml", Document),
    "figures": ("figures.yaml", Figures),
    "printed": ("printed.yaml", Printed),
    "acknowledgements": ("acknowledgements.yaml", Acknowledgements),
}
OPTIONAL = frozenset({"printed", "acknowledgements"})
REPORT = "import-report.yaml"
"""What the importer made of each table cell; kept beside the data, never read back as data."""
MARK = "fascicle.yaml"


def is_general(directory: FilePath) -> bool:
    """Whether a directory holds a section in the document's own shape (it has fascicle.yaml)."""
    return (directory / MARK).is_file()


@dataclass(frozen=True)
class LoadedSection:
    """A loaded section with the directory it came from and where each value sits in its file."""

    section: Section
    root: FilePath
    positions: dict[str, Positions] = field(default_factory=dict)

    def line_of(self, part: str, path: Path) -> tuple[str, int]:
        """The file and line of a value, by part and field path."""
        line, _ = position(self.positions.get(part, {}), path)
        return PARTS[part][0] if part in PARTS else part, line


class Deferred:
    """A section folder whose findings came from the cache: it is loaded only if a line must be looked up."""

    def __init__(self, root: FilePath) -> None:
        self.root = root
        self._loaded: LoadedSection | None = None

    def line_of(self, part: str, path: Path) -> tuple[str, int]:
        """The file and line of a value, by part and field path."""
        if self._loaded is None:
            self._loaded = load_section(self.root)
        return self._loaded.line_of(part, path)


def load_section(root: FilePath | str) -> LoadedSection:
    """Load every part of a section; raise LoadError listing every problem, returning nothing half-loaded."""
    directory = FilePath(root)
    known = {file for file, _ in PARTS.values()} | {REPORT}
    errors: list[SourceError] = []
    try:
        names = sorted(entry.name for entry in directory.iterdir())
    except OSError as error:
        raise LoadError([SourceError(directory.name, 1, 1, "", f"cannot list the folder: {error}")]) from None
    errors += [SourceError(name, 1, 1, "", f"not a part of a section (the parts are {', '.join(sorted(known))})")
               for name in names if name not in known and not name.startswith(".")]
    parts: dict[str, Any] = {}
    positions: dict[str, Positions] = {}
    for name, (file_name, model) in PARTS.items():
        file = directory / file_name
        if not file.exists():
            if name not in OPTIONAL:
                errors.append(SourceError(file_name, 1, 1, "", "missing part file"))
            continue
        if file.is_symlink() and not file.resolve().is_relative_to(directory.resolve()):
            errors.append(SourceError(file_name, 1, 1, "", "a symbolic link out of the dataset"))
            continue
        try:
            parts[name], positions[name] = parse_part(file, file_name, model)
        except SourceErrors as error:
            errors.extend(error.errors)
    if errors:
        raise LoadError(errors)
    return LoadedSection(Section.model_construct(**parts), directory, positions)


def write_section(section: Section, directory: FilePath, report: str | None = None) -> None:
    """Write a section into a new directory, whole or not at all: it is built aside, read back (a LoadError if
    it cannot be, leaving the directory as it was) and moved into place."""
    parent = directory.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = FilePath(tempfile.mkdtemp(dir=parent, prefix=f".{directory.name}."))
    try:
        for name, (file_name, _) in PARTS.items():
            value = getattr(section, name)
            if value is not None:
                (staging / file_name).write_text(dump_part(value), encoding="utf-8")
        if report is not None:
            (staging / REPORT).write_text(report, encoding="utf-8")
        for file in staging.iterdir():
            os.chmod(file, 0o644)
        load_section(staging)  # what cannot be read back is never put in place
        os.chmod(staging, 0o755)  # noqa: S103 - a dataset is read by others, as `write` leaves part files
        if directory.exists():
            # Only a directory that holds nothing but a section's files is replaced; anything else is kept.
            old = FilePath(tempfile.mkdtemp(dir=parent, prefix=f".{directory.name}.old."))
            os.replace(directory, old / "section")
            os.replace(staging, directory)
            shutil.rmtree(old)
        else:
            os.replace(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def replaceable(directory: FilePath) -> str | None:
    """Why the importer may not write into `directory`, or None when it may (absent, empty or a section)."""
    if not directory.exists():
        return None
    if not directory.is_dir():
        return f"{directory} is a file, not a folder"
    known = {file for file, _ in PARTS.values()} | {REPORT}
    foreign = sorted(entry.name for entry in directory.iterdir() if entry.name not in known)
    if foreign:
        return (f"{directory} holds files that are not a section's ({', '.join(foreign[:3])}); "
                "choose an empty or new folder")
    return None
