"""Values computed from one part of a budget, remembered per part object.

A part is frozen, and an edit of a section reloads the same objects for the parts it does not touch (source.load
keeps them in memory), so what is computed of a part alone (its texts, its figures) is computed again only for the
part an edit changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fascicle.source.cache import Recent

V = TypeVar("V")


class PartMemo:
    """Values computed from a part, remembered by the part object itself (its identity, never its equality, which
    would compare the whole part): each entry holds the part, so its id cannot be reused while remembered. The
    most recent `size` parts are kept (source.cache.Recent); safe across threads."""

    def __init__(self, size: int = 512) -> None:
        self._found: Recent[tuple[Any, Any]] = Recent(size)

    def get(self, part: Any, kind: str, compute: Callable[[Any], V]) -> V:
        """compute(part), remembered under (part, kind)."""
        key = (id(part), kind)
        found = self._found.get(key)
        if found is not None and found[0] is part:
            remembered: V = found[1]
            return remembered
        value = compute(part)
        self._found.put(key, (part, value))
        return value

    def clear(self) -> None:
        """Forget every value."""
        self._found.clear()


MEMO = PartMemo()
"""The memo of per-part values of the checks and the figures (walks, what the text checks read, figures)."""
