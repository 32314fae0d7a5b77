"""Benchmark: `servicecenter import agreements` of a large register, the way an organisation runs it:
the first import, the same file again next month (nothing changed), and a file in which every
agreement changed (a new buyer reference for all).

The register is a city's, as in `import_customers.py`: 20,000 customers (imported first, not
timed), two services each from a catalogue of eight, all in production: 40,000 agreements.
Baseline in the same run: DuckDB reading and aggregating the same CSV (what a bare columnar scan
of the file costs). Run under `scripts/with_postgres.py --` for PostgreSQL.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import run_cli  # noqa: E402
from import_customers import CUSTOMERS, measure, tuna_database, write_register  # noqa: E402

SERVICES = ("lon", "ekonomi", "e-handel", "it-stod", "arkiv", "rekrytering", "resor", "fakturaskanning")


def write_catalogue(path: Path) -> None:
    lines = ["år;områdeskod;område;processkod;process;tjänstekod;tjänst;nivå;enhet"]
    lines += [f"{year};stod;Stöd;stod;Stöd;{code};Tjänsten {code};bas;ärende" for year in (2030, 2031) for code in SERVICES]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_agreements(path: Path, reference: str) -> int:
    lines = ["kundnummer;tjänstekod;status;produktion;referens"]
    for n in range(CUSTOMERS):
        for k in (n % len(SERVICES), (n + 3) % len(SERVICES)):
            lines.append(f"K{n:05d};{SERVICES[k]};produktion;2030-0{1 + n % 9}-01;{reference} {n:05d}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        register, catalogue = Path(folder) / "kunder.csv", Path(folder) / "katalog.csv"
        agreements, changed = Path(folder) / "avtal.csv", Path(folder) / "avtal-ny-referens.csv"
        write_register(register, "Tuna")
        write_catalogue(catalogue)
        rows = write_agreements(agreements, "Ref")
        write_agreements(changed, "Referens")
        database = tuna_database(Path(folder))
        for kind, path in (("customers", register), ("catalogue", catalogue)):   # the register the agreements name (run_cli raises on a refusal)
            run_cli("import", kind, str(path), "--provider", "tuna", database=database)
        measure("agreements", agreements, changed, database, rows, "count(*), count(DISTINCT kundnummer)", "every agreement changed")


if __name__ == "__main__":
    main()
