"""HTML backend: one self-contained, accessible page per language (Jinja2)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape

from fascicle.document.ids import RESERVED, UNDOCS, Unique
from fascicle.document.labels import label
from fascicle.document.tree import Document, FigureBlock, Heading, Para, Signature, TableBlock
from fascicle.model.text import FOOTNOTE_MARK
from fascicle.render.cells import cell_text, is_number
from fascicle.render.charts import Drawn

# Every template escapes everything, whatever its file name: text from the data is never markup. Only _svg and
# _marks return Markup, built from our own chart files and from text they escape themselves.
_ENV = Environment(loader=PackageLoader("fascicle.render", "templates"), autoescape=True,
                   trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def _svg(drawn: Drawn) -> Markup:
    # Inline the SVG so the page stands alone; drop the XML prolog and DOCTYPE.
    text = drawn.svg.read_text(encoding="utf-8")
    return Markup(text[text.index("<svg"):])  # noqa: S704 - our own matplotlib output


def _marks(text: str) -> Markup:
    return Markup(FOOTNOTE_MARK.sub(lambda m: f'<sup class="fn">{escape(m.group(1))}</sup>', str(escape(text))))  # noqa: S704


def _href(url: str) -> str:
    # Links are built by the document from a percent-encoded symbol; refuse anything else rather than print it.
    if not url.startswith(UNDOCS):
        raise ValueError(f"not an undocs.org address: {url!r}")
    return url


def render_html(document: Document, charts: dict[str, Drawn]) -> str:
    """The document as one HTML page."""
    template = _ENV.get_template("fascicle.html.j2")
    # Table ids come from the data (fund ids, exhibit numbers): slugged, and unique beside the headings' anchors.
    table_id = Unique([*RESERVED, *(heading.anchor for heading in document.headings())])
    return template.render(
        doc=document, charts=charts, label=lambda key, **v: label(key, document.lang, **v),
        table_id=table_id, href=_href,
        cell=lambda table, column, value: cell_text(table, column, value, document.lang),
        is_number=is_number, svg=_svg, marks=_marks,
        kind=lambda block: type(block).__name__,
        Heading=Heading, Para=Para, TableBlock=TableBlock, FigureBlock=FigureBlock, Signature=Signature,
    )


def write_html(document: Document, charts: dict[str, Drawn], path: Path) -> Path:
    """Write the page; return its path."""
    path.write_text(render_html(document, charts), encoding="utf-8")
    return path
