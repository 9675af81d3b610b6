"""HTML backend: one self-contained, accessible page per language (Jinja2)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from fascicle.document.labels import label
from fascicle.document.tree import Document, FigureBlock, Heading, Para, Signature, TableBlock
from fascicle.model.text import FOOTNOTE_MARK
from fascicle.render.cells import cell_text, is_number
from fascicle.render.charts import Drawn

_ENV = Environment(loader=PackageLoader("fascicle.render", "templates"), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def _svg(drawn: Drawn) -> Markup:
    # Inline the SVG so the page stands alone; drop the XML prolog and DOCTYPE.
    text = drawn.svg.read_text(encoding="utf-8")
    return Markup(text[text.index("<svg"):])  # noqa: S704 - our own matplotlib output


def _marks(text: str) -> Markup:
    return Markup(FOOTNOTE_MARK.sub(lambda m: f'<sup class="fn">{escape(m.group(1))}</sup>', str(escape(text))))  # noqa: S704


def render_html(document: Document, charts: dict[str, Drawn]) -> str:
    """The document as one HTML page."""
    template = _ENV.get_template("fascicle.html.j2")
    return template.render(
        doc=document, charts=charts, label=lambda key, **v: label(key, document.lang, **v),
        cell=lambda table, column, value: cell_text(table, column, value, document.lang),
        is_number=is_number, svg=_svg, marks=_marks,
        kind=lambda block: type(block).__name__,
        Heading=Heading, Para=Para, TableBlock=TableBlock, FigureBlock=FigureBlock, Signature=Signature,
    )


def write_html(document: Document, charts: dict[str, Drawn], path: Path) -> Path:
    """Write the page; return its path."""
    path.write_text(render_html(document, charts), encoding="utf-8")
    return path
