"""The registry's API: providers, customers, the catalogue, agreements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from servicecenter.apps.accounts.api import (
    ID,
    ID_QUERY,
    YEAR_QUERY,
    BoundedPagination,
    answers,
    scope,
)
from servicecenter.apps.registry.models import Agreement, Customer, Provider, ServiceVersion

router = Router()


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
    number: str
    org_number: str
    legal_name: str
    name: str
    buyer_reference: str
    contact_name: str
    contact_email: str
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
    customer_number: str
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
    def resolve_customer_number(obj):
        return obj.customer.number

    @staticmethod
    def resolve_customer_org_number(obj):
        return obj.customer.org_number

    @staticmethod
    def resolve_service_code(obj):
        return obj.service.code


@router.get("/providers", response=answers(list[ProviderOut]), tags=["registry"])
def list_providers(request):
    return list(Provider.objects.visible_to(scope(request)))


@router.get("/customers", response=answers(list[CustomerOut]), tags=["registry"])
@paginate(BoundedPagination)
def list_customers(request, q: str = ""):
    customers = Customer.objects.visible_to(scope(request)).select_related("provider", "host").order_by("name")
    if q:
        customers = customers.filter(name__icontains=q) | customers.filter(org_number__icontains=q) | customers.filter(number__icontains=q)
    return customers


@router.get("/customers/{customer_id}", response=answers(CustomerDetailOut), tags=["registry"])
def get_customer(request, customer_id: int = ID):
    return get_object_or_404(Customer.objects.visible_to(scope(request)).select_related("provider", "host"), pk=customer_id)


@router.get("/services", response=answers(list[ServiceVersionOut]), tags=["registry"])
@paginate(BoundedPagination)
def list_services(request, year: int | None = YEAR_QUERY):
    versions = ServiceVersion.objects.visible_to(scope(request)).select_related("service__provider", "process__area").order_by("service__code", "-year")
    if year is not None:
        versions = versions.filter(year=year)
    return versions


@router.get("/services/{service_id}", response=answers(ServiceVersionDetailOut), tags=["registry"])
def get_service(request, service_id: int = ID, year: int | None = YEAR_QUERY):
    versions = ServiceVersion.objects.visible_to(scope(request)).filter(service_id=service_id).select_related("service__provider", "process__area").order_by("-year")
    if year is not None:
        versions = versions.filter(year__lte=year)
    version = versions.first()
    if version is None:
        raise Http404
    return version


@router.get("/agreements", response=answers(list[AgreementOut]), tags=["registry"])
@paginate(BoundedPagination)
def list_agreements(request, state: str | None = None, customer_id: int | None = ID_QUERY):
    agreements = Agreement.objects.visible_to(scope(request)).select_related("customer", "service").order_by("customer__name", "service__code")
    if state:
        agreements = agreements.filter(state=state)
    if customer_id is not None:
        agreements = agreements.filter(customer_id=customer_id)
    return agreements


@router.get("/agreements/{agreement_id}", response=answers(AgreementOut), tags=["registry"])
def get_agreement(request, agreement_id: int = ID):
    return get_object_or_404(Agreement.objects.visible_to(scope(request)).select_related("customer", "service"), pk=agreement_id)

