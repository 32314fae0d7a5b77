"""Closure scenarios: what closing, downgrading, adding or moving offices does.

A ``Network`` is the offices of a base date, the demand points and the distances between them.
A scenario is a list of changes; ``evaluate`` returns the consequences the ordinances and the
appropriation path ask for: savings per year (a closure saves nothing before its lease ends),
where the closed offices' visits go and the load that gives, the flags (only office in a
municipality: consequence analysis under SFS 2019:202; an FA-region left without an office;
consultations under SFS 2017:583), and accessibility before and after, by FA-region and area type.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum

import numpy as np

from servicecenter.core.money import round_ore
from servicecenter.core.network import access
from servicecenter.core.network.demand import DemandPoints
from servicecenter.core.network.geo import haversine_km


class Category(StrEnum):
    FULL = "full"  # full-service: every errand, including biometrics
    FLEX_STAFFED = "flex_staffed"  # flexible, with stationed staff
    FLEX_VISITING = "flex_visiting"  # flexible, staff travel there
    TEMPORARY = "temporary"

    @property
    def full_service(self) -> bool:
        return self is Category.FULL


class ChangeKind(StrEnum):
    CLOSE = "close"
    DOWNGRADE = "downgrade"
    ADD = "add"
    MOVE = "move"


@dataclass(frozen=True)
class Office:
    code: str
    name: str
    lon: float
    lat: float
    municipality: str
    fa_region: str
    category: Category
    yearly_cost: Decimal = Decimal(0)
    lease_end: dt.date | None = None
    capacity: int = 0  # visits a year the premises and staff can take
    visits: int = 0  # visits in the base year
    area_types: frozenset[str] = frozenset()  # "sparse", "metropolitan", "vulnerable"


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    office: str  # the office's code (for ADD: the new office's code)
    date: dt.date
    category: Category | None = None  # DOWNGRADE: the new category; ADD: the category
    cost_change: Decimal = Decimal(0)  # yearly, + is more cost (ADD/MOVE/DOWNGRADE)
    lon: float | None = None  # ADD/MOVE
    lat: float | None = None
    name: str = ""
    municipality: str = ""
    fa_region: str = ""
    capacity: int = 0


@dataclass(frozen=True)
class Rules:
    lost_share: Decimal = Decimal("0.25")  # of a closed office's visits that go to phone and digital
    detour: float = 1.3
    thresholds_km: tuple[float, ...] = (10, 20, 30, 50)
    required: Mapping[int, Decimal] = field(default_factory=dict)  # year -> savings required vs base
    years: tuple[int, ...] = ()  # the years savings are reported for (the app: the scenario's date onwards)


@dataclass(frozen=True)
class Network:
    offices: tuple[Office, ...]
    demand: DemandPoints
    demand_municipality: tuple[str | None, ...]
    demand_fa: tuple[str | None, ...]
    demand_area: tuple[str, ...]  # the area type of each demand point's municipality
    municipalities: Mapping[str, str] = field(default_factory=dict)  # code -> name
    fa_regions: Mapping[str, str] = field(default_factory=dict)
    detour: float = 1.3
    _distance: np.ndarray | None = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if self._distance is None:
            d = haversine_km(self.demand.lat, self.demand.lon, [o.lat for o in self.offices], [o.lon for o in self.offices])
            d *= self.detour
            d.setflags(write=False)
            object.__setattr__(self, "_distance", d)

    @property
    def distance(self) -> np.ndarray:
        return self._distance

    def index(self, code: str) -> int:
        return self._positions()[code]

    def _positions(self) -> dict[str, int]:
        cached = self.__dict__.get("_pos")
        if cached is None:
            cached = {o.code: i for i, o in enumerate(self.offices)}
            object.__setattr__(self, "_pos", cached)
        return cached


@dataclass(frozen=True)
class Transfer:
    office: str
    to: str | None  # None when no suitable office remains
    visits: int
    lost: int
    km: float


@dataclass(frozen=True)
class Load:
    office: str
    visits_before: int
    visits_after: int
    capacity: int

    @property
    def utilisation(self) -> float | None:
        return self.visits_after / self.capacity if self.capacity else None


@dataclass(frozen=True)
class Flag:
    code: str  # "only_office", "fa_without_office", "consultation", "over_capacity"
    office: str
    subject: str  # municipality code, FA-region code or partner
    rule: str  # "SFS 2019:202", "SFS 2017:583", ...


@dataclass(frozen=True)
class Accessibility:
    nearest_km: np.ndarray = field(repr=False)
    nearest_full_km: np.ndarray = field(repr=False)
    overall: access.Summary
    overall_full: access.Summary
    by_fa: Mapping[str, access.Summary]
    by_area: Mapping[str, access.Summary]
    by_municipality: Mapping[str, access.Summary]


@dataclass(frozen=True)
class Result:
    offices: tuple[Office, ...]  # the network after the changes (closed ones removed)
    open_before: int
    open_after: int
    full_before: int
    full_after: int
    savings: Mapping[int, Decimal]  # year -> savings against the base year
    required: Mapping[int, Decimal]
    transfers: tuple[Transfer, ...]
    loads: tuple[Load, ...]
    flags: tuple[Flag, ...]
    before: Accessibility
    after: Accessibility
    visits_before: int
    visits_after: int
    visits_lost: int
    closed_visits_by_area: Mapping[str, int]

    def shortfall(self, year: int) -> Decimal:
        return max(Decimal(0), self.required.get(year, Decimal(0)) - self.savings.get(year, Decimal(0)))


def _year_fraction(start: dt.date, year: int) -> Decimal:
    """The share of ``year`` on or after ``start``."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if start <= first:
        return Decimal(1)
    if start > last:
        return Decimal(0)
    days = (dt.date(year + 1, 1, 1) - first).days
    return Decimal((dt.date(year + 1, 1, 1) - start).days) / Decimal(days)


def _accessibility(network: Network, distance: np.ndarray, offices: Sequence[Office], open_mask: np.ndarray, rules: Rules) -> Accessibility:
    pop = network.demand.population
    km, _ = access.nearest(distance, open_mask)
    full_mask = open_mask & np.array([o.category.full_service for o in offices])
    km_full, _ = access.nearest(distance, full_mask)
    t = rules.thresholds_km
    return Accessibility(
        km, km_full,
        access.summarise(km, pop, t), access.summarise(km_full, pop, t),
        access.by_group(km, pop, network.demand_fa, t),
        access.by_group(km, pop, network.demand_area, t),
        access.by_group(km, pop, network.demand_municipality, t),
    )


def _apply(network: Network, changes: Sequence[Change]):
    """The offices after the changes, their distance matrix and which are open."""
    offices = list(network.offices)
    columns = {}
    closed: dict[str, Change] = {}
    positions = dict(network._positions())
    for change in changes:
        if change.kind is ChangeKind.ADD:
            if change.office in positions:
                raise ValueError(f"An office with code {change.office} already exists.")
            office = Office(change.office, change.name or change.office, float(change.lon), float(change.lat),
                            change.municipality, change.fa_region, change.category or Category.FLEX_STAFFED,
                            change.cost_change, None, change.capacity, 0)
            positions[change.office] = len(offices)
            offices.append(office)
            columns[change.office] = (office.lat, office.lon)
            continue
        if change.office not in positions:
            raise ValueError(f"No office with code {change.office} in the network.")
        i = positions[change.office]
        if change.kind is ChangeKind.CLOSE:
            closed[change.office] = change
        elif change.kind is ChangeKind.DOWNGRADE:
            offices[i] = replace(offices[i], category=change.category or Category.FLEX_STAFFED)
        elif change.kind is ChangeKind.MOVE:
            offices[i] = replace(offices[i], lon=float(change.lon), lat=float(change.lat),
                                 municipality=change.municipality or offices[i].municipality,
                                 fa_region=change.fa_region or offices[i].fa_region)
            columns[change.office] = (offices[i].lat, offices[i].lon)
    distance = network.distance
    if columns or len(offices) > distance.shape[1]:
        distance = np.empty((distance.shape[0], len(offices)))
        distance[:, : network.distance.shape[1]] = network.distance
        codes = list(columns)
        if codes:
            lat = [columns[c][0] for c in codes]
            lon = [columns[c][1] for c in codes]
            fresh = haversine_km(network.demand.lat, network.demand.lon, lat, lon) * network.detour
            for k, code in enumerate(codes):
                distance[:, positions[code]] = fresh[:, k]
    open_mask = np.array([o.code not in closed for o in offices])
    return offices, distance, open_mask, closed


def evaluate(network: Network, changes: Sequence[Change], rules: Rules) -> Result:
    base_open = np.ones(len(network.offices), dtype=bool)
    offices, distance, open_mask, closed = _apply(network, changes)
    before = _accessibility(network, network.distance, network.offices, base_open, rules)
    after = _accessibility(network, distance, offices, open_mask, rules)

    # savings per year against the base year
    savings: dict[int, Decimal] = {}
    by_code = {o.code: o for o in network.offices}
    for year in rules.years:
        total = Decimal(0)
        for change in changes:
            if change.kind is ChangeKind.CLOSE:
                office = by_code[change.office]
                start = max(change.date, office.lease_end + dt.timedelta(days=1)) if office.lease_end else change.date
                total += office.yearly_cost * _year_fraction(start, year)
            else:
                total -= change.cost_change * _year_fraction(change.date, year)
        savings[year] = round_ore(total)

    # where the closed offices' visits go
    positions = {o.code: i for i, o in enumerate(offices)}
    lat = np.array([o.lat for o in offices])
    lon = np.array([o.lon for o in offices])
    office_km = haversine_km(lat, lon, lat, lon) * network.detour
    received: dict[str, int] = defaultdict(int)
    transfers = []
    lost_total = 0
    full = np.array([o.category.full_service for o in offices])
    for code in sorted(closed):
        office = offices[positions[code]]
        suitable = open_mask & (full if office.category.full_service else True)
        if not suitable.any():
            suitable = open_mask
        lost = int((Decimal(office.visits) * rules.lost_share).to_integral_value())
        if suitable.any():
            row = np.where(suitable, office_km[positions[code]], np.inf)
            target = int(np.argmin(row))
            moved = office.visits - lost
            received[offices[target].code] += moved
            transfers.append(Transfer(code, offices[target].code, moved, lost, float(row[target])))
        else:
            lost = office.visits
            transfers.append(Transfer(code, None, 0, lost, float("nan")))
        lost_total += lost
    loads = tuple(
        Load(o.code, o.visits, o.visits + received.get(o.code, 0), o.capacity)
        for o, is_open in zip(offices, open_mask, strict=True) if is_open
    )

    # the flags the ordinances require
    flags: list[Flag] = []
    muni_open_before = defaultdict(int)
    fa_open_before = defaultdict(int)
    for o in network.offices:
        muni_open_before[o.municipality] += 1
        fa_open_before[o.fa_region] += 1
    muni_open_after = defaultdict(int)
    fa_open_after = defaultdict(int)
    for o, is_open in zip(offices, open_mask, strict=True):
        if is_open:
            muni_open_after[o.municipality] += 1
            fa_open_after[o.fa_region] += 1
    for change in changes:
        office = offices[positions[change.office]]
        flags.append(Flag("consultation", change.office, office.municipality, "SFS 2017:583"))
        if change.kind is ChangeKind.CLOSE:
            if muni_open_before[office.municipality] and not muni_open_after[office.municipality]:
                flags.append(Flag("only_office", change.office, office.municipality, "SFS 2019:202"))
            if fa_open_before[office.fa_region] and not fa_open_after[office.fa_region]:
                flags.append(Flag("fa_without_office", change.office, office.fa_region, ""))
    for load in loads:
        if load.capacity and load.visits_after > load.capacity and load.visits_after > load.visits_before:
            flags.append(Flag("over_capacity", load.office, load.office, ""))

    closed_by_area: dict[str, int] = defaultdict(int)
    for code in closed:
        office = by_code.get(code)
        for area in (office.area_types if office else ()) or ("other",):
            closed_by_area[area] += office.visits if office else 0

    visits_before = sum(o.visits for o in network.offices)
    visits_after = sum(load.visits_after for load in loads)
    return Result(
        tuple(o for o, is_open in zip(offices, open_mask, strict=True) if is_open),
        len(network.offices), int(open_mask.sum()),
        sum(o.category.full_service for o in network.offices), int((open_mask & full).sum()),
        savings, dict(rules.required), tuple(transfers), loads, tuple(flags), before, after,
        visits_before, visits_after, lost_total, dict(closed_by_area),
    )
