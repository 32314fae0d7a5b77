"""The JSON API (django-ninja). OpenAPI at /api/docs.

Authentication: the web session (cookie) or a bearer token (``Authorization: Bearer sc_...``,
issued with ``servicecenter token USER NAME``). Every endpoint reads through the caller's
Scope, so the API shows exactly what the web shows; an object outside the scope is a 404.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, File, Form, NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import HttpBearer, django_auth

from servicecenter.apps.accounts.access import Capability, Scope
from servicecenter.apps.accounts.models import ApiToken
from servicecenter.apps.imports.base import IMPORTERS, run_import
from servicecenter.core import limits
from servicecenter.formats.values import parse_month


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = ApiToken.objects.filter(key_hash=ApiToken.hash_key(token), revoked=False).select_related("user").first()
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="servicecenter API",
    version="1",
    description="Registry of a shared-service organisation: customers, catalogue, agreements, volumes.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)


class ErrorOut(Schema):
    """Why a request was not answered: a text, or (422) the list of parameters that failed."""

    detail: Any


# Every status code an operation can answer is in the OpenAPI document (schemathesis checks it).
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut, 422: ErrorOut}


def answers(model) -> dict:
    return {200: model, **ERRORS}


MAX_PAGE = 1000
MAX_OFFSET = 10**9
# Path and query ids and years within the domain's limits (core.limits): out of range is a 422
# that names the parameter, never a database overflow.
ID = Path(..., ge=1, le=limits.MAX_ID)
YEAR_QUERY = Query(None, ge=int(limits.YEAR.low), le=int(limits.YEAR.high))
ID_QUERY = Query(None, ge=1, le=limits.MAX_ID)


class BoundedPagination(LimitOffsetPagination):
    """Limit and offset with upper bounds (ninja's default has none)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_PAGE)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


def month_filter(text: str, name: str):
    """The first day of the month in ``text`` (YYYY-MM), or a 422 naming the parameter."""
    period, problem = parse_month(text)
    if problem is not None:
        raise HttpError(422, f"{name}: {problem.message('en')} ({text[:20]!r})")
    return period.start


def scope(request) -> Scope:
    return Scope.for_user(request.user)


class ProviderOut(Schema):
    code: str
    name: str
    org_number: str
    kind: str


class CustomerYearOut(Schema):
    year: int
    employees: int
    turnover: Decimal | None
    size_class: str


class CustomerOut(Schema):
    id: int
    org_number: str
    name: str
    sector: str
    provider: str
    host_org_number: str | None
    preparedness_from: date | None
    preparedness_until: date | None

    @staticmethod
    def resolve_provider(obj):
        return obj.provider.code

    @staticmethod
    def resolve_host_org_number(obj):
        return obj.host.org_number if obj.host_id else None


class CustomerDetailOut(CustomerOut):
    years: list[CustomerYearOut]

    @staticmethod
    def resolve_years(obj):
        return list(obj.years.order_by("-year"))


class ServiceLevelOut(Schema):
    metric: str
    comparison: str
    threshold: Decimal
    unit: str
    period: str


class ServiceVersionOut(Schema):
    service_id: int
    code: str
    year: int
    name: str
    area: str
    process: str
    tier: str
    unit: str
    obligatory: bool
    agreed_opening_hours: bool
    opening_hours: str
    description: str
    provider: str

    @staticmethod
    def resolve_code(obj):
        return obj.service.code

    @staticmethod
    def resolve_area(obj):
        return obj.process.area.code

    @staticmethod
    def resolve_process(obj):
        return obj.process.code

    @staticmethod
    def resolve_provider(obj):
        return obj.service.provider.code


class ServiceVersionDetailOut(ServiceVersionOut):
    service_levels: list[ServiceLevelOut]

    @staticmethod
    def resolve_service_levels(obj):
        return list(obj.service_levels.all())


class AgreementOut(Schema):
    id: int
    customer_id: int
    customer_org_number: str
    service_code: str
    state: str
    interest_date: date | None
    intent_date: date | None
    onboarding_date: date | None
    production_date: date | None
    ended_date: date | None
    buyer_reference: str

    @staticmethod
    def resolve_customer_org_number(obj):
        return obj.customer.org_number

    @staticmethod
    def resolve_service_code(obj):
        return obj.service.code


class VolumeOut(Schema):
    customer_org_number: str
    service_code: str
    month: str
    quantity: Decimal

    @staticmethod
    def resolve_customer_org_number(obj):
        return obj.customer.org_number

    @staticmethod
    def resolve_service_code(obj):
        return obj.service.code

    @staticmethod
    def resolve_month(obj):
        return obj.month.strftime("%Y-%m")


class ProblemOut(Schema):
    code: str
    row: int | None
    column: str | None
    severity: str
    message: str


class ImportOut(Schema):
    status: str
    rows: int
    counts: dict[str, int]
    problems: list[ProblemOut]


@api.get("/providers", response=answers(list[ProviderOut]), tags=["registry"])
def list_providers(request):
    return list(scope(request).providers())


@api.get("/customers", response=answers(list[CustomerOut]), tags=["registry"])
@paginate(BoundedPagination)
def list_customers(request, q: str = ""):
    customers = scope(request).customers().select_related("provider", "host").order_by("name")
    if q:
        customers = customers.filter(name__icontains=q) | customers.filter(org_number__icontains=q)
    return customers


@api.get("/customers/{customer_id}", response=answers(CustomerDetailOut), tags=["registry"])
def get_customer(request, customer_id: int = ID):
    return get_object_or_404(scope(request).customers().select_related("provider", "host"), pk=customer_id)


@api.get("/services", response=answers(list[ServiceVersionOut]), tags=["registry"])
@paginate(BoundedPagination)
def list_services(request, year: int | None = YEAR_QUERY):
    versions = scope(request).service_versions().select_related("service__provider", "process__area").order_by("service__code", "-year")
    if year is not None:
        versions = versions.filter(year=year)
    return versions


@api.get("/services/{service_id}", response=answers(ServiceVersionDetailOut), tags=["registry"])
def get_service(request, service_id: int = ID, year: int | None = YEAR_QUERY):
    versions = scope(request).service_versions().filter(service_id=service_id).select_related("service__provider", "process__area").order_by("-year")
    if year is not None:
        versions = versions.filter(year__lte=year)
    version = versions.first()
    if version is None:
        raise Http404
    return version


@api.get("/agreements", response=answers(list[AgreementOut]), tags=["registry"])
@paginate(BoundedPagination)
def list_agreements(request, state: str | None = None, customer_id: int | None = ID_QUERY):
    agreements = scope(request).agreements().select_related("customer", "service").order_by("customer__name", "service__code")
    if state:
        agreements = agreements.filter(state=state)
    if customer_id is not None:
        agreements = agreements.filter(customer_id=customer_id)
    return agreements


@api.get("/agreements/{agreement_id}", response=answers(AgreementOut), tags=["registry"])
def get_agreement(request, agreement_id: int = ID):
    return get_object_or_404(scope(request).agreements().select_related("customer", "service"), pk=agreement_id)


@api.get("/volumes", response=answers(list[VolumeOut]), tags=["metering"])
@paginate(BoundedPagination)
def list_volumes(request, month: str | None = None, customer_id: int | None = ID_QUERY, service_code: str | None = None):
    volumes = scope(request).volumes().select_related("customer", "service").order_by("-month", "customer__name")
    if month:
        volumes = volumes.filter(month=month_filter(month, "month"))
    if customer_id is not None:
        volumes = volumes.filter(customer_id=customer_id)
    if service_code:
        volumes = volumes.filter(service__code=service_code)
    return volumes


class PriceEntryOut(Schema):
    service_code: str
    price_type: str
    unit_price: Decimal | None
    fixed_pool: Decimal | None

    @staticmethod
    def resolve_service_code(obj):
        return obj.service.code


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


@api.get("/price-lists", response=answers(list[PriceListOut]), tags=["costing"])
def list_price_lists(request, year: int | None = YEAR_QUERY):
    lists = scope(request).price_lists().select_related("provider").order_by("-year", "name")
    return list(lists.filter(year=year) if year is not None else lists)


@api.get("/costing/runs/{run_id}", response=answers(RunOut), tags=["costing"])
def get_run(request, run_id: int = ID):
    return get_object_or_404(scope(request).runs().select_related("model"), pk=run_id)


@api.get("/costing/trace/{customer_id}", response=answers(list[TraceOut]), tags=["costing"])
def get_trace(request, customer_id: int = ID):
    from servicecenter.apps.costing.services import customer_trace

    caller = scope(request)
    if not caller.can(Capability.VIEW_COSTS):
        raise HttpError(403, "your role may not see costs")
    customer = get_object_or_404(caller.customers(), pk=customer_id)
    run = caller.runs().filter(model__provider=customer.provider).first()
    if run is None:
        return []
    return [{"service_code": row["service"], "amount": row["amount"], "origins": [{"pool": origin, "amount": amount} for origin, amount, _ in row["origins"]]}
            for row in customer_trace(run, customer)]


class InvoiceLineOut(Schema):
    line_no: int
    service: str
    description: str
    quantity: Decimal
    unit_code: str
    unit_price: Decimal
    amount: Decimal
    category: str
    vat_category: str
    vat_rate: Decimal

    @staticmethod
    def resolve_service(line) -> str:
        return line.service.code


class InvoiceOut(Schema):
    id: int
    number: str
    document_type: str
    customer_id: int
    buyer_name: str
    buyer_org_number: str
    buyer_reference: str
    period_start: date
    period_end: date
    issue_date: date
    due_date: date | None
    net_total: Decimal
    tax_total: Decimal
    payable: Decimal
    preceding: str | None
    xml_sha256: str

    @staticmethod
    def resolve_number(invoice) -> str:
        return invoice.number_text

    @staticmethod
    def resolve_preceding(invoice) -> str | None:
        return invoice.preceding.number_text if invoice.preceding_id else None


class InvoiceDetailOut(InvoiceOut):
    lines: list[InvoiceLineOut]
    integrity: list[str] = Field(description="empty when the stored document matches its seal and the number series' hash chain")

    @staticmethod
    def resolve_integrity(invoice) -> list[str]:
        from servicecenter.apps.billing.integrity import check

        return check(invoice)

    @staticmethod
    def resolve_lines(invoice) -> list:
        return list(invoice.lines.select_related("service").order_by("line_no"))


@api.get("/invoices", response=answers(list[InvoiceOut]), tags=["billing"])
@paginate(BoundedPagination)
def list_invoices(request, period: str | None = None, customer_id: int | None = ID_QUERY):
    """Issued invoices and credit notes (read only: an issued document never changes)."""
    invoices = scope(request).invoices().select_related("preceding").order_by("-issue_date", "-number")
    if period:
        invoices = invoices.filter(period_start=month_filter(period, "period"))
    if customer_id is not None:
        invoices = invoices.filter(customer_id=customer_id)
    return invoices


@api.get("/invoices/{invoice_id}", response=answers(InvoiceDetailOut), tags=["billing"])
def get_invoice(request, invoice_id: int = ID):
    return get_object_or_404(scope(request).invoices().select_related("preceding"), pk=invoice_id)


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
    current = scope(request)
    if not current.can(Capability.VIEW_ALL_CUSTOMERS):
        raise HttpError(403, "not permitted")
    return get_object_or_404(current.providers(), code=provider)


@api.get("/indicators", response=answers(list[IndicatorOut]), tags=["follow-up"])
def list_indicators(request, provider: str):
    """Every version of every indicator definition of a provider."""
    from servicecenter.apps.followup.models import IndicatorDefinition

    return list(IndicatorDefinition.objects.filter(provider=_followup_provider(request, provider)).order_by("family", "position", "code", "version"))


@api.get("/indicators/values", response=answers(list[IndicatorValueOut]), tags=["follow-up"])
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
    current = scope(request)
    if not current.can(Capability.VIEW_COSTS):
        raise HttpError(403, "not permitted")
    return get_object_or_404(current.providers(), code=provider)


@api.get("/network/offices", response=answers(list[OfficeOut]), tags=["office network"])
def list_offices(request, provider: str):
    """The office register, open and closed, with municipality and FA-region (2015)."""
    from servicecenter.apps.network.models import Office

    chosen = _network_provider(request, provider)
    return [OfficeOut(code=o.code, name=o.name, lon=o.lon, lat=o.lat, municipality=o.municipality.code, fa_region=o.municipality.fa_region.code,
                      region=o.region, category=o.category, preparedness=o.preparedness, opened=o.opened, closed=o.closed,
                      lease_end=o.lease_end, yearly_cost=o.yearly_cost, capacity=o.capacity)
            for o in Office.objects.filter(provider=chosen).select_related("municipality__fa_region").order_by("code")]


@api.get("/network/scenarios/{scenario_id}", response=answers(ScenarioOut), tags=["office network"])
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


@api.post("/imports/{kind}", response=answers(ImportOut), tags=["imports"])
def post_import(request, kind: str, file: File[UploadedFile], provider: Form[str] = "", dry_run: Form[bool] = True, language: Form[str] = "sv",
                replace: Form[bool] = False):
    """Check (``dry_run``, the default) or apply a file. ``replace``: stored data the file replaces
    (a ledger year) may go; without it such a file is refused, saying how many rows go and come."""
    caller = scope(request)
    if file.size is not None and file.size > settings.MAX_IMPORT_UPLOAD_BYTES:
        raise HttpError(413, f"the file is larger than {settings.MAX_IMPORT_UPLOAD_BYTES // (1024 * 1024)} MB")
    if kind not in IMPORTERS:
        raise HttpError(404, f"unknown import kind {kind!r}; known: {', '.join(sorted(IMPORTERS))}")
    if not caller.can(IMPORTERS[kind].capability):
        raise HttpError(403, "your role may not import this kind of file")
    providers = caller.providers()
    chosen = providers.filter(code=provider).first() if provider else (providers.first() if providers.count() == 1 else None)
    if chosen is None:
        raise HttpError(422, "name the provider (form field 'provider')")
    report = run_import(kind, file.read(), file.name, provider=chosen, user=request.user, dry_run=dry_run, replace=replace)
    return {
        "status": report.status,
        "rows": report.rows,
        "counts": report.counts,
        "problems": [
            {"code": p.code, "row": p.row, "column": p.column, "severity": p.severity.value, "message": p.describe(language)}
            for p in report.problems
        ],
    }
