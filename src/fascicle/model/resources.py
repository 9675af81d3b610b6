"""Resources: the funds of the section, their lines by object of expenditure, changes and currency facts."""

from __future__ import annotations

from typing import Literal

from fascicle.model.base import Amount, Frozen, Percent, Period, Rate
from fascicle.model.text import Text

ChangeKind = Literal["technical", "new_mandates", "other"]
CHANGE_KINDS: tuple[ChangeKind, ...] = ("technical", "new_mandates", "other")


class Change(Frozen):
    """A change between the current year's appropriation and the estimate, in one change column."""

    kind: ChangeKind
    amount: Amount
    reason: Text | None = None


class Line(Frozen):
    """A line of a resources table: a group (post, non-post) or an object of expenditure.

    A line carries its own figure for a period, or its sub-lines do; never invented totals.
    """

    id: str
    name: Text
    values: dict[Period, Amount] = {}
    changes: tuple[Change, ...] = ()
    lines: tuple[Line, ...] = ()


class TableNote(Frozen):
    """A note under a table, marked a, b...; its mark stands in the heading of a period's column or after the
    name of a line (review Z5)."""

    mark: str
    text: Text
    period: Period | None = None
    line: str | None = None


class Fund(Frozen):
    """A source of funds in one currency, in thousands, with its three columns and lines."""

    id: str
    name: Text
    currency: Literal["CHF", "USD"]
    component: Text
    periods: tuple[Period, Period, Period]
    lines: tuple[Line, ...]
    notes: tuple[TableNote, ...] = ()


class Share(Frozen):
    """The part of the regular budget borne by one parent organization, in per cent."""

    party: str
    name: Text
    percent: Percent


class Resources(Frozen):
    """Tables 13.3 to 13.5 and Figure 13.IV: the regular budget, the UN grant and extrabudgetary resources."""

    regular: Fund
    extrabudgetary: Fund
    un_grant: Fund
    shares: tuple[Share, ...]
    grant_party: str
    misc_income: dict[Period, Amount] = {}
    exchange_rates: dict[Period, Rate] = {}
    notes: tuple[TableNote, ...] = ()
