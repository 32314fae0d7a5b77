"""Price lists from self-cost, behaviour-weighted keys, recovery per process, what-if.

**Unit price from self-cost** (seed 003, recommendation: price at process level):
``price = planned self-cost ÷ planned volume``, then capped (Region Stockholm: existing prices
rise at most 1.5 % a year) and rounded as stated (half up to ``step``). A capped price
under-recovers; the entry says by how much.

**Behaviour-weighted key** (seed 003, recommendation 4; the seed gives no formula, so it is
stated here): a customer's effective key is ``base_i × (1 + w × deviation_i)``, where
``deviation_i`` is its share of non-standard units (manual invoices, late payroll documents...)
and ``w`` the configured extra weight of a non-standard unit. The pool is split on the
effective key (largest remainder: recovered exactly). What the deviation costs a customer is
its charge minus its charge on the base key alone; these costs sum to zero over customers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from servicecenter.core.money import ORE, ZERO, round_to, split_largest_remainder
from servicecenter.core.pricing.strategies import ChargeKind
from servicecenter.core.problems import Problem


class Charge(Protocol):
    """A rated line as the what-if reads it (``core.billing.RatedLine``)."""

    customer: str
    amount: Decimal

    @property
    def kind(self) -> ChargeKind: ...


@dataclass(frozen=True)
class PriceListEntry:
    process: str
    planned_cost: Decimal
    planned_volume: Decimal
    cost_price: Decimal            # full precision
    previous_price: Decimal | None
    price: Decimal                 # after cap and rounding
    capped: bool

    @property
    def planned_revenue(self) -> Decimal:
        return self.price * self.planned_volume

    @property
    def under_recovery(self) -> Decimal:
        return self.planned_cost - self.planned_revenue


def derive_price_list(planned_cost: Mapping[str, Decimal], planned_volume: Mapping[str, Decimal], previous: Mapping[str, Decimal] | None = None,
                      cap: Decimal | None = None, step: Decimal = ORE) -> tuple[list[PriceListEntry], list[Problem]]:
    entries, problems = [], []
    for process, cost in planned_cost.items():
        volume = planned_volume.get(process, ZERO)
        if volume <= 0:
            problems.append(Problem("price.no_volume", {"process": process}))
            continue
        cost_price = cost / volume
        price = cost_price
        before = (previous or {}).get(process)
        capped = False
        if cap is not None and before is not None and price > before * (1 + cap):
            price, capped = before * (1 + cap), True
        price = round_to(price, step)
        if capped and price > before * (1 + cap):  # rounding must not break the cap
            price -= step
        entries.append(PriceListEntry(process, cost, volume, cost_price, before, price, capped))
    return entries, problems


@dataclass(frozen=True)
class BehaviourResult:
    charges: Mapping[str, Decimal]
    neutral: Mapping[str, Decimal]         # on the base key alone
    deviation_cost: Mapping[str, Decimal]  # charge − neutral; sums to zero


def behaviour_weighted_split(pool: Decimal, base: Mapping[str, Decimal], deviation: Mapping[str, Decimal], weight: Decimal) -> BehaviourResult:
    if weight < 0:
        raise ValueError(f"the extra weight of a non-standard unit must not be negative, got {weight}")
    for customer, share in deviation.items():
        if not 0 <= share <= 1:
            raise ValueError(f"deviation of {customer} must be a share in [0, 1], got {share}")
    effective = {c: Decimal(b) * (1 + weight * Decimal(deviation.get(c, ZERO))) for c, b in base.items()}
    charges = split_largest_remainder(pool, effective)
    neutral = split_largest_remainder(pool, base)
    return BehaviourResult(charges, neutral, {c: charges[c] - neutral[c] for c in base})


@dataclass(frozen=True)
class RecoveryRow:
    process: str
    revenue: Decimal
    cost: Decimal
    tolerance: Decimal

    @property
    def result(self) -> Decimal:
        return self.revenue - self.cost

    @property
    def recovery(self) -> Decimal | None:
        return self.revenue / self.cost if self.cost else None

    @property
    def flag(self) -> str:
        """``over`` or ``under`` when revenue differs from cost by more than the tolerance (a share)."""
        if self.cost == 0:
            return "over" if self.revenue > 0 else "balanced"
        ratio = self.revenue / self.cost
        if ratio > 1 + self.tolerance:
            return "over"
        if ratio < 1 - self.tolerance:
            return "under"
        return "balanced"


def recovery_by_process(revenue: Mapping[str, Decimal], cost: Mapping[str, Decimal], tolerance: Decimal = Decimal("0.02")) -> list[RecoveryRow]:
    """Revenue against self-cost per process; over- and under-recovery flag cross-subsidy."""
    return [RecoveryRow(process, revenue.get(process, ZERO), cost.get(process, ZERO), tolerance) for process in sorted(set(revenue) | set(cost))]


@dataclass(frozen=True)
class WhatIfRow:
    customer: str
    current: Decimal
    alternative: Decimal
    current_lines: int
    alternative_lines: int

    @property
    def difference(self) -> Decimal:
        return self.alternative - self.current

    @property
    def difference_share(self) -> Decimal | None:
        return self.difference / self.current if self.current else None


@dataclass(frozen=True)
class WhatIf:
    rows: list[WhatIfRow]
    current_fixed: Decimal
    current_variable: Decimal
    alternative_fixed: Decimal
    alternative_variable: Decimal

    @property
    def current_total(self) -> Decimal:
        return self.current_fixed + self.current_variable

    @property
    def alternative_total(self) -> Decimal:
        return self.alternative_fixed + self.alternative_variable

    def fixed_share(self, which: str) -> Decimal | None:
        fixed, total = (self.current_fixed, self.current_total) if which == "current" else (self.alternative_fixed, self.alternative_total)
        return fixed / total if total else None


def compare_models(current: Iterable[Charge], alternative: Iterable[Charge]) -> WhatIf:
    """Each customer's charge under both models, the difference, lines per customer (a proxy for
    invoice administration) and the fixed/variable split of revenue."""
    totals: dict[str, list] = defaultdict(lambda: [ZERO, ZERO, 0, 0])
    split = {"current": {ChargeKind.FIXED: ZERO, ChargeKind.VARIABLE: ZERO}, "alternative": {ChargeKind.FIXED: ZERO, ChargeKind.VARIABLE: ZERO}}
    for which, lines in (("current", current), ("alternative", alternative)):
        offset = 0 if which == "current" else 1
        for line in lines:
            row = totals[line.customer]
            row[offset] += line.amount
            row[2 + offset] += 1
            split[which][line.kind] += line.amount
    rows = [WhatIfRow(customer, values[0], values[1], values[2], values[3]) for customer, values in sorted(totals.items())]
    return WhatIf(rows, split["current"][ChargeKind.FIXED], split["current"][ChargeKind.VARIABLE],
                  split["alternative"][ChargeKind.FIXED], split["alternative"][ChargeKind.VARIABLE])
