"""Checks of the narrative: translations, footnotes, paragraph numbering and figures restated in text."""

from __future__ import annotations

import re
from collections.abc import Iterable

from fascicle.checks.finding import Finding, Location, check, finding
from fascicle.checks.walk import paragraphs, texts
from fascicle.compute.figures import Figures
from fascicle.model.budget import Budget

_MARK = re.compile(r"\[\^([^\]]+)\]")


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
            if wanted is None or wanted not in body:
                yield finding(check_restated_text, f"paragraph {figure.paragraph} ({lang}) does not print "
                                                   f"{wanted!r} for {figure.ref}",
                              Location(part, (*path, "text", lang), figure.where),
                              Location("printed", ("figures", index), figure.where))


@check("TXT003", "error")
def check_footnotes(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A footnote marker in a paragraph has no footnote, or a footnote is never referred to."""
    for part, path, paragraph in paragraphs(budget):
        marks = {note.mark for note in paragraph.footnotes}
        for lang in budget.section.languages:
            used = set(_MARK.findall(paragraph.text.get(lang) or ""))
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
        expected = int(tail) + 1 if tail.isdigit() else expected + 1
