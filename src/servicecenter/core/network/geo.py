"""Coordinates and distances.

Coordinates are WGS 84 longitude/latitude in degrees internally; SWEREF 99 TM (EPSG:3006, the
Swedish national grid, metres) is accepted on input and converted with PROJ (pyproj).
Distances are great-circle kilometres (haversine on the mean earth radius) times a detour
factor, unless a road network gives real ones (``network_distances``).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

EARTH_RADIUS_KM = 6371.0088
#: A box around Sweden with a margin for the islands; points outside are refused on import.
SWEDEN_BOUNDS = (10.0, 55.0, 24.5, 69.2)  # lon_min, lat_min, lon_max, lat_max
#: SWEREF 99 TM's easting/northing range over Sweden (metres).
SWEREF_BOUNDS = (200_000.0, 6_100_000.0, 1_000_000.0, 7_700_000.0)


@lru_cache(maxsize=1)
def _to_wgs84():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)


@lru_cache(maxsize=1)
def _to_sweref():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)


def sweref_to_wgs84(easting, northing):
    """SWEREF 99 TM (E, N metres) to (lon, lat) degrees."""
    return _to_wgs84().transform(easting, northing)


def wgs84_to_sweref(lon, lat):
    return _to_sweref().transform(lon, lat)


def looks_like_sweref(x: float, y: float) -> bool:
    e0, n0, e1, n1 = SWEREF_BOUNDS
    return e0 <= x <= e1 and n0 <= y <= n1


def in_sweden_box(lon, lat) -> np.ndarray:
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    x0, y0, x1, y1 = SWEDEN_BOUNDS
    return (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance matrix in km between points 1 (rows) and points 2 (columns)."""
    la1 = np.radians(np.asarray(lat1, dtype=float))[:, None]
    lo1 = np.radians(np.asarray(lon1, dtype=float))[:, None]
    la2 = np.radians(np.asarray(lat2, dtype=float))[None, :]
    lo2 = np.radians(np.asarray(lon2, dtype=float))[None, :]
    a = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def network_distances(edges, n_nodes: int, sources, targets) -> np.ndarray:
    """Shortest-path distances on a road graph.

    ``edges`` is an iterable of ``(from, to, km)`` (undirected); ``sources`` and ``targets`` are
    node indices (a demand point's and an office's nearest node). Unreachable pairs are ``inf``;
    the caller decides what to do with them (the solvers refuse them).
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import dijkstra

    e = np.asarray(list(edges), dtype=float)
    graph = coo_matrix((e[:, 2], (e[:, 0].astype(int), e[:, 1].astype(int))), shape=(n_nodes, n_nodes)).tocsr()
    sources = np.asarray(sources, dtype=int)
    unique, inverse = np.unique(sources, return_inverse=True)
    dist = dijkstra(graph, directed=False, indices=unique)
    return dist[inverse][:, np.asarray(targets, dtype=int)]
