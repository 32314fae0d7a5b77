"""VAT per line and per document, as EN 16931 states it.

Line net amounts are rounded to öre where they are made (the invoice-line boundary). VAT is
not computed per line: the lines of one VAT category and rate are summed and the VAT of that
sum is rounded half up to öre (BR-CO-17); the document's VAT is the sum of those (BR-CO-14),
and the amount payable is net plus VAT.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from servicecenter.core.money import ZERO, round_ore


class VatCategory(StrEnum):
    """UNCL 5305 codes used here: S standard rate, E exempt, O outside the scope of VAT, Z zero rate."""

    STANDARD = "S"
    EXEMPT = "E"
    OUTSIDE_SCOPE = "O"
    ZERO = "Z"


@dataclass(frozen=True)
class Vat:
    category: VatCategory
    rate: Decimal

    def __post_init__(self):
        if self.category is VatCategory.STANDARD and self.rate <= 0:
            raise ValueError("standard-rated VAT needs a positive rate")
        if self.category is not VatCategory.STANDARD and self.rate != 0:
            raise ValueError(f"VAT category {self.category.value} carries no rate, got {self.rate}")


OUTSIDE_SCOPE = Vat(VatCategory.OUTSIDE_SCOPE, ZERO)
STANDARD_25 = Vat(VatCategory.STANDARD, Decimal(25))


# The legal text an invoice outside the scope of VAT carries (BT-120, and on the PDF), per reason.
STATE_TEXT = "Tjänster mellan statliga myndigheter ligger utanför mervärdesskattens tillämpningsområde (staten är en juridisk person)."
SAME_PERSON_TEXT = "Intern fakturering inom {legal_person}, samma juridiska person: utanför mervärdesskattens tillämpningsområde."


def vat_for(service_vat: Vat, same_legal_person: bool) -> Vat:
    """The VAT of a service sold to a buyer. A supply inside one legal person is outside the scope
    of VAT: between two state agencies (the state is one legal person), or between a city's
    administrations; to anyone else (a city-owned company, a municipality) the service's own
    category and rate apply."""
    return OUTSIDE_SCOPE if same_legal_person else service_vat


class Taxable(Protocol):
    amount: Decimal
    vat_category: VatCategory
    vat_rate: Decimal


@dataclass(frozen=True)
class VatBreakdown:
    category: VatCategory
    rate: Decimal
    taxable: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Totals:
    line_total: Decimal
    vat: tuple[VatBreakdown, ...]
    tax_total: Decimal
    payable: Decimal


def totals(lines: Iterable[Taxable]) -> Totals:
    line_total = ZERO
    groups: dict[tuple[VatCategory, Decimal], Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        line_total += line.amount
        groups[(VatCategory(line.vat_category), Decimal(line.vat_rate))] += line.amount
    breakdown = tuple(VatBreakdown(category, rate, taxable, round_ore(taxable * rate / 100))
                      for (category, rate), taxable in sorted(groups.items()))
    tax_total = sum((part.tax for part in breakdown), ZERO)
    return Totals(line_total, breakdown, tax_total, line_total + tax_total)


#: the VAT categories of EN 16931 (UNCL 5305) as an invoice names them: (Swedish, English)
CATEGORY_NAMES = {"S": ("Moms", "VAT"), "Z": ("Moms 0 %", "VAT 0 %"), "E": ("Momsfri", "Exempt from VAT"),
                  "O": ("Utanför momsens tillämpningsområde", "Outside the scope of VAT"), "AE": ("Omvänd skattskyldighet", "Reverse charge")}


def category_name(category: str, english: bool = False) -> str:
    """``"O"`` → "Utanför momsens tillämpningsområde"; an unknown code as it is."""
    names = CATEGORY_NAMES.get(category)
    return (names[1] if english else names[0]) if names else category
