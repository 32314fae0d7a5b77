"""Charts as SVG from one library (matplotlib), the same for the web and for PDF reports.

Each chart carries a <title> and <desc> so a screen reader can announce it; pages also
show the numbers as a table. Rendering is cached on the input values. One style for all: numbers
as Swedish pages write them (``12 000``, ``99,9``; never "1e6" or an offset), the unit in the axis
title (the caller's label), legends above the plot where they cover no data.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from collections.abc import Sequence
from functools import lru_cache

from servicecenter.core.money import format_number, from_float

PALETTE = ("#1f5f99", "#c45a00", "#2b7a3d", "#7a3f9a", "#8a6d00", "#b0304f")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 10, "svg.fonttype": "none", "svg.hashsalt": "servicecenter",
                         "axes.formatter.useoffset": False})
    return plt


def prepare() -> None:
    """Load the plotting library and its fonts by drawing an empty figure (over half a second the
    first time), e.g. in a server's process before it forks its web workers."""
    plt = _pyplot()
    figure = plt.figure(figsize=(1, 1))
    figure.add_subplot().set_title("0")
    figure.savefig(io.BytesIO(), format="svg")
    plt.close(figure)


def swedish_number(value: float, decimals: int = 0) -> str:
    """A number as a Swedish page writes it: ``12 000``, ``99,9``, ``−3`` (the same rule as the
    tables, ``core.money.format_number``)."""
    return format_number(from_float(float(value)), decimals)


def _decimals_for(step: float) -> int:
    """How many decimals tell ticks ``step`` apart: 0 for 1 and more, 1 for 0.5, 2 for 0.05..."""
    if step <= 0 or step >= 1:
        return 0
    return min(6, max(0, -math.floor(math.log10(step) + 1e-9)))


def _swedish_formatter():
    from matplotlib.ticker import Formatter

    class SwedishFormatter(Formatter):
        """Ticks in Swedish: decimal comma, a thin space between thousands, never "1e6" or an offset."""

        ticks: list[float] = []

        def set_locs(self, locs):
            self.ticks = sorted(locs)

        def __call__(self, value, pos=None):
            locs = self.ticks
            step = min((b - a for a, b in zip(locs, locs[1:]) if b > a), default=1.0)
            return swedish_number(value, _decimals_for(step))

    return SwedishFormatter()


def _style(axes, values_axis: str = "y", xs: Sequence | None = None) -> None:
    """The one chart style: light grid on the values, no top or right frame, Swedish numbers on the
    values axis; integer x values (years, months) as ticks of their own, padded so that one year
    is one year wide, not a century."""
    from matplotlib.ticker import FixedLocator, FuncFormatter

    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis=values_axis, color="#dddddd")
    (axes.yaxis if values_axis == "y" else axes.xaxis).set_major_formatter(_swedish_formatter())
    if xs:
        distinct = sorted({x for x in xs})
        if all(isinstance(x, int) for x in distinct):
            if len(distinct) <= 13:
                axes.xaxis.set_major_locator(FixedLocator(distinct))
            else:
                axes.xaxis.get_major_locator().set_params(integer=True)
            axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: str(int(round(value)))))
            axes.set_xlim(distinct[0] - 0.5, distinct[-1] + 0.5)


def _legend_outside(figure, axes, count: int) -> None:
    """The legend above the plot, in as many columns as fit, never over the data."""
    if count:
        axes.legend(frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=min(count, 3), fontsize=8, borderaxespad=0.3)


def _categorical(series) -> tuple[list[str], dict[str, int]]:
    """The x labels of series whose x values are texts (months as "YYYY-MM"), in order of first appearance."""
    labels: list[str] = []
    for _name, points in series:
        for x, _y in points:
            if x not in labels:
                labels.append(x)
    return labels, {label: index for index, label in enumerate(sorted(labels))}


def line_chart(title: str, x_label: str, y_label: str, series: tuple[tuple[str, tuple[tuple[int | str, float], ...]], ...], description: str = "") -> str:
    """``series`` is ((name, ((x, y), ...)), ...), hashable so the result can be cached. ``x`` is an
    integer (a year, a month number) or a text label (a month as "YYYY-MM", sorted as text)."""
    return _line_chart(title, x_label, y_label, series, description)


@lru_cache(maxsize=256)
def _line_chart(title, x_label, y_label, series, description) -> str:
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(7.5, 3.6 + 0.22 * ((len(series) - 1) // 3)), dpi=96)
    texts = any(isinstance(x, str) for _name, points in series for x, _y in points)
    labels, position = _categorical(series) if texts else ([], {})
    xs = []
    for index, (name, points) in enumerate(series):
        px = [position[point[0]] if texts else point[0] for point in points]
        xs += px
        axes.plot(px, [point[1] for point in points], marker="o", linewidth=2, color=PALETTE[index % len(PALETTE)], label=name)
    axes.set_xlabel(x_label)
    axes.set_ylabel(y_label)
    _style(axes, "y", xs)
    if texts:
        from matplotlib.ticker import FixedLocator, FuncFormatter

        ordered = sorted(labels)
        every = max(1, math.ceil(len(ordered) / 12))
        axes.xaxis.set_major_locator(FixedLocator(list(range(0, len(ordered), every))))
        axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: ordered[int(value)] if 0 <= int(value) < len(ordered) else ""))
        axes.tick_params(axis="x", labelrotation=30 if len(ordered) > 6 else 0)
    axes.set_ylim(bottom=0)
    _legend_outside(figure, axes, len(series) if len(series) > 1 else 0)
    figure.tight_layout()
    return _svg(figure, plt, title, description)


def indicator_chart(title: str, y_label: str, series: tuple[tuple[str, tuple[tuple[int, float], ...]], ...], target: float | None = None,
                    target_label: str = "", description: str = "") -> str:
    """An indicator over time with its target (or reference value) as a dashed line. The y axis
    fits the values, so that a drop of 0.1 percentage point in an availability near 99.9 % shows."""
    return _indicator_chart(title, y_label, series, target, target_label, description)


@lru_cache(maxsize=512)
def _indicator_chart(title, y_label, series, target, target_label, description) -> str:
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6.4, 2.9), dpi=96)
    values = [y for _name, points in series for _x, y in points]
    xs = []
    for index, (name, points) in enumerate(series):
        xs += [p[0] for p in points]
        axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", linewidth=2, color=PALETTE[index % len(PALETTE)], label=name)
    if target is not None:
        axes.axhline(target, color="#444444", linestyle="--", linewidth=1.2, label=target_label)
        values.append(target)
    if values:
        low, high = min(values), max(values)
        pad = (high - low) * 0.15 or abs(high) * 0.05 or 1
        axes.set_ylim(low - pad, high + pad)
    axes.set_ylabel(y_label)
    _style(axes, "y", xs)
    if len(series) > 1 or target is not None:
        _legend_outside(figure, axes, len(series) + (target is not None))
    figure.tight_layout()
    return _svg(figure, plt, title, description)


def bar_chart(title: str, labels: tuple[str, ...], values: tuple[float, ...], y_label: str, description: str = "") -> str:
    """Horizontal bars, one a label; ``y_label`` names the values and their unit."""
    return _bar_chart(title, labels, values, y_label, description)


@lru_cache(maxsize=256)
def _bar_chart(title, labels, values, y_label, description) -> str:
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(7.5, max(2.4, 0.9 + 0.28 * len(labels))), dpi=96)
    axes.barh(list(labels)[::-1], list(values)[::-1], color=PALETTE[0])
    axes.set_xlabel(y_label)
    _style(axes, "x")
    if any(value < 0 for value in values):
        axes.axvline(0, color="#444444", linewidth=0.8)
    figure.tight_layout()
    return _svg(figure, plt, title, description)


def _svg(figure, plt, title: str, description: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight", pad_inches=0.05)  # legends outside the axes included
    plt.close(figure)
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r'<svg \1', text, count=1)
    from html import escape

    heading = f'<title>{escape(title)}</title><desc>{escape(description or title)}</desc>'
    text = text.replace(">", f' role="img" aria-label="{escape(title)}" class="chart">{heading}', 1)
    return _unique_ids(text, title)


def _unique_ids(text: str, title: str) -> str:
    """matplotlib names elements figure_1, axes_1 ... in every chart; several charts on one page
    would repeat ids (invalid HTML, and references cross charts). Prefix them per chart."""
    prefix = "c" + hashlib.sha1(title.encode()).hexdigest()[:8] + "-"
    ids = set(re.findall(r'\bid="([^"]+)"', text))
    if not ids:
        return text
    pattern = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    text = re.sub(rf'\bid="({pattern})"', lambda m: f'id="{prefix}{m.group(1)}"', text)
    text = re.sub(rf'(url\(#|href="#)({pattern})\b', lambda m: f"{m.group(1)}{prefix}{m.group(2)}", text)
    return text


def amount_label(kronor: float) -> str:
    """An amount in kronor as a chart label: ``12,3 mnkr``, ``845 tkr``, ``950 kr``."""
    if abs(kronor) >= 1e6:
        return f"{swedish_number(kronor / 1e6, 1)}\u00a0mnkr"
    if abs(kronor) >= 1e4:
        return f"{swedish_number(kronor / 1e3, 0)}\u00a0tkr"
    return f"{swedish_number(kronor, 0)}\u00a0kr"


def flow_chart(title: str, columns: list[list[str]], links: list[tuple[str, str, float]], labels: dict[str, str] | None = None,
               description: str = "", width: int = 960, height: int = 520) -> str:
    """A Sankey-style cost-flow diagram as SVG: nodes in columns (left to right), each as tall as
    the larger of its inflow and outflow, links as bands as wide as their amount.

    Hand-written (docs/decisions/0004-flow-chart.md): matplotlib's Sankey draws a single flow, and
    the libraries that draw multi-column Sankeys need JavaScript in the browser, which the PDF
    reports cannot run.
    """
    from html import escape

    labels = labels or {}
    inflow: dict[str, float] = {}
    outflow: dict[str, float] = {}
    for source, target, value in links:
        outflow[source] = outflow.get(source, 0.0) + value
        inflow[target] = inflow.get(target, 0.0) + value
    size = {node: max(inflow.get(node, 0.0), outflow.get(node, 0.0)) for column in columns for node in column}
    gap, node_width, margin_top, margin_x = 8, 14, 30, 10
    label_space = 230
    usable = height - margin_top - 10
    largest = max((sum(size[n] for n in column) for column in columns if column), default=1.0) or 1.0
    scale = min((usable - gap * (len(column) - 1)) / largest for column in columns if column)
    column_x = [margin_x + i * (width - 2 * margin_x - node_width - label_space) / max(1, len(columns) - 1) for i in range(len(columns))]
    position: dict[str, tuple[float, float, float]] = {}
    for i, column in enumerate(columns):
        y = margin_top
        for node in column:
            h = max(1.0, size[node] * scale)
            position[node] = (column_x[i], y, h)
            y += h + gap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" class="chart">',
             f"<title>{escape(title)}</title><desc>{escape(description or title)}</desc>"]
    out_offset: dict[str, float] = {}
    in_offset: dict[str, float] = {}
    for index, (source, target, value) in enumerate(sorted(links, key=lambda link: (position[link[0]][1], position[link[1]][1]))):
        sx, sy, _ = position[source]
        tx, ty, _ = position[target]
        band = value * scale
        y0 = sy + out_offset.get(source, 0.0)
        y1 = ty + in_offset.get(target, 0.0)
        out_offset[source] = out_offset.get(source, 0.0) + band
        in_offset[target] = in_offset.get(target, 0.0) + band
        x0, x1 = sx + node_width, tx
        middle = (x0 + x1) / 2
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<path d="M{x0:.1f},{y0:.1f} C{middle:.1f},{y0:.1f} {middle:.1f},{y1:.1f} {x1:.1f},{y1:.1f} '
            f'L{x1:.1f},{y1 + band:.1f} C{middle:.1f},{y1 + band:.1f} {middle:.1f},{y0 + band:.1f} {x0:.1f},{y0 + band:.1f} Z" '
            f'fill="{colour}" fill-opacity="0.35"><title>{escape(labels.get(source, source))} → {escape(labels.get(target, target))}: '
            f'{escape(amount_label(value))}</title></path>')
    placed: dict[float, float] = {}   # per column: where the last label ended, so that labels never overlap
    bottom = height
    for node, (x, y, h) in sorted(position.items(), key=lambda item: (item[1][0], item[1][1])):
        name = f"{labels.get(node, node)}: {amount_label(size[node])}"
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{node_width}" height="{h:.1f}" fill="#1b1b1b"><title>{escape(name)}</title></rect>')
        label_y = max(y + min(h, 24) / 2 + 4, placed.get(x, 0.0) + 14)
        placed[x] = label_y
        bottom = max(bottom, label_y + 8)
        parts.append(f'<text x="{x + node_width + 4:.1f}" y="{label_y:.1f}" font-size="12" fill="#1b1b1b" '
                     f'font-family="DejaVu Sans, sans-serif" paint-order="stroke" stroke="#ffffff" stroke-width="3" stroke-linejoin="round">{escape(name)}</text>')
    if bottom > height:   # labels pushed below the drawing: the picture grows to hold them
        parts[0] = parts[0].replace(f'viewBox="0 0 {width} {height}"', f'viewBox="0 0 {width} {math.ceil(bottom)}"')
    parts.append("</svg>")
    return "".join(parts)
