"""The interface in the six UN languages: words from labels.yaml (one file, no compiled catalogue to ship), the
language from a cookie the switcher sets, Arabic right to left."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Any

import yaml
from django.http import HttpRequest

LANGUAGES = ("zh", "en", "fr", "es", "ru", "ar")
NAMES = {"zh": "中文", "en": "English", "fr": "Français", "es": "Español", "ru": "Русский", "ar": "العربية"}
RIGHT_TO_LEFT = frozenset({"ar"})
COOKIE = "fascicle_lang"


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, str]]:
    """Every interface label: key → language → text."""
    text = files("fascicle.web.front").joinpath("labels.yaml").read_text(encoding="utf-8")
    loaded: dict[str, dict[str, str]] = yaml.safe_load(text)
    return loaded


def label(key: str, lang: str) -> str:
    """The label in `lang` (English when the language lacks it; the key itself when no label has it)."""
    found = labels().get(key)
    if found is None:
        return key
    return found.get(lang) or found.get("en") or key


def language(request: HttpRequest) -> str:
    """The interface language: the switcher's cookie, else English."""
    chosen = request.COOKIES.get(COOKIE, "")
    return chosen if chosen in LANGUAGES else "en"


def interface(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the interface language, its direction and the switcher's choices."""
    lang = language(request)

    def may_manage() -> bool:  # asked only by a page that shows the link (the template calls it)
        from fascicle.web.budgets.service import may_manage as ask

        return ask(request.user, getattr(request, "fascicle_roles", None))

    return {"ui_lang": lang, "ui_dir": "rtl" if lang in RIGHT_TO_LEFT else "ltr",
            "ui_languages": [(code, NAMES[code]) for code in LANGUAGES], "may_manage": may_manage}
