"""PDF backend: the document tree as Typst source, compiled to an A4 page like a UN document."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import typst

from fascicle.document.labels import label
from fascicle.document.table import Table
from fascicle.document.tree import Block, Document, FigureBlock, Heading, Para, Signature, TableBlock
from fascicle.model.text import FOOTNOTE_MARK
from fascicle.render.cells import cell_text, change_group, column_weights, marks_at, numeric_column, split_note
from fascicle.render.charts import Drawn

_ARABIC = re.compile("[\u0600-\u06ff]")
FONTS = '("Noto Serif", "Noto Serif CJK SC", "Noto Naskh Arabic", "Noto Sans CJK SC")'
# In Chinese, Japanese and Korean the Latin font sets only Latin letters and figures: the quotes, middle dot and
# dashes that both scripts share are full-width and come from the CJK font, as in UN Chinese documents (Z20).
CJK_FONTS = ('((name: "Noto Serif", covers: "latin-in-cjk"), "Noto Serif CJK SC", "Noto Naskh Arabic", '
             '"Noto Sans CJK SC")')

PREAMBLE = """
#set document(title: {title})
#set page(paper: "a4", margin: (x: 2.2cm, top: 2.6cm, bottom: 2.4cm),
  header: context {{ let n = counter(page).get().first(); if n > 1 {{
    align(if calc.even(n) {{ start }} else {{ end }}, text(9pt, weight: "bold", {symbol})) }} }},
  footer: context {{ let n = counter(page).get().first();
    align(if calc.even(n) {{ start }} else {{ end }}, text(9pt, str(n) + "/" + str(counter(page).final().first()))) }},
  background: {background})
#set text(font: {fonts}, size: 10pt, lang: "{lang}", dir: {dir}, fallback: false, hyphenate: false)
#set par(justify: true, leading: 0.62em)
#show footnote.entry: it => {{ let at = it.note.location()
  grid(columns: (1.2em, 1fr), link(at, super(numbering(it.note.numbering, ..counter(footnote).at(at)))),
    it.note.body) }}
#set heading(numbering: none)
#show heading: it => {{
  let (size, weight, style, above) = if it.level == 1 {{ (12pt, "bold", "normal", 1.4em) }}
    else if it.level == 2 {{ (11pt, "bold", "normal", 1.2em) }}
    else if it.level == 3 {{ (10pt, "bold", "normal", 1em) }}
    else if it.level == 4 {{ (10pt, "bold", {slant}, 1em) }}
    else {{ (10pt, {lowest}, {slant}, 0.9em) }}
  block(above: above, below: 0.6em, sticky: true, text(size, weight: weight, style: style, it.body)) }}
#let para(no, body) = block(above: 0.7em, grid(columns: (1.3cm, 1fr), no, body))
#let item(letter, body) = pad(left: 1.3cm, grid(columns: (0.9cm, 1fr), letter, body))
#show table.cell: set par(justify: false)
#let hd(body) = text(8pt, style: {slant}, body)
#let widest(items) = calc.max(0pt, ..items.map(item => measure(item).width)) + 6pt
// Column widths from the cells themselves, measured: each column at least as wide as its widest unbreakable
// piece (a heading word, a figure, a symbol: Z17, E15), the stub wide enough for its longest label on one line
// up to 30% of the width, in two lines up to 40% (Z7); what is left goes to the columns that want more, then
// by the weights in `cols`.
#let ruled(cols, aligns, header, ..cells, fit: none) = layout(size => {{
  let widths = cols
  if fit != none {{
    let (mins, wants) = fit
    let floors = mins.map(widest)
    let wants = wants.map(widest)
    let half = (wants.at(0) - 6pt) / 2 + 6pt
    floors.at(0) = calc.max(floors.at(0), calc.min(wants.at(0), calc.max(half, size.width * 0.3), size.width * 0.4))
    wants = wants.zip(floors).map(((want, floor)) => calc.max(want, floor))
    let (least, most) = (floors.sum(), wants.sum())
    widths = if most <= size.width {{
      let weights = cols.map(col => col / 1fr)
      wants.zip(weights).map(((want, weight)) => want + (size.width - most) * weight / weights.sum())
    }} else if least < size.width {{
      floors.zip(wants).map(((floor, want)) => floor + (want - floor) / (most - least) * (size.width - least))
    }} else {{ floors.map(floor => floor / least * size.width) }}
  }}
  table(columns: widths, align: aligns, stroke: none, inset: (x: 3pt, y: 2.4pt),
    table.hline(stroke: 0.6pt), table.header(..header), table.hline(stroke: 0.6pt), ..cells.pos(),
    table.hline(stroke: 0.6pt))
}})
#let note(mark, body) = block(above: 0.25em, below: 0.25em, grid(columns: (0.9em, 1fr),
  text(8pt, super(mark)), text(8pt, body)))
#let caption(no, title, unit) = block(above: 1em, below: 0.4em, breakable: false, sticky: true)[
  #text(weight: "bold", no) #linebreak() #text(weight: "bold", title)
  #if unit != "" {{ linebreak(); text(style: {slant}, unit) }}]
"""
CJK = ("zh", "ja", "ko")
"""Languages set without italics: a slanted Han character does not exist in their typography."""


def _s(value: str) -> str:
    """A Typst string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _ltr(value: str) -> str:
    """A cell's text; figures and symbols keep their left-to-right order inside right-to-left text."""
    if value and not _ARABIC.search(value):
        return f"text(dir: ltr, {_s(value)})"
    return _s(value)


def _rich(text: str, notes: dict[str, str]) -> str:
    """Text with its footnote markers as Typst footnotes, as a content block."""
    parts, last = [], 0
    for match in FOOTNOTE_MARK.finditer(text):
        parts.append(f"#{_s(text[last:match.start()])}")
        parts.append(f"#footnote[#{_s(notes.get(match.group(1), ''))}]")
        last = match.end()
    parts.append(f"#{_s(text[last:])}")
    return "[" + "".join(parts) + "]"


def preamble(document: Document) -> str:
    """The Typst settings of a document: page, fonts, headings and the functions the body calls."""
    background = "none"
    if document.draft:
        background = (f'rotate(-35deg, text(72pt, fill: rgb(200, 0, 0, 40), weight: "bold", '
                      f'{_s(label("draft", document.lang))}))')
    upright = document.lang in CJK
    return PREAMBLE.format(title=_s(document.title), symbol=_s(document.symbol),
                           fonts=CJK_FONTS if upright else FONTS, lang=document.lang,
                           dir="rtl" if document.direction == "rtl" else "ltr", background=background,
                           slant='"normal"' if upright else '"italic"', lowest='"bold"' if upright else '"regular"')


def to_typst(document: Document, charts: dict[str, Drawn], root: Path) -> str:
    """The Typst source of a document; chart paths are relative to `root`."""
    out = [preamble(document)]
    if document.draft:
        note = _s(label("draft_note", document.lang))
        out.append(f"#block(fill: rgb(255, 243, 205), inset: 6pt, width: 100%, {note})")
    out.append(_cover(document))
    out.append(f'#outline(title: {_s(label("contents", document.lang))}, depth: 3)')
    annex = label("annex", document.lang, n="").strip()
    blocks = document.blocks
    for index, block in enumerate(blocks):
        if isinstance(block, Heading) and block.level == 1 and annex and block.text.startswith(annex):
            out.append("#pagebreak(weak: true)")  # every annex starts on a new page, as in UN documents
        if isinstance(block, TableBlock) and block.continues:
            continue  # printed with the part it continues
        parts = [block, *_continued(blocks, index)]
        if len(parts) > 1 and sum(len(p.table.rows) for p in parts if isinstance(p, TableBlock)) <= 2 * SHORT:
            # A table in short parts ((1) regular budget, (2) extrabudgetary) stays on one page (Z8).
            body = "\n".join(_block(p, document.lang, charts, root, keep=False)
                             for p in parts if isinstance(p, TableBlock))
            out.append(f"#block(breakable: false)[\n{body}\n]")
        else:
            out += [_block(p, document.lang, charts, root) for p in parts]
    return "\n".join(out) + "\n"


def _continued(blocks: tuple[Block, ...] | list[Block], index: int) -> list[TableBlock]:
    """The further parts of the table at `index`: the table blocks right after it that continue it."""
    block, parts = blocks[index], []
    if isinstance(block, TableBlock) and block.number:
        for after in blocks[index + 1:]:
            if not (isinstance(after, TableBlock) and after.continues == block.number):
                break
            parts.append(after)
    return parts


def _cover(document: Document) -> str:
    """The first page's masthead and title, each on its own line, from the data; a plain title without them."""
    cover = document.cover
    if cover is None:
        return (f'#align(end, text(weight: "bold", {_s(document.symbol)}))\n'
                f'#block(above: 2em, below: 1.5em, text(14pt, weight: "bold", {_s(document.title)}))')
    left = " \\ ".join(f"#{_s(line)}" for line in cover.left)
    right = " \\ ".join(f"#{_s(line)}" if i else f'#text(weight: "bold", {_s(line)})'
                         for i, line in enumerate(cover.right))
    sizes = ("14pt", "12pt", "12pt", "12pt", "14pt")
    title = "\n".join(f'#block(above: 0.5em, below: 0.2em, text({sizes[min(i, 4)]}, weight: "bold", {_s(line)}))'
                      for i, line in enumerate(cover.lines))
    # The job number stands at the foot of the first page, at the start of the line, as UN documents print it.
    job = f"\n#place(bottom + start, dy: 1.2cm, text(8pt, {_s(cover.job)}))" if cover.job else ""
    return (f"#grid(columns: (1fr, 1fr), [{left}], align(end)[{right}])\n#line(length: 100%, stroke: 0.6pt)\n"
            f"#v(2em)\n{title}{job}\n#v(1.5em)")


def _block(block: Block, lang: str, charts: dict[str, Drawn], root: Path, keep: bool = True) -> str:
    if isinstance(block, Heading):
        return f"#heading(level: {min(block.level, 6)}, {_s(block.text)})"
    if isinstance(block, Para):
        return _para(block)
    if isinstance(block, Signature):
        first, second = block.lines
        return f"#align(end, emph[#{_s(first)} \\ #{_s(second)}])"
    if isinstance(block, TableBlock):
        body = _caption(block.number, block.title, block.unit) + _table(block.table, lang)
        # A short table is kept on one page with its caption; a long one may break, its header repeated.
        return f"#block(breakable: false)[\n{body}\n]" if keep and len(block.table.rows) <= SHORT else body
    if isinstance(block, FigureBlock):
        return _figure(block, lang, charts, root)
    raise TypeError(block)


def _para(block: Para) -> str:
    notes = dict(block.footnotes)
    body = _rich(block.text, notes)
    if block.fallback:
        # The marker in the document's language, then the other language's text in its own direction.
        body = (f'highlight(fill: rgb(255, 243, 205))[#strong({_s(block.marker)}) '
                f'#text(lang: "{block.fallback}", dir: ltr, font: {CJK_FONTS if block.fallback in CJK else FONTS})'
                f'{body}]')
    lines = [f"#para({_s(block.number or '')}, {body})"]
    lines += [f"#item({_s(f'({letter})')}, {_rich(text, notes)})" for letter, text in block.items]
    return "\n".join(lines)


def _caption(number: str | None, title: str, unit: str | None) -> str:
    if not number and not title:
        return ""
    return f"#caption({_s(number or '')}, {_s(title)}, {_s(unit or '')})\n"


SHORT = 12
"""Rows of a table short enough to keep on one page with its caption."""


def _marked(body: str, mark: str) -> str:
    """A cell's content with a note's mark after it as a superscript (review Z5)."""
    return f"[#({body})#super({_s(mark)})]" if mark else body


def _header(table: Table, lang: str) -> str:
    heads = [_marked(_cell(c, heading=True), marks_at(table, -1, i)) for i, c in enumerate(table.columns)]
    group = change_group(table, lang)
    if group is None:
        return ", ".join(f"hd({head})" for head in heads)
    start, end = group
    first: list[str] = []
    for index in range(len(table.columns)):
        if index == start:
            heading = _s(label("changes_heading", lang))
            first.append(f"table.cell(colspan: {end - start + 1}, align: center, hd({heading}))")
        elif not start < index <= end:
            first.append(f"table.cell(rowspan: 2, hd({heads[index]}))")
    first.append(f"table.hline(start: {start}, end: {end + 1}, stroke: 0.4pt)")
    second = [f"hd({head})" for head in heads[start:end + 1]]
    return ", ".join(first + second)


_HAN = re.compile("[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
_QUALIFIER = re.compile(r"(?<=[^\s(]) (?=\([A-Z0-9]{1,6}\)(?!\w))")
"""The space before a short qualifier in brackets ("GS (OL)", "1819 (LV)"): the two are never set apart (Z16)."""
_BREAKS = re.compile(r"[/\-\u2010-\u2013(\[]")
"""Characters after or before which a line may break inside a word: a symbol holding one is set unbroken."""


def _pieces(text: str, heading: bool) -> list[tuple[str, bool]]:
    """A cell's words, each with whether a line may break inside it: a Chinese word may, except in a heading,
    where it is cut only after a slash ("新的/扩大的任务"); a symbol such as "WT/MIN(01)/DEC/1" never (E15)."""
    pieces: list[tuple[str, bool]] = []
    for word in _QUALIFIER.sub("\u00a0", text).split(" "):
        if not word:
            continue
        if _HAN.search(word) and heading:
            pieces += [(part, False) for part in re.split(r"(?<=/)(?=.)", word)]
        else:
            pieces.append((word, bool(_HAN.search(word))))
    return pieces


def _whole(piece: str, heading: bool) -> bool:
    """Whether a piece must be boxed to stay on one line: Typst would otherwise break it at a slash or bracket."""
    return (heading and bool(_HAN.search(piece))) or bool(_BREAKS.search(piece))


def _cell(value: str, heading: bool = False) -> str:
    """A cell's text as Typst content, each symbol, figure and heading word unbroken (Z16, Z17, E15)."""
    pieces = _pieces(value, heading)
    if not any(_whole(piece, heading) for piece, _ in pieces) and not _QUALIFIER.search(value):
        return _ltr(value)
    body = " ".join(f"#box({_s(piece)})" if _whole(piece, heading) else f"#{_s(piece)}" for piece, _ in pieces)
    return f"text(dir: ltr)[{body}]" if not _ARABIC.search(value) else f"[{body}]"


def _span(text: str) -> float:
    """A rough printed width in ems, only to choose which texts Typst measures."""
    return sum(1.0 if _HAN.match(c) else 0.7 if c.isupper() else 0.55 for c in text)


def _longest(texts: list[str], count: int = 2) -> list[str]:
    return sorted(dict.fromkeys(texts), key=_span, reverse=True)[:count]


def _fit(table: Table, cells: list[list[str]]) -> str:
    """What Typst measures to size the columns: per column its longest unbreakable pieces (heading words
    included) and its longest cells, set as printed (in bold, the wider weight)."""
    mins, wants = [], []
    deepest = max((row.level for row in table.rows if row.cells), default=0) * 0.8
    for index, heading in enumerate(table.columns):
        column = [texts[index] for texts in cells if len(texts) > index]
        indent = deepest if index == 0 else 0

        def printed(text: str, indent: float = indent) -> str:
            return f'pad(left: {indent}em, text(8.5pt, weight: "bold", {_cell(text)}))'

        body = [printed(piece) for piece in
                _longest([p for text in column for p, breakable in _pieces(text, False) if not breakable])]
        # A note's mark rides on the heading's last word: measured with it, as plain text (a little wider).
        marked = heading + marks_at(table, -1, index)
        head = [f"hd({_cell(piece, heading=True)})" for piece in
                _longest([p for p, breakable in _pieces(marked, True) if not breakable])]
        whole = [printed(text) for text in _longest(column)]
        mins.append("(" + "".join(f"{item}, " for item in body + head) + ")")
        wants.append("(" + "".join(f"{item}, " for item in whole) + ")")
    return f"fit: (({', '.join(mins)},), ({', '.join(wants)},))"


def _notes(table: Table) -> str:
    """Each note of a table on its own line, its letter as a superscript."""
    out = []
    for text in table.notes:
        mark, words = split_note(text)
        if mark:
            out.append(f"\n#note({_s(mark)}, {_s(words)})")
        else:
            out.append(f"\n#block(above: 0.25em, text(8pt, {_s(words)}))")
    return "".join(out)


def _table(table: Table, lang: str) -> str:
    width = len(table.columns)
    numeric = [numeric_column(table, i) for i in range(1, width)]
    columns = "(" + ", ".join(f"{weight:.1f}fr" for weight in column_weights(table)) + ",)"
    aligns = "(" + ", ".join(["start", *("end" if n else "start" for n in numeric)]) + ",)"
    header = _header(table, lang)
    cells, texts = [], []
    for position, row in enumerate(table.rows):
        weight = '"bold"' if row.kind in ("total", "heading") else '"regular"'
        if row.kind == "total":
            cells.append("table.hline(stroke: 0.4pt)")
        indent = f"{row.level * 0.8}em"
        if not row.cells:
            cells.append(f"table.cell(colspan: {width}, pad(left: {indent}, text(8.5pt, weight: {weight}, "
                         f"{_s(row.label)})))")
            continue
        values = [cell_text(table, i + 1, v, lang) for i, v in enumerate(row.cells)]
        values += [""] * (width - 1 - len(values))
        texts.append([row.label, *values])
        label_cell = _marked(_cell(row.label), marks_at(table, position, 0))
        cells.append(f"pad(left: {indent}, text(8.5pt, weight: {weight}, {label_cell}))")
        cells += [f"text(8.5pt, weight: {weight}, {_cell(v)})" for v in values]
    fit = _fit(table, texts)
    arguments = ", ".join([columns, aligns, f"({header},)", *cells, fit])  # a table may have no rows
    return f"#ruled({arguments})" + _notes(table)


def _figure(block: FigureBlock, lang: str, charts: dict[str, Drawn], root: Path) -> str:
    caption = _caption(block.number, block.title, block.unit)
    images = [f'image({_s(str(charts[c.id].svg.relative_to(root)))}, width: 100%)' for c in block.charts]
    # The caption and the charts stay together; three panels share one row at one scale.
    if len(images) > 1:
        columns = ", ".join("1fr" for _ in images[:3])
        grid = f"#grid(columns: ({columns},), gutter: 10pt, {', '.join(images)})"
        parts = [f"#block(breakable: false)[\n{caption}{grid}\n]"]
    elif images:
        parts = [f"#block(breakable: false)[\n{caption}#block({images[0]})\n]"]
    else:
        parts = [caption]
    if block.data:
        tables = ", ".join(f"[{_table(table, lang)}]" for table in block.data)
        columns = ", ".join("1fr" for _ in block.data)
        grid = f"#grid(columns: ({columns},), gutter: 12pt, {tables})"
        # The figure's tables of data side by side stay on one page when they are short (Z19).
        short = max(len(table.rows) for table in block.data) <= 2 * SHORT
        parts.append(f"\n#block(breakable: false)[{grid}]" if short else f"\n{grid}")
    return "".join(parts)


class _Compiler:
    """One Typst compiler for the process, made in the background: finding and reading the fonts takes Typst
    about a tenth of a second, which then overlaps building the document instead of following it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.busy = threading.Lock()
        """Held while the compiler compiles: one document at a time."""
        self._thread: threading.Thread | None = None
        self._made: typst.Compiler | None = None

    def _make(self) -> None:
        warm = Path(__file__).with_name("templates") / "fonts.typ"
        compiler = typst.Compiler(str(warm), root=str(warm.parent))
        compiler.compile()
        self._made = compiler

    def start(self) -> None:
        """Start making the compiler, once."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._make, name="typst-fonts", daemon=True)
                self._thread.start()

    def get(self) -> typst.Compiler:
        """The compiler, waiting for it if it is still being made (or making it here if that failed)."""
        self.start()
        assert self._thread is not None
        self._thread.join()
        if self._made is None:
            self._make()
        assert self._made is not None
        return self._made


_COMPILER = _Compiler()


def prepare() -> None:
    """Let Typst find and read its fonts in the background while the document is still being built."""
    _COMPILER.start()


def write_pdf(document: Document, charts: dict[str, Drawn], path: Path) -> Path:
    """Compile the document to PDF at `path` (the Typst source is written beside it)."""
    root = path.parent
    source = path.with_suffix(".typ")
    source.write_text(to_typst(document, charts, root), encoding="utf-8")
    compiler = _COMPILER.get()
    with _COMPILER.busy:
        pdf, warnings = compiler.compile_with_warnings(input=str(source), root=str(root))
    missing = [w.message for w in warnings if "font" in w.message or "glyph" in w.message]
    if missing:
        # A missing font would print boxes instead of characters: fail rather than publish tofu.
        raise RuntimeError(f"{source}: {'; '.join(missing)} (install the fonts: make setup)")
    assert isinstance(pdf, bytes)
    path.write_bytes(pdf)
    return path
