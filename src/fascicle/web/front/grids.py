"""Grid editors (issue 9): the resources lines × periods, the posts of one period and source of funds (unit ×
grade), the deliverables × periods and the performance measures × periods, each as one form.

A save compares every posted cell with the value the page was rendered with (its hidden `old`) and sends only
the changed cells, as fascicle.edit Edits read at the revision the page showed, to ONE `service.edit` call: one
revision, compare-and-set on each path. A conflict (409) shows, on each conflicting cell, the other person's value
and who made it, with every value the user typed kept in the inputs; a value the core refuses (400) names its
table, row and column; a refusal is a 403. Cells the user may not edit (service.editable) are read-only text.
Totals are the core's (fascicle.compute), never typed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from fascicle.model.base import STAGES, split_period
from fascicle.model.grades import grade_order
from fascicle.web.budgets import service
from fascicle.web.budgets.models import CATEGORIES, Dataset, Revision
from fascicle.web.front.i18n import label, language
from fascicle.web.front.views import GRIDS as KINDS
from fascicle.web.front.views import _roles, _seed, _where, finding_changes

PARTS = {"resources": "resources", "posts": "posts", "deliverables": "deliverables", "measures": "performance"}
FUNDS = ("regular", "extrabudgetary", "un_grant")
_ZERO = re.compile(r"^[+-]?0+$")


# --- what a grid holds ----------------------------------------------------------------------------------------------


@dataclass
class Cell:
    """One figure of a grid: the form's name for it (`key`), where it is (part, path), its row and column for
    messages, its value at the revision the grid was built from, and what a save left on it."""

    key: str
    part: str
    path: str
    table: str
    row: str
    column: str
    value: str
    ref: tuple[Any, ...] = ()
    """What the edit operation needs to name the cell (fund and line, unit and grade, number and period...)."""
    may_edit: bool = False
    typed: str | None = None
    """What the user typed, kept after a refused save."""
    old: str | None = None
    """The hidden `old` when it is not `value` (after a conflict: the other person's value, to replace it)."""
    conflict: tuple[str, str, str] | None = None
    """(their value, who made it, your value) after a conflict."""
    error: str = ""
    findings: list[Any] = field(default_factory=list)

    @property
    def shown(self) -> str:
        return self.typed if self.typed is not None else self.value

    @property
    def read(self) -> str:
        return self.old if self.old is not None else self.value

    @property
    def changed(self) -> bool:
        return self.typed is not None and not _same(self.typed, self.read, self.part == "posts")

    @property
    def dom_id(self) -> str:
        return "g-" + "".join(c if c.isalnum() else f"-{ord(c):x}-" for c in self.key)

    @property
    def where(self) -> str:
        return f"{self.table} · {self.row} · {self.column}"


@dataclass
class Row:
    """A row of a table: a heading (no cells) or a line of cells aligned with the table's columns."""

    label: str
    cells: list[Cell | None] = field(default_factory=list)
    depth: int = 0
    heading: bool = False
    total: Any = None
    part: str = ""
    path: str = ""
    """Where the row's item is (a line, a staffing row, a deliverable, a measure): findings about the item that are
    within none of its cells are shown on the row."""
    table: str = ""
    findings: list[Any] = field(default_factory=list)

    @property
    def dom_id(self) -> str:
        return "r-" + "".join(c if c.isalnum() else f"-{ord(c):x}-" for c in f"{self.part}:{self.path}")

    @property
    def where(self) -> str:
        return f"{self.table} · {self.label}"


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[Row]
    totals: list[Any] | None = None
    """The column totals (the core's), when the table has them."""
    grand_total: Any = None
    row_totals: bool = False


@dataclass
class Grid:
    kind: str
    tables: list[Table]
    period: str = ""
    source: str = ""
    periods: list[str] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def cells(self) -> list[Cell]:
        return [c for t in self.tables for r in t.rows for c in r.cells if c is not None]

    def rows(self) -> list[Row]:
        return [r for t in self.tables for r in t.rows if r.path]

    @property
    def editable(self) -> bool:
        return any(c.may_edit for c in self.cells())


def _name(text: Any, lang: str, fallback: str) -> str:
    if text is None:
        return fallback
    return getattr(text, lang, None) or text.en or text.zh or fallback


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _period_key(period: str) -> tuple[int, int, str]:
    try:
        year, stage = split_period(period)
    except ValueError:
        return (0, 0, period)
    return (year, STAGES.index(stage), period)


def _number(text: str) -> Decimal | None:
    try:
        found = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return found if found.is_finite() else None


def _same(new: str, old: str, zero_is_empty: bool = False) -> bool:
    """Whether a posted value is the one the page showed: figures by value (29780 is 29780.0); for posts an empty
    cell and 0 are both "none"."""
    new, old = new.strip(), old.strip()
    if zero_is_empty:
        new = "" if _ZERO.match(new) else new
        old = "" if _ZERO.match(old) else old
    if new == old:
        return True
    a, b = _number(new), _number(old)
    return a is not None and b is not None and a == b


# --- the four grids, built from a revision's budget -------------------------------------------------------------------


def _resources(budget: Any, figures: Any, lang: str) -> Grid:
    tables = []
    for fund_name in FUNDS:
        fund = getattr(budget.resources, fund_name)
        caption = f"{_name(fund.name, lang, fund.id)} ({fund.currency})"
        periods = list(fund.periods)
        rows: list[Row] = []

        def walk(lines: Any, prefix: str, depth: int, fund: Any = fund, caption: str = caption,
                 periods: list[str] = periods, rows: list[Row] = rows, fund_name: str = fund_name) -> None:
            for i, line in enumerate(lines):
                path = f"{prefix}lines[{i}]"
                name = _name(line.name, lang, line.id)
                cells: list[Cell | None] = []
                for period in periods:
                    if period in line.values:
                        cells.append(Cell(f"{path}|{period}", "resources", f"{path}.values.{period}", caption, name,
                                          period, _shown(line.values[period]), (fund_name, line.id, period)))
                    else:
                        cells.append(None)
                rows.append(Row(name, cells, depth, part="resources", path=path, table=caption))
                walk(line.lines, f"{path}.", depth + 1)

        walk(fund.lines, f"{fund_name}.", 0)
        totals = [figures.get((f"{fund.id}.total", p)) if figures is not None else None for p in periods]
        tables.append(Table(caption, periods, rows, totals if any(t is not None for t in totals) else None))
    return Grid("resources", tables)


def _posts_choice(budget: Any, period: str, source: str) -> tuple[str, str, list[str], list[str]]:
    """The period and source of funds shown (the asked ones when the section has them, else the plan year's latest
    stage of the regular budget), with the choices."""
    posts = budget.posts
    sources = list(posts.sources) or ["rb", "xb"]
    if source not in sources:
        source = sources[0]
    periods = sorted({s.period for s in posts.staffing}, key=_period_key)
    if period not in periods:
        year = budget.section.year
        own = [p for p in periods if _period_key(p)[0] == year
               and any(s.period == p and s.source == source for s in posts.staffing)]
        period = own[-1] if own else (periods[-1] if periods else f"{year} proposed")
    return period, source, periods, sources


def _posts(budget: Any, lang: str, period: str, source: str) -> Grid:
    from fascicle.compute.posts import by_grade, by_unit, select, total

    period, source, periods, sources = _posts_choice(budget, period, source)
    posts = budget.posts
    grades = sorted({g for s in posts.staffing for g in s.grades}, key=grade_order)
    rows_at = {s.unit: i for i, s in enumerate(posts.staffing) if s.period == period and s.source == source}
    try:
        year = split_period(period)[0]
    except ValueError:
        year = budget.section.year
    units = [u for u in budget.structure.units if year in u.years or u.id in rows_at]
    known = {u.id for u in units}
    caption = f"{label('grid.posts', lang)} · {period} · {_name(posts.sources.get(source), lang, source)}"
    entries = list(select(posts, period, source))
    unit_totals = by_unit(entries)
    rows = []
    for unit in [*units, *(u for u in rows_at if u not in known)]:
        unit_id = unit if isinstance(unit, str) else unit.id
        name = unit_id if isinstance(unit, str) else f"{_name(unit.name, lang, unit_id)} ({unit_id})"
        index = rows_at.get(unit_id)
        cells: list[Cell | None] = []
        for grade in grades:
            if index is None:
                path, value = f"staffing[{len(posts.staffing)}]", ""
            else:
                path, value = f"staffing[{index}].grades.{grade}", _shown(posts.staffing[index].grades.get(grade))
            cells.append(Cell(f"{unit_id}|{grade}", "posts", path, caption, name, grade, value,
                              (unit_id, grade, index)))
        rows.append(Row(name, cells, total=unit_totals.get(unit_id, 0), part="posts",
                        path="" if index is None else f"staffing[{index}]", table=caption))
    column = by_grade(entries)
    table = Table(caption, grades, rows, [column.get(g, 0) for g in grades], total(entries), row_totals=True)
    names = [(s, _name(posts.sources.get(s), lang, s)) for s in sources]
    return Grid("posts", [table], period, source, periods, names)


def _deliverables(budget: Any, lang: str) -> Grid:
    deliverables = budget.deliverables
    periods = list(deliverables.periods)
    caption = label("grid.deliverables", lang)
    rows: list[Row] = []
    for c, category in enumerate(deliverables.categories):
        if category.subcategories:
            rows.append(Row(f"{category.code}. {_name(category.title, lang, category.code)}", heading=True))
        for s, sub in enumerate(category.subcategories):
            rows.append(Row(f"{_name(sub.title, lang, sub.id)} ({_name(sub.unit, lang, '')})", heading=True,
                            depth=1))
            for i, item in enumerate(sub.items):
                name = f"{item.number}. {_name(item.title, lang, str(item.number))}"
                path = f"categories[{c}].subcategories[{s}].items[{i}].quantities"
                rows.append(Row(name, [Cell(f"{item.number}|{p}", "deliverables", f"{path}.{p}", caption, name, p,
                                            _shown(item.quantities.get(p)), (item.number, p)) for p in periods],
                                depth=2, part="deliverables", path=path.removesuffix(".quantities"), table=caption))
    return Grid("deliverables", [Table(caption, periods, rows)])


def _measures(budget: Any, lang: str) -> Grid:
    performance = budget.performance
    groups = [(f"{_name(performance.performance.title, lang, str(performance.performance.year))}",
               "performance.measures", performance.performance.measures)]
    groups += [(f"{label('grid.result', lang)} {result.number}: {_name(result.title, lang, '')}",
                f"results[{r}].measures", result.measures) for r, result in enumerate(performance.results)]
    periods = sorted({p for _, _, measures in groups for m in measures for p in m.values}, key=_period_key)
    caption = label("grid.measures", lang)
    rows: list[Row] = []
    words = []
    for heading, prefix, measures in groups:
        shown = [(i, m) for i, m in enumerate(measures) if m.values or not m.texts]
        words += [m.id for m in measures if m.texts and not m.values]
        if not shown:
            continue
        rows.append(Row(heading, heading=True))
        for i, measure in shown:
            unit = _name(measure.unit, lang, "") if measure.unit is not None else ""
            name = f"{_name(measure.name, lang, measure.id)}{f' ({unit})' if unit else ''}"
            rows.append(Row(name, [Cell(f"{measure.id}|{p}", "performance", f"{prefix}[{i}].values.{p}", caption,
                                        name, p, _shown(measure.values.get(p)), (measure.id, p)) for p in periods],
                            depth=1, part="performance", path=f"{prefix}[{i}]", table=caption))
    notes = [label("grid.in_words", lang).format(ids=", ".join(words))] if words else []
    return Grid("measures", [Table(caption, periods, rows)], notes=notes)


def build(kind: str, revision: Revision, lang: str, period: str = "", source: str = "") -> Grid:
    """The grid of `kind` at `revision`, its cells' findings attached (not yet who may edit them)."""
    budget = service.loaded(revision).budget
    summary = service.summary(revision)
    if kind == "resources":
        grid = _resources(budget, summary.figures, lang)
    elif kind == "posts":
        grid = _posts(budget, lang, period, source)
    elif kind == "deliverables":
        grid = _deliverables(budget, lang)
    else:
        grid = _measures(budget, lang)
    _attach(grid, summary.findings)
    return grid


def _attach(grid: Grid, findings: list[Any]) -> None:
    """Each finding to the cells its locations are within (the cell's path or below it); one about a row's item
    that is within none of its cells (a line's, a measure's series) to that row."""
    places: dict[tuple[str, str], Cell | Row] = {(r.part, r.path): r for r in grid.rows()}
    places.update({(c.part, c.path): c for c in grid.cells()})
    for finding in findings:
        hit: set[int] = set()
        for location in getattr(finding, "locations", ()):
            where = _where(location)
            ends = [i for i, ch in enumerate(where) if ch in ".["] + [len(where)]
            for end in reversed(ends):  # the innermost place the location is within
                place = places.get((location.part, where[:end]))
                if place is not None:
                    if id(place) not in hit:
                        hit.add(id(place))
                        place.findings.append(finding)
                    break


def _permit(grid: Grid, request: HttpRequest, dataset: Dataset) -> None:
    cells = grid.cells()
    may = service.editable(request.user, dataset, [(c.part, c.path) for c in cells], _roles(request, dataset))
    for cell, allowed in zip(cells, may, strict=True):
        cell.may_edit = allowed


# --- views ---------------------------------------------------------------------------------------------------------


def _section(request: HttpRequest, slug: str, kind: str) -> Dataset:
    if kind not in KINDS:
        raise Http404("no such grid")
    return _seed(request, slug, "no grid for this section")[0]


@login_required
@require_http_methods(["GET", "POST"])
def grid(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """GET: the grid at the head; POST: save the changed cells as one revision (see the module's docstring)."""
    dataset = _section(request, slug, kind)
    if request.method == "POST":
        return _save(request, dataset, kind)
    assert dataset.head is not None
    found = build(kind, dataset.head, language(request), request.GET.get("period", ""), request.GET.get("source", ""))
    _permit(found, request, dataset)
    return _render(request, dataset, found, dataset.head, {})


def _render(request: HttpRequest, dataset: Dataset, found: Grid, base: Revision, extra: dict[str, Any],
            status: int = 200) -> HttpResponse:
    places: list[Row | Cell] = [*found.rows(), *found.cells()]
    context = {"dataset": dataset, "grid": found, "kind": found.kind, "kinds": KINDS, "base": base,
               "head": dataset.head, "categories": [c for c in CATEGORIES if c not in ("import", "translation")],
               "with_findings": [p for p in places if p.findings],
               "reason": request.POST.get("reason", ""), "category": request.POST.get("category", ""), **extra}
    if dataset.state == "approved":
        context["lock"] = service.lock_reason(dataset)
    template = "front/_grid.html" if request.headers.get("HX-Request") else "front/grid.html"
    return render(request, template, context, status=status)


def _posted(request: HttpRequest, cells: list[Cell]) -> None:
    """Every cell's posted value and the value its page showed (cells the form did not send stay as they are)."""
    post = request.POST
    for cell in cells:
        name = f"new.{cell.key}"
        if name in post:
            cell.typed = post[name].strip()
            cell.old = post.get(f"old.{cell.key}", cell.value).strip()


def _edits(kind: str, texts: dict[str, str], grid: Grid,
           changed: list[Cell]) -> tuple[list[Any], dict[str, list[Cell]]]:
    """The Edits of the changed cells, read at the base texts with each cell's `old` the value its page showed;
    and, per edited path, the cells it carries (to name the cell of an error)."""
    from fascicle.edit import (
        Edit,
        add_measure_value,
        set_deliverable_quantity,
        set_measure_value,
        set_post_count,
    )

    edits: list[Any] = []
    owners: dict[str, list[Cell]] = {}

    def add(found: list[Any], cells: list[Cell], old: Any) -> None:
        for one in found:
            one = replace(one, old=old) if len(found) == 1 else one
            edits.append(one)
            owners.setdefault(one.path, []).extend(cells)

    new_rows: dict[str, list[Cell]] = {}
    for cell in changed:
        assert cell.typed is not None
        new: Any = cell.typed if cell.typed != "" else None
        old = cell.read if cell.read != "" else None
        if kind == "resources":
            add([Edit("resources", cell.path, old, new)], [cell], old)
        elif kind == "deliverables":
            number, period = cell.ref
            add(set_deliverable_quantity(texts, number, period, new), [cell], old)
        elif kind == "measures":
            measure, period = cell.ref
            if cell.value == "" and new is not None:
                add(add_measure_value(texts, measure, period, new), [cell], old)
            else:
                add(set_measure_value(texts, measure, period, new), [cell], old)
        else:
            unit, grade, index = cell.ref
            count: Any = None if new is None or _ZERO.match(new) else new
            if index is None:
                new_rows.setdefault(unit, []).append(cell)
            else:
                add(set_post_count(texts, unit, grid.source, grid.period, grade, 0 if count is None else count),
                    [cell], old)
    if new_rows:
        from fascicle.edit.core import part_tree

        length = len(part_tree(texts, "posts").get("staffing") or [])
        for unit, cells in new_rows.items():
            grades = {c.ref[1]: c.typed for c in cells if c.typed and not _ZERO.match(c.typed)}
            if grades:
                row = {"period": grid.period, "source": grid.source, "unit": unit, "grades": grades}
                edits.append(Edit("posts", f"staffing[{length}]", None, row))
                owners.setdefault(f"staffing[{length}]", []).extend(cells)
                length += 1
    return edits, owners


def _owner(owners: dict[str, list[Cell]], path: str) -> list[Cell]:
    """The cells of the edit a path concerns (the path itself, an enclosing one or one inside it)."""
    for edited, cells in owners.items():
        if service.overlaps(edited, path):
            return cells
    return []


def _overlay(found: Grid, sent: dict[str, Cell]) -> None:
    """Put what the user typed (and the value their page showed) back on the cells of a rebuilt grid."""
    for cell in found.cells():
        was = sent.get(cell.key)
        if was is not None and was.changed:
            cell.typed, cell.old = was.typed, was.old


def _save(request: HttpRequest, dataset: Dataset, kind: str) -> HttpResponse:
    from fascicle.edit import EditError

    lang = language(request)
    post = request.POST
    base = Revision.objects.filter(dataset=dataset, pk=post.get("base") or 0).first() or dataset.head
    assert base is not None
    period, source = post.get("period", ""), post.get("source", "")
    shown = build(kind, base, lang, period, source)
    cells = shown.cells()
    _posted(request, cells)
    sent = {c.key: c for c in cells}
    if not service.can(request.user, dataset, "edit", known=_roles(request, dataset)):
        # Nobody who may not edit the section's figures saves a grid of them (a translator, a reviewer, any
        # section not a draft or returned): refused, and why.
        _permit(shown, request, dataset)
        why = service.lock_reason(dataset) if dataset.state == "approved" else label("grid.refused", lang)
        return _render(request, dataset, shown, base, {"error": why}, 403)
    changed = [c for c in cells if c.changed]
    if not changed:
        _permit(shown, request, dataset)
        return _render(request, dataset, shown, base, {"message": label("grid.nothing", lang)})
    before = dataset.head
    edits: list[Any] = []
    owners: dict[str, list[Cell]] = {}
    try:
        edits, owners = _edits(kind, service.texts_of(base), shown, changed)
        revision, findings = service.edit(dataset, request.user, edits, post.get("reason", ""),
                                          post.get("category", "other"), base)
    except service.EditConflict as conflict:
        return _conflicted(request, dataset, kind, lang, shown, sent, owners, conflict)
    except (PermissionDenied, service.Locked) as refused:
        _permit(shown, request, dataset)
        return _render(request, dataset, shown, base, {"error": str(refused)}, 403)
    except EditError as error:
        blamed = _owner(owners, error.path) if error.part == PARTS[kind] else []
        # A new staffing row carries several cells: the one of the grade the core names.
        blamed = [c for c in blamed if error.path.endswith(f".{c.column}")] or blamed
        for cell in blamed:
            cell.error = f"{cell.where}: {error.message}"
        _permit(shown, request, dataset)
        return _render(request, dataset, shown, base,
                       {"error": f"{blamed[0].where}: {error.message}" if blamed else str(error)}, 400)
    except service.ServiceError as error:
        _permit(shown, request, dataset)
        return _render(request, dataset, shown, base, {"error": str(error)}, 400)
    dataset.refresh_from_db()
    added, removed = finding_changes(before, findings)
    fresh = build(kind, revision, lang, shown.period, shown.source)
    _permit(fresh, request, dataset)
    return _render(request, dataset, fresh, revision, {"saved": revision, "sent": len(edits), "added": added,
                                                        "removed": removed})


def _conflicted(request: HttpRequest, dataset: Dataset, kind: str, lang: str, shown: Grid, sent: dict[str, Cell],
                owners: dict[str, list[Cell]], conflict: service.EditConflict) -> HttpResponse:
    """409: the grid at the head, every value the user typed kept; on each cell whose value changed since the page
    was read (or the one the service reported), the other person's value and who made it; the hidden `old` of
    each changed cell is the head's value, so that saving again replaces theirs."""
    dataset.refresh_from_db()
    assert dataset.head is not None
    fresh = build(kind, dataset.head, lang, shown.period, shown.source)
    _overlay(fresh, sent)
    reported = {c.key for c in _owner(owners, conflict.path)}
    for cell in fresh.cells():
        was = sent.get(cell.key)
        if was is None or not was.changed:
            continue
        if cell.key in reported or not _same(was.read, cell.value, kind == "posts"):
            last = service.last_change(dataset, cell.part, cell.path)
            author = last.revision.author.get_username() if last is not None else conflict.author
            if cell.key in reported and conflict.author:
                author = conflict.author
            cell.conflict = (cell.value, author, was.typed or "")
        cell.old = cell.value
    _permit(fresh, request, dataset)
    return _render(request, dataset, fresh, dataset.head, {"error": str(conflict), "conflicted": True}, 409)
