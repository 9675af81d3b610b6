"""Charts and Annex I organization charts read from the Word fascicles; expected numbers read from their XML."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from fascicle.ingest.charts import read_chart
from fascicle.ingest.orgchart import read_orgchart
from fascicle.ingest.package import NS, Package, open_package
from fascicle.ingest.reader import Drawing, Para, read_body
from fascicle.model.general import Chart, OrgChart

DATA = Path(__file__).resolve().parent / "data" / "fascicles"
SECT13 = DATA / "a80-6-2026" / "A_80_6_Sect.13.docx"
SECT29A = DATA / "a80-6-2026" / "A_80_6_Sect.29A.docx"
FILES = sorted(DATA.glob("*/*.docx"))

needs_data = pytest.mark.skipif(not SECT13.exists(), reason="the development fascicles are not on this machine")


def _annex_charts(path: Path) -> list[OrgChart]:
    """The Annex I charts: the drawings between each heading of the annex and the next heading."""
    package = open_package(path)
    try:
        body = read_body(package)
    finally:
        package.close()
    charts: list[list[Drawing]] = []
    annex = False
    for block in body.blocks:
        if not isinstance(block, Para):
            continue
        if block.level and block.clean.startswith("Annex II"):
            break
        if block.level and block.clean == "Annex I":
            annex = True
        if annex and block.level:
            charts.append([])
        if annex:
            charts[-1].extend(d for d in block.drawings if d.kind in ("shapes", "picture"))
    return [read_orgchart(drawings) for drawings in charts if drawings]


def _by_title(chart: OrgChart, title: str) -> dict[str, object]:
    box = next(b for b in chart.boxes if b.title.en == title)
    return {"posts": box.posts, "total": box.total, "marks": box.marks, "parent": box.parent, "id": box.id}


def _chart(package: Package, part: str) -> Chart:
    return read_chart(package, part)


@needs_data
def test_sect13_charts_series_and_nils() -> None:
    package = open_package(SECT13)
    try:
        first, second, third = (_chart(package, f"word/charts/chart{n}.xml") for n in (1, 2, 3))
    finally:
        package.close()
    # chart1.xml: two bar series and two line series; the scatter "Dividers" is decoration.
    assert first.kind == "bar+line"
    assert [s.name for s in first.series] == [
        "Micro-, small and medium-sized enterprises connected and enabled to compete digitally (planned)",
        "Micro-, small and medium-sized enterprises connected and enabled to compete digitally (actual)",
        "Business support organizations empowered to advocate for connectivity (planned)",
        "Business support organizations empowered to advocate for connectivity (actual)"]
    assert any("Dividers" in line for line in first.review)
    actual = {p.category: p.value for p in first.series[1].points}
    # Cached 15, 2103, 11071, 0, 0; the dLbl of idx 3 and 4 read "–".
    assert actual == {"2022": Decimal(15), "2023": Decimal(2103), "2024": Decimal(11071), "2025": None, "2026": None}
    planned = first.series[0].points
    assert planned[0].value is None and planned[3].value == Decimal(15000)  # idx 0 cached 0, label "–"
    # The line series sit at idx 6-9 of the repeated categories 2022-2026.
    assert [(p.index, p.category, p.value) for p in first.series[2].points] == [
        (6, "2023", Decimal(2)), (7, "2024", Decimal(8)), (8, "2025", Decimal(10)), (9, "2026", Decimal(40))]
    # chart2.xml: the planned line has "[VALUE]" field labels: the value stays.
    assert [p.value for p in second.series[2].points] == [Decimal(17000), Decimal(34500), Decimal(50000)]
    assert [p.value for p in second.series[0].points] == [None, None, Decimal(35), Decimal(60), Decimal(90)]
    # chart3.xml: categories "2022 \n(actual)" printed as "2022 (actual)"; three cached zeros labelled "–".
    assert third.kind == "bar+line"
    assert [p.category for p in third.series[0].points] == [
        "2022 (actual)", "2023 (actual)", "2024 (actual)", "2025 (planned)", "2026 (planned)"]
    assert [p.value for p in third.series[1].points] == [None, None, None, Decimal(15), Decimal(30)]


@needs_data
def test_sect13_org_charts() -> None:
    approved, proposed = _annex_charts(SECT13)
    # 2025: six unit boxes (the "Note:" box is not a unit); 2026 adds the separately anchored Nairobi office.
    assert len(approved.boxes) == 6
    assert len(proposed.boxes) == 7
    market = _by_title(proposed, "Division of Market Development")
    assert market["posts"] == {"RB": {"D-1": 1, "P-5": 5, "P-4": 5, "P-3": 5, "P-2": 5, "GS (OL)": 11},
                               "XB": {"P-5": 1, "P-3": 1}}
    assert market["total"] == 34
    assert market["marks"] == {"P-4": ("b",), "P-3": ("c",)}
    nairobi = _by_title(proposed, "ITC regional office in Nairobi")
    assert nairobi["posts"] == {"RB": {"D-1": 1, "P-3": 1}, "XB": {"P-3": 1, "GS (OL)": 2}}
    assert nairobi["total"] == 5
    assert nairobi["marks"] == {"D-1": ("a",), "P-3": ("a",)}
    office = _by_title(proposed, "Office of the Executive Director")
    assert office["posts"] == {"RB": {"ASG": 1, "D-2": 1, "P-5": 3, "P-4": 6, "P-3": 1, "P-2": 2, "GS (OL)": 7},
                               "XB": {"P-4": 1, "P-2": 1, "GS (OL)": 4}}
    assert office["parent"] is None
    assert all(b.parent == office["id"] for b in proposed.boxes if b.id != office["id"])
    assert _by_title(approved, "Division of Market Development")["posts"] == {
        "RB": {"D-1": 1, "P-5": 5, "P-4": 6, "P-3": 4, "P-2": 5, "GS (OL)": 11}, "XB": {"P-5": 1, "P-3": 1}}
    assert not approved.review and not proposed.review  # every printed total adds up


@needs_data
def test_form_b_table_in_text_box() -> None:
    (chart, *_) = [c for c in _annex_charts(SECT29A) if c.boxes]
    finance = _by_title(chart, "Finance Division (subprogramme 2, component 1)")
    assert finance["posts"] == {
        "RB": {"D-2": 1, "D-1": 4, "P-5": 4, "P-4": 5, "P-3": 1, "P-2/1": 2, "GS (PL)": 3, "GS (OL)": 19},
        "OA": {"P-5": 2, "P-4": 15, "P-3": 7, "P-2/1": 1, "GS (PL)": 3, "GS (OL)": 15},
        "XB": {"P-5": 4, "P-4": 13, "P-3": 14, "P-2/1": 2, "GS (PL)": 10, "GS (OL)": 32, "LL": 10}}
    assert finance["total"] == 167
    assert finance["marks"] == {"D-1": ("a",)}
    # Programme Planning and Budget Division: the "RB:" header spans two grid columns of grades.
    budget = _by_title(chart, "Programme Planning and Budget Division (subprogramme 2, component 3)")
    assert sum(budget["posts"]["RB"].values()) == 40  # type: ignore[index]
    assert budget["total"] == 41


@needs_data
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_chart_reads_with_every_cached_value(path: Path) -> None:
    package = open_package(path)
    try:
        parts = sorted(n for n in package.sizes if n.startswith("word/charts/chart") and n.endswith(".xml"))
        for part in parts:
            chart = read_chart(package, part)
            read = {(s.name, p.index) for s in chart.series for p in s.points}
            for name, idx in _cached(package.read(part)):
                dropped = any(name.strip() and name.strip() in line for line in chart.review)
                assert (name, idx) in read or dropped, (part, name, idx)
    finally:
        package.close()


def _cached(xml: bytes) -> list[tuple[str, int]]:
    """(series name, idx) of every cached value, read straight from the XML."""
    root = etree.fromstring(xml)
    found = []
    for ser in root.iter(f"{{{NS['c']}}}ser"):
        name = " ".join(" ".join(v.text or "" for v in ser.iterfind("c:tx//c:v", NS)).split())
        for pt in ser.iterfind("c:val/c:numRef/c:numCache/c:pt", NS) or ser.iterfind(
                "c:yVal/c:numRef/c:numCache/c:pt", NS):
            found.append((name, int(pt.get("idx", "0"))))
    return found


def _tiny_chart(tmp_path: Path, series: str) -> Chart:
    """A one-chart package written by hand."""
    chart = (f'<c:chartSpace xmlns:c="{NS["c"]}" xmlns:a="{NS["a"]}"><c:chart><c:plotArea>'
             f'<c:barChart><c:grouping val="clustered"/>{series}</c:barChart></c:plotArea></c:chart></c:chartSpace>')
    path = tmp_path / "tiny.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{NS["w"]}"><w:body/></w:document>')
        archive.writestr("word/charts/chart1.xml", chart)
    package = open_package(path)
    try:
        return read_chart(package, "word/charts/chart1.xml")
    finally:
        package.close()


def _ser(name: str, values: list[str], labels: str = "") -> str:
    points = "".join(f'<c:pt idx="{i}"><c:v>{v}</c:v></c:pt>' for i, v in enumerate(values))
    cats = "".join(f'<c:pt idx="{i}"><c:v>{2022 + i}</c:v></c:pt>' for i in range(len(values)))
    return (f'<c:ser><c:tx><c:v>{name}</c:v></c:tx><c:dLbls>{labels}</c:dLbls>'
            f'<c:cat><c:numRef><c:numCache>{cats}</c:numCache></c:numRef></c:cat>'
            f'<c:val><c:numRef><c:numCache>{points}</c:numCache></c:numRef></c:val></c:ser>')


def _label(idx: int, text: str | None) -> str:
    if text is None:
        return f'<c:dLbl><c:idx val="{idx}"/><c:delete val="1"/></c:dLbl>'
    return f'<c:dLbl><c:idx val="{idx}"/><c:tx><c:rich><a:p><a:r><a:t>{text}</a:t></a:r></a:p></c:rich></c:tx></c:dLbl>'


def test_deleted_and_dash_labels_make_zeros_nil(tmp_path: Path) -> None:
    labels = _label(0, None) + _label(1, "–") + _label(2, "\uf02d") + _label(4, "–")
    chart = _tiny_chart(tmp_path, _ser("Planned", ["0", "0", "0", "0", "5"], labels))
    assert [p.value for p in chart.series[0].points] == [None, None, None, Decimal(0), Decimal(5)]
    assert any("prints '–'" in line for line in chart.review)  # a dash over a non-zero value


def test_float_noise_and_label_mismatch(tmp_path: Path) -> None:
    chart = _tiny_chart(tmp_path, _ser("Pages", ["8.3000000000000007", "37"], _label(1, "34")))
    assert [p.value for p in chart.series[0].points] == [Decimal("8.3"), Decimal(37)]
    assert any("34" in line and "37" in line for line in chart.review)


def test_decoration_series_are_dropped(tmp_path: Path) -> None:
    chart = _tiny_chart(tmp_path, _ser("Actual", ["1"]) + _ser("Dividers", ["0", "80"]) + _ser("", []))
    assert [s.name for s in chart.series] == ["Actual"]
    assert len(chart.review) == 2


def test_picture_only_chart() -> None:
    drawing = etree.fromstring(f'<w:drawing xmlns:w="{NS["w"]}"/>')
    assert read_orgchart([Drawing("picture", drawing)]) == OrgChart(picture=True)


def _parents(chart: OrgChart) -> dict[str, str | None]:
    """Each box's title and its parent's title (start of the title: enough to tell the units apart)."""
    titles = {b.id: (b.title.en or "") for b in chart.boxes}
    return {titles[b.id]: titles[b.parent] if b.parent else None for b in chart.boxes}


def _starting(parents: dict[str, str | None], start: str) -> str | None:
    return next(parent for title, parent in parents.items() if title.startswith(start))


@needs_data
def test_a_trunk_that_runs_through_a_bus_joins_the_row_to_its_head() -> None:
    """Sect. 29A: the line down from the Office of the Under-Secretary-General crosses the buses of the second and
    third rows without ending on them; the third row (Anti-Racism Office, the Controller…) hangs from that Office,
    not from the box beside it (as the official page shows)."""
    [chart] = [c for c in _annex_charts(SECT29A) if c.boxes]
    parents = _parents(chart)
    head = "Office of the Under-Secretary-General"
    assert _starting(parents, head) is None
    for unit in ("Anti-Racism Office", "Office of the Assistant Secretary-General, Controller", "Business "
                 "Transformation", "Enterprise Resource Planning", "Sustainability and Resilience", "Secretariat of the"
                 " Fifth Committee"):
        assert (_starting(parents, unit) or "").startswith(head), unit
    assert (_starting(parents, "Finance Division") or "").startswith("Office of the Assistant Secretary-General, "
                                                                      "Controller")


@needs_data
def test_a_head_office_with_staff_offices_at_its_side_heads_them_all() -> None:
    """Sect. 24 (B): sections joined to the Executive Office at its side and below it all report to it, though
    one side box stands higher than the row below."""
    charts = [c for c in _annex_charts(DATA / "a80-6-2026" / "A_80_6_Sect.24.docx") if c.boxes]
    sections = [c for c in charts if any((b.title.en or "").startswith("Search and") for b in c.boxes)]
    assert len(sections) == 2
    for chart in sections:
        parents = _parents(chart)
        assert _starting(parents, "Executive Office") is None
        assert {p for t, p in parents.items() if not t.startswith("Executive Office")} == {"Executive Office"}
