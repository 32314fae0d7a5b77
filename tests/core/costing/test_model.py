from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servicecenter.core.costing import AllocationError, Step, StepMethod, run_model
from servicecenter.core.money import ZERO


def small_model():
    initial = {"pool:IT": D("600000"), "pool:HR": D("400000"), "pool:Lokaler": D("300000"),
               "process:lon": D("2000000"), "process:ekonomi": D("1000000")}
    steps = [
        Step("Lokaler per yta", StepMethod.DIRECT, {"pool:Lokaler": {"pool:IT": 100, "pool:HR": 50, "process:lon": 300, "process:ekonomi": 150}}),
        Step("IT och HR betjänar varandra", StepMethod.RECIPROCAL, {
            "pool:IT": {"pool:HR": D("0.1"), "process:lon": D("0.6"), "process:ekonomi": D("0.3")},
            "pool:HR": {"pool:IT": D("0.2"), "process:lon": D("0.5"), "process:ekonomi": D("0.3")}}),
        Step("Process till tjänst", StepMethod.DIRECT, {"process:lon": {"service:lon": 1}, "process:ekonomi": {"service:lev": 3, "service:kund": 1}}),
        Step("Tjänst till kund efter volym", StepMethod.DIRECT, {
            "service:lon": {"charge:A|lon": 12000, "charge:B|lon": 3000},
            "service:lev": {"charge:A|lev": 500, "charge:B|lev": 1500},
            "service:kund": {"charge:A|kund": 10}}),
    ]
    return initial, steps


def test_model_conserves_at_every_step_and_traces_to_the_pools():
    initial, steps = small_model()
    result = run_model(initial, steps)
    assert all(report.balanced for report in result.reports)
    assert result.total == sum(initial.values(), ZERO)
    charges = result.with_prefix("charge:")
    assert sum(charges.values(), ZERO) == D("4300000")
    trace = result.trace("charge:A|lon")
    assert sum(trace.values(), ZERO) == charges["charge:A|lon"]
    assert set(trace) == {"pool:IT", "pool:HR", "pool:Lokaler", "process:lon"}
    # 80 % of payroll's cost goes to customer A (12,000 of 15,000 payslips)
    assert abs(trace["process:lon"] - D("1600000")) <= D("0.01")
    flows = [flow for report in result.reports for flow in report.flows]
    assert ("pool:Lokaler", "process:lon", D("150000.00")) in flows  # 300,000 × 300 / 600


def test_cost_no_step_moves_stays_visible():
    result = run_model({"pool:IT": D(100), "pool:Okänd": D(50)}, [Step("IT", StepMethod.DIRECT, {"pool:IT": {"process:x": 1}})])
    assert result.balances["pool:Okänd"] == D(50) and result.total == D(150)


def test_zero_key_is_an_error_not_a_silent_drop():
    with pytest.raises(AllocationError, match="sums to zero"):
        run_model({"pool:IT": D(100)}, [Step("IT", StepMethod.DIRECT, {"pool:IT": {"process:x": 0}})])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10**9), min_size=3, max_size=3), st.lists(st.lists(st.integers(0, 50), min_size=4, max_size=4), min_size=2, max_size=2),
       st.lists(st.integers(1, 10**4), min_size=2, max_size=6))
def test_random_models_conserve_the_total_at_every_step(amounts, shares, volumes):
    initial = {"pool:A": D(amounts[0]) / 100, "pool:B": D(amounts[1]) / 100, "process:p": D(amounts[2]) / 100}
    key_a = {"pool:B": shares[0][0], "process:p": shares[0][1] + 1, "process:q": shares[0][2]}
    key_b = {"pool:A": shares[1][0], "process:p": shares[1][1], "process:q": shares[1][3] + 1}
    steps = [Step("stöd", StepMethod.RECIPROCAL, {"pool:A": key_a, "pool:B": key_b}),
             Step("kunder", StepMethod.DIRECT, {"process:p": {f"charge:{i}": v for i, v in enumerate(volumes)},
                                                 "process:q": {f"charge:{i}": v for i, v in enumerate(volumes)}})]
    result = run_model(initial, steps)
    assert all(report.balanced for report in result.reports)
    assert result.total == sum(initial.values(), ZERO)
    for name in result.with_prefix("charge:"):
        assert sum(result.trace(name).values(), ZERO) == result.balances[name]
