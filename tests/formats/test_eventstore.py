"""The columnar event intake: its answers are those of the row-wise checks, on files of our own."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from servicecenter.formats.eventstore import Trouble, intake

LIMITS = {"source": 60, "event_id": 100, "package": 20, "quantity_max": 10**10, "cost_max": 10**12,
          "first_day": date(1990, 1, 1), "last_day": date(2100, 12, 31)}
CUSTOMERS = {"202100-0001": 1, "202100-0002": 2}


def write(path, rows, quantity_type=None):
    columns = ["source", "event_id", "org_number", "service_code", "occurred_at", "quantity"]
    table = pa.table({name: pa.array([row[k] for row in rows], type=(quantity_type or pa.string()) if name == "quantity" else pa.string())
                      for k, name in enumerate(columns)})
    pq.write_table(table, path)
    return path


def slow_row(row, texts):
    """The row-wise parser's part, reduced to what these files need: a Swedish decimal comma."""
    raw = texts["quantity"].replace(",", ".")
    try:
        quantity = Decimal(raw)
    except ArithmeticError:
        return None, [Trouble(row, "quantity", "value.decimal", value=texts["quantity"])]
    moment = datetime.fromisoformat(texts["occurred_at"]).replace(tzinfo=UTC)
    if not LIMITS["first_day"] <= moment.date() <= LIMITS["last_day"]:
        return None, [Trouble(row, "occurred_at", "value.date_range", value=texts["occurred_at"])]
    return {"row": row, "source": texts["source"], "event_id": texts["event_id"], "customer_id": CUSTOMERS[texts["org_number"]],
            "service_id": 7, "occurred_at": moment, "month": moment.date().replace(day=1), "quantity": quantity, "package": "", "cost": None}, []


def run(path, tmp_path, stored=(), issued=()):
    store = tmp_path / "store"
    store.mkdir(exist_ok=True)
    return intake(path, store=store, stored_batches=list(stored), services={"lon": 7},
                  customer=lambda number, org: (CUSTOMERS.get(org), None if org in CUSTOMERS else Trouble(0, "org_number", "customer.unknown", {"orgnr": org}, org)),
                  covered=lambda c, s, m: m >= date(2025, 1, 1), issued_months=issued, slow_row=slow_row, limits=LIMITS)


def test_new_events_are_stored_and_totalled_and_the_same_file_again_changes_nothing(tmp_path):
    path = write(tmp_path / "e.parquet", [("a", "1", "202100-0001", "lon", "2025-03-04 10:00", "2"),
                                          ("a", "2", "202100-0001", "lon", "2025-03-31 23:30", "3.5"),
                                          ("a", "3", "202100-0002", "lon", "2025-04-01 00:10", "1"),
                                          ("a", "1", "202100-0001", "lon", "2025-03-04 10:00", "2")])   # row 5 repeats row 2
    first = run(path, tmp_path)
    assert first.errors == [] and (first.rows, first.new, first.unchanged) == (4, 3, 1)
    assert {(t.customer_id, t.month, t.quantity, t.events) for t in first.totals} == {
        (1, date(2025, 3, 1), Decimal("5.5"), 2), (2, date(2025, 4, 1), Decimal("1"), 1)}
    again = run(path, tmp_path, stored=[first.batch])
    assert (again.new, again.unchanged, again.batch, again.errors) == (0, 4, None, [])


def test_the_same_id_with_other_content_is_refused_naming_both_rows_and_the_field(tmp_path):
    path = write(tmp_path / "e.parquet", [("a", "1", "202100-0001", "lon", "2025-03-04 10:00", "2"),
                                          ("a", "1", "202100-0001", "lon", "2025-03-04 10:00", "4")])
    result = run(path, tmp_path)
    assert [(p.row, p.code, p.params) for p in result.errors] == [(3, "event.conflict", {"first": 2, "fields": "quantity"})]
    assert result.batch is None and not list((tmp_path / "store").iterdir())


def test_an_id_stored_with_other_content_is_refused(tmp_path):
    first = run(write(tmp_path / "a.parquet", [("a", "1", "202100-0001", "lon", "2025-03-04 10:00", "2")]), tmp_path)
    second = run(write(tmp_path / "b.parquet", [("a", "1", "202100-0002", "lon", "2025-03-04 10:00", "2")]), tmp_path, stored=[first.batch])
    assert [(p.row, p.code, p.params["fields"]) for p in second.errors] == [(2, "event.conflict_stored", "customer")]


def test_rows_the_fast_pass_cannot_vouch_for_go_through_the_row_wise_parser(tmp_path):
    path = write(tmp_path / "e.parquet", [("a", "1", "202100-0001", "lon", "2025-03-04 10:00", "2,5"),
                                          ("a", "2", "202100-0001", "lon", "2025-03-05 10:00", "1.2345"),
                                          ("a", "3", "202100-0001", "lon", "2025-03-06 10:00", "tre")])
    result = run(path, tmp_path)
    assert [(p.row, p.column, p.code) for p in result.errors] == [(4, "quantity", "value.decimal")]
    fixed = write(tmp_path / "f.parquet", [("a", "1", "202100-0001", "lon", "2025-03-04 10:00", "2,5")])
    assert run(fixed, tmp_path).totals[0].quantity == Decimal("2.5")


@pytest.mark.parametrize(("row", "column", "code"), [
    (("a", "1", "202100-0009", "lon", "2025-03-04 10:00", "1"), "org_number", "customer.unknown"),
    (("a", "1", "202100-0001", "xyz", "2025-03-04 10:00", "1"), "service_code", "service.unknown"),
    (("a", "1", "202100-0001", "lon", "2024-12-04 10:00", "1"), "service_code", "volume.no_agreement"),
    (("a", "1", "202100-0001", "lon", "1950-03-04 10:00", "1"), "occurred_at", "value.date_range"),
])
def test_unknown_customers_services_and_uncovered_months_are_named(tmp_path, row, column, code):
    result = run(write(tmp_path / "e.parquet", [row]), tmp_path)
    assert [(p.row, p.column, p.code) for p in result.errors] == [(2, column, code)]


def test_an_event_for_an_issued_month_is_kept_as_late_with_a_warning(tmp_path):
    result = run(write(tmp_path / "e.parquet", [("a", "1", "202100-0001", "lon", "2025-03-04 10:00", "1")]), tmp_path, issued=[date(2025, 3, 1)])
    assert result.errors == [] and result.late == 1 and result.totals[0].late
    assert [(p.code, p.warning) for p in result.problems] == [("event.late", True)]


def test_months_are_swedish_months_for_times_with_and_without_a_zone(tmp_path):
    """22:30 UTC on 31 March is 00:30 on 1 April in Stockholm (summer time); 23:30 UTC on 31
    October is 00:30 on 1 November (winter time); a time without a zone is Swedish already."""
    moments = [datetime(2025, 3, 31, 22, 30, tzinfo=UTC), datetime(2025, 3, 31, 21, 30, tzinfo=UTC),
               datetime(2025, 10, 31, 23, 30, tzinfo=UTC), datetime(2025, 10, 31, 22, 30, tzinfo=UTC)]
    table = pa.table({"source": ["a"] * 4, "event_id": ["1", "2", "3", "4"], "org_number": ["202100-0001"] * 4, "service_code": ["lon"] * 4,
                      "occurred_at": pa.array(moments, pa.timestamp("s", tz="UTC")), "quantity": pa.array([Decimal(1)] * 4, pa.decimal128(18, 3))})
    pq.write_table(table, tmp_path / "z.parquet")
    result = run(tmp_path / "z.parquet", tmp_path)
    assert {t.month: t.events for t in result.totals} == {date(2025, 3, 1): 1, date(2025, 4, 1): 1, date(2025, 10, 1): 1, date(2025, 11, 1): 1}
    local = write(tmp_path / "l.parquet", [("a", "9", "202100-0001", "lon", "2025-04-01 00:30", "1")])
    assert run(local, tmp_path).totals[0].month == date(2025, 4, 1)
