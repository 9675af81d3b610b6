"""Properties of rounding, conversions, sums and number formatting."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from fascicle.compute.lines import sum_of, value
from fascicle.compute.resources import to_usd
from fascicle.compute.rounding import agrees, half_up, quantum_of
from fascicle.document.numbers import number
from fascicle.model.resources import Line
from fascicle.model.text import Text

amounts = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=3, allow_nan=False,
                      allow_infinity=False)
thousands = st.decimals(min_value=Decimal("0.1"), max_value=Decimal("1e7"), places=1, allow_nan=False,
                        allow_infinity=False)
rates = st.decimals(min_value=Decimal("0.5"), max_value=Decimal("2"), places=4, allow_nan=False, allow_infinity=False)


@given(amounts)
def test_half_up_is_within_half_a_quantum_and_idempotent(amount: Decimal) -> None:
    rounded = half_up(amount)
    assert abs(rounded - amount) <= Decimal("0.05")
    assert half_up(rounded) == rounded
    assert quantum_of(rounded) == Decimal("0.1")


@given(st.integers(min_value=-10**6, max_value=10**6))
def test_half_up_rounds_ties_away_from_zero(tenths: int) -> None:
    tie = Decimal(tenths) / 10 + Decimal("0.05") * (1 if tenths >= 0 else -1)
    assert abs(half_up(tie)) == abs(Decimal(tenths) / 10) + Decimal("0.1")


@given(thousands, rates)
def test_conversion_is_the_exact_quotient_rounded_half_up(chf: Decimal, rate: Decimal) -> None:
    usd = to_usd(chf, rate)
    exact = Fraction(chf) / Fraction(rate)
    tenths = math.floor(exact * 10 + Fraction(1, 2))  # half up, in exact rational arithmetic
    assert Fraction(usd) == Fraction(tenths, 10)
    assert abs(Fraction(usd) * Fraction(rate) - Fraction(chf)) <= Fraction(rate) / 20


@given(thousands, st.integers(min_value=-5, max_value=5))
def test_agrees_within_the_printed_precision(amount: Decimal, nudge: int) -> None:
    computed = amount + Decimal(nudge) / 100
    assert agrees(computed, amount) == (abs(nudge) < 5 or nudge == -5)


@given(st.lists(thousands, min_size=1, max_size=12))
def test_a_group_is_the_sum_of_its_lines(parts: list[Decimal]) -> None:
    name = Text(en="x")
    lines = tuple(Line(id=f"l{i}", name=name, values={"2024 proposed": p}) for i, p in enumerate(parts))
    group = Line(id="g", name=name, lines=lines)
    assert value(group, "2024 proposed") == sum(parts) == sum_of(lines, "2024 proposed")
    assert value(group, "2023 approved") is None


@given(thousands)
def test_formatted_numbers_read_back(amount: Decimal) -> None:
    assert Decimal(number(amount, "en").replace(",", "")) == amount
    assert Decimal(number(amount, "zh").replace("\u00a0", "")) == amount
    assert "," not in number(amount, "zh")
