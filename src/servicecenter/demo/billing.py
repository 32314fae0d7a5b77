"""The demo's billing year: Statens servicecenter invoices every month of 2025 under the
published price list, in arrears (issued on the first working days of the next month), and
corrects one invoice with a credit note and a corrected invoice. Every document is validated
against the official Peppol rules when it is issued, as in production."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from servicecenter.apps.billing import services as billing
from servicecenter.apps.billing.models import Invoice
from servicecenter.apps.registry.models import Provider
from servicecenter.core.periods import Period

SELLER = {"street": "Box 800", "postal_code": "80130", "city": "Gävle", "bankgiro": "1234566", "invoice_email": "faktura@example.se"}


def _working_day(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def build_billing(ssc: Provider, progress: Callable[[str], None] = lambda text: None, months: int = 12) -> None:
    for field, value in SELLER.items():
        setattr(ssc, field, value)
    ssc.save()
    for month in range(1, months + 1):
        period = Period.month(2025, month)
        progress(f"billing {period.label()}: preview, approve, issue (each invoice validated against the Peppol rules)")
        run = billing.start_run(ssc, period, issue_date=_working_day(period.end + timedelta(days=2)), validate=False)
        billing.issue(billing.approve(run))
    # One correction: the payslips of a customer's March invoice were 12 too few.
    invoice = (Invoice.objects.filter(provider=ssc, period_start=date(2025, 3, 1), document_type=Invoice.Type.INVOICE, lines__service__code="lon")
               .order_by("number").first())
    if invoice is not None:
        line = invoice.lines.get(service__code="lon")
        billing.credit(invoice, lines={line.line_no}, corrected_quantities={line.line_no: line.quantity + Decimal(12)},
                       reason="Lönespecifikationer för mars rapporterades för lågt (12 st)", issue_date=date(2025, 4, 22))
