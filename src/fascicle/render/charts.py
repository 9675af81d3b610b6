"""Charts drawn once per language with matplotlib, as SVG (text as paths) and PNG, reused by every backend.

A chart is drawn only in the formats the outputs asked for need, and a chart drawn before (same data, language,
file name, format, program and fonts) is copied from the user's private cache folder instead: matplotlib is then
never imported, which is a third of a second of a build.
"""

from __future__ import annotations

import functools
import hashlib
import io
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

from fascicle.document.ids import Unique
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
    directory.mkdir(parents=True, exist_ok=True)
    kinds = [kind for kind in FORMATS if kind in formats]
    where = cache.folder() if kinds else None
    drawn: dict[str, Drawn] = {}
    # A chart id carries an exhibit number from the data: its file name is a slug of it, never a path.
    names = Unique()
    for block in document.blocks:
        if isinstance(block, FigureBlock):
            for chart in block.charts:
                name = names(chart.id)
                drawn[chart.id] = Drawn(directory / f"{name}.svg", directory / f"{name}.png")
                for kind, data in _files(chart, document.lang, name, kinds, where).items():
                    (directory / f"{name}.{kind}").write_bytes(data)
    return drawn


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
        self.known: dict[tuple[str, float, str], tuple[float, float]] = {}

    def size(self, text: str, size: float, weight: str = "normal") -> tuple[float, float]:
        """The width and height of a text, its lines LINE apart."""
        key = (text, size, weight)
        if key not in self.known:
            probe = self.figure.text(0, 0, text, fontsize=size, fontweight=weight, linespacing=LINE,
                                     parse_math=False)
            extent = probe.get_window_extent(self.renderer)
            self.known[key] = (extent.width / self.figure.dpi, extent.height / self.figure.dpi)
            probe.remove()
        return self.known[key]

    def width(self, text: str, size: float, weight: str = "normal") -> float:
        """The width of one line of text."""
        return self.size(text, size, weight)[0]

    def height(self, lines: list[str], size: float, weight: str = "normal") -> float:
        """The height of some lines of text (none: nothing)."""
        return self.size("\n".join(lines), size, weight)[1] if lines else 0.0

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
NAME_SIZE = 7.5


@dataclass
class _Placed:
    """A box laid out: its lines, its size, the boxes below it by row, and, once placed, where it is."""

    box: OrgBox
    name: list[str]
    lines: list[str]
    name_height: float
    height: float
    rows: list[list[_Placed]] = field(default_factory=list)
    width: float = 0.0
    """The width of the box with everything below it."""
    tall: float = 0.0
    """The height of the box with everything below it."""
    x: float = 0.0
    y: float = 0.0


def _org(chart: Chart, lang: str) -> Figure:
    """An organization chart: the top units' boxes centred above the boxes of the units that report to them,
    joined by elbow lines, each box listing what its unit holds (review Z11). A chart without boxes draws its
    labels as boxes side by side."""
    tops = chart.org or tuple(OrgBox(name) for name in chart.labels)
    figure = plt.figure(figsize=(ORG_WIDTH, 1))
    ruler = _Ruler(figure)
    widest = max([len(tops), *(len(box.children) for top in tops for box in top.walk())])
    columns = max(1, min(PER_ROW, widest))
    box_width = min(2.0, (ORG_WIDTH - (columns - 1) * GAP) / columns)

    def measure(box: OrgBox) -> _Placed:
        name = ruler.wrap(box.name, box_width - 2 * PAD, NAME_SIZE, "bold")
        lines = [line for text in box.lines for line in ruler.wrap(text, box_width - 2 * PAD, FONT)]
        name_height = ruler.height(name, NAME_SIZE, "bold")
        height = 2 * PAD + name_height + (0.05 + ruler.height(lines, FONT) if lines else 0)
        placed = _Placed(box, name, lines, name_height, height)
        placed.rows = _rows([measure(child) for child in box.children])
        for row in placed.rows:
            # Boxes side by side are as tall as the tallest of them.
            tallest = max(child.height for child in row)
            for child in row:
                child.height = tallest
        return placed

    def size(placed: _Placed) -> None:
        for row in placed.rows:
            for child in row:
                size(child)
        spine = GAP if len(placed.rows) > 1 else 0
        placed.width = max([box_width, *(spine + sum(c.width for c in row) + GAP * (len(row) - 1)
                                         for row in placed.rows)])
        placed.tall = placed.height + sum(DROP + max(c.tall for c in row) for row in placed.rows)

    def place(placed: _Placed, left: float, top: float) -> None:
        placed.x, placed.y = left + (placed.width - box_width) / 2, top
        below = top + placed.height + DROP
        spine = GAP if len(placed.rows) > 1 else 0
        for row in placed.rows:
            span = spine + sum(c.width for c in row) + GAP * (len(row) - 1)
            x = left + (placed.width - span) / 2 + spine
            for child in row:
                place(child, x, below)
                x += child.width + GAP
            below += DROP + max(c.tall for c in row)

    roots = _rows([measure(top) for top in tops])
    for row in roots:
        for top in row:
            size(top)
    width = max(sum(top.width for top in row) + GAP * (len(row) - 1) for row in roots)
    height = sum(max(top.tall for top in row) for row in roots) + DROP * (len(roots) - 1)
    y = 0.0
    for row in roots:
        x = (width - sum(top.width for top in row) - GAP * (len(row) - 1)) / 2
        for top in row:
            place(top, x, y)
            x += top.width + GAP
        y += max(top.tall for top in row) + DROP
    margin = 0.02
    figure.set_size_inches(width + 2 * margin, height + 2 * margin)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(-margin, width + margin)
    axes.set_ylim(height + margin, -margin)
    axes.axis("off")
    for row in roots:
        for top in row:
            _draw_box(axes, top, box_width)
    return figure


def _rows(boxes: list[_Placed]) -> list[list[_Placed]]:
    """Boxes in rows of at most PER_ROW, as even as can be (7 boxes: 4 and 3)."""
    if not boxes:
        return []
    count = math.ceil(len(boxes) / PER_ROW)
    each = math.ceil(len(boxes) / count)
    return [boxes[i:i + each] for i in range(0, len(boxes), each)]


def _draw_box(axes: Any, placed: _Placed, box_width: float) -> None:
    """One box, the lines to the boxes below it, and those boxes."""
    from matplotlib.patches import Rectangle

    line: Callable[..., Any] = functools.partial(axes.plot, color=BLUE, linewidth=0.8, solid_capstyle="butt")
    axes.add_patch(Rectangle((placed.x, placed.y), box_width, placed.height, facecolor=BLUE, alpha=0.06,
                             edgecolor="none"))
    axes.add_patch(Rectangle((placed.x, placed.y), box_width, placed.height, fill=False, edgecolor=BLUE,
                             linewidth=0.9))
    centre = placed.x + box_width / 2
    axes.text(centre, placed.y + PAD, "\n".join(placed.name), ha="center", va="top", fontsize=NAME_SIZE,
              fontweight="bold", linespacing=LINE, parse_math=False)
    if placed.lines:
        axes.text(placed.x + PAD, placed.y + PAD + placed.name_height + 0.05, "\n".join(placed.lines), ha="left",
                  va="top", fontsize=FONT, linespacing=LINE, parse_math=False)
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
    for row in placed.rows:
        for child in row:
            _draw_box(axes, child, box_width)


DRAWERS: dict[str, Callable[[Chart, str], Figure]] = {"hbars": _hbars, "bars": _bars, "org": _org}
