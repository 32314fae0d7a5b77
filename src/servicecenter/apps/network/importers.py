"""Imports of the office network: the office register, visits and errands, municipality types
and population grids. Every row is checked (file, row, column) and the file is written whole or
not at all: a coordinate outside Sweden, an unknown municipality code and visits to an office
that was closed that month are errors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from servicecenter.apps.accounts.access import Capability
from servicecenter.apps.accounts.audit import record
from servicecenter.apps.imports import bulk
from servicecenter.apps.imports.base import Importer, register
from servicecenter.apps.network import services
from servicecenter.apps.network.models import (
    DemandPoint,
    DemandSet,
    Municipality,
    MunicipalityType,
    Office,
    OfficeVisits,
    SavingsRequirement,
)
from servicecenter.apps.registry.models import PartnerAgency
from servicecenter.core import limits
from servicecenter.core import registry as registry_rules
from servicecenter.core.network import geo, regions
from servicecenter.core.problems import Problem
from servicecenter.formats.tabular import Column
from servicecenter.formats.values import (
    parse_bool,
    parse_choice,
    parse_code,
    parse_date,
    parse_decimal,
    parse_int,
    parse_month,
    parse_text,
)

CATEGORY_ALIASES = {"fullservice": "full", "fullservicekontor": "full", "flexibelt": "flex_staffed",
                    "flexibelt med personal": "flex_staffed", "flexibelt utan personal": "flex_visiting",
                    "tillfälligt": "temporary", "tillfälligt flexibelt": "temporary"}
TYPE_ALIASES = {"storstadskommuner": "storstad", "täta blandade kommuner": "tat_blandad", "glesa blandade kommuner": "gles_blandad",
                "tätortsnära landsbygdskommuner": "landsbygd_tatortsnara", "glesa landsbygdskommuner": "gles_landsbygd",
                "mycket glesa landsbygdskommuner": "mycket_gles_landsbygd",
                "1": "storstad", "2": "tat_blandad", "3": "gles_blandad", "4": "landsbygd_tatortsnara",
                "5": "gles_landsbygd", "6": "mycket_gles_landsbygd"}


def _coordinate(check, row) -> tuple[float | None, float | None]:
    """x/y as WGS 84 degrees (lon, lat) or SWEREF 99 TM metres (E, N); returned as lon, lat."""
    x_text, y_text = row.get("x", ""), row.get("y", "")
    if not x_text and not y_text:
        check.add("x", Problem("value.required"))
        return None, None
    x = check.take("x", parse_decimal(x_text))
    y = check.take("y", parse_decimal(y_text))
    if x is None or y is None:
        return None, None
    x, y = float(x), float(y)
    if geo.looks_like_sweref(x, y):
        lon, lat = geo.sweref_to_wgs84(x, y)
    else:
        lon, lat = x, y
    if not bool(geo.in_sweden_box(lon, lat)):
        check.add("x", Problem("network.outside_sweden", {"x": x_text, "y": y_text}, value=f"{x_text}, {y_text}"))
        return None, None
    return float(lon), float(lat)


@dataclass(frozen=True)
class OfficeRow:
    code: str
    values: dict


@register
class OfficeImporter(Importer):
    kind = "offices"
    label = _("Office register")
    help_text = _("One row per office: code, name, address, x and y (WGS 84 longitude/latitude or SWEREF 99 TM east/north), "
                  "municipality code (checked against the coordinate), own region, category (full, flex_staffed, flex_visiting, "
                  "temporary), preparedness, co-location, decision, opened, closed, lease end, yearly rent, staff, IT and other "
                  "cost, staff (FTE), opening hours and capacity (visits a year). Existing offices are updated by code.")
    capability = Capability.PLAN_NETWORK
    columns = (
        Column("code", True, ("kod", "kontorskod")),
        Column("name", True, ("namn", "kontor")),
        Column("address", False, ("adress",)),
        Column("x", True, ("lon", "longitud", "e", "östlig")),
        Column("y", True, ("lat", "latitud", "n", "nordlig")),
        Column("municipality", False, ("kommun", "kommunkod")),
        Column("region", False, ("egen region",)),
        Column("category", True, ("kategori", "kontorstyp")),
        Column("preparedness", False, ("beredskap", "beredskapskontor")),
        Column("socially_vulnerable", False, ("utsatt område", "socialt utsatt område")),
        Column("co_location", False, ("samlokaliserat med", "samlokalisering")),
        Column("decision", False, ("regeringsbeslut", "beslut")),
        Column("opened", False, ("öppnade", "öppnat")),
        Column("closed", False, ("stängde", "stängt")),
        Column("lease_end", False, ("hyresavtal till", "avtalsslut")),
        Column("cost_rent", False, ("hyra",)),
        Column("cost_staff", False, ("personalkostnad",)),
        Column("cost_it", False, ("it-kostnad",)),
        Column("cost_other", False, ("övrig kostnad",)),
        Column("staff", False, ("personal", "årsarbetskrafter")),
        Column("opening_hours", False, ("öppettider",)),
        Column("capacity", False, ("kapacitet",)),
    )

    def prepare(self):
        services.ensure_geography()
        self.municipalities = {m.code: m for m in Municipality.objects.all()}

    def check_row(self, number, row, heading):
        check = self.row_check(number, heading)
        code = check.take("code", parse_text(row.get("code", ""), limit=40))
        name = check.take("name", parse_text(row.get("name", "")))
        lon, lat = _coordinate(check, row)
        found = municipality = None
        if lon is not None:
            found = services.municipality_at(lon, lat)
            if found is None:
                check.add("x", Problem("network.no_municipality", {"x": row.get("x"), "y": row.get("y")}, value=row.get("x")))
        given = (row.get("municipality") or "").strip()
        if given:
            given = given.zfill(4)
            if given not in self.municipalities:
                check.add("municipality", Problem("network.municipality_unknown", {"code": given}, value=row.get("municipality")))
            elif found and found != given:
                check.add("municipality", Problem("network.municipality_mismatch",
                                                  {"code": given, "found": found, "name": self.municipalities[found].name}, value=given))
        if found:
            municipality = self.municipalities[found]
        category = check.take("category", parse_choice(row.get("category", ""), [c.value for c in Office.Category], aliases=CATEGORY_ALIASES))
        opened = check.take("opened", parse_date(row.get("opened", ""), required=False))
        closed = check.take("closed", parse_date(row.get("closed", ""), required=False))
        if opened and closed and closed < opened:
            check.add("closed", Problem("network.closed_before_opened", value=row.get("closed")))
        values = {
            "name": name, "address": check.kept("address", row.get("address"), 300), "lon": Decimal(f"{lon:.6f}") if lon is not None else None,
            "lat": Decimal(f"{lat:.6f}") if lat is not None else None, "municipality": municipality,
            "region": check.kept("region", row.get("region"), 100), "category": category,
            "preparedness": check.take("preparedness", parse_bool(row.get("preparedness") or "nej")),
            "socially_vulnerable": check.take("socially_vulnerable", parse_bool(row.get("socially_vulnerable") or "nej")),
            "co_location": check.kept("co_location", row.get("co_location"), 200), "decision": check.kept("decision", row.get("decision"), 200),
            "opened": opened, "closed": closed,
            "lease_end": check.take("lease_end", parse_date(row.get("lease_end", ""), required=False)),
            "opening_hours": check.kept("opening_hours", row.get("opening_hours"), 200),
            "capacity": check.take("capacity", parse_int(row.get("capacity", ""), required=False)) or 0,
            "staff": check.take("staff", parse_decimal(row.get("staff", ""), required=False, limit=limits.FTE)) or Decimal(0),
        }
        for column in ("cost_rent", "cost_staff", "cost_it", "cost_other"):
            values[column] = check.take(column, parse_decimal(row.get(column, ""), required=False, limit=limits.COST)) or Decimal(0)
        if check.errors:
            return None, check.problems
        return OfficeRow(code, values), check.problems

    def check_all(self, checked, heading):
        return self.duplicates(checked, lambda r: r.code, self.source)

    def apply(self, checked):
        created = updated = 0
        for _number, row in checked:
            _office, was_created = Office.objects.update_or_create(provider=self.provider, code=row.code, defaults=row.values)
            created += was_created
            updated += not was_created
        record("network.offices.imported", user=self.user, provider=self.provider, data={"created": created, "updated": updated})
        return {"created": created, "updated": updated}


@register
class PartnerAgencyImporter(Importer):
    """The agencies (or administrations) on whose behalf the offices serve citizens, by the code
    the visits file names them with. Added or updated by code; a partner not in the file stays."""

    kind = "partner_agencies"
    label = _("Partner agencies")
    help_text = _("One row per partner agency: code (as the visits file names it, e.g. SKV), name and, optionally, organisation number. "
                  "A partner already registered under the code is updated; the others stay.")
    capability = Capability.PLAN_NETWORK
    columns = (
        Column("code", True, ("kod", "förkortning")),
        Column("name", True, ("namn", "myndighet", "samverkansmyndighet")),
        Column("org_number", False, ("organisationsnummer", "orgnr")),
    )

    def check_row(self, number, row, heading):
        check = self.row_check(number, heading)
        code = check.take("code", parse_code(row.get("code", ""), limit=20))
        name = check.kept("name", row.get("name"), 200)
        if not name:
            check.add("name", Problem("value.required"))
        org_number = ""
        if (row.get("org_number") or "").strip():
            found = registry_rules.check_orgnr(row["org_number"])
            if found:
                check.add("org_number", found[0])
            else:
                org_number = registry_rules.normalise_orgnr(row["org_number"])
        if check.errors:
            return None, check.problems
        return (code, name, org_number), check.problems

    def check_all(self, checked, heading):
        problems = self.duplicates(checked, lambda r: r[0].lower(), self.source)
        return problems + self.duplicates(checked, lambda r: r[1].lower(), self.source)   # a name the visits file may use instead of the code

    def apply(self, checked):
        stored = {partner.code.lower(): partner for partner in PartnerAgency.objects.filter(provider=self.provider)}
        created = updated = 0
        for _number, (code, name, org_number) in checked:
            partner = stored.get(code.lower())
            if partner is None:
                PartnerAgency.objects.create(provider=self.provider, code=code, name=name, org_number=org_number, source=self.source[:300])
                created += 1
            elif (partner.name, partner.org_number) != (name, org_number or partner.org_number):
                partner.name, partner.org_number, partner.source = name, org_number or partner.org_number, self.source[:300]
                partner.save(update_fields=["name", "org_number", "source"])
                updated += 1
        record("network.partners.imported", user=self.user, provider=self.provider, data={"created": created, "updated": updated})
        return {"created": created, "updated": updated, "unchanged": len(checked) - created - updated}


def partner_codes(provider) -> dict[str, str]:
    """How a visits file may name each of the provider's partner agencies (its code or its name,
    in any case) → the code."""
    partners = list(PartnerAgency.objects.filter(provider=provider).values_list("code", "name"))
    return {**{name.lower(): code for code, name in partners}, **{code.lower(): code for code, _name in partners}}   # a code wins over another's name


class VisitRow(NamedTuple):
    """One checked row, its values in the order of the table's columns (``VISIT_COLUMNS``)."""

    office_id: int
    month: date
    partner: str
    errand_type: str
    visits: int
    errands: int


VISIT_COLUMNS = VisitRow._fields


@register
class OfficeVisitsImporter(Importer):
    kind = "office_visits"
    label = _("Visits and errands per office")
    help_text = _("One row per office, month (YYYY-MM), partner agency (its code or name, as registered under Partner agencies), errand type, "
                  "visits and errands. A month already imported for an office is replaced. Visits to an office that was closed that month are refused.")
    capability = Capability.PLAN_NETWORK
    columns = (
        Column("office", True, ("kontor", "kontorskod")),
        Column("month", True, ("månad",)),
        Column("partner", True, ("myndighet", "samverkansmyndighet")),
        Column("errand_type", False, ("ärendetyp",)),
        Column("visits", True, ("besök",)),
        Column("errands", False, ("ärenden",)),
    )

    def prepare(self):
        self.offices = {o.code: o for o in Office.objects.filter(provider=self.provider)}
        self.partners = partner_codes(self.provider)
        self.partner_list = ", ".join(sorted(set(self.partners.values())))

    def check_row(self, number, row, heading):
        check = self.row_check(number, heading)
        code = check.take("office", parse_text(row.get("office", ""), limit=40))
        office = self.offices.get(code) if code else None
        if code and office is None:
            check.add("office", Problem("network.office_unknown", {"code": code}, value=code))
        period = check.take("month", parse_month(row.get("month", "")))
        partner = check.take("partner", parse_text(row.get("partner", ""), limit=200))
        if partner is not None:
            partner = self.partners.get(partner.lower())
            if partner is None:
                check.add("partner", Problem("network.partner_unknown", {"code": row["partner"].strip(), "known": self.partner_list}, value=row["partner"])
                          if self.partners else Problem("network.no_partners", value=row["partner"]))
        visits = check.take("visits", parse_int(row.get("visits", "")))
        errands = check.take("errands", parse_int(row.get("errands", ""), required=False))
        if office and period:
            if office.closed and office.closed <= period.start:
                check.add("month", Problem("network.office_closed", {"code": code, "closed": office.closed.isoformat(),
                                                                     "month": period.start.strftime("%Y-%m")}, value=row.get("month")))
            elif office.opened and office.opened >= period.end:
                check.add("month", Problem("network.office_not_open", {"code": code, "opened": office.opened.isoformat()}, value=row.get("month")))
        errand_type = check.take("errand_type", parse_text(row.get("errand_type", ""), required=False, limit=100)) or ""   # a category the statistics group by
        if check.problems:
            return None, check.problems
        return VisitRow(office.pk, period.start, partner, errand_type, visits or 0,
                        errands if errands is not None else visits or 0), []

    def check_all(self, checked, heading):
        return self.duplicates(checked, lambda r: (r.office_id, r.month, r.partner, r.errand_type), self.source)

    def apply(self, checked):
        cells = {(r.office_id, r.month) for _n, r in checked}
        offices_by_month: dict[date, list[int]] = {}
        for office_id, month in cells:
            offices_by_month.setdefault(month, []).append(office_id)
        for month, office_ids in offices_by_month.items():   # one query a month, not one per office and month (three years: 36, not 9,000)
            for start in range(0, len(office_ids), 500):
                OfficeVisits.objects.filter(month=month, office_id__in=office_ids[start:start + 500]).delete()
        bulk.insert_rows(OfficeVisits, VISIT_COLUMNS, (row for _n, row in checked))
        record("network.visits.imported", user=self.user, provider=self.provider, data={"rows": len(checked)})
        return {"rows": len(checked), "office_months": len(cells)}


@register
class MunicipalityTypeImporter(Importer):
    kind = "municipality_types"
    label = _("Municipality types")
    help_text = _("Tillväxtanalys' classification: municipality code and type (1–6 or the name, e.g. Storstadskommuner).")
    capability = Capability.PLAN_NETWORK
    columns = (
        Column("municipality", True, ("kommun", "kommunkod", "kod")),
        Column("type", True, ("kommuntyp", "typ")),
    )

    def prepare(self):
        services.ensure_geography()
        self.codes = set(Municipality.objects.values_list("code", flat=True))

    def check_row(self, number, row, heading):
        check = self.row_check(number, heading)
        code = (row.get("municipality") or "").strip().zfill(4)
        if code not in self.codes:
            check.add("municipality", Problem("network.municipality_unknown", {"code": code}, value=row.get("municipality")))
        kind = check.take("type", parse_choice(row.get("type", ""), [t.value for t in MunicipalityType], aliases=TYPE_ALIASES))
        if check.problems:
            return None, check.problems
        return (code, kind), []

    def check_all(self, checked, heading):
        return self.duplicates(checked, lambda r: r[0], self.source)

    def apply(self, checked):
        for _n, (code, kind) in checked:
            Municipality.objects.filter(code=code).update(kind=kind, kind_source=self.source[:200])
        return {"updated": len(checked)}


@register
class PopulationGridImporter(Importer):
    kind = "population_grid"
    label = _("Population grid or localities")
    help_text = _("Demand points for the accessibility analysis: x and y (WGS 84 or SWEREF 99 TM, e.g. the centres of SCB's 1 km or "
                  "250 m squares), population, optionally a name. Saved as a new set named after the file.")
    capability = Capability.PLAN_NETWORK
    columns = (
        Column("x", True, ("lon", "e", "x_koord")),
        Column("y", True, ("lat", "n", "y_koord")),
        Column("population", True, ("befolkning", "pop", "antal")),
        Column("name", False, ("namn", "ruta", "id")),
    )

    def check_row(self, number, row, heading):
        check = self.row_check(number, heading)
        lon, lat = _coordinate(check, row)
        population = check.take("population", parse_decimal(row.get("population", ""), limit=limits.WEIGHT))
        name = check.kept("name", row.get("name"), 200)
        if check.errors:
            return None, check.problems
        return (lon, lat, float(population), name), check.problems

    def apply(self, checked):
        services.ensure_geography()
        division = regions.builtin("kommun")
        lon = [r[0] for _n, r in checked]
        lat = [r[1] for _n, r in checked]
        codes = division.codes_at(lon, lat)
        ids = dict(Municipality.objects.values_list("code", "id"))
        name = self.source[:190] or "grid"
        DemandSet.objects.filter(name=name, default=False).delete()
        demand_set = DemandSet.objects.create(name=name, source=self.source[:300])
        DemandPoint.objects.bulk_create([
            DemandPoint(demand_set=demand_set, name=r[3], lon=r[0], lat=r[1], population=r[2], municipality_id=ids.get(code))
            for (_n, r), code in zip(checked, codes, strict=True)], batch_size=5000)
        return {"points": len(checked)}


@register
class SavingsRequirementImporter(Importer):
    """The savings the network must make each year against a base year (the appropriation's path),
    which the closure scenarios are measured against."""

    kind = "savings_requirements"
    label = _("Required savings")
    help_text = _("One row per year: year, base year and the savings required that year compared with the base year (SEK). A year is replaced.")
    capability = Capability.PLAN_NETWORK
    columns = (
        Column("year", True, ("år",)),
        Column("base_year", True, ("basår", "jämfört med år")),
        Column("amount", True, ("besparing", "belopp")),
    )

    def check_row(self, number, row, heading):
        check = self.row_check(number, heading)
        year = check.take("year", parse_int(row.get("year", ""), limit=limits.YEAR))
        base = check.take("base_year", parse_int(row.get("base_year", ""), limit=limits.YEAR))
        amount = check.take("amount", parse_decimal(row.get("amount", ""), limit=limits.COST))
        if year is not None and base is not None and base >= year:
            check.add("base_year", Problem("savings.base_year", {"year": year}, value=row.get("base_year")))
        if check.errors:
            return None, check.problems
        return (year, base, amount), check.problems

    def check_all(self, checked, heading):
        return self.duplicates(checked, lambda r: r[0], self.source)

    def apply(self, checked):
        for _number, (year, base, amount) in checked:
            SavingsRequirement.objects.update_or_create(provider=self.provider, year=year, defaults={"base_year": base, "amount": amount})
        return {"years": len(checked)}
