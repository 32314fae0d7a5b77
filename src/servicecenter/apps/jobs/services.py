"""Starting, running and recovering background jobs.

An app declares a kind of job in its ``jobs`` module::

    @kind("billing.issue", label=..., retry=True)
    def issue(job: Job) -> Outcome: ...

and a view starts it with ``start(...)``, which returns at once with the job (a new one, or the
active one of the same key: two clicks are one job). The worker (``servicecenter worker``: the
django-tasks database worker) calls ``execute``; the work runs in its own transactions, so a
worker killed mid-job leaves nothing half written. Progress goes to a small file in the shared
storage directory, not to the database: the job's own transaction would hide it until the end,
and on SQLite a second writer would wait for it. ``sweep`` finds jobs whose worker died (no
heartbeat for ``STALE_AFTER`` seconds) and runs them again or marks them failed with the reason.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from servicecenter import clock
from servicecenter.apps.jobs.models import Job
from servicecenter.core import progress

logger = logging.getLogger(__name__)

#: seconds without a heartbeat after which a running job's worker is taken to be dead
STALE_AFTER = 30
HEARTBEAT_EVERY = 2.0
#: how often a job of a kind that may run again is tried before it is marked failed
MAX_ATTEMPTS = 2


class JobRefused(Exception):
    """The work was refused for a reason the person can act on (shown as the job's error)."""


@dataclass
class Outcome:
    url: str = ""                      # a page to go to when done
    file: tuple[str, str, bytes] | None = None   # (name, content type, content) to download
    messages: list[tuple[str, str]] = field(default_factory=list)   # (level, text)
    result: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Kind:
    name: str
    run: Callable[[Job], Outcome]
    retry: bool          # run again after a worker died (the work is idempotent)
    cancellable: bool    # may be stopped midway (its transaction rolls back)
    user_errors: tuple[type[BaseException], ...]


KINDS: dict[str, Kind] = {}
#: housekeeping the workers do now and then (``every`` seconds), declared by the apps
HOUSEKEEPING: list[tuple[Callable[[], object], float]] = []


def kind(name: str, *, retry: bool = True, cancellable: bool = True, user_errors: tuple[type[BaseException], ...] = ()):
    def register(function: Callable[[Job], Outcome]) -> Callable[[Job], Outcome]:
        KINDS[name] = Kind(name, function, retry, cancellable, (JobRefused, *user_errors))
        return function
    return register


#: what a worker that keeps running does once, in the background, when it starts (e.g. start the
#: processes that validate invoices, so that the first run of the day does not wait for them)
STARTUP: list[Callable[[], object]] = []


def at_start(function: Callable[[], object]) -> Callable[[], object]:
    STARTUP.append(function)
    return function


def housekeeping(every: float):
    def register(function: Callable[[], object]) -> Callable[[], object]:
        HOUSEKEEPING.append((function, every))
        return function
    return register


# --- the files beside the database: progress, cancel requests, uploads and results -------------

def storage_dir() -> Path:
    path = Path(settings.STORAGE_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _jobs_dir() -> Path:
    path = storage_dir() / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _progress_path(job_id) -> Path:
    return _jobs_dir() / f"{job_id}.progress.json"


def _cancel_path(job_id) -> Path:
    return _jobs_dir() / f"{job_id}.cancel"


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    partial.write_bytes(data)
    os.replace(partial, path)


def save_upload(job_id, name: str, data: bytes) -> str:
    """Keep an uploaded file for the worker (the request that brought it is gone when it runs)."""
    folder = storage_dir() / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{job_id}-{Path(name).name}"
    _write_atomically(path, data)
    return str(path.relative_to(storage_dir()))


def stored(relative: str) -> Path:
    path = (storage_dir() / relative).resolve()
    if storage_dir().resolve() not in path.parents:
        raise ValueError("outside the storage directory")
    return path


def read_progress(job: Job) -> dict:
    """``{"done", "total", "text", "heartbeat"}`` of a running job, or what it ended with."""
    if job.active:
        try:
            return json.loads(_progress_path(job.pk).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"done": 0, "total": 0, "text": "", "heartbeat": None}
    return {"done": job.done, "total": job.total, "text": job.text, "heartbeat": None}


def request_cancel(job: Job) -> bool:
    if not job.active or not KINDS[job.kind].cancellable:
        return False
    if job.state == Job.State.QUEUED:
        updated = Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(
            state=Job.State.CANCELLED, finished_at=clock.real_now(), error=_("Cancelled before it started."))
        if updated:
            return True
    _cancel_path(job.pk).touch()
    return True


def mark_seen(job: Job, *, deliver: bool = False) -> list:
    """The person has seen the finished job (the header's notice goes); ``deliver``: its messages
    are handed over now, once (returned)."""
    handed = list(job.messages) if deliver else []
    fields = {"seen": True, **({"messages": []} if deliver else {})}
    Job.objects.filter(pk=job.pk).update(**fields)
    return handed


# --- starting --------------------------------------------------------------------------------

def start(kind_name: str, *, user, label: str, key: str, params: dict | None = None, provider=None, back_url: str = "",
          prepare: Callable[[Job], None] | None = None) -> tuple[Job, bool]:
    """The job for ``key``: a new one queued now (``True``), or the one already waiting or running
    (``False``). ``prepare(job)`` runs before it is queued (e.g. to keep an uploaded file)."""
    if kind_name not in KINDS:
        raise KeyError(kind_name)
    if len(key) > 200:   # a key holds what the person typed (a name, a query): long ones by their digest
        key = f"{key[:120]}…{hashlib.sha256(key.encode()).hexdigest()}"
    job = Job(kind=kind_name, key=key, label=label[:300], user=user, provider=provider, params=params or {},
              language=(translation.get_language() or "sv")[:10], back_url=back_url if len(back_url) <= 500 else "")
    try:
        with transaction.atomic():
            if prepare:
                prepare(job)
            job.save(force_insert=True)
    except IntegrityError:
        existing = Job.objects.filter(key=key, state__in=Job.ACTIVE).first()
        if existing is None:      # it finished between the two statements: try once more
            return start(kind_name, user=user, label=label, key=key, params=params, provider=provider, back_url=back_url, prepare=prepare)
        return existing, False
    _enqueue(job)
    job.refresh_from_db()
    return job, True


def _enqueue(job: Job) -> None:
    from servicecenter.apps.jobs.tasks import run_job

    result = run_job.enqueue(str(job.pk))
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


# --- running ---------------------------------------------------------------------------------

class _Reporter:
    """Writes progress and a heartbeat to the job's file; raises Cancelled when asked to stop."""

    def __init__(self, job: Job):
        self.job = job
        self.state = {"done": 0, "total": 0, "text": "", "heartbeat": clock.wall()}
        self.written = 0.0
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.cancellable = KINDS[job.kind].cancellable

    def __call__(self, done: int, total: int, text: str = "") -> None:
        with self.lock:
            self.state.update(done=done, total=total, text=text or self.state["text"])
            if time.monotonic() - self.written >= 0.25 or (total and done >= total):
                self._write()
        if self.cancellable and _cancel_path(self.job.pk).exists():
            raise progress.Cancelled

    def _write(self) -> None:
        self.state["heartbeat"] = clock.wall()
        _write_atomically(_progress_path(self.job.pk), json.dumps(self.state).encode())
        self.written = time.monotonic()

    def beat(self) -> None:
        while not self.stopped.wait(HEARTBEAT_EVERY):
            with self.lock:
                self._write()


def execute(job_id: str) -> str:
    """Run the job (the task the worker calls). Returns its final state."""
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=clock.real_now(), worker=f"{socket.gethostname()}:{os.getpid()}")
    if not claimed:
        return Job.objects.filter(pk=job_id).values_list("state", flat=True).first() or "missing"
    job = Job.objects.select_related("user", "provider").get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(attempts=job.attempts + 1)
    spec = KINDS[job.kind]
    reporter = _Reporter(job)
    with reporter.lock:
        reporter._write()
    beat = threading.Thread(target=reporter.beat, daemon=True, name=f"job-heartbeat-{job.pk}")
    beat.start()
    fields: dict = {}
    try:
        with translation.override(job.language), progress.listening(reporter):
            outcome = spec.run(job)
        fields = _outcome_fields(job, outcome)
        fields["state"] = Job.State.DONE
    except progress.Cancelled:
        fields = {"state": Job.State.CANCELLED, "error": _("Cancelled; nothing was written.")}
    except spec.user_errors as error:
        fields = {"state": Job.State.FAILED, "error": str(error)}
    except Exception as error:   # the job fails with its reason; the worker goes on
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        fields = {"state": Job.State.FAILED, "error": _("An unexpected error stopped the job; nothing was written. (%(error)s)")
                  % {"error": f"{type(error).__name__}: {error}"[:500]}}
    finally:
        reporter.stopped.set()
        beat.join(timeout=5)
    final = reporter.state
    Job.objects.filter(pk=job.pk).update(finished_at=clock.real_now(), done=final["done"], total=final["total"], text=final["text"][:300], **fields)
    for path in (_progress_path(job.pk), _cancel_path(job.pk)):
        path.unlink(missing_ok=True)
    return fields["state"]


def _outcome_fields(job: Job, outcome: Outcome) -> dict:
    fields = {"result_url": outcome.url if len(outcome.url) <= 500 else "", "messages": [list(m) for m in outcome.messages], "result": outcome.result}
    if outcome.file is not None:
        name, content_type, content = outcome.file
        folder = storage_dir() / "results"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{job.pk}-{Path(name).name}"
        _write_atomically(path, content)
        fields.update(result_file=str(path.relative_to(storage_dir()))[:500], result_name=name[:200], result_type=content_type[:120])
    return fields


# --- recovering ------------------------------------------------------------------------------

def _alive_here(worker: str) -> bool | None:
    """Whether the process of ``worker`` ("host:pid") lives; None when it is on another host."""
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stopped(job: Job, now: float | None = None) -> bool:
    """Whether the worker running ``job`` looks stopped: its process on this host is gone, or (on
    another host) its heartbeat is older than ``STALE_AFTER``. What a look at a job asks before a
    ``sweep``: a look every fifth of a second at a job whose worker lives costs no query of the
    other running jobs."""
    alive = _alive_here(job.worker)
    if alive is not None:
        return not alive
    beat = read_progress(job).get("heartbeat")
    if beat is None:
        return not (job.started_at and (clock.real_now() - job.started_at).total_seconds() < STALE_AFTER)
    return (now or clock.wall()) - float(beat) > STALE_AFTER


def looked_at(job: Job) -> Job:
    """``job`` as a person (page or API) sees it: a running job whose worker stopped is first taken
    up again (or failed) by a sweep, when anyone looks, not only when a worker's sweeper comes round."""
    if job.state == Job.State.RUNNING and stopped(job):
        sweep()
        job.refresh_from_db()
    return job


def sweep(now: float | None = None) -> list[Job]:
    """Jobs whose worker died: queued again when their kind may run again and attempts are left,
    otherwise failed with the reason. A dead worker's transaction was rolled back by the database."""
    now = now or clock.wall()
    recovered = []
    for job in Job.objects.filter(state=Job.State.RUNNING):
        if not stopped(job, now):
            continue
        spec = KINDS.get(job.kind)
        again = spec is not None and spec.retry and job.attempts < MAX_ATTEMPTS
        with translation.override(job.language):
            if again:
                changed = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, worker=job.worker).update(
                    state=Job.State.QUEUED, worker="", text=_("The worker stopped; the job runs again."))
            else:
                changed = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, worker=job.worker).update(
                    state=Job.State.FAILED, finished_at=clock.real_now(),
                    error=_("The worker running the job stopped (attempt %(attempt)s); nothing of it was written. Start it again.")
                    % {"attempt": job.attempts})
        if not changed:
            continue
        _progress_path(job.pk).unlink(missing_ok=True)
        _mark_task_failed(job)
        if again:
            _enqueue(job)
        job.refresh_from_db()
        recovered.append(job)
    return recovered


def _mark_task_failed(job: Job) -> None:
    """The queue's row of the dead attempt is closed too (django-tasks-db leaves it RUNNING)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:    # another backend
        return
    if not job.task_id:    # never queued (its enqueueing failed): no row to close
        return
    DBTaskResult.objects.filter(id=job.task_id, status="RUNNING").update(status="FAILED", finished_at=clock.real_now(),
                                                                       exception_class_path="servicecenter.WorkerDied")


def queue_state() -> dict:
    """For the health endpoint: how many jobs wait and run, and how old the oldest waiting one is."""
    from django.db.models import Count, Min

    counts = dict(Job.objects.filter(state__in=Job.ACTIVE).values_list("state").annotate(n=Count("pk")))
    oldest = Job.objects.filter(state=Job.State.QUEUED).aggregate(at=Min("created_at"))["at"]
    return {"queued": counts.get(Job.State.QUEUED, 0), "running": counts.get(Job.State.RUNNING, 0),
            "oldest_queued_seconds": round((clock.real_now() - oldest).total_seconds()) if oldest else 0}
