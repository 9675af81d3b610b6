"""Values computed from one part of a budget, remembered per part object.

A part is frozen, and an edit of a section reloads the same objects for the parts it does not touch (source.load
keeps them in memory), so what is computed of a part alone (its texts, its figures) is computed again only for the
part an edit changed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

V = TypeVar("V")


class Recent(Generic[V]):
    """The values used most recently in this process, by key, up to a total size (a count, when each value is
    put with the default size 1); safe across threads."""

    def __init__(self, limit: int) -> None:
        self.limit, self.size = limit, 0
        self._values: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        """The value kept under `key`, or None."""
        with self._lock:
            found = self._values.get(key)
            if found is None:
                return None
            self._values.move_to_end(key)
            return found[0]

    def put(self, key: Hashable, value: V, size: int = 1) -> V:
        """Keep a value of `size` (in any unit the limit is in), forgetting the least recent beyond the limit;
        return it."""
        with self._lock:
            old = self._values.pop(key, None)
            self.size -= old[1] if old else 0
            self._values[key] = (value, size)
            self.size += size
            while self.size > self.limit and len(self._values) > 1:
                _, (_, dropped) = self._values.popitem(last=False)
                self.size -= dropped
        return value

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._values.clear()
            self.size = 0


class PartMemo:
    """Values computed from a part, remembered by the part object itself (its identity, never its equality, which
    would compare the whole part): each entry holds the part, so its id cannot be reused while remembered. The
    most recent `size` parts are kept (Recent); safe across threads."""

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
