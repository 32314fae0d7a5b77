"""A job's page (its progress bar, live; its result when done), my recent jobs, cancelling and
the download of a job's file. Only the person who started a job sees it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicecenter import clock
from servicecenter.apps.jobs import services
from servicecenter.apps.jobs.models import Job


def _mine(request, pk) -> Job:
    job = get_object_or_404(Job, pk=pk)
    if job.user_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    return job


#: How often the page looks at a running job: often while it is young (most jobs end within
#: seconds, and a look every half second left the person waiting a quarter of a second on average
#: after the job was done), then less often (a long import's page would otherwise ask the server
#: five times a second for minutes).
POLL_FAST_MS, POLL_SLOW_MS, FAST_FOR_SECONDS = 200, 1000, 20


def poll_ms(job: Job) -> int:
    age = (clock.real_now() - job.created_at).total_seconds()
    return POLL_FAST_MS if age < FAST_FOR_SECONDS else POLL_SLOW_MS


def _context(job: Job) -> dict:
    state = services.read_progress(job)
    done, total = int(state.get("done") or 0), int(state.get("total") or 0)
    spec = services.KINDS.get(job.kind)
    return {"job": job, "done": done, "total": total, "text": state.get("text") or "",
            "percent": round(100 * done / total) if total else None, "poll_ms": poll_ms(job),
            "cancellable": job.active and spec is not None and spec.cancellable}


def _deliver(request, job: Job):
    """A finished job with a page to go to: its messages shown there, once."""
    for level, text in services.mark_seen(job, deliver=True):
        getattr(messages, level if level in ("success", "info", "warning", "error") else "info")(request, text)
    return redirect(job.result_url)


@login_required
def job_page(request, pk):
    job = services.looked_at(_mine(request, pk))
    if job.state == Job.State.DONE and job.result_url:
        return _deliver(request, job)
    # the first look at a job that made a file starts its download (a later one offers the link)
    context = {**_context(job), "autodownload": bool(job.result_file) and not job.seen}
    if job.finished and not job.seen:
        services.mark_seen(job)
    return render(request, "jobs/job.html", context)


@login_required
def job_progress(request, pk):
    """The progress fragment htmx polls; a finished job with a page sends the browser there.
    Rendered without the pages' context processors (the header's queries): the fragment shows
    none of it, and a running job's page asks five times a second while the job's own work
    wants the processor."""
    job = services.looked_at(_mine(request, pk))
    if job.state == Job.State.DONE and job.result_url:
        response = HttpResponse("")
        response["HX-Redirect"] = reverse("job", args=[job.pk])
        return response
    # polled while it ran and just ended with a file: the page starts the download itself
    context = {**_context(job), "autodownload": bool(job.result_file) and not job.seen}
    return HttpResponse(render_to_string("jobs/_progress.html", context))


@login_required
@require_POST
def job_cancel(request, pk):
    job = _mine(request, pk)
    if services.request_cancel(job):
        messages.info(request, _("Asked to stop: the job stops at its next step and writes nothing."))
    return redirect("job", pk=job.pk)


@login_required
def job_download(request, pk):
    job = _mine(request, pk)
    if job.state != Job.State.DONE or not job.result_file:
        raise Http404
    try:
        path = services.stored(job.result_file)
    except ValueError:
        raise Http404 from None
    if not path.exists():
        raise Http404
    services.mark_seen(job)
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.result_name, content_type=job.result_type or None)


@login_required
def job_list(request):
    jobs = list(Job.objects.filter(user=request.user)[:30])
    return render(request, "jobs/list.html", {"jobs": jobs})


def finished_notice(request) -> dict:
    """Context processor: my jobs that ended since I last looked (the header's notice)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    mine = Job.objects.filter(user=user)
    return {"jobs_finished": mine.filter(seen=False).exclude(state__in=Job.ACTIVE).count(),
            "jobs_running": mine.filter(state__in=Job.ACTIVE).count()}


def begin(request, kind_name: str, *, label: str, key: str, params: dict | None = None, provider=None, prepare=None, back_url: str = ""):
    """Start (or join) the job and send the browser to its page: what a view returns for work
    that can take more than a second."""
    job, new = services.start(kind_name, user=request.user, label=label, key=key, params=params, provider=provider,
                              back_url=back_url or request.get_full_path(), prepare=prepare)
    if not new:
        messages.info(request, _("This work is already running (started %(at)s): here is its progress.")
                      % {"at": job.created_at.strftime("%H:%M:%S")})
    return redirect("job", pk=job.pk)
