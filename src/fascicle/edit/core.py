"""Edits of a section's part texts as one pure operation: compare, set, validate, dump, load, check.

A section is held as its part texts (part name -> YAML text). `apply` takes a base and edits and returns the
canonical texts after all of them, with the budget loaded from those texts and every check's findings, or raises
and returns nothing: the base is never changed in place, so nothing can be half-applied.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, get_origin

from pydantic import BaseModel, ValidationError

from fascicle.checks.finding import Finding
from fascicle.checks.registry import run_checks
from fascicle.compute.memo import Recent
from fascicle.edit.paths import Path, PathError, bare, child, is_mapping, is_model, parse
from fascicle.model.base import field_path
from fascicle.source.errors import LoadError, SourceError
from fascicle.source.files import FORBIDDEN, FileRefused, accept_text, describe
from fascicle.source.load import Loaded, load_texts, parse_remembered, remember_text
from fascicle.source.parts import OPTIONAL_PARTS, PARTS, part_model
from fascicle.source.validate import SourceErrors
from fascicle.source.write import dump_part
from fascicle.source.yaml_tree import MAX_DIGITS, TreeError, read_tree

_DECIMAL = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)$")
_WHOLE = re.compile(r"^[-+]?\d+$")


@dataclass(frozen=True)
class Edit:
    """One value to change in one part: `old` is what the editor read (None, or "" from a form: absent), `new`
    what to set there (None deletes a mapping key; a path one past the end of a list appends)."""

    part: str
    path: str
    old: object
    new: object
    language: str | None = None


class EditError(ValueError):
    """An edit that cannot be applied: its part and field path, and why."""

    def __init__(self, part: str, path: str, message: str, language: str | None = None) -> None:
        self.part, self.path, self.message, self.language = part, path, message, language
        where = f"{_cut(part)}: {_cut(path)}" if path else _cut(part)
        super().__init__(f"{where}{f' ({language})' if language else ''}: {message}")


class Conflict(EditError):
    """The value at the path is no longer the one the editor read; `current` is what it is now."""

    def __init__(self, part: str, path: str, current: object, old: object, language: str | None = None) -> None:
        self.current = current
        super().__init__(part, path, f"changed since it was read: it is now {_show(current)}, not {_show(old)}",
                         language)


@dataclass(frozen=True)
class Applied:
    """The section after a set of edits: canonical texts, the changes made, the budget and its findings."""

    texts: dict[str, str]
    changes: tuple[tuple[str, str, object, object], ...]
    loaded: Loaded
    findings: list[Finding]


def canonical(texts: Mapping[str, str]) -> dict[str, str]:
    """The texts re-dumped as source.write writes them; raise LoadError as load_texts does."""
    loaded = load_texts(texts)
    out: dict[str, str] = {}
    for name in PARTS:
        if name in texts:
            text = texts[name]
            out[name] = _remembered(name, text) or _remember(name, text, dump_part(getattr(loaded.budget, name)))
    return out


def value_at(texts: Mapping[str, str], part: str, path: str) -> object:
    """The value at a field path as the part's YAML holds it (None when absent); raise EditError for a path that
    names nothing."""
    tree = part_tree(texts, part)
    resolved, _ = _resolve(part, tree, path)
    found, value = _lookup(tree, resolved)
    return value if found else None


def apply(texts: Mapping[str, str], edits: Sequence[Edit]) -> Applied:
    """Apply every edit in turn, or none: raise Conflict or EditError, else the new texts, checked."""
    if isinstance(edits, Edit) or not isinstance(edits, Sequence):
        raise EditError("", "", f"the edits are a sequence of Edit, not {type(edits).__name__}")
    edits = list(edits)
    trees: dict[str, Any] = {}
    touched: dict[str, list[Path]] = {}
    changes: list[tuple[str, str, object, object]] = []
    for edit in edits:
        if not isinstance(edit, Edit):
            raise EditError("", "", f"an edit is an Edit, not {type(edit).__name__}")
        _known_part(edit.part, edit.path)
        if edit.part not in trees:
            trees[edit.part] = part_tree(texts, edit.part)
        tree = trees[edit.part]
        resolved, annotations = _resolve(edit.part, tree, edit.path, edit.language)
        where = field_path(resolved)
        found, current = _lookup(tree, resolved)
        if not _same(edit.old, current if found else None):
            raise Conflict(edit.part, where, current if found else None, edit.old, edit.language)
        new = _coerce(edit.new, annotations[-1], edit, resolved)
        if new is None and not found:
            continue
        # The tree gets its own copy: a later edit of the batch inside it must not change what `changes` says.
        trees[edit.part] = _put(tree, resolved, annotations, copy.deepcopy(new), edit)
        touched.setdefault(edit.part, []).append(resolved)
        if repr(new) != repr(current if found else None):
            changes.append((edit.part, where, current if found else None, new))
    after: dict[str, str] = {}
    for name, text in texts.items():
        if name in touched or name not in PARTS:
            after[name] = text
        else:
            after[name] = _canonical_part(name, text)
    for name in touched:
        after[name] = _remember(name, None, dump_part(_validate(name, trees[name], touched[name])))
        _read_new(name, after[name])
    ordered = {name: after[name] for name in [*PARTS, *after] if name in after}
    try:
        loaded = load_texts(ordered)
    except LoadError as error:
        raise _from_source(error.errors) from error
    return Applied(ordered, tuple(changes), loaded, run_checks(loaded.budget))


# --- parts as plain trees -----------------------------------------------------------------------------------------

def _known_part(part: object, path: object) -> None:
    if not isinstance(part, str) or part not in PARTS:
        raise EditError(str(part), str(path), f"no such part (the parts are {', '.join(PARTS)})")


def part_tree(texts: Mapping[str, str], part: str) -> Any:
    """A part's text as the plain values of its YAML (an absent optional part is empty); raise EditError."""
    _known_part(part, "")
    if part not in texts:
        if part in OPTIONAL_PARTS:
            # An optional part may be started by an edit; its model says what it needs.
            return {}
        raise EditError(part, "", "the section has no text of this part")
    text = texts[part]
    key = _memo_key(part, text) if isinstance(text, str) else ""
    tree = _TREES.get(key) if key else None
    if tree is None:
        try:
            tree, _ = read_tree(accept_text(text, PARTS[part]))
        except FileRefused as refused:
            raise _from_source([refused.error]) from None
        except TreeError as error:
            raise EditError(part, field_path(error.path), f"line {error.line}: {error.message}") from None
        if not isinstance(tree, dict):
            raise EditError(part, "", "the part's text is not a mapping of fields")
        _TREES.put(key, tree, len(text))
    # Edits change the tree in place; the one remembered stays as the text says. A copy is a tenth of a parse.
    return copy.deepcopy(tree)


def _read_new(part: str, text: str) -> None:
    """Read the new text of an edited part once, for the loader's memo and this module's memo of trees (the next
    edit of the part reads its tree); a text the loader refuses is left for load_texts to report."""
    try:
        tree = remember_text(accept_text(text, PARTS[part]), PARTS[part], part_model(part))
    except (FileRefused, SourceErrors):
        return
    if isinstance(tree, dict):
        _TREES.put(_memo_key(part, text), tree, len(text))


def _resolve(part: str, tree: Any, path: object, language: str | None = None) -> tuple[Path, tuple[Any, ...]]:
    try:
        return parse(part_model(part), tree, path)
    except PathError as error:
        raise EditError(part, str(path), error.message, language) from None


def _lookup(tree: Any, path: Path) -> tuple[bool, Any]:
    node = tree
    for key in path:
        if isinstance(key, str) and isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(key, int) and isinstance(node, list) and key < len(node):
            node = node[key]
        else:
            return False, None
    return True, node


def _put(tree: Any, path: Path, annotations: tuple[Any, ...], new: Any, edit: Edit) -> Any:
    """Set `new` at `path` in the tree, making the mappings on the way that are absent."""
    node = tree
    for depth, key in enumerate(path):
        last = depth == len(path) - 1
        here = field_path(path[:depth + 1])
        if isinstance(key, int):
            if not isinstance(node, list):
                raise EditError(edit.part, here, "not a list in the part's text", edit.language)
            if key > len(node) or (key == len(node) and not last):
                raise EditError(edit.part, here, f"{field_path(path[:depth]) or 'the list'} has {len(node)} items "
                                                 f"(indices 0 to {len(node) - 1}; {len(node)} appends one)",
                                edit.language)
            if last:
                if new is None:
                    # Deleting an item would renumber the ones after it under every other editor's paths.
                    raise EditError(edit.part, here, "an item of a list cannot be deleted by an edit",
                                    edit.language)
                if key == len(node):
                    node.append(new)
                else:
                    node[key] = new
                return tree
            node = node[key]
            continue
        if not isinstance(node, dict):
            raise EditError(edit.part, here, "not a mapping in the part's text", edit.language)
        if last:
            if new is None:
                node.pop(key, None)
            else:
                node[key] = new
            return tree
        if node.get(key) is None:
            if not is_mapping(annotations[depth]):
                raise EditError(edit.part, here, "is absent: add the whole list first", edit.language)
            node[key] = {}
        node = node[key]
    return tree


def _validate(part: str, tree: Any, edited: list[Path]) -> BaseModel:
    try:
        return part_model(part).model_validate(tree)
    except ValidationError as error:
        details = error.errors(include_url=False)
        blamed = _blame(tuple(details[0]["loc"]), edited)
        problems = []
        for detail in details[:5]:
            loc = field_path(tuple(detail["loc"]))
            message = detail["msg"]
            if detail["type"] == "is_instance_of" and "Decimal" in message:
                message = "expected a decimal figure"
            problems.append(message if loc == blamed else f"{loc or 'the part'}: {message}")
        more = f" (and {len(details) - 5} more)" if len(details) > 5 else ""
        raise EditError(part, blamed, "; ".join(problems) + more) from None


def _blame(loc: Path, edited: list[Path]) -> str:
    """The edited path a model error belongs to: the latest edit at, above or below where the model objects."""
    for path in reversed(edited):
        if loc[:len(path)] == path or path[:len(loc)] == loc:
            return field_path(path)
    return field_path(loc)


def _from_source(errors: list[SourceError]) -> EditError:
    first = errors[0]
    part = next((name for name, file in PARTS.items() if file == first.file), first.file)
    rest = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    return EditError(part, first.field, f"line {first.line}: {first.message}{rest}")


# --- canonical texts ----------------------------------------------------------------------------------------------

# The canonical text of a part text already seen: a web edit's base is canonical, and re-dumping all thirteen
# parts of ITC costs about 70 ms of pure-Python YAML, four times the rest of an edit.
_CANONICAL: Recent[str] = Recent(16_000_000)
# The plain trees of part texts, so that reading values for display and editing parse a text once.
_TREES: Recent[dict[str, Any]] = Recent(4_000_000)


def _memo_key(name: str, text: str) -> str:
    return hashlib.sha256(f"{name}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


def _remembered(name: str, text: str) -> str | None:
    return _CANONICAL.get(_memo_key(name, text))


def _remember(name: str, text: str | None, result: str) -> str:
    # A dumped text is its own canonical form: dumping what it loads to gives it back.
    _CANONICAL.put(_memo_key(name, result), result, len(result))
    if text is not None and text != result:
        _CANONICAL.put(_memo_key(name, text), result, len(result))
    return result


def _canonical_part(name: str, text: str) -> str:
    found = _remembered(name, text) if isinstance(text, str) else None
    if found is not None:
        return found
    file = PARTS[name]
    try:
        value, _ = parse_remembered(accept_text(text, file), file, part_model(name))
    except FileRefused as refused:
        raise _from_source([refused.error]) from None
    except SourceErrors as error:
        raise _from_source(error.errors) from None
    return _remember(name, text, dump_part(value))


# --- values -------------------------------------------------------------------------------------------------------

def _number(value: object) -> Decimal | None:
    """A value read as a figure for comparing, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, float):
        # An editor's float compares by the digits it shows, which are the digits it read.
        return Decimal(repr(value)) if value == value and abs(value) != float("inf") else None
    if isinstance(value, str) and _DECIMAL.match(value) and len(value) <= 2 * MAX_DIGITS:
        return Decimal(value)
    return None


def _same(old: object, current: object) -> bool:
    """Whether what the editor read is what the part holds, figures compared by value (1202.2 == 1202.20)."""
    if old is None or current is None:
        # A form cannot send None: an empty field read as empty is the absent value it showed.
        return old in (None, "") and current in (None, "")
    if isinstance(current, bool) or isinstance(old, bool):
        return type(old) is type(current) and old == current
    if isinstance(current, int | Decimal):
        number = _number(old)
        return number is not None and number == current
    if isinstance(current, dict):
        return (isinstance(old, Mapping) and set(old) == set(current)
                and all(_same(old[key], current[key]) for key in current))
    if isinstance(current, list):
        return (isinstance(old, list | tuple) and len(old) == len(current)
                and all(_same(a, b) for a, b in zip(old, current, strict=True)))
    return type(old) is type(current) and old == current


def _coerce(value: object, annotation: Any, edit: Edit, path: Path) -> Any:
    """`value` as the part's YAML would hold it at a place of type `annotation`; raise EditError for a value of
    the wrong kind."""
    def refuse(message: str) -> EditError:
        return EditError(edit.part, field_path(path), message, edit.language)

    if value is None:
        return None
    kind = bare(annotation)
    if isinstance(value, float):
        raise refuse(f"{value!r} is a binary float: give a figure as a decimal string or a Decimal")
    if kind is Decimal:
        return _figure(value, refuse)
    if kind is int:
        return _whole(value, refuse)
    if kind is bool:
        if not isinstance(value, bool):
            raise refuse(f"expected true or false, not {_show(value)}")
        return value
    if kind is str or get_origin(kind) is Literal:
        if not isinstance(value, str):
            raise refuse(f"expected text, not {_show(value)}")
        return _text(value, refuse)
    if is_model(kind) or get_origin(kind) is dict:
        if not isinstance(value, Mapping):
            raise refuse(f"expected a mapping of {'fields' if is_model(kind) else 'keys'}, not {_show(value)}")
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise refuse(f"a key must be text, not {_show(key)}")
            _text(key, refuse)
            try:
                inner = child(kind, key, path)
            except PathError as error:
                raise refuse(error.message) from None
            out[key] = _coerce(item, inner, edit, (*path, key))
        return out
    if get_origin(kind) in (tuple, list):
        if not isinstance(value, list | tuple):
            raise refuse(f"expected a list, not {_show(value)}")
        items = []
        for index, item in enumerate(value):
            try:
                inner = child(kind, index, path)
            except PathError as error:
                raise refuse(error.message) from None
            items.append(_coerce(item, inner, edit, (*path, index)))
        return items
    if isinstance(value, str):
        # A date, say: the model reads it from text as the loader's tree gives it.
        return _text(value, refuse)
    raise refuse(f"{_show(value)} is not a value a part can hold")


def _figure(value: object, refuse: Callable[[str], EditError]) -> Decimal:
    if isinstance(value, bool):
        raise refuse(f"expected a figure, not {value}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        if not _DECIMAL.match(value) or sum(char.isdigit() for char in value) > MAX_DIGITS:
            raise refuse(f"expected a figure written as plain decimal digits with an optional point (1202.2), "
                         f"not {value[:40]!r}")
        return Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise refuse(f"{value} is not a figure")
        # 1E+3 would be written 1000 and read back with another exponent: keep the written form.
        try:
            return Decimal(format(value, "f"))
        except InvalidOperation:
            raise refuse("a figure with too many digits") from None
    raise refuse(f"expected a figure, not {_show(value)}")


def _whole(value: object, refuse: Callable[[str], EditError]) -> int:
    if isinstance(value, bool):
        raise refuse(f"expected a whole number, not {value}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _WHOLE.match(value) and len(value) <= MAX_DIGITS:
        return int(value)
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value() \
            and value.as_tuple().exponent == 0:
        return int(value)
    raise refuse(f"expected a whole number, not {_show(value)}")


def _text(value: str, refuse: Callable[[str], EditError]) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise refuse(f"U+{ord(value[error.start]):04X} is not a character (a lone surrogate)") from None
    found = FORBIDDEN.search(value)
    if found:
        raise refuse(f"{describe(found.group())} is not allowed in text")
    return value


def _cut(text: object) -> str:
    # A part or path comes from the client: an error echoes a bounded piece of it.
    shown = str(text)
    return shown if len(shown) <= 200 else shown[:197] + "..."


def _show(value: object) -> str:
    if value is None:
        return "absent"
    if isinstance(value, Decimal):
        return format(value, "f")
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 80 else text[:77] + "..."

