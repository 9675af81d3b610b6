"""Build the fascicle in several languages and formats, all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from fascicle.compute.figures import Figures, figures
from fascicle.document.build import build
from fascicle.document.tree import Document
from fascicle.model.budget import Budget
from fascicle.render.charts import Drawn, draw_all
from fascicle.render.output import release

FORMATS = ("html", "pdf", "docx", "xlsx")
LANGUAGES = ("zh", "en", "fr", "es", "ru", "ar")
# The chart files each output needs: the page inlines SVG, Typst places SVG, Word and Excel take PNG.
CHART_FORMATS = {"html": "svg", "pdf": "svg", "docx": "png", "xlsx": "png"}


def publish(budget: Budget, langs: Sequence[str], formats: Sequence[str], out: Path, draft: bool,
            step: Callable[[str], None] = lambda _: None) -> list[Path]:
    """Write `out/<lang>/fascicle.<format>` for every language and format, replacing the last build in `out` as
    a whole once everything is written (render/output.py); raises OutputError when `out` cannot take it."""
    langs, formats = list(dict.fromkeys(langs)), list(dict.fromkeys(formats))
    if "pdf" in formats:
        from fascicle.render.typst_pdf import prepare

        prepare()  # Typst finds and reads its fonts in the background while the documents are built
    figs = figures(budget)
    with release(out, langs) as folder:
        for lang in langs:
            _write_language(budget, figs, lang, formats, folder / lang, draft, step)
    return [out / lang / f"fascicle.{kind}" for lang in langs for kind in formats]


def _write_language(budget: Budget, figs: Figures, lang: str, formats: Sequence[str], folder: Path, draft: bool,
                    step: Callable[[str], None]) -> None:
    folder.mkdir()
    document = build(budget, lang, figs, draft)
    chart_formats = {CHART_FORMATS[kind] for kind in formats if kind in CHART_FORMATS}
    charts = draw_all(document, folder / "charts", chart_formats) if chart_formats else {}
    step(f"{lang}: charts")
    for kind in formats:
        target = folder / f"fascicle.{kind}"
        if kind == "html":
            write_html(document, charts, target)
        elif kind == "pdf":
            write_pdf(document, charts, target)
        elif kind == "docx":
            write_docx(document, charts, target)
        else:
            write_xlsx(document, charts, target)
        step(f"{lang}: {kind}")


# Each backend is imported only when its format is asked for: Jinja2, Typst, python-docx and XlsxWriter take
# a tenth of a second or more each to import.


def write_html(document: Document, charts: dict[str, Drawn], path: Path) -> Path:
    from fascicle.render.html import write_html as write

    return write(document, charts, path)


def write_pdf(document: Document, charts: dict[str, Drawn], path: Path) -> Path:
    from fascicle.render.typst_pdf import write_pdf as write

    return write(document, charts, path)


def write_docx(document: Document, charts: dict[str, Drawn], path: Path) -> Path:
    from fascicle.render.docx import write_docx as write

    return write(document, charts, path)


def write_xlsx(document: Document, charts: dict[str, Drawn], path: Path) -> Path:
    from fascicle.render.xlsx import write_xlsx as write

    return write(document, path, charts)
