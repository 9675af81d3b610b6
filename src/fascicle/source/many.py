"""A directory holding one section, or several sections in sub-directories."""

from __future__ import annotations

from pathlib import Path

from fascicle.source.load import bundled_path
from fascicle.source.parts import PARTS


def section_dirs(root: Path | str | None) -> list[Path]:
    """The section directories under `root`: itself when it holds a section, else the folders below it (to three
    levels: a budget of years of sections) that hold any part file, so a section missing its section.yaml is
    loaded and its missing part reported."""
    directory = Path(root) if root is not None else bundled_path()
    if _is_section(directory) or not directory.is_dir():
        return [directory]
    parts = set(PARTS.values()) | {"fascicle.yaml"}
    found = sorted(_below(directory, parts, depth=3))
    return found or [directory]


def _is_section(directory: Path) -> bool:
    return (directory / "section.yaml").exists() or (directory / "fascicle.yaml").exists()


def _below(directory: Path, parts: set[str], depth: int) -> list[Path]:
    found: list[Path] = []
    try:
        children = sorted(c for c in directory.iterdir() if c.is_dir() and not c.name.startswith("."))
    except OSError:
        return found
    for child in children:
        if _holds(child, parts):
            found.append(child)
        elif depth > 1:
            found.extend(_below(child, parts, depth - 1))
    return found


def _holds(directory: Path, parts: set[str]) -> bool:
    try:
        return any(entry.name in parts for entry in directory.iterdir())
    except OSError:
        return True  # unreadable: loading it reports why
