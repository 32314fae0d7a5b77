"""Stockholm's service administration at the scale of seed 003 (2020): the volumes of its 30
administrations and four companies are drawn so that the year, billed under the 2020 price list,
comes to the revenue the seed publishes, area by area:

- total 262.0 Mkr (§2.4); Ekonomi, Lön och pension and Kontaktcenter together about 189 Mkr;
- Ekonomi 79.3 Mkr = 50.4 unit and hourly (supplier invoices the largest, 23.4) + 21.3 fixed
  costs keyed out + 7.6 add-ons (§6);
- Lön och pension 34.7 Mkr base service (53.50 kr per employee and month) + 16.6 extra handling
  + 1.3 add-ons (§7);
- Upphandling och inköp 47 Mkr with a fixed reimbursement of 23 Mkr and hourly support at 860 kr
  about a fifth (§9.1); Lokalplanering 11.8 Mkr (§9.2); Rekrytering 14 Mkr, about 600
  assignments (§9.3); Kontaktcenter the rest of the 262 (the seed's §8 says "ca. 50"; its overview
  table's 189 for the three largest areas puts it at 57.3).

How the revenue splits inside an area where the seed is silent, every customer's share and every
month's quantity are illustrative: drawn from the customers' sizes with a seasonal pattern (a
quiet July), so that no month of no customer stands out (December 2020 is about a twelfth of the
year). The quantities are whole numbers that add up, per service and year, to what the target
requires at the list's price; the tiered supplier invoices are solved for with the price list's
own tier arithmetic (``core.pricing.VolumeTiers``), so the billing engine gives the figures back.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from servicecenter.core.money import from_float, split_largest_remainder
from servicecenter.core.pricing.strategies import ConnectionFee, VolumeTiers

MKR = Decimal(1_000_000)

#: Revenue per service in 2020, kronor, excluding VAT (see the module's text for the sources).
TARGETS = {
    # Ekonomi 79.3 = 50.4 unit and hourly + 21.3 keyed + 7.6 add-ons
    "lev-fakturor": Decimal("23.4") * MKR,
    "kundfakturor": Decimal("27.0") * MKR,
    "kassa-bank": Decimal("21.3") * MKR,          # a fixed pool keyed out (the price list's pool)
    "ekonomi-tillagg": Decimal("7.6") * MKR,
    # Lön och pension 52.6
    "lon-bas": Decimal("34.7") * MKR,
    "tillaggshantering": Decimal("16.6") * MKR,
    "lon-tillagg": Decimal("1.3") * MKR,
    # Kontaktcenter 57.3
    "kc-direkt": Decimal("38.0") * MKR,           # a fixed pool keyed out
    "e-tjanstesupport": Decimal("12.0") * MKR,
    "kc-tillagg": Decimal("7.3") * MKR,
    # Upphandling och inköp 47.0 (of which 23.0 fixed, paid by the City Executive Office)
    "upphandling": Decimal("9.4") * MKR,          # the hourly part, beside the fixed 23 Mkr
    "avtalsdatabas": Decimal("13.1") * MKR,
    "inkopsutbildning": Decimal("1.5") * MKR,
    # Lokalplanering 11.8, Rekrytering 14.0
    "lokalplanering": Decimal("11.8") * MKR,
    "rekrytering": Decimal("11.52") * MKR,
    "chefsrekrytering": Decimal("2.482") * MKR,
}
#: the fixed reimbursement for procurement (§9.1), billed as the service's fixed pool
PROCUREMENT_FIXED = Decimal("23.0") * MKR

#: when every agreement went into production (demo/build.py): a connection fee's instalments run from here
CONNECTED = date(2016, 1, 1)

#: A year's months relative to an average one: quiet in July, busier in spring and autumn.
SEASON = (1.02, 0.98, 1.06, 1.0, 1.02, 1.0, 0.72, 0.9, 1.06, 1.08, 1.06, 1.1)


def employees_total(price_per_employee_month: Decimal) -> int:
    """The employees the payroll base service must cover in 2020 to bring in its 34.7 Mkr."""
    return int((TARGETS["lon-bas"] / (price_per_employee_month * 12)).to_integral_value())


def draw_employees(rng: random.Random, count: int, total: int) -> list[int]:
    """``count`` sizes adding up to ``total``: a few large administrations, many middling ones."""
    weights = [rng.lognormvariate(0, 0.8) for _ in range(count)]
    parts = split_largest_remainder(Decimal(total), {k: from_float(w) for k, w in enumerate(weights)}, Decimal(1))
    return [max(1, int(parts[k])) for k in range(count)]


def _cells(rng: random.Random, sizes: dict[int, int], spread: float) -> dict[tuple[int, int], Decimal]:
    """Weights per (customer, month): size × a customer factor × the season × a little noise."""
    cells = {}
    for customer, size in sizes.items():
        factor = rng.lognormvariate(0, spread)
        for month in range(1, 13):
            cells[(customer, month)] = from_float(size * factor * SEASON[month - 1] * rng.uniform(0.93, 1.07))
    return cells


def _whole(total: int, cells: dict[tuple[int, int], Decimal]) -> dict[tuple[int, int], int]:
    parts = split_largest_remainder(Decimal(total), cells, Decimal(1)) if total else dict.fromkeys(cells, Decimal(0))
    return {cell: int(value) for cell, value in parts.items()}


def tiered_total(tiers: VolumeTiers, target: Decimal, cells: dict[tuple[int, int], Decimal]) -> dict[tuple[int, int], int]:
    """Whole quantities in the shape of ``cells`` whose amounts under ``tiers`` (per customer and
    month, as an invoice line is priced) add up to ``target``, found by bisection on the year's
    total quantity."""
    def revenue(total: int) -> Decimal:
        return sum((tiers.amount(Decimal(q)) for q in _whole(total, cells).values()), Decimal(0))

    low, high = 0, 1
    while revenue(high) < target:
        high *= 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if revenue(middle) < target else (low, middle)
    best = min((low, high), key=lambda total: abs(revenue(total) - target))
    return _whole(best, cells)


def stockholm_quantities(rng: random.Random, prices: dict[str, dict], buyers: dict[str, dict[int, int]],
                         discounted: Sequence[int] = ()) -> dict[str, dict[tuple[int, int], int]]:
    """Per service code, whole quantities per (customer id, month) of 2020. ``buyers[code]`` are the
    customers with an agreement for the service and their sizes (employees); ``discounted`` the
    customers whose add-on finance hours carry the list's discount."""
    out: dict[str, dict[tuple[int, int], int]] = {}
    for code, sizes in buyers.items():
        if not sizes:
            continue
        entry = prices.get(code, {})
        if code == "lon-bas":     # the base service bills every employee every month
            out[code] = {(customer, month): size for customer, size in sizes.items() for month in range(1, 13)}
            continue
        if "fixed_pool" in entry and code != "upphandling":   # keyed pools: one month of service each month
            out[code] = {(customer, month): 1 for customer in sizes for month in range(1, 13)}
            continue
        cells = _cells(rng, sizes, 0.45)
        if "tiers" in entry:
            tiers = VolumeTiers(tuple((Decimal(start), Decimal(price)) for start, price in entry["tiers"]), graduated=entry.get("graduated", True))
            out[code] = tiered_total(tiers, TARGETS[code], cells)
            continue
        price = Decimal(entry["unit_price"])
        target = TARGETS[code]
        if "connection_fee" in entry:   # the fee's instalments falling in 2020 are revenue of the service too
            months = int(entry.get("connection_months", 60))
            first = (2020 - CONNECTED.year) * 12 - CONNECTED.month + 1     # 2020-01 as the instalment's index
            instalments = ConnectionFee(Decimal(entry["connection_fee"]), months).instalments()[max(0, first):max(0, first + 12)]
            target -= sum(instalments, Decimal(0)) * len(sizes)
        if code == "ekonomi-tillagg" and discounted:
            # discounted hours earn less: weigh them by (1 − discount) to find the total that brings in the target
            discount = Decimal(entry.get("discount_share", "0"))
            effective = sum((w * (1 - discount) if customer in discounted else w for (customer, _m), w in cells.items()), Decimal(0))
            plain = sum(cells.values(), Decimal(0))
            price = price * effective / plain
        total = int((target / price).to_integral_value())
        out[code] = _whole(total, cells)
    return out
