"""Any section of the programme budget, as the UN prints it: a document of blocks whose tables hold named figures.

The ITC 2024 seed has its own, richer model (`budget.Budget`); this one holds every other section (and ITC in
later years) as the Word fascicle lays it out, without loss. Figures are data (`figures.yaml`); every derived
or restated cell (totals, subtotals, change columns, percentages, a figure printed twice) is computed and
compared with what the document printed (`printed.yaml`), never stored as a figure.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from fascicle.model.acknowledgements import Acknowledgements
from fascicle.model.base import Amount, Count, Frozen, Period, Year
from fascicle.model.text import Language, Text

Level = Literal["HCh", "H1", "H23", "H4"]
ColumnRole = Literal["label", "text", "figure", "change", "changes", "percent", "result", "rowsum", "empty"]
"""What a table column holds: a row label; prose; a figure of a period; one change column; the total of the
change columns; the change in per cent of the base; the base plus the changes; the total of the row's figure
columns; a spacer."""
RowRole = Literal["line", "group", "subtotal", "total", "heading", "text", "empty"]
"""A line of figures; a group heading (with or without figures); a subtotal or total that adds up other rows;
a heading row spanning the table; a prose row."""
Currency = Literal["USD", "CHF"]


class Identity(Frozen):
    """Which document the section is: symbol, year, part, section number and entity, from the Word file."""

    symbol: str
    year: Year
    part: str | None = None
    part_title: Text | None = None
    section: str
    title: Text
    entity: Text | None = None
    job: str | None = None
    languages: tuple[Language, ...] = ("en",)
    original: Language = "en"
    source: str | None = None
    """The file it was imported from, and its SHA-256."""
    corrected_by: tuple[str, ...] = ()
    """Symbols of the corrigenda applied to it, in order."""


class Cell(Frozen):
    """One cell: a text, or a number whose figure the row and column name; `dash` when printed as "–"."""

    text: Text | None = None
    marks: tuple[str, ...] = ()
    decimals: int = Field(default=0, ge=0, le=6)
    dash: bool = False
    blank: bool = False
    span: int = Field(default=1, ge=1, le=64)
    merged: bool = False
    """Covered by the span of a cell to its left: there is one cell per column, and this one is not drawn."""


class Column(Frozen):
    """A grid column of a table: its role, the period of its figures and, for derived columns, its operands."""

    role: ColumnRole
    header: str = ""
    period: Period | None = None
    change: str | None = None
    base: int | None = None
    """For `changes`, `percent` and `result`: the column the changes start from."""
    key: str | None = None
    """For figure columns that are not periods (objects of expenditure across, "Pact for the Future"): the name
    the column adds to the row's figure name; the period is then the table's."""


class Row(Frozen):
    """A table row: its label, depth, role, the figure it names and its cells, one per column."""

    role: RowRole = "line"
    label: Text | None = None
    number: str | None = None
    depth: Count = 0
    ref: str | None = None
    """The name of the row's figures, e.g. "regular.overall.posts"; the column adds the period."""
    sums: tuple[int, ...] = ()
    """For a subtotal or total: the rows (by index) it adds up."""
    across: tuple[tuple[str, int], ...] = ()
    """For a total of several sub-tables ("Total (1+2)"): the (table id, row) totals it adds up, column by column
    matched on the year of the column's period."""
    period: Period | None = None
    """For tables whose periods run down the rows ("Approved for 2025"): the period of the row's figures."""
    cells: tuple[Cell, ...] = ()


class Note(Frozen):
    """A note under a table or figure: lettered (a, b), "Note:", "Abbreviations:"..."""

    mark: str | None = None
    text: Text


class HeaderCell(Frozen):
    """A cell of a header row: its text and how many grid columns it spans."""

    text: str
    span: int = 1


class Table(Frozen):
    """A table as printed: caption number, title, units, header rows, columns and rows, with its notes."""

    id: str
    number: str | None = None
    part: str | None = None
    """The sub-table label: "(1) Regular budget", "(2) Extrabudgetary"."""
    title: Text
    units: Text | None = None
    kind: str = "other"
    entity: str | None = None
    """In a section of several entities (Sect. 24: I. OHCHR, II. ...): the entity's roman number."""
    scope: str | None = None
    fund: str | None = None
    currency: Currency | None = None
    header: tuple[tuple[HeaderCell, ...], ...] = ()
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    notes: tuple[Note, ...] = ()


class Point(Frozen):
    """One point of a chart series: its category as printed and its value, None for a nil."""

    category: str
    value: Amount | None
    index: int | None = None
    """The point's position in the series cache: the sheet row is the range's first row plus this."""


class Series(Frozen):
    """A series of a chart, from the chart's own cache."""

    name: str
    points: tuple[Point, ...]


class Chart(Frozen):
    """A chart's data as the Word file caches it, with where it came from."""

    part: str
    kind: str
    series: tuple[Series, ...]
    review: tuple[str, ...] = ()
    """What a person should confirm (a cached 0 shown as a dash, a series that may be decoration)."""


class Box(Frozen):
    """A box of an organization chart: the unit, its posts by source of funds and grade, and its parent."""

    id: str
    title: Text
    posts: dict[str, dict[str, Count]] = {}
    """Source of funds as printed ("RB", "XB", "OA") -> grade -> number of posts."""
    total: Count | None = None
    parent: str | None = None
    marks: dict[str, tuple[str, ...]] = {}
    """Grade -> note marks printed on it (a = redeployment...)."""


class OrgChart(Frozen):
    """An organization chart of the annex: boxes with posts, or a picture with no data."""

    boxes: tuple[Box, ...] = ()
    picture: bool = False
    review: tuple[str, ...] = ()
    """What a person should confirm (a total that does not add up, a line that was not read)."""


class Block(Frozen):
    """One block of the document, in order: heading, paragraph, note, table, figure or picture."""

    kind: Literal["heading", "paragraph", "item", "note", "text", "table", "figure", "orgchart", "picture", "frame"]
    level: Level | None = None
    number: str | None = None
    text: Text | None = None
    table: Table | None = None
    chart: Chart | None = None
    orgchart: OrgChart | None = None
    caption: str | None = None
    """For a figure: its number ("13.I")."""
    units: Text | None = None
    """For a figure: the units line under its title ("(Number of site visits …)")."""
    footnotes: tuple[Text, ...] = ()


class Document(Frozen):
    """The whole fascicle in reading order."""

    blocks: tuple[Block, ...]


class Figure(Frozen):
    """A named figure: the data every table of the section is a view of."""

    name: str
    period: Period
    value: Amount | None
    """None: printed as a dash, nothing to report."""
    unit: str = "thousands"
    currency: Currency | None = None
    where: str = ""
    table: str | None = None
    """The table the figure was read from, when it was read from one."""


class Figures(Frozen):
    """Every figure of the section."""

    figures: tuple[Figure, ...] = ()


class PrintedCell(Frozen):
    """A derived or restated number as the document printed it, with the table cell it sits in."""

    ref: str
    period: Period
    value: Amount | None
    table: str
    row: Count
    column: Count
    where: str
    document: str | None = None
    """When the number restates another document ("24 [26]": 26 as A/80/6 (Sect. 13) printed it): its symbol.
    Such a number is checked against that document's dataset, not this one's."""


class Printed(Frozen):
    """Every derived or restated number the document prints, to compare with what the data gives."""

    document: str
    cells: tuple[PrintedCell, ...] = ()


class Section(Frozen):
    """A section of any budget year, held as the document prints it."""

    fascicle: Identity
    document: Document
    figures: Figures
    printed: Printed | None = None
    acknowledgements: Acknowledgements | None = None
