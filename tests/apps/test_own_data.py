"""#14: an organisation that is not the demo sets itself up and prices its year through the
services and pages a user's actions call, in a year far from the demo's (the clock at 2031).

The organisation is a municipality's service administration created by ``create_organisation``
(what ``servicecenter init`` calls); its customers, catalogue, agreements and volumes come in
through the importers, its price list through the price-list pages."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servicecenter import clock
from servicecenter.apps.accounts.models import AuditEntry, Role
from servicecenter.apps.billing import services as billing
from servicecenter.apps.billing.models import Invoice
from servicecenter.apps.costing import pricing
from servicecenter.apps.costing import services as costing
from servicecenter.apps.costing.models import PriceList, PriceListEntry
from servicecenter.apps.imports.base import run_import
from servicecenter.apps.registry import organisation
from servicecenter.apps.registry.models import Provider, Service
from servicecenter.core.money import decimal_of
from servicecenter.core.periods import Period
from tests.apps.conftest import api_done

YEAR = 2031
PASSWORD = "Ett-rätt-långt-lösenord-31"

CUSTOMERS = """org_number;name;year;employees
556000-0001;Hamnbolaget AB;{y};120
556000-0019;Energibolaget AB;{y};340
556000-0027;Parkeringsbolaget AB;{y};45
"""
CATALOGUE = """year;area_code;area_name;process_code;process_name;service_code;service_name;tier;unit
{y};ekonomi;Ekonomi;lev;Leverantörsfakturor;levfakt;Leverantörsfakturor;base;supplier_invoice_coded
{y};lon;Lön;lon;Lön;lonespec;Lönespecifikation;base;payslip
{y};it;IT;drift;Drift;it-drift;IT-drift;base;user
"""
AGREEMENTS = """org_number;service_code;state;production_date
556000-0001;levfakt;production;{y}-01-01
556000-0019;levfakt;production;{y}-01-01
556000-0027;levfakt;production;{y}-01-01
556000-0001;lonespec;production;{y}-01-01
556000-0019;lonespec;production;{y}-01-01
556000-0019;it-drift;production;{y}-01-01
556000-0027;it-drift;production;{y}-01-01
"""
VOLUMES = """org_number;service_code;month;quantity
556000-0001;levfakt;{y}-01;1200
556000-0019;levfakt;{y}-01;15000
556000-0027;levfakt;{y}-01;300
556000-0001;lonespec;{y}-01;120
556000-0019;lonespec;{y}-01;340
"""


@pytest.fixture
def municipality(db):
    """A municipal service administration with three customers, created from nothing."""
    with clock.frozen(datetime(YEAR, 1, 20, 9)), translation.override("en"):
        provider, admin = organisation.create_organisation(
            code="vasby-service", name="Väsby kommun, serviceförvaltningen", org_number="212000-0142", kind=Provider.Kind.MUNICIPAL_SERVICE,
            admin_username="vasby-admin", admin_password=PASSWORD)
        organisation.update_details(provider, {"street": "Stationsvägen 1", "postal_code": "194 80", "city": "Upplands Väsby",
                                               "bankgiro": "123-4567", "invoice_email": "faktura@vasby.example", "vat_number": "SE212000014201"}, user=admin)
        controller = organisation.add_person(provider, username="vasby-controller", password=PASSWORD, role=Role.CONTROLLER, user=admin)
        # a second controller: with four eyes on, the one who prepares a billing run does not approve it
        organisation.add_person(provider, username="vasby-attestant", password=PASSWORD, role=Role.CONTROLLER, user=admin)
        for kind, text in (("customers", CUSTOMERS), ("catalogue", CATALOGUE), ("agreements", AGREEMENTS), ("volumes", VOLUMES)):
            report = run_import(kind, text.format(y=YEAR).encode(), f"{kind}.csv", provider=provider, user=controller)
            assert report.status == "applied", (kind, [p.describe("en") for p in report.problems])
    return provider


def _client(username: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_a_new_organisation_prices_and_bills_its_year_through_the_pages(municipality):
    controller = _client("vasby-controller")
    with clock.frozen(datetime(YEAR, 1, 25, 9)):
        page = controller.get("/costing/price-lists/")
        assert page.status_code == 200 and f'value="{YEAR + 1}"' in page.content.decode()  # next year proposed from the clock
        response = controller.post("/costing/price-lists/", {"provider": municipality.pk, "name": f"Priser {YEAR}", "year": YEAR})
        assert response.status_code == 302
        price_list = PriceList.objects.get(provider=municipality, year=YEAR)
        assert price_list.status == "draft"
        services = {s.code: s for s in Service.objects.filter(provider=municipality)}
        base = f"/costing/price-lists/{price_list.pk}/entries/"
        # a tier table in Swedish notation, a per-unit price, a keyed pool with a base fee
        assert controller.post(base + "new/", {"service": services["levfakt"].pk, "tiers": "0; 38,00\n2 000; 31\n10000;26", "graduated": "on",
                                               "connection_months": "60", "vat_category": "S", "vat_rate": "25"}).status_code == 302
        assert controller.post(base + "new/", {"service": services["lonespec"].pk, "unit_price": "53,50", "connection_months": "60",
                                               "vat_category": "S", "vat_rate": "25"}).status_code == 302
        assert controller.post(base + "new/", {"service": services["it-drift"].pk, "fixed_pool": "240 000", "base_fixed": "1200",
                                               "connection_months": "60", "vat_category": "S", "vat_rate": "25"}).status_code == 302
        entries = {e.service.code: e for e in PriceListEntry.objects.filter(price_list=price_list).select_related("service")}
        assert entries["levfakt"].tiers == [["0", "38.00"], ["2000", "31"], ["10000", "26"]]
        assert entries["lonespec"].unit_price == Decimal("53.50")
        assert [t.value for t in entries["it-drift"].price_types] == ["base_fee", "fixed_keyed"]
        assert controller.post(f"/costing/price-lists/{price_list.pk}/", {"action": "publish"}).status_code == 302
        price_list.refresh_from_db()
        assert price_list.status == "published"
        # frozen: the entry page and the service refuse changes
        refused = controller.post(f"{base}{services['lonespec'].pk}/", {"unit_price": "99", "vat_category": "O", "vat_rate": "0", "connection_months": "60"})
        assert refused.status_code == 302 and PriceListEntry.objects.get(price_list=price_list, service=services["lonespec"]).unit_price == Decimal("53.50")
        with pytest.raises(pricing.PricingError, match="frozen"), translation.override("en"):
            pricing.save_entry(price_list, services["lonespec"], {"unit_price": Decimal(99)})

        run = billing.start_run(municipality, Period.month(YEAR, 1), issue_date=date(YEAR, 2, 1))
        assert not run.fatal_findings, run.fatal_findings
        invoices = billing.issue(billing.approve(run))
    assert len(invoices) == 3
    by_buyer = {invoice.buyer_org_number: invoice for invoice in invoices}
    # Energibolaget: 15,000 invoices through the graduated tiers: 2,000×38 + 8,000×31 + 5,000×26
    lines = list(by_buyer["556000-0019"].lines.filter(service=services["levfakt"]).order_by("line_no"))
    assert sum(line.amount for line in lines) == 2000 * Decimal(38) + 8000 * Decimal(31) + 5000 * Decimal(26)
    assert by_buyer["556000-0001"].lines.get(service=services["lonespec"]).amount == 120 * Decimal("53.50")
    # the keyed pool: a twelfth of the year over the two IT customers by employees (340 : 45)
    pool = {org: invoice.lines.filter(service=services["it-drift"], category="fixed", description__icontains="fördel").first() for org, invoice in by_buyer.items()}
    twelfths = [line.amount for line in pool.values() if line is not None]
    assert sum(twelfths) == Decimal(20000) and len(twelfths) == 2
    # recovery's revenue is the year as invoices rate it: usage only in January, the fixed
    # components in each of twelve months
    invoiced = {code: sum((line.amount for invoice in invoices for line in invoice.lines.filter(service=services[code])), Decimal(0))
                for code in services}
    assert costing.revenue_by_service(price_list) == {"levfakt": invoiced["levfakt"], "lonespec": invoiced["lonespec"], "it-drift": 12 * invoiced["it-drift"]}
    assert Invoice.objects.filter(provider=municipality).count() == 3
    actions = set(AuditEntry.objects.filter(provider=municipality).values_list("action", flat=True))
    assert {"registry.provider.created", "accounts.person.created", "costing.price_list.created",
            "costing.price_list.entry_saved", "costing.price_list.published", "billing.run.issued"} <= actions


def test_a_published_list_is_corrected_by_a_new_version(municipality):
    with clock.frozen(datetime(YEAR, 3, 1, 9)), translation.override("en"):
        draft = pricing.new_price_list(municipality, YEAR, "Priser")
        service = Service.objects.get(provider=municipality, code="lonespec")
        pricing.save_entry(draft, service, {"unit_price": Decimal("50.00"), "vat_category": "O", "vat_rate": Decimal(0)})
        published = pricing.publish(draft)
        copy = pricing.new_version(published)
        assert copy.status == "draft" and copy.pk != published.pk
        pricing.save_entry(copy, service, {"unit_price": Decimal("52.00"), "vat_category": "O", "vat_rate": Decimal(0)})
        pricing.publish(copy)
        assert billing.price_list_for(municipality, YEAR).pk == copy.pk   # the newest published list rates the year
        assert published.entries.get().unit_price == Decimal("50.00")
        with pytest.raises(pricing.PricingError, match="no entries"):
            pricing.publish(pricing.new_price_list(municipality, YEAR, "Tom"))


def test_derived_prices_use_planned_volumes_not_the_months_imported_so_far(municipality):
    """Three months of actuals must not pass for a year: the proposal scales last year's actuals
    to twelve months, and the price is self-cost ÷ the planned volume the controller gives."""
    with clock.frozen(datetime(YEAR + 1, 1, 10, 9)), translation.override("en"):
        proposals = pricing.proposed_volumes(municipality, YEAR + 1)
    assert proposals["levfakt"].months == 1 and proposals["levfakt"].volume == Decimal(16500) * 12
    assert proposals["lonespec"].volume == Decimal(460) * 12 and "it-drift" not in proposals


def test_the_entry_form_names_the_field_and_writes_nothing(municipality):
    controller = _client("vasby-controller")
    with clock.frozen(datetime(YEAR, 1, 25, 9)), translation.override("en"):
        price_list = pricing.new_price_list(municipality, YEAR, "Utkast")
    service = Service.objects.get(provider=municipality, code="levfakt")
    url = f"/costing/price-lists/{price_list.pk}/entries/new/"
    cases = [
        ({"unit_price": "tolv"}, "unit_price"),
        ({"unit_price": "1e999999999"}, "unit_price"),
        ({"unit_price": "12,345"}, "unit_price"),
        ({"tiers": "10; 38"}, "tiers"),
        ({"tiers": "0; 38\n0; 31"}, "tiers"),
        ({"tiers": "0 38 31"}, "tiers"),
        ({"packages": "A; 1\nA; 2"}, "packages"),
        ({"discount": "100"}, "discount"),
        ({"markup": "10"}, "pass_through"),
        ({"unit_price": "5", "vat_category": "S", "vat_rate": "0"}, "vat_rate"),
        ({"unit_price": "5", "vat_rate": "250"}, "vat_rate"),
        ({"payer": "999999"}, "payer"),
        ({}, "__all__"),
    ]
    for values, field in cases:
        data = {"service": service.pk, "vat_category": values.pop("vat_category", "O"), "vat_rate": values.pop("vat_rate", "0"), "connection_months": "60", **values}
        response = controller.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400, (values, field)
        errors = response.context["form"].errors
        assert field in errors, (values, errors)
    assert not PriceListEntry.objects.filter(price_list=price_list).exists()


def test_another_providers_controller_cannot_reach_the_price_lists(municipality, client_for):
    with clock.frozen(datetime(YEAR, 1, 25, 9)), translation.override("en"):
        price_list = pricing.new_price_list(municipality, YEAR, "Utkast")
    service = Service.objects.get(provider=municipality, code="levfakt")
    for username in ("controller", "kundkontakt", "lasare"):
        client = client_for(username)
        assert client.get(f"/costing/price-lists/{price_list.pk}/").status_code in (403, 404)
        assert client.post(f"/costing/price-lists/{price_list.pk}/", {"action": "publish"}).status_code in (403, 404)
        assert client.post(f"/costing/price-lists/{price_list.pk}/entries/new/", {"service": service.pk, "unit_price": "1"}).status_code in (403, 404)
        listing = client.get("/costing/price-lists/")
        assert listing.status_code == 403 or "Utkast" not in listing.content.decode()
    # the municipality's own controller may not touch the demo's lists either
    demo_list = PriceList.objects.exclude(provider=municipality).first()
    own = _client("vasby-controller")
    assert own.get(f"/costing/price-lists/{demo_list.pk}/").status_code == 404
    assert own.post(f"/costing/price-lists/{demo_list.pk}/", {"action": "version"}).status_code == 404
    assert own.post("/costing/price-lists/", {"provider": demo_list.provider_id, "name": "x", "year": YEAR}).status_code == 400
    price_list.refresh_from_db()
    assert price_list.status == "draft" and not price_list.entries.exists()


def test_setting_up_refuses_bad_details_and_writes_nothing(db):
    with translation.override("en"):
        bad = [
            {"code": "Bad Code"}, {"org_number": "212000-0143"}, {"kind": "bank"}, {"name": " "},
            {"admin_username": "a b"}, {"admin_password": "kort"},
        ]
        for change in bad:
            values = {"code": "ny-org", "name": "Ny", "org_number": "212000-0142", "kind": "municipal_service",
                      "admin_username": "ny-admin", "admin_password": PASSWORD, **change}
            with pytest.raises(organisation.SetupError):
                organisation.create_organisation(**values)
        assert not Provider.objects.filter(code="ny-org").exists()


def test_the_organisation_administrator_keeps_its_details_and_people_on_a_page(municipality):
    admin = _client("vasby-admin")
    page = admin.get("/organisation/")
    assert page.status_code == 200 and "Väsby kommun" in page.content.decode()
    assert "Statens servicecenter" not in page.content.decode()   # an organisation's administrator sees its own only
    ssc = Provider.objects.get(code="ssc")
    assert admin.get(f"/organisation/?provider={ssc.pk}").status_code == 404
    details = {"action": "details", "provider": municipality.pk, "name": municipality.name, "org_number": "212000-0142", "vat_number": "SE212000014201",
               "street": "Stationsvägen 1", "postal_code": "194 80", "city": "Upplands Väsby", "invoice_email": "faktura@vasby.example", "payment_days": "30"}
    for field, value in (("bankgiro", "12-34"), ("plusgiro", "12345"), ("org_number", "212000-0143"), ("payment_days", "365"), ("invoice_email", "inte en adress")):
        response = admin.post("/organisation/", {**details, "bankgiro": "123-4567", field: value}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400, field
        municipality.refresh_from_db()
        assert municipality.bankgiro == "123-4567" and municipality.plusgiro == "" and municipality.payment_days == 30, field
    assert admin.post("/organisation/", {**details, "bankgiro": "5050-1055"}).status_code == 302
    municipality.refresh_from_db()
    assert municipality.bankgiro == "5050-1055"
    person = {"action": "person", "provider": municipality.pk, "username": "vasby-owner", "role": "service_owner", "password": PASSWORD}
    assert admin.post("/organisation/", {**person, "password": "123"}).status_code == 400
    assert admin.post("/organisation/", {**person, "role": "customer_contact"}).status_code == 400   # a contact needs a customer
    assert admin.post("/organisation/", person).status_code == 302
    owner = _client("vasby-owner")
    assert owner.get("/organisation/").status_code == 403
    assert owner.get("/costing/price-lists/").status_code == 200
    # the controller of the organisation may not manage it, nor may another organisation's administrator
    assert _client("vasby-controller").get("/organisation/").status_code == 403
    assert _client("vasby-controller").post("/organisation/", {**details, "bankgiro": "111-1111"}).status_code == 403
    municipality.refresh_from_db()
    assert municipality.bankgiro == "5050-1055"


def test_the_network_pages_of_an_organisation_without_offices_say_what_to_do(municipality):
    page = _client("vasby-controller").get("/network/")
    assert page.status_code == 200
    assert 'href="/import/"' in page.content.decode()


class _RollBack(Exception):
    """Undo one hypothesis example (they share the test's transaction)."""


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(quantities=st.lists(st.integers(min_value=0, max_value=40_000), min_size=5, max_size=5),
       discount=st.sampled_from(["", "7,5", "33"]), which=st.integers(min_value=0, max_value=10))
def test_a_credit_note_and_its_original_sum_to_zero_and_a_partial_credit_takes_exactly_its_lines(municipality, quantities, discount, which):
    """Issued invoices, rated from volumes the property chooses, credited through the billing
    service: the stored credit note repeats the original's lines (not lines the test made), its
    XML pays the same amount, and the signed payables add up to zero; a partial credit takes the
    chosen line and no other."""
    services = {s.code: s for s in Service.objects.filter(provider=municipality)}
    rows = [("556000-0001", "levfakt"), ("556000-0019", "levfakt"), ("556000-0027", "levfakt"), ("556000-0001", "lonespec"), ("556000-0019", "lonespec")]
    volumes = "org_number;service_code;month;quantity\n" + "".join(f"{org};{code};{YEAR}-02;{q}\n" for (org, code), q in zip(rows, quantities, strict=True))
    try:
        with transaction.atomic(), clock.frozen(datetime(YEAR, 3, 5, 9)), translation.override("en"):
            assert run_import("volumes", volumes.encode(), "feb.csv", provider=municipality).status == "applied"
            draft = pricing.new_price_list(municipality, YEAR, "Egenskap")
            vat = {"vat_category": "S", "vat_rate": Decimal(25)}
            pricing.save_entry(draft, services["levfakt"], {"tiers": [["0", "38.00"], ["2000", "31.00"], ["10000", "26.00"]], "graduated": True, **vat})
            pricing.save_entry(draft, services["lonespec"], {"unit_price": Decimal("53.50"), "discount_share": Decimal(discount.replace(",", ".")) / 100 if discount else None, **vat})
            pricing.save_entry(draft, services["it-drift"], {"fixed_pool": Decimal("240000.00"), "base_fixed": Decimal("1200.00"), **vat})
            pricing.publish(draft)
            invoices = billing.issue(billing.approve(billing.start_run(municipality, Period.month(YEAR, 2), issue_date=date(YEAR, 3, 5), validate=False)))
            assert invoices
            original = invoices[which % len(invoices)]
            stored = list(original.lines.order_by("line_no").values_list("line_no", "amount", "vat_rate"))
            note, corrected = billing.credit(original, reason="property")
            assert corrected is None
            assert original.signed_payable + note.signed_payable == 0
            assert sorted(note.lines.values_list("credited_line__line_no", "amount", "vat_rate")) == stored
            assert f"{original.payable:.2f}</cbc:PayableAmount>" in note.xml and f"{original.payable:.2f}</cbc:PayableAmount>" in original.xml
            # a partial credit of one line of another invoice takes that line only
            others = [i for i in invoices if i.pk != original.pk]
            if others:
                other = others[0]
                line = other.lines.order_by("line_no").last()
                partial, _corrected = billing.credit(other, lines={line.line_no}, reason="one line")
                assert list(partial.lines.values_list("credited_line_id", flat=True)) == [line.pk]
                assert partial.net_total == line.amount
            raise _RollBack
    except _RollBack:
        pass


def test_the_import_page_lists_each_kinds_columns(municipality):
    page = _client("vasby-controller").get("/import/").content.decode()
    # the box was empty: the template called each importer class instead of reading its columns
    for heading in ("organisationsnummer*", "tjänst kod*", "månad*", "volym*"):
        assert heading in page, heading


def test_the_price_list_warns_when_standard_rated_prices_meet_an_organisation_without_a_vat_number(municipality):
    with clock.frozen(datetime(YEAR, 1, 25, 9)), translation.override("en"):
        draft = pricing.new_price_list(municipality, YEAR, "Moms")
        pricing.save_entry(draft, Service.objects.get(provider=municipality, code="lonespec"),
                           {"unit_price": Decimal("53.50"), "vat_category": "S", "vat_rate": Decimal(25)})
    controller = _client("vasby-controller")
    assert 'class="warning"' not in controller.get(f"/costing/price-lists/{draft.pk}/").content.decode()
    organisation.update_details(municipality, {"vat_number": ""})
    assert 'class="warning"' in controller.get(f"/costing/price-lists/{draft.pk}/").content.decode()


@pytest.mark.parametrize("url", ["/", "/customers/", "/services/", "/agreements/", "/volumes/", "/import/", "/audit/", "/costing/",
                                 "/costing/price-lists/", "/billing/", "/billing/invoices/", "/billing/late-events/", "/followup/",
                                 "/followup/definitions/", "/network/", "/network/offices/", "/network/statistics/", "/network/scenarios/",
                                 "/network/partners/", "/network/compare/", "/network/optimise/", "/costing/pools/", "/costing/keys/", "/costing/ledger/",
                                 "/costing/models/new/", "/followup/entry/"])
def test_every_main_page_answers_for_a_new_organisation_without_demo_words(municipality, url):
    with clock.frozen(datetime(YEAR, 1, 25, 9)):
        response = _client("vasby-controller").get(url)
    assert response.status_code == 200, url
    text = response.content.decode()
    # nor the state's words: a municipality's administration has no share of state employees
    assert "Statens servicecenter" not in text and "Tabell 8" not in text and "statens anställda" not in text, url


def test_an_organisation_without_indicators_sees_its_own_empty_list(municipality):
    text = _client("vasby-controller").get("/followup/definitions/").content.decode()
    assert "Väsby kommun" in text and "driftkostnad-per-aa" not in text and "it-6-tillganglighet" not in text


def test_a_model_that_cannot_run_is_refused_with_every_problem_and_no_run(municipality, ssc):
    """Receivers that are no pool, service or charge of the organisation, a key without weights
    and a missing ledger are all named before anything runs; the costing page still answers."""
    from servicecenter.apps.costing.models import (
        AllocationKey,
        AllocationRun,
        CostModel,
        CostPool,
        KeyValue,
        ModelStep,
        StepSource,
    )
    from servicecenter.core.costing import AllocationError

    CostPool.objects.create(provider=municipality, code="it", name="IT", kind="support")
    model = CostModel.objects.create(provider=municipality, year=YEAR, kind="actual", name="Utfall")
    key = AllocationKey.objects.create(provider=municipality, code="fel", name="Fel", basis="fixed")
    KeyValue.objects.create(key=key, receiver="it", weight=1)                       # not pool:it
    KeyValue.objects.create(key=key, receiver="charge:556000-0001", weight=1)       # no service
    empty = AllocationKey.objects.create(provider=municipality, code="tom", name="Tom", basis="fixed")
    step = ModelStep.objects.create(model=model, position=1, name="Stöd", method="step_down")
    StepSource.objects.create(step=step, source="pool:it", key=key)
    StepSource.objects.create(step=step, source="pool:lokaler", key=empty)          # no such pool, no weights
    with pytest.raises(AllocationError) as refused, translation.override("en"):
        costing.run_cost_model(model)
    codes = sorted(p.code for p in refused.value.problems)
    assert codes == ["costing.empty_key", "costing.no_ledger", "costing.unknown_receiver", "costing.unknown_receiver", "costing.unknown_source"]
    assert not AllocationRun.objects.filter(model=model).exists()
    assert _client("vasby-controller").get("/costing/").status_code == 200
    # the demo's model passes the same check
    demo = CostModel.objects.get(provider=ssc, kind="actual")
    assert costing.model_problems(demo, costing.model_steps(demo)) == []


def test_the_new_list_and_derive_forms_name_the_field_and_write_nothing(municipality, ssc):
    controller = _client("vasby-controller")
    before = PriceList.objects.count()
    for values, field in [({"name": "", "year": YEAR}, "name"), ({"name": "x", "year": "1900"}, "year"), ({"name": "x", "year": "tjugo"}, "year"),
                          ({"name": "x" * 201, "year": YEAR}, "name"), ({"name": "x", "year": YEAR, "provider": ssc.pk}, "provider")]:
        response = controller.post("/costing/price-lists/", {"provider": municipality.pk, **values})
        assert response.status_code == 400 and field in response.context["form"].errors, (values, field)
    # deriving: a bad cap or a bad planned volume is named; nothing is written
    from servicecenter.apps.costing.models import AllocationRun

    run = AllocationRun.objects.filter(model__provider=ssc, model__kind="actual").first()
    client = _client("controller")  # the demo's controller: its run, its services
    url = f"/costing/price-lists/derive/{run.pk}/"
    form = client.get(url).context["form"]
    volume_field = next(name for name in form.fields if name.startswith("volume_"))
    for values, field in [({"cap": "hundra"}, "cap"), ({"cap": "250"}, "cap"), ({volume_field: "-5"}, volume_field), ({volume_field: "1e999999"}, volume_field)]:
        response = client.post(url, {"name": "Fel", **values})
        assert response.status_code == 400 and field in response.context["form"].errors, (values, field)
    assert PriceList.objects.count() == before


def test_an_own_indicator_without_a_goal_is_defined_entered_and_shown(municipality):
    """The controller defines an indicator with a target on the definitions page, enters its two
    data elements on the entry page, and the dashboard shows its value (no goal needed)."""
    from servicecenter.apps.followup.models import IndicatorDefinition

    controller = _client("vasby-controller")
    assert controller.get("/followup/entry/").status_code == 200  # no indicator yet: still a page, not a 404
    response = controller.post("/followup/definitions/", {
        "provider": municipality.code, "name_sv": "Andel fakturor utan fel", "numerator": "fakturor - felaktiga", "denominator": "fakturor",
        "factor": "100", "unit": "%", "decimals": "1", "direction": "up", "target": "98", "levels": ["organisation"], "valid_from": YEAR})
    assert response.status_code == 302, response.context["form"].errors
    definition = IndicatorDefinition.objects.get(provider=municipality)
    assert (definition.code, definition.version, definition.family, definition.goal) == ("andel-fakturor-utan-fel", 1, "own", None)
    for element, value in (("fakturor", "16500"), ("felaktiga", "330")):
        answer = controller.post("/followup/entry/", {"kind": "datapoint", "provider": municipality.code, "element": element, "level": "organisation",
                                                      "subject": municipality.code, "year": YEAR, "value": value})
        assert answer.status_code == 302, answer.content.decode()[:2000]
    page = controller.get(f"/followup/?provider={municipality.code}")
    text = page.content.decode()
    assert page.status_code == 200 and "Andel fakturor utan fel" in text and "98,0" in text  # (16 500 − 330) ÷ 16 500 = 98,0 %
    # a bad expression, a built-in's code and a version that does not start later are named; nothing written
    for values, field in [({"numerator": "fakturor +"}, "numerator"), ({"numerator": "__import__('os')"}, "numerator"),
                          ({"code": "andel-fakturor-utan-fel", "valid_from": YEAR}, "valid_from"), ({"levels": []}, "levels"),
                          ({"valid_from": "1200"}, "valid_from"), ({"name_sv": ""}, "name_sv")]:
        data = {"provider": municipality.code, "name_sv": "X", "numerator": "fakturor", "factor": "1", "decimals": "1", "direction": "none",
                "levels": ["organisation"], "valid_from": YEAR + 1, **values}
        response = controller.post("/followup/definitions/", data)
        assert response.status_code == 400 and field in response.context["form"].errors, (values, response.context["form"].errors)
    assert IndicatorDefinition.objects.filter(provider=municipality).count() == 1
    # the same code from a later year is version 2; the reader cannot define
    assert controller.post("/followup/definitions/", {"provider": municipality.code, "name_sv": "Andel fakturor utan fel", "code": "andel-fakturor-utan-fel",
                                                      "numerator": "fakturor - felaktiga", "denominator": "fakturor", "factor": "100", "decimals": "1",
                                                      "direction": "up", "levels": ["organisation"], "valid_from": YEAR + 1}).status_code == 302
    assert IndicatorDefinition.objects.filter(provider=municipality, code="andel-fakturor-utan-fel").count() == 2


OFFICES = """kod;namn;lon;lat;kommun;kategori
v01;Medborgarkontoret Centrum;17,9119;59,5184;0114;fullservicekontor
v02;Medborgarkontoret Norr;17,9000;59,5400;0114;flexibelt med personal
"""
GRID = """x;y;befolkning
17,91;59,52;4000
17,90;59,54;2500
17,93;59,50;1800
"""


def test_a_scenario_is_measured_against_the_population_grid_the_planner_chose(municipality):
    """The municipality's own offices and population grid: a scenario from a date of the
    planner's choosing, against the grid it imported, not the shipped localities."""
    from servicecenter.apps.network.models import DemandSet, Scenario

    with translation.override("en"):
        for kind, text in (("offices", OFFICES), ("population_grid", GRID)):
            report = run_import(kind, text.encode(), f"{kind}.csv", provider=municipality)
            assert report.status == "applied", (kind, [p.describe("en") for p in report.problems])
    grid = DemandSet.objects.get(name__icontains="population_grid")
    controller = _client("vasby-controller")
    page = controller.get("/network/scenarios/")
    assert page.status_code == 200 and f'value="{grid.pk}"' in page.content.decode()
    response = controller.post("/network/scenarios/", {"name": "Stäng Norr", "base_date": f"{YEAR}-07-01", "demand": grid.pk})
    assert response.status_code == 302
    scenario = Scenario.objects.get(provider=municipality, name="Stäng Norr")
    assert scenario.base_date == date(YEAR, 7, 1) and scenario.demand_set == grid
    page = controller.get(f"/network/scenarios/{scenario.pk}/").content.decode()
    assert "Besparing (tkr)" in page and "Besparing (mnkr)" not in page   # the table heading names the unit of its values (tkr)
    assert controller.get(f"/network/optimise/?demand={grid.pk}").status_code == 200
    assert controller.post("/network/scenarios/", {"name": "X", "demand": 10**9}).status_code == 404


def test_the_planner_scripts_a_scenario_and_the_optimiser_through_the_api(municipality, client_for):
    """#14 item 7: scenarios, their changes and the optimiser in the API, with the pages' checks."""
    import json

    from django.contrib.auth import get_user_model

    from servicecenter.apps.network.models import Scenario, ScenarioChange

    with translation.override("en"):
        for kind, text in (("offices", OFFICES), ("population_grid", GRID)):
            assert run_import(kind, text.encode(), f"{kind}.csv", provider=municipality).status == "applied"
    api = Client(HTTP_ACCEPT_LANGUAGE="en")
    api.force_login(get_user_model().objects.get(username="vasby-controller"))

    def post(path, body):
        return api.post(f"/api{path}?provider=vasby-service", json.dumps(body), content_type="application/json")

    created = api_done(api, post("/network/scenarios", {"name": "Stäng Norr", "base_date": f"{YEAR}-07-01"}))   # a background job
    assert created["state"] == "done", created
    scenario = Scenario.objects.get(pk=created["result"]["id"], provider=municipality)
    assert scenario.base_date == date(YEAR, 7, 1)
    changed = post(f"/network/scenarios/{scenario.pk}/changes", {"action": "close", "office": "v02"})
    assert changed.status_code == 200 and [(c["kind"], c["office"], c["from_date"]) for c in changed.json()] == [("close", "v02", f"{YEAR}-07-01")]
    # refusals name what is wrong and write nothing
    for body in ({"action": "close", "office": "finns-inte"}, {"action": "blow-up"}, {"action": "add", "lon": "200", "lat": "59"}):
        refused = post(f"/network/scenarios/{scenario.pk}/changes", body)
        assert refused.status_code == 400 and refused.json()["detail"], body
    assert ScenarioChange.objects.filter(scenario=scenario).count() == 1
    assert post("/network/scenarios", {"name": " ", "base_date": f"{YEAR}-07-01"}).status_code == 400
    result = api.get(f"/api/network/scenarios/{scenario.pk}?provider=vasby-service").json()
    assert (result["offices_before"], result["offices_after"]) == (2, 1)
    # the optimiser keeps the full-service office when one of two closes, and saves the proposal
    proposed = api_done(api, post("/network/optimise", {"close": 1, "day": f"{YEAR}-01-15", "save": True}))["result"]
    assert proposed["open"] == ["v01"] and proposed["closed"] == ["v02"]
    saved = Scenario.objects.get(pk=proposed["scenario"])
    assert saved.provider == municipality and list(saved.changes.values_list("office__code", "date")) == [("v02", date(YEAR + 1, 1, 1))]
    refused = api_done(api, post("/network/optimise", {"close": 5}))
    assert refused["state"] == "failed" and "whole number" in refused["error"]
    # another organisation's planner cannot reach the scenario, nor script for this organisation
    other = client_for("controller")
    assert other.post(f"/api/network/scenarios/{scenario.pk}/changes?provider=vasby-service", json.dumps({"action": "remove"}),
                      content_type="application/json").status_code == 404
    assert other.post("/api/network/scenarios?provider=vasby-service", json.dumps({"name": "X", "base_date": f"{YEAR}-01-01"}),
                      content_type="application/json").status_code == 404


def test_a_price_list_goes_out_to_excel_and_back_in_as_a_draft(municipality):
    """Download a list as Excel, rename it in the file, import it: a draft with the same entries.
    A published list of the file's name is refused, and a bad cell is named by row and column."""
    import io

    from openpyxl import load_workbook

    services = {s.code: s for s in Service.objects.filter(provider=municipality)}
    with translation.override("en"):
        original = pricing.new_price_list(municipality, YEAR, "Priser")
        pricing.save_entry(original, services["levfakt"], {"tiers": [["0", "38"], ["2000", "31.5"]], "graduated": False})
        pricing.save_entry(original, services["lonespec"], {"unit_price": Decimal("53.50"), "discount_share": Decimal("0.075"), "base_fixed": Decimal(1200)})
        from servicecenter.apps.costing import setup

        volumes = setup.save_key(municipality, name="Volym", basis="volumes", code="volym")
        pricing.save_entry(original, services["it-drift"], {"fixed_pool": Decimal(240000), "key": volumes, "vat_category": "O", "vat_rate": Decimal(0)})
    response = _client("vasby-controller").get(f"/costing/price-lists/{original.pk}/?format=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    for row in sheet.iter_rows(min_row=2):
        row[1].value = "Kopia"
    out = io.BytesIO()
    book.save(out)
    with translation.override("en"):
        report = run_import("prices", out.getvalue(), "prislista.xlsx", provider=municipality)
    assert report.status == "applied", report.lines("en")
    copy = PriceList.objects.get(provider=municipality, name="Kopia")
    fields = ("unit_price", "tiers", "graduated", "packages", "base_fixed", "per_employee", "fixed_pool", "key_id", "payer_id", "connection_fee",
              "connection_months", "markup", "discount_share", "vat_category", "vat_rate")

    def entries(price_list):
        return {e.service.code: tuple(decimal_of(getattr(e, f)) if isinstance(getattr(e, f), Decimal) else getattr(e, f) for f in fields)
                for e in price_list.entries.select_related("service")}

    def same(entry):  # tiers as numbers: "31.5" and "31.50" are one price
        return tuple([[decimal_of(a), decimal_of(b)] for a, b in v] if i == 1 else v for i, v in enumerate(entry))

    assert {k: same(v) for k, v in entries(copy).items()} == {k: same(v) for k, v in entries(original).items()}
    with translation.override("en"):
        pricing.publish(copy)
        again = run_import("prices", out.getvalue(), "prislista.xlsx", provider=municipality)
        assert not again.ok and "published" in " ".join(again.lines("en"))
        bad = run_import("prices", f"år;prislista;tjänst kod;volymtrappa\n{YEAR};Ny;levfakt;0: 38 | tvåtusen: 31\n".encode(), "p.csv", provider=municipality)
    assert not bad.ok and bad.problems[0].row == 2 and bad.problems[0].column == "volymtrappa", bad.lines("en")
    assert not PriceList.objects.filter(provider=municipality, name="Ny").exists()


LEDGER = """konto;månad;belopp
3010;{y}-01;-2000000
7010;{y}-01;1000000
5010;{y}-01;200000
6110;{y}-01;50000
"""


def test_computed_elements_follow_the_organisations_chart_and_payroll_services(municipality):
    """#14 item 5: a municipality's BAS ledger counts its salaries (7010) as personnel, not as the
    state chart's depreciation; payroll elements come from the services it names, none assumed."""
    from servicecenter.apps.followup import defining
    from servicecenter.apps.followup import services as followup
    from servicecenter.apps.followup.models import DataPoint

    with translation.override("en"):
        assert run_import("ledger", LEDGER.format(y=YEAR).encode(), "ledger.csv", provider=municipality).status == "applied"
        defining.define_indicator(municipality, name_sv="Driftkostnad per lönespecifikation", numerator="operating_cost", denominator="payslips",
                                  unit="kr", valid_from=YEAR, levels=["organisation"])
    followup.refresh(municipality, [YEAR])

    def element(name):
        return DataPoint.objects.filter(provider=municipality, element=name, year=YEAR).values_list("value", flat=True).first()

    assert element("operating_cost") == Decimal(1_250_000)                 # BAS, the municipal default: 7010 is personnel
    assert element("payslips") is None and element("employees_payroll") is None   # no payroll service named: nothing assumed
    controller = _client("vasby-controller")
    page = controller.get("/followup/definitions/")
    assert page.status_code == 200 and 'value="bas" selected' in page.content.decode()
    lonespec = Service.objects.get(provider=municipality, code="lonespec")
    saved = controller.post("/followup/definitions/", {"action": "sources", "provider": municipality.code, "chart": "bas", "payroll_services": [lonespec.pk]})
    assert saved.status_code == 302
    assert element("payslips") == Decimal(460) and element("employees_payroll") == Decimal(460)   # 120 + 340, from lonespec
    # under the state's chart the same ledger reads 7010 as depreciation
    assert controller.post("/followup/definitions/", {"action": "sources", "provider": municipality.code, "chart": "state",
                                                      "payroll_services": [lonespec.pk]}).status_code == 302
    assert element("operating_cost") == Decimal(250_000)
    # another organisation's service, or an unknown chart, is refused by field and nothing changes
    other = Service.objects.filter(provider__code="ssc").first()
    refused = controller.post("/followup/definitions/", {"action": "sources", "provider": municipality.code, "chart": "bas", "payroll_services": [other.pk]})
    assert refused.status_code == 400 and "payroll_services" in refused.content.decode()
    assert controller.post("/followup/definitions/", {"action": "sources", "provider": municipality.code, "chart": "kpl"}).status_code == 400
    assert followup.chart_of(municipality).code == "state" and followup.payroll_services(municipality) == [lonespec.pk]


def test_the_entry_page_shows_the_entry_it_changes(municipality):
    """Changing an entry starts from what it is (the page once showed an empty form, so saving
    a change needed every component typed again)."""
    import re

    with translation.override("en"):
        price_list = pricing.new_price_list(municipality, YEAR, f"Priser {YEAR}")
        service = Service.objects.get(provider=municipality, code="lonespec")
        pricing.save_entry(price_list, service, {"unit_price": Decimal("53.50"), "base_fixed": Decimal(1200)})
    page = _client("vasby-controller").get(f"/costing/price-lists/{price_list.pk}/entries/{service.pk}/").content.decode()
    unit = re.search(r'<input[^>]*name="unit_price"[^>]*>', page).group(0)
    base = re.search(r'<input[^>]*name="base_fixed"[^>]*>', page).group(0)
    assert re.search(r'value="53[,.]5', unit) and re.search(r'value="1\D?200', base), (unit, base)
    assert re.search(rf'<option value="{service.pk}" selected', page)


def test_a_goal_is_defined_on_the_definitions_page_and_its_indicator_attached(municipality):
    from servicecenter.apps.followup.models import Goal, IndicatorDefinition

    controller = _client("vasby-controller")
    base = {"action": "goal", "provider": municipality.code}
    assert controller.post("/followup/definitions/", {**base, "goal-name_sv": " "}).status_code == 400
    assert controller.post("/followup/definitions/", {**base, "goal-name_sv": "Effektiv lön", "goal-code": "Ogiltig kod!"}).status_code == 400
    assert not Goal.objects.filter(provider=municipality).exists()
    response = controller.post("/followup/definitions/", {**base, "goal-name_sv": "Effektiv lön", "goal-statement_sv": "Lönen kostar mindre per lönespecifikation"})
    assert response.status_code == 302
    goal = Goal.objects.get(provider=municipality)
    assert (goal.code, goal.position) == ("effektiv-lon", 1)
    assert controller.post("/followup/definitions/", {**base, "goal-name_sv": "Effektiv lön"}).status_code == 400   # the same code twice
    page = controller.get("/followup/definitions/").content.decode()
    assert "Effektiv lön" in page and f'<option value="{goal.pk}"' in page
    assert controller.post("/followup/definitions/", {"provider": municipality.code, "name_sv": "Kostnad per lönespecifikation", "numerator": "a",
                                                      "denominator": "b", "factor": "1", "decimals": "1", "direction": "down", "target": "60",
                                                      "levels": ["organisation"], "valid_from": YEAR, "goal": goal.pk}).status_code == 302
    assert IndicatorDefinition.objects.get(provider=municipality).goal == goal
