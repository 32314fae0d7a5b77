"""#17: every page as each role sees it, at a laptop's 1366 × 900 and a phone's 390 × 844, kept as
screenshots in artifacts/screenshots/layout/. A page fails when it scrolls sideways (a wide table
scrolls in its own box instead), when a chart or map that should be seen measures nothing, or when
a Swedish page shows a person a code of the database (a service code such as lon-tillagg, an
office code, an enum value such as flex_staffed, an internal node name such as pool:lon) instead
of its name. Codes inside <code> are meant to be read as codes (a formula's data elements)."""

import re
import sqlite3
from pathlib import Path

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
        "draft_list": q("SELECT id FROM costing_pricelist WHERE provider_id = ? AND status = 'draft' ORDER BY id"),
        "what_if": q("SELECT id FROM costing_costmodel WHERE provider_id = ? AND kind = 'what_if'"),
        "run_month": q("SELECT strftime('%Y-%m', period) FROM billing_billingrun WHERE provider_id = ? ORDER BY id DESC"),
        "it_indicator": _first(demo_database, "SELECT d.id FROM followup_indicatordefinition d JOIN registry_provider p ON p.id = d.provider_id "
                                              "WHERE p.code = 'fk' AND d.code = 'it-6-tillganglighet'"),
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
                       f"/costing/what-if/?current={ids['lists'][0][0]}&alternative={ids['lists'][-1][0]}",
                       f"/costing/compare/?a={ids['model']}&b={ids['what_if']}", "/costing/models/new/",
                       f"/costing/price-lists/derive/{ids['run']}/", f"/costing/price-lists/{ids['draft_list']}/entries/{ids['service']}/",
                       f"/billing/runs/{ids['billing_run']}/drafts/1/", f"/billing/reconciliation/{ids['run_month']}/", "/billing/usage/",
                       "/volumes/?format=xlsx"],   # a long export: the browser lands on its job's page
        "planerare": ["/network/", "/network/offices/", f"/network/offices/{ids['office']}/", "/network/partners/", "/network/statistics/", "/network/scenarios/",
                      f"/network/scenarios/{ids['scenario']}/", "/network/compare/", "/network/optimise/"],
        "kundkontakt": ["/", "/billing/invoices/", "/agreements/"],
        "it-samordnare": ["/followup/", f"/followup/it-report/{year}/", f"/followup/it-report/{year}/?annex=1", "/followup/suppliers/", f"/followup/it-report/{year + 5}/", f"/followup/drill/{ids['it_indicator']}/service/fk/vdc/{year}/"],
        "admin": ["/audit/", "/organisation/"],
        None: ["/login/"],   # before signing in
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
        if username is not None:
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
            page.screenshot(path=str(folder / f"{username or 'anonymous'}-{name}-{size}.png"), full_page=True)
            if found["sideways"] > 0:
                failures.append(f"{username} {path}: scrolls sideways by {found['sideways']} px")
            if found["empty"]:
                failures.append(f"{username} {path}: pictures with no size: {found['empty'][:3]}")
            codes = sorted({m.group(0) for m in database_codes.finditer(found["text"])} | {m.group(0) for m in INTERNAL.finditer(found["text"])})
            if codes:
                failures.append(f"{username} {path}: codes shown as text: {codes[:8]}")
        context.close()
    assert not failures, "\n".join(failures)


#: URL names that are no page to look at (downloads, fragments, POST-only, the API and the admin)
NOT_PAGES = {
    "import-template": "a file", "billing-invoice-download": "a file", "billing-focus": "a file", "job-download": "a file",
    "job-progress": "the job page's fragment", "job-cancel": "POST only", "costing-copy": "POST only", "logout": "POST only",
    "set_language": "POST only", "health": "JSON",
}   # the API and the admin have no URL name here (their pages: test_api_schema; the admin is a superuser's)
CONVERTERS = {"id": r"\d+", "year": r"\d{4}", "slug": r"[-\w]+", "str": r"[^/]+", "path": r".+", "uuid": r"[0-9a-f-]{36}", "int": r"\d+"}


def _url_patterns() -> dict[str, re.Pattern]:
    """The site's URL names and their paths as regular expressions, read from web/urls.py."""
    source = (Path(__file__).resolve().parents[2] / "src" / "servicecenter" / "web" / "urls.py").read_text()
    found = {}
    for chunk in source.split("path(")[1:]:
        route, named = re.match(r'"([^"]*)"', chunk), re.search(r'(?<!\w)name="([^"]+)"', chunk)
        if route is None or named is None:
            continue
        route, name = route.group(1), named.group(1)
        pattern = re.sub(r"<(\w+):\w+>", lambda m: CONVERTERS[m.group(1)], re.escape(route).replace(r"\<", "<").replace(r"\>", ">").replace(r"\:", ":"))
        found[name] = re.compile("/" + pattern)
    return found


#: pages the walk reaches by a redirect, and the path that leads there
REACHED_BY_REDIRECT = {"job": "/volumes/?format=xlsx"}


def test_the_walk_looks_at_every_page_of_the_site(demo_ids):
    """A page added to the site and not walked above (nor named as no page) fails: decide first."""
    requested = [path for paths in _pages(demo_ids).values() for path in paths]
    assert all(path in requested for path in REACHED_BY_REDIRECT.values())
    walked = [path.split("?")[0] for path in requested]
    patterns = _url_patterns()
    assert patterns and set(NOT_PAGES) <= set(patterns)
    unwalked = sorted(name for name, pattern in patterns.items()
                      if name not in NOT_PAGES and name not in REACHED_BY_REDIRECT and not any(pattern.fullmatch(path) for path in walked))
    assert unwalked == []
