"""The follow-up API: indicator definitions and values."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from servicecenter.apps.accounts.access import Capability
from servicecenter.apps.accounts.api import (
    answers,
    scope,
)
from servicecenter.apps.registry.models import Provider
from servicecenter.core import limits

router = Router()


class IndicatorOut(Schema):
    code: str
    version: int
    valid_from: int
    family: str
    name_sv: str
    name_en: str
    numerator: str
    denominator: str
    factor: Decimal
    unit: str
    decimals: int
    direction: str
    target: Decimal | None
    reference: Decimal | None
    levels: str
    aggregation: str
    sensitive: bool


class IndicatorValueOut(Schema):
    indicator: str
    level: str
    subject: str
    year: int
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    status: str


def _followup_provider(request, provider: str):
    current = scope(request).require(Capability.VIEW_ALL_CUSTOMERS)
    return get_object_or_404(Provider.objects.visible_to(current), code=provider)


@router.get("/indicators", response=answers(list[IndicatorOut]), tags=["follow-up"])
def list_indicators(request, provider: str):
    """Every version of every indicator definition of a provider."""
    from servicecenter.apps.followup.models import IndicatorDefinition

    return list(IndicatorDefinition.objects.filter(provider=_followup_provider(request, provider)).order_by("family", "position", "code", "version"))


@router.get("/indicators/values", response=answers(list[IndicatorValueOut]), tags=["follow-up"])
def list_indicator_values(request, provider: str, family: str, level: str = "organisation"):
    """Values of a family at a level, each year, for each subject (alphabetical, never ranked).
    A value that cannot be computed has ``value`` null and says why in ``status``. Restricted
    items are left out unless the caller may read the restricted annex."""
    from servicecenter.apps.followup import services as followup
    from servicecenter.apps.followup.models import DataPoint

    chosen = _followup_provider(request, provider)
    if level not in ("service", "supplier", "office", "customer", "organisation"):
        raise HttpError(422, "unknown level")
    years = sorted(set(DataPoint.objects.filter(provider=chosen).values_list("year", flat=True)))
    cells = followup.evaluate_family(chosen, family, level, years, include_restricted=scope(request).can(Capability.RUN_COSTING))
    return [IndicatorValueOut(indicator=c.definition.code, level=level, subject=c.subject, year=v.period, value=v.value, numerator=v.numerator,
                              denominator=v.denominator, status=v.status.value) for c in cells for v in c.values]



class IndicatorIn(Schema):
    provider: str
    name_sv: str
    numerator: str
    valid_from: int = Field(..., ge=int(limits.YEAR.low), le=int(limits.YEAR.high))
    levels: list[Literal["service", "supplier", "office", "customer", "organisation"]] = ["organisation"]
    name_en: str = ""
    code: str = ""
    denominator: str = ""
    factor: Annotated[Decimal, Field(gt=0, le=10**6, decimal_places=4)] = Decimal(1)
    unit: str = ""
    decimals: int = Field(1, ge=0, le=6)
    direction: Literal["up", "down", "none"] = "none"
    target: Annotated[Decimal, Field(ge=-(10**12), le=10**12, decimal_places=4)] | None = None
    goal: str = ""


@router.post("/indicators", response=answers(IndicatorOut), tags=["follow-up"])
def define_indicator(request, body: IndicatorIn):
    """Define an own indicator (version 1, or the next version of ``code`` from a later year),
    as the definitions page does; a refused definition is a 400 naming the field."""
    from servicecenter.apps.followup.defining import DefinitionError
    from servicecenter.apps.followup.defining import define_indicator as define
    from servicecenter.apps.followup.models import Goal

    caller = scope(request).require(Capability.RUN_COSTING)
    provider = get_object_or_404(Provider.objects.visible_to(caller), code=body.provider)
    goal = Goal.objects.filter(provider=provider, code=body.goal).first() if body.goal else None
    if body.goal and goal is None:
        raise DefinitionError(f"goal: no goal with the code {body.goal!r}", "goal")
    values = body.dict(exclude={"provider", "goal", "levels"})
    return define(provider, goal=goal, levels=list(body.levels), user=request.user, **values)
