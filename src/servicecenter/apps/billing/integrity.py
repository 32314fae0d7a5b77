"""Tamper evidence for issued documents: a seal per document and a chain per number series.

The database refuses UPDATE and DELETE of issued rows (triggers; on SQLite with
``recursive_triggers`` on, so ``INSERT OR REPLACE`` is refused too). What a person with direct
access to the database file could still do (drop a trigger, edit, put it back) is made visible
here: every shown or downloaded document is checked against its seal, and
:func:`verify_series` walks each number series and reports a changed, removed or inserted
document. The content is read back from the stored rows, so issuing and checking hash exactly
the same values.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from servicecenter.apps.billing.models import Invoice, InvoiceLine, InvoiceSeal, NumberSeries
from servicecenter.core.money import round_places

_SKIP = {"id", "created_at", "invoice"}


def _canonical(field, value) -> object:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(round_places(value, field.decimal_places), "f")
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float):  # a decimal column read back as REAL by a tampered row
        return repr(value)
    return value if isinstance(value, (int, str, bool)) else str(value)


def _row(obj) -> dict:
    return {field.attname: _canonical(field, getattr(obj, field.attname))
            for field in obj._meta.concrete_fields if field.name not in _SKIP}


def content_digest(invoice: Invoice, lines: list[InvoiceLine] | None = None) -> str:
    """SHA-256 over the invoice's stored fields, its lines (by number) and its XML."""
    lines = lines if lines is not None else list(InvoiceLine.objects.filter(invoice_id=invoice.pk).order_by("line_no"))
    body = {"invoice": _row(invoice), "lines": [_row(line) for line in sorted(lines, key=lambda line: line.line_no)],
            "xml": hashlib.sha256(invoice.xml.encode()).hexdigest()}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _chain(previous: str, invoice: Invoice, content: str) -> str:
    return hashlib.sha256(f"{previous}|{invoice.provider_id}|{invoice.series}|{invoice.number}|{content}".encode()).hexdigest()


def _previous_chain(invoice: Invoice) -> str:
    if invoice.number <= 1:
        return ""
    previous = InvoiceSeal.objects.filter(invoice__provider_id=invoice.provider_id, invoice__series=invoice.series,
                                          invoice__number=invoice.number - 1).values_list("chain_sha256", flat=True).first()
    return previous or "missing"


def seal(invoice: Invoice) -> InvoiceSeal:
    """Seal a document just stored (inside its issuing transaction, after its lines)."""
    fresh = Invoice.objects.get(pk=invoice.pk)  # as stored, not as built in memory
    content = content_digest(fresh)
    return InvoiceSeal.objects.create(invoice=fresh, content_sha256=content, chain_sha256=_chain(_previous_chain(fresh), fresh, content))


@dataclass(frozen=True)
class Finding:
    """One thing wrong with the stored documents; ``number`` is the document's number text."""

    provider: str
    series: str
    number: str
    message: str


def check(invoice: Invoice) -> list[str]:
    """What is wrong with one stored document (empty when it matches its seal and the chain)."""
    problems = []
    if hashlib.sha256(invoice.xml.encode()).hexdigest() != invoice.xml_sha256:
        problems.append(_("The XML does not match the hash stored when it was issued."))
    stored = InvoiceSeal.objects.filter(invoice_id=invoice.pk).first()
    if stored is None:
        problems.append(_("The document has no seal: it was not issued by the product."))
        return problems
    content = content_digest(invoice)
    if content != stored.content_sha256:
        problems.append(_("The stored document differs from what was issued (its content hash does not match)."))
    if _chain(_previous_chain(invoice), invoice, stored.content_sha256) != stored.chain_sha256:
        problems.append(_("The number series before this document was changed (the hash chain breaks here)."))
    return problems


def mismatched(invoices: list[Invoice]) -> set[int]:
    """The ids of those ``invoices`` whose stored content (or XML) differs from their seal, or
    that have none; in bulk, for a list of documents (the chain is :func:`verify_series`' work)."""
    ids = [invoice.pk for invoice in invoices]
    seals = dict(InvoiceSeal.objects.filter(invoice_id__in=ids).values_list("invoice_id", "content_sha256"))
    lines: dict[int, list[InvoiceLine]] = {}
    for line in InvoiceLine.objects.filter(invoice_id__in=ids):
        lines.setdefault(line.invoice_id, []).append(line)
    return {invoice.pk for invoice in invoices
            if invoice.pk not in seals or content_digest(invoice, lines.get(invoice.pk, [])) != seals[invoice.pk]
            or hashlib.sha256(invoice.xml.encode()).hexdigest() != invoice.xml_sha256}


def verify_series(provider=None) -> tuple[int, list[Finding]]:
    """Walk every number series (of ``provider``, or all): the number of documents checked and
    every finding: a changed document, a gap (removed), a document without a seal (inserted),
    a chain that breaks, a series whose last number is not the last issued."""
    findings: list[Finding] = []
    series_rows = NumberSeries.objects.select_related("provider")
    if provider is not None:
        series_rows = series_rows.filter(provider=provider)
    checked = 0
    known = set()
    for series in series_rows.order_by("provider__code", "code"):
        known.add((series.provider_id, series.code))
        invoices = Invoice.objects.filter(provider_id=series.provider_id, series=series.code).order_by("number")
        seals = dict(InvoiceSeal.objects.filter(invoice__provider_id=series.provider_id, invoice__series=series.code)
                     .values_list("invoice_id", "chain_sha256"))
        lines: dict[int, list[InvoiceLine]] = {}
        for line in InvoiceLine.objects.filter(invoice__provider_id=series.provider_id, invoice__series=series.code):
            lines.setdefault(line.invoice_id, []).append(line)
        contents = dict(InvoiceSeal.objects.filter(invoice__provider_id=series.provider_id, invoice__series=series.code)
                        .values_list("invoice_id", "content_sha256"))
        previous, expected = "", 1

        def note(text: str, number: str, series=series) -> None:
            findings.append(Finding(series.provider.code, series.code, number, text))

        for invoice in invoices.iterator():
            checked += 1
            if invoice.number != expected:
                note(_("Numbers %(first)s to %(last)s are missing: documents were removed.") % {"first": expected, "last": invoice.number - 1},
                     invoice.number_text)
                previous = "missing"
            expected = invoice.number + 1
            if hashlib.sha256(invoice.xml.encode()).hexdigest() != invoice.xml_sha256:
                note(_("The XML does not match the hash stored when it was issued."), invoice.number_text)
            if invoice.pk not in seals:
                note(_("The document has no seal: it was not issued by the product."), invoice.number_text)
                previous = "missing"
                continue
            content = content_digest(invoice, lines.get(invoice.pk, []))
            if content != contents[invoice.pk]:
                note(_("The stored document differs from what was issued (its content hash does not match)."), invoice.number_text)
            if _chain(previous, invoice, contents[invoice.pk]) != seals[invoice.pk]:
                note(_("The number series before this document was changed (the hash chain breaks here)."), invoice.number_text)
            previous = seals[invoice.pk]
        if series.next_number != expected:
            note(_("The series says the next number is %(next)s, but the last document is number %(last)s.")
                 % {"next": series.next_number, "last": expected - 1}, "")
    for provider_id, code in Invoice.objects.values_list("provider_id", "series").distinct():
        if (provider_id, code) not in known and (provider is None or provider.pk == provider_id):
            findings.append(Finding(str(provider_id), code, "", _("Documents in a series the product never numbered.")))
    return checked, findings
