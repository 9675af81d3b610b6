"""Numbers as the UN prints them in each language: grouping, decimals and the dash for nil."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

NIL = "—"
NBSP = "\u00a0"
# UN editorial practice, which CLDR (Babel) does not follow for Chinese: Chinese groups thousands with a
# space and a decimal point; French, Spanish and Russian with a space and a decimal comma; English and
# Arabic (in Western digits) with a comma and a decimal point.
_GROUP = {"zh": NBSP, "fr": NBSP, "es": NBSP, "ru": NBSP, "en": ",", "ar": ","}
_POINT = {"fr": ",", "es": ",", "ru": ","}


def number(value: Decimal | int | None, lang: str = "en", places: int | None = None) -> str:
    """Format a figure: `37 936.5` (zh, no-break space), `37,936.5` (en), `37 936,5` (fr); None prints `—`."""
    if value is None:
        return NIL
    amount = Decimal(value)
    if places is not None:
        amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{amount:,f}".partition(".")
    whole = whole.replace(",", _GROUP.get(lang, ","))
    return f"{whole}{_POINT.get(lang, '.')}{fraction}" if fraction else whole


def change(value: Decimal | int | None, lang: str = "en") -> str:
    """Format a change column: a nil change is a dash."""
    return NIL if value is None or value == 0 else number(value, lang)
