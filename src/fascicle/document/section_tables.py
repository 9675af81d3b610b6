"""The tables of the printed section (Tables 13.1 to 13.8 and the tables of the annexes), shaped as the
fascicle prints them, every figure taken from the computed figures."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from fascicle.compute import posts as counts
from fascicle.compute.deliverables import item_rate, subcategory_rate, subtotal
from fascicle.compute.figures import Figures
from fascicle.compute.lines import walk
from fascicle.document.labels import label, period_label
from fascicle.document.money import money_cells, money_columns, money_sources
from fascicle.document.note_figures import note_text
from fascicle.document.numbers import number
from fascicle.document.table import Cell, Row, Table
from fascicle.document.texts import text
from fascicle.model.base import field_path, period, split_period
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
    rows = [Row(text(line.name, lang), money_cells(figs, fund, f"{fund.id}.{line.id}"),
                sources=money_sources("un_grant", fund, index, line)) for index, line in enumerate(fund.lines)]
    rows.append(Row(label("total", lang), money_cells(figs, fund, f"{fund.id}.total"), 0, "total"))
    table = _money_table("table-grant", money_columns(fund, lang, label("line", lang)), rows)
    return _marked(_with_notes(table, fund, budget, figs, lang), fund, lang)


def _with_notes(table: Table, fund: Fund, budget: Budget, figs: Figures, lang: str) -> Table:
    """The table with the fund's notes under it, each on its own, the figures they name written out."""
    return replace(table, notes=tuple(f"{n.mark} {note_text(n.text, budget, figs, lang)}" for n in fund.notes))


def _marked(table: Table, fund: Fund, lang: str) -> Table:
    """The table with the marks of the fund's notes in the heading of their period's column or after the name of
    their line (review Z5)."""
    marks = list(table.marks)
    names = {line.id: text(line.name, lang) for _, line in walk(fund.lines)}
    for note in fund.notes:
        if note.period is not None and period_label(note.period, lang) in table.columns:
            marks.append((-1, table.columns.index(period_label(note.period, lang)), note.mark))
        if note.line is not None:
            marks += [(index, 0, note.mark) for index, row in enumerate(table.rows)
                      if row.label == names.get(note.line)]
    return replace(table, marks=tuple(marks))


def sources_tables(budget: Budget, figs: Figures, lang: str) -> tuple[Table, Table]:
    """Table 13.4 in its two parts, as the fascicle prints it (review Z8): (1) the full regular budget under the
    regular budget's columns (appropriation and the change columns), (2) extrabudgetary resources under their own
    (estimates, one change column), closed by the total of both."""
    res = budget.resources
    regular = res.regular
    rows = _part(1, text(regular.component, lang), money_cells(figs, regular, f"{regular.id}.total"), lang)
    first = _marked(_money_table("table-sources", money_columns(regular, lang, label("component", lang)), rows),
                    regular, lang)
    xb = res.extrabudgetary
    rows = _part(2, text(xb.component, lang), _estimate_cells(figs, xb, f"{xb.id}.total"), lang)
    # The total of (1) and (2) adds rows of both parts: it names no rows of this part to add up.
    rows.append(Row(label("total", lang), _estimate_cells(figs, xb, "resources.total"), 0, "total", sums=()))
    previous, current, estimate = xb.periods
    columns = (label("component", lang), period_label(previous, lang), period_label(current, lang),
               label("change", lang), label("percent", lang), period_label(estimate, lang))
    second = Table("table-sources-2", "", columns, tuple(rows), changes=frozenset({3, 4}),
                   additive=frozenset({1, 2, 3, 5}), places=1)
    return first, _with_notes(second, regular, budget, figs, lang)


def _part(number_: int, component: str, cells: tuple[Cell, ...], lang: str) -> list[Row]:
    """The rows of part (1) or (2) of a table by source of funds: its heading, "Programme of work", the
    component's row and the part's subtotal."""
    key = "regular_budget" if number_ == 1 else "extrabudgetary_budget"
    return [Row(label(key, lang), (), 0, "heading"), Row(label("programme_of_work_row", lang), (), 0, "heading"),
            Row(component, cells, 1), Row(label("subtotal_n", lang, n=number_), cells, 0, "total", sums=(2,))]


def _estimate_cells(figs: Figures, fund: Fund, ref: str) -> tuple[Cell, ...]:
    """One row of an extrabudgetary table: previous, current, change, percentage and estimate."""
    previous, current, estimate = fund.periods
    base = ref.removesuffix(".total")
    return (figs.get((ref, previous)), figs.get((ref, current)), figs.get((f"{base}.change.total", estimate)),
            figs.get((f"{base}.change.percent", estimate)), figs.get((ref, estimate)))


def financial_posts_table(budget: Budget, figs: Figures, lang: str) -> Table:
    """Table 13.5: the full regular budget by main category of expenditure and its posts by category."""
    fund = budget.resources.regular
    rows = [Row(label("by_category", lang), (), 0, "heading")]
    first = len(rows)
    rows += [Row(text(line.name, lang), money_cells(figs, fund, f"{fund.id}.{line.id}"),
                 sources=money_sources("regular", fund, index, line)) for index, line in enumerate(fund.lines)]
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


def posts_sources_tables(budget: Budget, figs: Figures, lang: str) -> tuple[Table, Table]:
    """Table 13.7 in its two parts (review Z8): (1) regular budget posts, approved, the change columns and
    proposed; (2) extrabudgetary posts, estimated, one change column and estimated, closed by the total of both."""
    year = budget.section.year
    approved, proposed = period(year - 1, "approved"), period(year, "proposed")
    old, new = figs.get(("posts.rb.total", approved)), figs.get(("posts.rb.total", proposed))
    kinds = tuple(figs.get((f"posts.rb.change.{k}", proposed)) for k in CHANGE_KINDS)
    cells = (old, *kinds, _difference(old, new), new)
    rows = _part(1, text(budget.resources.regular.component, lang), cells, lang)
    columns = (label("component", lang), label("approved_posts", lang, y=year - 1),
               *(label(k, lang) for k in (*CHANGE_KINDS, "total")), label("proposed_posts", lang, y=year))
    first = Table("table-posts-sources", "", columns, tuple(rows), changes=frozenset(range(2, 6)),
                  additive=frozenset(range(1, 7)))
    before, after = period(year - 1, "estimate"), period(year, "estimate")
    old, new = figs.get(("posts.xb.total", before)), figs.get(("posts.xb.total", after))
    cells = (old, _difference(old, new), new)
    old_all, new_all = figs.get(("posts.all.total", approved)), figs.get(("posts.all.total", proposed))
    rows = _part(2, text(budget.resources.extrabudgetary.component, lang), cells, lang)
    # The total of (1) and (2) adds rows of both parts: it names no rows of this part to add up.
    rows.append(Row(label("total", lang), (old_all, _difference(old_all, new_all), new_all), 0, "total", sums=()))
    columns = (label("component", lang), period_label(before, lang), label("change", lang),
               period_label(after, lang))
    second = Table("table-posts-sources-2", "", columns, tuple(rows), changes=frozenset({2}),
                   additive=frozenset({1, 2, 3}))
    return first, second


def _difference(before: Cell, after: Cell) -> Cell:
    if isinstance(before, Decimal | int) and isinstance(after, Decimal | int):
        return after - before
    return None


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
    for c, category in enumerate(part.categories):
        rows.append(Row(f"{category.code}. {text(category.title, lang)}", (), 0, "heading"))
        for s, sub in enumerate(category.subcategories):
            extra = (subcategory_rate(sub, rate_year),) if rate_year is not None else ()
            rows.append(Row(f"{text(sub.title, lang)} ({text(sub.unit, lang)})",
                            (*(subtotal(sub, p) for p in part.periods), *extra), 0, "group"))
            if sub.lead:
                rows.append(Row(text(sub.lead, lang), (), 1, "heading"))
            for i, item in enumerate(sub.items):
                extra = (item_rate(item, rate_year),) if rate_year is not None else ()
                where = ("categories", c, "subcategories", s, "items", i, "quantities")
                rows.append(Row(f"{item.number}. {text(item.title, lang)}",
                                (*(item.quantities.get(p) for p in part.periods), *extra), 1,
                                sources=tuple(f"deliverables:{field_path((*where, p))}" if p in item.quantities
                                              else None for p in part.periods)))
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
    # A measure named as the table is titled ("Performance measure") leaves its stub empty, as the seed prints it
    # (review Z17): the label would only repeat the caption.
    rows = tuple(Row("" if text(m.name, lang) == text(pp.exhibit.title, lang) else text(m.name, lang),
                     tuple(text(m.texts.get(p), lang) or None for p in periods)) for m in pp.measures)
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
