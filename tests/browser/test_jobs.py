"""#16 in the browser: long work shows its progress and ends on its result. The demo server runs
a worker beside it (``servicecenter serve``), as `make demo` does."""

import re
import sqlite3

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, start_server
from tests.browser.test_walkthrough import assert_accessible

pytestmark = pytest.mark.browser


def _progress(page) -> tuple[str, str]:
    bar = page.locator("#job-progress")
    return bar.inner_text(), (page.locator("#job-progress progress").get_attribute("value") or "")


NATIONAL_USER = """
from django.contrib.auth import get_user_model
from servicecenter.apps.accounts.models import Profile, Role
from servicecenter.apps.registry.models import Provider
person = get_user_model().objects.create_user('nationell', password='Nationell-2023')
Profile.objects.create(user=person, role=Role.CONTROLLER, provider=Provider.objects.get(code='bench'))
"""


@pytest.fixture(scope="module")
def national_server(tmp_path_factory):
    """The national synthetic data set (300 customers × 60 services, one month), loaded through
    the CLI's imports as the billing benchmark loads it, served with its worker."""
    from benchmarks.common import national_provider, run_cli

    from servicecenter.demo.national import generate_national

    folder = tmp_path_factory.mktemp("national")
    generate_national(folder / "data", months=1, coverage=1.0, events=0)
    database = folder / "national.sqlite3"
    env = {"SERVICECENTER_VAR": str(folder)}
    national_provider(folder / "data", database, ("customers", "catalogue", "agreements", "volumes"), env=env)
    run_cli("manage", "shell", "-c", NATIONAL_USER, database=database, env=env)
    url, process = start_server(database)
    yield url
    process.terminate()
    process.wait(timeout=30)


def test_a_national_preview_shows_moving_progress_survives_a_reload_and_ends_on_the_run(page, national_server):
    """300 invoices rated and validated: the bar moves as the documents are validated."""
    server = national_server
    page.goto(f"{server}/login/")
    page.get_by_label("Användarnamn").fill("nationell")
    page.get_by_label("Lösenord").fill("Nationell-2023")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{server}/")
    page.goto(f"{server}/billing/")
    page.get_by_label("Månad").fill("2023-01")
    page.get_by_role("button", name="Gör en förhandsgranskning").click()
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]+/$"))
    job_page = page.url
    expect(page.locator("#job-progress progress")).to_be_visible()
    assert_accessible(page, "job in progress")
    expect(page.locator("#job-progress")).to_contain_text(re.compile(r"Validera[dt]"), timeout=60_000)
    screenshot(page, "job-progress")
    seen = {_progress(page)}
    page.reload()                                            # the progress is the job's, not the page's
    assert page.url == job_page
    while "/jobs/" in page.url and len(seen) < 3:
        try:
            seen.add(_progress(page))
        except Exception:   # the page moved on to the result while we looked
            break
        page.wait_for_timeout(150)
    assert len(seen) >= 2, seen                              # it moved: more documents validated
    expect(page.get_by_text("Förhandsgranskningen är klar")).to_be_visible(timeout=120_000)
    expect(page.get_by_role("heading", level=1)).to_contain_text("förhandsgranskning")
    expect(page.locator("main")).to_contain_text("300")
    page.goto(f"{server}/jobs/")
    expect(page.locator("main table")).to_contain_text("Förhandsgranskning av faktureringen")
    assert_accessible(page, "my jobs")


def test_an_import_of_200000_events_shows_its_progress_and_ends_on_its_report(login, server, demo_database, tmp_path):
    with sqlite3.connect(demo_database) as db:   # customers with a payroll agreement in production
        orgs = [row[0] for row in db.execute(
            "SELECT DISTINCT c.org_number FROM registry_customer c JOIN registry_provider p ON p.id = c.provider_id "
            "JOIN registry_agreement a ON a.customer_id = c.id JOIN registry_service s ON s.id = a.service_id "
            "WHERE p.code = 'ssc' AND s.code = 'lon' AND a.state = 'production' AND a.production_date <= '2025-01-01' LIMIT 20")]
    lines = ["source,event_id,org_number,service_code,occurred_at,quantity"]
    lines += [f"portalen,b{n},{orgs[n % len(orgs)]},lon,2025-06-{n % 28 + 1:02d}T09:00,1" for n in range(200_000)]
    path = tmp_path / "handelser-200000.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page = login("controller")
    page.goto(f"{server}/import/")
    page.get_by_label("Vad ska importeras").select_option("events")
    page.get_by_label(re.compile("^Fil")).set_input_files(str(path))
    page.get_by_role("button", name="Ladda upp och kontrollera").click()    # check only: the demo stays as it is
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]+/$"))
    expect(page.locator("#job-progress")).to_contain_text(re.compile("Kontrollera|Väntar|Arbetar"))
    assert_accessible(page, "import job")
    page.reload()                                             # the job's page again, or already its result
    expect(page.locator("#job-progress, #report").first).to_be_visible()
    expect(page.locator("#report")).to_be_visible(timeout=180_000)
    expect(page.locator("#report")).to_contain_text("200")
    expect(page.locator("#report")).not_to_contain_text("avvisades")
    assert "/import/" in page.url
    assert_accessible(page, "import report after its job")
