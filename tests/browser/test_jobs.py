"""#16 in the browser: long work shows its progress and ends on its result. The demo server runs
a worker beside it (``servicecenter serve``), as `make demo` does."""

import datetime as dt
import json
import re
import sqlite3
import uuid

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


def test_a_finished_job_sends_the_browser_to_its_result_once(login, server, demo_database):
    """The first answer that sends the browser to the result is the last request the page makes:
    a later poll would set off again and cancel the navigation that carries the job's message
    (seen in CI: the run's page without "the preview is ready"). The way to the result is held
    here, as a busy server holds it, while the page would go on polling every 0.2 s."""
    page = login("controller")
    job = uuid.uuid4()
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    with sqlite3.connect(demo_database) as db:
        user = db.execute("SELECT id FROM auth_user WHERE username = 'controller'").fetchone()[0]
        db.execute(
            "INSERT INTO jobs_job (id, kind, key, label, user_id, language, params, state, attempts, worker, task_id, created_at,"
            " done, total, text, result_url, result_file, result_name, result_type, result, messages, error, back_url, seen)"
            " VALUES (?, 'billing.preview', ?, 'Ett jobb som snart är klart', ?, 'sv', '{}', 'queued', 0, '', '', ?,"
            " 0, 0, '', '', '', '', '', '{}', '[]', '', '', 0)", (job.hex, f"test-{job}", user, now))
    page.goto(f"{server}/jobs/{job}/")
    expect(page.locator("#job-progress")).to_contain_text("Väntar")
    held, redirects = [], []
    page.route(f"**/jobs/{job}/", lambda route: held.append(route))
    page.on("response", lambda response: "/progress/" in response.url and response.headers.get("hx-redirect")
            and redirects.append(response.url))
    with sqlite3.connect(demo_database) as db:
        db.execute("UPDATE jobs_job SET state = 'done', finished_at = ?, result_url = '/billing/', messages = ? WHERE id = ?",
                   (now, json.dumps([["success", "Jobbet är klart och här är resultatet."]]), job.hex))
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the page never set off for the result"
    page.wait_for_timeout(1500)                                # seven polls' time
    assert len(held) == 1 and len(redirects) == 1, (held, redirects)
    held[0].continue_()
    page.wait_for_url(f"{server}/billing/")
    expect(page.get_by_text("Jobbet är klart och här är resultatet.")).to_be_visible()
