"""Walk a loaded budget: every model value with its part and field path."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

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
        for path, value in values(part):
            if isinstance(value, Text):
                yield name, path, value


def paragraphs(budget: Budget) -> Iterator[tuple[str, Path, Paragraph]]:
    """Every paragraph in document order, with its part and path."""
    for name, part in parts(budget):
        for path, value in values(part):
            if isinstance(value, Paragraph):
                yield name, path, value
