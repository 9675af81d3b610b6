"""Every named figure of a section, computed once: the single place totals come from.

A figure is named by a reference and a period, e.g. ("regular.total", "2024 proposed");
printed figures and documents refer to figures by these names.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from fascicle.compute import deliverables as deliv
from fascicle.compute import posts as post_counts
from fascicle.compute.lines import changes, value, walk
from fascicle.compute.memo import MEMO
from fascicle.compute.resources import converted_grant, fund_changes, fund_total, gross, percent_change, share
from fascicle.model.base import period as make_period
from fascicle.model.base import split_period
from fascicle.model.budget import Budget
from fascicle.model.compliance import Compliance
from fascicle.model.deliverables import Deliverables
from fascicle.model.performance import Measure, Performance
from fascicle.model.posts import Posts, Staffing
from fascicle.model.resources import Fund, Resources

Key = tuple[str, str]
Figures = dict[Key, Decimal | None]


def figures(budget: Budget) -> Figures:
    """Compute every named figure of the section."""
    found: Figures = {}
    for key, amount in _all(budget):
        found[key] = amount
    return found


def _all(budget: Budget) -> Iterator[tuple[Key, Decimal | None]]:
    # Each part's figures are computed from that part alone (the posts' also from the section's year), so they
    # are remembered per part object (compute.memo): an edit computes again only the figures of the part it changed.
    yield from MEMO.get(budget.resources, "figures", lambda resources: tuple(_resources(resources)))
    year = budget.section.year
    yield from MEMO.get(budget.posts, f"figures {year}", lambda posts: tuple(_posts(posts, year)))
    yield from MEMO.get(budget.deliverables, "figures", lambda deliverables: tuple(_deliverables(deliverables)))
    yield from MEMO.get(budget.compliance, "figures", lambda compliance: tuple(_compliance(compliance)))
    yield from MEMO.get(budget.performance, "figures", lambda performance: tuple(_performance(performance)))


def _resources(resources: Resources) -> Iterator[tuple[Key, Decimal | None]]:
    yield from _fund(resources.regular)
    yield from _fund(resources.extrabudgetary)
    yield from _grant(resources)
    yield from _combined(resources)
    for period in resources.regular.periods:
        for party in resources.shares:
            yield (f"regular.share.{party.party}", period), share(resources, party.party, period)
        yield ("regular.gross", period), gross(resources, period)
    for period, amount in resources.misc_income.items():
        yield ("regular.misc_income", period), amount
    for period, rate in resources.exchange_rates.items():
        yield ("exchange_rate", period), rate


def _compliance(compliance: Compliance) -> Iterator[tuple[Key, Decimal | None]]:
    for indicator in compliance.indicators:
        for period, amount in indicator.values.items():
            yield (f"compliance.{indicator.id}", period), amount


def _performance(performance: Performance) -> Iterator[tuple[Key, Decimal | None]]:
    for measure in _measures(performance):
        for period, amount in measure.values.items():
            yield (f"measure.{measure.id}", period), amount


def _fund(fund: Fund) -> Iterator[tuple[Key, Decimal | None]]:
    periods = _periods(fund)
    for period in periods:
        yield (f"{fund.id}.total", period), fund_total(fund, period)
        for _, line in walk(fund.lines):
            yield (f"{fund.id}.{line.id}", period), value(line, period)
    yield from _changes(fund)


def _changes(fund: Fund) -> Iterator[tuple[Key, Decimal | None]]:
    current, estimate = fund.periods[1], fund.periods[2]
    columns = fund_changes(fund)
    for kind, amount in columns.items():
        yield (f"{fund.id}.change.{kind}", estimate), amount
    yield (f"{fund.id}.change.percent", estimate), percent_change(fund_total(fund, current), columns["total"])
    for _, line in walk(fund.lines):
        line_columns = changes(line)
        yield (f"{fund.id}.{line.id}.change.total", estimate), line_columns["total"]
        yield (f"{fund.id}.{line.id}.change.percent", estimate), percent_change(
            value(line, current), line_columns["total"])


def _periods(fund: Fund) -> list[str]:
    seen = dict.fromkeys(fund.periods)
    for _, line in walk(fund.lines):
        seen.update(dict.fromkeys(line.values))
    return list(seen)


def _grant(resources: Resources) -> Iterator[tuple[Key, Decimal | None]]:
    # The grant is paid as one object; a period with no recorded dollars takes the converted UN share.
    fund = resources.un_grant
    filled = {f"{fund.id}.total"} | ({f"{fund.id}.{fund.lines[0].id}"} if fund.lines else set())
    for key, amount in _fund(fund):
        if amount is None and key[0] in filled and key[1] in fund.periods:
            amount = converted_grant(resources, key[1])
        yield key, amount


def _combined(resources: Resources) -> Iterator[tuple[Key, Decimal | None]]:
    # A column of Table 13.4 adds the regular budget's stage to the extrabudgetary one's;
    # the combined figure is named by the extrabudgetary period.
    regular, extra = resources.regular, resources.extrabudgetary
    for rb_period, xb_period in zip(regular.periods, extra.periods, strict=True):
        rb, xb = fund_total(regular, rb_period), fund_total(extra, xb_period)
        yield ("resources.total", xb_period), None if rb is None or xb is None else rb + xb
    rb_changes, xb_changes = fund_changes(regular), fund_changes(extra)
    estimate = extra.periods[2]
    for kind, amount in rb_changes.items():
        yield (f"resources.change.{kind}", estimate), amount + xb_changes[kind]
    rb_current, xb_current = fund_total(regular, regular.periods[1]), fund_total(extra, extra.periods[1])
    base = None if rb_current is None or xb_current is None else rb_current + xb_current
    yield ("resources.change.percent", estimate), percent_change(base, rb_changes["total"] + xb_changes["total"])


def _posts(posts: Posts, year: int) -> Iterator[tuple[Key, Decimal | None]]:
    periods: dict[str, set[str]] = {}
    for entry in posts.staffing:
        periods.setdefault(entry.source, set()).add(entry.period)
    for source, source_periods in periods.items():
        for period in sorted(source_periods):
            yield from _post_cuts(f"posts.{source}", list(post_counts.select(posts, period, source)), period)
    for period in sorted(periods.get("rb", set())):
        entries = post_counts.year_entries(posts, split_period(period)[0])
        # Only the regular budget's latest table names the year's total: an extrabudgetary table of the same
        # name must not publish the totals of a superseded regular table under it.
        if any(e.period == period and e.source == "rb" for e in entries):
            yield from _post_cuts("posts.all", entries, period)
    yield from _post_changes(posts, year)


def _post_cuts(prefix: str, entries: list[Staffing], period: str) -> Iterator[tuple[Key, Decimal | None]]:
    yield (f"{prefix}.total", period), Decimal(post_counts.total(entries))
    for grade, number in post_counts.by_grade(entries).items():
        yield (f"{prefix}.grade.{grade}", period), Decimal(number)
    for category, number in post_counts.by_category(entries).items():
        yield (f"{prefix}.category.{category}", period), Decimal(number)
    for unit, number in post_counts.by_unit(entries).items():
        yield (f"{prefix}.unit.{unit}", period), Decimal(number)
        for grade, count in post_counts.by_grade(e for e in entries if e.unit == unit).items():
            yield (f"{prefix}.unit.{unit}.grade.{grade}", period), Decimal(count)


def _post_changes(posts: Posts, year: int) -> Iterator[tuple[Key, Decimal | None]]:
    proposed = make_period(year, "proposed")
    by_kind: dict[str, int] = {"technical": 0, "new_mandates": 0, "other": 0}
    for change in posts.changes:
        by_kind[change.kind] += change.number
    for kind, number in by_kind.items():
        yield (f"posts.rb.change.{kind}", proposed), Decimal(number)
    yield ("posts.rb.change.total", proposed), Decimal(sum(by_kind.values()))


def _deliverables(deliverables: Deliverables) -> Iterator[tuple[Key, Decimal | None]]:
    for category in deliverables.categories:
        for sub in category.subcategories:
            for period in deliverables.periods:
                amount = deliv.subtotal(sub, period)
                yield (f"deliverables.{sub.id}", period), None if amount is None else Decimal(amount)
            for item in sub.items:
                for period, quantity in item.quantities.items():
                    yield (f"deliverables.item.{item.number}", period), Decimal(quantity)


def _measures(performance: Performance) -> Iterator[Measure]:
    yield from performance.performance.measures
    for result in performance.results:
        yield from result.measures


def currency(budget: Budget, ref: str) -> str | None:
    """The currency of a named figure: its fund's ("un_grant.total" is in dollars), None for no fund."""
    funds = {fund.id: fund.currency for fund in (budget.resources.un_grant, budget.resources.regular,
                                                   budget.resources.extrabudgetary)}
    return funds.get(ref.split(".", 1)[0])
