import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servicecenter.core.network import access, geo, regions
from servicecenter.core.network import scenario as sc
from servicecenter.core.network.demand import DemandPoints, swedish_localities


def small_network(seed=0, n_offices=12):
    rng = np.random.default_rng(seed)
    n = 80
    lon = rng.uniform(12, 20, n)
    lat = rng.uniform(56, 64, n)
    demand = DemandPoints(tuple(f"P{i}" for i in range(n)), lon, lat, rng.integers(100, 5000, n).astype(float))
    offices = tuple(
        sc.Office(f"K{i}", f"Kontor {i}", float(lon[i]), float(lat[i]), f"M{i % 5}", f"F{i % 3}",
                  sc.Category.FULL if i % 3 == 0 else sc.Category.FLEX_STAFFED,
                  Decimal(1_000_000 + 1000 * i), dt.date(2025, 6, 30) if i % 2 else dt.date(2026, 12, 31),
                  capacity=20_000, visits=int(rng.integers(1000, 15000)),
                  area_types=frozenset({"sparse"} if i % 4 == 0 else {"metropolitan"}))
        for i in range(n_offices)
    )
    return sc.Network(offices, demand, tuple(f"M{i % 5}" for i in range(n)), tuple(f"F{i % 3}" for i in range(n)),
                      tuple("sparse" if i % 4 == 0 else "metropolitan" for i in range(n)))


RULES = sc.Rules(lost_share=Decimal("0.25"), required={2025: Decimal(1_000_000), 2026: Decimal(2_000_000)}, years=(2025, 2026, 2027, 2028))


def test_closing_nothing_changes_nothing():
    net = small_network()
    result = sc.evaluate(net, [], RULES)
    assert np.array_equal(result.before.nearest_km, result.after.nearest_km)
    assert result.before.overall == result.after.overall
    assert result.visits_after == result.visits_before
    assert result.visits_lost == 0
    assert not result.flags and not result.transfers
    assert all(v == 0 for v in result.savings.values())


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 1000), st.sets(st.integers(0, 11), min_size=1, max_size=10),
       st.decimals(min_value=0, max_value=1, places=2))
def test_closing_never_shortens_a_distance_and_visits_are_conserved(seed, closed, lost_share):
    net = small_network(seed)
    changes = [sc.Change(sc.ChangeKind.CLOSE, f"K{i}", dt.date(2025, 3, 1)) for i in sorted(closed)]
    result = sc.evaluate(net, changes, sc.Rules(lost_share=lost_share))
    assert (result.after.nearest_km >= result.before.nearest_km).all()
    assert (result.after.nearest_full_km >= result.before.nearest_full_km).all()
    assert result.visits_after + result.visits_lost == result.visits_before
    closed_visits = sum(o.visits for o in net.offices if o.code in {f"K{i}" for i in closed})
    expected_lost = sum(int((Decimal(o.visits) * lost_share).to_integral_value())
                        for o in net.offices if o.code in {f"K{i}" for i in closed})
    assert result.visits_lost == expected_lost
    assert sum(t.visits for t in result.transfers) == closed_visits - expected_lost


def test_savings_start_when_the_lease_ends():
    net = small_network()
    office = net.offices[1]  # lease ends 2025-06-30
    result = sc.evaluate(net, [sc.Change(sc.ChangeKind.CLOSE, office.code, dt.date(2025, 1, 31))], RULES)
    days_2025 = (dt.date(2026, 1, 1) - dt.date(2025, 7, 1)).days
    assert result.savings[2025] == (office.yearly_cost * days_2025 / 365).quantize(Decimal("0.01"))
    assert result.savings[2026] == office.yearly_cost
    assert result.shortfall(2026) == Decimal(2_000_000) - office.yearly_cost
    later = net.offices[2]  # lease ends 2026-12-31: nothing saved before 2027
    result = sc.evaluate(net, [sc.Change(sc.ChangeKind.CLOSE, later.code, dt.date(2025, 1, 31))], RULES)
    assert result.savings[2025] == result.savings[2026] == 0
    assert result.savings[2027] == later.yearly_cost


def test_flags_only_office_and_fa_region_and_consultation():
    net = small_network(n_offices=6)  # municipalities M0..M4, K0 and K5 share M0
    result = sc.evaluate(net, [sc.Change(sc.ChangeKind.CLOSE, "K1", dt.date(2025, 1, 1))], RULES)
    codes = {(f.code, f.subject, f.rule) for f in result.flags}
    assert ("only_office", "M1", "SFS 2019:202") in codes
    assert ("consultation", "M1", "SFS 2017:583") in codes
    assert not any(f.code == "fa_without_office" for f in result.flags)  # K4 remains in F1
    result = sc.evaluate(net, [sc.Change(sc.ChangeKind.CLOSE, "K0", dt.date(2025, 1, 1))], RULES)
    assert not any(f.code == "only_office" for f in result.flags)  # K5 remains in M0
    both = [sc.Change(sc.ChangeKind.CLOSE, c, dt.date(2025, 1, 1)) for c in ("K1", "K4")]
    assert ("fa_without_office", "F1") in {(f.code, f.subject) for f in sc.evaluate(net, both, RULES).flags}


def test_full_service_visits_go_to_a_full_service_office():
    net = small_network()
    result = sc.evaluate(net, [sc.Change(sc.ChangeKind.CLOSE, "K3", dt.date(2025, 1, 1))], RULES)
    (transfer,) = result.transfers
    receiving = next(o for o in net.offices if o.code == transfer.to)
    assert receiving.category is sc.Category.FULL


def test_add_and_move_shorten_distances_where_they_go():
    net = small_network()
    target = net.demand.lon[50], net.demand.lat[50]
    added = sc.evaluate(net, [sc.Change(sc.ChangeKind.ADD, "NY", dt.date(2025, 1, 1), sc.Category.FLEX_STAFFED,
                                        Decimal(500_000), lon=target[0], lat=target[1], municipality="M0", fa_region="F2")], RULES)
    assert added.after.nearest_km[50] == pytest.approx(0, abs=1e-6)
    assert (added.after.nearest_km <= added.before.nearest_km).all()
    assert added.savings[2025] == Decimal(-500_000)
    moved = sc.evaluate(net, [sc.Change(sc.ChangeKind.MOVE, "K1", dt.date(2025, 1, 1), lon=target[0], lat=target[1])], RULES)
    assert moved.after.nearest_km[50] == pytest.approx(0, abs=1e-6)
    with pytest.raises(ValueError, match="No office with code X"):
        sc.evaluate(net, [sc.Change(sc.ChangeKind.CLOSE, "X", dt.date(2025, 1, 1))], RULES)


def test_weighted_quantiles_and_shares():
    km = np.array([1.0, 5.0, 20.0, 40.0])
    pop = np.array([10.0, 40.0, 30.0, 20.0])
    s = access.summarise(km, pop, (10, 30))
    assert s.mean_km == pytest.approx((10 + 200 + 600 + 800) / 100)
    assert s.median_km == 5.0  # 50 % of people reached at 5 km
    assert s.p90_km == 40.0
    assert s.share_within(10) == pytest.approx(0.5)
    assert s.beyond_population == 50


def test_two_step_fca_gives_more_to_the_less_crowded():
    distance = np.array([[1.0, 50.0], [1.0, 50.0], [50.0, 1.0]])
    pop = np.array([1000.0, 1000.0, 1000.0])
    capacity = np.array([100.0, 100.0])
    score = access.two_step_fca(distance, pop, capacity, np.array([True, True]), 10.0, decay="binary")
    assert score[2] == pytest.approx(0.1)
    assert score[0] == pytest.approx(0.05)


def test_localities_and_divisions_from_the_packages():
    points = swedish_localities()
    assert len(points) == 1323
    assert round(points.total / 1e6, 1) == 10.1
    municipalities = regions.builtin("kommun")
    fa = regions.builtin("fa")
    assert len(municipalities.codes) == 290 and len(fa.codes) == 60
    assert municipalities.codes_at([18.0686], [59.3293]) == ["0180"]  # Stockholm
    assert municipalities.codes_at([4.9], [52.37]) == [None]  # Amsterdam is not in Sweden
    parent = regions.municipality_parent(municipalities, fa)
    assert len(parent) == 290 and len(set(parent.values())) == 60


def test_sweref_round_trip():
    lon, lat = geo.sweref_to_wgs84(674032, 6580822)  # Stockholm city hall, approximately
    assert 18.0 < lon < 18.1 and 59.3 < lat < 59.4
    e, n = geo.wgs84_to_sweref(lon, lat)
    assert e == pytest.approx(674032, abs=0.01) and n == pytest.approx(6580822, abs=0.01)
    assert geo.looks_like_sweref(674032, 6580822) and not geo.looks_like_sweref(18.0, 59.3)


def test_network_distances_follow_the_roads():
    edges = [(0, 1, 5.0), (1, 2, 5.0), (0, 2, 20.0)]
    d = geo.network_distances(edges, 3, [0, 2], [2, 0])
    assert d[0, 0] == 10.0 and d[1, 1] == 10.0
