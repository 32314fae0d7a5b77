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


def _sealed_fields(model) -> list:
    return [field for field in model._meta.concrete_fields if field.name not in _SKIP]


def _row(obj) -> dict:
    return {field.attname: _canonical(field, getattr(obj, field.attname)) for field in _sealed_fields(type(obj))}


_AS_IS = frozenset({str, int, bool, type(None)})   # what ``_canonical`` returns unchanged
_UNSEEN = object()


def _row_maker(fields):
    """``row(values)``: ``_row`` of a line read as a tuple of ``fields`` (``values_list``: the same
    columns through the same converters). Each column's canonical text of a value is remembered
    (keyed by its type too: a REAL read back from a tampered row is not the decimal it equals):
    a month's lines repeat most dates, rates and prices, and 18,000 lines of a national run made
    a quarter of a million calls."""
    names = [field.attname for field in fields]
    known: dict[tuple, object] = {}

    def row(values) -> dict:
        out = {}
        for index, (name, value) in enumerate(zip(names, values, strict=True)):
            if value.__class__ in _AS_IS:
                out[name] = value
                continue
            key = (index, value.__class__, value)
            canonical = known.get(key, _UNSEEN)
            if canonical is _UNSEEN:
                canonical = known[key] = _canonical(fields[index], value)
            out[name] = canonical
        return out
    return row


def content_digest(invoice: Invoice, lines: list[InvoiceLine] | None = None, line_rows: list[dict] | None = None) -> str:
    """SHA-256 over the invoice's stored fields, its lines (by number) and its XML. The lines are
    model instances, or (``line_rows``) their ``_row_maker`` rows; read from the database when neither."""
    if line_rows is None:
        lines = lines if lines is not None else list(InvoiceLine.objects.filter(invoice_id=invoice.pk).order_by("line_no"))
        line_rows = [_row(line) for line in lines]
    body = {"invoice": _row(invoice), "lines": sorted(line_rows, key=lambda row: row["line_no"]),
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


def seal_all(invoices: list[Invoice]) -> list[InvoiceSeal]:
    """``seal`` for documents just stored one after another in one series (a billing run): the
    same seals, read back as stored in two queries and chained in memory."""
    if not invoices:
        return []
    stored = {invoice.pk: invoice for invoice in Invoice.objects.filter(pk__in=[invoice.pk for invoice in invoices])}
    lines: dict[int, list[dict]] = {pk: [] for pk in stored}
    fields = _sealed_fields(InvoiceLine)   # rows, not model instances: 18,000 lines of a national run
    row = _row_maker(fields)
    for invoice_id, *values in InvoiceLine.objects.filter(invoice_id__in=list(stored)).values_list("invoice_id", *(field.attname for field in fields)):
        lines[invoice_id].append(row(values))
    seals, previous = [], None
    for invoice in sorted((stored[invoice.pk] for invoice in invoices), key=lambda invoice: (invoice.series, invoice.number)):
        follows = previous is not None and (previous[0].series, previous[0].number + 1) == (invoice.series, invoice.number)
        chain_before = previous[1] if follows else _previous_chain(invoice)
        content = content_digest(invoice, line_rows=lines[invoice.pk])
        seal_ = InvoiceSeal(invoice=invoice, content_sha256=content, chain_sha256=_chain(chain_before, invoice, content))
        seals.append(seal_)
        previous = (invoice, seal_.chain_sha256)
    return InvoiceSeal.objects.bulk_create(seals)


@dataclass(frozen=True)
class Finding:
    """One thing wrong with the stored documents; ``number`` is the document's number text."""

    provider: str
    series: str
    number: str
    message: str


def _document_problems(invoice: Invoice, lines: list[InvoiceLine], seal: tuple[str, str] | None, previous: str | None) -> list[str]:
    """What is wrong with one document given its lines, its seal ``(content, chain)`` and the
    previous document's chain (None: do not check the chain). The one per-document check of the
    page, the list and the series walk."""
    problems = []
    if hashlib.sha256(invoice.xml.encode()).hexdigest() != invoice.xml_sha256:
        problems.append(_("The XML does not match the hash stored when it was issued."))
    if seal is None:
        problems.append(_("The document has no seal: it was not issued by the product."))
        return problems
    content, chain = seal
    if content_digest(invoice, lines) != content:
        problems.append(_("The stored document differs from what was issued (its content hash does not match)."))
    if previous is not None and _chain(previous, invoice, content) != chain:
        problems.append(_("The number series before this document was changed (the hash chain breaks here)."))
    return problems


def check(invoice: Invoice) -> list[str]:
    """What is wrong with one stored document (empty when it matches its seal and the chain)."""
    seal = InvoiceSeal.objects.filter(invoice_id=invoice.pk).values_list("content_sha256", "chain_sha256").first()
    lines = list(InvoiceLine.objects.filter(invoice_id=invoice.pk))
    return _document_problems(invoice, lines, seal, _previous_chain(invoice))


def _seals_and_lines(invoices) -> tuple[dict[int, tuple[str, str]], dict[int, list[InvoiceLine]]]:
    seals = {pk: (content, chain) for pk, content, chain in InvoiceSeal.objects.filter(invoice__in=invoices)
             .values_list("invoice_id", "content_sha256", "chain_sha256")}
    lines: dict[int, list[InvoiceLine]] = {}
    for line in InvoiceLine.objects.filter(invoice__in=invoices):
        lines.setdefault(line.invoice_id, []).append(line)
    return seals, lines


def mismatched(invoices: list[Invoice]) -> set[int]:
    """The ids of those ``invoices`` whose stored content (or XML) differs from their seal, or
    that have none; in bulk, for a list of documents (the chain is :func:`verify_series`' work)."""
    seals, lines = _seals_and_lines([invoice.pk for invoice in invoices])
    return {invoice.pk for invoice in invoices if _document_problems(invoice, lines.get(invoice.pk, []), seals.get(invoice.pk), None)}


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
        seals, lines = _seals_and_lines(invoices)
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
            for problem in _document_problems(invoice, lines.get(invoice.pk, []), seals.get(invoice.pk), previous):
                note(problem, invoice.number_text)
            previous = seals[invoice.pk][1] if invoice.pk in seals else "missing"
        if series.next_number != expected:
            note(_("The series says the next number is %(next)s, but the last document is number %(last)s.")
                 % {"next": series.next_number, "last": expected - 1}, "")
    for provider_id, code in Invoice.objects.values_list("provider_id", "series").distinct():
        if (provider_id, code) not in known and (provider is None or provider.pk == provider_id):
            findings.append(Finding(str(provider_id), code, "", _("Documents in a series the product never numbered.")))
    return checked, findings
