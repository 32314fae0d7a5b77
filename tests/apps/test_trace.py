"""#17: "why does this customer pay this" — the trace from an invoice line to the ledger, checked
against what it is made of: the volumes the key was built from, the run's own balances and the
invoice lines, never against the numbers the trace prints."""

from datetime import date
from decimal import Decimal

from django.db.models import Sum

from servicecenter.apps.billing.models import InvoiceLine
from servicecenter.apps.costing import services as costing
from servicecenter.apps.costing.models import AllocationRun, CostModel
from servicecenter.apps.metering.models import Volume

ORE = Decimal("0.01")


def actual_run(provider):
    return AllocationRun.objects.filter(model__provider=provider, model__kind="actual").order_by("-at").first()


def test_each_charge_is_explained_by_its_key_its_pools_and_the_ledger(ssc, contact_customer):
    run = actual_run(ssc)
    rows = costing.charge_trace(run, contact_customer)
    assert rows
    for row in rows:
        # the charge is the run's own balance of this customer and service
        assert row["amount"] == Decimal(run.balances[f"charge:{contact_customer.number}|{row['service']}"])
        charge = row["charge"]
        assert charge is not None and charge["share"] == charge["quantity"] / charge["total"]
        assert abs(charge["amount"] - charge["share"] * charge["source_cost"]) <= ORE
        if "volym" in charge["key"].lower() or charge["key"].startswith("Volym"):
            used = Volume.objects.filter(customer=contact_customer, service__code=row["service"], month__year=run.model.year).aggregate(q=Sum("quantity"))["q"]
            assert charge["quantity"] == used
        # the pools add up to the charge, and each pool's ledger rows to the pool's part
        assert sum((origin["amount"] for origin in row["origins"]), Decimal(0)) == row["amount"]
        for origin in row["origins"]:
            parts = [part for _account, _centre, _value, part in origin["ledger"]]
            if parts:
                assert abs(sum(parts, Decimal(0)) - origin["amount"]) <= ORE * len(parts)


def test_the_trace_meets_the_invoice_lines_of_the_chosen_month(ssc, contact_customer):
    run = actual_run(ssc)
    december = [row for row in costing.charge_trace(run, contact_customer, date(run.model.year, 12, 1), date(run.model.year, 12, 31))]
    lines = InvoiceLine.objects.filter(invoice__customer=contact_customer, period_start__year=run.model.year, period_start__month=12,
                                       invoice__document_type="380")
    for row in december:
        expected = lines.filter(service__code=row["service"]).aggregate(a=Sum("amount"), q=Sum("quantity"))
        if expected["a"] is not None:
            assert row["invoiced_amount"] >= expected["a"] - sum((line.amount for line in row["invoiced"] if line.invoice.is_credit), Decimal(0)) - ORE
            assert row["unit_price"] is not None


def test_the_page_defaults_to_the_actual_version_even_when_a_what_if_ran_later(client_for, ssc, contact_customer):
    actual = CostModel.objects.get(provider=ssc, kind="actual")
    what_if = costing.copy_model(actual, "Prov: annan fördelning")
    later = costing.run_cost_model(what_if)
    page = client_for("controller").get(f"/costing/trace/{contact_customer.pk}/").content.decode()
    assert f'<option value="{actual_run(ssc).pk}" selected>' in page and f'<option value="{later.pk}">' in page
    chosen = client_for("controller").get(f"/costing/trace/{contact_customer.pk}/?run={later.pk}").content.decode()
    assert f'<option value="{later.pk}" selected>' in chosen


def test_a_customer_contact_sees_its_own_trace_and_no_other_customer(client_for, contact_customer, other_customer):
    client = client_for("kundkontakt")
    page = client.get(f"/costing/trace/{contact_customer.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert contact_customer.name in text and other_customer.name not in text
    assert client.get(f"/costing/trace/{other_customer.pk}/").status_code == 404
    answer = client.get(f"/api/costing/trace/{contact_customer.pk}").json()
    assert answer["services"] and all(service["charge"]["quantity"] <= service["charge"]["total"] for service in answer["services"])
    assert all(origin["ledger"] == [] for service in answer["services"] for origin in service["origins"])   # the provider's ledger is staff's


def test_the_api_answers_the_same_trace_as_the_page(client_for, ssc, contact_customer):
    answer = client_for("controller").get(f"/api/costing/trace/{contact_customer.pk}?period={actual_run(ssc).model.year}-03").json()
    rows = costing.charge_trace(actual_run(ssc), contact_customer, date(actual_run(ssc).model.year, 3, 1), date(actual_run(ssc).model.year, 3, 31))
    assert answer["period"].endswith("-03") and len(answer["services"]) == len(rows)
    for service, row in zip(answer["services"], rows, strict=True):
        assert Decimal(str(service["amount"])) == row["amount"] and Decimal(str(service["invoiced_amount"])) == row["invoiced_amount"]
        assert service["origins"][0]["ledger"], service["origins"][0]


def test_the_usage_behind_an_invoice_line_is_a_link_to_those_volumes(client_for, contact_customer):
    import re

    from servicecenter.apps.billing.models import Invoice

    invoice = Invoice.objects.filter(customer=contact_customer, document_type="380").order_by("-issue_date").first()
    client = client_for("kundkontakt")
    page = client.get(f"/billing/invoices/{invoice.pk}/").content.decode()
    links = re.findall(r'href="(/volumes/\?month=[^"]+)"', page)
    assert links
    shown = client.get(links[0].replace("&amp;", "&")).content.decode()
    volume = Volume.objects.filter(customer=contact_customer, month=invoice.period_start).order_by("service__code").first()
    assert contact_customer.name in shown and re.search(r"\b1 rad\b", shown)   # the one volume row the line was billed from
    assert f"{volume.month:%Y-%m}" in shown


def test_bad_choices_on_the_trace_fall_back_or_are_refused_and_change_nothing(client_for, ssc, contact_customer):
    from servicecenter.apps.costing.models import AllocationRun as Runs

    before = Runs.objects.count()
    client = client_for("controller")
    for query in ("run=abc", "run=99999999", "period=2025-99", "period=x' OR 1=1", "run=-1&period=1900-01"):
        page = client.get(f"/costing/trace/{contact_customer.pk}/?{query}")
        assert page.status_code == 200, query   # an unknown version or month: the default one is shown
        assert f'<option value="{actual_run(ssc).pk}" selected>' in page.content.decode()
    assert client.get(f"/api/costing/trace/{contact_customer.pk}?run=abc").status_code == 422   # named by the API's validation
    assert client.get("/billing/usage/?month=13-2025&service=abc").status_code == 200
    assert Runs.objects.count() == before
