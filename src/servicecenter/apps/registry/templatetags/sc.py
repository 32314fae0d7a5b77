"""Template filters for Swedish number formats: ``{{ x|number }}``, ``{{ share|percent:1 }}``, ``{{ amount|sek }}``."""

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from servicecenter.core.money import format_number, format_sek

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
    return _localise(format_number(Decimal(str(value)), int(decimals)))


@register.filter
def percent(value, decimals=1):
    """A share (0.634) as a percentage (``63,4 %``)."""
    if value is None or value == "":
        return "–"
    return _localise(format_number(Decimal(str(value)) * 100, int(decimals))) + "\u00a0%"


@register.filter
def sek(value, decimals=2):
    if value is None or value == "":
        return "–"
    return _localise(format_sek(Decimal(str(value)), int(decimals)))
