"""Background jobs in one process (SQLite or PostgreSQL): one job per key, progress read while it
runs, cancelling, a dead worker's job taken up again or failed with its reason, the pages that
start jobs, and downloads built by a job. The multi-process faults are in test_jobs_processes.py."""

import io
import json
import os
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from openpyxl import load_workbook

from servicecenter.apps.billing.models import BillingRun
from servicecenter.apps.jobs import services
from servicecenter.apps.jobs.models import Job
from servicecenter.apps.jobs.services import Outcome, kind
from servicecenter.apps.registry.models import Customer, Provider
from servicecenter.core import progress

QUEUED = override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
SEEN: dict = {}


@kind("test.count", retry=True, cancellable=True)
@transaction.atomic   # as every kind's work is: all of it or none
def _count(job):
    """Writes a customer, then counts to ``to``, reporting each step; stops when told."""
    provider = Provider.objects.get(code="ssc")
    Customer.objects.create(provider=provider, org_number="556677-8899", name=f"Jobbkund {job.pk}")
    for done in range(1, job.params["to"] + 1):
        if done == job.params.get("look_at"):
            time.sleep(0.3)   # progress is written at most four times a second
        progress.report(done, job.params["to"], f"counted {done}")
        if done == job.params.get("look_at"):
            SEEN["progress"] = services.read_progress(Job.objects.get(pk=job.pk))
        if done == job.params.get("cancel_at"):
            services.request_cancel(Job.objects.get(pk=job.pk))
    return Outcome(url="/customers/", messages=[("success", f"counted to {job.params['to']}")])


@pytest.fixture
def controller(db):
    return get_user_model().objects.get(username="controller")


def _start(user, key="k1", **params):
    return services.start("test.count", user=user, label="Räkna", key=key, params={"to": 5, **params})


@QUEUED
def test_the_same_work_asked_twice_is_one_job_and_a_finished_one_does_not_block_the_next(controller):
    first, new = _start(controller)
    again, new_again = _start(controller)
    assert new and not new_again and again.pk == first.pk and first.state == Job.State.QUEUED
    assert Job.objects.filter(key="k1").count() == 1
    assert services.execute(str(first.pk)) == Job.State.DONE
    assert services.execute(str(first.pk)) == Job.State.DONE          # the queue delivering it twice runs it once
    assert Customer.objects.filter(name=f"Jobbkund {first.pk}").count() == 1
    later, new_later = _start(controller)
    assert new_later and later.pk != first.pk                          # done: the same key may run again


@QUEUED
def test_progress_is_read_while_the_job_runs_and_kept_when_it_ends(controller):
    job, _new = _start(controller, to=40, look_at=20)
    services.execute(str(job.pk))
    assert SEEN["progress"]["done"] == 20 and SEEN["progress"]["total"] == 40 and SEEN["progress"]["text"] == "counted 20"
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.text, job.attempts) == ("done", 40, 40, "counted 40", 1)
    assert not services._progress_path(job.pk).exists()


@QUEUED
def test_a_cancelled_job_writes_nothing(controller):
    waiting, _new = _start(controller, key="waiting")
    assert services.request_cancel(waiting)
    assert services.execute(str(waiting.pk)) == Job.State.CANCELLED      # never started
    running, _new = _start(controller, key="running", to=10, cancel_at=3)
    assert services.execute(str(running.pk)) == Job.State.CANCELLED
    running.refresh_from_db()
    assert running.done == 4 and running.error == "Avbrutet; inget skrevs."     # stopped at the next step after the request
    assert not Customer.objects.filter(name=f"Jobbkund {running.pk}").exists()   # its transaction rolled back


@QUEUED
def test_a_job_whose_worker_died_runs_again_once_then_fails_with_the_reason(controller):
    job, _new = _start(controller, key="dies")
    # as a worker killed with SIGKILL leaves it: running, its process gone, no heartbeat for long
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, worker="nowhere:1", attempts=1, started_at=timezone.now())
    services._progress_path(job.pk).write_text(json.dumps({"done": 2, "total": 5, "text": "", "heartbeat": time.time() - 120}))
    assert [j.pk for j in services.sweep()] == [job.pk]
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED and job.worker == ""
    assert services.sweep() == []                                       # a queued job is nobody's to take up
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, worker="nowhere:1", attempts=2)
    services._progress_path(job.pk).write_text(json.dumps({"done": 2, "total": 5, "text": "", "heartbeat": time.time() - 120}))
    services.sweep()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "försök 2" in job.error
    # a live worker on this machine is left alone, however old its heartbeat
    alive, _new = _start(controller, key="alive")
    Job.objects.filter(pk=alive.pk).update(state=Job.State.RUNNING, worker=f"{services.socket.gethostname()}:{os.getpid()}", attempts=1)
    services._progress_path(alive.pk).write_text(json.dumps({"heartbeat": time.time() - 3600}))
    assert services.sweep() == []
    # a dead job that never reached the queue (no task id) is taken up too; the sweep does not fail
    # on it (it runs in every look at a job's progress: a failure there broke every job page)
    orphan, _new = _start(controller, key="orphan")
    Job.objects.filter(pk=orphan.pk).update(state=Job.State.RUNNING, worker="nowhere:1", attempts=1, task_id="")
    services._progress_path(orphan.pk).write_text(json.dumps({"heartbeat": time.time() - 120}))
    assert [j.pk for j in services.sweep()] == [orphan.pk]


@QUEUED
def test_a_look_at_a_running_job_costs_three_queries_and_takes_up_the_job_of_a_dead_worker(client_for, controller, django_assert_max_num_queries):
    client = client_for("controller")
    job, _new = _start(controller, key="looked")
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, worker=f"{services.socket.gethostname()}:{os.getpid()}", attempts=1,
                                         started_at=timezone.now())
    services._progress_path(job.pk).write_text(json.dumps({"done": 2, "total": 5, "text": "räknar", "heartbeat": time.time()}))
    # polled five times a second while the job's own work wants the processor: the session, me and
    # the job; not the header's counts nor a sweep of the other running jobs
    with django_assert_max_num_queries(3):
        poll = client.get(f"/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
    assert "räknar" in poll and 'value="2"' in poll and 'hx-trigger="every 200ms"' in poll
    # its worker killed: the next look queues it again, without waiting for a worker's sweeper
    Job.objects.filter(pk=job.pk).update(worker="nowhere:1")
    services._progress_path(job.pk).write_text(json.dumps({"done": 2, "total": 5, "text": "räknar", "heartbeat": time.time() - 120}))
    assert "Väntar" in client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED and job.worker == ""


@QUEUED
def test_the_database_worker_runs_what_the_pages_queued(client_for, controller, monkeypatch):
    from django_tasks_db.management.commands import db_worker

    from servicecenter.apps.jobs.worker import run

    # the worker closes stale connections between tasks: here that would be the test's own
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    job, _new = _start(controller, key="worker")
    run(batch=True, interval=0)
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.task_id
    client = client_for("controller")
    page = client.get(f"/jobs/{job.pk}/", follow=True)
    assert page.redirect_chain[-1][0] == "/customers/" and "counted to 5" in page.content.decode()
    assert client.get("/jobs/").status_code == 200 and "Räkna" in client.get("/jobs/").content.decode()


@QUEUED
def test_a_queued_preview_shows_its_progress_page_and_only_to_its_owner(client_for):
    client = client_for("sthlm-controller")
    stockholm = Provider.objects.get(code="stockholm")
    response = client.post("/billing/", {"provider": stockholm.pk, "month": "2020-12"})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    job = Job.objects.get(kind="billing.preview")
    page = client.get(response["Location"]).content.decode()
    assert 'hx-get="/jobs/' in page and "<progress" in page and job.label in page
    assert 'hx-trigger="every 200ms"' in page   # a young job is looked at often: its end is seen at once
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timezone.timedelta(seconds=60))
    assert 'hx-trigger="every 1000ms"' in client.get(f"/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()   # a long one less often
    assert client.post("/billing/", {"provider": stockholm.pk, "month": "2020-12"})["Location"] == response["Location"]   # a second click joins it
    assert client_for("controller").get(response["Location"]).status_code == 404    # someone else's job
    assert "1 jobb" in client.get("/").content.decode()                            # the header names it
    services.execute(str(job.pk))
    poll = client.get(f"/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true")
    assert poll["HX-Redirect"] == f"/jobs/{job.pk}/"
    run = BillingRun.objects.get(provider=stockholm, period="2020-12-01")
    assert client.get(f"/jobs/{job.pk}/")["Location"] == f"/billing/runs/{run.pk}/"


def test_a_long_export_is_made_by_a_job_and_downloaded_from_it(client_for, monkeypatch):
    from servicecenter.ui import listing

    monkeypatch.setattr(listing, "EXPORT_IN_REQUEST_ROWS", 0)
    client = client_for("controller")
    started = client.get("/customers/?format=xlsx")
    job = Job.objects.get(kind="download")
    assert started["Location"] == f"/jobs/{job.pk}/" and job.state == Job.State.DONE
    page = client.get(started["Location"]).content.decode()
    assert f"/jobs/{job.pk}/download/" in page
    book = load_workbook(io.BytesIO(b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)))
    assert book.active.max_row > 2
    assert client_for("kundkontakt").get(f"/jobs/{job.pk}/download/").status_code == 404


def test_the_health_endpoint_reports_the_queue(client_for, controller, monkeypatch):
    with QUEUED:
        _start(controller, key="health")
    client = client_for("admin")
    assert "jobs" not in client_for(None).get("/health/").json()          # an anonymous caller learns only "ok"
    monkeypatch.setenv("SERVICECENTER_HEALTH_TOKEN", "monitor-123")
    assert client_for(None).get("/health/", HTTP_AUTHORIZATION="Bearer monitor-123").json()["jobs"]["queued"] == 1   # the monitoring's token
    body = client.get("/health/").json()
    assert body["status"] == "ok" and body["jobs"]["queued"] == 1 and body["jobs"]["moving"] is True
    Job.objects.filter(key="health").update(created_at=timezone.now() - timezone.timedelta(minutes=10))
    assert client.get("/health/").json()["jobs"]["moving"] is False


def test_the_workers_remove_event_folders_no_batch_lists_once_no_import_can_be_writing_them(ssc, settings):
    from servicecenter.apps.billing.importers import sweep_unlisted_batches
    from servicecenter.apps.billing.models import EventBatch
    from servicecenter.apps.jobs.worker import _housekeeping

    store = settings.EVENTS_DIR / str(ssc.pk)
    folders = {name: store / name for name in ("batch-killed", "batch-listed", "batch-writing", "events-killed", "other")}
    for folder in folders.values():
        folder.mkdir(parents=True)
        (folder / "events.parquet").write_bytes(b"PAR1")
    day_ago = time.time() - 2 * 24 * 3600
    for name in ("batch-killed", "batch-listed", "events-killed", "other"):
        os.utime(folders[name], (day_ago, day_ago))
    EventBatch.objects.create(provider=ssc, folder=f"{ssc.pk}/batch-listed", events=1)
    removed = sweep_unlisted_batches()
    assert sorted(p.name for p in removed) == ["batch-killed", "events-killed"]
    assert folders["batch-listed"].exists() and folders["batch-writing"].exists() and folders["other"].exists()
    # the workers run it among their housekeeping
    os.utime(folders["batch-writing"], (day_ago, day_ago))
    _housekeeping({})
    assert not folders["batch-writing"].exists()


def test_a_worker_that_keeps_running_prepares_at_start_and_a_failure_there_stops_nothing(monkeypatch, caplog):
    """What a worker does once when it starts (``at_start``): billing starts the processes that
    validate invoices. One function that fails is logged; the others still run."""
    from servicecenter.apps.billing import jobs as billing_jobs
    from servicecenter.apps.jobs import worker

    assert billing_jobs.start_validation_workers in services.STARTUP
    ran = []

    def broken():
        raise RuntimeError("no rules here")

    monkeypatch.setattr(services, "STARTUP", [broken, lambda: ran.append("after") or "done"])
    worker._starting()
    assert ran == ["after"]
    assert "broken failed" in caplog.text
