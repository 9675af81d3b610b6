"""The web application (issue 9): a thin Django caller of the core (shared/design/WEB.md).

The core (model, checks, compute, document, edit, workflow) never imports Django; `budgets/service.py` is the
only module that writes a section, a revision, a transition or a comment.
"""
