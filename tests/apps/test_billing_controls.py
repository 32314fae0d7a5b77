"""#16, billing controls, on an organisation that is not the demo (the municipality of
``test_own_data``, clock in 2031): four eyes (the person who prepared a run does not approve it,
on the page and in the API; a setting per provider), confirmations that name what will happen,
plausibility flags that fire on an inflated month and must be acknowledged before approval; and
no flag on the demo's ordinary months."""

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from servicecenter import clock
from servicecenter.apps.billing import plausibility
from servicecenter.apps.billing import services as billing
from servicecenter.apps.billing.models import BillingRun, Invoice
from servicecenter.apps.costing import pricing
from servicecenter.apps.imports.base import run_import
from servicecenter.apps.registry import organisation
from servicecenter.apps.registry.models import Agreement, Service
from servicecenter.core.periods import Period
from servicecenter.ui.templatetags.sc import sek
from tests.apps.test_own_data import YEAR, _client, municipality  # noqa: F401  (the fixture)

HAMN, ENERGI, PARKERING = "556000-0001", "556000-0019", "556000-0027"
#: What each customer uses in an ordinary month (January's volumes of the fixture).
ORDINARY = {HAMN: {"levfakt": 1200, "lonespec": 120}, ENERGI: {"levfakt": 15000, "lonespec": 340}, PARKERING: {"levfakt": 300}}
APRIL = Period.month(YEAR, 4)


def _volumes(provider, month: int, usage: dict) -> None:
    rows = "".join(f"{org};{code};{YEAR}-{month:02d};{quantity}\n" for org, services in usage.items() for code, quantity in services.items())
    report = run_import("volumes", f"org_number;service_code;month;quantity\n{rows}".encode(), f"volymer-{month}.csv", provider=provider)
    assert report.ok, report.lines("en")


def _varied(month: int) -> dict:
    """An ordinary month: the same customers and services, quantities a few per cent apart."""
    return {org: {code: quantity + quantity * month // 50 for code, quantity in services.items()} for org, services in ORDINARY.items()}


@pytest.fixture
def billed(municipality):  # noqa: F811
    """Prices for the year, and January to March issued under them with ordinary volumes."""
    with clock.frozen(datetime(YEAR, 4, 2, 9)), translation.override("en"):
        price_list = pricing.new_price_list(municipality, YEAR, "Priser")
        for code, price in (("levfakt", "30.00"), ("lonespec", "53.50"), ("it-drift", "100.00")):
            pricing.save_entry(price_list, Service.objects.get(provider=municipality, code=code),
                               {"unit_price": Decimal(price), "vat_category": "S", "vat_rate": Decimal(25)})
        pricing.publish(price_list)
        for month in (2, 3):
            _volumes(municipality, month, _varied(month))
        for month in (1, 2, 3):
            billing.issue(billing.approve(billing.start_run(municipality, Period.month(YEAR, month), issue_date=date(YEAR, month + 1, 1), validate=False)))
    return municipality


def _flags(run) -> set[tuple[str, str, str]]:
    return {(flag["kind"], flag["customer"], flag["service"]) for flag in run.flags}


def test_an_ordinary_month_raises_no_flag(billed):
    with clock.frozen(datetime(YEAR, 5, 2, 9)), translation.override("en"):
        _volumes(billed, 4, _varied(4))
        run = billing.start_run(billed, APRIL, validate=False)
    assert run.flags == []


def test_usage_without_an_agreement_in_production_that_month_is_flagged(billed):
    """The volume import refuses usage outside an agreement; an agreement corrected afterwards
    (here: Hamnbolaget's supplier invoices begin in May after all) leaves April's stored usage
    outside it, and the preview says so before anyone approves the invoice."""
    with clock.frozen(datetime(YEAR, 5, 2, 9)), translation.override("en"):
        _volumes(billed, 4, _varied(4))
        Agreement.objects.filter(customer__provider=billed, customer__org_number=HAMN, service__code="levfakt").update(production_date=date(YEAR, 5, 1))
        run = billing.start_run(billed, APRIL, validate=False)
        assert _flags(run) == {("no_agreement", "Hamnbolaget AB", "levfakt")}
        flag = run.flags[0]
        assert Decimal(flag["quantity"]) == _varied(4)[HAMN]["levfakt"] and Decimal(flag["amount"]) == Decimal(flag["quantity"]) * 30
        with pytest.raises(billing.BillingError):
            billing.approve(run, get_user_model().objects.get(username="vasby-attestant"))
        # an agreement that ended on the month's first day did not cover it; one that ended on its second did
        agreement = Agreement.objects.get(customer__provider=billed, customer__org_number=HAMN, service__code="levfakt")
        for ended, flagged in ((date(YEAR, 4, 1), True), (date(YEAR, 4, 2), False)):
            Agreement.objects.filter(pk=agreement.pk).update(production_date=date(YEAR, 1, 1), ended_date=ended)
            assert bool(billing.refresh(run).flags) is flagged, ended
        Agreement.objects.filter(pk=agreement.pk).update(production_date=date(YEAR, 5, 1), ended_date=None)
        run = billing.refresh(run)
    page = _client("vasby-attestant").get(f"/billing/runs/{run.pk}/").content.decode()
    assert "fakturerat utan avtal om tjänsten i produktion denna månad" in page


def test_an_inflated_month_is_flagged_and_approved_only_once_the_flags_are_acknowledged(billed):
    controller, attestant = _client("vasby-controller"), _client("vasby-attestant")
    with clock.frozen(datetime(YEAR, 5, 2, 9)), translation.override("en"):
        # Energibolaget's supplier invoices typed with a zero too many; Hamnbolaget's payslips
        # missing; Parkeringsbolaget's first payslips (its payroll agreement begins in April)
        report = run_import("agreements", f"org_number;service_code;state;production_date\n{PARKERING};lonespec;production;{YEAR}-04-01\n".encode(),
                            "avtal.csv", provider=billed)
        assert report.ok, report.lines("en")
        _volumes(billed, 4, {HAMN: {"levfakt": 1260}, ENERGI: {"levfakt": 150000, "lonespec": 350}, PARKERING: {"levfakt": 310, "lonespec": 45}})
        assert controller.post("/billing/", {"provider": billed.pk, "month": f"{YEAR}-04"}).status_code == 302
        run = BillingRun.objects.get(provider=billed, period=APRIL.start)
        assert _flags(run) == {("spike", "Energibolaget AB", "levfakt"), ("drop", "Hamnbolaget AB", "lonespec"),
                               ("new_service", "Parkeringsbolaget AB", "lonespec"), ("total", "", "")}
        spike = next(flag for flag in run.flags if flag["kind"] == "spike")
        assert Decimal(spike["quantity"]) == 150000 and Decimal(spike["usual_quantity"]) == 15600   # the median of 15 000, 15 600 and 15 900 and spike["months"] == 3
        url = f"/billing/runs/{run.pk}/"
        page = attestant.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "4 lines stand out" in page and "more than three times its median" in page and 'name="acknowledge"' in page
        attestant.post(url, {"action": "approve"})
        assert BillingRun.objects.get(pk=run.pk).state == "preview"
        refused = attestant.post(url, {"action": "approve"}, follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "4 plausibility flags" in refused
        attestant.post(url, {"action": "approve", "acknowledge": "1"})
    run.refresh_from_db()
    assert run.state == "approved" and run.flags_acknowledged_by.username == "vasby-attestant" and run.flags_acknowledged_at
    # a refresh makes the preview again: the flags again, the acknowledgement gone
    with clock.frozen(datetime(YEAR, 5, 2, 10)), translation.override("en"):
        run = billing.refresh(run)
    assert run.state == "preview" and run.flags_acknowledged_by is None and len(run.flags) == 4


def test_the_person_who_prepared_a_run_cannot_approve_it_on_the_page_or_in_the_api(billed):
    controller, attestant = _client("vasby-controller"), _client("vasby-attestant")
    with clock.frozen(datetime(YEAR, 5, 2, 9)), translation.override("en"):
        _volumes(billed, 4, _varied(4))
        controller.post("/billing/", {"provider": billed.pk, "month": f"{YEAR}-04"})
        run = BillingRun.objects.get(provider=billed, period=APRIL.start)
        url = f"/billing/runs/{run.pk}/"
        page = controller.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "You prepared this preview" in page and 'value="approve"' not in page
        message = controller.post(url, {"action": "approve"}, follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "with four eyes on, another person approves it" in message
        answer = controller.post(f"/api/billing/runs/{run.pk}/approve", "{}", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
        assert answer.status_code == 400 and "four eyes" in json.dumps(answer.json())
        assert BillingRun.objects.get(pk=run.pk).state == "preview"
        # another controller approves; issuing asks first, naming the count and the amount
        answer = attestant.post(f"/api/billing/runs/{run.pk}/approve", "{}", content_type="application/json")
        assert answer.status_code == 200 and answer.json()["state"] == "approved" and answer.json()["prepared_by"] == "vasby-controller"
        run.refresh_from_db()
        payable = sum((Decimal(invoice["payable"]) for invoice in run.preview), Decimal(0))
        asked = attestant.post(url, {"action": "issue"}, HTTP_ACCEPT_LANGUAGE="en")
        text = asked.content.decode()
        assert asked.status_code == 200 and "Issue 3 invoices" in text and sek(payable) in text
        assert not Invoice.objects.filter(run=run).exists()
        attestant.post(url, {"action": "issue", "confirm": "issue:stale"})    # a confirmation of something else does nothing
        assert not Invoice.objects.filter(run=run).exists()
        attestant.post(url, {"action": "issue", "confirm": asked.context["confirm_token"]})
    assert Invoice.objects.filter(run=run).count() == 3


def test_four_eyes_is_a_setting_of_the_provider(billed):
    controller = _client("vasby-controller")
    with clock.frozen(datetime(YEAR, 5, 2, 9)), translation.override("en"):
        organisation.update_details(billed, {"four_eyes": False})
        _volumes(billed, 4, _varied(4))
        controller.post("/billing/", {"provider": billed.pk, "month": f"{YEAR}-04"})
        run = BillingRun.objects.get(provider=billed, period=APRIL.start)
        controller.post(f"/billing/runs/{run.pk}/", {"action": "approve"})
    assert BillingRun.objects.get(pk=run.pk).state == "approved"


def test_discarding_and_crediting_ask_first_naming_what_will_happen(billed):
    attestant = _client("vasby-attestant")
    with clock.frozen(datetime(YEAR, 5, 2, 9)), translation.override("en"):
        _volumes(billed, 4, _varied(4))
        run = billing.start_run(billed, APRIL, validate=False)
        url = f"/billing/runs/{run.pk}/"
        asked = attestant.post(url, {"action": "discard"}, HTTP_ACCEPT_LANGUAGE="en")
        assert f"Discard the run of {YEAR}-04 with its 3 draft invoices?" in asked.content.decode()
        assert BillingRun.objects.get(pk=run.pk).state == "preview"
        attestant.post(url, {"action": "discard", "confirm": asked.context["confirm_token"]})
        assert BillingRun.objects.get(pk=run.pk).state == "discarded"
        invoice = Invoice.objects.filter(provider=billed, period_start=date(YEAR, 3, 1)).order_by("number").first()
        line = invoice.lines.order_by("line_no").first()
        form = {"line": [str(line.line_no)], "reason": "Fel antal"}
        asked = attestant.post(f"/billing/invoices/{invoice.pk}/", form, HTTP_ACCEPT_LANGUAGE="en")
        assert asked.status_code == 200 and f"Issue a credit note for 1 line of {invoice.number_text}" in asked.content.decode()
        assert not invoice.credit_notes.exists()
        attestant.post(f"/billing/invoices/{invoice.pk}/", {**form, "confirm": asked.context["credit_confirm"]["token"]})
    assert invoice.credit_notes.count() == 1


def test_the_demo_months_raise_only_the_flags_their_customers_call_for(ssc):
    """Each of the demo's issued months after the first, rated again as it is stored, against the
    months before it: an ordinary year raises nothing but a customer billed for the first time in
    the month its first agreement went into production (which the demo build acknowledges)."""
    first: dict[int, date] = {}
    for customer_id, start in Agreement.objects.filter(customer__provider=ssc, production_date__isnull=False).values_list("customer_id", "production_date"):
        first[customer_id] = min(first.get(customer_id, start), start)
    joiners = 0
    for month in range(2, 13):
        period = Period.month(2025, month)
        drafts, _usage = billing.rate(ssc, period)
        flags = plausibility.flags_for(ssc, period, billing._preview(ssc, drafts))
        joined = {customer for customer, start in first.items() if start.replace(day=1) == period.start}
        assert [flag["kind"] for flag in flags] == ["new_customer"] * len(joined), period.label()
        assert {flag["customer_id"] for flag in flags} == joined, period.label()
        joiners += len(joined)
    assert joiners >= 1   # the demo has a customer that joined during 2025


def test_the_runs_list_shows_each_run_s_count_and_net_without_reading_its_preview(billed):
    from importlib import import_module

    from django.apps import apps
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def issued_totals() -> dict:
        """Per run, its documents and net as the issued invoices hold them (not the preview)."""
        return {run.pk: (run.invoices.count(), sum((invoice.net_total for invoice in run.invoices.all()), Decimal(0)))
                for run in BillingRun.objects.filter(provider=billed)}

    expected = issued_totals()
    assert len(expected) == 3 and all(count == 3 and net > 0 for count, net in expected.values())
    assert {run.pk: (run.invoice_count, run.net_total) for run in BillingRun.objects.filter(provider=billed)} == expected
    with CaptureQueriesContext(connection) as queries, translation.override("sv"):
        page = _client("vasby-controller").get("/billing/").content.decode()
    assert all(sek(net) in page for _count, net in expected.values())
    # a national month's preview is megabytes: the list reads the summary stored with it
    run_queries = [query["sql"] for query in queries if "billing_billingrun" in query["sql"]]
    assert run_queries and not any('"preview"' in sql or '"built"' in sql for sql in run_queries)
    # runs made before the summary was stored get it from their preview when the database is migrated
    BillingRun.objects.filter(provider=billed).update(invoice_count=0, net_total=Decimal(0))
    import_module("servicecenter.apps.billing.migrations.0009_run_summary").summarise(apps, None)
    assert {run.pk: (run.invoice_count, run.net_total) for run in BillingRun.objects.filter(provider=billed)} == expected
