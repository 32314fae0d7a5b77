"""Registry use cases and read models shared by the web pages, the API and the exports."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.utils.translation import get_language

from servicecenter.apps.accounts.access import Scope
from servicecenter.apps.registry.models import (
    Agreement,
    Customer,
    CustomerYear,
    ReferenceFigure,
    ServiceVersion,
)
from servicecenter.core import registry as rules
from servicecenter.core.periods import Period

DEMO_NOTICE = "Illustrativa demodata / illustrative demo data"


def export_notice(providers) -> str | None:
    """The line an export starts with when any of ``providers`` holds generated demo data."""
    return DEMO_NOTICE if providers.filter(is_demo=True).exists() else None


def service_names(scope: Scope, year: int | None = None) -> dict[int, str]:
    """Service id → name in the catalogue of ``year`` (or its latest version)."""
    english = (get_language() or "sv").startswith("en")
    best: dict[int, tuple[int, str]] = {}
    for service_id, version_year, name_sv, name_en in ServiceVersion.objects.visible_to(scope).values_list("service_id", "year", "name_sv", "name_en"):
        current = best.get(service_id)
        if current is None or _better(version_year, current[0], year):
            best[service_id] = (version_year, (name_en or name_sv) if english else name_sv)
    return {service_id: name for service_id, (_year, name) in best.items()}


def _versions_for(versions, year: int | None) -> dict[int, ServiceVersion]:
    """Per service, the version in force in ``year`` (the latest not after it), or, for a year
    before the service's first catalogue, its first version. ``year`` None: the latest."""
    chosen: dict[int, ServiceVersion] = {}
    for version in versions:
        current = chosen.get(version.service_id)
        if current is None or _better(version.year, current.year, year):
            chosen[version.service_id] = version
    return chosen


def _better(candidate: int, current: int, year: int | None) -> bool:
    if year is None:
        return candidate > current
    if candidate <= year:
        return current > year or candidate > current
    return current > year and candidate < current


def service_areas(scope: Scope, year: int) -> dict[int, tuple[str, str]]:
    """Service id → (area code, area name) in the catalogue of ``year`` or before."""
    chosen = _versions_for(ServiceVersion.objects.visible_to(scope).select_related("process__area"), year)
    return {service_id: (version.process.area.code, version.process.area.name) for service_id, version in chosen.items()}


def latest_year(scope: Scope) -> int | None:
    return CustomerYear.objects.filter(customer__in=Customer.objects.visible_to(scope)).aggregate(year=Max("year"))["year"]


def with_employees(queryset, year: int):
    """Annotate customers with ``employees`` of ``year`` (None where not known)."""
    return queryset.annotate(
        employees=Subquery(CustomerYear.objects.filter(customer=OuterRef("pk"), year=year).values("employees")[:1])
    )


def size_filter(queryset, size: str):
    low, high = rules.SIZE_CLASS_BOUNDS[rules.SizeClass(size)]
    queryset = queryset.filter(employees__gte=low)
    return queryset.filter(employees__lte=high) if high is not None else queryset


def active_on(day: date, prefix: str = "") -> Q:
    """Agreements in production on ``day``; ``prefix`` reaches them through a relation."""
    return Q(**{f"{prefix}production_date__lte": day}) & (
        Q(**{f"{prefix}ended_date__isnull": True}) | Q(**{f"{prefix}ended_date__gt": day})
    )


def active_during(period: Period, prefix: str = "") -> Q:
    """Agreements in production on some day of ``period`` (its end exclusive): begun before it
    ends, not ended by its start."""
    return Q(**{f"{prefix}production_date__lt": period.end}) & (
        Q(**{f"{prefix}ended_date__isnull": True}) | Q(**{f"{prefix}ended_date__gt": period.start})
    )


@dataclass(frozen=True)
class ServiceCoverage:
    service_id: int
    name: str
    area: str
    customers: int
    employees: int
    share_of_state: float | None


@dataclass(frozen=True)
class Overview:
    """The organisation at a glance on ``day``: what the start page shows."""

    day: date
    year: int
    customers: int
    employees: int
    state_employees: int | None
    by_service: list[ServiceCoverage]
    by_area: list[ServiceCoverage]
    packages: list[tuple[str, int, int]]
    size_classes: list[tuple[str, int, int]]
    pipeline: dict[str, int]
    history: dict[str, list[tuple[int, int]]]

    @property
    def share_of_state(self) -> float | None:
        return self.employees / self.state_employees if self.state_employees else None


def overview(scope: Scope, year: int, provider_ids: set[int] | None = None) -> Overview:
    """Count customers, employees covered, packages, size classes and the pipeline on 31 Dec of ``year``.

    Cached per process under a stamp of the data it reads (counts, sums and latest change of
    agreements, customer years, catalogue and reference figures), so a cached result is never
    stale: any change to those rows changes the stamp.
    """
    from django.core.cache import cache

    identity = (scope.role, scope.customer_id, sorted(scope.provider_ids or []), sorted(provider_ids or []), year, _data_stamp(scope, provider_ids))
    key = "overview-" + hashlib.sha256(repr(identity).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = _overview(scope, year, provider_ids)
        cache.set(key, found, 600)
    return found


def _data_stamp(scope: Scope, provider_ids: set[int] | None) -> tuple:
    agreements = Agreement.objects.visible_to(scope)
    customers = Customer.objects.visible_to(scope)
    if provider_ids is not None:
        agreements = agreements.filter(customer__provider_id__in=provider_ids)
        customers = customers.filter(provider_id__in=provider_ids)
    return (
        tuple(agreements.aggregate(n=Count("id"), changed=Max("updated_at"), last=Max("id")).values()),
        tuple(CustomerYear.objects.filter(customer__in=customers).aggregate(n=Count("id"), total=Sum("employees"), last=Max("id")).values()),
        tuple(ServiceVersion.objects.visible_to(scope).aggregate(n=Count("id"), last=Max("id")).values()),
        tuple(ReferenceFigure.objects.aggregate(n=Count("id"), total=Sum("value")).values()),
    )


def _overview(scope: Scope, year: int, provider_ids: set[int] | None) -> Overview:
    day = date(year, 12, 31)
    agreements = Agreement.objects.visible_to(scope)
    if provider_ids is not None:
        agreements = agreements.filter(customer__provider_id__in=provider_ids)
    rows = list(agreements.values_list("customer_id", "service_id", "state", "production_date", "ended_date"))
    employees = dict(CustomerYear.objects.filter(customer_id__in={row[0] for row in rows}, year=year).values_list("customer_id", "employees"))
    names = service_names(scope, year)
    areas = service_areas(scope, year)
    active = [(c, s) for c, s, _state, start, end in rows if start is not None and start <= day and (end is None or end > day)]
    customers = {c for c, _ in active}
    by_service_customers: dict[int, set[int]] = defaultdict(set)
    by_area_customers: dict[str, set[int]] = defaultdict(set)
    customer_areas: dict[int, set[str]] = defaultdict(set)
    for customer_id, service_id in active:
        by_service_customers[service_id].add(customer_id)
        area = areas.get(service_id, ("?", "?"))[1]
        by_area_customers[area].add(customer_id)
        customer_areas[customer_id].add(area)
    state_figure = ReferenceFigure.objects.filter(key=ReferenceFigure.Key.STATE_EMPLOYEES, year=year).values_list("value", flat=True).first()

    def coverage(key, name, area, members):
        covered = sum(employees.get(c, 0) for c in members)
        return ServiceCoverage(key, name, area, len(members), covered, covered / state_figure if state_figure else None)

    by_service = sorted(
        (coverage(s, names.get(s, "?"), areas.get(s, ("", ""))[1], members) for s, members in by_service_customers.items()),
        key=lambda row: (-row.customers, row.name),
    )
    by_area = sorted((coverage(0, area, area, members) for area, members in by_area_customers.items()), key=lambda row: (-row.customers, row.name))
    package_counts: Counter[str] = Counter()
    package_employees: Counter[str] = Counter()
    for customer_id, member_areas in customer_areas.items():
        label = " + ".join(sorted(member_areas))
        package_counts[label] += 1
        package_employees[label] += employees.get(customer_id, 0)
    packages = sorted(((label, count, package_employees[label]) for label, count in package_counts.items()), key=lambda row: -row[1])
    size_counts: Counter[str] = Counter()
    size_employees: Counter[str] = Counter()
    for customer_id in customers:
        if customer_id in employees:
            size = rules.size_class(employees[customer_id]).value
            size_counts[size] += 1
            size_employees[size] += employees[customer_id]
    size_classes = [(size.value, size_counts[size.value], size_employees[size.value]) for size in rules.SizeClass]
    pipeline = Counter(state for _c, _s, state, _start, _end in rows)
    history = _history(rows, areas, year)
    return Overview(day, year, len(customers), sum(employees.get(c, 0) for c in customers), state_figure,
                    by_service, by_area, packages, size_classes, dict(pipeline), history)


def _history(rows, areas, last_year: int) -> dict[str, list[tuple[int, int]]]:
    starts = [start.year for _c, _s, _state, start, _end in rows if start is not None]
    if not starts:
        return {}
    first = max(min(starts), last_year - 14)
    series: dict[str, list[tuple[int, int]]] = {}
    for year in range(first, last_year + 1):
        day = date(year, 12, 31)
        members: dict[str, set[int]] = defaultdict(set)
        for customer_id, service_id, _state, start, end in rows:
            if start is not None and start <= day and (end is None or end > day):
                members[areas.get(service_id, ("?", "?"))[1]].add(customer_id)
                members["__all__"].add(customer_id)
        for area, customers in members.items():
            series.setdefault(area, []).append((year, len(customers)))
    return series


def catalogue_years(scope: Scope) -> list[int]:
    return sorted(set(ServiceVersion.objects.visible_to(scope).values_list("year", flat=True)), reverse=True)
