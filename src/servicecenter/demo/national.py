"""The synthetic national data set for benchmarks: seeded, reproducible, importable.

``generate_national(out)`` writes, in the import formats of ``servicecenter import``:

- ``customers.csv``   300 customers with employees for three years
- ``catalogue.csv``   60 services in 8 service areas, one version per year
- ``agreements.csv``  each customer's agreements (in production from the first month)
- ``volumes.csv``     customer × service × month for ``months`` months (36 by default)
- ``events.parquet``  raw usage events (event_id, source, org_number, service_code,
                      occurred_at, quantity), ``events`` rows (20 million by default),
                      written in row groups so memory stays flat

Everything is invented: the numbers have realistic shapes, not real values.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np

from servicecenter.core.registry import make_orgnr

AREAS = ["lon", "ekonomi", "ehandel", "kontaktcenter", "upphandling", "rekrytering", "it-drift", "lokaler"]
UNITS = ["payslip", "supplier_invoice_coded", "customer_invoice", "order", "case", "hour", "user", "terabyte", "call", "participant"]
FIRST_MONTH = date(2023, 1, 1)
CHUNK = 2_000_000


def _month(index: int) -> date:
    total = FIRST_MONTH.year * 12 + FIRST_MONTH.month - 1 + index
    return date(total // 12, total % 12 + 1, 1)


def generate_national(out: Path, *, customers: int = 300, services: int = 60, months: int = 36, events: int = 20_000_000,
                      seed: int = 1, coverage: float | None = None, progress: Callable[[str], None] = lambda text: None) -> dict[str, int]:
    """Write the data set to ``out``; returns row counts per file. ``coverage`` 1.0 gives every
    customer every service (for the million-row import benchmark); None draws 10–40 services each."""
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    org_numbers = [make_orgnr(f"2022{index:05d}") for index in range(customers)]
    employees = np.clip(rng.lognormal(5.5, 1.3, customers).astype(int), 5, 40_000)
    codes = [f"tjanst-{index:02d}" for index in range(services)]
    last_year = _month(months - 1).year
    years = list(range(FIRST_MONTH.year, last_year + 1))
    counts: dict[str, int] = {}

    with (out / "customers.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["org_number", "name", "sector", "year", "employees", "turnover"])
        for index, number in enumerate(org_numbers):
            for year in years:
                size = int(employees[index] * (1 + 0.02 * (year - years[0])))
                writer.writerow([number, f"Syntetisk myndighet {index:03d}", "state", year, size, size * 1_100_000])
    counts["customers.csv"] = customers * len(years)
    progress(f"customers.csv: {customers} customers")

    with (out / "catalogue.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["year", "area_code", "area_name", "process_code", "process_name", "service_code", "service_name", "tier", "unit", "obligatory"])
        for index, code in enumerate(codes):
            area = AREAS[index % len(AREAS)]
            for year in years:
                writer.writerow([year, area, area.capitalize(), f"{area}-p{index % 3}", f"Process {index % 3}", code, f"Tjänst {index:02d}",
                                 "base" if index % 4 == 0 else "add_on", UNITS[index % len(UNITS)], "ja" if index % 4 == 0 else "nej"])
    counts["catalogue.csv"] = services * len(years)
    progress(f"catalogue.csv: {services} services")

    if coverage is None:
        chosen = [sorted(rng.choice(services, size=int(rng.integers(10, 41)), replace=False)) for _ in range(customers)]
    else:
        chosen = [list(range(services)) if coverage >= 1 else sorted(rng.choice(services, size=max(1, int(services * coverage)), replace=False)) for _ in range(customers)]
    with (out / "agreements.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["org_number", "service_code", "state", "production_date"])
        for index, picks in enumerate(chosen):
            for service in picks:
                writer.writerow([org_numbers[index], codes[service], "production", FIRST_MONTH.isoformat()])
    counts["agreements.csv"] = sum(len(picks) for picks in chosen)
    progress(f"agreements.csv: {counts['agreements.csv']} agreements")

    rows = 0
    month_labels = [_month(m).strftime("%Y-%m") for m in range(months)]
    with (out / "volumes.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["org_number", "service_code", "month", "quantity"])
        for index, picks in enumerate(chosen):
            base = rng.gamma(2.0, employees[index] / 8 + 1, size=(len(picks), 1))
            noise = rng.uniform(0.85, 1.15, size=(len(picks), months))
            quantities = np.maximum(0, np.round(base * noise)).astype(int)
            number = org_numbers[index]
            for position, service in enumerate(picks):
                code = codes[service]
                for month in range(months):
                    writer.writerow([number, code, month_labels[month], int(quantities[position, month])])
                rows += months
    counts["volumes.csv"] = rows
    progress(f"volumes.csv: {rows} rows")

    if events:
        counts["events.parquet"] = _write_events(out / "events.parquet", rng, org_numbers, codes, chosen, months, events, progress)
    return counts


def _write_events(path: Path, rng, org_numbers, codes, chosen, months: int, events: int, progress) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pairs_customer = np.array([index for index, picks in enumerate(chosen) for _ in picks], dtype=np.int32)
    pairs_service = np.array([service for picks in chosen for service in picks], dtype=np.int32)
    org_array = np.array(org_numbers)
    code_array = np.array(codes)
    start = np.datetime64(FIRST_MONTH.isoformat(), "s")
    span = int((np.datetime64(_month(months).isoformat(), "s") - start).astype(np.int64))
    schema = pa.schema([("event_id", pa.string()), ("source", pa.string()), ("org_number", pa.string()),
                        ("service_code", pa.string()), ("occurred_at", pa.timestamp("s", tz="Europe/Stockholm")), ("quantity", pa.decimal128(18, 3))])
    written = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        while written < events:
            size = min(CHUNK, events - written)
            pick = rng.integers(0, len(pairs_customer), size)
            seconds = rng.integers(0, span, size)
            ids = np.char.add("e", np.arange(written, written + size).astype(str))
            quantity = rng.integers(1, 4, size)
            table = pa.table({
                "event_id": pa.array(ids),
                "source": pa.array(np.full(size, "system-a")),
                "org_number": pa.array(org_array[pairs_customer[pick]]),
                "service_code": pa.array(code_array[pairs_service[pick]]),
                "occurred_at": pa.array((start + seconds.astype("timedelta64[s]")).astype("datetime64[s]")).cast(pa.timestamp("s", tz="Europe/Stockholm")),
                "quantity": pa.array(quantity.astype(np.int32)).cast(pa.decimal128(18, 3)),
            }, schema=schema)
            writer.write_table(table)
            written += size
            progress(f"events.parquet: {written:,} of {events:,} rows")
    return written
