"""Billing use cases: preview, approve and issue a month; credit notes and corrected invoices.

The flow is built so that what a reviewer approves is exactly what is issued:

1. ``start_run`` rates the month (``core.billing``) and stores the result on the run as a
   *preview*, with a hash of its content and the Peppol findings of every draft document.
2. ``approve`` records that hash. A preview with a fatal finding cannot be approved.
3. ``issue`` rates the month again inside one transaction, refuses if the hash differs (usage
   or prices changed after approval), takes gap-free numbers under a row lock, writes each
   document, validates its XML with the official rules and stores it. Any failure, or a crash,
   rolls the whole run back: no partial invoice, no number used.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import translation

import servicecenter
from servicecenter import clock
from servicecenter.apps.accounts.audit import record
from servicecenter.apps.billing import integrity, plausibility
from servicecenter.apps.billing.documents import document_facts
from servicecenter.apps.billing.models import (
    BillingRun,
    Invoice,
    InvoiceLine,
    NumberSeries,
    UsageEvent,
    UsageTotal,
)
from servicecenter.apps.costing.keys import customer_weights
from servicecenter.apps.costing.models import AllocationKey, PriceList
from servicecenter.apps.imports import bulk
from servicecenter.apps.metering.models import Volume
from servicecenter.apps.registry.models import Agreement, Customer, CustomerYear, Provider, Service
from servicecenter.apps.registry.services import active_during
from servicecenter.core import limits, progress
from servicecenter.core.billing import (
    DraftInvoice,
    RatedLine,
    RatingError,
    Terms,
    Vat,
    VatCategory,
    credit_lines,
    group_by_customer,
    rate_month,
    rate_year,
    totals,
)
from servicecenter.core.billing.payment import ocr_reference
from servicecenter.core.billing.vat import SAME_PERSON_TEXT, STATE_TEXT
from servicecenter.core.money import decimal_of, round_ore, round_places
from servicecenter.core.periods import Period
from servicecenter.core.pricing.strategies import CustomerInput
from servicecenter.formats.peppol import (
    DEFAULT_EXEMPTION,
    DocumentType,
    InvoiceDocument,
    Line,
    Party,
    PeppolValidator,
    build_ubl,
)

UNIT_CODES = {"hour": "HUR", "month": "MON", "employee_month": "C62"}   # UN/ECE Rec. 20; everything else counts pieces (C62)
SERIES = {Invoice.Type.INVOICE: ("F", "F"), Invoice.Type.CREDIT_NOTE: ("K", "K")}


class BillingError(Exception):
    """A billing step that cannot be taken, with a message for the person who tried."""


@cache
def validator() -> PeppolValidator:
    return PeppolValidator(Path(settings.PEPPOL_RULES))


# --- rating inputs -----------------------------------------------------------------------------

def invoiced_months(provider: Provider) -> set[date]:
    """The first days of the months of ``provider`` with an issued billing run."""
    return set(BillingRun.objects.filter(provider=provider, state=BillingRun.State.ISSUED).values_list("period", flat=True))


def price_list_for(provider: Provider, year: int) -> PriceList:
    price_list = PriceList.objects.filter(provider=provider, year=year, status=PriceList.Status.PUBLISHED).order_by("-id").first()
    if price_list is None:
        raise BillingError(translation.gettext("There is no published price list for %(year)s: publish one before billing that year.") % {"year": year})
    return price_list


def terms_of(price_list: PriceList) -> dict[str, Terms]:
    terms = {}
    for entry in price_list.entries.select_related("service", "payer").prefetch_related("service__versions"):
        version = entry.service.version_for(price_list.year) or entry.service.latest_version()
        name = version.name_sv if version else entry.service.code
        terms[entry.service.code] = Terms(
            service=entry.service.code, name=name, unit_code=UNIT_CODES.get(version.unit if version else "", "C62"),
            unit_price=entry.unit_price,
            tiers=tuple((decimal_of(start), decimal_of(price)) for start, price in entry.tiers), graduated=entry.graduated,
            annual_pool=entry.fixed_pool if entry.fixed_pool and entry.payer_id is None else None,
            base_fixed=entry.base_fixed, per_employee=entry.per_employee,
            packages={code: decimal_of(price) for code, price in entry.packages.items()},
            connection_fee=entry.connection_fee, connection_months=entry.connection_months,
            reimbursement=(entry.payer.number, entry.fixed_pool) if entry.payer_id and entry.fixed_pool else None,
            pass_through_markup=entry.markup, discount_share=entry.discount_share,
            vat=Vat(VatCategory(entry.vat_category), entry.vat_rate if entry.vat_category == "S" else Decimal(0)),
        )
    return terms


def actual_quantities(provider: Provider, year: int) -> dict[str, dict[date, Decimal]]:
    """Per service code and month of ``year``, the quantity invoices are rated on: the monthly
    volumes plus the usage events (late ones included: they belong to their month)."""
    result: dict[str, dict[date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for code, month, quantity in (Volume.objects.filter(provider=provider, month__year=year).values("service__code", "month")
                                  .annotate(q=Sum("quantity")).values_list("service__code", "month", "q")):
        result[code][month] += quantity
    for code, month, quantity in (UsageTotal.objects.filter(provider=provider, month__year=year).values("service__code", "month")
                                  .annotate(q=Sum("quantity")).values_list("service__code", "month", "q")):
        result[code][month] += quantity
    return {code: dict(months) for code, months in result.items()}


def _months_between(start: date, period: Period) -> int:
    return (period.start.year - start.year) * 12 + period.start.month - start.month + 1


def pool_keys(price_list: PriceList) -> dict[str, AllocationKey]:
    """Service code → the key its fixed pool is spread by, for entries that name one (the
    others are spread by the customers' employees)."""
    return {entry.service.code: entry.key for entry in price_list.entries.filter(key__isnull=False).select_related("service", "key__service", "key__provider")}


def usage_of(provider: Provider, period: Period, terms: dict[str, Terms], keys: dict[str, AllocationKey] | None = None) -> tuple[dict[str, dict[str, CustomerInput]], dict]:
    """What each customer brought to each service in the month: volumes plus (not late) events;
    for fixed components, every customer with an agreement in production during the month, with
    its weight in the fixed pool: its employees, or its weight under the entry's key (``keys``)."""
    quantities: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    packages: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    costs: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    summary = {"volume_rows": 0, "volume_quantity": Decimal(0), "events": 0, "event_quantity": Decimal(0)}
    for org, code, quantity in Volume.objects.filter(provider=provider, month=period.start).values_list("customer__number", "service__code", "quantity"):
        quantities[(code, org)] += quantity
        summary["volume_rows"] += 1
        summary["volume_quantity"] += quantity
    events = (UsageTotal.objects.filter(provider=provider, month=period.start, late=False)
              .values("customer__number", "service__code", "package").annotate(quantity=Sum("quantity"), cost=Sum("cost")))
    for row in events.annotate(n=Sum("events")):
        key = (row["service__code"], row["customer__number"])
        summary["events"] += row["n"]
        summary["event_quantity"] += row["quantity"]
        if row["package"]:
            packages[key][row["package"]] = packages[key].get(row["package"], 0) + int(row["quantity"])
        elif row["cost"] is not None:
            costs[key] += row["cost"]
        else:
            quantities[key] += row["quantity"]
    fixed_services = {code for code, term in terms.items() if term.annual_pool is not None or term.base_fixed is not None
                      or term.per_employee is not None or term.connection_fee is not None or term.discount_share}
    agreements: dict[tuple[str, str], tuple[date, bool]] = {}   # (service, customer) → (in production, entitled to the discount)
    for code, org, production, discount in (   # rows, not instances: a national month has 18,000 agreements
            Agreement.objects.filter(active_during(period), customer__provider=provider, service__code__in=fixed_services)
            .values_list("service__code", "customer__number", "production_date", "discount_eligible")):
        agreements[(code, org)] = (production, discount)
    employees = dict(CustomerYear.objects.filter(customer__provider=provider, year=period.start.year).values_list("customer__number", "employees"))
    weights = {code: customer_weights(key, period.start.year, code) for code, key in (keys or {}).items()}
    usage: dict[str, dict[str, CustomerInput]] = defaultdict(dict)
    for code, org in sorted(set(quantities) | set(packages) | set(costs) | set(agreements)):
        agreement = agreements.get((code, org))
        term = terms.get(code)
        weight = weights[code].get(org, Decimal(0)) if code in weights else Decimal(employees.get(org, 0))
        usage[code][org] = CustomerInput(
            quantity=quantities.get((code, org), Decimal(0)), key=weight if agreement else Decimal(0),
            employees=employees.get(org, 0) if agreement else 0, packages=packages.get((code, org), {}), pass_through_cost=costs.get((code, org), Decimal(0)),
            connection_month=_months_between(agreement[0], period) if agreement and term and term.connection_fee else None,
            discount_eligible=bool(agreement and agreement[1]))
    summary = {key: str(value) for key, value in summary.items()}
    return usage, summary


def outside_scope_text(provider: Provider, customer: Customer) -> str | None:
    """Why a sale to ``customer`` is outside the scope of VAT, as the invoice states it, or None
    when VAT applies. It follows the legal persons: a customer under the seller's own
    organisation number (a city's administration buying from the city's service administration)
    is the same legal person; for a state seller every state agency is, since the state is one
    legal person. A city-owned company, another municipality or a region is not."""
    if customer.org_number == provider.org_number:
        return SAME_PERSON_TEXT.format(legal_person=customer.legal_name or provider.name)
    if provider.is_state and customer.sector == "state":
        return STATE_TEXT
    return None


def internal_customers(provider: Provider) -> set[str]:
    """The customer numbers of the buyers inside the seller's legal person (no VAT)."""
    return {c.number for c in Customer.objects.filter(provider=provider).only("number", "org_number", "sector", "legal_name")
            if outside_scope_text(provider, c) is not None}


def rate(provider: Provider, period: Period, price_list: PriceList | None = None, check: bool = True) -> tuple[list[DraftInvoice], dict]:
    """The month's draft invoices and a summary of the usage behind them. ``check``: refuse amounts
    beyond the domain's (``check_amounts``); issuing leaves it out, since it compares what it rates
    with the approved preview, whose amounts were checked, and refuses any difference."""
    price_list = price_list or price_list_for(provider, period.start.year)
    terms = terms_of(price_list)
    usage, summary = usage_of(provider, period, terms, pool_keys(price_list))
    try:
        lines = rate_month(terms, usage, period, internal_customers=internal_customers(provider))
    except RatingError as error:
        raise BillingError(error.problem.message(translation.get_language() or "sv")) from error
    drafts = group_by_customer(lines)
    if check:
        check_amounts(drafts, dict(Customer.objects.filter(provider=provider).values_list("number", "name")))
    return drafts, summary


def year_lines(price_list: PriceList) -> list[RatedLine]:
    """Every line the twelve months of the price list's year would be invoiced with under it (its
    usage as stored now), through the same rating as the invoices; for recovery and the what-if."""
    from servicecenter.apps.costing.revenue import RevenueError

    provider, year = price_list.provider, price_list.year
    terms = terms_of(price_list)
    keys = pool_keys(price_list)
    usage = {month: usage_of(provider, Period.month(year, month), terms, keys)[0] for month in range(1, 13)}
    try:
        return rate_year(terms, usage, year, internal_customers=internal_customers(provider))
    except RatingError as error:
        raise RevenueError(error.problem.message(translation.get_language() or "sv")) from error


def check_amounts(drafts, names: dict[str, str]) -> None:
    """Refuse a run in which a line or an invoice exceeds the domain's amounts: such a number is
    a typing error in the usage or the prices, and would not be kept exactly once issued."""
    for draft in drafts:
        for line in draft.lines:
            if limits.AMOUNT.check(line.amount) is not None or limits.SIGNED_QUANTITY.check(round_places(line.quantity, 3)) is not None:
                raise BillingError(translation.gettext("%(customer)s, %(service)s: the amount %(amount)s kr (quantity %(quantity)s) is beyond what an invoice "
                                                       "line may hold (below %(limit)s kr); check the usage and the price.")
                                   % {"customer": names.get(draft.customer, draft.customer), "service": line.service, "amount": line.amount,
                                      "quantity": line.quantity, "limit": limits._plain(limits.TRILLION)})
        if limits.AMOUNT.check(draft.net) is not None:
            raise BillingError(translation.gettext("%(customer)s: the invoice total %(amount)s kr is beyond what an invoice may hold (below %(limit)s kr).")
                               % {"customer": names.get(draft.customer, draft.customer), "amount": draft.net, "limit": limits._plain(limits.TRILLION)})


# --- documents -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Buyer:
    customer: Customer
    reference: str
    endpoint: str


def buyer_of(customer: Customer, services: set[str], agreements: list[tuple[str, str]] | None = None) -> Buyer:
    """Who the invoice of ``customer`` for ``services`` is addressed to: the buyer reference of
    its agreements for those services, else of any of its agreements, else the customer's own.
    ``agreements``: the customer's (service code, buyer reference) pairs, when already read."""
    if agreements is None:
        agreements = [(a.service.code, a.buyer_reference) for a in customer.agreements.select_related("service")]
    references = sorted({reference for code, reference in agreements if reference and code in services}) or \
        sorted({reference for _code, reference in agreements if reference})
    references = references or [customer.buyer_reference or customer.number]
    endpoint = customer.peppol_id or f"0007:{customer.org_number.replace('-', '')}"
    return Buyer(customer, references[0], endpoint)


F_SKATT = "Godkänd för F-skatt"


def _seller_party(provider: Provider, outside_scope: bool) -> Party:
    return Party(provider.name, provider.org_number, street=provider.street, city=provider.city, postal_code=provider.postal_code,
                 vat_number="" if outside_scope else provider.vat_number, contact_email=provider.invoice_email,
                 legal_form=F_SKATT if provider.f_skatt else "", contact_name=provider.contact_name, contact_phone=provider.contact_phone)


def _payee(provider: Provider) -> tuple[str, str]:
    """The account the invoice is paid to: the bankgiro, else the plusgiro."""
    if provider.bankgiro:
        return provider.bankgiro, "SE:BANKGIRO"
    if provider.plusgiro:
        return provider.plusgiro, "SE:PLUSGIRO"
    return "", "SE:BANKGIRO"


def _endpoint(text: str) -> dict:
    """``0007:2021005489`` → the Party's endpoint and scheme; a bare identifier is scheme 0007."""
    scheme, _, identifier = text.partition(":")
    return {"endpoint": identifier or scheme, "endpoint_scheme": scheme if identifier else "0007"}


def _buyer_party(buyer: Buyer) -> Party:
    customer = buyer.customer
    return Party(customer.legal_person, customer.org_number, street=customer.street, city=customer.city, postal_code=customer.postal_code,
                 trading_name=customer.name if customer.legal_person != customer.name else "", **_endpoint(buyer.endpoint))


def _peppol_lines(lines, item_id=lambda line: line.service) -> list[Line]:
    """Rated lines (``service`` is the code) or invoice lines (pass ``item_id``) as Peppol lines."""
    return [Line(str(number), line.description, line.quantity, line.unit_code, line.unit_price, line.amount, VatCategory(line.vat_category),
                 Decimal(line.vat_rate), item_id=item_id(line), period_start=line.period_start, period_end=line.period_end)
            for number, line in enumerate(lines, start=1)]


def draft_document(provider: Provider, buyer: Buyer, draft: DraftInvoice, number: str, issue_date: date, due_date: date, period: Period,
                   sequence: int = 1) -> InvoiceDocument:
    """The invoice as a document; ``sequence`` is its number in the series, which the OCR reference carries."""
    account, scheme = _payee(provider)
    return InvoiceDocument(number=number, issue_date=issue_date, due_date=due_date, document_type=DocumentType.INVOICE,
                           seller=_seller_party(provider, draft.outside_scope), buyer=_buyer_party(buyer), buyer_reference=buyer.reference,
                           lines=_peppol_lines(draft.lines), period_start=period.start, period_end=period.last_day,
                           bankgiro=account, payee_scheme=scheme, payment_reference=ocr_reference(sequence, provider.ocr_length_digit),
                           note=f"Fakturering {period.label()}",
                           exemption_reason=(outside_scope_text(provider, buyer.customer) if draft.outside_scope else None) or DEFAULT_EXEMPTION)


def _line_json(line: RatedLine) -> dict:
    return {"service": line.service, "description": line.description, "quantity": str(line.quantity), "unit_code": line.unit_code,
            "unit_price": str(line.unit_price), "amount": str(line.amount), "category": line.category.value,
            "vat_category": line.vat_category.value, "vat_rate": str(line.vat_rate),
            "period_start": line.period_start.isoformat(), "period_end": line.period_end.isoformat()}


def _preview(provider: Provider, drafts: list[DraftInvoice]) -> list[dict]:
    customers = {c.number: c for c in Customer.objects.filter(provider=provider, number__in=[d.customer for d in drafts])}
    agreements: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for customer_id, code, reference in Agreement.objects.filter(customer__provider=provider).values_list("customer_id", "service__code", "buyer_reference"):
        agreements[customer_id].append((code, reference))   # one query: a prefetch of 18,000 agreements cost 0.4 s
    result = []
    for draft in drafts:
        customer = customers[draft.customer]
        buyer = buyer_of(customer, {line.service for line in draft.lines}, agreements[customer.pk])
        summary = totals(draft.lines)
        result.append({"customer_id": customer.pk, "customer_number": customer.number, "org_number": customer.org_number, "name": customer.name,
                       "outside_scope": draft.outside_scope,
                       "buyer_reference": buyer.reference, "endpoint": buyer.endpoint,
                       "net": str(summary.line_total), "tax": str(summary.tax_total), "payable": str(summary.payable),
                       "lines": [_line_json(line) for line in draft.lines]})
    return result


def _shown_for(preview: list[dict]):
    """The preview row of a draft invoice, found by its buyer and VAT scope (never by position)."""
    rows = {(row.get("customer_number", row["org_number"]), row.get("outside_scope", False)): row for row in preview}
    return lambda draft: rows[(draft.customer, draft.outside_scope)]


def content_hash(preview: list[dict], price_list_id: int, issue_date: date, due_date: date) -> str:
    text = json.dumps({"invoices": preview, "price_list": price_list_id, "issue": issue_date.isoformat(), "due": due_date.isoformat()},
                      sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _expected_numbers(provider: Provider, document_type: str, count: int) -> list[tuple[str, int, str]]:
    """The numbers ``_take_numbers`` would give now, without taking them (no lock, no write)."""
    code, prefix = SERIES[document_type]
    series = NumberSeries.objects.filter(provider=provider, code=code).first()
    first, prefix = (series.next_number, series.prefix) if series else (1, prefix)
    return [(code, number, f"{prefix}{number:07d}") for number in range(first, first + count)]


def _each_document(provider: Provider, drafts: list[DraftInvoice], preview: list[dict], numbers, issue_date: date, due_date: date,
                   period: Period, built: dict[str, str] | None = None):
    """The documents of a run's drafts under ``numbers``, one at a time: [draft, preview row,
    customer, buyer, document, UBL]. ``built`` holds UBL already built (the preview's, by
    ``document_key``): a document whose key is there has those bytes, any other None
    (``_build_and_validate`` builds it)."""
    customers = {c.pk: c for c in Customer.objects.filter(pk__in=[p["customer_id"] for p in preview])}
    shown_for = _shown_for(preview)
    for draft, (_series, number, text) in zip(drafts, numbers, strict=True):
        shown = shown_for(draft)
        customer = customers[shown["customer_id"]]
        buyer = Buyer(customer, shown["buyer_reference"], shown["endpoint"])
        document = draft_document(provider, buyer, draft, text, issue_date, due_date, period, sequence=number)
        known = built.get(document_key(document)) if built else None
        yield [draft, shown, customer, buyer, document, known.encode() if known is not None else None]


def _documents(provider: Provider, drafts: list[DraftInvoice], preview: list[dict], numbers, issue_date: date, due_date: date, period: Period,
               built: dict[str, str] | None = None) -> list[list]:
    """``_each_document``, all of them."""
    return list(_each_document(provider, drafts, preview, numbers, issue_date, due_date, period, built))


def _build_and_validate(documents: list[list], known: set[str]) -> list[list]:
    """The findings of each of ``_documents``, whose missing UBL is filled in. A document not built
    yet is built and validated in the validation workers, side by side; a built one whose exact
    bytes were validated without a fatal finding (SHA-256 in ``known``, under the same rule sets:
    validation is a pure function of the bytes and the rules) is not validated again; any other is
    validated now."""
    check = validator()
    findings: list[list] = [[] for _ in documents]
    todo = [k for k, document in enumerate(documents) if document[-1] is None]
    built = set(todo)
    again = [k for k, document in enumerate(documents) if k not in built and hashlib.sha256(document[-1]).hexdigest() not in known]
    total = len(todo) + len(again)
    _start_validating(total)
    for k, (xml, found) in zip(todo, check.build_and_validate_all([documents[k][4] for k in todo], progress=_told(0, total)), strict=True):
        documents[k][-1], findings[k] = xml, found
    for k, found in zip(again, check.validate_all([documents[k][-1] for k in again], progress=_told(len(todo), total)), strict=True):
        findings[k] = found
    return findings


def _start_validating(total: int) -> None:
    if total:
        progress.report(0, total, translation.gettext("Validating %(total)s documents") % {"total": total})


def _told(offset: int, total: int):
    """The validators' ``progress(done, count)`` as the job's progress, ``offset`` documents on."""
    return lambda done, _count: progress.report(offset + done, total, translation.gettext("Validated %(done)s of %(total)s documents")
                                                % {"done": offset + done, "total": total})


def document_key(document: InvoiceDocument) -> str:
    """What ``build_ubl`` builds a document from, as a digest: every field of the document (its
    dataclass repr: parties, lines, amounts, dates) and the version of the code that builds it."""
    return hashlib.sha256(f"{servicecenter.__version__}|{document!r}".encode()).hexdigest()


def _pack(built: Iterable[tuple[str, bytes]]) -> bytes:
    """``(document_key, UBL)`` pairs as ``BillingRun.built`` keeps them."""
    return zlib.compress(json.dumps({key: xml.decode() for key, xml in built}).encode(), 1)


def _unpack(built: bytes | memoryview | None) -> dict[str, str]:
    return json.loads(zlib.decompress(bytes(built))) if built else {}


def _findings(provider: Provider, drafts: list[DraftInvoice], preview: list[dict], issue_date: date, due_date: date,
              period: Period) -> tuple[list[dict], dict, bytes]:
    """Every draft validated as the invoice it will be: under the numbers the run expects to take
    (the next ones of the series), so that issuing the same bytes need not build or validate them
    again. Returns the findings, the record of the documents that passed (``BillingRun.validated``)
    and the documents built (``BillingRun.built``).

    The documents go to the validation workers as they are made: the workers start on the first
    while this process makes the rest."""
    numbers = _expected_numbers(provider, Invoice.Type.INVOICE, len(drafts))
    documents: list[list] = []
    keys: list[str] = []

    def made():
        for entry in _each_document(provider, drafts, preview, numbers, issue_date, due_date, period):
            documents.append(entry)
            keys.append(document_key(entry[4]))   # here, while the workers validate the documents before it
            yield entry[4]

    check = validator()
    _start_validating(len(drafts))
    results = check.build_and_validate_all(made(), progress=_told(0, len(drafts)), total=len(drafts))
    found, passed = [], []
    for entry, (xml, findings) in zip(documents, results, strict=True):
        entry[-1] = xml
        for finding in findings:
            found.append({"customer": entry[1]["name"], "org_number": entry[1]["org_number"], "rule": finding.rule, "flag": finding.flag,
                          "message": finding.message, "location": finding.location})
        if not check.fatal(findings):
            passed.append(hashlib.sha256(xml).hexdigest())
    return found, {"rules": check.fingerprint, "documents": passed}, _pack(zip(keys, (entry[-1] for entry in documents), strict=True))


# --- the run -------------------------------------------------------------------------------------

def refuse_start(provider: Provider, period: Period) -> None:
    """What refuses a preview of the month before any work (a few queries): the month is issued,
    or the year has no published price list. Raised as BillingError."""
    issued = BillingRun.objects.filter(provider=provider, period=period.start, state=BillingRun.State.ISSUED).first()
    if issued is not None:
        raise BillingError(translation.gettext("%(month)s is already issued (%(count)s invoices); running it again issues nothing. "
                                               "Correct an invoice with a credit note.") % {"month": period.label(), "count": issued.invoices.count()})
    price_list_for(provider, period.start.year)


def refuse_issue(run: BillingRun) -> None:
    """What refuses issuing the run before any work: it is issued, or not approved."""
    if run.state == BillingRun.State.ISSUED:
        raise BillingError(translation.gettext("%(month)s is already issued; nothing new was issued.") % {"month": f"{run.period:%Y-%m}"})
    if run.state != BillingRun.State.APPROVED:
        raise BillingError(translation.gettext("Approve the preview before issuing."))


def start_run(provider: Provider, period: Period, user=None, issue_date: date | None = None, validate: bool = True) -> BillingRun:
    """A preview of the month. Refused when the month is issued or another run for it is open."""
    refuse_start(provider, period)
    price_list = price_list_for(provider, period.start.year)
    issue_date = issue_date or max(clock.today(), period.end)
    due_date = issue_date + timedelta(days=provider.payment_days)
    progress.step(translation.gettext("Rating the month's usage against the price list"))
    drafts, usage = rate(provider, period, price_list)
    preview = _preview(provider, drafts)
    run = BillingRun(provider=provider, period=period.start, price_list=price_list, issue_date=issue_date, due_date=due_date,
                     preview_hash=content_hash(preview, price_list.pk, issue_date, due_date), usage=usage, created_by=_user(user),
                     prepared_by=_user(user), flags=plausibility.flags_for(provider, period, preview))
    run.set_preview(preview)
    if validate:   # before the run is stored: a worker stopped midway leaves no run without its findings
        run.findings, run.validated, run.built = _findings(provider, drafts, preview, issue_date, due_date, period)
    try:
        with transaction.atomic():   # the run and its audit entry, or neither
            run.save()
            record("billing.run.previewed", user=user, obj=run, provider=provider,
                   data={"month": period.label(), "invoices": run.invoice_count, "net": str(run.net_total), "fatal": len(run.fatal_findings),
                         "flags": len(run.flags)})
    except IntegrityError as error:
        other = BillingRun.objects.filter(provider=provider, period=period.start).exclude(state=BillingRun.State.DISCARDED).first()
        raise BillingError(translation.gettext("A billing run for %(month)s is already open (started %(when)s by %(who)s): continue with that one, "
                                               "or discard it first.") % {"month": period.label(),
                                                                          "when": f"{clock.local(other.created_at):%Y-%m-%d %H:%M}" if other else "",
                                                                          "who": other.created_by if other and other.created_by else "system"}) from error
    return run


def refresh(run: BillingRun, user=None, validate: bool = True) -> BillingRun:
    """Rate the month again (usage or prices changed); an approval is withdrawn."""
    with transaction.atomic():
        run = BillingRun.objects.select_for_update().get(pk=run.pk)
        if run.state not in (BillingRun.State.PREVIEW, BillingRun.State.APPROVED):
            raise BillingError(translation.gettext("This run is %(state)s and can no longer change.") % {"state": run.get_state_display()})
        period = Period.month(run.period.year, run.period.month)
        drafts, run.usage = rate(run.provider, period, run.price_list)
        run.set_preview(_preview(run.provider, drafts))
        run.preview_hash = content_hash(run.preview, run.price_list_id, run.issue_date, run.due_date)
        run.findings, run.validated, run.built = (_findings(run.provider, drafts, run.preview, run.issue_date, run.due_date, period)
                                                  if validate else ([], {}, b""))
        run.flags, run.flags_acknowledged_by, run.flags_acknowledged_at = plausibility.flags_for(run.provider, period, run.preview), None, None
        run.state, run.approved_hash, run.approved_by, run.approved_at = BillingRun.State.PREVIEW, "", None, None
        run.prepared_by = _user(user)
        run.save()
    record("billing.run.refreshed", user=user, obj=run, data={"invoices": run.invoice_count, "net": str(run.net_total), "flags": len(run.flags)})
    return run


def approve(run: BillingRun, user=None, acknowledge_flags: bool = False) -> BillingRun:
    """Approve a preview. With four eyes on (the provider's setting, on by default) the person who
    prepared the preview cannot approve it; a preview with plausibility flags is approved only
    with ``acknowledge_flags`` (the approver has looked at them), which is recorded."""
    with transaction.atomic():
        run = (BillingRun.objects.select_for_update(of=("self",)).select_related("provider", "prepared_by")
               .defer("preview", "usage", *BillingRun.DOCUMENT_FIELDS).get(pk=run.pk))   # the hash stands for the preview: not its megabytes
        if run.state != BillingRun.State.PREVIEW:
            raise BillingError(translation.gettext("Only a preview can be approved; this run is %(state)s.") % {"state": run.get_state_display()})
        if run.fatal_findings:
            raise BillingError(translation.gettext("The preview has %(count)s fatal Peppol findings; correct them before approving.") % {"count": len(run.fatal_findings)})
        approver = _user(user)
        if run.provider.four_eyes and run.prepared_by_id is not None and (approver is None or approver.pk == run.prepared_by_id):
            raise BillingError(translation.gettext("%(person)s prepared this preview; with four eyes on, another person approves it.")
                               % {"person": _person(run.prepared_by)})
        if run.flags and not acknowledge_flags:
            raise BillingError(translation.ngettext("The preview has %(count)s plausibility flag: look at it and confirm that you have before approving.",
                                                    "The preview has %(count)s plausibility flags: look at them and confirm that you have before approving.",
                                                    len(run.flags)) % {"count": len(run.flags)})
        fields = ["state", "approved_hash", "approved_by", "approved_at"]   # not the preview's megabytes again
        run.state, run.approved_hash, run.approved_by, run.approved_at = BillingRun.State.APPROVED, run.preview_hash, approver, clock.now()
        if run.flags:
            run.flags_acknowledged_by, run.flags_acknowledged_at = approver, run.approved_at
            fields += ["flags_acknowledged_by", "flags_acknowledged_at"]
        run.save(update_fields=fields)
    record("billing.run.approved", user=user, obj=run, data={"hash": run.approved_hash, "flags_acknowledged": len(run.flags)})
    return run


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else translation.gettext("the system")


def discard(run: BillingRun, user=None) -> BillingRun:
    with transaction.atomic():
        run = BillingRun.objects.select_for_update().get(pk=run.pk)
        if run.state == BillingRun.State.ISSUED:
            raise BillingError(translation.gettext("An issued run cannot be discarded; correct its invoices with credit notes."))
        run.state, run.built = BillingRun.State.DISCARDED, b""
        run.save(update_fields=["state", "built"])
    record("billing.run.discarded", user=user, obj=run)
    return run


def _take_numbers(provider: Provider, document_type: str, count: int) -> list[tuple[str, int, str]]:
    code, prefix = SERIES[document_type]
    NumberSeries.objects.get_or_create(provider=provider, code=code, defaults={"prefix": prefix})
    series = NumberSeries.objects.select_for_update().get(provider=provider, code=code)
    first = series.next_number
    series.next_number = first + count
    series.save(update_fields=["next_number"])
    return [(code, number, f"{series.prefix}{number:07d}") for number in range(first, first + count)]


def _store(provider, customer, buyer: Buyer, document: InvoiceDocument, series: str, number: int, lines_of, *, preceding=None,
           corrects=None, reason="", user=None) -> Invoice:
    """Validate ``document`` and write it, frozen and sealed. A fatal finding aborts the transaction."""
    invoice = _invoice(provider, customer, buyer, document, series, number, preceding=preceding, corrects=corrects, reason=reason, user=user)
    invoice.save()
    _insert_lines((invoice, lines_of))
    integrity.seal(invoice)
    return invoice


def _insert_lines(*invoices_and_lines: tuple[Invoice, Iterable]) -> None:
    """The lines ``(line number, fields)`` of each saved invoice, in one prepared INSERT
    (``bulk.insert_rows``): a run writes the 18,000 lines of its 300 invoices at once.
    ``bulk_create`` spent a second of a national run building the statement for them."""
    attnames = [field.attname for field in InvoiceLine._meta.concrete_fields if not field.primary_key]
    given = [name for name in attnames if name not in ("invoice_id", "line_no", "credited_line_id")]   # by ``_line_fields``
    rows = []
    for invoice, lines_of in invoices_and_lines:
        for line_no, values in lines_of:
            credited = values.get("credited_line")
            rows.append([invoice.pk, line_no, credited.pk if credited is not None else None, *map(values.__getitem__, given)])
    bulk.insert_rows(InvoiceLine, ["invoice_id", "line_no", "credited_line_id", *given], rows)


def _invoice(provider, customer, buyer: Buyer, document: InvoiceDocument, series: str, number: int, *, run=None, preceding=None,
             corrects=None, reason="", user=None, xml: bytes | None = None, findings=None) -> Invoice:
    """The document as an unsaved invoice, after its validation: a fatal finding raises.
    ``xml`` and ``findings`` are the document's UBL and its validation when already done (a run
    validates all its documents at once, in parallel)."""
    if xml is None:
        xml = build_ubl(document)
    fatal = validator().fatal(validator().validate(xml) if findings is None else findings)
    if fatal:
        raise BillingError(translation.gettext("%(number)s for %(customer)s fails Peppol validation: %(findings)s")
                           % {"number": document.number, "customer": customer.name, "findings": "; ".join(f"{f.rule}: {f.message}" for f in fatal[:5])})
    summary = totals(document.lines)
    seller, buyer_party = document.seller, document.buyer
    invoice = Invoice(
        provider=provider, customer=customer, run=run, document_type=document.document_type.value, series=series, number=number,
        number_text=document.number, issue_date=document.issue_date, due_date=document.due_date,
        period_start=document.period_start, period_end=document.period_end, preceding=preceding, corrects=corrects, reason=reason[:300],
        seller_name=seller.name, seller_org_number=seller.org_number, seller_street=seller.street, seller_postal_code=seller.postal_code,
        seller_city=seller.city, seller_vat_number=seller.vat_number, seller_bankgiro=document.bankgiro, seller_email=seller.contact_email,
        buyer_name=buyer_party.name, buyer_org_number=buyer_party.org_number, buyer_street=buyer_party.street, buyer_postal_code=buyer_party.postal_code,
        buyer_city=buyer_party.city, buyer_endpoint=buyer.endpoint, buyer_reference=buyer.reference,
        net_total=summary.line_total, tax_total=summary.tax_total, payable=summary.payable,
        xml=xml.decode(), xml_sha256=hashlib.sha256(xml).hexdigest(), created_by=_user(user))
    return invoice


def issue(run: BillingRun, user=None) -> list[Invoice]:
    """Issue an approved run: all its invoices, or (on any error or crash) none."""
    with transaction.atomic():
        # the month is rated again and compared by its hash: the stored preview (megabytes of JSON) is not read
        run = BillingRun.objects.select_for_update().select_related("provider", "price_list").defer("preview", "usage").get(pk=run.pk)
        refuse_issue(run)
        period = Period.month(run.period.year, run.period.month)
        progress.step(translation.gettext("Rating the month again to check it is what was approved"))
        drafts, usage = rate(run.provider, period, run.price_list, check=False)
        preview = _preview(run.provider, drafts)
        if content_hash(preview, run.price_list_id, run.issue_date, run.due_date) != run.approved_hash:
            raise BillingError(translation.gettext("Usage or prices changed after the preview was approved: refresh the preview and approve it again."))
        numbers = _take_numbers(run.provider, Invoice.Type.INVOICE, len(drafts))
        services = dict(Service.objects.filter(provider=run.provider).values_list("code", "id"))
        prepared = _documents(run.provider, drafts, preview, numbers, run.issue_date, run.due_date, period, built=_unpack(run.built))
        check = validator()   # what the preview validated counts under the same rule sets only
        findings = _build_and_validate(prepared, set(run.validated.get("documents", ())) if run.validated.get("rules") == check.fingerprint else set())
        progress.step(translation.ngettext("Writing %(count)s invoice", "Writing %(count)s invoices", len(prepared)) % {"count": len(prepared)})
        invoices = [_invoice(run.provider, customer, buyer, document, series, number, run=run, user=user, xml=xml, findings=found)
                    for (series, number, _text), (_draft, _shown, customer, buyer, document, xml), found in zip(numbers, prepared, findings, strict=True)]
        if connection.features.can_return_rows_from_bulk_insert:
            Invoice.objects.bulk_create(invoices)   # one statement; the ids come back
        else:
            for invoice in invoices:
                invoice.save()
        _insert_lines(*((invoice, ((n, _line_fields(line, services[line.service])) for n, line in enumerate(draft.lines, start=1)))
                        for invoice, (draft, *_rest) in zip(invoices, prepared, strict=True)))
        integrity.seal_all(invoices)
        run.state, run.issued_by, run.issued_at, run.usage = BillingRun.State.ISSUED, _user(user), clock.now(), usage
        run.built = b""   # the invoices hold their XML now
        run.save(update_fields=["state", "issued_by", "issued_at", "usage", "built"])
        record("billing.run.issued", user=user, obj=run, data={"invoices": len(invoices), "first": numbers[0][2] if numbers else "",
                                                                "last": numbers[-1][2] if numbers else "", "payable": str(sum((i.payable for i in invoices), Decimal(0)))})
    return invoices


def _line_fields(line, service_id: int, **changes) -> dict:
    """The stored fields of an invoice line, from a rated line or an issued one (same names)."""
    fields = {"service_id": service_id, "description": line.description[:300], "quantity": line.quantity, "unit_code": line.unit_code,
              "unit_price": line.unit_price, "amount": line.amount, "category": str(line.category), "vat_category": str(line.vat_category),
              "vat_rate": line.vat_rate, "period_start": line.period_start, "period_end": line.period_end}
    return {**fields, **changes}


def _user(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


# --- corrections ---------------------------------------------------------------------------------

def _item_id(line: InvoiceLine) -> str:
    return line.service.code


def _party_from_invoice(invoice: Invoice, seller: bool, facts) -> Party:
    """A party of an issued invoice, from its columns and what its XML says (``facts``)."""
    if seller:
        return Party(invoice.seller_name, invoice.seller_org_number, street=invoice.seller_street, city=invoice.seller_city,
                     postal_code=invoice.seller_postal_code, vat_number=invoice.seller_vat_number, contact_email=invoice.seller_email,
                     legal_form=facts.legal_form, contact_name=facts.contact_name, contact_phone=facts.contact_phone)
    return Party(invoice.buyer_name, invoice.buyer_org_number, street=invoice.buyer_street, city=invoice.buyer_city, postal_code=invoice.buyer_postal_code,
                 trading_name=facts.trading_name, **_endpoint(invoice.buyer_endpoint))


def credit(invoice: Invoice, user=None, lines: set[int] | None = None, corrected_quantities: dict[int, Decimal] | None = None,
           reason: str = "", issue_date: date | None = None) -> tuple[Invoice, Invoice | None]:
    """A credit note for the whole invoice or the chosen lines; with ``corrected_quantities``
    (line → right quantity) also a corrected invoice for those lines at the original prices.
    Both are validated and issued in one transaction."""
    if invoice.is_credit:
        raise BillingError(translation.gettext("A credit note cannot itself be credited."))
    corrected_quantities = corrected_quantities or {}
    issue_date = issue_date or clock.today()
    with transaction.atomic():
        Invoice.objects.select_for_update().filter(pk=invoice.pk).exists()
        stored = list(invoice.lines.select_related("service"))
        try:
            chosen = credit_lines(stored, lines)
        except ValueError as error:
            raise BillingError(str(error)) from error
        already = set(InvoiceLine.objects.filter(credited_line__invoice=invoice).values_list("credited_line__line_no", flat=True))
        twice = sorted(line.line_no for line in chosen if line.line_no in already)
        if twice:
            raise BillingError(translation.gettext("Line(s) %(lines)s of %(number)s are already credited.") % {"lines": twice, "number": invoice.number_text})
        unknown = sorted(set(corrected_quantities) - {line.line_no for line in chosen})
        if unknown:
            raise BillingError(translation.gettext("A corrected quantity is given for line(s) %(lines)s, which are not credited.") % {"lines": unknown})
        facts = document_facts(invoice)  # read the issued XML once
        seller, buyer_party = _party_from_invoice(invoice, True, facts), _party_from_invoice(invoice, False, facts)
        buyer = Buyer(invoice.customer, invoice.buyer_reference, invoice.buyer_endpoint)
        series, number, text = _take_numbers(invoice.provider, Invoice.Type.CREDIT_NOTE, 1)[0]
        peppol = _peppol_lines(chosen, _item_id)
        note = InvoiceDocument(number=text, issue_date=issue_date, due_date=None, document_type=DocumentType.CREDIT_NOTE, seller=seller, buyer=buyer_party,
                               bankgiro=invoice.seller_bankgiro, payee_scheme=facts.payee_scheme or "SE:BANKGIRO",
                               buyer_reference=invoice.buyer_reference, lines=peppol, period_start=invoice.period_start, period_end=invoice.period_end,
                               preceding_invoice=invoice.number_text, preceding_issue_date=invoice.issue_date, note=reason or f"Kreditering av {invoice.number_text}",
                               exemption_reason=facts.exemption_reason or DEFAULT_EXEMPTION)
        values = [(n, _line_fields(line, line.service_id, credited_line=line)) for n, line in enumerate(chosen, start=1)]
        credit_note = _store(invoice.provider, invoice.customer, buyer, note, series, number, values, preceding=invoice, reason=reason, user=user)
        record("billing.invoice.credited", user=user, obj=credit_note, data={"invoice": invoice.number_text, "lines": [line.line_no for line in chosen],
                                                                              "amount": str(credit_note.payable), "reason": reason})
        corrected = None
        if corrected_quantities:
            new_lines = []
            for line in chosen:
                if line.line_no in corrected_quantities:
                    quantity = corrected_quantities[line.line_no]
                    if quantity < 0:
                        raise BillingError(translation.gettext("A corrected quantity cannot be negative."))
                    problem = limits.QUANTITY.check(quantity) or limits.AMOUNT.check(round_ore(quantity * line.unit_price))
                    if problem is not None:
                        raise BillingError(translation.gettext("Line %(line)s: the corrected quantity %(value)s is not plausible: %(reason)s")
                                           % {"line": line.line_no, "value": quantity, "reason": problem.message(translation.get_language() or "sv")})
                    if quantity:
                        new_lines.append(InvoiceLine(**_line_fields(line, line.service_id, quantity=quantity, amount=round_ore(quantity * line.unit_price)),
                                                     service=line.service))
            if new_lines:
                series, number, text = _take_numbers(invoice.provider, Invoice.Type.INVOICE, 1)[0]
                document = InvoiceDocument(number=text, issue_date=issue_date, due_date=issue_date + timedelta(days=invoice.provider.payment_days),
                                           document_type=DocumentType.INVOICE, seller=seller, buyer=buyer_party, buyer_reference=invoice.buyer_reference,
                                           lines=_peppol_lines(new_lines, _item_id), period_start=invoice.period_start, period_end=invoice.period_end,
                                           bankgiro=invoice.seller_bankgiro, payee_scheme=facts.payee_scheme or "SE:BANKGIRO",
                                           payment_reference=ocr_reference(number, invoice.provider.ocr_length_digit),
                                           note=f"Rättad faktura, ersätter {invoice.number_text}",
                                           exemption_reason=facts.exemption_reason or DEFAULT_EXEMPTION)
                corrected = _store(invoice.provider, invoice.customer, buyer, document, series, number,
                                   [(n, _line_fields(line, line.service_id)) for n, line in enumerate(new_lines, start=1)], corrects=invoice, reason=reason, user=user)
                record("billing.invoice.corrected", user=user, obj=corrected, data={"invoice": invoice.number_text, "credit_note": credit_note.number_text})
        # Late events of the credited services and month are settled by this correction.
        UsageEvent.objects.filter(customer=invoice.customer, month=invoice.period_start, late=True, corrected_by__isnull=True,
                                  service__in={line.service_id for line in chosen}).update(corrected_by=corrected or credit_note)
    return credit_note, corrected
