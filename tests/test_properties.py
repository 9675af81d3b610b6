"""Properties of rounding, conversions, sums and number formatting."""

from __future__ import annotations

from decimal import Decimal

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
def test_conversion_back_and_forth_stays_within_rounding(chf: Decimal, rate: Decimal) -> None:
    usd = to_usd(chf, rate)
    assert abs(usd * rate - chf) <= Decimal("0.05") * rate + Decimal("1e-20")
    assert agrees(chf / rate, usd)


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
