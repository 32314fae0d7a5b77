"""Follow-up against the demo database: seed 000's and 001's published figures computed from the
demo ledger, budget and registry; the seven IT-operations indicators; bad input; reports."""

import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from servicecenter.apps.accounts.models import AuditEntry
from servicecenter.apps.followup import services as followup
from servicecenter.apps.followup.models import (
    DataPoint,
    Family,
    IndicatorDefinition,
    Outage,
    SurveyAnswer,
)
from servicecenter.apps.imports.base import run_import
from servicecenter.apps.registry.models import Provider
from servicecenter.core import followup as fu
from servicecenter.core.indicators import Level, Status
from tests.apps.conftest import fetch

D = Decimal


@pytest.fixture
def fk(db):
    return Provider.objects.get(code="fk")


def mnkr(values):
    return [fu.in_millions(v) for v in values]


# --- seed 000: Tabell 6, 25, 21 and the tables they rest on ---------------------------------------

def test_tabell_6_from_the_demo_ledger_and_budget(ssc):
    rows = {r.code: r for r in followup.fee_rows(ssc, 2025)}
    #            t.o.m. 2023, 2024, budget rev, revenue, budget cost, cost, budget +/-, +/-, accumulated
    assert mnkr(rows["adm"].figures()) == [D(x) for x in ("-129.3", "29.0", "611.0", "617.3", "587.5", "596.7", "23.5", "20.6", "-79.7")]
    assert mnkr(rows["ap"].figures()) == [D(x) for x in ("0", "0", "45.9", "47.8", "45.9", "48.1", "0", "-0.3", "-0.3")]
    assert mnkr(rows["pp"].figures()) == [D(x) for x in ("0", "0", "7.2", "7.5", "7.2", "7.5", "0", "-0.1", "-0.1")]
    assert mnkr(rows["id"].figures()) == [D(x) for x in ("0", "0", "29.2", "27.2", "29.2", "27.2", "0", "0", "0")]
    assert mnkr(rows["mig"].figures()) == [D(x) for x in ("0", "-2.7", "7.5", "15.2", "7.5", "15.4", "0", "-0.2", "-2.9")]
    sums = {t.section: mnkr(t.figures()) for t in fu.fee_table(rows.values())}
    assert sums[fu.Section.PENSION] == [D(x) for x in ("0", "0", "53.1", "55.3", "53.1", "55.6", "0", "-0.4", "-0.4")]
    assert sums[fu.Section.ESTIMATED] == [D(x) for x in ("0", "-2.7", "36.7", "42.4", "36.7", "42.6", "0", "-0.2", "-2.9")]
    # −129.3 + 29.0 + 20.6 = −79.7, and the "−100.3 at the start of 2025" of the text
    assert fu.in_millions(rows["adm"].accumulated_before + rows["adm"].prior_result) == D("-100.3")


def test_accumulated_result_year_by_year(ssc):
    closing = followup.accumulated_by_year(ssc, "adm", 2025)
    assert {y: fu.in_thousands(v) for y, v in closing.items()} == {2023: -129_347, 2024: -100_312, 2025: -79_722}


def test_balance_goal_path_from_the_accumulated_deficit(ssc):
    adm = next(r for r in followup.fee_rows(ssc, 2025) if r.code == "adm")
    path = fu.balance_path(adm.closing, 2025, 2030)
    assert [p.year for p in path] == [2026, 2027, 2028, 2029, 2030] and path[-1].closing == 0
    assert fu.in_millions(path[0].required) == D("15.9")


def test_tabell_25_appropriation_account(ssc):
    (account,) = followup.appropriation_years(ssc, 2025)
    assert [fu.in_thousands(v) for v in (account.opening, account.allocation, account.withdrawal, account.available, account.expenditure, account.closing, account.credit)] == \
        [67_485, 937_147, 20_140, 984_492, 896_280, 88_212, 28_114]


def test_tabell_21_five_year_summary_and_operating_cost_per_fte(ssc):
    columns = {c.year: c for c in followup.five_year_summary(ssc, 2025)}
    assert [round(columns[y].operating_cost_per_fte) for y in (2025, 2024, 2023)] == [1175, 1133, 1052]
    assert [fu.in_thousands(columns[y].fee_revenue) for y in (2025, 2024, 2023)] == [719_709, 700_824, 658_188]
    assert [fu.in_thousands(columns[y].fee_revenue_estimate) for y in (2025, 2024, 2023)] == [700_760, 692_383, 637_475]
    assert [fu.in_thousands(columns[y].result) for y in (2025, 2024, 2023)] == [20_220, 29_035, -3_691]
    assert [fu.in_thousands(columns[y].carry_over) for y in (2025, 2024, 2023)] == [88_212, 67_485, 22_477]
    assert [fu.in_thousands(columns[y].credit_granted) for y in (2025, 2024, 2023)] == [28_114, 28_362, 27_452]
    assert columns[2021].fee_revenue is None   # no ledger for 2021 in the system: shown as –
    # The seed disagrees with itself on 2024's FTE: Tabell 14 prints 1,335 and Tabell 21 1,355.
    # Only 1,335 gives Tabell 21's own 1,133 tkr per FTE, so the demo uses it.
    assert columns[2024].fte == 1335


def test_tabell_1_to_5_from_the_ledger(ssc):
    for year, (revenue, cost, result) in {2025: ("1620.2", "1600.0", "20.2"), 2024: ("1610.2", "1581.2", "29.0"), 2023: ("1574.6", "1578.3", "-3.7")}.items():
        kinds = followup.ledger_kinds(ssc, year)
        total_revenue = sum((kinds[k] for k, _l, _h in fu.REVENUE_KINDS), D(0))
        total_cost = sum((kinds[k] for k, _l, _h in fu.COST_KINDS), D(0))
        assert mnkr([total_revenue, total_cost, total_revenue - total_cost]) == [D(revenue), D(cost), D(result)], year
    kinds = followup.ledger_kinds(ssc, 2025)
    assert mnkr([kinds["appropriation"], kinds["fees"], kinds["grants"]]) == [D("896.1"), D("719.7"), D("4.4")]   # Tabell 2
    results = followup.activity_results(ssc)
    assert results  # the follow-up reads its activities from the ledger's dimension 6
    # Tabell 4 (administrative services = the fee activity + its grant-financed remainder):
    from servicecenter.apps.costing.models import LedgerCell

    def admin(year):
        cells = LedgerCell.objects.filter(provider=ssc, year=year, activity__in=("ADM", "ADM-OVR"))
        revenue = -sum((c.amount for c in cells if c.account < "4000"), D(0))
        cost = sum((c.amount for c in cells if c.account >= "4000"), D(0))
        return mnkr([revenue, cost, revenue - cost])

    assert admin(2025) == [D("618.2"), D("597.6"), D("20.6")]
    assert admin(2023) == [D("581.4"), D("585.1"), D("-3.7")]
    # Tabell 4 for 2024 prints fees 603.8 + other 4.3 = 607.1, which does not add up (608.1); its
    # sum and its result (29.0, also Tabell 1) agree, so the demo keeps those and books 3.3 other.
    assert D("603.8") + D("4.3") != D("607.1")
    assert admin(2024) == [D("607.1"), D("578.1"), D("29.0")]


# --- seed 001 and the productivity measures -------------------------------------------------------

def test_2012_connection_rates_and_productivity(ssc):
    cells = {c.definition.code: c for c in followup.evaluate_family(ssc, Family.PRODUCTIVITY, Level.ORGANISATION, [2012, 2023, 2024, 2025])}
    value = lambda code, year: next(v for v in cells[code].values if v.period == year)  # noqa: E731
    assert value("anslutningsgrad-lon", 2012).rounded(1) == D("15.0")       # 35,937 / 239,086
    assert value("anslutningsgrad-total", 2012).rounded(1) == D("15.2")     # 36,309 / 239,086
    assert value("anslutningsgrad-lon", 2012).numerator == 35_937 and value("anslutningsgrad-lon", 2012).denominator == 239_086
    assert value("loner-per-aa", 2012).rounded(0) == 520
    assert value("levfakturor-per-aa", 2012).rounded(0) == 20_552
    assert value("arenden-per-besok", 2025).rounded(2) == D("1.20")        # 3,061,244 errands / 2,549,189 visits
    assert value("driftkostnad-per-aa", 2025).rounded(0) == 1175
    # payslips are in the volumes for 2025 but no payroll FTE is: not computable, and said so
    assert value("loner-per-aa", 2025).status is Status.MISSING and value("loner-per-aa", 2025).missing == ("payroll_fte",)


def test_own_goals_visitor_nki_and_the_assessment_rule(ssc):
    goals = followup.goal_assessments(ssc, 2025)
    assert len(goals) == 4
    first_goal, cells, assessment = goals[0]
    visitors = next(c for c in cells if c.definition.code == "nki-besokare")
    assert [v.rounded(0) for v in visitors.values] == [93, 94]                # seed 000: 94 (93), from 1,000 answers each
    assert assessment.good is True and assessment.improved * 2 > assessment.assessed
    users = next(c for c in cells if c.definition.code == "nki-anvandare")
    assert [v.rounded(0) for v in users.values] == [67, 68]


# --- the seven indicators for coordinated IT operations -------------------------------------------

def test_the_seven_indicators_per_service_supplier_and_whole(fk):
    service = followup.evaluate_family(fk, Family.IT_OPERATIONS, Level.SERVICE, [2025, 2026])
    assert {c.definition.code for c in service} == {d["code"] for d in followup.IT_INDICATORS}
    data = followup.observations(fk, Level.ORGANISATION)
    assert data[("all", 2025)]["state_agencies"] == 223 and data[("all", 2025)]["preparedness_agencies"] == 67
    # availability over all services is the ratio of the sums of minutes, not a mean of shares
    services = followup.observations(fk, Level.SERVICE)
    open_total = sum(v["open_minutes"] for (s, y), v in services.items() if y == 2025 and "open_minutes" in v)
    down_total = sum(v["outage_minutes"] for (s, y), v in services.items() if y == 2025 and "outage_minutes" in v)
    whole = next(c for c in followup.evaluate_family(fk, Family.IT_OPERATIONS, Level.ORGANISATION, [2025]) if c.definition.code == "it-6-tillganglighet")
    assert whole.values[0].value == D(100) * (open_total - down_total) / open_total
    # units and cost per unit do not combine across services with different units
    suppliers = followup.evaluate_family(fk, Family.IT_OPERATIONS, Level.SUPPLIER, [2025, 2026])
    assert not {c.definition.code for c in suppliers} & {"it-3-enheter", "it-4-kostnad-per-enhet"}
    # suppliers are listed alphabetically for each indicator, whatever their values
    for code in {c.definition.code for c in suppliers}:
        assert [c.subject for c in suppliers if c.definition.code == code] == sorted(c.subject for c in suppliers if c.definition.code == code)


def test_cost_drivers_add_up_and_compare_with_plo(fk):
    change = followup.cost_drivers(fk, "fk/vdc", 2026)
    assert change is not None
    assert change.volume + change.input_prices + change.content + change.security == change.change
    assert change.index_change.quantize(D("0.01")) == D("1.86")   # PLO 102.4 → 104.3 (illustrative)


def test_an_entered_outage_lowers_availability_only_inside_opening_hours(fk, client_for):
    service = fk.services.get(code="webbanalys")   # weekdays 07–18
    subject = followup.subject_of(service)
    before = followup.observations(fk, Level.SERVICE)[(subject, 2025)]
    client = client_for("it-samordnare")
    # Saturday 15 March 2025: outside the agreed hours
    client.post("/followup/entry/", {"kind": "outage", "provider": "fk", "service": service.pk, "start": "2025-03-15T09:00", "end": "2025-03-15T12:00"})
    followup.refresh(fk, [2025])
    assert followup.observations(fk, Level.SERVICE)[(subject, 2025)]["outage_minutes"] == before["outage_minutes"]
    # Tuesday 18 March 2025, 17:00–19:00: one hour inside
    client.post("/followup/entry/", {"kind": "outage", "provider": "fk", "service": service.pk, "start": "2025-03-18T17:00", "end": "2025-03-18T19:00"})
    followup.refresh(fk, [2025])
    after = followup.observations(fk, Level.SERVICE)[(subject, 2025)]
    assert after["outage_minutes"] in (before["outage_minutes"] + 60, before["outage_minutes"])   # overlaps with an earlier outage count once
    assert after["open_minutes"] == before["open_minutes"]
    assert AuditEntry.objects.filter(action="followup.outage.entered").count() == 2


# --- bad input -------------------------------------------------------------------------------------

def test_survey_answers_outside_1_to_10_are_refused(fk):
    before = SurveyAnswer.objects.count()
    data = "survey,year,kind,service_code,respondent,overall,expectations,ideal\nnki-x,2026,kund,vdc,1,11,5,5\nnki-x,2026,kund,vdc,2,5,0,5\nnki-x,2026,kund,vdc,3,5,5,sju\n"
    report = run_import("survey_answers", data.encode(), "svar.csv", provider=fk)
    with translation.override("en"):
        lines = report.lines("en")
    assert not report.ok and SurveyAnswer.objects.count() == before
    assert any("svar.csv, row 2, column overall" in line and "1–10" in line for line in lines)
    assert any("row 3, column expectations" in line for line in lines)
    assert any("row 4, column ideal" in line and "whole number" in line for line in lines)


def test_outage_log_refuses_bad_rows_and_writes_nothing(fk):
    before = Outage.objects.count()
    data = ("service_code,start,end,description\n"
            "vdc,2025-05-02 10:00,2025-05-02 09:00,ends before it starts\n"
            "okand,2025-05-02 10:00,2025-05-02 11:00,unknown service\n"
            "vdc,2025-05-02 10:00,2025-05-02 11:00,fine\n")
    report = run_import("outages", data.encode(), "avbrott.csv", provider=fk)
    lines = report.lines("en")
    assert not report.ok and Outage.objects.count() == before
    assert any("avbrott.csv, row 2, column end" in line and "ends" in line for line in lines)
    assert any("row 3, column service_code" in line and "okand" in line for line in lines)
    good = run_import("outages", b"service_code,start,end\nvdc,2025-05-02 10:00,2025-05-02 11:00\n", "avbrott.csv", provider=fk)
    assert good.ok and good.counts == {"created": 1, "unchanged": 0}
    again = run_import("outages", b"service_code,start,end\nvdc,2025-05-02 10:00,2025-05-02 11:00\n", "avbrott.csv", provider=fk)
    assert again.counts == {"created": 0, "unchanged": 1}


def test_agency_register_and_price_index_imports(fk):
    from servicecenter.apps.followup.models import AgencyRegister, PriceIndex
    from servicecenter.core.registry import make_orgnr

    a, b = make_orgnr("202199001"), make_orgnr("202199002")
    data = f"register,valid_on,org_number,name,fte,host_org_number\nstatskontoret,2027-01-01,{a},A-verket,12,\nstatskontoret,2027-01-01,{b},B-nämnden,0.5,\nstatskontoret,2027-01-01,{b[:-1]}0,Fel,3,\n"
    report = run_import("agency_register", data.encode(), "register.csv", provider=fk)
    assert not report.ok and any("row 4, column org_number" in line for line in report.lines("en"))
    report = run_import("agency_register", "\n".join(data.splitlines()[:3]).encode(), "register.csv", provider=fk)
    assert report.ok
    register = AgencyRegister.objects.get(valid_on="2027-01-01")
    assert register.agencies.count() == 2 and register.counted().count() == 1   # B-nämnden has less than one FTE
    bad = run_import("price_index", b"index,year,value\nplo,2027,0\nplo,tjugo,100\n", "plo.csv", provider=fk)
    assert not bad.ok and not PriceIndex.objects.filter(year=2027).exists()


def test_a_zero_denominator_is_not_computable_and_shown_as_such(ssc, client_for):
    DataPoint.objects.create(provider=ssc, element="visits", level="organisation", subject="ssc", year=2026, value=0, origin="entered")
    DataPoint.objects.create(provider=ssc, element="errands", level="organisation", subject="ssc", year=2026, value=5, origin="entered")
    cells = {c.definition.code: c for c in followup.evaluate_family(ssc, Family.PRODUCTIVITY, Level.ORGANISATION, [2025, 2026])}
    assert cells["arenden-per-besok"].values[-1].status is Status.ZERO_DENOMINATOR
    definition = IndicatorDefinition.objects.get(provider=ssc, code="arenden-per-besok")
    page = client_for("controller").get(f"/followup/drill/{definition.pk}/organisation/ssc/2026/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Not computable: the denominator is zero." in page


def test_data_entry_validates_and_audits(ssc, client_for):
    client = client_for("controller")
    before = DataPoint.objects.count()
    response = client.post("/followup/entry/", {"kind": "datapoint", "provider": "ssc", "element": "calls", "level": "organisation", "subject": "ssc",
                                                "year": "2025", "value": "många"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "Not a number." in response.content.decode() and DataPoint.objects.count() == before
    response = client.post("/followup/entry/", {"kind": "datapoint", "provider": "ssc", "element": "operating_cost", "level": "organisation", "subject": "ssc",
                                                "year": "2025", "value": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "computed from the registry" in response.content.decode()
    response = client.post("/followup/entry/", {"kind": "datapoint", "provider": "ssc", "element": "calls", "level": "organisation", "subject": "ssc",
                                                "year": "2025", "value": "7 400"})
    assert response.status_code == 302 and DataPoint.objects.get(element="calls", year=2025).value == 7400
    assert AuditEntry.objects.filter(action="followup.datapoint.entered").exists()


def test_refresh_remakes_computed_points_and_keeps_entered_ones(ssc):
    entered = DataPoint.objects.filter(provider=ssc).exclude(origin="computed").count()
    DataPoint.objects.filter(provider=ssc, origin="computed", element="fte").update(value=1)
    followup.refresh(ssc)
    assert DataPoint.objects.get(provider=ssc, element="fte", year=2025).value == 1300
    assert DataPoint.objects.filter(provider=ssc).exclude(origin="computed").count() == entered


def test_a_new_version_applies_from_its_year(ssc):
    old = IndicatorDefinition.objects.get(provider=ssc, code="arenden-per-besok")
    IndicatorDefinition.objects.create(**{f.name: getattr(old, f.name) for f in old._meta.concrete_fields if f.name not in ("id",)} | {"version": 2, "valid_from": 2025, "factor": 100})
    cell = next(c for c in followup.evaluate_family(ssc, Family.PRODUCTIVITY, Level.ORGANISATION, [2024, 2025]) if c.definition.code == "arenden-per-besok")
    assert cell.values[0].rounded(2) == D("1.19") and cell.values[1].rounded(0) == 120


# --- reports and the guardrails ---------------------------------------------------------------------

def test_it_report_keeps_restricted_items_in_the_annex(client_for):
    client = client_for("it-samordnare")
    open_report = client.get("/followup/it-report/2025/?provider=fk", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    annex = client.get("/followup/it-report/2025/?provider=fk&annex=1", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "DSP BH" not in open_report and "DSP BH" in annex
    assert "Virtuell datacentertjänst" in open_report
    pdf = fetch(client, "/followup/it-report/2025/?provider=fk&format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    book = load_workbook(io.BytesIO(fetch(client, "/followup/it-report/2025/?provider=fk&format=xlsx").content))
    text = {str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row}
    assert "DSP BH – säker arbetsplats för begränsat hemlig" not in text and any("Virtuell" in t for t in text)


def test_fee_report_downloads(client_for):
    client = client_for("controller")
    page = client.get("/followup/fee-report/2025/").content.decode()
    assert "−79" in page or "-79" in page
    book = load_workbook(io.BytesIO(fetch(client, "/followup/fee-report/2025/?format=xlsx").content))
    rows = [[cell.value for cell in row] for row in book["Tabell 6 (tkr)"].iter_rows()]
    adm = next(r for r in rows if r[0] and str(r[0]).startswith("Tillhandahållande"))
    assert adm[1:] == [-129_347, 29_035, 610_960, 617_330, 587_500, 596_740, 23_460, 20_590, -79_722]
    assert fetch(client, "/followup/fee-report/2025/?format=pdf").content.startswith(b"%PDF")


def test_api_values_leave_out_restricted_items_for_readers(client_for):
    coordinator = client_for("it-samordnare").get("/api/indicators/values?provider=fk&family=it_operations&level=service").json()
    assert any(v["subject"] == "trv/dsp-bh" for v in coordinator)
    values = client_for("controller").get("/api/indicators/values?provider=ssc&family=productivity").json()
    rate = next(v for v in values if v["indicator"] == "anslutningsgrad-lon" and v["year"] == 2012)
    assert Decimal(str(rate["numerator"])) == 35_937 and rate["status"] == "ok"
    missing = next(v for v in values if v["indicator"] == "loner-per-aa" and v["year"] == 2025)
    assert missing["value"] is None and missing["status"] == "missing"


FOLLOWUP_HEADERS = {
    "agency_register": ("register,valid_on,org_number,name", 4),
    "outages": ("service_code,start,end", 3),
    "survey_answers": ("survey,year,kind,respondent,overall,expectations,ideal", 7),
    "price_index": ("index,year,value", 3),
    "indicator_data": ("element,level,subject,year,value", 5),
    "fee_activities": ("activity,name,section,ledger_objects,year", 5),
    "appropriations": ("appropriation,name,year,opening,allocation", 5),
    "staff_years": ("year,fte", 2),
}


@pytest.mark.parametrize("kind", sorted(FOLLOWUP_HEADERS))
def test_junk_files_are_refused_by_every_followup_import(fk, kind):
    from django.apps import apps

    def snapshot():
        return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label == "followup"}

    header, required = FOLLOWUP_HEADERS[kind]
    before = snapshot()
    run = lambda data, name="fil.csv": run_import(kind, data, name, provider=fk)  # noqa: E731
    assert [p.code for p in run(b"").errors] == ["file.empty"]
    assert [p.code for p in run((header + "\n").encode()).errors] == ["file.no_rows"]
    assert [p.code for p in run(bytes(range(256)) * 4096).errors] == ["file.binary"]
    report = run(("ABCDEFGHIJ" * 8 + "\n").encode() * 1000)
    assert {p.code for p in report.errors} == {"header.missing"} and len(report.errors) == required
    assert [p.code for p in run(b"PK\x03\x04broken", "fil.xlsx").errors] == ["file.xlsx"]
    assert snapshot() == before


def test_visitor_nki_drills_down_to_its_survey_and_sample_design(ssc, client_for):
    definition = IndicatorDefinition.objects.get(provider=ssc, code="nki-besokare")
    page = client_for("controller").get(f"/followup/drill/{definition.pk}/organisation/ssc/2025/").content.decode()
    assert "visitor_respondents" in page and "Systematiskt urval" in page and "1000" in page.replace("\u202f", "").replace(" ", "")


def test_outage_form_refuses_bad_input_and_writes_nothing(fk, client_for):
    client = client_for("it-samordnare")
    before = Outage.objects.count()
    vdc = fk.services.get(code="vdc")
    cases = [({"service": vdc.pk, "start": "2025-05-02T10:00", "end": "2025-05-02T09:00"}, "ends"),
             ({"service": vdc.pk, "start": "i morgon", "end": "2025-05-02T09:00"}, "Not a valid time"),
             ({"service": "", "start": "2025-05-02T10:00", "end": "2025-05-02T11:00"}, "Choose a service.")]
    for values, message in cases:
        response = client.post("/followup/entry/", {"kind": "outage", "provider": "fk", **values}, HTTP_ACCEPT_LANGUAGE="en")
        page = response.content.decode()
        assert response.status_code == 200 and message in page and "Nothing was saved" in page, message
    assert Outage.objects.count() == before


def test_refreshing_one_year_keeps_the_other_years(fk):
    before = DataPoint.objects.filter(provider=fk, origin="computed", year=2026).count()
    assert before
    followup.refresh(fk, [2025])
    assert DataPoint.objects.filter(provider=fk, origin="computed", year=2026).count() == before


def test_ledger_activity_longer_than_its_field_is_refused(ssc):
    from servicecenter.apps.costing.models import LedgerCell

    before = LedgerCell.objects.count()
    report = run_import("ledger", ("account,activity,month,amount\n4011," + "X" * 41 + ",2027-01,100\n").encode(), "huvudbok.csv", provider=ssc)
    assert not report.ok and any("huvudbok.csv, row 2, column activity" in line for line in report.lines("en"))
    assert LedgerCell.objects.count() == before


def test_an_outage_keeps_a_long_description_cut_with_a_warning_and_refuses_a_long_reference(fk):
    """The description is free text: longer than its 300 characters it is kept cut, said once. The
    reference (a ticket number) is part of what identifies the outage, so a long one is refused."""
    description = "Lagringen svarade inte; " * 20   # 480 characters
    data = f'service_code,start,end,description,reference\nvdc,2025-06-02 10:00,2025-06-02 11:00,"{description}",INC-1\n'
    report = run_import("outages", data.encode(), "avbrott.csv", provider=fk)
    assert report.ok and [(p.code, p.row, p.column) for p in report.warnings] == [("value.cut", 2, "description")], report.lines("en")
    assert Outage.objects.get(provider=fk, reference="INC-1").description == description.strip()[:300]
    before = Outage.objects.count()
    refused = run_import("outages", data.replace("INC-1", "INC-" + "9" * 60).encode(), "avbrott.csv", provider=fk)
    assert [(p.code, p.row, p.column) for p in refused.errors] == [("value.too_long", 2, "reference")]
    assert Outage.objects.count() == before
