"""An imported section's organization chart (`model.general.OrgChart`) as the document tree draws one.

The boxes hang under their parents as `tree.OrgBox`es, each listing its posts by source of funds and grade, in
the order the box prints them, and their total, so that `render.charts` draws the hierarchy as it draws the
seed's Annex I (issue 8). Nothing here knows how the chart is drawn.
"""

from __future__ import annotations

from fascicle.document.labels import label
from fascicle.document.numbers import number
from fascicle.document.texts import text
from fascicle.document.tree import Chart, OrgBox
from fascicle.model.general import Box, OrgChart

SUPERSCRIPT = str.maketrans("abcdefghijklmnoprstuvwxyz0123456789,*",
                            "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ⁰¹²³⁴⁵⁶⁷⁸⁹˒*")
"""Note marks as the chart prints them, raised after the grade ("1 D-1ᵃ"): a drawing has no superscript runs."""


def box_lines(box: Box, lang: str) -> tuple[str, ...]:
    """A box's lines: one per source of funds as printed ("RB: 1 D-1, 2 P-5"), then the total of its posts."""
    sep = label("list_sep", lang)
    # The model keeps a box's marks by grade only; they are printed on the first source that has the grade.
    marked: set[str] = set()
    lines = []
    for source, grades in box.posts.items():
        listed = []
        for grade, count in grades.items():
            marks = box.marks.get(grade, ()) if grade not in marked else ()
            marked.add(grade)
            raised = ",".join(marks).lower().translate(SUPERSCRIPT)
            # A count and its grade stay on one line of the box: "3 P-5", "7 GS (OL)".
            listed.append(label("org_grade", lang, n=number(count, lang), g=grade).replace(" ", "\u00a0") + raised)
        if listed:
            lines.append(label("org_posts", lang, s=source, g=sep.join(listed)))
    # The total is the sum of the posts the box lists, as every derived figure is computed; a box whose posts
    # were not read keeps the total it printed.
    posts = [count for grades in box.posts.values() for count in grades.values()]
    total = sum(posts) if posts else box.total
    if total is not None:
        lines.append(label("total_n", lang, n=number(total, lang)))
    return tuple(lines)


def tops(chart: OrgChart) -> list[Box]:
    """The top boxes: those with no parent, or a parent that is not a box of the chart."""
    known = {box.id for box in chart.boxes}
    return [box for box in chart.boxes if box.parent not in known]


def org_tree(chart: OrgChart, lang: str) -> tuple[OrgBox, ...]:
    """The chart's top boxes, each with the boxes under it, children in the order the chart lists them."""
    children: dict[str, list[Box]] = {}
    for box in chart.boxes:
        if box.parent is not None:
            children.setdefault(box.parent, []).append(box)
    placed: set[str] = set()

    def tree(box: Box) -> OrgBox:
        placed.add(box.id)
        below = [child for child in children.get(box.id, []) if child.id not in placed]
        return OrgBox(text(box.title, lang), box_lines(box, lang), tuple(tree(child) for child in below))

    roots = [tree(box) for box in tops(chart)]
    # Boxes in a loop of parents have no top: they are drawn as tops rather than left out.
    roots += [tree(box) for box in chart.boxes if box.id not in placed]
    return tuple(roots)


def org_chart(chart: OrgChart, lang: str, chart_id: str, title: str) -> Chart:
    """The tree's chart of an organization chart: its boxes as a hierarchy under its title."""
    names = tuple(text(box.title, lang) for box in chart.boxes)
    return Chart(chart_id, "org", title, names, (), org=org_tree(chart, lang))


def described(chart: Chart, lang: str) -> str:
    """A text alternative for the drawn chart: its title, then each unit that others report to, with them."""
    sep = label("list_sep", lang)
    parts = [chart.title] if chart.title else []
    for box in (box for top in chart.org for box in top.walk()):
        if box.children:
            parts.append(label("org_posts", lang, s=box.name, g=sep.join(child.name for child in box.children)))
        elif box in chart.org:
            parts.append(box.name)
    return ". ".join(parts)
