"""#16: background jobs under real processes on PostgreSQL: two web servers and one worker.
The same issue started from both servers at once is one job; the worker killed with SIGKILL in
the middle of an issue and of an import leaves nothing written, and after a restart the job is
taken up again and completes once (issued numbers gap-free, no event counted twice); both web
servers show the same start page."""

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from servicecenter.core.registry import make_orgnr
from tests.apps.databases import postgres_url
from tests.apps.servers import free_port, wait_until_up
from tests.apps.test_billing_processes import run, worker_env  # noqa: F401  (the fixture)

pytestmark = pytest.mark.skipif(postgres_url() is None, reason="several processes on one database: tested on PostgreSQL (make test-postgres)")
PASSWORD = "Jobb-test-2025"


def _start(env, *arguments):
    return subprocess.Popen([sys.executable, "-m", "servicecenter.cli", *arguments], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)   # its own process group: a kill reaches its validation processes too


def _stop(process, sig=signal.SIGTERM):
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture
def servers(worker_env):  # noqa: F811  (the fixture imported above)
    env = {**worker_env, "SERVICECENTER_HTTPS": "0"}
    run(env, "user", "kontrollant", PASSWORD)
    urls, processes = [], []
    for _ in range(2):
        port = free_port()
        processes.append(_start(env, "serve", "--no-worker", "--port", str(port), "--workers", "1", "--http"))
        urls.append(f"http://127.0.0.1:{port}")
    for url, process in zip(urls, processes, strict=True):
        wait_until_up(url, process)
    yield env, urls
    for process in processes:
        _stop(process)


def _session(url):
    import requests

    session = requests.Session()
    page = session.get(f"{url}/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(f"{url}/login/", data={"username": "kontrollant", "password": PASSWORD, "csrfmiddlewaretoken": token},
                          headers={"Referer": f"{url}/login/"}, allow_redirects=False)
    assert answer.status_code == 302, answer.text[:500]
    return session


def _post(session, url, path, data, files=None):
    page = session.get(f"{url}/import/" if files else f"{url}{path}")
    token = session.cookies.get("csrftoken") or re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(f"{url}{path}", data={**data, "csrfmiddlewaretoken": token}, files=files, headers={"Referer": f"{url}{path}"},
                        allow_redirects=False)


def _started(env, seconds=120):
    """Wait until the worker has taken a job up: its progress file appears (the worker writes it
    as it starts the job; looking costs no process, so the job is caught at its beginning)."""
    folder = Path(env["SERVICECENTER_VAR"]) / "storage" / "jobs"
    deadline = time.time() + seconds
    while not (folder.exists() and list(folder.glob("*.progress.json"))):
        assert time.time() < deadline, "no job started"
        time.sleep(0.02)


def _wait_for(env, condition, seconds=120):
    deadline = time.time() + seconds
    while True:
        state = run(env, "jobs")
        if condition(state):
            return state
        assert time.time() < deadline, state
        time.sleep(0.2)


def test_one_issue_from_two_servers_survives_a_killed_worker_and_numbers_stay_gap_free(servers):
    env, (first, second) = servers
    assert run(env, "start", "2025-01", "0")["ok"]
    run(env, "approve", "2025-01")
    known = run(env, "jobs")
    data = {"action": "issue", "confirm": f"issue:{known['run']}:approved:{known['preview_hash']}"}
    sessions = [_session(first), _session(second)]
    answers = [None, None]
    barrier = threading.Barrier(2)

    def click(k, url):
        barrier.wait()
        answers[k] = _post(sessions[k], url, f"/billing/runs/{known['run']}/", data)

    threads = [threading.Thread(target=click, args=(k, url)) for k, url in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    locations = {answer.headers["Location"] for answer in answers}
    assert len(locations) == 1 and locations.pop().startswith("/jobs/"), [a.headers.get("Location") for a in answers]   # one job, joined
    assert [job["kind"] for job in run(env, "jobs")["jobs"]] == ["billing.issue"]
    # the worker dies while it validates the documents, inside the issue's transaction
    worker = _start(env, "worker", "--interval", "0.2")
    _started(env)
    time.sleep(0.3)   # inside the issue's transaction: rating, then validating 40 documents
    _stop(worker, signal.SIGKILL)
    assert run(env, "jobs")["jobs"][0]["state"] == "running"
    state = run(env, "state", "2025-01")
    assert (state["invoices"], state["lines"], state["next_number"], state["state"]) == (0, 0, 1, "approved")
    # another worker takes the job up (the dead one's process is gone) and issues the month once
    worker = _start(env, "worker", "--interval", "0.2")
    try:
        done = _wait_for(env, lambda s: s["jobs"][0]["state"] in ("done", "failed"))
    finally:
        _stop(worker)
    assert done["jobs"][0]["state"] == "done" and done["jobs"][0]["attempts"] == 2, done
    state = run(env, "state", "2025-01")
    assert state["numbers"] == list(range(1, 41)) and state["next_number"] == 41 and state["state"] == "issued"
    # both servers show the same start page (one cache, one database)
    pages = [re.sub(r'value="[^"]{20,}"', "", s.get(f"{url}/").text) for s, url in zip(sessions, (first, second), strict=True)]
    figures = [re.findall(r"\d[\d\u00a0\u202f ]*,?\d*\s*(?:kr|st|%)", re.search(r"<main.*</main>", page, re.S).group(0)) for page in pages]
    assert figures[0] == figures[1] and figures[0]


def test_an_import_whose_worker_is_killed_writes_nothing_then_counts_each_event_once(servers):
    env, (first, _second) = servers
    rows = ["source,event_id,org_number,service_code,occurred_at,quantity"]
    for n in range(200_000):
        rows.append(f"lonesystem,e{n},{make_orgnr(f'2021{n % 40 + 10000:05d}')},lon,2025-05-{n % 28 + 1:02d}T10:00,1")
    data = ("\n".join(rows) + "\n").encode()
    session = _session(first)
    answer = _post(session, first, "/import/", {"kind": "events", "provider": "test"}, files={"file": ("handelser.csv", data, "text/csv")})
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/jobs/"), answer.text[-1500:]
    worker = _start(env, "worker", "--interval", "0.2")
    _started(env)
    time.sleep(1.0)   # checking 200 000 rows
    _stop(worker, signal.SIGKILL)
    state = run(env, "jobs")
    assert state["jobs"][0]["state"] == "running" and state["events"] == 0 and state["imports"] == []   # nothing of it written
    worker = _start(env, "worker", "--interval", "0.2")
    try:
        done = _wait_for(env, lambda s: s["jobs"][0]["state"] in ("done", "failed"), seconds=300)
    finally:
        _stop(worker)
    assert done["jobs"][0]["state"] == "done", done
    assert done["events"] == 200_000 and done["imports"] == ["applied"]
    page = session.get(f"{first}{answer.headers['Location']}")   # the job's page ends on the import's report
    assert "handelser.csv" in page.text and page.url.split("?")[0].endswith("/import/")
