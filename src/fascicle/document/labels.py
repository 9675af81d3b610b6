"""Labels of the document and its tables in each language, read from labels.yaml."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml


@cache
def labels() -> dict[str, dict[str, str]]:
    """Every label by key and language."""
    text = (resources.files("fascicle.document") / "labels.yaml").read_text(encoding="utf-8")
    # libyaml's safe loader when it is there: the same result, ten times faster on every command.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loaded: dict[str, dict[str, str]] = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    return loaded


def label(key: str, lang: str, **values: object) -> str:
    """A label in a language; a language without one shows the English label, visibly marked."""
    entry = labels()[key]
    text = entry.get(lang)
    if text is None:
        return f"[{lang}?] " + entry["en"].format(**values)
    return text.format(**values)


def period_label(period: str, lang: str, money: bool = True) -> str:
    """The column heading of a period: "2024 estimate (before recosting)", or "2022 actual" outside money."""
    year, stage = period.split(" ")
    key = "actual_plain" if stage == "actual" and not money else stage
    return label(key, lang, y=year)
