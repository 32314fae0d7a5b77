"""Network work that takes seconds: a new scenario (the network evaluated on its day) and the
optimiser (up to its 60-second limit)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from servicecenter.apps.jobs.models import Job
from servicecenter.apps.jobs.services import Outcome, kind
from servicecenter.apps.network import services
from servicecenter.apps.network.models import DemandSet
from servicecenter.core import progress


def _demand(pk) -> DemandSet | None:
    return DemandSet.objects.get(pk=pk) if pk else None


@kind("network.scenario", cancellable=False)
def create_scenario(job: Job) -> Outcome:
    params = job.params
    progress.step(_("Measuring the network on %(day)s") % {"day": params["day"]})
    scenario = services.create_scenario(job.provider, params["name"], dt.date.fromisoformat(params["day"]), job.user,
                                        demand_set=_demand(params.get("demand")))
    return Outcome(url=reverse("network-scenario", args=[scenario.pk]))


@kind("network.optimise", cancellable=False)
def optimise(job: Job) -> Outcome:
    params = job.params
    start = dt.date.fromisoformat(params["day"])
    progress.step(_("Measuring the network on %(day)s") % {"day": params["day"]})
    ctx = services.context(job.provider, start, _demand(params.get("demand")))
    progress.step(_("Solving: which offices to keep (at most a minute)"))
    page = f"{reverse('network-optimise')}?job={job.pk}"
    try:
        result = services.optimise(ctx, params)
    except services.FormError as error:
        return Outcome(url=page, result={"error": str(error), "params": params})
    offices = ctx.network.offices
    kept = {int(j) for j in result["open"]}
    if params.get("save"):
        closed = [offices[j] for j in range(len(offices)) if j not in kept]
        scenario = services.save_optimised(job.provider, ctx, closed, result["text"], start, dt.date(start.year + 1, 1, 1), job.user)
        return Outcome(url=reverse("network-scenario", args=[scenario.pk]))
    return Outcome(url=page, result={"params": params, "open": sorted(kept), "proven": bool(result["proven"]),
                                     "seconds": float(result["seconds"]), "text": str(result["text"])})
