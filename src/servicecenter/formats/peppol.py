"""Peppol BIS Billing 3.0 (UBL 2.1): write invoices (type 380) and credit notes (381), and
validate them with the official rules.

Writing: an ``InvoiceDocument`` (frozen values, Decimal amounts) becomes UBL XML in the element
order of the UBL schema and of OpenPEPPOL's examples. Totals follow EN 16931: line net amounts
are summed (BR-CO-10); VAT is computed per VAT category and rate on the sum of its lines and
rounded half up to öre (BR-CO-17); payable = net + VAT. Swedish parties carry their
organisation number (scheme 0007, ten digits, checked by SE-R-003/004) as legal entity and,
by default, as Peppol endpoint.

Validating: the EN 16931 and Peppol rule sets are compiled XSLT 2.0 stylesheets that Saxon
runs (``saxonche``); the folder holding them is configuration (the product never copies them).
A document is valid when neither reports a ``failed-assert`` with ``flag="fatal"``.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from lxml import etree

from servicecenter.core.billing.vat import Totals, VatBreakdown, VatCategory, totals
from servicecenter.core.money import round_ore, round_places

__all__ = ["DocumentType", "Finding", "InvoiceDocument", "Line", "Party", "PeppolValidator", "Totals", "VatBreakdown", "VatCategory", "build_ubl", "totals"]

UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
DEFAULT_EXEMPTION = "Utanför skattens tillämpningsområde"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
SVRL = "http://purl.oclc.org/dsdl/svrl"
RULE_FILES = ("CEN-EN16931-UBL.xslt", "PEPPOL-EN16931-UBL.xslt")


class DocumentType(StrEnum):
    INVOICE = "380"
    CREDIT_NOTE = "381"


@dataclass(frozen=True)
class Party:
    name: str
    org_number: str                   # 10 digits, as 2021006255 or 202100-6255
    street: str = ""
    city: str = ""
    postal_code: str = ""
    country: str = "SE"
    vat_number: str = ""              # SE + 10 digits + 01; empty when not VAT-registered
    endpoint: str = ""                # Peppol endpoint; default: the organisation number (scheme 0007)
    endpoint_scheme: str = "0007"
    contact_email: str = ""
    trading_name: str = ""            # BT-45/BT-28: the name the party is known by, when not its legal name (a city's administration)
    legal_form: str = ""              # BT-33: the seller's additional legal information ("Godkänd för F-skatt")
    contact_name: str = ""            # BT-41
    contact_phone: str = ""           # BT-42

    @property
    def org_digits(self) -> str:
        return self.org_number.replace("-", "")


@dataclass(frozen=True)
class Line:
    id: str
    name: str
    quantity: Decimal
    unit_code: str                    # UN/ECE Recommendation 20: C62 one, HUR hour, MON month...
    unit_price: Decimal
    amount: Decimal                   # net, rounded to öre by the caller (the invoice-line boundary)
    vat_category: VatCategory
    vat_rate: Decimal
    item_id: str = ""
    period_start: date | None = None
    period_end: date | None = None    # inclusive, as EN 16931 states periods


@dataclass(frozen=True)
class InvoiceDocument:
    number: str
    issue_date: date
    due_date: date | None
    document_type: DocumentType
    seller: Party
    buyer: Party
    buyer_reference: str
    lines: Sequence[Line]
    currency: str = "SEK"
    period_start: date | None = None
    period_end: date | None = None
    note: str = ""
    bankgiro: str = ""                # payee account (7–8 digits)
    payee_scheme: str = "SE:BANKGIRO"  # or SE:PLUSGIRO
    payment_reference: str = ""
    preceding_invoice: str = ""       # credit notes: the invoice corrected
    preceding_issue_date: date | None = None
    exemption_reason: str = DEFAULT_EXEMPTION


def _money(value: Decimal) -> str:
    return str(round_ore(value))


def _rate(value: Decimal) -> str:
    return str(round_places(value, 2))


def _quantity(value: Decimal) -> str:
    return format(value.normalize(), "f")


def build_ubl(document: InvoiceDocument) -> bytes:
    """The document as Peppol BIS Billing 3.0 UBL XML (UTF-8)."""
    credit = document.document_type is DocumentType.CREDIT_NOTE
    root_name = "CreditNote" if credit else "Invoice"
    root = etree.Element(f"{{{UBL_CREDIT_NOTE if credit else UBL_INVOICE}}}{root_name}", nsmap={None: UBL_CREDIT_NOTE if credit else UBL_INVOICE, "cac": CAC, "cbc": CBC})
    currency = document.currency

    def cbc(parent, tag, text, **attributes):
        element = etree.SubElement(parent, f"{{{CBC}}}{tag}", **attributes)
        element.text = text
        return element

    def cac(parent, tag):
        return etree.SubElement(parent, f"{{{CAC}}}{tag}")

    def amount(parent, tag, value):
        return cbc(parent, tag, _money(value), currencyID=currency)

    cbc(root, "CustomizationID", CUSTOMIZATION)
    cbc(root, "ProfileID", PROFILE)
    cbc(root, "ID", document.number)
    cbc(root, "IssueDate", document.issue_date.isoformat())
    if document.due_date and not credit:
        cbc(root, "DueDate", document.due_date.isoformat())
    cbc(root, "CreditNoteTypeCode" if credit else "InvoiceTypeCode", document.document_type.value)
    if document.note:
        cbc(root, "Note", document.note)
    cbc(root, "DocumentCurrencyCode", currency)
    cbc(root, "BuyerReference", document.buyer_reference)
    if document.period_start and document.period_end:
        period = cac(root, "InvoicePeriod")
        cbc(period, "StartDate", document.period_start.isoformat())
        cbc(period, "EndDate", document.period_end.isoformat())
    if document.preceding_invoice:
        reference = cac(cac(root, "BillingReference"), "InvoiceDocumentReference")
        cbc(reference, "ID", document.preceding_invoice)
        if document.preceding_issue_date:
            cbc(reference, "IssueDate", document.preceding_issue_date.isoformat())
    for role, party in (("AccountingSupplierParty", document.seller), ("AccountingCustomerParty", document.buyer)):
        element = cac(cac(root, role), "Party")
        cbc(element, "EndpointID", party.endpoint or party.org_digits, schemeID=party.endpoint_scheme)
        identification = cac(element, "PartyIdentification")
        cbc(identification, "ID", party.org_digits, schemeID="0007")
        cbc(cac(element, "PartyName"), "Name", party.trading_name or party.name)
        address = cac(element, "PostalAddress")
        if party.street:
            cbc(address, "StreetName", party.street)
        if party.city:
            cbc(address, "CityName", party.city)
        if party.postal_code:
            cbc(address, "PostalZone", party.postal_code)
        cbc(cac(address, "Country"), "IdentificationCode", party.country)
        if party.vat_number:
            scheme = cac(element, "PartyTaxScheme")
            cbc(scheme, "CompanyID", party.vat_number)
            cbc(cac(scheme, "TaxScheme"), "ID", "VAT")
        legal = cac(element, "PartyLegalEntity")
        cbc(legal, "RegistrationName", party.name)
        cbc(legal, "CompanyID", party.org_digits, schemeID="0007")
        if party.legal_form:
            cbc(legal, "CompanyLegalForm", party.legal_form)
        if party.contact_email or party.contact_name or party.contact_phone:
            contact = cac(element, "Contact")
            for tag, value in (("Name", party.contact_name), ("Telephone", party.contact_phone), ("ElectronicMail", party.contact_email)):
                if value:
                    cbc(contact, tag, value)
    if document.bankgiro and not credit:
        means = cac(root, "PaymentMeans")
        cbc(means, "PaymentMeansCode", "30", name="Credit transfer")
        if document.payment_reference:
            cbc(means, "PaymentID", document.payment_reference)
        account = cac(means, "PayeeFinancialAccount")
        cbc(account, "ID", document.bankgiro.replace("-", ""))
        cbc(cac(account, "FinancialInstitutionBranch"), "ID", document.payee_scheme)
    summary = totals(document.lines)
    tax_total = cac(root, "TaxTotal")
    amount(tax_total, "TaxAmount", summary.tax_total)
    for part in summary.vat:
        subtotal = cac(tax_total, "TaxSubtotal")
        amount(subtotal, "TaxableAmount", part.taxable)
        amount(subtotal, "TaxAmount", part.tax)
        category = cac(subtotal, "TaxCategory")
        cbc(category, "ID", part.category.value)
        if part.category is not VatCategory.OUTSIDE_SCOPE:
            cbc(category, "Percent", _rate(part.rate))
        if part.category in (VatCategory.EXEMPT, VatCategory.OUTSIDE_SCOPE):
            cbc(category, "TaxExemptionReason", document.exemption_reason)
        cbc(cac(category, "TaxScheme"), "ID", "VAT")
    monetary = cac(root, "LegalMonetaryTotal")
    amount(monetary, "LineExtensionAmount", summary.line_total)
    amount(monetary, "TaxExclusiveAmount", summary.line_total)
    amount(monetary, "TaxInclusiveAmount", summary.payable)
    amount(monetary, "PayableAmount", summary.payable)
    for line in document.lines:
        element = cac(root, "CreditNoteLine" if credit else "InvoiceLine")
        cbc(element, "ID", line.id)
        cbc(element, "CreditedQuantity" if credit else "InvoicedQuantity", _quantity(line.quantity), unitCode=line.unit_code)
        amount(element, "LineExtensionAmount", line.amount)
        if line.period_start and line.period_end and (line.period_start, line.period_end) != (document.period_start, document.period_end):
            period = cac(element, "InvoicePeriod")   # a line's own period only where it differs from the invoice's
            cbc(period, "StartDate", line.period_start.isoformat())
            cbc(period, "EndDate", line.period_end.isoformat())
        item = cac(element, "Item")
        cbc(item, "Name", line.name[:200])
        if line.item_id:
            cbc(cac(item, "SellersItemIdentification"), "ID", line.item_id)
        category = cac(item, "ClassifiedTaxCategory")
        cbc(category, "ID", line.vat_category.value)
        if line.vat_category is not VatCategory.OUTSIDE_SCOPE:
            cbc(category, "Percent", _rate(line.vat_rate))
        cbc(cac(category, "TaxScheme"), "ID", "VAT")
        price = cac(element, "Price")
        cbc(price, "PriceAmount", str(line.unit_price), currencyID=currency)
    # Not indented: each rule set walks every node of the document once per pattern, and the
    # whitespace between elements made a tenth of the validation time (a viewer indents on display).
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@dataclass(frozen=True)
class Finding:
    rule: str
    flag: str                 # "fatal" or "warning"
    location: str
    message: str
    rules: str                # which stylesheet


_FIELD, _RECORD = "\ue001", "\ue002"   # private-use characters: valid in XPath strings, never in a rule text
_FAILED_ASSERTS = ("string-join(for $f in //svrl:failed-assert return concat(string($f/@id), '\ue001', string($f/@flag), '\ue001', "
                   "string($f/@location), '\ue001', string($f/svrl:text)), '\ue002')")


@dataclass
class PeppolValidator:
    """Runs the official rule sets from ``rules_dir`` (configuration, e.g. ../shared/peppol).
    Compiles each stylesheet once per validator; one validator can check any number of documents."""

    rules_dir: Path
    _processor: object = field(default=None, init=False, repr=False)
    _compiled: list = field(default_factory=list, init=False, repr=False)
    _fingerprint: str = field(default="", init=False, repr=False)

    def __post_init__(self):
        self.rules_dir = Path(self.rules_dir)
        missing = [name for name in RULE_FILES if not (self.rules_dir / name).is_file()]
        if missing:
            raise FileNotFoundError(f"Peppol rules not found in {self.rules_dir}: {', '.join(missing)}")

    @property
    def fingerprint(self) -> str:
        """SHA-256 over the rule files' contents: the same bytes validated under the same
        fingerprint give the same findings (the transforms are pure functions of both)."""
        if not self._fingerprint:
            digest = hashlib.sha256()
            for name in RULE_FILES:
                digest.update(name.encode() + b"\0" + (self.rules_dir / name).read_bytes())
            self._fingerprint = digest.hexdigest()
        return self._fingerprint

    def _load(self):
        if not self._compiled:
            from saxonche import PySaxonProcessor

            self._processor = PySaxonProcessor(license=False)
            xslt = self._processor.new_xslt30_processor()
            self._compiled = [(name, xslt.compile_stylesheet(stylesheet_file=str(self.rules_dir / name))) for name in RULE_FILES]
        return self._processor, self._compiled

    def validate(self, xml: bytes) -> list[Finding]:
        """The failed assertions of both rule sets. The SVRL report stays a tree inside Saxon and
        one XPath reads its failed assertions: serialising the 100–140 KB report of a 60-line
        invoice and parsing it again with lxml took a third of the time."""
        processor, compiled = self._load()
        document = processor.parse_xml(xml_text=xml.decode("utf-8"))
        findings: list[Finding] = []
        for name, stylesheet in compiled:
            report = stylesheet.transform_to_value(xdm_node=document)
            xpath = processor.new_xpath_processor()
            xpath.declare_namespace("svrl", SVRL)
            xpath.set_context(xdm_item=report.head)
            found = xpath.evaluate_single(_FAILED_ASSERTS)
            text = found.string_value if found is not None else ""
            for record in filter(None, text.split(_RECORD)):
                rule, flag, location, message = record.split(_FIELD)
                findings.append(Finding(rule, flag or "fatal", location, " ".join(message.split()), name))
        return findings

    def validate_all(self, documents: Iterable[bytes], progress: Callable[[int, int], None] | None = None,
                     processes: int | None = None, total: int | None = None) -> list[list[Finding]]:
        """``validate`` for each document, in order, spread over a pool of worker processes, one per
        core (Saxon holds one lock per process: threads do not run transforms side by side).

        Each worker compiles the rule sets once and is kept for the next batch; a batch smaller
        than ``PARALLEL_FROM`` documents, or a single core, is validated here. ``progress(done,
        total)`` is called as documents finish. ``documents`` may be any iterable when ``total``
        says how many it holds (e.g. a generator: the workers start on the first documents while
        the caller makes the rest)."""
        return self._map(_validate_in_worker, self.validate, documents, progress, processes, total)

    def build_and_validate_all(self, documents: Iterable[InvoiceDocument], progress: Callable[[int, int], None] | None = None,
                               processes: int | None = None, total: int | None = None) -> list[tuple[bytes, list[Finding]]]:
        """``build_ubl`` and ``validate`` of each document, in order, in the same workers as
        ``validate_all``: the process that asks waits instead of building 300 documents before the
        first can be validated."""
        return self._map(_build_and_validate_in_worker, self._build_and_validate, documents, progress, processes, total)

    def _build_and_validate(self, document: InvoiceDocument) -> tuple[bytes, list[Finding]]:
        xml = build_ubl(document)
        return xml, self.validate(xml)

    def _map(self, in_worker, here, items, progress, processes, total=None):
        total = len(items) if total is None else total
        processes = processes or _cores()
        found = []
        if processes < 2 or total < PARALLEL_FROM:
            for done, item in enumerate(items, start=1):
                found.append(here(item))
                if progress:
                    progress(done, total)
        else:
            pool = self._pool_of(processes)
            # small chunks: the workers end together (with 16 a worker sat idle for the last chunk of
            # the other, a quarter of a second of a national month), and progress moves often
            chunk = max(1, min(4, total // (processes * 8)))
            for done, result in enumerate(pool.map(in_worker, items, chunksize=chunk), start=1):   # submitted as ``items`` yields them
                found.append(result)
                if progress and (done == total or done % chunk == 0):
                    progress(done, total)
        if len(found) != total:
            raise ValueError(f"{len(found)} documents validated, {total} announced")
        return found

    def _pool_of(self, processes: int) -> ProcessPoolExecutor:
        with _POOLS_LOCK:   # one pool, also when a server's worker starts it while a job asks for it
            pool = _POOLS.get((self.rules_dir, processes))
            if pool is None:
                # spawned, not forked: a forked Saxon (a native image with its own threads) is not safe
                pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"),
                                           initializer=_start_worker, initargs=(str(self.rules_dir), os.getpid()))
                _POOLS[(self.rules_dir, processes)] = pool
        return pool

    def start_workers(self, day: date, wait: bool = True) -> int:
        """Start the worker processes ``validate_all`` uses and have each compile the rule sets
        and check a few documents dated ``day`` (Saxon's first documents are slower than the
        rest), so that the first run a person starts does not wait for that. Returns how many
        processes run (0 on one core, where validation stays in this process). ``wait=False``
        returns at once: the workers get ready while the caller goes on with other work (a
        later ``validate_all`` queues behind them)."""
        processes = _cores()
        if processes < 2:
            return 0
        documents = [_warm_up_document(day)] * (PARALLEL_FROM * processes)
        if wait:
            self.validate_all(documents, processes=processes)
        else:
            pool = self._pool_of(processes)
            for document in documents:
                pool.submit(_validate_in_worker, document)
        return processes

    @staticmethod
    def fatal(findings: Sequence[Finding]) -> list[Finding]:
        return [finding for finding in findings if finding.flag == "fatal"]


#: Below this many documents ``validate_all`` does not start worker processes (each compiles the
#: rule sets in about a second before its first document).
PARALLEL_FROM = 24

_POOLS: dict[tuple[Path, int], ProcessPoolExecutor] = {}
_POOLS_LOCK = threading.Lock()


def _warm_up_document(day: date) -> bytes:
    """What ``start_workers`` has each worker check: a document of the shape a month's invoices
    have (thirty lines outside the scope of VAT), built as they are, issued on ``day``. Made up,
    never stored or shown; its findings are not read."""
    seller = Party("Säljaren", "2021006255", street="Box 1", city="Gävle", postal_code="80130")
    buyer = Party("Köparen", "2021002742", street="Box 2", city="Sundbyberg", postal_code="17221")
    lines = [Line(str(n), f"Tjänst {n}", Decimal(10), "C62", Decimal("12.50"), Decimal("125.00"), VatCategory.OUTSIDE_SCOPE, Decimal(0),
                  item_id=f"t{n}") for n in range(1, 31)]
    return build_ubl(InvoiceDocument("UPPVARMNING-1", day, day + timedelta(days=30), DocumentType.INVOICE, seller, buyer, "uppvärmning",
                                     lines, bankgiro="1234566"))
_WORKER: PeppolValidator | None = None


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _start_worker(rules_dir: str, parent: int) -> None:
    global _WORKER
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True, name="parent-watch").start()
    _WORKER = PeppolValidator(Path(rules_dir))
    _WORKER._load()


def _exit_with_parent(parent: int) -> None:
    """A worker outlives a parent killed with SIGKILL (nothing tells it), holding its output pipes
    open; it leaves within half a second of losing its parent. (Not PR_SET_PDEATHSIG: that fires
    when the parent's *thread* that started the worker ends, e.g. a web request's thread.)"""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _validate_in_worker(document: bytes) -> list[Finding]:
    return _WORKER.validate(document)


def _build_and_validate_in_worker(document: InvoiceDocument) -> tuple[bytes, list[Finding]]:
    return _WORKER._build_and_validate(document)

