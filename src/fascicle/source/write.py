"""Write a section back to its directory of YAML files, in the same shape the loader reads."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from decimal import Decimal
from pathlib import Path as FilePath
from typing import Any

import yaml

from fascicle.compute.memo import Recent
from fascicle.model.budget import Budget
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
    return _dump_fields(value.model_dump(mode="python", exclude_defaults=True))


def _dump_fields(data: Any) -> str:
    """`data` as yaml.dump writes it, field by field where that gives the same text."""
    if not isinstance(data, dict) or not data or _shares(data):
        return _dump(data)
    # A part's text is the text of each of its top-level fields in turn, so the fields an edit did not change are
    # not written out again (PyYAML's pure-Python emitter took most of an edit of the plan): a field's text is
    # remembered by the repr of its values, which tells apart everything the dumper writes differently (1.0 and
    # 1.00, 1 and "1" and True). Only when no value object appears twice, since the dumper would write an
    # anchor and an alias for it, numbered across the whole part.
    pieces = []
    for key, item in data.items():
        memo = _memo_key(("field", key, item))
        piece = _PIECES.get(memo)
        if piece is None:
            piece = _list_field(key, item) if isinstance(item, list | tuple) and len(item) > 1 else None
            piece = _dump({key: item}) if piece is None else piece
            _PIECES.put(memo, piece, len(piece))
        pieces.append(piece)
    return "".join(pieces)


_PIECES: Recent[str] = Recent(8_000_000)
"""The YAML text of one top-level field of a part, or of one item of a top-level list, by the sha256 of the repr
of its key and values."""


def _memo_key(value: Any) -> str:
    return hashlib.sha256(repr(value).encode("utf-8", "surrogatepass")).hexdigest()


def _list_field(key: str, items: Any) -> str | None:
    """A top-level list field written item by item (a list under a top-level key is written without indent, as a
    list alone is: `staffing:` then `- ...` at the start of the line), each item's text remembered; None for a key
    that is not a plain name written as itself, or when the first item does not come out the same both ways (then
    the field is written whole). A key written otherwise (`? ...`, quoted) puts the list elsewhere."""
    if not _NAME.match(key):
        return None
    texts = []
    for item in items:
        memo = _memo_key(("item", item))
        text = _PIECES.get(memo)
        if text is None:
            text = _dump([item])
            _PIECES.put(memo, text, len(text))
        texts.append(text)
    header = f"{key}:\n"
    if _dump({key: [items[0]]}) != header + texts[0]:
        return None
    return header + "".join(texts)


_NAME = re.compile(r"^[a-z_][a-z0-9_]*\Z")


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
