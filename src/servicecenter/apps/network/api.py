"""The office network API: offices and scenario consequences."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Router, Schema

from servicecenter.apps.accounts.access import Capability
from servicecenter.apps.accounts.api import (
    ID,
    answers,
    scope,
)
from servicecenter.apps.jobs.api import STARTED, accepted
from servicecenter.apps.registry.models import Provider

router = Router()


class OfficeOut(Schema):
    code: str
    name: str
    lon: Decimal
    lat: Decimal
    municipality: str
    fa_region: str
    region: str
    category: str
    preparedness: bool
    opened: date | None
    closed: date | None
    lease_end: date | None
    yearly_cost: Decimal
    capacity: int


class ScenarioOut(Schema):
    id: int
    name: str
    offices_before: int
    offices_after: int
    mean_km_before: float
    mean_km_after: float
    p90_km_after: float
    visits_lost: int
    savings: dict[int, Decimal]
    required: dict[int, Decimal]
    flags: list[dict[str, str]]


def _network_provider(request, provider: str):
    current = scope(request).require(Capability.VIEW_COSTS)
    return get_object_or_404(Provider.objects.visible_to(current), code=provider)


@router.get("/network/offices", response=answers(list[OfficeOut]), tags=["office network"])
def list_offices(request, provider: str):
    """The office register, open and closed, with municipality and FA-region (2015)."""
    from servicecenter.apps.network.models import Office

    chosen = _network_provider(request, provider)
    return [OfficeOut(code=o.code, name=o.name, lon=o.lon, lat=o.lat, municipality=o.municipality.code, fa_region=o.municipality.fa_region.code,
                      region=o.region, category=o.category, preparedness=o.preparedness, opened=o.opened, closed=o.closed,
                      lease_end=o.lease_end, yearly_cost=o.yearly_cost, capacity=o.capacity)
            for o in Office.objects.filter(provider=chosen).select_related("municipality__fa_region").order_by("code")]


@router.get("/network/scenarios/{scenario_id}", response=answers(ScenarioOut), tags=["office network"])
def scenario_result(request, provider: str, scenario_id: int = ID):
    """A scenario's consequences: accessibility before and after, lost visits, savings per year
    against the required path, and the flags the ordinances require."""
    from servicecenter.apps.network import services as network
    from servicecenter.apps.network.models import Scenario

    chosen = _network_provider(request, provider)
    scenario = get_object_or_404(Scenario, pk=scenario_id, provider=chosen)
    _ctx, r = network.evaluate(scenario)
    return ScenarioOut(id=scenario.pk, name=scenario.name, offices_before=r.open_before, offices_after=r.open_after,
                       mean_km_before=r.before.overall.mean_km, mean_km_after=r.after.overall.mean_km, p90_km_after=r.after.overall.p90_km,
                       visits_lost=r.visits_lost, savings=dict(r.savings), required=dict(r.required),
                       flags=[{"code": f.code, "office": f.office, "subject": f.subject, "rule": f.rule} for f in r.flags])



# --- writes: scenarios, their changes and the optimiser (the planner's work, as on the pages) ----

class ScenarioIn(Schema):
    name: str
    base_date: date
    demand_set: int | None = None      # an imported population grid; empty: the localities shipped with the product


class ScenarioCreated(Schema):
    id: int
    name: str
    base_date: date
    demand_set: int | None

    @staticmethod
    def resolve_demand_set(obj):
        return obj.demand_set_id


class ChangeIn(Schema):
    action: str                        # close, downgrade, move, add, remove
    office: str = ""                   # the office's code (close, downgrade, move)
    from_date: date | None = None      # from when; empty: the scenario's base date
    category: str = ""                 # downgrade, add
    saving: str = ""                   # downgrade: saving a year (kr)
    cost: str = ""                     # add: cost a year (kr)
    lon: str = ""                      # move, add: WGS 84
    lat: str = ""
    name: str = ""                     # add
    change: int | None = None          # remove: the change's id


class ChangeOut(Schema):
    id: int
    kind: str
    office: str | None
    from_date: date


class OptimiseIn(Schema):
    close: int
    day: date | None = None            # the network open on this day; empty: today
    demand_set: int | None = None
    objective: str = "median"          # median (p-median) or cover (maximal covering)
    radius: str = "20"                 # cover: km
    keep_full: bool = True             # full-service offices stay open
    fa_rule: str = "hard"              # hard, soft or none: an office in every FA-region
    savings: str = ""                  # median: a savings target, Mkr a year
    save: bool = False                 # save the proposal as a scenario closing from the next 1 January


class OptimiseOut(Schema):
    open: list[str]
    closed: list[str]
    text: str
    proven: bool
    seconds: float
    scenario: int | None


def _planner(request, provider: str):
    current = scope(request).require(Capability.PLAN_NETWORK)
    return get_object_or_404(Provider.objects.visible_to(current), code=provider)


def _demand(demand_set: int | None):
    from servicecenter.apps.network.models import DemandSet

    return get_object_or_404(DemandSet, pk=demand_set) if demand_set else None


@router.post("/network/scenarios", response=STARTED, tags=["office network"])
def create_scenario(request, provider: str, body: ScenarioIn):
    """A new scenario of the network on ``base_date``, measured against the chosen demand, made
    by a background job (202; its result is the scenario, ScenarioCreated)."""
    from servicecenter.apps.network import services as network

    chosen = _planner(request, provider)
    name = body.name.strip()
    if not name:
        raise network.FormError("name: a scenario needs a name")
    demand = _demand(body.demand_set)
    return accepted(request, "network.scenario", label=gettext("New scenario %(name)s") % {"name": name},
                    key=f"network.scenario:{chosen.pk}:{request.user.pk}:{name}:{body.base_date}", provider=chosen,
                    params={"name": name, "day": body.base_date.isoformat(), "demand": demand.pk if demand else None})


@router.post("/network/scenarios/{scenario_id}/changes", response=answers(list[ChangeOut]), tags=["office network"])
def change_scenario(request, provider: str, body: ChangeIn, scenario_id: int = ID):
    """One change of the scenario builder (close, downgrade, move or add an office, or remove a
    change); the scenario's changes after it. A refusal names what is wrong; nothing is written."""
    from servicecenter.apps.network import services as network
    from servicecenter.apps.network.models import Scenario

    chosen = _planner(request, provider)
    scenario = get_object_or_404(Scenario, pk=scenario_id, provider=chosen)
    fields = {name: ("" if value is None else str(value)) for name, value in body.dict().items()}
    fields["date"] = fields.pop("from_date")
    if body.action not in ("close", "downgrade", "move", "add", "remove"):
        raise network.FormError("action: one of close, downgrade, move, add, remove")
    refusal = network.change_scenario(scenario, fields, user=request.user)
    if refusal:
        raise network.FormError(refusal)
    return [ChangeOut(id=c.pk, kind=c.kind, office=c.office.code if c.office_id else None, from_date=c.date)
            for c in scenario.changes.select_related("office").order_by("date", "pk")]


@router.post("/network/optimise", response=STARTED, tags=["office network"])
def optimise(request, provider: str, body: OptimiseIn):
    """The optimiser as on its page, in a background job (202; it may take its full minute): its
    result says which offices to keep when ``close`` close (OptimiseOut); with ``save`` the
    proposal becomes a scenario. Input the optimiser refuses fails the job with the reason."""
    from servicecenter import clock

    chosen = _planner(request, provider)
    demand = _demand(body.demand_set)
    params = {"close": body.close, "objective": body.objective, "radius": body.radius, "keep_full": body.keep_full, "fa_rule": body.fa_rule,
              "savings": body.savings, "day": (body.day or clock.today()).isoformat(), "demand": demand.pk if demand else None, "save": body.save}
    return accepted(request, "network.optimise", label=gettext("Optimise the office network (%(close)s to close)") % {"close": body.close},
                    key=f"network.optimise:{chosen.pk}:{request.user.pk}:{sorted(params.items())}", provider=chosen, params=params)
