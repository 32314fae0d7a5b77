"""Billing in the browser: a controller previews, approves and issues a month; a customer
contact downloads its own invoice and cannot reach another customer's. Every page axe-checked."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_walkthrough import assert_accessible

pytestmark = pytest.mark.browser


def test_controller_previews_approves_and_issues_a_month(login, server):
    page = login("sthlm-controller")
    page.get_by_role("link", name="Fakturering").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fakturering")
    assert_accessible(page, "billing")
    page.get_by_label("Månad").fill("2020-12")
    page.get_by_role("button", name="Gör en förhandsgranskning").click()
    expect(page.get_by_text("Förhandsgranskningen är klar")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("förhandsgranskning")
    expect(page.locator("main")).to_contain_text("Inga fynd")
    screenshot(page, "billing-preview")
    assert_accessible(page, "billing preview")
    run_page = page.url
    page.locator("#h-invoices ~ .table-wrap tbody a").first.click()   # one draft invoice, its lines
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fakturautkast till")
    expect(page.locator("#h-lines ~ .table-wrap tbody tr").first).to_be_visible()
    assert_accessible(page, "billing draft invoice")
    page.get_by_role("link", name="Tillbaka till körningen").click()
    assert page.url == run_page
    # four eyes: the controller who prepared the preview cannot approve it; another one does
    expect(page.locator("#four-eyes")).to_contain_text("Du gjorde den här förhandsgranskningen")
    expect(page.get_by_role("button", name="Godkänn förhandsgranskningen")).to_have_count(0)
    page.context.clear_cookies()   # another person, in the same browser
    login("sthlm-attestant")
    page.goto(run_page)
    page.get_by_role("button", name="Godkänn förhandsgranskningen").click()
    expect(page.get_by_text("Godkänd. Utfärdandet ger exakt denna förhandsgranskning.")).to_be_visible()
    page.get_by_role("button", name="Utfärda fakturorna").click()
    # asked first, naming how many invoices and how much
    expect(page.get_by_role("alert")).to_contain_text(re.compile(r"Utfärda \d+ fakturor, [\d\u202f]+,\d\d\skr att betala\?"))
    screenshot(page, "billing-confirm-issue")
    assert_accessible(page, "billing confirm issue")
    page.get_by_role("button", name=re.compile(r"Ja, utfärda \d+ fakturor")).click()
    expect(page.get_by_text("Utfärdad. Fakturorna är låsta och numrerade.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("utfärdad")
    assert_accessible(page, "billing issued")
    page.locator("table").last.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Faktura")
    screenshot(page, "billing-invoice")
    assert_accessible(page, "invoice")
    page.goto(f"{server}/billing/reconciliation/2020-12/")
    expect(page.locator("main")).to_contain_text("Stämmer på öret i varje steg.")
    assert_accessible(page, "reconciliation")
    page.goto(f"{server}/billing/late-events/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sena användningshändelser")
    assert_accessible(page, "late events")
    page.goto(f"{server}/billing/invoices/")
    expect(page.locator("table tbody tr").first).to_be_visible()
    assert_accessible(page, "invoice list")


def test_customer_contact_downloads_its_invoice_and_cannot_reach_another(login, server):
    page = login("kundkontakt")
    page.get_by_role("link", name="Mina fakturor").click()
    links = page.locator("table tbody th a")
    own = {int(re.search(r"/(\d+)/$", links.nth(i).get_attribute("href")).group(1)) for i in range(links.count())}
    assert own, "the customer contact has no invoice"
    assert_accessible(page, "my invoices")
    links.first.click()
    expect(page.locator("main")).to_contain_text("Kronofogdemyndigheten")
    expect(page.locator("main")).to_contain_text("Användning bakom raden")
    assert_accessible(page, "my invoice")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"
    other = next(number for number in range(1, 400) if number not in own)
    for suffix in ("", "pdf/", "xml/"):
        response = page.goto(f"{server}/billing/invoices/{other}/{suffix}")
        assert response.status == 404, (other, suffix, response.status)
