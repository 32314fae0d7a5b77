"""Cost work that can take seconds: running a cost model (every allocation step, balanced)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from servicecenter.apps.costing import services as costing
from servicecenter.apps.costing.models import CostModel
from servicecenter.apps.jobs.models import Job
from servicecenter.apps.jobs.services import JobRefused, Outcome, kind
from servicecenter.core.costing import AllocationError


@kind("costing.run", cancellable=True)
def run_model(job: Job) -> Outcome:
    model = CostModel.objects.select_related("provider").get(pk=job.params["model"], provider=job.provider)
    try:
        run = costing.run_cost_model(model, job.user)
    except AllocationError as error:
        problems = [problem.message(job.language[:2]) for problem in error.problems]
        if job.params.get("api"):
            raise JobRefused(" ".join(problems)) from error
        return Outcome(url=reverse("costing-model", args=[model.pk]), messages=[("error", text) for text in problems])
    result = {}
    if job.params.get("api"):
        from servicecenter.apps.costing.api import RunOut

        result = {"api": RunOut.from_orm(run).model_dump(mode="json")}
    return Outcome(url=reverse("costing-run", args=[run.pk]), messages=[("success", _("The model was run. Every step balances to the öre."))],
                   result=result)
