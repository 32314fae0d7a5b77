"""#17: each role lands on what it needs first (tests on the demo organisation)."""

from servicecenter.apps.billing.models import BillingRun, Invoice
from servicecenter.apps.network.models import Scenario
from servicecenter.apps.registry.models import Customer


def test_a_controller_lands_on_this_months_billing(client_for):
    page = client_for("controller").get("/").content.decode()
    last = BillingRun.objects.filter(provider__code="ssc", state="issued").order_by("-period").first()
    assert "Denna månad" in page and f"{last.period:%Y-%m}" in page
    assert f"/billing/runs/{last.pk}/" in page
    count = Invoice.objects.filter(run=last).count()
    assert f"{count} fakturor" in page


def test_an_open_run_is_named_with_its_next_step(client_for, db):
    from django.contrib.auth import get_user_model

    from servicecenter.apps.billing import services as billing
    from servicecenter.apps.registry.models import Provider
    from servicecenter.core.periods import Period

    stockholm = Provider.objects.get(code="stockholm")
    run = billing.start_run(stockholm, Period.month(2020, 12), get_user_model().objects.get(username="sthlm-controller"), validate=False)
    page = client_for("sthlm-controller").get("/").content.decode()
    assert f"/billing/runs/{run.pk}/" in page and "väntar på godkännande" in page


def test_a_customer_contact_lands_on_its_own_invoices_and_costs(client_for):
    client = client_for("kundkontakt")
    page = client.get("/").content.decode()
    own = Customer.objects.get(name="Kronofogdemyndigheten", provider__code="ssc")
    latest = Invoice.objects.filter(customer=own).order_by("-issue_date", "-number").first()
    assert "Era fakturor" in page and latest.number_text in page
    other = Invoice.objects.filter(provider__code="ssc").exclude(customer=own).order_by("-issue_date").first()
    assert other.number_text not in page
    assert "Er kostnad per tjänst" in page and 'class="chart"' in page


def test_the_it_coordinator_lands_on_the_indicators(client_for):
    page = client_for("it-samordnare").get("/").content.decode()
    assert "Indikatorerna för samordnad it-drift" in page and "Tillgänglighet under avtalad öppettid" in page


def test_a_planner_lands_on_the_network_and_its_scenarios(client_for):
    page = client_for("planerare").get("/").content.decode()
    scenario = Scenario.objects.filter(provider__code="ssc").first()
    assert "Kontorsnätet" in page and f"/network/scenarios/{scenario.pk}/" in page
    assert "Denna månad" not in page   # a planner does not bill


def test_the_audit_log_reads_as_words(client_for, ssc):
    """#17: actions, keys, enum values and the cost model's internal names in words, not codes."""
    from servicecenter.apps.accounts.audit import record
    from servicecenter.apps.costing.models import CostPool

    pool = CostPool.objects.filter(provider=ssc).first()
    record("costing.model.source_set", provider=ssc, data={"step": "Steg 1", "source": pool.object_name, "family": "it_operations"})
    record("imports.ledger.rejected", provider=ssc, data={"counts": {"unchanged": 3}})
    import re

    page = re.sub(r"<[^>]+>", " ", client_for("controller").get("/audit/").content.decode())   # what a person reads (no attributes)
    assert "Kostnadsmodell fick en källa" in page and pool.name in page and pool.object_name not in page
    assert "it_operations" not in page and "Samordnad it-drift" in page
    assert "imports.ledger.rejected" not in page and "avvisad" in page and "oförändrade 3" in page


def test_a_report_download_is_named_in_the_audit_log(client_for, ssc):
    import re

    from servicecenter.apps.accounts.audit import record

    record("followup.report.downloaded", provider=ssc, data={"report": "fee_financed", "year": 2025, "format": "pdf"})
    page = re.sub(r"<[^>]+>", " ", client_for("controller").get("/audit/").content.decode())
    assert "fee_financed" not in page and "Avgiftsbelagd verksamhet och anslag" in page
