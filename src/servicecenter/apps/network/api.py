"""The office network API: offices and scenario consequences."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from servicecenter.apps.accounts.access import Capability
from servicecenter.apps.accounts.api import (
    ID,
    answers,
    scope,
)
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

