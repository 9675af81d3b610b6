"""The section's tables built from the model and its computed figures, one function per table."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from fascicle.compute import posts as counts
from fascicle.compute.figures import Figures
from fascicle.compute.lines import walk
from fascicle.compute.measures import attainment
from fascicle.compute.rounding import half_up
from fascicle.document.labels import label, period_label
from fascicle.document.money import money_cells, money_columns
from fascicle.document.note_figures import note_text
from fascicle.document.table import Row, Table
from fascicle.document.texts import text
from fascicle.model.base import period
from fascicle.model.budget import Budget
from fascicle.model.grades import CATEGORIES, grade_order
from fascicle.model.performance import Measure


def resources(budget: Budget, figs: Figures, lang: str) -> list[Table]:
    """Tables 13.3 to 13.5: the UN grant, the regular budget by object and extrabudgetary resources."""
    res = budget.resources
    tables = []
    for fund in (res.un_grant, res.regular, res.extrabudgetary):
        title = label("grant", lang) if fund is res.un_grant else \
            f"{text(fund.name, lang)}: {label('resources', lang, c=fund.currency)}"
        rows = [Row(text(line.name, lang), money_cells(figs, fund, f"{fund.id}.{line.id}"), len(trail) - 1,
                    "group" if line.lines else "item") for trail, line in walk(fund.lines)]
        rows.append(Row(label("total", lang), money_cells(figs, fund, f"{fund.id}.total"), 0, "total"))
        notes = tuple(f"{n.mark} {note_text(n.text, budget, figs, lang)}" for n in fund.notes)
        tables.append(Table(fund.id, title, money_columns(fund, lang, label("line", lang)), tuple(rows),
                            frozenset(range(3, 8)), notes))
    tables.append(conversion(budget, figs, lang))
    return tables


def conversion(budget: Budget, figs: Figures, lang: str) -> Table:
    """The regular budget shared by the parents and the UN share converted to the dollar grant."""
    res = budget.resources
    rows = []
    for p in res.regular.periods:
        rate = figs.get(("exchange_rate", p))
        cells = (figs.get(("regular.gross", p)), figs.get(("regular.misc_income", p)), figs.get(("regular.total", p)),
                 *(_one_decimal(figs.get((f"regular.share.{s.party}", p))) for s in res.shares), rate,
                 figs.get(("un_grant.total", p)))
        rows.append(Row(period_label(p, lang), cells))
    columns = (label("kind", lang), label("gross", lang), label("misc_income", lang), label("net", lang),
               *(label("share_of", lang, party=text(s.name, lang), p=s.percent) for s in res.shares),
               label("exchange_rate", lang), label("grant_usd", lang))
    return Table("conversion", label("conversion", lang), columns, tuple(rows))


def _one_decimal(value: Decimal | None) -> Decimal | None:
    # A share is kept exact in the data and printed, like every amount in thousands, to one decimal.
    return None if value is None else half_up(value)


def posts(budget: Budget, figs: Figures, lang: str) -> list[Table]:
    """Tables 13.5 to 13.7: posts by grade and category, current year to plan year, by source of funds."""
    year = budget.section.year
    tables = []
    for source, (before, after) in {"rb": ("approved", "proposed"), "xb": ("estimate", "estimate")}.items():
        a, b = period(year - 1, before), period(year, after)
        old = counts.by_grade(counts.select(budget.posts, a, source))
        new = counts.by_grade(counts.select(budget.posts, b, source))
        grades = sorted({*old, *new}, key=grade_order)
        rows = [Row(g, (old.get(g, 0), new.get(g, 0) - old.get(g, 0), new.get(g, 0))) for g in grades]
        for category in CATEGORIES:
            ref = f"posts.{source}.category.{category}"
            o, n = figs.get((ref, a)), figs.get((ref, b))
            rows.append(Row(label(category, lang), (o, _diff(o, n), n), 0, "group"))
        o, n = figs.get((f"posts.{source}.total", a)), figs.get((f"posts.{source}.total", b))
        rows.append(Row(label("total", lang), (o, _diff(o, n), n), 0, "total"))
        title = f"{text(budget.posts.sources[source], lang)}: {label('posts', lang)}"  # type: ignore[index]
        tables.append(Table(f"posts.{source}", title, (label("grade", lang), period_label(a, lang),
                                                      label("change", lang), period_label(b, lang)),
                            tuple(rows), frozenset({2})))
    return tables


def _diff(old: Decimal | None, new: Decimal | None) -> Decimal | None:
    return None if old is None or new is None else new - old


def structure(budget: Budget, lang: str, year: int) -> Table:
    """Annex I for one year: each unit's posts by grade from each source of funds."""
    rows = []
    names = {u.id: text(u.name, lang) for u in budget.structure.units}
    units = [u for u in budget.structure.units if year in u.years]
    entries = counts.year_entries(budget.posts, year)
    for unit in units:
        name = names[unit.id]
        if unit.renamed_from:
            # Review Z12/T2: "(formerly …)", "(原…)", as UN charts mark a renamed unit.
            name += f" {label('formerly', lang, name=names.get(unit.renamed_from, unit.renamed_from))}"
        rb = counts.by_grade(e for e in entries if e.unit == unit.id and e.source == "rb")
        xb = counts.by_grade(e for e in entries if e.unit == unit.id and e.source == "xb")
        rows.append(Row(name, (sum(rb.values()), sum(xb.values()), sum(rb.values()) + sum(xb.values())), 0, "group"))
        for grade in sorted({*rb, *xb}, key=grade_order):
            rows.append(Row(grade, (rb.get(grade), xb.get(grade), rb.get(grade, 0) + xb.get(grade, 0)), 1))
    rb_total = counts.total(e for e in entries if e.source == "rb")
    xb_total = counts.total(e for e in entries if e.source == "xb")
    rows.append(Row(label("total", lang), (rb_total, xb_total, rb_total + xb_total), 0, "total"))
    return Table(f"structure.{year}", label("structure", lang, y=year),
                 (label("unit", lang), label("rb", lang), label("xb", lang), label("all", lang)), tuple(rows))


def post_changes(budget: Budget, lang: str, before: str, after: str, source: str = "rb") -> Table:
    """Post changes between two periods: redeployments, establishments, abolishments and renamed units."""
    found = counts.post_changes(budget.posts, budget.structure, before, after, source)
    known = {u.id: text(u.name, lang) for u in budget.structure.units}

    def names(unit: str) -> str:
        # Posts in a unit the structure lacks are an error (PST002); the table still shows them, by id.
        return known.get(unit, unit)

    rows = [Row(label("redeployed", lang), (m.grade, names(m.from_unit), names(m.to_unit), m.number))
            for m in found.redeployments]
    rows += [Row(label("established", lang), (g, "", names(u), n)) for u, g, n in found.established]
    rows += [Row(label("abolished", lang), (g, names(u), "", n)) for u, g, n in found.abolished]
    rows += [Row(label("renamed", lang), ("", names(a), names(b), None)) for a, b in found.renamed]
    return Table("post_changes", label("changes", lang, a=before, b=after),
                 (label("kind", lang), label("grade", lang), label("from", lang), label("to", lang),
                  label("number", lang)), tuple(rows))


def _measures(budget: Budget) -> Iterator[tuple[str, Measure]]:
    pp = budget.performance.performance
    for measure in pp.measures:
        yield f"{pp.exhibit.kind} {pp.exhibit.number}", measure
    for result in budget.performance.results:
        for measure in result.measures:
            yield f"{result.exhibit.kind} {result.exhibit.number}", measure


def measures(budget: Budget, lang: str) -> Table:
    """Performance measures: each series of actuals and targets by year, and the past year's actual as a
    percentage of its target."""
    past = budget.section.year - 2
    periods = sorted({p for _, m in _measures(budget) for p in (*m.values, *m.texts)})
    rows = []
    for exhibit, measure in _measures(budget):
        cells = tuple(measure.values.get(p) if p in measure.values else text(measure.texts.get(p), lang) or None
                      for p in periods)
        reached = attainment(measure, past)
        cumulative = f" ({label('cumulative', lang)})" if measure.cumulative else ""
        rows.append(Row(f"{exhibit}: {text(measure.name, lang)}{cumulative}",
                        (*cells, reached.percent if reached else None)))
    return Table("measures", label("measures", lang),
                 (label("measure", lang), *(period_label(p, lang, money=False) for p in periods),
                  label("of_target", lang, y=past)), tuple(rows))
