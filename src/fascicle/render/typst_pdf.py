"""PDF backend: the document tree as Typst source, compiled to an A4 page like a UN document."""

from __future__ import annotations

import re
from pathlib import Path

import typst

from fascicle.document.labels import label
from fascicle.document.table import Table
from fascicle.document.tree import Block, Document, FigureBlock, Heading, Para, Signature, TableBlock
from fascicle.model.text import FOOTNOTE_MARK
from fascicle.render.cells import cell_text, column_weights, is_number
from fascicle.render.charts import Drawn

_ARABIC = re.compile("[\u0600-\u06ff]")
FONTS = '("Noto Serif", "Noto Serif CJK SC", "Noto Naskh Arabic", "Noto Sans CJK SC")'

PREAMBLE = """
#set document(title: {title})
#set page(paper: "a4", margin: (x: 2.2cm, top: 2.6cm, bottom: 2.4cm),
  header: context {{ if counter(page).get().first() > 1 {{ align(end, text(9pt, weight: "bold", {symbol})) }} }},
  footer: context align(center, text(9pt, counter(page).display())),
  background: {background})
#set text(font: {fonts}, size: 10pt, lang: "{lang}", dir: {dir}, fallback: false)
#set par(justify: true, leading: 0.62em)
#set heading(numbering: none)
#show heading.where(level: 1): it => block(above: 1.4em, below: 0.8em, text(12pt, weight: "bold", it.body))
#show heading.where(level: 2): it => block(above: 1.2em, below: 0.7em, text(11pt, weight: "bold", it.body))
#show heading: it => block(above: 1em, below: 0.6em, text(10pt, weight: "bold", style: "italic", it.body))
#let para(no, body) = block(above: 0.7em, grid(columns: (1.3cm, 1fr), no, body))
#let item(letter, body) = pad(left: 1.3cm, grid(columns: (0.9cm, 1fr), letter, body))
#show table.cell: set par(justify: false)
#let ruled(cols, aligns, header, ..cells) = table(columns: cols, align: aligns, stroke: none, inset: (x: 3pt, y: 2.4pt),
  table.hline(stroke: 0.6pt), table.header(..header), table.hline(stroke: 0.6pt), ..cells, table.hline(stroke: 0.6pt))
#let caption(no, title, unit) = block(above: 1em, below: 0.4em, breakable: false)[
  #text(weight: "bold", no) #linebreak() #text(weight: "bold", title) #if unit != "" {{ linebreak(); emph(unit) }}]
"""


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


def to_typst(document: Document, charts: dict[str, Drawn], root: Path) -> str:
    """The Typst source of a document; chart paths are relative to `root`."""
    background = "none"
    if document.draft:
        background = (f'rotate(-35deg, text(72pt, fill: rgb(200, 0, 0, 40), weight: "bold", '
                      f'{_s(label("draft", document.lang))}))')
    out = [PREAMBLE.format(title=_s(document.title), symbol=_s(document.symbol), fonts=FONTS, lang=document.lang,
                           dir="rtl" if document.direction == "rtl" else "ltr", background=background)]
    if document.draft:
        note = _s(label("draft_note", document.lang))
        out.append(f"#block(fill: rgb(255, 243, 205), inset: 6pt, width: 100%, {note})")
    out.append(f'#align(end, text(weight: "bold", {_s(document.symbol)}))')
    out.append(f'#block(above: 2em, below: 1.5em, text(14pt, weight: "bold", {_s(document.title)}))')
    out.append(f"#text(11pt, {_s(document.subtitle)})")
    out.append(f'#outline(title: {_s(label("contents", document.lang))}, depth: 3)')
    for block in document.blocks:
        out.append(_block(block, document.lang, charts, root))
    return "\n".join(out) + "\n"


def _block(block: Block, lang: str, charts: dict[str, Drawn], root: Path) -> str:
    if isinstance(block, Heading):
        return f"#heading(level: {min(block.level, 6)}, {_s(block.text)})"
    if isinstance(block, Para):
        return _para(block)
    if isinstance(block, Signature):
        return f"#align(end, emph[#{_s(block.title)} \\ #{_s(block.name)}])"
    if isinstance(block, TableBlock):
        return _caption(block.number, block.title, block.unit) + _table(block.table, lang)
    if isinstance(block, FigureBlock):
        return _figure(block, lang, charts, root)
    raise TypeError(block)


def _para(block: Para) -> str:
    notes = dict(block.footnotes)
    body = _rich(block.text, notes)
    if block.fallback:
        # The marker in the document's language, then the other language's text in its own direction.
        body = (f'highlight(fill: rgb(255, 243, 205))[#strong({_s(block.marker)}) '
                f'#text(lang: "{block.fallback}", dir: ltr){body}]')
    lines = [f"#para({_s(block.number or '')}, {body})"]
    lines += [f"#item({_s(f'({letter})')}, {_rich(text, notes)})" for letter, text in block.items]
    return "\n".join(lines)


def _caption(number: str | None, title: str, unit: str | None) -> str:
    if not number and not title:
        return ""
    return f"#caption({_s(number or '')}, {_s(title)}, {_s(unit or '')})\n"


def _table(table: Table, lang: str) -> str:
    width = len(table.columns)
    numeric = [any(is_number(r.cells[i - 1]) for r in table.rows if len(r.cells) >= i) for i in range(1, width)]
    columns = "(" + ", ".join(f"{weight:.1f}fr" for weight in column_weights(table)) + ",)"
    aligns = "(" + ", ".join(["start", *("end" if n else "start" for n in numeric)]) + ",)"
    header = ", ".join(f"text(8pt, style: \"italic\", {_s(c)})" for c in table.columns)
    cells = []
    for row in table.rows:
        weight = '"bold"' if row.kind in ("total", "heading") else '"regular"'
        if row.kind == "total":
            cells.append("table.hline(stroke: 0.4pt)")
        indent = f"{row.level * 0.8}em"
        if not row.cells:
            cells.append(f"table.cell(colspan: {width}, pad(left: {indent}, text(8.5pt, weight: {weight}, "
                         f"{_s(row.label)})))")
            continue
        cells.append(f"pad(left: {indent}, text(8.5pt, weight: {weight}, {_ltr(row.label)}))")
        values = [cell_text(table, i + 1, v, lang) for i, v in enumerate(row.cells)]
        values += [""] * (width - 1 - len(values))
        cells += [f"text(8.5pt, weight: {weight}, {_ltr(v)})" for v in values]
    notes = "".join(f"\n#text(8pt, {_s(n)})" for n in table.notes)
    return f"#ruled({columns}, {aligns}, ({header},), {', '.join(cells)})" + notes


def _figure(block: FigureBlock, lang: str, charts: dict[str, Drawn], root: Path) -> str:
    parts = [_caption(block.number, block.title, block.unit)]
    images = [f'image({_s(str(charts[c.id].svg.relative_to(root)))}, width: 100%)' for c in block.charts]
    if len(images) > 1:
        parts.append(f"#grid(columns: (1fr, 1fr), gutter: 12pt, {', '.join(images)})")
    elif images:
        parts.append(f"#block(breakable: false, {images[0]})")
    if block.data:
        tables = ", ".join(f"[{_table(table, lang)}]" for table in block.data)
        columns = ", ".join("1fr" for _ in block.data)
        parts.append(f"\n#grid(columns: ({columns},), gutter: 12pt, {tables})")
    return "".join(parts)


def write_pdf(document: Document, charts: dict[str, Drawn], path: Path) -> Path:
    """Compile the document to PDF at `path` (the Typst source is written beside it)."""
    root = path.parent
    source = path.with_suffix(".typ")
    source.write_text(to_typst(document, charts, root), encoding="utf-8")
    pdf, warnings = typst.compile_with_warnings(str(source), root=str(root))
    missing = [w.message for w in warnings if "font" in w.message or "glyph" in w.message]
    if missing:
        # A missing font would print boxes instead of characters: fail rather than publish tofu.
        raise RuntimeError(f"{source}: {'; '.join(missing)} (install the fonts: make setup)")
    path.write_bytes(pdf)
    return path
