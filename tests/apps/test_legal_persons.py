"""#14: customers apart from legal persons. A city's administrations share the city's one
organisation number, each with its own customer number, reference and address; a city-owned
company is a legal person of its own. Files name customers by customer number (or by an
organisation number only one customer has); invoices carry the legal person's identity with
the administration's name and reference, and VAT follows the legal persons."""

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import translation
from lxml import etree

from servicecenter import clock
from servicecenter.apps.accounts.models import Role
from servicecenter.apps.billing import documents
from servicecenter.apps.billing import services as billing
from servicecenter.apps.billing.models import Invoice
from servicecenter.apps.costing import pricing
from servicecenter.apps.imports.base import run_import
from servicecenter.apps.registry import organisation
from servicecenter.apps.registry.models import Customer, Provider, Service
from servicecenter.core.billing.vat import STATE_TEXT
from servicecenter.core.periods import Period
from servicecenter.formats.peppol import CAC, CBC

YEAR = 2029
CITY = "212000-0142"
PASSWORD = "Ett-rätt-långt-lösenord-29"

CUSTOMERS = """kundnummer;organisationsnummer;namn;juridisk person;sektor;år;anställda;köparens referens;gatuadress;postnummer;ort
U100;{city};Utbildningsförvaltningen;Tuna kommun;kommun;{y};1450;UTB-4711;Skolgatan 3;123 45;Tuna
S200;{city};Socialförvaltningen;Tuna kommun;kommun;{y};980;SOC-22;Vårdvägen 9;123 46;Tuna
K300;{city};Kulturförvaltningen;Tuna kommun;kommun;{y};120;;;;
;556000-0019;Tuna Energi AB;;bolag;{y};340;;Kraftgatan 1;123 50;Tuna
"""
CATALOGUE = """year;area_code;area_name;process_code;process_name;service_code;service_name;tier;unit
{y};lon;Lön;lon;Lön;lonespec;Lönespecifikation;base;payslip
"""
AGREEMENTS = """kundnummer;organisationsnummer;service_code;state;production_date
U100;;lonespec;production;{y}-01-01
S200;;lonespec;production;{y}-01-01
;556000-0019;lonespec;production;{y}-01-01
"""
VOLUMES = """kundnummer;organisationsnummer;service_code;month;quantity
U100;;lonespec;{y}-01;1450
S200;;lonespec;{y}-01;980
;556000-0019;lonespec;{y}-01;340
"""


def _import(provider, user, kind, text):
    return run_import(kind, text.format(y=YEAR, city=CITY).encode(), f"{kind}.csv", provider=provider, user=user)


@pytest.fixture
def city(db):
    with clock.frozen(datetime(YEAR, 1, 20, 9)), translation.override("en"):
        provider, admin = organisation.create_organisation(
            code="tuna-service", name="Tuna kommun, serviceförvaltningen", org_number=CITY, kind=Provider.Kind.MUNICIPAL_SERVICE,
            admin_username="tuna-admin", admin_password=PASSWORD)
        organisation.update_details(provider, {"bankgiro": "123-4567", "vat_number": "SE212000014201", "street": "Torget 1",
                                               "postal_code": "123 40", "city": "Tuna"}, user=admin)
        controller = organisation.add_person(provider, username="tuna-controller", password=PASSWORD, role=Role.CONTROLLER, user=admin)
        for kind, text in (("customers", CUSTOMERS), ("catalogue", CATALOGUE), ("agreements", AGREEMENTS), ("volumes", VOLUMES)):
            report = _import(provider, controller, kind, text)
            assert report.status == "applied", (kind, [p.describe("en") for p in report.problems])
        price_list = pricing.new_price_list(provider, YEAR, f"Priser {YEAR}", user=controller)
        pricing.save_entry(price_list, Service.objects.get(provider=provider, code="lonespec"),
                           {"unit_price": Decimal("50.00"), "vat_category": "S", "vat_rate": Decimal(25)}, user=controller)
        pricing.publish(price_list, user=controller)
    return provider, controller


def test_administrations_share_the_citys_organisation_number_under_their_own_customer_numbers(city):
    provider, _ = city
    customers = {c.number: c for c in Customer.objects.filter(provider=provider)}
    assert set(customers) == {"U100", "S200", "K300", "556000-0019"}   # a company without one is known by its org number
    assert {customers[n].org_number for n in ("U100", "S200", "K300")} == {CITY}
    assert customers["U100"].legal_person == "Tuna kommun" and customers["U100"].buyer_reference == "UTB-4711"
    assert customers["556000-0019"].legal_person == "Tuna Energi AB"


def test_invoices_carry_the_legal_person_with_the_administrations_name_reference_and_vat_text(city):
    provider, controller = city
    with clock.frozen(datetime(YEAR, 2, 1, 9)):
        run = billing.start_run(provider, Period.month(YEAR, 1), issue_date=date(YEAR, 2, 1))
        assert not run.fatal_findings, run.fatal_findings
        invoices = {invoice.customer.number: invoice for invoice in billing.issue(billing.approve(run), user=controller)}
    assert set(invoices) == {"U100", "S200", "556000-0019"}                 # Kultur has no agreement
    school = invoices["U100"]
    assert (school.buyer_name, school.buyer_org_number, school.buyer_reference) == ("Tuna kommun", CITY, "UTB-4711")
    assert school.buyer_endpoint == "0007:2120000142" and school.buyer_street == "Skolgatan 3"
    xml = etree.fromstring(school.xml.encode())
    party = xml.find(f"{{{CAC}}}AccountingCustomerParty/{{{CAC}}}Party")
    assert party.findtext(f"{{{CAC}}}PartyName/{{{CBC}}}Name") == "Utbildningsförvaltningen"           # BT-45, trading name
    assert party.findtext(f"{{{CAC}}}PartyLegalEntity/{{{CBC}}}RegistrationName") == "Tuna kommun"      # BT-44, legal name
    # inside the city: outside the scope of VAT, with the text for one legal person (not the state's)
    assert {line.vat_category for line in school.lines.all()} == {"O"} and school.tax_total == 0 and school.seller_vat_number == ""
    facts = documents.document_facts(school)
    assert facts.trading_name == "Utbildningsförvaltningen"
    assert "samma juridiska person" in facts.exemption_reason and "Tuna kommun" in facts.exemption_reason
    assert "statliga myndigheter" not in facts.exemption_reason
    # the city's company is a legal person of its own: VAT at 25 %, the seller's VAT number
    company = invoices["556000-0019"]
    assert company.buyer_name == "Tuna Energi AB" and company.tax_total == Decimal("4250.00") and company.seller_vat_number == "SE212000014201"
    company_facts = documents.document_facts(company)
    assert (company_facts.trading_name, company_facts.exemption_reason) == ("", "")
    # the credit of a line keeps the legal identity, the name and the text
    note, _ = billing.credit(school, controller, {1}, reason="Fel antal")
    note_facts = documents.document_facts(note)
    assert note.buyer_name == "Tuna kommun" and note_facts.trading_name == "Utbildningsförvaltningen"
    assert note_facts.exemption_reason == facts.exemption_reason


def test_a_state_sellers_invoice_to_an_agency_states_the_states_reason(db):
    invoice = Invoice.objects.filter(provider__code="ssc", lines__vat_category="O").first()
    if invoice is None:
        provider = Provider.objects.get(code="ssc")
        price_list = provider.price_lists.filter(status="published").order_by("-year").first()
        run = billing.start_run(provider, Period.month(price_list.year, 1), issue_date=date(price_list.year, 2, 1), validate=False)
        invoice = billing.issue(billing.approve(run))[0]
    assert documents.document_facts(invoice).exemption_reason == STATE_TEXT


def test_a_shared_organisation_number_must_be_told_apart_by_customer_number_and_nothing_is_written(city):
    provider, controller = city
    before = Customer.objects.filter(provider=provider).count()
    with translation.override("en"):
        ambiguous = _import(provider, controller, "volumes", "organisationsnummer;service_code;month;quantity\n{city};lonespec;{y}-02;10\n")
        assert ambiguous.status != "applied"
        (problem,) = ambiguous.errors
        assert problem.code == "customer.ambiguous" and problem.row == 2 and problem.column == "organisationsnummer"
        assert "K300" in problem.describe("en") and "U100" in problem.describe("en")
        unknown = _import(provider, controller, "agreements", "kundnummer;service_code;state;production_date\nX999;lonespec;production;{y}-01-01\n")
        assert [(p.code, p.column) for p in unknown.errors] == [("customer.unknown_number", "kundnummer")]
        neither = _import(provider, controller, "volumes", "service_code;month;quantity\nlonespec;{y}-02;10\n")
        assert [p.code for p in neither.errors] == ["header.missing"] and "customer_number / org_number" in neither.errors[0].describe("en")
        # two administrations under one number without customer numbers would merge: refused
        merged = _import(provider, controller, "customers", "organisationsnummer;namn\n212000-0001;Miljöförvaltningen\n212000-0001;Tekniska förvaltningen\n")
        assert [(p.code, p.row) for p in merged.errors] == [("customer.number_needed", 3)]
    assert Customer.objects.filter(provider=provider).count() == before


def test_the_api_and_the_customer_page_show_the_customer_number(city):
    from django.test import Client

    provider, controller = city
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(controller)
    customers = client.get("/api/customers", {"q": "S200"}).json()["items"]
    assert [(c["number"], c["org_number"], c["legal_name"], c["buyer_reference"]) for c in customers] == [("S200", CITY, "Tuna kommun", "SOC-22")]
    page = client.get(f"/customers/{customers[0]['id']}/").content.decode()
    assert "S200" in page and "Tuna kommun" in page and "Vårdvägen 9" in page


def test_a_swedish_invoice_carries_ocr_f_skatt_contact_giro_and_unit_names(city):
    """#17 item 2: the OCR reference (with a length digit, as this organisation asks) is the
    Peppol PaymentID and printed; F-skatt, the contact person, the plusgiro formatted; units and
    VAT in words; the period once when every line has the invoice's."""
    from servicecenter.apps.billing.documents import invoice_html
    from servicecenter.core.billing.payment import ocr_valid

    provider, controller = city
    organisation.update_details(provider, {"bankgiro": "", "plusgiro": "12 34 56-7", "ocr_length_digit": True, "f_skatt": True,
                                           "contact_name": "Kim Ek", "contact_phone": "010-123 45 67"}, user=controller)
    with clock.frozen(datetime(YEAR, 2, 1, 9)):
        run = billing.start_run(provider, Period.month(YEAR, 1), issue_date=date(YEAR, 2, 1))
        assert not run.fatal_findings, run.fatal_findings
        invoices = {invoice.customer.number: invoice for invoice in billing.issue(billing.approve(run), user=controller)}
    company = invoices["556000-0019"]
    facts = documents.document_facts(company)
    assert ocr_valid(facts.payment_id, with_length=True) and facts.payment_id.startswith(str(company.number))
    assert (facts.legal_form, facts.contact_name, facts.payee_scheme) == ("Godkänd för F-skatt", "Kim Ek", "SE:PLUSGIRO")
    html = invoice_html(company)
    assert "Godkänd för F-skatt" in html and "Kontaktperson: Kim Ek, tel. 010-123 45 67" in html
    assert "Plusgiro 12 34 56-7" in html and re.search(rf"OCR-nummer</th>.*?<td>{facts.payment_id}</td>", html, re.S)   # the payment box
    assert "340 st" in html and "C62" not in html and "(S)" not in html and "Moms 25 %" in html
    assert html.count(f"{YEAR}-01-01 – {YEAR}-01-31") == 1           # the period once, in the header
    school = invoice_html(invoices["U100"])
    assert "Utanför momsens tillämpningsområde" in school and "(O)" not in school
