"""The demo reproduces the seeds' published figures (seed 000 Tabell 8–10, seed 001, seed 004)."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from servicecenter.apps.accounts.access import Scope
from servicecenter.apps.metering.models import Volume
from servicecenter.apps.registry.models import Agreement, Customer, Provider, ServiceVersion
from servicecenter.apps.registry.services import overview


@pytest.fixture
def ssc_overview(db):
    def view(year):
        admin = get_user_model().objects.get(username="admin")
        with translation.override("sv"):  # area names as in the annual report
            return overview(Scope.for_user(admin), year, {Provider.objects.get(code="ssc").pk})
    return view


def test_customers_and_employees_per_service_match_tabell_9_and_10(ssc_overview):
    published = {
        2023: ({"Lön": 143, "E-handel": 125}, 167, {"Lön": 111_507, "E-handel": 47_831}, 117_793),
        2024: ({"Lön": 145, "E-handel": 126}, 170, {"Lön": 110_873, "E-handel": 48_439}, 117_761),
        2025: ({"Lön": 146, "E-handel": 126}, 171, {"Lön": 111_582, "E-handel": 48_439}, 118_470),
    }
    for year, (customers, total, employees, employees_total) in published.items():
        view = ssc_overview(year)
        by_area = {row.name: row for row in view.by_area}
        assert view.customers == total
        assert view.employees == employees_total
        for area, count in customers.items():
            assert by_area[area].customers == count
            assert by_area[area].employees == employees[area]
    assert {row.name: row.customers for row in ssc_overview(2025).by_area}["Redovisning"] == 81


def test_packages_match_the_annual_report(ssc_overview):
    packages = {label: count for label, count, _ in ssc_overview(2025).packages}
    assert packages == {"Lön": 45, "E-handel + Lön": 23, "E-handel + Lön + Redovisning": 78, "E-handel": 22, "E-handel + Redovisning": 3}


def test_size_classes_match_tabell_8_to_the_printed_decimal(ssc_overview):
    view = ssc_overview(2025)
    rows = {size: (count, employees) for size, count, employees in view.size_classes}
    printed = {">2000": (13, 63.4), "501-2000": (32, 21.8), "151-500": (49, 10.8), "<150": (77, 4.1)}
    for size, (count, share) in printed.items():
        assert rows[size][0] == count
        assert round(100 * rows[size][1] / view.employees, 1) == share


def test_connection_rate_2012_matches_seed_001(ssc_overview):
    view = ssc_overview(2012)
    assert view.customers == 100
    payroll = {row.name: row for row in view.by_area}["Lön"]
    assert round(100 * payroll.share_of_state, 1) == 15.0
    assert round(100 * view.share_of_state, 1) == 15.2


def test_payslips_2025_add_up_to_the_annual_report(db):
    from django.db.models import Sum

    total = Volume.objects.filter(service__provider__code="ssc", service__code="lon", month__year=2025).aggregate(total=Sum("quantity"))["total"]
    assert total == 1_486_533


def test_it_operations_catalogue_of_table_b1(db):
    fk = Provider.objects.get(code="fk")
    assert set(Provider.objects.filter(coordinator=fk).values_list("code", flat=True)) == {"skv", "trv"}
    codes = set(ServiceVersion.objects.filter(service__provider__kind="it_supplier", year=2025).values_list("service__code", flat=True))
    assert len(codes) == 12


def test_every_demo_provider_is_marked_illustrative_and_numbers_are_valid(db):
    assert not Provider.objects.filter(is_demo=False).exists()
    from servicecenter.core.registry import check_orgnr

    assert all(check_orgnr(number) == [] for number in Customer.objects.values_list("org_number", flat=True))
    # the demo's latest agreements are the IT operations' of the first half of 2026 (their 2026 indicators)
    assert Agreement.objects.filter(state="production", production_date__gt=date(2026, 6, 30)).count() == 0
    assert not Agreement.objects.filter(state="production", production_date__gt=date(2025, 12, 31)).exclude(customer__provider__kind="it_supplier").exists()


def test_stockholm_2020_bills_the_seeds_revenue_area_by_area(db):
    """#17 (seed 003): Stockholm's year, rated month by month by the billing engine under its 2020
    price list, comes to the published 262.0 Mkr; Ekonomi to 79.3 = 50.4 unit and hourly base
    services + 21.3 fixed costs keyed out + 7.6 add-ons; and December is an ordinary month."""
    from collections import defaultdict
    from decimal import Decimal

    from servicecenter.apps.billing import services as billing
    from servicecenter.core.billing.rating import ChargeCategory
    from servicecenter.core.followup import in_millions
    from servicecenter.core.periods import Period

    stockholm = Provider.objects.get(code="stockholm")
    price_list = billing.price_list_for(stockholm, 2020)
    versions = {v.service.code: v for v in ServiceVersion.objects.filter(service__provider=stockholm, year=2020).select_related("service", "process__area")}
    total, months, ekonomi = Decimal(0), {}, defaultdict(Decimal)
    peak = Decimal(0)
    for month in range(1, 13):
        drafts, _usage = billing.rate(stockholm, Period.month(2020, month), price_list)
        months[month] = sum((draft.net for draft in drafts), Decimal(0))
        total += months[month]
        for draft in drafts:
            for line in draft.lines:
                version = versions[line.service]
                if version.process.area.code == "ekonomi":
                    kind = "add-on" if version.tier == "add_on" else ("keyed" if line.category is ChargeCategory.FIXED else "unit")
                    ekonomi[kind] += line.amount
                if line.service in ("rekrytering", "chefsrekrytering"):
                    peak = max(peak, line.quantity)
    assert in_millions(total) == Decimal("262.0")
    assert in_millions(sum(ekonomi.values(), Decimal(0))) == Decimal("79.3")
    assert {kind: in_millions(amount) for kind, amount in ekonomi.items()} == {"unit": Decimal("50.4"), "keyed": Decimal("21.3"), "add-on": Decimal("7.6")}
    average = total / 12
    assert Decimal("0.9") * average < months[12] < Decimal("1.15") * average    # December 2020, left to bill, is an ordinary month
    assert peak <= 25    # no administration recruits a thousand managers in a month
