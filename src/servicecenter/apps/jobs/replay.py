"""A download built in the background: the worker calls the same view with the same person and
query (so the same access checks run again) and keeps the file it answers."""

from __future__ import annotations

import re

from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.base import SessionBase
from django.test import RequestFactory
from django.urls import resolve
from django.utils.translation import gettext as _

from servicecenter.apps.jobs.models import Job
from servicecenter.apps.jobs.services import JobRefused, Outcome, kind


def defer_download(request, label: str):
    from servicecenter.apps.jobs.views import begin

    back = request.headers.get("Referer", "") or request.path
    return begin(request, "download", label=_("File: %(what)s") % {"what": label},
                 key=f"download:{request.user.pk}:{request.get_full_path()}",
                 params={"path": request.path, "query": request.META.get("QUERY_STRING", "")}, back_url=back if back.startswith(("/", "http")) else "")


@kind("download", cancellable=True)
def download(job: Job) -> Outcome:
    params = job.params
    request = RequestFactory().get(params["path"] + (f"?{params['query']}" if params["query"] else ""), HTTP_ACCEPT_LANGUAGE=job.language)
    request.user = job.user
    request.session = SessionBase()
    request._messages = FallbackStorage(request)
    request.LANGUAGE_CODE = job.language
    request.servicecenter_job = job
    match = resolve(request.path_info)
    response = match.func(request, *match.args, **match.kwargs)
    if response.status_code != 200 or "attachment" not in response.get("Content-Disposition", ""):
        raise JobRefused(_("The file could not be made (the page answered %(status)s).") % {"status": response.status_code})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    found = re.search(r'filename="?([^";]+)"?', response["Content-Disposition"])
    return Outcome(file=(found.group(1) if found else "download", response.get("Content-Type", "application/octet-stream"), content))
