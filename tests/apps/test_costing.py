"""Costing on the demo: the seed's totals from the ledger through the model, SIE and CSV ledger
imports (and their bad input), runs, trace, price lists and the what-if export."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.db.models import Sum
from openpyxl import load_workbook

from servicecenter.apps.costing import services as costing
from servicecenter.apps.costing.models import AllocationRun, CostModel, LedgerCell, PriceList
from servicecenter.apps.imports.base import run_import
from servicecenter.apps.registry.models import Customer
from servicecenter.core.followup import in_millions
from servicecenter.formats.sie import Ledger, Transaction, Voucher, write_sie
from tests.apps.conftest import fetch

MNKR = Decimal(1_000_000)


def snapshot():
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in ("costing", "registry", "metering")}


def test_ledger_matches_tabell_3_per_cost_kind(ssc):
    cells = LedgerCell.objects.filter(provider=ssc, year=2025)
    by_class = lambda prefixes: sum((c.amount for c in cells if c.account.startswith(prefixes)), Decimal(0))  # noqa: E731
    assert in_millions(by_class(("40", "45"))) == Decimal("1020.5")       # personnel
    assert in_millions(by_class(("50",))) == Decimal("215.1")             # premises
    assert in_millions(by_class(("54", "55", "56"))) == Decimal("292.2")  # other operating
    assert in_millions(by_class(("84",))) == Decimal("5.1")               # financial
    assert in_millions(by_class(("78",))) == Decimal("67.0")              # depreciation
    # Tabell 3 prints 1,600.0 though its printed rows sum to 1,599.9: the exact amounts behind
    # the rows (DOMAIN §7 gives personnel, premises and other operating to the tkr) sum to 1,600.0.
    assert in_millions(cells.filter(account__regex=r"^[4-8]").aggregate(total=Sum("amount"))["total"]) == Decimal("1600.0")


def test_allocation_ends_at_tabell_4_and_5(ssc):
    run = AllocationRun.objects.get(model__provider=ssc, model__kind="actual")
    assert all(step["balanced"] for step in run.reports)
    office = Decimal(run.balances["pool:lss-kontor"]) + Decimal(run.balances["pool:lss-stab"])
    charged = sum((Decimal(v) for k, v in run.balances.items() if k.startswith("charge:")), Decimal(0))
    assert in_millions(office) == Decimal("1002.3")
    assert in_millions(charged) == Decimal("597.6")
    current = PriceList.objects.get(provider=ssc, status="published")
    revenue = sum((row.revenue for row in costing.recovery(run, current)), Decimal(0))
    assert abs(revenue - Decimal("617.4") * MNKR) < Decimal("0.05") * MNKR  # Tabell 4 fee revenue, to its printed precision


def test_run_replays_identically_and_traces_to_the_ledger(ssc, contact_customer):
    run = AllocationRun.objects.get(model__provider=ssc, model__kind="actual")
    replayed = costing.replay(run)
    assert {k: str(v) for k, v in replayed.balances.items() if v != 0} == run.balances
    rows = costing.customer_trace(run, contact_customer)
    assert rows
    for row in rows:
        assert sum((amount for _origin, amount, _ledger in row["origins"]), Decimal(0)) == row["amount"]
        assert all(ledger for origin, _amount, ledger in row["origins"])


def test_trace_page_and_run_button(client_for, contact_customer):
    client = client_for("controller")
    text = client.get(f"/costing/trace/{contact_customer.pk}/").content.decode()
    assert "Lön, produktion" in text and "4011" in text
    model = CostModel.objects.get(provider__code="ssc", kind="actual")
    runs = AllocationRun.objects.count()
    response = client.post(f"/costing/models/{model.pk}/")
    assert response.status_code == 302 and AllocationRun.objects.count() == runs + 1
    assert client_for("lasare").post(f"/costing/models/{model.pk}/").status_code == 403


def test_what_if_page_and_excel(client_for):
    client = client_for("controller")
    current = PriceList.objects.get(provider__code="ssc", status="published")
    alternative = PriceList.objects.get(provider__code="ssc", name__startswith="Mer")
    url = f"/costing/what-if/?current={current.pk}&alternative={alternative.pk}"
    assert "Kronofogdemyndigheten" in client.get(url).content.decode()
    book = load_workbook(io.BytesIO(fetch(client, url + "&format=xlsx").content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "Kund" and book.properties.description.startswith("Illustrativa demodata")   # headers in row 1 (#17)
    assert len(rows) == 1 + Customer.objects.filter(provider__code="ssc", volumes__isnull=False).distinct().count()


def test_identical_price_lists_show_no_difference(ssc):
    current = PriceList.objects.get(provider=ssc, status="published")
    comparison = costing.compare_price_lists(current, current)
    assert all(row.difference == 0 for row in comparison.rows)


def sie_file(extra_voucher: str = "") -> bytes:
    ledger = Ledger(source="t", company="Test", year_start=date(2026, 1, 1), year_end=date(2026, 12, 31))
    ledger.accounts = {"4011": "Löner", "1930": "Bank"}
    ledger.dimensions = {"1": "Kostnadsställe"}
    ledger.objects = {("1", "110"): "Lön, produktion"}
    ledger.vouchers.append(Voucher("A", "1", date(2026, 1, 25), "Lön", 0))
    ledger.transactions += [Transaction(0, 0, "4011", (("1", "110"),), Decimal("1000.00"), None, ""),
                            Transaction(0, 0, "1930", (), Decimal("-1000.00"), None, "")]
    return write_sie(ledger, date(2026, 2, 1)) + extra_voucher.encode("cp437")


def test_sie_ledger_import_and_reimport_replaces_the_year(ssc):
    report = run_import("ledger", sie_file(), "bok2026.se", provider=ssc)
    assert report.ok and report.counts == {"cells": 2, "years": 1}, report.lines()
    assert LedgerCell.objects.filter(provider=ssc, year=2026, account="4011").get().amount == Decimal("1000.00")
    run_import("ledger", sie_file(), "bok2026.se", provider=ssc)
    assert LedgerCell.objects.filter(provider=ssc, year=2026).count() == 2


@pytest.mark.parametrize("broken,code,row", [
    ('#VER A 2 20260131 "Obalans"\r\n{\r\n   #TRANS 4011 {1 "110"} 500.00\r\n}\r\n', "sie.unbalanced", None),
    ('#VER A 2 20260131 "Trasig lista"\r\n{\r\n   #TRANS 4011 {1 "110" 500.00\r\n   #TRANS 1930 {} -500.00\r\n}\r\n', "sie.brace", None),
    ('#VER A 2 20260131 "Trasig\r\n', "sie.quote", None),
])
def test_bad_sie_files_write_nothing(ssc, broken, code, row):
    before = snapshot()
    report = run_import("ledger", sie_file(broken), "trasig.se", provider=ssc)
    assert report.status == "rejected" and code in [p.code for p in report.errors]
    assert all(p.row is not None and p.source == "trasig.se" for p in report.errors)
    assert snapshot() == before


def test_an_undeclared_account_is_imported_with_a_warning(ssc):
    """A 4I file names accounts the ledger already knows without #KONTO: the row is kept, and the
    report says so once."""
    report = run_import("ledger", sie_file('#VER A 2 20260131 "Okänt konto"\r\n{\r\n   #TRANS 4999 {} 500.00\r\n   #TRANS 1930 {} -500.00\r\n}\r\n'),
                        "4i.se", provider=ssc, replace=True)
    assert report.status == "applied" and [p.code for p in report.warnings if p.code.startswith("sie.")] == ["sie.unknown_account"]
    assert LedgerCell.objects.filter(provider=ssc, year=2026, account="4999").get().amount == Decimal("500.00")


def test_utf8_sie_file_is_refused(ssc):
    before = snapshot()
    report = run_import("ledger", sie_file().decode("cp437").encode("utf-8"), "utf8.se", provider=ssc)
    assert [(p.code, p.row) for p in report.errors] == [("sie.encoding", 11)]  # #KONTO 4011 "Löner" (after #FLAGGA and #KSUMMA)
    assert snapshot() == before


def test_csv_ledger_and_its_bad_rows(ssc):
    good = "konto;kostnadsställe;månad;belopp\n4011;110;2027-01;1 000,50\n5011;040;2027-01;-20\n"
    report = run_import("ledger", good.encode(), "huvudbok.csv", provider=ssc)
    assert report.ok and report.counts["cells"] == 2, report.lines()
    before = snapshot()
    bad = "konto;kostnadsställe;månad;belopp\n4011;110;2027-13;10\n4011;110;2027-02;tio\n4011;110;2027-02;1\n4011;110;2027-02;2\n"
    report = run_import("ledger", bad.encode(), "huvudbok.csv", provider=ssc)
    assert {(p.code, p.row) for p in report.errors} >= {("value.month", 2), ("value.decimal", 3)}
    assert snapshot() == before


def test_zero_key_is_reported_and_nothing_is_written(ssc, client_for):
    from servicecenter.apps.costing.models import KeyValue

    KeyValue.objects.filter(key__code="arenden").update(weight=0)
    model = CostModel.objects.get(provider=ssc, kind="actual")
    runs = AllocationRun.objects.count()
    response = client_for("controller").post(f"/costing/models/{model.pk}/", follow=True)
    assert "summerar till noll" in response.content.decode()
    assert AllocationRun.objects.count() == runs


def test_versions_side_by_side_and_a_new_what_if_version(client_for, ssc):
    client = client_for("controller")
    actual, alternative = CostModel.objects.filter(provider=ssc).order_by("pk")[:2]
    text = client.get(f"/costing/compare/?a={actual.pk}&b={alternative.pk}").content.decode()
    assert "Lönetjänsten" in text and "Servicekontor" in text
    a, b = (AllocationRun.objects.filter(model=m).first() for m in (actual, alternative))
    assert a.total == b.total  # a different key moves cost, never creates or loses it
    response = client.post(f"/costing/models/{actual.pk}/copy/")
    copy = CostModel.objects.filter(provider=ssc).order_by("-pk").first()
    assert response.status_code == 302 and copy.based_on == actual and copy.steps.count() == actual.steps.count()


def test_behaviour_report_recovers_the_pool_and_names_deviation_costs(client_for, ssc):
    run = AllocationRun.objects.get(model__provider=ssc, model__kind="actual")
    from servicecenter.apps.costing.models import AllocationKey
    from servicecenter.apps.registry.models import Service

    rows = costing.behaviour_report(run, Service.objects.get(provider=ssc, code="lon"), AllocationKey.objects.get(provider=ssc, code="avvikelse-lon"), Decimal(1))
    assert sum((r.charge for r in rows), Decimal(0)) == costing.service_costs(run)["lon"]
    assert sum((r.deviation_cost for r in rows), Decimal(0)) == 0
    assert rows[0].deviation_cost > 0 > rows[-1].deviation_cost
    text = client_for("controller").get(f"/costing/behaviour/?run={run.pk}&weight=elva").content.decode()
    assert "Vikten måste vara ett tal från 0 till 10" in text


def test_keys_import_replaces_values_and_rejects_bad_rows(ssc):
    from servicecenter.apps.costing.models import AllocationKey

    good = "nyckel;namn;grund;mottagare;vikt\ntimmar-lon;Timmar ur tidrapporter;timmar;pool:lon;1200,5\ntimmar-lon;Timmar ur tidrapporter;timmar;pool:redovisning;800\n"
    report = run_import("keys", good.encode(), "nycklar.csv", provider=ssc)
    assert report.ok and report.counts == {"keys": 1, "values": 2}, report.lines()
    key = AllocationKey.objects.get(provider=ssc, code="timmar-lon")
    assert key.basis == "hours" and key.values.get(receiver="pool:lon").weight == Decimal("1200.5")
    before = snapshot()
    bad = "nyckel;grund;mottagare;vikt\ntimmar-lon;månsken;pool:lon;1\ntimmar-lon;timmar;pool:lon;-3\ntimmar-lon;timmar;;2\n"
    report = run_import("keys", bad.encode(), "nycklar.csv", provider=ssc)
    assert {(p.code, p.row) for p in report.errors} == {("value.choice", 2), ("value.negative", 3), ("value.required", 4)}
    assert snapshot() == before
