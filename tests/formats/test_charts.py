"""The one chart style: Swedish numbers, sensible axes, legends off the data, labelled flows."""

import re

from servicecenter.formats.charts import (
    amount_label,
    bar_chart,
    flow_chart,
    indicator_chart,
    line_chart,
    swedish_number,
)


def texts(svg: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", text).strip() for text in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, flags=re.S)]


def test_large_amounts_are_written_out_in_swedish_never_as_powers_or_offsets():
    svg = line_chart("Fakturerat", "År", "Kronor", (("Alla", ((2023, 12_000_000.0), (2024, 14_500_000.0), (2025, 15_250_000.0))),))
    shown = texts(svg)
    assert any(re.fullmatch(r"1[0-9]\u202f[0-9]{3}\u202f000", text) for text in shown), shown
    assert not any(re.search(r"\de[+-]?\d|×10|1e", text) for text in shown), shown
    assert {"2023", "2024", "2025"} <= set(shown)   # years as years: no thousands space in 2 025


def test_one_year_of_data_is_one_year_wide():
    svg = line_chart("Kunder", "År", "Kunder", (("Alla", ((2025, 120.0),)),))
    years = [text for text in texts(svg) if re.fullmatch(r"\d{4}", text)]
    assert years == ["2025"]


def test_small_steps_get_a_decimal_comma():
    svg = indicator_chart("Tillgänglighet", "Procent", (("Alla", ((2023, 99.82), (2024, 99.91), (2025, 99.87))),), 99.8, "Mål")
    shown = texts(svg)
    assert any(re.fullmatch(r"99,\d+", text) for text in shown), shown
    assert not any(re.fullmatch(r"99\.\d+", text) for text in shown), shown


def test_months_as_labels_are_in_order_and_thinned():
    points = tuple((f"{2023 + m // 12}-{m % 12 + 1:02d}", float(m)) for m in range(24))
    shown = texts(line_chart("Volymer", "Månad", "Antal", (("Lön", points),)))
    months = [text for text in shown if re.fullmatch(r"\d{4}-\d{2}", text)]
    assert months[0] == "2023-01" and months == sorted(months) and 6 <= len(months) <= 13


def test_bars_read_in_swedish_and_negative_values_show_their_sign():
    shown = texts(bar_chart("Förändring per kund, kronor", ("A", "B"), (-600_000.0, 1_250_000.0), "Kronor"))
    assert any(text.startswith("\u2212") for text in shown) and any("\u202f000" in text for text in shown), shown


def test_amount_labels():
    assert amount_label(12_345_678) == "12,3\u00a0mnkr"
    assert amount_label(845_200) == "845\u00a0tkr"
    assert amount_label(950) == "950\u00a0kr"
    assert swedish_number(-1234.5, 1) == "\u22121\u202f234,5"


def test_the_flow_names_its_amounts_and_its_labels_do_not_collide():
    columns = [["pool:a"], [f"p{k}" for k in range(12)], ["service:x"]]
    links = [("pool:a", f"p{k}", 1000.0 * (k + 1)) for k in range(12)] + [(f"p{k}", "service:x", 1000.0 * (k + 1)) for k in range(12)]
    links.append(("pool:a", "p0", 40_000_000.0))
    links.append(("p0", "service:x", 40_000_000.0))
    svg = flow_chart("Kostnadsflöde", columns, links, {"pool:a": "Gemensamt"})
    assert "Gemensamt: 40,1\u00a0mnkr" in svg
    by_column: dict[str, list[float]] = {}
    for x, y in re.findall(r'<text x="([\d.]+)" y="([\d.]+)"', svg):
        by_column.setdefault(x, []).append(float(y))
    for ys in by_column.values():
        assert all(b - a >= 14 for a, b in zip(sorted(ys), sorted(ys)[1:])), ys
    height = float(re.search(r'viewBox="0 0 \d+ ([\d.]+)"', svg).group(1))
    assert max(max(ys) for ys in by_column.values()) < height
