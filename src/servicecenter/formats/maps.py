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


#: office symbols of the planning map: (fill, shape, radius in map units × 1000)
PLAN_SYMBOLS = {"full": ("#1f5f99", "circle", 9), "flex_staffed": ("#2b7a3d", "square", 7), "flex_visiting": ("#7a3f9a", "triangle", 8),
                "temporary": ("#8a6d00", "diamond", 7), "closed": ("#ffffff", "cross", 9), "added": ("#c45a00", "star", 10)}


def _project(lon: float, lat: float) -> tuple[float, float]:
    return lon * COS_LAT, -lat


def planning_map(title: str, rings: Sequence[Sequence[Sequence[tuple[float, float]]]], values: Sequence[float | None], breaks: Sequence[float],
                 region_names: Sequence[str], offices: Sequence[tuple[str, str, float, float, str, str]], description: str = "",
                 value_label=lambda value: f"{value:.1f}") -> str:
    """A map to plan with, as SVG written here (matplotlib cannot give each office an element of
    its own): regions coloured by ``values`` (classed by ``breaks``, as ``choropleth``), and one
    focusable element per office, ``offices`` being (code, name, lon, lat, category, label of the
    category). The picture's coordinates are the projection of ``_project`` (x = lon × cos 62°,
    y = −lat); the root names them (``data-projection``) so that the page's script can turn a
    click into a longitude and latitude, and zoom and pan by its viewBox. No tiles, no requests.
    An office with a seventh item, a link, is a link there (the network overview's map)."""
    from html import escape

    x0, x1 = 10.6 * COS_LAT, 24.4 * COS_LAT
    y0, y1 = -69.2, -55.2
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x0:.4f} {y0:.4f} {x1 - x0:.4f} {y1 - y0:.4f}" class="plan-map" role="group" '
             f'aria-label="{escape(title)}" data-projection="lon*{COS_LAT:.6f},-lat" preserveAspectRatio="xMidYMid meet">',
             f"<title>{escape(title)}</title><desc>{escape(description or title)}</desc>", '<g class="regions">']
    for region_rings, value, name in zip(rings, values, region_names, strict=True):
        colour = "#eeeeee" if value is None else SCALE[classify(value, breaks)]
        path = " ".join("M" + " L".join(f"{px:.3f},{py:.3f}" for px, py in (_project(x, y) for x, y in ring)) + " Z" for ring in region_rings)
        shown = f"{name}: {value_label(value)}" if value is not None else name
        parts.append(f'<path d="{path}" fill="{colour}" stroke="#888888" stroke-width="0.01"><title>{escape(shown)}</title></path>')
    parts.append('</g><g class="offices">')
    for office in offices:
        code, name, lon, lat, category, category_label = office[:6]
        href = office[6] if len(office) > 6 else ""
        fill, shape, size = PLAN_SYMBOLS.get(category, PLAN_SYMBOLS["full"])
        x, y = _project(lon, lat)
        r = size / 100
        stroke = "#b30000" if category == "closed" else "#ffffff"
        if shape == "circle":
            mark = f'<circle cx="{x:.4f}" cy="{y:.4f}" r="{r:.3f}"/>'
        elif shape == "square":
            mark = f'<rect x="{x - r:.4f}" y="{y - r:.4f}" width="{2 * r:.3f}" height="{2 * r:.3f}"/>'
        elif shape == "cross":
            mark = f'<path d="M{x - r:.4f},{y - r:.4f} L{x + r:.4f},{y + r:.4f} M{x - r:.4f},{y + r:.4f} L{x + r:.4f},{y - r:.4f}" stroke-width="{r / 2.5:.3f}"/>'
        else:
            points = {"triangle": [(0, -1.15), (1, 0.7), (-1, 0.7)], "diamond": [(0, -1.2), (1, 0), (0, 1.2), (-1, 0)],
                      "star": [(0, -1.3), (0.35, -0.35), (1.3, -0.35), (0.55, 0.25), (0.85, 1.2), (0, 0.6), (-0.85, 1.2), (-0.55, 0.25), (-1.3, -0.35), (-0.35, -0.35)]}[shape]
            mark = '<polygon points="' + " ".join(f"{x + dx * r:.4f},{y + dy * r:.4f}" for dx, dy in points) + '"/>'
        label = f"{name} ({category_label})"
        link = f' data-href="{escape(href)}"' if href else ""
        parts.append(f'<g class="office office-{category}" tabindex="0" role="{"link" if href else "button"}" data-code="{escape(code)}" data-name="{escape(name)}"{link} '
                     f'data-category="{escape(category)}" aria-label="{escape(label)}" fill="{fill}" stroke="{stroke}" stroke-width="0.012">'
                     f'<title>{escape(label)}</title>{mark}</g>')
    parts.append("</g></svg>")
    return "".join(parts)
