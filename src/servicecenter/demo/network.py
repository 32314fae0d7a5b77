"""The demo's office network: illustrative, built to match the published counts and tables.

148 offices at the end of 2024 (58 full-service, 90 flexible) at real localities in 126 of the 290
municipalities, at least one in each of the 60 FA-regions (2015); 23 flexible offices closed
during 2025, leaving 125; visits per region (Tabell 11), per municipality type (Tabell 20) and
errands per partner agency (Tabell 12) for 2023–2025 exactly as published. Everything per
office (which office, its costs, lease, visits) is made up; only the totals are real.

The municipality types are *derived for the demo* from locality sizes, not Tillväxtanalys'
list (import the real one with the ``municipality_types`` import).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from decimal import Decimal

import numpy as np

from servicecenter.apps.network import services
from servicecenter.apps.network.models import (
    Municipality,
    Office,
    Scenario,
    ScenarioChange,
)
from servicecenter.core.money import from_float, split_largest_remainder
from servicecenter.core.network import regions
from servicecenter.core.network.demand import swedish_localities
from servicecenter.core.network.geo import haversine_km
from servicecenter.demo.files import import_file, import_rows

# Seed 000, Tabell 11: visits per region.
VISITS_BY_REGION = {
    2025: {"Flexibla kontor": 375_358, "Nord Mitt": 503_561, "Stockholm och Gotland": 634_192, "Syd Öst": 586_580, "Väst": 449_498},
    2024: {"Flexibla kontor": 479_122, "Nord Mitt": 517_602, "Stockholm och Gotland": 676_974, "Syd Öst": 612_503, "Väst": 472_557},
    2023: {"Flexibla kontor": 520_518, "Nord Mitt": 495_912, "Stockholm och Gotland": 601_170, "Syd Öst": 574_187, "Väst": 454_112},
}
# Tabell 12: errands per partner agency.
ERRANDS_BY_PARTNER = {
    2025: {"AF": 423_713, "FK": 743_782, "MIGR": 86_616, "PM": 174_586, "SKV": 1_632_547},
    2024: {"AF": 457_805, "FK": 830_644, "MIGR": 44_457, "PM": 175_831, "SKV": 1_772_038},
    2023: {"AF": 452_779, "FK": 849_817, "MIGR": 18_354, "PM": 149_547, "SKV": 1_654_962},
}
# Tabell 20: visits per municipality type.
VISITS_BY_TYPE = {
    2025: {"storstad": 1_111_866, "tat_blandad": 1_073_938, "gles_blandad": 180_082, "landsbygd_tatortsnara": 70_590,
           "gles_landsbygd": 102_673, "mycket_gles_landsbygd": 10_040},
    2024: {"storstad": 1_161_830, "tat_blandad": 1_170_102, "gles_blandad": 213_741, "landsbygd_tatortsnara": 81_461,
           "gles_landsbygd": 120_891, "mycket_gles_landsbygd": 10_733},
    2023: {"storstad": 1_077_810, "tat_blandad": 1_136_209, "gles_blandad": 213_882, "landsbygd_tatortsnara": 75_853,
           "gles_landsbygd": 130_988, "mycket_gles_landsbygd": 11_157},
}
REGION_OF_COUNTY = {"01": "Stockholm och Gotland", "09": "Stockholm och Gotland", "13": "Väst", "14": "Väst", "17": "Väst",
                    "03": "Nord Mitt", "18": "Nord Mitt", "19": "Nord Mitt", "20": "Nord Mitt", "21": "Nord Mitt", "22": "Nord Mitt",
                    "23": "Nord Mitt", "24": "Nord Mitt", "25": "Nord Mitt"}
EXTRA_DISTRICTS = ["Rinkeby", "Tensta", "Kista", "Södermalm", "Bromma", "Hässelby Villastad", "Akalla", "Årsta"]
OFFICES, FULL, FLEXIBLE, MUNICIPALITIES, CLOSED_2025 = 148, 58, 90, 126, 23
SAVINGS_PATH = {2025: Decimal(50_000_000), 2026: Decimal(100_000_000), 2027: Decimal(150_000_000), 2028: Decimal(150_000_000)}
MONTH_PROFILE = np.array([9.4, 8.9, 9.3, 8.6, 8.4, 8.2, 6.2, 8.0, 8.7, 9.0, 8.6, 6.7])  # illustrative seasonality


def largest_remainder(values: np.ndarray, total: int) -> np.ndarray:
    """Integers proportional to ``values`` that add up to ``total`` exactly (core.money's split;
    nothing for a zero weight)."""
    values = np.asarray(values, dtype=float)
    out = np.zeros(values.size, dtype=int)
    positive = {i: from_float(float(v)) for i, v in enumerate(values) if v > 0}
    if total and positive:
        for i, part in split_largest_remainder(Decimal(total), positive, step=Decimal(1)).items():
            out[i] = int(part)
    return out


def fit_two_margins(seed: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Iterative proportional fitting of ``seed`` (zeros stay zero) to integer row and column
    totals, then a rounding that keeps both margins exact."""
    m = seed.astype(float).copy()
    for _ in range(500):
        m *= (rows / np.maximum(m.sum(axis=1), 1e-12))[:, None]
        m *= (cols / np.maximum(m.sum(axis=0), 1e-12))[None, :]
        if np.abs(m.sum(axis=1) - rows).max() < 1e-6:
            break
    out = np.floor(m).astype(int)
    frac = m - out
    row_def = rows - out.sum(axis=1)
    col_def = cols - out.sum(axis=0)
    for flat in np.argsort(-frac, axis=None):
        i, j = divmod(int(flat), m.shape[1])
        if row_def[i] > 0 and col_def[j] > 0 and seed[i, j] > 0:
            out[i, j] += 1
            row_def[i] -= 1
            col_def[j] -= 1
    for i in np.flatnonzero(row_def > 0):  # a row short by more than one unit
        while row_def[i] > 0:
            candidates = np.flatnonzero((col_def > 0) & (seed[i] > 0))
            if candidates.size == 0:
                break
            j = candidates[np.argmax(frac[i, candidates])]
            out[i, j] += 1
            row_def[i] -= 1
            col_def[j] -= 1
    assert not row_def.any() and not col_def.any(), "the margins could not be met"
    return out


def _municipality_types(points, codes) -> dict[str, str]:
    """An illustrative six-type classification from the sizes of each municipality's localities."""
    biggest: dict[str, float] = defaultdict(float)
    total: dict[str, float] = defaultdict(float)
    lat: dict[str, float] = {}
    where: dict[str, tuple[float, float]] = {}
    for _name, x, y, pop, code in zip(points.names, points.lon, points.lat, points.population, codes, strict=True):
        if code is None:
            continue
        total[code] += pop
        if pop > biggest[code]:
            biggest[code] = pop
            lat[code] = y
            where[code] = (x, y)
    metros = [(18.0686, 59.3293), (11.9746, 57.7089), (13.0038, 55.6050)]
    near_city = [(x, y) for x, y, p in zip(points.lon, points.lat, points.population, strict=True) if p >= 50_000]
    out = {}
    for code in Municipality.objects.values_list("code", flat=True):
        big, y = biggest.get(code, 0), lat.get(code, 60)
        x0, y0 = where.get(code, (15.0, 60.0))
        metro_km = min(haversine_km([y0], [x0], [m[1] for m in metros], [m[0] for m in metros])[0])
        city_km = min(haversine_km([y0], [x0], [c[1] for c in near_city], [c[0] for c in near_city])[0])
        if metro_km < 30 and total.get(code, 0) >= 30_000:
            kind = "storstad"
        elif big >= 25_000:
            kind = "tat_blandad"
        elif city_km < 40 and big < 15_000:
            kind = "landsbygd_tatortsnara"
        elif big >= 9_000:
            kind = "gles_blandad"
        elif y > 63.0 and big < 4_000:
            kind = "mycket_gles_landsbygd"
        else:
            kind = "gles_landsbygd"
        out[code] = kind
    return out


def build_network(ssc, rng, progress=lambda text: None) -> Scenario:
    progress("Office network: municipalities, FA-regions, 148 offices, visits 2023–2025")
    services.ensure_geography()
    points = swedish_localities()
    division = regions.builtin("kommun")
    codes = division.codes_at(points.lon, points.lat)
    kinds = _municipality_types(points, codes)
    for code, kind in kinds.items():
        Municipality.objects.filter(code=code).update(kind=kind, kind_source="Härledd för demon ur orternas storlek (illustrativ)")
    municipalities = {m.code: m for m in Municipality.objects.select_related("fa_region")}
    services.ensure_default_demand()

    # --- where the offices are: the largest locality of every FA-region, then of further
    # municipalities by size, then districts of the largest cities
    order = np.argsort(-points.population, kind="stable")
    chosen: list[int] = []
    used_munis: set[str] = set()
    for fa_code in sorted({m.fa_region.code for m in municipalities.values()}):
        for i in order:
            c = codes[i]
            if c and municipalities[c].fa_region.code == fa_code and c not in used_munis:
                chosen.append(int(i))
                used_munis.add(c)
                break
    for i in order:
        if len(used_munis) >= MUNICIPALITIES:
            break
        c = codes[i]
        if c and c not in used_munis:
            chosen.append(int(i))
            used_munis.add(c)
    by_name = {n: k for k, n in enumerate(points.names)}
    extras = [by_name[n] for n in EXTRA_DISTRICTS if n in by_name]
    for i in order:
        if len(chosen) + len(extras) >= OFFICES:
            break
        c = codes[i]
        if c in used_munis and int(i) not in chosen and int(i) not in extras and points.population[i] >= 5_000:
            extras.append(int(i))
    chosen += extras[: OFFICES - len(chosen)]
    assert len(chosen) == OFFICES and len({codes[i] for i in chosen}) == MUNICIPALITIES, (len(chosen), len({codes[i] for i in chosen}), len(used_munis))

    # full-service: the largest 58 places (one per municipality), the rest flexible
    by_size = sorted(chosen, key=lambda i: -points.population[i])
    full, seen = [], set()
    for i in by_size:
        if codes[i] not in seen and len(full) < FULL:
            full.append(i)
            seen.add(codes[i])
    full_set = set(full)
    # the 23 flexible offices closed in 2025: those with another office nearest to them
    flexible = [i for i in chosen if i not in full_set]
    lat = points.lat[chosen]
    lon = points.lon[chosen]
    km = haversine_km(lat, lon, lat, lon)
    np.fill_diagonal(km, np.inf)
    position = {i: k for k, i in enumerate(chosen)}
    fa_count = defaultdict(int)
    for i in chosen:
        fa_count[municipalities[codes[i]].fa_region.code] += 1
    closing = []
    for i in sorted(flexible, key=lambda i: km[position[i]].min()):
        fa = municipalities[codes[i]].fa_region.code
        if fa_count[fa] > 1 and len(closing) < CLOSED_2025:
            closing.append(i)
            fa_count[fa] -= 1
    closing_set = set(closing)

    offices = []
    for k, i in enumerate(chosen):
        code = codes[i]
        is_full = i in full_set
        county = code[:2]
        region = REGION_OF_COUNTY.get(county, "Syd Öst") if is_full else "Flexibla kontor"
        size = points.population[i]
        staff = Decimal(max(6, min(60, int(6 + size / 20_000)))) if is_full else Decimal(rng.choice([0, 1, 2, 2, 3]))
        category = "full" if is_full else ("flex_staffed" if staff else "flex_visiting")
        rent = Decimal(int(900_000 + 8_000 * float(staff) + rng.randint(0, 400_000)))
        staff_cost = staff * Decimal(620_000) + (Decimal(450_000) if not staff else 0)
        closed = dt.date(2025, rng.choice([3, 4, 6, 9, 10, 12]), 1) if i in closing_set else None
        lease_end = dt.date(rng.choice([2025, 2026, 2026, 2027, 2027, 2028, 2029]), rng.choice([3, 6, 9, 12]), 28)
        offices.append(Office(
            provider=ssc, code=f"sk{k + 1:03d}", name=f"Servicekontor {points.names[i]}", address=f"{points.names[i]} centrum (illustrativ)",
            lon=Decimal(f"{points.lon[i]:.6f}"), lat=Decimal(f"{points.lat[i]:.6f}"), municipality=municipalities[code],
            region=region, category=category, preparedness=is_full and k % 2 == 0,
            socially_vulnerable=points.names[i] in EXTRA_DISTRICTS[:5],
            co_location="Kommunens medborgarkontor" if (not is_full and k % 7 < 3) else "",
            decision="Regeringsbeslut Fi2019/01234 (illustrativt)" if is_full else "",
            opened=dt.date(2019, 6, 1), closed=closed, lease_end=lease_end if closed is None or lease_end > closed else closed,
            cost_rent=rent, cost_staff=staff_cost, cost_it=Decimal(150_000 + 20_000 * int(staff)), cost_other=Decimal(120_000),
            staff=staff, opening_hours="Mån–fre 09–17" if is_full else "Tis och tor 10–15", capacity=int(max(8_000, float(staff) * 9_000 + 6_000)),
            illustrative=True,
        ))
    co_located = [o for o in offices if o.co_location]
    for o in offices:
        if len(co_located) >= 39:
            break
        if not o.co_location and o.category != "full":
            o.co_location = "Kommunens kontaktcenter"
            co_located.append(o)
    _import_offices(ssc, offices)
    offices = list(Office.objects.filter(provider=ssc).select_related("municipality").order_by("code"))
    _visits(ssc, offices, rng)
    import_rows("savings_requirements", [{"year": year, "base_year": 2024, "amount": amount} for year, amount in SAVINGS_PATH.items()],
                "besparingskrav.csv", ssc)
    return _scenario(ssc, offices, closing_set, chosen, rng)


def _import_offices(ssc, offices: list[Office]) -> None:
    """The register imported as a planner imports one (coordinates and municipalities checked),
    under the office import's own column names, then labelled illustrative: the offices are made up."""
    rows = [{"code": o.code, "name": o.name, "address": o.address, "x": o.lon, "y": o.lat, "municipality": o.municipality.code,
             "region": o.region, "category": o.category, "preparedness": "ja" if o.preparedness else "nej",
             "socially_vulnerable": "ja" if o.socially_vulnerable else "nej", "co_location": o.co_location, "decision": o.decision,
             "opened": o.opened or "", "closed": o.closed or "", "lease_end": o.lease_end or "", "cost_rent": o.cost_rent,
             "cost_staff": o.cost_staff, "cost_it": o.cost_it, "cost_other": o.cost_other, "staff": o.staff,
             "opening_hours": o.opening_hours, "capacity": o.capacity} for o in offices]
    import_rows("offices", rows, "kontor-illustrativa.csv", ssc)
    Office.objects.filter(provider=ssc, code__in=[o.code for o in offices]).update(illustrative=True)


def _visits(ssc, offices: list[Office], rng) -> None:
    """Three years of monthly visits and errands per office and partner agency, fitted to the
    published totals by region and municipality type, imported as a planner imports a file."""
    region_names = sorted({o.region for o in offices})
    type_names = list(VISITS_BY_TYPE[2025])
    weight = np.array([math.sqrt(float(o.capacity)) * (1 + rng.random() * 0.4) for o in offices])
    rows = []
    for year in (2023, 2024, 2025):
        months_open = np.array([
            sum(o.is_open_on(dt.date(year, m, 15)) for m in range(1, 13)) for o in offices], dtype=float)
        w = weight * months_open / 12
        seed = np.zeros((len(region_names), len(type_names)))
        for o, wi in zip(offices, w, strict=True):
            seed[region_names.index(o.region), type_names.index(o.municipality.kind)] += wi
        cells = fit_two_margins(seed, np.array([VISITS_BY_REGION[year][r] for r in region_names]),
                                np.array([VISITS_BY_TYPE[year][t] for t in type_names]))
        annual = np.zeros(len(offices), dtype=int)
        for ri, r in enumerate(region_names):
            for ti, t in enumerate(type_names):
                members = [k for k, o in enumerate(offices) if o.region == r and o.municipality.kind == t]
                if members:
                    annual[members] = largest_remainder(w[members], int(cells[ri, ti]))
        partners = list(ERRANDS_BY_PARTNER[year])
        errand_totals = np.array([ERRANDS_BY_PARTNER[year][p] for p in partners])
        errands = fit_two_margins(np.outer(annual, errand_totals).astype(float) + 0.0,
                                  largest_remainder(annual, int(errand_totals.sum())), errand_totals)
        for k, o in enumerate(offices):
            open_months = [m for m in range(1, 13) if o.is_open_on(dt.date(year, m, 15))]
            if not open_months or annual[k] == 0:
                continue
            profile = MONTH_PROFILE[[m - 1 for m in open_months]]
            monthly_visits = largest_remainder(profile, int(annual[k]))
            monthly_errands = np.array([largest_remainder(profile, int(errands[k, p])) for p in range(len(partners))])
            for mi, month in enumerate(open_months):
                visit_split = largest_remainder(monthly_errands[:, mi] + 1e-9, int(monthly_visits[mi]))
                for p, partner in enumerate(partners):
                    if monthly_errands[p, mi] or visit_split[p]:
                        rows.append(f"{o.code},{year}-{month:02d},{partner},{int(visit_split[p])},{int(monthly_errands[p, mi])}\n")
    import_file("office_visits", ("kontor,månad,myndighet,besök,ärenden\n" + "".join(rows)).encode(), "besok-2023-2025-illustrativ.csv", ssc)


def _scenario(ssc, offices, closing_set, chosen, rng) -> Scenario:
    """About 35 closures 2025–2028: the 23 of 2025 and twelve more flexible offices of low volume."""
    scenario = Scenario.objects.create(
        provider=ssc, name="Avvecklingsplan 2025–2028 (illustrativ)", base_date=dt.date(2025, 1, 1), lost_share=Decimal("0.25"),
        description="Illustrativt scenario: de 23 kontor som stängde 2025 och tolv till med låga volymer, mot besparingskravet "
                    "50/100/150 mnkr jämfört med 2024. Kontor, kostnader och hyresavtal är påhittade.")
    by_code = {o.code: o for o in offices}
    closed_2025 = [o for o in offices if o.closed]
    for o in closed_2025:
        ScenarioChange.objects.create(scenario=scenario, kind="close", office=o, date=o.closed)
    visits_2024 = services.base_year_visits(ssc, 2024)
    fa_left = defaultdict(int)
    for o in offices:
        if not o.closed:
            fa_left[o.municipality.fa_region_id] += 1
    more = 0
    for o in sorted((o for o in offices if not o.closed and o.category != "full"), key=lambda o: visits_2024.get(o.pk, 0)):
        if more >= 12:
            break
        if fa_left[o.municipality.fa_region_id] > 1:
            ScenarioChange.objects.create(scenario=scenario, kind="close", office=o, date=dt.date(2026 + more % 3, 6, 30))
            fa_left[o.municipality.fa_region_id] -= 1
            more += 1
    del by_code
    return scenario
