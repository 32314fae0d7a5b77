"""The office network on the demo: seed 000's counts and tables, imports that refuse bad input
naming file, row and column, the prepared scenario and its consequence report."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db.models import Sum
from openpyxl import load_workbook

from servicecenter.apps.imports.base import run_import
from servicecenter.apps.network import services
from servicecenter.apps.network.models import Municipality, Office, OfficeVisits, Scenario
from tests.apps.conftest import fetch, through_job


def test_offices_at_the_end_of_2024_and_2025(ssc):
    offices = list(Office.objects.filter(provider=ssc).select_related("municipality__fa_region"))
    end_2024 = [o for o in offices if o.is_open_on(dt.date(2024, 12, 31))]
    full = sum(o.category == "full" for o in end_2024)
    flexible = len(end_2024) - full
    assert (full, flexible) == (58, 90) and full + flexible == 148
    closed_2025 = [o for o in offices if o.closed and o.closed.year == 2025]
    assert len(closed_2025) == 23
    assert len([o for o in offices if o.is_open_on(dt.date(2025, 12, 31))]) == 148 - 23 == 125
    assert len({o.municipality_id for o in end_2024}) == 126
    assert Municipality.objects.count() == 290
    assert len({o.municipality.fa_region_id for o in end_2024}) == 60
    assert sum(bool(o.co_location) for o in end_2024) == 39


TABELL_11 = {2025: 2_549_189, 2024: 2_758_758, 2023: 2_645_899}
TABELL_12 = {2025: 3_061_244, 2024: 3_280_775, 2023: 3_125_459}


@pytest.mark.parametrize("year", [2025, 2024, 2023])
def test_tabell_11_12_20_from_the_office_statistics(ssc, year):
    s = services.statistics(ssc, year)
    regions, totals = s["regions"]
    assert totals[0][0] == TABELL_11[year]
    assert s["errands_total"][year] == TABELL_12[year]
    types, type_totals = s["types"]
    assert type_totals[0][0] == TABELL_11[year]  # Tabell 20 adds up to the same visits
    by_region = {label: cells[0] for label, cells in regions}
    if year == 2025:
        assert by_region["Stockholm och Gotland"][0] == 634_192
        assert round(by_region["Stockholm och Gotland"][1] * 100) == 25  # share as printed
        assert by_region["Flexibla kontor"][0] == 375_358 and round(by_region["Flexibla kontor"][1] * 100) == 15
        partners = {label: cells[0] for label, cells in s["partners"][0]}
        assert partners["Skatteverket"][0] == 1_632_547 and round(partners["Skatteverket"][1] * 100) == 53
        assert partners["Migrationsverket"][0] == 86_616 and round(partners["Migrationsverket"][1] * 100) == 3
        kinds = {label: cells[0][0] for label, cells in types}
        assert kinds["Storstadskommuner"] == 1_111_866 and kinds["Mycket glesa landsbygdskommuner"] == 10_040
        assert round(s["errands_per_visit"][0], 2) == 1.20
        assert s["offices_end"] == 125 and s["closed_in_year"] == 23


def test_prepared_scenario_has_about_35_closures_and_flags(ssc):
    scenario = Scenario.objects.get(provider=ssc, name__startswith="Avvecklingsplan")
    assert 30 <= scenario.changes.filter(kind="close").count() <= 40
    ctx, result = services.evaluate(scenario)
    assert result.open_before == 148 and result.open_after == 148 - scenario.changes.count()
    assert (result.after.nearest_km >= result.before.nearest_km).all()
    assert result.visits_after + result.visits_lost == result.visits_before
    assert any(f.code == "consultation" for f in result.flags)
    assert result.required[2027] == 150_000_000


def _office_csv(rows):
    head = "code,name,x,y,municipality,category,opened,closed\n"
    return (head + "\n".join(rows) + "\n").encode()


def test_office_import_refuses_coordinates_outside_sweden_and_unknown_municipalities(ssc):
    before = Office.objects.count()
    data = _office_csv([
        "ny1,Nytt kontor,18.0686,59.3293,0180,full,2026-01-01,",  # fine
        "ny2,Amsterdam,4.90,52.37,,full,,",  # outside Sweden
        "ny3,Fel kod,674032,6580822,9999,full,,",  # SWEREF 99 TM, unknown municipality code
        "ny4,Fel kommun,18.0686,59.3293,1480,full,,",  # code does not match the point
    ])
    report = run_import("offices", data, "kontor.csv", provider=ssc)
    assert not report.ok
    found = {(p.row, p.column, p.code) for p in report.errors}
    assert (3, "x", "network.outside_sweden") in found
    assert (4, "municipality", "network.municipality_unknown") in found
    assert (5, "municipality", "network.municipality_mismatch") in found
    assert "kontor.csv" in report.errors[0].describe("sv")
    assert Office.objects.count() == before  # nothing written


def test_office_import_accepts_sweref_and_places_the_office(ssc):
    report = run_import("offices", _office_csv(["ny9,Stadshuset,674032,6580822,,flex_staffed,,"]), "kontor.csv", provider=ssc)
    assert report.ok, [p.describe("en") for p in report.problems]
    office = Office.objects.get(provider=ssc, code="ny9")
    assert office.municipality.code == "0180" and 18.0 < float(office.lon) < 18.1


def test_visits_to_a_closed_office_are_refused(ssc):
    closed = Office.objects.filter(provider=ssc, closed__isnull=False).order_by("closed").first()
    month = closed.closed.strftime("%Y-%m")
    rows_before = OfficeVisits.objects.count()
    data = f"office,month,partner,visits,errands\n{closed.code},{month},Skatteverket,10,12\n{closed.code},2024-01,SKV,5,5\nokänt,2024-01,SKV,1,1\n".encode()
    report = run_import("office_visits", data, "besok.csv", provider=ssc)
    found = {(p.row, p.column, p.code) for p in report.errors}
    assert (2, "month", "network.office_closed") in found
    assert (4, "office", "network.office_unknown") in found
    assert OfficeVisits.objects.count() == rows_before


def test_visits_import_replaces_a_month(ssc):
    office = Office.objects.filter(provider=ssc, closed__isnull=True).first()
    data = f"kontor,månad,myndighet,besök,ärenden\n{office.code},2025-03,FK,100,130\n".encode()
    assert run_import("office_visits", data, "besok.csv", provider=ssc).ok
    rows = OfficeVisits.objects.filter(office=office, month=dt.date(2025, 3, 1))
    assert rows.aggregate(v=Sum("visits"), e=Sum("errands")) == {"v": 100, "e": 130}


def test_visits_import_replaces_exactly_the_office_months_of_the_file(ssc):
    first, second = Office.objects.filter(provider=ssc, closed__isnull=True).order_by("code")[:2]
    march, april = dt.date(2025, 3, 1), dt.date(2025, 4, 1)
    def stored(office, month):
        return OfficeVisits.objects.filter(office=office, month=month).aggregate(v=Sum("visits"))["v"]
    kept = {(office.pk, month): stored(office, month) for office in (first, second) for month in (march, april)}
    assert all(kept.values())                                       # the demo has visits in all four
    data = f"kontor,månad,myndighet,besök\n{first.code},2025-03,FK,7\n{first.code},2025-03,AF,5\n{second.code},2025-04,SKV,11\n".encode()
    report = run_import("office_visits", data, "besok.csv", provider=ssc)
    assert report.ok, [p.describe("en") for p in report.problems]
    assert stored(first, march) == 12 and stored(second, april) == 11
    assert stored(first, april) == kept[(first.pk, april)] and stored(second, march) == kept[(second.pk, march)]   # not in the file: untouched
    assert OfficeVisits.objects.get(office=first, month=march, partner="FK").errands == 7   # errands default to the visits


def test_municipality_types_and_population_grid_imports(ssc):
    report = run_import("municipality_types", b"kommun,kommuntyp\n0180,1\n9999,2\n0114,tio\n", "typer.csv", provider=ssc)
    found = {(p.row, p.column) for p in report.errors}
    assert (3, "kommun") in found and (4, "kommuntyp") in found  # columns as the file names them
    grid = b"x,y,befolkning\n674000,6580000,1200\n18.5,59.5,300\n"
    assert run_import("population_grid", grid, "rutor.csv", provider=ssc).ok
    bad = run_import("population_grid", b"x,y,befolkning\n5.0,40.0,10\n", "rutor2.csv", provider=ssc)
    assert [(p.row, p.column, p.code) for p in bad.errors] == [(2, "x", "network.outside_sweden")]


def test_scenario_builder_and_reports(client_for, ssc):
    client = client_for("planerare")
    scenario = Scenario.objects.create(provider=ssc, name="Test", base_date=dt.date(2025, 1, 1))
    only = Office.objects.filter(provider=ssc, closed__isnull=True).exclude(category="full").first()
    response = client.post(f"/network/scenarios/{scenario.pk}/", {"action": "close", "office": only.code, "date": "2026-01-01"},
                           HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b"Consultation" in response.content or b"consultation" in response.content
    assert scenario.changes.count() == 1
    bad = client.post(f"/network/scenarios/{scenario.pk}/", {"action": "add", "lon": "4.9", "lat": "52.4"}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert b"not in any Swedish municipality" in bad.content
    assert scenario.changes.count() == 1
    xlsx = fetch(client, f"/network/scenarios/{scenario.pk}/?format=xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert "Flaggor" in book.sheetnames and "Besparing" in book.sheetnames
    pdf = fetch(client, f"/network/scenarios/{scenario.pk}/?format=pdf")
    assert pdf.content.startswith(b"%PDF")
    reader = client_for("lasare")
    assert reader.post(f"/network/scenarios/{scenario.pk}/", {"action": "remove"}).status_code == 403


def test_optimiser_keeps_full_service_and_fa_regions(client_for, ssc):
    client = client_for("planerare")
    # the demo's plan starts from the network of 1 January 2025 (148 offices); the page's default is today
    response = client.post("/network/optimise/", {"day": "2025-01-01", "close": "35", "objective": "median", "keep_full": "on", "fa_rule": "hard"},
                           HTTP_ACCEPT_LANGUAGE="en", follow=True)   # a background job, then its result on the page
    assert response.status_code == 200 and b"proven optimal" in response.content and b"35 offices to close" in response.content
    saved = through_job(client, client.post("/network/optimise/", {"day": "2025-01-01", "close": "10", "objective": "median", "keep_full": "on",
                                                                   "fa_rule": "hard", "save": "1"}))
    assert saved["Location"].startswith("/network/scenarios/")
    scenario = Scenario.objects.get(provider=ssc, name__contains="10")
    assert scenario.changes.count() == 10
    assert not scenario.changes.filter(office__category="full").exists()


def test_builder_and_optimiser_refuse_bad_input_and_write_nothing(client_for, ssc):
    client = client_for("planerare")
    scenario = Scenario.objects.create(provider=ssc, name="Fel", base_date=dt.date(2025, 1, 1))
    for data, message in [({"action": "settings", "lost_share": "1,5"}, b"between 0 and 1"),
                          ({"action": "close", "office": "finns-inte"}, b"Choose an office"),
                          ({"action": "close", "office": "sk001", "date": "2026-13-01"}, b"YYYY-MM-DD")]:
        response = client.post(f"/network/scenarios/{scenario.pk}/", data, HTTP_ACCEPT_LANGUAGE="en", follow=True)
        assert message in response.content
    scenario.refresh_from_db()
    assert scenario.changes.count() == 0 and scenario.lost_share == Decimal("0.25")
    count = Scenario.objects.count()
    for close in ("-1", "tre", "500"):
        response = client.post("/network/optimise/", {"close": close, "objective": "median", "fa_rule": "hard", "save": "1"},
                               HTTP_ACCEPT_LANGUAGE="en", follow=True)
        assert response.status_code == 200 and b"whole number between 0 and" in response.content
    assert Scenario.objects.count() == count


def test_a_long_address_is_kept_cut_with_a_warning_and_a_long_errand_type_is_refused(ssc):
    """Free texts longer than their column are kept cut, with a warning naming row and column once
    per value; a visit's errand type is a category the statistics group by, so a long one is
    refused rather than cut into another (or merged with a neighbour)."""
    address = "Storgatan 1, " + "entré från gården, " * 20   # 393 characters: the column keeps 300
    data = _office_csv(["ny7,Hamnkontoret,674032,6580822,,full,,", "ny8,Torgkontoret,674032,6580822,,full,,"])
    data = data.replace(b"closed\n", b"closed,address\n").replace(b"full,,\n", f'full,,,"{address}"\n'.encode())
    report = run_import("offices", data, "kontor.csv", provider=ssc)
    assert report.ok, report.lines("en")
    assert [(p.code, p.row, p.column) for p in report.warnings] == [("value.cut", 2, "address")]   # once for the value, not once per row
    assert {Office.objects.get(provider=ssc, code=code).address for code in ("ny7", "ny8")} == {address.strip()[:300]}
    rows_before = OfficeVisits.objects.count()
    visits = f"office,month,partner,visits,errand_type\nny7,2026-02,SKV,10,{'Folkbokföring ' * 8}\nny7,2026-03,SKV,4,Pass\n".encode()
    refused = run_import("office_visits", visits, "besok.csv", provider=ssc)
    assert [(p.code, p.row, p.column) for p in refused.errors] == [("value.too_long", 2, "errand_type")]
    assert OfficeVisits.objects.count() == rows_before
