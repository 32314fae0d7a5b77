"""#15 item 3 (fiscal years): a ledger whose fiscal year is not the calendar year is kept as that
fiscal year. Importing the next fiscal year keeps every row of the one before; importing the
same file again changes nothing and needs no confirmation; a voucher outside the file's year is
refused by line; the cost model and the ledger page read the fiscal year."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import translation

from servicecenter.apps.costing.models import LedgerCell
from servicecenter.apps.imports.base import run_import
from tests.apps.conftest import new_organisation


def _sie(start: int, amounts: dict[str, str], extra: str = "") -> bytes:
    """A SIE 4 file of the fiscal year July ``start`` – June ``start + 1``, one voucher a month."""
    lines = ["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4", '#FNAMN "Brutet AB"', f"#RAR 0 {start}0701 {start + 1}0630", "#RAR -1 20000701 20010630",
             '#KONTO 1930 "Bank"', '#KONTO 5010 "Lokalhyra"', '#KONTO 7010 "Löner"']
    for number, (month, amount) in enumerate(amounts.items(), start=1):
        lines += [f'#VER A {number} {month}15 "Månad {month}"', "{", f"   #TRANS 7010 {{}} {amount}", "   #TRANS 5010 {} 100.00",
                  f"   #TRANS 1930 {{}} -{Decimal(amount) + 100}", "}"]
    return ("\r\n".join(lines) + "\r\n" + extra).encode("cp437")


def _months(start: int) -> dict[str, str]:
    return {f"{start + (m > 12 and 1 or 0)}{(m - 1) % 12 + 1:02d}": f"{1000 + m}.00" for m in range(7, 19)}


@pytest.fixture
def company(db):
    return new_organisation("brutet", "Brutet AB", "556000-0001")


def _import(provider, data, name, replace=False):
    with translation.override("en"):
        return run_import("ledger", data, name, provider=provider, replace=replace)


def test_two_consecutive_fiscal_years_keep_every_row_of_both(company):
    first, second = _sie(2009, _months(2009)), _sie(2010, _months(2010))
    assert _import(company, first, "2009-2010.se").status == "applied"
    report = _import(company, second, "2010-2011.se")
    assert report.status == "applied", report.lines("en")        # a new fiscal year replaces nothing: no confirmation
    cells = LedgerCell.objects.filter(provider=company)
    assert cells.count() == 3 * 12 * 2                               # three accounts (the bank too), 12 months, both years
    assert set(cells.values_list("year", flat=True)) == {2010, 2011}  # named by the year they end in
    assert cells.filter(year=2010).order_by("month").first().month == date(2009, 7, 1)
    assert cells.filter(year=2010).order_by("month").last().month == date(2010, 6, 1)
    salaries = cells.filter(year=2010, account="7010").aggregate(t=Sum("amount"))["t"]
    assert Decimal(salaries) == sum(Decimal(f"{1000 + m}") for m in range(7, 19))
    # the ledger page shows the fiscal year July to June, in that order
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="brutet-admin"))
    page = client.get("/costing/ledger/", {"year": 2010}).content.decode()
    assert page.index("2009-07") < page.index("2010-06") and "2010-07" not in page


def test_the_same_file_again_changes_nothing_and_a_changed_one_needs_confirmation(company):
    data = _sie(2009, _months(2009))
    assert _import(company, data, "a.se").status == "applied"
    before = sorted(LedgerCell.objects.filter(provider=company).values_list("pk", flat=True))
    again = _import(company, data, "a.se")
    assert again.status == "applied" and again.counts["unchanged"] == 36 and again.counts["cells"] == 0
    assert sorted(LedgerCell.objects.filter(provider=company).values_list("pk", flat=True)) == before
    changed = _sie(2009, {**_months(2009), "200907": "9999.00"})
    refused = _import(company, changed, "b.se")
    assert [p.code for p in refused.errors] == ["ledger.replace_unconfirmed"]
    assert _import(company, changed, "b.se", replace=True).status == "applied"
    assert LedgerCell.objects.get(provider=company, account="7010", month=date(2009, 7, 1)).amount == Decimal("9999.00")


def test_a_voucher_outside_the_fiscal_year_is_refused_by_line_and_nothing_is_written(company):
    stray = '#VER A 99 20110815 "Fel år"\r\n{\r\n   #TRANS 7010 {} 50.00\r\n   #TRANS 1930 {} -50.00\r\n}\r\n'
    report = _import(company, _sie(2009, _months(2009), stray), "fel.se")
    assert report.status != "applied"
    assert {(p.code, p.column) for p in report.errors} == {("ledger.outside_fiscal_year", "month")}
    assert "2011-08" in report.errors[0].describe("en")
    assert not LedgerCell.objects.filter(provider=company).exists()


def test_an_empty_rar_line_is_no_reason_to_refuse_a_file(company):
    data = _sie(2009, _months(2009)).replace(b"#RAR 0 20090701 20100630", b"#RAR 0")
    report = _import(company, data, "utan-rar.se")
    assert report.status == "applied", report.lines("en")
    assert set(LedgerCell.objects.filter(provider=company).values_list("year", flat=True)) == {2009, 2010}   # calendar years from the dates


def test_cells_a_table_row_would_not_pass_are_refused_by_their_first_line_and_column(company):
    """The reader's cells reach the checks typed; what a CSV row is refused for (an account longer
    than the column, a sum beyond the amount limit, an activity too long) refuses the cell, named
    by the file's line of its first transaction and the column, and nothing is written."""
    lines = ["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4", "#RAR 0 20250101 20251231", '#KONTO 7010 "Löner"', '#KONTO 1930 "Bank"',
             '#KONTO 70100000001 "För långt"', '#VER A 1 20250115 "Januari"', "{",
             "   #TRANS 7010 {} 900000000000.00", "   #TRANS 7010 {} 200000000000.00",          # lines 10 and 11: one cell of 1.1 trillion
             "   #TRANS 70100000001 {} 5.00",                                                  # line 12: an account of 11 characters
             f'   #TRANS 7010 {{6 "{"v" * 41}"}} 7.00',                                         # line 13: an activity of 41 characters
             '   #TRANS 1930 {1 "a"} -600000000000.00', '   #TRANS 1930 {1 "b"} -500000000012.00', "}"]   # two cells within the limit
    report = _import(company, ("\r\n".join(lines) + "\r\n").encode("cp437"), "granser.se")
    assert report.status == "rejected"
    assert {(p.code, p.row, p.column) for p in report.errors} == {
        ("value.range", 10, "amount"), ("value.too_long", 12, "account"), ("value.too_long", 13, "activity")}, report.lines("en")
    assert not LedgerCell.objects.filter(provider=company).exists()


def test_the_quick_look_at_each_cell_gives_what_the_full_checks_give(company):
    """Each distinct account, cost centre, activity and month of a SIE file is looked at once, and
    a cell whose values all pass is stored without the full checks. Cell by cell, that gives the
    row (names cut to the column, codes without their spaces, the fiscal year) or the problems the
    full checks give: the same file checked with every quick look turned off."""
    from servicecenter.apps.imports.base import IMPORTERS

    long_name = "Konsulttjänster " * 16   # 256 characters: stored cut to 200
    lines = ["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4", "#RAR 0 20250701 20260630", '#DIM 1 "Kostnadsställe"', '#DIM 6 "Verksamhet"',
             '#KONTO 1930 "Bank"', f'#KONTO 6550 "{long_name}"', '#KONTO 7010 " Löner "', '#OBJEKT 1 "12" "IT-enheten"',
             '#OBJEKT 1 " 40 " "Lön"', f'#OBJEKT 1 "77" "{long_name}"']
    entries = [("7010", '{1 "12"}', "1200.50", "20250815"), ("6550", '{1 " 40 " 6 "v1"}', "99.99", "20250905"),
               ("6550", '{1 "77"}', "-0.00", "20251020"), ("70100000001", "{}", "5.00", "20251101"),        # an account of 11 characters
               ("7010", f'{{6 "{"v" * 41}"}}', "7.00", "20251201"),                                         # an activity of 41 characters
               ("7010", "{}", "900000000000.00", "20260110"), ("7010", "{}", "200000000000.00", "20260111"),  # one cell beyond the limit
               ("7010", f'{{1 "{"k" * 41}"}}', "3.00", "20260115"),                                         # a cost centre of 41 characters
               ("7010", '{1 "99"}', "1.00", "20260630"), ("6550", "{}", "2.00", "20260701")]               # an unknown object; a day after the year
    for number, (account, objects, amount, day) in enumerate(entries, start=1):
        lines += [f"#VER A {number} {day}", "{", f"   #TRANS {account} {objects} {amount} {day}", f"   #TRANS 1930 {{}} {-Decimal(amount)} {day}", "}"]
    data = ("\r\n".join(lines) + "\r\n").encode("cp437")
    importer = IMPORTERS["ledger"](company, None)
    importer.source = "celler.se"
    table, problems = importer.open(data, "celler.se")
    assert [(p.column, p.value) for p in problems if p.code == "value.cut"] == [("account_name", long_name.strip()), ("cost_centre_name", long_name.strip())]
    quick = [importer.check_row(number, row, table.heading) for number, row in table.rows()]
    importer._quick = [dict.fromkeys(part) for part in importer._quick]   # every value "needs the full checks"
    full = [importer.check_row(number, row, table.heading) for number, row in table.rows()]
    assert quick == full
    stored = {value.account: value for value, problems in quick if value is not None and value.account != "1930"}
    assert len(stored["6550"].account_name) == 200 and stored["7010"].account_name == "Löner"
    assert {value.cost_centre for value, _ in quick if value is not None} == {"12", "40", "77", "99", ""}
    assert {value.year for value, _ in quick if value is not None} == {2026}
    refused = {(problem.code, problem.column) for _value, problems in quick for problem in problems}
    assert refused == {("value.too_long", "account"), ("value.too_long", "activity"), ("value.range", "amount"), ("value.too_long", "cost_centre"),
                       ("ledger.outside_fiscal_year", "month")}, refused


def test_a_cost_centre_longer_than_its_column_is_refused_not_cut(company):
    """A cost centre's code says whose the amount is: cut to the column's 40 characters it would
    name another cost centre, or make two into one. From a table as from a SIE file (above), it is
    refused by row and column, and nothing is written."""
    table = f"account;cost_centre;month;amount\n5010;{'k' * 41};2025-01;100\n5010;{'k' * 40};2025-01;50\n"
    report = _import(company, table.encode(), "huvudbok.csv")
    assert report.status == "rejected"
    assert [(p.code, p.row, p.column) for p in report.errors] == [("value.too_long", 2, "cost_centre")], report.lines("en")
    assert not LedgerCell.objects.filter(provider=company).exists()
    stored = _import(company, table.replace(f"{'k' * 41};", "10;").encode(), "huvudbok.csv")
    assert stored.status == "applied"
    assert set(LedgerCell.objects.filter(provider=company).values_list("cost_centre", flat=True)) == {"10", "k" * 40}


def test_a_long_account_name_in_a_table_is_kept_cut_with_a_warning_once(company):
    """A name beside its code is kept cut to its column's 200 characters, with a warning naming the
    row and column the first time the file has it; the rows are stored."""
    name = "Konsulttjänster för verksamhetsutveckling " * 6   # 252 characters
    table = f"account;account_name;month;amount\n6550;{name};2025-01;100\n6550;{name};2025-02;50\n"
    report = _import(company, table.encode(), "huvudbok.csv")
    assert report.status == "applied", report.lines("en")
    assert [(p.code, p.row, p.column) for p in report.warnings] == [("value.cut", 2, "account_name")]
    assert set(LedgerCell.objects.filter(provider=company).values_list("account_name", flat=True)) == {name.strip()[:200]}
