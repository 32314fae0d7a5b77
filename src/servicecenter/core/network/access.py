"""Accessibility: how far people have to travel to the nearest office.

Everything works on a distance matrix (demand points × offices, km) and a mask of the offices
that are open (and, for the full-service distance, of those that are full-service), so that a
scenario builder changes a mask and recomputes in milliseconds instead of rebuilding distances.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Summary:
    """Population-weighted distance figures for one group of demand points."""

    population: float
    mean_km: float
    median_km: float
    p90_km: float
    within: tuple[tuple[float, float], ...]  # (km, share of population within)
    beyond_population: float  # people farther than the first threshold

    def share_within(self, km: float) -> float:
        return dict(self.within)[km]


def nearest(distance: np.ndarray, open_mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distance to and index of the nearest open office for each demand point (inf, -1 if none)."""
    if not open_mask.any():
        n = distance.shape[0]
        return np.full(n, np.inf), np.full(n, -1)
    cols = np.flatnonzero(open_mask)
    sub = distance[:, cols]
    k = np.argmin(sub, axis=1)
    return sub[np.arange(sub.shape[0]), k], cols[k]


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The smallest value at which the cumulative weight reaches ``q`` of the total."""
    if values.size == 0 or weights.sum() <= 0:
        return float("nan")
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order])
    position = np.searchsorted(cum, q * cum[-1], side="left")
    return float(values[order][min(position, values.size - 1)])


def summarise(km: np.ndarray, population: np.ndarray, thresholds: Sequence[float] = (10, 20, 30, 50)) -> Summary:
    total = float(population.sum())
    if total <= 0:
        nan = float("nan")
        return Summary(0.0, nan, nan, nan, tuple((t, nan) for t in thresholds), 0.0)
    within = tuple((float(t), float(population[km <= t].sum() / total)) for t in thresholds)
    return Summary(
        total,
        float((km * population).sum() / total),
        weighted_quantile(km, population, 0.5),
        weighted_quantile(km, population, 0.9),
        within,
        float(population[km > thresholds[0]].sum()) if thresholds else 0.0,
    )


def by_group(km: np.ndarray, population: np.ndarray, groups: Sequence[str], thresholds=(10, 20, 30, 50)) -> dict[str, Summary]:
    labels = np.asarray(groups, dtype=object)
    out = {}
    for label in sorted({g for g in labels if g is not None}):
        sel = labels == label
        out[label] = summarise(km[sel], population[sel], thresholds)
    return out


def two_step_fca(distance: np.ndarray, population: np.ndarray, capacity: np.ndarray, open_mask: np.ndarray,
                 catchment_km: float, decay: str = "gaussian") -> np.ndarray:
    """Two-step floating catchment area (Luo and Wang 2003; Gaussian decay as in Dai 2010).

    Step 1: each open office's ratio of capacity to the (decayed) population in its catchment.
    Step 2: each demand point sums the (decayed) ratios of the offices in its catchment.
    Returns capacity per person for each demand point (0 where no office is within reach).
    """
    cols = np.flatnonzero(open_mask)
    d = distance[:, cols]
    if decay == "gaussian":
        w = np.where(d <= catchment_km, (np.exp(-0.5 * (d / catchment_km) ** 2) - np.exp(-0.5)) / (1 - np.exp(-0.5)), 0.0)
    elif decay == "binary":
        w = (d <= catchment_km).astype(float)
    else:
        raise ValueError(f"Unknown decay {decay!r}; use gaussian or binary.")
    demand = population @ w
    ratio = np.divide(capacity[cols], demand, out=np.zeros(cols.size), where=demand > 0)
    return w @ ratio
