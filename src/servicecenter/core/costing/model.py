"""A cost model: a sequence of allocation steps over named cost objects, run with a balancing
report per step, the flows between objects (for a cost-flow diagram) and a trace.

Objects are strings: cost pools (``pool:IT``), processes (``process:lon``), services
(``service:lon``) and customer × service charges (``charge:202100-1234|lon``). ``run_model``
starts from each object's stored cost (the ledger mapped to pools) and applies the steps in
order:

- ``direct``: each source's whole balance goes to its receivers in proportion to its key;
- ``step_down``: the sources distribute in the stated (or derived) order, each only to
  receivers later in the order;
- ``reciprocal``: the sources serve each other and the receivers; solved exactly.

Every step conserves the total to the öre (checked, and reported). Cost on an object that no
later step moves stays where it is and is visible in the final balances: nothing disappears.

The trace: every object carries a composition over the *origins* (the objects holding cost
before the first step), so ``trace(object)`` says how much of its balance came from each pool;
the ledger rows behind each pool are kept by the caller (the pool mapping).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

import numpy as np

from servicecenter.core.costing.allocation import (
    AllocationError,
    allocate_direct,
    allocate_reciprocal,
    allocate_step_down,
)
from servicecenter.core.money import ZERO, from_float, round_conserving
from servicecenter.core.problems import Problem


class StepMethod(StrEnum):
    DIRECT = "direct"
    STEP_DOWN = "step_down"
    RECIPROCAL = "reciprocal"


@dataclass(frozen=True)
class Step:
    """``keys[source]`` maps receivers to weights (any non-negative numbers; normalised per source)."""

    name: str
    method: StepMethod
    keys: Mapping[str, Mapping[str, Decimal]]
    order: tuple[str, ...] | None = None
    key_name: str = ""


@dataclass(frozen=True)
class StepReport:
    name: str
    method: StepMethod
    total_before: Decimal
    total_after: Decimal
    moved: Decimal
    flows: tuple[tuple[str, str, Decimal], ...]   # (from, to, amount)

    @property
    def balanced(self) -> bool:
        return self.total_before == self.total_after


@dataclass(frozen=True)
class ModelResult:
    balances: Mapping[str, Decimal]
    reports: tuple[StepReport, ...]
    origins: tuple[str, ...]
    composition: Mapping[str, np.ndarray] = field(repr=False, compare=False)

    @property
    def total(self) -> Decimal:
        return sum(self.balances.values(), ZERO)

    def trace(self, name: str) -> dict[str, Decimal]:
        """How much of ``name``'s final balance came from each origin, to the öre."""
        vector = self.composition.get(name)
        if vector is None or self.balances.get(name, ZERO) == 0:
            return {}
        parts = {origin: float(vector[j]) for j, origin in enumerate(self.origins) if vector[j] != 0.0}
        return round_conserving(parts, self.balances[name])

    def with_prefix(self, prefix: str) -> dict[str, Decimal]:
        return {name: amount for name, amount in self.balances.items() if name.startswith(prefix) and amount != 0}


def check_model(initial: Mapping[str, Decimal], steps: Sequence[Step]) -> list[Problem]:
    """Problems visible before running: empty or negative keys, a source with no key."""
    problems = []
    for step in steps:
        for source, key in step.keys.items():
            weights = [Decimal(w) for w in key.values()]
            if any(w < 0 for w in weights):
                problems.append(Problem("allocation.negative_key", {"pool": f"{step.name}: {source}"}))
            elif step.method is StepMethod.DIRECT and sum(weights, ZERO) == 0:
                problems.append(Problem("allocation.zero_key", {"pool": f"{step.name}: {source}", "amount": "?"}))
    return problems


def run_model(initial: Mapping[str, Decimal], steps: Sequence[Step]) -> ModelResult:
    """Apply ``steps`` to the ``initial`` balances; raises AllocationError with every problem."""
    problems = check_model(initial, steps)
    if problems:
        raise AllocationError(problems)
    balances: dict[str, Decimal] = {name: Decimal(amount) for name, amount in initial.items()}
    origins = tuple(name for name, amount in balances.items())
    index = {name: j for j, name in enumerate(origins)}
    composition: dict[str, np.ndarray] = {}
    for name, amount in balances.items():
        vector = np.zeros(len(origins))
        vector[index[name]] = float(amount)
        composition[name] = vector
    reports = []
    for step in steps:
        before = sum(balances.values(), ZERO)
        flows: list[tuple[str, str, Decimal]] = []
        if step.method is StepMethod.DIRECT:
            _direct(step, balances, composition, flows, len(origins))
        else:
            _mutual(step, balances, composition, flows, len(origins))
        after = sum(balances.values(), ZERO)
        if after != before:
            raise AllocationError([Problem("allocation.not_conserved", {"step": step.name, "before": str(before), "after": str(after)})])
        reports.append(StepReport(step.name, step.method, before, after, sum((amount for _, _, amount in flows), ZERO), tuple(flows)))
    return ModelResult(balances, tuple(reports), origins, composition)


def _zero_vector(size: int) -> np.ndarray:
    return np.zeros(size)


def _direct(step: Step, balances, composition, flows, size: int) -> None:
    for source, key in step.keys.items():
        amount = balances.get(source, ZERO)
        if amount == 0:
            continue
        try:
            parts = allocate_direct(amount, key, label=f"{step.name}: {source}")
        except AllocationError as error:
            raise AllocationError([Problem(p.code, {**p.params, "amount": str(amount)}) for p in error.problems]) from None
        source_vector = composition.get(source, _zero_vector(size))
        factor = 1.0 / float(amount)
        for receiver, part in parts.items():
            if part == 0:
                continue
            balances[receiver] = balances.get(receiver, ZERO) + part
            composition[receiver] = composition.get(receiver, _zero_vector(size)) + source_vector * (float(part) * factor)
            flows.append((source, receiver, part))
        balances[source] = ZERO
        composition[source] = _zero_vector(size)


def _mutual(step: Step, balances, composition, flows, size: int) -> None:
    sources = list(step.keys)
    receivers = sorted({r for key in step.keys.values() for r in key} - set(sources))
    direct = {name: balances.get(name, ZERO) for name in sources + receivers}
    shares = {}
    for source, key in step.keys.items():
        total = sum((Decimal(w) for w in key.values()), ZERO)
        if total == 0:
            raise AllocationError([Problem("allocation.zero_key", {"pool": f"{step.name}: {source}", "amount": str(direct[source])})])
        shares[source] = {receiver: Decimal(weight) / total for receiver, weight in key.items() if weight}
    if step.method is StepMethod.RECIPROCAL:
        result = allocate_reciprocal(direct, shares)
    else:
        result = allocate_step_down(direct, shares, order=step.order)
    origin_vectors = {name: composition.get(name, _zero_vector(size)) for name in direct}
    for receiver in result.production:
        new_balance = result.production_costs[receiver]
        row = result.trace_row(receiver)
        vector = _zero_vector(size)
        for j, origin in enumerate(result.origins):
            if row[j] == 0.0 or direct[origin] == 0:
                continue
            vector = vector + origin_vectors[origin] * (row[j] / float(direct[origin]))
            if origin != receiver:
                flows.append((origin, receiver, from_float(row[j], 2)))
        balances[receiver] = new_balance
        composition[receiver] = vector
    for source in sources:
        balances[source] = ZERO
        composition[source] = _zero_vector(size)
