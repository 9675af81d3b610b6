"""Build the fascicle in several languages and formats, all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from fascicle.compute.figures import Figures, figures
from fascicle.document.build import build
from fascicle.model.budget import Budget
from fascicle.render.charts import draw_all
from fascicle.render.docx import write_docx
from fascicle.render.html import write_html
from fascicle.render.output import release
from fascicle.render.typst_pdf import write_pdf
from fascicle.render.xlsx import write_xlsx

FORMATS = ("html", "pdf", "docx", "xlsx")
LANGUAGES = ("zh", "en", "fr", "es", "ru", "ar")


def publish(budget: Budget, langs: Sequence[str], formats: Sequence[str], out: Path, draft: bool,
            step: Callable[[str], None] = lambda _: None) -> list[Path]:
    """Write `out/<lang>/fascicle.<format>` for every language and format, replacing the last build in `out` as
    a whole once everything is written (render/output.py); raises OutputError when `out` cannot take it."""
    langs, formats = list(dict.fromkeys(langs)), list(dict.fromkeys(formats))
    figs = figures(budget)
    with release(out, langs) as folder:
        for lang in langs:
            _write_language(budget, figs, lang, formats, folder / lang, draft, step)
    return [out / lang / f"fascicle.{kind}" for lang in langs for kind in formats]


def _write_language(budget: Budget, figs: Figures, lang: str, formats: Sequence[str], folder: Path, draft: bool,
                    step: Callable[[str], None]) -> None:
    folder.mkdir()
    document = build(budget, lang, figs, draft)
    charts = draw_all(document, folder / "charts") if {"html", "pdf", "docx"} & set(formats) else {}
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
            write_xlsx(document, target)
        step(f"{lang}: {kind}")
