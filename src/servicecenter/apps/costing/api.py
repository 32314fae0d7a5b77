"""The costing API: price lists, cost model runs, the trace of a customer's charge."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Field, Router, Schema

from servicecenter.apps.accounts.access import Capability
from servicecenter.apps.accounts.api import (
    ID,
    YEAR_QUERY,
    answers,
    scope,
)
from servicecenter.apps.costing.models import AllocationRun, PriceList
from servicecenter.apps.jobs.api import STARTED, accepted
from servicecenter.apps.registry.models import Customer
from servicecenter.core import limits

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


class TraceLedgerOut(Schema):
    account: str
    cost_centre: str
    row_amount: Decimal = Field(description="the ledger row's amount in the pool")
    amount: Decimal | None = Field(description="its part in this customer's charge (the row × the pool's share)")


class TraceOriginOut(Schema):
    pool: str
    pool_cost: Decimal
    share: Decimal | None = Field(description="the part of the pool's cost that ends up with this customer")
    amount: Decimal
    ledger: list[TraceLedgerOut] = []


class TraceChargeOut(Schema):
    step: str
    key: str
    source: str
    quantity: Decimal = Field(description="the customer's driver quantity (its weight in the key)")
    total: Decimal = Field(description="the key's total over all the service's customers")
    share: Decimal | None
    source_cost: Decimal
    amount: Decimal


class TraceIntoOut(Schema):
    step: str
    key: str
    source: str
    weight: Decimal
    total: Decimal
    share: Decimal | None
    amount: Decimal


class TraceInvoiceLineOut(Schema):
    invoice: str
    month: str
    quantity: Decimal
    unit_code: str
    unit_price: Decimal
    amount: Decimal


class TraceOut(Schema):
    service_code: str
    service: str
    amount: Decimal = Field(description="the customer's self-cost of the service for the model's year")
    unit_cost: Decimal | None
    unit_price: Decimal | None = Field(description="what was charged per unit in the period")
    invoiced_quantity: Decimal
    invoiced_amount: Decimal
    charge: TraceChargeOut | None
    into: list[TraceIntoOut]
    origins: list[TraceOriginOut]
    invoice_lines: list[TraceInvoiceLineOut]


class TraceAnswerOut(Schema):
    run_id: int | None
    model: str
    year: int | None
    period: str
    services: list[TraceOut]


@router.get("/price-lists", response=answers(list[PriceListOut]), tags=["costing"])
def list_price_lists(request, year: int | None = YEAR_QUERY):
    lists = PriceList.objects.visible_to(scope(request)).select_related("provider").order_by("-year", "name")
    return list(lists.filter(year=year) if year is not None else lists)


@router.get("/costing/runs/{run_id}", response=answers(RunOut), tags=["costing"])
def get_run(request, run_id: int = ID):
    return get_object_or_404(AllocationRun.objects.visible_to(scope(request)).select_related("model"), pk=run_id)


@router.get("/costing/trace/{customer_id}", response=answers(TraceAnswerOut), tags=["costing"])
def get_trace(request, customer_id: int = ID, run: int | None = None, period: str = ""):
    """Why the customer pays what it pays (the page /costing/trace/ID/): per service the invoice
    lines and price of ``period`` (YYYY-MM, or the model's year), the self-cost per unit, the key
    that shared the service's cost with the customer's quantity and share, and the pools down to
    their ledger rows. ``run``: a cost model run (default: the latest of the actual version). A
    customer contact gets its own organisation's trace and no other."""
    from servicecenter.apps.costing.trace import trace_context

    caller = scope(request)
    if not caller.is_customer_contact:
        caller.require(Capability.VIEW_COSTS)
    customer = get_object_or_404(Customer.objects.visible_to(caller), pk=customer_id)
    context = trace_context(caller, customer, run, period)
    chosen = context["run"]
    ledger = caller.can(Capability.VIEW_COSTS)
    return {"run_id": chosen.pk if chosen else None, "model": chosen.model.name if chosen else "", "year": chosen.model.year if chosen else None,
            "period": context["period"] or "",
            "services": [{"service_code": row["service"], "service": row["name"], "amount": row["amount"], "unit_cost": row["unit_cost"],
                          "unit_price": row["unit_price"], "invoiced_quantity": row["invoiced_quantity"], "invoiced_amount": row["invoiced_amount"],
                          "charge": row["charge"], "into": row["into"],
                          "origins": [{**o, "ledger": [{"account": a, "cost_centre": c, "row_amount": v, "amount": p} for a, c, v, p in o["ledger"]] if ledger else []}
                                      for o in row["origins"]],
                          "invoice_lines": [{"invoice": line.invoice.number_text, "month": f"{line.period_start:%Y-%m}", "quantity": line.quantity,
                                             "unit_code": line.unit_code, "unit_price": line.unit_price, "amount": line.amount} for line in row["invoiced"]]}
                         for row in context["rows"]]}



# --- writes: a controller scripts the cost model and the price list of its year ------------------
# Each write calls the same service as the page (``costing.setup``, ``costing.pricing``), with the
# same permission (run costing) and the same checks; a refused change is a 400 naming the field.
# Numbers are bounded by the domain's limits (a 422 naming the field, never a database overflow).

def _bounded(limit):
    return Annotated[Decimal, Field(ge=limit.low, le=limit.high, decimal_places=limit.places)]


FEE = _bounded(limits.FEE)
COST = _bounded(limits.COST)
QUANTITY = _bounded(limits.QUANTITY)
SHARE = _bounded(limits.SHARE)
WEIGHT = _bounded(limits.WEIGHT)

class PoolIn(Schema):
    provider: str = ""
    name: str
    kind: str
    code: str = ""
    process: str = ""
    area: QUANTITY | None = None
    staff: _bounded(limits.FTE) | None = None


class PoolOut(Schema):
    id: int
    code: str
    name: str
    kind: str


class RuleIn(Schema):
    account_from: str
    account_to: str = ""
    cost_centre: str = ""


class KeyIn(Schema):
    provider: str = ""
    name: str
    basis: str
    computed: bool = False
    receivers: str = "pools"
    service: str = ""
    code: str = ""


class KeyOut(Schema):
    id: int
    code: str
    name: str
    basis: str
    computed: bool
    receivers: str


class WeightsIn(Schema):
    weights: dict[str, WEIGHT]


class ModelIn(Schema):
    provider: str = ""
    name: str
    year: int = Field(..., ge=int(limits.YEAR.low), le=int(limits.YEAR.high))
    kind: str = "actual"
    ledger_kind: str = "actual"


class ModelOut(Schema):
    id: int
    name: str
    year: int
    kind: str


class SourceIn(Schema):
    source: str
    key: str


class StepIn(Schema):
    name: str
    method: str
    sources: list[SourceIn] = []


class StepOut(Schema):
    id: int
    position: int
    name: str
    method: str


class NewPriceListIn(Schema):
    provider: str = ""
    name: str
    year: int = Field(..., ge=int(limits.YEAR.low), le=int(limits.YEAR.high))


class EntryIn(Schema):
    unit_price: FEE | None = None
    tiers: list[tuple[QUANTITY, FEE]] = []
    graduated: bool = True
    packages: dict[str, FEE] = {}
    base_fixed: FEE | None = None
    per_employee: FEE | None = None
    fixed_pool: COST | None = None
    key: str = ""
    payer: str = ""
    connection_fee: FEE | None = None
    connection_months: int = Field(60, ge=1, le=600)
    markup: SHARE | None = None
    discount_share: SHARE | None = None
    vat_category: Literal["S", "O", "E", "Z"] = "S"
    vat_rate: _bounded(limits.PERCENT) = Decimal(25)


def _writer(request):
    return scope(request).require(Capability.RUN_COSTING)


def _provider(caller, code: str):
    from ninja.errors import HttpError

    from servicecenter.apps.registry.models import Provider

    providers = Provider.objects.visible_to(caller)
    chosen = providers.filter(code=code).first() if code else (providers.first() if providers.count() == 1 else None)
    if chosen is None:
        raise HttpError(404 if code else 422, f"no organisation {code!r} of yours" if code else "name the provider (field 'provider')")
    return chosen


def _own(caller, model, pk: int, **lookup):
    from servicecenter.apps.registry.models import Provider

    return get_object_or_404(model.objects.filter(provider__in=Provider.objects.visible_to(caller), **lookup), pk=pk)


def _key_by_code(provider, code: str):
    from ninja.errors import HttpError

    from servicecenter.apps.costing.models import AllocationKey

    found = AllocationKey.objects.filter(provider=provider, code=code).first()
    if found is None:
        raise HttpError(400, f"key: no key with the code {code!r}")
    return found


@router.post("/costing/pools", response=answers(PoolOut), tags=["costing"])
def create_pool(request, body: PoolIn):
    from servicecenter.apps.costing import setup
    from servicecenter.apps.registry.models import Process

    caller = _writer(request)
    provider = _provider(caller, body.provider)
    process = Process.objects.filter(area__provider=provider, code=body.process).first() if body.process else None
    if body.process and process is None:
        raise setup.SetupError(f"process: no process with the code {body.process!r}")
    return setup.save_pool(provider, name=body.name, kind=body.kind, code=body.code, process=process, area=body.area, staff=body.staff, user=request.user)


@router.post("/costing/pools/{pool_id}/rules", response=answers(PoolOut), tags=["costing"])
def add_pool_rule(request, body: RuleIn, pool_id: int = ID):
    from servicecenter.apps.costing import setup
    from servicecenter.apps.costing.models import CostPool

    pool = _own(_writer(request), CostPool, pool_id)
    setup.add_rule(pool, account_from=body.account_from, account_to=body.account_to, cost_centre=body.cost_centre, user=request.user)
    return pool


@router.post("/costing/keys", response=answers(KeyOut), tags=["costing"])
def create_key(request, body: KeyIn):
    from servicecenter.apps.costing import setup
    from servicecenter.apps.registry.models import Service

    caller = _writer(request)
    provider = _provider(caller, body.provider)
    service = Service.objects.filter(provider=provider, code=body.service).first() if body.service else None
    if body.service and service is None:
        raise setup.SetupError(f"service: no service with the code {body.service!r}")
    return setup.save_key(provider, name=body.name, basis=body.basis, computed=body.computed, receivers=body.receivers, service=service,
                          code=body.code, user=request.user)


@router.put("/costing/keys/{key_id}/weights", response=answers(KeyOut), tags=["costing"])
def set_key_weights(request, body: WeightsIn, key_id: int = ID):
    """Replace a key's typed weights: receivers as ``pool:CODE``, ``service:CODE`` or a
    customer's organisation number, by the key's receivers."""
    from servicecenter.apps.costing import setup
    from servicecenter.apps.costing.models import AllocationKey

    key = _own(_writer(request), AllocationKey, key_id)
    setup.set_key_values(key, body.weights, user=request.user)
    return key


@router.post("/costing/models", response=answers(ModelOut), tags=["costing"])
def create_model(request, body: ModelIn):
    from servicecenter.apps.costing import setup

    caller = _writer(request)
    return setup.save_model(_provider(caller, body.provider), name=body.name, year=body.year, kind=body.kind, ledger_kind=body.ledger_kind, user=request.user)


@router.post("/costing/models/{model_id}/steps", response=answers(StepOut), tags=["costing"])
def add_model_step(request, body: StepIn, model_id: int = ID):
    """A step at the end of the model with its sources (``pool:CODE`` or ``service:CODE``, each
    with a key code); all or nothing."""
    from django.db import transaction

    from servicecenter.apps.costing import setup
    from servicecenter.apps.costing.models import CostModel

    model = _own(_writer(request), CostModel, model_id)
    with transaction.atomic():
        step = setup.add_step(model, name=body.name, method=body.method, user=request.user)
        for source in body.sources:
            setup.set_source(step, source=source.source, key=_key_by_code(model.provider, source.key), user=request.user)
    return step


@router.post("/costing/models/{model_id}/run", response=STARTED, tags=["costing"])
def run_model(request, model_id: int = ID):
    """Run the model on its year's ledger, in a background job (202): its result is the run
    (RunOut); a model that cannot run fails the job, its error listing every problem."""
    from servicecenter.apps.costing.models import CostModel

    model = _own(_writer(request), CostModel, model_id)
    return accepted(request, "costing.run", label=gettext("Run the cost model %(model)s") % {"model": model}, key=f"costing.run:{model.pk}",
                    provider=model.provider, params={"model": model.pk})


@router.post("/price-lists", response=answers(PriceListOut), tags=["costing"])
def create_price_list(request, body: NewPriceListIn):
    from servicecenter.apps.costing import pricing

    caller = _writer(request)
    return pricing.new_price_list(_provider(caller, body.provider), body.year, body.name, user=request.user)


@router.put("/price-lists/{price_list_id}/entries/{service_code}", response=answers(PriceListOut), tags=["costing"])
def save_price_entry(request, body: EntryIn, service_code: str, price_list_id: int = ID):
    """Create or change the entry of one service in a draft list (every price type)."""
    from servicecenter.apps.costing import pricing
    from servicecenter.apps.registry.models import Customer, Service

    price_list = _own(_writer(request), PriceList, price_list_id)
    service = Service.objects.filter(provider=price_list.provider, code=service_code).first()
    if service is None:
        raise pricing.PricingError(f"service: no service with the code {service_code!r}")
    values = body.dict()
    values["tiers"] = [[str(start), str(price)] for start, price in body.tiers]
    values["packages"] = {code: str(price) for code, price in body.packages.items()}
    values["key"] = _key_by_code(price_list.provider, body.key) if body.key else None
    values["payer"] = None
    if body.payer:
        values["payer"] = Customer.objects.filter(provider=price_list.provider, number=body.payer).first()
        if values["payer"] is None:
            raise pricing.PricingError(f"payer: no customer with the customer number {body.payer!r}")
    pricing.save_entry(price_list, service, values, user=request.user)
    return price_list


@router.post("/price-lists/{price_list_id}/publish", response=answers(PriceListOut), tags=["costing"])
def publish_price_list(request, price_list_id: int = ID):
    from servicecenter.apps.costing import pricing

    return pricing.publish(_own(_writer(request), PriceList, price_list_id), user=request.user)
