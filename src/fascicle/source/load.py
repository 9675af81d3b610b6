"""Load a section from its directory of YAML files, all or nothing."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path as FilePath
from typing import Any

from pydantic import BaseModel

from fascicle.compute.memo import Recent
from fascicle.model.budget import Budget
from fascicle.source import cache
from fascicle.source.errors import LoadError, SourceError
from fascicle.source.files import FileRefused, accept_text, read_decoded
from fascicle.source.parts import OPTIONAL_PARTS, PARTS, part_model
from fascicle.source.validate import SourceErrors, parse_part, parse_text, parse_tree, position
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
    for name, file in _part_files(directory):
        if isinstance(file, SourceError):
            errors.append(file)
            continue
        try:
            parts[name], positions[name] = parse_part(file, PARTS[name], part_model(name))
        except SourceErrors as error:
            errors.extend(error.errors)
    if errors:
        raise LoadError(errors)
    # Every part was validated on its own, with file-level positions; assembling re-validates nothing.
    return Loaded(Budget.model_construct(**parts), directory, positions)


def load_texts(texts: Mapping[str, str], root: FilePath | str = ".") -> Loaded:
    """Load a section from its part texts (part name -> YAML text) as load() does from files: the same checks,
    errors and positions, no file touched; `root` only names where the texts would be written."""
    parts: dict[str, Any] = {}
    positions: dict[str, Positions] = {}
    known = ", ".join(PARTS)
    errors = [SourceError(str(name), 1, 1, "", f"not a part of a section (the parts are {known})")
              for name in texts if name not in PARTS]
    for name, file_name in PARTS.items():
        if name not in texts:
            if name not in OPTIONAL_PARTS:
                errors.append(SourceError(file_name, 1, 1, "", "missing part file"))
            continue
        try:
            parts[name], positions[name] = parse_remembered(accept_text(texts[name], file_name), file_name,
                                                             part_model(name))
        except FileRefused as refused:
            errors.append(refused.error)
        except SourceErrors as error:
            errors.extend(error.errors)
    if errors:
        raise LoadError(errors)
    return Loaded(Budget.model_construct(**parts), FilePath(root), positions)


# Parts already validated in this process, by their cache key (exact text and model): an edit reloads the parts it
# did not touch, and unpickling them from the disk cache was a third of an edit's time on ITC. A part takes about
# 40 times its text in memory, so 4 million characters of text bound this to some 160 MB.
_RECENT: Recent[tuple[BaseModel, Positions]] = Recent(4_000_000)


def parse_remembered(text: str, name: str, model: type[BaseModel]) -> tuple[BaseModel, Positions]:
    """parse_text through this process's memo of validated parts (an edit's canonical dump and the load after
    it read an untouched part once)."""
    if os.environ.get("FASCICLE_CACHE", "1") == "0":
        return parse_text(text, name, model)
    key = cache.key(text, model)
    found = _RECENT.get(key)
    if found is None:
        found = parse_text(text, name, model)
        _RECENT.put(key, found, len(text))
    # The value is frozen; the positions are a plain dict, so each Loaded gets its own.
    return found[0], dict(found[1])


def remember_text(text: str, name: str, model: type[BaseModel]) -> Any:
    """Validate a new part text (accept_text's) as load_texts would, and keep the result where load_texts looks
    first (this process's memo and the disk cache of parts); return its plain tree, which nobody may change.
    Raise SourceErrors as parse_text does. An edit dumps a part's new text and loads it at once: this reads it
    once for both the edit's memo of trees and the loader."""
    value, positions, tree = parse_tree(text, name, model)
    if os.environ.get("FASCICLE_CACHE", "1") != "0":
        key = cache.key(text, model)
        where = cache.folder()
        if where is not None:
            cache.put(where, key, (value, positions))
        _RECENT.put(key, (value, positions), len(text))
    return tree


def read_texts(root: FilePath | str) -> dict[str, str]:
    """The text of each part file of a section directory (part name -> text), its bytes decoded from UTF-8 and
    nothing more; raise LoadError on what load() refuses before reading a file's content."""
    directory = FilePath(root)
    if not directory.is_dir():
        raise LoadError([SourceError(directory.name, 1, 1, "", "not a directory of section files")])
    texts: dict[str, str] = {}
    errors = _unknown_entries(directory)
    for name, file in _part_files(directory):
        if isinstance(file, SourceError):
            errors.append(file)
            continue
        try:
            texts[name] = read_decoded(file, PARTS[name])
        except FileRefused as refused:
            errors.append(refused.error)
    if errors:
        raise LoadError(errors)
    return texts


def _part_files(directory: FilePath) -> Iterator[tuple[str, FilePath | SourceError]]:
    # In the order of the parts, so that load() reports a folder's problems in the document's order.
    for name, file_name in PARTS.items():
        file = directory / file_name
        if not file.exists() and not file.is_symlink():
            if name not in OPTIONAL_PARTS:
                yield name, SourceError(file_name, 1, 1, "", "missing part file")
            continue
        escape = _escapes(directory, file)
        yield name, SourceError(file_name, 1, 1, "", escape) if escape else file


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
