"""Run every benchmark and print its table: `make benchmarks`.

Not part of `make test`: the figures depend on the machine. The README quotes the figures of
a run, with the command that produced them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def main() -> int:
    python = sys.executable
    runs = [
        ("Demo build", [python, str(HERE / "demo_build.py")]),
        ("Import of 1,000,000 volume rows, SQLite", [python, str(HERE / "import_volumes.py")]),
        ("Import of 1,000,000 volume rows, PostgreSQL", [python, str(ROOT / "scripts" / "with_postgres.py"), "--", python, str(HERE / "import_volumes.py")]),
        ("Import of a city's register of 20,000 customers, first, again and changed", [python, str(HERE / "import_customers.py")]),
        ("Import of the same register's 40,000 agreements, first, again and changed", [python, str(HERE / "import_agreements.py")]),
        ("Page latency with the national data set", [python, str(HERE / "pages.py")]),
        ("Reciprocal allocation, 300 support × 5,000 receiving departments", [python, str(HERE / "reciprocal.py")]),
        ("Full cost model, national data set, to the price list", [python, str(HERE / "cost_model.py")]),
        ("Rating 10,000,000 usage events from Parquet", [python, str(HERE / "rating_events.py")]),
        ("Billing run, national data set, one month, with Peppol XML", [python, str(HERE / "billing_run.py")]),
        ("SIE 4 import of 1,000,000 transaction rows", [python, str(HERE / "sie_import.py")]),
        ("All indicators, 60 services × 10 years × 300 customers", [python, str(HERE / "indicators.py")]),
        ("Indicator dashboard latency, demo database", [python, str(HERE / "followup_pages.py")]),
        ("p-median with default arguments on the OR-Library instances", [python, str(HERE / "pmedian.py")]),
        ("Office network: p-median against spopt + CBC, national heuristic, scenario change", [python, str(HERE / "network.py")]),
    ]
    failed = 0
    for title, command in runs:
        print(f"\n## {title}\n$ {' '.join(Path(part).name if part.startswith('/') else part for part in command)}", flush=True)
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        result = subprocess.run(command, env=env)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
