"""Raw usage events in bulk (Parquet or CSV), aggregated with DuckDB to customer × service ×
month: the columnar path that feeds rating when events arrive by the million.

The file holds events already accepted by intake (unique by source and id; intake is where a
duplicate or a conflicting id is caught, see ``apps.billing.importers``). Quantities come back
as exact ``Decimal``: DuckDB sums DECIMAL(18,3) without floating point.

Months are calendar months in Swedish time. Converting every timestamp through the time-zone
database (ICU) costs DuckDB about half the GROUP BY again, so the month is found by the rule
instead: a month starts at local midnight on its first day, which is UTC+2 for April to
October and UTC+1 for November to March (summer time changes on the last Sundays of March and
October, never on a first). So the month of ``t`` (UTC) is month(t + 2 h) when that month is
April–October and differs from month(t + 1 h), else month(t + 1 h). A test checks the rule
against the time-zone database on every boundary hour of several years.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path

SOURCE = {".parquet": "read_parquet($path)", ".csv": "read_csv($path, types = {'org_number': 'VARCHAR', 'service_code': 'VARCHAR'})"}


_UTC = "CAST(occurred_at AS TIMESTAMPTZ)::TIMESTAMP"
SWEDISH_MONTH = (f"CAST(CASE WHEN month({_UTC} + INTERVAL 2 HOUR) BETWEEN 4 AND 10 "
                 f"THEN date_trunc('month', {_UTC} + INTERVAL 2 HOUR) ELSE date_trunc('month', {_UTC} + INTERVAL 1 HOUR) END AS DATE)")


class EventFileError(ValueError):
    pass


def aggregate_usage(path: Path, month: date | None = None) -> dict[tuple[str, str, date], tuple[Decimal, int]]:
    """(org number, service code, month) → (summed quantity, number of events)."""
    import duckdb

    reader = SOURCE.get(path.suffix.lower())
    if reader is None:
        raise EventFileError(f"{path.name}: events must be Parquet or CSV, not {path.suffix or 'a file without suffix'}")
    connection = duckdb.connect()
    try:
        connection.execute("SET TimeZone = 'UTC'")
        connection.execute("SET enable_progress_bar = false")
        # ``reader`` and ``expression`` are constants of this module; the file name is a bound parameter
        kind = connection.execute(f"SELECT typeof(occurred_at) FROM {reader} LIMIT 1", {"path": str(path)}).fetchone()  # noqa: S608
        # a time with a zone is placed by the rule above; one without is already Swedish local time
        expression = SWEDISH_MONTH if kind and "TIME ZONE" in kind[0].upper() else "CAST(date_trunc('month', occurred_at) AS DATE)"
        condition = "WHERE month = $month" if month else ""
        rows = connection.execute(
            f"SELECT org_number, service_code, month, sum(quantity) AS quantity, count(*) AS events FROM ("  # noqa: S608
            f"  SELECT org_number, service_code, CAST(quantity AS DECIMAL(18, 3)) AS quantity, {expression} AS month FROM {reader}"
            f") {condition} GROUP BY ALL",
            {"path": str(path), **({"month": month} if month else {})}).fetchall()
    except duckdb.Error as error:
        raise EventFileError(f"{path.name}: {error}") from error
    finally:
        connection.close()
    return {(org, code, day): (Decimal(quantity), count) for org, code, day, quantity, count in rows}


def by_month(aggregated: Mapping[tuple[str, str, date], tuple[Decimal, int]]) -> dict[date, dict[str, dict[str, Decimal]]]:
    """Quantities by month, then service, then customer (the shape rating takes), in one pass."""
    result: dict[date, dict[str, dict[str, Decimal]]] = {}
    for (org, code, day), (quantity, _count) in aggregated.items():
        result.setdefault(day, {}).setdefault(code, {})[org] = quantity
    return result
