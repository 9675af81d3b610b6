"""Figures at the edges of their declared ranges: no computation, check, recosting or document can raise."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TINY
from fascicle.checks.registry import run_checks
from fascicle.compute.figures import figures
from fascicle.compute.recost import Inflation, InflationRate, recost
from fascicle.document.build import build
from fascicle.source.load import bundled_path, load

FIGURE = re.compile(r'(?<=": )-?\d+\.\d+(?=[,}])')
EDGES = ["0.0", "0.000001", "-0.000001", "999999999999999.999999", "-999999999999999.999999", "1000000000000000",
         "-1000000000000000", "123456789012345.678901"]
RATES = ["0.000001", "1000000", "0.9272", "1"]
PERCENTS = ["0", "100", "0.0001", "99.9999"]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bounds")


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(figures_=st.lists(st.sampled_from(EDGES), min_size=1, max_size=40), rate=st.sampled_from(RATES),
       share=st.sampled_from(PERCENTS), new_rate=st.sampled_from(RATES),
       inflation=st.sampled_from(["-50", "1000", "0"]), itc=st.booleans())
def test_figures_at_their_bounds_never_raise(workspace: Path, figures_: list[str], rate: str, share: str,
                                             new_rate: str, inflation: str, itc: bool) -> None:
    target = workspace / "section"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(bundled_path() if itc else TINY, target)
    text = (target / "resources.yaml").read_text(encoding="utf-8")
    supply = iter(figures_ * 20)
    text = "\n".join(FIGURE.sub(lambda _: next(supply), line) if "values:" in line else line
                     for line in text.splitlines()) + "\n"
    text = re.sub(r'(exchange_rates: \{"2024 proposed": )[\d.]+', rf"\g<1>{rate}", text)
    other = Decimal(100) - Decimal(share)
    text = text.replace("percent: 50", f"percent: {share}", 1).replace("percent: 50", f"percent: {other}", 1)
    (target / "resources.yaml").write_text(text, encoding="utf-8")
    budget = load(target).budget
    figs = figures(budget)
    assert budget.resources.exchange_rates["2024 proposed"] == Decimal(rate)
    crashed = [f.message for f in run_checks(budget, figs) if f.code == "CHK000"]
    assert crashed == []
    rates = Inflation(rates=(InflationRate(applies_to="all", effective="2024-01-01", percent=Decimal(inflation)),))
    result = recost(budget, Decimal(new_rate), rates)
    assert result.total_after is not None
    for lang in ("en", "zh"):
        assert build(budget, lang, figs).blocks
