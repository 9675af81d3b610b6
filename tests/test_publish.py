"""Publishing: every figure of the seed in every format, pages that render, snapshots and Excel totals."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PIL import Image
from typer.testing import CliRunner

from conftest import TINY
from fascicle.cli import app
from fascicle.compute.lines import walk
from fascicle.document.build import figure_number
from fascicle.document.labels import label
from fascicle.model.budget import Budget
from fascicle.model.grades import display_grade
from fascicle.render.publish import publish
from fascicle.source.load import Loaded, bundled_path, load

LANGS = ("zh", "en")
SPACES = re.compile(r"[\s\u00a0\u202f]+")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, itc: Loaded) -> Path:
    out = tmp_path_factory.mktemp("build")
    publish(itc.budget, LANGS, ("html", "pdf", "docx", "xlsx"), out, draft=True)
    return out


def seed_figures(budget: Budget) -> Iterator[Decimal]:
    """Every figure the seed prints in a table or chart: the data's own figures and the printed totals."""
    for fund in (budget.resources.regular, budget.resources.extrabudgetary, budget.resources.un_grant):
        for _, line in walk(fund.lines):
            yield from line.values.values()
    for category in budget.deliverables.categories:
        for sub in category.subcategories:
            for item in sub.items:
                yield from (Decimal(q) for q in item.quantities.values())
    for indicator in budget.compliance.indicators:
        yield from indicator.values.values()
    assert budget.printed is not None
    for figure in budget.printed.figures:
        if figure.value is not None and figure.paragraph is None and "note" not in figure.where:
            yield figure.value


def flat(text: str) -> str:
    return SPACES.sub(" ", text)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    return " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


@pytest.mark.parametrize("lang", LANGS)
def test_every_seed_figure_is_in_every_format(built: Path, itc: Loaded, lang: str) -> None:
    # Written here with Python's own grouping, not our formatter; only figures of four digits or more, since a
    # shorter one ("12", "160") is found anywhere on a page. Cells are compared one by one in
    # test_printed_tables.py.
    group = "\u00a0" if lang == "zh" else ","
    wanted = {format(value, ",f").replace(",", group) for value in seed_figures(itc.budget)
              if len(str(abs(value)).replace(".", "")) >= 4}
    assert len(wanted) >= 28
    html = (built / lang / "fascicle.html").read_text(encoding="utf-8")
    texts = {"html": flat(html), "pdf": flat(pdf_text(built / lang / "fascicle.pdf")),
             "docx": flat(docx_text(built / lang / "fascicle.docx"))}
    for kind, text in texts.items():
        missing = sorted(figure for figure in wanted if flat(figure) not in text)
        assert missing == [], f"{kind} ({lang}) lacks {missing}"
    assert "37\u00a0936.5" in html if lang == "zh" else "37,936.5" in html
    book = openpyxl.load_workbook(built / lang / "fascicle.xlsx", data_only=True)
    cells = {Decimal(str(c.value)).quantize(Decimal("0.1")) for sheet in book for row in sheet.iter_rows()
             for c in row if isinstance(c.value, int | float)}
    missing_cells = sorted(v for v in seed_figures(itc.budget) if v.quantize(Decimal("0.1")) not in cells)
    assert missing_cells == []


def test_chinese_text_is_in_the_pdf_with_cjk_fonts(built: Path, itc: Loaded) -> None:
    text = flat(pdf_text(built / "zh" / "fascicle.pdf"))
    assert "国际贸易中心" in text and "贸易促进和出口发展的业务方面" in text
    fonts = subprocess.run(["pdffonts", str(built / "zh" / "fascicle.pdf")], check=True, capture_output=True,
                           text=True).stdout
    assert "NotoSerifCJK" in fonts


def _pages(pdf: Path, out: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(out / "page")], check=True)
    return sorted(out.glob("page-*.png"))


def _ink(png: Path) -> float:
    image = Image.open(png).convert("L")
    dark = sum(image.histogram()[:128])
    return dark / (image.width * image.height)


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_pages_render(built: Path, tmp_path: Path, lang: str) -> None:
    pages = _pages(built / lang / "fascicle.pdf", tmp_path)
    assert len(pages) >= 8
    assert all(_ink(page) > 0.002 for page in pages), [p.name for p in pages if _ink(p) <= 0.002]


def test_docx_renders_through_libreoffice(built: Path, tmp_path: Path) -> None:
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(built / "zh" / "fascicle.docx")], check=True, capture_output=True, timeout=300)
    pages = _pages(tmp_path / "fascicle.pdf", tmp_path)
    assert len(pages) >= 8 and all(_ink(page) > 0.002 for page in pages)
    assert "37 936.5" in flat(pdf_text(tmp_path / "fascicle.pdf"))


def _formula_value(sheet: object, formula: str, values: dict[str, float]) -> float:
    refs = re.fullmatch(r"=SUM\(([A-Z]+[0-9]+(?:,[A-Z]+[0-9]+)*)\)", formula)
    if refs:
        return sum(values[ref] for ref in refs.group(1).split(","))
    # The percentage column (review X7): the change over the base, in per cent to one decimal, 0 on a nil base.
    percent = re.fullmatch(r"=IF\(([A-Z]+[0-9]+)=0,0,ROUND\(([A-Z]+[0-9]+)/\1\*100,1\)\)", formula)
    assert percent, formula
    base, change = values.get(percent.group(1)) or 0, values.get(percent.group(2)) or 0
    return 0.0 if base == 0 else round(change / base * 100, 1)


@pytest.mark.parametrize("lang", LANGS)
def test_xlsx_totals_are_formulas_that_recompute(built: Path, lang: str) -> None:
    path = built / lang / "fascicle.xlsx"
    formulas, cached = openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)
    checked = 0
    for sheet in formulas:
        values = {c.coordinate: c.value for row in cached[sheet.title].iter_rows() for c in row
                  if isinstance(c.value, int | float)}
        for row in sheet.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    assert round(_formula_value(sheet, c.value, values), 1) == round(values[c.coordinate], 1)
                    checked += 1
    assert checked >= 40
    table_13_4 = formulas["表 13.4" if lang == "zh" else "Table 13.4"]
    assert any(str(c.value).startswith("=SUM(") for row in table_13_4.iter_rows() for c in row)


def _without_svg(html: str) -> str:
    return re.sub(r"<svg.*?</svg>", "<svg/>", html, flags=re.S)


@pytest.mark.parametrize("lang", LANGS)
def test_html_snapshot(built: Path, lang: str, snapshot: object) -> None:
    html = (built / lang / "fascicle.html").read_text(encoding="utf-8")
    assert '<th scope="col">' in html and f'lang="{"zh-Hans" if lang == "zh" else lang}"' in html
    snapshot(f"itc-{lang}.html", _without_svg(html))  # type: ignore[operator]


@pytest.mark.parametrize("lang", LANGS)
def test_docx_snapshot(built: Path, lang: str, snapshot: object) -> None:
    with zipfile.ZipFile(built / lang / "fascicle.docx") as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    snapshot(f"itc-{lang}.document.xml", xml.replace("><", ">\n<"))  # type: ignore[operator]


def test_xlsx_snapshot(built: Path, snapshot: object) -> None:
    book = openpyxl.load_workbook(built / "en" / "fascicle.xlsx")
    lines = [f"{sheet.title}!{c.coordinate}\t{c.value!r}\t{c.number_format}" for sheet in book
             for row in sheet.iter_rows() for c in row if c.value is not None]
    snapshot("itc-en.xlsx.txt", "\n".join(lines) + "\n")  # type: ignore[operator]


def test_other_languages_label_and_mark_missing_translations(tmp_path: Path, itc: Loaded) -> None:
    publish(itc.budget, ("ar", "fr"), ("html",), tmp_path, draft=False)
    arabic = (tmp_path / "ar" / "fascicle.html").read_text(encoding="utf-8")
    assert 'dir="rtl"' in arabic and label("untranslated", "ar") in arabic and label("overview", "ar") in arabic
    french = (tmp_path / "fr" / "fascicle.html").read_text(encoding="utf-8")
    assert label("untranslated", "fr") in french and label("deliverables", "fr") in french


def test_build_refuses_errors_without_force_and_marks_drafts(tmp_path: Path) -> None:
    runner = CliRunner()
    # The bundled data without its acknowledgement: the seed's RES001 blocks publication again.
    unacknowledged = Path(shutil.copytree(bundled_path(), tmp_path / "data"))
    (unacknowledged / "acknowledgements.yaml").unlink()
    refused = runner.invoke(app, ["build", str(unacknowledged), "--out", str(tmp_path / "itc"), "--format", "html"])
    assert refused.exit_code == 1 and not (tmp_path / "itc" / "zh").exists()
    assert "[RES001]" in refused.stderr and "not published" in refused.stderr
    forced = runner.invoke(app, ["build", str(unacknowledged), "--out", str(tmp_path / "itc"), "--format", "html",
                                 "--force", "--lang", "en"])
    assert forced.exit_code == 0
    assert 'class="draft"' in (tmp_path / "itc" / "en" / "fascicle.html").read_text(encoding="utf-8")
    # With the acknowledgement, the same error is listed but the build is final: no --force, no DRAFT mark.
    final = runner.invoke(app, ["build", "--out", str(tmp_path / "final"), "--format", "html", "--lang", "en"])
    assert final.exit_code == 0 and "[RES001]" in final.stderr and "acknowledged by" in final.stderr
    assert 'class="draft"' not in (tmp_path / "final" / "en" / "fascicle.html").read_text(encoding="utf-8")
    clean = runner.invoke(app, ["build", str(TINY), "--out", str(tmp_path / "tiny"), "--format", "html,xlsx"])
    assert clean.exit_code == 0
    assert 'class="draft"' not in (tmp_path / "tiny" / "en" / "fascicle.html").read_text(encoding="utf-8")
    assert runner.invoke(app, ["build", "--format", "odt"]).exit_code == 2


def test_tiny_budget_builds_in_every_format(tmp_path: Path) -> None:
    written = publish(load(TINY).budget, ("en",), ("html", "pdf", "docx", "xlsx"), tmp_path, draft=False)
    assert [p.name for p in written] == ["fascicle.html", "fascicle.pdf", "fascicle.docx", "fascicle.xlsx"]
    assert "1,000.0" in flat(pdf_text(tmp_path / "en" / "fascicle.pdf"))


def _segment(html: str, number: str, end: str) -> str:
    """The HTML of the table or figure captioned `number`, up to its end."""
    start = re.search(rf"<(caption|strong)>{re.escape(number)}\b", html)
    assert start is not None, number
    stop = html.index(end, start.start())
    # A table in parts (Z8): its further parts are the uncaptioned tables right after it.
    while (more := re.match(r"\s*(<div class=\"notes\">.*?</div>\s*)?<table[^>]*>\s*<thead>", html[stop + len(end):],
                            re.S)):
        stop = html.index(end, stop + len(end) + more.end())
    return html[start.start():stop]


@pytest.mark.parametrize("lang", LANGS)
def test_printed_totals_stand_in_their_own_table(built: Path, itc: Loaded, lang: str) -> None:
    html = (built / lang / "fascicle.html").read_text(encoding="utf-8")
    book = openpyxl.load_workbook(built / lang / "fascicle.xlsx", data_only=True)
    assert itc.budget.printed is not None
    checked = 0
    for figure in itc.budget.printed.figures:
        match = re.match(r"(Table|Figure) (13\.[0-9IV]+)", figure.where)
        if figure.value is None or match is None or "note" in figure.where:
            continue
        kind, ordinal = match.groups()
        number_ = label("table_title", lang, n=ordinal) if kind == "Table" else figure_number(ordinal, lang)
        segment = _segment(html, number_, "</table>" if kind == "Table" else "</figure>")
        written = format(figure.value, ",f").replace(",", "\u00a0" if lang == "zh" else ",")
        assert written in segment, (figure.where, lang)
        sheets = [sheet for sheet in book if sheet.title == number_ or sheet.title.startswith(f"{number_} ")]
        cells = [c.value for sheet in sheets for row in sheet.iter_rows() for c in row]
        values = {Decimal(str(v)) for v in cells if isinstance(v, int | float)}
        # Table 13.6 writes posts by grade in words ("21 P-5"), as the fascicle does.
        words = " ".join(v for v in cells if isinstance(v, str))
        grade = figure.ref.rsplit(".", 1)[-1] if ".grade." in figure.ref else None
        in_words = grade is not None and re.search(rf"\b{figure.value} (个 )?{re.escape(display_grade(grade))}", words)
        assert figure.value in values or in_words, (figure.where, lang)
        checked += 1
    assert checked >= 75  # every table and figure total of the seed


CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.mark.parametrize("lang", LANGS)
def test_html_renders_in_chromium(built: Path, tmp_path: Path, lang: str) -> None:
    page = (built / lang / "fascicle.html").as_uri()
    profile = f"--user-data-dir={tmp_path / 'profile'}"
    shot = tmp_path / "page.png"
    subprocess.run([*CHROMIUM, profile, "--window-size=1000,1400", f"--screenshot={shot}", page],
                   check=True, capture_output=True, timeout=120)
    assert _ink(shot) > 0.01
    dom = subprocess.run([*CHROMIUM, profile, "--dump-dom", page], check=True, capture_output=True, text=True,
                         timeout=120).stdout
    assert dom.count("<table") >= 15 and dom.count("<svg") >= 9
