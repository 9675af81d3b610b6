"""The chart findings of the ITC 2024 output review (reviews/itc-2024-outputs.md): the Annex I organization
charts as a hierarchy with each unit's posts (Z11, E9, C4), the panels of Figure 13.IV at one scale, in the
tables' order and with their titles on lines of their own (Z18, C3, C5, Z19, T7), the unit of each measure
panel (E2, C1, X3) and the note and warning of a measure figure without its plan-year target (Z2, MSR002).

Expected figures are read here from the YAML files themselves, not from the model or the computed figures."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path
from typing import Any

import matplotlib.text
import pytest
import yaml
from PIL import Image

from conftest import edit, found, line_of, tiny
from fascicle.checks.registry import run_checks
from fascicle.document.build import build, figure_number
from fascicle.document.labels import label
from fascicle.document.numbers import number
from fascicle.document.tree import Chart, Document, FigureBlock, OrgBox
from fascicle.render import charts as chart_backend
from fascicle.source.load import Loaded, bundled_path, load

LANGS = ("zh", "en")
DATA = bundled_path()
GRADE_ITEM = re.compile(r"(\d+)\s([^,、]+)")


def _yaml(part: str) -> Any:
    return yaml.safe_load((DATA / f"{part}.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def documents(itc: Loaded) -> dict[str, Document]:
    return {lang: build(itc.budget, lang) for lang in LANGS}


def _org(document: Document, year: int) -> Chart:
    return next(c for b in document.blocks if isinstance(b, FigureBlock) for c in b.charts if c.id == f"org-{year}")


def _figure(document: Document, ordinal: str) -> FigureBlock:
    wanted = figure_number(f"13.{ordinal}", document.lang)
    return next(b for b in document.blocks if isinstance(b, FigureBlock) and b.number == wanted)


def _posts(year: int) -> dict[tuple[str, str], Counter[str]]:
    """Posts by (unit, source) and grade for a year, from posts.yaml: the year's regular budget as approved
    (2023) or proposed (2024), the extrabudgetary estimate."""
    stage = {"rb": "approved" if year == 2023 else "proposed", "xb": "estimate"}
    found_: dict[tuple[str, str], Counter[str]] = {}
    for entry in _yaml("posts")["staffing"]:
        if entry["period"] == f"{year} {stage[entry['source']]}":
            found_.setdefault((entry["unit"], entry["source"]), Counter()).update(entry["grades"])
    return found_


# Z11/E9/C4: the hierarchy ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("year", [2023, 2024])
def test_z11_org_chart_has_the_executive_director_on_top_and_the_divisions_below(
        documents: dict[str, Document], lang: str, year: int) -> None:
    units = [u for u in _yaml("structure")["units"] if year in u["years"]]
    chart = _org(documents[lang], year)
    assert [top.name for top in chart.org] == [u["name"][lang] for u in units if not u.get("reports_to")]
    (top,) = chart.org
    assert top.name == next(u["name"][lang] for u in units if u["id"] == "OED")
    below = [u["name"][lang] for u in units if u.get("reports_to") == "OED"]
    assert [child.name for child in top.children] == below and len(below) == (4 if year == 2023 else 5)
    assert all(not child.children for child in top.children)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("year", [2023, 2024])
def test_z11_each_box_lists_its_posts_by_source_and_grade_and_their_total(
        documents: dict[str, Document], lang: str, year: int) -> None:
    names = {u["name"][lang]: u["id"] for u in _yaml("structure")["units"]}
    posts = _posts(year)
    prefixes = {"rb": label("org_rb", lang), "xb": label("org_xb", lang)}
    boxes = _org(documents[lang], year).org[0].walk()
    assert len(boxes) == len({unit for unit, _ in posts})
    for box in boxes:
        unit = names[box.name]
        *sources, total = [line.replace("\u00a0", " ") for line in box.lines]
        shown = {}
        for line in sources:
            source = next(s for s, prefix in prefixes.items() if line.startswith(prefix))
            shown[source] = Counter({grade.strip(): int(n) for n, grade in GRADE_ITEM.findall(
                line[len(prefixes[source]):].lstrip(":： "))})
        wanted = {source: +counts for (u, source), counts in posts.items() if u == unit and +counts}
        assert shown == wanted, box.name
        assert total == label("total_n", lang, n=number(sum(sum(c.values()) for c in wanted.values()), lang))


@pytest.mark.parametrize("lang", LANGS)
def test_z11_org_chart_svg_draws_the_grade_lists_and_connectors(documents: dict[str, Document], lang: str,
                                                                tmp_path: Path) -> None:
    chart = _org(documents[lang], 2024)
    single = Document(lang, "ltr", "A/1", "T", "S", (FigureBlock(None, "", (chart,)),))
    drawn = chart_backend.draw_all(single, tmp_path, ("svg",))[chart.id]
    svg = drawn.svg.read_text(encoding="utf-8")
    # Text is drawn as paths; matplotlib keeps each drawn line of text as a comment before it.
    written = re.sub(r"\s", "", "".join(re.findall(r"<!-- (.*?) -->", svg)).replace("&#45;", "-"))
    for box in chart.org[0].walk():
        for line in (box.name, *box.lines):
            assert re.sub(r"\s", "", line) in written, line
    # An elbow from the top box down to a bus, the bus, and a drop to each division.
    assert svg.count('id="line2d_') == 2 + len(chart.org[0].children)


def test_z11_a_flat_chart_without_hierarchy_still_draws_its_labels() -> None:
    chart = Chart("c", "org", "T", ("Unit one", "Unit two"), ())
    figure = chart_backend.drawing(chart, "en")
    texts = {t.get_text() for t in figure.findobj(matplotlib.text.Text)}
    chart_backend.plt.close(figure)
    assert {"Unit one", "Unit two"} <= texts


def test_z11_many_boxes_are_wrapped_into_rows() -> None:
    top = OrgBox("Top", ("Total: 1",), tuple(OrgBox(f"Unit {i}", (f"Total: {i}",)) for i in range(8)))
    figure = chart_backend.drawing(Chart("c", "org", "T", (), (), org=(top,)), "en")
    width, _ = figure.get_size_inches()
    chart_backend.plt.close(figure)
    assert width <= chart_backend.ORG_WIDTH + 0.1


def _divisions(sections: int) -> Chart:
    """A head office over six divisions, each over `sections` sections."""
    divisions = tuple(OrgBox(f"Division {i}", ("RB: 1\u00a0D-1, 2\u00a0P-4", f"Total: {3 + i}"),
                             tuple(OrgBox(f"Section {i}.{j}", ("RB: 1\u00a0P-3", "Total: 1")) for j in range(sections)))
                      for i in range(6))
    return Chart("org-deep", "org", "T", (), (), org=(OrgBox("Office of the Head", ("Total: 40",), divisions),))


def _size(chart: Chart) -> tuple[float, float]:
    figure = chart_backend.drawing(chart, "en")
    width, height = figure.get_size_inches()
    chart_backend.plt.close(figure)
    return float(width), float(height)


def test_z11_sections_are_stacked_under_their_division(tmp_path: Path) -> None:
    """The units under a division are stacked in a column below it, as the Annex I charts draw them: the
    chart is as wide as its rows of divisions, each column one indent right of its division, not as wide as
    all its units side by side (six divisions of four sections drew 15.7 in wide); every box is drawn."""
    flat, deep = _size(_divisions(0)), _size(_divisions(4))
    # Two rows of three divisions.
    assert deep[0] <= flat[0] + 3 * chart_backend.INDENT + 0.01
    assert deep[1] > flat[1] + 4 * 0.3  # four sections under each division of a row
    chart = _divisions(4)
    svg = chart_backend.draw_one(chart, "en", tmp_path, ("svg",)).svg.read_text(encoding="utf-8")
    written = re.sub(r"\s", "", "".join(re.findall(r"<!-- (.*?) -->", svg)).replace("&#45;", "-"))
    for box in chart.org[0].walk():
        for line in (box.name, *box.lines):
            assert re.sub(r"\s", "", line) in written, line


def test_z11_draw_one_writes_what_draw_all_writes(tmp_path: Path) -> None:
    chart = _divisions(2)
    one = chart_backend.draw_one(chart, "en", tmp_path / "one", ("png",))
    document = Document("en", "ltr", "A/1", "T", "S", (FigureBlock(None, "", (chart,)),))
    every = chart_backend.draw_all(document, tmp_path / "all", ("png",))[chart.id]
    assert one.png.name == every.png.name == "org-deep.png"
    assert one.png.read_bytes() == every.png.read_bytes()
    assert not one.svg.exists()


# STR003: reports_to ---------------------------------------------------------------------------------------------

def test_z11_reports_to_a_unit_missing_in_that_year_is_an_error(tmp_path: Path) -> None:
    # Division B exists in 2023 only; C (2024) cannot report to it.
    path = edit(tmp_path, "structure", "years: [2024], renamed_from: B}", "years: [2024], renamed_from: B, "
                                                                          "reports_to: B}")
    assert found(path) == {("STR003", "error", "structure.yaml", line_of(path, "structure", "reports_to: B"))}


def test_z11_a_loop_of_reports_to_is_an_error_at_each_unit_and_still_drawn(tmp_path: Path) -> None:
    text = (Path(__file__).parent / "data" / "tiny" / "structure.yaml").read_text(encoding="utf-8")
    text = text.replace("years: [2023, 2024]}", "years: [2023, 2024], reports_to: D}\n"
                        "  - {id: D, name: {zh: \"丁司\", en: \"Division D\"}, years: [2023, 2024], reports_to: A}")
    path = tiny(tmp_path, structure=text)
    assert found(path) == {("STR003", "error", "structure.yaml", line_of(path, "structure", "reports_to: D")),
                           ("STR003", "error", "structure.yaml", line_of(path, "structure", "reports_to: A"))}
    chart = _org(build(load(path).budget, "en"), 2024)
    assert {box.name for top in chart.org for box in top.walk()} == {"Division A", "Division C", "Division D"}


def test_z11_the_itc_hierarchy_is_sound(itc: Loaded) -> None:
    assert not [f for f in run_checks(itc.budget) if f.code == "STR003"]


# Z18/C3/C5/Z19/T7: Figure 13.IV --------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_z18_figure_13_iv_panels_share_one_width_and_one_font_size(documents: dict[str, Document],
                                                                   lang: str, tmp_path: Path) -> None:
    figure = _figure(documents[lang], "IV")
    assert len(figure.charts) == 3
    widths, sizes = set(), set()
    for chart in figure.charts:
        drawing = chart_backend.drawing(chart, lang)
        drawing.canvas.draw()
        widths.add(round(float(drawing.get_size_inches()[0]), 4))
        sizes |= {t.get_fontsize() for t in drawing.findobj(matplotlib.text.Text)
                  if t.get_text() and t.get_visible()}
        chart_backend.plt.close(drawing)
    assert widths == {chart_backend.PANEL_WIDTH} and sizes == {chart_backend.FONT}
    # The files too: three SVGs of one width print at one scale side by side.
    drawn = chart_backend.draw_all(Document(lang, "ltr", "A/1", "T", "S", (figure,)), tmp_path, ("svg",))
    svg_widths = {re.search(r'<svg[^>]* width="([0-9.]+)pt"', d.svg.read_text(encoding="utf-8")).group(1)  # type: ignore[union-attr]
                  for d in drawn.values()}
    assert len(svg_widths) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_c5_every_chart_has_a_transparent_background(documents: dict[str, Document], lang: str,
                                                     tmp_path: Path) -> None:
    drawn = chart_backend.draw_all(documents[lang], tmp_path)
    assert len(drawn) >= 9
    for files in drawn.values():
        with Image.open(io.BytesIO(files.png.read_bytes())) as image:
            rgba = image.convert("RGBA")
            corners = [rgba.getpixel((x, y)) for x in (0, rgba.width - 1) for y in (0, rgba.height - 1)]
        assert all(pixel[3] == 0 for pixel in corners), files.png.name  # type: ignore[index]
        svg = files.svg.read_text(encoding="utf-8")
        background = re.search(r'<g id="patch_1">\s*<path [^>]*style="([^"]*)"', svg)
        assert background is None or "fill: none" in background.group(1) or "fill-opacity: 0" in \
            background.group(1), files.svg.name


@pytest.mark.parametrize("lang", LANGS)
def test_z19_tables_under_figure_13_iv_list_the_bars_in_the_charts_order(documents: dict[str, Document],
                                                                         lang: str) -> None:
    figure = _figure(documents[lang], "IV")
    posts, money = figure.data
    grades, split, objects = (chart.labels for chart in figure.charts)
    assert tuple(r.label for r in posts.rows if r.kind != "total") == grades
    assert tuple(r.label for r in money.rows if r.kind != "total" and r.level == 0) == split
    assert tuple(r.label for r in money.rows if r.level == 1) == objects
    # The first label is drawn on top, as the table lists it first.
    for chart in figure.charts:
        drawing = chart_backend.drawing(chart, lang)
        drawing.canvas.draw()
        axes = drawing.axes[0]
        ticks = [(t.get_window_extent().y0, t.get_text()) for t in axes.get_yticklabels()]
        chart_backend.plt.close(drawing)
        top_down = [re.sub(r"\s", "", text) for _, text in sorted(ticks, key=lambda tick: -tick[0])]
        assert top_down == [re.sub(r"\s", "", name) for name in chart.labels]


@pytest.mark.parametrize("lang", LANGS)
def test_t7_panel_titles_and_totals_on_lines_of_their_own(documents: dict[str, Document], lang: str) -> None:
    figure = _figure(documents[lang], "IV")
    posts, money, objects = figure.charts
    total = sum(sum(e["grades"].values()) for e in _yaml("posts")["staffing"]
                if e["period"] == "2024 proposed" and e["source"] == "rb")
    assert (posts.title, posts.texts) == (label("posts_distribution", lang), (label("n_posts", lang, n=total),))
    assert money.title == label("financial_distribution", lang)
    assert objects.title == label("non_post_distribution", lang)
    for chart, table_total in ((money, figure.data[1].rows[-1].cells[0]), (objects, None)):
        unit, line = chart.texts
        assert unit == label("in_thousands_chf", lang)
        assert line.startswith(label("total_n", lang, n=""))
        if table_total is not None:
            assert line == label("total_n", lang, n=number(table_total, lang, 1))  # type: ignore[arg-type]
    # Drawn as separate lines: the title, then each text.
    drawing = chart_backend.drawing(money, lang)
    lines = [line for t in drawing.texts for line in t.get_text().split("\n")]
    chart_backend.plt.close(drawing)
    assert lines[-2:] == list(money.texts) and " ".join(lines[:-2]).replace(" ", "") == money.title.replace(" ", "")


# E2/C1/X3: the unit of each measure -----------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_e2_each_measure_panel_and_row_names_its_unit(documents: dict[str, Document], lang: str) -> None:
    for result in _yaml("performance")["results"]:
        figure = _figure(documents[lang], result["exhibit"]["number"].split(".")[1])
        drawn = [m for m in result["measures"] if m.get("values")]
        assert len(figure.charts) == len(drawn)
        for chart, row, measure in zip(figure.charts, figure.data[0].rows, drawn, strict=True):
            assert chart.title == measure["name"][lang]
            # A unit the name already says ("Number of users …", in users) is not said twice.
            if "unit" in measure and measure["unit"][lang].casefold() not in measure["name"][lang].casefold():
                assert chart.texts == (f"({measure['unit'][lang]})",)
                assert measure["name"][lang] in row.label and measure["unit"][lang] in row.label
            else:
                assert chart.texts == () and row.label == measure["name"][lang]
    transactions = _figure(documents[lang], "I").charts[1]
    drawing = chart_backend.drawing(transactions, lang)
    title = drawing.axes[0].get_title(loc="left")
    chart_backend.plt.close(drawing)
    assert title.endswith({"zh": "(百万美元)", "en": "(millions of United States dollars)"}[lang])


# Z2/MSR002: a measure figure without the plan-year target ------------------------------------------------------

def _values_line(text: str, measure: str) -> int:
    """The line of a measure's first value (where its `values` mapping starts)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if f'id: "{measure}"' in line)
    return next(i for i in range(start, len(lines)) if "values:" in lines[i]) + 2


def test_z2_fig004_warns_at_each_measure_without_the_2024_target(itc: Loaded) -> None:
    text = (DATA / "performance.yaml").read_text(encoding="utf-8")
    findings = [f for f in run_checks(itc.budget) if f.code == "MSR002"]
    assert {f.severity for f in findings} == {"warning"}
    where = {itc.line_of(f.locations[0].part, f.locations[0].path) for f in findings}
    assert where == {("performance.yaml", _values_line(text, m))
                     for m in ("r1.users", "r1.transactions", "r2.msmes", "r2.partners")}


@pytest.mark.parametrize("lang", LANGS)
def test_z2_figures_without_the_plan_year_target_say_so_under_the_chart(documents: dict[str, Document],
                                                                        lang: str) -> None:
    periods = label("list_sep", lang).join((label("year_actual", lang, y=2022), label("year_target", lang, y=2022)))
    note = label("figure_no_target", lang, p=periods, y=2024)
    for ordinal in ("I", "II"):
        assert _figure(documents[lang], ordinal).data[0].notes == (note,)
    assert _figure(documents[lang], "III").data[0].notes == ()
    assert {"zh": "2024 年目标", "en": "2024 target"}[lang] in note


def test_z2_fig004_in_a_tiny_budget_and_the_note_names_the_measure_without_it(tmp_path: Path) -> None:
    users = '- {id: users, name: {zh: "用户", en: "Users"}, values: {"2022 actual": 120, "2022 target": 100, ' \
            '"2024 target": 150}}'
    visits = '\n      - {id: visits, name: {zh: "访问", en: "Visits"}, values: {"2022 actual": 7}}'
    path = edit(tmp_path, "performance", users, users + visits)
    assert ("MSR002", "warning", "performance.yaml", line_of(path, "performance", "- {id: visits")) in found(path)
    figure = next(b for b in build(load(path).budget, "en").blocks if isinstance(b, FigureBlock))
    assert figure.data[0].notes == (label("figure_no_target_of", "en", m="Visits", y=2024),)
