"""Rating: one month's usage × the year's price list → invoice lines.

A service's ``Terms`` may combine several price components (a fixed keyed pool and a unit
price, say); each becomes its own line so that the invoice explains itself. Rules:

- per unit: quantity × price, rounded to öre per line;
- volume tiers: one line per band (units in the band × the band's price), so that every line's
  amount is its quantity times its price, as Peppol checks;
- fixed annual amounts (keyed pools, base fees, fixed reimbursements) are billed in twelfths
  that add up exactly to the annual amount over the year (largest remainder over the months);
  a keyed pool's twelfth is then split over that month's customers by their keys;
- connection fees in ``connection_months`` instalments that add up exactly to the fee;
- packages: count × package price; pass-through: cost × (1 + mark-up);
- a discount: a share off the customer's other lines of the service, as a negative line;
- VAT per service (category and rate), outside the scope of VAT inside one legal person.

Line texts are Swedish: an invoice is a Swedish document (the PDF and the Peppol XML alike).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from servicecenter.core.billing.vat import OUTSIDE_SCOPE, Vat, VatCategory, vat_for
from servicecenter.core.money import ZERO, round_ore, split_largest_remainder
from servicecenter.core.periods import Period
from servicecenter.core.pricing.strategies import (
    ChargeKind,
    ConnectionFee,
    CustomerInput,
    VolumeTiers,
)
from servicecenter.core.problems import Problem


class ChargeCategory(StrEnum):
    """What a line is, in the vocabulary of FOCUS's ChargeCategory (usage, purchase, adjustment...)
    refined where a controller needs it."""

    USAGE = "usage"
    FIXED = "fixed"
    CONNECTION = "connection"
    PASS_THROUGH = "pass_through"
    DISCOUNT = "discount"

    @property
    def focus(self) -> str:
        return {"usage": "Usage", "fixed": "Purchase", "connection": "Purchase", "pass_through": "Usage", "discount": "Adjustment"}[self.value]


class RatingError(ValueError):
    """Usage that cannot be rated; ``problem`` says why in Swedish or English."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.message("en"))


@dataclass(frozen=True)
class Terms:
    """The price of one service in one year, as the price list states it."""

    service: str
    name: str                                    # the line text: the service's name
    unit_code: str = "C62"                       # UN/ECE Rec. 20
    unit_price: Decimal | None = None
    tiers: tuple[tuple[Decimal, Decimal], ...] = ()
    graduated: bool = True
    annual_pool: Decimal | None = None           # fixed, keyed out by ``key``
    base_fixed: Decimal | None = None            # per customer and year
    per_employee: Decimal | None = None          # per employee and year
    packages: Mapping[str, Decimal] = field(default_factory=dict)
    connection_fee: Decimal | None = None
    connection_months: int = 60
    reimbursement: tuple[str, Decimal] | None = None  # (payer, amount per year)
    pass_through_markup: Decimal | None = None
    discount_share: Decimal | None = None
    vat: Vat = OUTSIDE_SCOPE


@dataclass(frozen=True)
class RatedLine:
    customer: str
    service: str
    description: str
    quantity: Decimal
    unit_code: str
    unit_price: Decimal                          # never negative (Peppol BR-27); a credit has quantity < 0
    amount: Decimal
    category: ChargeCategory
    vat_category: VatCategory
    vat_rate: Decimal
    period_start: date
    period_end: date                             # inclusive, as EN 16931 states periods

    def signature(self) -> tuple:
        return (self.customer, self.service, self.description, self.quantity, self.unit_code, self.unit_price,
                self.amount, self.category.value, self.vat_category.value, self.vat_rate, self.period_start, self.period_end)

    @property
    def kind(self) -> ChargeKind:
        """Fixed (keyed pools, base fees, reimbursements, connection fees) or variable (usage,
        re-invoiced cost, discounts): the what-if's split of revenue."""
        return ChargeKind.FIXED if self.category in (ChargeCategory.FIXED, ChargeCategory.CONNECTION) else ChargeKind.VARIABLE


def twelfth(annual: Decimal, month: int) -> Decimal:
    """The month's part of an annual amount; the twelve parts add up exactly to the amount."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month}")
    return split_largest_remainder(annual, {m: 1 for m in range(1, 13)})[month]


def _format_quantity(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def rate_month(terms: Mapping[str, Terms], usage: Mapping[str, Mapping[str, CustomerInput]], period: Period,
               internal_customers: frozenset[str] | set[str] = frozenset()) -> list[RatedLine]:
    """Invoice lines of every customer for one month. ``usage`` is by service, then customer;
    ``internal_customers`` are the buyers inside the seller's legal person (no VAT).
    Usage of a service with no terms is an error, never silently unbilled."""
    if period != Period.month(period.start.year, period.start.month):
        raise RatingError(Problem("rating.period", {"start": period.start.isoformat(), "end": period.last_day.isoformat()}))
    unpriced = sorted(code for code, inputs in usage.items() if code not in terms and any(_has_usage(i) for i in inputs.values()))
    if unpriced:
        raise RatingError(Problem("rating.unpriced", {"services": ", ".join(unpriced), "year": period.start.year}))
    month = period.start.month
    last_day = period.last_day
    lines: list[RatedLine] = []

    for code in sorted(terms):
        term = terms[code]
        inputs = usage.get(code, {})
        raw: list[tuple[str, str, Decimal, Decimal, Decimal, ChargeCategory]] = []  # customer, text, qty, price, amount, category

        for customer in sorted(inputs):
            value = inputs[customer]
            if term.unit_price is not None and value.quantity:
                raw.append((customer, term.name, value.quantity, term.unit_price, round_ore(value.quantity * term.unit_price), ChargeCategory.USAGE))
            if term.tiers and value.quantity:
                tiers = VolumeTiers(term.tiers, term.graduated)
                for units, price in tiers.bands(value.quantity):
                    raw.append((customer, f"{term.name}, trappsteg {_format_quantity(price)} kr", units, price, round_ore(units * price), ChargeCategory.USAGE))
            for package, count in sorted(value.packages.items()):
                if count:
                    if package not in term.packages:
                        raise RatingError(Problem("rating.package", {"service": code, "package": package}))
                    price = term.packages[package]
                    raw.append((customer, f"{term.name}, paket {package}", Decimal(count), price, round_ore(count * price), ChargeCategory.USAGE))
            if term.base_fixed is not None or term.per_employee is not None:
                annual = (term.base_fixed or ZERO) + (term.per_employee or ZERO) * value.employees
                amount = twelfth(annual, month)
                if amount:
                    raw.append((customer, f"{term.name}, grundavgift 1/12 ({value.employees} anställda)", Decimal(1), amount, amount, ChargeCategory.FIXED))
            if term.connection_fee is not None and value.connection_month and 1 <= value.connection_month <= term.connection_months:
                amount = ConnectionFee(term.connection_fee, term.connection_months).instalments()[value.connection_month - 1]
                raw.append((customer, f"{term.name}, anslutningsavgift del {value.connection_month} av {term.connection_months}", Decimal(1), amount, amount, ChargeCategory.CONNECTION))
            if term.pass_through_markup is not None and value.pass_through_cost:
                amount = round_ore(value.pass_through_cost * (1 + term.pass_through_markup))
                raw.append((customer, f"{term.name}, vidarefakturerad kostnad", Decimal(1), amount, amount, ChargeCategory.PASS_THROUGH))

        if term.annual_pool is not None:
            keys = {customer: value.key for customer, value in inputs.items() if value.key > 0}
            if keys:  # the month's twelfth over the customers by their keys, adding up exactly
                for customer, amount in split_largest_remainder(twelfth(term.annual_pool, month), keys).items():
                    raw.append((customer, f"{term.name}, fast avgift 1/12 fördelad efter nyckel", Decimal(1), amount, amount, ChargeCategory.FIXED))
        if term.reimbursement is not None:
            payer, annual = term.reimbursement
            amount = twelfth(annual, month)
            raw.append((payer, f"{term.name}, fast ersättning 1/12", Decimal(1), amount, amount, ChargeCategory.FIXED))

        if term.discount_share:
            eligible = {customer for customer, value in inputs.items() if value.discount_eligible}
            for customer in sorted(eligible):
                subtotal = sum((r[4] for r in raw if r[0] == customer and r[5] is not ChargeCategory.PASS_THROUGH), ZERO)
                discount = round_ore(subtotal * term.discount_share)
                if discount:
                    raw.append((customer, f"{term.name}, rabatt {_format_quantity(term.discount_share * 100)} %", Decimal(-1), discount, -discount, ChargeCategory.DISCOUNT))

        for customer, text, quantity, price, amount, category in raw:
            vat = vat_for(term.vat, customer in internal_customers)
            if price < 0:
                raise RatingError(Problem("rating.negative_price", {"service": code, "price": price}))
            lines.append(RatedLine(customer, code, text, quantity, term.unit_code, price, amount, category,
                                   vat.category, vat.rate, period.start, last_day))
    return lines


def rate_year(terms: Mapping[str, Terms], usage_by_month: Mapping[int, Mapping[str, Mapping[str, CustomerInput]]], year: int,
              internal_customers: frozenset[str] | set[str] = frozenset()) -> list[RatedLine]:
    """The lines of the twelve months of ``year``, each rated by :func:`rate_month` exactly as its
    invoices are: a year's revenue in recovery, result per area and the what-if is the sum of
    the months' invoices, fixed amounts in twelfths included (they add up to the annual amount)."""
    lines: list[RatedLine] = []
    for month in range(1, 13):
        lines += rate_month(terms, usage_by_month.get(month, {}), Period.month(year, month), internal_customers)
    return lines


def _has_usage(value: CustomerInput) -> bool:
    return bool(value.quantity or value.packages or value.pass_through_cost)


@dataclass(frozen=True)
class DraftInvoice:
    customer: str
    lines: tuple[RatedLine, ...]

    @property
    def outside_scope(self) -> bool:
        """All lines outside the scope of VAT: the invoice must then not carry the seller's VAT number (BR-O-02)."""
        return all(line.vat_category is VatCategory.OUTSIDE_SCOPE for line in self.lines)

    @property
    def net(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


def group_by_customer(lines: Sequence[RatedLine]) -> list[DraftInvoice]:
    """One invoice per customer, in a stable order (service, then text). EN 16931 forbids lines
    outside the scope of VAT (category O) on an invoice with any other category (BR-O-11 to
    BR-O-14), so a customer with both gets two invoices: one for the O lines, one for the rest."""
    groups: dict[tuple[str, bool], list[RatedLine]] = {}
    for line in lines:
        groups.setdefault((line.customer, line.vat_category is not VatCategory.OUTSIDE_SCOPE), []).append(line)
    return [DraftInvoice(customer, tuple(sorted(found, key=lambda line: (line.service, line.category.value, line.description))))
            for (customer, _taxed), found in sorted(groups.items())]
