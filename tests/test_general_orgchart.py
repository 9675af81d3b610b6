"""Issue 8: an imported section's organization charts drawn as the annex draws them, and its plain UN cover.

The conversion (document.general_orgchart) is held against the dataset's own YAML, read here directly: the boxes
hang under the parents the YAML names and list the posts it holds. The Word file (render.general_docx) is read
back from its XML: a picture with a text alternative per chart, and a cover in black type of the file's own
styles, with no "Title" style.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import matplotlib.text
import pytest
import yaml
from lxml import etree

from fascicle.document.general_orgchart import org_chart, org_tree
from fascicle.document.tree import OrgBox
from fascicle.model.general import Block, Box, OrgChart, Section
from fascicle.model.text import Text
from fascicle.render import charts
from fascicle.render.general_docx import NO_DATA, write_docx
from fascicle.source.general import load_section

ROOT = Path(__file__).resolve().parents[1]
SECT_13 = ROOT / "src" / "fascicle" / "data" / "a80-6-2026" / "sect-13"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
RAISED = str.maketrans("", "", "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ⁰¹²³⁴⁵⁶⁷⁸⁹˒")
"""The raised note marks a box prints after a grade, dropped to read the grade."""
POSTS = re.compile(r"^(?P<source>[^:]+): (?P<grades>.+)$")
TOTAL = re.compile(r"^Total: (?P<n>\d+)$")


@pytest.fixture(scope="module")
def section() -> Section:
    return load_section(SECT_13).section


@pytest.fixture(scope="module")
def charts_yaml() -> list[list[dict[str, Any]]]:
    """The boxes of each organization chart, as document.yaml holds them."""
    blocks = yaml.safe_load((SECT_13 / "document.yaml").read_text(encoding="utf-8"))["blocks"]
    return [block["orgchart"]["boxes"] for block in blocks if block["kind"] == "orgchart"]


@pytest.fixture(scope="module")
def docx(section: Section, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The Sect. 13 Word file as `fascicle build` writes it, its parts parsed."""
    path = tmp_path_factory.mktemp("general-orgchart") / "sect-13.docx"
    write_docx(section, path)
    return _parts(path)


def _parts(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        return {name: etree.fromstring(archive.read(name)) if name.endswith((".xml", ".rels")) else archive.read(name)
                for name in archive.namelist()}


def _orgcharts(section: Section) -> list[OrgChart]:
    return [block.orgchart for block in section.document.blocks if block.orgchart is not None]


def _read_lines(lines: tuple[str, ...]) -> tuple[dict[str, dict[str, int]], int | None]:
    """A box's lines read back: posts by source and grade, and the total line's number."""
    posts: dict[str, dict[str, int]] = {}
    total = None
    for line in lines:
        line = line.replace("\u00a0", " ")
        if match := TOTAL.match(line):
            total = int(match["n"])
        elif match := POSTS.match(line):
            for entry in match["grades"].split(", "):
                count, grade = entry.translate(RAISED).split(" ", 1)
                posts.setdefault(match["source"], {})[grade] = int(count)
        else:
            raise AssertionError(f"a line that is neither posts nor a total: {line!r}")
    return posts, total


def _walk(tops: tuple[OrgBox, ...]) -> list[OrgBox]:
    return [box for top in tops for box in top.walk()]


# The conversion ---------------------------------------------------------------------------------------------------


def test_one_top_per_chart_with_the_divisions_under_it(section: Section,
                                                       charts_yaml: list[list[dict[str, Any]]]) -> None:
    """Each chart has one top box, the office the YAML gives no parent, and every box sits under the box its
    parent link names, in the YAML's order."""
    charts = _orgcharts(section)
    assert len(charts) == len(charts_yaml) == 2
    for chart, boxes in zip(charts, charts_yaml, strict=True):
        names = {box["id"]: box["title"]["en"] for box in boxes}
        (top,) = org_tree(chart, "en")
        roots = [box for box in boxes if "parent" not in box]
        assert [top.name] == [names[box["id"]] for box in roots] == ["Office of the Executive Director"]
        for box in top.walk():
            (source,) = [entry for entry in boxes if entry["title"]["en"] == box.name]
            expected = [names[entry["id"]] for entry in boxes if entry.get("parent") == source["id"]]
            assert [child.name for child in box.children] == expected
        assert sorted(box.name for box in top.walk()) == sorted(names.values())
        assert len(top.children) == len(boxes) - 1


def test_each_box_lists_its_posts_and_their_total(section: Section,
                                                  charts_yaml: list[list[dict[str, Any]]]) -> None:
    """A box's lines give its posts by source of funds and grade, in the order the box lists them, and a total
    that is their sum (here also the total the chart printed)."""
    for chart, boxes in zip(_orgcharts(section), charts_yaml, strict=True):
        by_name = {box["title"]["en"]: box for box in boxes}
        for box in _walk(org_tree(chart, "en")):
            posts, total = _read_lines(box.lines)
            expected = by_name[box.name]["posts"]
            assert posts == expected
            assert [list(grades) for grades in posts.values()] == [list(grades) for grades in expected.values()]
            assert list(posts) == list(expected)  # RB before XB, as printed
            assert total == sum(n for grades in expected.values() for n in grades.values())
            assert total == by_name[box.name]["total"]


def test_note_marks_follow_their_grade(section: Section) -> None:
    """The marks printed on a grade (the Nairobi office's redeployed D-1 and P-3, "a") follow it, raised."""
    chart = _orgcharts(section)[1]
    nairobi = next(box for box in _walk(org_tree(chart, "en")) if box.name == "ITC regional office in Nairobi")
    assert nairobi.lines[0] == "RB: 1\u00a0D-1ᵃ, 1\u00a0P-3ᵃ"


def test_a_box_whose_parent_is_unknown_is_a_top() -> None:
    """A parent link to no box of the chart, or a loop of parents, still draws every box, as tops."""
    chart = OrgChart(boxes=(
        Box(id="a", title=Text(en="A"), parent="missing"),
        Box(id="b", title=Text(en="B"), parent="a"),
        Box(id="c", title=Text(en="C"), parent="d"),
        Box(id="d", title=Text(en="D"), parent="c"),
    ))
    tops = org_tree(chart, "en")
    # A hangs from no box of the chart; C and D report to each other, so the first of them drawn is a top.
    assert [(top.name, [child.name for child in top.children]) for top in tops] == [("A", ["B"]), ("C", ["D"])]
    assert org_chart(chart, "en", "org-1", "T").kind == "org"


@pytest.mark.parametrize(("folder", "smallest"), [("sect-09", 6.0), ("sect-29a", 5.3)])
def test_deep_charts_fit_a_landscape_page(folder: str, smallest: float) -> None:
    """The imported charts of four and more levels, their units stacked under their divisions, fit a landscape
    page (9.5 x 6.5 in within the margins) with their text at 6 pt or more. Sect. 29A does not quite: eleven
    units hang from its head, in rows of five, over the Controller's four divisions stacked, so its text prints
    at 5.3 pt (3.4 pt when every box's units were set side by side)."""
    loaded = load_section(SECT_13.parent / folder).section
    (orgchart,) = [chart for chart in _orgcharts(loaded) if chart.boxes]
    chart = org_chart(orgchart, "en", "org-1", "T")
    figure = charts.drawing(chart, "en")
    width, height = figure.get_size_inches()
    texts = {text.get_text() for text in figure.findobj(matplotlib.text.Text)}
    charts.plt.close(figure)
    assert min(9.5 / width, 6.5 / height) * charts.FONT >= smallest
    # Every box is drawn, its name wrapped to the box.
    written = re.sub(r"\s", "", "".join(texts))
    assert all(re.sub(r"\s", "", box.name) in written for box in _walk(chart.org))


# The Word file ----------------------------------------------------------------------------------------------------


def test_a_picture_with_alt_text_per_orgchart(section: Section, docx: dict[str, Any]) -> None:
    """Each organization chart is a PNG picture within the text width, described by the heading above it and
    the units in it; the drawing's units are also listed after it."""
    body = docx["word/document.xml"]
    pictures = body.xpath("//w:body//wp:inline", namespaces=NS)
    assert len(pictures) == len(_orgcharts(section)) == 2
    rels = docx["word/_rels/document.xml.rels"]
    headings = ["A. Approved organizational structure and post distribution for 2025",
                "B. Organizational structure and post distribution for 2026"]
    for picture, heading in zip(pictures, headings, strict=True):
        alt = picture.xpath("wp:docPr/@descr", namespaces=NS)[0]
        assert alt.startswith(heading)
        assert "Office of the Executive Director: Division of Country Programmes" in alt or \
            "Office of the Executive Director: ITC regional office in Nairobi" in alt
        rid = picture.xpath(".//a:blip/@r:embed", namespaces=NS)[0]
        target = rels.xpath(f"//*[@Id='{rid}']/@Target")[0]
        assert docx[f"word/{target}"][:8] == b"\x89PNG\r\n\x1a\n"
        assert int(picture.xpath("wp:extent/@cx", namespaces=NS)[0]) <= (12240 - 2400) * 635  # twips -> EMU
    texts = ["".join(p.itertext(f"{{{W}}}t")) for p in body.iter(f"{{{W}}}p")]
    assert "Division of Programme Support: RB: 1\u00a0D-1, 4\u00a0P-5, 3\u00a0P-4, 6\u00a0P-3, 5\u00a0P-2, " \
        "27\u00a0GS\u00a0(OL); XB: 1\u00a0P-4, 4\u00a0GS\u00a0(OL); Total: 51" in texts


def _cover(body: Any) -> list[Any]:
    """The paragraphs of the title page: those before the "Contents" heading."""
    found = []
    for paragraph in body.iter(f"{{{W}}}p"):
        if "".join(paragraph.itertext(f"{{{W}}}t")) == "Contents":
            return found
        found.append(paragraph)
    raise AssertionError("no Contents heading")


def test_cover_is_plain_black_type(section: Section, docx: dict[str, Any]) -> None:
    """The cover: the symbol first, on the right; then the title page's lines bold in the file's own styles,
    with no "Title" style, no colour and no theme font anywhere on it."""
    body, styles = docx["word/document.xml"], docx["word/styles.xml"]
    cover = _cover(body)
    first = cover[0]
    assert "".join(first.itertext(f"{{{W}}}t")) == section.fascicle.symbol == "A/80/6 (Sect. 13)"
    assert first.xpath("w:pPr/w:jc/@w:val", namespaces=NS) == ["right"]
    used = {name for p in cover for name in p.xpath("w:pPr/w:pStyle/@w:val", namespaces=NS)}
    assert "Title" not in used and not body.xpath("//w:pStyle[@w:val='Title']", namespaces=NS)
    assert not [p for p in cover if p.xpath(".//w:color | .//w:rFonts[@w:asciiTheme]", namespaces=NS)]
    for name in used:
        (style,) = styles.xpath(f"w:style[@w:styleId='{name}']", namespaces=NS)
        assert not style.xpath(".//w:color | .//w:rFonts[@w:asciiTheme]", namespaces=NS)
        assert style.xpath("w:rPr/w:b", namespaces=NS)  # the headings of the title page are bold
    titled = ["".join(p.itertext(f"{{{W}}}t")).strip() for p in cover
              if p.xpath("w:pPr/w:pStyle[@w:val='HCh' or @w:val='H1']", namespaces=NS)]
    # The file's own title page, once: the cover does not repeat it from the identity.
    assert titled == ["Proposed programme budget for 2026", "Part IV", "International cooperation for development",
                      "Section 13", "International Trade Centre"]


def test_cover_from_the_identity_when_the_blocks_have_none(section: Section, tmp_path: Path) -> None:
    """A section whose blocks do not restate its title page gets one from its identity, bold and black."""
    blocks = tuple(block for block in section.document.blocks if block.kind in ("paragraph", "table"))[:3]
    bare = section.model_copy(update={"document": section.document.model_copy(update={"blocks": blocks})})
    path = tmp_path / "bare.docx"
    write_docx(bare, path)
    body = _parts(path)["word/document.xml"]
    paragraphs = [p for p in body.iter(f"{{{W}}}p") if "".join(p.itertext(f"{{{W}}}t")).strip()]
    assert ["".join(p.itertext(f"{{{W}}}t")) for p in paragraphs[:6]] == [
        "A/80/6 (Sect. 13)", "Proposed programme budget for 2026", "Part IV",
        "International cooperation for development", "Section 13", "International Trade Centre"]
    for paragraph in paragraphs[:6]:
        assert paragraph.xpath(".//w:b", namespaces=NS) and not paragraph.xpath(".//w:color", namespaces=NS)
        assert not paragraph.xpath("w:pPr/w:pStyle", namespaces=NS)


def test_a_picture_chart_and_a_wide_chart(section: Section, tmp_path: Path) -> None:
    """A chart kept as a picture with no data says so; a chart too wide for the portrait page is set on a
    landscape page with its heading, and the pages after it are portrait again."""
    wide = OrgChart(boxes=(Box(id="top", title=Text(en="Head")),
                           *(Box(id=f"d{i}", title=Text(en=f"Division {i}"), parent="top", posts={"RB": {"P-4": 1}})
                             for i in range(5)),
                           *(Box(id=f"s{i}-{j}", title=Text(en=f"Service {i}.{j}"), parent=f"d{i}")
                             for i in range(5) for j in range(4))))
    blocks = (Block(kind="heading", level="H1", text=Text(en="A. Wide chart")), Block(kind="orgchart", orgchart=wide),
              Block(kind="orgchart", orgchart=OrgChart(picture=True)),
              Block(kind="paragraph", number="1.1", text=Text(en="After the chart.")))
    changed = section.model_copy(update={"document": section.document.model_copy(update={"blocks": blocks})})
    path = tmp_path / "wide.docx"
    write_docx(changed, path)
    body = _parts(path)["word/document.xml"]
    sizes = [(s.xpath("w:pgSz/@w:w", namespaces=NS), s.xpath("w:pgSz/@w:orient", namespaces=NS))
             for s in body.xpath("//w:sectPr", namespaces=NS)]
    assert sizes == [(["12240"], []), (["15840"], ["landscape"]), (["12240"], [])]
    landscape = body.xpath("//w:p[w:pPr/w:sectPr][2]", namespaces=NS)[0]
    before = landscape.xpath("preceding-sibling::w:p", namespaces=NS)
    texts = ["".join(p.itertext(f"{{{W}}}t")) for p in before]
    heading = next(i for i, text in enumerate(texts) if text.endswith("Wide chart"))
    break_ = body.xpath("//w:p[w:pPr/w:sectPr][1]", namespaces=NS)[0]
    assert len(break_.xpath("preceding-sibling::w:p", namespaces=NS)) < heading  # the heading turns with the chart
    assert len(body.xpath("//wp:inline", namespaces=NS)) == 1
    after = ["".join(p.itertext(f"{{{W}}}t")) for p in landscape.xpath("following-sibling::w:p", namespaces=NS)]
    assert after[0] == NO_DATA and after[1].endswith("After the chart.")
