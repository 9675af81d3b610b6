"""`{% t "key" name=value %}`: an interface label in the page's language, its fields filled with escaped values."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from fascicle.web.front.i18n import label

register = template.Library()


@register.simple_tag(takes_context=True)
def t(context: Any, key: str, **fields: Any) -> SafeString:
    text = conditional_escape(label(str(key), context.get("ui_lang", "en")))
    return format_html(text, **fields) if fields else text


@register.filter
def num(value: Any, lang: str = "en") -> str:
    """A figure as the UN prints it in `lang` (fascicle.document.numbers); anything else as it is."""
    from decimal import Decimal, InvalidOperation

    from fascicle.document.numbers import number

    if value is None or value == "":
        return ""
    try:
        return number(Decimal(str(value)), lang)
    except (InvalidOperation, ValueError):
        return str(value)


@register.filter
def dom_id(value: Any) -> str:
    """An element id for any text (part:path): every character that is not a letter or digit as a dash, and each
    such character's code point after it, so that two paths never share an id."""
    return "t-" + "".join(c if c.isalnum() else f"-{ord(c):x}-" for c in str(value))
