from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from servicecenter.formats.events import EventFileError, aggregate_usage, by_month

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def test_months_are_swedish_months_at_every_boundary(tmp_path):
    """Every hour from 3 h before to 3 h after each month start 2023–2027, against the zone database."""
    times = []
    for year in range(2023, 2028):
        for month in range(1, 13):
            start = datetime(year, month, 1, tzinfo=STOCKHOLM).astimezone(UTC)
            times += [start + timedelta(minutes=30 * step) for step in range(-6, 7)]
    expected: dict[date, int] = {}
    for moment in times:
        local = moment.astimezone(STOCKHOLM)
        key = date(local.year, local.month, 1)
        expected[key] = expected.get(key, 0) + 1
    table = pa.table({"org_number": ["2021000001"] * len(times), "service_code": ["lon"] * len(times),
                      "occurred_at": pa.array(times, pa.timestamp("s", tz="UTC")), "quantity": pa.array([Decimal(1)] * len(times), pa.decimal128(18, 3))})
    pq.write_table(table, tmp_path / "e.parquet")
    result = aggregate_usage(tmp_path / "e.parquet")
    assert {day: count for (_o, _s, day), (_q, count) in result.items()} == expected


def test_quantities_are_exact_and_times_without_zone_are_local(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("org_number,service_code,occurred_at,quantity\n2021000001,lon,2025-03-31 23:30:00,0.1\n"
                    "2021000001,lon,2025-03-31 23:59:00,0.2\n2021000001,lon,2025-04-01 00:10:00,1.005\n")
    result = aggregate_usage(path)
    assert result == {("2021000001", "lon", date(2025, 3, 1)): (Decimal("0.300"), 2), ("2021000001", "lon", date(2025, 4, 1)): (Decimal("1.005"), 1)}
    assert by_month(result)[date(2025, 3, 1)] == {"lon": {"2021000001": Decimal("0.300")}}


def test_other_files_are_refused(tmp_path):
    with pytest.raises(EventFileError, match="Parquet or CSV"):
        aggregate_usage(tmp_path / "e.json")
    (tmp_path / "broken.parquet").write_bytes(b"not parquet")
    with pytest.raises(EventFileError, match="broken.parquet"):
        aggregate_usage(tmp_path / "broken.parquet")
