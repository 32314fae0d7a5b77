"""A person's walk through the UI in each role, with an axe accessibility check on every page."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser
AXE = Axe()
ROLES = ["admin", "controller", "tjansteagare", "planerare", "lasare", "kundkontakt", "sthlm-controller", "it-samordnare"]


def assert_accessible(page, name: str) -> None:
    """No serious or critical axe violation against WCAG 2.1 A and AA. Only the violations come
    back with their nodes: the passes of a long table page are thousands of nodes, serialised for
    nothing."""
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, "resultTypes": ["violations"]})
    violations = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    details = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
    assert not violations, f"{name}: {details}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_walks_start_list_and_detail(login, server, role):
    page = login(role)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("Demodata.")).to_be_visible()
    screenshot(page, f"{role}-start")
    assert_accessible(page, f"{role} start page")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name=re.compile("^(Kunder|Min organisation)$")).click()
    expect(page.locator("table tbody tr").first).to_be_visible()
    assert_accessible(page, f"{role} customer list")
    page.locator("table tbody th a").first.click()
    expect(page.get_by_role("heading", name="Storlek per år")).to_be_visible()
    screenshot(page, f"{role}-customer")
    assert_accessible(page, f"{role} customer detail")
    page.goto(f"{server}/services/")
    page.locator("table tbody th a").first.click()
    expect(page.get_by_role("heading", name="Tjänstebeskrivning")).to_be_visible()
    assert_accessible(page, f"{role} service detail")
    page.goto(f"{server}/agreements/")
    expect(page.locator("table tbody tr").first).to_be_visible()
    assert_accessible(page, f"{role} agreements")


def test_start_page_shows_the_published_totals(login):
    page = login("controller")
    figures = page.locator(".key-figures")
    expect(figures).to_contain_text("171")
    expect(figures).to_contain_text("118\u202f470")
    expect(page.locator("figure.chart svg")).to_be_visible()
    packages = page.get_by_role("region", name="Tjänstepaket")
    for count in ("45", "23", "78", "22", "3"):
        expect(packages.get_by_role("cell", name=count, exact=True).first).to_be_visible()


def test_search_filter_sort_and_export(login, server):
    page = login("controller")
    page.goto(f"{server}/customers/")
    page.get_by_role("searchbox", name="Sök").fill("Kronofogde")
    expect(page.locator("#results table tbody tr")).to_have_count(1)
    expect(page.get_by_role("status")).to_contain_text("1 rad")
    page.get_by_role("searchbox", name="Sök").fill("")
    page.get_by_label("Storleksklass").select_option(">2000")
    expect(page.get_by_role("status")).to_contain_text("13 rader")
    page.get_by_role("link", name=re.compile("Anställda 2025")).click()
    expect(page.locator("th[aria-sort=ascending]")).to_have_count(1)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned som Excel").click()
    assert download.value.suggested_filename == "kunder.xlsx"


def test_import_with_errors_shows_every_problem_and_writes_nothing(login, server, tmp_path):
    page = login("controller")
    page.goto(f"{server}/import/")
    bad = tmp_path / "kunder.csv"
    bad.write_text("organisationsnummer;namn;år;anställda\n202100-6256;Fel;2025;10\n202100-6255;;2025;-1\n", encoding="utf-8")
    page.get_by_label("Vad ska importeras").select_option("customers")
    page.get_by_label("Fil (CSV eller Excel .xlsx)").set_input_files(str(bad))
    page.get_by_label("Kontrollera bara filen, skriv inget").uncheck()
    page.get_by_role("button", name="Ladda upp och kontrollera").click()
    report = page.locator("#report")
    expect(report).to_contain_text("Filen avvisades. Inget skrevs.")
    expect(report).to_contain_text("kunder.csv, rad 2, kolumn organisationsnummer: Organisationsnumrets kontrollsiffra stämmer inte.")
    expect(report).to_contain_text("rad 3, kolumn namn: Värde saknas.")
    expect(report).to_contain_text("rad 3, kolumn anställda: Får inte vara negativt.")
    screenshot(page, "import-errors")
    assert_accessible(page, "import report")


def test_language_switch(login):
    page = login("controller")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("link", name="Customers", exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot(page, "start-english")
    assert_accessible(page, "start page in English")
    page.get_by_role("button", name="Svenska").click()
    expect(page.get_by_role("link", name="Kunder", exact=True)).to_be_visible()


def test_customer_contact_cannot_reach_another_customer(login, server):
    page = login("kundkontakt")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kronofogdemyndigheten")
    response = page.goto(f"{server}/customers/1/")
    own = page.url
    assert response.status in (200, 404)
    for number in range(1, 15):
        response = page.goto(f"{server}/customers/{number}/")
        heading = page.get_by_role("heading", level=1).inner_text()
        assert response.status == 404 or heading == "Kronofogdemyndigheten", (own, number, heading)
    screenshot(page, "contact-404")


def test_remaining_pages_volumes_agreement_services_and_audit(login, server):
    page = login("controller")
    page.goto(f"{server}/services/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tjänstekatalog")
    assert_accessible(page, "service catalogue")
    page.goto(f"{server}/volumes/")
    expect(page.locator("table tbody tr").first).to_be_visible()
    assert_accessible(page, "volumes")
    page.goto(f"{server}/agreements/")
    page.locator("table tbody th a").first.click()
    expect(page.get_by_role("list", name="Flöde")).to_be_visible()
    assert_accessible(page, "agreement detail")
    page.goto(f"{server}/audit/")
    expect(page.locator("main")).to_contain_text("Huvudbok importerad")  # the provider's own entries only, the action in words (#17)
    screenshot(page, "audit")
    assert_accessible(page, "audit log")


def test_the_organisation_page_and_the_pages_of_an_organisation_without_data(login, server):
    """The administrator keeps the seller details and adds a person (with a mistake first);
    Stockholm, which has no offices and no indicators, gets pages that say what to do."""
    page = login("admin")
    page.get_by_role("link", name="Organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation")
    assert_accessible(page, "organisation")
    page.get_by_label("Användarnamn", exact=True).fill("ny-person")
    page.get_by_label("Första lösenord").fill("123")
    page.get_by_role("button", name="Lägg till").click()
    expect(page.locator(".error").first).to_contain_text("Lösenord")
    assert_accessible(page, "organisation with an error")
    page.get_by_label("Första lösenord").fill("Ett-långt-lösenord-2031")
    page.get_by_role("button", name="Lägg till").click()
    expect(page.locator(".messages")).to_contain_text("ny-person kan nu logga in.")
    page.get_by_role("button", name="Logga ut").click()

    page = login("sthlm-controller")
    page.goto(f"{server}/network/")
    expect(page.locator("main")).to_contain_text("Inga kontor är registrerade ännu.")
    assert_accessible(page, "network without offices")
    page.goto(f"{server}/followup/definitions/")
    expect(page.locator("main")).to_contain_text("Inga indikatorer är definierade för organisationen ännu.")
    assert_accessible(page, "indicator definitions without indicators")


def test_the_api_documentation_renders_without_the_internet(page, server):
    """/api/docs is served from the product's own files: with every request outside this server
    refused, Swagger UI still draws the operations (#17)."""
    outside = []

    def only_ours(route):
        if route.request.url.startswith(server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_ours)
    page.goto(f"{server}/api/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=15000)
    assert outside == []
