"""The annual report's own tables for an organisation of its own (not the demo): its fee-financed
activities with their budgets and opening result (Tabell 6), its appropriation (Tabell 25) and its
staff (Tabell 14), each imported from a file as a controller writes it, then read by the fee
report from the organisation's own ledger. Bad files are refused whole, naming row and column."""

from decimal import Decimal

import pytest

from servicecenter.apps.followup import services as followup
from servicecenter.apps.followup.models import (
    ActivityBudget,
    ActivityOpening,
    Appropriation,
    AppropriationYear,
    FeeActivity,
    StaffYear,
)
from servicecenter.apps.imports.base import run_import
from servicecenter.apps.registry.models import Provider
from servicecenter.core.registry import make_orgnr

D = Decimal


@pytest.fixture
def agency(db):
    """A state agency with fee-financed activities, starting empty, with a 2027 ledger of its own:
    the activity UPP earns 1.2 million and costs 1.05; the appropriation pays 0.5 million."""
    provider = Provider.objects.create(code="exempel", name="Exempelmyndigheten", org_number=make_orgnr("202199123"),
                                       kind=Provider.Kind.STATE_SERVICE_CENTRE)
    ledger = ("konto;verksamhet;månad;belopp\n"
              "3011;UPP;2027-03;-700000\n3011;UPP;2027-09;-500000\n5010;UPP;2027-03;1050000\n"
              "3711;;2027-01;-500000\n5010;;2027-01;500000\n")
    assert run_import("ledger", ledger.encode(), "huvudbok-2027.csv", provider=provider).ok
    return provider


ACTIVITIES = ("verksamhet;benämning;del;aktivitetsobjekt;i balans år;år;budgeterade intäkter;budgeterade kostnader;ackumulerat före året;källa\n"
              "upp;Uppdrag åt andra myndigheter;disponeras;UPP;2030;2027;1 100 000;1 000 000;;Regleringsbrev 2027\n"
              "upp;Uppdrag åt andra myndigheter;disponeras;UPP;2030;2027;;;−80 000,50;Balanserad kapitalförändring 2026\n"
              "pension;Administration med pensionsmedel;pension;PEN;;2027;40 000;40 000;;\n")


def test_an_agency_sets_up_tabell_6_25_and_14_from_files_and_the_fee_report_reads_its_ledger(agency):
    report = run_import("fee_activities", ACTIVITIES.encode(), "verksamheter.csv", provider=agency)
    assert report.ok, report.lines("en")
    assert report.counts == {"activities": 2, "budgets": 2, "openings": 1}
    upp = FeeActivity.objects.get(provider=agency, code="upp")
    assert (upp.position, upp.section, upp.ledger_objects, upp.balance_goal_year) == (1, "disposed", ["UPP"], 2030)
    assert upp.opening.year == 2027 and upp.opening.amount == D("-80000.50") and upp.opening.source == "Balanserad kapitalförändring 2026"
    assert ActivityBudget.objects.get(activity__code="pension", year=2027).source == "verksamheter.csv"   # no source given: the file
    rows = {row.code: row for row in followup.fee_rows(agency, 2027)}
    assert (rows["upp"].budget_revenue, rows["upp"].budget_cost) == (D(1_100_000), D(1_000_000))
    assert (rows["upp"].revenue, rows["upp"].cost, rows["upp"].result) == (D(1_200_000), D(1_050_000), D(150_000))   # from the ledger's UPP
    assert rows["pension"].revenue == 0 and rows["pension"].budget_result == 0

    appropriation = ("anslagspost;benämning;intäktskonton;år;ingående överföringsbelopp;årets tilldelning;indragning;anslagskredit\n"
                     "Uo 02 1:99 ap.1;Exempelmyndigheten (ramanslag);3711 – 3711;2027;20 000;550 000;5 000;0,05\n")
    assert run_import("appropriations", appropriation.encode(), "anslag.csv", provider=agency).ok
    (year,) = followup.appropriation_years(agency, 2027)
    assert (year.opening, year.allocation, year.withdrawal, year.expenditure) == (D(20_000), D(550_000), D(5_000), D(500_000))
    assert year.closing == D(20_000 + 550_000 - 5_000 - 500_000) and year.credit == D(550_000) * D("0.05")

    assert run_import("staff_years", "år;årsarbetskrafter;medelantal anställda\n2027;12,5;14\n".encode(), "personal.csv", provider=agency).ok
    summary = {column.year: column for column in followup.five_year_summary(agency, 2027)}
    assert (summary[2027].fte, summary[2027].average_employees, summary[2027].fee_revenue_estimate) == (D("12.5"), D(14), D(1_140_000))


def test_importing_again_updates_by_code_and_year_and_keeps_the_rest(agency):
    assert run_import("fee_activities", ACTIVITIES.encode(), "verksamheter.csv", provider=agency).ok
    changed = ("activity,name,section,ledger_objects,year,budget_revenue,budget_cost\n"
               "upp,Uppdrag (nytt namn),disponeras,\"UPP, UPP2\",2027,1200000,1100000\n"
               "upp,Uppdrag (nytt namn),disponeras,\"UPP, UPP2\",2028,1300000,1250000\n")
    report = run_import("fee_activities", changed.encode(), "verksamheter-2.csv", provider=agency)
    assert report.ok, report.lines("en")
    upp = FeeActivity.objects.get(provider=agency, code="upp")
    assert upp.name_sv == "Uppdrag (nytt namn)" and upp.ledger_objects == ["UPP", "UPP2"] and upp.position == 1
    assert dict(upp.budgets.values_list("year", "revenue")) == {2027: D(1_200_000), 2028: D(1_300_000)}
    assert upp.opening.amount == D("-80000.50")   # not in the second file: kept
    assert FeeActivity.objects.filter(provider=agency).count() == 2


def test_bad_rows_are_refused_whole_naming_row_and_column(agency):
    header = "activity,name,section,ledger_objects,year,budget_revenue,budget_cost,accumulated_before\n"
    bad = (header
           + "upp,Uppdrag,disponeras,UPP,2027,1000,,\n"              # 2: a budget without its cost
           + "upp,Uppdrag,okänd,UPP,2028,1000,900,\n"                # 3: an unknown part of the table
           + "upp,Uppdrag,disponeras,UPP,2029,,,\n"                  # 4: neither a budget nor an opening
           + "upp åt,Uppdrag,disponeras,UPP,2031,1,1,\n")            # 5: a code with a space
    report = run_import("fee_activities", bad.encode(), "verksamheter.csv", provider=agency)
    found = {(p.row, p.column, p.code) for p in report.errors}
    assert found == {(2, "budget_cost", "value.required"), (3, "section", "value.choice"), (4, "budget_revenue", "fee.nothing"),
                     (5, "activity", "value.code")}, found
    across = (header
              + "upp,Uppdrag,disponeras,UPP,2030,1,1,\n"             # 2
              + "upp,Annat namn,disponeras,UPP,2031,1,1,\n"          # 3: the activity described otherwise than on row 2
              + "upp,Uppdrag,disponeras,UPP,2030,2,2,\n"             # 4: the budget of 2030 again
              + "upp,Uppdrag,disponeras,UPP,2027,,,-5\n"             # 5 and 6: two opening results
              + "upp,Uppdrag,disponeras,UPP,2026,,,-6\n")
    report = run_import("fee_activities", across.encode(), "verksamheter.csv", provider=agency)
    found = {(p.row, p.code) for p in report.errors}
    assert found == {(3, "fee.inconsistent"), (4, "row.duplicate"), (6, "row.duplicate")}, found
    assert any("row 3, column name" in line and "row 2" in line for line in report.lines("en"))
    assert not FeeActivity.objects.filter(provider=agency).exists() and not ActivityOpening.objects.filter(activity__provider=agency).exists()

    appropriation = ("appropriation,name,revenue_accounts,year,opening,allocation,credit_rate\n"
                     "A,Anslaget,3711-3700,2027,0,100,\n"       # accounts the wrong way round
                     "A,Anslaget,3711,2028,0,-100,\n"           # one account only, and a negative allocation
                     "A,Anslaget,3700-3799,2029,0,100,3\n")     # a credit of 3 (300 %): a share is 0–1
    report = run_import("appropriations", appropriation.encode(), "anslag.csv", provider=agency)
    found = {(p.row, p.column, p.code) for p in report.errors}
    assert {(2, "revenue_accounts", "appropriation.accounts"), (3, "revenue_accounts", "appropriation.accounts"),
            (3, "allocation", "value.negative"), (4, "credit_rate", "value.range")} <= found, found
    renamed = "appropriation,name,year,opening,allocation\nA,Anslaget,2027,0,100\nA,Ett annat anslag,2028,0,100\n"
    report = run_import("appropriations", renamed.encode(), "anslag.csv", provider=agency)
    assert [(p.row, p.column, p.code) for p in report.errors] == [(3, "name", "appropriation.inconsistent")]
    assert not Appropriation.objects.filter(provider=agency).exists() and not AppropriationYear.objects.filter(appropriation__provider=agency).exists()

    report = run_import("staff_years", b"year,fte\n2027,12\n2027,13\n", "personal.csv", provider=agency)
    assert [(p.row, p.code) for p in report.errors] == [(3, "row.duplicate")] and not StaffYear.objects.filter(provider=agency).exists()


def test_the_import_page_offers_the_annual_tables_with_their_templates(client_for):
    page = client_for("controller").get("/import/").content.decode()
    for kind in ("fee_activities", "appropriations", "staff_years"):
        assert f"/import/templates/{kind}.xlsx" in page


def test_a_survey_file_says_how_the_survey_was_drawn_once_and_keeps_it_on_the_next_import(agency):
    from servicecenter.apps.followup.models import Survey

    header = "undersökning;år;svarande;respondent;helhet;förväntningar;ideal;population;urvalsstorlek;fältperiod;urvalsmetod\n"
    data = header + "kund-2027;2027;kund;r1;8;7;7;140;60;mars;Slumpmässigt urval av kontaktpersoner\nkund-2027;2027;kund;r2;6;6;5;;;;\n"
    assert run_import("survey_answers", data.encode(), "enkat.csv", provider=agency).ok
    survey = Survey.objects.get(provider=agency, code="kund-2027")
    assert (survey.population, survey.sample_size, survey.fieldwork, survey.sample_design, survey.answers.count()) == (
        140, 60, "mars", "Slumpmässigt urval av kontaktpersoner", 2)
    again = header + "kund-2027;2027;kund;r1;9;9;9;;;;\n"   # the answers again, without the design: the stored design stays
    assert run_import("survey_answers", again.encode(), "enkat-2.csv", provider=agency).ok
    survey.refresh_from_db()
    assert survey.sample_size == 60 and list(survey.answers.values_list("overall", flat=True)) == [9]
    conflict = header + "kund-2027;2027;kund;r1;8;7;7;;60;;\nkund-2027;2027;kund;r2;6;6;5;;70;;\n"
    report = run_import("survey_answers", conflict.encode(), "enkat-3.csv", provider=agency)
    assert [(p.row, p.column, p.code) for p in report.errors] == [(3, "urvalsstorlek", "survey.inconsistent")]
    assert "row 2" in report.lines("en")[0]
    survey.refresh_from_db()
    assert list(survey.answers.values_list("overall", flat=True)) == [9]   # nothing written
