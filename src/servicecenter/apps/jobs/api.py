"""Background jobs in the API. A call that can take more than a second (a billing preview or
issue, an import, a cost model run, a new scenario, the optimiser) answers ``202 Accepted`` at
once with the job; ``GET /api/jobs/{id}`` tells how far it got and, when it is ``done``, holds in
``result`` what the call itself would have answered; a ``failed`` job's ``error`` says why."""

from __future__ import annotations

import uuid

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from servicecenter.apps.accounts.api import ERRORS
from servicecenter.apps.jobs import services
from servicecenter.apps.jobs.models import Job

router = Router()


class JobOut(Schema):
    id: str
    kind: str
    label: str
    state: str
    done: int
    total: int
    text: str
    error: str
    result: dict
    poll: str

    @staticmethod
    def resolve_id(job) -> str:
        return str(job.pk)

    @staticmethod
    def resolve_done(job) -> int:
        return int(_progress(job).get("done") or 0)

    @staticmethod
    def resolve_total(job) -> int:
        return int(_progress(job).get("total") or 0)

    @staticmethod
    def resolve_text(job) -> str:
        return str(_progress(job).get("text") or "")

    @staticmethod
    def resolve_result(job) -> dict:
        return job.result.get("api", {}) if job.state == Job.State.DONE else {}

    @staticmethod
    def resolve_poll(job) -> str:
        return f"/api/jobs/{job.pk}"


def _progress(job) -> dict:
    """The job's progress, read once per answer (done, total and text come from the same read)."""
    if not hasattr(job, "_progress_read"):
        job._progress_read = services.read_progress(job)
    return job._progress_read


#: the answers of a call that starts a job
STARTED = {202: JobOut, **ERRORS}


def accepted(request, kind_name: str, *, label: str, key: str, params: dict, provider=None, prepare=None):
    """Start (or join) the job; the 202 answer for the endpoint to return."""
    job, _new = services.start(kind_name, user=request.user, label=label, key=key, params={**params, "api": True}, provider=provider,
                               prepare=prepare)
    job.refresh_from_db()
    return Status(202, job)


@router.get("/jobs/{job_id}", response={200: JobOut, **ERRORS}, tags=["jobs"])
def get_job(request, job_id: uuid.UUID):
    """A job the caller started: its state, progress and, once done, its result."""
    mine = Job.objects.all() if request.user.is_superuser else Job.objects.filter(user=request.user)
    return services.looked_at(get_object_or_404(mine, pk=job_id))
