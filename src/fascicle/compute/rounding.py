"""Named, explicit roundings: every derived figure says how it was rounded."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")
"""Money in thousands is printed with one decimal."""


def half_up(value: Decimal, quantum: Decimal = ONE_DECIMAL) -> Decimal:
    """Round half up (away from zero) to `quantum`: the UN's rule for printed figures."""
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def quantum_of(printed: Decimal) -> Decimal:
    """The precision a printed figure shows: 18968.3 -> 0.1, 160 -> 1."""
    exponent = printed.as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(1).scaleb(min(exponent, 0))


def agrees(computed: Decimal, printed: Decimal) -> bool:
    """Whether a computed figure, rounded half up to the printed precision, equals the printed one."""
    return half_up(computed, quantum_of(printed)) == printed
