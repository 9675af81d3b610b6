"""A Word table of a fascicle as a model table: header columns, row labels, roles, sums and named figures.

Tables are classified by their title, never by their number (which differs between sections). Every cell ends
up in one of four places, which the import report counts: a figure (data), a printed number (a total, subtotal,
change column, percentage or restatement, kept to be checked), a text, or not understood.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from fascicle.ingest.reader import Cell as WordCell
from fascicle.ingest.reader import Row as WordRow
from fascicle.ingest.reader import Table as WordTable
from fascicle.model.general import Cell, Column, HeaderCell, Row, Table
from fascicle.model.text import Text

NUMBER = re.compile(r"^(\()?(\d{1,3}(?: \d{3})+|\d+)(\.\d+)?(\))?$")
DASHES = {"–", "-", "—", "‒"}
PERIOD = re.compile(r"^(\d{4})\s*\(?\s*(expenditure|approved|estimates?|proposed|planned|actual|revised|target)?\s*\)?"
                    r"(?:\s*\([^)]*\))?$")
STAGE = {"expenditure": "actual", "approved": "approved", "estimate": "estimate", "estimates": "estimate",
         "proposed": "proposed", "planned": "planned", "actual": "actual", "revised": "revised", "target": "target"}
CHANGE_KINDS = (("technical adjustments", "technical"), ("new/expanded mandates", "new_mandates"),
                ("new/ expanded mandates", "new_mandates"))
ROW_NUMBER = re.compile(r"^(?P<n>[A-Z]|\d+|[a-z]|[ivx]+)\.(?:\s*\t|\s+(?=\S))")
SCOPE = re.compile(r"^(?P<scope>[^:]{1,120}):\s+(?P<rest>.+)$")
SUBPROGRAMME = re.compile(r"subprogramme (\d+)(?:,? component (\d+))?", re.IGNORECASE)
FUND_LABEL = re.compile(r"^\((\d)\)\s*(regular budget|other assessed|extrabudgetary)", re.IGNORECASE)
BRACKETED = re.compile(r"^(.+?)\s*\[(.+)\]$")
ACROSS = re.compile(r"^total\s*\((\d(?:\s*\+\s*\d)+)\)$", re.IGNORECASE)
PART_TOTAL = re.compile(r"^subtotal,\s*(\d)$", re.IGNORECASE)


def key(text: str, limit: int = 60) -> str:
    """A figure-name piece from a label: lower-case ASCII words joined by '-'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", plain)
    out = "-".join(words)
    return out[:limit].rstrip("-") or "x"


@dataclass(frozen=True)
class Parsed:
    """A numeric cell read: its value (None for a dash), decimals, and whether it was a number at all."""

    value: Decimal | None
    decimals: int
    dash: bool


def parse_number(text: str) -> Parsed | None:
    """A table number as printed (`1 277.6`, `(25.0)`, `–`), or None when the text is not one."""
    clean = " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())
    if clean in DASHES:
        return Parsed(None, 0, True)
    match = NUMBER.match(clean)
    if match is None or bool(match.group(1)) != bool(match.group(4)):
        return None
    digits = match.group(2).replace(" ", "") + (match.group(3) or "")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    decimals = len(match.group(3)) - 1 if match.group(3) else 0
    return Parsed(-value if match.group(1) else value, decimals, False)


@dataclass(frozen=True)
class Context:
    """What the table's caption says: its id, title, units line, sub-table label and the budget year."""

    id: str
    number: str | None
    title: str
    units: str | None
    part: str | None
    year: int
    notes: tuple[tuple[str | None, str], ...] = ()
    place: str | None = None
    entity: str | None = None
    entity_title: str | None = None


@dataclass
class Account:
    """Where every cell of one table went: figures, printed numbers, texts, and what was not understood."""

    figures: int = 0
    printed: int = 0
    texts: int = 0
    empty: int = 0
    unknown: list[tuple[int, int, str, str]] = field(default_factory=list)
    """(row, column, cell text, why) of each cell not understood."""


@dataclass
class Mapped:
    """A table mapped to the model, with each number cell's named figure and the account of its cells."""

    table: Table
    numbers: list[tuple[int, int, str, str, Decimal | None, bool]] = field(default_factory=list)
    """(row, column, figure name, period, value, derived) for every number cell."""
    earlier: list[tuple[int, int, str, str, Decimal | None]] = field(default_factory=list)
    """Numbers in square brackets beside a figure, "24 [26]": the figure as an earlier document printed it."""
    account: Account = field(default_factory=Account)


KINDS = (("overall summary of", "summary"), ("summary of proposed post changes", "post-summary"),
         ("summary of planned post changes", "post-summary"), ("object of expenditure", "objects"),
         ("post changes", "post-changes"),
         ("by category and grade", "grades"), ("proposed posts for", "posts-by-component"),
         ("posts by source of funding", "posts-by-component"), ("by source of funding", "funds"),
         ("financial and post resources", "financial-and-posts"), ("evolution of financial resources", "financial"),
         ("deliverables", "deliverables"), ("performance measure", "measure"), ("compliance rate", "compliance"),
         ("policymaking organs", "policymaking-organs"), ("summary of", "summary"))


def classify(title: str, units: str | None, part: str | None) -> tuple[str, str | None, str | None, str | None]:
    """(kind, scope, fund, currency) of a table from its title, units line and sub-table label."""
    lowered = " ".join(title.lower().split())
    found = next(((lowered.find(text), name) for text, name in KINDS if text in lowered), (-1, "other"))
    kind = found[1]
    if lowered == "contents":
        kind = "contents"
    scope: str | None = None
    match = SCOPE.match(title)
    # "Subprogramme 2: deliverables..." names its scope before the colon; "Evolution of...: ITC full regular
    # budget" puts the kind first, and the part after the colon is the fund, not a scope.
    if match and found[0] > len(match.group("scope")):
        scope = scope_key(match.group("scope"))
    if scope is None and kind not in ("measure", "compliance", "other", "summary", "contents"):
        scope = "overall"
    fund = _fund(lowered, part)
    text = (units or "").lower()
    currency = "CHF" if "swiss francs" in text else "USD" if "dollars" in text else None
    return kind, scope, fund, currency


def _fund(title: str, part: str | None) -> str | None:
    if part:
        match = FUND_LABEL.match(part)
        if match:
            return {"regular budget": "regular", "other assessed": "other_assessed",
                    "extrabudgetary": "extrabudgetary"}[match.group(2).lower()]
    if "grant" in title:
        return "un_grant"
    if "extrabudgetary" in title and "regular" not in title:
        return "extrabudgetary"
    if "other assessed" in title and "regular" not in title:
        return "other_assessed"
    return "regular"


def scope_key(text: str) -> str:
    """A scope name from a title prefix or row label: overall, sp3, sp1.c2, executive-direction-and-management."""
    clean = " ".join(text.split()).strip()
    lowered = clean.lower()
    if lowered.startswith("overall"):
        return "overall"
    match = SUBPROGRAMME.search(lowered)
    if match:
        place = lowered[: match.start()].strip(" ,")
        name = f"sp{match.group(1)}" + (f".c{match.group(2)}" if match.group(2) else "")
        return f"{key(place)}.{name}" if place else name
    return key(clean)


# Columns ------------------------------------------------------------------------------------------------------


def _header_rows(table: WordTable) -> int:
    flagged = 0
    for row in table.rows:
        if not row.header:
            break
        flagged += 1
    if flagged:
        return flagged
    # Without the repeat-header flag, the header is the leading rows that name periods or changes.
    count = 0
    for row in table.rows:
        texts = [cell.value_text for cell in row.cells[1:]]
        if texts and any(PERIOD.match(t.lower()) or t.lower() in ("changes", "change") for t in texts if t):
            count += 1
        else:
            break
    return count


def _grid_texts(table: WordTable, header: int) -> list[str]:
    columns = [""] * table.columns
    for row in table.rows[:header]:
        for cell in row.cells:
            text = cell.value_text
            if not text or cell.merged:
                continue
            for column in range(cell.column, min(cell.column + cell.span, table.columns)):
                columns[column] = f"{columns[column]} {text}".strip()
    return columns


def _cell_at(row: tuple[WordCell, ...], column: int) -> WordCell | None:
    for cell in row:
        if cell.column == column:
            return cell
    return None


FUND_GROUPS = {"regular budget": "regular", "other assessed": "other_assessed", "extrabudgetary": "extrabudgetary",
               "total": "total", "united nations grant": "un_grant"}


def _groups(table: WordTable, header: int) -> list[str | None]:
    """The fund each column sits under when the header groups periods by source of funds (Annex III)."""
    found: list[str | None] = [None] * table.columns
    if header < 2:
        return found
    for cell in table.rows[0].cells:
        group = FUND_GROUPS.get(cell.value_text.lower())
        if group and cell.span > 1:
            for column in range(cell.column, min(cell.column + cell.span, table.columns)):
                found[column] = group
    # A spacer column that a group's first sub-header reaches into belongs to that group.
    return found


def _columns(table: WordTable, header: int, year: int, fund: str | None) -> list[Column]:
    groups = _groups(table, header)
    if any(groups):
        return _grouped(table, header, year, groups)
    texts = _grid_texts(table, header)
    body = table.rows[header:]
    columns: list[Column] = []
    numerics: list[bool] = []
    for index, text in enumerate(texts):
        lowered = " ".join(text.lower().split())
        values = [c.value_text for r in body if (c := _cell_at(r.cells, index)) is not None and c.value_text]
        # One corrected cell ("24 [26]") does not turn a column of figures into prose; it is reported instead.
        numeric = bool(values) and sum(parse_number(v) is not None for v in values) >= 0.8 * len(values)
        numerics.append(numeric)
        columns.append(_column(index, lowered, text, values, numeric, year, fund))
        if not values and index and texts[index - 1] == text and columns[index - 1].role != "label":
            columns[-1] = Column(role="empty", header=text)
        elif values and index and texts[index - 1] == text and not _has_values(body, index - 1):
            columns[index - 1] = Column(role="empty", header=text)
    return _link(_keyed(columns, numerics, year))


def _grouped(table: WordTable, header: int, year: int, groups: list[str | None]) -> list[Column]:
    """Columns under fund groups: each group's periods and variance, named by the group."""
    texts = _grid_texts(table, header)
    body = table.rows[header:]
    columns: list[Column] = []
    for index, text in enumerate(texts):
        bare = " ".join(text.lower().split())
        group = groups[index] or next((g for g in groups[index + 1: index + 2] if g), None)
        values = [c.value_text for r in body if (c := _cell_at(r.cells, index)) is not None and c.value_text]
        if index == 0:
            columns.append(Column(role="label", header=text))
            continue
        if not values:
            columns.append(Column(role="empty", header=text))
            continue
        tail = bare.split(" ", 2)[-1] if group and group != "total" else bare.removeprefix("total ").strip()
        tail = re.sub(r"^(regular budget|other assessed|extrabudgetary)\s*", "", bare).removeprefix("total").strip()
        match = PERIOD.match(tail)
        if match:
            period = _period(match, year, group if group != "total" else None)
            columns.append(Column(role="figure", header=text, period=period, key=group))
        elif tail in ("variance", "change"):
            columns.append(Column(role="change", header=text, change="variance", key=group))
        else:
            columns.append(Column(role="text", header=text))
    return _link_groups(columns)


def _link_groups(columns: list[Column]) -> list[Column]:
    """In each fund group, the last period is the first plus the group's variance."""
    out = list(columns)
    for group in dict.fromkeys(c.key for c in columns if c.key):
        members = [i for i, c in enumerate(columns) if c.key == group]
        figures = [i for i in members if columns[i].role == "figure"]
        changes = [i for i in members if columns[i].role == "change"]
        if len(figures) < 2 or not changes:
            continue
        base, result = figures[0], figures[-1]
        out[result] = out[result].model_copy(update={"role": "result", "base": base})
        for i in changes:
            out[i] = out[i].model_copy(update={"base": base, "period": out[result].period})
    return out


def _has_values(body: tuple[WordRow, ...], index: int) -> bool:
    return any((c := _cell_at(r.cells, index)) is not None and c.value_text for r in body)


def _keyed(columns: list[Column], numerics: list[bool], year: int) -> list[Column]:
    """Figures laid across (objects of expenditure as columns): each column names a figure of the plan year."""
    if any(c.role in ("figure", "change", "result") for c in columns):
        return columns
    out = []
    for index, (column, numeric) in enumerate(zip(columns, numerics, strict=True)):
        if numeric and index and column.role == "text" and column.period is None:
            text = column.header
            if text.lower().split()[-1:] == ["total"] or text.lower().startswith("total"):
                column = Column(role="rowsum", header=text, period=f"{year} proposed", key=key(text, 40))
            else:
                column = Column(role="figure", header=text, period=f"{year} proposed", key=key(text, 40))
        out.append(column)
    return out


def _column(index: int, lowered: str, text: str, values: list[str], numeric: bool, year: int,
            fund: str | None) -> Column:
    bare = lowered.removeprefix("changes").strip()
    for label, kind in CHANGE_KINDS:
        if bare == label:
            return Column(role="change", header=text, change=kind)
    if lowered.startswith("changes") and bare == "other":
        return Column(role="change", header=text, change="other")
    if lowered.startswith("changes") and bare == "total":
        return Column(role="changes", header=text)
    if bare in ("percentage", "per cent"):
        return Column(role="percent", header=text)
    if bare == "change":
        return Column(role="change", header=text, change="change")
    match = PERIOD.match(bare)
    if match and index == 0:
        # A table without a label column (performance measures) has prose under each year, never figures.
        return Column(role="text", header=text, period=_period(match, year, fund))
    if match:
        period = _period(match, year, fund)
        return Column(role="figure" if numeric or not values else "text", header=text, period=period)
    if index == 0:
        return Column(role="label", header=text)
    if not values and not lowered:
        return Column(role="empty", header=text)
    return Column(role="text", header=text)


def _period(match: re.Match[str], year: int, fund: str | None) -> str:
    number = int(match.group(1))
    if match.group(2) is None:
        # A bare year in a budget table: past years are expenditure, the current year approved, then proposed.
        stage = "actual" if number < year - 1 else "approved" if number == year - 1 else "proposed"
        return f"{number} {stage}"
    stage = STAGE[match.group(2)]
    if stage == "estimate" and number == year and fund != "extrabudgetary":
        stage = "proposed"
    return f"{number} {stage}"


def _link(columns: list[Column]) -> list[Column]:
    changes = [i for i, c in enumerate(columns) if c.role == "change"]
    if not changes:
        return columns
    first = changes[0]
    base = next((i for i in range(first - 1, -1, -1) if columns[i].role == "figure"), None)
    out = []
    for index, column in enumerate(columns):
        if column.role in ("changes", "percent", "change"):
            column = column.model_copy(update={"base": base})
        elif column.role == "figure" and index > first and base is not None:
            column = column.model_copy(update={"role": "result", "base": base})
        out.append(column)
    # The change columns are changes towards the result's period: their figures belong to it.
    result = next((c.period for c in reversed(out) if c.role in ("result", "figure") and c.period), None)
    return [c.model_copy(update={"period": result}) if c.role in ("change", "changes", "percent") else c
            for c in out]


# Rows ---------------------------------------------------------------------------------------------------------


@dataclass
class _RowInfo:
    label: str
    number: str | None
    depth: int
    role: str
    numeric: bool
    row: tuple[WordCell, ...]


def _label(cell: WordCell | None) -> tuple[str, str | None, int]:
    if cell is None:
        return "", None, 0
    raw = "".join(s.text for s in cell.paragraphs[0] if not s.sup) if cell.paragraphs else ""
    raw = raw.replace("\u00a0", " ")
    depth = len(raw) - len(raw.lstrip("\t"))
    rest = raw.lstrip("\t ")
    number = None
    match = ROW_NUMBER.match(rest)
    if match:
        number = match.group("n")
        rest = rest[match.end():]
        # Numbered items sit one level below their heading; a lettered heading ("A.") stays where it is, and an
        # item typed without its leading tab ("1.\tReport") is still an item.
        if number.isdigit():
            depth = max(depth, 1) + 1
    elif re.match(r"^component \d+\b", rest, re.IGNORECASE):
        depth += 1  # a component sits below its subprogramme, whatever the tabs say
    label = " ".join(" ".join([rest, *["".join(s.text for s in p if not s.sup) for p in cell.paragraphs[1:]]])
                     .split())
    return label, number, depth


def _rows(table: WordTable, header: int, columns: list[Column]) -> list[_RowInfo]:
    infos = []
    figure_columns = {i for i, c in enumerate(columns) if c.role not in ("label", "text", "empty")}
    if not figure_columns:
        return [_RowInfo(*_label(_cell_at(row.cells, 0)), role="text" if len(row.cells) == 1 else "line",
                         numeric=False, row=row.cells) for row in table.rows[header:]]
    for row in table.rows[header:]:
        label, number, depth = _label(_cell_at(row.cells, 0))
        numeric = any(parse_number(c.value_text) is not None and c.value_text
                      for c in row.cells if c.column in figure_columns)
        lowered = label.lower()
        if len(row.cells) == 1 and row.cells[0].span >= max(len(columns) - 1, 2):
            role = "text" if len(label) > 80 else "heading"
        elif lowered.startswith("subtotal"):
            role = "subtotal"
        elif lowered == "total" or lowered.startswith("total (") or lowered.startswith("total,"):
            role = "total"
        elif not numeric and not any(c.value_text for c in row.cells if c.column != 0):
            role = "group" if label else "empty"
        else:
            role = "line"
        infos.append(_RowInfo(label, number, depth, role, numeric, row.cells))
    return infos


def _sums(infos: list[_RowInfo], nested: bool = True) -> tuple[dict[int, tuple[int, ...]], set[int]]:
    """For each subtotal, total and parent row, the rows it adds up; and the parent rows found."""
    sums: dict[int, tuple[int, ...]] = {}
    covered: set[int] = set()
    parents: set[int] = set()
    # A line with figures followed by deeper lines with figures prints their sum (deliverables subcategories).
    # Bottom-up, so that a parent of parents ("Conference services" over "Meetings with interpretation for:")
    # adds up its sub-groups, not their items.
    for index in range(len(infos) - 1, -1, -1):
        info = infos[index]
        if not nested or info.role != "line" or not info.numeric:
            continue
        children = []
        for later in range(index + 1, len(infos)):
            other = infos[later]
            if other.role in ("subtotal", "total", "heading") or other.depth < info.depth:
                break
            # A sibling with figures or with its own number ("B. Programme of work") closes the range; an
            # unnumbered group at the same depth ("Meetings of:") only introduces the items that follow, and so
            # does a sub-group with figures whose label ends in a colon ("Meetings with interpretation for:").
            sub_group = other.numeric and other.label.endswith(":") and not info.label.endswith(":")
            if other.depth <= info.depth and (other.numeric or other.number is not None) and not sub_group:
                break
            if other.numeric and other.role == "line":
                children.append(later)
        if children:
            direct = [c for c in children if not any(c in sums.get(p, ()) for p in children)]
            sums[index] = tuple(direct)
            parents.add(index)
    for parent in parents:
        covered.update(_nested(parent, sums))
    last_total = -1
    last_subtotal = -1
    for index, info in enumerate(infos):
        if info.role == "subtotal" and not PART_TOTAL.match(info.label):
            start = last_subtotal
            lettered = re.match(r"^subtotal,\s*([A-Z])$", info.label, re.IGNORECASE)
            for back in range(index - 1, last_total, -1):
                # "Subtotal, C" adds up what follows "C. Programme of work", across any unnumbered sub-groups.
                if lettered and infos[back].number != lettered.group(1).upper():
                    continue
                if infos[back].role == "group" and infos[back].depth < info.depth:
                    start = max(start, back)
                    break
            start = max(start, last_total)
            members = [i for i in range(start + 1, index) if _member(infos[i]) and i not in covered]
            sums[index] = tuple(members)
            covered.update(members)
            last_subtotal = index
        elif info.role in ("total", "subtotal"):
            members = [i for i in range(last_total + 1, index) if _member(infos[i]) and i not in covered]
            sums[index] = tuple(members)
            covered.update(members)
            last_total = index
            last_subtotal = index
    return sums, parents


def _member(info: _RowInfo) -> bool:
    return info.numeric and info.role in ("line", "subtotal")


def _nested(parent: int, sums: dict[int, tuple[int, ...]]) -> set[int]:
    found: set[int] = set()
    for child in sums.get(parent, ()):
        found.add(child)
        found.update(_nested(child, sums))
    return found


# Names --------------------------------------------------------------------------------------------------------


def _prefix(kind: str, scope: str | None, fund: str | None, title: str) -> str:
    # The section as a whole needs no scope in its names: "regular.total", "posts.regular.total".
    where = [] if scope in (None, "overall") else [scope]
    money = {"objects", "funds", "financial", "financial-and-posts"}
    posts = {"grades", "posts-by-component", "post-changes"}
    if kind in money:
        return ".".join([fund or "regular", *where])
    if kind in posts:
        return ".".join(["posts", fund or "regular", *where])
    if kind in ("deliverables", "compliance", "policymaking-organs"):
        return ".".join([kind, *where])
    bare = SCOPE.match(title)
    return ".".join([key(bare.group("rest") if bare else title, 40), *where])


def _names(kind: str, prefix: str, fund: str | None, infos: list[_RowInfo], sums: dict[int, tuple[int, ...]],
           scope: str | None) -> list[str | None]:
    names: list[str | None] = []
    groups: list[tuple[int, str, str | None, str]] = []  # (depth, key, number, label) of enclosing group rows
    money_block = True
    for index, info in enumerate(infos):
        while groups and groups[-1][0] >= info.depth and info.role in ("group", "line"):
            groups.pop()
        lowered = info.label.lower()
        if kind == "financial-and-posts" and lowered.startswith("post resources"):
            money_block = False
        base = prefix if money_block or kind != "financial-and-posts" else prefix.replace(f"{fund}", f"posts.{fund}", 1)
        if info.role == "group":
            groups.append((info.depth, key(info.label), info.number, info.label))
            names.append(None)
            continue
        if info.role in ("heading", "text", "empty"):
            names.append(None)
            continue
        if info.role == "total" or (info.role == "subtotal" and PART_TOTAL.match(info.label)):
            names.append(f"{base}.total")
            continue
        if info.role == "subtotal":
            lettered = re.match(r"^subtotal,\s*([A-Z])$", info.label, re.IGNORECASE)
            group = next((g for g in reversed(groups) if lettered is None or g[2] == lettered.group(1).upper()),
                         None)
            names.append(f"{base}.{group[1]}" if group else f"{base}.subtotal-{index}")
            continue
        if kind in ("funds", "posts-by-component"):
            places = [key(re.sub(r"^.*,\s*", "", g[3])) for g in groups if g[2] is None and g[0] < info.depth]
            names.append(_component_name(f"{fund}" if kind == "funds" else f"posts.{fund}", info, groups, places))
            continue
        if kind == "post-changes":
            names.append(f"{base}.total" if _period_of_row(info.label) else f"{base}.change.{key(info.label)}")
            continue
        path = [g[1] for g in groups if g[0] < info.depth][-1:] if kind == "deliverables" else []
        names.append(".".join([base, *path, key(info.label)]))
    return _unique(names, infos, sums)


def _unique(names: list[str | None], infos: list[_RowInfo], sums: dict[int, tuple[int, ...]]) -> list[str | None]:
    """Names no two line rows of one table share: a repeated label takes the label of the row adding it up."""
    # Two rows of one table with one name would make the second a restatement of the first; it is not one.
    parent = {child: p for p, children in sums.items() for child in children if infos[p].role == "line"}
    seen: set[str] = set()
    out: list[str | None] = []
    for index, name in enumerate(names):
        if name is not None and name in seen and infos[index].role == "line":
            head, _, tail = name.rpartition(".")
            if index in parent:
                name = f"{head}.{key(infos[parent[index]].label, 30)}.{tail}"
            count = 2
            while name in seen:
                name = f"{head}.{tail}-{count}"
                count += 1
        if name is not None and infos[index].role == "line":
            seen.add(name)
        out.append(name)
    return out


def _component_name(base: str, info: _RowInfo, groups: list[tuple[int, str, str | None, str]],
                    places: list[str]) -> str:
    label = info.label
    component = re.match(r"^component (\d+)\b", label, re.IGNORECASE)
    enclosing = [g for g in groups if g[0] < info.depth]
    # Subprogramme numbers repeat under each duty station (Sect. 2): the station is part of the name.
    where = f"{base}.{places[-1]}" if places else base
    if component and enclosing and enclosing[-1][2] and enclosing[-1][2].isdigit():
        return f"{where}.sp{enclosing[-1][2]}.c{component.group(1)}.total"
    if info.number and info.number.isdigit():
        return f"{where}.sp{info.number}.total"
    return f"{base}.{scope_key(label)}.total"


ROW_PERIOD = re.compile(r"^(approved|proposed|estimated?) for (\d{4})$", re.IGNORECASE)


def _period_of_row(label: str) -> str | None:
    match = ROW_PERIOD.match(label.strip())
    if not match:
        return None
    stage = match.group(1).lower()
    return f"{match.group(2)} {'estimate' if stage.startswith('estimat') else stage}"


# The whole table ----------------------------------------------------------------------------------------------


def logical(table: WordTable, header: int) -> WordTable:
    """The table on the columns its header names, whatever grid Word drew it on.

    Word grids drift: a header cell spans three grid columns while the body puts its figure in the middle one,
    or a body cell spans two. A column is the span between two header cells' starts; a body row with one cell
    per column is read in order, any other row by where its cells start."""
    if not header:
        return table
    starts = {0, table.columns}
    for row in table.rows[:header]:
        for cell in row.cells:
            if cell.value_text and not cell.merged:
                starts.add(cell.column)
    bounds = sorted(b for b in starts if b <= table.columns)
    count = len(bounds) - 1
    if count == table.columns:
        return table

    def index_of(column: int) -> int:
        return max(i for i, b in enumerate(bounds[:-1]) if b <= column)

    rows = []
    for position, row in enumerate(table.rows):
        cells: list[WordCell] = []
        ordered = position >= header and len(row.cells) == count
        taken: set[int] = set()
        for order, cell in enumerate(row.cells):
            first = order if ordered else index_of(cell.column)
            last = order if ordered else index_of(min(cell.column + cell.span, table.columns) - 1)
            if first in taken:
                if cell.value_text or cell.marks:
                    first = min(first + 1, count - 1)  # a figure pushed by a stray spacer keeps its place
                else:
                    continue
            taken.update(range(first, max(first, last) + 1))
            cells.append(WordCell(first, max(1, last - first + 1), cell.paragraphs, cell.merged))
        rows.append(WordRow(tuple(cells), row.header))
    return WordTable(table.index, tuple(rows), count)


def unread_table(word: WordTable, context: Context, why: str) -> Mapped:
    """A table kept as text only, each of its non-empty cells listed as not understood with `why`."""
    columns = [Column(role="label" if i == 0 else "text") for i in range(word.columns)]
    mapped = Mapped(Table(id=context.id, number=context.number, part=context.part, title=Text(en=context.title),
                          columns=tuple(columns), rows=()))
    rows = []
    for index, row in enumerate(word.rows):
        cells: list[Cell] = []
        for cell in row.cells:
            if len(cells) > cell.column:
                continue
            while len(cells) < cell.column:
                cells.append(Cell(blank=True))
            text = _cell_text(cell)
            if text:
                mapped.account.unknown.append((index, cell.column, text, why))
            else:
                mapped.account.empty += 1
            cells.append(Cell(text=Text(en=text) if text else None, blank=not text, span=min(cell.span, 64)))
            cells.extend(Cell(blank=True, merged=True) for _ in range(min(cell.span, 64) - 1))
        rows.append(Row(role="text", cells=tuple(cells[: len(columns)])))
    mapped.table = mapped.table.model_copy(update={"rows": tuple(rows)})
    return mapped


def map_table(word: WordTable, context: Context) -> Mapped:
    """Map one Word table (or sub-table) to the model, naming every figure and accounting for every cell."""
    kind, scope, fund, currency = classify(context.title, context.units, context.part)
    if scope is not None and scope.startswith("sp") and context.place:
        scope = f"{key(context.place)}.{scope}"
    if scope is not None and context.entity_title and scope == scope_key(context.entity_title):
        scope = "overall"  # "Committee on Missing Persons in Cyprus: evolution..." is that entity's overall table
    header = _header_rows(word)
    word = logical(word, header)
    if kind in ("measure", "other", "summary", "contents") and not _has_numbers(word, header):
        fund = None
    columns = _columns(word, header, context.year, fund)
    if kind in ("measure", "contents", "post-summary"):
        # Prose under each year; page numbers; post counts inside change descriptions ("(1)\n1"): not figures.
        columns = [Column(role="text", header=c.header, period=c.period) if c.role != "label" else c
                   for c in columns]
    if kind == "post-changes":
        columns = [c.model_copy(update={"role": "figure", "key": None}) if c.header.lower() == "number" else c
                   for c in columns]
    infos = _rows(word, header, columns)
    # Only lists of items (deliverables, tables nobody classified) print a parent as the sum of deeper lines.
    sums, _parents = _sums(infos, nested=kind == "deliverables")
    if kind == "post-changes":
        # "Proposed for 2026" is the approved posts plus every change above it.
        for index, info in enumerate(infos):
            if ROW_PERIOD.match(info.label) and index and info.label.lower().startswith("proposed"):
                infos[index].role = "total"
                sums[index] = tuple(i for i in range(index) if infos[i].numeric)
    prefix = _prefix(kind, scope, fund, context.title)
    names = _names(kind, prefix, fund, infos, sums, scope)
    if context.entity:
        # Each entity of the section has its own "Overall" tables: its figures carry its number.
        names = [f"entity-{context.entity.lower()}.{n}" if n else n for n in names]
    mapped = Mapped(Table(id=context.id, columns=(), rows=(), title=Text(en=context.title), kind=kind))
    rows = []
    for index, info in enumerate(infos):
        role = "line" if index in _parents and info.role == "line" else info.role
        derived_row = index in sums
        if derived_row and role == "line":
            role = "subtotal"
        row_period = None
        if kind == "post-changes":
            row_period = _period_of_row(info.label) or f"{context.year} proposed"
        cells = _cells(mapped, index, info, columns, names[index], derived_row, row_period)
        label = Text(en=info.label) if info.label else None
        rows.append(Row(role=role, label=label, number=info.number, depth=info.depth, ref=names[index],
                        sums=sums.get(index, ()), cells=tuple(cells), period=row_period))
    header_rows = tuple(tuple(HeaderCell(text=c.text.strip(), span=c.span) for c in row.cells)
                        for row in word.rows[:header])
    mapped.table = Table(id=context.id, number=context.number, part=context.part, title=Text(en=context.title),
                         entity=context.entity,
                         units=Text(en=context.units) if context.units else None, kind=kind, scope=scope,
                         fund=fund if _has_numbers(word, header) else None, currency=currency,
                         header=header_rows, columns=tuple(columns), rows=tuple(rows))
    return mapped


def _has_numbers(word: WordTable, header: int) -> bool:
    return any(parse_number(c.value_text) is not None and c.value_text and c.column > 0
               for row in word.rows[header:] for c in row.cells)


def _cells(mapped: Mapped, index: int, info: _RowInfo, columns: list[Column], name: str | None, derived_row: bool,
           row_period: str | None) -> list[Cell]:
    """One model cell per column (a span's covered columns are merged fillers), each accounted for."""
    cells: list[Cell] = []
    for cell in info.row:
        if len(cells) > cell.column:
            continue  # overlaps a span to its left: Word drew it, nobody sees it
        while len(cells) < cell.column:
            cells.append(Cell(blank=True))
        column = columns[cell.column] if cell.column < len(columns) else Column(role="text")
        cells.append(_cell(mapped, index, info, cell, column, columns, name, derived_row, row_period))
        cells.extend(Cell(blank=True, merged=True) for _ in range(cell.span - 1))
    while len(cells) < len(columns):
        cells.append(Cell(blank=True))
    return cells


def _cell(mapped: Mapped, index: int, info: _RowInfo, cell: WordCell, column: Column, columns: list[Column],
          name: str | None, derived_row: bool, row_period: str | None) -> Cell:
    account = mapped.account
    text = cell.value_text
    marks = cell.marks
    if not text and not marks:
        account.empty += 1
        return Cell(blank=True, span=cell.span)
    number = parse_number(text) if text else None
    bracket = BRACKETED.match(text)
    earlier = None
    if number is None and bracket and parse_number(bracket.group(1)) and parse_number(bracket.group(2)):
        number, earlier = parse_number(bracket.group(1)), parse_number(bracket.group(2))
    numeric_column = column.role in ("figure", "change", "changes", "percent", "result", "rowsum")
    period = row_period or column.period or _any_period(columns)
    named = name is not None and info.role not in ("heading", "text", "group", "empty")
    if number is not None and numeric_column and named and name is not None:
        if period is None:
            account.unknown.append((index, cell.column, text, "a number in a column without a period"))
            return Cell(text=Text(en=text), marks=marks, span=cell.span)
        derived = derived_row or column.role in ("changes", "percent", "result", "rowsum")
        mapped.numbers.append((index, cell.column, _figure_name(name, column), period, number.value, derived))
        if earlier is not None:
            mapped.earlier.append((index, cell.column, _figure_name(name, column), period, earlier.value))
        return Cell(marks=marks, decimals=number.decimals, dash=number.dash, span=cell.span)
    if numeric_column and named and text and number is None:
        account.unknown.append((index, cell.column, text, "not a number, in a column of figures"))
    elif (number is not None and not number.dash and cell.column > 0 and column.role != "label"
            and mapped.table.kind != "contents"):
        why = "a number in a text column" if not numeric_column else "a number in a row with no figure name"
        account.unknown.append((index, cell.column, text, why))
    else:
        account.texts += 1
    if mapped.table.kind == "post-changes" and info.role in ("line", "total") and period and name:
        _grade_vector(mapped, index, cell, period, name)
    return Cell(text=Text(en=_cell_text(cell)) if text else None, marks=marks, span=cell.span)


GRADE_COUNT = re.compile(r"(\d+)\s+(USG|ASG|D-2|D-1|P-5|P-4|P-3|P-2/1|P-2|P-1|NPO|FS|GS \(PL\)|GS \(OL\)|GS|LL|SS|TC)"
                         r"(?![\w-])")


def _grade_vector(mapped: Mapped, index: int, cell: WordCell, period: str, name: str) -> None:
    """The posts by grade a posts table lists in words, "1 ASG, 1 D-2, 5 D-1, 21 P-5...", as figures."""
    if not name.endswith(".total"):
        return
    text = cell.value_text.replace("\u2011", "-")
    found = GRADE_COUNT.findall(text)
    # A list of grades is only read when it is the whole cell: "1 P-5 in the Division of..." is a change, not it.
    if len(found) < 2 or len(", ".join(f"{n} {g}" for n, g in found)) < 0.9 * len(text.rstrip(".")):
        return
    base = name.removesuffix(".total")
    for count, grade in found:
        mapped.numbers.append((index, cell.column, f"{base}.{key(grade)}", period, Decimal(count), False))


def _cell_text(cell: WordCell) -> str:
    paragraphs = ["".join(s.text for s in p if not s.sup) for p in cell.paragraphs]
    return "\n".join(" ".join(p.replace("\u00a0", " ").split()) for p in paragraphs).strip()


def _figure_name(name: str, column: Column) -> str:
    if column.key and column.role == "change":
        return f"{name}.{column.key}.change.{column.change}"
    if column.key:
        return f"{name}.{column.key}"
    if column.role == "change":
        return f"{name}.change.{column.change}"
    if column.role == "changes":
        return f"{name}.changes"
    if column.role == "percent":
        return f"{name}.percent"
    return name


def _any_period(columns: list[Column]) -> str | None:
    """The period of a derived column: the period of the result column, or of the last figure column."""
    for column in reversed(columns):
        if column.role in ("result", "figure") and column.period:
            return column.period
    return None
