"""Turn published totals into per-customer numbers that add up to them exactly.

The SSC demo needs 171 customers whose size classes match Tabell 8 (counts, and shares of
employees to the printed 0.1 %) and whose service packages match the 45/23/78/22/3 split,
with employees adding up to Tabell 10 per service. That is a small integer program: choose
the employees of each (package, size class) cell within the class bounds so that every
row and column total holds; solved exactly with HiGHS through scipy.optimize.milp. Each
cell is then split among its customers at random within the class bounds.
"""

from __future__ import annotations

import random
from decimal import Decimal

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

CLASS_BOUNDS = {">2000": (2001, 25_000), "501-2000": (501, 2000), "151-500": (151, 500), "<150": (8, 150)}


def solve_cells(counts: dict[tuple[str, str], int], row_groups: dict[str, tuple[list[str], int]],
                class_shares: dict[str, Decimal], total: int) -> dict[tuple[str, str], int]:
    """Employees per (package, class) cell.

    ``counts`` gives customers per cell; ``row_groups`` maps a name to (packages, employee total);
    ``class_shares`` are the printed shares, held to ±0.05 percentage points; ``total`` exact.
    The objective keeps each cell near ``count × class mean`` (relative L1 distance) so no cell is extreme.
    """
    cells = [cell for cell, count in counts.items() if count > 0]
    n = len(cells)
    index = {cell: i for i, cell in enumerate(cells)}
    # variables: x (n cells), d (n deviations)
    rows, lows, highs = [], [], []

    def add(coefficients: dict[int, float], low: float, high: float) -> None:
        row = np.zeros(2 * n)
        for i, value in coefficients.items():
            row[i] = value
        rows.append(row)
        lows.append(low)
        highs.append(high)

    add({i: 1 for i in range(n)}, total, total)
    for _name, (packages, employees) in row_groups.items():
        add({index[c]: 1 for c in cells if c[0] in packages}, employees, employees)
    means = {}
    for size, share in class_shares.items():
        low = float((share - Decimal("0.0005")) * total)
        high = float((share + Decimal("0.0005")) * total)
        add({index[c]: 1 for c in cells if c[1] == size}, np.ceil(low), np.floor(high))
        means[size] = float(share) * total / sum(counts[c] for c in cells if c[1] == size)
    for cell in cells:
        target = counts[cell] * means[cell[1]]
        i = index[cell]
        add({i: 1, n + i: -1}, -np.inf, target)   # x - d <= target
        add({i: 1, n + i: 1}, target, np.inf)     # x + d >= target
    lower = [counts[c] * CLASS_BOUNDS[c[1]][0] for c in cells] + [0] * n
    upper = [counts[c] * CLASS_BOUNDS[c[1]][1] for c in cells] + [np.inf] * n
    # relative deviations, so that small cells are held as firmly as large ones
    objective = np.concatenate([np.zeros(n), [1.0 / (counts[c] * means[c[1]]) for c in cells]])
    result = milp(objective, constraints=LinearConstraint(np.array(rows), lows, highs),
                  integrality=np.concatenate([np.ones(n), np.zeros(n)]), bounds=Bounds(lower, upper))
    if not result.success:
        raise ValueError(f"the published totals admit no allocation: {result.message}")
    return {cell: int(round(result.x[index[cell]])) for cell in cells}


def split_within(total: int, count: int, low: int, high: int, rng: random.Random) -> list[int]:
    """``count`` integers in [low, high] summing to ``total``, spread like real agency sizes."""
    if not count * low <= total <= count * high:
        raise ValueError(f"cannot split {total} into {count} parts within [{low}, {high}]")
    weights = [rng.lognormvariate(0, 0.8) for _ in range(count)]
    parts = [low] * count
    remaining = total - count * low
    while remaining > 0:
        open_parts = [i for i in range(count) if parts[i] < high]
        weight = sum(weights[i] for i in open_parts)
        progress = 0
        for i in open_parts:
            add = min(high - parts[i], int(remaining * weights[i] / weight))
            parts[i] += add
            progress += add
        remaining -= progress
        if progress == 0:
            for i in sorted(open_parts, key=lambda j: -weights[j]):
                if remaining == 0:
                    break
                if parts[i] < high:
                    parts[i] += 1
                    remaining -= 1
    rng.shuffle(parts)
    return parts


def scale_to(values: list[int], target: int) -> list[int]:
    """Scale integers to sum to ``target`` (largest remainder), keeping each at least 1."""
    base = sum(values)
    exact = [v * target / base for v in values]
    floors = [max(1, int(e)) for e in exact]
    leftover = target - sum(floors)
    order = sorted(range(len(values)), key=lambda i: -(exact[i] - int(exact[i])))
    step = 1 if leftover > 0 else -1
    i = 0
    while leftover != 0:
        j = order[i % len(order)]
        if step > 0 or floors[j] > 1:
            floors[j] += step
            leftover -= step
        i += 1
    return floors
