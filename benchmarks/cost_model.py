"""Benchmark: the full cost model for the national synthetic data set, from stored costs to
the price list: 10 steps, 300 customers × 60 services (target under 3 s).

The model: 41 support pools and 60 process pools with stored cost; premises spread by area
(direct); the service desk by cases (direct); IT, HR, management and service desk serving each other (reciprocal); 16 further
support pools step-down; 4 direct steps by employees, turnover, hours and fixed shares; processes
to services; services to 18,000 customer × service charges by volume; then the price list
(self-cost ÷ planned volume, capped at +1.5 %) and recovery per service.
Baseline in the same run: summing the stored costs (the least any model must do).
"""

from __future__ import annotations

import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import table  # noqa: E402


def build(seed: int = 11):
    from servicecenter.core.costing import Step, StepMethod

    rng = random.Random(seed)
    supports = [f"pool:stöd{i:02d}" for i in range(40)]
    processes = [f"process:p{i:02d}" for i in range(60)]
    services = [f"service:s{i:02d}" for i in range(60)]
    customers = [f"c{i:03d}" for i in range(300)]
    initial = {name: Decimal(rng.randint(10**6, 5 * 10**8)) / 100 for name in supports + processes + ["pool:servicedesk"]}

    def key(receivers, low=1, high=1000):
        return {r: Decimal(rng.randint(low, high)) for r in receivers}

    steps = [Step("Lokaler per yta", StepMethod.DIRECT, {supports[0]: key(supports[1:] + processes + ["pool:servicedesk"])}),
             Step("Servicedesk efter ärenden", StepMethod.DIRECT, {"pool:servicedesk": key(processes)})]
    mutual = supports[1:5]
    steps.append(Step("IT, HR, ledning och servicedesk", StepMethod.RECIPROCAL,
                      {s: key([m for m in mutual if m != s] + supports[5:21] + processes) for s in mutual}))
    down = supports[5:21]
    steps.append(Step("Stegvis fördelning", StepMethod.STEP_DOWN,
                      {s: key(down[i + 1:] + supports[21:] + processes) for i, s in enumerate(down)}, order=tuple(down)))
    for index, label in enumerate(("anställda", "omsättning", "timmar", "fasta andelar")):
        group = supports[21 + index * 5: 26 + index * 5]
        later = supports[26 + index * 5:]
        steps.append(Step(f"Fördelning efter {label}", StepMethod.DIRECT, {s: key(later + processes) for s in group}))
    steps.append(Step("Process till tjänst", StepMethod.DIRECT, {p: {services[i]: Decimal(1)} for i, p in enumerate(processes)}))
    volumes = {s: {c: rng.randint(0, 5000) for c in customers} for s in services}
    steps.append(Step("Tjänst till kund efter volym", StepMethod.DIRECT,
                      {s: {f"charge:{c}|{s}": Decimal(v) for c, v in volumes[s].items() if v} for s in services}))
    return initial, steps, volumes, services


def main() -> None:
    from servicecenter.core.costing import run_model
    from servicecenter.core.money import ZERO
    from servicecenter.core.pricing import derive_price_list, recovery_by_process

    initial, steps, volumes, services = build()
    started = time.perf_counter()
    total = sum(initial.values(), ZERO)
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    result = run_model(initial, steps)
    cost = {s: sum((amount for name, amount in result.balances.items() if name.endswith("|" + s)), ZERO) for s in services}
    planned = {s: Decimal(sum(volumes[s].values())) for s in services}
    drift = random.Random(5)
    previous = {s: (cost[s] / planned[s] * Decimal(drift.uniform(0.95, 1.05))).quantize(Decimal("0.01")) for s in services}
    prices, problems = derive_price_list(cost, planned, previous=previous, cap=Decimal("0.015"))
    recovery = recovery_by_process({p.process: p.planned_revenue for p in prices}, cost)
    seconds = time.perf_counter() - started
    assert not problems and result.total == total and all(report.balanced for report in result.reports)
    charges = len(result.with_prefix("charge:"))
    print(table([
        ("measure", "steps", "charges", "seconds", "ratio to baseline", "target"),
        ("baseline: sum the stored costs", "", "", f"{baseline:.4f}", "1", ""),
        ("run_model + price list + recovery", len(steps), f"{charges:,}", f"{seconds:.2f}", f"{seconds / baseline:,.0f}", "< 3 s"),
    ]))
    print(f"price list: {len(prices)} services, {sum(p.capped for p in prices)} capped; "
          f"under-recovery flagged for {sum(r.flag == 'under' for r in recovery)}")
    print(f"RESULT cost_model_seconds={seconds:.2f} target_met={seconds < 3}")


if __name__ == "__main__":
    main()
