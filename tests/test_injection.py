"""Text from the data is inert in every output: every text field of the model, set to an injection payload,
prints as that text in HTML, PDF, DOCX and XLSX (the reliability probe's cases h01–h07, h09 and h13)."""

from __future__ import annotations

import re
import subprocess
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import matplotlib.text
import openpyxl
import pytest
from pydantic import BaseModel

from fascicle.checks.walk import paragraphs
from fascicle.document.ids import UNDOCS, Unique, slug, undocs_url
from fascicle.document.tree import Chart, Document, FigureBlock
from fascicle.model.budget import Budget
from fascicle.model.performance import Measure
from fascicle.model.text import LANGUAGES, Paragraph
from fascicle.render import charts as chart_backend
from fascicle.render.html import _ENV
from fascicle.render.publish import publish
from fascicle.source.load import Loaded, load
from fascicle.source.write import write

LANGS = ("en", "zh")
PAYLOADS = (
    '<script>alert("{m}")</script>',
    "\"><img src=x onerror=alert('{m}')>",
    '=HYPERLINK("http://x","{m}")',
    '#read("/etc/passwd") {m}',
    r"$\alpha$ {m} $\frac$",
    "] {m} [ // /* \\ \" ' */",
    "' onmouseover='alert(1)' x='{m}",
    "{{ 7*7 }} {m} {% raw %}",
    "=cmd|' /C calc'!A0 {m}",
    "<!-- {m} --> &amp; &lt;b&gt; ]]>",
    "@SUM(1) {m} *bold* _emph_ <label> @ref #set text(size: 0pt)",
    "javascript:alert(1) {m} [^<i>x</i>]",
)
"""One payload per field, in turn; `{m}` is the field's marker. The last one cites a footnote, on purpose."""

PAYLOADS_OF = {
    # A symbol is printed and is also the path of its link: it tries to leave the href.
    "Link.symbol": ('A/77/6" onmouseover="alert(1)" x="{m}', "A/77/6'><script>alert(1)</script>{m}",
                    "../../javascript:alert(1)?#{m}"),
    # An exhibit number names a chart file and an HTML id: a path, and an attribute that tries to break out.
    "Exhibit.number": ('13.I" onmouseover="alert(1)" x="{m}', "13/../../x{m}", "/etc/{m}", "..{m}/.."),
    # A footnote mark is cited in its paragraph's text as [^mark] (see inject): no "]" in it, or it is not cited.
    "Footnote.mark": ("<b>{m}</b>", "\"{m}' onclick=x", '#read("/etc/passwd"){m}'),
}

SKIPPED = {
    # Codes and references: other parts name them, the model checks them, and none is printed as written.
    "Section.entity": "entity code (ITC), matched against the printed document",
    "Section.languages": "language codes: they choose what is built",
    "Masthead.original": "language code of the original, printed through a label",
    "Fund.id": "line-tree id, referenced by printed.yaml and the computed figures' names",
    "Fund.currency": "currency code (CHF, USD), checked against the fund",
    "Fund.periods": "period codes (\"2024 proposed\") keying the fund's figures",
    "Line.id": "line id, referenced by the computed figures' names and printed.yaml",
    "Deliverables.periods": "period codes keying the quantities",
    "Category.code": "category letter, checked against its subcategories",
    "Subcategory.id": "subcategory id, referenced by deliverables",
    "Indicator.id": "compliance indicator id",
    "Measure.id": "measure id, referenced by performance",
    "Paragraph.id": "paragraph id, referenced by printed.yaml",
    "MandateGroup.body": "mandate body code (GA, ECOSOC, WTO), printed through a label",
    "OversightBody.body": "oversight body code (ACABQ), printed through a label",
    "Resources.grant_party": "party code of the grant (UN), matched against the shares",
    "Share.party": "party code (UN, WTO)",
    "Staffing.period": "period code of a post count",
    "Staffing.source": "source of funds code (rb, xb)",
    "Staffing.unit": "unit id, referenced from structure.yaml",
    "Unit.id": "unit id, referenced by posts",
    "Unit.renamed_from": "unit id of the unit's predecessor",
    "TableNote.period": "period code of the column a note's mark stands on",
    "TableNote.line": "line id of the row a note's mark stands on",
    "Unit.reports_to": "unit id of the unit above, drawn as the chart's connector",
    "Exhibit.kind": "exhibit kind, table or figure",
    "Printed.ref": "name of a computed figure",
    "Printed.period": "period code of a printed figure",
    "Printed.paragraph": "paragraph number, referenced to find the paragraph",
    "Acknowledgement.code": "code of the acknowledged check (RES001)",
    "Where.file": "part file the acknowledged finding points at",
    "Where.field": "field path the acknowledged finding points at",
}
"""Fields left as they are, each with its reason; every other `str` of the model gets a payload."""

NOT_PRINTED = {
    r"^\.printed\.": "printed.yaml: the figures as the document prints them, for the checks; never printed",
    r"^\.acknowledgements\.": "acknowledged findings: for the checks, not the document",
    r"^\.mandates\.groups\.mandates\.links\.": "a mandate's links: its row prints its `symbols`",
    r"^\.oversight\.bodies\.recommendations\.(links\.|paragraph$)": "Annex II prints the report, not these",
    r"^\.performance\.results\.measures\.unit\.": "units of measures: for `fascicle show` and the checks",
    r"^\.performance\.results\.measures\.source$": "where a measure's values come from: for the reviewer",
    r"^\.resources\.(regular|extrabudgetary|un_grant)\.name\.": "fund names: for `fascicle show`",
    r"^\.resources\.un_grant\.component\.": "the grant's component: for `fascicle show`",
    r"^\.resources\.extrabudgetary\.lines\.name\.": "its one line is printed as the fund's component",
    r"^\.resources\.shares\.name\.": "parties' names of the shares: for `fascicle show`",
    r"^\.posts\.sources\.": "names of the sources of funds: for `fascicle show`; tables use labels",
    r"^\.compliance\.title\.": "Table 13.8 is titled by its label",
    r"^\.resources_narrative\.abbreviations\.mark$": "the abbreviations note prints its text only",
}
"""Fields (by path, without indices) that get a payload but are not printed, so their markers are not looked for."""

LINKS = r"\.links\.symbol$"
COVER = r"^\.section\.(part|masthead)\."
NOT_IN = {
    "pdf": {LINKS: "a paragraph's cited documents are links in the HTML; PDF and DOCX do not list them",
            r"\.footnotes\.mark$": "Typst numbers footnotes itself",
            r"^\.section\.title\.": "the PDF's cover sets the title as its parts' lines (the title is metadata)"},
    "docx": {LINKS: "a paragraph's cited documents are links in the HTML; PDF and DOCX do not list them",
             r"^\.section\.title\.": "the cover sets the title as its parts' lines (the title is a property)"},
    "html": {r"^\.section\.title\.": "the cover sets the title as its parts' lines (the title is <title>)"},
    "xlsx": {COVER: "the cover (part, session) is printed in the PDF only, so far"},
}
"""Fields printed in some formats only."""

FLOOR = 850
"""The walk sets 856 fields of the bundled data (360 printed per language): it cannot shrink unnoticed."""


@dataclass
class Injected:
    """The payload of every field set, by marker, with the field's kind and language."""

    payloads: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    langs: dict[str, str | None] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    silent: set[str] = field(default_factory=set)

    def printed(self, lang: str, kind: str = "html") -> dict[str, str]:
        """Marker -> payload of every field the document prints in `lang`, in a format."""
        hidden = [*NOT_PRINTED, *NOT_IN.get(kind, ())]
        return {m: p for m, p in self.payloads.items() if self.langs[m] in (None, lang)
                and self.paths[m] not in self.silent
                and not any(re.search(rule, re.sub(r"\[[^]]*\]", "", self.paths[m])) for rule in hidden)}


def _payload(kind: str, count: int) -> str:
    choices = PAYLOADS_OF.get(kind, PAYLOADS)
    return choices[count % len(choices)]


def inject(value: Any, kind: str, state: Injected, path: str = "") -> Any:
    """`value` with every `str` under it replaced by a payload carrying a new marker (skipped kinds kept)."""
    if isinstance(value, str):
        if kind in SKIPPED:
            state.skipped[kind] = state.skipped.get(kind, 0) + 1
            return value
        marker = f"F{len(state.payloads):04d}"
        # Each kind runs through its own payloads in turn, so a field added elsewhere shifts none of them.
        count = sum(1 for k in state.kinds.values() if k == kind)
        text = _payload(kind, count).replace("{m}", marker)
        owner, name = kind.split(".")
        state.payloads[marker], state.kinds[marker] = text, kind
        state.langs[marker] = name if owner == "Text" else None
        state.paths[marker] = path
        return text
    if isinstance(value, BaseModel):
        owner = type(value).__name__
        if isinstance(value, Measure) and not value.values and not value.texts:
            # A measure whose figures the seed lost (Figure 13.III) draws nothing and has no row.
            state.silent.update(f"{path}.name.{lang}" for lang in LANGUAGES)
        update = {name: inject(getattr(value, name), f"{owner}.{name}", state, f"{path}.{name}")
                  for name in type(value).model_fields}
        if isinstance(value, Paragraph) and value.footnotes:
            cited = " " + "".join(f"[^{note.mark}]" for note in update["footnotes"])
            update["text"] = update["text"].model_copy(update={
                lang: said + cited for lang in LANGUAGES if (said := getattr(update["text"], lang))})
        return value.model_copy(update=update)
    if isinstance(value, tuple):
        return tuple(inject(item, kind, state, f"{path}[{index}]") for index, item in enumerate(value))
    if isinstance(value, dict):
        # Keys are periods and grades: codes. Their values are figures or texts.
        return {key: inject(item, kind, state, f"{path}[{key}]") for key, item in value.items()}
    return value


@dataclass
class Built:
    """The injected budget, as loaded back, and its outputs."""

    injected: Injected
    budget: Budget
    out: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, itc: Loaded) -> Built:
    root = tmp_path_factory.mktemp("injection")
    state = Injected()
    changed = inject(itc.budget, "Budget.", state)
    # Through the files and the real loader, as a user's data arrives.
    write(changed, root / "data")
    budget = load(root / "data").budget
    publish(budget, LANGS, ("html", "pdf", "docx", "xlsx"), root / "out", draft=True)
    return Built(state, budget, root / "out")


def test_the_walk_sets_nearly_every_text_field(built: Built) -> None:
    state = built.injected
    assert len(state.payloads) >= FLOOR, len(state.payloads)
    assert set(state.skipped) <= set(SKIPPED)
    # 476 codes, 300 of them printed.yaml's references, 6 units' reports_to and 3 note marks' places: more would be
    # texts going untested.
    assert sum(state.skipped.values()) <= 480, state.skipped
    assert len(state.printed("en")) >= 350 and len(state.printed("zh")) >= 350
    texts = sum(1 for kind in state.kinds.values() if kind.startswith("Text."))
    assert texts >= 500, texts


def test_the_data_loads_back_with_every_payload(built: Built) -> None:
    dumped = repr(built.budget)
    lost = [m for m in built.injected.payloads if m not in dumped]
    assert lost == []


# HTML ----------------------------------------------------------------------------------------------------------


class Page(HTMLParser):
    """Every element, attribute and text node of a page, read by a real HTML tokenizer."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: list[str] = []
        self.text: list[str] = []
        self.svg_depth = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "svg":
            self.svg_depth += 1
        # Inside the inline charts, ids are matplotlib's own (glyphs, clip paths).
        if self.svg_depth == 0 and "id" in dict(attrs):
            self.ids.append(dict(attrs)["id"] or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self.svg_depth -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _page(built: Built, lang: str) -> Page:
    return Page((built.out / lang / "fascicle.html").read_text(encoding="utf-8"))


SPACES = re.compile(r"\s+")
SAFE_ID = re.compile(r"[A-Za-z0-9._-]+")
LINK = re.compile(r"https://undocs\.org/[a-z]{2}/[A-Za-z0-9%/()._~-]*")


@pytest.mark.parametrize("lang", LANGS)
def test_html_has_no_markup_from_the_data(built: Built, lang: str) -> None:
    page = _page(built, lang)
    names = {tag for tag, _ in page.tags}
    assert not names & {"script", "img", "iframe", "object", "embed", "base", "form", "input", "label", "i", "b"}
    handlers = [(tag, name) for tag, attrs in page.tags for name in attrs if name.lower().startswith("on")]
    assert handlers == []
    for tag, attrs in page.tags:
        for name in ("href", "xlink:href"):
            value = attrs.get(name)
            if value is not None and not value.startswith("#"):
                assert LINK.fullmatch(value), (tag, value)
        assert attrs.get("lang") in (None, "en", "zh", "zh-Hans"), attrs
        assert attrs.get("dir") in (None, "ltr", "rtl"), attrs
    assert all(SAFE_ID.fullmatch(i) for i in page.ids), [i for i in page.ids if not SAFE_ID.fullmatch(i)]
    assert len(page.ids) == len(set(page.ids))
    anchors = {attrs["href"][1:] for tag, attrs in page.tags if tag == "a" and (attrs.get("href") or "")[:1] == "#"}
    assert anchors <= set(page.ids)


@pytest.mark.parametrize("lang", LANGS)
def test_html_prints_every_payload_as_text(built: Built, lang: str) -> None:
    text = SPACES.sub(" ", "".join(_page(built, lang).text))
    printed = built.injected.printed(lang)
    missing = sorted(m for m in printed if m not in text)
    assert missing == []
    # Whole payloads, read back as text: nothing was taken for a tag, a comment or a template expression.
    whole = [p for p in printed.values() if "[^" not in p]
    assert len(whole) > 300
    assert [p for p in whole if SPACES.sub(" ", p) not in text] == []
    assert "49" not in re.findall(r"\{\{ (\S+) \}\}", text)


def test_h01_script_in_section_title_is_text(built: Built) -> None:
    title = built.budget.section.title.en or ""
    html = (built.out / "en" / "fascicle.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    head = html[:html.index("</title>")]
    assert f"<title>{_escaped(built.budget.section.symbol)} — {_escaped(title)}" in head
    # The page opens with the UN cover: the entity's name is its last title line, as text.
    name = built.budget.section.name.en or ""
    assert f"<span>{_escaped(name)}</span></h1>" in html


def _escaped(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
            .replace("'", "&#39;"))


def test_h02_h04_names_notes_and_titles_are_text(built: Built) -> None:
    """Unit names, footnotes, table notes, deliverable titles and indicator names (probe h02–h04)."""
    budget = built.budget
    texts = [unit.name.en for unit in budget.structure.units]
    texts += [note.text.en for p in budget.plan.mandates for note in p.footnotes]
    texts += [i.name.en for i in budget.compliance.indicators]
    texts += [item.title.en for c in budget.deliverables.categories for s in c.subcategories for item in s.items]
    page = SPACES.sub(" ", "".join(_page(built, "en").text))
    markers = [re.search(r"F\d{4}", t or "") for t in texts]
    assert len(markers) > 20 and all(markers)
    assert [m.group() for m in markers if m and m.group() not in page] == []


def test_h05_link_symbol_stays_in_its_href(built: Built) -> None:
    symbols = [link.symbol for _, _, p in paragraphs(built.budget) for link in p.links]
    assert any('"' in s for s in symbols) and any("'" in s for s in symbols)
    hrefs = [a.get("href") or "" for tag, a in _page(built, "en").tags if tag == "a"]
    outside = [h for h in hrefs if not h.startswith(("#", UNDOCS))]
    assert outside == [] and any(h.startswith(UNDOCS) for h in hrefs)
    assert all(LINK.fullmatch(h) for h in hrefs if not h.startswith("#"))
    quoted = "https://undocs.org/en/A/77/6%22%20onmouseover%3D%22alert(1)"
    assert undocs_url('A/77/6" onmouseover="alert(1)', "en") == quoted
    assert undocs_url("A/RES/2297(XXII)", "zh") == "https://undocs.org/ch/A/RES/2297(XXII)"


def test_h06_exhibit_number_stays_in_its_id(built: Built) -> None:
    page = _page(built, "en")
    tables = [attrs.get("id") or "" for tag, attrs in page.tags if tag == "table"]
    assert tables and all(SAFE_ID.fullmatch(i) for i in tables)
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)


def test_slugs_are_safe_stable_and_distinct() -> None:
    assert slug("data-13.I") == "data-13.I" and slug("result-1") == "result-1"
    odd = ["13/../../x", "13/../..-x", "..", "", "a b", "a_b", "表 13.1", "x" * 300, '13.I" onmouseover="a']
    slugs = [slug(value) for value in odd]
    assert all(SAFE_ID.fullmatch(s) and not s.startswith((".", "-")) and len(s) <= 60 for s in slugs), slugs
    assert len(set(slugs)) == len(odd) and slugs == [slug(value) for value in odd]
    unique = Unique(("contents",))
    assert [unique(v) for v in ("contents", "a", "a", "a")] == ["contents-2", "a", "a-2", "a-3"]


def test_autoescape_is_on_for_every_template() -> None:
    autoescape = _ENV.autoescape
    for name in [*_ENV.list_templates(), "fascicle.html.j2", "anything.txt"]:
        assert autoescape is True or (callable(autoescape) and autoescape(name)), name


# Charts ----------------------------------------------------------------------------------------------------------


def test_h07_exhibit_number_with_slash(built: Built, tmp_path: Path) -> None:
    numbers = [r.exhibit.number for r in built.budget.performance.results]
    assert any("/../" in n for n in numbers)
    for lang in LANGS:
        assert (built.out / lang / "fascicle.pdf").stat().st_size > 0
    # No chart file left its folder, and nothing was written beside the build.
    charts = [p for p in built.out.rglob("*") if p.suffix in (".svg", ".png")]
    assert charts and {(p.parent.parent.name, p.parent.name) for p in charts} == {(lang, "charts") for lang in LANGS}
    assert sorted(p.name for p in built.out.parent.iterdir()) == ["data", "out"]
    document = _one_chart("13/../../x", "bars")
    drawn = chart_backend.draw_all(document, tmp_path / "charts")
    files = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    assert [p.parent for d in drawn.values() for p in (d.svg, d.png)] == [tmp_path / "charts"] * 2
    assert len(files) == 2 and all(SAFE_ID.fullmatch(name) for name in files)


def _one_chart(chart_id: str, kind: str, title: str = "Title") -> Document:
    # An organization chart draws its units' names; the other charts their title.
    series = ((title, (1.0, 2.0, 3.0)),)
    chart = Chart(chart_id, kind, title, ("a", "b", "c") if kind != "org" else (title,), series, ("x",))
    return Document("en", "ltr", "A/1", "T", "S", (FigureBlock("Figure 1", "T", (chart,)),))


@pytest.mark.parametrize("kind", ["bars", "hbars", "org"])
def test_chart_text_with_dollars_is_drawn_literally(kind: str, tmp_path: Path) -> None:
    # "$\frac$" is a mathtext error: drawing it at all shows it was taken as plain text.
    title = r"$\frac$ costs $5 and $\alpha$"
    chart_backend.draw_all(_one_chart(f"chart-{kind}", kind, title), tmp_path)
    assert (tmp_path / f"chart-{kind}.svg").read_text(encoding="utf-8").count(r"$\frac$ costs $5") >= 1
    draw = {"bars": chart_backend._bars, "hbars": chart_backend._hbars, "org": chart_backend._org}[kind]
    chart = _one_chart("c", kind, title).blocks[0].charts[0]  # type: ignore[union-attr]
    figure = draw(chart, "en")
    figure.canvas.draw()  # tick labels are made when the figure is drawn
    texts = [t for t in figure.findobj(matplotlib.text.Text) if t.get_text()]
    assert any("$" in t.get_text() for t in texts)
    assert all(not t.get_parse_math() and not t.get_usetex() for t in texts)
    chart_backend.plt.close(figure)


# XLSX ------------------------------------------------------------------------------------------------------------

SUM = re.compile(r"=?SUM\([A-Z]+[0-9]+(?:,[A-Z]+[0-9]+)*\)"
                 r"|=?IF\(([A-Z]+[0-9]+)=0,0,ROUND\([A-Z]+[0-9]+/\1\*100,1\)\)")
"""The formulas the writer itself puts in a workbook: totals, and the percentage of change (review X7)."""


@pytest.mark.parametrize("lang", LANGS)
def test_h09_h13_no_formula_from_text(built: Built, lang: str) -> None:
    path = built.out / lang / "fascicle.xlsx"
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        sheets = [archive.read(n).decode("utf-8") for n in names if n.startswith("xl/worksheets/sheet")]
        strings = archive.read("xl/sharedStrings.xml").decode("utf-8")
    formulas = [f for sheet in sheets for f in re.findall(r"<f>([^<]*)</f>", sheet)]
    assert formulas and [f for f in formulas if not SUM.fullmatch(f)] == []
    assert not any("<hyperlink" in sheet for sheet in sheets)
    assert not any("hyperlink" in n.lower() for n in names)
    book = openpyxl.load_workbook(path)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert [c.value for c in cells if c.data_type == "f" and not SUM.fullmatch(str(c.value))] == []
    as_text = [c.value for c in cells if c.data_type == "s" and str(c.value).startswith("=")]
    assert any("HYPERLINK" in str(v) for v in as_text) and any("calc" in str(v) for v in as_text)
    printed = built.injected.printed(lang)
    found = [m for m in printed if m in strings]
    assert len(found) > 150
    # Every payload in a sheet is there whole, as a string (the XML parser undoes the escaping).
    shared = ElementTree.fromstring(strings.encode("utf-8"))
    values = " ".join("".join(node.itertext()) for node in shared)
    assert [m for m in found if printed[m].strip() not in values and "[^" not in printed[m]] == []


# PDF -------------------------------------------------------------------------------------------------------------


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_prints_every_payload_literally(built: Built, lang: str) -> None:
    text = _pdf_text(built.out / lang / "fascicle.pdf")
    assert "root:x:0:0" not in text and "/bin/" not in text
    printed = built.injected.printed(lang, "pdf")
    missing = sorted(m for m in printed if m not in text)
    assert missing == []
    squeezed = re.sub(r"\s+", "", text)
    literal = [p for p in printed.values() if p.startswith(("#read", "] ", "@SUM", "$"))]
    whole = [p for p in literal if re.sub(r"\s+", "", p) in squeezed]
    # Paragraph texts are read back whole; table cells are cut across lines by the page layout, and pdftotext
    # reads a cut cell's lines apart: each kind of field runs through the payloads in turn, so about a fifth of the
    # literal ones land in cells. Every marker is there (above); here most payloads come back character for character.
    cut = [p for p in literal if p not in whole]
    assert len(whole) >= 0.75 * len(literal) and len(whole) > 80, (len(whole), len(literal), cut[:5])


# DOCX ------------------------------------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.mark.parametrize("lang", LANGS)
def test_docx_prints_every_payload_as_text(built: Built, lang: str) -> None:
    with zipfile.ZipFile(built.out / lang / "fascicle.docx") as archive:
        xml = archive.read("word/document.xml")
        notes = archive.read("word/footnotes.xml")
        headers = [archive.read(n) for n in archive.namelist() if re.fullmatch(r"word/header\d*\.xml", n)]
        rels = archive.read("word/_rels/document.xml.rels").decode("utf-8")
    root = ElementTree.fromstring(xml)
    kinds = {element.tag for element in root.iter()}
    assert not kinds & {f"{W}hyperlink", f"{W}fldSimple"}
    # The one field is the contents list the writer puts there itself; no text of the data becomes a field.
    fields = [t.text.strip() for t in root.iter(f"{W}instrText") if t.text]
    assert len(fields) == 1 and fields[0].startswith("TOC ")
    assert "hyperlink" not in rels
    assert b"<script" not in xml and b"&lt;script&gt;" in xml
    # Footnotes are Word footnotes now: their text is in footnotes.xml.
    # Footnotes and the page headers (the symbol) are parts of their own.
    parts = [root, ElementTree.fromstring(notes), *(ElementTree.fromstring(h) for h in headers)]
    paragraphs = ["".join(t.text or "" for t in p.iter(f"{W}t")) for part in parts for p in part.iter(f"{W}p")]
    text = "\n".join(paragraphs)
    printed = built.injected.printed(lang, "docx")
    assert sorted(m for m in printed if m not in text) == []
    whole = [p for p in printed.values() if "[^" not in p]
    assert [p for p in whole if p not in text] == []


# Typst -------------------------------------------------------------------------------------------------------------


def test_typst_source_quotes_every_text(built: Built) -> None:
    source = (built.out / "en" / "fascicle.typ").read_text(encoding="utf-8")
    # A payload only ever appears inside a Typst string literal, with its quotes and backslashes escaped.
    assert '#read(\\"/etc/passwd\\")' in source
    assert not re.search(r'(?<!")#read\("/etc', source)
