"""Billing reports: the reconciliation of a month (usage → rated lines → invoices → totals), the
usage behind an invoice line, monthly totals, and the FOCUS-like cost-and-usage export."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from servicecenter.apps.billing.models import BillingRun, Invoice, InvoiceLine, UsageTotal
from servicecenter.apps.metering.models import Volume
from servicecenter.core.billing import ChargeCategory
from servicecenter.formats.spreadsheet import write_csv, write_workbook

ZERO = Decimal(0)


def monthly_totals(invoices) -> list[tuple[str, Decimal]]:
    """(YYYY-MM, invoiced net of credit notes, VAT included) per period, oldest first."""
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    for period, kind, payable in invoices.values_list("period_start", "document_type").annotate(total=Sum("payable")):
        amounts[period.strftime("%Y-%m")] += -payable if kind == Invoice.Type.CREDIT_NOTE else payable
    return sorted(amounts.items())


@dataclass(frozen=True)
class Behind:
    """What lies behind a line: the month's volume rows and usage events of that customer and service."""

    volume_quantity: Decimal
    volume_rows: list
    events: int
    event_quantity: Decimal
    late_events: int


def usage_behind(invoice: Invoice, lines: list[InvoiceLine]) -> dict[int, Behind]:
    services = {line.service_id for line in lines}
    volumes = defaultdict(list)
    for volume in Volume.objects.filter(customer=invoice.customer, month=invoice.period_start, service_id__in=services):
        volumes[volume.service_id].append(volume)
    events = {row["service_id"]: row for row in UsageTotal.objects.filter(customer=invoice.customer, month=invoice.period_start, service_id__in=services)
              .values("service_id").annotate(n=Sum("events"), quantity=Sum("quantity"))}
    late = dict(UsageTotal.objects.filter(customer=invoice.customer, month=invoice.period_start, service_id__in=services, late=True)
                .values_list("service_id").annotate(n=Sum("events")))
    return {service: Behind(sum((v.quantity for v in volumes[service]), ZERO), volumes[service],
                            events.get(service, {}).get("n", 0), events.get(service, {}).get("quantity") or ZERO, late.get(service, 0))
            for service in services}


@dataclass
class Reconciliation:
    """One run's month, each stage's total side by side; ``balanced`` when every stage agrees to the öre."""

    run: BillingRun
    rows: list[dict] = field(default_factory=list)        # per service: usage, rated quantity, rated amount, invoiced amount
    stages: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)   # (stage, amount, difference to the previous stage)
    credits: Decimal = ZERO
    corrections: Decimal = ZERO

    @property
    def balanced(self) -> bool:
        return all(difference == 0 for _stage, _amount, difference in self.stages)


def reconcile(run: BillingRun) -> Reconciliation:
    """Usage (volumes and events) → rated lines (the preview) → issued invoice lines → invoice totals."""
    result = Reconciliation(run)
    usage = defaultdict(Decimal)
    for code, quantity in Volume.objects.filter(provider=run.provider, month=run.period).values_list("service__code").annotate(q=Sum("quantity")):
        usage[code] += quantity
    for code, quantity in (UsageTotal.objects.filter(provider=run.provider, month=run.period, late=False, package="", cost__isnull=True)
                           .values_list("service__code").annotate(q=Sum("quantity"))):
        usage[code] += quantity
    rated_quantity, rated = defaultdict(Decimal), defaultdict(Decimal)
    for document in run.preview:
        for line in document["lines"]:
            rated[line["service"]] += Decimal(line["amount"])
            if line["category"] == ChargeCategory.USAGE:
                rated_quantity[line["service"]] += Decimal(line["quantity"])
    invoiced = defaultdict(Decimal)
    issued = run.state == BillingRun.State.ISSUED
    if issued:
        for code, amount in InvoiceLine.objects.filter(invoice__run=run).values_list("service__code").annotate(a=Sum("amount")):
            invoiced[code] += amount
    for code in sorted(set(usage) | set(rated) | set(invoiced)):
        result.rows.append({"service": code, "usage": usage.get(code, ZERO), "rated_quantity": rated_quantity.get(code, ZERO),
                            "quantity_difference": rated_quantity.get(code, ZERO) - usage.get(code, ZERO) if code in rated_quantity else None,
                            "rated": rated.get(code, ZERO), "invoiced": invoiced.get(code, ZERO) if issued else None})
    rated_total = sum(rated.values(), ZERO)
    previewed = sum((Decimal(document["net"]) for document in run.preview), ZERO)
    result.stages = [(_("Rated lines"), rated_total, ZERO), (_("Invoices in the preview (net)"), previewed, previewed - rated_total)]
    if issued:
        lines_total = sum(invoiced.values(), ZERO)
        headers = run.invoices.aggregate(net=Sum("net_total"), tax=Sum("tax_total"), payable=Sum("payable"))
        net, tax, payable = headers["net"] or ZERO, headers["tax"] or ZERO, headers["payable"] or ZERO
        result.stages += [(_("Issued invoice lines"), lines_total, lines_total - previewed), (_("Issued invoices (net)"), net, net - lines_total),
                          (_("VAT"), tax, ZERO), (_("Issued invoices (to pay)"), payable, payable - net - tax)]
        result.credits = Invoice.objects.filter(preceding__run=run).aggregate(s=Sum("payable"))["s"] or ZERO
        result.corrections = Invoice.objects.filter(corrects__run=run).aggregate(s=Sum("payable"))["s"] or ZERO
    return result


def reconciliation_workbook(tables: list[Reconciliation], notice: str | None) -> bytes:
    sheets = []
    for table in tables:
        sheets.append((f"{table.run.provider.code} {table.run.period:%Y-%m}",
                       [_("Service"), _("Usage"), _("Rated quantity"), _("Difference"), _("Rated, kr"), _("Invoiced, kr")],
                       [(r["service"], r["usage"], r["rated_quantity"], r["quantity_difference"], r["rated"], r["invoiced"]) for r in table.rows]
                       + [("", None, None, None, None, None)]
                       + [(stage, None, None, difference, amount, None) for stage, amount, difference in table.stages]))
    return write_workbook(sheets or [(_("Reconciliation"), [_("No billing run for this month")], [])], notice=notice)


FOCUS_COLUMNS = ("BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd", "InvoiceId", "InvoiceIssuer", "SubAccountId",
                 "SubAccountName", "ServiceName", "ServiceCategory", "ChargeCategory", "ChargeClass", "ChargeDescription", "ConsumedQuantity",
                 "PricingUnit", "ListUnitPrice", "BilledCost", "BillingCurrency", "TaxCategory", "TaxRate")


def focus_csv(invoices, notice: str | None) -> str:
    """Invoice lines in a FOCUS-like shape (column names from the FinOps FOCUS specification where
    one fits): credit notes have negative cost and ChargeClass ``Correction``. Dates are ISO,
    numbers use a point; the file is UTF-8 with a header row."""
    lines = (InvoiceLine.objects.filter(invoice__in=invoices).select_related("invoice", "service")
             .prefetch_related("service__versions__process__area").order_by("invoice__period_start", "invoice__number_text", "line_no"))

    def rows():
        for line in lines.iterator(chunk_size=2000):
            invoice = line.invoice
            sign = -1 if invoice.is_credit else 1
            version = line.service.version_for(invoice.period_start.year)
            category = ChargeCategory(line.category) if line.category in ChargeCategory._value2member_map_ else None
            yield [invoice.period_start, invoice.period_end, line.period_start, line.period_end,
                   invoice.number_text, invoice.seller_name, invoice.buyer_org_number, invoice.buyer_name,
                   version.name_sv if version else line.service.code, version.process.area.name_sv if version else "",
                   "Credit" if invoice.is_credit else (category.focus if category else "Usage"), "Correction" if invoice.is_credit or invoice.corrects_id else "",
                   line.description, (sign * line.quantity).normalize(), line.unit_code, line.unit_price.normalize(),
                   sign * line.amount, invoice.currency, line.vat_category, line.vat_rate.normalize()]

    return write_csv(FOCUS_COLUMNS, rows(), notice)
