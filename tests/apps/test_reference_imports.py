"""Figures the registry and the network are measured against, imported from files rather than
entered in the admin: the state's employees (and agency counts) per year, and the savings a
network must make per year. An organisation of its own, not the demo."""

from decimal import Decimal

import pytest

from servicecenter.apps.imports.base import run_import
from servicecenter.apps.network import services as network
from servicecenter.apps.network.models import SavingsRequirement
from servicecenter.apps.registry.models import Provider, ReferenceFigure
from servicecenter.core.registry import make_orgnr


@pytest.fixture
def planner_org(db):
    return Provider.objects.create(code="natverk", name="Servicekontoren i Exempelby", org_number=make_orgnr("212000998"),
                                   kind=Provider.Kind.MUNICIPAL_SERVICE)


def test_reference_figures_are_imported_by_figure_and_year_and_replaced_on_the_next_import(planner_org):
    data = "uppgift;år;värde;källa\nanställda i staten;2031;270 500;Arbetsgivarverket\nmyndigheter;2031;221;\n"
    report = run_import("reference_figures", data.encode(), "referens.csv", provider=planner_org)
    assert report.ok and report.counts == {"figures": 2}
    figure = ReferenceFigure.objects.get(key="state_employees", year=2031)
    assert (figure.value, figure.source) == (270_500, "Arbetsgivarverket")
    assert ReferenceFigure.objects.get(key="state_agencies", year=2031).source == "referens.csv"   # no source given: the file
    assert run_import("reference_figures", b"figure,year,value\nstate_employees,2031,271000\n", "r2.csv", provider=planner_org).ok
    assert ReferenceFigure.objects.filter(key="state_employees", year=2031).get().value == 271_000


def test_bad_reference_figures_and_savings_are_refused_whole(planner_org):
    bad = "figure,year,value\nanställda,2031,1\nstate_employees,2031,-3\nstate_employees,2032,10\nstate_employees,2032,11\n"
    report = run_import("reference_figures", bad.encode(), "referens.csv", provider=planner_org)
    assert {(p.row, p.column, p.code) for p in report.errors} == {(2, "figure", "value.choice"), (3, "value", "value.negative")}
    assert "anställda i staten" in report.lines("sv")[0]   # the choices a person would type are named
    report = run_import("reference_figures", b"figure,year,value\nstate_employees,2032,10\nstate_employees,2032,11\n", "r.csv", provider=planner_org)
    assert [(p.row, p.code) for p in report.errors] == [(3, "row.duplicate")]
    assert not ReferenceFigure.objects.filter(year__in=(2031, 2032)).exists()

    report = run_import("savings_requirements", b"year,base_year,amount\n2031,2031,5\n2032,2030,-1\n", "krav.csv", provider=planner_org)
    assert {(p.row, p.column, p.code) for p in report.errors} == {(2, "base_year", "savings.base_year"), (3, "amount", "value.negative")}
    assert not SavingsRequirement.objects.filter(provider=planner_org).exists()


def test_a_network_s_savings_path_is_imported_and_read_by_its_scenarios(planner_org):
    data = "år;basår;besparing\n2031;2030;5 000 000\n2032;2030;12 500 000,50\n"
    assert run_import("savings_requirements", data.encode(), "krav.csv", provider=planner_org).ok
    assert network.required_path(planner_org) == {2031: Decimal(5_000_000), 2032: Decimal("12500000.50")}
    assert run_import("savings_requirements", b"year,base_year,amount\n2032,2030,13000000\n", "krav-2.csv", provider=planner_org).ok
    assert network.required_path(planner_org) == {2031: Decimal(5_000_000), 2032: Decimal(13_000_000)}


def test_a_coordinator_imports_its_restricted_items_and_a_new_file_replaces_the_list(db):
    from servicecenter.apps.followup.coordination import add_supplier
    from servicecenter.apps.followup.models import Restriction
    from servicecenter.apps.followup.views import data_stamp

    coordinator = Provider.objects.create(code="samord", name="Samordnaren", org_number=make_orgnr("202199301"), kind=Provider.Kind.IT_SUPPLIER)
    supplier = add_supplier(coordinator, code="lev", name="Leverantören", org_number=make_orgnr("202199302"))
    catalogue = ("year;area_code;area_name;process_code;process_name;service_code;service_name;tier;unit\n"
                 "2031;drift;Drift;drift;Drift;sakert-natverk;Säkert nätverk;bas;user\n2031;drift;Drift;drift;Drift;e-post;E-post;bas;user\n")
    assert run_import("catalogue", catalogue.encode(), "katalog.csv", provider=supplier).ok
    data = "avser;skäl\nlev/sakert-natverk;Säkerhetsskyddsklassificerat\n"
    assert run_import("restrictions", data.encode(), "begransat.csv", provider=coordinator).ok
    (item,) = Restriction.objects.filter(provider=coordinator)
    assert item.covers("tillganglighet", "lev/sakert-natverk") and not item.covers("tillganglighet", "lev/e-post")
    stamp = data_stamp(coordinator)
    replaced = run_import("restrictions", b"subject,reason\nlev/e-post,Annat\n", "begransat-2.csv", provider=coordinator)
    assert replaced.counts == {"rows": 1, "removed": 1}
    assert list(Restriction.objects.filter(provider=coordinator).values_list("subject", flat=True)) == ["lev/e-post"]
    assert data_stamp(coordinator) != stamp   # the same count, another item: the dashboard's cache sees it

    bad = "subject,indicator,reason\nlev/okand,,Skäl\nlev/e-post,ingen-sadan,Skäl\nlev/e-post,,\n"
    report = run_import("restrictions", bad.encode(), "fel.csv", provider=coordinator)
    assert {(p.row, p.column, p.code) for p in report.errors} == {(2, "subject", "restriction.subject"), (3, "indicator", "restriction.indicator"),
                                                                 (4, "reason", "value.required")}
    assert "lev/e-post" in report.lines("sv")[0]   # the subjects it knows are named
    assert list(Restriction.objects.filter(provider=coordinator).values_list("subject", flat=True)) == ["lev/e-post"]


def test_service_levels_are_imported_per_service_and_year_and_replaced_by_the_next_file(planner_org):
    from servicecenter.apps.registry.models import ServiceLevel

    catalogue = ("year;area_code;area_name;process_code;process_name;service_code;service_name;tier;unit\n"
                 "2031;kontor;Kontor;besok;Besök;besok;Besök på kontor;bas;case\n2032;kontor;Kontor;besok;Besök;besok;Besök på kontor;bas;case\n")
    assert run_import("catalogue", catalogue.encode(), "katalog.csv", provider=planner_org).ok
    data = ("tjänstekod;år;mått;minst/högst;gräns;enhet;mäts per\n"
            "besok;2031;Väntetid i kö;högst;15;minuter;månad\nbesok;2031;Öppet enligt beslutade tider;;99,5;%;kvartal\n")
    assert run_import("service_levels", data.encode(), "sla.csv", provider=planner_org).ok
    levels = ServiceLevel.objects.filter(version__service__provider=planner_org).order_by("pk")
    assert [(lv.version.year, lv.metric_sv, lv.comparison, lv.threshold, lv.unit, lv.period) for lv in levels] == [
        (2031, "Väntetid i kö", "<=", Decimal(15), "minuter", "month"), (2031, "Öppet enligt beslutade tider", ">=", Decimal("99.5"), "%", "quarter")]
    again = run_import("service_levels", b"service_code,year,metric,threshold\nbesok,2031,Vantetid,10\n", "sla-2.csv", provider=planner_org)
    stored = ServiceLevel.objects.filter(version__service__provider=planner_org)
    assert again.counts == {"rows": 1, "removed": 2} and stored.count() == 1   # that service's 2031 levels, replaced
    bad = run_import("service_levels", b"service_code,year,metric,threshold,period\nbesok,2030,A,1,\nbesok,2032,,x,vecka\n", "fel.csv", provider=planner_org)
    assert {(p.row, p.column, p.code) for p in bad.errors} == {(2, "service_code", "service_level.no_version"), (3, "metric", "value.required"),
                                                              (3, "threshold", "value.decimal"), (3, "period", "value.choice")}
    assert stored.count() == 1


def test_a_coordinator_keeps_a_service_out_of_the_open_report_with_the_form_and_puts_it_back(db):
    """The IT report's own form, for a person marking one item (the file replaces the whole list):
    checked by the same rules as the file, recorded in the audit log, lifted again with a button."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from servicecenter.apps.accounts.models import AuditEntry, Role
    from servicecenter.apps.followup.coordination import add_supplier
    from servicecenter.apps.followup.models import Restriction
    from servicecenter.apps.registry import organisation

    coordinator, admin = organisation.create_organisation(code="samord-b", name="Samordnaren B", org_number=make_orgnr("202199311"),
                                                          kind=Provider.Kind.IT_SUPPLIER, admin_username="samord-b-admin", admin_password="x-Lösen-123")
    organisation.add_person(coordinator, username="samord-b-controller", password="x-Lösen-123", role=Role.CONTROLLER, user=admin)
    organisation.add_person(coordinator, username="samord-b-lasare", password="x-Lösen-123", role=Role.READER, user=admin)
    supplier = add_supplier(coordinator, code="lev-b", name="Leverantören B", org_number=make_orgnr("202199312"), user=admin)
    catalogue = ("year;area_code;area_name;process_code;process_name;service_code;service_name;tier;unit\n"
                 "2031;drift;Drift;drift;Drift;sakert-natverk;Säkert nätverk;bas;user\n2031;drift;Drift;drift;Drift;e-post;E-post;bas;user\n")
    assert run_import("catalogue", catalogue.encode(), "katalog.csv", provider=supplier).ok
    assert run_import("indicator_data", b"element;level;subject;year;value\nanvandare;organisation;samord-b;2031;10\n", "data.csv",
                      provider=coordinator).ok
    users = get_user_model().objects
    client = Client()
    client.force_login(users.get(username="samord-b-controller"))
    open_report = client.get("/followup/it-report/2031/?provider=samord-b").content.decode()
    assert "annex=1#h-restricted" in open_report and "Säkert nätverk" not in open_report   # chosen in the annex, not on the open page
    url = "/followup/it-report/2031/?provider=samord-b&annex=1"
    page = client.get(url).content.decode()
    assert "Leverantören B: Säkert nätverk" in page and "Ingenting hålls utanför" in page

    refused = client.post(url, {"action": "restrict", "subject": "lev-b/okand", "indicator": "", "reason": ""})
    assert refused.status_code == 200 and refused.content.decode().count('aria-invalid="true"') == 2
    assert not Restriction.objects.filter(provider=coordinator).exists()

    assert client.post(url, {"action": "restrict", "subject": "lev-b/sakert-natverk", "indicator": "", "reason": "Säkerhetsskydd"}).status_code == 302
    (item,) = Restriction.objects.filter(provider=coordinator)
    assert item.covers("it-1", "lev-b/sakert-natverk") and not item.covers("it-1", "lev-b/e-post") and item.reason == "Säkerhetsskydd"
    assert AuditEntry.objects.filter(action="followup.restrictions.entered", provider=coordinator).exists()
    page = client.get(url).content.decode()
    assert "Säkerhetsskydd" in page and "Tillbaka till den öppna rapporten" in page

    reader = Client()
    reader.force_login(users.get(username="samord-b-lasare"))
    assert reader.post(url, {"action": "lift", "restriction": str(item.pk)}).status_code == 403
    assert client.post(url, {"action": "lift", "restriction": "999999"}).status_code == 404
    assert client.post(url, {"action": "lift", "restriction": str(item.pk)}).status_code == 302
    assert not Restriction.objects.filter(provider=coordinator).exists()
    assert AuditEntry.objects.filter(action="followup.restrictions.deleted", provider=coordinator).exists()


def test_indicator_data_imported_again_writes_only_what_changed(planner_org):
    from servicecenter.apps.followup.models import DataPoint

    data = "element;level;subject;year;value;source\nbesok;organisation;natverk;2031;1200;Kassaregistret\nbesok;organisation;natverk;2030;1100;\n"
    first = run_import("indicator_data", data.encode(), "data.csv", provider=planner_org)
    assert first.counts == {"data_points": 2, "unchanged": 0}
    stamps = dict(DataPoint.objects.filter(provider=planner_org).values_list("year", "at"))
    assert run_import("indicator_data", data.encode(), "data.csv", provider=planner_org).counts == {"data_points": 2, "unchanged": 2}
    assert dict(DataPoint.objects.filter(provider=planner_org).values_list("year", "at")) == stamps   # not written again
    changed = run_import("indicator_data", data.replace(";1200;", ";1250;").encode(), "data.csv", provider=planner_org)
    assert changed.counts == {"data_points": 2, "unchanged": 1}
    assert DataPoint.objects.get(provider=planner_org, year=2031).value == Decimal(1250)
    assert DataPoint.objects.get(provider=planner_org, year=2030).source == "data.csv"   # no source given: the file
