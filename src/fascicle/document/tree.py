"""The document tree: what every backend prints, built once per language from the model."""

from __future__ import annotations

from dataclasses import dataclass

from fascicle.document.table import Table


@dataclass(frozen=True)
class Heading:
    """A heading; level 1 is a part (A., B., annexes), deeper levels nest under it."""

    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class Para:
    """A paragraph with its number, lettered items, footnotes and cited documents.

    A paragraph with no text in the document's language carries another language's text, names that
    language in `fallback` and says so in `marker`, which every backend prints before it."""

    text: str
    number: str | None = None
    items: tuple[tuple[str, str], ...] = ()
    footnotes: tuple[tuple[str, str], ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    fallback: str | None = None
    marker: str = ""
    source: str | None = None
    """Where the paragraph's text is in the data, "part:field path" without the language
    ("plan:foreword.paragraphs[0].text"), when the document was built with its sources (the web's editable
    page); the printed backends ignore it."""


@dataclass(frozen=True)
class TableBlock:
    """A numbered table with its title, unit line and notes."""

    table: Table
    number: str | None
    title: str
    unit: str | None = None
    continues: str | None = None
    """The number of the table this one is a further part of, printed under it with its own columns
    ("Table 13.4", part (2)); such a part has no caption of its own."""


@dataclass(frozen=True)
class OrgBox:
    """One box of an organization chart: the unit's name, the lines printed under it (posts by source of
    funds, their total) and the boxes that report to it, drawn below it and joined to it by lines."""

    name: str
    lines: tuple[str, ...] = ()
    children: tuple[OrgBox, ...] = ()

    def walk(self) -> tuple[OrgBox, ...]:
        """This box and every box below it, parents before their children."""
        return (self, *(box for child in self.children for box in child.walk()))


@dataclass(frozen=True)
class Chart:
    """A chart drawn once (see render.charts): its id, the data it draws and its labels.

    `texts` are printed under the title, a line each (a total, a unit); an organization chart ("org") draws
    the boxes of `org`, its top units, with every unit below them."""

    id: str
    kind: str
    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    texts: tuple[str, ...] = ()
    places: int = 0
    org: tuple[OrgBox, ...] = ()


@dataclass(frozen=True)
class FigureBlock:
    """A numbered figure: one or more charts and the table of the figures they draw."""

    number: str | None
    title: str
    charts: tuple[Chart, ...]
    data: tuple[Table, ...] = ()
    unit: str | None = None


@dataclass(frozen=True)
class Signature:
    """The signature under the foreword, its lines in the order the language prints them."""

    name: str
    title: str
    name_first: bool = False
    """English and the other Western styles: "(Signed) Pamela Coke-Hamilton", then the title (review E11);
    Chinese: the title, then "帕梅拉·科克-汉密尔顿(签名)", as the seed prints it."""

    @property
    def lines(self) -> tuple[str, str]:
        """The two lines, in printing order."""
        return (self.name, self.title) if self.name_first else (self.title, self.name)


Block = Heading | Para | TableBlock | FigureBlock | Signature


@dataclass(frozen=True)
class Cover:
    """The first page of a UN document: the masthead on both sides and the title, one line each."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    lines: tuple[str, ...]
    job: str | None = None
    """The job number, printed at the foot of the first page."""


@dataclass(frozen=True)
class Document:
    """A whole fascicle in one language."""

    lang: str
    direction: str
    symbol: str
    title: str
    subtitle: str
    blocks: tuple[Block, ...]
    draft: bool = False
    cover: Cover | None = None

    def headings(self) -> list[Heading]:
        """The headings, for a contents list."""
        return [block for block in self.blocks if isinstance(block, Heading)]
