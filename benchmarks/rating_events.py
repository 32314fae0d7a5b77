"""Benchmark: rate 10,000,000 raw usage events from Parquet into invoice lines (target: within
2× the time of DuckDB's bare GROUP BY over the same file, both measured here; peak memory under
2 GB).

The file: the national synthetic data set's events (300 customers × 60 services, 12 months).
Baseline: ``SELECT org_number, service_code, date_trunc('month', occurred_at)::DATE, sum(quantity)
... GROUP BY ALL`` in DuckDB. Ours, in a fresh process: ``formats.events.aggregate_usage`` (the
same aggregation with exact decimals and Swedish months), then ``core.billing.rate_month`` for
every month with a per-unit price list, then one invoice per customer and month.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import table  # noqa: E402

EVENTS = 10_000_000

CHILD = """
import json, resource, sys, time
from decimal import Decimal
from pathlib import Path
started = time.perf_counter()
from servicecenter.core.billing import Terms, group_by_customer, rate_month
from servicecenter.core.periods import Period
from servicecenter.core.pricing.strategies import CustomerInput
from servicecenter.formats.events import aggregate_usage, by_month
path = Path(sys.argv[1])
aggregated = aggregate_usage(path)
aggregated_at = time.perf_counter()
codes = sorted({code for _org, code, _day in aggregated})
terms = {code: Terms(code, f"Tjänst {code}", unit_price=Decimal("12.50") + index) for index, code in enumerate(codes)}
lines = invoices = 0
total = Decimal(0)
for month, services in sorted(by_month(aggregated).items()):
    usage = {code: {org: CustomerInput(quantity=q) for org, q in customers.items()} for code, customers in services.items()}
    rated = rate_month(terms, usage, Period.month(month.year, month.month))
    drafts = group_by_customer(rated)
    lines += len(rated); invoices += len(drafts); total += sum((line.amount for line in rated), Decimal(0))
events = sum(count for _q, count in aggregated.values())
print(json.dumps({"seconds": time.perf_counter() - started, "aggregate": aggregated_at - started, "events": events, "lines": lines,
                  "invoices": invoices, "total": str(total), "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def baseline(path: Path) -> float:
    import duckdb

    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")
    started = time.perf_counter()
    connection.execute("SELECT org_number, service_code, date_trunc('month', occurred_at)::DATE, sum(quantity) FROM read_parquet($path) GROUP BY ALL",
                       {"path": str(path)}).fetchall()
    return time.perf_counter() - started


def with_time_zone_database(path: Path) -> float:
    """The same GROUP BY with Swedish months found through ICU: the way ``formats.events`` does not take."""
    import duckdb

    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")
    connection.execute("SET TimeZone = 'Europe/Stockholm'")
    started = time.perf_counter()
    connection.execute("SELECT org_number, service_code, date_trunc('month', occurred_at)::DATE, sum(quantity) FROM read_parquet($path) GROUP BY ALL",
                       {"path": str(path)}).fetchall()
    return time.perf_counter() - started


def main() -> int:
    from servicecenter.demo.national import generate_national

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        started = time.perf_counter()
        generate_national(out, months=12, events=EVENTS)
        print(f"generated {EVENTS:,} events in {time.perf_counter() - started:.1f} s ({(out / 'events.parquet').stat().st_size / 1e6:.0f} MB Parquet)")
        path = out / "events.parquet"
        rows = [("run", "DuckDB bare GROUP BY, s", "rating to invoice lines, s", "of which aggregation, s", "ratio", "peak MB", "lines", "invoices")]
        ratios, peaks = [], []
        for attempt in (1, 2, 3):
            bare = baseline(path)
            output = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True).stdout
            result = json.loads(output.strip().splitlines()[-1])
            assert result["events"] == EVENTS, result
            ratios.append(result["seconds"] / bare)
            peaks.append(result["peak_mb"])
            rows.append((attempt, f"{bare:.2f}", f"{result['seconds']:.2f}", f"{result['aggregate']:.2f}", f"{ratios[-1]:.2f}",
                         f"{result['peak_mb']:.0f}", result["lines"], result["invoices"]))
        print(table(rows))
        icu = min(with_time_zone_database(path) for _ in range(3))
        print(f"for reference: the bare GROUP BY with Swedish months through the time-zone database (ICU), best of 3: {icu:.2f} s "
              f"({icu / min(float(row[1]) for row in rows[1:]):.2f}× the best bare GROUP BY)")
        ok = max(ratios) <= 2 and max(peaks) < 2048
        print(f"target: within 2× the bare GROUP BY (worst ratio {max(ratios):.2f}), peak under 2,048 MB (worst {max(peaks):.0f} MB): {'met' if ok else 'NOT met'}")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
