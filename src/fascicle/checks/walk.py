"""Walk a loaded budget: every model value with its part and field path.

The texts and paragraphs of a part are listed once per part object and remembered: a part is frozen, and an edit
of a section reloads the same objects for the parts it does not touch (source.load keeps them), so the six text
checks of an edit walk only the part it changed, where walking all thirteen parts six times was most of an edit.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from fascicle.compute.memo import MEMO
from fascicle.model.budget import Budget
from fascicle.model.text import Paragraph, Text

Path = tuple[str | int, ...]


def values(value: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every model object, tuple item and mapping value under `value`, with its path."""
    yield path, value
    if isinstance(value, Text):
        return
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from values(getattr(value, name), (*path, name))
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from values(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from values(item, (*path, key))


def parts(budget: Budget) -> Iterator[tuple[str, Any]]:
    """The budget's parts by name."""
    for name in type(budget).model_fields:
        part = getattr(budget, name)
        if part is not None:
            yield name, part


def texts(budget: Budget) -> Iterator[tuple[str, Path, Text]]:
    """Every multilingual text, with its part and path."""
    for name, part in parts(budget):
        for path, value in part_texts(part):
            yield name, path, value


def paragraphs(budget: Budget) -> Iterator[tuple[str, Path, Paragraph]]:
    """Every paragraph in document order, with its part and path."""
    for name, part in parts(budget):
        for path, value in part_paragraphs(part):
            yield name, path, value


class Walked:
    """What one walk of a part found: its texts and its paragraphs, each with its path, in document order."""

    def __init__(self, part: Any) -> None:
        found_texts: list[tuple[Path, Text]] = []
        found_paragraphs: list[tuple[Path, Paragraph]] = []
        for path, value in values(part):
            if isinstance(value, Text):
                found_texts.append((path, value))
            elif isinstance(value, Paragraph):
                found_paragraphs.append((path, value))
        self.texts: tuple[tuple[Path, Text], ...] = tuple(found_texts)
        self.paragraphs: tuple[tuple[Path, Paragraph], ...] = tuple(found_paragraphs)


def walked(part: Any) -> Walked:
    """The texts and paragraphs of one part, walked once per part object."""
    found: Walked = MEMO.get(part, "walk", Walked)
    return found


def part_texts(part: Any) -> tuple[tuple[Path, Text], ...]:
    """Every multilingual text of one part, with its path in the part."""
    return walked(part).texts


def part_paragraphs(part: Any) -> tuple[tuple[Path, Paragraph], ...]:
    """Every paragraph of one part in document order, with its path in the part."""
    return walked(part).paragraphs
