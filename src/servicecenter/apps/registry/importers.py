"""Importers for customers, the service catalogue and agreements (CSV or Excel).

Column names are English identifiers; the Swedish headings a user would write are accepted
as aliases (``organisationsnummer``, ``namn``, ``anställda`` ...). docs/imports.md lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection
from django.utils.translation import gettext_lazy as _

from servicecenter.apps.accounts.audit import entry as audit_entry
from servicecenter.apps.accounts.audit import record
from servicecenter.apps.accounts.models import AuditEntry
from servicecenter.apps.imports import bulk
from servicecenter.apps.imports.base import Importer, register
from servicecenter.apps.registry.lookup import NUMBER_COLUMN, ORG_COLUMN, CustomerLookup
from servicecenter.apps.registry.models import (
    Agreement,
    Customer,
    CustomerYear,
    Process,
    ReferenceFigure,
    Service,
    ServiceArea,
    ServiceLevel,
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
    number: str
    numbered: bool                   # the file gave a customer number (else it is the org number)
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
    details: dict                    # the optional texts the file gave (legal name, reference, contact, address)


DETAIL_COLUMNS = {"legal_name": 200, "buyer_reference": 100, "contact_name": 200, "contact_email": 254, "street": 200, "postal_code": 10, "city": 100}


@register
class CustomerImporter(Importer):
    kind = "customers"
    label = _("Customers")
    help_text = _("One row per customer and year: customer number (when several customers share an organisation number), "
                  "organisation number, name, sector, year, employees, turnover.")
    columns = (
        Column("customer_number", False, NUMBER_COLUMN.aliases),
        Column("org_number", True, ("organisationsnummer", "orgnr", "org_nr")),
        Column("name", True, ("namn", "kund", "myndighet", "förvaltning")),
        Column("legal_name", False, ("juridisk person", "juridiskt namn")),
        Column("sector", False, ("sektor",)),
        Column("year", False, ("år", "ar")),
        Column("employees", False, ("anställda", "antal anställda")),
        Column("turnover", False, ("omsättning", "omslutning")),
        Column("host_org_number", False, ("värdmyndighet", "värdmyndighet orgnr")),
        Column("preparedness_from", False, ("beredskapsmyndighet från", "beredskap från")),
        Column("preparedness_until", False, ("beredskapsmyndighet till", "beredskap till")),
        Column("peppol_id", False, ("peppol", "peppol-id")),
        Column("buyer_reference", False, ("köparens referens", "referens")),
        Column("contact_name", False, ("kontaktperson", "kontakt")),
        Column("contact_email", False, ("kontaktens e-post", "e-post")),
        Column("street", False, ("gatuadress", "adress")),
        Column("postal_code", False, ("postnummer",)),
        Column("city", False, ("ort", "postort")),
    )

    def prepare(self) -> None:
        self.existing = {c.number: c for c in Customer.objects.filter(provider=self.provider)}

    def check_row(self, number, row, heading):
        check = self.row_check(number, heading)
        org_number = check.take("org_number", _orgnr(row.get("org_number", "")))
        customer_number = check.take("customer_number", parse_text(row.get("customer_number", ""), required=False, limit=20)) or ""
        name = check.take("name", parse_text(row.get("name", "")))
        sector = check.take("sector", parse_choice(row.get("sector", ""), [s.value for s in rules.Sector], required=False, aliases=SECTOR_ALIASES))
        employees = check.take("employees", parse_int(row.get("employees", ""), required=False, limit=limits.EMPLOYEES))
        year = None
        if row.get("year", "").strip() or employees is not None:
            year = check.take("year", parse_year(row.get("year", "")))
        turnover = check.take("turnover", parse_decimal(row.get("turnover", ""), required=False, limit=limits.COST))
        details = {}
        for field, limit in DETAIL_COLUMNS.items():
            value = check.take(field, parse_text(row.get(field, ""), required=False, limit=limit))
            if value:
                details[field] = value
        if "contact_email" in details and "@" not in details["contact_email"]:
            check.add("contact_email", Problem("value.email", value=details["contact_email"]))
        host = None
        if row.get("host_org_number", "").strip():
            host = check.take("host_org_number", _orgnr(row["host_org_number"]))
            if host is not None and host == org_number and not customer_number:
                check.add("host_org_number", Problem("customer.host_self", value=row["host_org_number"]))
        prep_from = check.take("preparedness_from", parse_date(row.get("preparedness_from", ""), required=False))
        prep_until = check.take("preparedness_until", parse_date(row.get("preparedness_until", ""), required=False))
        if prep_until and (prep_from is None or prep_until <= prep_from):
            check.add("preparedness_until", Problem("dates.order", {"later": "preparedness_until", "later_date": prep_until.isoformat(), "earlier": "preparedness_from", "earlier_date": prep_from.isoformat() if prep_from else "–"}, value=prep_until.isoformat()))
        if check.problems:
            return None, check.problems
        return CustomerRow(customer_number or org_number, bool(customer_number), org_number, name, sector, year, employees, turnover, host,
                           prep_from, prep_until, row.get("peppol_id") or None, details), []

    def check_all(self, checked, heading):
        problems, names, merged = [], {}, set()
        for number, row in checked:
            if not row.numbered and names.setdefault(row.org_number, row.name) != row.name:
                merged.add(number)
                problems.append(Problem("customer.number_needed", {"orgnr": row.org_number}, source=self.source, row=number, column=heading("customer_number"), value=row.name))
        problems += self.duplicates([(n, r) for n, r in checked if n not in merged], lambda r: (r.number, r.year), self.source)
        holders: dict[str, set[str]] = {}
        for customer in self.existing.values():
            holders.setdefault(customer.org_number, set()).add(customer.number)
        for _number, row in checked:
            holders.setdefault(row.org_number, set()).add(row.number)
        self.hosts = {}
        for number, row in checked:
            if not row.host_org_number:
                continue
            found = holders.get(row.host_org_number, set())
            if len(found) == 1:
                self.hosts[row.number] = next(iter(found))
            elif found:
                problems.append(Problem("customer.ambiguous", {"orgnr": row.host_org_number, "numbers": ", ".join(sorted(found))},
                                        source=self.source, row=number, column=heading("host_org_number"), value=row.host_org_number))
            else:
                problems.append(Problem("customer.host_unknown", {"orgnr": row.host_org_number}, source=self.source, row=number, column=heading("host_org_number"), value=row.host_org_number))
        return problems

    def apply(self, checked):
        """Each customer's rows applied in file order to one object, written once: the new ones in
        one INSERT, the changed ones in one prepared UPDATE, the years likewise, one audit entry per
        customer created or changed. A customer the file describes as stored (its fields, its host,
        its years) is neither written nor logged: a register imported again is ``unchanged``."""
        customers = dict(self.existing)
        fields = ["org_number", "name", "sector", "preparedness_from", "preparedness_until", "peppol_id", *DETAIL_COLUMNS]
        number_of = {customer.pk: number for number, customer in self.existing.items()}
        touched: dict[str, tuple[Customer, str, dict]] = {}   # number → (customer, action, audit data), in file order
        before: dict[str, tuple] = {}                         # number → a stored customer's fields and host before the file
        years: dict[tuple[str, int], tuple[int, Decimal | None]] = {}
        for _number, row in checked:
            customer = customers.get(row.number)
            if customer is None:
                customer = customers[row.number] = Customer(provider=self.provider, number=row.number, org_number=row.org_number)
                touched[row.number] = (customer, "created", {})
            elif row.number not in touched:
                moved = {"org_number_before": customer.org_number} if customer.org_number != row.org_number else {}
                touched[row.number] = (customer, "updated", moved)
                before[row.number] = (*(getattr(customer, field) for field in fields), number_of.get(customer.host_id))
            customer.org_number = row.org_number
            customer.name = row.name
            if row.sector:
                customer.sector = row.sector
            if row.preparedness_from is not None:
                customer.preparedness_from, customer.preparedness_until = row.preparedness_from, row.preparedness_until
            if row.peppol_id:
                customer.peppol_id = row.peppol_id
            for field, value in row.details.items():
                setattr(customer, field, value)
            if row.year is not None and row.employees is not None:
                years[(row.number, row.year)] = (row.employees, row.turnover)
        stored = {(customer_id, year): (pk, employees, turnover) for pk, customer_id, year, employees, turnover
                  in CustomerYear.objects.filter(customer__provider=self.provider).values_list("pk", "customer_id", "year", "employees", "turnover")}
        changed_years: dict[tuple[str, int], tuple] = {}   # (number, year) → (employees, turnover, stored pk or None)
        for (number, year), (employees, turnover) in years.items():
            known = stored.get((customers[number].pk, year)) if customers[number].pk else None
            if known is None:
                changed_years[(number, year)] = (employees, turnover, None)
            else:   # a file without turnover leaves the stored one (as it does the optional texts)
                turnover = known[2] if turnover is None else turnover
                if (employees, turnover) != known[1:]:
                    changed_years[(number, year)] = (employees, turnover, known[0])
        with_years = {number for number, _year in changed_years}
        touched = {number: entry for number, entry in touched.items()
                   if entry[1] == "created" or number in with_years
                   or before[number] != (*(getattr(entry[0], field) for field in fields), self.hosts.get(number, before[number][-1]))}
        new = [customer for customer, action, _data in touched.values() if action == "created"]
        changed = [customer for customer, action, _data in touched.values() if action == "updated"]
        if connection.features.can_return_rows_from_bulk_insert:
            Customer.objects.bulk_create(new, batch_size=1000)   # the ids come back
        else:
            for customer in new:
                customer.save()
        bulk.update_rows(Customer, fields, ([getattr(customer, field) for field in fields] + [customer.pk] for customer in changed))
        hosted = [(customers[host].pk, customers[number].pk) for number, host in self.hosts.items() if customers[number].host_id != customers[host].pk]
        bulk.update_rows(Customer, ["host_id"], hosted)
        CustomerYear.objects.bulk_create([CustomerYear(customer=customers[number], year=year, employees=employees, turnover=turnover)
                                          for (number, year), (employees, turnover, pk) in changed_years.items() if pk is None], batch_size=1000)
        bulk.update_rows(CustomerYear, ["employees", "turnover"], ([employees, turnover, pk] for employees, turnover, pk in changed_years.values()
                                                                    if pk is not None))
        AuditEntry.objects.bulk_create([audit_entry(f"registry.customer.{action}", user=self.user, obj=customer, provider=self.provider,
                                                    data={"source": self.source, **data}) for customer, action, data in touched.values()],
                                       batch_size=1000)
        return {"created": len(new), "updated": len(changed), "unchanged": len({row.number for _n, row in checked}) - len(new) - len(changed),
                "years": len(years)}


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
        NUMBER_COLUMN,
        ORG_COLUMN,
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
        self.customers = CustomerLookup(self.provider)
        self.services = dict(Service.objects.filter(provider=self.provider).values_list("code", "id"))

    def check_row(self, number, row, heading):
        check = self.row_check(number, heading)
        customer_id, column, problem = self.customers.find(row)
        check.add(column, problem)
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
        """New agreements in one INSERT, changed ones in one prepared UPDATE, an audit entry for
        each; an agreement the file describes as stored is neither written nor logged."""
        fields = ["state", *rules.STATE_DATE_FIELD.values(), "buyer_reference"]
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        active = {(a.customer_id, a.service_id): a for a in Agreement.objects.filter(customer__provider=self.provider).exclude(state="ended")}
        ended = {}
        if any(row.state == "ended" for _number, row in checked):   # an ended one is found by its production date, in one query
            for agreement in Agreement.objects.filter(customer__provider=self.provider, state="ended").order_by("pk"):
                ended.setdefault((agreement.customer_id, agreement.service_id, agreement.production_date), agreement)
        created: list[Agreement] = []
        changed: dict[int, Agreement] = {}
        for _number, row in checked:
            agreement = active.get((row.customer_id, row.service_id))
            if agreement is None and row.state == "ended":
                agreement = ended.get((row.customer_id, row.service_id, row.dates.production_date))
            is_new = agreement is None
            if is_new:
                agreement = Agreement(customer_id=row.customer_id, service_id=row.service_id)
            stored = None if is_new else tuple(getattr(agreement, name) for name in fields)
            agreement.state = row.state
            for name in rules.STATE_DATE_FIELD.values():
                setattr(agreement, name, getattr(row.dates, name))
            agreement.buyer_reference = row.buyer_reference
            if is_new:
                created.append(agreement)
                counts["created"] += 1
            elif stored != tuple(getattr(agreement, name) for name in fields):
                changed[agreement.pk] = agreement
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
            if agreement.state != "ended":
                active[(row.customer_id, row.service_id)] = agreement
        Agreement.objects.bulk_create(created, batch_size=2000)
        bulk.update_rows(Agreement, fields, ([getattr(agreement, name) for name in fields] + [agreement.pk] for agreement in changed.values()))
        AuditEntry.objects.bulk_create(
            [audit_entry(f"registry.agreement.{action}", user=self.user, obj=agreement, provider=self.provider, data={"state": agreement.state, "source": self.source})
             for action, agreements in (("created", created), ("updated", changed.values())) for agreement in agreements],
            batch_size=2000,
        )
        return counts


# --- reference figures ---------------------------------------------------------------------------

REFERENCE_ALIASES = {"anställda i staten": "state_employees", "statsanställda": "state_employees", "statligt anställda": "state_employees",
                     "myndigheter": "state_agencies", "statliga myndigheter": "state_agencies",
                     "beredskapsmyndigheter": "preparedness_agencies"}


@register
class ReferenceFigureImporter(Importer):
    """Published figures the registry is measured against: the state's employees per year (the
    share of them a payroll service pays), the number of state and preparedness agencies."""

    kind = "reference_figures"
    label = _("Reference figures")
    help_text = _("One row per figure and year: figure (anställda i staten, myndigheter, beredskapsmyndigheter), year, value and source. "
                  "A figure's year is replaced.")
    columns = (
        Column("figure", True, ("uppgift", "mått")),
        Column("year", True, ("år",)),
        Column("value", True, ("värde", "antal")),
        Column("source", False, ("källa",)),
    )

    def check_row(self, number, row, heading):
        check = self.row_check(number, heading)
        key = check.take("figure", parse_choice(row.get("figure", ""), [k.value for k in ReferenceFigure.Key], aliases=REFERENCE_ALIASES))
        year = check.take("year", parse_year(row.get("year", "")))
        value = check.take("value", parse_int(row.get("value", ""), limit=limits.COUNT))
        source = check.kept("source", row.get("source"), 300)
        if check.errors:
            return None, check.problems
        return (key, year, value, source), check.problems

    def check_all(self, checked, heading):
        return self.duplicates(checked, lambda r: r[:2], self.source)

    def apply(self, checked):
        for _number, (key, year, value, source) in checked:
            ReferenceFigure.objects.update_or_create(key=key, year=year, defaults={"value": value, "source": source or self.source[:300]})
        return {"figures": len(checked)}


# --- service levels ------------------------------------------------------------------------------

COMPARISON_ALIASES = {"≥": ">=", "minst": ">=", "lägst": ">=", "≤": "<=", "högst": "<=", "som mest": "<="}
PERIOD_ALIASES = {"månad": "month", "kvartal": "quarter", "år": "year"}


@register
class ServiceLevelImporter(Importer):
    """A catalogue entry's service levels (SLA), kept apart from its description and price: each
    service and year the file names gets exactly the levels the file gives it."""

    kind = "service_levels"
    label = _("Service levels (SLA)")
    help_text = _("One row per service level: service code, year of the catalogue, metric, at least/at most, threshold, unit and period "
                  "(månad, kvartal, år). The levels of each service and year in the file are replaced.")
    columns = (
        Column("service_code", True, ("tjänstekod", "tjänst kod")),
        Column("year", True, ("år",)),
        Column("metric", True, ("mått", "nivå")),
        Column("metric_en", False, ("mått engelska",)),
        Column("comparison", False, ("jämförelse", "minst/högst")),
        Column("threshold", True, ("gräns", "målvärde")),
        Column("unit", False, ("enhet",)),
        Column("period", False, ("period", "mäts per")),
    )

    def prepare(self):
        self.versions = {(code, year): pk for pk, code, year in
                         ServiceVersion.objects.filter(service__provider=self.provider).values_list("pk", "service__code", "year")}

    def check_row(self, number, row, heading):
        check = self.row_check(number, heading)
        code = check.take("service_code", parse_text(row.get("service_code", ""), limit=60))
        year = check.take("year", parse_year(row.get("year", "")))
        version = self.versions.get((code, year))
        if code and year and version is None:
            check.add("service_code", Problem("service_level.no_version", {"code": code, "year": year}, value=code))
        metric = check.kept("metric", row.get("metric"), 200)
        if not metric:
            check.add("metric", Problem("value.required"))
        comparison = check.take("comparison", parse_choice(row.get("comparison") or ">=", [">=", "<="], aliases=COMPARISON_ALIASES))
        threshold = check.take("threshold", parse_decimal(row.get("threshold", ""), negative=True, limit=limits.THRESHOLD))
        period = check.take("period", parse_choice(row.get("period") or "month", [p.value for p in ServiceLevel.Period], aliases=PERIOD_ALIASES))
        if check.errors:
            return None, check.problems
        return (version, metric, check.kept("metric_en", row.get("metric_en"), 200), comparison, threshold,
                check.kept("unit", row.get("unit"), 30), period), check.problems

    def check_all(self, checked, heading):
        return self.duplicates(checked, lambda r: (r[0], r[1]), self.source)

    def apply(self, checked):
        versions = {row[0] for _n, row in checked}
        removed, _kinds = ServiceLevel.objects.filter(version_id__in=versions).delete()
        ServiceLevel.objects.bulk_create([ServiceLevel(version_id=version, metric_sv=metric, metric_en=metric_en, comparison=comparison,
                                                       threshold=threshold, unit=unit, period=period)
                                          for _n, (version, metric, metric_en, comparison, threshold, unit, period) in checked])
        record("registry.service_levels.imported", user=self.user, provider=self.provider, data={"rows": len(checked), "removed": removed})
        return {"rows": len(checked), "removed": removed}
