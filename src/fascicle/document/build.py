"""Build the document tree of a section in one language, in the seed's order and numbering."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import replace
from decimal import Decimal

from fascicle.checks.walk import texts
from fascicle.compute import posts as counts
from fascicle.compute.figures import Figures, figures
from fascicle.document import section_tables as st
from fascicle.document.ids import RESERVED, Unique, undocs_url
from fascicle.document.labels import label
from fascicle.document.numbers import number
from fascicle.document.table import Row, Table
from fascicle.document.tables import structure
from fascicle.document.texts import text
from fascicle.document.tree import (
    Block,
    Chart,
    Cover,
    Document,
    FigureBlock,
    Heading,
    OrgBox,
    Para,
    Signature,
    TableBlock,
)
from fascicle.model.base import field_path, period, split_period
from fascicle.model.budget import Budget
from fascicle.model.grades import display_grade
from fascicle.model.performance import Measure
from fascicle.model.structure import Unit
from fascicle.model.text import Paragraph, Text

RTL = frozenset({"ar"})


class Builder:
    """Builds one language's document; holds the budget, its figures and the section number."""

    def __init__(self, budget: Budget, lang: str, figs: Figures | None = None, sources: bool = False) -> None:
        self.budget, self.lang = budget, lang
        self.figs = figs if figs is not None else figures(budget)
        self.n = budget.section.number
        self.year = budget.section.year
        # By identity: the loaded budget's texts are distinct objects, and the builder holds the budget.
        self.sources = {id(value): f"{part}:{field_path(path)}" for part, path, value in texts(budget)} \
            if sources else {}

    def t(self, value: Text | None) -> str:
        """A text in the document's language, visibly marked when untranslated."""
        return text(value, self.lang)

    def para(self, paragraph: Paragraph) -> Para:
        """A model paragraph as a document paragraph."""
        fallback = None
        body = paragraph.text.get(self.lang)
        if body is None:
            fallback = next((lang for lang in ("en", "zh") if paragraph.text.get(lang)), "en")
            body = paragraph.text.get(fallback) or ""
        return Para(body, paragraph.number, tuple((i.label, self.t(i.text)) for i in paragraph.items),
                    tuple((f.mark, self.t(f.text)) for f in paragraph.footnotes),
                    tuple((link.symbol, undocs_url(link.symbol, self.lang)) for link in paragraph.links), fallback,
                    label("untranslated", self.lang) if fallback else "", self.sources.get(id(paragraph.text)))

    def paras(self, paragraphs: Iterable[Paragraph]) -> Iterator[Block]:
        """Several paragraphs."""
        for paragraph in paragraphs:
            yield self.para(paragraph)

    def heading(self, level: int, key_or_text: str, anchor: str, **values: object) -> Heading:
        """A heading from a label key (or a text already in the document's language)."""
        try:
            words = label(key_or_text, self.lang, **values)
        except KeyError:
            words = key_or_text
        return Heading(level, words, anchor)

    def table(self, table: Table, number: str | None, title_key: str, unit_key: str | None,
              **values: object) -> TableBlock:
        """A numbered table block."""
        title = label(title_key, self.lang, **values) if title_key else ""
        return TableBlock(table, number, title, label(unit_key, self.lang) if unit_key else None)

    def number_of(self, kind: str, ordinal: str) -> str:
        """"Table 13.4" / "表 13.4"; a figure's roman ordinal in Chinese numerals in Chinese ("图 13.四")."""
        if kind == "table":
            return label("table_title", self.lang, n=f"{self.n}.{ordinal}")
        return figure_number(f"{self.n}.{ordinal}", self.lang)


def build(budget: Budget, lang: str, figs: Figures | None = None, draft: bool = False,
          sources: bool = False) -> Document:
    """The whole fascicle in one language; with `sources`, each paragraph says where its text is in the data."""
    b = Builder(budget, lang, figs, sources)
    blocks = [*_foreword(b), *_part_a(b), *_part_b(b), *_annex_one(b), *_annex_two(b)]
    section = budget.section
    return Document(lang, "rtl" if lang in RTL else "ltr", section.symbol, b.t(section.title), b.t(section.name),
                    _anchored(blocks), draft, _cover(b))


MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"),
}


def written_date(day: dt.date, lang: str) -> str:
    """A date as the masthead of a UN document writes it: "20 April 2023", "2023 年 4 月 20 日"."""
    if lang == "zh":
        return f"{day.year} 年 {day.month} 月 {day.day} 日"
    if lang == "es":
        return f"{day.day} de {MONTHS['es'][day.month - 1]} de {day.year}"
    if lang == "ru":
        return f"{day.day} {MONTHS['ru'][day.month - 1]} {day.year} года"
    if lang in MONTHS:
        return f"{day.day} {MONTHS[lang][day.month - 1]} {day.year}"
    return day.isoformat()


def _cover(b: Builder) -> Cover | None:
    """The masthead and title lines of the first page, from section.yaml; None when it has no masthead."""
    section, lang = b.budget.section, b.lang
    masthead = section.masthead
    if masthead is None:
        return None
    left = [label("united_nations", lang), label("general_assembly", lang), b.t(masthead.session)]
    if masthead.agenda is not None:
        left.append(b.t(masthead.agenda))
    right = [section.symbol, label("distribution", lang)]
    if masthead.date is not None:
        right.append(written_date(masthead.date, lang))
    right.append(label("original", lang, l=label(f"language_{masthead.original}", lang)))
    lines = [label("budget_title", lang, y=section.year)]
    if section.part is not None:
        lines += [b.t(section.part.number), b.t(section.part.title)]
    lines += [label("section_title", lang, n=section.number), b.t(section.name)]
    return Cover(tuple(left), tuple(right), tuple(lines), masthead.job or None)


def _anchored(blocks: Iterable[Block]) -> tuple[Block, ...]:
    """The blocks with every heading's anchor made safe and unique (anchors carry numbers from the data)."""
    unique = Unique(RESERVED)
    return tuple(replace(block, anchor=unique(block.anchor)) if isinstance(block, Heading) else block
                 for block in blocks)


def _foreword(b: Builder) -> Iterator[Block]:
    plan = b.budget.plan
    yield b.heading(1, "foreword", "foreword")
    yield from b.paras(plan.foreword.paragraphs)
    name, signed = b.t(plan.foreword.signatory), label("signed", b.lang)
    if b.lang == "zh":
        yield Signature(f"{name}{signed}", b.t(plan.foreword.signatory_title))
    else:
        yield Signature(f"{signed} {name}", b.t(plan.foreword.signatory_title), name_first=True)


def _part_a(b: Builder) -> Iterator[Block]:
    plan, y = b.budget.plan, b.year
    yield b.heading(1, "part_a", "part-a", y=y, p=y - 2)
    yield b.heading(2, "overall_orientation", "orientation")
    yield b.heading(3, "mandates_background", "mandates-background")
    yield from b.paras(plan.mandates)
    yield b.heading(2, "programme_of_work", "programme-of-work")
    # Review E13: the number and the title on lines of their own, two headings as the UN's Word files have them.
    yield b.heading(3, label("subprogramme", b.lang, n=plan.programme.subprogramme), "subprogramme")
    yield b.heading(3, b.t(plan.programme.title), "subprogramme-title")
    yield b.heading(4, "objective", "objective")
    yield from b.paras(plan.objective)
    yield b.heading(4, "strategy", "strategy", y=y)
    for part in (plan.strategy, plan.expected_outcomes, plan.planning_assumptions, plan.cooperation,
                 plan.coordination, plan.gender, plan.disability):
        yield from b.paras(part)
    yield b.heading(4, "pandemic", "pandemic")
    yield from b.paras(plan.pandemic)
    yield b.heading(4, "evaluation", "evaluation")
    yield from b.paras((*plan.evaluations.completed, *plan.evaluations.use, *plan.evaluations.planned))
    yield from _performance(b)
    yield from _results(b)
    yield b.heading(2, "legislative_mandates", "legislative-mandates")
    yield b.para(b.budget.mandates.intro)
    yield TableBlock(st.mandates_table(b.budget, b.lang), None, "")
    yield b.heading(2, "deliverables", "deliverables")
    yield b.para(b.budget.deliverables.intro)
    periods = b.budget.deliverables.periods
    yield b.table(st.deliverables_table(b.budget, b.lang), b.number_of("table", "2"), "t_deliverables", None,
                  a=split_period(periods[0])[0], b=split_period(periods[-1])[0])


def _performance(b: Builder) -> Iterator[Block]:
    pp = b.budget.performance.performance
    yield b.heading(3, "performance", "performance", y=pp.year)
    yield b.heading(4, b.t(pp.title), "performance-highlight")
    yield from b.paras(pp.paragraphs)
    # The data's number as written ("13.1"), not re-assembled from pieces of it.
    yield TableBlock(st.measure_text_table(b.budget, b.lang), label("table_title", b.lang, n=pp.exhibit.number),
                     b.t(pp.exhibit.title))


def _results(b: Builder) -> Iterator[Block]:
    yield b.heading(3, "planned_results", "planned-results", y=b.year)
    for result in b.budget.performance.results:
        yield b.heading(4, f"{label('result', b.lang, n=result.number)}{b.t(result.title)}", f"result-{result.number}")
        for index, block in enumerate(result.blocks):
            yield b.heading(5, b.t(block.heading), f"result-{result.number}-{index + 1}")
            yield from b.paras(block.paragraphs)
        figure = _measure_figure(b, result.exhibit.number, b.t(result.exhibit.title), result.measures)
        yield figure
        if not figure.charts and not figure.data:
            # Never a bare caption (review Z1): the reader is told the data is not there.
            yield Para(label("figure_no_data", b.lang))


def _unit_unsaid(b: Builder, measure: Measure) -> bool:
    """Whether a measure has a unit its name does not already say."""
    return measure.unit is not None and b.t(measure.unit).casefold() not in b.t(measure.name).casefold()


def _measure_figure(b: Builder, number: str, title: str, measures: tuple[Measure, ...]) -> FigureBlock:
    drawn = [m for m in measures if m.values]
    periods = sorted({p for m in drawn for p in m.values})
    names = tuple(_period_name(p, b.lang) for p in periods)
    values = [tuple(m.values.get(p) for p in periods) for m in drawn]
    # Each panel names its unit under its title, and the data table's row carries it too (review E2, X3), unless
    # the title says it already ("Number of users …" in users).
    units = [label("unit_paren", b.lang, u=b.t(m.unit)) if _unit_unsaid(b, m) else None for m in drawn]
    charts = tuple(Chart(f"measures-{number}-{i}", "bars", b.t(m.name), names,
                         ((b.t(m.name), tuple(None if v is None else float(v) for v in row)),),
                         (unit,) if unit else (), _places(row))
                   for i, (m, row, unit) in enumerate(zip(drawn, values, units, strict=True)))
    series = tuple((label("with_unit", b.lang, t=b.t(m.name), u=b.t(m.unit)) if _unit_unsaid(b, m) else b.t(m.name),
                    row) for m, row in zip(drawn, values, strict=True))
    data = (st.figure_data(names, series, label("measure", b.lang), f"data-{number}"),) if series else ()
    note = _missing_target(b, drawn, names)
    if note and data:
        data = (replace(data[0], notes=(*data[0].notes, note)),)
    return FigureBlock(figure_number(number, b.lang), title, charts, data)


def _missing_target(b: Builder, measures: list[Measure], names: tuple[str, ...]) -> str | None:
    """The note under a measure figure that lacks the plan year's target (review Z2, MSR002): the periods the
    dataset holds, or the measures without the target when the others have it."""
    wanted = period(b.year, "target")
    missing = [m for m in measures if wanted not in m.values]
    if not missing:
        return None
    if len(missing) == len(measures):
        return label("figure_no_target", b.lang, p=label("list_sep", b.lang).join(names), y=b.year)
    return " ".join(label("figure_no_target_of", b.lang, m=b.t(m.name), y=b.year) for m in missing)


def ordinal(key: str, n: int, lang: str) -> str:
    """The n-th of a language's ordinals: annex numbers ("I", "一", "الأول"), letters ("A", "ألف") (review H4)."""
    return label(key, lang).split(" ")[n - 1]


def letter(latin: str, lang: str) -> str:
    """A chart's letter ("A") as the language writes it ("ألف" in Arabic); any other label as it is."""
    letters = label("letters", "en").split(" ")
    return ordinal("letters", letters.index(latin) + 1, lang) if latin in letters else latin


ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
CHINESE = "零一二三四五六七八九十"


def figure_number(number: str, lang: str) -> str:
    """"Figure 13.IV"; in Chinese UN documents "图 13.四", as the text's own cross-references write it."""
    section, _, ordinal = number.rpartition(".")
    if lang == "zh" and ordinal and set(ordinal) <= set(ROMAN):
        value = sum(-ROMAN[c] if i + 1 < len(ordinal) and ROMAN[ordinal[i + 1]] > ROMAN[c] else ROMAN[c]
                    for i, c in enumerate(ordinal))
        tens, units = divmod(value, 10)
        ordinal = (("" if tens == 1 else CHINESE[tens]) + "十" if tens else "") + (CHINESE[units] if units else "")
        number = f"{section}.{ordinal}"
    return label("figure_title", lang, n=number)


def _places(values: tuple[Decimal | None, ...]) -> int:
    """The decimals a series is written with: as many as its most precise figure."""
    exponents = [v.as_tuple().exponent for v in values if v is not None]
    return max((-e for e in exponents if isinstance(e, int) and e < 0), default=0)


def _period_name(p: str, lang: str) -> str:
    year, stage = split_period(p)
    key = {"actual": "year_actual", "target": "year_target"}.get(stage, "year_planned")
    return label(key, lang, y=year)


def _part_b(b: Builder) -> Iterator[Block]:
    narrative, budget, lang = b.budget.resources_narrative, b.budget, b.lang
    overview = list(narrative.overview)
    yield b.heading(1, b.t(narrative.title), "part-b")
    yield b.heading(2, "overview", "overview")
    yield from b.paras(overview[:1])
    yield b.table(st.grant_table(budget, b.figs, lang), b.number_of("table", "3"), "t_grant", "u_thousands_usd")
    yield from b.paras(overview[1:])
    regular, extrabudgetary = st.sources_tables(budget, b.figs, lang)
    yield b.table(regular, b.number_of("table", "4"), "t_sources", "u_thousands_chf")
    yield TableBlock(extrabudgetary, None, "", continues=b.number_of("table", "4"))
    yield b.table(st.financial_posts_table(budget, b.figs, lang), b.number_of("table", "5"), "t_financial_posts",
                  "u_chf_posts")
    changes = b.table(st.post_changes_table(budget, b.figs, lang), b.number_of("table", "6"), "t_post_changes",
                      "u_posts", y=b.year)
    # The abbreviations are a note under the first table that uses them (ASG, GS (OL)), as the seed prints it.
    note = label("note_prefix", lang) + b.t(narrative.abbreviations.text)
    yield replace(changes, table=replace(changes.table, notes=(*changes.table.notes, note)))
    regular, extrabudgetary = st.posts_sources_tables(budget, b.figs, lang)
    yield b.table(regular, b.number_of("table", "7"), "t_posts_sources", "u_posts", y=b.year)
    yield TableBlock(extrabudgetary, None, "", continues=b.number_of("table", "7"))
    yield _distribution(b)
    yield b.heading(2, "extrabudgetary", "extrabudgetary")
    yield from b.paras(narrative.extrabudgetary)
    yield b.heading(2, "other_information", "other-information")
    yield from b.paras(narrative.other)
    yield b.table(st.compliance_table(budget, lang), b.number_of("table", "8"), "t_compliance", "u_percent")


def _distribution(b: Builder) -> FigureBlock:
    """Figure 13.IV: posts by grade, post and non-post resources, non-post resources by object.

    Each panel's title is followed by its unit and its total, a line each (review T7); the
    tables under the figure list the bars in the order the panels draw them, top to bottom (review Z19)."""
    proposed = period(b.year, "proposed")
    grades = counts.by_grade(counts.select(b.budget.posts, proposed, "rb"))
    grade_names = tuple(display_grade(g) for g in grades)
    fund = b.budget.resources.regular
    split = tuple(b.t(line.name) for line in fund.lines)
    split_values = tuple(b.figs.get((f"regular.{line.id}", proposed)) for line in fund.lines)
    objects = [line for top in fund.lines for line in top.lines]
    object_names = tuple(b.t(line.name) for line in objects)
    object_values = tuple(b.figs.get((f"regular.{line.id}", proposed)) for line in objects)
    total_posts = b.figs.get(("posts.rb.total", proposed))
    total = b.figs.get(("regular.total", proposed))
    non_post = b.figs.get(("regular.non_post", proposed))
    chf = label("in_thousands_chf", b.lang)
    charts = (
        Chart("distribution-posts", "hbars", label("posts_distribution", b.lang), grade_names,
              (("", tuple(float(n) for n in grades.values())),), (label("n_posts", b.lang, n=total_posts),)),
        Chart("distribution-money", "hbars", label("financial_distribution", b.lang), split,
              (("", tuple(float(v or 0) for v in split_values)),),
              (chf, label("total_n", b.lang, n=_money(total, b.lang))), 1),
        Chart("distribution-objects", "hbars", label("non_post_distribution", b.lang), object_names,
              (("", tuple(float(v or 0) for v in object_values)),),
              (chf, label("total_n", b.lang, n=_money(non_post, b.lang))), 1),
    )
    posts_rows = tuple(Row(name, (n,)) for name, n in zip(grade_names, grades.values(), strict=True))
    posts_table = Table("data-distribution-posts", "", (label("grade", b.lang), label("posts_distribution", b.lang)),
                        (*posts_rows, Row(label("total", b.lang), (_int(total_posts),), 0, "total")),
                        additive=frozenset({1}))
    # Each main line, then its objects: the second panel's bars, each followed by the third panel's that it holds.
    money_rows: list[Row] = []
    for line, name, value in zip(fund.lines, split, split_values, strict=True):
        money_rows.append(Row(name, (value,)))
        money_rows += [Row(b.t(sub.name), (b.figs.get((f"regular.{sub.id}", proposed)),), 1) for sub in line.lines]
    tops = tuple(i for i, row in enumerate(money_rows) if row.level == 0)
    money_table = Table("data-distribution-money", "", (label("line", b.lang), label("financial_distribution", b.lang)),
                        (*money_rows, Row(label("total", b.lang), (total,), 0, "total", sums=tops)),
                        additive=frozenset({1}), places=1)
    return FigureBlock(b.number_of("figure", "IV"), label("t_distribution", b.lang, y=b.year), charts,
                       (posts_table, money_table), label("u_posts_chf", b.lang))


def _int(value: Decimal | None) -> int | None:
    return None if value is None else int(value)


def _money(value: Decimal | None, lang: str) -> str:
    return number(value, lang, 1)


def _annex_one(b: Builder) -> Iterator[Block]:
    structure_part = b.budget.structure
    yield b.heading(1, label("annex", b.lang, n=ordinal("annex_numbers", 1, b.lang)), "annex-1")
    yield b.heading(2, b.t(structure_part.title), "annex-1-title")
    yield from b.paras(structure_part.intro)
    yield b.heading(3, b.t(structure_part.rationale_heading), "annex-1-rationale")
    yield from b.paras(structure_part.rationale)
    for chart in structure_part.charts:
        yield b.heading(3, label("lettered", b.lang, l=letter(chart.label, b.lang), t=b.t(chart.title)),
                        f"annex-1-{chart.label}")
        # The chart draws the hierarchy with each unit's posts; the table after it says the same in rows, for a
        # reader who cannot see the chart and for the workbook.
        yield FigureBlock(None, "", (org_chart(b.budget, b.lang, chart.year, b.t(chart.title)),),
                          (structure(b.budget, b.lang, chart.year),))
        yield from b.paras(chart.notes)
    yield Para(b.t(structure_part.abbreviations))


def org_chart(budget: Budget, lang: str, year: int, title: str) -> Chart:
    """The organization chart of a year (Annex I): the top units, each unit's box under the unit it reports to,
    every box listing its posts by source of funds and grade and their total, as a UN Annex I chart does."""
    units = [unit for unit in budget.structure.units if year in unit.years]
    ids = {unit.id for unit in units}
    entries = counts.year_entries(budget.posts, year)
    sep = label("list_sep", lang)
    placed: set[str] = set()

    def box(unit: Unit) -> OrgBox:
        placed.add(unit.id)
        lines = []
        for source in ("rb", "xb"):
            grades = counts.by_grade(e for e in entries if e.unit == unit.id and e.source == source)
            if grades:
                # A count and its grade stay on one line of the box: "3 P-5", "7 GS (OL)".
                listed = sep.join(label("org_grade", lang, n=number(n, lang), g=g).replace(" ", "\u00a0")
                                  for g, n in grades.items())
                lines.append(label("org_posts", lang, s=label(f"org_{source}", lang), g=listed))
        total = counts.total(e for e in entries if e.unit == unit.id)
        lines.append(label("total_n", lang, n=number(total, lang)))
        below = [child for child in units if child.reports_to == unit.id and child.id not in placed]
        return OrgBox(text(unit.name, lang), tuple(lines), tuple(box(child) for child in below))

    roots = [box(unit) for unit in units if unit.reports_to not in ids]
    # Units in a loop (STR003, an error) have no top; they are drawn as tops rather than left out.
    roots += [box(unit) for unit in units if unit.id not in placed]
    return Chart(f"org-{year}", "org", title, tuple(text(unit.name, lang) for unit in units), (), (), 0,
                 tuple(roots))


def _annex_two(b: Builder) -> Iterator[Block]:
    yield b.heading(1, label("annex", b.lang, n=ordinal("annex_numbers", 2, b.lang)), "annex-2")
    yield b.heading(2, b.t(b.budget.oversight.title), "annex-2-title")
    yield TableBlock(st.oversight_table(b.budget, b.lang), None, "")

