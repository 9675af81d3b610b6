"""The workflow table of WEB.md, row by row, and the moves between states."""

from __future__ import annotations

import itertools

import pytest

from fascicle.workflow import ACTIONS, ROLES, STATES, Actor, WorkflowError, allowed, move

# The table of WEB.md written out again here, as who may, so that a change of fascicle.workflow must change this.
EDIT_STATES = {"draft", "returned"}


def expected(role: str, action: str, state: str, same_unit: bool, own_language: bool, submitter: bool) -> bool:
    staff = role in ("officer", "reviewer", "translator") or (role == "manager" and same_unit)
    return {
        "view_published": True,
        "manage": role == "admin",
        "view_draft": staff,
        "comment": staff,
        "edit": state in EDIT_STATES and (role == "officer" or (role == "manager" and same_unit)),
        "translate": role == "translator" and own_language and state != "approved",
        "submit": role == "officer" and state in EDIT_STATES,
        "start_review": role == "reviewer" and state == "submitted",
        "return": role == "reviewer" and state in ("submitted", "under_review"),
        "approve": role == "reviewer" and state in ("submitted", "under_review") and not submitter,
        "reopen": role == "reviewer" and state == "approved",
        "publish": role in ("officer", "reviewer") and state == "approved",
    }[action]


@pytest.mark.parametrize(("role", "action", "state"), list(itertools.product(ROLES, ACTIONS, STATES)))
def test_every_row_of_the_table(role: str, action: str, state: str) -> None:
    for same_unit, own_language, submitter in itertools.product((False, True), repeat=3):
        actor = Actor(role, same_unit=same_unit, own_language=own_language, is_submitter=submitter)  # type: ignore[arg-type]
        assert allowed(actor, action, state) == expected(role, action, state, same_unit, own_language, submitter), (  # type: ignore[arg-type]
            role, action, state, same_unit, own_language, submitter)


def test_a_section_goes_from_draft_to_approved_and_back() -> None:
    officer, reviewer = Actor("officer"), Actor("reviewer")
    state = move(officer, "submit", "draft")
    state = move(reviewer, "start_review", state)
    state = move(reviewer, "return", state, "Table 13.3 does not add up")
    assert state == "returned"
    state = move(reviewer, "approve", move(reviewer, "start_review", move(officer, "submit", state)))
    assert state == "approved"
    assert move(reviewer, "reopen", state, "a corrigendum") == "draft"


@pytest.mark.parametrize(("action", "state"), [("return", "submitted"), ("reopen", "approved")])
def test_a_return_needs_a_comment_and_a_reopening_a_reason(action: str, state: str) -> None:
    with pytest.raises(WorkflowError, match="needs a"):
        move(Actor("reviewer"), action, state, "  ")  # type: ignore[arg-type]


def test_nobody_approves_their_own_submission() -> None:
    with pytest.raises(WorkflowError, match="may not approve"):
        move(Actor("reviewer", is_submitter=True), "approve", "submitted")


def test_an_action_that_does_not_move_is_refused_as_a_move() -> None:
    with pytest.raises(WorkflowError, match="does not move"):
        move(Actor("officer"), "edit", "draft")
