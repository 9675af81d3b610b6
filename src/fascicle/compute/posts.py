"""Post counts by any cut (grade, category, unit, source, period) and post changes between two years."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from fascicle.model.base import STAGES, split_period
from fascicle.model.grades import GRADES, grade_order
from fascicle.model.posts import Posts, Staffing
from fascicle.model.structure import Structure


def select(posts: Posts, period: str | None = None, source: str | None = None,
           unit: str | None = None) -> Iterable[Staffing]:
    """The staffing entries matching every given filter."""
    for entry in posts.staffing:
        if (period is None or entry.period == period) and (source is None or entry.source == source) \
                and (unit is None or entry.unit == unit):
            yield entry


def year_entries(posts: Posts, year: int) -> list[Staffing]:
    """The staffing of a year: the regular budget's latest stage and the extrabudgetary one's, so that a year
    with both an approved and a revised table is not counted twice."""
    chosen = []
    for source in ("rb", "xb"):
        periods = {e.period for e in posts.staffing if e.source == source and split_period(e.period)[0] == year}
        if periods:
            latest = max(periods, key=lambda p: STAGES.index(split_period(p)[1]))
            chosen += [e for e in posts.staffing if e.source == source and e.period == latest]
    return chosen


def by_grade(entries: Iterable[Staffing]) -> dict[str, int]:
    """Posts by grade, in printed grade order."""
    counts: Counter[str] = Counter()
    for entry in entries:
        counts.update(entry.grades)
    return {grade: counts[grade] for grade in sorted(counts, key=grade_order) if counts[grade]}


def by_category(entries: Iterable[Staffing]) -> dict[str, int]:
    """Posts by category (Professional and higher, General Service and related)."""
    counts: Counter[str] = Counter()
    for grade, number in by_grade(entries).items():
        counts[GRADES[grade]] += number
    return dict(counts)


def by_unit(entries: Iterable[Staffing]) -> dict[str, int]:
    """Posts by organizational unit, in the order units first appear."""
    counts: Counter[str] = Counter()
    for entry in entries:
        counts[entry.unit] += sum(entry.grades.values())
    return dict(counts)


def total(entries: Iterable[Staffing]) -> int:
    """The number of posts."""
    return sum(sum(entry.grades.values()) for entry in entries)


@dataclass(frozen=True)
class Movement:
    """Posts of one grade leaving one unit for another (a redeployment)."""

    grade: str
    from_unit: str
    to_unit: str
    number: int


@dataclass(frozen=True)
class PostChanges:
    """What changed in the posts between two periods of one source of funds."""

    redeployments: tuple[Movement, ...] = ()
    established: tuple[tuple[str, str, int], ...] = ()
    abolished: tuple[tuple[str, str, int], ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()
    new_units: tuple[str, ...] = ()
    closed_units: tuple[str, ...] = ()
    net: dict[str, int] = field(default_factory=dict)


def post_changes(posts: Posts, structure: Structure, before: str, after: str, source: str) -> PostChanges:
    """Compare two periods unit by unit and grade by grade; a renamed unit is compared with its predecessor."""
    successor = {u.renamed_from: u.id for u in structure.units if u.renamed_from}
    old = _cells(select(posts, before, source), successor)
    new = _cells(select(posts, after, source), {})
    deltas = {key: new.get(key, 0) - old.get(key, 0) for key in sorted({*old, *new}, key=_cell_order)}
    moves, established, abolished = _pair(deltas)
    old_units = {u for u, _ in _cells(select(posts, before, source), {})}
    new_units = {u for u, _ in new}
    renamed = tuple((a, b) for a, b in successor.items() if a in old_units and b in new_units)
    net: Counter[str] = Counter()
    for (_, grade), delta in deltas.items():
        net[grade] += delta
    return PostChanges(
        tuple(moves), tuple(established), tuple(abolished), renamed,
        tuple(sorted(new_units - old_units - set(successor.values()))),
        tuple(sorted(old_units - new_units - set(successor))),
        {grade: n for grade, n in net.items() if n},
    )


def _cells(entries: Iterable[Staffing], rename: dict[str, str]) -> dict[tuple[str, str], int]:
    cells: Counter[tuple[str, str]] = Counter()
    for entry in entries:
        for grade, number in entry.grades.items():
            cells[(rename.get(entry.unit, entry.unit), grade)] += number
    return dict(cells)


def _cell_order(key: tuple[str, str]) -> tuple[int, str]:
    return grade_order(key[1]), key[0]


def _pair(deltas: dict[tuple[str, str], int]) -> tuple[list[Movement], list[tuple[str, str, int]],
                                                        list[tuple[str, str, int]]]:
    # Within a grade, posts that leave one unit and arrive in another are redeployments;
    # what is left over is established (arrivals) or abolished (departures).
    moves: list[Movement] = []
    established: list[tuple[str, str, int]] = []
    abolished: list[tuple[str, str, int]] = []
    for grade in sorted({g for _, g in deltas}, key=grade_order):
        gives = {u: -d for (u, g), d in deltas.items() if g == grade and d < 0}
        takes = {u: d for (u, g), d in deltas.items() if g == grade and d > 0}
        for taker in takes:
            for giver in gives:
                moved = min(takes[taker], gives[giver])
                if moved:
                    moves.append(Movement(grade, giver, taker, moved))
                    takes[taker] -= moved
                    gives[giver] -= moved
        established += [(u, grade, n) for u, n in takes.items() if n]
        abolished += [(u, grade, n) for u, n in gives.items() if n]
    return moves, established, abolished
