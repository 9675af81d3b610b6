"""Where each translation stands: missing, current or outdated, by the hash of the source text it was made from.

A translation records the hash of the source text it translates (shared/design/WEB.md: by hash, never by
timestamps, which clocks and imports get wrong). When the source text changes, its hash no longer matches and the
translation is outdated until a translator confirms or redoes it. Pure: the web stores the recorded hashes.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from fascicle.checks.walk import texts
from fascicle.model.base import field_path
from fascicle.model.budget import Budget
from fascicle.source.yaml_tree import Path

Status = Literal["missing", "outdated", "unconfirmed", "current"]
ORDER: dict[Status, int] = {"outdated": 0, "missing": 1, "unconfirmed": 2, "current": 3}
"""The order a translator works in: what changed under an existing translation first."""


def source_hash(text: str) -> str:
    """The hash of a source text: its words, whatever their Unicode form and surrounding spaces."""
    return hashlib.sha256(unicodedata.normalize("NFC", text.strip()).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One text of the section in one target language, with its source and its status."""

    part: str
    path: Path
    language: str
    source: str
    translation: str | None
    status: Status

    @property
    def field(self) -> str:
        """The field path as the loader's messages print it."""
        return field_path(self.path)


def status(source: str, translation: str | None, recorded: str | None) -> Status:
    """Where one translation stands: none yet; made from another version of the source; never confirmed against
    a source (imported with the data); or made from this source."""
    if not translation:
        return "missing"
    if recorded is None:
        return "unconfirmed"
    return "current" if recorded == source_hash(source) else "outdated"


def entries(budget: Budget, source: str, languages: Iterable[str],
            recorded: Mapping[tuple[str, str, str], str]) -> list[Entry]:
    """Every text of the section in each target language, outdated first, then missing, unconfirmed and current,
    each group in document order. `recorded` maps (part, field path, language) to the source hash a translation
    was confirmed against."""
    found: list[Entry] = []
    for part, path, text in texts(budget):
        original = text.get(source)
        if not original:
            continue
        for language in languages:
            if language == source:
                continue
            said = text.get(language)
            found.append(Entry(part, path, language, original, said,
                               status(original, said, recorded.get((part, field_path(path), language)))))
    return sorted(found, key=lambda entry: ORDER[entry.status])


def progress(found: Iterable[Entry]) -> dict[str, dict[Status, int]]:
    """How many texts of each status per language: the dashboard's translation progress."""
    counts: dict[str, dict[Status, int]] = {}
    for entry in found:
        per = counts.setdefault(entry.language, dict.fromkeys(ORDER, 0))
        per[entry.status] += 1
    return counts
