"""An import as a background job: the uploaded file waits in the storage directory; the report
is the import's log entry (ImportRun), shown on the import page."""

from __future__ import annotations

from django.urls import reverse

from servicecenter.apps.imports.base import run_import
from servicecenter.apps.jobs.models import Job
from servicecenter.apps.jobs.services import Outcome, kind, stored


@kind("imports.run", cancellable=True)
def import_file(job: Job) -> Outcome:
    params = job.params
    path = stored(params["path"])
    try:
        report = run_import(params["kind"], path.read_bytes(), params["name"], provider=job.provider, user=job.user,
                            dry_run=params["dry_run"], replace=params["replace"])
    finally:   # kept until here: a worker that dies midway runs the job again from the file
        path.unlink(missing_ok=True)
    result = {"run": report.run_id, "status": report.status}
    if params.get("api"):   # what POST /api/imports/{kind} answered when it ran in the request
        language = params.get("language", "sv")
        result["api"] = {"status": report.status, "rows": report.rows, "counts": report.counts,
                         "problems": [{"code": p.code, "row": p.row, "column": p.column, "severity": p.severity.value, "message": p.describe(language)}
                                      for p in report.problems]}
    return Outcome(url=f"{reverse('import')}?kind={params['kind']}&run={report.run_id}#report", result=result)
