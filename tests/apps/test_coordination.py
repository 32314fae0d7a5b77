"""A coordinator of IT operations starting from nothing: created by ``servicecenter init`` with the
seven indicators, registering its supplier agencies on a page (never in the admin), importing their
catalogues under them, and finding its annual report, before any number of the year is stored, as
a page that says so (with the restricted annex's form already usable). Organisations of their own
(Samordnaren C, year 2031), not the demo."""

import sqlite3
import subprocess
import sys

import pytest

from servicecenter import clock
from servicecenter.apps.accounts.models import AuditEntry, Role
from servicecenter.apps.followup import services as followup
from servicecenter.apps.followup.coordination import CoordinationError, add_supplier
from servicecenter.apps.followup.models import Family, IndicatorDefinition, Restriction
from servicecenter.apps.imports.base import run_import
from servicecenter.apps.registry import organisation
from servicecenter.apps.registry.models import Provider
from servicecenter.core.registry import make_orgnr
from tests.conftest import cli_environment

PASSWORD = "x-Lösen-123"
SUPPLIERS = "/followup/suppliers/?provider=samord-c"


@pytest.fixture
def coordinator(db):
    provider, admin = organisation.create_organisation(code="samord-c", name="Samordnaren C", org_number=make_orgnr("202199411"),
                                                       kind=Provider.Kind.IT_SUPPLIER, admin_username="samord-c-admin", admin_password=PASSWORD)
    followup.ensure_it_indicators(provider)   # as `servicecenter init` does (tested below)
    organisation.add_person(provider, username="samord-c-controller", password=PASSWORD, role=Role.CONTROLLER, user=admin)
    organisation.add_person(provider, username="samord-c-lasare", password=PASSWORD, role=Role.READER, user=admin)
    return provider


def test_a_coordinator_registers_its_suppliers_on_the_page_and_imports_their_catalogues(coordinator, client_for):
    client = client_for("samord-c-controller")
    page = client.get(SUPPLIERS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Samordnaren C" in page and "own services)" in page and 'name="org_number"' in page

    refused = client.post(SUPPLIERS, {"name": "Kronofogden (it-drift)", "org_number": "202100-00", "code": ""})
    assert refused.status_code == 400 and 'id="s-org" name="org_number"' in refused.content.decode()
    assert 'aria-invalid="true" aria-describedby="e-s-org"' in refused.content.decode()
    assert not Provider.objects.filter(coordinator=coordinator).exists()

    number = make_orgnr("202199412")
    assert client.post(SUPPLIERS, {"name": "Kronofogden  (it-drift)", "org_number": number.replace("-", ""), "code": ""}).status_code == 302
    (supplier,) = Provider.objects.filter(coordinator=coordinator)
    assert (supplier.code, supplier.name, supplier.org_number, supplier.kind) == ("kronofogden-it-drift", "Kronofogden (it-drift)", number,
                                                                                  Provider.Kind.IT_SUPPLIER)
    entry = AuditEntry.objects.get(action="followup.supplier.created", provider=coordinator)
    assert entry.data == {"code": "kronofogden-it-drift", "org_number": number}

    again = client.post(SUPPLIERS, {"name": "Kronofogden igen", "org_number": number, "code": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 400 and "already registered here, as Kronofogden (it-drift)" in again.content.decode()
    taken = client.post(SUPPLIERS, {"name": "Annan", "org_number": make_orgnr("202199413"), "code": "samord-c"}, HTTP_ACCEPT_LANGUAGE="en")
    assert taken.status_code == 400 and 'aria-invalid="true"' in taken.content.decode().split('id="s-code"')[1][:300]
    assert Provider.objects.filter(coordinator=coordinator).count() == 1
    assert client_for("samord-c-lasare").post(SUPPLIERS, {"name": "X", "org_number": make_orgnr("202199414")}).status_code == 403

    # the coordinator's people import for the supplier from now on, and its page shows the catalogue
    catalogue = ("year;area_code;area_name;process_code;process_name;service_code;service_name;tier;unit\n"
                 "2031;drift;Drift;drift;Drift;e-tjanst;E-tjänstplattform;bas;user\n2031;drift;Drift;drift;Drift;lagring;Lagring;bas;terabyte\n")
    assert run_import("catalogue", catalogue.encode(), "katalog.csv", provider=supplier).ok
    page = client.get(SUPPLIERS).content.decode()
    row = page.split("Kronofogden (it-drift)")[1].split("</tr>")[0]
    assert "<td>2031</td>" in row and '<td class="num">2</td>' in row
    form = client.get(f"/import/?kind=catalogue&provider={supplier.code}").content.decode()
    assert f'<option value="{supplier.code}" selected>' in form


def test_only_a_coordinator_registers_suppliers(coordinator):
    supplier = add_supplier(coordinator, name="Lantmäteriet (it-drift)", org_number=make_orgnr("202199415"))
    with pytest.raises(CoordinationError, match="samordnar inte it-drift"):
        add_supplier(supplier, name="Under", org_number=make_orgnr("202199416"))
    city = Provider.objects.create(code="stad-c", name="Staden C", org_number=make_orgnr("212099417"), kind=Provider.Kind.MUNICIPAL_SERVICE)
    with pytest.raises(CoordinationError, match="samordnar inte it-drift"):
        add_supplier(city, name="Under", org_number=make_orgnr("202199416"))
    with pytest.raises(CoordinationError) as error:
        add_supplier(coordinator, name="Samma som vi", org_number=coordinator.org_number)
    assert error.value.field == "org_number"
    assert not followup.ensure_it_indicators(city) and not IndicatorDefinition.objects.filter(provider=city).exists()


def test_the_annual_report_of_a_year_without_numbers_says_so_and_the_annex_form_works(coordinator, client_for):
    supplier = add_supplier(coordinator, name="Kronofogden (it-drift)", org_number=make_orgnr("202199412"))
    catalogue = "year;area_code;area_name;process_code;process_name;service_code;service_name;tier;unit\n2031;drift;Drift;drift;Drift;e-tjanst;E-tjänst;bas;user\n"
    assert run_import("catalogue", catalogue.encode(), "katalog.csv", provider=supplier).ok
    client = client_for("samord-c-controller")

    dashboard = client.get("/followup/?provider=samord-c").content.decode()
    assert f"/followup/it-report/{clock.today().year - 1}/?provider=samord-c" in dashboard and "/followup/suppliers/?provider=samord-c" in dashboard

    report = client.get("/followup/it-report/2031/?provider=samord-c", HTTP_ACCEPT_LANGUAGE="en")
    text = report.content.decode()
    assert report.status_code == 200 and "No numbers for 2031 yet" in text and "/import/?kind=indicator_data" in text
    assert "format=pdf" not in text
    assert client.get("/followup/it-report/2031/?provider=samord-c&format=pdf").status_code == 404

    annex = client.get("/followup/it-report/2031/?provider=samord-c&annex=1").content.decode()
    for definition in followup.definitions(coordinator, Family.IT_OPERATIONS):
        assert f'<option value="{definition.code}"' in annex   # the seven, from the organisation's start
    assert "Kronofogden (it-drift): E-tjänst" in annex
    assert client.post("/followup/it-report/2031/?provider=samord-c&annex=1",
                       {"action": "restrict", "subject": f"{supplier.code}/e-tjanst", "indicator": "it-4-kostnad-per-enhet", "reason": "Säkerhetsskydd"}).status_code == 302
    assert Restriction.objects.get(provider=coordinator).indicator == "it-4-kostnad-per-enhet"


@pytest.mark.parametrize(("kind", "indicators"), [("it_supplier", 7), ("municipal_service", 0)])
def test_init_gives_a_coordinator_the_seven_indicators(tmp_path, kind, indicators):
    database = tmp_path / "ny.sqlite3"
    done = subprocess.run([sys.executable, "-m", "servicecenter.cli", "--db", str(database), "init", "--code", "ny-org", "--name", "Nya organisationen",
                           "--org-number", make_orgnr("202199418"), "--kind", kind, "--admin", "ny-admin"],
                          env={**cli_environment(database), "SERVICECENTER_ADMIN_PASSWORD": PASSWORD}, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(database) as connection:
        (count,) = connection.execute("SELECT count(*) FROM followup_indicatordefinition WHERE family = 'it_operations'").fetchone()
    assert count == indicators


def test_an_organisation_that_coordinates_nothing_is_told_so_on_the_page(client_for):
    client = client_for("controller")   # the demo's service centre: not an IT coordinator
    page = client.get("/followup/suppliers/").content.decode()
    assert "samordnar inte it-drift" in page and 'name="org_number"' not in page
    refused = client.post("/followup/suppliers/", {"name": "Någon", "org_number": make_orgnr("202199419")})
    assert refused.status_code == 400 and "samordnar inte it-drift: bara en it-driftsleverantör" in refused.content.decode()
    assert not Provider.objects.filter(org_number=make_orgnr("202199419")).exists()


def test_a_supplier_registered_by_mistake_is_removed_while_nothing_is_stored_under_it(coordinator, client_for):
    client = client_for("samord-c-controller")
    mistake = add_supplier(coordinator, name="Fel myndighet", org_number=make_orgnr("202199420"))
    kept = add_supplier(coordinator, name="Kronofogden (it-drift)", org_number=make_orgnr("202199412"))
    catalogue = "year;area_code;area_name;process_code;process_name;service_code;service_name;tier;unit\n2031;drift;Drift;drift;Drift;e-tjanst;E-tjänst;bas;user\n"
    assert run_import("catalogue", catalogue.encode(), "katalog.csv", provider=kept).ok
    page = client.get(SUPPLIERS).content.decode()
    assert f'name="supplier" value="{mistake.pk}"' in page and f'name="supplier" value="{kept.pk}"' not in page   # only what can go offers to

    assert _client_post(client, kept).status_code == 302   # asked anyway: refused, naming what keeps it
    assert Provider.objects.filter(pk=kept.pk).exists()
    assert "kan inte tas bort" in client.get(SUPPLIERS).content.decode()
    assert client_for("samord-c-lasare").post(SUPPLIERS, {"action": "remove", "supplier": str(mistake.pk)}).status_code == 403
    assert client.post(SUPPLIERS, {"action": "remove", "supplier": str(coordinator.pk)}).status_code == 302   # itself: not its own supplier
    assert Provider.objects.filter(pk=coordinator.pk).exists()

    assert _client_post(client, mistake).status_code == 302
    assert not Provider.objects.filter(pk=mistake.pk).exists()
    entry = AuditEntry.objects.get(action="followup.supplier.deleted", provider=coordinator)
    assert entry.data["name"] == "Fel myndighet"
    assert client.post(SUPPLIERS, {"action": "remove", "supplier": "999999"}).status_code == 404


def _client_post(client, supplier):
    return client.post(SUPPLIERS, {"action": "remove", "supplier": str(supplier.pk)})
