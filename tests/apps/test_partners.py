"""Partner agencies are a network's own data: a city's citizen offices serve on behalf of its
own administrations (and perhaps the Tax Agency), not the state's five. They are imported with
the codes the visits file names them by, shown on their page, in the statistics and on each
office's page. An organisation of its own, not the demo."""

from datetime import date, datetime
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.test import Client

from servicecenter.apps.accounts.models import Role
from servicecenter.apps.imports.base import run_import
from servicecenter.apps.network import services as network
from servicecenter.apps.network.models import Office, OfficeVisits
from servicecenter.apps.registry import organisation
from servicecenter.apps.registry.models import PartnerAgency, Provider
from servicecenter.core.registry import make_orgnr

CITY = make_orgnr("212000771")
OFFICES = ("kod;namn;x;y;kommun;kategori;öppnat\n"
           "mk1;Medborgarkontoret Centrum;17,9119;59,5184;0114;fullservicekontor;2020-01-01\n"
           "mk2;Medborgarkontoret Norr;17,9000;59,5400;0114;flexibelt med personal;2020-01-01\n")
PARTNERS = (f"kod;namn;organisationsnummer\nSOC;Socialförvaltningen;{CITY}\nBYGG;Stadsbyggnadsförvaltningen;{CITY}\n"
            "SKV;Skatteverket;\n")


@pytest.fixture
def city(db):
    provider, admin = organisation.create_organisation(code="tuna-medborg", name="Tuna kommun, medborgarkontoren", org_number=CITY,
                                                       kind=Provider.Kind.MUNICIPAL_SERVICE, admin_username="tuna-admin", admin_password="x-Lösen-123")
    organisation.add_person(provider, username="tuna-planerare", password="x-Lösen-123", role=Role.NETWORK_PLANNER, user=admin)
    assert run_import("offices", OFFICES.encode(), "kontor.csv", provider=provider).ok
    return provider


def _visits(provider, text):
    return run_import("office_visits", text.encode(), "besok.csv", provider=provider)


def test_a_city_registers_its_own_partners_and_its_visits_name_them_by_code_or_name(city):
    report = run_import("partner_agencies", PARTNERS.encode(), "samverkan.csv", provider=city)
    assert report.ok and report.counts == {"created": 3, "updated": 0, "unchanged": 0}
    assert set(PartnerAgency.objects.filter(provider=city, org_number=CITY).values_list("code", flat=True)) == {"SOC", "BYGG"}   # one city
    visits = ("kontor;månad;myndighet;besök;ärenden\nmk1;2031-03;SOC;120;150\nmk2;2031-04;socialförvaltningen;10;12\n"
              "mk1;2031-04;Stadsbyggnadsförvaltningen;40;44\nmk2;2031-03;skv;75;80\n")
    report = _visits(city, visits)
    assert report.ok, [p.describe("en") for p in report.problems]
    twice = _visits(city, "kontor;månad;myndighet;besök\nmk1;2031-05;SOC;1\nmk1;2031-05;Socialförvaltningen;2\n")
    assert [(p.row, p.code) for p in twice.errors] == [(3, "row.duplicate")]   # the code and the name are the same partner
    stored = dict(OfficeVisits.objects.filter(office__provider=city).values_list("partner").annotate(e=Sum("errands")).order_by())
    assert stored == {"SOC": 162, "BYGG": 44, "SKV": 80}   # a name and any case are stored as the code

    table, totals = network.statistics(city, 2031)["partners"]
    assert [(label, cells[0][0]) for label, cells in table] == [("Skatteverket", 80), ("Socialförvaltningen", 162), ("Stadsbyggnadsförvaltningen", 44)]
    assert totals[0][0] == 286


def test_a_second_partner_file_updates_by_code_and_keeps_the_others(city):
    assert run_import("partner_agencies", PARTNERS.encode(), "samverkan.csv", provider=city).ok
    report = run_import("partner_agencies", b"code,name\nSOC,Socialtj\xc3\xa4nsten\nSKV,Skatteverket\nKUL,Kulturf\xc3\xb6rvaltningen\n", "s2.csv",
                        provider=city)
    assert report.counts == {"created": 1, "updated": 1, "unchanged": 1}
    partners = dict(PartnerAgency.objects.filter(provider=city).values_list("code", "name"))
    assert partners == {"SOC": "Socialtjänsten", "BYGG": "Stadsbyggnadsförvaltningen", "SKV": "Skatteverket", "KUL": "Kulturförvaltningen"}
    assert PartnerAgency.objects.get(provider=city, code="SOC").org_number == CITY   # no number in the file: the stored one stays


def test_bad_partner_rows_are_refused_whole_naming_row_and_column(city):
    bad = "code,name,org_number\nS O C,Social,\nSOC,Social,\nBYGG,,\nKUL,Kultur,12345\n"
    report = run_import("partner_agencies", bad.encode(), "samverkan.csv", provider=city)
    found = {(p.row, p.column, p.code) for p in report.errors}
    assert {(2, "code", "value.code"), (4, "name", "value.required")} <= found
    assert any(p.row == 5 and p.column == "org_number" for p in report.errors)
    twice = "code,name\nSOC,Social\nsoc,Annan\nBYGG,Social\n"   # a code in another case; a name the visits could mean either by
    report = run_import("partner_agencies", twice.encode(), "samverkan.csv", provider=city)
    assert [(p.row, p.code) for p in report.errors] == [(3, "row.duplicate"), (4, "row.duplicate")]
    assert not PartnerAgency.objects.filter(provider=city).exists()


def test_visits_naming_an_unknown_partner_are_refused_naming_the_registered_ones(city):
    report = _visits(city, "office,month,partner,visits\nmk1,2031-01,SKV,10\n")
    assert [(p.row, p.column, p.code) for p in report.errors] == [(2, "partner", "network.no_partners")]   # says to import them first
    assert run_import("partner_agencies", PARTNERS.encode(), "samverkan.csv", provider=city).ok
    report = _visits(city, "office,month,partner,visits\nmk1,2031-01,SKV,10\nmk2,2031-01,FK,12\n")
    assert [(p.row, p.column, p.code) for p in report.errors] == [(3, "partner", "network.partner_unknown")]
    assert "BYGG, SKV, SOC" in report.lines("sv")[0] and "FK" in report.lines("sv")[0]
    assert not OfficeVisits.objects.filter(office__provider=city).exists()


def test_the_partner_page_and_the_office_page_name_the_partners(city):
    assert run_import("partner_agencies", PARTNERS.encode(), "samverkan.csv", provider=city).ok
    assert _visits(city, "kontor;månad;myndighet;besök\nmk1;2030-11;SOC;90\nmk1;2031-02;BYGG;30\n").ok
    client = Client()
    client.force_login(get_user_model().objects.get(username="tuna-planerare"))
    page = client.get("/network/partners/").content.decode()
    assert "Socialförvaltningen" in page and "Stadsbyggnadsförvaltningen" in page and "Skatteverket" in page
    assert "Ärenden 2031" in page and "Ärenden 2029" in page and "?kind=partner_agencies" in page
    page = client.get("/network/offices/mk1/").content.decode()
    assert "Socialförvaltningen" in page and "<td>SOC</td>" not in page


def test_upgrading_gives_existing_partners_codes_and_registers_the_codes_visits_use(city):
    codes = import_module("servicecenter.apps.registry.migrations.0007_partner_codes")
    in_use = import_module("servicecenter.apps.network.migrations.0002_partners_are_data")
    for n, name in enumerate(("Skatteverket", "Kulturförvaltningen", "Kultur-förvaltningen"), start=1):
        PartnerAgency.objects.create(provider=city, code=f"tmp{n}", name=name)
    codes.fill_codes(django_apps, None)
    assert dict(PartnerAgency.objects.filter(provider=city).values_list("name", "code")) == {
        "Skatteverket": "SKV", "Kulturförvaltningen": "KULTURFÖRVALTNIN", "Kultur-förvaltningen": "KULTURFÖRVALTNIN2"}

    office = Office.objects.get(provider=city, code="mk1")
    for partner in ("FK", "XY", "SKV"):
        OfficeVisits.objects.create(office=office, month=date(2031, 1, 1), partner=partner, visits=1, errands=1)
    in_use.register_partners_in_use(django_apps, None)
    partners = dict(PartnerAgency.objects.filter(provider=city).values_list("code", "name"))
    assert partners["FK"] == "Försäkringskassan" and partners["XY"] == "XY" and partners["SKV"] == "Skatteverket" and len(partners) == 5


def test_a_visits_workbook_with_months_as_excel_writes_them_is_read(city):
    """Real exports: a month as a date cell at the month's end (Excel's EOMONTH), as the number
    203105 and as ``juni 2031``, and a partner by its name."""
    from io import BytesIO

    from openpyxl import Workbook

    assert run_import("partner_agencies", PARTNERS.encode(), "samverkan.csv", provider=city).ok
    book = Workbook()
    sheet = book.active
    sheet.append(["Kontor", "Månad", "Myndighet", "Besök"])
    sheet.append(["mk1", datetime(2031, 4, 30), "SKV", 10])
    sheet.append(["mk1", 203105, "SKV", 11])
    sheet.append(["mk2", "juni 2031", "Skatteverket", 12])
    data = BytesIO()
    book.save(data)
    report = run_import("office_visits", data.getvalue(), "besok.xlsx", provider=city)
    assert report.ok, [p.describe("en") for p in report.problems]
    months = dict(OfficeVisits.objects.filter(office__provider=city).values_list("month", "visits"))
    assert months == {date(2031, 4, 1): 10, date(2031, 5, 1): 11, date(2031, 6, 1): 12}
