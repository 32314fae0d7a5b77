"""#17: every page as each role sees it, at a laptop's 1366 × 900 and a phone's 390 × 844, kept as
screenshots in artifacts/screenshots/layout/. A page fails when it scrolls sideways (a wide table
scrolls in its own box instead), when a chart or map that should be seen measures nothing, or when
a Swedish page shows a person a code of the database (a service code such as lon-tillagg, an
office code, an enum value such as flex_staffed, an internal node name such as pool:lon) instead
of its name. Codes inside <code> are meant to be read as codes (a formula's data elements)."""

import re
import sqlite3

import pytest

from tests.browser.conftest import ARTIFACTS

SIZES = {"laptop": (1366, 900), "phone": (390, 844)}

MEASURE = """() => {
  const visible = (el) => { const st = getComputedStyle(el); return st.display !== 'none' && st.visibility !== 'hidden'; };
  const empty = [];
  for (const el of document.querySelectorAll('figure.chart, figure.map, figure svg, svg.chart')) {
    if (!visible(el) || el.closest('details:not([open])')) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) empty.push((el.getAttribute('aria-label') || el.className.baseVal || el.className || el.tagName).toString());
  }
  const texts = [];
  const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('code, script, style, svg title, svg desc, [aria-hidden="true"]') || !visible(parent)) continue;
    if (node.textContent.trim()) texts.push(node.textContent);
  }
  return {sideways: document.documentElement.scrollWidth - window.innerWidth, empty, text: texts.join(' \\n ')};
}"""


def _first(database, query, params=()):
    with sqlite3.connect(database) as connection:
        row = connection.execute(query, params).fetchone()
    return row[0] if row else None


@pytest.fixture(scope="module")
def demo_ids(demo_database):
    ssc = (_first(demo_database, "SELECT id FROM registry_provider WHERE code = 'ssc'"),)   # the demo's state service centre, the controller's
    q = lambda sql: _first(demo_database, sql, ssc if "?" in sql else ())  # noqa: E731
    return {
        "customer": q("SELECT id FROM registry_customer WHERE provider_id = ? ORDER BY id"),
        "service": q("SELECT id FROM registry_service WHERE provider_id = ? ORDER BY id"),
        "agreement": q("SELECT a.id FROM registry_agreement a JOIN registry_customer c ON c.id = a.customer_id WHERE c.provider_id = ? ORDER BY a.id"),
        "invoice": q("SELECT id FROM billing_invoice WHERE document_type = '380' AND provider_id = ? ORDER BY id DESC"),
        "run": q("SELECT r.id FROM costing_allocationrun r JOIN costing_costmodel m ON m.id = r.model_id WHERE m.provider_id = ? ORDER BY r.id DESC"),
        "price_list": q("SELECT id FROM costing_pricelist WHERE status = 'published' AND provider_id = ? ORDER BY year DESC"),
        "office": q("SELECT code FROM network_office WHERE provider_id = ? ORDER BY code"),
        "scenario": q("SELECT id FROM network_scenario WHERE provider_id = ? ORDER BY id"),
        "year": q("SELECT MAX(year) FROM followup_activitybudget"),
        "model": q("SELECT id FROM costing_costmodel WHERE provider_id = ? AND kind = 'actual'"),
        "pool": q("SELECT id FROM costing_costpool WHERE provider_id = ? ORDER BY id"),
        "key": q("SELECT id FROM costing_allocationkey WHERE provider_id = ? ORDER BY id"),
        "billing_run": q("SELECT id FROM billing_billingrun WHERE provider_id = ? ORDER BY id DESC"),
        "lists": [row for row in sqlite3.connect(demo_database).execute("SELECT id FROM costing_pricelist WHERE provider_id = ? ORDER BY id", ssc)],
    }


@pytest.fixture(scope="module")
def database_codes(demo_database):
    """Codes a person must never read: those that cannot be taken for a word (a hyphen, an
    underscore or a digit in them), less any that stands inside a name shown as a name."""
    with sqlite3.connect(demo_database) as connection:
        services = {code for (code,) in connection.execute("SELECT code FROM registry_service")}
        offices = {code for (code,) in connection.execute("SELECT code FROM network_office")}
        names = " ".join(name for (name,) in connection.execute("SELECT name FROM registry_customer UNION SELECT name FROM registry_provider"))
    codes = {code for code in services | offices if re.search(r"[-_\d]", code) and code not in names}
    return re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, codes), key=len, reverse=True)) + r")(?![\w-])")


#: an enum value (snake_case), a model's internal node name, an English decimal point before a unit
INTERNAL = re.compile(r"\b[a-z]{2,}_[a-z_]{2,}\b|\b(?:pool|service|charge|customer):[\w|-]+|\b\d+\.\d+\s?(?:km|kr|%)")


def _pages(ids):
    year = ids["year"]
    return {
        "controller": ["/", "/customers/", f"/customers/{ids['customer']}/", "/services/", f"/services/{ids['service']}/", "/agreements/",
                       f"/agreements/{ids['agreement']}/", "/volumes/", "/import/", "/costing/", f"/costing/runs/{ids['run']}/", "/costing/pools/",
                       "/costing/keys/", "/costing/ledger/", f"/costing/trace/{ids['customer']}/", "/costing/price-lists/",
                       f"/costing/price-lists/{ids['price_list']}/", f"/costing/behaviour/?run={ids['run']}", "/billing/",
                       "/billing/invoices/", f"/billing/invoices/{ids['invoice']}/", "/billing/late-events/", "/followup/",
                       f"/followup/fee-report/{year}/", "/followup/entry/", "/followup/definitions/", "/jobs/",
                       f"/costing/models/{ids['model']}/", f"/costing/pools/{ids['pool']}/", f"/costing/keys/{ids['key']}/",
                       f"/billing/runs/{ids['billing_run']}/", f"/costing/price-lists/{ids['price_list']}/entries/new/",
                       f"/costing/what-if/?current={ids['lists'][0][0]}&alternative={ids['lists'][-1][0]}"],
        "planerare": ["/network/", "/network/offices/", f"/network/offices/{ids['office']}/", "/network/statistics/", "/network/scenarios/",
                      f"/network/scenarios/{ids['scenario']}/", "/network/compare/", "/network/optimise/"],
        "kundkontakt": ["/", "/billing/invoices/", "/agreements/"],
        "it-samordnare": ["/followup/", f"/followup/it-report/{year}/"],
        "admin": ["/audit/", "/organisation/"],
    }


@pytest.mark.parametrize("size", sorted(SIZES))
def test_every_page_fits_shows_its_pictures_and_names_things(browser, server, demo_ids, database_codes, size):
    width, height = SIZES[size]
    folder = ARTIFACTS / "layout"
    folder.mkdir(parents=True, exist_ok=True)
    failures = []
    for username, paths in _pages(demo_ids).items():
        context = browser.new_context(viewport={"width": width, "height": height}, locale="sv-SE")
        page = context.new_page()
        page.goto(f"{server}/login/")
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill("demo")
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_url(f"{server}/")
        for path in paths:
            response = page.goto(server + path)
            assert response.status == 200, (username, path, response.status)
            found = page.evaluate(MEASURE)
            name = re.sub(r"[^a-z0-9]+", "-", path).strip("-") or "start"
            page.screenshot(path=str(folder / f"{username}-{name}-{size}.png"), full_page=True)
            if found["sideways"] > 0:
                failures.append(f"{username} {path}: scrolls sideways by {found['sideways']} px")
            if found["empty"]:
                failures.append(f"{username} {path}: pictures with no size: {found['empty'][:3]}")
            codes = sorted({m.group(0) for m in database_codes.finditer(found["text"])} | {m.group(0) for m in INTERNAL.finditer(found["text"])})
            if codes:
                failures.append(f"{username} {path}: codes shown as text: {codes[:8]}")
        context.close()
    assert not failures, "\n".join(failures)
