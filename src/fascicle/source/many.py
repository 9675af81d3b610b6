"""A directory holding one section, or several sections in sub-directories."""

from __future__ import annotations

from pathlib import Path

from fascicle.source.load import bundled_path
from fascicle.source.parts import PARTS


def section_dirs(root: Path | str | None) -> list[Path]:
    """The section directories under `root`: itself when it holds a section, else its sub-directories that hold
    any part file (so a section missing its section.yaml is loaded, and its missing part reported)."""
    directory = Path(root) if root is not None else bundled_path()
    if (directory / "section.yaml").exists() or (directory / "fascicle.yaml").exists() or not directory.is_dir():
        return [directory]
    parts = set(PARTS.values()) | {"fascicle.yaml"}
    found = sorted(child for child in directory.iterdir()
                   if child.is_dir() and not child.name.startswith(".") and _holds(child, parts))
    return found or [directory]


def _holds(directory: Path, parts: set[str]) -> bool:
    try:
        return any(entry.name in parts for entry in directory.iterdir())
    except OSError:
        return True  # unreadable: loading it reports why
