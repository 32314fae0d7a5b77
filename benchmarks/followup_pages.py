"""Benchmark: the indicator dashboard, p95 under 150 ms on loopback, measured like pages.py
(4 client threads, keep-alive, 200 requests per page) against `servicecenter serve` (gunicorn,
2 workers) on the demo database: the coordinator's dashboard at each level (12 services, three
suppliers, 2025–2026) and the service centre's goals and productivity measures.

Baseline in the same run: /health/ (one trivial query through the same stack).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import run_cli, serving, sessions, table  # noqa: E402
from pages import measure  # noqa: E402

PAGES = [("it-samordnare", "/health/"), ("it-samordnare", "/followup/"), ("it-samordnare", "/followup/?level=supplier"),
         ("it-samordnare", "/followup/?level=service"), ("controller", "/followup/"), ("controller", "/followup/?family=productivity")]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "demo.sqlite3"
        built = run_cli("demo", "--no-serve", "--db", str(database))
        cookies = sessions(database, ("it-samordnare", "controller"))
        with serving(database) as port:
            for user, path in PAGES:   # warm up every worker
                measure(port, path, cookies[user])
            rows = [("user", "page", "requests", "p50 ms", "p95 ms", "max ms", "p95 ratio to /health/", "target")]
            baseline, worst = None, 0.0
            for user, path in PAGES:
                latencies = sorted(measure(port, path, cookies[user]))
                p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000
                baseline = baseline or p95
                if path != "/health/":
                    worst = max(worst, p95)
                rows.append((user, path, len(latencies), f"{statistics.median(latencies) * 1000:.1f}", f"{p95:.1f}", f"{latencies[-1] * 1000:.1f}",
                             f"{p95 / baseline:.1f}", "" if path == "/health/" else "< 150 ms"))
    print(f"demo database built in {built.seconds:.1f} s (SQLite)")
    print(table(rows))
    print(f"RESULT followup_dashboard_worst_p95_ms={worst:.1f} target_met={worst < 150}")


if __name__ == "__main__":
    main()
