"""The billing API: issued invoices and credit notes (read only)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
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
from servicecenter.apps.jobs.api import STARTED, accepted

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



# --- billing runs: preview a month, approve it, issue it (the run page's steps) --------------------

class RunIn(Schema):
    provider: str
    month: str = Field(..., description="YYYY-MM", max_length=7)
    issue_date: date | None = None


class RunStateOut(Schema):
    id: int
    provider: str
    month: str
    state: str
    invoices: int
    net: Decimal
    findings: list[str]
    flags: list[dict] = Field(..., description="Plausibility flags of the preview (kind: spike, new_service, new_customer, drop, total, no_agreement); "
                                               "approving needs acknowledge_flags when there are any")
    prepared_by: str | None = Field(None, description="Who made the preview as it stands; with four eyes on, someone else approves it")

    @staticmethod
    def resolve_provider(obj):
        return obj.provider.code

    @staticmethod
    def resolve_month(obj):
        return obj.period.strftime("%Y-%m")

    @staticmethod
    def resolve_invoices(obj):
        return obj.invoice_count

    @staticmethod
    def resolve_net(obj):
        return obj.net_total

    @staticmethod
    def resolve_prepared_by(obj):
        return obj.prepared_by.get_username() if obj.prepared_by_id else None

    @staticmethod
    def resolve_findings(obj):
        return [str(finding.get("message", finding)) if isinstance(finding, dict) else str(finding) for finding in obj.findings]


def _billing_run(request, run_id: int):
    from servicecenter.apps.accounts.access import Capability
    from servicecenter.apps.billing.models import BillingRun

    caller = scope(request).require(Capability.RUN_BILLING)
    return get_object_or_404(BillingRun.objects.visible_to(caller).select_related("provider"), pk=run_id)


@router.post("/billing/runs", response=STARTED, tags=["billing"])
def start_billing_run(request, body: RunIn):
    """A preview of the month under the year's published price list, made by a background job
    (202; its result is the run's state). Refused at once (400) when the month is issued or the
    year has no published price list; a run of the month already open fails the job."""
    from servicecenter.apps.accounts.access import Capability
    from servicecenter.apps.billing import services as billing
    from servicecenter.apps.registry.models import Provider
    from servicecenter.core.periods import Period

    caller = scope(request).require(Capability.RUN_BILLING)
    provider = get_object_or_404(Provider.objects.visible_to(caller), code=body.provider)
    period = Period.month(month_filter(body.month, "month").year, month_filter(body.month, "month").month)
    billing.refuse_start(provider, period)
    return accepted(request, "billing.preview", label=gettext("Billing preview of %(month)s, %(provider)s") % {"month": period.label(), "provider": provider.name},
                    key=f"billing.preview:{provider.pk}:{period.start:%Y-%m}", provider=provider,
                    params={"month": f"{period.start:%Y-%m}", "issue_date": body.issue_date.isoformat() if body.issue_date else None})


class ApproveIn(Schema):
    acknowledge_flags: bool = Field(False, description="The approver has looked at the preview's plausibility flags")


@router.post("/billing/runs/{run_id}/approve", response=answers(RunStateOut), tags=["billing"])
def approve_billing_run(request, run_id: int = ID, body: ApproveIn | None = None):
    """Approve a preview (400 when the caller prepared it and the provider has four eyes on, or
    when it has plausibility flags and ``acknowledge_flags`` is not set)."""
    from servicecenter.apps.billing import services as billing

    return billing.approve(_billing_run(request, run_id), request.user, acknowledge_flags=bool(body and body.acknowledge_flags))


@router.post("/billing/runs/{run_id}/issue", response=STARTED, tags=["billing"])
def issue_billing_run(request, run_id: int = ID):
    """Issue an approved run (a background job, 202): all its invoices, numbered and frozen, or
    none. A run not approved, or issued, is refused at once (400)."""
    from servicecenter.apps.billing import services as billing

    run = _billing_run(request, run_id)
    billing.refuse_issue(run)
    return accepted(request, "billing.issue", label=gettext("Issue the invoices of %(month)s, %(provider)s") % {"month": f"{run.period:%Y-%m}", "provider": run.provider.name}, key=f"billing.run:{run.pk}",
                    provider=run.provider, params={"run": run.pk})
