"""The costing API: price lists, cost model runs, the trace of a customer's charge."""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from servicecenter.apps.accounts.access import Capability
from servicecenter.apps.accounts.api import (
    ID,
    YEAR_QUERY,
    answers,
    scope,
)
from servicecenter.apps.costing.models import AllocationRun, PriceList
from servicecenter.apps.registry.models import Customer

router = Router()


class PriceEntryOut(Schema):
    service_code: str
    price_type: str
    unit_price: Decimal | None
    fixed_pool: Decimal | None

    @staticmethod
    def resolve_service_code(obj):
        return obj.service.code

    @staticmethod
    def resolve_price_type(obj) -> str:
        """The entry's price types, comma-separated (per_unit, tiered, package, base_fee,
        fixed_keyed, reimbursement, connection, pass_through, discount)."""
        return ",".join(price_type.value for price_type in obj.price_types)


class PriceListOut(Schema):
    id: int
    provider: str
    year: int
    name: str
    status: str
    entries: list[PriceEntryOut]

    @staticmethod
    def resolve_provider(obj):
        return obj.provider.code

    @staticmethod
    def resolve_entries(obj):
        return list(obj.entries.select_related("service"))


class StepReportOut(Schema):
    name: str
    method: str
    before: Decimal
    after: Decimal
    moved: Decimal
    balanced: bool


class RunOut(Schema):
    id: int
    model: str
    year: int
    total: Decimal
    steps: list[StepReportOut]

    @staticmethod
    def resolve_model(obj):
        return obj.model.name

    @staticmethod
    def resolve_year(obj):
        return obj.model.year

    @staticmethod
    def resolve_steps(obj):
        return obj.reports


class TraceOriginOut(Schema):
    pool: str
    amount: Decimal


class TraceOut(Schema):
    service_code: str
    amount: Decimal
    origins: list[TraceOriginOut]


@router.get("/price-lists", response=answers(list[PriceListOut]), tags=["costing"])
def list_price_lists(request, year: int | None = YEAR_QUERY):
    lists = PriceList.objects.visible_to(scope(request)).select_related("provider").order_by("-year", "name")
    return list(lists.filter(year=year) if year is not None else lists)


@router.get("/costing/runs/{run_id}", response=answers(RunOut), tags=["costing"])
def get_run(request, run_id: int = ID):
    return get_object_or_404(AllocationRun.objects.visible_to(scope(request)).select_related("model"), pk=run_id)


@router.get("/costing/trace/{customer_id}", response=answers(list[TraceOut]), tags=["costing"])
def get_trace(request, customer_id: int = ID):
    from servicecenter.apps.costing.services import customer_trace

    caller = scope(request).require(Capability.VIEW_COSTS)
    customer = get_object_or_404(Customer.objects.visible_to(caller), pk=customer_id)
    run = AllocationRun.objects.visible_to(caller).filter(model__provider=customer.provider).first()
    if run is None:
        return []
    return [{"service_code": row["service"], "amount": row["amount"], "origins": [{"pool": origin, "amount": amount} for origin, amount, _ in row["origins"]]}
            for row in customer_trace(run, customer)]

