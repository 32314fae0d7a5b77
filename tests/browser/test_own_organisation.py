"""#14: a municipality sets up and runs fiscal year 2027 from an empty database, in the browser
only. The first administrator is created as docs/operations.md says (``servicecenter init``);
from then on an organisation administrator and a controller, neither a superuser, use pages
alone: no admin page, no shell. Every page visited is axe-checked."""

import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _environment, screenshot, start_server
from tests.browser.test_walkthrough import assert_accessible

pytestmark = pytest.mark.browser

YEAR = 2027
CITY = "212000-0001"
ADMIN_PASSWORD = "Tuna-administratör-2027"
CONTROLLER_PASSWORD = "Tuna-controller-2027"
APPROVER_PASSWORD = "Tuna-ekonomichef-2027"
ADMINISTRATIONS = ["Utbildningsförvaltningen", "Socialförvaltningen", "Kulturförvaltningen", "Stadsbyggnadsförvaltningen",
                   "Miljöförvaltningen", "Tekniska förvaltningen", "Kommunstyrelsens förvaltning", "Äldreförvaltningen",
                   "Fritidsförvaltningen", "Arbetsmarknadsförvaltningen", "Överförmyndarförvaltningen", "Räddningstjänsten"]
COMPANIES = [("556000-0001", "Tuna Hamn AB"), ("556000-0019", "Tuna Energi AB"), ("556000-0027", "Tuna Parkering AB")]


def _files(folder):
    """The organisation's own files, as its systems would export them."""
    customers = ["kundnummer;organisationsnummer;namn;juridisk person;sektor;år;anställda;köparens referens"]
    for index, name in enumerate(ADMINISTRATIONS):
        customers.append(f"F{101 + index};{CITY};{name};Tuna kommun;kommun;{YEAR};{150 + 40 * index};F{101 + index}-REF")
    for org, name in COMPANIES:
        customers.append(f";{org};{name};;bolag;{YEAR};{60 + int(org[-2:])};")
    catalogue = ["år;tjänsteområde kod;tjänsteområde;processkod;process;tjänstekod;tjänst;nivå;enhet",
                 f"{YEAR};ekonomi;Ekonomi;lev;Leverantörsfakturor;levfakt;Leverantörsfaktura;bas;leverantörsfaktura med kontering",
                 f"{YEAR};lon;Lön;lon;Lönehantering;lonespec;Lönespecifikation;bas;lönespecifikation",
                 f"{YEAR};it;IT;drift;IT-drift;it-drift;Arbetsplats;bas;användare"]
    agreements = ["kundnummer;organisationsnummer;tjänstekod;status;produktion"]
    volumes = ["kundnummer;organisationsnummer;tjänstekod;månad;antal"]
    numbers = [(f"F{101 + i}", "") for i in range(len(ADMINISTRATIONS))] + [("", org) for org, _ in COMPANIES]
    for index, (number, org) in enumerate(numbers):
        for code in ("levfakt", "lonespec") + (("it-drift",) if number else ()):
            agreements.append(f"{number};{org};{code};produktion;{YEAR}-01-01")
        for month in ("01", "02"):
            volumes.append(f"{number};{org};levfakt;{YEAR}-{month};{200 + 35 * index}")
            volumes.append(f"{number};{org};lonespec;{YEAR}-{month};{150 + 40 * index if number else 60}")
    sie = "\r\n".join([
        "#FLAGGA 0", '#PROGRAM "Ekonomisystemet" 9.2', "#FORMAT PC8", "#SIETYP 4", '#FNAMN "Tuna kommun"', f"#ORGNR {CITY}",
        f"#RAR 0 {YEAR}0101 {YEAR}1231", '#KONTO 1930 "Bank"', '#KONTO 5010 "Lokalhyra"', '#KONTO 6540 "IT-tjänster"', '#KONTO 7010 "Löner"',
        '#DIM 1 "Ansvar"', '#OBJEKT 1 "20" "Lokaler"', '#OBJEKT 1 "30" "IT-enheten"', '#OBJEKT 1 "40" "Ekonomi"', '#OBJEKT 1 "50" "Lön"',
        f'#VER A 1 {YEAR}0131 "Januari"', "{",
        '   #TRANS 5010 {1 "20"} 240000.00', '   #TRANS 6540 {1 "30"} 80000.00', '   #TRANS 7010 {1 "30"} 40000.00',
        '   #TRANS 7010 {1 "40"} 400000.00', '   #TRANS 7010 {1 "50"} 300000.00', "   #TRANS 1930 {} -1060000.00", "}", ""])
    offices = ["kod;namn;x;y;kommun;kategori;öppnat"]
    for index, (name, lon, lat) in enumerate([("Centrum", "17,9119", "59,5184"), ("Norr", "17,9000", "59,5400"), ("Söder", "17,9300", "59,5000"),
                                              ("Väster", "17,8800", "59,5200"), ("Öster", "17,9500", "59,5150")]):
        offices.append(f"t0{index + 1};Medborgarkontoret {name};{lon};{lat};0114;{'fullservicekontor' if index == 0 else 'flexibelt med personal'};2015-01-01")
    partners = ["kod;namn;organisationsnummer", "SKV;Skatteverket;", f"SOC;Socialförvaltningen;{CITY}"]
    visits = (["kontor;månad;myndighet;besök"] + [f"t0{i};{YEAR}-01;SKV;{900 - 120 * i}" for i in range(1, 6)]
              + [f"t0{i};{YEAR}-01;Socialförvaltningen;{100 + 10 * i}" for i in range(1, 6)])
    written = {}
    for name, lines in (("kunder.csv", customers), ("katalog.csv", catalogue), ("avtal.csv", agreements), ("volymer.csv", volumes),
                        ("kontor.csv", offices), ("samverkan.csv", partners), ("besok.csv", visits)):
        path = folder / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written[name] = path
    written["huvudbok.se"] = folder / f"huvudbok-{YEAR}.se"
    written["huvudbok.se"].write_bytes(sie.encode("cp437"))
    return written


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory):
    """A new installation: migrate and ``servicecenter init`` on an empty database, then serve."""
    database = tmp_path_factory.mktemp("own") / "tuna.sqlite3"
    env = {**_environment(database), "SERVICECENTER_ADMIN_PASSWORD": ADMIN_PASSWORD}
    subprocess.run([sys.executable, "-m", "servicecenter.cli", "--db", str(database), "init", "--code", "tuna-service",
                    "--name", "Tuna kommun, serviceförvaltningen", "--org-number", CITY, "--kind", "municipal_service", "--admin", "tuna-admin"],
                   check=True, env=env, capture_output=True)
    url, process = start_server(database)
    yield url
    process.terminate()
    process.wait(timeout=10)


def _login(page, server, username, password):
    page.goto(f"{server}/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{server}/")


def _visit(page, server, path, name):
    page.goto(f"{server}{path}")
    assert "/admin/" not in page.url
    assert_accessible(page, name)


def _import(page, server, kind, path, confirm=False):
    _visit(page, server, "/import/", f"import {kind}")
    page.get_by_label("Vad ska importeras").select_option(kind)
    page.get_by_label(re.compile("^Fil")).set_input_files(str(path))
    page.get_by_label("Kontrollera bara filen, skriv inget").uncheck()
    page.get_by_role("button", name="Ladda upp och kontrollera").click()
    report = page.locator("#report")
    expect(report).to_be_visible()
    if confirm and page.get_by_role("button", name=re.compile("Ersätt")).count():
        page.get_by_role("button", name=re.compile("Ersätt")).click()
    expect(page.locator("#report")).not_to_contain_text("avvisades")
    assert_accessible(page, f"import report {kind}")


def test_a_municipality_sets_up_and_runs_its_year_in_the_browser(browser, empty_server, tmp_path):
    server = empty_server
    files = _files(tmp_path)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = context.new_page()

    # --- the organisation administrator: the organisation's own details and its controller ---
    _login(page, server, "tuna-admin", ADMIN_PASSWORD)
    assert_accessible(page, "administrator start")
    _visit(page, server, "/organisation/", "organisation")
    page.get_by_label("Gatuadress").fill("Torget 1")
    page.get_by_label("Postnummer").fill("123 40")
    page.get_by_label("Ort", exact=True).fill("Tuna")
    page.get_by_label("Bankgiro").fill("123-4567")
    page.get_by_label("Momsregistreringsnummer").fill("SE212000000101")
    page.get_by_role("button", name="Spara uppgifterna").click()
    expect(page.locator(".messages")).to_be_visible()
    page.get_by_label("Användarnamn", exact=True).fill("tuna-controller")
    page.get_by_label("Roll", exact=True).select_option("controller")
    page.get_by_label("Första lösenord").fill(CONTROLLER_PASSWORD)
    page.get_by_role("button", name="Lägg till", exact=True).click()
    expect(page.locator("main table")).to_contain_text("tuna-controller")
    # four eyes is on from the start: a second controller approves what the first prepares
    page.get_by_label("Användarnamn", exact=True).fill("tuna-ekonomichef")
    page.get_by_label("Roll", exact=True).select_option("controller")
    page.get_by_label("Första lösenord").fill(APPROVER_PASSWORD)
    page.get_by_role("button", name="Lägg till", exact=True).click()
    expect(page.locator("main table")).to_contain_text("tuna-ekonomichef")
    assert_accessible(page, "organisation with its controller")
    screenshot(page, "own-organisation")
    context.clear_cookies()

    # --- the controller: the register, the ledger, the cost model ---
    _login(page, server, "tuna-controller", CONTROLLER_PASSWORD)
    for kind, name in (("customers", "kunder.csv"), ("catalogue", "katalog.csv"), ("agreements", "avtal.csv"), ("volumes", "volymer.csv")):
        _import(page, server, kind, files[name])
    _import(page, server, "ledger", files["huvudbok.se"], confirm=True)
    _visit(page, server, "/customers/", "customers")
    expect(page.locator("main table")).to_contain_text("F112")
    screenshot(page, "own-customers")
    expect(page.locator("main")).to_contain_text(CITY)
    _visit(page, server, "/costing/ledger/", "ledger")
    expect(page.locator("main")).to_contain_text("IT-enheten")

    def pool(name, kind, area, staff, centre, process=None):
        _visit(page, server, "/costing/pools/", "cost pools")
        page.get_by_label("Namn", exact=True).fill(name)
        page.get_by_label("Typ", exact=True).select_option(kind)
        if process:
            page.get_by_label("Process", exact=True).select_option(label=process)
        page.get_by_label("Lokalyta (m²)").fill(area)
        page.get_by_label("Personal (åa)").fill(staff)
        page.get_by_role("button", name="Skapa poolen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        page.get_by_label("Konto från").fill("4000")
        page.get_by_label("Konto till").fill("8999")
        page.get_by_label("Kostnadsställe").select_option(value=centre)
        page.get_by_role("button", name="Lägg till regeln").click()
        expect(page.locator(".messages")).to_contain_text("Regeln är tillagd.")
        assert_accessible(page, f"pool {name}")

    pool("Lokaler", "support", "0", "1", "20")
    pool("IT-enheten", "support", "100", "4", "30")
    pool("Ekonomi", "production", "300", "12", "40", process="Leverantörsfakturor")
    pool("Lön", "production", "200", "8", "50", process="Lönehantering")

    def key(name, basis, computed=True, receivers=None):
        _visit(page, server, "/costing/keys/", "keys")
        page.get_by_label("Namn", exact=True).fill(name)
        page.get_by_label("Grund").select_option(basis)
        if not computed:
            page.get_by_label("Ta vikterna från registret och årets data").uncheck()
        if receivers:
            page.get_by_label("Fördelar på").select_option(receivers)
        page.get_by_role("button", name="Skapa nyckeln").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        assert_accessible(page, f"key {name}")

    key("Yta", "area")
    key("Personal", "staff")
    key("Volym", "volumes")
    for pool_name, service in (("Ekonomi", "Leverantörsfaktura"), ("Lön", "Lönespecifikation")):
        key(f"{pool_name} till tjänst", "fixed", computed=False, receivers="services")
        page.get_by_label(f"{service} (%)").fill("100")
        page.get_by_role("button", name="Spara vikterna").click()
        expect(page.locator(".messages")).to_be_visible()

    _visit(page, server, "/costing/models/new/", "new cost model")
    page.get_by_label("Namn").fill(f"Utfall {YEAR}")
    page.get_by_label("År").fill(str(YEAR))
    page.get_by_role("button", name="Skapa modellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Utfall {YEAR}")
    for step, method in (("Stöd betjänar varandra", "reciprocal"), ("Process till tjänst", "direct"), ("Tjänst till kund", "direct")):
        page.locator("#id_new-name").fill(step)         # the form of a new step (each step has its own)
        page.locator("#id_new-method").select_option(method)
        page.get_by_role("button", name="Lägg till steget").click()
        expect(page.locator(".messages")).to_contain_text("Steget är tillagt")

    def spread(step, source, key_name):
        page.get_by_text(f"Ändra steget {step}").click()
        section = page.locator("details", has_text=f"Ändra steget {step}")
        section.get_by_label("Fördela").select_option(label=source)
        section.get_by_label("med nyckeln").select_option(label=key_name)
        section.get_by_role("button", name="Spara källan").click()
        expect(page.locator(".messages")).to_be_visible()

    spread("Stöd betjänar varandra", "Lokaler", "Yta")
    spread("Stöd betjänar varandra", "IT-enheten", "Personal")
    spread("Process till tjänst", "Ekonomi", "Ekonomi till tjänst")
    spread("Process till tjänst", "Lön", "Lön till tjänst")
    spread("Tjänst till kund", "Leverantörsfaktura", "Volym")
    spread("Tjänst till kund", "Lönespecifikation", "Volym")
    assert_accessible(page, "cost model")
    page.get_by_role("button", name="Kör modellen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Avstämningsrapport")
    expect(page.locator("main")).to_contain_text("1 060 000")            # every cost krona of the ledger is in
    expect(page.locator("main table").first).to_contain_text("ömsesidig")   # the method by name, not its code
    assert_accessible(page, "cost run")
    screenshot(page, "own-cost-run")

    # --- the price list: derived with planned volumes and a cap, one entry tiered by hand ---
    page.get_by_role("link", name="Räkna fram en prislista ur körningen").click()
    assert_accessible(page, "derive a price list")
    page.get_by_label("Namn").fill(f"Priser {YEAR}")
    page.get_by_label("Planerad volym: Leverantörsfaktura").fill("60000")
    page.get_by_label("Planerad volym: Lönespecifikation").fill("48000")
    page.get_by_label("Största årliga höjning (%)").fill("5")
    page.get_by_label("Tidigare pris: Leverantörsfaktura").fill("40")
    page.get_by_label("Tidigare pris: Lönespecifikation").fill("55")
    page.get_by_role("button", name=re.compile("Räkna fram")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Priser {YEAR}")
    assert_accessible(page, "derived price list")
    page.get_by_role("link", name=re.compile("Leverantörsfaktura$")).first.click()
    expect(page.get_by_label("Pris per enhet (kr)")).not_to_have_value("")        # the entry is shown to be changed
    page.get_by_label("Pris per enhet (kr)").fill("")
    page.get_by_label("Volymtrappa").fill("0; 42\n2 000; 36")
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.get_by_role("heading", level=1), page.locator("main").inner_text()[:1500]).to_contain_text(f"Priser {YEAR}")
    expect(page.locator("main")).to_contain_text("36")
    assert_accessible(page, "price list with a tiered entry")
    page.get_by_role("button", name="Publicera").click()
    expect(page.locator("main")).to_contain_text("publicerad")
    screenshot(page, "own-price-list")

    # --- January: preview, approval, issue; a credit of one line ---
    _visit(page, server, "/billing/", "billing")
    page.get_by_label("Månad").fill(f"{YEAR}-01")
    page.get_by_role("button", name="Gör en förhandsgranskning").click()
    expect(page.get_by_text("Förhandsgranskningen är klar")).to_be_visible()
    assert_accessible(page, "billing preview")
    expect(page.get_by_role("button", name="Godkänn förhandsgranskningen")).to_have_count(0)
    run_page = page.url
    context.clear_cookies()
    _login(page, server, "tuna-ekonomichef", APPROVER_PASSWORD)
    page.goto(run_page)
    page.get_by_role("button", name="Godkänn förhandsgranskningen").click()
    page.get_by_role("button", name="Utfärda fakturorna").click()
    page.get_by_role("button", name=re.compile(r"Ja, utfärda \d+ fakturor")).click()
    expect(page.get_by_text("Utfärdad. Fakturorna är låsta och numrerade.")).to_be_visible()
    assert_accessible(page, "billing issued")
    page.locator("tr", has_text="Utbildningsförvaltningen").get_by_role("link").first.click()
    expect(page.locator("main")).to_contain_text("Tuna kommun")
    expect(page.locator("main")).to_contain_text("Utbildningsförvaltningen")
    expect(page.locator("main")).to_contain_text("F101")                    # the customer number beside the city's identity
    assert_accessible(page, "invoice")
    screenshot(page, "own-invoice")
    page.get_by_label("Kreditera rad 1").check()
    page.get_by_label("Orsak (visas på kreditnotan)").fill("Fel antal leverantörsfakturor")
    page.get_by_role("button", name="Kreditera de markerade raderna").click()
    page.get_by_role("button", name="Ja, utfärda kreditnotan").click()
    expect(page.locator(".messages")).to_contain_text("Kreditnota")
    assert_accessible(page, "credit note")
    _visit(page, server, "/costing/what-if/", "what-if")

    # --- an own indicator with a target and its value ---
    _visit(page, server, "/followup/definitions/", "indicator definitions")
    page.get_by_text("Definiera ett mål").click()
    page.get_by_label("Målets namn").fill("Effektiv lönehantering")
    page.get_by_role("button", name="Definiera målet").click()
    expect(page.locator(".messages")).to_contain_text("Effektiv lönehantering")
    page.locator("#id_goal").select_option(label="Effektiv lönehantering")
    page.get_by_label("Namn", exact=True).fill("Självkostnad per lönespecifikation")
    page.get_by_label("Täljare (eller värdet)").fill("lonekostnad")
    page.get_by_label("Nämnare").fill("lonespecar")
    page.get_by_label("Målvärde").fill("60")
    page.get_by_label("Första år", exact=True).fill(str(YEAR))
    page.get_by_role("button", name="Definiera indikatorn").click()
    expect(page.locator(".messages")).to_be_visible()
    _visit(page, server, "/followup/entry/", "enter data")
    for element, value in (("lonekostnad", "2900000"), ("lonespecar", "48000")):
        page.get_by_label("Dataelement (som i definitionerna)").fill(element)
        page.locator("#d-level").select_option("organisation")
        page.get_by_label("År", exact=True).fill(str(YEAR))
        page.get_by_label("Värde").fill(value)
        page.get_by_role("button", name="Spara talet").click()
        expect(page.locator(".messages")).to_be_visible()
    _visit(page, server, "/followup/", "follow-up")
    expect(page.locator("main")).to_contain_text("Självkostnad per lönespecifikation")
    expect(page.locator("main")).to_contain_text("60,4")                     # 2 900 000 / 48 000

    # --- five offices with visits, a closure from 1 July, the optimiser ---
    _import(page, server, "offices", files["kontor.csv"])
    _import(page, server, "partner_agencies", files["samverkan.csv"])
    _import(page, server, "office_visits", files["besok.csv"])
    _visit(page, server, "/network/partners/", "partner agencies")
    expect(page.locator("main table")).to_contain_text("Socialförvaltningen")
    _visit(page, server, "/network/", "network")
    _visit(page, server, "/network/scenarios/", "scenarios")
    page.get_by_label("Namn på ett nytt scenario").fill("Stäng Öster")
    page.get_by_label("Nätet den").fill(f"{YEAR}-07-01")
    page.get_by_role("button", name="Skapa scenario").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stäng Öster")
    expect(page.get_by_label("Från", exact=True).first).to_have_value(f"{YEAR}-07-01")   # changes start on the scenario's date
    page.get_by_label("Kontor", exact=True).first.select_option("t05")
    page.get_by_role("button", name="Stäng", exact=True).click()
    expect(page.locator("#consequences table").first).to_contain_text("Stäng")
    assert_accessible(page, "scenario")
    screenshot(page, "own-scenario")
    _visit(page, server, "/network/optimise/", "optimiser")
    page.get_by_label("Kontor att stänga").fill("1")
    page.get_by_role("button", name="Optimera", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("optimal")
    assert_accessible(page, "optimiser result")
    context.close()
