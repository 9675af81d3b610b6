"""Figures named in a table note, written from the data: "{un_grant.total@2022 actual}" prints as
"$19,073,400" in English and "19 073 400 美元" in Chinese (review Z4: a note never types a figure the data holds)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from fascicle.compute.figures import Figures, currency
from fascicle.document.labels import label
from fascicle.document.numbers import number
from fascicle.document.texts import text
from fascicle.model.budget import Budget
from fascicle.model.text import REFERENCE, Text

THOUSAND = Decimal(1000)


def fill(text: str, budget: Budget, figs: Figures, lang: str) -> str:
    """The note with every figure it names written out in full units and the fund's currency; a name the data
    does not have stays as written (the check TXT004 reports it)."""

    def amount(match: re.Match[str]) -> str:
        value, money = figs.get((match.group(1), match.group(2))), currency(budget, match.group(1))
        if value is None or money is None:
            return match.group(0)
        # Funds are kept and printed in thousands to one decimal; prose writes that amount in whole units.
        shown = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) * THOUSAND
        return label(f"amount_{money.lower()}", lang, n=number(shown, lang, 0))

    return REFERENCE.sub(amount, text)


def note_text(value: Text, budget: Budget, figs: Figures, lang: str) -> str:
    """A note in the document's language with its figures written out; a note shown in another language (no
    translation yet) writes them as that language does, so that no run mixes two languages."""
    shown = lang if value.get(lang) else ("en" if value.get("en") else "zh")
    return fill(text(value, lang), budget, figs, shown)
