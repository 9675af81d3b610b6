"""Charts drawn once per language with matplotlib, as SVG (text as paths) and PNG, reused by every backend."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from fascicle.document.ids import Unique
from fascicle.document.numbers import number
from fascicle.document.tree import Chart, Document, FigureBlock

# Latin text takes Noto Sans first (the CJK font's punctuation is full-width); Chinese takes its own font first.
FONTS = {"zh": ["Noto Sans CJK SC", "Noto Sans", "DejaVu Sans"]}
DEFAULT_FONTS = ["Noto Sans", "Noto Sans CJK SC", "Noto Sans Arabic", "DejaVu Sans"]
BLUE = "#1f5f9f"


@dataclass(frozen=True)
class Drawn:
    """The files of one chart."""

    svg: Path
    png: Path


def draw_all(document: Document, directory: Path) -> dict[str, Drawn]:
    """Draw every chart of a document once into `directory`; return the files by chart id."""
    directory.mkdir(parents=True, exist_ok=True)
    drawn: dict[str, Drawn] = {}
    # A chart id carries an exhibit number from the data: its file name is a slug of it, never a path.
    names = Unique()
    # Every text is drawn as written: "$x$" is never mathtext and nothing goes through TeX (each text call
    # says so too, for the texts matplotlib makes later, such as tick labels).
    with plt.rc_context({"font.family": FONTS.get(document.lang, DEFAULT_FONTS), "svg.fonttype": "path",
                         "svg.hashsalt": "fascicle", "font.size": 8, "axes.unicode_minus": False,
                         "text.parse_math": False, "text.usetex": False}):
        for block in document.blocks:
            if isinstance(block, FigureBlock):
                for chart in block.charts:
                    drawn[chart.id] = _draw(chart, document.lang, directory, names(chart.id))
    return drawn


def _draw(chart: Chart, lang: str, directory: Path, name: str) -> Drawn:
    figure = {"hbars": _hbars, "bars": _bars, "org": _org}[chart.kind](chart, lang)
    svg, png = directory / f"{name}.svg", directory / f"{name}.png"
    figure.savefig(svg, format="svg", bbox_inches="tight", metadata={"Date": None})
    figure.savefig(png, format="png", dpi=200, bbox_inches="tight")
    plt.close(figure)
    return Drawn(svg, png)


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
