"""Values computed from one part of a budget, remembered per part object.

A part is frozen, and an edit of a section reloads the same objects for the parts it does not touch (source.load
keeps them in memory), so what is computed of a part alone (its texts, its figures) is computed again only for the
part an edit changed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

V = TypeVar("V")


class PartMemo:
    """Values computed from a part, remembered by the part object itself (its identity, never its equality, which
    would compare the whole part): each entry holds the part, so its id cannot be reused while remembered. The
    most recent `size` parts are kept; safe across threads."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._found: OrderedDict[tuple[int, str], tuple[Any, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, part: Any, kind: str, compute: Callable[[Any], V]) -> V:
        """compute(part), remembered under (part, kind)."""
        key = (id(part), kind)
        with self._lock:
            found = self._found.get(key)
            if found is not None and found[0] is part:
                self._found.move_to_end(key)
                remembered: V = found[1]
                return remembered
        value = compute(part)
        with self._lock:
            self._found[key] = (part, value)
            self._found.move_to_end(key)
            while len(self._found) > self.size:
                self._found.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._found.clear()


MEMO = PartMemo()
"""The memo of per-part values of the checks and the figures (walks, what the text checks read, figures)."""
