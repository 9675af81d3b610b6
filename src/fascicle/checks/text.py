"""Checks of the narrative: translations, footnotes, paragraph numbering and figures restated in text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from fascicle.checks.finding import Finding, Location, check, finding
from fascicle.checks.walk import paragraphs, texts
from fascicle.compute.figures import Figures
from fascicle.model.budget import Budget
from fascicle.model.text import FOOTNOTE_MARK

# A figure in running text, grouped with spaces or commas, then perhaps a word of scale.
_FIGURE = re.compile(r"(\d{1,3}(?:[ ,\u00a0\u202f]\d{3})+|\d+)(\.\d+)?\s*(亿|万|billion|million)?")
_SCALE = {"亿": Decimal(10) ** 8, "万": Decimal(10) ** 4, "billion": Decimal(10) ** 9, "million": Decimal(10) ** 6}


def said_value(text: str, unit: Decimal) -> Decimal | None:
    """The first figure a text says, in the figure's unit: "12.79 亿美元" with unit 10^6 says 1279."""
    match = _FIGURE.search(text)
    if match is None:
        return None
    whole = re.sub(r"[ ,\u00a0\u202f]", "", match.group(1))
    amount = Decimal(whole + (match.group(2) or "")) * _SCALE.get(match.group(3) or "", Decimal(1))
    return (amount / unit).normalize()


@check("TXT001", "warning")
def check_translations(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A text has no translation in a language the section is published in."""
    for part, path, text in texts(budget):
        missing = text.missing(budget.section.languages)
        if missing:
            yield finding(check_translations, f"no text in {', '.join(missing)}", Location(part, path))


@check("TXT002", "error")
def check_restated_text(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A figure restated in a paragraph is not written there as the printed figure says."""
    if budget.printed is None:
        return
    found = {}
    for part, path, paragraph in paragraphs(budget):
        for key in (paragraph.number, paragraph.id):
            if key:
                found[key] = (part, path, paragraph)
    for index, figure in enumerate(budget.printed.figures):
        if figure.paragraph is None:
            continue
        if figure.paragraph not in found:
            yield finding(check_restated_text, f"no paragraph {figure.paragraph}",
                          Location("printed", ("figures", index, "paragraph"), figure.where))
            continue
        part, path, paragraph = found[figure.paragraph]
        for lang in budget.section.languages:
            wanted = figure.text.get(lang) if figure.text else None
            body = paragraph.text.get(lang) or ""
            said = said_value(wanted or "", figure.unit)
            if wanted is None or wanted not in body or said != figure.value:
                yield finding(check_restated_text, f"paragraph {figure.paragraph} ({lang}) should print "
                                                   f"{figure.value} of {figure.ref} as {wanted!r}, which says {said}",
                              Location(part, (*path, "text", lang), figure.where),
                              Location("printed", ("figures", index), figure.where))


@check("TXT003", "error")
def check_footnotes(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A footnote marker in a paragraph has no footnote, or a footnote is never referred to."""
    for part, path, paragraph in paragraphs(budget):
        marks = {note.mark for note in paragraph.footnotes}
        for lang in budget.section.languages:
            used = set(FOOTNOTE_MARK.findall(paragraph.text.get(lang) or ""))
            for mark in sorted(used - marks):
                yield finding(check_footnotes, f"marker [^{mark}] ({lang}) has no footnote",
                              Location(part, (*path, "text", lang)))
            for mark in sorted(marks - used):
                yield finding(check_footnotes, f"footnote {mark} is not referred to in the {lang} text",
                              Location(part, (*path, "footnotes")))


@check("PAR001", "error")
def check_paragraph_numbers(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """Numbered paragraphs do not run on from 1 without gaps or repeats, in document order."""
    expected = 1
    prefix = f"{budget.section.number}."
    for part, path, paragraph in paragraphs(budget):
        if paragraph.number is None:
            continue
        if paragraph.number != f"{prefix}{expected}":
            yield finding(check_paragraph_numbers, f"paragraph {paragraph.number} where {prefix}{expected} "
                                                   "was expected", Location(part, (*path, "number")))
        tail = paragraph.number.removeprefix(prefix)
        # isdigit() alone admits "²" and 5,000-digit numbers, which int() refuses.
        expected = int(tail) + 1 if tail.isascii() and tail.isdigit() and len(tail) < 10 else expected + 1
