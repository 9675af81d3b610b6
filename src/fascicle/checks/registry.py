"""All checks in one tuple, the runner that turns a crashing check into a finding, and the catalogue."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from fascicle.checks import charts, posts, printed, programme, resources, text
from fascicle.checks.acknowledged import STALE, acknowledge
from fascicle.checks.finding import Check, CheckInfo, Finding, Location, info
from fascicle.compute.figures import Figures, figures
from fascicle.model.budget import Budget

CHECKS: tuple[Check, ...] = (
    printed.check_printed_present,
    printed.check_printed_known,
    printed.check_printed_resources,
    printed.check_printed_posts,
    printed.check_printed_deliverables,
    printed.check_printed_measures,
    resources.check_line_ids,
    resources.check_line_sums,
    resources.check_change_columns,
    resources.check_shares,
    resources.check_conversion,
    resources.check_fund_columns,
    resources.check_incomplete_lines,
    resources.check_line_periods,
    resources.check_negative_figures,
    resources.check_note_marks,
    posts.check_post_units,
    posts.check_post_duplicates,
    posts.check_post_changes,
    posts.check_post_change_units,
    posts.check_lineage,
    posts.check_unit_ids,
    charts.check_reports_to,
    programme.check_deliverable_periods,
    programme.check_deliverable_numbers,
    programme.check_future_actuals,
    programme.check_unique_ids,
    programme.check_rates,
    programme.check_targets,
    programme.check_figure_data,
    programme.check_mandates,
    text.check_translations,
    text.check_restated_text,
    text.check_footnotes,
    text.check_paragraph_numbers,
    text.check_note_figures,
    text.check_han_digit_spacing,
)

CRASH = CheckInfo("CHK000", "error", "A check failed to run; its rule was not applied.")


def run_checks(budget: Budget, figs: Figures | None = None,
               checks: Iterable[Check] = CHECKS) -> list[Finding]:
    """Run every check and mark the acknowledged findings; a check that raises becomes a CHK000 finding instead
    of stopping the others."""
    figs = figures(budget) if figs is None else figs
    return acknowledge(budget, guarded((info(f).code, partial(f, budget, figs)) for f in checks))


def guarded(runs: Iterable[tuple[str, Callable[[], Iterable[Finding]]]]) -> list[Finding]:
    """The findings of each (code, run) in turn; a run that raises is a CHK000 finding naming its code."""
    found: list[Finding] = []
    for code, run in runs:
        try:
            found.extend(run())
        except Exception as error:  # noqa: BLE001 - one broken rule must not hide the others
            found.append(Finding(CRASH.code, CRASH.severity, f"{code} crashed: {error!r}", (Location("section"),)))
    return found


def catalogue() -> list[CheckInfo]:
    """Code, severity and title of every check, in the order they run."""
    return [CRASH, *(info(function) for function in CHECKS), STALE]
