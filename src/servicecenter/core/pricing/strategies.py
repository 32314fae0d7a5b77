"""The inputs of rating and the price-type helpers it is built from.

The rule of every price type lives in one place: ``core.billing.rating.rate_month`` (see
``docs/algorithms/rating.md``), which invoices, recovery, the result per area and the what-if
all call. This module holds what that function reads and uses:

- ``CustomerInput``: what one customer brings to one service in one period;
- ``VolumeTiers``: the bands of a tier table ("trappa"), graduated or all-units;
- ``ConnectionFee``: a one-off fee in N instalments that add up exactly (SSC: 60 months);
- ``ChargeKind``: fixed or variable, the what-if's split of revenue.

(Until #13 this module also held a second set of price strategies with their own ``charge``
methods; they disagreed with rating and were used only by tests, and are gone.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from servicecenter.core.money import ZERO, split_largest_remainder


class ChargeKind(StrEnum):
    FIXED = "fixed"
    VARIABLE = "variable"


@dataclass(frozen=True)
class CustomerInput:
    """What one customer brings to one service in one period."""

    quantity: Decimal = ZERO                    # units used (payslips, hours, participants...)
    key: Decimal = ZERO                         # its value of the allocation key (keyed pools)
    employees: int = 0                          # its size (base fees)
    packages: Mapping[str, int] = field(default_factory=dict)  # package code → count
    pass_through_cost: Decimal = ZERO           # cost to re-invoice
    connection_month: int | None = None         # 1..N: which instalment of the connection fee falls due
    discount_eligible: bool = False


@dataclass(frozen=True)
class VolumeTiers:
    """``tiers`` = ((from quantity, price), ...) ascending from 0. Graduated: each unit at the price
    of the tier it falls in. All-units: every unit at the price of the tier the total reaches."""

    tiers: Sequence[tuple[Decimal, Decimal]]
    graduated: bool = True
    unit: str = "unit"

    def __post_init__(self):
        if not self.tiers or self.tiers[0][0] != 0 or any(a[0] >= b[0] for a, b in zip(self.tiers, self.tiers[1:])):
            raise ValueError(f"tiers must start at 0 and ascend: {self.tiers}")

    def bands(self, quantity: Decimal) -> list[tuple[Decimal, Decimal]]:
        """(units, price) pairs whose products add up to the amount of ``quantity``."""
        if not self.graduated:
            price = next(price for start, price in reversed(self.tiers) if quantity >= start)
            return [(quantity, price)]
        result = []
        bounds = [start for start, _ in self.tiers[1:]] + [None]
        for (start, price), end in zip(self.tiers, bounds, strict=True):
            if quantity <= start:
                break
            upper = quantity if end is None else min(quantity, end)
            result.append((upper - start, price))
        return result

    def amount(self, quantity: Decimal) -> Decimal:
        return sum((units * price for units, price in self.bands(quantity)), ZERO)


@dataclass(frozen=True)
class ConnectionFee:
    """A one-off fee billed in ``months`` instalments (SSC: 60) that add up exactly to ``total``."""

    total: Decimal
    months: int = 60

    def instalments(self) -> list[Decimal]:
        parts = split_largest_remainder(self.total, {month: 1 for month in range(1, self.months + 1)})
        return [parts[month] for month in range(1, self.months + 1)]

