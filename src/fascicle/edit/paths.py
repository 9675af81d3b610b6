"""Field paths as the loader's errors print them (`regular.lines[1].values.2024 proposed`), read against a
part's model and its plain YAML tree.

The model says which fields exist and what each holds; the tree says which keys a mapping has now. A name is
matched to the longest field or key it starts with, so a key holding a dot or a bracket still resolves.
"""

from __future__ import annotations

import re
import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from fascicle.model.base import field_path

Path = tuple[str | int, ...]

_INDEX = re.compile(r"\[(\d{1,9})\]")
_NAME = re.compile(r"[^.\[\]]+")
MAX_PATH = 1000
"""Far longer than any field path of a part (the deepest is about 80 characters)."""


class PathError(Exception):
    """A field path that names nothing in its part; the message says where it stops and why."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def bare(annotation: Any) -> Any:
    """The type a field holds, without Annotated constraints and without `| None`; Any for a real union."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin is Union or origin is types.UnionType:
            inner = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(inner) != 1:
                return Any
            annotation = inner[0]
        else:
            return annotation


def is_model(annotation: Any) -> bool:
    """Whether a field holds a model (a mapping of named fields)."""
    kind = bare(annotation)
    return isinstance(kind, type) and issubclass(kind, BaseModel)


def is_mapping(annotation: Any) -> bool:
    """Whether a field holds a model or a dict: a mapping in the YAML."""
    return is_model(annotation) or get_origin(bare(annotation)) is dict


def child(annotation: Any, key: str | int, where: Path) -> Any:
    """The annotation of `key` inside a value of `annotation`; raise PathError when it cannot hold that key."""
    kind = bare(annotation)
    here = field_path(where) or "the part"
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        if not isinstance(key, str):
            raise PathError(f"{here} has named fields, not numbered items: write {here}.<field>")
        field = kind.model_fields.get(key)
        if field is None:
            raise PathError(f"{here} has no field {key!r} (its fields are {', '.join(kind.model_fields)})")
        return field.annotation
    origin = get_origin(kind)
    if origin is dict:
        if not isinstance(key, str):
            raise PathError(f"{here} is a mapping: write {here}.<key>, not [{key}]")
        return get_args(kind)[1]
    if origin in (tuple, list):
        if not isinstance(key, int):
            raise PathError(f"{here} is a list: write an index such as {here}[0]")
        args = get_args(kind)
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            if key >= len(args):
                raise PathError(f"{here} holds exactly {len(args)} items (indices 0 to {len(args) - 1})")
            return args[key]
        return args[0]
    raise PathError(f"{here} is a single value: it has no {'items' if isinstance(key, int) else 'fields'}")


def parse(model: type[BaseModel], tree: Any, text: object) -> tuple[Path, tuple[Any, ...]]:
    """The path a field path names in a part, with the annotation at each of its steps (the last is the value's)."""
    if not isinstance(text, str) or not text:
        raise PathError("a field path is text naming a value, such as regular.lines[1].values.2024 proposed")
    if len(text) > MAX_PATH:
        raise PathError(f"a field path of {len(text)} characters names nothing in a part")
    path: list[str | int] = []
    annotations: list[Any] = []
    annotation: Any = model
    node = tree
    at = 0
    while at < len(text):
        key: str | int
        if text.startswith("[", at):
            index = _INDEX.match(text, at)
            if index is None:
                raise PathError(f"{text[at:]!r}: an index is written [0], [1]...")
            key, at = int(index.group(1)), index.end()
        else:
            if path:
                if not text.startswith(".", at):
                    raise PathError(f"{text[at:]!r}: a field follows a dot")
                at += 1
            key = _name(text, at, annotation, node)
            at += len(key)
        annotation = child(annotation, key, tuple(path))
        path.append(key)
        annotations.append(annotation)
        node = _get(node, key)
    return tuple(path), tuple(annotations)


def _name(text: str, at: int, annotation: Any, node: Any) -> str:
    kind = bare(annotation)
    names: list[str] = list(kind.model_fields) if is_model(kind) else []
    if isinstance(node, dict):
        names += [key for key in node if isinstance(key, str)]
    ends = [name for name in names if text.startswith(name, at)
            and (at + len(name) == len(text) or text[at + len(name)] in ".[")]
    if ends:
        return max(ends, key=len)
    found = _NAME.match(text, at)
    if found is None:
        raise PathError(f"{text[:at]!r} is followed by an empty name")
    return found.group()


def _get(node: Any, key: str | int) -> Any:
    if isinstance(key, str) and isinstance(node, dict):
        return node.get(key)
    if isinstance(key, int) and isinstance(node, list) and key < len(node):
        return node[key]
    return None
