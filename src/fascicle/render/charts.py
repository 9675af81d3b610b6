"""Charts drawn once per language with matplotlib, as SVG (text as paths) and PNG, reused by every backend.

A chart is drawn only in the formats the outputs asked for need, and a chart drawn before (same data, language,
file name, format, program and fonts) is copied from the user's private cache folder instead: matplotlib is then
never imported, which is a third of a second of a build.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import stat
import tempfile
import textwrap
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from importlib.util import find_spec
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from fascicle.document.ids import Unique
from fascicle.document.numbers import number
from fascicle.document.tree import Chart, Document, FigureBlock
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
VERSION = b"fascicle-chart-1"


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


def _draw(chart: Chart, lang: str, name: str, kinds: list[str]) -> dict[str, bytes]:
    """Draw one chart with matplotlib, in each format asked for."""
    # Every text is drawn as written: "$x$" is never mathtext and nothing goes through TeX (each text call
    # says so too, for the texts matplotlib makes later, such as tick labels).
    with plt.rc_context({"font.family": FONTS.get(lang, DEFAULT_FONTS), "svg.fonttype": "path",
                         "svg.hashsalt": "fascicle", "font.size": 8, "axes.unicode_minus": False,
                         "text.parse_math": False, "text.usetex": False}):
        figure = {"hbars": _hbars, "bars": _bars, "org": _org}[chart.kind](chart, lang)
        files = {}
        for kind in kinds:
            buffer = io.BytesIO()
            if kind == "svg":
                figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
            else:
                figure.savefig(buffer, format="png", dpi=200, bbox_inches="tight")
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


def _hbars(chart: Chart, lang: str) -> Figure:
    labels, values = chart.labels, chart.series[0][1]
    figure, axes = plt.subplots(figsize=(3.4, 0.28 * len(labels) + 0.9))
    positions = range(len(labels))
    axes.barh(list(positions), [v or 0 for v in values], color=BLUE)
    axes.set_yticks(list(positions), labels, parse_math=False)
    for position, value in zip(positions, values, strict=True):
        axes.text(value or 0, position, f" {_label(value, chart.places, lang)}", va="center", fontsize=7,
                  parse_math=False)
    axes.set_title(" ".join((chart.title, *chart.texts)), fontsize=8, loc="left", parse_math=False)
    axes.spines[["top", "right", "bottom"]].set_visible(False)
    axes.set_xticks([])
    axes.margins(x=0.25)
    return figure


def _bars(chart: Chart, lang: str) -> Figure:
    figure, axes = plt.subplots(figsize=(4.5, 2.2))
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
    axes.set_title(textwrap.fill(name, 36 if lang == "zh" else 72), fontsize=8, loc="left", parse_math=False)
    axes.spines[["top", "right", "left"]].set_visible(False)
    axes.set_yticks([])
    axes.margins(y=0.2)
    return figure


def _label(value: float | None, places: int, lang: str) -> str:
    # The drawn value is a float; its label is the figure again, as a decimal at the chart's precision.
    if value is None:
        return "—"
    return number(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places)), lang)


def _org(chart: Chart, lang: str) -> Figure:
    from matplotlib.patches import Rectangle

    units = chart.series
    columns = min(3, max(1, len(units)))
    rows = (len(units) + columns - 1) // columns
    figure, axes = plt.subplots(figsize=(6.3, 1.1 * rows + 0.4))
    axes.set_xlim(0, columns)
    axes.set_ylim(0, rows)
    axes.axis("off")
    for index, (name, cells) in enumerate(units):
        x, y = index % columns, rows - 1 - index // columns
        axes.add_patch(Rectangle((x + 0.05, y + 0.1), 0.9, 0.8, fill=False, edgecolor=BLUE, linewidth=1))
        rb, xb, total = (int(c) if c is not None else 0 for c in cells)
        wrapped = textwrap.fill(name, 14 if lang == "zh" else 30)
        axes.text(x + 0.5, y + 0.62, wrapped, ha="center", va="center", fontsize=6.5, linespacing=1.1,
                  parse_math=False)
        axes.text(x + 0.5, y + 0.32, f"RB {number(rb, lang)} · XB {number(xb, lang)} · {number(total, lang)}",
                  ha="center", va="center", fontsize=7, color=BLUE, parse_math=False)
    return figure
