"""The bulk writer (``apps.imports.bulk``) that ledger imports and billing runs write with: what it
stores is what ``bulk_create`` stores, value for value, whatever the columns' types and however
the values repeat; a row with a value too many or too few is refused before anything is written."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from servicecenter.apps.costing.importers import CELL_COLUMNS
from servicecenter.apps.costing.models import LedgerCell, LedgerImport
from servicecenter.apps.imports import bulk
from tests.apps.conftest import new_organisation


@pytest.fixture
def company(db):
    return new_organisation("bulk", "Bulk AB", "556000-0019")


READ = ("year", "kind", "account", "account_name", "cost_centre", "cost_centre_name", "activity", "month", "amount", "transactions")


def _cells(distinct: bool = False):
    """Values that repeat (codes, months) and values that only look alike (1.0 and 1.00, an
    empty name beside a name, 0 and 1 transactions), across more rows than one chunk holds;
    ``distinct``: amounts that differ from row to row (a ledger's sums), with a few alike."""
    amounts = [Decimal("1.0"), Decimal("1.00"), Decimal("-0.00"), Decimal("999999999999.99"), Decimal("-12.5"), Decimal("0")]
    names = ["Lön", "", "Hyra och el", "Ärenden – övrigt"]
    rows = []
    for n in range(bulk.CHUNK + 7):
        amount = (Decimal(n) / 100 if n % 50 else amounts[n // 50 % len(amounts)]) if distinct else amounts[n % len(amounts)]
        rows.append((2025, "actual" if n % 3 else "plan", f"{4000 + n % 37}", names[n % 4], f"{n % 11:03d}", names[(n + 1) % 4],
                     "" if n % 2 else "A1", date(2025, n % 12 + 1, 1), amount, n % 2))
    return rows


def _stored(source):
    return list(LedgerCell.objects.filter(source=source).order_by("pk").values_list(*READ))


@pytest.mark.parametrize("distinct", [False, True], ids=["amounts-repeat", "amounts-distinct"])
def test_insert_rows_stores_what_bulk_create_stores(company, distinct):
    rows = _cells(distinct)
    by_bulk = LedgerImport.objects.create(provider=company, year=2025, kind="actual", filename="a.csv")
    by_rows = LedgerImport.objects.create(provider=company, year=2025, kind="actual", filename="b.csv")
    LedgerCell.objects.bulk_create([LedgerCell(provider=company, source=by_bulk, **dict(zip(READ, row, strict=True))) for row in rows])
    written = bulk.insert_rows(LedgerCell, CELL_COLUMNS, ((company.pk, by_rows.pk, *row) for row in rows))
    assert written == len(rows)
    expected, got = _stored(by_bulk), _stored(by_rows)
    assert got == expected
    assert [str(row[8]) for row in got] == [str(row[8]) for row in expected]   # the same scale, not only equal numbers


def test_a_preparer_keeps_values_apart_that_are_equal_but_not_the_same():
    prepare = bulk.preparer(connection)
    amount = LedgerCell._meta.get_field("amount")
    transactions = LedgerCell._meta.get_field("transactions")
    assert [str(value) for value in prepare.column(0, amount, [Decimal("1.0"), Decimal("1.00"), Decimal("1.0")])] == \
        [str(amount.get_db_prep_save(value, connection)) for value in (Decimal("1.0"), Decimal("1.00"), Decimal("1.0"))]
    mixed = prepare.column(1, transactions, [1, True, 1])        # True == 1, but a bool is not an int's conversion
    assert mixed == [transactions.get_db_prep_save(value, connection) for value in (1, True, 1)]
    assert [type(value) for value in mixed] == [type(transactions.get_db_prep_save(value, connection)) for value in (1, True, 1)]


def test_a_row_of_the_wrong_width_is_refused_and_nothing_is_written(company):
    source = LedgerImport.objects.create(provider=company, year=2025, kind="actual", filename="c.csv")
    good = (company.pk, source.pk, *_cells()[0])
    with pytest.raises(ValueError, match="does not have the 12 values"):
        bulk.insert_rows(LedgerCell, CELL_COLUMNS, [good, good[:-1], good])
    assert not LedgerCell.objects.filter(source=source).exists()


def test_update_rows_sets_what_bulk_update_sets_and_nothing_else(company):
    """Every other row, and every other column, is left as it was; the values are converted as
    ``bulk_update`` converts them (the scale of a decimal, an empty text, a date)."""
    rows = _cells()[:2_000]
    by_bulk = LedgerImport.objects.create(provider=company, year=2025, kind="actual", filename="d.csv")
    by_rows = LedgerImport.objects.create(provider=company, year=2025, kind="actual", filename="e.csv")
    for source in (by_bulk, by_rows):
        bulk.insert_rows(LedgerCell, CELL_COLUMNS, ((company.pk, source.pk, *row) for row in rows))
    def changes(source):
        cells = list(LedgerCell.objects.filter(source=source).order_by("pk"))
        return [(cell, Decimal(n) / 8, "" if n % 3 else f"Namn {n}", date(2026, n % 12 + 1, 1)) for n, cell in enumerate(cells) if n % 2]
    bulk_changes = changes(by_bulk)
    for cell, amount, name, month in bulk_changes:
        cell.amount, cell.account_name, cell.month = amount, name, month
    LedgerCell.objects.bulk_update([cell for cell, *_rest in bulk_changes], ["amount", "account_name", "month"], batch_size=500)
    updated = bulk.update_rows(LedgerCell, ["amount", "account_name", "month"],
                               ([amount, name, month, cell.pk] for cell, amount, name, month in changes(by_rows)))
    assert updated == len(rows) // 2
    expected, got = _stored(by_bulk), _stored(by_rows)
    assert got == expected and [str(row[8]) for row in got] == [str(row[8]) for row in expected]
    assert got[0] == rows[0]   # an even row: untouched
    with pytest.raises(ValueError, match="does not have the 1 values of amount and its key"):
        bulk.update_rows(LedgerCell, ["amount"], [[Decimal(1)]])
