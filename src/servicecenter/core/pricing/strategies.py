"""Price types as strategy objects (the django-oscar way: small, composable, chosen per service).

Each strategy turns the period's inputs of *all* customers of one service into charge lines,
because some types (keyed pools) need every customer's key to find one customer's share.
Amounts on lines are rounded to öre (the invoice-line boundary); keyed pools are split by
largest remainder so the lines add up to the pool exactly.

| type (seed) | class | rule |
|---|---|---|
| fixed, keyed out (SF cash & bank, KC Stockholm Direkt) | ``FixedKeyed`` | pool × key_i / Σ key |
| per unit / hour / participant (SSC transaction fee, SF 53.50 kr per employee-month, 860 kr/h, 1,000 kr per participant) | ``PerUnit`` | quantity × price |
| volume tiers, "trappa" (SF companies) | ``VolumeTiers`` | graduated or all-units |
| packages (recruitment 24,000 / 34,000 kr) | ``Package`` | count × package price |
| base fee = fixed part + part by size (SSC 2012) | ``BaseFee`` | fixed + rate × employees, per period |
| connection fee over N months (SSC: 60) | ``ConnectionFee`` | total in N instalments that add up exactly |
| fixed reimbursement, not keyed (SF procurement for the city, 23 Mkr) | ``FixedReimbursement`` | a set amount from one payer |
| pass-through / re-invoicing (SSC 2012 system services) | ``PassThrough`` | cost × (1 + mark-up) |
| discount (SSC 2012, customers with own systems) | ``Discount`` | a share off the other lines of the service |
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from servicecenter.core.money import ZERO, round_ore, split_largest_remainder


class ChargeKind(StrEnum):
    FIXED = "fixed"
    VARIABLE = "variable"


@dataclass(frozen=True)
class ChargeLine:
    customer: str
    service: str
    description: str
    quantity: Decimal
    unit_price: Decimal | None
    amount: Decimal
    kind: ChargeKind


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


class PriceModel(Protocol):
    def charge(self, service: str, inputs: Mapping[str, CustomerInput]) -> list[ChargeLine]: ...


@dataclass(frozen=True)
class FixedKeyed:
    pool: Decimal
    key_name: str = "key"

    def charge(self, service, inputs):
        keys = {customer: value.key for customer, value in inputs.items() if value.key > 0}
        if not keys:
            return []
        parts = split_largest_remainder(self.pool, keys)
        return [ChargeLine(customer, service, f"share by {self.key_name}", keys[customer], None, amount, ChargeKind.FIXED)
                for customer, amount in parts.items()]


@dataclass(frozen=True)
class PerUnit:
    price: Decimal
    unit: str = "unit"

    def charge(self, service, inputs):
        return [ChargeLine(customer, service, f"per {self.unit}", value.quantity, self.price, round_ore(value.quantity * self.price), ChargeKind.VARIABLE)
                for customer, value in inputs.items() if value.quantity]


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

    def charge(self, service, inputs):
        return [ChargeLine(customer, service, f"per {self.unit}, tiered", value.quantity, None, round_ore(self.amount(value.quantity)), ChargeKind.VARIABLE)
                for customer, value in inputs.items() if value.quantity]


@dataclass(frozen=True)
class Package:
    prices: Mapping[str, Decimal]

    def charge(self, service, inputs):
        lines = []
        for customer, value in inputs.items():
            for code, count in sorted(value.packages.items()):
                if count:
                    lines.append(ChargeLine(customer, service, f"package {code}", Decimal(count), self.prices[code],
                                            round_ore(count * self.prices[code]), ChargeKind.VARIABLE))
        return lines


@dataclass(frozen=True)
class BaseFee:
    """``fixed`` per customer and period, plus ``per_employee`` × employees (SSC 2012 grundavgift)."""

    fixed: Decimal
    per_employee: Decimal

    def charge(self, service, inputs):
        return [ChargeLine(customer, service, "base fee", Decimal(value.employees), self.per_employee,
                           round_ore(self.fixed + self.per_employee * value.employees), ChargeKind.FIXED)
                for customer, value in inputs.items()]


@dataclass(frozen=True)
class ConnectionFee:
    """A one-off fee billed in ``months`` instalments (SSC: 60) that add up exactly to ``total``."""

    total: Decimal
    months: int = 60

    def instalments(self) -> list[Decimal]:
        parts = split_largest_remainder(self.total, {month: 1 for month in range(1, self.months + 1)})
        return [parts[month] for month in range(1, self.months + 1)]

    def charge(self, service, inputs):
        schedule = self.instalments()
        return [ChargeLine(customer, service, f"connection fee, instalment {value.connection_month} of {self.months}", Decimal(1),
                           schedule[value.connection_month - 1], schedule[value.connection_month - 1], ChargeKind.FIXED)
                for customer, value in inputs.items() if value.connection_month and 1 <= value.connection_month <= self.months]


@dataclass(frozen=True)
class FixedReimbursement:
    payer: str
    amount: Decimal

    def charge(self, service, inputs):
        return [ChargeLine(self.payer, service, "fixed reimbursement", Decimal(1), self.amount, round_ore(self.amount), ChargeKind.FIXED)]


@dataclass(frozen=True)
class PassThrough:
    markup: Decimal = ZERO

    def charge(self, service, inputs):
        return [ChargeLine(customer, service, "re-invoiced cost", Decimal(1), None, round_ore(value.pass_through_cost * (1 + self.markup)), ChargeKind.VARIABLE)
                for customer, value in inputs.items() if value.pass_through_cost]


@dataclass(frozen=True)
class Discount:
    """``share`` off the lines the ``base`` model gives an eligible customer."""

    base: PriceModel
    share: Decimal

    def charge(self, service, inputs):
        lines = self.base.charge(service, inputs)
        result = list(lines)
        for customer, value in inputs.items():
            if value.discount_eligible:
                subtotal = sum((line.amount for line in lines if line.customer == customer), ZERO)
                if subtotal:
                    result.append(ChargeLine(customer, service, f"discount {self.share * 100:.0f} %", Decimal(1), None, -round_ore(subtotal * self.share), ChargeKind.VARIABLE))
        return result


def charge_all(models: Mapping[str, PriceModel], inputs: Mapping[str, Mapping[str, CustomerInput]]) -> list[ChargeLine]:
    """Charge lines of every service: ``models`` by service, ``inputs`` by service then customer."""
    lines: list[ChargeLine] = []
    for service, model in models.items():
        lines.extend(model.charge(service, inputs.get(service, {})))
    return lines
