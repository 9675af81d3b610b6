"""An Annex I organization chart read from its DrawingML text boxes: units, posts by source and grade, hierarchy.

Form A writes the grade columns with tabs, form B as a table inside the text box, form C is a picture
(WORD-FASCICLES 2.6). Only `mc:Choice` is read: `mc:Fallback` holds a VML copy of every box.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from lxml import etree

from fascicle.ingest.package import NS
from fascicle.ingest.reader import Drawing, Segment, segments
from fascicle.model.general import Box, OrgChart
from fascicle.model.text import Text

_W = f"{{{NS['w']}}}"
_A = f"{{{NS['a']}}}"
_WPS = f"{{{NS['wps']}}}"
_WPG = f"{{{NS['wpg']}}}"
HEADER = re.compile(r"^[A-Z][A-Za-z ]{0,20}:$")
"""A column header of a box: "RB:", "XB:", "OA:", "ITC RB:"."""
POST = re.compile(r"^(\d+)\s+([A-Z][A-Za-z0-9/()\- ]*)$")
TOTAL = re.compile(r"^Total:\s*(\d+)$", re.IGNORECASE)
NUMBER = re.compile(r"^\d+$")
SKIP = re.compile(r"^(note|abbreviation)", re.IGNORECASE)
LINES = ("line", "straightConnector1", "bentConnector2", "bentConnector3", "bentConnector4", "bentConnector5",
         "curvedConnector3")
TOUCH = 120_000
"""How far (EMU, about 3 mm) a line's free end may stop from a box and still reach it: drawn by hand."""
CONTACT = 30_000
"""A line end this close (under a millimetre) to a box or another line touches it."""
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u00a0": " ", "\u202f": " "})


@dataclass(frozen=True)
class _Transform:
    """Maps a shape's coordinates to the page: x' = dx + sx * x."""

    dx: float = 0.0
    dy: float = 0.0
    sx: float = 1.0
    sy: float = 1.0

    def point(self, x: float, y: float) -> tuple[float, float]:
        """A point in page coordinates."""
        return self.dx + self.sx * x, self.dy + self.sy * y

    def then(self, inner: _Transform) -> _Transform:
        """This transform applied after an inner one."""
        return _Transform(self.dx + self.sx * inner.dx, self.dy + self.sy * inner.dy,
                          self.sx * inner.sx, self.sy * inner.sy)


@dataclass
class _Unit:
    """A text box read into a box, with its page rectangle."""

    title: str
    rect: tuple[float, float, float, float]
    posts: dict[str, dict[str, int]] = field(default_factory=dict)
    marks: dict[str, tuple[str, ...]] = field(default_factory=dict)
    total: int | None = None
    id: str = ""
    parent: str | None = None


@dataclass
class _Cell:
    """One entry of a box row: its column, span, text and note marks."""

    column: int
    span: int
    text: str
    marks: tuple[str, ...] = ()


def read_orgchart(drawings: list[Drawing]) -> OrgChart:
    """Read the boxes of one annex chart from its drawings; a chart drawn as a picture has no data."""
    review: list[str] = []
    units: list[_Unit] = []
    lines: list[tuple[tuple[float, float], tuple[float, float]]] = []
    for drawing in drawings:
        if drawing.kind == "shapes":
            _walk(drawing.element, units, lines, review)
    if not units:
        return OrgChart(picture=any(d.kind == "picture" for d in drawings), review=tuple(review))
    _name(units)
    _parents(units, lines)
    boxes = tuple(Box(id=u.id, title=Text(en=u.title), posts=u.posts, total=u.total, parent=u.parent,
                      marks=u.marks) for u in units)
    return OrgChart(boxes=boxes, review=tuple(review))


def _anchor(drawing: etree._Element) -> _Transform:
    """Where an anchored drawing sits: its horizontal and vertical offsets (0 when aligned, not offset)."""
    anchor = drawing[0] if len(drawing) else drawing
    offsets = []
    for axis in ("wp:positionH", "wp:positionV"):
        text = anchor.findtext(f"{axis}/wp:posOffset", None, NS)
        offsets.append(float(text) if text and _integer(text) else 0.0)
    return _Transform(offsets[0], offsets[1])


def _integer(text: str) -> bool:
    return bool(re.fullmatch(r"-?\d+", text.strip()))


def _walk(drawing: etree._Element, units: list[_Unit], lines: list[tuple[tuple[float, float], tuple[float, float]]],
          review: list[str]) -> None:
    """Collect the text boxes and lines of a drawing, groups included, in page coordinates."""
    data = drawing.find(".//a:graphicData", NS)
    if data is None:
        return
    base = _anchor(drawing)
    for child in data:
        _shape(child, base, units, lines, review)


def _shape(node: etree._Element, outer: _Transform, units: list[_Unit],
           lines: list[tuple[tuple[float, float], tuple[float, float]]], review: list[str]) -> None:
    """One shape or group: groups map their children's coordinates through chOff/chExt."""
    if node.tag in (f"{_WPG}wgp", f"{_WPG}grpSp"):
        transform = outer.then(_group(node))
        for child in node:
            _shape(child, transform, units, lines, review)
    elif node.tag == f"{_WPS}wsp":
        xfrm = node.find("wps:spPr/a:xfrm", NS)
        geometry = node.find("wps:spPr/a:prstGeom", NS)
        content = node.find("wps:txbx/w:txbxContent", NS)
        if content is not None:
            unit = _unit(content, _rect(xfrm, outer), review)
            if unit is not None:
                units.append(unit)
        elif geometry is not None and geometry.get("prst") in LINES and xfrm is not None:
            lines.append(_ends(xfrm, outer))


def _numbers(element: etree._Element | None, name: str, keys: tuple[str, str]) -> tuple[float, float]:
    child = element.find(f"a:{name}", NS) if element is not None else None
    if child is None:
        return 0.0, 0.0
    first, second = (child.get(key, "0") for key in keys)
    return (float(first) if _integer(first) else 0.0), (float(second) if _integer(second) else 0.0)


def _group(group: etree._Element) -> _Transform:
    """The transform of a group from its children's space to its parent's."""
    xfrm = group.find("wpg:grpSpPr/a:xfrm", NS)
    ox, oy = _numbers(xfrm, "off", ("x", "y"))
    cx, cy = _numbers(xfrm, "ext", ("cx", "cy"))
    chx, chy = _numbers(xfrm, "chOff", ("x", "y"))
    chcx, chcy = _numbers(xfrm, "chExt", ("cx", "cy"))
    sx = cx / chcx if chcx else 1.0
    sy = cy / chcy if chcy else 1.0
    return _Transform(ox - chx * sx, oy - chy * sy, sx, sy)


def _rect(xfrm: etree._Element | None, outer: _Transform) -> tuple[float, float, float, float]:
    """A shape's rectangle on the page, turned a quarter when rotated by 90 or 270 degrees."""
    x, y = _numbers(xfrm, "off", ("x", "y"))
    cx, cy = _numbers(xfrm, "ext", ("cx", "cy"))
    if xfrm is not None and round(int(xfrm.get("rot", "0") or 0) / 5_400_000) % 2:
        x, y, cx, cy = x + (cx - cy) / 2, y + (cy - cx) / 2, cy, cx
    x0, y0 = outer.point(x, y)
    x1, y1 = outer.point(x + cx, y + cy)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _ends(xfrm: etree._Element, outer: _Transform) -> tuple[tuple[float, float], tuple[float, float]]:
    """The two ends of a line or connector: corners of its box, flipped, then rotated about its centre."""
    x, y = _numbers(xfrm, "off", ("x", "y"))
    cx, cy = _numbers(xfrm, "ext", ("cx", "cy"))
    start = [-cx / 2, -cy / 2]
    if xfrm.get("flipH") in ("1", "true"):
        start[0] = -start[0]
    if xfrm.get("flipV") in ("1", "true"):
        start[1] = -start[1]
    angle = math.radians(int(xfrm.get("rot", "0") or 0) / 60_000)
    cos, sin = math.cos(angle), math.sin(angle)
    mx, my = x + cx / 2, y + cy / 2
    ends = []
    for sign in (1, -1):
        px, py = sign * start[0], sign * start[1]
        ends.append(outer.point(mx + px * cos - py * sin, my + px * sin + py * cos))
    return ends[0], ends[1]


def _unit(content: etree._Element, rect: tuple[float, float, float, float], review: list[str]) -> _Unit | None:
    """A text box as a unit: title lines, then the post columns (tabs or a table); None for notes and blanks."""
    title: list[str] = []
    rows: list[list[_Cell]] = []
    for child in content:
        if child.tag == f"{_W}p":
            cells = _tab_cells(segments(child, into_boxes=True))
            if rows or _is_header(cells):
                rows.append(cells)
            elif any(c.text for c in cells):
                title.append(" ".join(c.text for c in cells if c.text))
        elif child.tag == f"{_W}tbl":
            rows.extend(_table_cells(child))
    name = " ".join(" ".join(title).split())
    if not name or SKIP.match(name):
        return None
    unit = _Unit(name, rect)
    _posts(unit, rows, review)
    return unit


def _split_marks(segs: tuple[Segment, ...]) -> tuple[str, tuple[str, ...]]:
    text = "".join(s.text for s in segs if not s.sup)
    marks = tuple(m for s in segs if s.sup for m in re.split(r"[,\s]+", s.text) if m)
    return " ".join(text.translate(_DASHES).split()), marks


def _tab_cells(segs: tuple[Segment, ...]) -> list[_Cell]:
    """A paragraph split at its tabs into cells numbered by tab position, marks kept with their cell."""
    pieces: list[list[Segment]] = [[]]
    for seg in segs:
        parts = seg.text.split("\t")
        for number, part in enumerate(parts):
            if number:
                pieces.append([])
            if part:
                pieces[-1].append(Segment(part, seg.sup))
    cells = []
    for column, piece in enumerate(pieces):
        text, marks = _split_marks(tuple(piece))
        cells.append(_Cell(column, 1, text, marks))
    return cells


def _table_cells(tbl: etree._Element) -> list[list[_Cell]]:
    """The rows of a table inside a text box, cells placed on the grid by their spans."""
    rows = []
    for tr in tbl.findall("w:tr", NS):
        column = 0
        cells = []
        for tc in tr.findall("w:tc", NS):
            span_el = tc.find("w:tcPr/w:gridSpan", NS)
            span = max(int(span_el.get(f"{_W}val", "1")), 1) if span_el is not None else 1
            paragraphs = [_split_marks(segments(p, into_boxes=True)) for p in tc.findall("w:p", NS)] or [("", ())]
            # A cell of several paragraphs holds several entries of the same column.
            for text, marks in paragraphs if len(paragraphs) > 1 else paragraphs[:1]:
                cells.append(_Cell(column, span, text, marks))
            column += span
        rows.append(cells)
    return rows


def _is_header(cells: list[_Cell]) -> bool:
    filled = [c for c in cells if c.text]
    return bool(filled) and all(HEADER.match(c.text) for c in filled)


def _source(label: str) -> str:
    """The source of funds of a header: "ITC RB:" -> "RB"."""
    words = label.rstrip(":").split()
    return words[-1] if words else label


def _posts(unit: _Unit, rows: list[list[_Cell]], review: list[str]) -> None:
    """Read the post rows under the header into the unit, checking printed totals."""
    header = next((row for row in rows if _is_header(row)), None)
    if header is None:
        return
    columns = [(c.column, c.column + c.span, _source(c.text)) for c in header if c.text]
    body = [[c for c in row if c.text] for row in rows[rows.index(header) + 1:]]
    offset = _offset(header, [c for row in body for c in row])
    printed: list[tuple[int, int]] = []
    for cell, column in ((c, col) for row in body for c, col in _placed(row, columns, offset)):
        key = next((k for start, end, k in columns if start <= column < end), None)
        total = TOTAL.match(cell.text)
        post = POST.match(cell.text)
        if total:
            unit.total = int(total.group(1))
        elif NUMBER.match(cell.text):
            printed.append((column, int(cell.text)))
        elif post and key:
            _add(unit, key, post.group(2).strip(), int(post.group(1)), cell.marks)
        else:
            review.append(f"{unit.title}: did not read '{cell.text}'")
    _check(unit, columns, printed, review)


def _placed(row: list[_Cell], columns: list[tuple[int, int, str]], offset: int) -> list[tuple[_Cell, int]]:
    """The header column of each entry of a row; a row with more entries than headers wraps the first source."""
    surplus = len(row) - len(columns)
    if surplus <= 0 or not columns:
        return [(cell, cell.column - offset) for cell in row]
    # Sect. 9 prints RB in two tab columns under one "RB:" header: the surplus entries are RB's.
    return [(cell, columns[max(number - surplus, 0)][0]) for number, cell in enumerate(row)]


def _offset(header: list[_Cell], entries: list[_Cell]) -> int:
    """How many tab stops the entry lines are shifted from the header line (0 for tables)."""
    first_header = min(c.column for c in header if c.text)
    posts = [c.column for c in entries if POST.match(c.text)]
    return (min(posts) - first_header) if posts else 0


def _add(unit: _Unit, key: str, grade: str, count: int, marks: tuple[str, ...]) -> None:
    grades = unit.posts.setdefault(key, {})
    grades[grade] = grades.get(grade, 0) + count
    if marks:
        unit.marks[grade] = tuple(dict.fromkeys(unit.marks.get(grade, ()) + marks))


def _check(unit: _Unit, columns: list[tuple[int, int, str]], printed: list[tuple[int, int]],
           review: list[str]) -> None:
    """Compare the printed column totals and the box total with the posts read."""
    for column, value in printed:
        key = next((k for start, end, k in columns if start <= column < end), None)
        found = sum(unit.posts.get(key, {}).values()) if key else None
        if found != value:
            review.append(f"{unit.title}: the column total {value} ({key or 'no column'}) does not match the "
                          f"{found or 0} posts read")
    read = sum(sum(grades.values()) for grades in unit.posts.values())
    if unit.total is not None and unit.total != read:
        review.append(f"{unit.title}: the printed total {unit.total} does not match the {read} posts read")


def _slug(title: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower())) or "box"


def _name(units: list[_Unit]) -> None:
    """Give every unit a unique id from its title."""
    seen: dict[str, int] = {}
    for unit in units:
        base = _slug(unit.title)
        seen[base] = seen.get(base, 0) + 1
        unit.id = base if seen[base] == 1 else f"{base}-{seen[base]}"


def _distance(point: tuple[float, float], rect: tuple[float, float, float, float]) -> float:
    x, y = point
    dx = max(rect[0] - x, 0.0, x - rect[2])
    dy = max(rect[1] - y, 0.0, y - rect[3])
    return math.hypot(dx, dy)


def _order(unit: _Unit) -> tuple[float, float]:
    return unit.rect[1], unit.rect[0]


def _parents(units: list[_Unit], lines: list[tuple[tuple[float, float], tuple[float, float]]]) -> None:
    """Parents from the lines that join boxes, then from geometry: the nearest box above that overlaps.

    A network of lines has a head (the box most line ends reach, else the highest) and the units joined to it.
    One whose boxes all hang at one height is a row of siblings on a bus: their parent is the box its trunk (the
    line end highest up) rises to, though the trunk stops short of it."""
    for reached, ends in _networks(units, lines):
        network = list({id(unit): unit for unit in reached}.values())
        # The head: the box most line ends reach (a head office joined to its staff offices at its sides and to
        # its divisions below), the highest of those.
        touches = {id(unit): sum(u is unit for u in reached) for unit in network}
        top = min(network, key=lambda unit: (-touches[id(unit)], *_order(unit)))
        hub = touches[id(top)] > max(touches[id(unit)] for unit in network if unit is not top)
        tops = [unit.rect[1] for unit in network]
        if hub or len(network) == 2 or max(tops) - min(tops) > TOUCH:
            for unit in network:
                if unit is not top and unit.parent is None:
                    unit.parent = top.id
            continue
        x, y = min(ends, key=lambda point: point[1])
        above = [u for u in units if u.rect[0] <= x <= u.rect[2] and u.rect[3] <= y + TOUCH and u not in network]
        if above:
            parent = max(above, key=lambda u: u.rect[3])
            for unit in network:
                if unit.parent is None:
                    unit.parent = parent.id
    root = min(units, key=_order)
    for unit in units:
        if unit.parent is None and unit is not root:
            above = [u for u in units if u.rect[3] <= unit.rect[1] + TOUCH
                     and min(u.rect[2], unit.rect[2]) > max(u.rect[0], unit.rect[0]) and u is not unit]
            parent = max(above, key=lambda u: u.rect[3]) if above else root
            unit.parent = parent.id


def _networks(units: list[_Unit], lines: list[tuple[tuple[float, float], tuple[float, float]]],
              ) -> list[tuple[list[_Unit], list[tuple[float, float]]]]:
    """Boxes joined by a set of touching lines (each line end reaches a box, or meets another line), with the
    ends of those lines."""
    group = list(range(len(lines)))

    def find(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    ends: list[tuple[int, _Unit]] = []
    for i, line in enumerate(lines):
        for point in line:
            near = min(units, key=lambda u: _distance(point, u.rect))
            gap = _distance(point, near.rect)
            meets = [j for j, other in enumerate(lines) if j != i and _to_segment(point, other) <= CONTACT]
            if gap <= CONTACT or (gap <= TOUCH and not meets):
                ends.append((i, near))
            for j in meets if gap > CONTACT else ():
                group[find(i)] = find(j)
    # A trunk that runs down through a bus joins it, though neither ends on the other (Sect. 29A: the line from
    # the Office of the Under-Secretary-General crosses the buses of the second and third rows).
    for i, first in enumerate(lines):
        for j in range(i + 1, len(lines)):
            if _cross(first, lines[j]):
                group[find(i)] = find(j)
    reached: dict[int, list[_Unit]] = {}
    for i, unit in ends:
        # A unit appears once for every line end that reaches it: the hub of a network is reached most.
        reached.setdefault(find(i), []).append(unit)
    points: dict[int, list[tuple[float, float]]] = {}
    for i, line in enumerate(lines):
        points.setdefault(find(i), []).extend(line)
    return [(members, points[key]) for key, members in reached.items() if len(set(map(id, members))) > 1]


def _cross(first: tuple[tuple[float, float], tuple[float, float]],
           second: tuple[tuple[float, float], tuple[float, float]]) -> bool:
    """Whether two lines cross inside both (an end lying on the other is `_to_segment`'s business)."""
    (ax, ay), (bx, by) = first
    (cx, cy), (dx, dy) = second

    def side(px: float, py: float, qx: float, qy: float, rx: float, ry: float) -> float:
        return (qx - px) * (ry - py) - (qy - py) * (rx - px)

    return (side(ax, ay, bx, by, cx, cy) * side(ax, ay, bx, by, dx, dy) < 0
            and side(cx, cy, dx, dy, ax, ay) * side(cx, cy, dx, dy, bx, by) < 0)


def _to_segment(point: tuple[float, float], line: tuple[tuple[float, float], tuple[float, float]]) -> float:
    (x0, y0), (x1, y1) = line
    px, py = point
    length = (x1 - x0) ** 2 + (y1 - y0) ** 2
    t = 0.0 if not length else max(0.0, min(1.0, ((px - x0) * (x1 - x0) + (py - y0) * (y1 - y0)) / length))
    return math.hypot(px - (x0 + t * (x1 - x0)), py - (y0 + t * (y1 - y0)))
