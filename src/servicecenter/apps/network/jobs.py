"""Network work that takes seconds: a new scenario (the network evaluated on its day) and the
optimiser (up to its 60-second limit)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from servicecenter.apps.jobs.models import Job
from servicecenter.apps.jobs.services import JobRefused, Outcome, kind
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
    result = {}
    if params.get("api"):
        from servicecenter.apps.network.api import ScenarioCreated

        result = {"api": ScenarioCreated.from_orm(scenario).model_dump(mode="json")}
    return Outcome(url=reverse("network-scenario", args=[scenario.pk]), result=result)


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
        if params.get("api"):
            raise JobRefused(str(error)) from error
        return Outcome(url=page, result={"error": str(error), "params": params})
    offices = ctx.network.offices
    kept = {int(j) for j in result["open"]}
    closed = [offices[j] for j in range(len(offices)) if j not in kept]
    scenario = None
    if params.get("save"):
        scenario = services.save_optimised(job.provider, ctx, closed, result["text"], start, dt.date(start.year + 1, 1, 1), job.user)
    if params.get("api"):   # what POST /api/network/optimise answered when it ran in the request
        return Outcome(url=reverse("network-scenario", args=[scenario.pk]) if scenario else page, result={"api": {
            "open": [offices[j].code for j in sorted(kept)], "closed": [o.code for o in closed], "text": str(result["text"]),
            "proven": bool(result["proven"]), "seconds": float(result["seconds"]), "scenario": scenario.pk if scenario else None}})
    if scenario is not None:
        return Outcome(url=reverse("network-scenario", args=[scenario.pk]))
    return Outcome(url=page, result={"params": params, "open": sorted(kept), "proven": bool(result["proven"]),
                                     "seconds": float(result["seconds"]), "text": str(result["text"])})
