from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servicecenter.core.indicators import (
    Aggregation,
    Band,
    Direction,
    Expression,
    ExpressionError,
    Indicator,
    Status,
    Trend,
    aggregate,
    assess_goal,
    availability,
    evaluate,
    nki,
    nki_expression,
    parse_opening_hours,
    series,
    summarise,
    trend,
    unit_cost_change,
)
from servicecenter.core.indicators.availability import closed_days
from servicecenter.core.problems import Problem

D = Decimal
SHARE = Indicator("share", "Andel", "Share", Expression("connected"), Expression("agencies"), factor=D(100), direction=Direction.UP)


def test_expressions_are_arithmetic_only():
    assert Expression("a - b * 2").evaluate({"a": D(10), "b": D(3)}) == D(4)
    assert Expression("(a + b) / c").elements == {"a", "b", "c"}
    assert Expression("a / b").evaluate({"a": D(1), "b": D(0)}) is None
    assert Expression("a + b").evaluate({"a": D(1)}) is None
    for text in ("__import__('os')", "a.b", "a ** 2", "[a]", "a if b else c", "a +"):
        with pytest.raises(ExpressionError):
            Expression(text)


def test_zero_or_missing_denominator_is_not_computable():
    zero = evaluate(SHARE, "vdc", 2025, {"connected": D(3), "agencies": D(0)})
    assert zero.status is Status.ZERO_DENOMINATOR and zero.value is None and not zero.computable
    missing = evaluate(SHARE, "vdc", 2025, {"connected": D(3)})
    assert missing.status is Status.MISSING and missing.missing == ("agencies",)
    assert evaluate(SHARE, "vdc", 2025, {"connected": D(3), "agencies": D(4)}).value == D(75)


def test_series_starts_at_the_baseline_and_shows_gaps():
    indicator = Indicator("u", "Enheter", "Units", Expression("units"), baseline=2025, aggregation=Aggregation.SUM)
    data = {("vdc", 2024): {"units": D(1)}, ("vdc", 2025): {"units": D(2)}, ("vdc", 2027): {"units": D(5)}}
    values = series(indicator, data, "vdc", periods=[2024, 2025, 2026, 2027])
    assert [v.period for v in values] == [2025, 2026, 2027]
    assert [v.value for v in values] == [D(2), None, D(5)]


positive = st.integers(min_value=1, max_value=10**6)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=10**6), positive), min_size=1, max_size=12))
def test_a_ratio_aggregates_as_the_ratio_of_the_sums(parts):
    data = {(f"s{i}", 2025): {"connected": D(n), "agencies": D(d)} for i, (n, d) in enumerate(parts)}
    combined = aggregate(SHARE, data, [f"s{i}" for i in range(len(parts))], 2025)
    assert combined.value == D(100) * sum(D(n) for n, _ in parts) / sum(D(d) for _, d in parts)


def test_ratio_of_sums_is_not_the_mean_of_ratios():
    data = {("big", 1): {"connected": D(90), "agencies": D(100)}, ("small", 1): {"connected": D(0), "agencies": D(1)}}
    assert aggregate(SHARE, data, ["big", "small"], 1).value == D(100) * 90 / 101   # not (90 + 0) / 2


def test_means_say_which_they_are():
    data = {("a", 1): {"x": D(10), "w": D(1)}, ("b", 1): {"x": D(20), "w": D(3)}}
    mean = Indicator("m", "m", "m", Expression("x"), aggregation=Aggregation.MEAN)
    weighted = Indicator("w", "w", "w", Expression("x"), aggregation=Aggregation.WEIGHTED_MEAN, weight=Expression("w"))
    assert aggregate(mean, data, ["a", "b"], 1).value == D(15)
    assert aggregate(weighted, data, ["a", "b"], 1).value == D("17.5")
    units = Indicator("n", "n", "n", Expression("x"), aggregation=Aggregation.NONE)
    assert aggregate(units, data, ["a", "b"], 1).status is Status.NOT_COMBINABLE


def test_aggregate_leaves_out_and_names_subjects_without_data():
    data = {("a", 1): {"connected": D(1), "agencies": D(2)}, ("b", 1): {"connected": D(1)}}
    value = aggregate(SHARE, data, ["a", "b"], 1)
    assert value.value == D(50) and value.missing == ("b",) and value.subjects == 1


def test_trend_target_band_and_goal_rule():
    down = Indicator("r", "r", "r", Expression("x"), direction=Direction.DOWN, target=D(5), decimals=0,
                     bands=(Band("good", high=D(5)), Band("poor", low=D("5.0001"))))
    before, after = evaluate(down, "o", 1, {"x": D(8)}), evaluate(down, "o", 2, {"x": D(4)})
    assert trend(down, before, after) is Trend.IMPROVED and trend(down, after, before) is Trend.WORSENED
    assert trend(down, before, evaluate(down, "o", 2, {"x": D("8.2")})) is Trend.UNCHANGED
    assert down.meets_target(D(4)) and not down.meets_target(D(6)) and down.band_of(D(4)) == "good"
    assert assess_goal([Trend.IMPROVED, Trend.IMPROVED, Trend.WORSENED, Trend.FOLLOWED]).good is True
    assert assess_goal([Trend.IMPROVED, Trend.WORSENED]).good is False
    assert assess_goal([Trend.NOT_COMPUTABLE]).good is None


def test_unit_cost_change_adds_up_and_compares_with_the_index():
    change = unit_cost_change(D(1000), D(100), D(1320), D(110), D(100), D(103), content_cost=D(22), security_cost=D(55),
                              comparison_before=D(100), comparison_after=D(102))
    assert change.before == D(10) and change.after == D(12)
    assert change.input_prices == D("0.30") and change.content == D("0.2") and change.security == D("0.5")
    assert change.input_prices + change.content + change.security + change.volume == change.change
    assert change.unit_cost_change == D(20) and change.index_change == D(2) and change.above_index == D(18)
    assert unit_cost_change(D(1), D(0), D(1), D(1), D(1), D(1)) is None


# --- availability ---------------------------------------------------------------------------------

WEEKDAYS = parse_opening_hours("Vardagar 07–18")


def test_opening_hours_are_read_and_bad_ones_named():
    assert parse_opening_hours("Dygnet runt").round_the_clock
    hours = parse_opening_hours("Mån–fre 08:00–17:00, lör 10–14")
    assert hours.windows[5] and not hours.windows[6] and hours.windows[0][0][0].hour == 8
    for text, code in [("", "hours.empty"), ("ibland", "hours.format"), ("Blandag 08–17", "hours.days"), ("Vardagar 18–07", "hours.times")]:
        result = parse_opening_hours(text)
        assert isinstance(result, Problem) and result.code == code


def test_swedish_holidays_and_eves_are_closed():
    days = closed_days(2025)
    assert {date(2025, 6, 6), date(2025, 4, 18), date(2025, 6, 20), date(2025, 12, 24), date(2025, 12, 31)} <= days
    january = availability(WEEKDAYS, date(2025, 1, 1), date(2025, 2, 1), [])
    assert january.open_minutes == 21 * 11 * 60   # 23 weekdays less 1 and 6 January


def test_an_outage_outside_opening_hours_changes_nothing():
    night = [(datetime(2025, 3, 4, 19), datetime(2025, 3, 5, 6, 30)), (datetime(2025, 3, 8, 8), datetime(2025, 3, 8, 20))]
    base = availability(WEEKDAYS, date(2025, 3, 1), date(2025, 4, 1), [])
    assert availability(WEEKDAYS, date(2025, 3, 1), date(2025, 4, 1), night) == base


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30 * 24 * 60), st.integers(1, 600)), min_size=1, max_size=8))
def test_overlapping_outages_count_once(raw):
    start = datetime(2025, 3, 1)
    from datetime import timedelta

    outages = [(start + timedelta(minutes=a), start + timedelta(minutes=a + length)) for a, length in raw]
    once = availability(WEEKDAYS, date(2025, 3, 1), date(2025, 4, 1), outages)
    twice = availability(WEEKDAYS, date(2025, 3, 1), date(2025, 4, 1), outages + outages[:1] + [(outages[0][0], outages[0][1] - timedelta(minutes=0))])
    assert once == twice
    assert 0 <= once.outage_minutes <= sum(length for _a, length in raw)


def test_availability_counts_the_part_inside_the_hours():
    outage = [(datetime(2025, 3, 3, 17), datetime(2025, 3, 3, 19))]  # Monday, one hour inside
    result = availability(WEEKDAYS, date(2025, 3, 3), date(2025, 3, 4), outage)
    assert result.open_minutes == 660 and result.outage_minutes == 60
    assert abs(result.share - 600 / 660) < 1e-12


# --- NKI ------------------------------------------------------------------------------------------

def test_nki_bounds_and_weights():
    assert nki(summarise([(10, 10, 10)] * 7)) == D(100)
    assert nki(summarise([(1, 1, 1)] * 3)) == D(0)
    assert nki(summarise([])) is None
    mixed = summarise([(10, 1, 1)])
    assert nki(mixed, (D(1), D(0), D(0))) == D(100)
    with pytest.raises(ValueError):
        summarise([(0, 5, 5)])
    with pytest.raises(ValueError):
        summarise([(11, 5, 5)])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 10), st.integers(1, 10), st.integers(1, 10)), min_size=1, max_size=40),
       st.lists(st.tuples(st.integers(1, 10), st.integers(1, 10), st.integers(1, 10)), min_size=1, max_size=40))
def test_pooled_nki_is_the_ratio_of_sums(first, second):
    numerator, denominator = nki_expression()
    indicator = Indicator("nki", "NKI", "NKI", Expression(numerator), Expression(denominator), factor=D(100))
    data = {("a", 1): summarise(first).elements(), ("b", 1): summarise(second).elements()}
    pooled = aggregate(indicator, data, ["a", "b"], 1).value
    assert abs(pooled - nki(summarise(first + second))) < D("1e-20")
    assert D(0) <= pooled <= D(100)


def test_linear_expressions_are_recognised():
    assert Expression("a - b").is_linear and Expression("9 * n").is_linear and Expression("(a + b) / 2").is_linear
    assert Expression("1 * (x_sum - n) + 2 * (y_sum - n)").is_linear
    assert not Expression("a * b").is_linear and not Expression("a + 5").is_linear and not Expression("a / b").is_linear


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1000), st.integers(0, 1000), st.integers(1, 1000)), min_size=1, max_size=10))
def test_summing_first_equals_summing_each_subjects_parts(parts):
    linear = Indicator("l", "l", "l", Expression("a - b"), Expression("c"), factor=D(100))
    general = Indicator("g", "g", "g", Expression("a - b + 0 * a * c"), Expression("c"), factor=D(100))   # not linear: the slow path
    data = {(f"s{i}", 1): {"a": D(a), "b": D(b), "c": D(c)} for i, (a, b, c) in enumerate(parts)}
    subjects = [f"s{i}" for i in range(len(parts))]
    fast, slow = aggregate(linear, data, subjects, 1), aggregate(general, data, subjects, 1)
    assert fast.value == slow.value and fast.numerator == slow.numerator and fast.denominator == slow.denominator


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1000), st.integers(0, 1000), st.integers(0, 1000), st.booleans()), min_size=1, max_size=10))
def test_aggregate_all_equals_aggregate_one_by_one(parts):
    from servicecenter.core.indicators import aggregate_all

    indicators = [SHARE, Indicator("u", "u", "u", Expression("connected"), aggregation=Aggregation.SUM),
                  Indicator("m", "m", "m", Expression("connected"), aggregation=Aggregation.MEAN),
                  Indicator("p", "p", "p", Expression("connected * agencies"), Expression("agencies"))]
    data = {(f"s{i}", 1): ({"connected": D(a), "agencies": D(b)} if complete else {"connected": D(a)}) for i, (a, b, _c, complete) in enumerate(parts)}
    subjects = [f"s{i}" for i in range(len(parts))]
    together = aggregate_all(indicators, data, subjects, 1)
    for indicator, value in zip(indicators, together):
        alone = aggregate(indicator, data, subjects, 1)
        assert (value.value, value.status) == (alone.value, alone.status), indicator.id
