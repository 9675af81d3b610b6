"""Charts drawn once per language with matplotlib, as SVG (text as paths) and PNG, reused by every backend.

A chart is drawn only in the formats the outputs asked for need, and a chart drawn before (same data, language,
file name, format, program and fonts) is copied from the user's private cache folder instead: matplotlib is then
never imported, which is a third of a second of a build.
"""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import math
import os
import re
import stat
import tempfile
import textwrap
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from decimal import Decimal
from importlib.util import find_spec
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from fascicle.document.ids import Unique, slug
from fascicle.document.numbers import number
from fascicle.document.tree import Chart, Document, FigureBlock, OrgBox
from fascicle.source import cache

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@functools.cache
def _pyplot() -> ModuleType:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot

    return matplotlib.pyplot


class _LazyPyplot:
    """matplotlib.pyplot, imported on first use."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_pyplot(), name)


# At run time `plt` imports pyplot when a chart is first drawn; the type checker sees pyplot itself.
if TYPE_CHECKING:
    import matplotlib.pyplot as plt
else:
    plt = _LazyPyplot()

# Latin text takes Noto Sans first (the CJK font's punctuation is full-width); Chinese takes its own font first.
FONTS = {"zh": ["Noto Sans CJK SC", "Noto Sans", "DejaVu Sans"]}
DEFAULT_FONTS = ["Noto Sans", "Noto Sans CJK SC", "Noto Sans Arabic", "DejaVu Sans"]
BLUE = "#1f5f9f"


@dataclass(frozen=True)
class Drawn:
    """The files of one chart; only the formats drawn (see draw_all) are written."""

    svg: Path
    png: Path


FORMATS = ("svg", "png")
VERSION = b"fascicle-chart-2"


def draw_all(document: Document, directory: Path, formats: Collection[str] = FORMATS) -> dict[str, Drawn]:
    """Write every chart of a document into `directory` in the given formats ("svg", "png"), each drawn once or
    copied from the cache; return the files by chart id (a format not asked for is named, never written)."""
    drawn: dict[str, Drawn] = {}
    # A chart id carries an exhibit number from the data: its file name is a slug of it, never a path.
    names = Unique()
    for block in document.blocks:
        if isinstance(block, FigureBlock):
            for chart in block.charts:
                drawn[chart.id] = _write(chart, document.lang, names(chart.id), directory, formats)
    return drawn


def draw_one(chart: Chart, lang: str, directory: Path, formats: Collection[str] = FORMATS) -> Drawn:
    """Write one chart into `directory` as draw_all does, named by a slug of its id."""
    return _write(chart, lang, slug(chart.id), directory, formats)


def _write(chart: Chart, lang: str, name: str, directory: Path, formats: Collection[str]) -> Drawn:
    """Write a chart's files named `name` in the formats asked for, drawn or copied from the cache."""
    directory.mkdir(parents=True, exist_ok=True)
    kinds = [kind for kind in FORMATS if kind in formats]
    for kind, data in _files(chart, lang, name, kinds, cache.folder() if kinds else None).items():
        (directory / f"{name}.{kind}").write_bytes(data)
    return Drawn(directory / f"{name}.svg", directory / f"{name}.png")


def _files(chart: Chart, lang: str, name: str, kinds: list[str], where: Path | None) -> dict[str, bytes]:
    """The chart's bytes in each format: from the cache, or drawn (the drawings then kept in the cache)."""
    keys = {kind: _key(chart, lang, name, kind) for kind in kinds}
    files = {kind: data for kind in kinds if where and (data := _cached(where, keys[kind])) is not None}
    missing = [kind for kind in kinds if kind not in files]
    if missing:
        made = _draw(chart, lang, name, missing)
        for kind in missing:
            if where:
                _keep(where, keys[kind], made[kind])
        files.update(made)
    return files


def _context(lang: str) -> Any:
    """matplotlib's settings for a chart in a language."""
    # Every text is drawn as written: "$x$" is never mathtext and nothing goes through TeX (each text call says
    # so too, for the texts matplotlib makes later, such as tick labels).
    return plt.rc_context({"font.family": FONTS.get(lang, DEFAULT_FONTS), "svg.fonttype": "path",
                           "svg.hashsalt": "fascicle", "font.size": 8, "axes.unicode_minus": False,
                           "text.parse_math": False, "text.usetex": False})


def drawing(chart: Chart, lang: str) -> Figure:
    """The matplotlib figure of one chart (the caller closes it)."""
    with _context(lang):
        return DRAWERS[chart.kind](chart, lang)


def _draw(chart: Chart, lang: str, name: str, kinds: list[str]) -> dict[str, bytes]:
    """Draw one chart with matplotlib, in each format asked for, on a transparent background (the draft
    watermark shows through it, review C5)."""
    with _context(lang):
        figure = drawing(chart, lang)
        # The panels of Figure 13.IV and the organization charts are drawn at the size they print, so that
        # panels side by side share one scale; a measure chart is cropped to what it draws.
        crop = "tight" if chart.kind == "bars" else None
        files = {}
        for kind in kinds:
            buffer = io.BytesIO()
            if kind == "svg":
                figure.savefig(buffer, format="svg", bbox_inches=crop, transparent=True, metadata={"Date": None})
            else:
                figure.savefig(buffer, format="png", dpi=200, bbox_inches=crop, transparent=True)
            files[kind] = buffer.getvalue()
        plt.close(figure)
    return files


# Chart cache -----------------------------------------------------------------------------------------------------
# Entries are raw SVG or PNG bytes, never unpickled, in the folder of the part cache (source/cache.py): a folder
# of this user's that nobody else may write to, else none. FASCICLE_CACHE=0 turns it off.


def _key(chart: Chart, lang: str, name: str, kind: str) -> str:
    digest = hashlib.sha256(_environment())
    digest.update(repr((lang, name, kind, chart)).encode("utf-8", "surrogatepass"))
    return f"chart-{digest.hexdigest()}.{kind}"


@functools.cache
def _environment() -> bytes:
    """What a drawing depends on besides its chart: this program's code, matplotlib's version and the fonts
    installed (adding or removing a font changes its folder's time, and matplotlib's font list), found without
    importing matplotlib."""
    digest = hashlib.sha256(VERSION + cache.code())
    spec = find_spec("matplotlib")
    if spec is not None and spec.origin is not None:
        version = Path(spec.origin).with_name("_version.py")
        digest.update(spec.origin.encode() + (version.read_bytes() if version.is_file() else b""))
    home = Path.home()
    xdg = os.environ.get("XDG_CACHE_HOME") or str(home / ".cache")
    folders = [Path(os.environ.get("MPLCONFIGDIR") or os.path.join(xdg, "matplotlib"))]
    for root in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".fonts",
                 home / ".local" / "share" / "fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts"),
                 home / "Library" / "Fonts", Path(os.environ.get("WINDIR", "C:\\Windows")) / "Fonts"):
        folders += [Path(folder) for folder, _, _ in os.walk(root)]
    for folder in folders:
        try:
            digest.update(f"{folder}\0{folder.stat().st_mtime_ns}\0".encode("utf-8", "surrogateescape"))
        except OSError:
            continue
    return digest.digest()


def _cached(where: Path, name: str) -> bytes | None:
    file = where / name
    try:
        info = file.stat()
        if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) or not stat.S_ISREG(
                info.st_mode):
            return None
        with open(file, "rb") as handle:
            return handle.read() or None
    except OSError:
        return None


def _keep(where: Path, name: str, data: bytes) -> None:
    """Keep one drawing, written whole or not at all; a full disk only loses the cache."""
    try:
        handle, temporary = tempfile.mkstemp(dir=where, prefix=".chart.")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, where / name)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        return
    cache.now_and_then(where)


# Measuring and wrapping text -------------------------------------------------------------------------------------

POINT = 1 / 72
"""A point, in inches: the drawings below place everything in inches."""

FONT = 7.0
"""The one text size of the panels of a figure and of an organization chart's posts, in points at print size."""

_TOKENS = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^ \t\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+|[ \t]+")
"""Where a line may break: between any two Chinese characters (or full-width signs), else at spaces, never at a
no-break space ("3\u00a0P-5" stays on one line)."""
LINE = 1.2
"""The distance between lines of text, in font sizes."""


class _Ruler:
    """Sizes of texts in inches as the figure will draw them."""

    def __init__(self, figure: Figure) -> None:
        self.figure = figure
        self.renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        self.known: dict[tuple[str, float, str, float], tuple[float, float]] = {}

    def size(self, text: str, size: float, weight: str = "normal", spacing: float = LINE) -> tuple[float, float]:
        """The width and height of a text, its lines `spacing` apart."""
        key = (text, size, weight, spacing)
        if key not in self.known:
            probe = self.figure.text(0, 0, text, fontsize=size, fontweight=weight, linespacing=spacing,
                                     parse_math=False)
            extent = probe.get_window_extent(self.renderer)
            self.known[key] = (extent.width / self.figure.dpi, extent.height / self.figure.dpi)
            probe.remove()
        return self.known[key]

    def width(self, text: str, size: float, weight: str = "normal") -> float:
        """The width of one line of text."""
        return self.size(text, size, weight)[0]

    def height(self, lines: list[str], size: float, weight: str = "normal", spacing: float = LINE) -> float:
        """The height of some lines of text `spacing` apart (none: nothing)."""
        return self.size("\n".join(lines), size, weight, spacing)[1] if lines else 0.0

    def wrap(self, text: str, room: float, size: float, weight: str = "normal") -> list[str]:
        """The lines of a text no wider than `room` inches (a word wider than that has a line of its own)."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line = ""
            for token in _TOKENS.findall(paragraph):
                blank = not token.strip(" \t")
                trial = line + token
                if line.strip() and not blank and self.width(trial.rstrip(" \t"), size, weight) > room:
                    lines.append(line.rstrip(" \t"))
                    line = token
                elif line or not blank:
                    line = trial
            lines.append(line.rstrip(" \t"))
        return lines


# Panels -----------------------------------------------------------------------------------------------------------

PANEL_WIDTH = 2.05
"""The width of a panel of a figure with several charts, in inches: a third of the PDF's text width (16.6 cm)
less its gutters, the width it prints at there. Every panel has it, so that panels side by side print at one
scale and one text size (review Z18)."""


def _hbars(chart: Chart, lang: str) -> Figure:
    """Horizontal bars, the first label on top as the table under the figure lists it (review Z19), the title
    and each text (unit, total) on lines of their own (review T7)."""
    figure = plt.figure(figsize=(PANEL_WIDTH, 2))
    ruler = _Ruler(figure)
    values = chart.series[0][1] if chart.series else tuple(None for _ in chart.labels)
    labels = ["\n".join(ruler.wrap(name, PANEL_WIDTH * 0.42, FONT)) for name in chart.labels]
    shown = [_label(value, chart.places, lang) for value in values]
    label_room = max((ruler.width(line, FONT) for name in labels for line in name.split("\n")), default=0)
    value_room = max((ruler.width(f" {text}", FONT) for text in shown), default=0) + 0.03
    title = ruler.wrap(chart.title, PANEL_WIDTH, FONT, "bold") if chart.title else []
    texts = [line for text in chart.texts for line in ruler.wrap(text, PANEL_WIDTH, FONT)]
    title_height = ruler.height(title, FONT, "bold") + (0.03 if title and texts else 0)
    heading = title_height + ruler.height(texts, FONT) + 0.1
    slots = [ruler.height(name.split("\n"), FONT) + 0.07 for name in labels]
    bars = sum(slots)
    height = heading + bars + 0.04
    figure.set_size_inches(PANEL_WIDTH, height)
    left = label_room + 0.07
    axes = figure.add_axes((left / PANEL_WIDTH, 0.02 / height,
                            max(0.1, PANEL_WIDTH - left - value_room) / PANEL_WIDTH, bars / height))
    axes.patch.set_alpha(0)
    centres = [sum(slots[:i]) + slot / 2 for i, slot in enumerate(slots)]
    thickness = min(slots, default=0.2) * 0.6
    axes.barh(centres, [v or 0 for v in values], height=thickness, color=BLUE)
    axes.set_yticks(centres, labels, parse_math=False, fontsize=FONT, linespacing=LINE)
    axes.tick_params(axis="y", length=0, pad=3)
    top = max((v or 0 for v in values), default=0) or 1
    axes.set_xlim(0, top)
    axes.set_ylim(bars, 0)
    for centre, value, text in zip(centres, values, shown, strict=True):
        axes.text(value or 0, centre, f" {text}", va="center", fontsize=FONT, parse_math=False, clip_on=False)
    axes.spines[["top", "right", "bottom"]].set_visible(False)
    axes.set_xticks([])
    y = 1.0
    if title:
        figure.text(0, y, "\n".join(title), va="top", ha="left", fontsize=FONT, fontweight="bold",
                    linespacing=LINE, parse_math=False)
        y -= title_height / height
    if texts:
        figure.text(0, y, "\n".join(texts), va="top", ha="left", fontsize=FONT, linespacing=LINE,
                    parse_math=False)
    return figure


def _bars(chart: Chart, lang: str) -> Figure:
    """Vertical bars of one measure by period, its unit (the chart's texts) under its title (review E2)."""
    figure, axes = plt.subplots(figsize=(4.5, 2.2))
    axes.patch.set_alpha(0)
    name, values = chart.series[0]
    positions = list(range(len(chart.labels)))
    axes.bar(positions, [v or 0 for v in values], color=BLUE, width=0.5)
    for position, value in zip(positions, values, strict=True):
        if value is not None:
            axes.text(position, value, _label(value, chart.places, lang), ha="center", va="bottom", fontsize=7,
                      parse_math=False)
    axes.set_xticks(positions, chart.labels, parse_math=False)
    # Wrapped here: matplotlib's own wrapping measures the text as mathtext whenever it holds two "$", even with
    # parse_math off, and then fails on it.
    title = "\n".join(textwrap.fill(line, 36 if lang == "zh" else 72) for line in (name, *chart.texts))
    axes.set_title(title, fontsize=8, loc="left", parse_math=False)
    axes.spines[["top", "right", "left"]].set_visible(False)
    axes.set_yticks([])
    axes.margins(y=0.2)
    return figure


def _label(value: float | None, places: int, lang: str) -> str:
    # The drawn value is a float; its label is the figure again, as a decimal at the chart's precision.
    if value is None:
        return "—"
    return number(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places)), lang)


# Organization charts ----------------------------------------------------------------------------------------------

ORG_WIDTH = 6.5
"""The widest an organization chart is drawn, in inches: the text width of the PDF, where it prints at this size."""
PER_ROW = 5
"""The most boxes side by side under one box; more are wrapped into further rows."""
GAP, DROP, PAD = 0.12, 0.32, 0.06
"""Between two boxes side by side, between a box and the row below it, inside a box (inches)."""
INDENT = 0.18
"""How far a box stacked under another sits right of it (inches): the line down to it runs in between."""
NAME_SIZE = 7.5
WIDEST_BOX = 2.0
"""The widest box, in inches."""
ORG_PAGE = (9.5, 6.5)
"""The landscape page, within its margins (inches), that a chart deeper than two levels is laid out for."""
SMALLEST = 6.0
"""The smallest text (points) such a chart may print at on that page before its columns flow side by side."""
BOX_STEP = 0.15
"""The step between the box widths tried for such a chart (inches)."""
TIGHT = 0.9
"""A closer line spacing (in matplotlib's terms, of the font's full height) that such a chart may take to fit."""


@dataclass
class _Placed:
    """A box laid out: its lines, its size, the boxes below it, and, once placed, where it is."""

    box: OrgBox
    name: list[str]
    lines: list[str]
    name_height: float
    height: float
    rows: list[list[_Placed]] = field(default_factory=list)
    """The boxes below a top box, side by side, by row."""
    columns: list[list[_Placed]] = field(default_factory=list)
    """The boxes below any other box, stacked, by column."""
    width: float = 0.0
    """The width of the box with everything below it."""
    tall: float = 0.0
    """The height of the box with everything below it."""
    x: float = 0.0
    y: float = 0.0


@dataclass(frozen=True)
class _Stack:
    """One way to stack the units under a box: the size of the box with them, and their columns, each unit
    with its own way."""

    width: float
    tall: float
    columns: tuple[tuple[tuple[_Placed, _Stack], ...], ...] = ()

    def apply(self, placed: _Placed) -> None:
        """Give a box, and the boxes under it, this way."""
        placed.width, placed.tall = self.width, self.tall
        placed.columns = [[child for child, _ in column] for column in self.columns]
        for column in self.columns:
            for child, way in column:
                way.apply(child)


@dataclass
class _Layout:
    """An organization chart laid out: its top boxes by row, its box width and its size."""

    roots: list[list[_Placed]]
    box_width: float
    spacing: float
    width: float
    height: float

    def scale(self) -> float:
        """The scale the chart prints at when fitted to ORG_PAGE, never enlarged."""
        return min(1.0, ORG_PAGE[0] / self.width, ORG_PAGE[1] / self.height)

    def flowed(self) -> int:
        """How many columns of stacked boxes stand beside another of their box's."""

        def count(placed: _Placed) -> int:
            below = [child for group in (*placed.rows, *placed.columns) for child in group]
            return max(0, len(placed.columns) - 1) + sum(count(child) for child in below)

        return sum(count(top) for row in self.roots for top in row)


class _Planner:
    """Lays out the boxes of one chart with lines `spacing` apart, each box measured once per box width."""

    def __init__(self, ruler: _Ruler, tops: tuple[OrgBox, ...], spacing: float) -> None:
        self.ruler, self.tops, self.spacing = ruler, tops, spacing
        self.measured: dict[tuple[int, float], tuple[list[str], list[str], float, float]] = {}
        self.ways: dict[tuple[int, float, float], list[_Stack]] = {}

    def measure(self, box: OrgBox, box_width: float) -> _Placed:
        """A box, its text wrapped to the box width, with nothing below it yet."""
        key = (id(box), box_width)
        if key not in self.measured:
            room = box_width - 2 * PAD
            name = self.ruler.wrap(box.name, room, NAME_SIZE, "bold")
            lines = [line for text in box.lines for line in self.ruler.wrap(text, room, FONT)]
            name_height = self.ruler.height(name, NAME_SIZE, "bold", self.spacing)
            height = 2 * PAD + name_height + (0.05 + self.ruler.height(lines, FONT, spacing=self.spacing)
                                              if lines else 0)
            self.measured[key] = name, lines, name_height, height
        return _Placed(box, *self.measured[key])

    def stacks(self, placed: _Placed, box_width: float) -> list[_Stack]:
        """The ways to stack the units under a box in columns below it, each a little right of it, as the
        Annex I charts stack the sections of a division: from one column, the tallest, to more side by side,
        each the narrowest of its height."""
        key = (id(placed.box), box_width, placed.height)
        if key in self.ways:
            return self.ways[key]
        children = [self.measure(child, box_width) for child in placed.box.children]
        if not children:
            self.ways[key] = [_Stack(box_width, placed.height)]
            return self.ways[key]
        below = [self.stacks(child, box_width) for child in children]
        # Each run of units in one column: for each width, its shortest height.
        runs: dict[tuple[int, int], list[tuple[float, float, tuple[tuple[_Placed, _Stack], ...]]]] = {}
        for start, end in itertools.combinations(range(len(children) + 1), 2):
            found: list[tuple[float, float, tuple[tuple[_Placed, _Stack], ...]]] = []
            for widest in sorted({way.width for ways in below[start:end] for way in ways}):
                picks = [min((way for way in ways if way.width <= widest), key=lambda way: way.tall, default=None)
                         for ways in below[start:end]]
                chosen = [way for way in picks if way is not None]
                if len(chosen) < len(picks):
                    continue
                tall = sum(way.tall for way in chosen) + GAP * (len(chosen) - 1)
                if not found or tall < found[-1][1] - 1e-9:
                    found.append((INDENT + max(way.width for way in chosen), tall,
                                  tuple(zip(children[start:end], chosen, strict=True))))
            runs[start, end] = found
        ways: list[_Stack] = []
        for room in sorted({tall for found in runs.values() for _, tall, _ in found}, reverse=True):
            # The narrowest columns no taller than `room`, the units in order (by where the columns end).
            best: list[tuple[float, tuple[tuple[tuple[_Placed, _Stack], ...], ...]] | None] = [(0.0, ())]
            for end in range(1, len(children) + 1):
                options = []
                for start in range(end):
                    fits = [run for run in runs[start, end] if run[1] <= room + 1e-9]
                    before = best[start]
                    if fits and before is not None:
                        width, _, column = fits[0]
                        options.append((before[0] + width + (GAP if start else 0), (*before[1], column)))
                best.append(min(options, key=lambda option: option[0], default=None))
            done = best[-1]
            if done is not None:
                tall = placed.height + GAP + max(
                    sum(way.tall for _, way in column) + GAP * (len(column) - 1) for column in done[1])
                way = _Stack(max(box_width, done[0]), tall, done[1])
                if not ways or (way.width > ways[-1].width + 1e-9 and way.tall < ways[-1].tall - 1e-9):
                    ways.append(way)
                elif way.width <= ways[-1].width + 1e-9 and way.tall < ways[-1].tall:
                    ways[-1] = way
        self.ways[key] = ways
        return ways

    def layout(self, box_width: float, limit: float, even: bool = True) -> _Layout:
        """The chart with boxes `box_width` wide: each top box above its units in rows (`even`: the boxes of a
        row as tall as the tallest), and each of those above the units under it, stacked, no taller than
        `limit` where it can be, else as short as can be."""

        def rows(box: OrgBox) -> _Placed:
            placed = self.measure(box, box_width)
            placed.rows = self.row_boxes(box, box_width, even)
            for row in placed.rows:
                for child in row:
                    ways = self.stacks(child, box_width)
                    next((way for way in ways if way.tall <= limit + 1e-9), ways[-1]).apply(child)
            spine = GAP if len(placed.rows) > 1 else 0
            placed.width = max([box_width, *(spine + sum(c.width for c in row) + GAP * (len(row) - 1)
                                             for row in placed.rows)])
            placed.tall = placed.height + sum(DROP + max(c.tall for c in row) for row in placed.rows)
            return placed

        def place(placed: _Placed, left: float, top: float) -> None:
            placed.x, placed.y = left + (placed.width - box_width) / 2, top
            below = top + placed.height + DROP
            spine = GAP if len(placed.rows) > 1 else 0
            for row in placed.rows:
                span = spine + sum(c.width for c in row) + GAP * (len(row) - 1)
                x = left + (placed.width - span) / 2 + spine
                for child in row:
                    _put(child, x, below)
                    x += child.width + GAP
                below += DROP + max(c.tall for c in row)

        roots = _rows([rows(top) for top in self.tops])
        width = max(sum(top.width for top in row) + GAP * (len(row) - 1) for row in roots)
        height = sum(max(top.tall for top in row) for row in roots) + DROP * (len(roots) - 1)
        y = 0.0
        for row in roots:
            x = (width - sum(top.width for top in row) - GAP * (len(row) - 1)) / 2
            for top in row:
                place(top, x, y)
                x += top.width + GAP
            y += max(top.tall for top in row) + DROP
        return _Layout(roots, box_width, self.spacing, width, height)

    def row_boxes(self, box: OrgBox, box_width: float, even: bool) -> list[list[_Placed]]:
        """The boxes of the units under a top box, in rows; `even`: each as tall as the tallest of its row."""
        rows = _rows([self.measure(child, box_width) for child in box.children])
        for row in rows if even else ():
            tallest = max(child.height for child in row)
            for child in row:
                child.height = tallest
        return rows

    def limits(self, box_width: float, even: bool) -> list[float]:
        """The heights worth trying for the stacks under the units of the first level."""
        return sorted({math.inf, *(way.tall for top in self.tops for row in self.row_boxes(top, box_width, even)
                                   for child in row for way in self.stacks(child, box_width))})


def _org(chart: Chart, lang: str) -> Figure:
    """An organization chart: the top units' boxes centred above the boxes of the units that report to them,
    joined by elbow lines, and below each of those the units under it stacked in a column, each box listing
    what its unit holds (review Z11). A chart without boxes draws its labels as boxes side by side."""
    tops = chart.org or tuple(OrgBox(name) for name in chart.labels)
    figure = plt.figure(figsize=(ORG_WIDTH, 1))
    ruler = _Ruler(figure)
    widest = max([len(tops), *(len(top.children) for top in tops)])
    columns = max(1, min(PER_ROW, widest))
    narrowest = min(WIDEST_BOX, (ORG_WIDTH - (columns - 1) * GAP) / columns)
    planners = [_Planner(ruler, tops, LINE)]
    planner, box_width, limit, even = planners[0], narrowest, math.inf, True
    if any(child.children for top in tops for child in top.children):
        # A deeper chart may be too big for the text width, and then prints on a landscape page. Of the line
        # spacings, box widths, rows and stack heights tried, its layout is one whose text prints there at
        # SMALLEST or more (else the largest); then the one with the fewest columns flowed side by side, so
        # that they flow only as far as the text needs; then with the usual spacing, even rows, the narrowest.
        planners.append(_Planner(ruler, tops, TIGHT))
        tried = []
        for planner in planners:
            for even in (True, False):
                box_width = narrowest
                while box_width <= WIDEST_BOX + 1e-9:
                    for limit in planner.limits(box_width, even):
                        layout = planner.layout(box_width, limit, even)
                        printed = round(min(layout.scale() * FONT, SMALLEST), 2)
                        tried.append(((printed, -layout.flowed(), planner.spacing, even, -layout.width,
                                       -layout.height),
                                      (planner, box_width, limit, even)))
                    box_width += BOX_STEP
        planner, box_width, limit, even = max(tried, key=lambda entry: entry[0])[1]
    layout = planner.layout(box_width, limit, even)
    margin = 0.02
    figure.set_size_inches(layout.width + 2 * margin, layout.height + 2 * margin)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(-margin, layout.width + margin)
    axes.set_ylim(layout.height + margin, -margin)
    axes.axis("off")
    for row in layout.roots:
        for top in row:
            _draw_box(axes, top, layout.box_width, layout.spacing)
    return figure


def _put(placed: _Placed, left: float, top: float) -> None:
    """Place a box at the left of its room and the columns under it side by side, each box of a column under
    the one before."""
    placed.x, placed.y = left, top
    x = left
    for column in placed.columns:
        y = top + placed.height + GAP
        for child in column:
            _put(child, x + INDENT, y)
            y += child.tall + GAP
        x += INDENT + max(child.width for child in column) + GAP


def _rows(boxes: list[_Placed]) -> list[list[_Placed]]:
    """Boxes in rows of at most PER_ROW, as even as can be (7 boxes: 4 and 3)."""
    if not boxes:
        return []
    count = math.ceil(len(boxes) / PER_ROW)
    each = math.ceil(len(boxes) / count)
    return [boxes[i:i + each] for i in range(0, len(boxes), each)]


def _draw_box(axes: Any, placed: _Placed, box_width: float, spacing: float) -> None:
    """One box, the lines to the boxes below it, and those boxes."""
    from matplotlib.patches import Rectangle

    line: Callable[..., Any] = functools.partial(axes.plot, color=BLUE, linewidth=0.8, solid_capstyle="butt")
    axes.add_patch(Rectangle((placed.x, placed.y), box_width, placed.height, facecolor=BLUE, alpha=0.06,
                             edgecolor="none"))
    axes.add_patch(Rectangle((placed.x, placed.y), box_width, placed.height, fill=False, edgecolor=BLUE,
                             linewidth=0.9))
    centre = placed.x + box_width / 2
    axes.text(centre, placed.y + PAD, "\n".join(placed.name), ha="center", va="top", fontsize=NAME_SIZE,
              fontweight="bold", linespacing=spacing, parse_math=False)
    if placed.lines:
        axes.text(placed.x + PAD, placed.y + PAD + placed.name_height + 0.05, "\n".join(placed.lines), ha="left",
                  va="top", fontsize=FONT, linespacing=spacing, parse_math=False)
    bottom = placed.y + placed.height
    spine = placed.x + box_width / 2
    if len(placed.rows) > 1:
        # Wrapped rows hang from a line down the left side, clear of the boxes of the rows above.
        spine = min(child.x for row in placed.rows for child in row) - GAP / 2
    for index, row in enumerate(placed.rows):
        bus = row[0].y - DROP / 2
        centres = [child.x + box_width / 2 for child in row]
        if index == 0:
            line([centre, centre], [bottom, bus])
        ends = [*centres, centre if index == 0 else spine, spine]
        line([min(ends), max(ends)], [bus, bus])
        for x, child in zip(centres, row, strict=True):
            line([x, x], [bus, child.y])
    if len(placed.rows) > 1:
        line([spine, spine], [placed.rows[0][0].y - DROP / 2, placed.rows[-1][0].y - DROP / 2])
    # A column hangs from a line down its left with a tick to each box; the first column's line drops from the
    # box itself, a further column's from a line along under the box.
    bus = bottom + GAP / 2
    spines = [column[0].x - INDENT / 2 for column in placed.columns]
    if len(spines) > 1:
        line([spines[0], spines[-1]], [bus, bus])
    for index, (x, column) in enumerate(zip(spines, placed.columns, strict=True)):
        ticks = [child.y + child.height / 2 for child in column]
        line([x, x], [bottom if index == 0 else bus, ticks[-1]])
        for child, y in zip(column, ticks, strict=True):
            line([x, child.x], [y, y])
    for row in placed.rows:
        for child in row:
            _draw_box(axes, child, box_width, spacing)
    for column in placed.columns:
        for child in column:
            _draw_box(axes, child, box_width, spacing)


DRAWERS: dict[str, Callable[[Chart, str], Figure]] = {"hbars": _hbars, "bars": _bars, "org": _org}
