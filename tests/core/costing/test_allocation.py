from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from servicecenter.core.costing import (
    AllocationError,
    allocate_direct,
    allocate_iterative,
    allocate_reciprocal,
    allocate_step_down,
)
from servicecenter.core.costing.allocation import step_down_order
from servicecenter.core.money import ZERO, round_conserving


@st.composite
def models(draw):
    n_support = draw(st.integers(1, 6))
    n_production = draw(st.integers(1, 6))
    supports = [f"S{i}" for i in range(n_support)]
    production = [f"P{i}" for i in range(n_production)]
    cents = st.integers(0, 10**11)
    direct = {name: Decimal(draw(cents)) / 100 for name in supports + production}
    shares = {}
    for support in supports:
        receivers = [r for r in supports + production if r != support]
        weights = [draw(st.integers(0, 100)) for _ in receivers]
        # every support leaks at least a little to production, so the system is solvable
        weights[-1] += draw(st.integers(1, 100))
        total = sum(weights)
        parts = {r: Decimal(w) / Decimal(total) for r, w in zip(receivers, weights, strict=True) if w}
        last = list(parts)[-1]
        parts[last] = Decimal(1) - sum((v for k, v in parts.items() if k != last), ZERO)
        shares[support] = parts
    return direct, shares


@settings(max_examples=150, deadline=None)
@given(models())
def test_reciprocal_conserves_the_total_to_the_ore_and_equals_iterative(model):
    direct, shares = model
    reciprocal = allocate_reciprocal(direct, shares)
    assert reciprocal.total == sum(direct.values(), ZERO)
    iterative = allocate_iterative(direct, shares, tolerance=1e-9)
    for name, amount in reciprocal.production_costs.items():
        assert abs(amount - iterative.production_costs[name]) <= Decimal("0.01"), (name, amount, iterative.production_costs[name])
    # the trace of every production department adds up to its final cost
    for name in reciprocal.production:
        assert sum(reciprocal.contributions(name).values(), ZERO) == reciprocal.production_costs[name]


@settings(max_examples=100, deadline=None)
@given(models())
def test_step_down_conserves_whenever_an_order_exists(model):
    direct, shares = model
    order, problems = step_down_order(shares)
    assume(not problems)
    result = allocate_step_down(direct, shares)
    assert result.total == sum(direct.values(), ZERO)


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2), st.lists(st.integers(0, 1000), min_size=1, max_size=20).filter(any))
def test_direct_allocation_conserves(amount, weights):
    parts = allocate_direct(amount, {f"r{i}": w for i, w in enumerate(weights)})
    assert sum(parts.values(), ZERO) == amount


def test_round_conserving_handles_negatives():
    parts = round_conserving({"a": -0.005, "b": 1.005, "c": 0.333}, Decimal("1.33"))
    assert sum(parts.values(), ZERO) == Decimal("1.33")


def test_bad_inputs_are_reported_with_every_problem():
    direct = {"IT": Decimal(100), "Lön": Decimal(200)}
    with pytest.raises(AllocationError) as error:
        allocate_reciprocal(direct, {"IT": {"Lön": Decimal("0.7"), "IT": Decimal("0.2"), "Okänd": Decimal("0.05")}})
    codes = sorted(problem.code for problem in error.value.problems)
    assert codes == ["allocation.self_share", "allocation.shares_sum", "allocation.unknown_department"]
    with pytest.raises(AllocationError, match="sums to zero"):
        allocate_direct(Decimal(100), {"a": 0, "b": 0}, label="Lokaler")
    with pytest.raises(AllocationError, match="loop"):
        allocate_step_down({"A": Decimal(1), "B": Decimal(1), "P": Decimal(1)},
                           {"A": {"B": Decimal("0.5"), "P": Decimal("0.5")}, "B": {"A": Decimal("0.5"), "P": Decimal("0.5")}})
    with pytest.raises(AllocationError, match="appears twice"):
        allocate_step_down({"A": Decimal(1), "P": Decimal(1)}, {"A": {"P": Decimal(1)}}, order=["A", "A"])


def test_support_loop_without_outlet_is_refused():
    direct = {"A": Decimal(100), "B": Decimal(100), "P": Decimal(1)}
    with pytest.raises(AllocationError, match="never reaches production"):
        allocate_reciprocal(direct, {"A": {"B": Decimal(1)}, "B": {"A": Decimal(1)}})
