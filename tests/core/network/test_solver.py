import itertools
import pathlib
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import floyd_warshall

from servicecenter.core.network import (
    CostMatrixError,
    Groups,
    solve_max_covering,
    solve_office_model,
    solve_p_median,
)

ORLIB = pathlib.Path(__file__).resolve().parents[3].parent / "shared" / "benchmarks" / "orlib-pmed"


def brute_force(cost, p, weights, fixed_open=(), fixed_closed=()):
    W = cost * weights[:, None]
    m = cost.shape[1]
    best = np.inf
    for sites in itertools.combinations(range(m), p):
        if not set(fixed_open) <= set(sites) or set(fixed_closed) & set(sites):
            continue
        best = min(best, W[:, sites].min(axis=1).sum())
    return best


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(4, 20), st.integers(3, 8), st.data())
def test_exact_and_heuristic_against_brute_force(seed, n, m, data):
    rng = np.random.default_rng(seed)
    cost = rng.random((n, m)) * 100
    weights = rng.integers(0, 10, n).astype(float)
    p = data.draw(st.integers(1, m - 1))
    fixed_open = data.draw(st.sets(st.integers(0, m - 1), max_size=min(p, 2)))
    fixed_closed = data.draw(st.sets(st.integers(0, m - 1).filter(lambda j: j not in fixed_open), max_size=m - p))
    optimum = brute_force(cost, p, weights, fixed_open, fixed_closed)
    for method in ("exact", "auto", "heuristic"):
        result = solve_p_median(cost, p, weights, fixed_open, fixed_closed, method=method)
        assert len(result.open_sites) == p
        assert set(fixed_open) <= set(result.open_sites)
        assert not set(fixed_closed) & set(result.open_sites)
        assert result.lower_bound <= result.objective + 1e-9 * max(1, result.objective)
        assert result.lower_bound <= optimum + 1e-6 * max(1, optimum)
        # the reported objective is the one of the reported assignment and open sites
        assert np.isin(result.assignment, result.open_sites).all()
        assert result.objective == pytest.approx((cost[np.arange(n), result.assignment] * weights).sum())
        if method != "heuristic":
            assert result.proven_optimal
            assert result.objective == pytest.approx(optimum, rel=1e-9, abs=1e-9)
        else:
            assert result.objective >= optimum - 1e-6


def test_heuristic_within_half_a_percent_on_medium_instances():
    rng = np.random.default_rng(7)
    for _ in range(4):
        demand, sites = rng.random((400, 2)) * 100, rng.random((60, 2)) * 100
        cost = np.linalg.norm(demand[:, None] - sites[None], axis=2)
        weights = rng.integers(1, 50, 400).astype(float)
        exact = solve_p_median(cost, 12, weights, method="exact")
        heuristic = solve_p_median(cost, 12, weights, method="heuristic")
        assert exact.proven_optimal
        assert heuristic.objective <= exact.objective * 1.005
        assert heuristic.lower_bound <= exact.objective + 1e-6


def orlib(name):
    lines = (ORLIB / f"{name}.txt").read_text().split("\n")
    n, m, p = map(int, lines[0].split())
    graph = np.full((n, n), np.inf)
    for line in lines[1 : 1 + m]:
        i, j, c = map(int, line.split())
        graph[i - 1, j - 1] = graph[j - 1, i - 1] = c  # the last occurrence of an edge holds
    np.fill_diagonal(graph, 0)
    return floyd_warshall(graph), p


PUBLISHED = {"pmed1": 5819, "pmed5": 1355, "pmed10": 1255, "pmed20": 1789, "pmed30": 1989,
             "pmed34": 3013, "pmed35": 10400, "pmed36": 9934, "pmed37": 5057, "pmed40": 5128}


@pytest.mark.parametrize("name", ["pmed1", "pmed5", "pmed10"])
def test_orlib_proven_optimal(name):
    if not (ORLIB / f"{name}.txt").exists():
        pytest.skip("shared/benchmarks/orlib-pmed is not beside the repository")
    cost, p = orlib(name)
    result = solve_p_median(cost, p)
    assert result.proven_optimal
    assert result.objective == PUBLISHED[name]


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_orlib_heuristic_reaches_published_optimum(name):
    if not (ORLIB / f"{name}.txt").exists():
        pytest.skip("shared/benchmarks/orlib-pmed is not beside the repository")
    cost, p = orlib(name)
    result = solve_p_median(cost, p, method="heuristic")
    assert result.objective >= PUBLISHED[name]  # nothing beats a proven optimum
    assert result.objective <= PUBLISHED[name] * 1.005
    assert result.lower_bound <= PUBLISHED[name]


def test_orlib_default_arguments_within_half_a_percent_and_the_time_limits():
    """Issue 15: every instance with default arguments, each within 0.5 % and under 30 s,
    all together under 60 s; the bound is valid and the reported gap is the true one."""
    names = [name for name in sorted(PUBLISHED) if (ORLIB / f"{name}.txt").exists()]
    if len(names) < len(PUBLISHED):
        pytest.skip("shared/benchmarks/orlib-pmed is not beside the repository")
    total = 0.0
    for name in names:
        cost, p = orlib(name)
        started = time.perf_counter()
        result = solve_p_median(cost, p)
        seconds = time.perf_counter() - started
        total += seconds
        assert PUBLISHED[name] <= result.objective <= PUBLISHED[name] * 1.005, name
        assert result.lower_bound <= PUBLISHED[name], name
        assert result.gap == pytest.approx((result.objective - result.lower_bound) / result.objective if not result.proven_optimal else 0)
        assert seconds < 30, (name, seconds)
    assert total < 60


@pytest.mark.parametrize("limit", [1.0, 3.0])
def test_time_limit_is_honoured_on_a_large_instance(limit):
    rng = np.random.default_rng(11)
    demand, sites = rng.random((40_000, 2)), rng.random((400, 2))
    cost = np.linalg.norm(demand[:, None] - sites[None], axis=2)
    started = time.perf_counter()
    result = solve_p_median(cost, 40, rng.integers(1, 20, 40_000).astype(float), time_limit=limit)
    seconds = time.perf_counter() - started
    assert seconds < limit + 2.5
    assert len(result.open_sites) == 40
    assert 0 <= result.lower_bound <= result.objective
    assert not result.proven_optimal or result.gap == 0


def test_time_limit_must_be_positive():
    with pytest.raises(CostMatrixError, match="time limit"):
        solve_p_median(np.ones((4, 3)), 2, time_limit=0)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_and_inf_are_refused_with_their_position(bad):
    cost = np.ones((4, 3))
    cost[2, 1] = bad
    with pytest.raises(CostMatrixError, match="demand point 2, site 1"):
        solve_p_median(cost, 2)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"p": 0}, "p must be between"),
    ({"p": 4}, "p must be between"),
    ({"p": 2, "fixed_open": (0, 1, 2)}, "fixed open"),
    ({"p": 2, "fixed_open": (0,), "fixed_closed": (0,)}, "both fixed open and fixed closed"),
    ({"p": 2, "fixed_closed": (0, 1)}, "cannot be opened"),
    ({"p": 2, "weights": [1, 2]}, "2 weights for 4 demand points"),
    ({"p": 2, "weights": [1, 2, -1, 1]}, "Weight 2"),
    ({"p": 2, "fixed_open": (7,)}, "not a site index"),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(CostMatrixError, match=message):
        solve_p_median(np.ones((4, 3)), **kwargs)


def test_result_is_frozen():
    result = solve_p_median(np.array([[1.0, 2.0], [2.0, 1.0]]), 1)
    with pytest.raises(AttributeError):
        result.objective = 0
    with pytest.raises(ValueError):
        result.assignment[0] = 1


def test_max_covering_against_brute_force():
    rng = np.random.default_rng(3)
    for _ in range(20):
        cost = rng.random((15, 7)) * 50
        weights = rng.integers(1, 9, 15).astype(float)
        best = max(
            (weights * (cost[:, list(s)] <= 20).any(axis=1)).sum()
            for s in itertools.combinations(range(7), 3)
        )
        result = solve_max_covering(cost, 3, 20.0, weights)
        assert result.proven_optimal
        assert result.covered_weight == pytest.approx(best)


def test_office_model_groups_and_savings_target():
    rng = np.random.default_rng(5)
    cost = rng.random((30, 8)) * 10
    savings = np.array([5, 5, 5, 5, 1, 1, 1, 1], dtype=float)
    groups = Groups(((0, 1), (2, 3), (4, 5), (6, 7)))
    result = solve_office_model(cost, savings=savings, savings_target=9, groups=groups)
    closed = set(range(8)) - set(result.open_sites)
    assert savings[list(closed)].sum() >= 9
    for members in groups.members:
        assert set(members) & set(result.open_sites)
    # brute force over every admissible set of open sites
    W = cost
    best = np.inf
    for k in range(1, 9):
        for s in itertools.combinations(range(8), k):
            if savings[[j for j in range(8) if j not in s]].sum() < 9:
                continue
            if not all(set(g) & set(s) for g in groups.members):
                continue
            best = min(best, W[:, s].min(axis=1).sum())
    assert result.objective == pytest.approx(best)
    with pytest.raises(CostMatrixError, match="No set of offices"):
        solve_office_model(cost, p=2, groups=groups)
