"""Checks of the narrative: translations, footnotes, paragraph numbering and figures restated in text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from fascicle.checks.finding import Finding, Location, check, finding
from fascicle.checks.walk import Path, paragraphs, part_texts, parts
from fascicle.compute.figures import Figures, currency
from fascicle.compute.memo import MEMO
from fascicle.model.budget import Budget
from fascicle.model.text import FOOTNOTE_MARK, LANGUAGES, references

# What a text check reads of a part is a pure function of the part: it is remembered per part object (checks.walk),
# so that an edit's checks read again only the part the edit changed.

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
    languages = budget.section.languages
    for part, value in parts(budget):
        for path, missing in MEMO.get(value, f"missing {' '.join(languages)}",
                                      lambda value: _missing(value, languages)):
            yield finding(check_translations, f"no text in {', '.join(missing)}", Location(part, path))


def _missing(part: object, languages: tuple[str, ...]) -> tuple[tuple[Path, tuple[str, ...]], ...]:
    return tuple((path, missing) for path, text in part_texts(part) if (missing := text.missing(languages)))


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


@check("TXT004", "error")
def check_note_figures(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A text names a figure ("{un_grant.total@2022 actual}") that the data does not have, that has no currency,
    or outside a table note, the only text that writes named figures out."""
    for part, value in parts(budget):
        for path, lang, ref, period in MEMO.get(value, "references", _references):
            in_note = part == "resources" and "notes" in path
            where = Location(part, (*path, lang))
            if not in_note:
                yield finding(check_note_figures, f"{{{ref}@{period}}} is written out only in a table note", where)
            elif (ref, period) not in figs or figs[(ref, period)] is None:
                yield finding(check_note_figures, f"no figure {ref} for {period}", where)
            elif currency(budget, ref) is None:
                yield finding(check_note_figures, f"{ref} belongs to no fund, so it has no currency", where)


def _references(part: object) -> tuple[tuple[Path, str, str, str], ...]:
    return tuple((path, lang, ref, period) for path, text in part_texts(part) for lang in LANGUAGES
                 for ref, period in references(text.get(lang) or ""))


_HAN_DIGIT = re.compile(r"[\u3400-\u9fff]\d|\d[\u3400-\u9fff]")


@check("TXT005", "warning")
def check_han_digit_spacing(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """Chinese text runs a figure into a character ("3 月19 日", "理事会1973 年"): Chinese UN texts set a space
    between them, so the join is mostly a line-join left by copying from a PDF (review Z21)."""
    for part, value in parts(budget):
        for path, joins in MEMO.get(value, "han digit joins", _han_digit_joins):
            yield finding(check_han_digit_spacing, "no space between a figure and a Chinese character: "
                                                   + "; ".join(repr(j) for j in joins[:3]),
                          Location(part, (*path, "zh")))


def _han_digit_joins(part: object) -> tuple[tuple[Path, list[str]], ...]:
    found = []
    for path, text in part_texts(part):
        body = text.get("zh") or ""
        joins = [body[max(0, m.start() - 4):m.end() + 4] for m in _HAN_DIGIT.finditer(body)]
        if joins:
            found.append((path, joins))
    return tuple(found)
