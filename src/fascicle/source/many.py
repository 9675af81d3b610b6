"""A directory holding one section, or several sections in sub-directories."""

from __future__ import annotations

from pathlib import Path

from fascicle.source.load import bundled_path


def section_dirs(root: Path | str | None) -> list[Path]:
    """The section directories under `root`: itself when it holds a section, else its sub-directories that do."""
    directory = Path(root) if root is not None else bundled_path()
    if (directory / "section.yaml").exists() or not directory.is_dir():
        return [directory]
    found = sorted(child for child in directory.iterdir() if (child / "section.yaml").exists())
    return found or [directory]
