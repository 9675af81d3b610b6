"""Turn one source file into one model part, or into errors naming file, line, column and field."""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from fascicle.model.base import field_path
from fascicle.source import cache
from fascicle.source.errors import SourceError
from fascicle.source.files import FileRefused, read_text
from fascicle.source.yaml_tree import Path, Positions, TreeError, read_tree

M = TypeVar("M", bound=BaseModel)


def position(positions: Positions, path: Path) -> tuple[int, int]:
    """The position of the deepest known node on a path."""
    for end in range(len(path), -1, -1):
        if path[:end] in positions:
            return positions[path[:end]]
    return (1, 1)


def parse_part(file: FilePath, name: str, model: type[M]) -> tuple[M, Positions]:
    """Read and validate one part file; raise a list of SourceError on any problem."""
    try:
        text = read_text(file, name)
    except FileRefused as refused:
        raise SourceErrors([refused.error]) from None
    return parse_text(text, name, model)


def parse_text(text: str, name: str, model: type[M]) -> tuple[M, Positions]:
    """Validate the checked text of one part (read_text's or accept_text's), through the cache of parts."""
    where = cache.folder()
    entry = cache.key(text, model) if where is not None else ""
    if where is not None:
        found = cache.get(where, entry)
        if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], model):
            return found[0], found[1]
    value, positions = _parse(text, name, model)
    if where is not None:
        cache.put(where, entry, (value, positions))
    return value, positions


def _parse(text: str, name: str, model: type[M]) -> tuple[M, Positions]:
    value, positions, _ = parse_tree(text, name, model)
    return value, positions


def parse_tree(text: str, name: str, model: type[M]) -> tuple[M, Positions, Any]:
    """Validate the checked text of one part, not through the cache: its value, positions and plain tree (which
    the caller must not change: the value may share its parts)."""
    try:
        tree, positions = read_tree(text)
    except TreeError as error:
        problem = SourceError(name, error.line, error.column, field_path(error.path), error.message)
        raise SourceErrors([problem]) from None
    try:
        return model.model_validate(tree), positions, tree
    except ValidationError as error:
        raise SourceErrors(_errors(name, error, positions)) from None


def _errors(name: str, error: ValidationError, positions: Positions) -> list[SourceError]:
    found = []
    for detail in error.errors(include_url=False):
        path = tuple(detail["loc"])
        line, column = position(positions, path)
        message = detail["msg"]
        if detail["type"] == "is_instance_of" and "Decimal" in message:
            message = "expected a decimal figure"
        found.append(SourceError(name, line, column, field_path(path), message))
    return found


class SourceErrors(Exception):
    """Errors found in one part file."""

    def __init__(self, errors: list[SourceError]) -> None:
        self.errors = errors
        super().__init__("\n".join(map(str, errors)))
