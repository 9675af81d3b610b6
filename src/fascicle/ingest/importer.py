"""`fascicle import`: a Word fascicle into a section dataset with its import report; a corrigendum onto one."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from fascicle.ingest.document import Imported, read_section
from fascicle.ingest.package import Unreadable, open_package
from fascicle.ingest.reader import read_body
from fascicle.model.general import Block, Document, Figures, Printed, Section
from fascicle.model.text import Text


def import_file(path: Path) -> Imported:
    """Read a Word fascicle into a section; raise Unreadable when it is not one."""
    package = open_package(path)
    try:
        body = read_body(package)
        imported = read_section(package, body)
    except Unreadable as error:
        message = str(error)
        raise Unreadable(message if message.startswith(path.name) else f"{path.name}: {message}") from None
    finally:
        package.close()
    if not any(b.kind in ("table", "paragraph", "heading") for b in imported.section.document.blocks):
        raise Unreadable(f"{path.name}: a Word document with no heading, numbered paragraph or table: "
                         "not a fascicle")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    ident = imported.section.fascicle.model_copy(update={"source": f"{path.name} sha256:{digest}"})
    imported.section = imported.section.model_copy(update={"fascicle": ident})
    return imported


def report(imported: Imported) -> str:
    """The import report as YAML: for every table, where each of its cells went; then what was not understood."""
    tables: list[dict[str, Any]] = []
    totals = {"figures": 0, "printed": 0, "texts": 0, "empty": 0, "not_understood": 0}
    kinds = {b.table.id: b.table for b in imported.section.document.blocks if b.table is not None}
    for table_id, account in imported.accounts:
        table = kinds.get(table_id)
        entry: dict[str, Any] = {"table": table_id, "title": table.title.en if table else "",
                                 "kind": table.kind if table else "", "figures": account.figures,
                                 "printed": account.printed, "texts": account.texts, "empty": account.empty}
        if account.unknown:
            entry["not_understood"] = [{"row": row + 1, "column": column + 1, "text": text, "why": why}
                                       for row, column, text, why in account.unknown]
        tables.append(entry)
        for name in ("figures", "printed", "texts", "empty"):
            totals[name] += entry[name]
        totals["not_understood"] += len(account.unknown)
    blocks = imported.section.document.blocks
    counts = {kind: sum(1 for b in blocks if b.kind == kind)
              for kind in ("heading", "paragraph", "table", "figure", "picture", "orgchart", "note")}
    review = [f"figure {b.caption or '?'}: {line}" for b in blocks if b.chart for line in b.chart.review]
    data = {"document": imported.section.fascicle.symbol, "source": imported.section.fascicle.source,
            "blocks": counts, "cells": totals, "warnings": imported.warnings, "review": review, "tables": tables}
    header = ("# Import report: every table cell is a figure (figures.yaml), a printed total or restatement\n"
              "# (printed.yaml, checked against the data), a text, empty, or listed under not_understood.\n")
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)


PARAGRAPH = re.compile(r"^Paragraph (\d+[A-Z]?(?:\.[IVXL]+)?\.\d+)$")
REPLACE = re.compile(r"^Replace the table (?:for (?P<what>.+?) )?with the following", re.IGNORECASE)


@dataclass(frozen=True)
class _Patch:
    paragraph: str
    what: str | None
    payload: tuple[Block, ...]


def _patches(corrigendum: Section) -> list[_Patch]:
    blocks = corrigendum.document.blocks
    found: list[_Patch] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        anchor = PARAGRAPH.match(block.text.en or "") if block.kind == "heading" and block.text else None
        if not anchor:
            index += 1
            continue
        instruction = blocks[index + 1] if index + 1 < len(blocks) else None
        match = REPLACE.match(instruction.text.en or "") if instruction and instruction.text else None
        if match is None:
            raise Unreadable(f"{corrigendum.fascicle.symbol}: after 'Paragraph {anchor.group(1)}' the corrigendum "
                             "does not say 'Replace the table ... with the following'; this kind of correction is "
                             "not understood yet")
        end = index + 2
        while end < len(blocks) and not (blocks[end].kind == "heading" and PARAGRAPH.match(_text(blocks[end]))):
            end += 1
        payload = tuple(b for b in blocks[index + 2:end] if b.kind != "frame")
        found.append(_Patch(anchor.group(1), match.group("what"), payload))
        index = end
    return found


def apply_corrigendum(section: Section, corrigendum: Imported) -> Section:
    """The section with each table the corrigendum replaces replaced, and a note saying so where it was."""
    fix = corrigendum.section
    base = fix.fascicle.symbol.split("/Corr.")[0]
    if base != section.fascicle.symbol:
        raise Unreadable(f"{fix.fascicle.symbol} corrects {base}, not {section.fascicle.symbol}")
    if fix.fascicle.symbol in section.fascicle.corrected_by:
        raise Unreadable(f"{fix.fascicle.symbol} is already applied to this section")
    patches = _patches(fix)
    if not patches:
        raise Unreadable(f"{fix.fascicle.symbol}: no 'Paragraph …' instruction found; nothing to apply")
    blocks = list(section.document.blocks)
    removed: set[str] = set()
    suffix = fix.fascicle.symbol.rsplit("/", 1)[-1]
    for patch in patches:
        start, end = _target(blocks, patch, section.fascicle.symbol)
        removed.update(b.table.id for b in blocks[start:end] if b.table is not None)
        note = Block(kind="note", text=Text(en=f"Replaced by {fix.fascicle.symbol} (paragraph {patch.paragraph}"
                                                  f"{', the table for ' + patch.what if patch.what else ''})."))
        payload = [_renamed(b, suffix) for b in patch.payload]
        blocks[start:end] = [note, *payload]
    kept = tuple(f for f in section.figures.figures if f.table not in removed)
    added = tuple(f.model_copy(update={"table": f"{f.table} {suffix}" if f.table else None})
                  for f in fix.figures.figures)
    printed = section.printed.cells if section.printed else ()
    printed = tuple(c for c in printed if c.table not in removed) + tuple(
        c.model_copy(update={"table": f"{c.table} {suffix}"}) for c in (fix.printed.cells if fix.printed else ()))
    # The source names every file the section was read from, the corrigendum's digest too.
    source = "; ".join(s for s in (section.fascicle.source, fix.fascicle.source) if s) or None
    ident = section.fascicle.model_copy(update={"corrected_by": (*section.fascicle.corrected_by,
                                                                 fix.fascicle.symbol), "source": source})
    return section.model_copy(update={
        "fascicle": ident, "document": Document(blocks=tuple(blocks)), "figures": Figures(figures=kept + added),
        "printed": Printed(document=ident.symbol, cells=printed)})


def _text(block: Block) -> str:
    """A block's English text, empty when it has none."""
    return block.text.en or "" if block.text is not None else ""


def _renamed(block: Block, suffix: str) -> Block:
    if block.table is None:
        return block
    return block.model_copy(update={"table": block.table.model_copy(update={"id": f"{block.table.id} {suffix}"})})


def _target(blocks: list[Block], patch: _Patch, symbol: str) -> tuple[int, int]:
    anchor = next((i for i, b in enumerate(blocks) if b.kind == "paragraph" and b.number == patch.paragraph), None)
    if anchor is None:
        raise Unreadable(f"paragraph {patch.paragraph} is not in {symbol}; the corrigendum cannot be placed")
    start = anchor + 1
    if patch.what:
        number = re.match(r"subprogramme (\d+)", patch.what, re.IGNORECASE)
        wanted = f"Subprogramme {number.group(1)}" if number else patch.what.split(",")[0].strip()
        heading = next((i for i in range(anchor + 1, len(blocks))
                        if blocks[i].kind == "heading" and _text(blocks[i]) == wanted), None)
        if heading is None:
            raise Unreadable(f"{wanted!r} is not under paragraph {patch.paragraph} of {symbol}")
        start = heading + 1
        if start < len(blocks) and blocks[start].kind == "heading" and blocks[start].level == blocks[heading].level:
            start += 1  # the subprogramme's title, on its own heading line
    end = start
    while end < len(blocks) and (blocks[end].kind in ("table", "note", "frame")
                                 or (blocks[end].kind == "heading" and blocks[end].level == "H4")):
        end += 1
    if not any(b.kind == "table" for b in blocks[start:end]):
        raise Unreadable(f"no table follows paragraph {patch.paragraph} of {symbol} where the corrigendum points")
    return start, end
