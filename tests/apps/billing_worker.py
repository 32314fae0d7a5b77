"""A separate process for the billing tests that need real commits, real concurrency or a real
crash: run with DJANGO_SETTINGS_MODULE=servicecenter.web.settings.dev and SERVICECENTER_DB (a
SQLite file) or DATABASE_URL (a PostgreSQL database) of its own.

    python billing_worker.py setup               migrate, then a small provider with a published price list
    python billing_worker.py start MONTH AT      wait until the epoch time AT, then start a run for MONTH
    python billing_worker.py approve MONTH       approve the month's run
    python billing_worker.py issue MONTH AT      wait until AT, then issue the month's approved run
    python billing_worker.py crash MONTH N       issue the approved run and die (SIGKILL) after N invoices are written
    python billing_worker.py state MONTH         print invoices, lines, next number and the run's state as JSON
    python billing_worker.py user NAME PASSWORD  a controller of the provider who may sign in
    python billing_worker.py jobs                the background jobs and usage events, as JSON

Each command prints one JSON line.
"""

import json
import os
import signal
import sys
import time
from datetime import date
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicecenter.web.settings.dev")
django.setup()

from django.core.management import call_command  # noqa: E402

from servicecenter.apps.billing import services as billing  # noqa: E402
from servicecenter.apps.billing.models import BillingRun, Invoice, InvoiceLine, NumberSeries  # noqa: E402
from servicecenter.apps.costing.models import PriceList, PriceListEntry  # noqa: E402
from servicecenter.apps.metering.models import Volume  # noqa: E402
from servicecenter.apps.registry.models import (  # noqa: E402
    Agreement,
    Customer,
    Process,
    Provider,
    Service,
    ServiceArea,
    ServiceVersion,
)
from servicecenter.core.periods import Period  # noqa: E402
from servicecenter.core.registry import make_orgnr  # noqa: E402


def setup():
    call_command("migrate", verbosity=0)
    provider = Provider.objects.create(code="test", name="Testcentret", org_number=make_orgnr("202100999"), kind=Provider.Kind.STATE_SERVICE_CENTRE,
                                       street="Box 1", postal_code="11111", city="Gävle", bankgiro="1234566")
    area = ServiceArea.objects.create(provider=provider, code="a", name_sv="Område")
    process = Process.objects.create(area=area, code="p", name_sv="Process")
    price_list = PriceList.objects.create(provider=provider, year=2025, name="Prislista", status=PriceList.Status.PUBLISHED)
    services = []
    for code, price in (("lon", "41.50"), ("ehandel", "12.75")):
        service = Service.objects.create(provider=provider, code=code)
        ServiceVersion.objects.create(service=service, year=2025, process=process, tier="base", unit="payslip", name_sv=code.capitalize())
        PriceListEntry.objects.create(price_list=price_list, service=service, unit_price=Decimal(price), vat_category="O", vat_rate=0)
        services.append(service)
    for index in range(40):
        customer = Customer.objects.create(provider=provider, org_number=make_orgnr(f"2021{index + 10000:05d}"), name=f"Myndighet {index}", sector="state")
        for service in services:
            Agreement.objects.create(customer=customer, service=service, state="production", production_date=date(2020, 1, 1), buyer_reference=f"REF-{index}")
            for month in (1, 2, 3):
                Volume.objects.create(provider=provider, customer=customer, service=service, month=date(2025, month, 1), quantity=Decimal(100 + index))
    return {"ok": True}


def _provider():
    return Provider.objects.get(code="test")


def _wait(at: str):
    delay = float(at) - time.time()
    if delay > 0:
        time.sleep(delay)


def start(month, at):
    _wait(at)
    try:
        run = billing.start_run(_provider(), Period.parse_month(month), issue_date=date(2025, 4, 1), validate=False)
    except billing.BillingError as error:
        return {"ok": False, "message": str(error)}
    return {"ok": True, "run": run.pk}


def _run(month):
    return BillingRun.objects.exclude(state=BillingRun.State.DISCARDED).get(provider=_provider(), period=Period.parse_month(month).start)


def approve(month):
    billing.approve(_run(month))
    return {"ok": True}


def issue(month, at):
    _wait(at)
    try:
        invoices = billing.issue(_run(month))
    except billing.BillingError as error:
        return {"ok": False, "message": str(error)}
    return {"ok": True, "invoices": len(invoices)}


def crash(month, after):
    """Issue the month and die (SIGKILL) inside its transaction once its invoices and their lines
    are written (at least ``after`` invoices), before they are sealed and the run is marked."""
    original = billing.integrity.seal_all   # called once, after the run's invoices and lines are written

    def die_before_sealing(invoices):
        written = Invoice.objects.filter(pk__in=[invoice.pk for invoice in invoices])
        if written.count() >= int(after) and InvoiceLine.objects.filter(invoice__in=written).exists():
            os.kill(os.getpid(), signal.SIGKILL)   # no cleanup, no rollback by Python: as a power cut
        return original(invoices)

    billing.integrity.seal_all = die_before_sealing
    billing.issue(_run(month))
    return {"ok": True, "survived": True}


def state(month):
    series = NumberSeries.objects.filter(provider=_provider(), code="F").first()
    run = BillingRun.objects.filter(provider=_provider(), period=Period.parse_month(month).start).exclude(state=BillingRun.State.DISCARDED).first()
    return {"invoices": Invoice.objects.filter(provider=_provider()).count(), "lines": InvoiceLine.objects.filter(invoice__provider=_provider()).count(),
            "next_number": series.next_number if series else 1, "state": run.state if run else None,
            "runs": BillingRun.objects.filter(provider=_provider(), period=Period.parse_month(month).start).count(),
            "numbers": sorted(Invoice.objects.filter(provider=_provider(), series="F").values_list("number", flat=True))}


def user(name, password):
    from django.contrib.auth import get_user_model

    from servicecenter.apps.accounts.models import Profile, Role

    person = get_user_model().objects.create_user(name, password=password)
    Profile.objects.create(user=person, role=Role.CONTROLLER, provider=_provider())
    return {"ok": True}


def jobs():
    from django.db.models import Sum

    from servicecenter.apps.billing.models import UsageTotal
    from servicecenter.apps.imports.models import ImportRun
    from servicecenter.apps.jobs.models import Job

    run = BillingRun.objects.filter(provider=_provider(), state__in=["approved", "issued"]).first()
    return {"jobs": [{"id": str(j.pk), "kind": j.kind, "state": j.state, "attempts": j.attempts, "error": j.error, "worker": j.worker}
                     for j in Job.objects.order_by("created_at")],
            "events": UsageTotal.objects.filter(provider=_provider()).aggregate(n=Sum("events"))["n"] or 0,
            "imports": list(ImportRun.objects.filter(kind="events").values_list("status", flat=True)),
            "run": run.pk if run else None, "preview_hash": run.preview_hash if run else None}


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    result = {"setup": setup, "start": start, "approve": approve, "issue": issue, "crash": crash, "state": state, "user": user,
              "jobs": jobs}[command](*arguments)
    print(json.dumps(result), flush=True)
