"""Maps as SVG: a choropleth of regions and points on top, drawn with matplotlib like the
charts, so the same picture goes to the web page and into the PDF report.

Region outlines are (lon, lat) rings; they are drawn in an equal-area-ish projection (longitude
scaled by cos of the mean latitude) which is enough for Sweden on one page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from servicecenter.formats.charts import _pyplot, _svg

#: A sequential colour scale, light to dark (ColorBrewer "OrRd", colour-blind safe).
SCALE = ("#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000")
#: Point styles by category: (face colour, marker, size)
POINT_STYLES = {
    "full": ("#1f5f99", "o", 34),
    "flex_staffed": ("#2b7a3d", "s", 22),
    "flex_visiting": ("#7a3f9a", "^", 22),
    "temporary": ("#8a6d00", "D", 18),
    "closed": ("#ffffff", "X", 40),
}
COS_LAT = math.cos(math.radians(62.0))


def choropleth(
    title: str,
    rings: Sequence[Sequence[Sequence[tuple[float, float]]]],
    values: Sequence[float | None],
    breaks: Sequence[float],
    legend_title: str,
    points: Sequence[tuple[float, float, str]] = (),
    point_labels: dict[str, str] | None = None,
    break_labels: Sequence[str] | None = None,
    description: str = "",
    missing_label: str = "–",
) -> str:
    """``rings[i]`` are region ``i``'s outer rings; ``values[i]`` its value (None: no data),
    classed by ``breaks`` (upper bounds, ascending); ``points`` are (lon, lat, category)."""
    from matplotlib.collections import PolyCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6.4, 8.2), dpi=96)
    polygons, colours = [], []
    for region_rings, value in zip(rings, values, strict=True):
        colour = "#eeeeee" if value is None else SCALE[min(sum(value > b for b in breaks), len(SCALE) - 1)]
        for ring in region_rings:
            polygons.append([(x * COS_LAT, y) for x, y in ring])
            colours.append(colour)
    axes.add_collection(PolyCollection(polygons, facecolors=colours, edgecolors="#888888", linewidths=0.2))
    handles = [Patch(facecolor="#eeeeee", edgecolor="#888888", label=missing_label)]
    labels = break_labels or [f"≤ {b:g}" for b in breaks] + [f"> {breaks[-1]:g}"]
    for k, label in enumerate(labels[: len(SCALE)]):
        handles.append(Patch(facecolor=SCALE[k], edgecolor="#888888", label=label))
    seen = []
    for category in POINT_STYLES:
        chosen = [(x, y) for x, y, c in points if c == category]
        if not chosen:
            continue
        face, marker, size = POINT_STYLES[category]
        edge = "#b30000" if category == "closed" else "#ffffff"
        axes.scatter([x * COS_LAT for x, _ in chosen], [y for _, y in chosen], s=size, c=face, marker=marker,
                     edgecolors=edge if category != "closed" else "#b30000", linewidths=0.8 if category != "closed" else 1.6, zorder=3)
        seen.append(Line2D([], [], linestyle="", marker=marker, markerfacecolor=face, markeredgecolor=edge,
                           markersize=7, label=(point_labels or {}).get(category, category)))
    # beside the map, not on it: northern Norrbotten is data too
    axes.legend(handles=handles + seen, title=legend_title, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, title_fontsize=7, frameon=False)
    axes.set_xlim(10.6 * COS_LAT, 24.4 * COS_LAT)
    axes.set_ylim(55.2, 69.2)
    axes.set_aspect("equal")
    axes.set_axis_off()
    axes.set_title(title, fontsize=10)
    figure.tight_layout()
    return _svg(figure, plt, title, description)


def classify(value: float, breaks: Sequence[float]) -> int:
    return min(sum(value > b for b in breaks), len(SCALE) - 1)
