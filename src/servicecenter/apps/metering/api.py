"""The metering API: monthly volumes."""

from __future__ import annotations

from decimal import Decimal

from ninja import Router, Schema
from ninja.pagination import paginate

from servicecenter.apps.accounts.api import (
    ID_QUERY,
    BoundedPagination,
    answers,
    month_filter,
    scope,
)
from servicecenter.apps.metering.models import Volume

router = Router()


class VolumeOut(Schema):
    customer_number: str
    customer_org_number: str
    service_code: str
    month: str
    quantity: Decimal

    @staticmethod
    def resolve_customer_number(obj):
        return obj.customer.number

    @staticmethod
    def resolve_customer_org_number(obj):
        return obj.customer.org_number

    @staticmethod
    def resolve_service_code(obj):
        return obj.service.code

    @staticmethod
    def resolve_month(obj):
        return obj.month.strftime("%Y-%m")


@router.get("/volumes", response=answers(list[VolumeOut]), tags=["metering"])
@paginate(BoundedPagination)
def list_volumes(request, month: str | None = None, customer_id: int | None = ID_QUERY, service_code: str | None = None):
    volumes = Volume.objects.visible_to(scope(request)).select_related("customer", "service").order_by("-month", "customer__name")
    if month:
        volumes = volumes.filter(month=month_filter(month, "month"))
    if customer_id is not None:
        volumes = volumes.filter(customer_id=customer_id)
    if service_code:
        volumes = volumes.filter(service__code=service_code)
    return volumes

