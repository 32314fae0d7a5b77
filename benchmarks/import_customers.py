"""Benchmark: `servicecenter import customers` of a large register, the way an organisation runs it:
the first import, the same file again next month (nothing changed), and a file in which every
customer changed (a new postal town for all).

The register is a city's: 20,000 customers (its administrations, schools and units under the
city's one organisation number, each with its customer number, and companies with numbers of their
own), each with two years of employees: 40,000 rows. Baseline in the same run: DuckDB reading
and aggregating the same CSV (what a bare columnar scan of the file costs). Run under
`scripts/with_postgres.py --` for PostgreSQL.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import database_label, run_cli, table  # noqa: E402

CUSTOMERS = 20_000
YEARS = (2030, 2031)


def write_register(path: Path, town: str) -> int:
    from servicecenter.core.registry import make_orgnr

    rng = random.Random(2031)
    city = make_orgnr("212000771")
    lines = ["kundnummer;organisationsnummer;namn;sektor;år;anställda;ort"]
    for n in range(CUSTOMERS):
        company = n % 4 == 0
        org = make_orgnr(f"5560{n:05d}") if company else city
        for year in YEARS:
            lines.append(f"K{n:05d};{org};Enhet {n:05d};{'company' if company else 'municipal'};{year};{rng.randint(1, 900)};{town}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def main() -> None:
    import duckdb

    with tempfile.TemporaryDirectory() as folder:
        register, moved = Path(folder) / "kunder.csv", Path(folder) / "kunder-ny-ort.csv"
        rows = write_register(register, "Tuna")
        write_register(moved, "Tuna stad")
        database = Path(folder) / "bench.sqlite3"
        run_cli("manage", "migrate", "-v", "0", database=database)
        run_cli("manage", "shell", "-c", "from servicecenter.apps.registry.models import Provider; Provider.objects.get_or_create(code='tuna', "
                "defaults={'name': 'Tuna kommun', 'org_number': '212000-7712', 'kind': 'municipal_service'})", database=database)
        started = time.perf_counter()
        duckdb.read_csv(str(register), sep=";", header=True).aggregate("count(*), sum(anställda)").fetchall()
        baseline = time.perf_counter() - started
        first = run_cli("import", "customers", str(register), "--provider", "tuna", database=database)
        again = run_cli("import", "customers", str(register), "--provider", "tuna", database=database)
        changed = run_cli("import", "customers", str(moved), "--provider", "tuna", database=database)
    label = database_label()
    print(table([
        ("measure", "rows", "seconds", "peak MB", "ratio to baseline", "reported"),
        ("baseline: DuckDB scan of the CSV", f"{rows:,}", f"{baseline:.2f}", "", "1.0", ""),
        *((f"servicecenter import customers, {what} ({label})", f"{rows:,}", f"{run.seconds:.2f}", f"{run.peak_mb:.0f}", f"{run.seconds / baseline:.0f}",
           run.output.splitlines()[0] if run.output else "")
          for what, run in (("first import", first), ("the same file again", again), ("every customer changed", changed))),
    ]))
    print(f"RESULT import_customers_{label.lower()} first={first.seconds:.2f} again={again.seconds:.2f} changed={changed.seconds:.2f}")


if __name__ == "__main__":
    main()
