"""The weights of an allocation key for a year, from the register where the key says so.

A key spreads a source (a pool or a service) onto receivers. Its weights come from:
- the register, computed at run time for the model's year: each customer's employees or
  turnover (``CustomerYear``), each customer's volumes of a service, each pool's area or staff;
- values typed on the key's page or imported (``KeyValue``): fixed shares, cases, hours from
  time reports, any driver.

Weights that go to customers become charges of one service: the key's own service when it names
one, else the service being spread. A customer counts for a service when its agreement for that
service is in production during the year (for volumes: when it has volumes in the year)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from servicecenter.apps.costing.models import AllocationKey, CostPool
from servicecenter.apps.metering.models import Volume
from servicecenter.apps.registry.models import Agreement, CustomerYear, Service
from servicecenter.apps.registry.services import active_during
from servicecenter.core.money import decimal_of
from servicecenter.core.periods import Period


def charge_name(customer_number: str, service_code: str) -> str:
    return f"charge:{customer_number}|{service_code}"


def service_spread(key: AllocationKey, source: str | None) -> str | None:
    """The service whose customer charges receive the key's customer weights, or None."""
    if key.service_id:
        return key.service.code
    if source and source.startswith("service:"):
        return source.removeprefix("service:")
    return None


def _customers_of(provider, service_code: str, year: int) -> set[str]:
    return set(Agreement.objects.filter(active_during(Period.year(year)), customer__provider=provider, service__code=service_code)
               .values_list("customer__number", flat=True))


def customer_weights(key: AllocationKey, year: int, service_code: str | None) -> dict[str, Decimal]:
    """Organisation number → weight for a key that goes to customers (``service_code``: the
    service being spread; for register keys of employees and turnover, only its customers)."""
    provider = key.provider
    if key.basis == AllocationKey.Basis.VOLUMES:
        service = key.service.code if key.service_id else service_code
        if service is None:
            return {}
        # by the service's id: filtered by provider and service code, SQLite took the provider's
        # index and read every volume of the year once per service (benchmarks/cost_model.py: the
        # 60-service model ran 10.3 s, 7.8 s of it here); by id it reads that service's rows only
        service_id = Service.objects.filter(provider=provider, code=service).values_list("pk", flat=True).first()
        if service_id is None:
            return {}
        rows = Volume.objects.filter(service_id=service_id, month__year=year).values("customer__number").annotate(total=Sum("quantity"))
        return {row["customer__number"]: decimal_of(row["total"]) for row in rows if row["total"]}
    if key.from_register:
        field = "employees" if key.basis == AllocationKey.Basis.EMPLOYEES else "turnover"
        sizes = CustomerYear.objects.filter(customer__provider=provider, year=year).values_list("customer__number", field)
        users = _customers_of(provider, service_code, year) if service_code else None
        return {org: decimal_of(value) for org, value in sizes if value and (users is None or org in users)}
    return {value.receiver: value.weight for value in key.values.all() if ":" not in value.receiver}


def pool_weights(key: AllocationKey, source: str | None = None) -> dict[str, Decimal]:
    field = "area" if key.basis == AllocationKey.Basis.AREA else "staff"
    return {pool.object_name: getattr(pool, field) for pool in CostPool.objects.filter(provider_id=key.provider_id)
            if getattr(pool, field) and pool.object_name != source}


def key_weights(key: AllocationKey, year: int, source: str | None = None) -> dict[str, Decimal]:
    """Receiver (``pool:…``, ``service:…``, ``charge:org|service``) → weight when ``key``
    spreads ``source`` in ``year``. Customer weights without a service to charge stay under
    their organisation numbers (the model's check then names the missing service)."""
    if key.from_register and key.basis in AllocationKey.POOL_BASES:
        return pool_weights(key, source)
    service = service_spread(key, source)
    if key.from_register:
        weights = customer_weights(key, year, service)
        return {charge_name(org, service): weight for org, weight in weights.items()} if service else {}
    weights = {}
    for value in key.values.all():
        receiver = value.receiver
        if ":" not in receiver and service:
            receiver = charge_name(receiver, service)
        weights[receiver] = value.weight
    return weights
