"""Billing rules without Django: rating, VAT and totals, credit notes."""

from servicecenter.core.billing.credit import credit_lines, signed_total
from servicecenter.core.billing.rating import (
    ChargeCategory,
    DraftInvoice,
    RatedLine,
    RatingError,
    Terms,
    group_by_customer,
    rate_month,
    rate_year,
    twelfth,
)
from servicecenter.core.billing.vat import (
    OUTSIDE_SCOPE,
    STANDARD_25,
    Totals,
    Vat,
    VatBreakdown,
    VatCategory,
    totals,
    vat_for,
)

__all__ = ["OUTSIDE_SCOPE", "STANDARD_25", "ChargeCategory", "DraftInvoice", "RatedLine", "RatingError", "Terms", "Totals", "Vat",
           "VatBreakdown", "VatCategory", "credit_lines", "group_by_customer", "rate_month", "rate_year", "signed_total", "totals", "twelfth", "vat_for"]
