"""A controller's walk through costing: run the allocation, open a customer's trace, compare a
what-if and download its Excel; axe-checked."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_walkthrough import assert_accessible

pytestmark = pytest.mark.browser


def test_run_allocation_trace_and_what_if(login, server):
    page = login("controller")
    page.get_by_role("link", name="Kostnader och priser").click()
    expect(page.get_by_role("heading", name="Vart kostnaden tar vägen")).to_be_visible()
    expect(page.locator(".key-figures")).to_contain_text("597\u202f630\u202f000 kr")  # Tabell 4: 597.6 mnkr (exact tkr in demo.ledgers)
    screenshot(page, "costing")
    assert_accessible(page, "costing overview")

    page.get_by_role("link", name="Modellen: pooler, nycklar och steg").click()
    assert_accessible(page, "cost model")
    page.get_by_role("button", name="Kör modellen").click()
    expect(page.get_by_text("Modellen kördes. Varje steg stämmer på öret.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Avstämningsrapport")
    expect(page.locator("table").first).not_to_contain_text("stämmer inte")
    assert_accessible(page, "balancing report")

    page.goto(f"{server}/customers/?q=Kronofogde")
    page.locator("table tbody th a").first.click()
    page.get_by_role("link", name="Varför kunden betalar det den betalar (kostnadsspårning)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Varför Kronofogdemyndigheten betalar")
    expect(page.locator("main")).to_contain_text("4011")
    screenshot(page, "costing-trace")
    assert_accessible(page, "customer trace")

    page.goto(f"{server}/costing/")
    page.get_by_role("link", name="Jämför prismodeller (tänk om)").click()
    expect(page.locator("figure.chart svg")).to_be_visible()
    screenshot(page, "costing-what-if")
    assert_accessible(page, "what-if")
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned som Excel").click()
    assert download.value.suggested_filename == "what-if.xlsx"

    page.goto(f"{server}/costing/")
    page.get_by_role("link", name="Vad avvikelse från standard kostar varje kund (beteendeviktad nyckel)").click()
    page.get_by_label("Extra vikt för en avvikande enhet").fill("2")
    page.get_by_role("button", name="Visa").click()
    expect(page.locator("main")).to_contain_text("Avvikelsen kostar per år")
    screenshot(page, "costing-behaviour")
    assert_accessible(page, "behaviour-weighted key")
    page.goto(f"{server}/costing/")
    page.get_by_role("link", name="Jämför modellversioner sida vid sida").click()
    expect(page.locator("main")).to_contain_text("Servicekontor")
    assert_accessible(page, "model versions side by side")


def test_customer_contact_sees_the_published_price_list_only(login, server):
    page = login("kundkontakt")
    response = page.goto(f"{server}/costing/")
    assert response.status == 403
    expect(page.get_by_role("navigation", name="Huvudmeny")).not_to_contain_text("Kostnader och priser")
    page.goto(f"{server}/")
    page.get_by_role("link", name="Prislista 2025").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prislista 2025")
    expect(page.locator("main")).not_to_contain_text("Självkostnad per styck")
    assert_accessible(page, "price list for a customer")
    expect(page.get_by_role("link", name="Självkostnadspriser 2025")).to_have_count(0)


def test_a_controller_keeps_a_price_list_on_the_pages(login, server):
    """Create a draft, enter a tiered price (first with a mistake the form names), publish it,
    and derive another from a cost run with planned volumes; every page axe-checked."""
    page = login("controller")
    page.goto(f"{server}/costing/")
    page.get_by_role("link", name="Prislistor: skapa, räkna fram, ändra och publicera").click()
    assert_accessible(page, "price lists")
    page.get_by_label("Namn").fill("Egen prislista 2030")
    page.get_by_label("År").fill("2030")
    page.get_by_role("button", name="Skapa ett tomt utkast").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Egen prislista 2030")
    assert_accessible(page, "draft price list")
    page.locator("#h-missing + ul a").first.click()
    page.get_by_label("Volymtrappa").fill("10; 38\n2000; 31")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".error").first).to_contain_text("Det första trappsteget måste börja på 0.")
    assert_accessible(page, "price entry with an error")
    page.get_by_label("Volymtrappa").fill("0; 38,00\n2 000; 31")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".messages")).to_contain_text("Posten är sparad.")
    expect(page.locator("table")).to_contain_text("volymtrappa")
    page.get_by_role("button", name="Publicera").click()
    expect(page.locator(".messages")).to_contain_text("är publicerad")
    expect(page.get_by_role("button", name="Gör en ny version för att rätta den")).to_be_visible()
    screenshot(page, "price-list-published")

    page.goto(f"{server}/costing/price-lists/")
    page.locator("#h-derive + p + ul a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Räkna fram en prislista")
    assert_accessible(page, "derive a price list")
    page.get_by_label("Största årliga höjning (%)").fill("5")
    page.get_by_role("button", name="Räkna fram utkastet").click()
    expect(page.locator(".messages")).to_contain_text("är framräknad som utkast")
    assert_accessible(page, "derived price list")


def test_a_controller_builds_a_cost_model_on_the_pages(login, server):
    """A pool with a rule, a key from the register, a model with a step and a source, chosen by
    name from lists (never an internal name typed); a mistake named by the form; axe-checked."""
    page = login("controller")
    page.goto(f"{server}/costing/")
    page.get_by_role("link", name="Kostnadspooler och deras regler").click()
    assert_accessible(page, "cost pools")
    page.get_by_label("Namn", exact=True).fill("Webbteamet")
    page.get_by_label("Typ", exact=True).select_option("support")
    page.get_by_label("Lokalyta (m²)").fill("-3")
    page.get_by_role("button", name="Skapa poolen").click()
    expect(page.locator(".error").first).to_be_visible()
    assert_accessible(page, "cost pool with an error")
    page.get_by_label("Lokalyta (m²)").fill("140")
    page.get_by_label("Personal (åa)").fill("6")
    page.get_by_role("button", name="Skapa poolen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Webbteamet")
    page.get_by_label("Konto från").fill("4000")
    page.get_by_label("Konto till").fill("4999")  # narrower than the demo's rule for the centre: it wins
    page.get_by_label("Kostnadsställe").select_option(index=1)
    page.get_by_role("button", name="Lägg till regeln").click()
    expect(page.locator(".messages")).to_contain_text("Regeln är tillagd.")
    assert_accessible(page, "cost pool")

    page.goto(f"{server}/costing/keys/")
    assert_accessible(page, "keys")
    page.get_by_label("Namn", exact=True).fill("Lokalyta från registret")
    page.get_by_label("Grund").select_option("area")
    page.get_by_role("button", name="Skapa nyckeln").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lokalyta från registret")
    expect(page.locator("table")).to_contain_text("Webbteamet")  # its area came from the pool
    assert_accessible(page, "key from the register")

    page.goto(f"{server}/costing/models/new/")
    assert_accessible(page, "new cost model")
    page.get_by_label("Namn").fill("Plan 2030")
    page.get_by_label("År").fill("2030")
    page.get_by_label("Version").select_option("plan")
    page.get_by_role("button", name="Skapa modellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan 2030")
    page.get_by_label("Stegets namn").fill("Stöd betjänar varandra")
    page.get_by_label("Metod").select_option("reciprocal")
    page.get_by_role("button", name="Lägg till steget").click()
    expect(page.locator(".messages")).to_contain_text("Steget är tillagt")
    page.get_by_text("Ändra steget Stöd betjänar varandra").click()
    page.get_by_label("Fördela").select_option(label="Webbteamet")
    page.get_by_label("med nyckeln").select_option(label="Lokalyta från registret")
    page.get_by_role("button", name="Spara källan").click()
    expect(page.locator("#h-steps ~ .table-wrap").first).to_contain_text("Webbteamet")
    assert_accessible(page, "cost model with a step")
    screenshot(page, "cost-model-steps")
    page.get_by_role("button", name="Kör modellen").click()
    expect(page.locator(".messages")).to_contain_text("Ingen huvudbok är importerad för 2030")  # refused before running, named
