"""Benchmark: 10,000,000 usage events through the path a user takes, against DuckDB's bare
GROUP BY of the same file in the same run.

1. ``servicecenter import events events.parquet`` (the CLI; the web import and the API call the
   same ``run_import``): every check, duplicates within the file and against what is stored,
   the Parquet batch and the totals written (decision 0011). Target: under 10× the bare GROUP BY,
   peak under 2 GB.
2. The same file again: every event already stored, so all 10,000,000 are ``unchanged``.
3. ``billing.start_run`` for one month from what was stored (rating, preview; without the Peppol
   validation, which ``benchmarks/billing_run.py`` measures). Target: within 2× the bare GROUP BY.

The file: the national synthetic data set's events (300 customers × 60 services, 12 months);
its customers, catalogue and agreements are imported through the CLI first. Baseline:
``SELECT org_number, service_code, date_trunc('month', occurred_at)::DATE, sum(quantity) ... GROUP BY ALL``.

Run: ``python benchmarks/rating_events.py [EVENTS]``.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import national_provider, run_cli, table  # noqa: E402

EVENTS = 10_000_000

PREVIEW = """
import json, time
from datetime import date
from servicecenter.apps.billing import services as billing
from servicecenter.apps.billing.models import UsageTotal
from servicecenter.apps.registry.models import Provider
from servicecenter.core.periods import Period
from django.db.models import Sum
provider = Provider.objects.get(code='bench')
started = time.perf_counter()
run = billing.start_run(provider, Period.month(2023, 6), issue_date=date(2023, 7, 3), validate=False)
seconds = time.perf_counter() - started
stored = UsageTotal.objects.filter(provider=provider).aggregate(n=Sum('events'))['n']
print('RESULT', json.dumps({'seconds': seconds, 'invoices': len(run.preview), 'lines': sum(len(i['lines']) for i in run.preview),
                            'events_in_month': int(run.usage['events']), 'stored': stored}))
"""


def bare_group_by(path: Path) -> float:
    import duckdb

    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")
    started = time.perf_counter()
    connection.execute("SELECT org_number, service_code, date_trunc('month', occurred_at)::DATE, sum(quantity) FROM read_parquet($path) GROUP BY ALL",
                       {"path": str(path)}).fetchall()
    return time.perf_counter() - started


def main() -> int:
    from servicecenter.demo.national import generate_national

    events = int(sys.argv[1]) if len(sys.argv) > 1 else EVENTS
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        data = out / "data"
        started = time.perf_counter()
        generate_national(data, months=12, coverage=1.0, events=events)
        path = data / "events.parquet"
        print(f"generated {events:,} events in {time.perf_counter() - started:.1f} s ({path.stat().st_size / 1e6:.0f} MB Parquet)")
        database = out / "bench.sqlite3"
        env = {"SERVICECENTER_EVENTS": str(out / "events")}
        national_provider(data, database, ("customers", "catalogue", "agreements"), env)
        bare = [bare_group_by(path)]
        first = run_cli("import", "events", str(path), "--provider", "bench", database=database, env=env)
        bare.append(bare_group_by(path))
        again = run_cli("import", "events", str(path), "--provider", "bench", database=database, env=env)
        bare.append(bare_group_by(path))
        preview = run_cli("manage", "shell", "-c", PREVIEW, database=database, env=env)
        bare.append(bare_group_by(path))
    result = json.loads(next(line for line in preview.output.splitlines() if line.startswith("RESULT")).split(" ", 1)[1])
    assert result["stored"] == events, (result, first.output[-500:])
    assert "unchanged " + str(events) in again.output.replace(",", ""), again.output[-500:]
    base = min(bare)
    rows = [("measure (product command or function)", "seconds", "ratio to bare GROUP BY", "peak MB", "target"),
            ("DuckDB bare GROUP BY of the file (best of 4 in this run)", f"{base:.2f}", "1.0", "", ""),
            (f"servicecenter import events: {events:,} new", f"{first.seconds:.2f}", f"{first.seconds / base:.1f}", f"{first.peak_mb:.0f}", "< 10×, < 2,048 MB"),
            (f"servicecenter import events: the same file again ({events:,} unchanged)", f"{again.seconds:.2f}", f"{again.seconds / base:.1f}",
             f"{again.peak_mb:.0f}", "< 10×, < 2,048 MB"),
            (f"billing.start_run, 2023-06 from the stored totals ({result['invoices']} invoices, {result['lines']:,} lines, "
             f"{result['events_in_month']:,} events)", f"{result['seconds']:.2f}", f"{result['seconds'] / base:.1f}", "", "< 2×")]
    print(table(rows))
    ok = (first.seconds < 10 * base and again.seconds < 10 * base and result["seconds"] < 2 * base
          and max(first.peak_mb, again.peak_mb) < 2048)
    print(f"RESULT import_seconds={first.seconds:.2f} again_seconds={again.seconds:.2f} preview_seconds={result['seconds']:.2f} "
          f"bare_seconds={base:.2f} target_met={ok}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
