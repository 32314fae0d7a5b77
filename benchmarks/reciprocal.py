"""Benchmark: reciprocal allocation with 300 support and 5,000 receiving departments, under 1 s;
its ratio to the iterative method at 1e-9 tolerance, measured in the same run.

Two densities: each support department serving 10 other support departments and 100
production departments (a sparse, realistic key), and serving every department (a dense key,
e.g. IT spread by head count over everyone: 1.6 million shares). Shares are ratios, not money,
so they may be given as Decimal or float; the dense case is measured with both, because
converting 1.6 million Decimals is most of its time.
"""

from __future__ import annotations

import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import table  # noqa: E402


def model(supports: int, receivers: int, support_links: int | None, production_links: int | None, seed: int = 7):
    rng = random.Random(seed)
    support_names = [f"S{i}" for i in range(supports)]
    production_names = [f"P{i}" for i in range(receivers)]
    direct = {name: Decimal(rng.randint(10**5, 10**8)) / 100 for name in support_names + production_names}
    shares = {}
    for support in support_names:
        others = [s for s in support_names if s != support]
        chosen = (rng.sample(others, support_links) if support_links is not None else others) + \
                 (rng.sample(production_names, production_links) if production_links is not None else production_names)
        weights = [rng.randint(1, 1000) for _ in chosen]
        # at most 30 % of a support department's cost goes to other support departments
        support_weight = sum(w for name, w in zip(chosen, weights, strict=True) if name.startswith("S"))
        production_weight = sum(weights) - support_weight
        scale_s = Decimal("0.3") / support_weight if support_weight else Decimal(0)
        scale_p = (Decimal(1) - (Decimal("0.3") if support_weight else 0)) / production_weight
        parts = {name: (scale_s if name.startswith("S") else scale_p) * w for name, w in zip(chosen, weights, strict=True)}
        last = chosen[-1]
        parts[last] = Decimal(1) - sum((v for k, v in parts.items() if k != last), Decimal(0))
        shares[support] = parts
    return direct, shares


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def main() -> None:
    from servicecenter.core.costing import allocate_iterative, allocate_reciprocal

    rows = [("key density", "shares", "reciprocal s", "iterative s (1e-9)", "iterations", "iterative / reciprocal", "max |difference| kr", "target")]
    worst = 0.0
    for label, support_links, production_links, as_float in (("sparse: 10 support + 100 production each", 10, 100, False),
                                                             ("dense: every department, Decimal shares", None, None, False),
                                                             ("dense: every department, float shares", None, None, True)):
        direct, shares = model(300, 5000, support_links, production_links)
        if as_float:
            shares = {s: {r: float(v) for r, v in parts.items()} for s, parts in shares.items()}
        count = sum(len(s) for s in shares.values())
        reciprocal_seconds, reciprocal = timed(allocate_reciprocal, direct, shares)
        iterative_seconds, iterative = timed(allocate_iterative, direct, shares, tolerance=1e-9)
        difference = max(abs(reciprocal.production_costs[k] - iterative.production_costs[k]) for k in reciprocal.production_costs)
        assert reciprocal.total == sum(direct.values(), Decimal(0))
        worst = max(worst, reciprocal_seconds)
        rows.append((label, f"{count:,}", f"{reciprocal_seconds:.3f}", f"{iterative_seconds:.3f}", iterative.iterations,
                     f"{iterative_seconds / reciprocal_seconds:.2f}", f"{difference}", "< 1 s"))
    print(table(rows))
    print(f"RESULT reciprocal_worst_seconds={worst:.3f} target_met={worst < 1}")


if __name__ == "__main__":
    main()
