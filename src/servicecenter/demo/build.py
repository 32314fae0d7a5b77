"""Build the demo database: three kinds of provider, their catalogues, customers, agreements,
volumes and people, matching the seeds' published totals (see ``figures``).

Deterministic: the same seed gives the same database. Every per-customer number is generated.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import transaction

from servicecenter.apps.accounts.audit import record
from servicecenter.apps.accounts.models import Profile, Role
from servicecenter.apps.billing import services as billing_services
from servicecenter.apps.followup.coordination import add_supplier
from servicecenter.apps.metering.models import Volume
from servicecenter.apps.registry.models import (
    Agreement,
    Customer,
    Provider,
    Service,
)
from servicecenter.core.money import from_float, round_places, split_largest_remainder
from servicecenter.core.registry import make_orgnr
from servicecenter.demo import figures
from servicecenter.demo.allocation import CLASS_BOUNDS, scale_to, solve_cells, split_within
from servicecenter.demo.billing import STOCKHOLM_PRICES, build_billing, stockholm_price_list
from servicecenter.demo.costing import build_costing
from servicecenter.demo.files import import_file, import_rows
from servicecenter.demo.followup import build_it_followup, build_ssc_followup
from servicecenter.demo.names import (
    SEED_001_FIRST_CUSTOMERS,
    STOCKHOLM_ADMINISTRATIONS,
    STOCKHOLM_COMPANIES,
    invented_names,
)
from servicecenter.demo.network import build_network
from servicecenter.demo.stockholm import (
    CONNECTED,
    draw_employees,
    employees_total,
    stockholm_quantities,
)

PASSWORD = "demo"


@dataclass(frozen=True)
class DemoSummary:
    logins: list[tuple[str, str, str]]
    customers: int
    agreements: int
    volumes: int


class OrgNumbers:
    """Distinct, valid, invented organisation numbers (2021xxxxx + check digit)."""

    def __init__(self, rng: random.Random, prefix: str = "2021"):
        self.rng, self.prefix, self.used = rng, prefix, set()

    def next(self) -> str:
        while True:
            number = make_orgnr(self.prefix + f"{self.rng.randrange(10**5):05d}")
            if number not in self.used:
                self.used.add(number)
                return number


# --- catalogues ----------------------------------------------------------------------------------
# (area code, area sv, area en, process code, process sv, service code, service sv, service en, tier, unit, obligatory, opening hours)
SSC_CATALOGUE = [
    ("lon", "Lön", "Payroll", "loneadministration", "Löneadministration", "lon", "Lönetjänsten", "Payroll service", "base", "payslip", True, "Vardagar 07–18"),
    ("lon", "Lön", "Payroll", "loneadministration", "Löneadministration", "lon-tillagg", "Tilläggshantering lön", "Extra handling, payroll", "add_on", "hour", False, ""),
    ("lon", "Lön", "Payroll", "loneadministration", "Löneadministration", "lon-special", "Specialtjänst lön", "Special service, payroll", "special", "hour", False, ""),
    ("ehandel", "E-handel", "E-commerce", "inkop", "Inköp och beställning", "ehandel", "E-handelstjänsten", "E-commerce service", "base", "order", True, "Vardagar 07–18"),
    ("redovisning", "Redovisning", "Accounting", "leverantorsreskontra", "Leverantörsreskontra", "redovisning", "Redovisningstjänsten", "Accounting service", "base", "supplier_invoice_coded", True, "Vardagar 07–18"),
    ("redovisning", "Redovisning", "Accounting", "kundreskontra", "Kundreskontra", "kundfaktura", "Kundfakturering", "Customer invoicing", "add_on", "customer_invoice", False, ""),
    ("redovisning", "Redovisning", "Accounting", "anlaggningsreskontra", "Anläggningsreskontra", "anlaggning", "Anläggningsredovisning", "Fixed-asset accounting", "add_on", "fixed_asset", False, ""),
]
STOCKHOLM_CATALOGUE = [
    ("ekonomi", "Ekonomi", "Finance", "leverantorsreskontra", "Leverantörsreskontra", "lev-fakturor", "Leverantörsfakturor", "Supplier invoices", "base", "supplier_invoice_coded", True, ""),
    ("ekonomi", "Ekonomi", "Finance", "kundreskontra", "Kundreskontra", "kundfakturor", "Kundfakturor", "Customer invoices", "base", "customer_invoice", True, ""),
    ("ekonomi", "Ekonomi", "Finance", "kassa-bank", "Kassa och bank", "kassa-bank", "Kassa och bank (fördelad)", "Cash and bank (keyed)", "base", "month", True, ""),
    ("ekonomi", "Ekonomi", "Finance", "ekonomistod", "Ekonomistöd", "ekonomi-tillagg", "Tilläggstjänster ekonomi", "Add-on services, finance", "add_on", "hour", False, ""),
    ("lon", "Lön och pension", "Payroll and pensions", "loneadministration", "Löneadministration", "lon-bas", "Lön bastjänst (per anställd och månad)", "Payroll base service (per employee and month)", "base", "employee_month", True, ""),
    ("lon", "Lön och pension", "Payroll and pensions", "loneadministration", "Löneadministration", "tillaggshantering", "Tilläggshantering", "Extra handling", "base", "hour", True, ""),
    ("lon", "Lön och pension", "Payroll and pensions", "lonestod", "Lönestöd", "lon-tillagg", "Tilläggstjänster lön", "Add-on services, payroll", "add_on", "hour", False, ""),
    ("kontaktcenter", "Kontaktcenter", "Contact centre", "stockholm-direkt", "Kontaktcenter Stockholm Direkt", "kc-direkt", "Kontaktcenter Stockholm Direkt (fördelad)", "Contact centre Stockholm Direkt (keyed)", "base", "month", True, "Vardagar 08–18"),
    ("kontaktcenter", "Kontaktcenter", "Contact centre", "e-tjanstesupport", "E-tjänstesupport", "e-tjanstesupport", "E-tjänstesupport", "E-service support", "base", "case", True, "Vardagar 08–18"),
    ("kontaktcenter", "Kontaktcenter", "Contact centre", "kc-uppdrag", "Kontaktcenteruppdrag", "kc-tillagg", "Tilläggsuppdrag kontaktcenter", "Add-on assignments, contact centre", "add_on", "call", False, ""),
    ("upphandling", "Upphandling och inköp", "Procurement", "upphandling", "Upphandling", "upphandling", "Upphandlingsstöd", "Procurement support", "add_on", "hour", False, ""),
    ("upphandling", "Upphandling och inköp", "Procurement", "avtalsdatabas", "Avtalsdatabas", "avtalsdatabas", "Registrering i avtalsdatabas", "Contract database registration", "add_on", "order", False, ""),
    ("upphandling", "Upphandling och inköp", "Procurement", "utbildning", "Utbildning", "inkopsutbildning", "Utbildning i inköp", "Procurement training", "add_on", "participant", False, ""),
    ("rekrytering", "Rekrytering", "Recruitment", "rekrytering", "Rekrytering", "rekrytering", "Rekrytering (paket)", "Recruitment (package)", "add_on", "recruitment", False, ""),
    ("rekrytering", "Rekrytering", "Recruitment", "rekrytering", "Rekrytering", "chefsrekrytering", "Chefsrekrytering (paket)", "Manager recruitment (package)", "add_on", "recruitment", False, ""),
    ("lokaler", "Lokalplanering", "Premises planning", "lokalplanering", "Lokalplanering", "lokalplanering", "Lokalplanering", "Premises planning", "add_on", "hour", False, ""),
]
# Seed 004, Table B1: the coordinated state IT-operations catalogue, October 2025.
IT_SERVICES = {
    "vdc": ("infrastruktur", "Infrastruktur", "Infrastructure", "Virtuell datacentertjänst (vDC)", "Virtual data centre (vDC)", "computer",
            "En egen isolerad virtuell datacentermiljö för servrar, nätverk och lagring enligt avtalade volymer."),
    "objektlagring": ("infrastruktur", "Infrastruktur", "Infrastructure", "Objektbaserad lagring", "Object storage", "terabyte",
                      "Lagring av stora mängder ostrukturerade data, till exempel för back-up."),
    "cap": ("infrastruktur", "Infrastruktur", "Infrastructure", "Kapacitetstjänst (CAP)", "Capacity service (CAP)", "subscription",
            "En plattform för att utveckla, distribuera och hantera applikationer modulärt och automatiserat."),
    "safos": ("samarbete", "Samarbete", "Collaboration", "Samarbetsplattform för offentlig sektor (SAFOS)", "Collaboration platform (SAFOS)", "user",
              "Chatt, möten och samarbete för myndigheter med data som inte får lagras i utländska molntjänster."),
    "digitala-kontoret": ("samarbete", "Samarbete", "Collaboration", "Digitala kontoret", "Digital office", "user",
                          "Standardiserade tjänster med Digital arbetsplats som grund."),
    "dsp-bh": ("samarbete", "Samarbete", "Collaboration", "DSP BH – säker arbetsplats för begränsat hemlig", "Secure workplace, restricted secret (DSP BH)", "user",
               "Säkert tal, meddelanden, video och dokumentdelning, i första hand för beredskapsmyndigheter."),
    "efos": ("identitet", "Identitet", "Identity", "E-identitet för offentlig sektor (EFOS)", "E-identity for the public sector (EFOS)", "user",
             "Elektronisk tjänstelegitimation för säker inloggning, inpassering, signering och utskrift."),
    "legitimering": ("identitet", "Identitet", "Identity", "Extern autentisering – legitimeringstjänst", "External authentication", "subscription",
                     "Infrastruktur för att verifiera användares e-legitimation."),
    "underskrift": ("identitet", "Identitet", "Identity", "Digitala underskrifter – underskriftstjänst", "Digital signatures", "case",
                    "Digitala underskrifter med de e-legitimationer som legitimeringstjänsten stöder."),
    "webbanalys": ("webb", "Webb", "Web", "Webbanalys", "Web analytics", "subscription", "Insamling, lagring och analys av aktivitet på webbplatser."),
    "wefos": ("webb", "Webb", "Web", "Webbplattformar för offentlig sektor (WEFOS)", "Web platforms (WEFOS)", "subscription",
              "Drift, utveckling och förvaltning i säkerhetsklassad miljö."),
    "utskick": ("utskick", "Utskick", "Dispatch", "Utskick", "Dispatch", "order", "Fysiska brev till postoperatör eller digitala brevlådor."),
}
IT_OFFICE_HOURS = {"utskick", "webbanalys", "underskrift"}
IT_SUPPLIERS = {"fk": ["vdc", "objektlagring", "safos", "efos", "cap", "webbanalys", "digitala-kontoret", "wefos", "utskick"],
                "skv": ["vdc", "objektlagring", "legitimering", "underskrift"],
                "trv": ["dsp-bh"]}


def _catalogue(provider: Provider, rows, years, descriptions: dict[str, str] | None = None) -> dict[str, Service]:
    """The provider's catalogue, a version of every service for each of ``years``, imported as a
    service owner imports one (the catalogue import's columns); ``descriptions`` by service code,
    else a demo text."""
    versions = []
    for area_code, area_sv, area_en, process_code, process_sv, code, name_sv, name_en, tier, unit, obligatory, hours in rows:
        versions += [{"year": year, "area_code": area_code, "area_name": area_sv, "area_name_en": area_en, "process_code": process_code,
                      "process_name": process_sv, "service_code": code, "service_name": name_sv, "service_name_en": name_en, "tier": tier,
                      "unit": unit, "obligatory": "ja" if obligatory else "nej", "agreed_opening_hours": "ja" if hours else "nej",
                      "opening_hours": hours, "description": (descriptions or {}).get(code) or f"{name_sv}. Tjänstebeskrivningen är ett demoexempel.",
                      "description_en": f"{name_en}. The description is a demo example."} for year in years]
    import_rows("catalogue", versions, f"tjanstekatalog-{provider.code}.csv", provider)
    return {service.code: service for service in Service.objects.filter(provider=provider)}


def build_demo(seed: int = 2025, progress: Callable[[str], None] = lambda text: None) -> DemoSummary:
    """Migrate, then fill an empty database with the demo. Refuses a database with data in it."""
    # the processes that validate the invoices compile the rule sets on the other core while this
    # one migrates and builds the registry, not when the first month is issued
    billing_services.validator().start_workers(date(2025, 1, 31), wait=False)
    call_command("migrate", verbosity=0)
    if Provider.objects.exists():
        raise RuntimeError("the database already has providers; build the demo into an empty database")
    rng = random.Random(seed)
    orgnrs = OrgNumbers(rng)
    with transaction.atomic():
        progress("Statens servicecenter: catalogue, 171 customers, agreements, volumes 2025")
        ssc = _build_ssc(rng, orgnrs)
        progress("Statens servicecenter: ledger 2025, cost model, price lists")
        build_costing(ssc, progress)
        progress("Stockholm's service administration: six areas, 34 customers")
        stockholm = _build_stockholm(rng, orgnrs)
        progress("Coordinated IT operations: 12 services, three suppliers")
        suppliers = _build_it_operations(rng, orgnrs)
        progress("People and roles")
        logins = _build_people(ssc, stockholm, suppliers)
        build_billing(ssc, progress)
        stockholm_price_list(stockholm)
        build_ssc_followup(ssc, progress)
        build_it_followup(suppliers["fk"], rng, progress)
        build_network(ssc, rng, progress)
        record("demo.built", data={"seed": seed})
    return DemoSummary(logins, Customer.objects.count(), Agreement.objects.count(), Volume.objects.count())


# --- Statens servicecenter -----------------------------------------------------------------------

PACKAGE_KEYS = {("payroll",): "A", ("payroll", "ecommerce"): "B", ("payroll", "ecommerce", "accounting"): "C", ("ecommerce",): "D", ("ecommerce", "accounting"): "E"}
# Customers per (package, size class): rows match the package split, columns Tabell 8's counts.
CELL_COUNTS = {
    "A": {">2000": 8, "501-2000": 10, "151-500": 12, "<150": 15},
    "B": {">2000": 1, "501-2000": 4, "151-500": 7, "<150": 11},
    "C": {">2000": 4, "501-2000": 15, "151-500": 24, "<150": 35},
    "D": {">2000": 0, "501-2000": 2, "151-500": 5, "<150": 15},
    "E": {">2000": 0, "501-2000": 1, "151-500": 1, "<150": 1},
}
AREA_SERVICE = {"payroll": "lon", "ecommerce": "ehandel", "accounting": "redovisning"}


def _ssc_employee_groups(year: int) -> dict[str, int]:
    """Employees per package group from Tabell 10: A = payroll only; BC = payroll and e-commerce; DE = e-commerce without payroll."""
    published = figures.SSC_EMPLOYEES[year]
    both = published["payroll"] + published["ecommerce_accounting"] - published["total"]
    return {"A": published["payroll"] - both, "BC": both, "DE": published["ecommerce_accounting"] - both}


def _build_ssc(rng: random.Random, orgnrs: OrgNumbers) -> Provider:
    ssc = Provider.objects.create(code="ssc", name="Statens servicecenter", org_number=make_orgnr("202100625"), kind=Provider.Kind.STATE_SERVICE_CENTRE, is_demo=True)
    import_rows("partner_agencies", [{"code": code, "name": name, "org_number": make_orgnr(nine)} for code, name, nine in [
        ("AF", "Arbetsförmedlingen", "202100209"), ("FK", "Försäkringskassan", "202100552"), ("MIGR", "Migrationsverket", "202100216"),
        ("PM", "Pensionsmyndigheten", "202100621"), ("SKV", "Skatteverket", "202100544")]], "samverkansmyndigheter.csv", ssc)
    import_rows("reference_figures",
                [{"figure": "state_employees", "year": year, "value": value, "source": source} for year, (value, source) in figures.STATE_EMPLOYEES.items()]
                + [{"figure": "state_agencies", "year": 2025, "value": figures.STATE_AGENCIES_2025, "source": "Statskontoret 2025 (seed 004)"},
                   {"figure": "preparedness_agencies", "year": 2025, "value": figures.PREPAREDNESS_AGENCIES_2025, "source": "Förordning 2022:524 bilaga 1 (seed 004)"}],
                "referenstal.csv", ssc)
    services = _catalogue(ssc, SSC_CATALOGUE, [2023, 2024, 2025])
    levels = [("lon", "Lönespecifikationer korrekta och i tid", "99.5", "%"), ("lon", "Tillgänglighet lönesystem under öppettid", "99.5", "%"),
              ("redovisning", "Tillgänglighet ekonomisystem under öppettid", "99.5", "%"),
              ("ehandel", "Samtal till kundservice besvarade inom 120 s", "80", "%")]
    import_rows("service_levels", [{"service_code": code, "year": 2025, "metric": metric, "threshold": threshold, "unit": unit, "period": "månad"}
                                   for code, metric, threshold, unit in levels], "servicenivaer-ssc.csv", ssc)

    # Employees per cell (exact totals), then per customer.
    shares = {size: Decimal(share) for size, (_count, share) in figures.SSC_SIZE_CLASSES.items()}
    groups = _ssc_employee_groups(2025)
    counts = {(package, size): n for package, row in CELL_COUNTS.items() for size, n in row.items()}
    cells = solve_cells(counts, {"A": (["A"], groups["A"]), "BC": (["B", "C"], groups["BC"]), "DE": (["D", "E"], groups["DE"])}, shares, figures.SSC_EMPLOYEES[2025]["total"])
    members_by_size = []  # (package, size, employees)
    for (package, size), total in sorted(cells.items()):
        low, high = CLASS_BOUNDS[size]
        for employees in split_within(total, counts[(package, size)], low, high, rng):
            members_by_size.append((package, size, employees))
    members_by_size.sort(key=lambda member: -member[2])
    named = list(SEED_001_FIRST_CUSTOMERS)
    invented = invented_names(len(members_by_size), set(named))
    rng.shuffle(invented)
    names = named + invented
    # The largest customers get the seed's names (the first customers were large agencies).
    package_areas = {key: areas for areas, key in PACKAGE_KEYS.items()}
    # The register, imported as the centre's controller imports one (an agency is known by its
    # organisation number); then who joined when, the agreements and the employees per year, each
    # imported the same way. Keyed by organisation number until the customers exist.
    register, members = [], []   # members: (organisation number, package, employees)
    for index, (package, _size, employees) in enumerate(members_by_size):
        org_number = orgnrs.next()
        register.append({"org_number": org_number, "name": names[index], "sector": "state", "peppol_id": f"0007:{org_number.replace('-', '')}",
                         "preparedness_from": date(2022, 10, 1) if rng.random() < 0.3 else ""})
        members.append((org_number, package, employees))
    import_rows("customers", register, "kunder-ssc-illustrativa.csv", ssc)

    # Who joined when: Tabell 9 implies one payroll-only customer joined in 2025, two payroll-only
    # and one e-commerce-only in 2024; everyone else by 2023, 100 of them by the end of 2012.
    by_package = {key: [m for m in members if m[1] == key] for key in "ABCDE"}
    joined: dict[str, int] = {}
    small_a = sorted(by_package["A"], key=lambda m: m[2])
    joined[small_a[0][0]] = 2025
    joined[small_a[1][0]] = 2024
    joined[small_a[2][0]] = 2024
    joined[sorted(by_package["D"], key=lambda m: m[2])[0][0]] = 2024
    earlier = [m for m in members if m[0] not in joined]
    rng.shuffle(earlier)
    for position, (org_number, _package, _employees) in enumerate(earlier):
        joined[org_number] = 2012 if position < figures.SSC_CUSTOMERS_2012 else rng.randint(2013, 2023)

    agreements = []

    def agreement(org_number: str, service: str, state: str, **dates) -> None:
        agreements.append({"org_number": org_number, "service_code": service, "state": state, **{k: v or "" for k, v in dates.items()}})

    for org_number, package, _employees in members:
        year = joined[org_number]
        start = date(year, 6, 1) if year == 2012 else date(year, rng.randint(1, 12), 1)
        for area in package_areas[package]:
            agreement(org_number, AREA_SERVICE[area], "production", intent_date=date(start.year - 1, 9, 1) if start.year > 2012 else None,
                      onboarding_date=date(start.year, 1, 1) if start.month > 1 and start.year > 2012 else None,
                      production_date=start, buyer_reference=f"SSC-{org_number[-4:]}")
        if "payroll" in package_areas[package] and rng.random() < 0.25:
            agreement(org_number, "lon-tillagg", "production", production_date=max(start, date(2020, 1, 1)))
        if "accounting" in package_areas[package] and rng.random() < 0.5:
            agreement(org_number, "kundfaktura", "production", production_date=max(start, date(2018, 1, 1)))
    # The pipeline: customers on their way to another service, and a few ended add-ons.
    payroll_only = [m for m in by_package["A"] if joined[m[0]] < 2024]
    for index, (org_number, _package, _employees) in enumerate(payroll_only[:9]):
        state = ["interest", "letter_of_intent", "onboarding"][index % 3]
        agreement(org_number, "ehandel", state, interest_date=date(2025, 3, 1), intent_date=date(2025, 6, 1) if state != "interest" else None,
                  onboarding_date=date(2025, 10, 1) if state == "onboarding" else None)
    for org_number, _package, _employees in [m for m in by_package["C"] if joined[m[0]] <= 2020][:4]:
        agreement(org_number, "lon-special", "ended", production_date=date(2021, 1, 1), ended_date=date(2024, 7, 1))
    import_rows("agreements", agreements, "avtal-ssc-illustrativa.csv", ssc)

    # Employees per year: 2025 as allocated; 2023 and 2024 scaled per package group to Tabell 10;
    # imported as each year's figures are (the customer import, a row per customer and year).
    names_of = {row["org_number"]: row["name"] for row in register}
    years = []

    def year_row(org_number: str, year: int, value: int, turnover: Decimal | str = "") -> None:
        years.append({"org_number": org_number, "name": names_of[org_number], "year": year, "employees": value, "turnover": turnover})

    for year in (2023, 2024, 2025):
        targets = _ssc_employee_groups(year)
        for group, packages in (("A", "A"), ("BC", "BC"), ("DE", "DE")):
            present = [(o, e) for o, p, e in members if p in packages and joined[o] <= year]
            values = [e for _o, e in present] if year == 2025 else scale_to([e for _o, e in present], targets[group])
            for (org_number, _employees), value in zip(present, values, strict=True):
                year_row(org_number, year, value, Decimal(value) * Decimal(rng.randint(900, 1600)) * 1000)
    # 2012 (seed 001): 35,937 employees in payroll customers, 36,309 in all customers.
    first = [(o, p, e) for o, p, e in members if joined[o] == 2012]
    payroll_first = [(o, e) for o, p, e in first if p in "ABC"]
    other_first = [(o, e) for o, p, e in first if p in "DE"]
    targets = {"payroll": figures.SSC_EMPLOYEES_2012["payroll"], "other": figures.SSC_EMPLOYEES_2012["total"] - figures.SSC_EMPLOYEES_2012["payroll"]}
    for group, target in ((payroll_first, targets["payroll"]), (other_first, targets["other"])):
        if group:
            for (org_number, _employees), value in zip(group, scale_to([e for _o, e in group], target), strict=True):
                year_row(org_number, 2012, value)
    import_rows("customers", years, "anstallda-ssc-illustrativa.csv", ssc)

    stored = {customer.org_number: customer for customer in Customer.objects.filter(provider=ssc)}
    customers = [(stored[org_number], package, size) for org_number, package, size in members]
    _ssc_volumes(rng, customers, services)
    return ssc


SEASON = [1.0, 1.0, 1.0, 1.0, 1.0, 1.12, 1.18, 0.95, 1.0, 1.0, 1.0, 1.1]


def _ssc_volumes(rng: random.Random, customers, services) -> None:
    """2025 volumes. Payslips add up to the 1,486,533 of the annual report; the rest is illustrative."""
    active, since = {}, {}
    for agreement in Agreement.objects.filter(service__provider__code="ssc", state="production"):
        active.setdefault(agreement.service_id, []).append(agreement.customer_id)
        since[(agreement.customer_id, agreement.service_id)] = agreement.production_date.replace(day=1)
    employees = {c.pk: e for c, _p, e in customers}
    rows = []

    def spread(service: Service, total: int, per_employee: float) -> None:
        """``total`` (or, when 0, about ``per_employee`` a month) over the months each customer's
        agreement was in production: a customer that joined in 2025 has no volume before it did."""
        weights = {}
        for customer_id in active.get(service.pk, []):
            for month in range(1, 13):
                weight = from_float(employees[customer_id] * per_employee * SEASON[month - 1] * rng.uniform(0.9, 1.1), 4)   # drawn for every month:
                if date(2025, month, 1) >= since[(customer_id, service.pk)]:                                                # the same draws as before
                    weights[(customer_id, month)] = weight
        if not weights:
            return
        amounts = split_largest_remainder(Decimal(total), weights, step=Decimal(1)) if total else {k: round_places(w, 0) for k, w in weights.items()}
        for (customer_id, month), quantity in amounts.items():
            rows.append(Volume(provider=service.provider, customer_id=customer_id, service=service, month=date(2025, month, 1), quantity=quantity, source="demo"))

    spread(services["lon"], figures.SSC_PAYSLIPS_2025, 1.0)
    spread(services["ehandel"], 0, 0.22)
    spread(services["redovisning"], 0, 0.95)
    spread(services["kundfaktura"], 0, 0.05)
    for customer_id in active.get(services["lon-tillagg"].pk, []):
        # hours of extra handling: each customer its own level (4–30 h), months within ±20 % of it
        # (the same draws of ``rng`` as before, so that the rest of the demo stays as it was)
        level = random.Random(f"lon-tillagg-{customer_id}").randint(4, 30)
        for month in range(1, 13):
            share = from_float(0.8 + 0.4 * (rng.randint(2, 40) - 2) / 38, 4)
            if date(2025, month, 1) < since[(customer_id, services["lon-tillagg"].pk)]:
                continue
            rows.append(Volume(provider=services["lon-tillagg"].provider, customer_id=customer_id, service=services["lon-tillagg"], month=date(2025, month, 1),
                               quantity=max(Decimal(1), round_places(level * share, 0)), source="demo"))
    _import_volumes(services['lon'].provider, rows)


# --- Stockholm -----------------------------------------------------------------------------------

def _build_stockholm(rng: random.Random, orgnrs: OrgNumbers) -> Provider:
    provider = Provider.objects.create(code="stockholm", name="Serviceförvaltningen, Stockholms stad", org_number=make_orgnr("212000014"),
                                       kind=Provider.Kind.MUNICIPAL_SERVICE, is_demo=True)
    services = _catalogue(provider, STOCKHOLM_CATALOGUE, [2020, 2021])
    obligatory = [code for code, *_ in [(row[5],) for row in STOCKHOLM_CATALOGUE if row[10]]]
    optional = [row[5] for row in STOCKHOLM_CATALOGUE if not row[10]]
    names = STOCKHOLM_ADMINISTRATIONS + STOCKHOLM_COMPANIES
    # every customer buys the payroll base service: together they are the employees its 34.7 Mkr pays for
    sizes = draw_employees(rng, len(names), employees_total(Decimal(STOCKHOLM_PRICES["lon-bas"]["unit_price"])))
    # The administrations are one legal person, the city, under its organisation number, each
    # with a customer number of its own; the companies are legal persons of their own. Imported
    # as the city's controller imports its register: one row per customer and year.
    rows, numbers = [], []
    for index, name in enumerate(names):
        if name in STOCKHOLM_COMPANIES:
            number = make_orgnr(f"5560{rng.randrange(10**5):05d}")   # no customer number: its organisation number is its number
            customer = {"org_number": number, "name": name, "sector": "company"}
        else:
            number = str(1001 + index)
            customer = {"customer_number": number, "org_number": provider.org_number, "legal_name": "Stockholms stad", "name": name,
                        "sector": "municipal", "buyer_reference": f"SF-{number}"}
        numbers.append(number)
        for year in (2020, 2021):
            rows.append({**customer, "year": year, "employees": sizes[index] if year == 2020 else int(sizes[index] * rng.uniform(0.97, 1.03))})
    import_rows("customers", rows, "kunder-stockholm-illustrativa.csv", provider)
    by_number = {customer.number: customer for customer in Customer.objects.filter(provider=provider)}
    customers = [by_number[number] for number in numbers]
    agreements = []
    for number, customer in zip(numbers, customers, strict=True):
        chosen = obligatory if customer.sector == "municipal" else ["lev-fakturor", "kundfakturor", "lon-bas"]
        chosen = chosen + rng.sample(optional, k=rng.randint(1, 4))
        agreements += [{"customer_number": number, "service_code": code, "state": "production", "production_date": CONNECTED} for code in chosen]
    import_rows("agreements", agreements, "avtal-stockholm-illustrativa.csv", provider)
    size_of = {customer.pk: sizes[index] for index, customer in enumerate(customers)}
    buyers: dict[str, dict[int, int]] = {}
    for customer_id, code in Agreement.objects.filter(customer__provider=provider).order_by("pk").values_list("customer_id", "service__code"):
        buyers.setdefault(code, {})[customer_id] = size_of[customer_id]
    discounted = list(Agreement.objects.filter(customer__provider=provider, service__code="ekonomi-tillagg").order_by("pk")
                      .values_list("customer_id", flat=True)[:3])   # the agreements the price list gives the add-on discount
    quantities = stockholm_quantities(rng, STOCKHOLM_PRICES, buyers, discounted)
    rows = [Volume(provider=provider, customer_id=customer_id, service_id=services[code].pk, month=date(2020, month, 1), quantity=Decimal(quantity), source="demo")
            for code, cells in quantities.items() for (customer_id, month), quantity in cells.items() if quantity]
    _import_volumes(provider, rows)
    return provider


# --- coordinated IT operations --------------------------------------------------------------------

def _build_it_operations(rng: random.Random, orgnrs: OrgNumbers) -> dict[str, Provider]:
    fk = Provider.objects.create(code="fk", name="Försäkringskassan (it-drift)", org_number=make_orgnr("202100552"), kind=Provider.Kind.IT_SUPPLIER, is_demo=True)
    # the suppliers as a coordinator registers them, on its suppliers page
    skv = add_supplier(fk, code="skv", name="Skatteverket (it-drift)", org_number=make_orgnr("202100544"))
    trv = add_supplier(fk, code="trv", name="Trafikverket (it-drift)", org_number=make_orgnr("202100626"))
    suppliers = {"fk": fk, "skv": skv, "trv": trv}
    # One pool of agencies: an agency connected to two suppliers is the same organisation number.
    pool = [(name, orgnrs.next(), rng.random() < 0.35) for name in invented_names(60, set())]
    for code, service_codes in IT_SUPPLIERS.items():
        provider = suppliers[code]
        rows = []
        for service_code in service_codes:
            area_code, area_sv, area_en, name_sv, name_en, unit, description = IT_SERVICES[service_code]
            hours = "Vardagar 07–18" if service_code in IT_OFFICE_HOURS else "Dygnet runt"
            rows.append((area_code, area_sv, area_en, area_code, area_sv, service_code, name_sv, name_en, "base", unit, False, hours))
        services = _catalogue(provider, rows, [2025, 2026], {code: IT_SERVICES[code][6] for code in service_codes})
        import_rows("service_levels", [{"service_code": service_code, "year": version.year, "metric": "Tillgänglighet under avtalad öppettid",
                                        "metric_en": "Availability during agreed opening hours", "threshold": "99.5", "unit": "%"}
                                       for service_code in service_codes for version in services[service_code].versions.all()],
                    f"servicenivaer-{code}.csv", provider)
        count = {"fk": 40, "skv": 25, "trv": 12}[code]
        register, agreements = [], []   # the supplier's customers, a row per year, and their agreements, imported
        chosen = rng.sample(pool, count)
        for name, org_number, prepared in chosen:
            customer = {"org_number": org_number, "name": name, "sector": "state",
                        "preparedness_from": date(2022, 10, 1) if prepared or code == "trv" else ""}
            employees = rng.randint(40, 3000)
            register.append({**customer, "year": 2025, "employees": employees})
            register.append({**customer, "year": 2026, "employees": int(employees * rng.uniform(0.97, 1.06))})
        for _name, org_number, _prepared in chosen:
            for service_code in rng.sample(service_codes, k=rng.randint(1, len(service_codes))):
                agreements.append({"org_number": org_number, "service_code": service_code, "state": "production", "production_date": _it_start(rng)})
        import_rows("customers", register, f"kunder-{code}-illustrativa.csv", provider)
        import_rows("agreements", agreements, f"avtal-{code}-illustrativa.csv", provider)
        volumes = []
        for agreement in Agreement.objects.filter(customer__provider=provider).select_related("customer"):
            size = agreement.customer.years.get(year=2025).employees
            share = rng.uniform(0.05, 1.0)
            for year in (2025, 2026):
                for month in range(1, 13):
                    if date(year, month, 1) >= agreement.production_date.replace(day=1):
                        quantity = size * share * rng.uniform(0.95, 1.05) * (1 + 0.04 * (year - 2025))
                        volumes.append(Volume(provider=provider, customer_id=agreement.customer_id, service_id=agreement.service_id, month=date(year, month, 1),
                                              quantity=Decimal(max(1, int(quantity))), source="demo"))
        _import_volumes(provider, volumes)
    return suppliers


def _import_volumes(provider: Provider, rows: list[Volume]) -> None:
    """The demo's volumes imported as a service owner imports a month's file (customer number,
    service code, month, quantity; every row checked against the agreements), source "demo"."""
    numbers = dict(Customer.objects.filter(provider=provider).values_list("id", "number"))
    codes = dict(Service.objects.filter(provider=provider).values_list("id", "code"))
    lines = [f"{numbers[row.customer_id]};{codes[row.service_id]};{row.month:%Y-%m};{row.quantity};demo\n" for row in rows]
    data = ("kundnummer;tjänstekod;månad;volym;källa\n" + "".join(lines)).encode()
    import_file("volumes", data, f"volymer-{provider.code}-illustrativa.csv", provider)


def _it_start(rng: random.Random) -> date:
    """When an agency joined an IT service: 2019 to mid-2026 (the demo's IT data run through 2026)."""
    year = rng.randint(2019, 2026)
    return date(year, rng.randint(1, 6 if year == 2026 else 12), 1)


# --- people --------------------------------------------------------------------------------------

def _build_people(ssc: Provider, stockholm: Provider, suppliers: dict[str, Provider]) -> list[tuple[str, str, str]]:
    User = get_user_model()
    contact_customer = Customer.objects.get(provider=ssc, name="Kronofogdemyndigheten")
    people = [
        ("admin", "Ada", "Administratör", Role.ADMINISTRATOR, None, None),
        ("controller", "Clara", "Controller", Role.CONTROLLER, ssc, None),
        ("tjansteagare", "Tore", "Tjänsteägare", Role.SERVICE_OWNER, ssc, None),
        ("planerare", "Nils", "Nätverksplanerare", Role.NETWORK_PLANNER, ssc, None),
        ("lasare", "Lisa", "Läsare", Role.READER, ssc, None),
        ("kundkontakt", "Kim", "Kundkontakt", Role.CUSTOMER_CONTACT, None, contact_customer),
        ("attestant", "Alva", "Attestant", Role.CONTROLLER, ssc, None),   # approves what `controller` prepared (four eyes)
        ("sthlm-controller", "Sara", "Stockholm", Role.CONTROLLER, stockholm, None),
        ("sthlm-attestant", "Sten", "Attestant", Role.CONTROLLER, stockholm, None),
        ("it-samordnare", "Ivar", "Samordnare", Role.CONTROLLER, suppliers["fk"], None),
    ]
    logins = []
    # one hash for the one published demo password (PBKDF2 takes a quarter of a second per user)
    hashed = make_password(PASSWORD)
    for username, first, last, role, provider, customer in people:
        user = User.objects.create_user(username=username, password=None, first_name=first, last_name=last,
                                        is_staff=role == Role.ADMINISTRATOR, is_superuser=role == Role.ADMINISTRATOR)
        user.password = hashed
        user.save(update_fields=["password"])
        Profile.objects.create(user=user, role=role, provider=provider, customer=customer)
        logins.append((username, str(role.label), provider.name if provider else (customer.name if customer else "alla")))
    return logins
