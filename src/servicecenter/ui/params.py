"""Request parameters read within the domain's limits (``core.limits``).

A parameter that is missing gives the default; one that is present but not valid (``year=0``,
``day=0001-01-01``, an id beyond 64 bits, ``NaN``) is a 400 with the reason, never a 500 and
never a loop over an unbounded range.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import BadRequest

from servicecenter.core import limits
from servicecenter.core.limits import Limit
from servicecenter.formats.values import parse_date, parse_decimal, parse_year


def _refuse(name: str, problem) -> BadRequest:
    return BadRequest(f"{name}: {problem.message('sv')} / {problem.message('en')}")


def year_param(data, name: str = "year", default: int | None = None) -> int | None:
    """The year in ``data[name]`` (1990–2100), or ``default`` when it is absent."""
    text = (data.get(name) or "").strip()
    if not text:
        return default
    value, problem = parse_year(text)
    if problem is not None:
        raise _refuse(name, problem)
    return value


def day_param(data, name: str, default: date | None = None) -> date | None:
    text = (data.get(name) or "").strip()
    if not text:
        return default
    value, problem = parse_date(text)
    if problem is not None:
        raise _refuse(name, problem)
    return value


def decimal_param(data, name: str, default: Decimal | None = None, limit: Limit = limits.NUMBER, negative: bool = False) -> Decimal | None:
    text = (data.get(name) or "").strip()
    if not text:
        return default
    value, problem = parse_decimal(text, limit=limit, negative=negative)
    if problem is not None:
        raise _refuse(name, problem)
    return value


def id_param(data, name: str) -> int | None:
    """An id, or None when absent or not an id (the caller then shows its default or a 404)."""
    text = (data.get(name) or "").strip()
    if not text.isdigit() or len(text) > 19:
        return None
    value = int(text)
    return value if limits.is_id(value) else None


class IdConverter:
    """``<id:pk>`` in a URL: a positive integer that fits the databases' bigint (else 404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not limits.is_id(number):
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(int(value))


class YearConverter:
    """``<year:year>`` in a URL: a year of :data:`core.limits.YEAR` (else 404)."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if limits.check_year(number) is not None:
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(int(value))
