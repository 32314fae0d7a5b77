"""Benchmark: start page and list pages with the national data set loaded, p95 under 150 ms,
measured with a load generator on loopback (4 client threads, keep-alive connections, a fixed
number of requests per page) against `servicecenter serve` (gunicorn, 2 workers × 4 threads).

Baseline in the same run: /health/ (one trivial query through the same stack).
"""

from __future__ import annotations

import http.client
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import run_cli, serving, sessions, table  # noqa: E402

PAGES = ["/health/", "/", "/customers/", "/customers/?sort=-employees", "/services/", "/agreements/", "/volumes/", "/customers/?q=042"]
REQUESTS_PER_PAGE = 200
THREADS = 4


def measure(port: int, path: str, cookie: str) -> list[float]:
    latencies: list[float] = []
    lock = threading.Lock()

    def worker(count: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(count):
            started = time.perf_counter()
            connection.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
            with lock:
                latencies.append(elapsed)
        connection.close()

    threads = [threading.Thread(target=worker, args=(REQUESTS_PER_PAGE // THREADS,)) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def main() -> None:
    from servicecenter.demo.national import generate_national

    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        counts = generate_national(data, events=0)
        database = Path(folder) / "national.sqlite3"
        run_cli("manage", "migrate", "-v", "0", database=database)
        run_cli("manage", "shell", "-c", "from servicecenter.apps.registry.models import Provider; Provider.objects.create(code='bench', name='Bench', org_number='202100-6255', kind='state_service_centre')", database=database)
        for kind in ("customers", "catalogue", "agreements", "volumes"):
            run_cli("import", kind, str(data / f"{kind}.csv"), "--provider", "bench", database=database)
        cookie = sessions(database, ("bench",))["bench"]
        with serving(database) as port:
            for path in PAGES:  # warm up every worker
                measure(port, path, cookie)
            rows = [("page", "requests", "p50 ms", "p95 ms", "max ms", "p95 ratio to /health/", "target")]
            baseline = None
            worst = 0.0
            for path in PAGES:
                latencies = sorted(measure(port, path, cookie))
                p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000
                baseline = baseline or p95
                if path != "/health/":
                    worst = max(worst, p95)
                rows.append((path, len(latencies), f"{statistics.median(latencies) * 1000:.1f}", f"{p95:.1f}", f"{latencies[-1] * 1000:.1f}",
                             f"{p95 / baseline:.1f}", "" if path == "/health/" else "< 150 ms"))
    print(f"national data set: {counts['customers.csv'] // 3} customers, {counts['catalogue.csv'] // 3} services, "
          f"{counts['agreements.csv']:,} agreements, {counts['volumes.csv']:,} volume rows (SQLite)")
    print(table(rows))
    print(f"RESULT pages_worst_p95_ms={worst:.1f} target_met={worst < 150}")


if __name__ == "__main__":
    main()
