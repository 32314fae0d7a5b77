"""The documents of an issued invoice besides its Peppol XML: a PDF with its specification
(WeasyPrint, Swedish) and an Excel specification per service. Both are made from the frozen
invoice, so they show what was issued, whenever they are downloaded."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from lxml import etree

from servicecenter.apps.billing.models import Invoice
from servicecenter.apps.registry.services import DEMO_NOTICE
from servicecenter.core.billing import totals
from servicecenter.core.billing.vat import category_name
from servicecenter.core.units import unit_name
from servicecenter.formats.peppol import CAC, CBC
from servicecenter.formats.spreadsheet import Percent, write_workbook


@dataclass(frozen=True)
class DocumentFacts:
    trading_name: str        # the buyer's own name (a city's administration) when it is not the legal person's
    exemption_reason: str    # the legal text for lines outside the scope of VAT, "" when there are none
    legal_form: str = ""     # the seller's "Godkänd för F-skatt", when it has it
    contact_name: str = ""   # the seller's contact person
    contact_phone: str = ""
    payment_id: str = ""     # the OCR reference the payer gives
    payee_scheme: str = ""   # SE:BANKGIRO or SE:PLUSGIRO


def document_facts(invoice: Invoice) -> DocumentFacts:
    """What the issued XML says beyond the stored columns: the buyer's trading name and the VAT
    exemption text. Read from the document itself, so the PDF repeats the e-invoice exactly."""
    root = etree.fromstring(invoice.xml.encode())
    party = root.find(f"{{{CAC}}}AccountingCustomerParty/{{{CAC}}}Party")
    shown = party.findtext(f"{{{CAC}}}PartyName/{{{CBC}}}Name") if party is not None else None
    legal = party.findtext(f"{{{CAC}}}PartyLegalEntity/{{{CBC}}}RegistrationName") if party is not None else None
    reason = root.findtext(f".//{{{CAC}}}TaxSubtotal/{{{CAC}}}TaxCategory/{{{CBC}}}TaxExemptionReason") or ""
    seller = root.find(f"{{{CAC}}}AccountingSupplierParty/{{{CAC}}}Party")

    def seller_text(path: str) -> str:
        return (seller.findtext(path) if seller is not None else None) or ""

    return DocumentFacts(shown if shown and shown != legal else "", reason,
                         legal_form=seller_text(f"{{{CAC}}}PartyLegalEntity/{{{CBC}}}CompanyLegalForm"),
                         contact_name=seller_text(f"{{{CAC}}}Contact/{{{CBC}}}Name"), contact_phone=seller_text(f"{{{CAC}}}Contact/{{{CBC}}}Telephone"),
                         payment_id=root.findtext(f"{{{CAC}}}PaymentMeans/{{{CBC}}}PaymentID") or "",
                         payee_scheme=root.findtext(f"{{{CAC}}}PaymentMeans/{{{CAC}}}PayeeFinancialAccount/{{{CAC}}}FinancialInstitutionBranch/{{{CBC}}}ID") or "")


def _lines(invoice: Invoice):
    return list(invoice.lines.select_related("service").order_by("line_no"))


def invoice_html(invoice: Invoice) -> str:
    """The printed invoice as HTML (Swedish), from the frozen invoice and its XML."""
    lines = _lines(invoice)
    by_service: dict[str, list] = {}
    for line in lines:
        by_service.setdefault(line.service.code, []).append(line)
    same_period = all(line.period_start == invoice.period_start and line.period_end == invoice.period_end for line in lines)
    with translation.override("sv"):
        return render_to_string("billing/invoice_pdf.html", {"invoice": invoice, "lines": lines, "vat": totals(lines), "facts": document_facts(invoice),
                                                             "same_period": same_period, "span": 4 if same_period else 5,
                                                             "by_service": by_service, "demo": DEMO_NOTICE if invoice.provider.is_demo else ""})


def invoice_pdf(invoice: Invoice) -> bytes:
    from weasyprint import (
        HTML,  # imported here: loading pango costs time every other page need not pay
    )

    return HTML(string=invoice_html(invoice)).write_pdf()


def invoice_workbook(invoice: Invoice) -> bytes:
    lines = _lines(invoice)
    sign = -1 if invoice.is_credit else 1
    with translation.override("sv"):
        head = ["Rad", "Tjänst", "Beskrivning", "Period från", "Period till", "Antal", "Enhet", "Pris", "Belopp", "Momskategori", "Momssats"]
        rows = [(line.line_no, line.service.code, line.description, line.period_start, line.period_end, sign * line.quantity, unit_name(line.unit_code),
                 line.unit_price, sign * line.amount, category_name(line.vat_category), Percent(line.vat_rate / 100, 0)) for line in lines]
        per_service: dict[str, list] = {}
        for line in lines:
            entry = per_service.setdefault(line.service.code, [line.service.code, 0, 0])
            entry[1] += sign * line.amount
            entry[2] += 1
        facts = document_facts(invoice)
        summary = [("Dokument", invoice.number_text), ("Typ", invoice.get_document_type_display()), ("Köpare", invoice.buyer_name),
                   *([("Kund", facts.trading_name)] if facts.trading_name else []), ("Kundnummer", invoice.customer.number),
                   ("Organisationsnummer", invoice.buyer_org_number), ("Köparens referens", invoice.buyer_reference),
                   ("Period", f"{invoice.period_start} – {invoice.period_end}"), ("Fakturadatum", invoice.issue_date),
                   ("Netto", sign * invoice.net_total), ("Moms", sign * invoice.tax_total), ("Att betala", sign * invoice.payable)]
        return write_workbook([("Specifikation", head, rows), ("Per tjänst", ["Tjänst", "Belopp", "Rader"], [tuple(v) for v in per_service.values()]),
                               ("Dokument", ["Uppgift", "Värde"], summary)],
                              notice=DEMO_NOTICE if invoice.provider.is_demo else None)
