"""Benchmark: `servicecenter import ledger` of a SIE 4 file of 1,000,000 transaction rows, the
command a controller runs (the web import runs the same importer in a job): read, checked,
summed per account × cost centre × activity × month and stored (target under 30 s, peak memory
under 1 GB). The file's 250,000 vouchers spread over 400 accounts and 300 cost centres, which
gives 585,000 cells: a far sparser ledger than a real one, whose cells are few per account.

Baseline in the same run: decoding the file from PC8 and splitting it into lines (the bare I/O
any reader pays). Beside it, how much of the import is the SIE reader itself (``read_sie`` and
the sum per cell, in a child process so that its peak memory is its own).
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import run_cli, table  # noqa: E402

ROWS = 1_000_000
CHILD = """
import resource, sys, time
from pathlib import Path
from servicecenter.formats.sie import read_sie
data = Path(sys.argv[1]).read_bytes()
started = time.perf_counter()
ledger, problems = read_sie(data, "bench.se")
assert not problems, problems[:3]
read = time.perf_counter() - started
costs = ledger.cost_by_account_object_period()
total = time.perf_counter() - started
print(len(ledger.transactions), len(costs), f"{read:.3f}", f"{total:.3f}", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def write_file(path: Path) -> None:
    from servicecenter.formats.sie import Ledger, Transaction, Voucher, write_sie

    rng = random.Random(3)
    ledger = Ledger(source="bench", company="Benchmark", year_start=date(2025, 1, 1), year_end=date(2025, 12, 31))
    accounts = [str(a) for a in range(4000, 8000, 10)]
    ledger.accounts = {a: f"Konto {a}" for a in accounts} | {"1930": "Bank"}
    ledger.dimensions = {"1": "Kostnadsställe"}
    centres = [f"{c:03d}" for c in range(300)]
    ledger.objects = {("1", c): f"Kostnadsställe {c}" for c in centres}
    vouchers = ROWS // 4
    for index in range(vouchers):
        day = date(2025, 1 + index * 12 // vouchers, 1 + index % 28)
        ledger.vouchers.append(Voucher("A", str(index + 1), day, f"Verifikation {index + 1}", 0))
        amounts = [Decimal(rng.randint(100, 10**7)) / 100 for _ in range(3)]
        for amount in amounts:
            ledger.transactions.append(Transaction(index, 0, rng.choice(accounts), (("1", rng.choice(centres)),), amount, None, ""))
        ledger.transactions.append(Transaction(index, 0, "1930", (), -sum(amounts), None, ""))
    path.write_bytes(write_sie(ledger, date(2026, 1, 5)))


PROVIDER = ("from servicecenter.apps.registry.models import Provider; Provider.objects.get_or_create(code='bench', "
            "defaults={'name': 'Bench', 'org_number': '202100-6255', 'kind': 'state_service_centre'})")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.se"
        write_file(path)
        started = time.perf_counter()
        lines = len(path.read_bytes().decode("cp437").splitlines())
        baseline = time.perf_counter() - started
        database = Path(folder) / "bench.sqlite3"
        run_cli("manage", "migrate", "-v", "0", database=database)
        run_cli("manage", "shell", "-c", PROVIDER, database=database)
        imported = run_cli("import", "ledger", str(path), "--provider", "bench", database=database)
        stored = int(run_cli("manage", "shell", "-c", "from servicecenter.apps.costing.models import LedgerCell; print('CELLS', LedgerCell.objects.count())",
                             database=database).output.split("CELLS")[1].split()[0])
        result = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True)
        rows, cells, read, total, peak_kb = result.stdout.split()
        size_mb = path.stat().st_size / 1e6
    assert stored == int(cells), (stored, cells)   # every cell the reader sums is stored
    reader_mb = int(peak_kb) / 1024
    met = imported.seconds < 30 and imported.peak_mb < 1024
    print(table([
        ("measure", "rows", "seconds", "peak MB", "ratio to baseline", "target"),
        (f"baseline: decode and split {size_mb:.0f} MB into lines", f"{lines:,}", f"{baseline:.2f}", "", "1.0", ""),
        ("servicecenter import ledger FILE (read, check, sum, store)", f"{int(rows):,} → {stored:,} cells", f"{imported.seconds:.2f}",
         f"{imported.peak_mb:.0f}", f"{imported.seconds / baseline:.0f}", "< 30 s, < 1024 MB"),
        ("  of which the reader: read_sie, parse and check", f"{int(rows):,}", read, f"{reader_mb:.0f}", f"{float(read) / baseline:.0f}", ""),
        ("  of which the reader: read_sie + sum per cell", f"{int(cells):,} cells", total, "", f"{float(total) / baseline:.0f}", ""),
    ]))
    print(f"RESULT import_seconds={imported.seconds:.2f} peak_mb={imported.peak_mb:.0f} reader_seconds={float(total):.2f} target_met={met}")


if __name__ == "__main__":
    main()
