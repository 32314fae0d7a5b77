"""The demo's billing year: Statens servicecenter invoices every month of 2025 under the
published price list, in arrears (issued on the first working days of the next month), and
corrects one invoice with a credit note and a corrected invoice. Every document is validated
against the official Peppol rules when it is issued, as in production."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from servicecenter.apps.billing import services as billing
from servicecenter.apps.billing.models import Invoice
from servicecenter.apps.costing import pricing
from servicecenter.apps.costing.models import PriceList
from servicecenter.apps.registry.models import Agreement, Customer, CustomerYear, Provider
from servicecenter.core.periods import Period
from servicecenter.demo.files import import_rows

SELLER = {"street": "Box 800", "postal_code": "80130", "city": "Gävle", "bankgiro": "1234566", "invoice_email": "faktura@example.se"}


def _working_day(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def build_billing(ssc: Provider, progress: Callable[[str], None] = lambda text: None, months: int = 12) -> None:
    for field, value in SELLER.items():
        setattr(ssc, field, value)
    ssc.save()
    for month in range(1, months + 1):
        period = Period.month(2025, month)
        progress(f"billing {period.label()}: preview, approve, issue (each invoice validated against the Peppol rules)")
        run = billing.start_run(ssc, period, issue_date=_working_day(period.end + timedelta(days=2)), validate=False)
        unexpected = [flag for flag in run.flags if flag["kind"] != "new_customer"]
        if unexpected:
            raise RuntimeError(f"the demo's {period.label()} has plausibility flags it did not expect: {unexpected}")
        # an ordinary month, or one with a customer billed for the first time (joined that month):
        # the flag is acknowledged, as the controller who looked at it would
        billing.issue(billing.approve(run, acknowledge_flags=bool(run.flags)))
    # One correction: the payslips of a customer's March invoice were 12 too few.
    invoice = (Invoice.objects.filter(provider=ssc, period_start=date(2025, 3, 1), document_type=Invoice.Type.INVOICE, lines__service__code="lon")
               .order_by("number").first())
    if invoice is not None:
        line = invoice.lines.get(service__code="lon")
        billing.credit(invoice, lines={line.line_no}, corrected_quantities={line.line_no: line.quantity + Decimal(12)},
                       reason="Lönespecifikationer för mars rapporterades för lågt (12 st)", issue_date=date(2025, 4, 22))


# Stockholm's service administration, 2020 (seed 003). Prices the seed states: payroll 53.50 kr
# per employee and month, procurement 860 kr/h and a fixed reimbursement of 23 Mkr a year from
# the city, premises planning 900 kr/h, e-service support 100 kr per case, training 1,000 kr per
# participant, recruitment packages 24,000 and 34,000 kr; cash and bank is the fixed cost keyed
# out of Ekonomi (21.3 Mkr, §6), Stockholm Direkt the contact centre's (illustrative, as are the
# other unit prices). The volumes are drawn to bill the seed's revenue (demo/stockholm.py).
STOCKHOLM_PRICES = {
    "lon-bas": {"unit_price": "53.50"},
    "lon-tillagg": {"unit_price": "650.00"},
    "upphandling": {"unit_price": "860.00"},
    "lokalplanering": {"unit_price": "900.00"},
    "e-tjanstesupport": {"unit_price": "100.00", "markup": "0"},
    "inkopsutbildning": {"unit_price": "1000.00"},
    "rekrytering": {"unit_price": "24000.00"},
    "chefsrekrytering": {"unit_price": "34000.00"},
    "kassa-bank": {"fixed_pool": "21300000.00"},
    "kc-direkt": {"fixed_pool": "38000000.00"},
    "tillaggshantering": {"unit_price": "550.00"},
    "avtalsdatabas": {"unit_price": "150.00"},
    "kc-tillagg": {"unit_price": "95.00"},
    "lev-fakturor": {"tiers": [[0, "38"], [2000, "31"], [10000, "26"]]},
    "kundfakturor": {"unit_price": "22.00", "connection_fee": "60000.00"},
    "ekonomi-tillagg": {"unit_price": "860.00", "discount_share": "0.10"},
}


def stockholm_price_list(provider: Provider) -> PriceList:
    """A published 2020 price list for Stockholm's service administration, VAT 25 % on every
    service (charged to the city's companies; the city's own administrations pay none), and the
    seller details an invoice needs. December 2020 is left for the visitor to bill."""
    provider.street, provider.postal_code, provider.city, provider.bankgiro = "Box 8000", "10420", "Stockholm", "5050-1055"
    provider.vat_number = f"SE{provider.org_number.replace('-', '')}01"
    provider.save()
    # the list as the city's controller writes it (the price import's columns), then published
    city_office = Customer.objects.filter(provider=provider, sector="municipal").order_by("name").first()
    rows = []
    for service in provider.services.all():
        values = dict(STOCKHOLM_PRICES.get(service.code, {"unit_price": "95.00"}))
        if "tiers" in values:
            values["tiers"] = " | ".join(f"{low}: {price}" for low, price in values["tiers"])
        if "discount_share" in values:
            values["discount"] = Decimal(values.pop("discount_share")) * 100   # the file gives percent
        if service.code == "upphandling":   # the city's fixed reimbursement besides the hourly price
            values.update(fixed_pool="23000000.00", payer=city_office.number)
        rows.append({"year": 2020, "price_list": "Prislista 2020", "service_code": service.code, "vat_category": "S", "vat_rate": 25, **values})
    import_rows("prices", rows, "prislista-2020.csv", provider)
    price_list = pricing.publish(PriceList.objects.get(provider=provider, year=2020, name="Prislista 2020"))
    first_three = Agreement.objects.filter(customer__provider=provider, service__code="ekonomi-tillagg").order_by("pk").values_list("pk", flat=True)[:3]
    Agreement.objects.filter(pk__in=list(first_three)).update(discount_eligible=True)
    for index, customer in enumerate(Customer.objects.filter(provider=provider).order_by("name")):
        CustomerYear.objects.get_or_create(customer=customer, year=2020, defaults={"employees": 120 + 97 * index})
    return price_list
