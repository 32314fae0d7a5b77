"""The plausibility flags of a billing run's preview: its lines against the same customer's and
service's issued months before it (``core.billing.plausibility`` holds the rules). Stored on the
run as JSON; the run page shows them and the approval must acknowledge them."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from servicecenter.apps.billing.models import BillingRun, Invoice, InvoiceLine
from servicecenter.apps.registry.models import Agreement, Customer, Provider
from servicecenter.apps.registry.services import active_during
from servicecenter.core.billing.plausibility import (
    USAGE_CATEGORIES,
    Amounts,
    check,
    outside_agreements,
    totals_by_key,
)
from servicecenter.core.periods import Period

#: How many issued months before the run's are compared.
MONTHS = 12


def flags_for(provider: Provider, period: Period, preview: list[dict]) -> list[dict]:
    """The flags of ``preview`` (a run's invoices as ``BillingRun.preview`` holds them)."""
    used = {(str(invoice["customer_id"]), line["service"]) for invoice in preview for line in invoice["lines"] if line["category"] in USAGE_CATEGORIES}
    covered = {(str(customer_id), code) for customer_id, code in Agreement.objects.filter(active_during(period), customer__provider=provider)
               .values_list("customer_id", "service__code")} if used else set()
    months = list(BillingRun.objects.filter(provider=provider, state=BillingRun.State.ISSUED, period__lt=period.start)
                  .order_by("-period").values_list("period", flat=True)[:MONTHS])
    if not months and used <= covered:
        return []   # nothing to compare with, and all usage under agreements: 18,000 lines not summed for nothing
    current = totals_by_key([(str(invoice["customer_id"]), line["service"], line["category"], Decimal(line["quantity"]), Decimal(line["amount"]))
                             for invoice in preview for line in invoice["lines"]])
    found = outside_agreements(current, covered)
    if months:
        found = _compared(current, months, provider) + found
    return _described(found)


def _compared(current, months: list[date], provider: Provider) -> list:
    """The flags of the comparison with the issued ``months`` before the run's."""
    history: dict[date, dict] = defaultdict(dict)
    rows = (InvoiceLine.objects.filter(invoice__run__provider=provider, invoice__run__period__in=months, invoice__document_type=Invoice.Type.INVOICE)
            .values("invoice__run__period", "invoice__customer_id", "service__code", "category")
            .annotate(quantity=Sum("quantity"), amount=Sum("amount")).order_by())
    for row in rows:
        key = (str(row["invoice__customer_id"]), row["service__code"], row["category"])
        history[row["invoice__run__period"]][key] = Amounts(row["quantity"] or Decimal(0), row["amount"] or Decimal(0))
    for month in months:
        history.setdefault(month, {})
    previous_total = sum((value.amount for value in history[months[0]].values()), Decimal(0))
    current_total = sum((value.amount for value in current.values()), Decimal(0))
    return check(current, history, current_total, previous_total)


def _described(found: list) -> list[dict]:
    names = dict(Customer.objects.filter(pk__in={int(flag.customer) for flag in found if flag.customer}).values_list("pk", "name"))
    return [{"kind": flag.kind, "customer_id": int(flag.customer) if flag.customer else None,
             "customer": names.get(int(flag.customer), "") if flag.customer else "", "service": flag.service, "category": flag.category,
             "quantity": _text(flag.quantity), "amount": _text(flag.amount), "usual_quantity": _text(flag.usual_quantity),
             "usual_amount": _text(flag.usual_amount), "months": flag.months}
            for flag in found]


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
