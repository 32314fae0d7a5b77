"""Charts as SVG from one library (matplotlib), the same for the web and for PDF reports.

Each chart carries a <title> and <desc> so a screen reader can announce it; pages also
show the numbers as a table. Rendering is cached on the input values.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache

PALETTE = ("#1f5f99", "#c45a00", "#2b7a3d", "#7a3f9a", "#8a6d00", "#b0304f")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 10, "svg.fonttype": "none", "svg.hashsalt": "servicecenter"})
    return plt


def line_chart(title: str, x_label: str, y_label: str, series: tuple[tuple[str, tuple[tuple[int, float], ...]], ...], description: str = "") -> str:
    """``series`` is ((name, ((x, y), ...)), ...), hashable so the result can be cached."""
    return _line_chart(title, x_label, y_label, series, description)


@lru_cache(maxsize=256)
def _line_chart(title, x_label, y_label, series, description) -> str:
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(7.5, 3.6), dpi=96)
    for index, (name, points) in enumerate(series):
        xs = [point[0] for point in points]
        ys = [point[1] for point in points]
        axes.plot(xs, ys, marker="o", linewidth=2, color=PALETTE[index % len(PALETTE)], label=name)
    axes.set_xlabel(x_label)
    axes.set_ylabel(y_label)
    axes.grid(axis="y", color="#dddddd")
    axes.spines[["top", "right"]].set_visible(False)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.set_ylim(bottom=0)
    axes.legend(frameon=False, loc="lower right")
    figure.tight_layout()
    return _svg(figure, plt, title, description)


def bar_chart(title: str, labels: tuple[str, ...], values: tuple[float, ...], y_label: str, description: str = "") -> str:
    return _bar_chart(title, labels, values, y_label, description)


@lru_cache(maxsize=256)
def _bar_chart(title, labels, values, y_label, description) -> str:
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(7.5, 3.2), dpi=96)
    axes.barh(list(labels)[::-1], list(values)[::-1], color=PALETTE[0])
    axes.set_xlabel(y_label)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return _svg(figure, plt, title, description)


def _svg(figure, plt, title: str, description: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r'<svg \1', text, count=1)
    from html import escape

    heading = f'<title>{escape(title)}</title><desc>{escape(description or title)}</desc>'
    text = text.replace(">", f' role="img" aria-label="{escape(title)}" class="chart">{heading}', 1)
    return text
