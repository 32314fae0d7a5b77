"""#12: hostile input never breaks a page, never leaks across providers and never changes data
silently. Each case of the audit that filed the issue is here, against the demo database."""

import io
import json
import time
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from servicecenter.apps.accounts.models import ApiToken
from servicecenter.apps.billing import integrity
from servicecenter.apps.billing import services as billing
from servicecenter.apps.billing.models import Invoice, InvoiceLine, NumberSeries
from servicecenter.apps.costing.models import LedgerCell, PriceListEntry
from servicecenter.apps.imports.base import run_import
from servicecenter.apps.metering.models import Volume
from servicecenter.apps.registry.models import Agreement, Customer, CustomerYear, Provider
from servicecenter.core.periods import Period
from tests.apps.conftest import api_done, fetch

EVIL = '=HYPERLINK("http://evil.example","klicka")'


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _uncredited_invoice(provider):
    return Invoice.objects.filter(provider=provider, document_type="380", credit_notes__isnull=True, corrections__isnull=True).order_by("number").first()


# --- numbers too large for their column ----------------------------------------------------------

IMPLAUSIBLE = ["99999999999999999", "NaN", "Infinity", "-Infinity", "1e30", "sNaN", "1,0001", "1" * 5000]


def test_the_credit_form_refuses_implausible_quantities_and_issues_nothing(client_for, ssc):
    """Each implausible quantity is refused naming the line and field, nothing is issued, and the
    pages and downloads that list invoices still work after all of them (looked at once, after the
    last: each look at the invoice Excel of the demo's 2,000 invoices costs a second)."""
    invoice = _uncredited_invoice(ssc)
    before = Invoice.objects.count()
    client = client_for("controller")
    for text in IMPLAUSIBLE:
        response = client.post(f"/billing/invoices/{invoice.pk}/", {"line": ["1"], "quantity-1": text, "reason": "fel"}, follow=True,
                               HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, text[:20]
        assert "Line 1, corrected quantity" in response.content.decode(), text[:20]
        assert Invoice.objects.count() == before, text[:20]
    for url in ("/billing/invoices/", "/billing/invoices/?format=xlsx", f"/billing/invoices/{invoice.pk}/", "/billing/focus.csv", "/api/invoices"):
        assert fetch(client, url).status_code == 200, url


def test_a_run_whose_amounts_exceed_an_invoice_is_refused_before_anything_is_stored(ssc):
    stockholm = Provider.objects.get(code="stockholm")
    entry = PriceListEntry.objects.filter(price_list__provider=stockholm, price_list__year=2020, unit_price__isnull=False).first()
    PriceListEntry.objects.filter(pk=entry.pk).update(unit_price=Decimal("99999999.99"))
    agreement = Agreement.objects.filter(customer__provider=stockholm, service=entry.service, state="production").first()
    Volume.objects.update_or_create(customer=agreement.customer, service=entry.service, month=date(2020, 12, 1),
                                    defaults={"provider": stockholm, "quantity": Decimal("9999999999.999")})
    with pytest.raises(billing.BillingError, match="beyond what an invoice"):
        billing.start_run(stockholm, Period.month(2020, 12))
    assert not Invoice.objects.filter(provider=stockholm, period_start=date(2020, 12, 1)).exists()


def test_a_volume_of_1e30_is_refused_and_pages_keep_working(ssc, contact_customer, client_for):
    agreement = Agreement.objects.filter(customer=contact_customer, state="production").first()
    for text, code in (("1e30", "value.range"), ("NaN", "value.decimal"), ("Infinity", "value.decimal"), ("0,0001", "value.places")):
        report = run_import("volumes", f"org_number;service_code;month;quantity\n{contact_customer.org_number};{agreement.service.code};2026-04;{text}\n".encode(),
                            "volymer.csv", provider=ssc)
        assert [(p.code, p.row, p.column) for p in report.errors] == [(code, 2, "quantity")], report.lines("en")
    assert not Volume.objects.filter(customer=contact_customer, month="2026-04-01").exists()
    contact = client_for("kundkontakt")
    for url in ("/", "/volumes/", f"/customers/{contact_customer.pk}/", f"/agreements/{agreement.pk}/", "/api/volumes"):
        assert contact.get(url).status_code == 200, url


def test_a_volume_of_an_invoiced_month_is_never_overwritten(ssc, contact_customer):
    stored = Volume.objects.filter(customer=contact_customer, month="2025-03-01").select_related("service").first()
    assert stored is not None and date(2025, 3, 1) in billing.invoiced_months(ssc)
    header = "org_number;service_code;month;quantity\n"
    same = f"{contact_customer.org_number};{stored.service.code};2025-03;{stored.quantity}\n"
    report = run_import("volumes", (header + same).encode(), "volymer.csv", provider=ssc)
    assert report.ok and report.counts == {"created": 0, "updated": 0, "unchanged": 1}, report.lines("en")
    changed = f"{contact_customer.org_number};{stored.service.code};2025-03;{stored.quantity + 7}\n"
    report = run_import("volumes", (header + changed).encode(), "volymer.csv", provider=ssc)
    assert [(p.code, p.row, p.column) for p in report.errors] == [("volume.closed_month", 2, "quantity")]
    assert "2025-03 is already invoiced" in report.lines("en")[0] and f"stored {stored.quantity.normalize():f}" in report.lines("en")[0]
    assert Volume.objects.get(pk=stored.pk).quantity == stored.quantity
    other = Agreement.objects.filter(customer__provider=ssc, state="production", production_date__lte=date(2025, 1, 1)).exclude(
        customer__volumes__month="2025-03-01").first()
    if other is not None:  # a volume where the invoiced month had none is a change too
        report = run_import("volumes", (header + f"{other.customer.org_number};{other.service.code};2025-03;5\n").encode(), "volymer.csv", provider=ssc)
        assert [p.code for p in report.errors] == ["volume.closed_month"]


def test_employees_of_1e26_are_refused_with_the_field(ssc, contact_customer):
    before = CustomerYear.objects.count()
    report = run_import("customers", f"org_number;name;year;employees\n{contact_customer.org_number};{contact_customer.name};2026;1e26\n".encode(),
                        "kunder.csv", provider=ssc)
    assert [(p.code, p.row, p.column) for p in report.errors] == [("value.range", 2, "employees")]
    assert "10000000" in report.lines("en")[0]
    assert CustomerYear.objects.count() == before


# --- tampering ----------------------------------------------------------------------------------

def _statements():
    if connection.vendor == "sqlite":
        return [
            "INSERT OR REPLACE INTO billing_invoice SELECT * FROM billing_invoice WHERE id = %s",
            "REPLACE INTO billing_invoiceline SELECT * FROM billing_invoiceline WHERE invoice_id = %s",
            "UPDATE billing_invoice SET payable = 1 WHERE id = %s",
            "UPDATE OR REPLACE billing_invoiceline SET amount = 1 WHERE invoice_id = %s",
            "DELETE FROM billing_invoiceline WHERE invoice_id = %s",
            "INSERT OR REPLACE INTO billing_invoiceseal SELECT * FROM billing_invoiceseal WHERE invoice_id = %s",
            "DELETE FROM billing_invoiceseal WHERE invoice_id = %s",
        ]
    return [
        "INSERT INTO billing_invoice SELECT * FROM billing_invoice WHERE id = %s ON CONFLICT (id) DO UPDATE SET payable = 1",
        "UPDATE billing_invoice SET payable = 1 WHERE id = %s",
        "DELETE FROM billing_invoiceline WHERE invoice_id = %s",
        "INSERT INTO billing_invoiceseal SELECT * FROM billing_invoiceseal WHERE invoice_id = %s ON CONFLICT (id) DO UPDATE SET chain_sha256 = ''",
        "DELETE FROM billing_invoiceseal WHERE invoice_id = %s",
    ]


def test_replace_update_and_delete_of_issued_documents_are_refused(ssc):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA recursive_triggers")
            assert cursor.fetchone()[0] == 1
    invoice = _uncredited_invoice(ssc)
    lines = [(line.line_no, line.amount) for line in invoice.lines.order_by("line_no")]
    for statement in _statements():
        with pytest.raises((DatabaseError, IntegrityError), match="immutable"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement, [invoice.pk])
    fresh = Invoice.objects.get(pk=invoice.pk)
    assert fresh.payable == invoice.payable and [(line.line_no, line.amount) for line in fresh.lines.order_by("line_no")] == lines
    assert integrity.check(fresh) == []


def test_a_line_seals_the_same_read_as_a_line_or_as_a_row_of_values(ssc):
    """Issuing seals the lines read back as rows of values (``seal_all``); checking reads them as
    lines. Both give the same canonical row, and the row maker's remembered texts are per column and
    per type (a REAL read from a tampered row is not the decimal it equals)."""
    fields = integrity._sealed_fields(InvoiceLine)
    lines = list(InvoiceLine.objects.filter(invoice__provider=ssc).order_by("pk")[:300])
    values = list(InvoiceLine.objects.filter(pk__in=[line.pk for line in lines]).order_by("pk").values_list(*(f.attname for f in fields)))
    row = integrity._row_maker(fields)
    assert [row(v) for v in values] == [integrity._row(line) for line in lines]
    amount = [f.attname for f in fields].index("amount")
    decimal, real = list(values[0]), list(values[0])
    real[amount] = float(decimal[amount])
    assert row(decimal)["amount"] == format(decimal[amount], "f") and row(real)["amount"] == repr(real[amount])


def _without_triggers(table: str):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for operation in ("update", "delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")
        else:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")


def test_a_document_changed_behind_the_products_back_is_flagged_and_not_downloaded(ssc, client_for):
    invoice = _uncredited_invoice(ssc)
    client = client_for("controller")
    assert 'id="integrity"' not in client.get(f"/billing/invoices/{invoice.pk}/").content.decode()
    assert integrity.verify_series(ssc)[1] == []
    _without_triggers("billing_invoice")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE billing_invoice SET payable = payable + 1000 WHERE id = %s", [invoice.pk])
    page = client.get(f"/billing/invoices/{invoice.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="integrity"' in page and "differs from what was issued" in page
    assert "skiljer sig från det som utfärdades" in client.get(f"/billing/invoices/{invoice.pk}/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    for kind in ("pdf", "xml", "xlsx"):
        response = client.get(f"/billing/invoices/{invoice.pk}/{kind}/")
        assert response.status_code == 409 and response["Content-Type"].startswith("text/html")
    assert client.get(f"/api/invoices/{invoice.pk}").json()["integrity"]
    listing = client.get(f"/billing/invoices/?q={invoice.number_text}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "does not match what was issued" in listing
    with translation.override("en"):  # a request above switched this thread's language
        findings = integrity.verify_series(ssc)[1]
    assert [(f.number, "content hash" in f.message) for f in findings] == [(invoice.number_text, True)]


def test_removed_and_inserted_documents_break_the_chain(ssc):
    invoices = list(Invoice.objects.filter(provider=ssc, series="F").order_by("number")[:3])
    middle = invoices[1]
    for table in ("billing_invoice", "billing_invoiceline", "billing_invoiceseal"):
        _without_triggers(table)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM billing_invoiceseal WHERE invoice_id = %s", [middle.pk])
        cursor.execute("UPDATE billing_invoiceline SET credited_line_id = NULL WHERE credited_line_id IN (SELECT id FROM billing_invoiceline WHERE invoice_id = %s)", [middle.pk])
        cursor.execute("DELETE FROM billing_invoiceline WHERE invoice_id = %s", [middle.pk])
        cursor.execute("UPDATE billing_invoice SET preceding_id = NULL WHERE preceding_id = %s", [middle.pk])
        cursor.execute("UPDATE billing_invoice SET corrects_id = NULL WHERE corrects_id = %s", [middle.pk])
        cursor.execute("DELETE FROM billing_invoice WHERE id = %s", [middle.pk])
    checked, findings = integrity.verify_series(ssc)
    messages = [f.message for f in findings if f.series == "F"]
    assert any("are missing" in m for m in messages), messages
    # a document inserted with the next free number has no seal and the series did not give it out
    copy = Invoice(**{f.attname: getattr(invoices[0], f.attname) for f in Invoice._meta.concrete_fields if f.attname not in ("id", "run_id")})
    copy.number = NumberSeries.objects.get(provider=ssc, code="F").next_number
    copy.number_text = f"F{copy.number:07d}"
    copy.save()
    findings = integrity.verify_series(ssc)[1]
    assert any(f.number == copy.number_text and "no seal" in f.message for f in findings)
    assert any("next number" in f.message for f in findings if f.series == "F")


# --- the admin ----------------------------------------------------------------------------------

def test_no_admin_page_answers_a_provider_controller(client_for, ssc):
    user = get_user_model().objects.get(username="sthlm-controller")
    user.is_staff = True  # even with staff status, the admin is for superusers only
    user.save()
    client = client_for("sthlm-controller")
    foreign = Customer.objects.filter(provider=ssc).order_by("pk").first()
    names = set(Customer.objects.filter(provider=ssc).values_list("name", flat=True)[:50]) | {ssc.name}
    urls = ["/admin/", f"/admin/autocomplete/?app_label=registry&model_name=agreement&field_name=customer&term={foreign.name[:3]}"]
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        urls += [base, f"{base}add/?customer={foreign.pk}&service=1&provider={ssc.pk}", f"{base}1/change/", f"{base}?provider__id__exact={ssc.pk}"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url
        body = response.content.decode()
        assert not any(name in body for name in names), url
    assert client_for("admin").get("/admin/registry/customer/").status_code == 200


# --- files that exhaust the server ------------------------------------------------------------------

def _zip_bomb(unpacked_mb: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            chunk = b"<c>" + b"0" * (1024 * 1024 - 7) + b"</c>\n"
            for _ in range(unpacked_mb):
                part.write(chunk)
    return buffer.getvalue()


def test_a_zip_bomb_named_xlsx_is_refused_at_once(client_for):
    bomb = _zip_bomb(260)
    assert len(bomb) < 2 * 1024 * 1024
    user = get_user_model().objects.get(username="controller")
    _token, key = ApiToken.issue(user, "bomb")
    upload = io.BytesIO(bomb)
    upload.name = "kunder.xlsx"
    started = time.perf_counter()
    client = Client()
    response = client.post("/api/imports/customers", {"file": upload, "provider": "ssc", "dry_run": "false"}, HTTP_AUTHORIZATION=f"Bearer {key}")
    job = api_done(client, response, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert [p["code"] for p in job["result"]["problems"]] == ["file.unpacks_too_large"]
    assert time.perf_counter() - started < 10


def test_an_upload_larger_than_the_limit_is_refused_before_it_is_read(client_for, settings):
    settings.MAX_IMPORT_UPLOAD_BYTES = 1024
    response = client_for("controller").post("/api/imports/customers", data=b"x" * (2 * 1024 * 1024 + 10), content_type="application/octet-stream")
    assert response.status_code == 413


# --- one GET pins a thread ------------------------------------------------------------------------

BIG = str(2**70)
HOSTILE_GETS = [
    "/followup/fee-report/99999999999999999999/", "/followup/fee-report/0/", "/followup/fee-report/9999/",
    "/?year=0", "/?year=10000", f"/?year={BIG}", "/network/?day=0001-01-01", "/network/?day=9999-12-31", "/network/?day=x",
    f"/network/statistics/?year={BIG}", "/network/statistics/?year=0", f"/network/compare/?s={BIG}&s=1",
    f"/customers/{BIG}/", f"/services/{BIG}/", f"/agreements/{BIG}/", f"/billing/invoices/{BIG}/", f"/costing/runs/{BIG}/",
    f"/costing/behaviour/?run={BIG}", "/costing/behaviour/?run=abc", f"/costing/what-if/?current={BIG}&alternative=1",
    "/billing/reconciliation/0000-01/", "/billing/reconciliation/9999-12/", "/billing/focus.csv?period=abcdefg",
    f"/followup/drill/{BIG}/service/x/2025/", "/followup/?year=0",
    "/api/invoices?period=abcdefg", "/api/volumes?month=x", "/api/volumes?month=0000-00", f"/api/agreements?limit={BIG}",
    f"/api/agreements?offset={BIG}", f"/api/customers/{BIG}", f"/api/services/{BIG}", f"/api/services?year={BIG}",
    f"/api/volumes?customer_id={BIG}", f"/api/invoices/{BIG}", "/api/customers?q=%00", "/customers/?q=%00",
]


@pytest.mark.parametrize("role", ["lasare", "controller", "kundkontakt"])
def test_hostile_parameters_get_a_clear_answer_quickly(client_for, role):
    client = client_for(role)
    for url in HOSTILE_GETS:
        started = time.perf_counter()
        response = client.get(url)
        assert response.status_code in (200, 302, 400, 403, 404, 422), (url, response.status_code)
        assert time.perf_counter() - started < 5, url


# --- exports that run code ----------------------------------------------------------------------------

def _cells(data: bytes):
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_formulas_in_text_are_written_as_text_in_every_export(client_for, contact_customer):
    Customer.objects.filter(pk=contact_customer.pk).update(name=EVIL)
    Agreement.objects.filter(customer=contact_customer).update(buyer_reference="=1+1")
    client = client_for("controller")
    for url in ("/customers/?format=xlsx", "/agreements/?format=xlsx", "/volumes/?format=xlsx&q=HYPERLINK"):
        cells = [cell for cell in _cells(fetch(client, url).content) if isinstance(cell.value, str) and cell.value.startswith("=")]
        assert cells and all(cell.data_type == "s" for cell in cells), url


def test_a_hostile_buyer_reaches_no_invoice_export_as_a_formula(client_for):
    stockholm = Provider.objects.get(code="stockholm")
    customer = Customer.objects.filter(provider=stockholm, agreements__state="production").first()
    Customer.objects.filter(pk=customer.pk).update(name=EVIL, legal_name=EVIL)
    Agreement.objects.filter(customer=customer).update(buyer_reference="+1+1")
    run = billing.start_run(stockholm, Period.month(2020, 12), issue_date=date(2021, 1, 5), validate=False)
    invoices = billing.issue(billing.approve(run))
    mine = next(invoice for invoice in invoices if invoice.customer_id == customer.pk)
    assert mine.buyer_name == EVIL
    client = client_for("sthlm-controller")
    for url in ("/billing/invoices/?format=xlsx", f"/billing/invoices/{mine.pk}/xlsx/"):
        risky = [cell for cell in _cells(fetch(client, url).content) if isinstance(cell.value, str) and cell.value[:1] in "=+"]
        assert risky and all(cell.data_type == "s" for cell in risky), url
    text = fetch(client, "/billing/focus.csv?period=2020-12").content.decode()
    assert f"'{EVIL}".replace('"', '""') in text and f",{EVIL}" not in text


# --- text that lies ------------------------------------------------------------------------------------

SIE_HEAD = '#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#FNAMN "Testverket"\r\n#RAR 0 20260101 20261231\r\n#DIM 1 "Kostnadsstalle"\r\n#OBJEKT 1 "10" "Ekonomi"\r\n'


def _sie(text: str, encoding: str) -> bytes:
    body = SIE_HEAD + '#KONTO 1930 "Bank"\r\n#KONTO 5010 "Lokalhyra för år"\r\n#VER A 1 20260115 "Hyra"\r\n{\r\n#TRANS 5010 {1 "10"} 1000.00\r\n#TRANS 1930 {} -1000.00\r\n}\r\n'
    return (body + text).encode(encoding)


def test_a_sie_file_in_utf8_is_refused_showing_what_would_be_stored(ssc):
    report = run_import("ledger", _sie("", "utf-8"), "bok.se", provider=ssc)
    assert [p.code for p in report.errors] == ["sie.encoding"]
    assert "Lokalhyra för år" in report.lines("en")[0] and "Lokalhyra f├╢r ├Ñr" in report.lines("en")[0]


def test_a_sie_file_mixing_encodings_is_refused(ssc):
    data = _sie("", "utf-8").replace(b"Hyra", "Hyra \x94".encode("latin-1"))
    report = run_import("ledger", data, "bok.se", provider=ssc)
    assert [p.code for p in report.errors] == ["sie.encoding_mixed"]


def test_a_sie_file_in_latin1_is_read_as_such_with_a_warning_that_shows_it(ssc):
    report = run_import("ledger", _sie("", "latin-1"), "bok.se", provider=ssc, dry_run=True)
    assert report.ok and [p.code for p in report.warnings] == ["sie.encoding_latin1"], report.lines("en")
    assert "Lokalhyra för år" in report.warnings[0].describe("en")


def test_replacing_a_years_ledger_asks_for_confirmation_and_says_what_goes_and_comes(ssc):
    year = LedgerCell.objects.filter(provider=ssc, kind="actual").order_by("-year").values_list("year", flat=True).first()
    going = LedgerCell.objects.filter(provider=ssc, year=year, kind="actual").count()
    assert going > 1000
    two_lines = f"account;cost_centre;month;amount\n5010;10;{year}-01;100\n5020;10;{year}-02;200\n".encode()
    report = run_import("ledger", two_lines, "huvudbok.csv", provider=ssc)
    assert [p.code for p in report.errors] == ["ledger.replace_unconfirmed"]
    assert f"{going} rows" in report.lines("en")[0] and "2 rows" in report.lines("en")[0]
    assert LedgerCell.objects.filter(provider=ssc, year=year, kind="actual").count() == going
    report = run_import("ledger", two_lines, "huvudbok.csv", provider=ssc, replace=True)
    assert report.ok and [p.code for p in report.warnings] == ["ledger.replaces"]
    assert LedgerCell.objects.filter(provider=ssc, year=year, kind="actual").count() == 2


# --- defaults -----------------------------------------------------------------------------------------

def test_login_is_throttled(db):
    client = Client()
    for _ in range(5):
        client.post("/login/", {"username": "controller", "password": "fel"})
    response = client.post("/login/", {"username": "controller", "password": "demo"})
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    other = Client()
    other.post("/login/", {"username": "planerare", "password": "demo"})
    assert "_auth_user_id" in other.session


def test_pages_and_downloads_with_customer_data_are_private(client_for, contact_customer):
    client = client_for("kundkontakt")
    invoice = Invoice.objects.filter(customer=contact_customer).first()
    for url in ("/", f"/customers/{contact_customer.pk}/", f"/billing/invoices/{invoice.pk}/pdf/", "/api/invoices", "/billing/focus.csv"):
        response = fetch(client, url)   # a file made by a job comes from the job's download, private too
        assert response.status_code == 200 and response["Cache-Control"] == "private, no-store", url
    page = client.get("/")
    assert "script-src 'self'" in page["Content-Security-Policy"] and "unsafe-eval" not in page["Content-Security-Policy"]


def test_no_template_has_an_inline_script():
    """The Content-Security-Policy forbids inline scripts; a template with one would break."""
    import re
    from pathlib import Path

    import servicecenter

    templates = Path(servicecenter.__file__).parent / "web" / "templates"
    offenders = []
    for path in templates.rglob("*.html"):
        text = path.read_text()
        offenders += [f"{path.name}: {m.group(0)}" for m in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>", text)]
        offenders += [f"{path.name}: {m.group(0)}" for m in re.finditer(r"\son[a-z]+\s*=\s*[\"']", text)]
    assert offenders == []


def test_health_tells_an_anonymous_caller_only_ok(client_for):
    assert json.loads(Client().get("/health/").content) == {"status": "ok"}
    assert client_for("admin").get("/health/").json()["database"] == connection.vendor
    assert "queued" in client_for("admin").get("/health/").json()["jobs"]


def test_a_huge_user_name_never_reaches_authentication(db):
    """Login throttling stores the user name of a failed attempt; a 10,000-character one is
    refused by the form first (PostgreSQL refused to store it: found by the form fuzz test)."""
    from axes.models import AccessAttempt

    response = Client().post("/login/", {"username": "x" * 10_000, "password": "fel"})
    assert response.status_code == 200 and not AccessAttempt.objects.filter(username__startswith="xxxx").exists()
