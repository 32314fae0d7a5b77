"""The import API: check or apply a file of any kind."""

from __future__ import annotations

import hashlib

from django.conf import settings
from ninja import File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from servicecenter.apps.accounts.api import (
    scope,
)
from servicecenter.apps.imports.base import IMPORTERS
from servicecenter.apps.jobs.api import STARTED, accepted
from servicecenter.apps.jobs.services import save_upload
from servicecenter.apps.registry.models import Provider

router = Router()


class ProblemOut(Schema):
    code: str
    row: int | None
    column: str | None
    severity: str
    message: str


class ImportOut(Schema):
    status: str
    rows: int
    counts: dict[str, int]
    problems: list[ProblemOut]


@router.post("/imports/{kind}", response=STARTED, tags=["imports"])
def post_import(request, kind: str, file: File[UploadedFile], provider: Form[str] = "", dry_run: Form[bool] = True, language: Form[str] = "sv",
                replace: Form[bool] = False):
    """Check (``dry_run``, the default) or apply a file, in a background job (202): the job's
    ``result`` is the report (ImportOut: status, rows, counts, every problem). ``replace``: stored
    data the file replaces (a ledger year) may go; without it such a file is refused, saying how
    many rows go and come."""
    caller = scope(request)
    if file.size is not None and file.size > settings.MAX_IMPORT_UPLOAD_BYTES:
        raise HttpError(413, f"the file is larger than {settings.MAX_IMPORT_UPLOAD_BYTES // (1024 * 1024)} MB")
    if kind not in IMPORTERS:
        raise HttpError(404, f"unknown import kind {kind!r}; known: {', '.join(sorted(IMPORTERS))}")
    caller.require(IMPORTERS[kind].capability)
    providers = Provider.objects.visible_to(caller)
    chosen = providers.filter(code=provider).first() if provider else (providers.first() if providers.count() == 1 else None)
    if chosen is None:
        raise HttpError(422, "name the provider (form field 'provider')")
    data = file.read()

    def keep_file(job):
        job.params["path"] = save_upload(job.pk, file.name, data)

    return accepted(request, "imports.run", label=f"{'Check' if dry_run else 'Import'} {file.name} ({kind})",
                    key=f"import:{chosen.pk}:{kind}:{hashlib.sha256(data).hexdigest()}:{dry_run}:{replace}", provider=chosen, prepare=keep_file,
                    params={"kind": kind, "name": file.name, "dry_run": dry_run, "replace": replace, "language": language})
