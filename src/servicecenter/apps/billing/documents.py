"""The documents of an issued invoice besides its Peppol XML: a PDF with its specification
(WeasyPrint, Swedish) and an Excel specification per service. Both are made from the frozen
invoice, so they show what was issued, whenever they are downloaded."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from servicecenter.apps.billing.models import Invoice
from servicecenter.apps.registry.services import DEMO_NOTICE
from servicecenter.core.billing import totals
from servicecenter.formats.spreadsheet import write_workbook


def _lines(invoice: Invoice):
    return list(invoice.lines.select_related("service").order_by("line_no"))


def invoice_pdf(invoice: Invoice) -> bytes:
    from weasyprint import (
        HTML,  # imported here: loading pango costs time every other page need not pay
    )

    lines = _lines(invoice)
    by_service: dict[str, list] = {}
    for line in lines:
        by_service.setdefault(line.service.code, []).append(line)
    with translation.override("sv"):
        html = render_to_string("billing/invoice_pdf.html", {"invoice": invoice, "lines": lines, "vat": totals(lines),
                                                             "by_service": by_service, "demo": DEMO_NOTICE if invoice.provider.is_demo else ""})
    return HTML(string=html).write_pdf()


def invoice_workbook(invoice: Invoice) -> bytes:
    lines = _lines(invoice)
    sign = -1 if invoice.is_credit else 1
    with translation.override("sv"):
        head = ["Rad", "Tjänst", "Beskrivning", "Period från", "Period till", "Antal", "Enhet", "Pris", "Belopp", "Momskategori", "Momssats"]
        rows = [(line.line_no, line.service.code, line.description, line.period_start, line.period_end, sign * line.quantity, line.unit_code,
                 line.unit_price, sign * line.amount, line.vat_category, line.vat_rate) for line in lines]
        per_service: dict[str, list] = {}
        for line in lines:
            entry = per_service.setdefault(line.service.code, [line.service.code, 0, 0])
            entry[1] += sign * line.amount
            entry[2] += 1
        summary = [("Dokument", invoice.number_text), ("Typ", invoice.get_document_type_display()), ("Köpare", invoice.buyer_name),
                   ("Organisationsnummer", invoice.buyer_org_number), ("Köparens referens", invoice.buyer_reference),
                   ("Period", f"{invoice.period_start} – {invoice.period_end}"), ("Fakturadatum", invoice.issue_date),
                   ("Netto", sign * invoice.net_total), ("Moms", sign * invoice.tax_total), ("Att betala", sign * invoice.payable)]
        return write_workbook([("Specifikation", head, rows), ("Per tjänst", ["Tjänst", "Belopp", "Rader"], [tuple(v) for v in per_service.values()]),
                               ("Dokument", ["Uppgift", "Värde"], summary)],
                              notice=DEMO_NOTICE if invoice.provider.is_demo else None)
