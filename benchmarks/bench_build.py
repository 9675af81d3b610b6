"""Publishing benchmark: zh + en in all four formats, and our PDF against LibreOffice's DOCX -> PDF.

Run: make bench (or .venv/bin/python benchmarks/bench_build.py). Both sides are measured in the
same run on the same machine; the ratio is what counts, not the seconds.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from fascicle.compute.figures import figures
from fascicle.document.build import build
from fascicle.render.charts import draw_all
from fascicle.render.publish import publish
from fascicle.render.typst_pdf import write_pdf
from fascicle.source.load import load
from timing import median_time

LANGS = ("zh", "en")


def main() -> None:
    """Run the benchmark and print one line per measure."""
    budget = load().budget
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        publish(budget, LANGS, ("html", "pdf", "docx", "xlsx"), out / "warm", draft=True)  # fonts, caches
        everything = median_time(lambda: publish(budget, LANGS, ("html", "pdf", "docx", "xlsx"), out / "all",
                                                 draft=True), 3)
        print(f"build zh+en, html+pdf+docx+xlsx (8 files, in-process): {everything:.2f} s")
        figs = figures(budget)
        documents = {lang: build(budget, lang, figs, True) for lang in LANGS}
        charts = {lang: draw_all(documents[lang], out / "pdf" / lang / "charts") for lang in LANGS}
        ours = median_time(lambda: [write_pdf(documents[lang], charts[lang], out / "pdf" / lang / "fascicle.pdf")
                                    for lang in LANGS], 3)
        docx = [out / "all" / lang / "fascicle.docx" for lang in LANGS]

        def libreoffice() -> None:
            for index, file in enumerate(docx):
                subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir",
                                str(out / "lo" / str(index)), str(file)], check=True, capture_output=True)

        theirs = median_time(libreoffice, 3)
        print(f"PDF zh+en: Typst from the document tree {ours:.2f} s; LibreOffice DOCX -> PDF {theirs:.2f} s; "
              f"LibreOffice / ours = {theirs / ours:.1f}")


if __name__ == "__main__":
    main()
