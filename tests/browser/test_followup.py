"""Follow-up in the browser: the dashboard per level, a drill-down to the data behind a value,
report downloads, and data entry with a validation error. Every page axe-checked."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_walkthrough import assert_accessible

pytestmark = pytest.mark.browser


def test_coordinator_dashboard_drill_down_and_report(login, server):
    page = login("it-samordnare")
    page.get_by_role("link", name="Uppföljning").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Uppföljning")
    expect(page.locator("main")).to_contain_text("Andel statliga myndigheter som är anslutna")
    screenshot(page, "followup-dashboard")
    assert_accessible(page, "follow-up dashboard")
    page.get_by_role("link", name="Definitioner").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Indikatordefinitioner")
    expect(page.locator("main")).to_contain_text("summan av täljare ÷ summan av nämnare")
    assert_accessible(page, "indicator definitions")
    page.go_back()
    page.get_by_role("link", name="Leverantör", exact=True).click()
    expect(page.locator("main")).to_contain_text("bokstavsordning")
    assert_accessible(page, "follow-up suppliers")
    # drill down from the availability of all services to the minutes behind it
    page.get_by_role("link", name="Hela organisationen").click()
    row = page.locator("tr", has_text="Tillgänglighet under avtalad öppettid")
    row.get_by_role("link", name="Underlaget för värdet").or_(row.locator("td.num a")).first.click()
    expect(page.get_by_role("heading", name="Underlaget för värdet")).to_be_visible()
    expect(page.locator("main")).to_contain_text("open_minutes")
    assert_accessible(page, "drill-down")
    page.goto(f"{server}/followup/it-report/2026/?provider=fk")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Indikatorredovisning")
    screenshot(page, "followup-it-report")
    assert_accessible(page, "indicator report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    # the report was made by a background job: its page offers the file again and the way back
    expect(page.locator("#job-progress")).to_contain_text("Klart.")
    assert_accessible(page, "finished download job")
    page.get_by_role("link", name="Tillbaka").click()
    page.get_by_role("link", name="Skyddad bilaga").click()
    expect(page.locator("main")).to_contain_text("DSP BH")
    assert_accessible(page, "restricted annex")


def test_controller_fee_report_and_data_entry_with_an_error(login, server):
    page = login("controller")
    page.goto(f"{server}/followup/fee-report/2025/")
    expect(page.locator("main")).to_contain_text("Tillhandahållande av tjänster avseende administrativt stöd åt myndigheter")
    expect(page.locator("main")).to_contain_text("88 212")
    screenshot(page, "followup-fee-report")
    assert_accessible(page, "fee report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.goto(f"{server}/followup/")
    expect(page.locator("main")).to_contain_text("Bedömning: god")
    assert_accessible(page, "own goals")
    page.goto(f"{server}/followup/entry/")
    page.get_by_label("Dataelement (som i definitionerna)").fill("calls")
    page.get_by_label("Värde").fill("många")
    page.get_by_role("button", name="Spara talet").click()
    expect(page.get_by_text("Inget sparades: rätta de markerade fälten nedan.")).to_be_visible()
    expect(page.locator("#e-value")).to_have_text("Inte ett tal.")
    assert_accessible(page, "data entry with an error")
    page.get_by_label("Värde").fill("7400")
    page.get_by_role("button", name="Spara talet").click()
    expect(page.get_by_text("Talet sparades.")).to_be_visible()
