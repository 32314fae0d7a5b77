"""Location models: the p-median problem, maximal covering and the planner's office model.

``solve_p_median`` is the public door. It always starts with a fast heuristic (greedy addition,
then Whitaker's fast interchange) and a Lagrangian lower bound by subgradient optimisation; the
bound's reduced costs fix sites that cannot be in (or out of) any better solution. When the gap
is not closed that way and the remaining model is small enough, an exact MILP is solved with
HiGHS, warm-started from the heuristic. The result says which of these proved what.

Costs are ``n_demand × n_sites``; every demand point is assigned to its cheapest open site.
NaN, infinite or negative costs and weights are refused with the position of the first one.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from servicecenter.core.network import milp

#: Above this many demand × site variables (after fixing, and after dropping the pairs costlier
#: than a surely open site) the exact MILP is not attempted by "auto":
#: HiGHS proves models of this size (OR-Library pmed1 to pmed10) in well under a second, while
#: pmed30's 360,000 pairs took 91 s and pmed35's 640,000 did not finish in ten minutes.
MILP_PAIR_LIMIT = 60_000

#: The time limit of ``solve_p_median`` when the caller gives none.
DEFAULT_TIME_LIMIT = 30.0


class CostMatrixError(ValueError):
    """The input of a location model cannot be used; the message says where and why."""


@dataclass(frozen=True)
class LocationResult:
    """The solution of a p-median problem.

    ``assignment[i]`` is the site that serves demand point ``i``; ``objective`` is the weighted
    sum of the costs of those assignments; ``lower_bound`` is a proven lower bound on every
    feasible solution's objective; ``proven_optimal`` says whether the gap is closed.
    """

    open_sites: tuple[int, ...]
    assignment: np.ndarray = field(repr=False)
    objective: float
    lower_bound: float
    proven_optimal: bool
    method: str
    seconds: float

    @property
    def gap(self) -> float:
        """Relative gap between the objective and the lower bound (0 when proven optimal)."""
        if self.proven_optimal or self.objective <= 0:
            return 0.0
        return max(0.0, (self.objective - self.lower_bound) / self.objective)


@dataclass(frozen=True)
class CoveringResult:
    open_sites: tuple[int, ...]
    covered: np.ndarray = field(repr=False)
    covered_weight: float
    total_weight: float
    upper_bound: float
    proven_optimal: bool
    seconds: float

    @property
    def share(self) -> float:
        return self.covered_weight / self.total_weight if self.total_weight else 1.0


# --------------------------------------------------------------------------------------------
# Validation


def _validated(cost, weights, p, fixed_open, fixed_closed, *, need_p: bool = True):
    c = np.asarray(cost, dtype=np.float64)
    if c.ndim != 2 or c.shape[0] == 0 or c.shape[1] == 0:
        raise CostMatrixError(f"The cost matrix must be two-dimensional and non-empty (demand points × sites); got shape {c.shape}.")
    bad = ~np.isfinite(c)
    if bad.any():
        i, j = map(int, np.argwhere(bad)[0])
        raise CostMatrixError(
            f"The cost matrix has {int(bad.sum())} value(s) that are NaN or infinite; "
            f"the first is at demand point {i}, site {j} ({c[i, j]}). Use a large finite cost for unreachable pairs."
        )
    if (c < 0).any():
        i, j = map(int, np.argwhere(c < 0)[0])
        raise CostMatrixError(f"The cost matrix has negative values; the first is at demand point {i}, site {j} ({c[i, j]}).")
    n, m = c.shape
    if weights is None:
        w = np.ones(n)
    else:
        w = np.asarray(weights, dtype=np.float64).reshape(-1)
        if w.shape[0] != n:
            raise CostMatrixError(f"There are {w.shape[0]} weights for {n} demand points.")
        if not np.isfinite(w).all() or (w < 0).any():
            i = int(np.argwhere(~np.isfinite(w) | (w < 0))[0][0])
            raise CostMatrixError(f"Weight {i} is {w[i]}; weights must be finite and not negative.")
    fo = _sites(fixed_open, m, "fixed_open")
    fc = _sites(fixed_closed, m, "fixed_closed")
    both = set(fo) & set(fc)
    if both:
        raise CostMatrixError(f"Sites {sorted(both)} are both fixed open and fixed closed.")
    if need_p:
        if not isinstance(p, (int, np.integer)) or isinstance(p, bool):
            raise CostMatrixError(f"p must be a whole number; got {p!r}.")
        if p < 1 or p > m:
            raise CostMatrixError(f"p must be between 1 and the number of sites ({m}); got {p}.")
        if len(fo) > p:
            raise CostMatrixError(f"{len(fo)} sites are fixed open but only p = {p} may be open.")
        if m - len(fc) < p:
            raise CostMatrixError(f"Only {m - len(fc)} sites are not fixed closed; p = {p} cannot be opened.")
    return c, w, fo, fc


def _sites(sites: Iterable[int], m: int, name: str) -> tuple[int, ...]:
    out = []
    for s in sites:
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool) or not 0 <= s < m:
            raise CostMatrixError(f"{name} contains {s!r}, which is not a site index between 0 and {m - 1}.")
        out.append(int(s))
    return tuple(sorted(set(out)))


# --------------------------------------------------------------------------------------------
# Heuristic: greedy addition and fast interchange on the weighted cost matrix W = w_i * c_ij


def _objective(W: np.ndarray, open_sites: Sequence[int]) -> float:
    return float(W[:, list(open_sites)].min(axis=1).sum())


def _greedy(W: np.ndarray, p: int, fixed: np.ndarray, allowed: np.ndarray) -> list[int]:
    n, m = W.shape
    chosen = [int(j) for j in np.flatnonzero(fixed)]
    if chosen:
        d = W[:, chosen].min(axis=1)
    else:
        sums = W.sum(axis=0)
        sums[~allowed] = np.inf
        first = int(np.argmin(sums))
        chosen = [first]
        d = W[:, first].copy()
    if len(chosen) >= p:
        return chosen
    gain = np.maximum(d[:, None] - W, 0.0).sum(axis=0)
    blocked = ~allowed.copy()
    blocked[chosen] = True
    while len(chosen) < p:
        g = np.where(blocked, -np.inf, gain)
        k = int(np.argmax(g))
        chosen.append(k)
        blocked[k] = True
        new_d = np.minimum(d, W[:, k])
        rows = np.flatnonzero(new_d < d)
        if rows.size:
            sub = W[rows]
            gain -= np.maximum(d[rows, None] - sub, 0.0).sum(axis=0)
            gain += np.maximum(new_d[rows, None] - sub, 0.0).sum(axis=0)
        d = new_d
    return chosen


def _nearest_two(W: np.ndarray, open_sites: np.ndarray):
    sub = W[:, open_sites]
    if open_sites.size == 1:
        return np.zeros(W.shape[0], dtype=np.intp), sub[:, 0].copy(), np.full(W.shape[0], np.inf)
    part = np.argpartition(sub, 1, axis=1)[:, :2]
    rows = np.arange(W.shape[0])
    a, b = sub[rows, part[:, 0]], sub[rows, part[:, 1]]
    swap = b < a
    first = np.where(swap, part[:, 1], part[:, 0])
    return first, np.minimum(a, b), np.maximum(a, b)


def _interchange(W: np.ndarray, chosen: list[int], fixed: np.ndarray, allowed: np.ndarray,
                 deadline: float, chunk_cells: int = 8_000_000) -> tuple[list[int], float]:
    """Whitaker's fast interchange, evaluated for all (out, in) pairs at once per sweep."""
    n, m = W.shape
    current = list(chosen)
    value = _objective(W, current)
    while time.perf_counter() < deadline:
        S = np.array(current)
        p = S.size
        pos, d1, d2 = _nearest_two(W, S)
        mask = allowed.copy()
        mask[S] = False
        candidates = np.flatnonzero(mask)
        if candidates.size == 0:
            break
        member = sparse.csr_matrix((np.ones(n), (pos, np.arange(n))), shape=(p, n))
        removable = ~fixed[S]
        step = max(1, chunk_cells // max(n, 1))
        deltas = np.empty((p, candidates.size))
        for start in range(0, candidates.size, step):
            if start and time.perf_counter() >= deadline:
                return current, value  # a sweep of a large matrix takes seconds: stop mid-sweep
            cols = candidates[start:start + step]
            Wc = W[:, cols]
            m1 = np.minimum(Wc, d1[:, None])
            gain = (d1[:, None] - m1).sum(axis=0)
            loss = member @ (np.minimum(Wc, d2[:, None]) - m1)
            deltas[:, start:start + step] = loss - gain[None, :]
        deltas[~removable, :] = np.inf
        tolerance = 1e-9 * max(1.0, abs(value))
        order = np.argsort(deltas, axis=None)
        accepted = 0
        used_out: set[int] = set()
        used_in: set[int] = set()
        for flat in order[:64]:
            r, c = divmod(int(flat), candidates.size)
            if deltas[r, c] >= -tolerance:
                break
            out_site, in_site = int(S[r]), int(candidates[c])
            if out_site in used_out or in_site in used_in:
                continue
            trial = [in_site if s == out_site else s for s in current]
            trial_value = _objective(W, trial)
            if trial_value < value - tolerance:
                current, value = trial, trial_value
                used_out.add(out_site)
                used_in.add(in_site)
                accepted += 1
                if accepted >= 8 or time.perf_counter() >= deadline:
                    break
        if not accepted:
            break
    return current, value


def _perturbed_search(W, chosen, upper, lower, fixed, allowed, deadline, patience=12, seed=0):
    """Iterated local search: swap a few open sites for closed ones at random, run the
    interchange again, keep the result when it is better; stop after ``patience`` rounds
    without improvement, when the bound proves the incumbent, or at the deadline."""
    rng = np.random.default_rng(seed)
    best, value = list(chosen), upper
    idle = 0
    while idle < patience and time.perf_counter() < deadline and value - lower > 1e-9 * max(1.0, abs(value)):
        movable = [s for s in best if not fixed[s]]
        outside = np.flatnonzero(allowed & ~np.isin(np.arange(W.shape[1]), best))
        if not movable or outside.size == 0:
            break
        k = int(rng.integers(1, max(2, min(len(movable), outside.size, 4) + 1)))
        out = set(rng.choice(movable, size=min(k, len(movable)), replace=False).tolist())
        incoming = rng.choice(outside, size=len(out), replace=False).tolist()
        trial = [s for s in best if s not in out] + [int(j) for j in incoming]
        trial, trial_value = _interchange(W, trial, fixed, allowed, deadline)
        if trial_value < value - 1e-9 * max(1.0, abs(value)):
            best, value, idle = trial, trial_value, 0
        else:
            idle += 1
    return best, value


# --------------------------------------------------------------------------------------------
# Lagrangian relaxation of the assignment constraints


@dataclass
class _Bound:
    value: float
    rho: np.ndarray
    chosen: np.ndarray


def _select(rho: np.ndarray, p: int, fixed: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    free = allowed & ~fixed
    k = p - int(fixed.sum())
    chosen = np.flatnonzero(fixed)
    if k > 0:
        idx = np.flatnonzero(free)
        r = rho[idx]
        pick = idx[np.argpartition(r, k - 1)[:k]] if k < idx.size else idx
        chosen = np.concatenate([chosen, pick])
    return chosen


def _lagrangian(W, p, fixed, allowed, upper, incumbent_d, deadline, max_iterations=400, nearest=None):
    """Subgradient optimisation of the Lagrangian dual.

    Any multipliers give a valid bound, so each ``lambda_i`` is capped at the cost of the point's
    ``nearest``-th cheapest site: then only the pairs in those short lists can have a negative
    reduced cost, and each iteration costs O(n * nearest) instead of O(n * m). The list must be
    long enough for the cap not to bind at the optimum: with few medians each serves about n/p
    points, so it is at least twice that (pmed35, n = 800, p = 5: gap 5.7 % with 32, 1.0 % with 320).
    """
    n, m = W.shape
    if nearest is None:
        nearest = max(32, 2 * math.ceil(n / p))
    k = min(m, nearest)
    if k < m:
        idx = np.argpartition(W, k - 1, axis=1)[:, :k]
        val = np.take_along_axis(W, idx, axis=1)
    else:
        idx = np.broadcast_to(np.arange(m), (n, m))
        val = W
    cap = val.max(axis=1)
    flat_idx = idx.ravel()
    lam = np.minimum(incumbent_d, cap)
    best: _Bound | None = None
    theta, stall = 1.0, 0
    primal: tuple[list[int], float] | None = None
    in_chosen = np.zeros(m, dtype=bool)
    for iteration in range(max_iterations):
        reduced = np.minimum(val - lam[:, None], 0.0)
        rho = np.bincount(flat_idx, weights=reduced.ravel(), minlength=m)
        chosen = _select(rho, p, fixed, allowed)
        value = float(lam.sum() + rho[chosen].sum())
        improved = best is None or value > best.value + 1e-12 * max(1.0, abs(value))
        if improved:
            best = _Bound(value, rho.copy(), chosen.copy())
            stall = 0
        else:
            stall += 1
            if stall >= 15:
                theta /= 2
                stall = 0
        if upper - best.value <= 1e-9 * max(1.0, abs(upper)) or theta < 1e-4:
            break
        if iteration % 10 == 9:
            trial = _objective(W, chosen)
            if trial < upper - 1e-9 * max(1.0, abs(upper)):
                upper = trial
                primal = ([int(j) for j in chosen], trial)
        if time.perf_counter() >= deadline:
            break
        in_chosen[:] = False
        in_chosen[chosen] = True
        g = 1.0 - (in_chosen[idx] & (val < lam[:, None])).sum(axis=1)
        norm = float(g @ g)
        if norm == 0:
            break
        lam = np.clip(lam + theta * (upper - value) / norm * g, 0.0, cap)
    return best, primal


def _reduced_cost_fixing(bound: _Bound, upper: float, p: int, fixed: np.ndarray, allowed: np.ndarray):
    """Sites that the Lagrangian bound proves closed or open in every strictly better solution."""
    tolerance = 1e-9 * max(1.0, abs(upper))
    free = allowed & ~fixed
    inside = np.zeros_like(free)
    inside[bound.chosen] = True
    chosen_free = np.flatnonzero(inside & free)
    outside_free = np.flatnonzero(~inside & free)
    close = np.zeros_like(free)
    force = np.zeros_like(free)
    if chosen_free.size and outside_free.size:
        worst_in = bound.rho[chosen_free].max()
        best_out = bound.rho[outside_free].min()
        close[outside_free] = bound.value + bound.rho[outside_free] - worst_in > upper + tolerance
        force[chosen_free] = bound.value - bound.rho[chosen_free] + best_out > upper + tolerance
    return close, force


# --------------------------------------------------------------------------------------------
# Exact MILP on what is left


def _pairs(W: np.ndarray, sites: np.ndarray, always_open: np.ndarray):
    """Demand × site pairs worth a variable: cheaper than the nearest site that is surely open."""
    sub = W[:, sites]
    opened = always_open[sites]
    if opened.any():
        cap = np.where(opened[None, :], sub, np.inf).min(axis=1)
        first_open = np.where(opened[None, :], sub, np.inf).argmin(axis=1)
        keep = sub < cap[:, None]
        keep[np.arange(W.shape[0]), first_open] = True
    else:
        keep = np.ones_like(sub, dtype=bool)
    return np.nonzero(keep)


def _assignment_model(W, sites, lower_y, upper_y, always_open):
    """Columns: y for each site in ``sites``, then one x per kept pair. Rows: each demand point
    assigned once, and x <= y for the sites that may close."""
    n = W.shape[0]
    k = sites.size
    rows_i, cols_j = _pairs(W, sites, always_open)
    npairs = rows_i.size
    x_col = k + np.arange(npairs)
    cost = np.concatenate([np.zeros(k), W[rows_i, sites[cols_j]]])
    # assignment rows 0..n-1
    r_assign = rows_i
    c_assign = x_col
    v_assign = np.ones(npairs)
    # linking rows for pairs whose site may close
    may_close = ~always_open[sites][cols_j]
    link = np.flatnonzero(may_close)
    nl = link.size
    r_link = n + np.repeat(np.arange(nl), 2)
    c_link = np.column_stack([x_col[link], cols_j[link]]).reshape(-1)
    v_link = np.tile([1.0, -1.0], nl)
    rows = np.concatenate([r_assign, r_link])
    cols = np.concatenate([c_assign, c_link])
    vals = np.concatenate([v_assign, v_link])
    A = sparse.coo_matrix((vals, (rows, cols)), shape=(n + nl, k + npairs))
    row_lower = np.concatenate([np.ones(n), np.full(nl, -np.inf)])
    row_upper = np.concatenate([np.ones(n), np.zeros(nl)])
    col_lower = np.concatenate([lower_y, np.zeros(npairs)])
    col_upper = np.concatenate([upper_y, np.ones(npairs)])
    integer = np.concatenate([np.ones(k, dtype=np.int32), np.zeros(npairs, dtype=np.int32)])
    return A, cost, row_lower, row_upper, col_lower, col_upper, integer, (rows_i, cols_j)


def _start_vector(W, sites, open_set, pairs):
    rows_i, cols_j = pairs
    y = np.isin(sites, list(open_set)).astype(float)
    pair_site = sites[cols_j]
    pair_cost = np.where(y[cols_j] > 0, W[rows_i, pair_site], np.inf)
    best = np.full(W.shape[0], np.inf)
    np.minimum.at(best, rows_i, pair_cost)
    x = np.zeros(rows_i.size)
    taken = np.zeros(W.shape[0], dtype=bool)
    for idx in np.flatnonzero(pair_cost == best[rows_i]):
        i = rows_i[idx]
        if not taken[i]:
            x[idx] = 1.0
            taken[i] = True
    return np.concatenate([y, x])


def _pmedian_milp(W, p, fixed, closed_mask, incumbent, time_limit):
    sites = np.flatnonzero(~closed_mask)
    lower_y = fixed[sites].astype(float)
    upper_y = np.ones(sites.size)
    A, cost, rl, ru, cl, cu, integer, pairs = _assignment_model(W, sites, lower_y, upper_y, fixed)
    card = sparse.coo_matrix((np.ones(sites.size), (np.zeros(sites.size, dtype=int), np.arange(sites.size))),
                             shape=(1, A.shape[1]))
    A = sparse.vstack([A, card])
    rl = np.append(rl, p)
    ru = np.append(ru, p)
    start = _start_vector(W, sites, incumbent, pairs)
    solution = milp.solve(cost, A, rl, ru, cl, cu, integer, time_limit=time_limit, start=start)
    opened = None
    if solution.x is not None:
        opened = [int(s) for s in sites[solution.x[: sites.size] > 0.5]]
    return solution, opened


# --------------------------------------------------------------------------------------------
# Public functions


def solve_p_median(
    cost,
    p: int,
    weights=None,
    fixed_open: Iterable[int] = (),
    fixed_closed: Iterable[int] = (),
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    *,
    method: str = "auto",
) -> LocationResult:
    """Choose ``p`` sites to open so that the weighted sum of each demand point's cheapest open
    site is smallest.

    ``method`` is ``"auto"`` (heuristic and bound; the exact MILP when the gap is open and the
    model is small enough), ``"exact"`` (the MILP whatever the size) or ``"heuristic"``.
    ``time_limit`` (seconds, 30 unless given; ``None`` for no limit) bounds the whole call: it
    returns by then with the best solution found, a proven lower bound and the gap.
    """
    if method not in ("auto", "exact", "heuristic"):
        raise CostMatrixError(f"Unknown method {method!r}; use auto, exact or heuristic.")
    started = time.perf_counter()
    if time_limit is not None and not (isinstance(time_limit, (int, float)) and time_limit > 0):
        raise CostMatrixError(f"The time limit must be a positive number of seconds; got {time_limit!r}.")
    deadline = started + (time_limit if time_limit is not None else math.inf)
    c, w, fo, fc = _validated(cost, weights, p, fixed_open, fixed_closed)
    n, m = c.shape
    W = c * w[:, None]
    fixed = np.zeros(m, dtype=bool)
    fixed[list(fo)] = True
    allowed = np.ones(m, dtype=bool)
    allowed[list(fc)] = False

    def finish(open_sites, lower, proven, how):
        open_arr = np.array(sorted(open_sites))
        assignment = open_arr[np.argmin(W[:, open_arr], axis=1)]
        assignment.setflags(write=False)
        objective = float(W[np.arange(n), assignment].sum())
        lower = min(lower, objective)
        return LocationResult(tuple(int(s) for s in open_arr), assignment, objective, float(lower),
                              bool(proven), how, time.perf_counter() - started)

    if p == int(allowed.sum()) or p == len(fo):
        forced = np.flatnonzero(allowed) if p == int(allowed.sum()) else np.array(fo)
        return finish(forced, _objective(W, forced), True, "enumeration")

    heuristic_share = 0.5 if method != "heuristic" else 0.8
    soft_deadline = started + (deadline - started) * heuristic_share
    chosen = _greedy(W, p, fixed, allowed)
    chosen, upper = _interchange(W, chosen, fixed, allowed, soft_deadline)
    _, incumbent_d, _ = _nearest_two(W, np.array(chosen))
    bound, primal = _lagrangian(W, p, fixed, allowed, upper, incumbent_d, deadline)
    # the relaxation's own choice of sites, polished by the interchange, is usually the best
    # start there is (it reached the published optimum of most OR-Library instances)
    for start in ([int(j) for j in bound.chosen], primal[0] if primal else None):
        if start is not None:
            trial, value = _interchange(W, start, fixed, allowed, deadline)
            if value < upper:
                chosen, upper = trial, value
    lower = bound.value if bound is not None else 0.0
    if np.array_equal(W, np.round(W)):
        lower = math.ceil(lower - 1e-9 * max(1.0, abs(lower)))  # integral costs: so is the optimum
    tolerance = 1e-9 * max(1.0, abs(upper))
    if upper - lower > tolerance:
        chosen, upper = _perturbed_search(W, chosen, upper, lower, fixed, allowed,
                                          soft_deadline if method != "heuristic" else deadline)
    if upper - lower <= tolerance:
        return finish(chosen, lower, True, "heuristic+lagrangian")
    if method == "heuristic" or time.perf_counter() >= deadline:
        return finish(chosen, lower, False, "heuristic+lagrangian")

    close, force = _reduced_cost_fixing(bound, upper, p, fixed, allowed)
    closed_mask = ~allowed | close
    fixed_all = fixed | force
    remaining_pairs = int(_pairs(W, np.flatnonzero(~closed_mask), fixed_all)[0].size)
    if method == "auto" and remaining_pairs > MILP_PAIR_LIMIT:
        return finish(chosen, lower, False, "heuristic+lagrangian")
    remaining = deadline - time.perf_counter()
    solution, opened = _pmedian_milp(W, p, fixed_all, closed_mask, chosen,
                                     max(0.01, remaining) if math.isfinite(remaining) else None)
    if opened is not None and _objective(W, opened) < upper:
        chosen = opened
    if solution.status == "optimal":
        # The MILP is optimal among solutions the fixing kept; the fixing removed only solutions
        # no better than the incumbent, so the better of the two is optimal overall.
        return finish(chosen, _objective(W, chosen), True, "milp")
    return finish(chosen, max(lower, min(solution.bound, upper)), False, "milp")


def solve_max_covering(
    cost,
    p: int,
    radius: float,
    weights=None,
    fixed_open: Iterable[int] = (),
    fixed_closed: Iterable[int] = (),
    time_limit: float | None = None,
) -> CoveringResult:
    """Open ``p`` sites so that the weight of demand within ``radius`` of an open site is largest
    (Church and ReVelle's maximal covering), solved exactly with HiGHS within the time limit."""
    started = time.perf_counter()
    c, w, fo, fc = _validated(cost, weights, p, fixed_open, fixed_closed)
    if not (isinstance(radius, (int, float)) and math.isfinite(radius) and radius >= 0):
        raise CostMatrixError(f"The radius must be a finite distance of at least 0; got {radius!r}.")
    n, m = c.shape
    within = c <= radius
    # greedy start
    allowed = np.ones(m, dtype=bool)
    allowed[list(fc)] = False
    opened = list(fo)
    covered = within[:, opened].any(axis=1) if opened else np.zeros(n, dtype=bool)
    while len(opened) < p:
        gains = ((within & ~covered[:, None]) * w[:, None]).sum(axis=0)
        gains[~allowed] = -1
        gains[opened] = -1
        k = int(np.argmax(gains))
        opened.append(k)
        covered |= within[:, k]
    reachable = np.flatnonzero(within.any(axis=1))
    k = reachable.size
    # columns: y (m), z (k); rows: z_i - sum_j a_ij y_j <= 0 ; sum y = p
    ii, jj = np.nonzero(within[reachable])
    rows = np.concatenate([np.arange(k), ii, np.full(m, k)])
    cols = np.concatenate([m + np.arange(k), jj, np.arange(m)])
    vals = np.concatenate([np.ones(k), -np.ones(ii.size), np.ones(m)])
    A = sparse.coo_matrix((vals, (rows, cols)), shape=(k + 1, m + k))
    rl = np.concatenate([np.full(k, -np.inf), [p]])
    ru = np.concatenate([np.zeros(k), [p]])
    cl = np.zeros(m + k)
    cl[list(fo)] = 1
    cu = np.ones(m + k)
    cu[list(fc)] = 0
    integer = np.concatenate([np.ones(m, dtype=np.int32), np.zeros(k, dtype=np.int32)])
    start = np.concatenate([np.isin(np.arange(m), opened).astype(float), covered[reachable].astype(float)])
    solution = milp.solve(-np.concatenate([np.zeros(m), w[reachable]]), A, rl, ru, cl, cu, integer,
                          time_limit=time_limit, start=start)
    best = opened
    if solution.x is not None:
        candidate = [int(j) for j in np.flatnonzero(solution.x[:m] > 0.5)]
        if (w * within[:, candidate].any(axis=1)).sum() >= (w * within[:, best].any(axis=1)).sum():
            best = candidate
    cover = within[:, best].any(axis=1)
    cover.setflags(write=False)
    value = float((w * cover).sum())
    upper = value if solution.status == "optimal" else max(value, -solution.bound)
    return CoveringResult(tuple(sorted(best)), cover, value, float(w.sum()), float(upper),
                          solution.status == "optimal", time.perf_counter() - started)


@dataclass(frozen=True)
class Groups:
    """At least one open site in each group (e.g. each FA-region): hard, or soft with a penalty
    per group left empty (in the objective's units)."""

    members: tuple[tuple[int, ...], ...]
    hard: bool = True
    penalty: float = 0.0


def solve_office_model(
    cost,
    weights=None,
    *,
    p: int | None = None,
    fixed_open: Iterable[int] = (),
    fixed_closed: Iterable[int] = (),
    groups: Groups | None = None,
    savings: Sequence[float] | None = None,
    savings_target: float | None = None,
    time_limit: float | None = 60.0,
) -> LocationResult:
    """The planner's model: the p-median with the rules of an office network.

    Either ``p`` (offices to keep) or a ``savings_target`` (the yearly savings of the closed
    offices, ``savings[j]`` each, must reach it) or both; groups of sites that must keep at least
    one office. Solved exactly with HiGHS (the office networks are small); within the time limit
    the best solution found and HiGHS's bound are reported.
    """
    started = time.perf_counter()
    c, w, fo, fc = _validated(cost, weights, p if p is not None else 1, fixed_open, fixed_closed, need_p=p is not None)
    n, m = c.shape
    if p is None and savings_target is None:
        raise CostMatrixError("Give p (sites to keep), a savings target, or both.")
    if savings_target is not None:
        if savings is None or len(savings) != m:
            raise CostMatrixError(f"A savings target needs one saving per site ({m}).")
        sv = np.asarray(savings, dtype=np.float64)
        if not np.isfinite(sv).all():
            raise CostMatrixError("Savings must be finite numbers.")
    W = c * w[:, None]
    fixed = np.zeros(m, dtype=bool)
    fixed[list(fo)] = True
    closed = np.zeros(m, dtype=bool)
    closed[list(fc)] = True
    sites = np.flatnonzero(~closed)
    A, cost_vec, rl, ru, cl, cu, integer, pairs = _assignment_model(
        W, sites, fixed[sites].astype(float), np.ones(sites.size), fixed)
    extra_rows, extra_rl, extra_ru = [], [], []
    ncols = A.shape[1]
    if p is not None:
        extra_rows.append(sparse.coo_matrix((np.ones(sites.size), (np.zeros(sites.size, int), np.arange(sites.size))), shape=(1, ncols)))
        extra_rl.append(p)
        extra_ru.append(p)
    if savings_target is not None:
        # sum_j s_j (1 - y_j) >= target, over the sites that may close (closed ones save surely)
        already = float(sv[closed].sum())
        s = sv[sites]
        extra_rows.append(sparse.coo_matrix((s, (np.zeros(sites.size, int), np.arange(sites.size))), shape=(1, ncols)))
        extra_rl.append(-np.inf)
        extra_ru.append(float(s.sum()) + already - savings_target)
    slack_cols = 0
    if groups is not None:
        position = {int(s): k for k, s in enumerate(sites)}
        g_rows = [[position[j] for j in members if j in position] for members in groups.members]
        if not groups.hard:
            slack_cols = len(g_rows)
        total_cols = ncols + slack_cols
        for g, idx in enumerate(g_rows):
            r_cols = list(idx) + ([ncols + g] if not groups.hard else [])
            if not r_cols:
                raise CostMatrixError(f"Group {g} has no site that may stay open; the hard rule cannot hold.")
            extra_rows.append(sparse.coo_matrix((np.ones(len(r_cols)), (np.zeros(len(r_cols), int), r_cols)), shape=(1, total_cols)))
            extra_rl.append(1)
            extra_ru.append(np.inf)
    if slack_cols:
        A = sparse.hstack([A, sparse.coo_matrix((A.shape[0], slack_cols))])
        extra_rows = [r if r.shape[1] == A.shape[1] else sparse.hstack([r, sparse.coo_matrix((1, slack_cols))]) for r in extra_rows]
        cost_vec = np.concatenate([cost_vec, np.full(slack_cols, float(groups.penalty))])
        cl = np.concatenate([cl, np.zeros(slack_cols)])
        cu = np.concatenate([cu, np.ones(slack_cols)])
        integer = np.concatenate([integer, np.zeros(slack_cols, dtype=np.int32)])
    if extra_rows:
        A = sparse.vstack([A] + extra_rows)
        rl = np.concatenate([rl, extra_rl])
        ru = np.concatenate([ru, extra_ru])
    solution = milp.solve(cost_vec, A, rl, ru, cl, cu, integer, time_limit=time_limit)
    if solution.x is None:
        raise CostMatrixError(
            "No set of offices satisfies all the rules together (kept count, savings target, one office per group); "
            "relax one of them." if solution.status == "infeasible" else
            "No solution was found within the time limit; allow more time.")
    opened = sites[solution.x[: sites.size] > 0.5]
    assignment = opened[np.argmin(W[:, opened], axis=1)]
    assignment.setflags(write=False)
    objective = float(W[np.arange(n), assignment].sum())
    penalty = float(solution.objective - objective) if slack_cols else 0.0
    lower = solution.objective if solution.status == "optimal" else solution.bound
    return LocationResult(tuple(int(s) for s in opened), assignment, objective, float(min(objective, lower - penalty)),
                          solution.status == "optimal", "milp", time.perf_counter() - started)
