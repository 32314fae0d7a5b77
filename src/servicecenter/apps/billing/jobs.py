"""The billing work that takes seconds: a month's preview, its refresh and its issue. Started
from a page, the job ends on the run's page with a message; from the API (``params["api"]``),
its result is the run's state as the API shows it, and a refusal fails the job with its reason."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from servicecenter import clock
from servicecenter.apps.billing import services as billing
from servicecenter.apps.billing.importers import sweep_unlisted_batches
from servicecenter.apps.billing.models import BillingRun
from servicecenter.apps.jobs.models import Job
from servicecenter.apps.jobs.services import JobRefused, Outcome, at_start, housekeeping, kind
from servicecenter.core.periods import Period


def _done(job: Job, run: BillingRun, text: str) -> Outcome:
    result = {}
    if job.params.get("api"):
        from servicecenter.apps.billing.api import RunStateOut

        run.refresh_from_db()
        result = {"api": RunStateOut.from_orm(run).model_dump(mode="json")}
    return Outcome(url=reverse("billing-run", args=[run.pk]), messages=[("success", text)], result=result)


def _refused(job: Job, error: billing.BillingError, back: str) -> Outcome:
    if job.params.get("api"):
        raise JobRefused(str(error)) from error
    return Outcome(url=back, messages=[("error", str(error))])


@kind("billing.preview", cancellable=True, user_errors=(billing.BillingError,))
def preview(job: Job) -> Outcome:
    period = Period.parse_month(job.params["month"])
    issue_date = dt.date.fromisoformat(job.params["issue_date"]) if job.params.get("issue_date") else None
    try:
        run = billing.start_run(job.provider, period, job.user, issue_date=issue_date)
    except billing.BillingError as error:
        return _refused(job, error, reverse("billing"))
    return _done(job, run, _("The preview is ready: check it, then approve it."))


def _run_step(job: Job, step, text: str) -> Outcome:
    # the step reads the run again, locked; not its preview and documents twice (megabytes in a national month)
    run = BillingRun.objects.only("pk", "provider").get(pk=job.params["run"], provider=job.provider)
    try:
        step(run, job.user)
    except billing.BillingError as error:
        return _refused(job, error, reverse("billing-run", args=[run.pk]))
    return _done(job, run, text)


@kind("billing.refresh", cancellable=True, user_errors=(billing.BillingError,))
def refresh(job: Job) -> Outcome:
    return _run_step(job, billing.refresh, _("The preview was made again from today's usage and prices."))


# Issuing is all or nothing in one transaction (numbers included), so running it again after a
# worker died issues the run once; it is not stopped midway by a person, only by a fault.
@kind("billing.issue", cancellable=False, user_errors=(billing.BillingError,))
def issue(job: Job) -> Outcome:
    return _run_step(job, billing.issue, _("Issued. The invoices are frozen and numbered."))


# the folders a killed events import left, removed by the workers once an hour
housekeeping(every=3600)(sweep_unlisted_batches)


@at_start
def start_validation_workers() -> str:
    """The processes that validate a run's invoices, started with the worker: each compiles the
    official rule sets (a second or two) and checks a few documents before a person's first
    preview needs them. A server restarted between two months would otherwise make every month's
    first preview wait for that."""
    return f"{billing.validator().start_workers(clock.today())} validation processes"
