"""The data of a DrawingML chart part, read from its caches: series, categories as printed, values as Decimals.

The embedded workbook is not read: it is missing, external or stale in some fascicles, while every value
reference carries a cache (WORD-FASCICLES 2.5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from lxml import etree

from fascicle.ingest.package import NS, Package, Unreadable
from fascicle.model.general import Chart, Point, Series

_C = f"{{{NS['c']}}}"
_A = f"{{{NS['a']}}}"
KINDS = {"barChart": "bar", "bar3DChart": "bar", "lineChart": "line", "line3DChart": "line",
         "scatterChart": "scatter", "areaChart": "area", "area3DChart": "area", "pieChart": "pie",
         "pie3DChart": "pie", "doughnutChart": "doughnut", "radarChart": "radar", "bubbleChart": "bubble",
         "ofPieChart": "pie", "stockChart": "stock", "surfaceChart": "surface", "surface3DChart": "surface"}
DASHES = frozenset({"–", "‒", "—", "-", "−", "\uf02d", "n/a"})
"""Label texts that print a nil; U+F02D is the dash of the Symbol font."""
PLACEHOLDER = re.compile(r"^(?:(?:column|series)\s*\d+|x)$", re.IGNORECASE)
NOTE_MARK = re.compile(r"\)[a-z]$")
"""A superscript note letter flattened into a category caption: "2024 (actual)a"."""
SIGNIFICANT = 15
"""Excel keeps 15 significant digits; the cache writes 17 ("8.3000000000000007"), the rest is binary noise."""
_RANGE = re.compile(r"\$?[A-Z]{1,3}\$?(\d+)(?::\$?[A-Z]{1,3}\$?\d+)?$")


@dataclass
class _Raw:
    """A series as cached, before decoration is dropped."""

    plot: str
    stacked: bool
    name: str
    categories: dict[int, str]
    values: dict[int, str]
    labels: dict[int, str | None] = field(default_factory=dict)
    """Per-point label overrides: idx -> its literal text, "" when it shows the value, None when deleted."""
    cat_row: int | None = None
    val_row: int | None = None


def read_chart(package: Package, part: str) -> Chart:
    """Read the series of every plot of a chart part from its caches, with what a person should confirm."""
    root = package.xml(part)
    plot_area = root.find("c:chart/c:plotArea", NS)
    if root.tag != f"{_C}chartSpace" or plot_area is None:
        raise Unreadable(f"{package.path.name}: the part {part} is not a chart")
    raws = [raw for plot in plot_area if _local(plot) in KINDS for raw in _plot(plot)]
    review: list[str] = []
    kept = _without_decoration(raws, review)
    series = tuple(_series(raw, review) for raw in kept)
    kinds = list(dict.fromkeys(raw.plot for raw in kept))
    if not series:
        review.append("the chart has no data series")
    return Chart(part=part, kind="+".join(kinds) or "none", series=series, review=tuple(dict.fromkeys(review)))


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _plot(plot: etree._Element) -> list[_Raw]:
    """The series of one plot (barChart, lineChart...), in order."""
    grouping = plot.find("c:grouping", NS)
    stacked = grouping is not None and "tacked" in grouping.get("val", "")
    found = []
    for ser in plot.findall("c:ser", NS):
        cat = ser.find("c:cat", NS)
        if cat is None:
            cat = ser.find("c:xVal", NS)
        val = ser.find("c:val", NS)
        if val is None:
            val = ser.find("c:yVal", NS)
        found.append(_Raw(KINDS[_local(plot)], stacked, _name(ser), _cache(cat), _cache(val), _labels(ser),
                          _first_row(cat), _first_row(val)))
    return found


def _name(ser: etree._Element) -> str:
    """The series name from its cached reference or literal, spaces collapsed."""
    tx = ser.find("c:tx", NS)
    if tx is None:
        return ""
    texts = [v.text or "" for v in tx.iter(f"{_C}v")]
    return " ".join(" ".join(texts).split())


def _cache(ref: etree._Element | None) -> dict[int, str]:
    """idx -> cached text of a category or value reference (str/num cache or literal)."""
    if ref is None:
        return {}
    level = ref.find(".//c:lvl", NS)  # multi-level categories: the innermost level is written first
    found: dict[int, str] = {}
    for pt in (level if level is not None else ref).iter(f"{_C}pt"):
        try:
            idx = int(pt.get("idx", ""))
        except ValueError:
            continue
        found[idx] = pt.findtext("c:v", "", NS)
    return found


def _first_row(ref: etree._Element | None) -> int | None:
    """The first sheet row of a reference formula such as Sheet1!$B$2:$B$15."""
    formula = ref.findtext(".//c:f", None, NS) if ref is not None else None
    match = _RANGE.search(formula or "")
    return int(match.group(1)) if match else None


def _labels(ser: etree._Element) -> dict[int, str | None]:
    """Per-point data label overrides of a series."""
    found: dict[int, str | None] = {}
    for lbl in ser.findall("c:dLbls/c:dLbl", NS):
        idx_text = _attribute(lbl.find("c:idx", NS))
        if not idx_text.isdigit():
            continue
        idx = int(idx_text)
        delete = lbl.find("c:delete", NS)
        if delete is not None and delete.get("val", "1") in ("1", "true"):
            found[idx] = None
            continue
        rich = lbl.find("c:tx/c:rich", NS)
        if rich is None or rich.find(f".//{_A}fld") is not None:
            found[idx] = ""  # the label shows the cached value (a [VALUE] field or no text of its own)
        else:
            found[idx] = "".join(t.text or "" for t in rich.iter(f"{_A}t")).strip()
    return found


def _attribute(element: etree._Element | None) -> str:
    """The val attribute of an optional element, "" when absent."""
    return element.get("val", "") if element is not None else ""


def _without_decoration(raws: list[_Raw], review: list[str]) -> list[_Raw]:
    """Drop helper series that draw lines or labels but hold no data."""
    kept = []
    for raw in raws:
        folded = raw.name.strip().casefold()
        if folded == "dividers":
            review.append(f"dropped the decoration series '{raw.name}' ({raw.plot})")
        elif folded == "total" and raw.stacked and len(raws) > 1:
            review.append(f"dropped the label series '{raw.name}' of a stacked chart")
        elif not raw.name and not raw.values:
            review.append("dropped an unnamed series with no values")
        else:
            kept.append(raw)
    return kept


def _series(raw: _Raw, review: list[str]) -> Series:
    """One kept series: its points by cache index, nils recognised from their labels."""
    name = raw.name
    if not name:
        review.append("a series has no name")
    elif PLACEHOLDER.match(name):
        review.append(f"series '{name}' has a placeholder name; name it from the figure title")
    if raw.cat_row is not None and raw.val_row is not None and raw.cat_row != raw.val_row and raw.categories:
        review.append(f"categories start at sheet row {raw.cat_row} but values at row {raw.val_row}: points are "
                      "matched to categories by position, as the chart draws them")
    points = []
    for idx in sorted(raw.values):
        category = " ".join(raw.categories.get(idx, "").split())
        if NOTE_MARK.search(category):
            review.append(f"category '{category}' ends with what looks like a note mark")
        value = _decimal(raw.values[idx], name, category, review)
        if value is not None:
            value = _labelled(value, raw.labels.get(idx, ""), name, category, review)
        points.append(Point(category=category, value=value, index=idx))
    if not raw.values:
        review.append(f"series '{name}' has no cached values")
    return Series(name=name, points=tuple(points))


def _decimal(text: str, name: str, category: str, review: list[str]) -> Decimal | None:
    """A cached value as a Decimal from its text, binary noise beyond 15 significant digits removed."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        review.append(f"series '{name}', {category or 'a point'}: the cached value '{text}' is not a number")
        return None
    if not value.is_finite():
        review.append(f"series '{name}', {category or 'a point'}: the cached value '{text}' is not a number")
        return None
    if len(value.as_tuple().digits) > SIGNIFICANT:
        value = round(value, SIGNIFICANT - value.adjusted() - 1)
    value = value.normalize()
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -6:
        review.append(f"series '{name}', {category or 'a point'}: {text} rounded to 6 decimal places")
        value = round(value, 6)
    return _plain(value.normalize())


def _plain(value: Decimal) -> Decimal:
    """A Decimal without a positive exponent (1E+3 -> 1000), so it prints as the number it is."""
    exponent = value.as_tuple().exponent
    return value.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else value


def _labelled(value: Decimal, label: str | None, name: str, category: str, review: list[str]) -> Decimal | None:
    """The value after its label override: a cached 0 printed as a dash, or with no label, is a nil."""
    where = f"series '{name}', {category or 'a point'}"
    if label is None:
        return None if value == 0 else value
    if not label:
        return value
    if label.casefold() in DASHES:
        if value == 0:
            return None
        review.append(f"{where}: the label prints '{label}' but the cache holds {value}; kept the value")
        return value
    printed = _number(label)
    if printed is None:
        review.append(f"{where}: the label reads '{label}'; kept the cached {value}")
    elif printed != value:
        review.append(f"{where}: the label prints {label} but the cache holds {value}; kept the cached value")
    return value


def _number(text: str) -> Decimal | None:
    """A printed label as a number ("288 000", "7.6"), or None."""
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", "").rstrip("%")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None
