"""Write a section back to its directory of YAML files, in the same shape the loader reads."""

from __future__ import annotations

import hashlib
import os
import tempfile
from decimal import Decimal
from pathlib import Path as FilePath
from typing import Any

import yaml

from fascicle.model.budget import Budget
from fascicle.source import cache
from fascicle.source.parts import PARTS


class _Dumper(yaml.SafeDumper):
    pass


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _decimal)


def dump_part(value: Any) -> str:
    """YAML text of one part, keys in model order, figures exact."""
    data = value.model_dump(mode="python", exclude_defaults=True)
    if not isinstance(data, dict) or not data or _shares(data):
        return _dump(data)
    # A part's text is the text of each of its top-level fields in turn, so the fields an edit did not change are
    # not written out again (PyYAML's pure-Python emitter took most of an edit of the plan): a field's text is
    # remembered by the repr of its values, which tells apart everything the dumper writes differently (1.0 and
    # 1.00, 1 and "1" and True). Only when no value object appears twice, since the dumper would write an
    # anchor and an alias for it, numbered across the whole part.
    pieces = []
    for key, item in data.items():
        memo = hashlib.sha256(repr((key, item)).encode("utf-8", "surrogatepass")).hexdigest()
        piece = _PIECES.get(memo)
        if piece is None:
            piece = _dump({key: item})
            _PIECES.put(memo, piece, len(piece))
        pieces.append(piece)
    return "".join(pieces)


_PIECES: cache.Recent[str] = cache.Recent(8_000_000)
"""The YAML text of one top-level field of a part, by the sha256 of the repr of its key and values."""


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000)


def _shares(data: Any) -> bool:
    """Whether an object the dumper would write once and then refer to by an alias occurs twice in `data` (the
    values SafeRepresenter.ignore_aliases lets through: all but None, (), text, bytes, bools and numbers other
    than Decimal)."""
    seen: set[int] = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if item is None or isinstance(item, str | bytes | bool | int | float) or (isinstance(item, tuple)
                                                                                  and item == ()):
            continue
        if id(item) in seen:
            return True
        seen.add(id(item))
        if isinstance(item, dict):
            stack.extend(item.values())
            stack.extend(item.keys())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


def write(budget: Budget, root: FilePath | str) -> None:
    """Write every part into `root`; each file is replaced whole or not at all."""
    directory = FilePath(root)
    directory.mkdir(parents=True, exist_ok=True)
    for name, file_name in PARTS.items():
        value = getattr(budget, name)
        if value is not None:
            _replace(directory / file_name, dump_part(value))


def _replace(file: FilePath, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        # mkstemp makes the file private (0600); a source file is shared like any other text file.
        os.chmod(temporary, 0o644)
        os.replace(temporary, file)
    except BaseException:
        os.unlink(temporary)
        raise
