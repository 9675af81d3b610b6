"""Model texts in the document's language."""

from __future__ import annotations

from fascicle.document.labels import label
from fascicle.model.text import Text


def text(value: Text | None, lang: str) -> str:
    """A text in a language, or a visible marker when it has no translation."""
    if value is None:
        return ""
    found = value.get(lang)
    return found if found else f"{label('missing', lang)} {value.get('en') or value.get('zh') or ''}".strip()
