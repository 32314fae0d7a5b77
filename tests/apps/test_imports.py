"""Imports: good files are written completely, bad files are rejected with every problem named
by file, row and column, and the database is left exactly as it was."""

import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from openpyxl import Workbook

from servicecenter.apps.accounts.models import AuditEntry
from servicecenter.apps.imports.base import run_import
from servicecenter.apps.imports.models import ImportRun
from servicecenter.apps.metering.models import Volume
from servicecenter.apps.registry.models import (
    Agreement,
    Customer,
    Service,
    ServiceVersion,
)
from servicecenter.core.registry import make_orgnr
from tests.apps.conftest import api_done
from tests.conftest import cli_environment, copy_of_demo

NEW_A, NEW_B = make_orgnr("202199001"), make_orgnr("202199002")


def snapshot():
    """Row counts of every table the importers may touch, except the import log itself."""
    models = [m for m in apps.get_models() if m._meta.app_label in ("registry", "metering", "billing")]
    return {m._meta.label: m.objects.count() for m in models}


def located(report):
    return [(p.code, p.row, p.column) for p in report.errors]


@pytest.fixture
def run(ssc):
    def go(kind, text, name="fil.csv", dry_run=False, encoding="utf-8"):
        data = text.encode(encoding) if isinstance(text, str) else text
        return run_import(kind, data, name, provider=ssc, dry_run=dry_run)
    return go


def test_customers_import_creates_and_updates(run, ssc):
    report = run("customers", f"organisationsnummer;namn;år;anställda;omsättning\n{NEW_A};Nya verket;2025;420;12 500 000,50\n{NEW_B};Andra verket;2025;80;\n")
    assert report.ok and report.status == "applied", report.lines()
    assert report.counts == {"created": 2, "updated": 0, "unchanged": 0, "years": 2}
    customer = Customer.objects.get(provider=ssc, org_number=NEW_A)
    assert customer.years.get(year=2025).employees == 420
    assert str(customer.years.get(year=2025).turnover) == "12500000.50"
    assert AuditEntry.objects.filter(action="registry.customer.created", object_id=str(customer.pk)).exists()
    again = run("customers", f"org_number,name\n{NEW_A},Nya verket (nytt namn)\n")
    assert again.counts["updated"] == 1 and Customer.objects.get(pk=customer.pk).name == "Nya verket (nytt namn)"
    years = run("customers", f"org_number,name,year,employees\n{NEW_A},Nya verket,2025,430\n{NEW_A},Nya verket,2026,445\n")   # a year corrected, one added
    assert years.counts == {"created": 0, "updated": 1, "unchanged": 0, "years": 2}
    assert dict(customer.years.values_list("year", "employees")) == {2025: 430, 2026: 445}
    assert str(customer.years.get(year=2025).turnover) == "12500000.50"   # not in the file: kept
    assert AuditEntry.objects.filter(action="registry.customer.updated", object_id=str(customer.pk)).count() == 2   # one per import, not per row
    # the register again as it is stored: nothing written, nothing logged; one employee more is a change
    same = run("customers", f"org_number,name,year,employees\n{NEW_A},Nya verket,2025,430\n{NEW_B},Andra verket,2025,80\n")
    assert same.counts == {"created": 0, "updated": 0, "unchanged": 2, "years": 2}
    assert AuditEntry.objects.filter(action="registry.customer.updated", object_id=str(customer.pk)).count() == 2
    other = Customer.objects.get(provider=ssc, org_number=NEW_B)
    one_more = run("customers", f"org_number,name,year,employees\n{NEW_A},Nya verket,2025,430\n{NEW_B},Andra verket,2025,81\n")
    assert one_more.counts == {"created": 0, "updated": 1, "unchanged": 1, "years": 2} and other.years.get(year=2025).employees == 81
    assert AuditEntry.objects.filter(action="registry.customer.updated", object_id=str(other.pk)).count() == 1


def test_bad_customers_file_lists_every_problem_and_writes_nothing(run):
    before = snapshot()
    runs_before = ImportRun.objects.count()
    text = (
        "org_number;name;year;employees;preparedness_from;preparedness_until;host_org_number\n"
        f"202100-6256;Fel kontrollsiffra;2025;10;;;\n"            # row 2: check digit
        f"{NEW_A};;2025;-5;;;\n"                                   # row 3: no name, negative employees
        f"{NEW_B};Datumfel;2025;10;2025-02-30;2024-01-01;\n"       # row 4: impossible date, end before start
        f"{NEW_B};Dubblett;2025;11;;;\n"                           # row 5: fine alone
        f"{make_orgnr('202199003')};Okänd värd;2025;5;;;{make_orgnr('202199004')}\n"
    )
    report = run("customers", text)
    assert report.status == "rejected"
    assert ("orgnr.checksum", 2, "org_number") in located(report)
    assert ("value.required", 3, "name") in located(report)
    assert ("value.negative", 3, "employees") in located(report)
    assert ("value.date", 4, "preparedness_from") in located(report)
    assert snapshot() == before
    assert ImportRun.objects.count() == runs_before + 1 and ImportRun.objects.first().status == "rejected"


def test_cross_row_problems_duplicates_and_unknown_host(run):
    before = snapshot()
    text = f"org_number,name,year,employees,host_org_number\n{NEW_A},A,2025,1,\n{NEW_A},A igen,2025,2,\n{NEW_B},B,2025,3,{make_orgnr('202199009')}\n"
    report = run("customers", text)
    # the same number under another name: two customers that need customer numbers of their own
    assert ("customer.number_needed", 3, "customer_number") in located(report)
    assert ("customer.host_unknown", 4, "host_org_number") in located(report)
    same = run("customers", f"org_number,name,year,employees\n{NEW_A},A,2025,1\n{NEW_A},A,2025,2\n")
    assert ("row.duplicate", 3, None) in located(same)
    assert snapshot() == before


def test_dry_run_checks_but_writes_nothing(run):
    before = snapshot()
    report = run("customers", f"org_number,name\n{NEW_A},Nytt\n", dry_run=True)
    assert report.ok and report.status == "checked"
    assert snapshot() == before


def test_latin1_file_is_imported_with_correct_letters_and_a_warning(run, ssc):
    report = run("customers", f"org_number;name\n{NEW_A};Länsstyrelsen i Jönköpings län\n", encoding="cp1252")
    assert report.ok, report.lines()
    assert [p.code for p in report.warnings] == ["file.encoding_fallback"]
    assert Customer.objects.get(provider=ssc, org_number=NEW_A).name == "Länsstyrelsen i Jönköpings län"


HEADERS = {
    "customers": "org_number,name",
    "catalogue": "year,area_code,area_name,process_code,process_name,service_code,service_name,tier,unit",
    "agreements": "org_number,service_code,state",
    "volumes": "org_number,service_code,month,quantity",
    "events": "source,event_id,org_number,service_code,occurred_at,quantity",
}
REQUIRED = {"customers": 2, "catalogue": 9, "agreements": 3, "volumes": 4, "events": 6}


@pytest.mark.parametrize("kind", sorted(HEADERS))
def test_empty_junk_and_binary_files_are_rejected(run, kind):
    before = snapshot()
    assert [p.code for p in run(kind, "").errors] == ["file.empty"]
    assert [p.code for p in run(kind, HEADERS[kind] + "\n").errors] == ["file.no_rows"]
    junk = os.urandom(10 * 1024 * 1024)
    assert [p.code for p in run(kind, junk).errors] == ["file.binary"]
    text_junk = ("".join(chr(65 + (i * 7) % 26) for i in range(80)) + "\n") * (10 * 1024 * 1024 // 81)
    report = run(kind, text_junk)
    assert {p.code for p in report.errors} == {"header.missing"} and len(report.errors) == REQUIRED[kind]
    assert [p.code for p in run(kind, b"PK\x03\x04broken", name="fil.xlsx").errors] == ["file.xlsx"]
    assert [p.code for p in run(kind, b"PAR1broken", name="fil.parquet").errors] == ["file.parquet"]
    assert snapshot() == before


@pytest.mark.parametrize("kind", sorted(HEADERS))
def test_latin1_file_with_errors_names_them_with_correct_letters(run, kind):
    before = snapshot()
    header = HEADERS[kind].replace("org_number", "organisationsnummer")
    width = header.count(",") + 1
    row = ",".join(["Götaälv"] * width)
    report = run(kind, f"{header}\n{row}\n", encoding="cp1252")
    assert report.errors and all(p.row == 2 for p in report.errors)
    assert any("organisationsnummer" == p.column for p in report.errors) or kind == "catalogue"
    assert "file.encoding_fallback" in [p.code for p in report.warnings]
    assert snapshot() == before


def test_catalogue_import_versions_by_year(run, ssc):
    text = ("year;area_code;area_name;process_code;process_name;service_code;service_name;tier;unit;obligatory\n"
            "2026;lon;Lön;loneadministration;Löneadministration;lon;Lönetjänsten 2026;bas;lönespecifikation;ja\n"
            "2026;lon;Lön;loneadministration;Löneadministration;ny-tjanst;Ny tjänst;tillägg;timme;nej\n")
    report = run("catalogue", text)
    assert report.ok, report.lines()
    assert ServiceVersion.objects.get(service__provider=ssc, service__code="lon", year=2026).name_sv == "Lönetjänsten 2026"
    assert ServiceVersion.objects.get(service__provider=ssc, service__code="lon", year=2025).name_sv == "Lönetjänsten"
    assert Service.objects.get(provider=ssc, code="ny-tjanst").versions.get().tier == "add_on"


def test_bad_catalogue(run):
    before = snapshot()
    text = ("year;area_code;area_name;process_code;process_name;service_code;service_name;tier;unit;obligatory\n"
            "1850;lon;Lön;p;P;a;A;bas;timme;ja\n"
            "2026;lon;Lön;p;P;b;B;guld;parsec;kanske\n"
            "2026;ehandel;E-handel;loneadministration;Löneadministration;c;C;bas;timme;ja\n")
    report = run("catalogue", text)
    assert ("value.year", 2, "year") in located(report)
    assert ("value.choice", 3, "tier") in located(report)
    assert ("unit.unknown", 3, "unit") in located(report)
    assert ("value.boolean", 3, "obligatory") in located(report)
    assert snapshot() == before


def test_agreements_import_and_pipeline_rules(run, ssc, contact_customer):
    before = snapshot()
    bad = ("org_number;service_code;state;intent_date;production_date\n"
           f"{NEW_A};lon;production;;2025-01-01\n"                       # unknown customer
           f"{contact_customer.org_number};okand;production;;2025-01-01\n"  # unknown service
           f"{contact_customer.org_number};redovisning;production;2025-06-01;2025-01-01\n"  # dates backwards
           f"{contact_customer.org_number};redovisning;avslutad;;\n")     # ended without dates
    report = run("agreements", bad)
    assert ("customer.unknown", 2, "org_number") in located(report)
    assert ("service.unknown", 3, "service_code") in located(report)
    assert ("dates.order", 4, "production_date") in located(report)
    assert ("dates.state_requires", 5, "ended_date") in located(report)
    assert snapshot() == before
    good = f"organisationsnummer;tjänstekod;status;avsiktsförklaring\n{contact_customer.org_number};anlaggning;avsiktsförklaring;2025-11-01\n"
    report = run("agreements", good)
    assert report.ok, report.lines()
    agreement = Agreement.objects.get(customer=contact_customer, service__code="anlaggning")
    assert agreement.state == "letter_of_intent"
    assert AuditEntry.objects.filter(action="registry.agreement.created", object_id=str(agreement.pk)).exists()
    assert run("agreements", good).counts == {"created": 0, "updated": 0, "unchanged": 1}   # the same file again: nothing written
    assert not AuditEntry.objects.filter(action="registry.agreement.updated", object_id=str(agreement.pk)).exists()
    onboarding = f"organisationsnummer;tjänstekod;status;avsiktsförklaring;anslutning\n{contact_customer.org_number};anlaggning;anslutning;2025-11-01;2025-12-01\n"
    report = run("agreements", onboarding)
    assert report.ok and report.counts == {"created": 0, "updated": 1, "unchanged": 0}, report.lines()
    agreement.refresh_from_db()
    assert (agreement.state, agreement.onboarding_date) == ("onboarding", date(2025, 12, 1))
    assert AuditEntry.objects.filter(action="registry.agreement.updated", object_id=str(agreement.pk)).count() == 1


def test_volumes_import_and_update(run, contact_customer):
    service = Agreement.objects.filter(customer=contact_customer, state="production").first().service
    text = f"org_number;service_code;month;quantity\n{contact_customer.org_number};{service.code};2026-01;1 234\n"
    report = run("volumes", text)
    assert report.ok and report.counts == {"created": 1, "updated": 0, "unchanged": 0}, report.lines()
    report = run("volumes", text.replace("1 234", "1 300"))
    assert report.counts == {"created": 0, "updated": 1, "unchanged": 0}
    assert Volume.objects.get(customer=contact_customer, service=service, month="2026-01-01").quantity == 1300


def test_bad_volumes(run, contact_customer, other_customer):
    before = snapshot()
    production = Agreement.objects.filter(customer=contact_customer, state="production").first()
    code = production.service.code
    not_bought = Service.objects.filter(provider=contact_customer.provider).exclude(agreements__customer=contact_customer).first().code
    orgnr = contact_customer.org_number
    text = ("org_number;service_code;month;quantity\n"
            f"{orgnr};{code};2025-13;10\n"            # 2 impossible month
            f"{orgnr};{code};2026-02;-3\n"            # 3 negative volume
            f"{orgnr};nope;2026-02;3\n"               # 4 unknown service
            f"202100-6256;{code};2026-02;3\n"          # 5 bad check digit
            f"{orgnr};{not_bought};2026-02;3\n"       # 6 no agreement
            f"{orgnr};{code};2026-03;3\n"             # 7 fine
            f"{orgnr};{code};2026-03;4\n")            # 8 duplicate of 7
    report = run("volumes", text)
    assert ("value.month", 2, "month") in located(report)
    assert ("value.negative", 3, "quantity") in located(report)
    assert ("service.unknown", 4, "service_code") in located(report)
    assert ("orgnr.checksum", 5, "org_number") in located(report)
    assert ("volume.no_agreement", 6, "service_code") in located(report)
    assert snapshot() == before
    report = run("volumes", "org_number;service_code;month;quantity\n" + f"{orgnr};{code};2026-03;3\n{orgnr};{code};2026-03;4\n")
    assert ("row.duplicate", 3, None) in located(report)
    assert snapshot() == before


def test_excel_volumes(run, contact_customer):
    production = Agreement.objects.filter(customer=contact_customer, state="production").first()
    book = Workbook()
    book.active.append(["Organisationsnummer", "Tjänst", "Månad", "Antal"])
    book.active.append([contact_customer.org_number, production.service.code, "2026-04", 17])
    buffer = io.BytesIO()
    book.save(buffer)
    report = run("volumes", buffer.getvalue(), name="volymer.xlsx")
    assert report.ok, report.lines()


def test_the_import_page_shows_the_same_report(client_for, contact_customer):
    client = client_for("controller")
    before = snapshot()
    upload = io.BytesIO(b"org_number;name\n202100-6256;X\n")
    upload.name = "kunder.csv"
    response = client.post("/import/", {"kind": "customers", "provider": "ssc", "file": upload}, follow=True)   # through its job
    assert response.redirect_chain[0][0].startswith("/jobs/")
    text = response.content.decode()
    assert "Filen avvisades. Inget skrevs." in text
    assert "kunder.csv, rad 2, kolumn org_number: Organisationsnumrets kontrollsiffra stämmer inte." in text
    assert snapshot() == before
    client.post("/i18n/setlang/", {"language": "en", "next": "/import/"})
    upload = io.BytesIO(b"org_number;name\n202100-6256;X\n")
    upload.name = "customers.csv"
    text = client.post("/import/", {"kind": "customers", "provider": "ssc", "file": upload}, follow=True).content.decode()
    assert "customers.csv, row 2, column org_number: The organisation number&#x27;s check digit is wrong." in text


def test_service_owner_may_import_volumes_only(client_for):
    client = client_for("tjansteagare")
    text = client.get("/import/").content.decode()
    assert 'value="volumes"' in text and 'value="customers"' not in text
    upload = io.BytesIO(b"org_number;name\n")
    upload.name = "kunder.csv"
    before = ImportRun.objects.filter(kind="customers").count()   # the demo's own register was imported
    response = client.post("/import/", {"kind": "customers", "provider": "ssc", "file": upload})
    assert "Filen avvisades" not in response.content.decode() and ImportRun.objects.filter(kind="customers").count() == before


@pytest.mark.django_db(transaction=False)
def test_command_line_import_reports_in_swedish_and_exits_nonzero(tmp_path: Path, settings, request):
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("the CLI test works on a SQLite file")
    database = copy_of_demo(request.getfixturevalue("demo_file"), tmp_path)   # the session's demo, built once
    env = cli_environment(database)
    bad = tmp_path / "volymer.csv"
    bad.write_text("org_number;service_code;month;quantity\n202100-6256;lon;2025-13;-1\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "servicecenter.cli", "--db", str(database), "import", "volumes", str(bad), "--provider", "ssc"],
                            env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert "volymer.csv, rad 2, kolumn org_number: Organisationsnumrets kontrollsiffra stämmer inte." in result.stdout
    assert "volymer.csv, rad 2, kolumn month: Inte en giltig månad; skriv t.ex. 2025-03, 202503 eller mars 2025." in result.stdout
    assert "Avvisad, inget skrevs" in result.stdout
    # replacing a stored ledger year is refused until --replace confirms it, saying what goes and comes
    ledger = tmp_path / "huvudbok.csv"
    ledger.write_text("account;cost_centre;month;amount\n5010;10;2025-01;100\n", encoding="utf-8")
    command = [sys.executable, "-m", "servicecenter.cli", "--db", str(database), "import", "ledger", str(ledger), "--provider", "ssc"]
    refused = subprocess.run(command, env=env, capture_output=True, text=True)
    assert refused.returncode == 1 and "Bekräfta att året ska ersättas" in refused.stdout and "med 1 rader" in refused.stdout
    replaced = subprocess.run([*command, "--replace"], env=env, capture_output=True, text=True)
    assert replaced.returncode == 0 and "ersätts" in replaced.stdout and "Importerad" in replaced.stdout, replaced.stdout


def test_whoever_may_import_a_kind_sees_its_runs(client_for):
    """#13: a network planner may import offices, so the import page lists its office imports
    (it saw none: the runs followed another permission check than the import)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    planner = client_for("planerare")
    upload = SimpleUploadedFile("kontor.csv", b"code;name\nx;y\n", content_type="text/csv")
    assert planner.post("/import/", {"kind": "offices", "provider": "ssc", "file": upload, "dry_run": "on"}, follow=True).status_code == 200
    assert ImportRun.objects.filter(kind="offices", filename="kontor.csv").exists()
    listed = planner.get("/import/").content.decode()
    assert "kontor.csv" in listed
    assert "kontor.csv" not in client_for("tjansteagare").get("/import/").content.decode()  # a service owner may not import offices


def test_the_api_replaces_a_ledger_year_only_when_told(client_for, ssc):
    from servicecenter.apps.costing.models import LedgerCell

    client = client_for("controller")
    before = LedgerCell.objects.filter(provider=ssc, year=2025, kind="actual").count()

    def post(**fields):
        upload = io.BytesIO(b"account;cost_centre;month;amount\n5010;10;2025-01;100\n")
        upload.name = "huvudbok.csv"
        return api_done(client, client.post("/api/imports/ledger", {"file": upload, "provider": "ssc", "dry_run": "false", **fields}))["result"]

    refused = post()
    assert refused["status"] == "rejected" and [p["code"] for p in refused["problems"]] == ["ledger.replace_unconfirmed"]
    assert LedgerCell.objects.filter(provider=ssc, year=2025, kind="actual").count() == before
    applied = post(replace="true")
    assert applied["status"] == "applied" and [p["code"] for p in applied["problems"]] == ["ledger.replaces"]
    assert LedgerCell.objects.filter(provider=ssc, year=2025, kind="actual").count() == 1


def test_texts_cut_to_their_column_are_listed_once_each_and_a_flood_is_summed_up(monkeypatch):
    """``RowCheck.kept``: a free text longer than its column is kept cut; the first time a file has
    it, a warning names row and column; after ``CUT_LISTED`` different ones, one last warning says
    more follow (a file of a million long texts is not a million warnings)."""
    from servicecenter.apps.imports import base
    from servicecenter.apps.imports.base import RowCheck

    monkeypatch.setattr(base, "CUT_LISTED", 2)
    seen: set = set()
    found = []
    for number, text in enumerate(["a" * 5, "b" * 5, "a" * 5, "ok", "c" * 5, "d" * 5], start=2):
        check = RowCheck("fil.csv", number, lambda column: column, seen)
        assert check.kept("source", f"  {text} ", 3) == text[:3]
        found += [(problem.code, problem.row, problem.column, problem.severity.value) for problem in check.problems]
    assert found == [("value.cut", 2, "source", "warning"), ("value.cut", 3, "source", "warning"), ("value.cut_more", 6, "source", "warning")]


def test_an_import_is_named_in_words_in_the_audit_log(ssc):
    """The audit log keeps what an import is called when it is made: the kind of file as the
    import page names it, the status translated; never a code such as ``office_visits``."""
    report = run_import("office_visits", b"kontor,m\xc3\xa5nad,myndighet,bes\xc3\xb6k\nok\xc3\xa4nt,2025-01,FK,1\n", "besok.csv", provider=ssc)
    assert not report.ok
    entry = AuditEntry.objects.filter(action="imports.office_visits.rejected").latest("pk")
    assert "Besök och ärenden per kontor besok.csv" in entry.object_repr and "office_visits" not in entry.object_repr
