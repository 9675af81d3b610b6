"""Numbers as the UN prints them in each language: grouping, decimals and the dash for nil."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

NIL = "—"
NBSP = "\u00a0"
# Chinese, French and Russian documents group thousands with a space; English with a comma.
_GROUP = {"zh": NBSP, "fr": NBSP, "ru": NBSP, "en": ",", "es": ",", "ar": ","}


def number(value: Decimal | int | None, lang: str = "en", places: int | None = None) -> str:
    """Format a figure: `37 936.5` (zh, no-break space), `37,936.5` (en); None and zero changes print `—`."""
    if value is None:
        return NIL
    amount = Decimal(value)
    if places is not None:
        amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{amount:,f}"
    return text.replace(",", _GROUP.get(lang, ","))


def change(value: Decimal | int | None, lang: str = "en") -> str:
    """Format a change column: a nil change is a dash."""
    return NIL if value is None or value == 0 else number(value, lang)
