"""YAML to plain Python values, remembering the line and column of every value.

Numbers with a fraction become Decimal straight from their text, so no figure ever
passes through a binary float; exponents, infinities and duplicate keys are refused.
The text is untrusted: aliases may not expand past the size of the file, nor refer to
themselves, keys are text, and no value may carry a character that no output can hold.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import yaml

from fascicle.source.files import FORBIDDEN, describe, text_position

Path = tuple[str | int, ...]
Positions = dict[Path, tuple[int, int]]

_DECIMAL = re.compile(r"^[-+]?(\d+\.\d*|\.\d+)$")
_INT = re.compile(r"^[-+]?\d+$")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DIGITS = 24
"""More digits than any figure of a budget needs (the model's ranges are narrower); Python refuses to turn
4,300 digits into an int, and Decimal arithmetic keeps 28."""
MAX_DEPTH = 64
"""Far deeper than any part's shape; a deeper tree can only come from an alias that refers to itself."""
SLACK = 1000


class TreeError(Exception):
    """A problem in the YAML text itself, with its 1-based line and column."""

    def __init__(self, line: int, column: int, path: Path, message: str) -> None:
        self.line, self.column, self.path, self.message = line, column, path, message
        super().__init__(message)


def read_tree(text: str) -> tuple[Any, Positions]:
    """Parse YAML text into plain values and the position of each value by its path."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise TreeError(line, column, (), f"not valid YAML: {error.problem}") from None
    except yaml.reader.ReaderError as error:
        line, column = text_position(text, error.position)
        raise TreeError(line, column, (), f"not valid YAML: {error.reason}") from None
    except yaml.YAMLError as error:
        raise TreeError(1, 1, (), f"not valid YAML: {error}") from None
    positions: Positions = {}
    if node is None:
        return None, positions
    # Without aliases a file cannot hold more values than characters; with them it could hold billions.
    walk = _Walk(len(text) + SLACK, positions)
    return walk.value(node, ()), positions


class _Walk:
    """One walk over a composed node tree, counting the values it produces."""

    def __init__(self, budget: int, positions: Positions) -> None:
        self.budget, self.positions = budget, positions
        self.open: set[int] = set()

    def value(self, node: yaml.Node, path: Path) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _refuse(node, path, "aliases expand to more values than the file holds; write the values out "
                                      "instead of repeating an alias")
        if len(path) > MAX_DEPTH or id(node) in self.open:
            raise _refuse(node, path, "an alias refers to a value that contains it, or the values nest deeper "
                                      f"than {MAX_DEPTH} levels")
        self.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node, path)
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, path)
            return [self.value(child, (*path, index)) for index, child in enumerate(node.value)]
        finally:
            self.open.discard(id(node))

    def mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _key(key_node, path)
            if key in result:
                raise _refuse(key_node, (*path, key), f"duplicate key {key!r}")
            result[key] = self.value(value_node, (*path, key))
        return result


def _key(node: yaml.Node, path: Path) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise _refuse(node, path, "a key must be a plain value")
    key = _scalar(node, path)
    if not isinstance(key, str):
        # A comma inside {...} separates entries, so `{a: 28,505.3}` makes 505.3 a key.
        raise _refuse(node, path, f"key {node.value!r} is not text: quote it, and write figures without "
                                  "thousands separators")
    return key


def _scalar(node: yaml.ScalarNode, path: Path) -> Any:
    text, tag = node.value, node.tag
    if tag == "tag:yaml.org,2002:int":
        if not _INT.match(text):
            raise _refuse(node, path, f"{text!r}: write whole numbers in decimal digits")
        _digits(node, path, text)
        return int(text)
    if tag == "tag:yaml.org,2002:float":
        if not _DECIMAL.match(text):
            raise _refuse(node, path, f"{text!r}: write figures as plain decimals (no exponent, inf or nan)")
        _digits(node, path, text)
        return Decimal(text)
    if tag == "tag:yaml.org,2002:bool":
        return text.lower() in ("true", "yes", "on")
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp", "!"):
        # An escape in quotes ("\x01", "\0") makes a character the file itself may not hold.
        found = FORBIDDEN.search(text)
        if found:
            raise _refuse(node, path, f"{describe(found.group())} is not allowed in text")
        return text
    raise _refuse(node, path, f"unsupported YAML tag {tag}")


def _digits(node: yaml.ScalarNode, path: Path, text: str) -> None:
    if sum(char.isdigit() for char in text) > MAX_DIGITS:
        raise _refuse(node, path, f"{text[:12]}…: more than {MAX_DIGITS} digits")


def _refuse(node: yaml.Node, path: Path, message: str) -> TreeError:
    return TreeError(node.start_mark.line + 1, node.start_mark.column + 1, path, message)
