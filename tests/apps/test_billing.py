"""Billing against the demo: a varied month for Stockholm's service administration (every price
model, VAT 25 % and outside the scope), the demo's issued year, immutability, credit notes,
usage events and the reconciliation."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import translation
from lxml import etree

from servicecenter.apps.billing import services as billing
from servicecenter.apps.billing.models import (
    BillingRun,
    EventBatch,
    ImmutableError,
    Invoice,
    InvoiceLine,
    UsageEvent,
    UsageTotal,
)
from servicecenter.apps.billing.reports import focus_csv, reconcile
from servicecenter.apps.costing.models import PriceList, PriceListEntry
from servicecenter.apps.imports.base import run_import
from servicecenter.apps.metering.models import Volume
from servicecenter.apps.registry.models import Agreement, Customer, Provider, Service
from servicecenter.core.periods import Period
from tests.apps.conftest import fetch, through_job

DECEMBER = Period.month(2020, 12)


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English; the UI's default language is Swedish."""
    with translation.override("en"):
        yield


@pytest.fixture
def stockholm(db):
    """Stockholm's demo price list for 2020 (every price model; VAT 25 % for the city's companies,
    none between its administrations), with recruitment sold as packages and usage events for
    December 2020, the month the demo leaves unbilled."""
    provider = Provider.objects.get(code="stockholm")
    PriceListEntry.objects.filter(price_list__provider=provider, service__code="rekrytering").update(unit_price=None, packages={"A": "24000", "B": "34000"})
    buyer = Agreement.objects.filter(customer__provider=provider, service__code="rekrytering").first()
    support = Agreement.objects.filter(customer__provider=provider, service__code="e-tjanstesupport").first()
    rows = [("rekryt", f"r{i}", buyer.customer.number, "rekrytering", "2020-12-10T12:00", "1", "AB"[i % 2], "") for i in range(3)]
    rows.append(("konsult", "k1", support.customer.number, "e-tjanstesupport", "2020-12-10T12:00", "1", "", "12500.00"))
    report = import_events(provider, rows)
    assert report.ok, report.lines("en")
    return provider


def test_preview_equals_issue_for_varied_customers(stockholm):
    run = billing.start_run(stockholm, DECEMBER, issue_date=date(2021, 1, 5))
    assert run.fatal_findings == [], run.fatal_findings[:3]
    categories = {line["category"] for invoice in run.preview for line in invoice["lines"]}
    assert categories == {"usage", "fixed", "connection", "pass_through", "discount"}, categories
    assert {line["vat_category"] for invoice in run.preview for line in invoice["lines"]} == {"S", "O"}
    invoices = billing.issue(billing.approve(run))
    assert len(invoices) == len(run.preview) > 20
    for issued, previewed in zip(sorted(invoices, key=lambda i: i.number), run.preview, strict=True):
        assert issued.customer_id == previewed["customer_id"]
        assert (str(issued.net_total), str(issued.tax_total), str(issued.payable)) == (previewed["net"], previewed["tax"], previewed["payable"])
        lines = [(line.description, line.quantity, line.unit_price, line.amount, line.vat_category, line.vat_rate) for line in issued.lines.order_by("line_no")]
        assert lines == [(p["description"], Decimal(p["quantity"]), Decimal(p["unit_price"]), Decimal(p["amount"]), p["vat_category"], Decimal(p["vat_rate"]))
                         for p in previewed["lines"]]
    # seller and buyer are copied onto the invoice: later changes to the registry do not reach it
    first = invoices[0]
    Customer.objects.filter(pk=first.customer_id).update(name="Nytt namn")
    first.refresh_from_db()
    assert first.buyer_name != "Nytt namn" and first.seller_name == stockholm.name
    assert reconcile(BillingRun.objects.get(pk=run.pk)).balanced


@pytest.fixture
def validations(monkeypatch):
    """The documents the validator is asked to validate, in every call of ``validate_all``."""
    asked: list[bytes] = []
    check = billing.validator()
    validate_all, build_and_validate_all = check.validate_all, check.build_and_validate_all

    def recording(documents, *args, **kwargs):
        asked.extend(documents)
        return validate_all(documents, *args, **kwargs)

    def building(documents, *args, **kwargs):
        results = build_and_validate_all(documents, *args, **kwargs)
        asked.extend(xml for xml, _findings in results)
        return results

    monkeypatch.setattr(check, "validate_all", recording)
    monkeypatch.setattr(check, "build_and_validate_all", building)
    return asked


@pytest.fixture
def builds(monkeypatch):
    """The numbers of the documents built (in the validation workers) in every call."""
    built: list[str] = []
    check = billing.validator()
    original = check.build_and_validate_all

    def recording(documents, *args, **kwargs):
        documents = list(documents)   # the preview passes them as it makes them
        built.extend(document.number for document in documents)
        return original(documents, *args, **kwargs)

    monkeypatch.setattr(check, "build_and_validate_all", recording)
    return built


def test_issuing_the_bytes_the_preview_validated_does_not_validate_them_again(stockholm, validations):
    run = billing.approve(billing.start_run(stockholm, DECEMBER, issue_date=date(2021, 1, 5)))
    assert len(validations) == len(run.preview) == len(run.validated["documents"])
    validations.clear()
    invoices = billing.issue(run)
    assert validations == []
    # what was issued is byte for byte what was validated, under the rule sets of this validator
    assert {invoice.xml_sha256 for invoice in invoices} == set(run.validated["documents"])
    assert run.validated["rules"] == billing.validator().fingerprint


def test_documents_that_changed_after_the_preview_are_validated_as_they_are_issued(stockholm, validations):
    run = billing.approve(billing.start_run(stockholm, DECEMBER, issue_date=date(2021, 1, 5)))
    billing._take_numbers(stockholm, Invoice.Type.INVOICE, 1)   # another document took the next number meanwhile
    validations.clear()
    invoices = billing.issue(run)
    assert len(validations) == len(invoices)
    assert not {invoice.xml_sha256 for invoice in invoices} & set(run.validated["documents"])


def test_issuing_takes_the_bytes_the_preview_built_and_builds_what_changed(stockholm, validations, builds):
    run = billing.approve(billing.start_run(stockholm, DECEMBER, issue_date=date(2021, 1, 5)))
    assert len(billing._unpack(BillingRun.objects.get(pk=run.pk).built)) == len(run.preview) == len(builds)
    # the seller's bankgiro changed after the preview: every document differs from what was built
    Provider.objects.filter(pk=stockholm.pk).update(bankgiro="5555-5556")
    builds.clear()
    validations.clear()
    invoices = billing.issue(run)
    assert len(builds) == len(validations) == len(invoices)
    assert all("55555556" in invoice.xml for invoice in invoices)
    assert BillingRun.objects.get(pk=run.pk).built == b""   # the invoices hold their XML now


def test_an_unchanged_run_issues_without_building_its_documents_again(stockholm, builds):
    run = billing.approve(billing.start_run(stockholm, DECEMBER, issue_date=date(2021, 1, 5)))
    builds.clear()
    invoices = billing.issue(run)
    assert builds == []
    assert {invoice.xml_sha256 for invoice in invoices} == set(run.validated["documents"])


def test_a_fatal_finding_at_issue_issues_nothing(stockholm, monkeypatch):
    run = billing.approve(billing.start_run(stockholm, DECEMBER, issue_date=date(2021, 1, 5), validate=False))
    check = billing.validator()
    original = check.build_and_validate_all   # a preview not validated built nothing: issuing builds and validates

    def one_fails(documents, *args, **kwargs):
        found = original(documents, *args, **kwargs)
        xml, findings = found[-1]
        found[-1] = (xml, [*findings, type("F", (), {"flag": "fatal", "rule": "TEST-1", "message": "injected"})()])
        return found

    monkeypatch.setattr(check, "build_and_validate_all", one_fails)
    with pytest.raises(billing.BillingError, match="TEST-1"):
        billing.issue(run)
    assert not Invoice.objects.filter(provider=stockholm, period_start=DECEMBER.start).exists()


def test_the_keyed_pool_and_the_reimbursement_are_billed_in_twelfths(stockholm):
    run = billing.start_run(stockholm, DECEMBER, issue_date=date(2021, 1, 5), validate=False)
    fixed = {}
    for invoice in run.preview:
        for line in invoice["lines"]:
            if line["category"] == "fixed":
                fixed[line["service"]] = fixed.get(line["service"], Decimal(0)) + Decimal(line["amount"])
    # 21.3 M / 12 is even; 38 M / 12 and 23 M / 12 leave 8 öre each over, which go to the first months, so December rounds down
    assert fixed == {"kassa-bank": Decimal("1775000.00"), "kc-direkt": Decimal("3166666.66"), "upphandling": Decimal("1916666.66")}


def test_issue_refuses_when_usage_changed_after_approval(stockholm):
    run = billing.approve(billing.start_run(stockholm, DECEMBER, validate=False))
    volume = Volume.objects.filter(provider=stockholm, month=DECEMBER.start).first()
    Volume.objects.filter(pk=volume.pk).update(quantity=volume.quantity + 1)
    with pytest.raises(billing.BillingError, match="changed after the preview was approved"):
        billing.issue(run)
    assert not Invoice.objects.filter(provider=stockholm).exists()


def test_an_issued_month_issues_nothing_again(ssc):
    before = Invoice.objects.count()
    with pytest.raises(billing.BillingError, match="already issued"):
        billing.start_run(ssc, Period.month(2025, 3))
    run = BillingRun.objects.get(provider=ssc, period=date(2025, 3, 1))
    with pytest.raises(billing.BillingError, match="already issued"):
        billing.issue(run)
    assert Invoice.objects.count() == before


def test_a_month_without_a_published_price_list_is_refused(ssc):
    with pytest.raises(billing.BillingError, match="no published price list for 2026"):
        billing.start_run(ssc, Period.month(2026, 1))


def test_a_preview_with_a_fatal_finding_cannot_be_approved(stockholm):
    Customer.objects.filter(provider=stockholm).update(peppol_id="0007:123")   # not a valid organisation number
    run = billing.start_run(stockholm, DECEMBER)
    assert {f["rule"] for f in run.fatal_findings} & {"PEPPOL-COMMON-R049", "SE-R-003"}, {f["rule"] for f in run.findings}
    with pytest.raises(billing.BillingError, match="fatal Peppol findings"):
        billing.approve(run)


# --- the demo year ---------------------------------------------------------------------------------

def test_the_demo_has_twelve_issued_months_and_one_credit_note(ssc):
    runs = BillingRun.objects.filter(provider=ssc, state=BillingRun.State.ISSUED)
    assert sorted(run.period.month for run in runs) == list(range(1, 13))
    assert Invoice.objects.filter(provider=ssc, document_type="381").count() == 1
    assert Invoice.objects.filter(provider=ssc, corrects__isnull=False).count() == 1
    numbers = sorted(Invoice.objects.filter(provider=ssc, series="F").values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1)), "invoice numbers have a gap"


def test_every_demo_document_passes_both_official_rule_sets(ssc):
    validator = billing.validator()
    failures = []
    for number, xml in Invoice.objects.filter(provider=ssc).values_list("number_text", "xml"):
        fatal = validator.fatal(validator.validate(xml.encode()))
        if fatal:
            failures.append((number, [f.rule for f in fatal]))
    assert failures == []


def test_a_deliberately_broken_demo_invoice_is_caught_with_the_right_rule(ssc):
    xml = Invoice.objects.filter(provider=ssc, document_type="380").first().xml.encode()
    tree = etree.fromstring(xml)
    for element in tree.findall("{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}BuyerReference"):
        tree.remove(element)
    rules = {f.rule for f in billing.validator().fatal(billing.validator().validate(etree.tostring(tree)))}
    assert "PEPPOL-EN16931-R003" in rules, rules


def test_every_demo_month_reconciles_to_the_ore(ssc):
    for run in BillingRun.objects.filter(provider=ssc):
        table = reconcile(run)
        assert table.balanced, (run.period, table.stages)
        assert all(row["quantity_difference"] in (None, 0) for row in table.rows), table.rows


def test_focus_export_adds_up_to_the_invoices(ssc):
    invoices = Invoice.objects.filter(provider=ssc, period_start=date(2025, 3, 1))
    text = focus_csv(invoices, None)
    import csv
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sum(Decimal(r["BilledCost"]) for r in rows) == sum(i.net_total * (-1 if i.is_credit else 1) for i in invoices)
    assert {r["ChargeCategory"] for r in rows} >= {"Usage", "Credit"}


# --- immutability ------------------------------------------------------------------------------------

def test_an_issued_invoice_cannot_be_changed_or_deleted_through_the_orm(ssc):
    invoice = Invoice.objects.filter(provider=ssc).first()
    invoice.payable = Decimal(1)
    with pytest.raises(ImmutableError):
        invoice.save()
    with pytest.raises(ImmutableError):
        invoice.delete()
    with pytest.raises(ImmutableError):
        Invoice.objects.filter(pk=invoice.pk).update(payable=1)
    with pytest.raises(ImmutableError):
        InvoiceLine.objects.filter(invoice=invoice).delete()
    with pytest.raises(ImmutableError):
        invoice.lines.first().save()


@pytest.mark.parametrize("statement", ["UPDATE billing_invoice SET payable = 1 WHERE id = %s", "DELETE FROM billing_invoiceline WHERE invoice_id = %s"])
def test_the_database_refuses_to_change_an_issued_invoice(ssc, statement):
    invoice = Invoice.objects.filter(provider=ssc).first()
    with pytest.raises((DatabaseError, IntegrityError), match="immutable"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [invoice.pk])
    invoice.refresh_from_db()
    assert invoice.payable != 1 and invoice.lines.exists()


def test_an_issued_invoice_cannot_be_changed_through_the_api_or_the_admin(client_for, ssc):
    invoice = Invoice.objects.filter(provider=ssc).first()
    client = client_for("admin")
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)(f"/api/invoices/{invoice.pk}", data="{}", content_type="application/json").status_code == 405
    assert client.post(f"/admin/billing/invoice/{invoice.pk}/change/", {"payable": "1"}).status_code == 403
    assert client.post(f"/admin/billing/invoice/{invoice.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post("/admin/billing/invoice/", {"action": "delete_selected", "_selected_action": [invoice.pk]}).status_code in (200, 302)
    assert Invoice.objects.filter(pk=invoice.pk, payable=invoice.payable).exists()


def test_a_duplicate_number_is_refused_by_the_database(ssc):
    invoice = Invoice.objects.filter(provider=ssc).first()
    copy = Invoice(**{f.attname: getattr(invoice, f.attname) for f in Invoice._meta.concrete_fields if f.attname not in ("id", "run_id")})
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


# --- corrections ----------------------------------------------------------------------------------------

def test_invoice_plus_its_full_credit_note_is_zero(ssc):
    invoice = Invoice.objects.filter(provider=ssc, document_type="380", credit_notes__isnull=True, corrects__isnull=True).last()
    note, corrected = billing.credit(invoice, reason="test")
    assert corrected is None and note.preceding_id == invoice.pk
    assert invoice.signed_payable + note.signed_payable == 0
    assert sorted(note.lines.values_list("credited_line__line_no", flat=True)) == sorted(invoice.lines.values_list("line_no", flat=True))
    assert f"<cbc:ID>{invoice.number_text}</cbc:ID>" in note.xml and "CreditNoteTypeCode>381<" in note.xml
    with pytest.raises(billing.BillingError, match="already credited"):
        billing.credit(invoice, lines={1})


def test_a_line_credit_with_a_corrected_invoice(ssc):
    invoice = Invoice.objects.filter(provider=ssc, document_type="380", credit_notes__isnull=True, corrects__isnull=True, lines__line_no=2).first()
    line = invoice.lines.get(line_no=2)
    note, corrected = billing.credit(invoice, lines={2}, corrected_quantities={2: line.quantity + 5}, reason="fem till")
    assert note.net_total == line.amount and corrected.corrects_id == invoice.pk
    assert corrected.net_total == ((line.quantity + 5) * line.unit_price).quantize(Decimal("0.01"))
    numbers = sorted(Invoice.objects.filter(provider=ssc, series="F").values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))


def test_a_credit_note_cannot_be_credited(ssc):
    with pytest.raises(billing.BillingError, match="cannot itself be credited"):
        billing.credit(Invoice.objects.get(provider=ssc, document_type="381"))


# --- usage events ------------------------------------------------------------------------------------------

def _events_csv(rows):
    head = "source,event_id,org_number,service_code,occurred_at,quantity\n"
    return (head + "".join(",".join(map(str, row)) + "\n" for row in rows)).encode()


def import_events(provider, rows):
    """Events as a user brings them: a file through the import (customer number, package, cost)."""
    head = "source,event_id,customer_number,service_code,occurred_at,quantity,package,cost\n"
    data = (head + "".join(",".join(map(str, row)) + "\n" for row in rows)).encode()
    return run_import("events", data, "handelser.csv", provider=provider)


def stored_events(**filters) -> int:
    return UsageTotal.objects.filter(**filters).aggregate(n=Sum("events"))["n"] or 0


@pytest.fixture
def payroll_customer(ssc):
    return Agreement.objects.filter(customer__provider=ssc, service__code="lon", state="production", production_date__lte=date(2024, 1, 1)).first().customer


def test_the_same_event_twice_changes_nothing(ssc, payroll_customer):
    data = _events_csv([("lonesystem", f"p{i}", payroll_customer.org_number, "lon", "2026-01-15T10:00", 1) for i in range(5)])
    first = run_import("events", data, "handelser.csv", provider=ssc)
    assert first.ok and first.counts == {"created": 5, "late": 0, "unchanged": 0}
    again = run_import("events", data + data[data.index(b"\n") + 1:], "handelser.csv", provider=ssc)   # the file again, each row twice
    assert again.ok and again.counts == {"created": 0, "late": 0, "unchanged": 10}
    assert stored_events(provider=ssc, service__code="lon", month=date(2026, 1, 1)) == 5


def test_the_same_id_with_another_payload_is_rejected_and_reported(ssc, payroll_customer):
    org = payroll_customer.org_number
    inside = run_import("events", _events_csv([("s", "x1", org, "lon", "2026-01-15", 1), ("s", "x1", org, "lon", "2026-01-15", 2)]), "a.csv", provider=ssc)
    assert not inside.ok and inside.errors[0].code == "event.conflict" and inside.errors[0].row == 3 and "quantity" in inside.lines("en")[0]
    assert run_import("events", _events_csv([("s", "x2", org, "lon", "2026-01-15", 1)]), "b.csv", provider=ssc).ok
    stored = run_import("events", _events_csv([("s", "x2", org, "lon", "2026-01-16", 1)]), "c.csv", provider=ssc)
    assert not stored.ok and stored.errors[0].code == "event.conflict_stored" and "time" in stored.lines("en")[0]
    assert stored_events(provider=ssc, month=date(2026, 1, 1)) == 1


def test_an_event_for_an_invoiced_month_is_kept_and_listed_for_correction(ssc, payroll_customer, client_for):
    report = run_import("events", _events_csv([("s", "late1", payroll_customer.org_number, "lon", "2025-03-20T09:00", 3)]), "sen.csv", provider=ssc)
    assert report.ok and report.counts["late"] == 1 and report.warnings[0].code == "event.late"
    event = UsageEvent.objects.get(source="s", event_id="late1")
    assert event.late and event.month == date(2025, 3, 1)
    page = client_for("controller").get("/billing/late-events/")
    assert b"late1" in page.content
    invoice = Invoice.objects.get(customer=payroll_customer, period_start=date(2025, 3, 1), document_type="380", corrects__isnull=True)
    line = invoice.lines.get(service__code="lon")
    _note, corrected = billing.credit(invoice, lines={line.line_no}, corrected_quantities={line.line_no: line.quantity + 3}, reason="sena händelser")
    event.refresh_from_db()
    assert event.corrected_by_id == corrected.pk


@pytest.mark.parametrize("row, column, code", [
    (("s", "e1", "202100-0000", "lon", "2026-01-15", 1), "org_number", None),
    (("s", "e1", "{org}", "finns-inte", "2026-01-15", 1), "service_code", "service.unknown"),
    (("s", "e1", "{org}", "lon", "2026-01-15", -2), "quantity", "value.negative"),
    (("s", "e1", "{org}", "lon", "15/1 2026", 1), "occurred_at", "value.timestamp"),
    (("s", "e1", "{org}", "lon", "2026-02-30T10:00", 1), "occurred_at", "value.timestamp"),
    (("s", "", "{org}", "lon", "2026-01-15", 1), "event_id", "value.required"),
    (("s", "e1", "{org}", "lon", "1950-01-15", 1), "occurred_at", "value.date_range"),
])
def test_bad_events_are_refused_with_file_row_and_column_and_nothing_is_written(ssc, payroll_customer, row, column, code):
    row = tuple(str(v).replace("{org}", payroll_customer.org_number) for v in row)
    before = (stored_events(), EventBatch.objects.count())
    report = run_import("events", _events_csv([("s", "ok1", payroll_customer.org_number, "lon", "2026-01-15", 1), row]), "fel.csv", provider=ssc)
    assert not report.ok
    problem = report.errors[0]
    assert (problem.source, problem.row, problem.column) == ("fel.csv", 3, column)
    if code:
        assert problem.code == code
    assert (stored_events(), EventBatch.objects.count()) == before


def test_events_from_parquet_are_imported_and_rated(ssc, payroll_customer, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"source": ["pq"] * 3, "event_id": ["1", "2", "3"], "org_number": [payroll_customer.org_number] * 3, "service_code": ["lon"] * 3,
                      "occurred_at": [datetime(2026, 1, 5, 8, 0)] * 3, "quantity": [1.0, 1.0, 2.0]})
    path = tmp_path / "events.parquet"
    pq.write_table(table, path)
    report = run_import("events", path, "events.parquet", provider=ssc)
    assert report.ok and report.counts["created"] == 3
    terms = billing.terms_of(PriceList.objects.get(provider=ssc, status="published"))
    usage, summary = billing.usage_of(ssc, Period.month(2026, 1), terms)
    assert usage["lon"][payroll_customer.org_number].quantity == 4 and summary["events"] == "3"


def test_customer_contact_downloads_own_invoice_and_cannot_reach_another(client_for, contact_customer, other_customer):
    client = client_for("kundkontakt")
    own = Invoice.objects.filter(customer=contact_customer).first()
    other = Invoice.objects.filter(customer=other_customer).first()
    pdf = fetch(client, f"/billing/invoices/{own.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    for kind in ("pdf", "xml", "xlsx"):
        assert client.get(f"/billing/invoices/{other.pk}/{kind}/").status_code == 404
    listing = fetch(client, "/billing/invoices/?format=xlsx")
    from openpyxl import load_workbook
    names = {row[2] for row in load_workbook(io.BytesIO(listing.content)).active.iter_rows(min_row=2, values_only=True)}
    assert names == {contact_customer.name}
    focus = fetch(client, "/billing/focus.csv").content.decode()
    assert other_customer.name not in focus and contact_customer.name in focus
    from servicecenter.apps.accounts.models import AuditEntry
    assert AuditEntry.objects.filter(action="billing.invoice.downloaded.pdf", object_id=str(own.pk),
                                     user=get_user_model().objects.get(username="kundkontakt")).exists()


def test_bad_input_in_the_billing_forms_is_named_and_changes_nothing(client_for, stockholm, ssc):
    client = client_for("sthlm-controller")
    response = client.post("/billing/", {"provider": stockholm.pk, "month": "december"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "YYYY-MM" in response.content.decode() and not BillingRun.objects.filter(provider=stockholm).exists()
    invoice = Invoice.objects.filter(provider=ssc, document_type="380", credit_notes__isnull=True).first()
    before = Invoice.objects.count()
    controller = client_for("controller")
    page = controller.post(f"/billing/invoices/{invoice.pk}/", {"line": ["1"], "quantity-1": "tolv", "reason": "fel"}, follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Line 1" in page and "tolv" in page
    page = controller.post(f"/billing/invoices/{invoice.pk}/", {"reason": "inget valt"}, follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Choose the lines to credit" in page
    page = controller.post(f"/billing/invoices/{invoice.pk}/", {"line": ["99"], "reason": "finns inte"}, follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "not on the invoice" in page
    assert Invoice.objects.count() == before


def test_the_controller_runs_a_month_through_the_pages(client_for, stockholm):
    client = client_for("sthlm-controller")
    response = through_job(client, client.post("/billing/", {"provider": stockholm.pk, "month": "2020-12"}))
    run = BillingRun.objects.get(provider=stockholm, period=DECEMBER.start)
    assert response.status_code == 302 and response["Location"] == f"/billing/runs/{run.pk}/"
    listed = client.get(f"/billing/runs/{run.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    last = run.preview[-1]
    assert f"/billing/runs/{run.pk}/drafts/{len(run.preview)}/" in listed and last["lines"][0]["description"] not in listed   # the lines are on the draft's page
    draft = client.get(f"/billing/runs/{run.pk}/drafts/{len(run.preview)}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Draft invoice to {last['name']}" in draft and all(line["description"] in draft for line in last["lines"])
    assert "Next invoice" not in draft and "Previous invoice" in draft
    for beyond in (0, len(run.preview) + 1):
        assert client.get(f"/billing/runs/{run.pk}/drafts/{beyond}/").status_code == 404
    assert client.post(f"/billing/runs/{run.pk}/", {"action": "issue"}).status_code == 302
    assert not Invoice.objects.filter(run=run).exists()                        # not approved yet
    client.post(f"/billing/runs/{run.pk}/", {"action": "approve"})
    assert BillingRun.objects.get(pk=run.pk).state == "preview"               # four eyes: not by the one who prepared it
    attestant = client_for("sthlm-attestant")
    attestant.post(f"/billing/runs/{run.pk}/", {"action": "approve"})
    asked = attestant.post(f"/billing/runs/{run.pk}/", {"action": "issue"}, HTTP_ACCEPT_LANGUAGE="en")
    assert asked.status_code == 200 and f"Issue {len(run.preview)} invoices" in asked.content.decode()
    assert not Invoice.objects.filter(run=run).exists()                        # asked, not issued
    done = through_job(attestant, attestant.post(f"/billing/runs/{run.pk}/", {"action": "issue", "confirm": asked.context["confirm_token"]}))
    assert done["Location"] == f"/billing/runs/{run.pk}/"
    assert Invoice.objects.filter(run=run).count() == len(run.preview)
    again = through_job(client, client.post("/billing/", {"provider": stockholm.pk, "month": "2020-12"}, HTTP_ACCEPT_LANGUAGE="en"))
    assert again["Location"] == "/billing/"
    assert "already issued" in client.get("/billing/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert Invoice.objects.filter(run=run).count() == len(run.preview)         # again: nothing new
    assert client_for("tjansteagare").post(f"/billing/runs/{run.pk}/", {"action": "discard"}).status_code == 404   # another provider's run
    ssc_run = BillingRun.objects.filter(provider__code="ssc").first()
    assert client_for("tjansteagare").post(f"/billing/runs/{ssc_run.pk}/", {"action": "discard"}).status_code == 403  # may look, not run


def test_an_import_that_finishes_while_another_was_checked_is_refused_and_leaves_nothing(ssc, payroll_customer):
    from servicecenter.apps.imports.base import IMPORTERS

    org = payroll_customer.org_number
    slow = IMPORTERS["events"](ssc)
    slow.source = "a.csv"
    slow.prepare()
    _rows, problems, checked = slow.check_file(_events_csv([("s", "m1", org, "lon", "2026-01-15", 1)]), "a.csv", dry_run=False)
    assert not [p for p in problems if p.severity.value == "error"] and checked.batch.exists()
    assert run_import("events", _events_csv([("s", "m1", org, "lon", "2026-01-15", 1)]), "b.csv", provider=ssc).ok   # the same event, first
    with pytest.raises(IntegrityError, match="another import"), transaction.atomic():
        slow.apply(checked)
    slow.discard(checked)
    assert not checked.batch.exists()
    assert stored_events(provider=ssc, month=date(2026, 1, 1)) == 1


def test_swedish_decimals_and_blank_rows_in_a_csv_take_the_row_wise_rules(ssc, payroll_customer):
    org = payroll_customer.org_number
    data = ("källa;id;organisationsnummer;tjänst;tidpunkt;antal\n"
            f"s;d1;{org};lon;2026-01-15 10:00;2,5\n;;;;;\n"
            f"s;d2;{org};lon;2026-01-16;1\n").encode()
    report = run_import("events", data, "svenska.csv", provider=ssc)
    assert report.ok, report.lines("en")
    assert report.rows == 2 and report.counts == {"created": 2, "late": 0, "unchanged": 0}   # the blank row is skipped, as in every import
    total = UsageTotal.objects.get(provider=ssc, customer=payroll_customer, month=date(2026, 1, 1), service__code="lon")
    assert (total.quantity, total.events) == (Decimal("3.5"), 2)


def test_the_usage_behind_event_rated_lines_is_listed_for_those_who_may_see_it(ssc, contact_customer, client_for):
    """#17: "usage behind this line" reaches the events: /billing/usage/ lists what billing rates
    (per file, customer, service, month), filtered as the invoice page links to it; a customer
    contact sees its own and no other customer's."""
    other = Agreement.objects.filter(customer__provider=ssc, service__code="lon").exclude(customer=contact_customer).first().customer
    data = _events_csv([("lonesystem", f"u{i}", customer.org_number, "lon", "2026-02-10T09:00", 2)
                        for i, customer in enumerate([contact_customer, contact_customer, other])])
    assert run_import("events", data, "lonehandelser.csv", provider=ssc).ok
    service = Service.objects.get(provider=ssc, code="lon")
    page = client_for("controller").get(f"/billing/usage/?month=2026-02&service={service.pk}&q={contact_customer.number}").content.decode()
    assert contact_customer.name in page and other.name not in page
    own = client_for("kundkontakt").get("/billing/usage/?month=2026-02").content.decode()
    assert contact_customer.name in own and other.name not in own
