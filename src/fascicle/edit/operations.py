"""The edits a budget officer makes, named as the document names things: each function reads the base texts the
editor saw and returns the Edits to pass to `apply`, with `old` read from that base, so that compare-and-set
holds across the human round trip. Nothing is applied here; a name that matches nothing raises EditError.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from fascicle.edit.core import Edit, EditError, part_tree, value_at
from fascicle.edit.paths import Path, PathError, bare, parse
from fascicle.model.base import field_path
from fascicle.model.text import LANGUAGES, Text
from fascicle.source.parts import part_model

Texts = Mapping[str, str]


def set_value(texts: Texts, part: str, path: str, value: object, language: str | None = None) -> list[Edit]:
    """Set any one value (a figure, a count, a text in one language) at a field path."""
    return [Edit(part, path, value_at(texts, part, path), value, language)]


def set_line_value(texts: Texts, fund: str, line: str, period: str, value: object) -> list[Edit]:
    """Set a resources line's figure for a period (fund: regular, extrabudgetary or un_grant; line: its id)."""
    found = _line(part_tree(texts, "resources"), fund, line)
    return set_value(texts, "resources", field_path((*found, "values", period)), value)


def set_post_count(texts: Texts, unit: str, source: str, period: str, grade: str, count: object) -> list[Edit]:
    """Set the number of posts of a grade in a unit, source of funds and period; 0 leaves the grade out, as the
    seed writes it, and a unit without posts yet in that period and source gets its row."""
    tree = part_tree(texts, "posts")
    row = _staffing_row(tree, unit, source, period)
    new = None if count == 0 and not isinstance(count, bool) else count
    if row is None:
        if new is None:
            return []
        index = len(tree.get("staffing") or [])
        return [Edit("posts", f"staffing[{index}]", None,
                     {"period": period, "source": source, "unit": unit, "grades": {grade: new}})]
    return set_value(texts, "posts", field_path(("staffing", row, "grades", grade)), new)


def set_deliverable_quantity(texts: Texts, number: int, period: str, quantity: object) -> list[Edit]:
    """Set the quantity of deliverable `number` (as Table 13.2 numbers it) for a period."""
    path = _deliverable(part_tree(texts, "deliverables"), number)
    return set_value(texts, "deliverables", field_path((*path, "quantities", period)), quantity)


def set_measure_value(texts: Texts, measure: str, period: str, value: object) -> list[Edit]:
    """Set a performance measure's figure for a period (measure: its id, e.g. r1.users)."""
    path = _measure(part_tree(texts, "performance"), measure)
    return set_value(texts, "performance", field_path((*path, "values", period)), value)


def add_measure_value(texts: Texts, measure: str, period: str, value: object) -> list[Edit]:
    """Add a measure's figure for a period it has no figure for yet (a new target, an actual)."""
    path = field_path((*_measure(part_tree(texts, "performance"), measure), "values", period))
    if value_at(texts, "performance", path) is not None:
        raise EditError("performance", path, f"measure {measure} already has a figure for {period}: set it instead")
    return [Edit("performance", path, None, value)]


def set_text(texts: Texts, part: str, path: str, language: str, text: str) -> list[Edit]:
    """Set a text (any Text field, named by its path, e.g. objective[0].text) in one language."""
    if language not in LANGUAGES:
        raise EditError(part, path, f"no language {language!r} (the languages are {', '.join(LANGUAGES)})")
    try:
        resolved, annotations = parse(part_model(part), part_tree(texts, part), path)
    except PathError as error:
        raise EditError(part, str(path), error.message, language) from None
    if bare(annotations[-1]) is not Text:
        raise EditError(part, path, "not a text in six languages", language)
    return set_value(texts, part, field_path((*resolved, language)), text, language)


def rename_unit(texts: Texts, unit: str, language: str, name: str) -> list[Edit]:
    """Rename a unit of the structure (Annex I) in one language; its id, and so its posts, stay."""
    units = part_tree(texts, "structure").get("units") or []
    index = next((i for i, item in enumerate(units) if isinstance(item, dict) and item.get("id") == unit), None)
    if index is None:
        raise EditError("structure", "units", f"no unit {unit!r} (the units are {_ids(units)})", language)
    return set_text(texts, "structure", f"units[{index}].name", language, name)


def add_deliverable(texts: Texts, subcategory: str, title: Mapping[str, str],
                    quantities: Mapping[str, object]) -> list[Edit]:
    """Add a deliverable at the end of a subcategory (by id); it takes the next number in table order and the
    deliverables after it move up by one, so Table 13.2 stays numbered 1, 2, 3..."""
    tree = part_tree(texts, "deliverables")
    subs = {_subcategory_id(tree, path): (path, sub) for path, sub in _subcategories(tree)}
    if subcategory not in subs:
        ids = ", ".join(map(str, subs))
        raise EditError("deliverables", "categories", f"no subcategory {subcategory!r} (the subcategories are {ids})")
    place, sub = subs[subcategory]
    last, later = 0, []
    for path, item in _items(tree):
        if _order(path) > _order(place):
            later.append((path, item))
        else:
            last = _number(item)
    edits = [Edit("deliverables", field_path((*place, "items", len(sub.get("items") or []))), None,
                  {"number": last + 1, "title": dict(title), "quantities": dict(quantities)})]
    edits += [Edit("deliverables", field_path((*path, "number")), item["number"], item["number"] + 1)
              for path, item in later if _number(item)]
    return edits


def move_posts(texts: Texts, *, number: int, grade: str, source: str, period: str, from_unit: str,
               to_unit: str) -> list[Edit]:
    """Move `number` posts of a grade, source of funds and period from one unit to another (a redeployment): the
    totals by grade stay. The receiving unit gets its row if it has none yet."""
    if isinstance(number, bool) or not isinstance(number, int) or number <= 0:
        raise EditError("posts", "staffing", f"the number of posts to move is a whole number above 0, not {number!r}")
    if from_unit == to_unit:
        raise EditError("posts", "staffing", f"posts move from one unit to another, not from {from_unit} to itself")
    units = part_tree(texts, "structure").get("units") or []
    if not any(isinstance(item, dict) and item.get("id") == to_unit for item in units):
        raise EditError("posts", "staffing", f"no unit {to_unit!r} in the structure (the units are {_ids(units)})")
    tree = part_tree(texts, "posts")
    row = _staffing_row(tree, from_unit, source, period)
    grades = tree["staffing"][row].get("grades") if row is not None else None
    held = grades.get(grade, 0) if isinstance(grades, dict) else 0
    if row is None or not isinstance(held, int) or held < number:
        raise EditError("posts", f"staffing[{row}].grades.{grade}" if row is not None else "staffing",
                        f"{from_unit} has {held if row is not None else 0} {grade} posts ({source}, {period}), "
                        f"fewer than the {number} to move")
    left = held - number
    edits = [Edit("posts", f"staffing[{row}].grades.{grade}", held, left or None)]
    target = _staffing_row(tree, to_unit, source, period)
    if target is None:
        edits.append(Edit("posts", f"staffing[{len(tree['staffing'])}]", None,
                          {"period": period, "source": source, "unit": to_unit, "grades": {grade: number}}))
    else:
        there = tree["staffing"][target].get("grades") or {}
        edits.append(Edit("posts", f"staffing[{target}].grades.{grade}", there.get(grade),
                          (there.get(grade) or 0) + number))
    return edits


# --- finding things by the names the document uses ----------------------------------------------------------------

def _line(tree: Any, fund: str, line: str) -> Path:
    funds = [key for key, value in tree.items() if isinstance(value, dict) and "lines" in value]
    if fund not in funds:
        raise EditError("resources", fund, f"no fund {fund!r} (the funds are {', '.join(funds)})")
    lines = list(_walk_lines(tree[fund].get("lines") or [], (fund, "lines")))
    found = [path for path, item in lines if item.get("id") == line]
    if not found:
        ids = ", ".join(str(item.get("id")) for _, item in lines)
        raise EditError("resources", field_path((fund, "lines")), f"no line {line!r} (the lines are {ids})")
    return found[0]


def _walk_lines(lines: list[Any], path: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    for index, item in enumerate(lines):
        if isinstance(item, dict):
            yield (*path, index), item
            yield from _walk_lines(item.get("lines") or [], (*path, index, "lines"))


def _staffing_row(tree: Any, unit: str, source: str, period: str) -> int | None:
    rows = tree.get("staffing") or []
    return next((index for index, row in enumerate(rows) if isinstance(row, dict) and row.get("unit") == unit
                 and row.get("source") == source and row.get("period") == period), None)


def _subcategories(tree: Any) -> Iterator[tuple[Path, dict[str, Any]]]:
    for c, category in enumerate(tree.get("categories") or []):
        for s, sub in enumerate(category.get("subcategories") or [] if isinstance(category, dict) else []):
            if isinstance(sub, dict):
                yield ("categories", c, "subcategories", s), sub


def _subcategory_id(tree: Any, path: Path) -> object:
    return tree["categories"][path[1]]["subcategories"][path[3]].get("id")


def _items(tree: Any) -> Iterator[tuple[Path, dict[str, Any]]]:
    for path, sub in _subcategories(tree):
        for index, item in enumerate(sub.get("items") or []):
            if isinstance(item, dict):
                yield (*path, "items", index), item


def _order(path: Path) -> tuple[int, int]:
    # The (category, subcategory) indices of a subcategory or item path: their order is the table's.
    return int(path[1]), int(path[3])


def _number(item: dict[str, Any]) -> int:
    number = item.get("number")
    return number if isinstance(number, int) and not isinstance(number, bool) else 0


def _deliverable(tree: Any, number: int) -> Path:
    for path, item in _items(tree):
        if item.get("number") == number and not isinstance(number, bool):
            return path
    raise EditError("deliverables", "categories", f"no deliverable numbered {number!r}")


def _measure(tree: Any, measure: str) -> Path:
    performance = tree.get("performance") or {}
    groups: list[tuple[Path, list[Any]]] = [(("performance", "measures"), performance.get("measures") or [])]
    groups += [(("results", r, "measures"), result.get("measures") or [])
               for r, result in enumerate(tree.get("results") or []) if isinstance(result, dict)]
    for path, measures in groups:
        for index, item in enumerate(measures):
            if isinstance(item, dict) and item.get("id") == measure:
                return (*path, index)
    raise EditError("performance", "results", f"no measure {measure!r}")


def _ids(items: list[Any]) -> str:
    return ", ".join(str(item.get("id")) for item in items if isinstance(item, dict))
