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
from common import print_imports, run_cli  # noqa: E402

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


def tuna_database(folder: Path) -> Path:
    """A new database (in ``folder``) holding the city's organisation, code ``tuna``."""
    database = folder / "bench.sqlite3"
    run_cli("manage", "migrate", "-v", "0", database=database)
    run_cli("manage", "shell", "-c", "from servicecenter.apps.registry.models import Provider; Provider.objects.get_or_create(code='tuna', "
            "defaults={'name': 'Tuna kommun', 'org_number': '212000-7712', 'kind': 'municipal_service'})", database=database)
    return database


def measure(kind: str, path: Path, changed_path: Path, database: Path, rows: int, aggregate: str, changed: str) -> None:
    """`servicecenter import KIND` of ``path``, of the same file again and of ``changed_path``,
    against DuckDB's scan of ``path`` (``aggregate`` over its columns); the table printed."""
    import duckdb

    started = time.perf_counter()
    duckdb.read_csv(str(path), sep=";", header=True).aggregate(aggregate).fetchall()
    baseline = time.perf_counter() - started
    runs = [(key, what, run_cli("import", kind, str(file), "--provider", "tuna", database=database))
            for key, what, file in (("first", "first import", path), ("again", "the same file again", path), ("changed", changed, changed_path))]
    print_imports(kind, rows, baseline, runs)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        register, moved = Path(folder) / "kunder.csv", Path(folder) / "kunder-ny-ort.csv"
        rows = write_register(register, "Tuna")
        write_register(moved, "Tuna stad")
        measure("customers", register, moved, tuna_database(Path(folder)), rows, "count(*), sum(anställda)", "every customer changed")


if __name__ == "__main__":
    main()
