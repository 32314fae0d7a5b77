"""``solve_p_median`` as a caller calls it (default arguments: 30 s limit, method "auto") on every
OR-Library instance in ``../shared/benchmarks/orlib-pmed``, against the published optimum.

Targets (issue 15): each instance within 0.5 % of the published optimum, each call under 30 s,
all of them together under 60 s. The table also shows the proven lower bound and the gap the
call reports, and as a baseline the greedy start of the same call.

Run: ``python benchmarks/pmedian.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from scipy.sparse.csgraph import floyd_warshall

from servicecenter.core.network import solve_p_median
from servicecenter.core.network import solver as internals

ORLIB = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "orlib-pmed"


def read_instance(path: Path):
    """The instance file's graph as an n × n shortest-path cost matrix, and p."""
    lines = path.read_text().split("\n")
    n, m, p = map(int, lines[0].split())
    graph = np.full((n, n), np.inf)
    for line in lines[1 : 1 + m]:
        i, j, c = map(int, line.split())
        graph[i - 1, j - 1] = graph[j - 1, i - 1] = c  # the last occurrence of an edge holds
    np.fill_diagonal(graph, 0)
    return floyd_warshall(graph), p


def published(readme: Path) -> dict[str, int]:
    table = {}
    for line in readme.read_text().splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith("pmed") and cells[3].isdigit():
            table[cells[0]] = int(cells[3])
    return table


def main() -> int:
    if not ORLIB.is_dir():
        print(f"{ORLIB} is not there; the benchmark needs ../shared beside the repository.")
        return 1
    optimum = published(ORLIB / "README.md")
    print(f"{'instance':<9}{'n':>5}{'p':>5}{'optimum':>9}{'found':>8}{'off':>9}{'bound':>8}{'gap':>8}"
          f"{'seconds':>9}  {'method':<22}{'greedy':>8}{'off':>9}")
    total, worst, failures = 0.0, 0.0, 0
    for name in sorted(optimum, key=lambda s: int(s[4:])):
        cost, p = read_instance(ORLIB / f"{name}.txt")
        n = cost.shape[0]
        started = time.perf_counter()
        result = solve_p_median(cost, p)
        seconds = time.perf_counter() - started
        greedy = internals._objective(cost, internals._greedy(cost, p, np.zeros(n, bool), np.ones(n, bool)))
        off = result.objective / optimum[name] - 1
        total += seconds
        worst = max(worst, seconds)
        failures += off > 0.005 or seconds >= 30 or result.lower_bound > optimum[name]
        print(f"{name:<9}{n:>5}{p:>5}{optimum[name]:>9}{result.objective:>8.0f}{off * 100:>8.2f}%"
              f"{result.lower_bound:>8.0f}{result.gap * 100:>7.2f}%{seconds:>9.2f}  {result.method:<22}"
              f"{greedy:>8.0f}{(greedy / optimum[name] - 1) * 100:>8.2f}%")
    print(f"total {total:.1f} s, slowest call {worst:.1f} s "
          f"(targets: each within 0.5 % and under 30 s, total under 60 s): {'met' if not failures and total < 60 else 'NOT MET'}")
    return 0 if not failures and total < 60 else 1


if __name__ == "__main__":
    sys.exit(main())
