"""The blocks of a Word fascicle as a model section: headings, numbered paragraphs, captioned tables and
figures with their units and notes, organization charts; and every table number named as a figure or printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from fascicle.ingest.package import Package, Unreadable, custom_properties
from fascicle.ingest.reader import Body, Drawing, Para
from fascicle.ingest.reader import Table as WordTable
from fascicle.ingest.tables import Account, Context, Mapped, key, map_table, unread_table
from fascicle.model.general import (
    Block,
    Document,
    Figure,
    Figures,
    Identity,
    OrgChart,
    Printed,
    PrintedCell,
    Section,
)
from fascicle.model.general import Table as ModelTable
from fascicle.model.text import Text

CAPTION = re.compile(r"^(Table|Figure)\s+(\d+[A-Z]?(?:\.[IVXL]+)?\.(?:\d+|[IVXLC]+))$")
UNITS = re.compile(r"^\(.{3,120}\)$")
SUB_LABEL = re.compile(r"^\((\d)\)\s*(Regular budget|Other assessed|Extrabudgetary)", re.IGNORECASE)
NUMBERED = re.compile(r"^\t?(?P<n>\d+[A-Z]?(?:\.[IVXL]+)?\.\d+)\t")
ITEM = re.compile(r"^\t*\((?P<n>[a-z]{1,3}|[ivx]{1,5})\)\t")
NOTE = re.compile(r"^\t?(?P<mark>[a-z](?:,[a-z])*)\t")
SYMBOL = re.compile(r"^A/(?P<session>\d{2,3})/6 \(Sect\. (?P<section>\d{1,2}[A-Z]?)\)(?P<rest>.*)$")
BUDGET_YEAR = re.compile(r"Proposed programme budget for (\d{4})")


@dataclass
class Imported:
    """A section read from a Word file, with the account of every table cell and what was noticed."""

    section: Section
    accounts: list[tuple[str, Account]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    corrigendum: bool = False


def identity(package: Package, body: Body) -> Identity:
    """The document's symbol, year, part, section and title, from its properties and cover."""
    props = custom_properties(package)
    symbol = " ".join(props.get("Symbol1", "").replace("_x000d_", " ").split())
    if not symbol:
        symbol = _symbol_from_comments(package)
    match = SYMBOL.match(symbol)
    if match is None:
        raise Unreadable(f"{package.path.name}: not a fascicle of the programme budget (document symbol "
                         f"{symbol or 'missing'}; a fascicle's is like A/80/6 (Sect. 13))")
    cover = [p.clean for p in body.blocks[:80] if isinstance(p, Para) and p.clean]
    year = next((int(m.group(1)) for text in cover if (m := BUDGET_YEAR.search(text))), None)
    if year is None:
        year = 1946 + int(match.group("session"))
    part = next((text for text in cover if re.match(r"^Part [IVXL]+$", text)), None)
    part_title = None
    if part:
        following = cover[cover.index(part) + 1: cover.index(part) + 2]
        part_title = Text(en=following[0]) if following else None
    title = " ".join(props.get("Title2", "").replace("_x000d_", " ").split())
    if not title:
        heading = f"Section {match.group('section')}"
        title = next((cover[i + 1] for i, text in enumerate(cover[:-1]) if text == heading), heading)
    return Identity(symbol=symbol, year=year, part=part, part_title=part_title, section=match.group("section"),
                    title=Text(en=title), entity=Text(en=title), job=props.get("JobNo") or None,
                    languages=("en",), original="en")


def _symbol_from_comments(package: Package) -> str:
    if not package.has("word/comments.xml"):
        return ""
    text = "".join(package.xml("word/comments.xml").itertext())
    match = re.search(r"<<ODS DOC SYMBOL1>>(.*?)<<ODS DOC SYMBOL1>>", text)
    return match.group(1).strip() if match else ""


@dataclass
class _Caption:
    kind: str
    number: str
    title: str | None = None
    units: str | None = None
    part: str | None = None
    parts_seen: int = 0


@dataclass
class _State:
    blocks: list[Block] = field(default_factory=list)
    mapped: list[tuple[str, Mapped]] = field(default_factory=list)
    caption: _Caption | None = None
    last_heading: str = ""
    shapes: list[Drawing] = field(default_factory=list)
    tables: set[str] = field(default_factory=set)
    entity: str | None = None
    """The roman number of the entity whose part the text is in, in a section of several entities."""
    entity_title: str | None = None
    place: str | None = None
    """The duty station whose chapter the text is in (Sect. 2: "Conference management, Geneva")."""


def read_section(package: Package, body: Body, charts: bool = True) -> Imported:
    """Turn the blocks of a fascicle into a model section and the account of every table cell."""
    ident = identity(package, body)
    state = _State()
    for block in body.blocks:
        if isinstance(block, WordTable):
            _table(state, block, ident.year)
        else:
            _paragraph(state, block, package, body, charts)
    _flush_shapes(state)
    figures, printed = _figures(state)
    figures += _rates(state.blocks, ident.year)
    figures += _measures(state.blocks, {(f.name, f.period) for f in figures})
    section = Section(fascicle=ident, document=Document(blocks=tuple(state.blocks)), figures=Figures(figures=figures),
                      printed=Printed(document=ident.symbol, cells=printed))
    imported = Imported(section, [(table_id, m.account) for table_id, m in state.mapped], list(body.warnings))
    imported.corrigendum = "/Corr." in ident.symbol
    return imported


def _paragraph(state: _State, para: Para, package: Package, body: Body, charts: bool) -> None:
    text = para.clean
    if para.drawings:
        _drawings(state, para, package, charts)
    if not text:
        return
    if para.frame:
        state.blocks.append(Block(kind="frame", text=Text(en=text)))
        return
    caption = CAPTION.match(text)
    if caption:
        _flush_shapes(state)
        state.caption = _Caption(caption.group(1), caption.group(2))
        return
    current = state.caption
    if current is not None and current.title is None:
        current.title = text
        return
    if current is not None and UNITS.match(text) and current.parts_seen == 0:
        current.units = text
        return
    label = SUB_LABEL.match(text)
    if current is not None and label:
        current.part = f"({label.group(1)}) {label.group(2)}"
        return
    if current is not None and _is_note(para, text):
        state.blocks.append(_note(para, text))
        return
    footnotes = tuple(Text(en=body.footnotes[n]) for n in para.footnotes if n in body.footnotes)
    if para.level is not None:
        state.caption = None
        _flush_shapes(state)
        state.last_heading = text
        _place(state, para.level, text)
        state.blocks.append(Block(kind="heading", level=para.level, text=Text(en=text),
                                  footnotes=footnotes))
        return
    state.caption = None
    raw = para.text
    numbered = NUMBERED.match(raw)
    if numbered:
        rest = " ".join(raw[numbered.end():].replace("\u00a0", " ").split())
        state.blocks.append(Block(kind="paragraph", number=numbered.group("n"), text=Text(en=_strip_marks(para, rest)),
                                  footnotes=footnotes))
        return
    item = ITEM.match(raw)
    if item:
        rest = " ".join(raw[item.end():].split())
        state.blocks.append(Block(kind="item", number=f"({item.group('n')})", text=Text(en=_strip_marks(para, rest)),
                                  footnotes=footnotes))
        return
    if _is_note(para, text):
        state.blocks.append(_note(para, text))
        return
    state.blocks.append(Block(kind="text", text=Text(en=text), footnotes=footnotes))


PLACE = re.compile(r"^[A-Z][\w ]+, (?P<place>[A-Z]\w+(?: [A-Z]\w+)*)$")
RESETS = ("Executive direction and management", "Programme support", "Policymaking organs", "Overview")


def _place(state: _State, level: str | None, text: str) -> None:
    """Follow the duty station chapters, whose subprogrammes repeat the numbers of the others."""
    entity = re.match(r"^(?P<n>[IVX]+)\.\s", text)
    if level == "HCh" and entity:
        state.entity = entity.group("n")
        state.entity_title = text[entity.end():].strip()
    elif level == "HCh" and text.startswith("Annex"):
        state.entity = None
    match = PLACE.match(text)
    if level in ("HCh", "H1") and match:
        state.place = match.group("place")
    elif level == "HCh" or (level == "H1" and text in RESETS):
        state.place = None


def _strip_marks(para: Para, text: str) -> str:
    # Footnote marks in the body are superscript runs; `text` was built from the raw runs, so rebuild it clean.
    clean = para.clean
    numbered = NUMBERED.match(para.text)
    item = ITEM.match(para.text)
    if numbered and clean.startswith(numbered.group("n")):
        return clean[len(numbered.group("n")):].strip()
    if item and clean.startswith(f"({item.group('n')})"):
        return clean[len(item.group("n")) + 2:].strip()
    return text


def _is_note(para: Para, text: str) -> bool:
    return (para.style == "FootnoteText" or bool(NOTE.match(para.text))
            or text.startswith(("Note:", "Notes:", "Abbreviation:", "Abbreviations:", "Source:", "Sources:")))


def _note(para: Para, text: str) -> Block:
    match = NOTE.match(para.text)
    if match:
        return Block(kind="note", number=match.group("mark"), text=Text(en=" ".join(para.text[match.end():].split())))
    return Block(kind="note", text=Text(en=text))


def _drawings(state: _State, para: Para, package: Package, charts: bool) -> None:
    for drawing in para.drawings:
        if drawing.kind == "shapes":
            state.shapes.append(drawing)
            continue
        caption = state.caption
        number = caption.number if caption and caption.kind == "Figure" else None
        title = Text(en=caption.title) if caption and caption.title else None
        units = Text(en=caption.units) if number and caption and caption.units else None
        if drawing.kind == "chart":
            chart = _chart(package, drawing) if charts else None
            state.blocks.append(Block(kind="figure", caption=number, text=title, chart=chart, units=units))
        else:
            state.blocks.append(Block(kind="picture", caption=number, units=units, text=title or (
                Text(en=drawing.description) if drawing.description else None)))
        if caption and caption.kind == "Figure":
            state.caption = None


def _chart(package: Package, drawing: Drawing):  # type: ignore[no-untyped-def]
    if drawing.part is None:
        return None
    try:
        from fascicle.ingest.charts import read_chart
    except ImportError:  # pragma: no cover - the chart reader is optional while it is built
        return None
    return read_chart(package, drawing.part)


def _flush_shapes(state: _State) -> None:
    if not state.shapes:
        return
    drawings, state.shapes = state.shapes, []
    try:
        from fascicle.ingest.orgchart import read_orgchart
    except ImportError:  # pragma: no cover
        state.blocks.append(Block(kind="orgchart", orgchart=OrgChart()))
        return
    chart = read_orgchart(drawings)
    # Text boxes that hold no unit (the cover's symbol boxes, a floating note) are not an organization chart.
    if chart.boxes or chart.picture:
        state.blocks.append(Block(kind="orgchart", orgchart=chart))


def _table(state: _State, word: WordTable, year: int) -> None:
    _flush_shapes(state)
    caption = state.caption
    if caption is not None and caption.kind == "Table" and caption.title:
        caption.parts_seen += 1
        base = caption.number
        table_id = f"{base} {caption.part.split(' ', 1)[0]}" if caption.part else base
        context = Context(table_id, base, caption.title, caption.units, caption.part, year, place=state.place,
                          entity=state.entity, entity_title=state.entity_title)
        caption.part = None
    else:
        table_id = f"T{word.index}"
        context = Context(table_id, None, state.last_heading or f"Table {word.index}", None, None, year)
    while table_id in state.tables:
        table_id += "'"
        context = Context(table_id, context.number, context.title, context.units, context.part, year,
                          place=context.place, entity=context.entity, entity_title=context.entity_title)
    state.tables.add(table_id)
    try:
        mapped = map_table(word, context)
    except Exception as error:  # noqa: BLE001 - one table nobody foresaw must not lose the section
        mapped = unread_table(word, context, f"the table could not be read ({type(error).__name__}: {error})")
    state.mapped.append((table_id, mapped))
    state.blocks.append(Block(kind="table", table=mapped.table))
    # Across-part totals ("Total (1+2)", or a bare Total after "Subtotal, 2") add the part totals of this caption.
    if caption is not None and caption.parts_seen > 1:
        _link_parts(state, caption.number)


def _link_parts(state: _State, number: str) -> None:
    parts = [(tid, m) for tid, m in state.mapped if m.table.number == number]
    last_id, last = parts[-1]
    rows = list(last.table.rows)
    for index, row in enumerate(rows):
        label = row.label.en if row.label and row.label.en else ""
        if row.role != "total" or not (label.lower().startswith("total (") or label.lower() == "total"):
            continue
        if label.lower() == "total" and not any(r.role == "subtotal" for r in rows[:index]):
            continue
        across = []
        for tid, mapped in parts:
            for position, other in enumerate(mapped.table.rows):
                other_label = other.label.en if other.label and other.label.en else ""
                if re.match(r"^subtotal,\s*\d$", other_label, re.IGNORECASE):
                    across.append((tid, position))
        if across:
            family = "posts" if last.table.kind == "posts-by-component" else "resources"
            scope = last.table.scope
            ref = f"{family}.total" if scope in (None, "overall") else f"{family}.{scope}.total"
            if last.table.entity:
                ref = f"entity-{last.table.entity.lower()}.{ref}"
            old = row.ref or ""
            rows[index] = row.model_copy(update={"across": tuple(across), "sums": (), "ref": ref})
            last.numbers[:] = [(r, c, ref + n[len(old):], p, v, True) if r == index else (r, c, n, p, v, d)
                               for r, c, n, p, v, d in last.numbers]
    table = last.table.model_copy(update={"rows": tuple(rows)})
    last.table = table
    for position, block in enumerate(state.blocks):
        if block.kind == "table" and block.table is not None and block.table.id == last_id:
            state.blocks[position] = block.model_copy(update={"table": table})


def _figures(state: _State) -> tuple[tuple[Figure, ...], tuple[PrintedCell, ...]]:
    """Decide, in reading order, which numbers are data and which are printed totals or restatements."""
    leaves: dict[tuple[str, str], int] = {}
    figures: list[Figure] = []
    printed: list[PrintedCell] = []
    for table_id, mapped in state.mapped:
        table = mapped.table
        unit = _unit(table.units.en if table.units and table.units.en else "", table.kind)
        for row, column, name, period, value, derived in mapped.numbers:
            where = _where(table_id, table, row, column)
            if derived or (name, period) in leaves:
                printed.append(PrintedCell(ref=name, period=period, value=value, table=table_id, row=row,
                                           column=column, where=where))
                mapped.account.printed += 1
                continue
            leaves[(name, period)] = len(figures)
            posts = name.startswith("posts.")
            figures.append(Figure(name=name, period=period, value=value, unit="posts" if posts else unit,
                                  currency=None if posts else table.currency, where=where, table=table_id))
            mapped.account.figures += 1
        for row, column, name, period, value in mapped.earlier:
            printed.append(PrintedCell(ref=name, period=period, value=value, table=table_id, row=row, column=column,
                                       where=_where(table_id, table, row, column) + " [in square brackets]",
                                       document=_earlier_document(state, table_id)))
            mapped.account.printed += 1
    return tuple(figures), tuple(printed)


SYMBOL_IN_TEXT = re.compile(r"A/\d{2,3}/6 \(Sect\. \d{1,2}[A-Z]?\)")


def _earlier_document(state: _State, table_id: str) -> str | None:
    """The document a table's square brackets quote, as its note names it ("... reflected in A/80/6 (Sect. 13)")."""
    after = False
    for block in state.blocks:
        if block.kind == "table" and block.table is not None:
            after = block.table.id == table_id
            continue
        if after and block.kind == "note" and block.text and block.text.en and "bracket" in block.text.en:
            match = SYMBOL_IN_TEXT.search(block.text.en)
            return match.group(0) if match else None
        if after and block.kind not in ("note", "frame"):
            after = False
    return None


RATE = re.compile(r"exchange rate of (?:SwF|CHF|Swiss francs) ?(\d+\.\d+) (?:to|per|=) (?:\$|US\$)\s?1(?:\.00)?")


def _rates(blocks: list[Block], year: int) -> tuple[Figure, ...]:
    """The exchange rate a paragraph states for the plan year (ITC: "an exchange rate of SwF 0.8220 to $1.00")."""
    found: list[Figure] = []
    for block in blocks:
        if block.kind != "paragraph" or block.text is None or not block.text.en:
            continue
        match = RATE.search(block.text.en)
        if match and not found:
            found.append(Figure(name="exchange_rate", period=f"{year} proposed", value=Decimal(match.group(1)),
                                unit="CHF per USD", where=f"paragraph {block.number}"))
    return tuple(found)


STAGE_IN_NAME = re.compile(r"\s*\((planned|actual|target)\)\s*$", re.IGNORECASE)
YEAR_STAGE = re.compile(r"^(?P<year>\d{4})\s*(?:\((?P<stage>planned|actual|target)\))?", re.IGNORECASE)


def _measures(blocks: list[Block], known: set[tuple[str, str]]) -> tuple[Figure, ...]:
    """The series of the performance-measure charts as figures, `measure.<series>` by year and stage, so that
    a later document's restated actuals and plans are checked against this one."""
    found: list[Figure] = []
    for block in blocks:
        chart = block.chart
        if block.kind != "figure" or chart is None:
            continue
        for series in chart.series:
            named = STAGE_IN_NAME.search(series.name)
            name = f"measure.{key(STAGE_IN_NAME.sub('', series.name), 60)}"
            for point in series.points:
                category = YEAR_STAGE.match(point.category.strip())
                stage = (named.group(1) if named else category.group("stage") if category else None)
                # A point with no value is a year not reported yet: nothing to restate.
                if category is None or stage is None or point.value is None:
                    continue
                period = f"{category.group('year')} {stage.lower()}"
                if (name, period) in known:
                    continue
                known.add((name, period))
                found.append(Figure(name=name, period=period, value=point.value, unit="number",
                                    where=f"Figure {block.caption}, series {series.name!r}, {point.category}"))
    return tuple(found)


def _unit(units: str, kind: str) -> str:
    lowered = units.lower()
    if kind in ("grades", "posts-by-component", "post-changes"):
        return "posts"
    if "thousands" in lowered:
        return "thousands"
    if "millions" in lowered:
        return "millions"
    if "percentage" in lowered:
        return "percent"
    return "number"


def _where(table_id: str, table: ModelTable, row: int, column: int) -> str:
    text = table.rows[row].label
    label = text.en if text is not None and text.en else f"row {row + 1}"
    header = table.columns[column].header if column < len(table.columns) else ""
    name = f"Table {table_id}" if not table_id.startswith("T") else f"table {table_id[1:]} (no caption)"
    return f"{name}, row {label!r}, column {header or column + 1!r}"

