"""A template file per import kind (.xlsx and .csv): the Swedish headings the importer reads and
one example row, so a new organisation starts from a file the importer accepts.

The headings come from the importer registry (each column's first Swedish alias, else its
name); the examples are here, one per column, and a test checks that every column of every
registered kind has one and that each template is read back with every column recognised.
The example values are invented (a fictitious municipality, its companies and offices)."""

from __future__ import annotations

import csv
import io

from servicecenter import clock
from servicecenter.apps.imports.base import IMPORTERS
from servicecenter.formats.spreadsheet import write_workbook

EXAMPLES: dict[str, dict[str, str]] = {
    "customers": {"customer_number": "1001", "org_number": "212000-0001", "name": "Utbildningsförvaltningen", "legal_name": "Exempelby kommun",
                  "sector": "kommun", "year": "{year}", "employees": "1 450", "turnover": "", "host_org_number": "", "preparedness_from": "",
                  "preparedness_until": "", "peppol_id": "", "buyer_reference": "UTB-4711", "contact_name": "Kim Andersson",
                  "contact_email": "kim.andersson@exempelby.se", "street": "Skolgatan 3", "postal_code": "123 45", "city": "Exempelby"},
    "catalogue": {"year": "{year}", "area_code": "lon", "area_name": "Lön", "area_name_en": "Payroll", "process_code": "lonehantering",
                  "process_name": "Lönehantering", "process_name_en": "Payroll processing", "service_code": "lonespec",
                  "service_name": "Lönespecifikation", "service_name_en": "Payslip", "tier": "bas", "unit": "lönespecifikation",
                  "obligatory": "nej", "agreed_opening_hours": "ja", "opening_hours": "Vardagar 07–18", "description": "Månadslön med underlag och utbetalning",
                  "description_en": "Monthly pay with its basis and payment"},
    "agreements": {"customer_number": "1001", "org_number": "212000-0001", "service_code": "lonespec", "state": "produktion", "interest_date": "{previous}-09-01",
                   "intent_date": "{previous}-10-01", "onboarding_date": "{previous}-11-15", "production_date": "{year}-01-01", "ended_date": "",
                   "buyer_reference": "Ekonomienheten 4711"},
    "volumes": {"customer_number": "1001", "org_number": "212000-0001", "service_code": "lonespec", "month": "{year}-01", "quantity": "1 200", "source": "Ekonomisystemet"},
    "ledger": {"account": "5010", "account_name": "Lokalhyra", "cost_centre": "20", "cost_centre_name": "Lokaler", "activity": "",
               "month": "{year}-01", "amount": "120 000,00", "kind": "utfall"},
    "keys": {"key": "timmar-it", "name": "Timmar i IT-enheten", "basis": "timmar", "receiver": "pool:ekonomi", "weight": "1 450"},
    "events": {"source": "e-tjanst", "event_id": "e-{year}-000001", "customer_number": "1001", "org_number": "212000-0001", "service_code": "e-arkiv",
               "occurred_at": "{year}-01-14 09:32", "quantity": "1", "package": "", "cost": ""},
    "agency_register": {"register": "statskontoret", "valid_on": "{year}-01-01", "org_number": "202100-0000", "name": "Exempelmyndigheten",
                        "fte": "350", "host_org_number": ""},
    "outages": {"service_code": "lonespec", "start": "{year}-03-02 08:15", "end": "{year}-03-02 10:45", "main_function": "ja",
                "description": "Inläsningen stod still", "reference": "INC-1043"},
    "survey_answers": {"survey": "kundenkat-{year}", "year": "{year}", "kind": "kund", "service_code": "lonespec", "respondent": "r-001",
                       "overall": "8", "expectations": "7", "ideal": "7", "population": "140", "sample_size": "140", "fieldwork": "oktober",
                       "sample_design": "Totalundersökning bland kundernas kontaktpersoner"},
    "price_index": {"index": "plo", "year": "{year}", "value": "2,6", "source": "Ekonomistyrningsverket"},
    "indicator_data": {"element": "driftkostnad", "level": "organisation", "subject": "egen-organisation", "year": "{year}", "value": "12 500 000",
                       "source": "Huvudboken"},
    "offices": {"code": "k01", "name": "Medborgarkontoret Centrum", "address": "Stationsvägen 1", "x": "17,9119", "y": "59,5184",
                "municipality": "0114", "region": "Norr", "category": "fullservicekontor", "preparedness": "nej", "socially_vulnerable": "nej",
                "co_location": "Biblioteket", "decision": "", "opened": "{opened}-01-01", "closed": "", "lease_end": "{lease_end}-12-31",
                "cost_rent": "480 000", "cost_staff": "2 100 000", "cost_it": "120 000", "cost_other": "60 000", "staff": "3,5",
                "opening_hours": "Vardagar 09–17", "capacity": "30 000"},
    "partner_agencies": {"code": "SKV", "name": "Skatteverket", "org_number": "202100-5448"},
    "office_visits": {"office": "k01", "month": "{year}-01", "partner": "SKV", "errand_type": "id-kort", "visits": "640", "errands": "700"},
    "municipality_types": {"municipality": "0114", "type": "2"},
    "prices": {"year": "{year}", "price_list": "Priser {year}", "service_code": "lonespec", "unit_price": "53,50", "tiers": "", "graduated": "ja",
               "packages": "", "base_fixed": "1 200", "per_employee": "", "fixed_pool": "", "pool_key": "", "payer": "", "connection_fee": "", "connection_months": "60",
               "markup": "", "discount": "", "vat_category": "S", "vat_rate": "25"},
    "population_grid": {"x": "17,9119", "y": "59,5184", "population": "1 250", "name": "ruta-1"},
    "fee_activities": {"activity": "uppdrag", "name": "Uppdragsverksamhet åt andra myndigheter", "name_en": "Services to other agencies",
                       "section": "disponeras", "ledger_objects": "UPP", "balance_goal_year": "", "year": "{year}", "budget_revenue": "12 000 000",
                       "budget_cost": "11 800 000", "accumulated_before": "", "source": "Regleringsbrev {year}"},
    "appropriations": {"appropriation": "Uo 02 1:99 ap.1", "name": "Exempelmyndigheten (ramanslag)", "revenue_accounts": "3700-3799", "year": "{year}",
                       "opening": "1 250 000", "allocation": "48 000 000", "withdrawal": "", "adjustment": "", "adjustment_note": "", "credit_rate": "0,03"},
    "reference_figures": {"figure": "anställda i staten", "year": "{previous}", "value": "268 000", "source": "Arbetsgivarverket"},
    "savings_requirements": {"year": "{year}", "base_year": "{previous}", "amount": "5 000 000"},
    "restrictions": {"subject": "drift/sakert-natverk", "indicator": "", "reason": "Uppgifterna om tjänsten är säkerhetsskyddsklassificerade"},
    "service_levels": {"service_code": "lonespec", "year": "{year}", "metric": "Lönespecifikationer korrekta och i tid", "metric_en": "",
                       "comparison": "minst", "threshold": "99,5", "unit": "%", "period": "månad"},
    "staff_years": {"year": "{year}", "fte": "212,5", "average_employees": "240", "source": "Personalsystemet"},
}


def heading(column) -> str:
    """The heading a template uses: the column's Swedish name, else its canonical name."""
    return column.aliases[0] if column.aliases else column.name


def template_rows(kind: str) -> tuple[list[str], list[str]]:
    """The headings and the example row; the example's dates fall in this year (by the clock),
    never in a fixed one."""
    importer = IMPORTERS[kind]
    examples = EXAMPLES.get(kind, {})
    year = clock.today().year
    years = {"year": year, "previous": year - 1, "opened": year - 7, "lease_end": year + 2}
    return [heading(c) for c in importer.columns], [examples.get(c.name, "").format(**years) for c in importer.columns]


def template_csv(kind: str) -> bytes:
    """Semicolon-separated UTF-8 with a byte-order mark, as Swedish Excel opens it."""
    header, example = template_rows(kind)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerow(example)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(kind: str) -> bytes:
    header, example = template_rows(kind)
    return write_workbook([(kind, header, [example])])
