"""Which months are closed for changes of usage: months that are already invoiced.

Metering does not know billing (billing builds on metering), so billing registers a function
that names the closed months of a provider; the volume import refuses to change a volume of
such a month, so what an issued invoice says and what the volumes say never drift apart
silently. A correction of an invoiced month is a credit note with the right quantity.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

_SOURCES: list[Callable[[object], set[date]]] = []


def register_closed_months(source: Callable[[object], set[date]]) -> None:
    """Add ``source(provider) -> {first day of each closed month}``; called once per source."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def closed_months(provider) -> set[date]:
    """The first days of the months of ``provider`` that are closed for changes of usage."""
    months: set[date] = set()
    for source in _SOURCES:
        months |= source(provider)
    return months
