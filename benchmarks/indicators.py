"""Benchmark: all indicators for the national synthetic data set, 60 services × 10 years × 300
customers, under 1 s.

Every service has 300 customers with yearly data elements (connected, units, cost, opening and
outage minutes, NKI answer sums). "All indicators" is, for each of the seven definitions of
coordinated IT operations, the value of every service in every year (the ratio of sums over its
customers) and of all services together in every year: 7 × (600 + 10) values, exact decimals.

Baseline in the same run: DuckDB computing the same ratios of sums with SQL GROUP BY in floating
point, from the same rows already in memory; the results are checked against ours.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import table  # noqa: E402

from servicecenter.core.indicators import (  # noqa: E402
    Aggregation,
    Expression,
    Indicator,
    aggregate_all,
    element_totals,
    nki_expression,
)

SERVICES, YEARS, CUSTOMERS = 60, 10, 300
NUMERATOR, DENOMINATOR = nki_expression()
INDICATORS = [
    Indicator("connected", "", "", Expression("connected"), Expression("agencies"), factor=Decimal(100)),
    Indicator("preparedness", "", "", Expression("connected_preparedness"), Expression("preparedness_agencies"), factor=Decimal(100)),
    Indicator("units", "", "", Expression("units"), aggregation=Aggregation.SUM),
    Indicator("unit_cost", "", "", Expression("full_cost"), Expression("units")),
    Indicator("fee", "", "", Expression("fee_new - fee_old"), Expression("fee_old"), factor=Decimal(100)),
    Indicator("availability", "", "", Expression("open_minutes - outage_minutes"), Expression("open_minutes"), factor=Decimal(100)),
    Indicator("nki", "", "", Expression(NUMERATOR), Expression(DENOMINATOR), factor=Decimal(100)),
]


def generate(seed: int = 1):
    rng = random.Random(seed)
    data, rows = {}, []
    for service in range(SERVICES):
        for year in range(2025, 2025 + YEARS):
            for customer in range(CUSTOMERS):
                n = rng.randint(1, 20)
                values = {"connected": rng.randint(0, 1), "agencies": 1, "connected_preparedness": rng.randint(0, 1), "preparedness_agencies": 1,
                          "units": rng.randint(1, 5000), "full_cost": rng.randint(10_000, 9_000_000), "fee_new": rng.randint(900, 1100), "fee_old": 1000,
                          "open_minutes": 525_600, "outage_minutes": rng.randint(0, 900), "respondents": n,
                          "overall_sum": n * rng.randint(5, 10), "expectations_sum": n * rng.randint(4, 10), "ideal_sum": n * rng.randint(3, 10)}
                data[(f"s{service}/c{customer}", year)] = {k: Decimal(v) for k, v in values.items()}
                rows.append((service, year, customer, *values.values()))
    return data, rows, list(values)


def ours(data) -> dict:
    """Each service-year over its customers; then all services per year from the services' summed
    elements (a ratio of sums of sums is the ratio of the sums)."""
    results, service_totals = {}, {}
    for service in range(SERVICES):
        subjects = [f"s{service}/c{customer}" for customer in range(CUSTOMERS)]
        for year in range(2025, 2025 + YEARS):
            totals = element_totals(data, subjects, year)
            for value in aggregate_all(INDICATORS, data, subjects, year, f"s{service}", totals):
                results[(value.indicator, service, year)] = value.value
            service_totals[(f"s{service}", year)] = totals.sums
    for year in range(2025, 2025 + YEARS):
        for value in aggregate_all(INDICATORS, service_totals, [f"s{service}" for service in range(SERVICES)], year, "all"):
            results[(value.indicator, "all", year)] = value.value
    return results


def baseline(connection) -> dict:
    sql = {
        "connected": "100.0 * sum(connected) / sum(agencies)", "preparedness": "100.0 * sum(connected_preparedness) / sum(preparedness_agencies)",
        "units": "sum(units)", "unit_cost": "sum(full_cost) / sum(units)", "fee": "100.0 * (sum(fee_new) - sum(fee_old)) / sum(fee_old)",
        "availability": "100.0 * (sum(open_minutes) - sum(outage_minutes)) / sum(open_minutes)",
        "nki": "100.0 * ((sum(overall_sum) - sum(respondents)) + (sum(expectations_sum) - sum(respondents)) + (sum(ideal_sum) - sum(respondents))) / (27 * sum(respondents))",
    }
    results = {}
    for name, expression in sql.items():
        for service, year, value in connection.execute(f"select service, year, {expression} from rows group by service, year").fetchall():  # noqa: S608
            results[(name, service, year)] = value
        for year, value in connection.execute(f"select year, {expression} from rows group by year").fetchall():  # noqa: S608
            results[(name, "all", year)] = value
    return results


def main() -> None:
    import duckdb
    import pyarrow as pa

    data, rows, names = generate()
    columns = ["service", "year", "customer", *names]
    arrow = pa.table({name: [row[i] for row in rows] for i, name in enumerate(columns)})
    connection = duckdb.connect()
    connection.register("rows", arrow)
    timings, base_timings = [], []
    for _ in range(3):
        started = time.perf_counter()
        result = ours(data)
        timings.append(time.perf_counter() - started)
        started = time.perf_counter()
        expected = baseline(connection)
        base_timings.append(time.perf_counter() - started)
    worst = max(abs(float(result[key]) - expected[key]) / max(1.0, abs(expected[key])) for key in expected)
    assert len(result) == len(expected) == len(INDICATORS) * (SERVICES * YEARS + YEARS)
    best, base = min(timings), min(base_timings)
    print(f"{SERVICES} services × {YEARS} years × {CUSTOMERS} customers = {len(data):,} subject-years, {len(INDICATORS)} indicators, {len(result):,} values")
    print(table([("run", "best of 3 (s)", "median (s)", "ratio to baseline", "target"),
                 ("ours: core.indicators, exact decimals", f"{best:.3f}", f"{statistics.median(timings):.3f}", f"{best / base:.1f}", "< 1 s"),
                 ("baseline: DuckDB GROUP BY, floating point", f"{base:.3f}", f"{statistics.median(base_timings):.3f}", "1.0", "")]))
    print(f"largest relative difference from the baseline: {worst:.2e}")
    print(f"RESULT indicators_seconds={best:.3f} target_met={best < 1}")


if __name__ == "__main__":
    main()
