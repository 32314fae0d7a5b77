"""Benchmark: import 1,000,000 monthly volume rows from CSV (targets: SQLite under 60 s,
PostgreSQL under 30 s, peak memory under 1 GB).

Baseline in the same run: DuckDB reading and aggregating the same CSV (what a bare columnar
scan of the file costs). The data set is the national generator with every customer buying
every service over 56 months: 300 × 60 × 56 = 1,008,000 rows. Run under
`scripts/with_postgres.py --` for PostgreSQL.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import database_label, run_cli, table  # noqa: E402


def main() -> None:
    import duckdb

    from servicecenter.demo.national import generate_national

    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        counts = generate_national(data, months=56, coverage=1.0, events=0)
        database = Path(folder) / "bench.sqlite3"
        run_cli("manage", "migrate", "-v", "0", database=database)
        run_cli("manage", "shell", "-c", "from servicecenter.apps.registry.models import Provider; Provider.objects.get_or_create(code='bench', defaults={'name': 'Bench', 'org_number': '202100-6255', 'kind': 'state_service_centre'})", database=database)
        for kind in ("customers", "catalogue", "agreements"):
            run_cli("import", kind, str(data / f"{kind}.csv"), "--provider", "bench", database=database)
        started = time.perf_counter()
        rows = duckdb.read_csv(str(data / "volumes.csv"), sep=";", header=True).aggregate("count(*), sum(quantity)").fetchall()[0]
        baseline = time.perf_counter() - started
        measured = run_cli("import", "volumes", str(data / "volumes.csv"), "--provider", "bench", database=database)
    target = 60 if database_label() == "SQLite" else 30
    print(table([
        ("measure", "rows", "seconds", "peak MB", "ratio to baseline", "target"),
        ("baseline: DuckDB scan of the CSV", f"{rows[0]:,}", f"{baseline:.2f}", "", "1.0", ""),
        (f"servicecenter import volumes ({database_label()})", f"{counts['volumes.csv']:,}", f"{measured.seconds:.2f}", f"{measured.peak_mb:.0f}",
         f"{measured.seconds / baseline:.0f}", f"< {target} s, < 1024 MB"),
    ]))
    print(f"RESULT import_volumes_{database_label().lower()}_seconds={measured.seconds:.2f} peak_mb={measured.peak_mb:.0f} "
          f"target_met={measured.seconds < target and measured.peak_mb < 1024}")


if __name__ == "__main__":
    main()
