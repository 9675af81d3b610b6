"""The body of a Word fascicle as a flat list of blocks: paragraphs with their level and tables as grids.

One text function serves everything: runs in document order, tabs kept, superscript note letters kept apart,
field codes, deleted text and the VML copies of drawings skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from fascicle.ingest.package import NS, Package, Unreadable, W
from fascicle.source.files import FORBIDDEN

_W = f"{{{W}}}"
LEVELS = ("HCh", "H1", "H23", "H4")
NUMBERED = re.compile(r"^\t?(?P<n>\d+[A-Z]?(?:\.[IVXL]+)?\.\d+)\t")


@dataclass(frozen=True)
class Segment:
    """A stretch of text with one vertical position: superscripts are note marks."""

    text: str
    sup: bool = False


@dataclass(frozen=True)
class Drawing:
    """A chart, picture or group of text boxes anchored in a paragraph."""

    kind: str  # "chart" | "picture" | "shapes"
    element: etree._Element
    part: str | None = None  # the chart part, for charts
    description: str = ""


@dataclass(frozen=True)
class Para:
    """A body paragraph: its effective heading level, text segments, frame flag and anchored drawings."""

    index: int
    style: str
    level: str | None
    segments: tuple[Segment, ...]
    frame: bool = False
    drawings: tuple[Drawing, ...] = ()
    footnotes: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The paragraph's text with tabs and note marks, as Word shows it."""
        return "".join(segment.text for segment in self.segments)

    @property
    def clean(self) -> str:
        """The text without superscript marks, tabs made spaces, spaces collapsed."""
        return " ".join("".join(s.text for s in self.segments if not s.sup).replace("\u00a0", " ")
                        .replace("\u202f", " ").split())


@dataclass(frozen=True)
class Cell:
    """A grid cell of a table: its first grid column, how many it spans and its paragraphs."""

    column: int
    span: int
    paragraphs: tuple[tuple[Segment, ...], ...]
    merged: bool = False  # continues a vertical merge from the row above

    @property
    def text(self) -> str:
        """The cell's text: paragraphs joined by a line break, marks included."""
        return "\n".join("".join(s.text for s in para) for para in self.paragraphs)

    @property
    def value_text(self) -> str:
        """The cell's text without superscript marks, whitespace collapsed (for numbers and labels)."""
        return " ".join("\n".join("".join(s.text for s in para if not s.sup) for para in self.paragraphs)
                        .replace("\u00a0", " ").replace("\u202f", " ").split())

    @property
    def marks(self) -> tuple[str, ...]:
        """Note marks written as superscripts in the cell: "a", "b"..."""
        found: list[str] = []
        for para in self.paragraphs:
            for segment in para:
                if segment.sup:
                    found.extend(mark for mark in re.split(r"[,\s]+", segment.text) if mark)
        return tuple(found)


@dataclass(frozen=True)
class Row:
    """A table row: its cells in grid order and whether Word repeats it as a header."""

    cells: tuple[Cell, ...]
    header: bool = False


@dataclass(frozen=True)
class Table:
    """A body table, numbered in document order from 1."""

    index: int
    rows: tuple[Row, ...]
    columns: int


@dataclass
class Body:
    """Everything read from word/document.xml in order, with what the reader noticed on the way."""

    blocks: list[Para | Table] = field(default_factory=list)
    footnotes: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Style:
    based_on: str | None
    outline: int | None


def _styles(package: Package) -> dict[str, _Style]:
    if not package.has("word/styles.xml"):
        return {}
    found = {}
    for style in package.xml("word/styles.xml").iter(f"{_W}style"):
        style_id = style.get(f"{_W}styleId", "")
        based = style.find(f"{_W}basedOn")
        outline = style.find(f"{_W}pPr/{_W}outlineLvl")
        found[style_id] = _Style(based.get(f"{_W}val") if based is not None else None,
                                 int(outline.get(f"{_W}val", "9")) if outline is not None else None)
    return found


def _level(style_id: str, styles: dict[str, _Style], p: etree._Element) -> str | None:
    seen = set()
    current: str | None = style_id
    while current and current not in seen:
        if current in LEVELS:
            return current
        if current == "TitleHCH":
            return "HCh"
        seen.add(current)
        current = styles[current].based_on if current in styles else None
    # A de-styled heading keeps only its outline level and direct formatting.
    outline = p.find(f"{_W}pPr/{_W}outlineLvl")
    if outline is None:
        return None
    level = outline.get(f"{_W}val", "9")
    if level == "0":
        size = p.find(f"{_W}pPr/{_W}rPr/{_W}sz")
        if size is None:
            size = p.find(f"{_W}r/{_W}rPr/{_W}sz")
        return "HCh" if size is not None and size.get(f"{_W}val") == "28" else "H1"
    return {"1": "H23", "2": "H23", "3": "H4"}.get(level)


def segments(element: etree._Element, into_boxes: bool = False) -> tuple[Segment, ...]:
    """The text of a paragraph (or any run container) as segments, in document order."""
    out: list[Segment] = []
    in_field_code = [False]

    def walk(node: etree._Element, sup: bool) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == f"{_W}r":
                run_sup = sup or _superscript(child)
                for piece in child:
                    _piece(piece, run_sup)
            elif tag in (f"{_W}del", f"{_W}moveFrom", f"{_W}pPr", f"{_W}rPr", f"{_W}instrText"):
                continue
            elif tag == f"{{{NS['mc']}}}AlternateContent":
                choice = child.find("mc:Choice", NS)
                if choice is not None:
                    walk(choice, sup)
            elif tag == f"{_W}txbxContent" and not into_boxes:
                continue
            else:
                walk(child, sup)

    def _piece(piece: etree._Element, sup: bool) -> None:
        tag = piece.tag
        if tag == f"{_W}fldChar":
            kind = piece.get(f"{_W}fldCharType")
            in_field_code[0] = kind == "begin"
            return
        if in_field_code[0]:
            return
        if tag == f"{_W}t":
            _add(piece.text or "", sup)
        elif tag == f"{_W}tab":
            _add("\t", False)
        elif tag in (f"{_W}br", f"{_W}cr"):
            _add("\n", False)
        elif tag == f"{_W}noBreakHyphen":
            _add("-", sup)
        elif tag == f"{_W}sym":
            char = piece.get(f"{_W}char", "")
            try:
                _add(chr(int(char, 16)) if char else "", sup)
            except ValueError:
                pass
        elif tag == f"{{{NS['mc']}}}AlternateContent" and into_boxes:
            choice = piece.find("mc:Choice", NS)
            if choice is not None:
                walk(choice, sup)
        elif tag == f"{_W}drawing" and into_boxes:
            walk(piece, sup)

    def _add(text: str, sup: bool) -> None:
        if not text:
            return
        # A character no output can hold (C1 controls, U+2028...) would make the dataset unloadable.
        text = FORBIDDEN.sub("\ufffd", text)
        if out and out[-1].sup == sup:
            out[-1] = Segment(out[-1].text + text, sup)
        else:
            out.append(Segment(text, sup))

    walk(element, False)
    return tuple(out)


def _superscript(run: etree._Element) -> bool:
    align = run.find(f"{_W}rPr/{_W}vertAlign")
    return align is not None and align.get(f"{_W}val") == "superscript"


def _drawings(package: Package, p: etree._Element, part: str) -> tuple[Drawing, ...]:
    found: list[Drawing] = []
    rels: dict[str, tuple[str, str, bool]] | None = None
    for drawing in p.iter(f"{_W}drawing"):
        if any(a.tag == f"{{{NS['mc']}}}Fallback" for a in drawing.iterancestors()):
            continue
        if any(a.tag == f"{_W}txbxContent" for a in drawing.iterancestors()):
            continue  # a picture inside a text box belongs to that box
        props = drawing.find(".//wp:docPr", NS)
        description = (props.get("descr") or props.get("title") or "") if props is not None else ""
        chart = drawing.find(".//c:chart", NS)
        if chart is not None:
            if rels is None:
                rels = package.relationships(part)
            target = rels.get(chart.get(f"{{{NS['r']}}}id", ""))
            found.append(Drawing("chart", drawing, target[0] if target else None, description))
        elif drawing.find(".//wpg:wgp", NS) is not None or drawing.find(".//wps:wsp", NS) is not None:
            found.append(Drawing("shapes", drawing, None, description))
        elif drawing.find(".//pic:pic", NS) is not None:
            found.append(Drawing("picture", drawing, None, description))
    return tuple(found)


def _cells(tr: etree._Element) -> list[tuple[int, int, etree._Element, bool]]:
    cells = []
    column = 0
    before = tr.find(f"{_W}trPr/{_W}gridBefore")
    if before is not None:
        column += int(before.get(f"{_W}val", "0") or 0)
    for tc in tr.findall(f"{_W}tc"):
        span_el = tc.find(f"{_W}tcPr/{_W}gridSpan")
        span = int(span_el.get(f"{_W}val", "1")) if span_el is not None else 1
        merge = tc.find(f"{_W}tcPr/{_W}vMerge")
        merged = merge is not None and merge.get(f"{_W}val", "continue") == "continue"
        cells.append((column, max(span, 1), tc, merged))
        column += max(span, 1)
    return cells


def _table(tbl: etree._Element, index: int) -> Table:
    if tbl.find(f"{_W}tr") is None:
        raise Unreadable(f"table {index} of the document has no rows: the file is damaged")
    rows = []
    width = len(tbl.findall(f"{_W}tblGrid/{_W}gridCol"))
    for tr in tbl.findall(f"{_W}tr"):
        header = tr.find(f"{_W}trPr/{_W}tblHeader") is not None
        cells = []
        for column, span, tc, merged in _cells(tr):
            paragraphs = tuple(segments(p) for p in tc.findall(f"{_W}p"))
            cells.append(Cell(column, span, paragraphs, merged))
            width = max(width, column + span)
        rows.append(Row(tuple(cells), header))
    return Table(index, tuple(rows), width)


def _footnotes(package: Package) -> dict[str, str]:
    if not package.has("word/footnotes.xml"):
        return {}
    found = {}
    for note in package.xml("word/footnotes.xml").iter(f"{_W}footnote"):
        if note.get(f"{_W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        text = " ".join(" ".join("".join(s.text for s in segments(p)) for p in note.iter(f"{_W}p")).split())
        found[note.get(f"{_W}id", "")] = text
    return found


def read_body(package: Package) -> Body:
    """Read the body of word/document.xml into blocks, in order."""
    part = "word/document.xml"
    root = package.xml(part)
    body = root.find(f"{_W}body")
    result = Body(footnotes=_footnotes(package))
    if body is None:
        result.warnings.append("word/document.xml has no body")
        return result
    styles = _styles(package)
    for tag, what in ((f"{_W}ins", "tracked insertions"), (f"{_W}del", "tracked deletions"),
                      (f"{_W}vanish", "hidden text")):
        count = sum(1 for _ in body.iter(tag))
        if count:
            result.warnings.append(f"{count} {what}: read as the document shows them with changes accepted")
    paragraphs = 0
    tables = 0
    for child in _flat(body):
        if child.tag == f"{_W}p":
            paragraphs += 1
            result.blocks.append(_para(package, child, paragraphs, styles, part))
        else:
            tables += 1
            result.blocks.append(_table(child, tables))
    return result


def _flat(body: etree._Element) -> Iterator[etree._Element]:
    """The body's paragraphs and tables in order, those inside content controls included."""
    for child in body:
        if child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _flat(content)


def _para(package: Package, p: etree._Element, index: int, styles: dict[str, _Style], part: str) -> Para:
    style_el = p.find(f"{_W}pPr/{_W}pStyle")
    style = style_el.get(f"{_W}val", "Normal") if style_el is not None else "Normal"
    frame = p.find(f"{_W}pPr/{_W}framePr") is not None
    notes = tuple(ref.get(f"{_W}id", "") for ref in p.iter(f"{_W}footnoteReference"))
    return Para(index, style, _level(style, styles, p), segments(p), frame, _drawings(package, p, part), notes)
