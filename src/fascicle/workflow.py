"""The workflow of a section and who may do what: the specification that the web application's views, its API and
its tests all read (shared/design/WEB.md, "Workflow and roles"). Pure: no Django, no database.

A section moves draft → submitted → under review → approved. A reviewer may return it (with a comment) from
submitted or under review; a returned section is edited and submitted again. An approved section is locked; a
reviewer may reopen it (with a reason), which makes it a draft again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

State = Literal["draft", "submitted", "under_review", "approved", "returned"]
Role = Literal["officer", "manager", "reviewer", "translator", "reader", "admin"]
Action = Literal["view_draft", "view_published", "edit", "translate", "comment", "submit", "start_review", "return",
                 "approve", "reopen", "publish", "manage"]

STATES: tuple[State, ...] = get_args(State)
ROLES: tuple[Role, ...] = get_args(Role)
ACTIONS: tuple[Action, ...] = get_args(Action)

EDITABLE: frozenset[State] = frozenset({"draft", "returned"})
"""The states in which figures and the source narrative may change."""
LOCKED: frozenset[State] = frozenset({"approved"})
"""The states in which nothing may change: not even a translation."""

MOVES: dict[Action, tuple[frozenset[State], State]] = {
    "submit": (frozenset({"draft", "returned"}), "submitted"),
    "start_review": (frozenset({"submitted"}), "under_review"),
    "return": (frozenset({"submitted", "under_review"}), "returned"),
    "approve": (frozenset({"submitted", "under_review"}), "approved"),
    "reopen": (frozenset({"approved"}), "draft"),
}
"""The actions that move a section: the states they start from and the state they lead to."""

NEEDS_TEXT: dict[Action, str] = {"return": "comment", "reopen": "reason"}
"""The moves that must say why, and what the text is called."""


@dataclass(frozen=True)
class Actor:
    """Who acts, relative to the section and the part of it at hand: their role, whether the unit concerned is
    theirs (a manager's), whether the language concerned is theirs (a translator's), and whether they submitted
    the revision at hand."""

    role: Role
    same_unit: bool = False
    own_language: bool = False
    is_submitter: bool = False


def allowed(actor: Actor, action: Action, state: State) -> bool:
    """Whether `actor` may take `action` on a section in `state` (the table of WEB.md)."""
    role = actor.role
    if action == "view_published":
        return True
    if action == "manage":
        return role == "admin"
    if action == "view_draft":
        return role in ("officer", "reviewer", "translator") or (role == "manager" and actor.same_unit)
    if action == "edit":
        return state in EDITABLE and (role == "officer" or (role == "manager" and actor.same_unit))
    if action == "translate":
        return state not in LOCKED and role == "translator" and actor.own_language
    if action == "comment":
        return role in ("officer", "reviewer", "translator") or (role == "manager" and actor.same_unit)
    if action == "submit":
        return role == "officer" and state in MOVES["submit"][0]
    if action in ("start_review", "return", "reopen"):
        return role == "reviewer" and state in MOVES[action][0]
    if action == "approve":
        # Nobody approves their own submission.
        return role == "reviewer" and state in MOVES["approve"][0] and not actor.is_submitter
    if action == "publish":
        return role in ("officer", "reviewer") and state == "approved"
    raise ValueError(f"unknown action {action!r}")


class WorkflowError(ValueError):
    """A move the table does not allow, or one without the text it needs."""


def move(actor: Actor, action: Action, state: State, text: str = "") -> State:
    """The state after `actor` takes the moving `action` from `state`; WorkflowError when not allowed, or when a
    return has no comment or a reopening no reason."""
    if action not in MOVES:
        raise WorkflowError(f"{action} does not move a section")
    if not allowed(actor, action, state):
        raise WorkflowError(f"a {actor.role} may not {action.replace('_', ' ')} a section that is "
                            f"{state.replace('_', ' ')}")
    if action in NEEDS_TEXT and not text.strip():
        raise WorkflowError(f"{action.replace('_', ' ')} needs a {NEEDS_TEXT[action]}")
    return MOVES[action][1]
