"""Imports that feed the follow-up where no system does: agency registers, outage logs,
survey answers, price indices, indicator data, and the annual report's own tables (fee-financed
activities with their budgets, appropriations, staff). Each checks every row (file, row, column)
and writes all or nothing; a register, a survey's answers or an index year is replaced whole."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from servicecenter import clock
from servicecenter.apps.accounts.access import Capability
from servicecenter.apps.accounts.audit import record
from servicecenter.apps.followup.models import (
    ActivityBudget,
    ActivityOpening,
    AgencyRegister,
    Appropriation,
    AppropriationYear,
    DataPoint,
    FeeActivity,
    Outage,
    PriceIndex,
    RegisteredAgency,
    Restriction,
    StaffYear,
    Survey,
    SurveyAnswer,
)
from servicecenter.apps.imports import bulk
from servicecenter.apps.imports.base import Importer, register
from servicecenter.apps.registry.models import Service, ServiceVersion
from servicecenter.core import limits
from servicecenter.core.followup import Section
from servicecenter.core.indicators import Level
from servicecenter.core.indicators.survey import QUESTIONS, check_answer
from servicecenter.core.problems import Problem
from servicecenter.core.registry import check_orgnr, normalise_orgnr
from servicecenter.formats.tabular import Column
from servicecenter.formats.values import (
    parse_bool,
    parse_choice,
    parse_code,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
    parse_timestamp,
    parse_year,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
REGISTER_ALIASES = {"statskontoret": "state_agencies", "myndigheter": "state_agencies", "beredskap": "preparedness",
                    "beredskapsmyndigheter": "preparedness"}
SURVEY_ALIASES = {"kund": "customer", "kontaktperson": "contact", "användare": "user", "besökare": "visitor", "samverkansmyndighet": "partner"}


def _orgnr(check, column: str, text: str, required: bool = True) -> str:
    if not (text or "").strip():
        if required:
            check.add(column, Problem("value.required"))
        return ""
    problems = check_orgnr(text)
    if problems:
        check.add(column, problems[0])
        return ""
    return normalise_orgnr(text)


def local(moment: datetime) -> datetime:
    """A time read from a file: without an offset it is Swedish local time."""
    return moment.replace(tzinfo=STOCKHOLM) if moment.tzinfo is None else moment


@dataclass(frozen=True)
class AgencyRow:
    kind: str
    valid_on: date
    org_number: str
    name: str
    fte: Decimal
    host: str


@register
class AgencyRegisterImporter(Importer):
    kind = "agency_register"
    label = _("Agency register")
    help_text = _("A dated list of agencies: register (statskontoret or beredskap), date, organisation number, name, FTE and host agency. "
                  "The list for that date is replaced whole.")
    columns = (
        Column("register", True, ("register", "lista")),
        Column("valid_on", True, ("datum", "per")),
        Column("org_number", True, ("organisationsnummer", "orgnr")),
        Column("name", True, ("namn", "myndighet")),
        Column("fte", False, ("årsarbetskrafter", "åa")),
        Column("host_org_number", False, ("värdmyndighet",)),
    )

    def check_row(self, number, row, heading):
        check = self.row_check(number, heading)
        kind = check.take("register", parse_choice(row.get("register", ""), list(AgencyRegister.Kind.values), aliases=REGISTER_ALIASES))
        valid_on = check.take("valid_on", parse_date(row.get("valid_on", "")))
        org_number = _orgnr(check, "org_number", row.get("org_number", ""))
        name = check.take("name", parse_text(row.get("name", "")))
        fte = check.take("fte", parse_decimal(row.get("fte", ""), required=False, limit=limits.FTE)) or Decimal(0)
        host = _orgnr(check, "host_org_number", row.get("host_org_number", ""), required=False)
        if host and host == org_number:
            check.add("host_org_number", Problem("register.host_self", value=row.get("host_org_number")))
        if check.problems:
            return None, check.problems
        return AgencyRow(kind, valid_on, org_number, name, fte, host), []

    def check_all(self, checked, heading):
        return self.duplicates(checked, lambda r: (r.kind, r.valid_on, r.org_number), self.source)

    def apply(self, checked):
        registers = {}
        for _number, row in checked:
            key = (row.kind, row.valid_on)
            if key not in registers:
                AgencyRegister.objects.filter(kind=row.kind, valid_on=row.valid_on).delete()
                registers[key] = AgencyRegister.objects.create(kind=row.kind, valid_on=row.valid_on, source=self.source[:300])
        RegisteredAgency.objects.bulk_create([
            RegisteredAgency(register=registers[(r.kind, r.valid_on)], org_number=r.org_number, name=r.name[:200], fte=r.fte, host_org_number=r.host)
            for _n, r in checked])
        for register_ in registers.values():
            record("followup.register.imported", user=self.user, obj=register_, provider=self.provider, data={"agencies": register_.agencies.count()})
        return {"registers": len(registers), "agencies": len(checked)}


@dataclass(frozen=True)
class OutageRow:
    service_id: int
    start: datetime
    end: datetime
    main_function: bool
    description: str
    reference: str


@register
class OutageImporter(Importer):
    kind = "outages"
    label = _("Outage log")
    help_text = _("One row per outage: service code, start, end (local time, YYYY-MM-DD hh:mm), whether the main functionality was affected, "
                  "description and incident id. Overlapping outages count once; only the part inside the agreed opening hours counts.")
    capability = Capability.IMPORT_VOLUMES
    columns = (
        Column("service_code", True, ("tjänst", "tjänstekod", "service")),
        Column("start", True, ("början", "från")),
        Column("end", True, ("slut", "till")),
        Column("main_function", False, ("huvudfunktion",)),
        Column("description", False, ("beskrivning",)),
        Column("reference", False, ("ärende", "incident")),
    )

    def prepare(self):
        self.services = dict(Service.objects.filter(provider=self.provider).values_list("code", "id"))
        self.hours = {(sid, year): agreed for sid, year, agreed in ServiceVersion.objects.filter(service__provider=self.provider)
                      .values_list("service_id", "year", "agreed_opening_hours")}

    def check_row(self, number, row, heading):
        check = self.row_check(number, heading)
        code = check.take("service_code", parse_text(row.get("service_code", ""), limit=60))
        service_id = self.services.get(code) if code else None
        if code and service_id is None:
            check.add("service_code", Problem("service.unknown", {"code": code}, value=code))
        start = check.take("start", parse_timestamp(row.get("start", "")))
        end = check.take("end", parse_timestamp(row.get("end", "")))
        main = check.take("main_function", parse_bool(row.get("main_function", "") or "ja"))
        if start and end:
            start, end = local(start), local(end)
            if end <= start:
                check.add("end", Problem("outage.order", {"start": row.get("start", ""), "end": row.get("end", "")}, value=row.get("end")))
        if service_id and start and not self.hours.get((service_id, start.year), False):
            check.add("service_code", Problem("outage.no_hours", {"code": code, "year": start.year}, value=code))
        reference = check.take("reference", parse_text(row.get("reference", ""), required=False, limit=60)) or ""   # the outage's identity with its times
        description = check.kept("description", row.get("description"), 300)
        if check.errors:
            return None, check.problems
        return OutageRow(service_id, start, end, main, description, reference), check.problems

    def check_all(self, checked, heading):
        return self.duplicates(checked, lambda r: (r.service_id, r.start, r.end, r.reference), self.source)

    def apply(self, checked):
        user = self.user if getattr(self.user, "is_authenticated", False) else None
        existing = set(Outage.objects.filter(provider=self.provider).values_list("service_id", "start", "end", "reference"))
        new = [Outage(provider=self.provider, service_id=r.service_id, start=r.start, end=r.end, main_function=r.main_function,
                      description=r.description, reference=r.reference, user=user)
               for _n, r in checked if (r.service_id, r.start, r.end, r.reference) not in existing]
        Outage.objects.bulk_create(new)
        return {"created": len(new), "unchanged": len(checked) - len(new)}


@dataclass(frozen=True)
class AnswerRow:
    survey: str
    year: int
    kind: str
    service_id: int | None
    respondent: str
    answers: tuple[int, int, int]
    design: tuple[tuple[str, object], ...] = ()   # how the survey was drawn, as far as this row says (``SURVEY_DESIGN``)


#: The survey's own facts a file may give on any of its rows (the same wherever given): its
#: population, sample size, fieldwork period and sample design, shown beside its NKI.
SURVEY_DESIGN = ("population", "sample_size", "fieldwork", "sample_design")


@register
class SurveyAnswerImporter(Importer):
    kind = "survey_answers"
    label = _("Survey answers (NKI)")
    help_text = _("One row per respondent: survey code, year, respondents (kund, kontaktperson, användare, besökare, samverkansmyndighet), "
                  "optionally the service code, respondent id and the three answers 1–10. A survey's answers are replaced whole.")
    capability = Capability.IMPORT_VOLUMES
    columns = (
        Column("survey", True, ("undersökning", "enkät")),
        Column("year", True, ("år",)),
        Column("kind", True, ("svarande", "målgrupp")),
        Column("service_code", False, ("tjänst", "tjänstekod")),
        Column("respondent", True, ("respondent", "svars-id", "id")),
        Column("overall", True, ("helhet", "fråga 1", "q1")),
        Column("expectations", True, ("förväntningar", "fråga 2", "q2")),
        Column("ideal", True, ("ideal", "fråga 3", "q3")),
        Column("population", False, ("population", "målpopulation")),
        Column("sample_size", False, ("urvalsstorlek", "urval")),
        Column("fieldwork", False, ("fältperiod", "fältarbete")),
        Column("sample_design", False, ("urvalsmetod", "urvalsdesign")),
    )

    def prepare(self):
        self.services = dict(Service.objects.filter(provider=self.provider).values_list("code", "id"))

    def check_row(self, number, row, heading):
        check = self.row_check(number, heading)
        survey = check.take("survey", parse_text(row.get("survey", ""), limit=60))
        year = check.take("year", parse_year(row.get("year", "")))
        kind = check.take("kind", parse_choice(row.get("kind", ""), list(Survey.Kind.values), aliases=SURVEY_ALIASES))
        code = (row.get("service_code") or "").strip()
        service_id = self.services.get(code) if code else None
        if code and service_id is None:
            check.add("service_code", Problem("service.unknown", {"code": code}, value=code))
        respondent = check.take("respondent", parse_text(row.get("respondent", ""), limit=60))
        answers = []
        for question in QUESTIONS:
            value, problem = parse_int(row.get(question, ""))
            if problem is None:
                problem = check_answer(value, question)
                if problem is not None:
                    problem = Problem(problem.code, problem.params, value=row.get(question))
            check.add(question, problem)
            answers.append(value)
        design = {}
        for column in ("population", "sample_size"):
            if (row.get(column) or "").strip():
                design[column] = check.take(column, parse_int(row[column], limit=limits.COUNT))
        for column, limit in (("fieldwork", 100), ("sample_design", 2000)):
            if (row.get(column) or "").strip():
                design[column] = check.kept(column, row[column], limit)
        if check.errors:
            return None, check.problems
        return AnswerRow(survey, year, kind, service_id, respondent, tuple(answers), tuple(design.items())), check.problems

    def check_all(self, checked, heading):
        problems = self.duplicates(checked, lambda r: (r.survey, r.year, r.respondent), self.source)
        given: dict[tuple[str, int, str], tuple[int, object]] = {}
        for number, row in checked:
            for column, value in row.design:
                first = given.setdefault((row.survey, row.year, column), (number, value))
                if first[1] != value:
                    problems.append(Problem("survey.inconsistent", {"survey": row.survey, "first": first[0]}, source=self.source, row=number,
                                            column=heading(column), value=str(value)))
        return problems

    def apply(self, checked):
        surveys, designs = {}, defaultdict(dict)
        for _n, r in checked:
            designs[(r.survey, r.year)].update(r.design)
        for _n, r in checked:
            key = (r.survey, r.year)
            if key not in surveys:
                design = designs[key]
                survey, _created = Survey.objects.update_or_create(provider=self.provider, code=r.survey, year=r.year,
                                                                   defaults={"kind": r.kind, "service_id": r.service_id, **design})
                survey.answers.all().delete()
                surveys[key] = survey
        SurveyAnswer.objects.bulk_create([SurveyAnswer(survey=surveys[(r.survey, r.year)], respondent=r.respondent, overall=r.answers[0],
                                                       expectations=r.answers[1], ideal=r.answers[2]) for _n, r in checked], batch_size=5000)
        return {"surveys": len(surveys), "answers": len(checked)}


@register
class PriceIndexImporter(Importer):
    kind = "price_index"
    label = _("Price index (e.g. PLO)")
    help_text = _("One row per index and year: index code (e.g. plo), year, value and source.")
    columns = (
        Column("index", True, ("index", "indexkod")),
        Column("year", True, ("år",)),
        Column("value", True, ("värde", "indextal")),
        Column("source", False, ("källa",)),
    )

    def check_row(self, number, row, heading):
        check = self.row_check(number, heading)
        code = check.take("index", parse_text(row.get("index", ""), limit=40))
        year = check.take("year", parse_year(row.get("year", "")))
        value = check.take("value", parse_decimal(row.get("value", ""), limit=limits.INDEX))
        if value is not None and value == 0:
            check.add("value", Problem("value.positive", value=row.get("value")))
        source = check.kept("source", row.get("source"), 300)
        if check.errors:
            return None, check.problems
        return (code.lower(), year, value, source), check.problems

    def check_all(self, checked, heading):
        return self.duplicates(checked, lambda r: r[:2], self.source)

    def apply(self, checked):
        for _n, (code, year, value, source) in checked:
            PriceIndex.objects.update_or_create(code=code, year=year, defaults={"value": value, "source": source})
        return {"years": len(checked)}


@register
class IndicatorDataImporter(Importer):
    kind = "indicator_data"
    label = _("Indicator data")
    help_text = _("One row per number: data element, level (service, supplier, office, customer, organisation), subject, year, value and source. "
                  "A number already there is replaced; computed numbers cannot be overwritten.")
    capability = Capability.IMPORT_VOLUMES
    origin = DataPoint.Origin.IMPORTED   # the data-entry form writes through this importer as ENTERED
    columns = (
        Column("element", True, ("dataelement", "mått")),
        Column("level", True, ("nivå",)),
        Column("subject", True, ("objekt", "avser")),
        Column("year", True, ("år",)),
        Column("value", True, ("värde",)),
        Column("source", False, ("källa",)),
    )

    def prepare(self):
        self.computed = set(DataPoint.objects.filter(provider=self.provider, origin=DataPoint.Origin.COMPUTED)
                            .values_list("element", "level", "subject", "year"))

    def check_row(self, number, row, heading):
        check = self.row_check(number, heading)
        element = check.take("element", parse_text(row.get("element", ""), limit=60))
        level = check.take("level", parse_choice(row.get("level", ""), [lv.value for lv in Level],
                                                 aliases={"tjänst": "service", "leverantör": "supplier", "kontor": "office", "kund": "customer", "organisation": "organisation"}))
        subject = check.take("subject", parse_text(row.get("subject", ""), limit=80))
        year = check.take("year", parse_year(row.get("year", "")))
        value = check.take("value", parse_decimal(row.get("value", ""), negative=True, limit=limits.INDICATOR_VALUE))
        if not check.problems and (element, level, subject, year) in self.computed:
            check.add("element", Problem("datapoint.computed", {"element": element}, value=element))
        source = check.kept("source", row.get("source"), 300)
        if check.errors:
            return None, check.problems
        return (element, level, subject, year, value, source), check.problems

    def check_all(self, checked, heading):
        return self.duplicates(checked, lambda r: r[:4], self.source)

    def apply(self, checked):
        """New numbers in one INSERT, changed ones in one prepared UPDATE; a number a file gives
        as it is stored (value, origin and source) is not written again. A number typed on the
        form is always written: who entered it, and when, is what the form records."""
        user = self.user if getattr(self.user, "is_authenticated", False) else None
        now = clock.now()
        stored = {(element, level, subject, year): (pk, value, origin, source) for pk, element, level, subject, year, value, origin, source
                  in DataPoint.objects.filter(provider=self.provider, year__in={row[3] for _n, row in checked})
                  .values_list("pk", "element", "level", "subject", "year", "value", "origin", "source")}
        new, changed = [], []
        for _n, (element, level, subject, year, value, source) in checked:
            source = source or self.source[:300]
            known = stored.get((element, level, subject, year))
            if known is None:
                new.append(DataPoint(provider=self.provider, element=element, level=level, subject=subject, year=year, value=value,
                                     origin=self.origin, source=source, user=user, at=now))
            elif self.origin == DataPoint.Origin.ENTERED or known[1:] != (value, self.origin, source):
                changed.append([value, self.origin, source, user.pk if user else None, now, known[0]])
        DataPoint.objects.bulk_create(new, batch_size=2000)
        bulk.update_rows(DataPoint, ["value", "origin", "source", "user_id", "at"], changed)
        return {"data_points": len(checked), "unchanged": len(checked) - len(new) - len(changed)}


# --- the annual report's own tables: fee-financed activities, appropriations, staff ---------------

def _same_on_every_row(checked, heading, source: str, code: str, fields: dict[str, str]) -> list[Problem]:
    """The rows of one thing (the same ``row.code``) that describe it otherwise than its first row
    does, in any of ``fields`` (column → attribute): the later row's cell, naming the first row."""
    first: dict[str, tuple[int, object]] = {}
    problems = []
    for number, row in checked:
        seen_at, seen = first.setdefault(row.code, (number, row))
        for column, name in fields.items():
            if getattr(row, name) != getattr(seen, name):
                problems.append(Problem(code, {"code": row.code, "first": seen_at}, source=source, row=number, column=heading(column),
                                        value=str(getattr(row, name) or "")))
    return problems


SECTION_ALIASES = {"disponeras": "disposed", "intäkter som disponeras": "disposed", "pension": "pension", "pensionsmedel": "pension",
                   "pensionsmedlen": "pension", "beräknad": "estimated", "beräknad budget": "estimated"}


@dataclass(frozen=True)
class ActivityRow:
    code: str
    name_sv: str
    name_en: str
    section: str
    objects: str                     # the ledger's activity objects, comma-separated as the model keeps them
    goal_year: int | None
    year: int
    budget: tuple[Decimal, Decimal] | None       # (revenue, cost) of ``year``
    opening: Decimal | None                      # the accumulated result of the years before ``year``
    source: str


@register
class FeeActivityImporter(Importer):
    """Tabell 6 of the annual report: the fee-financed activities, their ledger objects, their
    budgets per year as the regleringsbrev states them, and the accumulated result brought in
    from before the ledgers in the system."""

    kind = "fee_activities"
    label = _("Fee-financed activities (budgets)")
    help_text = _("One row per activity and year: code, name, part of Tabell 6 (disponeras, pension, beräknad), its activity objects in the "
                  "ledger, and the year's budgeted revenue and cost as the regleringsbrev states them, or the accumulated result before that "
                  "year (the first year in the ledger). Activities are updated by code.")
    columns = (
        Column("activity", True, ("verksamhet", "kod")),
        Column("name", True, ("benämning", "namn")),
        Column("name_en", False, ("benämning engelska", "namn engelska")),
        Column("section", True, ("del", "avsnitt")),
        Column("ledger_objects", True, ("aktivitetsobjekt", "objekt")),
        Column("balance_goal_year", False, ("i balans år", "balans senast")),
        Column("year", True, ("år",)),
        Column("budget_revenue", False, ("budgeterade intäkter", "intäkter")),
        Column("budget_cost", False, ("budgeterade kostnader", "kostnader")),
        Column("accumulated_before", False, ("ackumulerat före året", "ingående ackumulerat")),
        Column("source", False, ("källa",)),
    )

    def check_row(self, number, row, heading):
        check = self.row_check(number, heading)
        code = check.take("activity", parse_code(row.get("activity", ""), limit=40))
        name = check.kept("name", row.get("name"), 300)
        if not name:
            check.add("name", Problem("value.required"))
        section = check.take("section", parse_choice(row.get("section", ""), [s.value for s in Section], aliases=SECTION_ALIASES))
        objects = [part for part in (row.get("ledger_objects") or "").replace(";", ",").replace(" ", ",").split(",") if part]
        if not objects:
            check.add("ledger_objects", Problem("value.required"))
        elif len(",".join(objects)) > 200:
            check.add("ledger_objects", Problem("value.too_long", {"limit": 200}, value=row.get("ledger_objects")))
        goal = None
        if (row.get("balance_goal_year") or "").strip():
            goal = check.take("balance_goal_year", parse_year(row["balance_goal_year"]))
        year = check.take("year", parse_year(row.get("year", "")))
        revenue = check.take("budget_revenue", parse_decimal(row.get("budget_revenue", ""), required=False, limit=limits.COST))
        cost = check.take("budget_cost", parse_decimal(row.get("budget_cost", ""), required=False, limit=limits.COST))
        opening = check.take("accumulated_before", parse_decimal(row.get("accumulated_before", ""), required=False, negative=True, limit=limits.AMOUNT))
        for given, missing in (("budget_revenue", "budget_cost"), ("budget_cost", "budget_revenue")):
            if (row.get(given) or "").strip() and not (row.get(missing) or "").strip():
                check.add(missing, Problem("value.required"))
        if not any((row.get(name) or "").strip() for name in ("budget_revenue", "budget_cost", "accumulated_before")):
            check.add("budget_revenue", Problem("fee.nothing"))
        source = check.kept("source", row.get("source"), 300)
        if check.errors:
            return None, check.problems
        budget = (revenue, cost) if revenue is not None and cost is not None else None
        return ActivityRow(code, name, check.kept("name_en", row.get("name_en"), 300), section, ",".join(objects), goal, year, budget, opening,
                           source), check.problems

    def check_all(self, checked, heading):
        problems = self.duplicates([(n, r) for n, r in checked if r.budget], lambda r: (r.code, r.year), self.source)
        problems += self.duplicates([(n, r) for n, r in checked if r.opening is not None], lambda r: r.code, self.source)
        return problems + _same_on_every_row(checked, heading, self.source, "fee.inconsistent",
                                              {"name": "name_sv", "section": "section", "ledger_objects": "objects", "balance_goal_year": "goal_year"})

    def apply(self, checked):
        existing = {a.code: a for a in FeeActivity.objects.filter(provider=self.provider)}
        position = max((a.position for a in existing.values()), default=0)
        counts = {"activities": 0, "budgets": 0, "openings": 0}
        done: set[str] = set()
        for _number, row in checked:
            activity = existing.get(row.code)
            if row.code not in done:
                if activity is None:
                    position += 1
                    activity = existing[row.code] = FeeActivity(provider=self.provider, code=row.code, position=position)
                activity.name_sv, activity.section, activity.objects_in_ledger, activity.balance_goal_year = row.name_sv, row.section, row.objects, row.goal_year
                if row.name_en:
                    activity.name_en = row.name_en
                activity.save()
                done.add(row.code)
                counts["activities"] += 1
            if row.budget:
                ActivityBudget.objects.update_or_create(activity=activity, year=row.year,
                                                        defaults={"revenue": row.budget[0], "cost": row.budget[1], "source": row.source or self.source[:300]})
                counts["budgets"] += 1
            if row.opening is not None:
                ActivityOpening.objects.update_or_create(activity=activity, defaults={"year": row.year, "amount": row.opening,
                                                                                      "source": row.source or self.source[:300]})
                counts["openings"] += 1
        return counts


@dataclass(frozen=True)
class AppropriationRow:
    code: str
    name: str
    accounts: str
    year: int
    opening: Decimal
    allocation: Decimal
    withdrawal: Decimal
    adjustment: Decimal
    note: str
    credit_rate: Decimal


@register
class AppropriationImporter(Importer):
    """Tabell 25 of the annual report: per appropriation item and year, what was carried over,
    allocated and withdrawn; the expenditure is read from the ledger's revenue accounts."""

    kind = "appropriations"
    label = _("Appropriations")
    help_text = _("One row per appropriation item and year: item, name, the ledger's revenue accounts from the appropriation (from–to), "
                  "amount carried over, the year's allocation, withdrawal, expenditure not booked as revenue with its explanation, and the "
                  "appropriation credit as a share.")
    columns = (
        Column("appropriation", True, ("anslagspost", "anslag")),
        Column("name", True, ("benämning", "namn")),
        Column("revenue_accounts", False, ("intäktskonton", "konton")),
        Column("year", True, ("år",)),
        Column("opening", True, ("ingående överföringsbelopp", "ingående")),
        Column("allocation", True, ("årets tilldelning", "tilldelning")),
        Column("withdrawal", False, ("indragning",)),
        Column("adjustment", False, ("utgifter utanför intäkterna", "justering")),
        Column("adjustment_note", False, ("förklaring",)),
        Column("credit_rate", False, ("anslagskredit", "kredit")),
    )

    def check_row(self, number, row, heading):
        check = self.row_check(number, heading)
        code = check.take("appropriation", parse_text(row.get("appropriation", ""), limit=60))
        name = check.kept("name", row.get("name"), 300)
        if not name:
            check.add("name", Problem("value.required"))
        accounts = (row.get("revenue_accounts") or "").replace(" ", "").replace("–", "-") or "3700-3799"
        low, _dash, high = accounts.partition("-")
        if not (low.isdigit() and high.isdigit() and len(low) == len(high) == 4 and low <= high):
            check.add("revenue_accounts", Problem("appropriation.accounts", value=row.get("revenue_accounts")))
        year = check.take("year", parse_year(row.get("year", "")))
        opening = check.take("opening", parse_decimal(row.get("opening", ""), negative=True, limit=limits.AMOUNT))
        allocation = check.take("allocation", parse_decimal(row.get("allocation", ""), limit=limits.COST))
        withdrawal = check.take("withdrawal", parse_decimal(row.get("withdrawal", ""), required=False, limit=limits.COST)) or Decimal(0)
        adjustment = check.take("adjustment", parse_decimal(row.get("adjustment", ""), required=False, negative=True, limit=limits.AMOUNT)) or Decimal(0)
        credit = check.take("credit_rate", parse_decimal(row.get("credit_rate", ""), required=False, limit=limits.SHARE))
        note = check.kept("adjustment_note", row.get("adjustment_note"), 300)
        if check.errors:
            return None, check.problems
        return AppropriationRow(code, name, f"{low}-{high}", year, opening, allocation, withdrawal, adjustment, note,
                                Decimal("0.03") if credit is None else credit), check.problems

    def check_all(self, checked, heading):
        problems = self.duplicates(checked, lambda r: (r.code, r.year), self.source)
        return problems + _same_on_every_row(checked, heading, self.source, "appropriation.inconsistent", {"name": "name", "revenue_accounts": "accounts"})

    def apply(self, checked):
        items: dict[str, Appropriation] = {}
        for _number, row in checked:
            if row.code not in items:
                items[row.code], _created = Appropriation.objects.update_or_create(provider=self.provider, code=row.code,
                                                                                   defaults={"name": row.name, "revenue_accounts": row.accounts})
            AppropriationYear.objects.update_or_create(appropriation=items[row.code], year=row.year, defaults={
                "opening": row.opening, "allocation": row.allocation, "withdrawal": row.withdrawal, "adjustment": row.adjustment,
                "adjustment_note": row.note, "credit_rate": row.credit_rate})
        return {"appropriations": len(items), "years": len(checked)}


@register
class StaffYearImporter(Importer):
    """The organisation's own staff per year (Tabell 14): full-time equivalents and the average
    number of employees, read by the five-year overview and the cost per FTE."""

    kind = "staff_years"
    label = _("Staff per year")
    help_text = _("One row per year: full-time equivalents, the average number of employees and the source.")
    columns = (
        Column("year", True, ("år",)),
        Column("fte", True, ("årsarbetskrafter", "åa")),
        Column("average_employees", False, ("medelantal anställda", "medelantal")),
        Column("source", False, ("källa",)),
    )

    def check_row(self, number, row, heading):
        check = self.row_check(number, heading)
        year = check.take("year", parse_year(row.get("year", "")))
        fte = check.take("fte", parse_decimal(row.get("fte", ""), limit=limits.FTE))
        employees = check.take("average_employees", parse_decimal(row.get("average_employees", ""), required=False, limit=limits.FTE))
        source = check.kept("source", row.get("source"), 300)
        if check.errors:
            return None, check.problems
        return (year, fte, employees, source), check.problems

    def check_all(self, checked, heading):
        return self.duplicates(checked, lambda r: r[0], self.source)

    def apply(self, checked):
        for _number, (year, fte, employees, source) in checked:
            StaffYear.objects.update_or_create(provider=self.provider, year=year,
                                               defaults={"fte": fte, "average_employees": employees, "source": source or self.source[:300]})
        return {"years": len(checked)}


@register
class RestrictionImporter(Importer):
    """The items the open indicator report leaves out and only the restricted annex shows (e.g. a
    service for classified information): the organisation's whole list, replaced by the file."""

    kind = "restrictions"
    label = _("Restricted items")
    help_text = _("One row per item kept out of the open report: subject (a service as supplier/service code, or another subject of "
                  "the indicators), the indicator it concerns (blank: all) and the reason. The file replaces the whole list.")
    columns = (
        Column("subject", True, ("avser", "objekt")),
        Column("indicator", False, ("indikator",)),
        Column("reason", True, ("skäl", "motivering")),
    )

    def prepare(self):
        from servicecenter.apps.followup.models import IndicatorDefinition
        from servicecenter.apps.followup.services import subject_of, suppliers_of

        services = Service.objects.filter(provider__in=suppliers_of(self.provider)).select_related("provider")
        self.subjects = {subject_of(service) for service in services}
        self.subjects |= set(DataPoint.objects.filter(provider=self.provider).values_list("subject", flat=True).distinct())
        self.indicators = set(IndicatorDefinition.objects.filter(provider=self.provider).values_list("code", flat=True))

    def check_row(self, number, row, heading):
        check = self.row_check(number, heading)
        subject = check.take("subject", parse_text(row.get("subject", ""), limit=80))
        if subject and subject not in self.subjects:
            examples = ", ".join(sorted(self.subjects)[:5]) or "–"
            check.add("subject", Problem("restriction.subject", {"examples": examples}, value=subject))
        indicator = check.take("indicator", parse_text(row.get("indicator", ""), required=False, limit=60)) or ""
        if indicator and indicator not in self.indicators:
            check.add("indicator", Problem("restriction.indicator", {"code": indicator}, value=indicator))
        reason = check.kept("reason", row.get("reason"), 300)
        if not reason:
            check.add("reason", Problem("value.required"))
        if check.errors:
            return None, check.problems
        return (subject, indicator, reason), check.problems

    #: the file replaces the whole list; the IT report's form adds (or re-words) one item
    whole_list = True

    def check_all(self, checked, heading):
        return self.duplicates(checked, lambda r: r[:2], self.source)

    def apply(self, checked):
        if not self.whole_list:
            for _n, (subject, indicator, reason) in checked:
                Restriction.objects.update_or_create(provider=self.provider, subject=subject, indicator=indicator, defaults={"reason": reason})
                record("followup.restrictions.entered", user=self.user, provider=self.provider,
                       data={"subject": subject, "indicator": indicator, "reason": reason})
            return {"rows": len(checked)}
        removed, _kinds = Restriction.objects.filter(provider=self.provider).delete()
        Restriction.objects.bulk_create([Restriction(provider=self.provider, subject=subject, indicator=indicator, reason=reason)
                                         for _n, (subject, indicator, reason) in checked])
        record("followup.restrictions.imported", user=self.user, provider=self.provider, data={"rows": len(checked), "removed": removed})
        return {"rows": len(checked), "removed": removed}
