"""The HTML page against the review of the ITC 2024 outputs (docs: /work/shared/reviews, section 5, H1–H7):
unbreakable digit groups in prose, a style for every heading level, fallback runs isolated left to right,
unique ids inside the inline charts, aligned column headings and the language tag."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from fascicle.document.build import build
from fascicle.document.labels import label
from fascicle.document.tree import Para
from fascicle.render.html import Texts
from fascicle.render.publish import publish
from fascicle.source.load import Loaded

LANGS = ("zh", "en", "ar")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
LATIN = re.compile("[A-Za-z]")
# An English word: two letters or more, not a Roman numeral ("المرفق II" is an Arabic label with its number).
WORD = re.compile(r"\b(?![IVXLC]+\b)[A-Za-z]{2,}\b")
# A number grouped by ordinary spaces, as the seed's prose writes them.
SPACED = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?!\d)")
GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:[\u00a0\u202f]\d{3})+(?!\d)")


# A small DOM from the standard library's HTML tokenizer ------------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self, tag: str | None = None) -> list[Node]:
        found = [self] if tag in (None, self.tag) else []
        for child in self.children:
            if isinstance(child, Node):
                found += child.iter(tag)
        return found

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def ancestors(self) -> list[Node]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def texts(self) -> list[tuple[str, Node]]:
        """Every text node under this element, with the element that holds it."""
        found: list[tuple[str, Node]] = []
        for child in self.children:
            found += [(child, self)] if isinstance(child, str) else child.texts()
        return found


class Tree(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def page(html: str) -> Node:
    return Tree(html).root


def direction(node: Node) -> str:
    """The direction a text in `node` is laid out in: the nearest dir attribute, or for dir="auto" and a bdi
    without one, the first strong character of its text (HTML's rule)."""
    for element in [node, *node.ancestors()]:
        value = element.attrs.get("dir")
        if value in ("ltr", "rtl"):
            return value
        if value == "auto" or (element.tag == "bdi" and value is None):
            for char in element.text():
                if ARABIC.match(char):
                    return "rtl"
                if LATIN.match(char):
                    return "ltr"
            return "ltr"
    return "ltr"


def body_texts(root: Node) -> list[tuple[str, Node]]:
    """The page's visible text nodes (not the head, not the charts' SVG)."""
    body = root.iter("body")[0]
    return [(text, node) for text, node in body.texts()
            if not any(a.tag == "svg" for a in [node, *node.ancestors()]) and text.strip()]


def english_out_of_line(root: Node) -> list[str]:
    """Texts with English words that an RTL page lays out right to left: what H3 found scrambled."""
    return [text for text, node in body_texts(root) if WORD.search(text) and direction(node) != "ltr"]


def css_rules(root: Node) -> dict[str, dict[str, str]]:
    """The page's style sheet as {selector: {property: value}}, a selector list split into its selectors."""
    css = re.sub(r"/\*.*?\*/", "", "".join(style.text() for style in root.iter("style")), flags=re.S)
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        declarations = dict(
            (name.strip(), value.strip()) for name, _, value in
            (d.partition(":") for d in body.split(";") if ":" in d))
        for selector in selectors.split(","):
            rules.setdefault(" ".join(selector.split()), {}).update(declarations)
    return rules


def rem(value: str) -> float:
    match = re.fullmatch(r"([0-9.]+)(rem|em)", value.strip())
    assert match, value
    return float(match.group(1))


# The pages ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, itc: Loaded) -> Path:
    out = tmp_path_factory.mktemp("html-review")
    publish(itc.budget, LANGS, ("html",), out, draft=False)
    return out


@pytest.fixture(scope="module")
def pages(built: Path) -> dict[str, Node]:
    return {lang: page((built / lang / "fascicle.html").read_text(encoding="utf-8")) for lang in LANGS}


# H1 ----------------------------------------------------------------------------------------------------------


def test_h1_digit_groups_in_zh_prose_cannot_break(pages: dict[str, Node], itc: Loaded) -> None:
    # The data keeps its ordinary spaces ("1 225 000"): the page makes them unbreakable when it prints them.
    document = build(itc.budget, "zh")
    spaced = [m.group() for block in document.blocks if isinstance(block, Para) for m in SPACED.finditer(block.text)]
    assert "1 225 000" in spaced and len(spaced) >= 3
    paragraphs = [p for p in pages["zh"].iter("p") if "para" in p.classes()]
    prose = " ".join(p.text() for p in paragraphs)
    assert SPACED.findall(prose) == []
    grouped = GROUPED.findall(prose)
    assert "1\u00a0225\u00a0000" in grouped and "1\u00a0404\u00a0456" in grouped
    assert len(grouped) >= len(spaced)
    # Nowhere else on the page either: headings, notes, cells.
    assert [t for t, _ in body_texts(pages["zh"]) if SPACED.search(t)] == []


def test_h1_grouping_follows_the_language_and_spares_other_numbers() -> None:
    zh, en = Texts("zh", "ltr"), Texts("en", "ltr")
    assert str(zh.html("超过了 1 225 000 个用户，12.79 亿")) == "超过了 1\u00a0225\u00a0000 个用户，12.79 亿"
    # A table number, a year and a decimal are not digit groups.
    assert str(zh.html("表 13.6 200 个; 2022 150 个; 3.5 100")) == "表 13.6 200 个; 2022 150 个; 3.5 100"
    assert str(en.html("1,225,000 users")) == "1,225,000 users"


# H2 ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_h2_every_heading_level_is_styled_and_not_smaller_than_body(pages: dict[str, Node], lang: str) -> None:
    rules = css_rules(pages[lang])
    body = rem(rules["body"]["font-size"])
    sizes = {f"h{n}": rem(rules[f"h{n}"]["font-size"]) for n in range(1, 7)}
    assert all(size >= body for size in sizes.values()), sizes
    # Sizes never grow with depth, and the page uses h6 (the lowest headings of the review).
    assert [sizes[f"h{n}"] for n in range(1, 7)] == sorted(sizes.values(), reverse=True)
    assert pages[lang].iter("h6")


# H3 ----------------------------------------------------------------------------------------------------------


def test_h3_every_fallback_run_is_isolated_left_to_right(pages: dict[str, Node]) -> None:
    root = pages["ar"]
    assert root.iter("html")[0].attrs["dir"] == "rtl"
    runs = [n for n in root.iter() if "fallback" in n.classes()]
    assert len(runs) >= 100
    assert all(n.attrs.get("dir") == "ltr" and n.attrs.get("lang") == "en" and n.tag == "bdi" for n in runs)
    # Found independently of that marking: every text with English words is laid out left to right.
    assert english_out_of_line(root) == []
    # Every kind of place the review found scrambled holds isolated fallback runs.
    marker = label("missing", "ar")
    places = {"td": "text cell", "th": "row stub", "caption": "caption", "a": "contents entry", "figcaption": "",
              "h6": "", "p": "signature and notes"}
    for tag in places:
        holders = [n for n in root.iter(tag) if marker in n.text()]
        assert holders, tag
        for holder in holders:
            isolated = [n for n in holder.iter("bdi") if "fallback" in n.classes()]
            assert isolated or "untranslated" in holder.classes(), (tag, holder.text()[:80])
    cell = next(n for n in root.iter("td") if "Performance measure" in n.text() or "The future we want" in n.text())
    assert [direction(n) for n in cell.iter("bdi") if "fallback" in n.classes()] == ["ltr"]
    caption = next(n for n in root.iter("caption") if marker in n.text())
    assert any("fallback" in n.classes() and direction(n) == "ltr" for n in caption.iter("bdi"))


def test_h3_the_check_finds_the_markup_the_review_found() -> None:
    marker = label("missing", "ar")
    before = page(f'<html dir="rtl"><body><table><tr><td><bdi>{marker} Parliamentary documentation ({marker} '
                  f'number of documents)</bdi></td></tr></table><nav><a href="#x">{marker} B. Proposed post</a>'
                  '</nav></body></html>')
    assert len(english_out_of_line(before)) == 2
    after = page(f'<html dir="rtl"><body><table><tr><td><bdi>{Texts("ar", "rtl").html(f"{marker} Parliamentary")}'
                 "</bdi></td></tr></table></body></html>")
    assert english_out_of_line(after) == []


def test_h3_fallback_runs_keep_their_brackets_and_ordinals_outside() -> None:
    ar = Texts("ar", "rtl")
    marker = label("missing", "ar")
    assert ar.runs(f"{marker} Parliamentary documentation ({marker} number of documents)") == [
        (f"{marker} ", None), ("Parliamentary documentation", "en"), (f" ({marker} ", None),
        ("number of documents", "en"), (")", None)]
    assert ar.runs(f"{marker} Pamela Coke-Hamilton (توقيع)")[1:] == [("Pamela Coke-Hamilton", "en"), (" (توقيع)", None)]
    assert str(ar.html(f"A. {marker} Structure")).startswith('<bdi dir="ltr">A.</bdi> ')
    # The title and the charts' labels take no markup: Unicode's isolates instead.
    assert ar.plain(f"{marker} Title") == f"{marker} \u2066Title\u2069"
    assert Texts("zh", "ltr").plain("标题") == "标题"


# H5 ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_h5_no_duplicate_ids(pages: dict[str, Node], lang: str) -> None:
    root = pages[lang]
    ids = [n.attrs["id"] for n in root.iter() if "id" in n.attrs]
    assert len(ids) > 300  # the charts' ids are counted too
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    # Every reference inside a chart points into that chart.
    charts = root.iter("svg")
    assert len(charts) >= 9
    for chart in charts:
        own = {n.attrs["id"] for n in chart.iter() if "id" in n.attrs}
        refs = set()
        for node in chart.iter():
            for name, value in node.attrs.items():
                refs |= set(re.findall(r"url\(#([^)]+)\)", value))
                if name.endswith("href") and value.startswith("#"):
                    refs.add(value[1:])
        assert refs and refs <= own


# H6 ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_h6_numeric_th_are_end_aligned(pages: dict[str, Node], lang: str) -> None:
    rules = css_rules(pages[lang])
    assert rules["thead th"]["text-align"] == "start" and rules["thead th.num"]["text-align"] == "end"
    # An RTL page sets its figures left to right too (td.num is dir="ltr"): their headings stay over them.
    assert rules["td.num"]["text-align"] == "end" and rules["[dir=rtl] thead th.num"]["text-align"] == "right"
    checked = 0
    for table in pages[lang].iter("table"):
        heads = table.iter("thead")[0].iter("th")
        rows = [[td for td in tr.iter("td")] for tr in table.iter("tbody")[0].iter("tr")]
        for index, th in enumerate(heads):
            cells = [row[index - 1] for row in rows if index and len(row) >= index]
            numeric = any("num" in c.classes() for c in cells) and all(
                "num" in c.classes() or not c.text().strip() for c in cells)
            assert ("num" in th.classes()) == numeric, (lang, table.attrs.get("id"), index, th.text())
            checked += numeric
    assert checked >= 40


@pytest.mark.parametrize("lang", LANGS)
def test_h6_table_number_on_its_own_line(pages: dict[str, Node], lang: str) -> None:
    number = label("table_title", lang, n="13.6")
    captions = [c for c in pages[lang].iter("caption") if c.text().startswith(number)]
    assert len(captions) == 1
    first, second = captions[0].children[:2]
    assert first == number and isinstance(second, Node) and second.tag == "br"


# H7 ----------------------------------------------------------------------------------------------------------


def test_h7_html_lang_is_zh_hans(pages: dict[str, Node]) -> None:
    tags = {lang: pages[lang].iter("html")[0].attrs for lang in LANGS}
    assert tags["zh"]["lang"] == "zh-Hans" and tags["zh"]["dir"] == "ltr"
    assert tags["en"]["lang"] == "en"
    assert tags["ar"]["lang"] == "ar" and tags["ar"]["dir"] == "rtl"
    # Not a bare "zh" anywhere else on the Chinese page either.
    assert [n.attrs for n in pages["zh"].iter() if n.attrs.get("lang") == "zh"] == []


# In a browser ------------------------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/lib/chromium/chromium"
PROBE = """<script>
document.body.style.maxWidth = '7em';
const base = parseFloat(getComputedStyle(document.body).fontSize);
const headings = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(
  h => [h.tagName, parseFloat(getComputedStyle(h).fontSize) / base]);
const runs = [...document.querySelectorAll('.fallback')].map(
  e => getComputedStyle(e).direction + ' ' + getComputedStyle(e).unicodeBidi);
const broken = [];
let groups = 0;
for (const p of document.querySelectorAll('p.para')) {
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.data.matchAll(/\\d{1,3}(?:[\\u00a0\\u202f ]\\d{3})+/g)) {
      groups++;
      const range = document.createRange();
      range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
}
// A column of figures and its heading end on the same line (measured on their text, not their boxes).
const right = e => {
  const r = document.createRange(); r.selectNodeContents(e); return r.getBoundingClientRect().right;
};
const misaligned = [];
let compared = 0;
for (const table of document.querySelectorAll('table')) {
  const heads = [...table.tHead.rows[0].cells];
  heads.forEach((th, i) => {
    if (!th.classList.contains('num') || !th.textContent.trim()) return;
    for (const row of table.tBodies[0].rows) {
      const td = row.cells[i];
      if (row.cells.length === heads.length && td && td.textContent.trim()
          && ++compared && Math.abs(right(td) - right(th)) > 2) misaligned.push(table.id + ':' + i);
    }
  });
}
const out = document.createElement('pre');
out.id = 'probe';
out.textContent = JSON.stringify({headings, runs, broken, groups, misaligned, compared});
document.body.appendChild(out);
</script>"""


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no Chromium")
def test_h1_h2_h3_h6_in_chromium(built: Path, tmp_path: Path) -> None:
    """Laid out in a narrow column: no digit group breaks, no heading is smaller than the text, every fallback
    run is an LTR isolate, and the heading of a column of figures ends where its figures end (H6)."""
    results = {}
    for lang in ("zh", "ar"):
        html = (built / lang / "fascicle.html").read_text(encoding="utf-8")
        probe = tmp_path / f"{lang}.html"
        probe.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
        dom = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'p'}",
             "--window-size=400,800", "--dump-dom", probe.as_uri()],
            check=True, capture_output=True, text=True, timeout=60).stdout
        match = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
        assert match, dom[-500:]
        results[lang] = json.loads(match.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
    zh, ar = results["zh"], results["ar"]
    assert zh["groups"] >= 3 and zh["broken"] == []
    assert all(size >= 1 for _, size in zh["headings"] + ar["headings"])
    assert {h for h, _ in zh["headings"]} >= {"H2", "H3", "H4", "H5", "H6"}
    assert len(ar["runs"]) >= 100 and set(ar["runs"]) == {"ltr isolate"}
    assert zh["compared"] >= 100 and zh["misaligned"] == [] and ar["compared"] >= 100 and ar["misaligned"] == []


def test_z9_chinese_is_never_slanted_in_html() -> None:
    template = (Path(__file__).resolve().parents[1] / "src" / "fascicle" / "render" / "templates"
                / "fascicle.html.j2").read_text(encoding="utf-8")
    rule = next(line for line in template.splitlines() if line.startswith(":lang(zh)"))
    assert "thead th" in rule and "h6" in rule and "font-style: normal" in rule
