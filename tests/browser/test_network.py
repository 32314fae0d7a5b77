"""The office network in the browser: the map, a scenario built by closing an office (the
consequences update in place), its flags and maps, the report download, and the optimiser.
Every page axe-checked."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_walkthrough import assert_accessible

pytestmark = pytest.mark.browser


def test_planner_builds_a_scenario_and_downloads_the_report(login, server):
    page = login("planerare")
    page.get_by_role("link", name="Kontorsnätet").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kontorsnätet")
    expect(page.locator("figure.plan-figure svg.plan-map")).to_be_visible()   # zoomable, each office a link (#17)
    screenshot(page, "network-map")
    assert_accessible(page, "network overview")
    page.get_by_role("link", name="Kontor", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kontor")
    assert_accessible(page, "office list")
    page.locator("main table tbody a").first.click()
    expect(page.locator("main")).to_contain_text("Hyresavtalet löper ut")
    assert_accessible(page, "office detail")
    page.get_by_role("link", name="Statistik", exact=True).click()
    expect(page.locator("main")).to_contain_text("2 549 189")
    assert_accessible(page, "network statistics")
    page.get_by_role("link", name="Scenarier", exact=True).click()
    page.get_by_label("Namn på ett nytt scenario").fill("Prov i webbläsaren")
    page.get_by_role("button", name="Skapa scenario").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Prov i webbläsaren")
    expect(page.locator("#consequences")).to_contain_text("Inga ändringar")
    # close the first office in the list; the consequences are replaced without a page load
    page.get_by_role("button", name="Stäng", exact=True).click()
    expect(page.locator("#consequences")).to_contain_text(re.compile("kräver samråd"))
    expect(page.locator("#consequences table").first).to_contain_text("Stäng")
    expect(page.locator("#consequences .maps svg")).to_have_count(3)   # before, after, and the FA regions after
    screenshot(page, "network-scenario")
    assert_accessible(page, "scenario builder")
    with page.expect_download() as download:
        page.get_by_role("link", name="Konsekvensanalys (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.get_by_role("link", name="Tillbaka").click()          # from the job that made it, back to the scenario
    with page.expect_download() as download:
        page.get_by_role("link", name="Konsekvensanalys (Excel)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.get_by_role("link", name="Tillbaka").click()
    page.get_by_role("link", name="Jämför scenarier").click()
    expect(page.locator("main table")).to_contain_text("Avvecklingsplan")
    assert_accessible(page, "scenario comparison")
    page.get_by_role("link", name="Optimerare").click()
    page.get_by_label("Nätet den").fill("2025-01-01")  # the demo's plan starts from the network of 1 January 2025
    page.get_by_role("button", name="Optimera", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("bevisat optimalt")
    assert_accessible(page, "optimiser")


def test_the_planner_works_the_scenario_on_the_map(login, server):
    """#17: a map to plan on: zoom, an office clicked to close it, a place clicked to add one."""
    page = login("planerare")
    page.goto(f"{server}/network/")
    first = page.locator("svg.plan-map .office").first
    name = first.get_attribute("data-name")
    first.focus()
    page.keyboard.press("Enter")      # the overview's offices are links to their pages
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    page.goto(f"{server}/network/scenarios/")
    page.get_by_label("Namn på ett nytt scenario").fill("Prov på kartan")
    page.get_by_role("button", name="Skapa scenario").click()
    plan = page.locator("svg.plan-map")
    expect(plan).to_be_visible()
    box = plan.get_attribute("viewBox")
    page.get_by_role("button", name="Zooma in").click()
    assert plan.get_attribute("viewBox") != box
    page.get_by_role("button", name="Hela landet").click()
    assert plan.get_attribute("viewBox") == box
    # an office: chosen in the builder, then closed from the map's own button
    office = plan.locator(".office").first
    code, name = office.get_attribute("data-code"), office.get_attribute("data-name")
    office.focus()
    page.keyboard.press("Enter")
    assert page.locator("#office").input_value() == code
    expect(page.locator("[data-plan-info]")).to_contain_text(name)
    page.get_by_role("button", name="Stäng i scenariot").click()
    expect(page.locator("#consequences table").first).to_contain_text(name)
    expect(page.locator(f'svg.plan-map .office-closed[data-code="{code}"]')).to_have_count(1)
    # a place: its longitude and latitude go into the new office's form
    frame = page.locator("svg.plan-map").bounding_box()
    page.mouse.click(frame["x"] + frame["width"] * 0.45, frame["y"] + frame["height"] * 0.55)
    lon, lat = float(page.locator("#lon-a").input_value()), float(page.locator("#lat-a").input_value())
    assert 10.5 < lon < 24.5 and 55 < lat < 69.5
    expect(page.locator("#name-a")).to_be_focused()
    screenshot(page, "network-plan-map")
    assert_accessible(page, "scenario map")
