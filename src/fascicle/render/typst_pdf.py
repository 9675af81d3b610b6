"""PDF backend: the document tree as Typst source, compiled to an A4 page like a UN document."""

from __future__ import annotations

import re
from pathlib import Path

import typst

from fascicle.document.labels import label
from fascicle.document.table import Table
from fascicle.document.tree import Block, Document, FigureBlock, Heading, Para, Signature, TableBlock
from fascicle.model.text import FOOTNOTE_MARK
from fascicle.render.cells import cell_text, change_group, column_weights, numeric_column
from fascicle.render.charts import Drawn

_ARABIC = re.compile("[\u0600-\u06ff]")
FONTS = '("Noto Serif", "Noto Serif CJK SC", "Noto Naskh Arabic", "Noto Sans CJK SC")'

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
#let ruled(cols, aligns, header, ..cells) = table(columns: cols, align: aligns, stroke: none, inset: (x: 3pt, y: 2.4pt),
  table.hline(stroke: 0.6pt), table.header(..header), table.hline(stroke: 0.6pt), ..cells, table.hline(stroke: 0.6pt))
#let hd(body) = text(8pt, style: {slant}, body)
#let note(mark, body) = block(above: 0.25em, below: 0.25em, grid(columns: (0.9em, 1fr),
  text(8pt, super(mark)), text(8pt, body)))
#let caption(no, title, unit) = block(above: 1em, below: 0.4em, breakable: false, sticky: true)[
  #text(weight: "bold", no) #linebreak() #text(weight: "bold", title)
  #if unit != "" {{ linebreak(); text(style: {slant}, unit) }}]
"""
CJK = ("zh", "ja", "ko")
"""Languages set without italics: a slanted Han character does not exist in their typography."""
NOTE = re.compile(r"^(?P<mark>[a-z](?:,[a-z])*)\s+(?P<text>.+)$", re.S)


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
    upright = document.lang in CJK
    out = [PREAMBLE.format(title=_s(document.title), symbol=_s(document.symbol), fonts=FONTS, lang=document.lang,
                           dir="rtl" if document.direction == "rtl" else "ltr", background=background,
                           slant='"normal"' if upright else '"italic"', lowest='"bold"' if upright else '"regular"')]
    if document.draft:
        note = _s(label("draft_note", document.lang))
        out.append(f"#block(fill: rgb(255, 243, 205), inset: 6pt, width: 100%, {note})")
    out.append(_cover(document))
    out.append(f'#outline(title: {_s(label("contents", document.lang))}, depth: 3)')
    annex = label("annex", document.lang, n="").strip()
    for block in document.blocks:
        if isinstance(block, Heading) and block.level == 1 and annex and block.text.startswith(annex):
            out.append("#pagebreak(weak: true)")  # every annex starts on a new page, as in UN documents
        out.append(_block(block, document.lang, charts, root))
    return "\n".join(out) + "\n"


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
    return (f"#grid(columns: (1fr, 1fr), [{left}], align(end)[{right}])\n#line(length: 100%, stroke: 0.6pt)\n"
            f"#v(2em)\n{title}\n#v(1.5em)")


def _block(block: Block, lang: str, charts: dict[str, Drawn], root: Path) -> str:
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
        return f"#block(breakable: false)[\n{body}\n]" if len(block.table.rows) <= SHORT else body
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


SHORT = 12
"""Rows of a table short enough to keep on one page with its caption."""


def _header(table: Table, lang: str) -> str:
    group = change_group(table, lang)
    if group is None:
        return ", ".join(f"hd({_s(c)})" for c in table.columns)
    start, end = group
    first: list[str] = []
    for index, column in enumerate(table.columns):
        if index == start:
            heading = _s(label("changes_heading", lang))
            first.append(f"table.cell(colspan: {end - start + 1}, align: center, hd({heading}))")
        elif not start < index <= end:
            first.append(f"table.cell(rowspan: 2, hd({_s(column)}))")
    first.append(f"table.hline(start: {start}, end: {end + 1}, stroke: 0.4pt)")
    second = [f"hd({_s(c)})" for c in table.columns[start:end + 1]]
    return ", ".join(first + second)


def _notes(table: Table) -> str:
    """Each note of a table on its own line, its letter as a superscript."""
    out = []
    for text in table.notes:
        match = NOTE.match(text)
        if match:
            out.append(f"\n#note({_s(match.group('mark'))}, {_s(match.group('text'))})")
        else:
            out.append(f"\n#block(above: 0.25em, text(8pt, {_s(text)}))")
    return "".join(out)


def _table(table: Table, lang: str) -> str:
    width = len(table.columns)
    numeric = [numeric_column(table, i) for i in range(1, width)]
    columns = "(" + ", ".join(f"{weight:.1f}fr" for weight in column_weights(table)) + ",)"
    aligns = "(" + ", ".join(["start", *("end" if n else "start" for n in numeric)]) + ",)"
    header = _header(table, lang)
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
    return f"#ruled({columns}, {aligns}, ({header},), {', '.join(cells)})" + _notes(table)


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
