"""The tables of the printed section (Tables 13.1 to 13.8 and the tables of the annexes), shaped as the
fascicle prints them, every figure taken from the computed figures."""

from __future__ import annotations

from decimal import Decimal

from fascicle.compute import posts as counts
from fascicle.compute.deliverables import item_rate, subcategory_rate, subtotal
from fascicle.compute.figures import Figures
from fascicle.document.labels import label, period_label
from fascicle.document.money import money_cells, money_columns
from fascicle.document.numbers import number
from fascicle.document.table import Cell, Row, Table
from fascicle.document.texts import text
from fascicle.model.base import period, split_period
from fascicle.model.budget import Budget
from fascicle.model.grades import CATEGORIES, display_grade, grade_order
from fascicle.model.resources import CHANGE_KINDS, Fund


def _money_table(id_: str, columns: tuple[str, ...], rows: list[Row]) -> Table:
    # Columns 1-2, the change amounts and the estimate add up; the percentage does not.
    return Table(id_, "", columns, tuple(rows), changes=frozenset(range(3, 8)),
                 additive=frozenset({1, 2, 3, 4, 5, 6, 8}), places=1)


def grant_table(budget: Budget, figs: Figures, lang: str) -> Table:
    """Table 13.3: the UN grant by object of expenditure."""
    fund = budget.resources.un_grant
    rows = [Row(text(line.name, lang), money_cells(figs, fund, f"{fund.id}.{line.id}")) for line in fund.lines]
    rows.append(Row(label("total", lang), money_cells(figs, fund, f"{fund.id}.total"), 0, "total"))
    table = _money_table("table-grant", money_columns(fund, lang, label("line", lang)), rows)
    return _with_notes(table, fund, lang)


def _with_notes(table: Table, fund: Fund, lang: str) -> Table:
    notes = tuple(f"{n.mark} {text(n.text, lang)}" for n in fund.notes)
    return Table(table.id, table.title, table.columns, table.rows, table.changes, notes, table.additive, table.places)


def sources_table(budget: Budget, figs: Figures, lang: str) -> Table:
    """Table 13.4: the full regular budget and extrabudgetary resources by component."""
    res = budget.resources
    rows: list[Row] = []
    for number_, fund in ((1, res.regular), (2, res.extrabudgetary)):
        key = "regular_budget" if number_ == 1 else "extrabudgetary_budget"
        rows.append(Row(label(key, lang), (), 0, "heading"))
        rows.append(Row(label("programme_of_work_row", lang), (), 0, "heading"))
        component = len(rows)
        rows.append(Row(text(fund.component, lang), money_cells(figs, fund, f"{fund.id}.total"), 1))
        rows.append(Row(label("subtotal_n", lang, n=number_), money_cells(figs, fund, f"{fund.id}.total"), 0,
                        "total", sums=(component,)))
    subtotals = tuple(i for i, r in enumerate(rows) if r.kind == "total")
    rows.append(Row(label("total", lang), money_cells(figs, res.extrabudgetary, "resources.total"), 0, "total",
                    sums=subtotals))
    return _with_notes(_money_table("table-sources", money_columns(res.regular, lang, label("component", lang)), rows),
                       res.regular, lang)


def financial_posts_table(budget: Budget, figs: Figures, lang: str) -> Table:
    """Table 13.5: the full regular budget by main category of expenditure and its posts by category."""
    fund = budget.resources.regular
    rows = [Row(label("by_category", lang), (), 0, "heading")]
    first = len(rows)
    rows += [Row(text(line.name, lang), money_cells(figs, fund, f"{fund.id}.{line.id}")) for line in fund.lines]
    rows.append(Row(label("total", lang), money_cells(figs, fund, f"{fund.id}.total"), 0, "total",
                    sums=tuple(range(first, len(rows)))))
    rows.append(Row(label("posts_by_category", lang), (), 0, "heading"))
    first = len(rows)
    year = budget.section.year
    for category in CATEGORIES:
        rows.append(Row(label(category, lang), _post_cells(figs, f"posts.rb.category.{category}", year)))
    rows.append(Row(label("total", lang), _post_cells(figs, "posts.rb.total", year), 0, "total",
                    sums=tuple(range(first, len(rows)))))
    return _money_table("table-financial-posts", money_columns(fund, lang, ""), rows)


def _post_cells(figs: Figures, ref: str, year: int) -> tuple[Cell, ...]:
    before, after = figs.get((ref, period(year - 1, "approved"))), figs.get((ref, period(year, "proposed")))
    changes = [figs.get((f"posts.rb.change.{k}", period(year, "proposed"))) if ref == "posts.rb.total" else None
               for k in CHANGE_KINDS]
    total = None if before is None or after is None else after - before
    as_int = [None if v is None else int(v) for v in (before, *changes, total, after)]
    return (None, as_int[0], *as_int[1:4], as_int[4], None, as_int[5])


def post_changes_table(budget: Budget, figs: Figures, lang: str) -> Table:
    """Table 13.6: approved posts, post changes and proposed posts, with their details by grade."""
    year = budget.section.year
    rows = []
    for key, per in (("approved_posts", period(year - 1, "approved")), ("post_changes_row", None),
                     ("proposed_posts", period(year, "proposed"))):
        if per is None:
            change = figs.get(("posts.rb.change.total", period(year, "proposed")))
            rows.append(Row(label(key, lang), (change, grade_details(budget, lang, None))))
            continue
        rows.append(Row(label(key, lang, y=split_period(per)[0]),
                        (figs.get(("posts.rb.total", per)), grade_details(budget, lang, per))))
    return Table("table-post-changes", "", ("", label("number", lang), label("details", lang)), tuple(rows),
                 changes=frozenset({1}))


def grade_details(budget: Budget, lang: str, per: str | None) -> str:
    """"1 ASG, 1 D-2, 5 D-1…" (en) or "1 个 ASG、1 个 D-2…" (zh): the posts of a period by grade, or with no
    period the proposed post changes by grade ("—" when there are none)."""
    if per is None:
        changed: dict[str, int] = {}
        for change in budget.posts.changes:
            changed[change.grade] = changed.get(change.grade, 0) + change.number
        grades = {g: n for g, n in sorted(changed.items(), key=lambda item: grade_order(item[0])) if n}
        if not grades:
            return "—"
    else:
        grades = counts.by_grade(counts.select(budget.posts, per, "rb"))
    if lang == "zh":
        return "、".join(f"{n} 个 {display_grade(g)}" for g, n in grades.items())
    return ", ".join(f"{number(n, lang)} {display_grade(g)}" for g, n in grades.items())


def posts_sources_table(budget: Budget, figs: Figures, lang: str) -> Table:
    """Table 13.7: proposed posts by source of funding."""
    year = budget.section.year
    rows: list[Row] = []
    for number_, source, (before, after) in ((1, "rb", ("approved", "proposed")), (2, "xb", ("estimate", "estimate"))):
        a, b = period(year - 1, before), period(year, after)
        key = "regular_budget" if number_ == 1 else "extrabudgetary_budget"
        rows.append(Row(label(key, lang), (), 0, "heading"))
        rows.append(Row(label("programme_of_work_row", lang), (), 0, "heading"))
        old, new = figs.get((f"posts.{source}.total", a)), figs.get((f"posts.{source}.total", b))
        changes = tuple(figs.get((f"posts.rb.change.{k}", b)) if source == "rb" else None for k in CHANGE_KINDS)
        cells = (old, *changes, None if old is None or new is None else new - old, new)
        component = len(rows)
        fund = budget.resources.regular if source == "rb" else budget.resources.extrabudgetary
        rows.append(Row(text(fund.component, lang), cells, 1))
        rows.append(Row(label("subtotal_n", lang, n=number_), cells, 0, "total", sums=(component,)))
    subtotals = tuple(i for i, r in enumerate(rows) if r.kind == "total")
    old_all = figs.get(("posts.all.total", period(year - 1, "approved")))
    new_all = figs.get(("posts.all.total", period(year, "proposed")))
    kinds = tuple(figs.get((f"posts.rb.change.{k}", period(year, "proposed"))) for k in CHANGE_KINDS)
    total = None if old_all is None or new_all is None else new_all - old_all
    rows.append(Row(label("total", lang), (old_all, *kinds, total, new_all), 0, "total", sums=subtotals))
    columns = (label("component", lang), label("approved_posts", lang, y=year - 1),
               *(label(k, lang) for k in (*CHANGE_KINDS, "total")), label("proposed_posts", lang, y=year))
    return Table("table-posts-sources", "", columns, tuple(rows), changes=frozenset(range(2, 6)),
                 additive=frozenset(range(1, 7)))


def compliance_table(budget: Budget, lang: str) -> Table:
    """Table 13.8: compliance rates."""
    periods = sorted({p for i in budget.compliance.indicators for p in i.values})
    rows = tuple(Row(text(i.name, lang), tuple(i.values.get(p) for p in periods)) for i in budget.compliance.indicators)
    return Table("table-compliance", "", ("", *(period_label(p, lang, money=False) for p in periods)), rows)


def deliverables_table(budget: Budget, lang: str, rate_year: int | None = None) -> Table:
    """Table 13.2: deliverables by category and subcategory with their quantities; with `rate_year`, also
    the delivery rate (actual over planned) of that year."""
    part = budget.deliverables
    rates = rate_year is not None
    rows: list[Row] = []
    for category in part.categories:
        rows.append(Row(f"{category.code}. {text(category.title, lang)}", (), 0, "heading"))
        for sub in category.subcategories:
            extra = (subcategory_rate(sub, rate_year),) if rate_year is not None else ()
            rows.append(Row(f"{text(sub.title, lang)} ({text(sub.unit, lang)})",
                            (*(subtotal(sub, p) for p in part.periods), *extra), 0, "group"))
            if sub.lead:
                rows.append(Row(text(sub.lead, lang), (), 1, "heading"))
            for item in sub.items:
                extra = (item_rate(item, rate_year),) if rate_year is not None else ()
                rows.append(Row(f"{item.number}. {text(item.title, lang)}",
                                (*(item.quantities.get(p) for p in part.periods), *extra), 1))
        for entry in category.unquantified:
            rows.append(Row(f"{text(entry.title, lang)}: {text(entry.description, lang)}", (), 0, "item"))
    columns = (label("item", lang), *(period_label(p, lang, money=False) for p in part.periods))
    if rates:
        columns = (*columns, f"{label('rate', lang)} {rate_year}")
    return Table("table-deliverables", "", columns, tuple(rows), additive=frozenset(range(1, len(part.periods) + 1)))


def measure_text_table(budget: Budget, lang: str) -> Table:
    """Table 13.1: the performance measure of the past year, in words by year."""
    pp = budget.performance.performance
    periods = sorted({p for m in pp.measures for p in m.texts})
    rows = tuple(Row(text(m.name, lang), tuple(text(m.texts.get(p), lang) or None for p in periods))
                 for m in pp.measures)
    return Table("table-performance", "", ("", *(label("year_actual", lang, y=split_period(p)[0]) for p in periods)),
                 rows)


def mandates_table(budget: Budget, lang: str) -> Table:
    """The legislative mandates: symbols and titles, by body."""
    rows: list[Row] = []
    for group in budget.mandates.groups:
        rows.append(Row(text(group.title, lang), (), 0, "heading"))
        for mandate in group.mandates:
            rows.append(Row("; ".join(mandate.symbols), (text(mandate.title, lang),)))
    return Table("table-mandates", "", (label("symbol", lang), label("title", lang)), tuple(rows))


def oversight_table(budget: Budget, lang: str) -> Table:
    """Annex II: each recommendation in brief and the action taken."""
    rows: list[Row] = []
    for body in budget.oversight.bodies:
        rows.append(Row(text(body.title, lang), (), 0, "heading"))
        for rec in body.recommendations:
            rows.append(Row(rec.report.symbol, (), 0, "heading"))
            rows.append(Row(text(rec.summary, lang), ("\n\n".join(text(a, lang) for a in rec.action),)))
    return Table("table-oversight", "", (label("recommendation", lang), label("action", lang)), tuple(rows))


def figure_data(labels_: tuple[str, ...], series: tuple[tuple[str, tuple[Decimal | None, ...]], ...],
                first: str, id_: str, places: int | None = None) -> Table:
    """The figures a chart draws, as a table under it."""
    rows = tuple(Row(name, values) for name, values in series)
    return Table(id_, "", (first, *labels_), rows, places=places)
