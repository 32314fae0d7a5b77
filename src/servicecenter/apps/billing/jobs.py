"""The billing work that takes seconds: a month's preview, its refresh and its issue."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from servicecenter.apps.billing import services as billing
from servicecenter.apps.billing.models import BillingRun
from servicecenter.apps.jobs.models import Job
from servicecenter.apps.jobs.services import Outcome, kind
from servicecenter.core.periods import Period


@kind("billing.preview", cancellable=True)
def preview(job: Job) -> Outcome:
    period = Period.parse_month(job.params["month"])
    try:
        run = billing.start_run(job.provider, period, job.user)
    except billing.BillingError as error:
        return Outcome(url=reverse("billing"), messages=[("error", str(error))])
    return Outcome(url=reverse("billing-run", args=[run.pk]), messages=[("success", _("The preview is ready: check it, then approve it."))])


def _run_step(job: Job, step, done: str) -> Outcome:
    run = BillingRun.objects.get(pk=job.params["run"], provider=job.provider)
    try:
        step(run, job.user)
    except billing.BillingError as error:
        return Outcome(url=reverse("billing-run", args=[run.pk]), messages=[("error", str(error))])
    return Outcome(url=reverse("billing-run", args=[run.pk]), messages=[("success", done)])


@kind("billing.refresh", cancellable=True)
def refresh(job: Job) -> Outcome:
    return _run_step(job, billing.refresh, _("The preview was made again from today's usage and prices."))


# Issuing is all or nothing in one transaction (numbers included), so running it again after a
# worker died issues the run once; it is not stopped midway by a person, only by a fault.
@kind("billing.issue", cancellable=False)
def issue(job: Job) -> Outcome:
    return _run_step(job, billing.issue, _("Issued. The invoices are frozen and numbered."))
