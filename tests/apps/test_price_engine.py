"""#13: one price engine. Recovery per service, the result per service area and the what-if
rate a year exactly as its invoices rate each month, for every price type."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from servicecenter.apps.billing import services as billing
from servicecenter.apps.billing.models import Invoice, InvoiceLine
from servicecenter.apps.costing import services as costing
from servicecenter.apps.costing.models import AllocationRun, PriceList, PriceListEntry
from servicecenter.apps.registry.models import Agreement, Provider, ServiceVersion
from servicecenter.core.periods import Period


def _invoiced(invoices) -> tuple[dict[str, Decimal], dict[str, Decimal], set[str]]:
    """Per service and per buyer, the sum of the lines of ``invoices``; and the line categories."""
    by_service, by_buyer = defaultdict(Decimal), defaultdict(Decimal)
    categories = set()
    for line in InvoiceLine.objects.filter(invoice__in=invoices).select_related("service", "invoice__customer"):
        by_service[line.service.code] += line.amount
        by_buyer[line.invoice.customer.number] += line.amount
        categories.add(line.category)
    return dict(by_service), dict(by_buyer), categories


def test_the_year_of_the_what_if_and_recovery_is_the_year_of_invoices_for_every_price_type(db):
    stockholm = Provider.objects.get(code="stockholm")
    price_list = PriceList.objects.get(provider=stockholm, year=2020, status="published")
    # the demo's list has unit prices, tiers, keyed pools, a reimbursement, a connection fee,
    # a discount and pass-through; add a base fee and packages so that every type is billed
    PriceListEntry.objects.filter(price_list=price_list, service__code="lokalplanering").update(base_fixed=Decimal("6000.00"), per_employee=Decimal("2.50"))
    PriceListEntry.objects.filter(price_list=price_list, service__code="rekrytering").update(unit_price=None, packages={"A": "24000", "B": "34000"})
    from servicecenter.apps.imports.base import run_import

    buyer = Agreement.objects.filter(customer__provider=stockholm, service__code="rekrytering", state="production").first()
    support = Agreement.objects.filter(customer__provider=stockholm, service__code="e-tjanstesupport", state="production").first()
    rows = ([("rekryt", f"r{m}-{i}", buyer.customer.number, "rekrytering", f"2020-{m:02d}-10T12:00", "1", "AB"[i % 2], "") for m in (2, 7) for i in range(3)]
            + [("konsult", f"k{m}", support.customer.number, "e-tjanstesupport", f"2020-{m:02d}-10T12:00", "1", "", "12500.00") for m in (3, 11)])
    head = "source,event_id,customer_number,service_code,occurred_at,quantity,package,cost\n"
    report = run_import("events", (head + "".join(",".join(row) + "\n" for row in rows)).encode(), "handelser.csv", provider=stockholm)
    assert report.ok, report.lines("en")

    # what the reports say before anything is invoiced
    revenue = costing.revenue_by_service(price_list)
    what_if = {row.customer: row.current for row in costing.compare_price_lists(price_list, price_list).rows}

    for month in range(1, 13):
        run = billing.start_run(stockholm, Period.month(2020, month), issue_date=date(2021, 1, 15), validate=False)
        billing.issue(billing.approve(run, acknowledge_flags=True))   # the events added above stand out, as they should
    invoices = Invoice.objects.filter(provider=stockholm, period_start__year=2020, document_type="380")
    by_service, by_buyer, categories = _invoiced(invoices)
    assert categories == {"usage", "fixed", "connection", "pass_through", "discount"}
    descriptions = set(InvoiceLine.objects.filter(invoice__in=invoices).values_list("description", flat=True))
    assert any("grundavgift" in text for text in descriptions) and any("paket" in text for text in descriptions)
    assert any("trappsteg" in text for text in descriptions) and any("fast ersättning" in text for text in descriptions)
    assert revenue == by_service                      # to the öre, per service
    assert what_if == by_buyer                        # to the öre, per customer
    assert sum(revenue.values()) == invoices.aggregate(total=Sum("net_total"))["total"]


def test_recovery_and_the_result_per_area_are_the_issued_year(ssc):
    run = AllocationRun.objects.get(model__provider=ssc, model__kind="actual")
    price_list = PriceList.objects.get(provider=ssc, year=run.model.year, status="published")
    # the year as issued, before corrections (a correction changes an invoice, not the usage)
    originals = Invoice.objects.filter(provider=ssc, period_start__year=run.model.year, document_type="380", corrects__isnull=True)
    by_service, _by_buyer, _categories = _invoiced(originals)
    rows = costing.recovery(run, price_list)
    assert {row.process: row.revenue for row in rows if row.revenue} == {code: amount for code, amount in by_service.items() if amount}
    areas = {v.service.code: v.process.area.name for v in ServiceVersion.objects.filter(service__provider=ssc, year__lte=run.model.year)
             .select_related("process__area").order_by("year")}
    by_area = defaultdict(Decimal)
    for code, amount in by_service.items():
        by_area[areas.get(code, code)] += amount
    assert {area: revenue for area, revenue, _cost in costing.result_per_area(run, price_list, rows) if revenue} == {a: v for a, v in by_area.items() if v}


def test_an_entrys_price_types_are_the_components_it_bills(client_for):
    stockholm = Provider.objects.get(code="stockholm")
    price_list = PriceList.objects.get(provider=stockholm, year=2020, status="published")
    entry = PriceListEntry.objects.get(price_list=price_list, service__code="kundfakturor")
    assert [t.value for t in entry.price_types] == ["per_unit", "connection"]
    assert [t.value for t in PriceListEntry.objects.get(price_list=price_list, service__code="upphandling").price_types] == ["per_unit", "reimbursement"]
    page = client_for("sthlm-controller").get(f"/costing/price-lists/{price_list.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "per unit, connection fee" in page and "volume tiers" in page
    api = client_for("sthlm-controller").get("/api/price-lists?year=2020").json()[0]
    assert {"service_code": "kundfakturor", "price_type": "per_unit,connection"}.items() <= next(
        e for e in api["entries"] if e["service_code"] == "kundfakturor").items()
