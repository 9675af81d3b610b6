"""Computations on ITC's data: conversion, post changes, delivery rates, measures and recosting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fascicle.compute.deliverables import subcategory_rate
from fascicle.compute.figures import figures
from fascicle.compute.measures import attainment
from fascicle.compute.posts import Movement, post_changes
from fascicle.compute.recost import Inflation, InflationRate, recost, year_factor
from fascicle.document.numbers import change, number
from fascicle.source.load import Loaded


def test_grant_is_the_un_half_converted_at_the_stated_rate(itc: Loaded) -> None:
    figs = figures(itc.budget)
    assert figs[("regular.share.UN", "2024 proposed")] == Decimal("18968.25")
    assert figs[("un_grant.total", "2024 proposed")] == Decimal("20457.6")
    assert figs[("regular.gross", "2024 proposed")] == Decimal("38136.5")
    assert figs[("un_grant.change.total", "2024 proposed")] == 0


def test_post_changes_2023_to_2024(itc: Loaded) -> None:
    found = post_changes(itc.budget.posts, itc.budget.structure, "2023 approved", "2024 proposed", "rb")
    assert found.renamed == (("DEI", "DECI"),)
    assert found.new_units == ("DSIT",)
    assert found.established == () and found.abolished == () and found.net == {}
    assert set(found.redeployments) == {
        Movement("D-1", "OED", "DSIT", 1), Movement("P-5", "DECI", "DSIT", 1), Movement("P-4", "DECI", "DSIT", 2),
        Movement("P-3", "DMD", "DSIT", 1), Movement("P-2", "DCP", "DSIT", 1),
        Movement("GS (OL)", "DMD", "DSIT", 1), Movement("GS (OL)", "DECI", "DSIT", 5),
    }


def test_delivery_rates_and_attainment(itc: Loaded) -> None:
    seminars = itc.budget.deliverables.categories[1].subcategories[1]
    assert seminars.id == "seminars_training"
    assert subcategory_rate(seminars, 2022) == Decimal("104.7")  # 3 663 of 3 500 days
    users = itc.budget.performance.results[0].measures[0]
    result = attainment(users, 2022)
    assert result is not None and result.met and result.percent == Decimal("114.6")  # 1 404 456 / 1 225 000 = 114.649…


def test_recost_at_a_new_rate_and_dated_inflation(itc: Loaded) -> None:
    plain = recost(itc.budget, Decimal("0.90"))
    assert plain.total_after == plain.total_before == Decimal("37936.5")
    assert plain.grant_before == Decimal("20457.6")
    assert plain.grant_after == Decimal("21075.8")  # 18 968.25 / 0.90 = 21 075.83…
    inflation = Inflation(rates=(
        InflationRate(applies_to="post", effective=dt.date(2024, 7, 1), percent=Decimal("2")),
        InflationRate(applies_to="all", effective=dt.date(2023, 1, 1), percent=Decimal("1")),
    ))
    assert year_factor(inflation, "post", 2024) == Decimal("1.015")
    result = recost(itc.budget, Decimal("0.9272"), inflation)
    post, non_post = result.lines
    assert post.after == Decimal("30226.7")  # 29 780.0 × 1.015
    assert non_post.after == Decimal("8238.1")  # 8 156.5 × 1.01, half up
    assert result.total_after == post.after + non_post.after


def test_number_style_by_language() -> None:
    assert number(Decimal("37936.5"), "zh") == "37\u00a0936.5"
    assert number(Decimal("37936.5"), "en") == "37,936.5"
    assert number(Decimal("1404456"), "en") == "1,404,456"
    assert change(Decimal(0), "en") == change(None, "zh") == "—"
    assert number(Decimal("-1234.5"), "fr") == "-1\u00a0234,5"
    assert number(Decimal("0.9272"), "ru") == "0,9272"
    assert number(Decimal("1404456"), "ar") == "1,404,456"
