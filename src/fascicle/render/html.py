"""HTML backend: one self-contained, accessible page per language (Jinja2)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape

from fascicle.document.ids import RESERVED, UNDOCS, Unique
from fascicle.document.labels import label
from fascicle.document.numbers import NBSP, number
from fascicle.document.table import Table
from fascicle.document.tree import Chart, Document, FigureBlock, Heading, Para, Signature, TableBlock
from fascicle.model.text import FOOTNOTE_MARK
from fascicle.render.cells import cell_text, is_number, marks_at, split_note
from fascicle.render.charts import Drawn

# Every template escapes everything, whatever its file name: text from the data is never markup. Only the
# functions below return Markup: our own chart files (_svg) and text they escape themselves (Texts).
_ENV = Environment(loader=PackageLoader("fascicle.render", "templates"), autoescape=True,
                   trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)

HTML_LANG = {"zh": "zh-Hans"}
"""The page's language tag: Chinese is printed in simplified characters, which `zh` alone does not say."""

# The document's own script, where a fallback run (text in another language) stops.
_SCRIPT = {"ar": "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff", "ru": "\u0400-\u04ff",
           "zh": "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"}
_CJK = re.compile("[\u3400-\u9fff]")
# A number grouped by spaces in the data's prose ("1 404 456"): never preceded by a digit or a decimal sign.
_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u2009]\d{3})+(?!\d)")
# "A.", "IV.", "12." at the start of a text: Latin ordinals that an RTL line would print as ".A", ".12".
_ORDINAL = re.compile(r"^(?:[A-Z]|[IVXL]+|\d+)\.(?=\s)")
_LRI, _PDI = "\u2066", "\u2069"


def html_lang(lang: str) -> str:
    """The BCP 47 tag of a language on the page."""
    return HTML_LANG.get(lang, lang)


def _svg(drawn: Drawn, prefix: str) -> Markup:
    # Inline the SVG so the page stands alone; drop the XML prolog and DOCTYPE. matplotlib numbers its ids per
    # figure (figure_1, text_3, glyphs, clip paths), so every chart repeats them: each id and each reference to
    # one gets the chart's own prefix, and the page has no id twice.
    text = drawn.svg.read_text(encoding="utf-8")
    text = text[text.index("<svg"):]
    text = re.sub(r'(\sid=")([^"]+")', rf"\g<1>{prefix}\g<2>", text)
    text = re.sub(r'([\s:]href="#)([^"]+")', rf"\g<1>{prefix}\g<2>", text)
    text = re.sub(r"(url\(#)([^)]+\))", rf"\g<1>{prefix}\g<2>", text)
    return Markup(text)  # noqa: S704 - our own matplotlib output


def _href(url: str) -> str:
    # Links are built by the document from a percent-encoded symbol; refuse anything else rather than print it.
    if not url.startswith(UNDOCS):
        raise ValueError(f"not an undocs.org address: {url!r}")
    return url


def numeric_columns(table: Table) -> set[int]:
    """The columns (0 is the stub) that hold figures: every cell a number or nil (a dash, printed as one)."""
    found = set()
    for index in range(1, len(table.columns)):
        cells = [row.cells[index - 1] for row in table.rows if len(row.cells) >= index]
        if cells and all(is_number(c) or c is None for c in cells):
            found.add(index)
    return found


class Texts:
    """How the page prints a text of the data in its language.

    A text with no translation carries the `missing` marker and another language's words (document.texts):
    each such fallback run is isolated left to right and tagged with its language, so that an RTL page
    neither reorders its words nor moves its punctuation. Numbers grouped by spaces never break between
    their groups."""

    def __init__(self, lang: str, direction: str) -> None:
        self.lang = lang
        self.rtl = direction == "rtl"
        self.marker = label("missing", lang)
        script = _SCRIPT.get(lang)
        self.native = re.compile(f"[{script}]") if script else None

    def runs(self, text: str) -> list[tuple[str, str | None]]:
        """The text in runs: (words, None) in the document's language, (words, lang) for a fallback."""
        head, *parts = text.split(self.marker)
        runs: list[tuple[str, str | None]] = [(head, None)]
        for part in parts:
            end = self.native.search(part) if self.native else None
            run, tail = (part[:end.start()], part[end.start():]) if end else (part, "")
            # Spaces and an opening bracket before the document's own words stay with them, and so does a
            # closing bracket that closes one opened before the run.
            lead = len(run) - len(run.lstrip())
            cut = len(run)
            while cut > lead and (run[cut - 1].isspace() or run[cut - 1] in "(["):
                cut -= 1
            core, trail = run[lead:cut], run[cut:]
            while core.endswith(")") and core.count(")") > core.count("("):
                kept = core[:-1].rstrip()
                core, trail = kept, core[len(kept):] + trail
            runs.append((self.marker + run[:lead], None))
            if core:
                runs.append((core, "zh" if _CJK.search(core) else "en"))
            runs.append((trail + tail, None))
        merged: list[tuple[str, str | None]] = []
        for words, lang in runs:
            if merged and lang is None and merged[-1][1] is None:
                merged[-1] = (merged[-1][0] + words, None)
            elif words:
                merged.append((words, lang))
        return merged

    def _grouped(self, text: str, lang: str) -> str:
        if NBSP not in number(1000, lang):
            return text
        return _GROUPED.sub(lambda m: re.sub(r"[ \u2009]", NBSP, m.group()), text)

    def html(self, text: str | None, marks: bool = False) -> Markup:
        """The text as HTML: fallback runs isolated, digit groups unbreakable, footnote marks raised."""
        out = []
        for index, (words, lang) in enumerate(self.runs(text or "")):
            piece = str(escape(self._grouped(words, lang or self.lang)))
            if marks:  # the mark is part of the escaped text already
                piece = FOOTNOTE_MARK.sub(lambda m: f'<sup class="fn">{m.group(1)}</sup>', piece)
            if lang:
                piece = f'<bdi class="fallback" dir="ltr" lang="{html_lang(lang)}">{piece}</bdi>'
            elif index == 0 and self.rtl:
                piece = _ORDINAL.sub(lambda m: f'<bdi dir="ltr">{m.group()}</bdi>', piece)
            out.append(piece)
        return Markup("".join(out))  # noqa: S704 - every piece escaped above

    def plain(self, text: str | None) -> str:
        """The text where no markup goes (the title, attributes): an RTL page isolates its fallback runs with
        Unicode's own isolates."""
        if not self.rtl:
            return text or ""
        return "".join(f"{_LRI}{words}{_PDI}" if lang else words for words, lang in self.runs(text or ""))

    def ltr(self, text: str) -> Markup:
        """Latin words that stay left to right in an RTL page (item letters, document symbols)."""
        return Markup('<bdi dir="ltr">{}</bdi>').format(text) if self.rtl else Markup("{}").format(text)


def render_html(document: Document, charts: dict[str, Drawn]) -> str:
    """The document as one HTML page."""
    return _render("fascicle.html.j2", document, charts)


def render_main(document: Document, chart: Callable[[Chart], str]) -> Markup:
    """The document's blocks alone, for a page of the web application: every paragraph with the place of its
    text in the data (`data-source`) and every heading, paragraph, table row and figure with an anchor that a
    comment can name (`data-anchor`); `chart` gives the address of a chart's picture, shown as an image."""

    def picture(drawn: Chart) -> Markup:
        return Markup('<img src="{}" alt="{}" loading="lazy">').format(chart(drawn), drawn.title)

    return Markup(_render("fascicle_main.html.j2", document, {}, svg=picture, annotate=True))  # noqa: S704


def _render(name: str, document: Document, charts: dict[str, Drawn], **more: object) -> str:
    template = _ENV.get_template(name)
    # Table ids come from the data (fund ids, exhibit numbers): slugged, and unique beside the headings' anchors.
    table_id = Unique([*RESERVED, *(heading.anchor for heading in document.headings())])
    texts = Texts(document.lang, document.direction)
    values: dict[str, object] = dict(
        doc=document, charts=charts, label=lambda key, **v: label(key, document.lang, **v),
        table_id=table_id, href=_href, lang=html_lang(document.lang),
        cell=lambda table, column, value: cell_text(table, column, value, document.lang),
        is_number=is_number, numeric=numeric_columns, split_note=split_note,
        mark=lambda table, row, column: _mark(marks_at(table, row, column)),
        # Each chart's ids get a prefix that no other id of the page has taken.
        svg=lambda chart: _svg(charts[chart.id], f"{table_id('svg-' + chart.id)}-"),
        text=texts.html, prose=lambda value: texts.html(value, marks=True), plain=texts.plain, ltr=texts.ltr,
        html_lang=html_lang, kind=lambda block: type(block).__name__,
        Heading=Heading, Para=Para, TableBlock=TableBlock, FigureBlock=FigureBlock, Signature=Signature,
    )
    values.update(more)
    return template.render(**values)


def _mark(marks: str) -> Markup:
    # Marks are note letters from the tree, escaped all the same.
    return Markup('<sup class="mark">{}</sup>').format(marks) if marks else Markup("")


def write_html(document: Document, charts: dict[str, Drawn], path: Path) -> Path:
    """Write the page; return its path."""
    path.write_text(render_html(document, charts), encoding="utf-8")
    return path
