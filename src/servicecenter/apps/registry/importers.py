"""Importers for customers, the service catalogue and agreements (CSV or Excel).

Column names are English identifiers; the Swedish headings a user would write are accepted
as aliases (``organisationsnummer``, ``namn``, ``anställda`` ...). docs/imports.md lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from servicecenter.apps.accounts.audit import entry as audit_entry
from servicecenter.apps.accounts.audit import record
from servicecenter.apps.accounts.models import AuditEntry
from servicecenter.apps.imports.base import Importer, register
from servicecenter.apps.registry.models import (
    Agreement,
    Customer,
    CustomerYear,
    Process,
    Service,
    ServiceArea,
    ServiceVersion,
)
from servicecenter.core import limits
from servicecenter.core import registry as rules
from servicecenter.core.problems import Problem
from servicecenter.formats.tabular import Column
from servicecenter.formats.values import (
    parse_bool,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
    parse_year,
)

SECTOR_ALIASES = {"stat": "state", "statlig": "state", "kommun": "municipal", "kommunal": "municipal", "bolag": "company", "övrig": "other", "annan": "other"}
TIER_ALIASES = {"bas": "base", "bastjänst": "base", "tillägg": "add_on", "tilläggstjänst": "add_on", "add-on": "add_on", "specialtjänst": "special"}
UNIT_ALIASES = {
    "lönespecifikation": "payslip", "lönespec": "payslip", "anställd och månad": "employee_month",
    "leverantörsfaktura med kontering": "supplier_invoice_coded", "leverantörsfaktura utan kontering": "supplier_invoice_uncoded",
    "kundfaktura": "customer_invoice", "anläggningstillgång": "fixed_asset", "beslut": "decision", "ärende": "case",
    "timme": "hour", "deltagare": "participant", "användare": "user", "tb": "terabyte", "dator": "computer",
    "beställning": "order", "rekrytering": "recruitment", "samtal": "call", "månad": "month", "abonnemang": "subscription",
}
STATE_ALIASES = {
    "intresse": "interest", "avsiktsförklaring": "letter_of_intent", "anslutning": "onboarding", "införande": "onboarding",
    "produktion": "production", "i produktion": "production", "avslutad": "ended", "avslutat": "ended",
}


def _orgnr(text: str) -> tuple[str | None, Problem | None]:
    if not (text or "").strip():
        return None, Problem("value.required")
    problems = rules.check_orgnr(text)
    if problems:
        return None, problems[0]
    return rules.normalise_orgnr(text), None


# --- customers ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class CustomerRow:
    org_number: str
    name: str
    sector: str | None
    year: int | None
    employees: int | None
    turnover: Decimal | None
    host_org_number: str | None
    preparedness_from: date | None
    preparedness_until: date | None
    peppol_id: str | None


@register
class CustomerImporter(Importer):
    kind = "customers"
    label = _("Customers")
    help_text = _("One row per customer and year: organisation number, name, sector, year, employees, turnover.")
    columns = (
        Column("org_number", True, ("organisationsnummer", "orgnr", "org_nr")),
        Column("name", True, ("namn", "kund", "myndighet")),
        Column("sector", False, ("sektor",)),
        Column("year", False, ("år", "ar")),
        Column("employees", False, ("anställda", "antal anställda")),
        Column("turnover", False, ("omsättning", "omslutning")),
        Column("host_org_number", False, ("värdmyndighet", "värdmyndighet orgnr")),
        Column("preparedness_from", False, ("beredskapsmyndighet från", "beredskap från")),
        Column("preparedness_until", False, ("beredskapsmyndighet till", "beredskap till")),
        Column("peppol_id", False, ("peppol", "peppol-id")),
    )

    def prepare(self) -> None:
        self.existing = {c.org_number: c for c in Customer.objects.filter(provider=self.provider)}

    def check_row(self, number, row, heading):
        check = self.row_check(number, heading)
        org_number = check.take("org_number", _orgnr(row.get("org_number", "")))
        name = check.take("name", parse_text(row.get("name", "")))
        sector = check.take("sector", parse_choice(row.get("sector", ""), [s.value for s in rules.Sector], required=False, aliases=SECTOR_ALIASES))
        employees = check.take("employees", parse_int(row.get("employees", ""), required=False, limit=limits.EMPLOYEES))
        year = None
        if row.get("year", "").strip() or employees is not None:
            year = check.take("year", parse_year(row.get("year", "")))
        turnover = check.take("turnover", parse_decimal(row.get("turnover", ""), required=False, limit=limits.COST))
        host = None
        if row.get("host_org_number", "").strip():
            host = check.take("host_org_number", _orgnr(row["host_org_number"]))
            if host is not None and host == org_number:
                check.add("host_org_number", Problem("customer.host_self", value=row["host_org_number"]))
        prep_from = check.take("preparedness_from", parse_date(row.get("preparedness_from", ""), required=False))
        prep_until = check.take("preparedness_until", parse_date(row.get("preparedness_until", ""), required=False))
        if prep_until and (prep_from is None or prep_until <= prep_from):
            check.add("preparedness_until", Problem("dates.order", {"later": "preparedness_until", "later_date": prep_until.isoformat(), "earlier": "preparedness_from", "earlier_date": prep_from.isoformat() if prep_from else "–"}, value=prep_until.isoformat()))
        if check.problems:
            return None, check.problems
        return CustomerRow(org_number, name, sector, year, employees, turnover, host, prep_from, prep_until, row.get("peppol_id") or None), []

    def check_all(self, checked, heading):
        problems = self.duplicates(checked, lambda r: (r.org_number, r.year), self.source)
        in_file = {r.org_number for _, r in checked}
        for number, row in checked:
            if row.host_org_number and row.host_org_number not in self.existing and row.host_org_number not in in_file:
                problems.append(Problem("customer.host_unknown", {"orgnr": row.host_org_number}, source=self.source, row=number, column=heading("host_org_number"), value=row.host_org_number))
        return problems

    def apply(self, checked):
        counts = {"created": 0, "updated": 0, "years": 0}
        customers = dict(self.existing)
        seen: set[str] = set()
        for _number, row in checked:
            customer = customers.get(row.org_number)
            first_row = row.org_number not in seen
            seen.add(row.org_number)
            if customer is None:
                customer = Customer(provider=self.provider, org_number=row.org_number)
                customers[row.org_number] = customer
                counts["created"] += 1
                action = "created"
            else:
                counts["updated"] += first_row
                action = "updated"
            customer.name = row.name
            if row.sector:
                customer.sector = row.sector
            if row.preparedness_from is not None:
                customer.preparedness_from, customer.preparedness_until = row.preparedness_from, row.preparedness_until
            if row.peppol_id:
                customer.peppol_id = row.peppol_id
            customer.save()
            record(f"registry.customer.{action}", user=self.user, obj=customer, provider=self.provider, data={"source": self.source})
            if row.year is not None and row.employees is not None:
                CustomerYear.objects.update_or_create(customer=customer, year=row.year, defaults={"employees": row.employees, "turnover": row.turnover})
                counts["years"] += 1
        for _number, row in checked:
            if row.host_org_number:
                customer = customers[row.org_number]
                customer.host = customers[row.host_org_number]
                customer.save(update_fields=["host"])
        return counts


# --- catalogue ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class CatalogueRow:
    year: int
    area_code: str
    area_name: str
    area_name_en: str
    process_code: str
    process_name: str
    process_name_en: str
    service_code: str
    service_name: str
    service_name_en: str
    tier: str
    unit: str
    obligatory: bool
    agreed_opening_hours: bool
    opening_hours: str
    description: str
    description_en: str


@register
class CatalogueImporter(Importer):
    kind = "catalogue"
    label = _("Service catalogue")
    help_text = _("One row per service and year: area, process, service, tier, unit, whether obligatory.")
    columns = (
        Column("year", True, ("år", "katalogår")),
        Column("area_code", True, ("tjänsteområde kod", "område kod", "områdeskod")),
        Column("area_name", True, ("tjänsteområde", "område")),
        Column("area_name_en", False, ("service area",)),
        Column("process_code", True, ("process kod", "processkod")),
        Column("process_name", True, ("process",)),
        Column("process_name_en", False, ()),
        Column("service_code", True, ("tjänst kod", "tjänstekod")),
        Column("service_name", True, ("tjänst", "tjänstens namn")),
        Column("service_name_en", False, ("service",)),
        Column("tier", True, ("nivå", "tjänstetyp")),
        Column("unit", True, ("enhet",)),
        Column("obligatory", False, ("obligatorisk",)),
        Column("agreed_opening_hours", False, ("avtalade öppettider",)),
        Column("opening_hours", False, ("öppettider",)),
        Column("description", False, ("tjänstebeskrivning", "beskrivning")),
        Column("description_en", False, ()),
    )

    def prepare(self) -> None:
        self.process_area = {
            p.code: p.area.code for p in Process.objects.filter(area__provider=self.provider).select_related("area")
        }

    def check_row(self, number, row, heading):
        check = self.row_check(number, heading)
        year = check.take("year", parse_year(row.get("year", "")))
        texts = {}
        for name in ("area_code", "area_name", "process_code", "process_name", "service_code", "service_name"):
            texts[name] = check.take(name, parse_text(row.get(name, ""), limit=60 if name.endswith("code") else 200))
        tier = check.take("tier", parse_choice(row.get("tier", ""), [t.value for t in rules.Tier], aliases=TIER_ALIASES))
        unit, p = parse_choice(row.get("unit", ""), [u.value for u in rules.Unit], aliases=UNIT_ALIASES)
        if p is not None and p.code == "value.choice":
            p = Problem("unit.unknown", {"unit": row.get("unit", ""), "choices": ", ".join(u.value for u in rules.Unit)}, value=row.get("unit", ""))
        check.add("unit", p)
        obligatory = check.take("obligatory", parse_bool(row.get("obligatory", "")))
        opening = check.take("agreed_opening_hours", parse_bool(row.get("agreed_opening_hours", "")))
        if check.problems:
            return None, check.problems
        return CatalogueRow(
            year, texts["area_code"], texts["area_name"], row.get("area_name_en", ""), texts["process_code"], texts["process_name"],
            row.get("process_name_en", ""), texts["service_code"], texts["service_name"], row.get("service_name_en", ""),
            tier, unit, obligatory, opening, row.get("opening_hours", ""), row.get("description", ""), row.get("description_en", ""),
        ), []

    def check_all(self, checked, heading):
        problems = self.duplicates(checked, lambda r: (r.service_code, r.year), self.source)
        areas = dict(self.process_area)
        for number, row in checked:
            known = areas.setdefault(row.process_code, row.area_code)
            if known != row.area_code:
                problems.append(Problem("process.area_mismatch", {"process": row.process_code, "area": known}, source=self.source, row=number, column=heading("area_code"), value=row.area_code))
        return problems

    def apply(self, checked):
        counts = {"areas": 0, "processes": 0, "services": 0, "versions_created": 0, "versions_updated": 0}
        for _number, row in checked:
            area, created = ServiceArea.objects.update_or_create(provider=self.provider, code=row.area_code, defaults={"name_sv": row.area_name, "name_en": row.area_name_en})
            counts["areas"] += created
            process, created = Process.objects.update_or_create(area=area, code=row.process_code, defaults={"name_sv": row.process_name, "name_en": row.process_name_en})
            counts["processes"] += created
            service, created = Service.objects.get_or_create(provider=self.provider, code=row.service_code)
            counts["services"] += created
            version, created = ServiceVersion.objects.update_or_create(
                service=service, year=row.year,
                defaults=dict(process=process, name_sv=row.service_name, name_en=row.service_name_en, tier=row.tier, unit=row.unit,
                              obligatory=row.obligatory, agreed_opening_hours=row.agreed_opening_hours, opening_hours=row.opening_hours,
                              description_sv=row.description, description_en=row.description_en),
            )
            counts["versions_created" if created else "versions_updated"] += 1
            record(f"registry.service_version.{'created' if created else 'updated'}", user=self.user, obj=version, provider=self.provider, data={"source": self.source})
        return counts


# --- agreements --------------------------------------------------------------------------------

@dataclass(frozen=True)
class AgreementRow:
    customer_id: int
    service_id: int
    state: str
    dates: rules.AgreementDates
    buyer_reference: str


@register
class AgreementImporter(Importer):
    kind = "agreements"
    label = _("Agreements")
    help_text = _("One row per customer and service: state in the pipeline and the date of each step.")
    columns = (
        Column("org_number", True, ("organisationsnummer", "orgnr")),
        Column("service_code", True, ("tjänst kod", "tjänstekod", "tjänst")),
        Column("state", True, ("status", "läge")),
        Column("interest_date", False, ("intresse",)),
        Column("intent_date", False, ("avsiktsförklaring",)),
        Column("onboarding_date", False, ("anslutning", "införande")),
        Column("production_date", False, ("produktion", "i produktion")),
        Column("ended_date", False, ("avslutad", "slutdatum")),
        Column("buyer_reference", False, ("köparens referens", "referens")),
    )

    def prepare(self) -> None:
        self.customers = dict(Customer.objects.filter(provider=self.provider).values_list("org_number", "id"))
        self.services = dict(Service.objects.filter(provider=self.provider).values_list("code", "id"))

    def check_row(self, number, row, heading):
        check = self.row_check(number, heading)
        org_number = check.take("org_number", _orgnr(row.get("org_number", "")))
        customer_id = None
        if org_number is not None:
            customer_id = self.customers.get(org_number)
            if customer_id is None:
                check.add("org_number", Problem("customer.unknown", {"orgnr": org_number}, value=row["org_number"]))
        code = row.get("service_code", "").strip()
        service_id = self.services.get(code)
        if not code:
            check.add("service_code", Problem("value.required"))
        elif service_id is None:
            check.add("service_code", Problem("service.unknown", {"code": code}, value=code))
        state = check.take("state", parse_choice(row.get("state", ""), [s.value for s in rules.AgreementState], aliases=STATE_ALIASES))
        values = {}
        for name in rules.STATE_DATE_FIELD.values():
            values[name] = check.take(name, parse_date(row.get(name, ""), required=False))
        if check.problems:
            return None, check.problems
        dates = rules.AgreementDates(**values)
        for problem in rules.check_agreement_dates(rules.AgreementState(state), dates):
            check.add(problem.column, problem)
        if check.problems:
            return None, check.problems
        return AgreementRow(customer_id, service_id, state, dates, row.get("buyer_reference", "")), []

    def check_all(self, checked, heading):
        return self.duplicates(checked, lambda r: (r.customer_id, r.service_id, r.dates.production_date if r.state == "ended" else None), self.source)

    def apply(self, checked):
        counts = {"created": 0, "updated": 0}
        active = {(a.customer_id, a.service_id): a for a in Agreement.objects.filter(customer__provider=self.provider).exclude(state="ended")}
        created: list[Agreement] = []
        for _number, row in checked:
            agreement = active.get((row.customer_id, row.service_id))
            if agreement is None and row.state == "ended":
                agreement = Agreement.objects.filter(customer_id=row.customer_id, service_id=row.service_id, state="ended", production_date=row.dates.production_date).first()
            is_new = agreement is None
            if is_new:
                agreement = Agreement(customer_id=row.customer_id, service_id=row.service_id)
            agreement.state = row.state
            for name in rules.STATE_DATE_FIELD.values():
                setattr(agreement, name, getattr(row.dates, name))
            agreement.buyer_reference = row.buyer_reference
            if is_new:
                created.append(agreement)
            else:
                agreement.save()
                record("registry.agreement.updated", user=self.user, obj=agreement, provider=self.provider, data={"state": row.state, "source": self.source})
            if agreement.state != "ended":
                active[(row.customer_id, row.service_id)] = agreement
            counts["created" if is_new else "updated"] += 1
        Agreement.objects.bulk_create(created, batch_size=2000)
        AuditEntry.objects.bulk_create(
            [audit_entry("registry.agreement.created", user=self.user, obj=agreement, provider=self.provider, data={"state": agreement.state, "source": self.source})
             for agreement in created],
            batch_size=2000,
        )
        return counts
