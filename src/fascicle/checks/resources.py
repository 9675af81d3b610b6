"""Checks of the resources: parts against totals, change columns, shares and the currency conversion."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from fascicle.checks.finding import Finding, Location, check, finding, show
from fascicle.compute.figures import Figures
from fascicle.compute.lines import changes, children_sum, value, walk
from fascicle.compute.resources import converted_grant, fund_total
from fascicle.compute.rounding import agrees
from fascicle.model.budget import Budget
from fascicle.model.resources import Fund

FUNDS = ("regular", "extrabudgetary", "un_grant")
# Names the computed figures of a fund use; a line called so would hide one of them.
RESERVED = frozenset({"total", "change", "share", "gross", "misc_income"})


def _funds(budget: Budget) -> Iterable[tuple[str, Fund]]:
    for name in FUNDS:
        yield name, getattr(budget.resources, name)


def _line_path(fund: str, trail: tuple[int, ...]) -> tuple[str | int, ...]:
    path: tuple[str | int, ...] = (fund,)
    for index in trail:
        path = (*path, "lines", index)
    return path


@check("RES002", "error")
def check_line_sums(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A line's own figure differs from the sum of its sub-lines."""
    for name, fund in _funds(budget):
        for trail, line in walk(fund.lines):
            for period, own in line.values.items():
                parts = children_sum(line, period)
                if parts is not None and parts != own:
                    yield finding(check_line_sums, f"{fund.id}.{line.id} {period}: {show(own)} but its lines "
                                                   f"add up to {show(parts)}",
                                  Location("resources", (*_line_path(name, trail), "values", period)))


@check("RES003", "error")
def check_change_columns(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """The current year plus the change columns does not give the estimate."""
    for name, fund in _funds(budget):
        current, estimate = fund.periods[1], fund.periods[2]
        for trail, line in walk(fund.lines):
            before, after = value(line, current), figs.get((f"{fund.id}.{line.id}", estimate))
            if before is None or after is None:
                continue
            total = changes(line)["total"]
            if before + total != after:
                yield finding(check_change_columns, f"{fund.id}.{line.id}: {show(before)} ({current}) + "
                                                    f"{show(total)} changes ≠ {show(after)} ({estimate})",
                              Location("resources", _line_path(name, trail)))


@check("RES004", "error")
def check_shares(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """The parent organizations' shares of the regular budget do not add up to 100 per cent."""
    total = sum((share.percent for share in budget.resources.shares), Decimal(0))
    if budget.resources.shares and total != 100:
        yield finding(check_shares, f"shares add up to {show(total)} per cent", Location("resources", ("shares",)))
    if budget.resources.grant_party not in {share.party for share in budget.resources.shares}:
        yield finding(check_shares, f"the grant is paid by {budget.resources.grant_party}, which has no share",
                      Location("resources", ("grant_party",)))


@check("RES005", "error")
def check_conversion(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A recorded dollar grant differs from the UN share converted at the period's stated exchange rate."""
    grant = budget.resources.un_grant
    for period in budget.resources.exchange_rates:
        recorded, converted = fund_total(grant, period), converted_grant(budget.resources, period)
        if recorded is not None and converted is not None and not agrees(converted, recorded):
            yield finding(check_conversion, f"grant {period}: recorded {show(recorded)} thousand USD, the "
                                            f"conversion gives {show(converted)}",
                          Location("resources", ("exchange_rates", period)))


@check("RES006", "warning")
def check_fund_columns(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A column of a fund's table has no figure at all."""
    for name, fund in _funds(budget):
        for index, period in enumerate(fund.periods):
            if figs.get((f"{fund.id}.total", period)) is None:
                yield finding(check_fund_columns, f"{fund.id} has no figure for {period}",
                              Location("resources", (name, "periods", index)))


@check("RES008", "error")
def check_incomplete_lines(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A period has figures for some lines of a group but not for others, so its total would leave them out."""
    for name, fund in _funds(budget):
        for trail, group in [((), None), *walk(fund.lines)]:
            lines = fund.lines if group is None else group.lines
            for period in fund.periods:
                having = [value(line, period) is not None for line in lines]
                if any(having) and not all(having):
                    for index, line in enumerate(lines):
                        if not having[index]:
                            yield finding(check_incomplete_lines, f"{fund.id}.{line.id} has no figure for {period} "
                                                                  "while the lines beside it have",
                                          Location("resources", (*_line_path(name, (*trail, index)), "values")))


@check("RES007", "error")
def check_line_ids(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """Two lines of one fund have the same id, so their figures cannot be told apart."""
    for name, fund in _funds(budget):
        seen: set[str] = set()
        for trail, line in walk(fund.lines):
            if line.id in seen or line.id in RESERVED:
                yield finding(check_line_ids, f"{fund.id} has line id {line.id!r} twice or reserved",
                              Location("resources", (*_line_path(name, trail), "id")))
            seen.add(line.id)


@check("RES009", "error")
def check_line_periods(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A figure belongs to a period that its fund's table does not show, so no table ever prints it."""
    for name, fund in _funds(budget):
        for trail, line in walk(fund.lines):
            for period in line.values:
                if period not in fund.periods:
                    yield finding(check_line_periods, f"{fund.id}.{line.id} has a figure for {period}, which the "
                                                      f"table does not show ({', '.join(fund.periods)})",
                                  Location("resources", (*_line_path(name, trail), "values", period)))
    resources = budget.resources
    for field, shown in (("misc_income", resources.regular.periods),
                         ("exchange_rates", (*resources.regular.periods, *resources.un_grant.periods))):
        for period in getattr(resources, field):
            if period not in shown:
                yield finding(check_line_periods, f"{field} has a figure for {period}, which no table shows",
                              Location("resources", (field, period)))


@check("RES010", "warning")
def check_negative_figures(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A resources line has a negative figure: an expenditure or estimate below zero is almost always a typo."""
    for name, fund in _funds(budget):
        for trail, line in walk(fund.lines):
            for period, amount in line.values.items():
                if amount < 0:
                    yield finding(check_negative_figures, f"{fund.id}.{line.id} {period}: {show(amount)}",
                                  Location("resources", (*_line_path(name, trail), "values", period)))


@check("RES011", "error")
def check_note_marks(budget: Budget, figs: Figures) -> Iterable[Finding]:
    """A table note's mark is set on a period the fund's table does not show, or on a line it does not have."""
    for name, fund in _funds(budget):
        lines = {line.id for _, line in walk(fund.lines)}
        for index, note in enumerate(fund.notes):
            if note.period is not None and note.period not in fund.periods:
                yield finding(check_note_marks, f"note {note.mark}: no column {note.period} in {name}",
                              Location("resources", (name, "notes", index, "period")))
            if note.line is not None and note.line not in lines:
                yield finding(check_note_marks, f"note {note.mark}: no line {note.line} in {name}",
                              Location("resources", (name, "notes", index, "line")))
