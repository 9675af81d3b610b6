"""Edits as pure core operations on a section's part texts: compare-and-set at a field path, validate, dump
canonically, load and check the whole budget; all edits or none. No Django, database or renderer here."""

from fascicle.edit.core import Applied, Conflict, Edit, EditError, apply, canonical, value_at
from fascicle.edit.operations import (
    add_deliverable,
    add_measure_value,
    move_posts,
    rename_unit,
    set_deliverable_quantity,
    set_line_value,
    set_measure_value,
    set_post_count,
    set_text,
    set_value,
)
from fascicle.source.load import Loaded, load_texts, read_texts

__all__ = [
    "Applied", "Conflict", "Edit", "EditError", "Loaded", "add_deliverable", "add_measure_value", "apply",
    "canonical", "load_texts", "move_posts", "read_texts", "rename_unit", "set_deliverable_quantity",
    "set_line_value", "set_measure_value", "set_post_count", "set_text", "set_value", "value_at",
]
