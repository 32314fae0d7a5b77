"""The billing API: issued invoices and credit notes (read only)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from servicecenter.apps.accounts.api import (
    ID,
    ID_QUERY,
    BoundedPagination,
    answers,
    month_filter,
    scope,
)
from servicecenter.apps.billing.models import Invoice

router = Router()


class InvoiceLineOut(Schema):
    line_no: int
    service: str
    description: str
    quantity: Decimal
    unit_code: str
    unit_price: Decimal
    amount: Decimal
    category: str
    vat_category: str
    vat_rate: Decimal

    @staticmethod
    def resolve_service(line) -> str:
        return line.service.code


class InvoiceOut(Schema):
    id: int
    number: str
    document_type: str
    customer_id: int
    buyer_name: str
    buyer_org_number: str
    buyer_reference: str
    period_start: date
    period_end: date
    issue_date: date
    due_date: date | None
    net_total: Decimal
    tax_total: Decimal
    payable: Decimal
    preceding: str | None
    xml_sha256: str

    @staticmethod
    def resolve_number(invoice) -> str:
        return invoice.number_text

    @staticmethod
    def resolve_preceding(invoice) -> str | None:
        return invoice.preceding.number_text if invoice.preceding_id else None


class InvoiceDetailOut(InvoiceOut):
    lines: list[InvoiceLineOut]
    integrity: list[str] = Field(description="empty when the stored document matches its seal and the number series' hash chain")

    @staticmethod
    def resolve_integrity(invoice) -> list[str]:
        from servicecenter.apps.billing.integrity import check

        return check(invoice)

    @staticmethod
    def resolve_lines(invoice) -> list:
        return list(invoice.lines.select_related("service").order_by("line_no"))


@router.get("/invoices", response=answers(list[InvoiceOut]), tags=["billing"])
@paginate(BoundedPagination)
def list_invoices(request, period: str | None = None, customer_id: int | None = ID_QUERY):
    """Issued invoices and credit notes (read only: an issued document never changes)."""
    invoices = Invoice.objects.visible_to(scope(request)).select_related("preceding").order_by("-issue_date", "-number")
    if period:
        invoices = invoices.filter(period_start=month_filter(period, "period"))
    if customer_id is not None:
        invoices = invoices.filter(customer_id=customer_id)
    return invoices


@router.get("/invoices/{invoice_id}", response=answers(InvoiceDetailOut), tags=["billing"])
def get_invoice(request, invoice_id: int = ID):
    return get_object_or_404(Invoice.objects.visible_to(scope(request)).select_related("preceding"), pk=invoice_id)

