"""Allocation of support departments' cost onto production departments.

Notation. Departments are support (they serve others) or production (they serve customers).
``d`` is each department's direct cost. ``service_shares[s][r]`` is the share of support
department ``s``'s cost that goes to receiver ``r``; a support department's shares sum to 1
and never name itself.

**Reciprocal** (Kaplan & Atkinson, *Advanced Management Accounting*, 3rd ed., ch. 3): the
grossed-up cost ``x`` of the support departments satisfies ``x = d_S + A x``, where
``A[t, s] = service_shares[s][t]`` for support ``t``; so ``(I − A) x = d_S``, solved exactly
with a sparse LU factorisation. Production ``p`` ends with ``d_p + Σ_s B[p, s] x_s``,
``B[p, s] = service_shares[s][p]``. Because every support department hands out all of ``x_s``,
the production totals add up to the total direct cost.

**Iterative**: the same fixed point by repeated distribution, ``x ← d_S + A x`` until the
largest change is below the tolerance (offered for comparison; it converges when every loop of
support departments leaks to production).

**Step-down**: support departments distribute in a stated order; each hands its accumulated
cost to the receivers after it in the order (and to production), its shares to earlier
departments dropped and the rest scaled to 1. Without a stated order, the order is derived
from who serves whom; a loop makes that impossible and is reported with its members.

Money: direct costs are Decimal; shares are ratios and may be Decimal or float; the linear
algebra is float64; results are rounded to öre with
``round_conserving``, so the production totals add up exactly to the direct costs. The trace
(what part of each production department's cost came from which department's direct cost)
is kept as a float matrix and read out in Decimal per receiver on demand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import scipy.sparse as sparse
from scipy.sparse.linalg import splu

from servicecenter.core.money import (
    ZERO,
    from_float,
    round_conserving,
    split_largest_remainder,
)
from servicecenter.core.problems import Problem

SHARE_TOLERANCE = Decimal("0.000001")


class AllocationError(ValueError):
    """The input cannot be allocated; ``problems`` says every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(problem.message("en") for problem in problems))


@dataclass(frozen=True)
class AllocationResult:
    """Final cost per production department, grossed-up cost per support department, and the trace.

    The trace says what part of each production department's final cost originates in which
    department's direct cost (``origins``). It is held as factors (``receives`` from support
    departments × ``origin_of_support``) and expanded per receiver on demand, so a large
    allocation does not pay for a matrix nobody reads.
    """

    production_costs: Mapping[str, Decimal]
    support_costs: Mapping[str, Decimal]
    production: tuple[str, ...]
    origins: tuple[str, ...]
    receives: Any = field(repr=False, compare=False)           # production × support (sparse or dense)
    origin_of_support: np.ndarray = field(repr=False, compare=False)  # support × support-origin, in kronor
    own: np.ndarray = field(repr=False, compare=False)          # each production department's direct cost
    method: str = "reciprocal"
    iterations: int = 0

    @property
    def total(self) -> Decimal:
        return sum(self.production_costs.values(), ZERO)

    def trace_row(self, department: str) -> np.ndarray:
        """Float contributions of every origin to ``department`` (support origins, then production)."""
        i = self.production.index(department)
        n_s = self.origin_of_support.shape[0]
        row = np.zeros(len(self.origins))
        if n_s:
            received = self.receives[i]
            received = received.toarray().ravel() if sparse.issparse(received) else np.asarray(received).ravel()
            row[:n_s] = received @ self.origin_of_support
        row[n_s + i] = self.own[i]
        return row

    def contributions(self, department: str) -> dict[str, Decimal]:
        """Where ``department``'s final cost came from, by origin department, to the öre."""
        row = self.trace_row(department)
        parts = {origin: float(row[j]) for j, origin in enumerate(self.origins) if row[j] != 0.0}
        return round_conserving(parts, self.production_costs[department])


def check_shares(direct_costs: Mapping[str, Decimal], service_shares: Mapping[str, Mapping[str, Decimal]]) -> list[Problem]:
    """Every problem with the input of an allocation, as values."""
    problems, _converted = _check_and_convert(direct_costs, service_shares)
    return problems


def _check_and_convert(direct_costs, service_shares):
    """Validate and convert the shares to float arrays in one pass (C-level ``map`` per department)."""
    problems: list[Problem] = []
    known = direct_costs.keys()
    converted = {}
    for support, shares in service_shares.items():
        if support not in known:
            problems.append(Problem("allocation.unknown_department", {"department": support}))
        receivers = list(shares)
        values = np.fromiter(map(float, shares.values()), dtype=float, count=len(receivers))
        total = float(values.sum())
        if abs(total - 1) > float(SHARE_TOLERANCE):
            problems.append(Problem("allocation.shares_sum", {"department": support, "total": str(sum((Decimal(v) for v in shares.values()), ZERO))}))
        if support in shares:
            problems.append(Problem("allocation.self_share", {"department": support}))
        if not shares.keys() <= known:  # a C-level subset test; the difference only when needed
            for receiver in sorted(set(receivers) - set(known)):
                problems.append(Problem("allocation.unknown_department", {"department": receiver}))
        if len(values) and values.min() < 0:
            for receiver, value in zip(receivers, values, strict=True):
                if value < 0:
                    problems.append(Problem("allocation.negative_share", {"department": support, "receiver": receiver}))
        converted[support] = (receivers, values)
    if not [name for name in direct_costs if name not in service_shares]:
        problems.append(Problem("allocation.no_production"))
    return problems, converted


def _prepare(direct_costs, service_shares):
    problems, converted = _check_and_convert(direct_costs, service_shares)
    if problems:
        raise AllocationError(problems)
    supports = tuple(name for name in direct_costs if name in service_shares)
    production = tuple(name for name in direct_costs if name not in service_shares)
    n_s, n_p = len(supports), len(production)
    # one index over all departments: supports 0..n_s-1, production n_s..n_s+n_p-1
    position = {name: i for i, name in enumerate(supports)}
    position.update({name: n_s + i for i, name in enumerate(production)})
    rows, cols, vals = [], [], []
    for column, support in enumerate(supports):
        receivers, values = converted[support]
        rows.append(np.fromiter(map(position.__getitem__, receivers), dtype=np.int64, count=len(receivers)))
        cols.append(np.full(len(receivers), column, dtype=np.int64))
        vals.append(values)
    rows_all = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    cols_all = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    vals_all = np.concatenate(vals) if vals else np.zeros(0)
    to_support = rows_all < n_s
    a = sparse.csc_matrix((vals_all[to_support], (rows_all[to_support], cols_all[to_support])), shape=(n_s, n_s))
    b = sparse.csr_matrix((vals_all[~to_support], (rows_all[~to_support] - n_s, cols_all[~to_support])), shape=(n_p, n_s))
    d_s = np.fromiter(map(float, (direct_costs[name] for name in supports)), dtype=float, count=n_s)
    d_p = np.fromiter(map(float, (direct_costs[name] for name in production)), dtype=float, count=n_p)
    return supports, production, a, b, d_s, d_p


def _result(direct_costs, supports, production, b, x, d_p, inverse, d_s, method, iterations) -> AllocationResult:
    total = sum((Decimal(value) for value in direct_costs.values()), ZERO)
    final = d_p + b @ x
    production_costs = round_conserving(dict(zip(production, final.tolist(), strict=True)), total)
    support_costs = {name: from_float(x[i], 2) for i, name in enumerate(supports)}
    origin_of_support = inverse * d_s if len(supports) else np.zeros((0, 0))
    return AllocationResult(production_costs, support_costs, production, supports + production, b, origin_of_support, d_p, method, iterations)


def allocate_reciprocal(direct_costs: Mapping[str, Decimal], service_shares: Mapping[str, Mapping[str, Decimal]]) -> AllocationResult:
    """Reciprocal allocation, solved exactly (see the module docstring)."""
    supports, production, a, b, d_s, d_p = _prepare(direct_costs, service_shares)
    if not supports:
        return _result(direct_costs, supports, production, b, np.zeros(0), d_p, np.zeros((0, 0)), d_s, "reciprocal", 0)
    system = (sparse.identity(len(supports), format="csc") - a).tocsc()
    try:
        lu = splu(system)
    except RuntimeError:
        raise AllocationError([Problem("allocation.closed_loop", {"departments": ", ".join(supports[:10])})]) from None
    x = lu.solve(d_s)
    if not np.all(np.isfinite(x)):
        raise AllocationError([Problem("allocation.closed_loop", {"departments": ", ".join(supports[:10])})])
    inverse = lu.solve(np.eye(len(supports)))  # (I - A)^-1: the trace's factor
    return _result(direct_costs, supports, production, b, x, d_p, inverse, d_s, "reciprocal", 0)


def allocate_iterative(direct_costs: Mapping[str, Decimal], service_shares: Mapping[str, Mapping[str, Decimal]],
                       tolerance: float = 1e-9, max_iterations: int = 100_000) -> AllocationResult:
    """The reciprocal fixed point by repeated distribution, until no grossed-up cost moves more
    than ``tolerance`` kronor."""
    supports, production, a, b, d_s, d_p = _prepare(direct_costs, service_shares)
    x = d_s.copy()
    iterations = 0
    a_csr = a.tocsr()
    while iterations < max_iterations:
        iterations += 1
        following = d_s + a_csr @ x
        if np.max(np.abs(following - x), initial=0.0) < tolerance:
            x = following
            break
        x = following
    else:
        raise AllocationError([Problem("allocation.no_convergence", {"iterations": max_iterations})])
    # the trace needs (I - A)^-1; the iterative method's result is traced through the same factor
    inverse = np.linalg.solve(np.eye(len(supports)) - a.toarray(), np.eye(len(supports))) if len(supports) else np.zeros((0, 0))
    return _result(direct_costs, supports, production, b, x, d_p, inverse, d_s, "iterative", iterations)


def step_down_order(service_shares: Mapping[str, Mapping[str, Decimal]]) -> tuple[list[str], list[Problem]]:
    """An order in which no support department serves one before it, or the loop that prevents one."""
    supports = list(service_shares)
    serves = {s: {r for r, share in service_shares[s].items() if r in service_shares and Decimal(share) > 0} for s in supports}
    order, state = [], {}

    def visit(node, path):
        state[node] = "open"
        for receiver in sorted(serves[node]):
            if state.get(receiver) == "open":
                loop = path[path.index(receiver):] + [receiver]
                raise AllocationError([Problem("allocation.cycle", {"cycle": " → ".join(loop)})])
            if receiver not in state:
                visit(receiver, path + [receiver])
        state[node] = "done"
        order.append(node)

    try:
        for node in supports:
            if node not in state:
                visit(node, [node])
    except AllocationError as error:
        return [], error.problems
    return order[::-1], []


def allocate_step_down(direct_costs: Mapping[str, Decimal], service_shares: Mapping[str, Mapping[str, Decimal]],
                       order: Sequence[str] | None = None) -> AllocationResult:
    """Step-down allocation in ``order`` (derived when not given; a loop is an error)."""
    problems = check_shares(direct_costs, service_shares)
    if order is None:
        order, loop = step_down_order(service_shares)
        problems += loop
    else:
        order = list(order)
        seen = set()
        for name in order:
            if name in seen:
                problems.append(Problem("allocation.order_repeats", {"department": name}))
            seen.add(name)
        missing = [name for name in service_shares if name not in seen]
        unknown = [name for name in order if name not in service_shares]
        if missing:
            problems.append(Problem("allocation.order_missing", {"departments": ", ".join(missing)}))
        if unknown:
            problems.append(Problem("allocation.order_unknown", {"departments": ", ".join(unknown)}))
    if problems:
        raise AllocationError(problems)
    position = {name: i for i, name in enumerate(order)}
    balances = {name: Decimal(value) for name, value in direct_costs.items()}
    origins = list(order) + [name for name in direct_costs if name not in service_shares]
    production = tuple(name for name in direct_costs if name not in service_shares)
    origin_index = {name: j for j, name in enumerate(origins)}
    composition = {name: np.zeros(len(origins)) for name in direct_costs}
    for name in direct_costs:
        composition[name][origin_index[name]] = float(direct_costs[name])
    grossed = {}
    for support in order:
        amount = balances[support]
        grossed[support] = amount
        allowed = {r: Decimal(share) for r, share in service_shares[support].items()
                   if Decimal(share) > 0 and (r not in position or position[r] > position[support])}
        if not allowed:
            raise AllocationError([Problem("allocation.nowhere_to_go", {"department": support})])
        parts = split_largest_remainder(amount, allowed)  # handles a negative amount (a credit) itself
        weight = sum(allowed.values(), ZERO)
        for receiver, part in parts.items():
            balances[receiver] += part
            composition[receiver] += composition[support] * float(allowed[receiver] / weight)
        balances[support] = ZERO
        composition[support] = np.zeros(len(origins))
    n_s = len(order)
    receives = np.array([composition[name][:n_s] for name in production]) if production else np.zeros((0, n_s))
    return AllocationResult({name: balances[name] for name in production}, grossed, production, tuple(origins),
                            receives, np.eye(n_s), np.array([float(direct_costs[name]) for name in production]), "step_down", 0)


def allocate_direct(amount: Decimal, key: Mapping[str, Decimal | int], label: str = "") -> dict[str, Decimal]:
    """Spread one pool over its receivers in proportion to the key, to the öre; a key that sums
    to zero is an error, never a silent drop."""
    weights = {receiver: Decimal(weight) for receiver, weight in key.items()}
    if any(weight < 0 for weight in weights.values()):
        raise AllocationError([Problem("allocation.negative_key", {"pool": label})])
    if not weights or sum(weights.values(), ZERO) == 0:
        raise AllocationError([Problem("allocation.zero_key", {"pool": label, "amount": str(amount)})])
    return split_largest_remainder(amount, weights)
