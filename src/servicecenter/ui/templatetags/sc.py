"""Template filters for Swedish number formats: ``{{ x|number }}``, ``{{ share|percent:1 }}``, ``{{ amount|sek }}``."""

import base64
import re
from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from servicecenter.core.followup import in_thousands
from servicecenter.core.money import decimal_of, format_number, format_sek

register = template.Library()


def _english() -> bool:
    return (get_language() or "sv").startswith("en")


def _localise(text: str) -> str:
    if _english():
        # English: 1,620.2 (swap the Swedish decimal comma and thin-space grouping)
        return text.replace(",", ".").replace("\u202f", ",").replace("\u2212", "-")
    return text


@register.filter
def number(value, decimals=0):
    if value is None or value == "":
        return "–"
    return _localise(format_number(decimal_of(value), int(decimals)))


@register.filter
def percent(value, decimals=1):
    """A share (0.634) as a percentage (``63,4 %``)."""
    if value is None or value == "":
        return "–"
    return _localise(format_number(decimal_of(value) * 100, int(decimals))) + "\u00a0%"


@register.filter
def sek(value, decimals=2):
    if value is None or value == "":
        return "–"
    return _localise(format_sek(decimal_of(value), int(decimals)))


@register.filter
def tkr(value, sign=""):
    """Kronor as whole thousands (tkr), rounded as an annual report rounds; ``"-"`` shows the negation."""
    if value is None or value == "":
        return "–"
    amount = decimal_of(value)
    if sign == "-":
        amount = -amount
    return _localise(format_number(in_thousands(amount), 0))


@register.filter
def svg_image(svg: str):
    """An inline SVG chart as an <img> with a data URI (for PDFs: WeasyPrint draws it as an image)."""
    title = re.search(r"<title>(.*?)</title>", svg or "")
    data = base64.b64encode((svg or "").encode()).decode()
    return mark_safe(f'<img alt="{escape(title.group(1)) if title else ""}" src="data:image/svg+xml;base64,{data}">')  # noqa: S308


@register.filter
def unit_name(code):
    """UN/ECE unit codes as a reader knows them (``core.units``): "C62" → "st"."""
    from servicecenter.core.units import unit_name as name

    return name(code, _english())


@register.filter
def giro(number, kind="bankgiro"):
    """``1234567`` → ``123-4567``; a plusgiro (``kind`` "plusgiro") as ``12 34 56-7``."""
    from servicecenter.core.billing.payment import giro as formatted

    return formatted(str(number or ""), kind)


@register.filter
def lookup(mapping, key):
    """``{{ names|lookup:code }}``: the name a page shows for a code (the code itself when unnamed)."""
    if not key:
        return "–"
    return (mapping or {}).get(key, key)


@register.filter
def count_word(key):
    """``{{ key|count_word }}``: a count's key as a word ("unchanged" → "oförändrade")."""
    from servicecenter.ui.words import count_word as word

    return word(str(key))


_CODE_LIKE = re.compile(r"(?<![\w:-])([a-z][a-z0-9]*(?:[_:][a-z0-9_:|-]+)+)(?![\w-])")


@register.filter
def codes_marked(text):
    """A help text with the literal values a file may hold (``flex_staffed``, ``pool:it``) marked as
    code, so that a reader (and a screen reader) takes them for values to type, not words."""
    return mark_safe(_CODE_LIKE.sub(r"<code>\1</code>", escape(str(text or ""))))  # noqa: S308 - escaped first; the pattern holds no markup


@register.filter
def vat_words(category):
    """A VAT category code (UNCL 5305) in words: "O" → "Utanför momsens tillämpningsområde"."""
    from servicecenter.core.billing.vat import category_name

    return category_name(str(category or ""), _english())
