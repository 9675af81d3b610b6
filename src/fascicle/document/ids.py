"""Names derived from data (ids, anchors, file names, addresses), safe wherever an output puts them."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from urllib.parse import quote

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_LONGEST = 40
UNDOCS = "https://undocs.org/"
RESERVED = ("contents",)
"""Ids the HTML page gives its own elements, which no heading or table may take."""


def slug(value: str) -> str:
    """`value` itself when it is already a safe name, else its safe characters and a short hash of the whole."""
    # Letters, digits, '.', '_' and '-' are safe in an HTML id, a URL fragment and a file name; a leading '.'
    # or '-' is not (hidden files, '..', options). Any value changed on the way carries a hash of the
    # original, so two different values never share a name and the same value always gets the same one.
    safe = _UNSAFE.sub("-", value).strip(".-")[:_LONGEST]
    if safe == value and value:
        return value
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:10]
    return f"{safe}-{digest}" if safe else f"id-{digest}"


class Unique:
    """Gives each name a safe slug that no earlier name of the same document has taken."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self.used = set(reserved)

    def __call__(self, value: str) -> str:
        """The slug of `value`, numbered when an earlier name already took it."""
        base = slug(value)
        name, counter = base, 2
        while name in self.used:
            name, counter = f"{base}-{counter}", counter + 1
        self.used.add(name)
        return name


def undocs_url(symbol: str, lang: str) -> str:
    """The address of a document on undocs.org; the symbol is percent-encoded, so it is only ever a path."""
    code = {"zh": "ch"}.get(lang, lang)
    return f"{UNDOCS}{quote(code, safe='')}/{quote(symbol, safe='/()')}"
