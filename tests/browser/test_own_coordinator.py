"""An IT-operations coordinator starts from an empty database, in the browser only: created with
``servicecenter init --kind it_supplier`` (docs/operations.md), it finds the seven indicators,
registers a supplier agency on the suppliers page (and removes one registered by mistake), imports the supplier's catalogue through the
page's link, opens the annual report of a year without numbers (a page that says where they come
from) and keeps a service out of the open report in the restricted annex. No admin page, no
shell; every page visited is axe-checked."""

import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _environment, start_server
from tests.browser.test_own_organisation import _login, _visit
from tests.browser.test_walkthrough import assert_accessible

pytestmark = pytest.mark.browser

YEAR = 2031
PASSWORD = "Samordnare-D-2031"
SUPPLIER_NUMBER = "202100-0019"


@pytest.fixture(scope="module")
def coordinator_server(tmp_path_factory):
    database = tmp_path_factory.mktemp("coordinator") / "samordnaren.sqlite3"
    subprocess.run([sys.executable, "-m", "servicecenter.cli", "--db", str(database), "init", "--code", "samord-d", "--name", "Samordnaren D",
                    "--org-number", "202100-0001", "--kind", "it_supplier", "--admin", "samord-d-admin"],
                   check=True, env={**_environment(database), "SERVICECENTER_ADMIN_PASSWORD": PASSWORD}, capture_output=True)
    url, process = start_server(database)
    yield url
    process.terminate()
    process.wait(timeout=10)


def test_a_coordinator_registers_a_supplier_and_reaches_its_report_from_nothing(browser, coordinator_server, tmp_path):
    server = coordinator_server
    catalogue = tmp_path / "katalog-kronofogden.csv"
    catalogue.write_text("år;områdeskod;område;processkod;process;tjänstekod;tjänst;nivå;enhet\n"
                         f"{YEAR};drift;Drift;drift;Drift;e-tjanst;E-tjänstplattform;bas;användare\n", encoding="utf-8")
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE").new_page()
    _login(page, server, "samord-d-admin", PASSWORD)

    _visit(page, server, "/followup/", "coordinator's indicators")
    expect(page.get_by_role("link", name="Leverantörer", exact=True)).to_be_visible()
    page.get_by_role("link", name="Leverantörer", exact=True).click()
    assert_accessible(page, "suppliers, only the coordinator")
    page.get_by_label("Namn", exact=True).fill("Kronofogden (it-drift)")
    page.get_by_label("Organisationsnummer", exact=True).fill("202100-0000")   # a mistyped number: the field says so
    page.get_by_role("button", name="Registrera leverantören").click()
    expect(page.locator("#e-s-org")).to_be_visible()
    assert_accessible(page, "suppliers, a refused number")
    page.get_by_label("Organisationsnummer", exact=True).fill(SUPPLIER_NUMBER)
    page.get_by_role("button", name="Registrera leverantören").click()
    expect(page.get_by_role("rowheader", name="Kronofogden (it-drift)")).to_be_visible()
    page.get_by_label("Namn", exact=True).fill("Fel myndighet")   # registered by mistake, and removed again
    page.get_by_label("Organisationsnummer", exact=True).fill("202100-0027")
    page.get_by_role("button", name="Registrera leverantören").click()
    row = page.get_by_role("row", name=re.compile("Fel myndighet"))
    row.locator("summary").click()
    assert_accessible(page, "suppliers, removing one")
    row.get_by_role("button", name="Ta bort Fel myndighet").click()
    expect(page.get_by_role("rowheader", name="Fel myndighet")).to_have_count(0)

    page.get_by_role("link", name=re.compile("Importera dess tjänsteutbud.*Kronofogden")).click()
    expect(page.get_by_label("Vad ska importeras")).to_have_value("catalogue")
    page.get_by_label(re.compile("^Fil")).set_input_files(str(catalogue))
    page.get_by_label("Kontrollera bara filen, skriv inget").uncheck()
    page.get_by_role("button", name="Ladda upp och kontrollera").click()
    expect(page.locator("#report")).to_be_visible()
    expect(page.locator("#report")).not_to_contain_text("avvisades")
    _visit(page, server, "/followup/suppliers/", "suppliers with a catalogue")
    expect(page.get_by_role("row", name=re.compile("Kronofogden"))).to_contain_text(str(YEAR))

    _visit(page, server, f"/followup/it-report/{YEAR}/", "report of a year without numbers")
    expect(page.get_by_role("heading", name=f"Inga siffror för {YEAR} än")).to_be_visible()
    page.goto(f"{server}/followup/it-report/{YEAR}/?annex=1")
    assert_accessible(page, "restricted annex of a year without numbers")
    page.get_by_label("Tjänst", exact=True).select_option(label="Kronofogden (it-drift): E-tjänstplattform")
    page.get_by_label("Skäl").fill("Säkerhetsskydd")
    page.get_by_role("button", name="Håll utanför den öppna rapporten").click()
    expect(page.locator("#h-restricted").locator("xpath=..")).to_contain_text("Säkerhetsskydd")
    assert_accessible(page, "restricted annex with an item")
