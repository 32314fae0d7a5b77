"""The revenue a price list brings in a year, as its invoices would show it.

Recovery per service, the result per service area and the what-if all read a year's revenue
from here. Costing does not rate: billing does, with the one price engine that rates the
invoices (``core.billing.rate_month``), and registers that function here when it starts
(billing builds on costing, so the arrow points down). The lines are the year's twelve
months, each rated exactly as its month is invoiced.
"""

from __future__ import annotations

from collections.abc import Callable

_RATERS: list[Callable] = []


class RevenueError(ValueError):
    """A price list cannot be rated for its year (usage without a price, an implausible amount)."""


def register_year_rater(rater: Callable) -> None:
    """``rater(price_list) -> list[RatedLine]`` for the price list's year."""
    if rater not in _RATERS:
        _RATERS.append(rater)


def year_lines(price_list) -> list:
    if not _RATERS:
        raise RuntimeError("no year rater registered: the billing app is not installed")
    return _RATERS[0](price_list)


_ACTUALS: list[Callable] = []


def register_actuals(actuals: Callable) -> None:
    """``actuals(provider, year) -> {service code: {month: quantity}}``: what the year's
    invoices were rated on (monthly volumes and usage events); billing registers it."""
    if actuals not in _ACTUALS:
        _ACTUALS.append(actuals)


def actual_quantities(provider, year: int) -> dict:
    if not _ACTUALS:
        raise RuntimeError("no source of actual quantities registered: the billing app is not installed")
    return _ACTUALS[0](provider, year)
