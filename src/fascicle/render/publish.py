"""Build the fascicle in several languages and formats, all or nothing."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from fascicle.compute.figures import figures
from fascicle.document.build import build
from fascicle.model.budget import Budget
from fascicle.render.charts import draw_all
from fascicle.render.docx import write_docx
from fascicle.render.html import write_html
from fascicle.render.typst_pdf import write_pdf
from fascicle.render.xlsx import write_xlsx

FORMATS = ("html", "pdf", "docx", "xlsx")
LANGUAGES = ("zh", "en", "fr", "es", "ru", "ar")


def publish(budget: Budget, langs: Sequence[str], formats: Sequence[str], out: Path, draft: bool,
            step: Callable[[str], None] = lambda _: None) -> list[Path]:
    """Write `out/<lang>/fascicle.<format>` for every language and format; replace each language's folder
    only once all its files are written, so a failure leaves the previous output untouched."""
    figs = figures(budget)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in langs:
        with tempfile.TemporaryDirectory(dir=out, prefix=f".{lang}-") as temporary:
            folder = Path(temporary)
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
            final = out / lang
            if final.exists():
                shutil.rmtree(final)
            folder.rename(final)
            folder.mkdir()  # the context manager removes what it created
            written += [final / f"fascicle.{kind}" for kind in formats]
    return written
