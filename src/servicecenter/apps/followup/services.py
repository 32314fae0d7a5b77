"""Follow-up services: the standard indicator definitions, the collectors that compute data
points from the registry (agreements, volumes, outages, surveys, price lists, ledger), the
evaluation of a family of indicators for a level, and the annual-report tables.

Computed data points are remade on every refresh; entered and imported ones are kept. Every
value shown can be traced back to its data points (``drill_down``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q, Sum

from servicecenter import clock
from servicecenter.apps.accounts.audit import record
from servicecenter.apps.costing.models import LedgerCell, LedgerKind, PriceList
from servicecenter.apps.followup.models import (
    AgencyRegister,
    Appropriation,
    DataPoint,
    ElementSources,
    Family,
    FeeActivity,
    Goal,
    IndicatorDefinition,
    Outage,
    PriceIndex,
    ReportText,
    Restriction,
    StaffYear,
    Survey,
)
from servicecenter.apps.metering.models import Volume
from servicecenter.apps.registry.models import (
    Agreement,
    Customer,
    CustomerYear,
    Provider,
    ReferenceFigure,
    Service,
    ServiceVersion,
)
from servicecenter.apps.registry.services import active_on
from servicecenter.core import followup as fu
from servicecenter.core.indicators import (
    Indicator,
    Level,
    OpeningHours,
    Trend,
    UnitCostChange,
    Value,
    assess_goal,
    availability,
    evaluate,
    nki_expression,
    parse_opening_hours,
    summarise,
    trend,
    unit_cost_change,
)
from servicecenter.core.money import decimal_of, round_ore

STOCKHOLM = ZoneInfo("Europe/Stockholm")
ZERO = Decimal(0)
ALL = "all"
# Units counted as a stock (the mean of the months) rather than a flow (the sum of the year).
STOCK_UNITS = {"user", "computer", "terabyte", "subscription", "employee_month", "month"}

# --- the seven indicators for coordinated IT operations (seed 004) -------------------------------

_NKI_NUMERATOR, _NKI_DENOMINATOR = nki_expression()
IT_INDICATORS = [
    dict(code="it-1-anslutna", position=1, name_sv="Andel statliga myndigheter som är anslutna", name_en="Share of state agencies connected",
         description_sv="Anslutna myndigheter som finns i Statskontorets register (minst en årsarbetskraft, ingen värdmyndighet) ÷ alla sådana myndigheter den 1 januari.",
         description_en="Connected agencies in Statskontoret's register (at least one FTE, no host agency) ÷ all such agencies on 1 January.",
         numerator="connected_agencies", denominator="state_agencies", factor=100, unit="%", decimals=1, direction="up",
         levels="service,supplier,organisation", aggregation="ratio"),
    dict(code="it-2-beredskap", position=2, name_sv="Andel beredskapsmyndigheter som är anslutna", name_en="Share of preparedness agencies connected",
         description_sv="Anslutna myndigheter i bilaga 1 till förordning (2022:524) ÷ alla myndigheter i bilagan.",
         description_en="Connected agencies in annex 1 to ordinance 2022:524 ÷ all agencies in the annex.",
         numerator="connected_preparedness", denominator="preparedness_agencies", factor=100, unit="%", decimals=1, direction="up",
         levels="service,supplier,organisation", aggregation="ratio"),
    dict(code="it-3-enheter", position=3, name_sv="Antal enheter", name_en="Number of units",
         description_sv="Den enhet som driver mest kostnad i tjänsten (användare, TB, datorer ...); ett bestånd räknas som årets medelvärde, ett flöde som årets summa.",
         description_en="The unit that drives most of the service's cost (users, TB, computers...); a stock counts as the year's mean, a flow as its sum.",
         numerator="units", denominator="", factor=1, unit="", decimals=0, direction="none", levels="service", aggregation="none"),
    dict(code="it-4-kostnad-per-enhet", position=4, name_sv="Genomsnittlig kostnad per enhet", name_en="Average cost per unit",
         description_sv="Tjänstens fulla produktionskostnad ÷ antal enheter. Redovisas med indikator 3 och förändringen delas upp i volym, insatsvarupriser, innehåll på samma säkerhetsnivå och höjd säkerhetsnivå, jämfört med PLO.",
         description_en="The service's full production cost ÷ units. Reported with indicator 3; the change is split into volume, input prices, content at the same security level and raised security level, compared with PLO.",
         numerator="full_cost", denominator="units", factor=1, unit="kr", decimals=0, direction="down", levels="service", aggregation="none"),
    dict(code="it-5-avgiftsforandring", position=5, name_sv="Procentuell förändring av avgiften", name_en="Percentage change of the fee",
         description_sv="Avgiftens förändring från föregående år. För flera tjänster vägs avgifterna med föregående års volymer (Laspeyres).",
         description_en="The change of the fee from the year before. Over several services the fees are weighted by last year's volumes (Laspeyres).",
         numerator="fee_new - fee_old", denominator="fee_old", factor=100, unit="%", decimals=1, direction="down",
         levels="service,supplier,organisation", aggregation="ratio"),
    dict(code="it-6-tillganglighet", position=6, name_sv="Tillgänglighet under avtalad öppettid", name_en="Availability during agreed opening hours",
         description_sv="Andel av den avtalade öppettiden då huvudfunktionaliteten var tillgänglig. Avbrott utanför öppettiden räknas inte; överlappande avbrott räknas en gång. Bara tjänster med avtalad öppettid.",
         description_en="Share of the agreed opening hours during which the main functionality was available. Outages outside the hours do not count; overlapping outages count once. Only services with agreed opening hours.",
         numerator="open_minutes - outage_minutes", denominator="open_minutes", factor=100, unit="%", decimals=2, direction="up",
         reference=Decimal("99.5"), bands=[{"label": "good", "low": "99.5"}, {"label": "watch", "low": "99.0", "high": "99.4999"}, {"label": "poor", "high": "98.9999"}],
         levels="service,supplier,organisation", aggregation="ratio"),
    dict(code="it-7-nki", position=7, name_sv="Nöjd kund-index (NKI)", name_en="Customer satisfaction index (NKI)",
         description_sv="Tre frågor på skalan 1–10 (helhet, förväntningar, jämfört med ideal), var och en omräknad till 0–100 och vägd med lika vikter.",
         description_en="Three questions on a 1–10 scale (overall, expectations, compared with an ideal), each moved to 0–100 and weighted equally.",
         numerator=_NKI_NUMERATOR, denominator=_NKI_DENOMINATOR, factor=100, unit="", decimals=0, direction="up",
         levels="service,supplier,organisation", aggregation="ratio"),
]

PRODUCTIVITY_INDICATORS = [
    dict(code="anslutningsgrad-lon", position=1, name_sv="Anslutningsgrad, lön", name_en="Connection rate, payroll",
         description_sv="Anställda hos kunder med lönetjänsten ÷ alla anställda i staten.", description_en="Employees of customers with the payroll service ÷ all state employees.",
         numerator="employees_payroll", denominator="state_employees", factor=100, unit="%", decimals=1, direction="up", target=Decimal(25)),
    dict(code="anslutningsgrad-total", position=2, name_sv="Anslutningsgrad, totalt", name_en="Connection rate, total",
         description_sv="Anställda hos alla anslutna kunder ÷ alla anställda i staten.", description_en="Employees of all connected customers ÷ all state employees.",
         numerator="employees_connected", denominator="state_employees", factor=100, unit="%", decimals=1, direction="up", target=Decimal(25)),
    dict(code="loner-per-aa", position=3, name_sv="Lönespecifikationer per årsarbetskraft", name_en="Payslips per FTE",
         description_sv="Lönespecifikationer ÷ årsarbetskrafter i löneproduktionen (ESV:s definition).", description_en="Payslips ÷ FTE in payroll production (ESV's definition).",
         numerator="payslips", denominator="payroll_fte", factor=1, unit="", decimals=0, direction="up"),
    dict(code="levfakturor-per-aa", position=4, name_sv="Leverantörsfakturor per årsarbetskraft", name_en="Supplier invoices per FTE",
         description_sv="Leverantörsfakturor ÷ årsarbetskrafter i e-handel och redovisning.", description_en="Supplier invoices ÷ FTE in e-commerce and accounting.",
         numerator="supplier_invoices", denominator="invoice_fte", factor=1, unit="", decimals=0, direction="up"),
    dict(code="samtal-120s", position=5, name_sv="Samtal besvarade inom 120 sekunder", name_en="Calls answered within 120 seconds",
         description_sv="Samtal till servicedesk besvarade inom 120 s ÷ alla samtal.", description_en="Service-desk calls answered within 120 s ÷ all calls.",
         numerator="calls_within_120s", denominator="calls", factor=100, unit="%", decimals=0, direction="up", target=Decimal(80)),
    dict(code="driftkostnad-per-aa", position=6, name_sv="Driftkostnad per årsarbetskraft", name_en="Operating cost per FTE",
         description_sv="(Personal + lokaler + övriga driftkostnader) ÷ årsarbetskrafter, tkr; ur huvudboken.", description_en="(Personnel + premises + other operating cost) ÷ FTE, tkr; from the ledger.",
         numerator="operating_cost", denominator="fte * 1000", factor=1, unit="tkr", decimals=0, direction="down"),
    dict(code="arenden-per-besok", position=7, name_sv="Ärenden per besök på servicekontoren", name_en="Errands per visit at the service offices",
         description_sv="Ärenden för samverkansmyndigheterna ÷ besök.", description_en="Errands for the partner agencies ÷ visits.",
         numerator="errands", denominator="visits", factor=1, unit="", decimals=2, direction="up"),
]


#: The first year of the seven indicators, their baseline (seed 004: "2025 är vårt nolläge")
IT_BASELINE = 2025


def coordinates_it(provider: Provider) -> bool:
    """An IT-operations supplier that no one coordinates is the coordinator: it reports the seven
    indicators for its own services and those of the suppliers it coordinates."""
    return provider.kind == Provider.Kind.IT_SUPPLIER and provider.coordinator_id is None


def ensure_it_indicators(provider: Provider) -> list[IndicatorDefinition]:
    """The seven indicators for coordinated IT operations, for a coordinator that does not have
    them yet (from its creation on: its dashboard and annual report are these). None for others."""
    if not coordinates_it(provider):
        return []
    return ensure_definitions(provider, Family.IT_OPERATIONS, IT_INDICATORS, valid_from=IT_BASELINE, baseline=IT_BASELINE)


def ensure_definitions(provider: Provider, family: str, rows: list[dict], valid_from: int, baseline: int | None = None) -> list[IndicatorDefinition]:
    """Create version 1 of each standard indicator that the provider does not have yet."""
    created = []
    for row in rows:
        if IndicatorDefinition.objects.filter(provider=provider, code=row["code"]).exists():
            continue
        values = {"levels": "organisation", "aggregation": "ratio", **row}
        created.append(IndicatorDefinition.objects.create(provider=provider, family=family, valid_from=valid_from, baseline=baseline, **values))
    return created


def definitions(provider: Provider, family: str, year: int | None = None) -> list[IndicatorDefinition]:
    """The version of each indicator that applies in ``year`` (the latest when ``year`` is None)."""
    chosen: dict[str, IndicatorDefinition] = {}
    for definition in IndicatorDefinition.objects.filter(provider=provider, family=family).select_related("goal").order_by("code", "version"):
        if year is None or definition.valid_from <= year:
            chosen[definition.code] = definition
        elif definition.code not in chosen:
            chosen[definition.code] = definition
    return sorted(chosen.values(), key=lambda d: (d.goal.position if d.goal else 0, d.position, d.code))


# --- collectors -----------------------------------------------------------------------------------

def _store(provider: Provider, points: dict[tuple[str, str, str, int], Decimal], source: str, scope: Q) -> int:
    """Replace the provider's computed data points inside ``scope`` (the subjects and years one
    collector computes) with ``points``; entered and imported ones win over computed ones."""
    kept = set(DataPoint.objects.filter(provider=provider).exclude(origin=DataPoint.Origin.COMPUTED).values_list("element", "level", "subject", "year"))
    DataPoint.objects.filter(scope, provider=provider, origin=DataPoint.Origin.COMPUTED).delete()
    now = clock.now()
    DataPoint.objects.bulk_create([
        DataPoint(provider=provider, element=element, level=level, subject=subject, year=year, value=value, origin=DataPoint.Origin.COMPUTED, source=source, at=now)
        for (element, level, subject, year), value in points.items() if (element, level, subject, year) not in kept], batch_size=5000)
    return len(points)


def _register(kind: str, year: int) -> set[str]:
    """Organisation numbers counted by the register of ``kind`` in force on 1 January of ``year``."""
    register = AgencyRegister.objects.filter(kind=kind, valid_on__lte=date(year, 1, 1)).order_by("-valid_on").first()
    if register is None:
        return set()
    return set(register.counted().values_list("org_number", flat=True))


def suppliers_of(coordinator: Provider) -> list[Provider]:
    return [coordinator, *Provider.objects.filter(coordinator=coordinator).order_by("code")]


def subject_of(service: Service) -> str:
    return f"{service.provider.code}/{service.code}"


def outages_as_local(outages: Iterable[Outage]) -> list[tuple[datetime, datetime]]:
    return [(o.start.astimezone(STOCKHOLM).replace(tzinfo=None), o.end.astimezone(STOCKHOLM).replace(tzinfo=None)) for o in outages]


def collect_it_operations(coordinator: Provider, years: Iterable[int], as_of: date | None = None) -> int:
    """Data points for the seven indicators: per service (each supplier's catalogue service), per
    supplier and for all coordinated IT operations. Distinct agencies are counted at each level;
    additive elements are summed, so every ratio above a service is a ratio of sums."""
    years = list(years)
    as_of = as_of or clock.today()
    suppliers = suppliers_of(coordinator)
    services = list(Service.objects.filter(provider__in=suppliers).select_related("provider"))
    versions = {(v.service_id, v.year): v for v in ServiceVersion.objects.filter(service__in=services)}
    points: dict[tuple[str, str, str, int], Decimal] = {}
    entered = _entered(coordinator)
    for year in years:
        state, prepared = _register(AgencyRegister.Kind.STATE_AGENCIES, year), _register(AgencyRegister.Kind.PREPAREDNESS, year)
        year_end = min(date(year, 12, 31), as_of)
        connected: dict[int, set[str]] = defaultdict(set)
        for service_id, org_number in Agreement.objects.filter(active_on(year_end), service__in=services).values_list("service_id", "customer__org_number"):
            connected[service_id].add(org_number)
        units = _units(services, versions, year)
        prices = _prices(suppliers, year)
        previous_units = _units(services, versions, year - 1)
        groups: dict[tuple[str, str], list[Service]] = defaultdict(list)
        for service in services:
            if (service.pk, year) not in versions:
                continue
            groups[(Level.SERVICE, subject_of(service))].append(service)
            groups[(Level.SUPPLIER, service.provider.code)].append(service)
            groups[(Level.ORGANISATION, ALL)].append(service)
        per_service: dict[int, dict[str, Decimal]] = {}
        for service in services:
            version = versions.get((service.pk, year))
            if version is None:
                continue
            elements: dict[str, Decimal] = {}
            if units.get(service.pk) is not None:
                elements["units"] = units[service.pk]
            price = prices.get((service.provider_id, service.code, year))
            before = prices.get((service.provider_id, service.code, year - 1))
            if price is not None and before is not None:
                weight = previous_units.get(service.pk) or Decimal(1)
                elements["fee_new"], elements["fee_old"] = price * weight, before * weight
            if version.agreed_opening_hours:
                hours = parse_opening_hours(version.opening_hours or "")
                if isinstance(hours, OpeningHours):
                    end = min(date(year + 1, 1, 1), as_of)
                    if end > date(year, 1, 1):
                        found = availability(hours, date(year, 1, 1), end, outages_as_local(
                            Outage.objects.filter(service=service, main_function=True, end__gt=_aware(date(year, 1, 1)), start__lt=_aware(end))))
                        elements["open_minutes"], elements["outage_minutes"] = Decimal(found.open_minutes), Decimal(found.outage_minutes)
            for survey in Survey.objects.filter(service=service, year=year, kind=Survey.Kind.CUSTOMER):
                sums = summarise(survey.answers.values_list("overall", "expectations", "ideal"))
                for name, value in sums.elements().items():
                    elements[name] = elements.get(name, ZERO) + value
            per_service[service.pk] = elements
        for (level, subject), members in groups.items():
            orgs = set().union(*(connected.get(s.pk, set()) for s in members))
            points[("connected_agencies", level, subject, year)] = Decimal(len(orgs & state))
            points[("state_agencies", level, subject, year)] = Decimal(len(state))
            points[("connected_preparedness", level, subject, year)] = Decimal(len(orgs & prepared))
            points[("preparedness_agencies", level, subject, year)] = Decimal(len(prepared))
            for element in ("fee_new", "fee_old", "open_minutes", "outage_minutes", "respondents", "overall_sum", "expectations_sum", "ideal_sum"):
                values = [per_service[s.pk][element] for s in members if element in per_service.get(s.pk, {})]
                if values:
                    points[(element, level, subject, year)] = sum(values, ZERO)
            if level == Level.SERVICE:
                service = members[0]
                if "units" in per_service[service.pk]:
                    points[("units", level, subject, year)] = per_service[service.pk]["units"]
        # full cost and the stated cost of content and security changes are entered per service;
        # they add up to the supplier and the whole
        for element in ("full_cost",):
            for (level, subject), members in groups.items():
                if level == Level.SERVICE:
                    continue
                values = [entered.get((element, Level.SERVICE, subject_of(s), year)) for s in members]
                if values and all(v is not None for v in values):
                    points[(element, level, subject, year)] = sum(values, ZERO)
    scope = (Q(level__in=(Level.SERVICE, Level.SUPPLIER)) | Q(level=Level.ORGANISATION, subject=ALL)) & Q(year__in=years)
    count = _store(coordinator, points, "registry: agreements, volumes, outages, surveys, price lists, agency registers", scope)
    record("followup.collected", obj=coordinator, provider=coordinator, data={"family": "it_operations", "points": count})
    return count


def _aware(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=STOCKHOLM)


def _entered(provider: Provider) -> dict[tuple[str, str, str, int], Decimal]:
    return {(p.element, p.level, p.subject, p.year): p.value for p in DataPoint.objects.filter(provider=provider).exclude(origin=DataPoint.Origin.COMPUTED)}


def _units(services: list[Service], versions: dict, year: int) -> dict[int, Decimal]:
    """Units per service in ``year``: the mean of the monthly totals for a stock, the sum for a flow."""
    monthly: dict[int, dict[date, Decimal]] = defaultdict(dict)
    for service_id, month, total in Volume.objects.filter(service__in=services, month__year=year).values("service_id", "month").annotate(
            total=Sum("quantity")).values_list("service_id", "month", "total"):
        monthly[service_id][month] = total
    result = {}
    for service in services:
        months = monthly.get(service.pk)
        version = versions.get((service.pk, year))
        if not months or version is None:
            continue
        total = sum(months.values(), ZERO)
        result[service.pk] = round_ore(total / len(months)) if version.unit in STOCK_UNITS else total
    return result


def _prices(suppliers: list[Provider], year: int) -> dict[tuple[int, str, int], Decimal]:
    prices = {}
    for price_list in PriceList.objects.filter(provider__in=suppliers, year__in=(year - 1, year), status=PriceList.Status.PUBLISHED).order_by("id"):
        for entry in price_list.entries.select_related("service"):
            prices[(price_list.provider_id, entry.service.code, price_list.year)] = entry.unit_price
    return prices


def collect_organisation(provider: Provider, years: Iterable[int]) -> int:
    """The provider's own computed elements: employees of connected customers (payroll and all),
    state employees, payslips from volumes, operating cost and FTE from the ledger."""
    points: dict[tuple[str, str, str, int], Decimal] = {}
    subject = provider.code
    years = list(years)
    payroll_ids = payroll_services(provider)
    for year in years:
        year_end = date(year, 12, 31)
        active = Agreement.objects.filter(active_on(year_end), customer__provider=provider)
        payroll = set(active.filter(service_id__in=payroll_ids).values_list("customer_id", flat=True))
        connected = set(active.values_list("customer_id", flat=True))
        employees = dict(CustomerYear.objects.filter(customer__provider=provider, year=year).values_list("customer_id", "employees"))
        if employees:
            if payroll_ids:
                points[("employees_payroll", Level.ORGANISATION, subject, year)] = Decimal(sum(employees.get(c, 0) for c in payroll))
            points[("employees_connected", Level.ORGANISATION, subject, year)] = Decimal(sum(employees.get(c, 0) for c in connected))
        figure = ReferenceFigure.objects.filter(key=ReferenceFigure.Key.STATE_EMPLOYEES, year=year).first()
        if figure:
            points[("state_employees", Level.ORGANISATION, subject, year)] = Decimal(figure.value)
        payslips = Volume.objects.filter(provider=provider, service_id__in=payroll_ids, month__year=year).aggregate(total=Sum("quantity"))["total"]
        if payslips:
            points[("payslips", Level.ORGANISATION, subject, year)] = payslips
        kinds = ledger_kinds(provider, year)
        if kinds is not None:
            points[("operating_cost", Level.ORGANISATION, subject, year)] = kinds["personnel"] + kinds["premises"] + kinds["other_operating"]
        staff = StaffYear.objects.filter(provider=provider, year=year).first()
        if staff:
            points[("fte", Level.ORGANISATION, subject, year)] = staff.fte
        for survey in Survey.objects.filter(provider=provider, year=year, service__isnull=True):
            sums = summarise(survey.answers.values_list("overall", "expectations", "ideal"))
            for name, value in sums.elements(f"{survey.kind}_").items():
                key = (name, Level.ORGANISATION, subject, year)
                points[key] = points.get(key, ZERO) + value
    count = _store(provider, points, "registry, volumes, ledger and staff figures", Q(level=Level.ORGANISATION, subject=subject, year__in=years))
    record("followup.collected", obj=provider, provider=provider, data={"family": "own", "points": count})
    return count


def refresh(provider: Provider, years: Iterable[int] | None = None) -> int:
    """Remake every computed data point of the provider (and of the suppliers it coordinates)."""
    with transaction.atomic():
        count = 0
        if coordinates_it(provider):
            ensure_it_indicators(provider)
            it_years = years or sorted(set(ServiceVersion.objects.filter(service__provider__in=suppliers_of(provider)).values_list("year", flat=True)))
            count += collect_it_operations(provider, it_years)
        own_years = years or sorted(set(CustomerYear.objects.filter(customer__provider=provider).values_list("year", flat=True))
                                    | set(StaffYear.objects.filter(provider=provider).values_list("year", flat=True)))
        if IndicatorDefinition.objects.filter(provider=provider).exclude(family=Family.IT_OPERATIONS).exists():
            count += collect_organisation(provider, own_years)
        return count


# --- evaluation -----------------------------------------------------------------------------------

def observations(provider: Provider, level: str | None = None) -> dict[tuple[str, int], dict[str, Decimal]]:
    """All data points of the provider at ``level`` as ``{(subject, year): {element: value}}``."""
    data: dict[tuple[str, int], dict[str, Decimal]] = defaultdict(dict)
    queryset = DataPoint.objects.filter(provider=provider)
    if level:
        queryset = queryset.filter(level=level)
    for element, subject, year, value in queryset.values_list("element", "subject", "year", "value"):
        data[(subject, year)][element] = value
    return data


@dataclass(frozen=True)
class Cell:
    definition: IndicatorDefinition
    indicator: Indicator
    subject: str
    values: list[Value]                 # one per year
    trend: Trend
    restricted: bool

    @property
    def latest(self) -> Value | None:
        return self.values[-1] if self.values else None

    @property
    def previous(self) -> Value | None:
        return self.values[-2] if len(self.values) > 1 else None


def evaluate_family(provider: Provider, family: str, level: str, years: list[int], subjects: list[str] | None = None,
                    data: dict | None = None, include_restricted: bool = True) -> list[Cell]:
    """Every indicator of the family that applies at ``level``, for each subject, over ``years``.
    Subjects keep the order given (alphabetical by default): never ranked by value. Each year is
    evaluated with the version of the definition in force that year."""
    data = observations(provider, level) if data is None else data
    if subjects is None:
        subjects = sorted({subject for subject, _year in data})
    restrictions = list(Restriction.objects.filter(provider=provider))
    versions: dict[str, list[IndicatorDefinition]] = defaultdict(list)
    for definition in IndicatorDefinition.objects.filter(provider=provider, family=family).select_related("goal").order_by("code", "version"):
        versions[definition.code].append(definition)
    compiled = {d.pk: d.as_indicator() for chain in versions.values() for d in chain}
    cells = []
    for definition in sorted((chain[-1] for chain in versions.values()), key=lambda d: (d.goal.position if d.goal else 0, d.position, d.code)):
        indicator = compiled[definition.pk]
        if Level(level) not in indicator.levels:
            continue
        chain = versions[definition.code]
        by_year = {year: compiled[next((d for d in reversed(chain) if d.valid_from <= year), chain[0]).pk] for year in years}
        for subject in subjects:
            values = [evaluate(by_year[year], subject, year, data.get((subject, year), {})) for year in years]
            if not any(v.numerator is not None for v in values):
                continue
            restricted = definition.sensitive or any(r.covers(definition.code, subject) for r in restrictions)
            if restricted and not include_restricted:
                continue
            cells.append(Cell(definition, indicator, subject, values, trend(indicator, values[-2] if len(values) > 1 else None, values[-1]), restricted))
    return cells


def definitions_for_year(provider: Provider, code: str, year: int) -> Indicator | None:
    definition = IndicatorDefinition.objects.filter(provider=provider, code=code, valid_from__lte=year).order_by("-version").first()
    return definition.as_indicator() if definition else None


def goal_assessments(provider: Provider, year: int) -> list[tuple[Goal, list[Cell], object]]:
    """Each goal with its metrics for ``year`` and the year before, and the assessment rule."""
    cells = evaluate_family(provider, Family.OWN, Level.ORGANISATION, [year - 1, year], [provider.code])
    result = []
    for goal in Goal.objects.filter(provider=provider).order_by("position"):
        mine = [c for c in cells if c.definition.goal_id == goal.pk]
        result.append((goal, mine, assess_goal(c.trend for c in mine)))
    return result


@dataclass(frozen=True)
class DrillRow:
    element: str
    value: Decimal
    origin: str
    source: str
    at: datetime
    user: str


def drill_down(provider: Provider, definition: IndicatorDefinition, level: str, subject: str, year: int) -> tuple[Value, list[DrillRow], list]:
    """The value, the data points behind it, and the underlying records where there are any."""
    indicator = definitions_for_year(provider, definition.code, year) or definition.as_indicator()
    points = DataPoint.objects.filter(provider=provider, level=level, subject=subject, year=year, element__in=indicator.elements).select_related("user")
    rows = [DrillRow(p.element, p.value, p.get_origin_display(), p.source, p.at, p.user.get_username() if p.user else "") for p in points]
    value = evaluate(indicator, subject, year, {p.element: p.value for p in points})
    return value, sorted(rows, key=lambda r: r.element), _records(provider, indicator, level, subject, year)


def _records(provider, indicator: Indicator, level: str, subject: str, year: int) -> list:
    if any(name.endswith("_respondents") for name in indicator.elements):   # the organisation's own surveys, with their sample design
        return list(Survey.objects.filter(provider=provider, service__isnull=True, year=year))
    if level != Level.SERVICE or "/" not in subject:
        return []
    supplier, code = subject.split("/", 1)
    service = Service.objects.filter(provider__code=supplier, code=code).first()
    if service is None:
        return []
    if "outage_minutes" in indicator.elements:
        return list(Outage.objects.filter(service=service, start__year=year).order_by("start"))
    if "respondents" in indicator.elements:
        return list(Survey.objects.filter(service=service, year=year))
    if "connected_agencies" in indicator.elements or "connected_preparedness" in indicator.elements:
        return list(Customer.objects.filter(agreements__service=service, agreements__production_date__lte=date(year, 12, 31)).distinct().order_by("name"))
    return []


def cost_drivers(provider: Provider, subject: str, year: int) -> UnitCostChange | None:
    """Indicator 4's change from ``year − 1`` split into the four drivers, against PLO."""
    data = observations(provider, Level.SERVICE)
    before, after = data.get((subject, year - 1), {}), data.get((subject, year), {})
    plo = {y: v for y, v in PriceIndex.objects.filter(code="plo", year__in=(year - 1, year)).values_list("year", "value")}
    inputs = {y: v for y, v in PriceIndex.objects.filter(code=f"input-{subject.split('/')[0]}", year__in=(year - 1, year)).values_list("year", "value")} or plo
    needed = ("full_cost", "units")
    if any(before.get(n) is None or after.get(n) is None for n in needed) or len(plo) < 2 or len(inputs) < 2:
        return None
    return unit_cost_change(before["full_cost"], before["units"], after["full_cost"], after["units"], inputs[year - 1], inputs[year],
                            after.get("content_cost_change", ZERO), after.get("security_cost_change", ZERO), plo[year - 1], plo[year])


# --- fee-financed result, appropriation, five-year summary --------------------------------------

def _ore(amount) -> Decimal:
    """SQLite sums decimals as floating point; a sum of amounts in öre is rounded back to öre."""
    return round_ore(decimal_of(amount))


def chart_of(provider: Provider) -> fu.Chart:
    """The provider's chart of accounts as chosen on the definitions page; until chosen, the
    state's for a state agency and BAS for everyone else."""
    chosen = ElementSources.objects.filter(provider=provider).values_list("chart", flat=True).first()
    return fu.CHARTS[chosen or ("state" if provider.is_state else "bas")]


def payroll_services(provider: Provider) -> list[int]:
    """The services the provider has named as payroll (none until it names them)."""
    sources = ElementSources.objects.filter(provider=provider).first()
    return list(sources.payroll_services.values_list("pk", flat=True)) if sources else []


def ledger_kinds(provider: Provider, year: int) -> dict[str, Decimal] | None:
    cells = [(account, _ore(total)) for account, total in LedgerCell.objects.filter(provider=provider, year=year, kind=LedgerKind.ACTUAL).values(
        "account").annotate(total=Sum("amount")).values_list("account", "total")]
    if not cells:
        return None
    return chart_of(provider).kinds(cells)


def activity_results(provider: Provider) -> dict[str, dict[int, tuple[Decimal, Decimal]]]:
    """activity code → year → (revenue, cost) from the actual ledger, by the activity's objects."""
    objects = {obj: activity.code for activity in FeeActivity.objects.filter(provider=provider) for obj in activity.ledger_objects}
    totals: dict[str, dict[int, list[Decimal]]] = defaultdict(lambda: defaultdict(lambda: [ZERO, ZERO]))
    chart = chart_of(provider)
    for year, account, activity, amount in LedgerCell.objects.filter(provider=provider, kind=LedgerKind.ACTUAL, activity__in=list(objects)).values(
            "year", "account", "activity").annotate(total=Sum("amount")).values_list("year", "account", "activity", "total"):
        code, amount = objects[activity], _ore(amount)
        if fu.kind_of(account, chart.revenues):
            totals[code][year][0] -= amount        # revenue is a credit
        elif fu.kind_of(account, chart.costs):
            totals[code][year][1] += amount
    return {code: {year: (rev, cost) for year, (rev, cost) in years.items()} for code, years in totals.items()}


def accumulated_by_year(provider: Provider, code: str, last_year: int) -> dict[int, Decimal]:
    """The activity's accumulated result at the end of every ledger year up to ``last_year``."""
    activity = FeeActivity.objects.select_related("opening").get(provider=provider, code=code)
    by_year = activity_results(provider).get(code, {})
    opening = getattr(activity, "opening", None)
    first = opening.year if opening else min(by_year, default=last_year)
    yearly = {y: rev - cost for y, (rev, cost) in by_year.items()}
    return {y: fu.accumulated(opening.amount if opening else ZERO, first, yearly, y) for y in sorted(by_year) if y <= last_year}


def fee_rows(provider: Provider, year: int) -> list[fu.ActivityYear]:
    results = activity_results(provider)
    rows = []
    for activity in FeeActivity.objects.filter(provider=provider).select_related("opening").prefetch_related("budgets"):
        by_year = results.get(activity.code, {})
        opening = getattr(activity, "opening", None)
        first = opening.year if opening else min(by_year, default=year)
        yearly = {y: rev - cost for y, (rev, cost) in by_year.items()}
        before = fu.accumulated(opening.amount if opening else ZERO, first, yearly, year - 2)
        budget = next((b for b in activity.budgets.all() if b.year == year), None)
        revenue, cost = by_year.get(year, (ZERO, ZERO))
        rows.append(fu.ActivityYear(activity.code, activity.name_sv, fu.Section(activity.section), year, before, yearly.get(year - 1, ZERO),
                                    budget.revenue if budget else ZERO, revenue, budget.cost if budget else ZERO, cost))
    return rows


def appropriation_years(provider: Provider, year: int) -> list[fu.AppropriationYear]:
    result = []
    for appropriation in Appropriation.objects.filter(provider=provider):
        row = appropriation.years.filter(year=year).first()
        if row is None:
            continue
        low, high = appropriation.revenue_accounts.split("-")
        revenue = -_ore(LedgerCell.objects.filter(provider=provider, year=year, kind=LedgerKind.ACTUAL, account__gte=low, account__lte=high).aggregate(t=Sum("amount"))["t"] or ZERO)
        result.append(fu.AppropriationYear(appropriation.code, appropriation.name, year, row.opening, row.allocation, row.withdrawal,
                                           revenue + row.adjustment, row.credit_rate))
    return result


def five_year_summary(provider: Provider, last_year: int) -> list[fu.SummaryYear]:
    columns = []
    chart = chart_of(provider)
    for year in range(last_year - 4, last_year + 1):
        kinds = ledger_kinds(provider, year)
        staff = StaffYear.objects.filter(provider=provider, year=year).first()
        accounts = appropriation_years(provider, year)
        budgets = [b for a in FeeActivity.objects.filter(provider=provider) for b in a.budgets.filter(year=year)]
        result = None
        if kinds is not None:
            revenue = sum((kinds[name] for name in chart.revenue_names), ZERO)
            cost = sum((kinds[name] for name in chart.cost_names), ZERO)
            result = revenue - cost
        columns.append(fu.SummaryYear(
            year=year, fee_revenue_estimate=sum((b.revenue for b in budgets), ZERO) if budgets else None,
            fee_revenue=kinds["fees"] if kinds else None,
            credit_granted=sum((a.credit for a in accounts), ZERO) if accounts else None,
            credit_used=sum((a.credit_used for a in accounts), ZERO) if accounts else None,
            carry_over=sum((max(a.closing, ZERO) for a in accounts), ZERO) if accounts else None,
            fte=staff.fte if staff else None, average_employees=staff.average_employees if staff else None,
            operating_cost_per_fte=fu.operating_cost_per_fte(kinds["personnel"], kinds["premises"], kinds["other_operating"], staff.fte * 1000)
            if kinds and staff else None,
            result=result))
    return columns


def followup_years(provider: Provider) -> list[int]:
    return sorted(set(LedgerCell.objects.filter(provider=provider, kind=LedgerKind.ACTUAL).values_list("year", flat=True).distinct()))


def save_report_text(provider, report: str, year: int, section: str, text: str, user=None):
    """The controller's text for a section of a report, in one transaction with an audit entry."""
    with transaction.atomic():
        saved, _created = ReportText.objects.update_or_create(provider=provider, report=report, year=year, section=section,
                                                             defaults={"text": text[:20000], "user": user, "at": clock.now()})
        record("followup.report_text.saved", user=user, obj=saved, provider=provider, data={"year": year, "section": section})
    return saved


def lift_restriction(item, user=None) -> None:
    """Put a restricted item back into the open report, in one transaction with an audit entry."""
    with transaction.atomic():
        record("followup.restrictions.deleted", user=user, provider=item.provider,
               data={"subject": item.subject, "indicator": item.indicator, "reason": item.reason})
        item.delete()
