"""Benchmark: a billing month of the national synthetic data set (300 customers × 60 services,
every customer buying every service: 18,000 invoice lines) the way controllers bill it, against
`servicecenter serve` with the background worker it starts (as `make demo` runs it):

1. a controller asks for the preview on /billing/ (a job: rating, every draft built and validated
   against both official rule sets) and waits on the job page until it is done;
2. a second controller approves it on the run page (four eyes);
3. the first issues it (the confirmation page, then the issue job: rating again to prove nothing
   changed, numbers, the preview's validated XML, writes, seals) and waits for the job.

Each wait is timed from the click until the page the job ends on has loaded, following the job
page the way the browser does (its progress fragment as often as the page asks: every 0.2 s while the job is young). The first month billed after the server started is shown too,
begun ``STARTED_BEFORE`` seconds after the start (the worker starts the validation processes when
it starts, as a server does long before a controller's first preview). Target: the whole month
(preview + approval + issue) under 10 s.

Baseline in the same run, on a copy of the same database: the service functions the jobs call
(``billing.start_run``, ``approve``, ``issue``) in one process, with the validator's calls timed,
so the table shows the run without its validation and what the pages and the worker add.

``--history N`` (0 to 10; 0 by default) issues N months first, through the same service functions,
so that the timed month is month N + 2 with N + 1 issued months before it: the plausibility
comparison a preview makes reads up to twelve issued months (with 10, the month a provider bills
in December, its year's eleven months before it).

Measured on a SQLite file (the default database).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import national_billing_database, run_cli, serving, sessions, table  # noqa: E402

PROVIDER = "from servicecenter.apps.registry.models import Provider; print('PROVIDER', Provider.objects.get(code='bench').pk)"

HISTORY = """
from datetime import timedelta
from servicecenter.apps.billing import services as billing
from servicecenter.apps.registry.models import Provider
from servicecenter.core.periods import Period
provider = Provider.objects.get(code='bench')
for month in range(1, MONTHS + 1):   # as controllers issued them, their flags looked at
    period = Period.month(2023, month)
    billing.issue(billing.approve(billing.start_run(provider, period, issue_date=period.end + timedelta(days=3)), acknowledge_flags=True))
print('ISSUED', MONTHS)
"""

SERVICES = """
import json, time
from datetime import timedelta
from servicecenter.apps.billing import services as billing
from servicecenter.apps.registry.models import Provider
from servicecenter.core.periods import Period
from servicecenter.formats import peppol
provider = Provider.objects.get(code='bench')
validator = billing.validator()
started = time.perf_counter()
validator.validate(b'<x/>')                      # compile the rule sets here and start the
validator.validate_all([b'<x/>'] * peppol.PARALLEL_FROM)   # workers once, as a running server has
warm = time.perf_counter() - started
spent = {'validate': 0.0, 'documents': 0}
def timed(original):
    def call(documents, *args, **kwargs):
        started = time.perf_counter()
        try:
            return original(documents, *args, **kwargs)
        finally:
            spent['validate'] += time.perf_counter() - started
            spent['documents'] += kwargs['total'] if kwargs.get('total') is not None else len(documents)   # a generator says how many
    return call
validator.validate_all = timed(validator.validate_all)
validator.build_and_validate_all = timed(validator.build_and_validate_all)   # XML built in the workers
started = time.perf_counter()
run = billing.start_run(provider, Period.month(2023, MONTH), issue_date=Period.month(2023, MONTH).end + timedelta(days=3))
previewed = time.perf_counter()
preview_validation = spent['validate']
run = billing.approve(run, acknowledge_flags=True)
approved = time.perf_counter()
invoices = billing.issue(run)
done = time.perf_counter()
lines = sum(len(invoice['lines']) for invoice in run.preview)
print('RESULT', json.dumps({'total': done - started, 'preview': previewed - started, 'approve': approved - previewed, 'issue': done - approved,
                            'validate': spent['validate'], 'preview_validation': preview_validation, 'documents': spent['documents'],
                            'invoices': len(invoices), 'lines': lines, 'warm': warm, 'findings': len(run.findings),
                            'processes': peppol._cores()}))
"""


class Controller:
    """One signed-in controller's browser: a session cookie, the CSRF token of the pages it reads."""

    def __init__(self, port: int, session: str):
        self.base = f"http://127.0.0.1:{port}"
        self.http = requests.Session()
        self.http.cookies.set("sessionid", session)

    def get(self, path: str) -> str:
        response = self.http.get(self.base + path, timeout=120)
        response.raise_for_status()
        return response.text

    def post(self, path: str, page: str, data: dict) -> requests.Response:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        response = self.http.post(self.base + path, data={**data, "csrfmiddlewaretoken": token}, allow_redirects=False,
                                  headers={"Referer": self.base + path}, timeout=120)
        if response.status_code >= 400:
            raise RuntimeError(f"POST {path}: HTTP {response.status_code}\n{response.text[-2000:]}")
        return response

    def wait_for_job(self, response: requests.Response) -> str:
        """Follow a started job until it is done, then load the page it ends on (as the job page
        sends the browser there); that page's path."""
        location = response.headers.get("Location", "")
        found = re.match(r"/jobs/([0-9a-f-]{36})/", location)
        if not found:
            raise RuntimeError(f"expected a job, got {response.status_code} {location or response.text[-2000:]}")
        page = self.http.get(self.base + location, timeout=120)   # the browser follows the redirect to the job page
        page.raise_for_status()
        if page.url.removeprefix(self.base) != location:   # done already: the job page sent it on
            return page.url.removeprefix(self.base)
        shown = page.text
        while True:   # as the job page's htmx does: its progress fragment as often as the page says, until it says where to go
            time.sleep(poll_seconds(shown))
            fragment = self.http.get(f"{self.base}/jobs/{found.group(1)}/progress/", headers={"HX-Request": "true"}, timeout=120)
            fragment.raise_for_status()
            shown = fragment.text
            if fragment.headers.get("HX-Redirect"):
                shown = self.http.get(self.base + fragment.headers["HX-Redirect"], timeout=120)
                shown.raise_for_status()
                return shown.url.removeprefix(self.base)
            if "hx-get" not in fragment.text:   # no longer running, and no page to go to
                job = self.http.get(f"{self.base}/api/jobs/{found.group(1)}", timeout=120).json()
                raise RuntimeError(f"job {job['label']}: {job['state']} {job['error']}")


def bill_month(preparer: Controller, approver: Controller, provider: int, month: str) -> dict:
    """Preview, approve and issue ``month`` through the pages; seconds each controller waited."""
    opening = time.perf_counter()
    page = preparer.get("/billing/")
    started = time.perf_counter()
    run_page = preparer.wait_for_job(preparer.post("/billing/", page, {"provider": provider, "month": month}))
    previewed = time.perf_counter()
    if not re.match(r"/billing/runs/\d+/", run_page):
        raise RuntimeError(f"the preview ended on {run_page}")
    page = approver.get(run_page)
    approving = time.perf_counter()
    flagged = 'name="acknowledge"' in page   # lines that stand out against earlier months: looked at and ticked
    approver.post(run_page, page, {"action": "approve", **({"acknowledge": "1"} if flagged else {})})
    approved = time.perf_counter()
    page = preparer.get(run_page)
    issuing = time.perf_counter()
    confirmation = preparer.post(run_page, page, {"action": "issue"}).text
    confirm = re.search(r'name="confirm" value="([^"]+)"', confirmation).group(1)
    preparer.wait_for_job(preparer.post(run_page, confirmation, {"action": "issue", "confirm": confirm}))
    issued = time.perf_counter()
    return {"page": started - opening, "preview": previewed - started, "approve": approved - approving, "issue": issued - issuing,
            "total": (previewed - started) + (approved - approving) + (issued - issuing)}


def poll_seconds(page: str) -> float:
    """The seconds the job page waits before its next look at the job (its htmx trigger,
    templates/jobs/_progress.html: more often while the job is young)."""
    return int(re.search(r'hx-trigger="every (\d+)ms"', page).group(1)) / 1000


COUNT = """
from servicecenter.apps.billing.models import Invoice, InvoiceLine
from servicecenter.apps.jobs.models import Job
print('COUNT', Invoice.objects.count(), InvoiceLine.objects.count())
for job in Job.objects.order_by('created_at'):
    print('JOB', job.kind, (job.started_at - job.created_at).total_seconds(), (job.finished_at - job.started_at).total_seconds())
"""


#: seconds between the server's start and its first month: its worker starts the processes that
#: validate invoices when it starts
STARTED_BEFORE = 5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--history", type=int, default=0, choices=range(11), metavar="N", help="months issued before the two billed (0–10)")
    history = parser.parse_args().history
    first_month, month_billed = f"2023-{history + 1:02d}", f"2023-{history + 2:02d}"
    with tempfile.TemporaryDirectory() as folder:
        _data, database = national_billing_database(Path(folder), months=history + 2)
        if history:
            run_cli("manage", "shell", "-c", HISTORY.replace("MONTHS", str(history)), database=database)
        signed_in = sessions(database, ("preparer", "approver"))   # two controllers: four eyes
        provider = int(next(line.split()[1] for line in run_cli("manage", "shell", "-c", PROVIDER, database=database).output.splitlines()
                            if line.startswith("PROVIDER")))
        services_copy = Path(folder) / "services.sqlite3"
        shutil.copyfile(database, services_copy)
        with serving(database, worker=True, storage=Path(folder) / "storage") as port:
            preparer, approver = Controller(port, signed_in["preparer"]), Controller(port, signed_in["approver"])
            time.sleep(STARTED_BEFORE)   # the worker starts the validation processes meanwhile
            first = bill_month(preparer, approver, provider, first_month)   # the server's first month: its first jobs
            month = bill_month(preparer, approver, provider, month_billed)
        counted = run_cli("manage", "shell", "-c", COUNT, database=database).output.splitlines()
        invoices, lines = map(int, next(line for line in counted if line.startswith("COUNT")).split()[1:])
        jobs = [line.split()[1:] for line in counted if line.startswith("JOB")][-2:]   # the timed month's preview and issue
        measured = run_cli("manage", "shell", "-c", SERVICES.replace("MONTH", str(history + 1)), database=services_copy)
    result = json.loads(next(line for line in measured.output.splitlines() if line.startswith("RESULT")).split(" ", 1)[1])
    months = history + 2
    assert invoices == 300 * months and lines > 17_500 * months, (invoices, lines)   # 300 invoices × 60 lines a month, less the rows whose quantity is 0
    assert result["invoices"] == 300 and result["lines"] > 17_500, result
    assert result["documents"] >= 300, result   # every document validated at preview (issuing the same bytes needs no second run)
    issue_validation = result["validate"] - result["preview_validation"]
    met = month["total"] < 10
    print(table([
        ("measure", "seconds", "note"),
        ("THE PAGES, servicecenter serve + its worker", "", ""),
        ("the billing page (/billing/), before the preview", f"{month['page']:.2f}", "the month before listed, issued"),
        ("preview: /billing/ → job page → done", f"{month['preview']:.2f}",
         f"{month_billed}: rating 18,000 lines, compared with {history + 1} issued month(s), 300 drafts built and validated in the worker"),
        ("approval by a second controller (run page)", f"{month['approve']:.2f}", ""),
        ("issue: confirmation → job → done", f"{month['issue']:.2f}", "rating again, numbers, the preview's validated XML, writes, seals"),
        ("whole month (preview + approval + issue)", f"{month['total']:.2f}", "target < 10 s"),
        *((f"  job {kind}: waited for the worker / ran", f"{float(waited):.2f} / {float(ran):.2f}", "") for kind, waited, ran in jobs),
        ("the server's first month, whole", f"{first['total']:.2f}", f"its preview {first['preview']:.2f} s; begun {STARTED_BEFORE} s after the server started"),
        ("BASELINE, the same functions in one process", "", ""),
        ("validation workers started, rules compiled", f"{result['warm']:.2f}", f"{result['processes']} processes (once per worker process)"),
        ("billing.start_run", f"{result['preview']:.2f}", f"of which XML built and validated {result['preview_validation']:.2f}; {result['findings']} findings"),
        ("billing.approve", f"{result['approve']:.2f}", ""),
        ("billing.issue", f"{result['issue']:.2f}", f"of which validation {issue_validation:.2f}"),
        ("whole run", f"{result['total']:.2f}", f"{result['invoices']} invoices, {result['lines']:,} lines, peak {measured.peak_mb:.0f} MB"),
        ("whole run without its validation", f"{result['total'] - result['validate']:.2f}",
         f"validation {result['validate']:.2f} s for {result['documents']} documents, {1000 * result['validate'] / max(1, result['documents']):.0f} ms each wall time"),
        ("what the pages, the jobs and the worker add", f"{month['total'] - result['total']:.2f}", "whole month through the pages − whole run"),
    ]))
    print(f"RESULT preview_seconds={month['preview']:.2f} issue_seconds={month['issue']:.2f} total={month['total']:.2f} "
          f"functions_total={result['total']:.2f} validation={result['validate']:.2f} target_met={met}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
