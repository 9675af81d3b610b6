"""YAML to plain Python values, remembering the line and column of every value.

Numbers with a fraction become Decimal straight from their text, so no figure ever
passes through a binary float; exponents, infinities and duplicate keys are refused.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import yaml

Path = tuple[str | int, ...]
Positions = dict[Path, tuple[int, int]]

_DECIMAL = re.compile(r"^[-+]?(\d+\.\d*|\.\d+)$")
_INT = re.compile(r"^[-+]?\d+$")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
    positions: Positions = {}
    if node is None:
        return None, positions
    return _value(node, (), positions), positions


def _value(node: yaml.Node, path: Path, positions: Positions) -> Any:
    positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        return _mapping(node, path, positions)
    if isinstance(node, yaml.SequenceNode):
        return [_value(child, (*path, index), positions) for index, child in enumerate(node.value)]
    return _scalar(node, path)


def _mapping(node: yaml.MappingNode, path: Path, positions: Positions) -> dict[Any, Any]:
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = _scalar(key_node, path)
        if key in result:
            mark = key_node.start_mark
            raise TreeError(mark.line + 1, mark.column + 1, (*path, key), f"duplicate key {key!r}")
        result[key] = _value(value_node, (*path, key), positions)
    return result


def _scalar(node: yaml.Node, path: Path) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        mark = node.start_mark
        raise TreeError(mark.line + 1, mark.column + 1, path, "a key must be a plain value")
    text, tag = node.value, node.tag
    if tag == "tag:yaml.org,2002:int":
        if not _INT.match(text):
            raise _refuse(node, path, f"{text!r}: write whole numbers in decimal digits")
        return int(text)
    if tag == "tag:yaml.org,2002:float":
        if not _DECIMAL.match(text):
            raise _refuse(node, path, f"{text!r}: write figures as plain decimals (no exponent, inf or nan)")
        return Decimal(text)
    if tag == "tag:yaml.org,2002:bool":
        return text.lower() in ("true", "yes", "on")
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp", "!"):
        return text
    raise _refuse(node, path, f"unsupported YAML tag {tag}")


def _refuse(node: yaml.Node, path: Path, message: str) -> TreeError:
    return TreeError(node.start_mark.line + 1, node.start_mark.column + 1, path, message)
