"""Ways to corrupt a YAML source file: bytes, structure, types and sizes, each chosen and placed by a random draw."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import yaml

SCALAR = re.compile(rb"(?<=: )[^\s{}\[\],#][^,}\]\n#]*")
# Values that have broken loaders before: other types, edge numbers, YAML's own syntax, text no output can hold.
VALUES = [
    b"", b"~", b"null", b"true", b"yes", b"-1", b"0", b"0.0", b"-0.0", b"1e3", b"1_000", b"0x1F", b"1:30", b".inf",
    b".nan", b"9" * 30, b"1" + b"0" * 400 + b".0", b"0." + b"0" * 40 + b"1", b"99999999999999.99", b"-99999999999999",
    b"[]", b"{}", b"[1, [2, [3]]]", b"{a: 1}", b'"x"', b"'", b'"', b"\\x01", b'"\\x01"', b'"\\0"', b'"\\uFFFE"',
    b"!!binary aGVsbG8=", b"!!python/object:os.system", b"&a x", b"*a", b"*undefined", b"? x", b"- x", b"|",
    b">-", b"%YAML 1.1", b"---", b"...", b"\t", b"<script>", b"=SUM(A1)", b"2024-02-30", b"2024 proposed",
    b"\xff\xfe", b"\xad", b"\x00", b"\x1b[31m", "\u2028".encode(), "\u202e".encode(), b"28,505.3",
]


def _flip(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    at = rng.randrange(len(data))
    return data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1:]


def _insert(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice(VALUES) + data[at:]


def _cut(data: bytes, rng: random.Random) -> bytes:
    return data[:rng.randrange(len(data) + 1)]


def _lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    at = rng.randrange(len(lines))
    how = rng.randrange(5)
    if how == 0:
        del lines[at]
    elif how == 1:
        lines.insert(at, lines[rng.randrange(len(lines))])
    elif how == 2:
        other = rng.randrange(len(lines))
        lines[at], lines[other] = lines[other], lines[at]
    elif how == 3:
        lines[at] = b" " * rng.choice((1, 2, 3, 4, 8)) + lines[at]
    else:
        lines[at] = lines[at].lstrip()
    return b"\n".join(lines)


def _scalar(data: bytes, rng: random.Random) -> bytes:
    found = list(SCALAR.finditer(data))
    if not found:
        return _insert(data, rng)
    match = rng.choice(found)
    return data[:match.start()] + rng.choice(VALUES) + data[match.end():]


def _grow(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    at = rng.randrange(len(lines))
    return b"\n".join(lines[:at] + [lines[at]] * rng.choice((50, 500)) + lines[at + 1:])


def _aliases(data: bytes, rng: random.Random) -> bytes:
    levels = rng.randrange(2, 12)
    bomb = [b"x0: &x0 [a]"] + [b"x%d: &x%d [%s]" % (i, i, b", ".join([b"*x%d" % (i - 1)] * 10))
                               for i in range(1, levels)]
    return b"\n".join(bomb) + b"\n" + data


MUTATORS: tuple[Callable[[bytes, random.Random], bytes], ...] = (
    _flip, _insert, _cut, _lines, _scalar, _scalar, _scalar, _grow, _aliases)


def corrupt(data: bytes, rng: random.Random, times: int) -> bytes:
    """Apply `times` random mutations to a file's bytes."""
    for _ in range(times):
        data = rng.choice(MUTATORS)(data, rng)
    return data


NUMBERS = [Decimal(0), Decimal(-1), Decimal("0.1"), Decimal("999999999999.9"), Decimal("-999999999999.9"),
           Decimal("1E-6"), Decimal(100), Decimal("100.0001"), Decimal("0.000001")]
TEXTS = ["", " ", "x", "A", "P-4", "rb", "xb", "2024 proposed", "2099 actual", "regular", "total", "UN", "[^1]",
         "[^9]", "13.99", "同", "[/]", "[bold]", ":100:", "<b>", "=1+1", "#read(\"x\")", "$x$", "]", "\u202e",
         "a" * 5000]


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(Decimal, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:float" if "." in format(value, "f") else "tag:yaml.org,2002:int", format(value, "f")))


def _nodes(value: Any, found: list[tuple[Any, Any]]) -> None:
    if isinstance(value, dict):
        for key in list(value):
            found.append((value, key))
            _nodes(value[key], found)
    elif isinstance(value, list):
        for index in range(len(value)):
            found.append((value, index))
            _nodes(value[index], found)


def _replace(value: Any, rng: random.Random, everything: list[tuple[Any, Any]]) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | Decimal):
        return rng.choice([*NUMBERS, int(rng.choice(NUMBERS)), value + rng.choice((-1, 1))])
    if isinstance(value, str):
        # Another string of the same file is most often a valid reference to something else.
        strings = [c[k] for c, k in everything if isinstance(c[k], str)]
        return rng.choice(strings + TEXTS) if strings else rng.choice(TEXTS)
    if isinstance(value, list) and value:
        return rng.choice([value[:-1], [*value, value[0]], list(reversed(value)), []])
    if isinstance(value, dict) and value:
        return {k: v for k, v in value.items() if k != rng.choice(list(value))}
    return None


def tree(data: bytes, rng: random.Random, times: int) -> bytes:
    """Mutate values inside well-formed YAML: the file still parses, its meaning is wrong."""
    from fascicle.source.yaml_tree import read_tree

    value, _ = read_tree(data.decode("utf-8"))
    for _ in range(times):
        everything: list[tuple[Any, Any]] = []
        _nodes(value, everything)
        if not everything:
            break
        container, key = rng.choice(everything)
        if isinstance(container, dict) and rng.random() < 0.15:
            del container[key]
        else:
            container[key] = _replace(container[key], rng, everything)
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False).encode("utf-8")
