"""Evaluating indicators: one subject in one period, a time series, and several subjects
combined as the indicator's :class:`Aggregation` says.

Data are observations: ``{(subject, period): {element: Decimal}}``. A value whose denominator
is zero or whose elements are missing is *not computable* and says why; it is never shown as 0.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from servicecenter.core.indicators.definitions import Aggregation, Direction, Indicator
from servicecenter.core.money import round_places

Observations = Mapping[tuple[str, Hashable], Mapping[str, Decimal]]


class Status(StrEnum):
    OK = "ok"
    MISSING = "missing"                     # an element has no value
    ZERO_DENOMINATOR = "zero_denominator"   # the denominator is zero
    NOT_COMBINABLE = "not_combinable"       # the indicator does not aggregate over subjects


@dataclass(frozen=True)
class Value:
    indicator: str
    subject: str
    period: Hashable
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    status: Status = Status.OK
    subjects: int = 1          # how many subjects are behind an aggregated value
    missing: tuple[str, ...] = ()

    @property
    def computable(self) -> bool:
        return self.status is Status.OK and self.value is not None

    def rounded(self, decimals: int) -> Decimal | None:
        return None if self.value is None else round_places(self.value, decimals)


def _parts(indicator: Indicator, elements: Mapping[str, Decimal]) -> tuple[Decimal | None, Decimal | None, tuple[str, ...]]:
    missing = tuple(sorted(name for name in indicator.elements if elements.get(name) is None))
    numerator = indicator.numerator.evaluate(elements)
    denominator = indicator.denominator.evaluate(elements) if indicator.denominator is not None else None
    return numerator, denominator, missing


def evaluate(indicator: Indicator, subject: str, period: Hashable, elements: Mapping[str, Decimal]) -> Value:
    """The value for one subject in one period."""
    numerator, denominator, missing = _parts(indicator, elements)
    if missing or numerator is None or (indicator.is_ratio and denominator is None):
        return Value(indicator.id, subject, period, None, numerator, denominator, Status.MISSING, missing=missing)
    if not indicator.is_ratio:
        return Value(indicator.id, subject, period, numerator * indicator.factor, numerator)
    if denominator == 0:
        return Value(indicator.id, subject, period, None, numerator, denominator, Status.ZERO_DENOMINATOR)
    return Value(indicator.id, subject, period, indicator.factor * numerator / denominator, numerator, denominator)


def series(indicator: Indicator, data: Observations, subject: str, periods: Iterable[Hashable] | None = None) -> list[Value]:
    """The subject's values over time, from the indicator's baseline, periods without data included
    (as not computable) when ``periods`` is given."""
    if periods is None:
        periods = sorted({period for (who, period) in data if who == subject})
    chosen = [p for p in periods if indicator.baseline is None or not isinstance(p, int) or p >= indicator.baseline]
    return [evaluate(indicator, subject, period, data.get((subject, period), {})) for period in chosen]


def aggregate(indicator: Indicator, data: Observations, subjects: Sequence[str], period: Hashable, label: str = "*") -> Value:
    """Several subjects in one period combined into one value, as the indicator's aggregation says.

    For a ratio this is Σ numerators / Σ denominators over the subjects whose parts are known;
    subjects with missing parts are left out and named in ``missing``.
    """
    how = indicator.aggregation
    if how is Aggregation.NONE and len(subjects) != 1:
        return Value(indicator.id, label, period, None, status=Status.NOT_COMBINABLE, subjects=len(subjects))
    if how is Aggregation.RATIO and indicator.is_ratio and indicator.numerator.is_linear and indicator.denominator.is_linear:
        return _sum_first(indicator, data, subjects, period, label)
    parts = [(subject, evaluate(indicator, subject, period, data.get((subject, period), {}))) for subject in subjects]
    usable = [(s, v) for s, v in parts if v.numerator is not None and (not indicator.is_ratio or v.denominator is not None)]
    kept = {s for s, _v in usable}
    missing = tuple(s for s, _v in parts if s not in kept)
    if not usable:
        return Value(indicator.id, label, period, None, status=Status.MISSING, subjects=0, missing=missing)
    if how in (Aggregation.RATIO, Aggregation.NONE) and indicator.is_ratio:
        numerator = sum((v.numerator for _s, v in usable), Decimal(0))
        denominator = sum((v.denominator for _s, v in usable), Decimal(0))
        if denominator == 0:
            return Value(indicator.id, label, period, None, numerator, denominator, Status.ZERO_DENOMINATOR, len(usable), missing)
        return Value(indicator.id, label, period, indicator.factor * numerator / denominator, numerator, denominator, subjects=len(usable), missing=missing)
    computed = [(s, v) for s, v in usable if v.computable]
    if how in (Aggregation.SUM, Aggregation.RATIO, Aggregation.NONE):
        total = sum((v.value for _s, v in computed), Decimal(0))
        return Value(indicator.id, label, period, total, total, subjects=len(computed), missing=missing)
    if not computed:
        return Value(indicator.id, label, period, None, status=Status.MISSING, subjects=0, missing=missing)
    if how is Aggregation.MEAN:
        total = sum((v.value for _s, v in computed), Decimal(0))
        return Value(indicator.id, label, period, total / len(computed), total, Decimal(len(computed)), subjects=len(computed), missing=missing)
    # weighted mean
    assert indicator.weight is not None, "a weighted mean needs a weight expression"
    weights = [(v, indicator.weight.evaluate(data.get((s, period), {}))) for s, v in computed]
    weights = [(v, w) for v, w in weights if w is not None]
    total_weight = sum((w for _v, w in weights), Decimal(0))
    if total_weight == 0:
        return Value(indicator.id, label, period, None, status=Status.ZERO_DENOMINATOR, subjects=len(weights), missing=missing)
    weighted = sum((v.value * w for v, w in weights), Decimal(0))
    return Value(indicator.id, label, period, weighted / total_weight, weighted, total_weight, subjects=len(weights), missing=missing)


def _sum_first(indicator: Indicator, data: Observations, subjects: Sequence[str], period: Hashable, label: str) -> Value:
    """Ratio of sums for linear numerator and denominator: the elements are summed over the
    subjects that have all of them, and the expressions evaluated once. Equal to summing each
    subject's numerator and denominator (the expressions are linear), and much faster."""
    names = indicator.elements
    complete, missing = [], []
    for subject in subjects:
        elements = data.get((subject, period)) or {}
        (complete if all(elements.get(name) is not None for name in names) else missing).append(subject)
    if not complete:
        return Value(indicator.id, label, period, None, status=Status.MISSING, subjects=0, missing=tuple(missing))
    totals = element_totals(data, complete, period).sums
    numerator, denominator = indicator.numerator.evaluate(totals), indicator.denominator.evaluate(totals)
    if denominator == 0:
        return Value(indicator.id, label, period, None, numerator, denominator, Status.ZERO_DENOMINATOR, len(complete), tuple(missing))
    return Value(indicator.id, label, period, indicator.factor * numerator / denominator, numerator, denominator, subjects=len(complete), missing=tuple(missing))


@dataclass(frozen=True)
class Totals:
    """Every element summed over a group of subjects in one period, with how many subjects had it."""

    sums: dict[str, Decimal]
    counts: dict[str, int]
    subjects: int


def element_totals(data: Observations, subjects: Sequence[str], period: Hashable) -> Totals:
    rows = [data.get((subject, period)) or {} for subject in subjects]
    names = set().union(*rows) if rows else set()
    sums, counts = {}, {}
    for name in names:
        values = [row[name] for row in rows if row.get(name) is not None]
        sums[name], counts[name] = sum(values, Decimal(0)), len(values)
    return Totals(sums, counts, len(subjects))


def aggregate_all(indicators: Sequence[Indicator], data: Observations, subjects: Sequence[str], period: Hashable, label: str = "*",
                  totals: Totals | None = None) -> list[Value]:
    """Several indicators over one group of subjects, sharing one pass over the data. An indicator
    whose numerator and denominator are linear and whose elements every subject has is evaluated
    on the summed elements (equal to the ratio of sums); any other falls back to ``aggregate``."""
    totals = totals or element_totals(data, subjects, period)
    values = []
    for indicator in indicators:
        linear = indicator.numerator.is_linear and (indicator.denominator is None or indicator.denominator.is_linear)
        complete = all(totals.counts.get(name, 0) == totals.subjects for name in indicator.elements)
        if linear and complete and subjects and indicator.aggregation in (Aggregation.RATIO, Aggregation.SUM):
            value = evaluate(indicator, label, period, totals.sums)
            values.append(Value(value.indicator, label, period, value.value, value.numerator, value.denominator, value.status, len(subjects)))
        else:
            values.append(aggregate(indicator, data, subjects, period, label))
    return values


# --- direction of change and the assessment of a goal ------------------------------------------

class Trend(StrEnum):
    IMPROVED = "improved"
    WORSENED = "worsened"
    UNCHANGED = "unchanged"
    FOLLOWED = "followed"            # no desired direction
    NOT_COMPUTABLE = "not_computable"


def trend(indicator: Indicator, previous: Value | None, current: Value | None) -> Trend:
    """Did the value move in the desired direction? Compared at the indicator's own decimals."""
    if previous is None or current is None or not previous.computable or not current.computable:
        return Trend.NOT_COMPUTABLE
    if indicator.direction is Direction.NONE:
        return Trend.FOLLOWED
    before, after = previous.rounded(indicator.decimals), current.rounded(indicator.decimals)
    if after == before:
        return Trend.UNCHANGED
    better = after > before if indicator.direction is Direction.UP else after < before
    return Trend.IMPROVED if better else Trend.WORSENED


@dataclass(frozen=True)
class GoalAssessment:
    improved: int
    worsened: int
    unchanged: int
    not_assessed: int

    @property
    def assessed(self) -> int:
        return self.improved + self.worsened + self.unchanged

    @property
    def good(self) -> bool | None:
        """Good when most assessed metrics moved in the desired direction (seed 000's rule)."""
        if self.assessed == 0:
            return None
        return self.improved * 2 > self.assessed


def assess_goal(trends: Iterable[Trend]) -> GoalAssessment:
    trends = list(trends)
    return GoalAssessment(
        improved=sum(t is Trend.IMPROVED for t in trends),
        worsened=sum(t is Trend.WORSENED for t in trends),
        unchanged=sum(t is Trend.UNCHANGED for t in trends),
        not_assessed=sum(t in (Trend.NOT_COMPUTABLE, Trend.FOLLOWED) for t in trends),
    )


# --- indicator 4: the change in cost per unit split into four drivers --------------------------

@dataclass(frozen=True)
class UnitCostChange:
    """The change in full cost per unit from one year to the next, split into the four drivers
    seed 004 asks for. Input prices, content and security are measured; volume (scale) is the
    remainder, so the four always add up to the change."""

    before: Decimal
    after: Decimal
    input_prices: Decimal
    content: Decimal
    security: Decimal
    volume: Decimal
    index_change: Decimal        # the comparison index (PLO) in per cent
    unit_cost_change: Decimal    # the cost per unit in per cent

    @property
    def change(self) -> Decimal:
        return self.after - self.before

    @property
    def above_index(self) -> Decimal:
        """Percentage points by which the cost per unit rose faster than the index."""
        return self.unit_cost_change - self.index_change


UNIT_PLACES = 6


def unit_cost_change(cost_before: Decimal, units_before: Decimal, cost_after: Decimal, units_after: Decimal,
                     price_index_before: Decimal, price_index_after: Decimal,
                     content_cost: Decimal = Decimal(0), security_cost: Decimal = Decimal(0),
                     comparison_before: Decimal | None = None, comparison_after: Decimal | None = None) -> UnitCostChange | None:
    """None when a cost per unit or an index change cannot be computed (zero units or index).

    * input prices: last year's cost per unit × the change of the input-price index;
    * content kept at the same security level, and raised security level: the supplier's stated
      cost of each change, per unit of this year;
    * volume: what remains, i.e. the effect of the number of units (scale).
    ``comparison_*`` is the index the change is compared with (PLO); by default the price index.
    """
    if units_before == 0 or units_after == 0 or price_index_before == 0:
        return None
    comparison_before = price_index_before if comparison_before is None else comparison_before
    comparison_after = price_index_after if comparison_after is None else comparison_after
    if comparison_before == 0:
        return None
    # kronor per unit to six decimals: the remainder (volume) is then exact, and the four drivers
    # add up to the change to the last digit (at 28 significant digits a quotient's tail would not)
    before = round_places(cost_before / units_before, UNIT_PLACES)
    after = round_places(cost_after / units_after, UNIT_PLACES)
    if before == 0:
        return None
    prices = round_places(before * (price_index_after / price_index_before - 1), UNIT_PLACES)
    content = round_places(content_cost / units_after, UNIT_PLACES)
    security = round_places(security_cost / units_after, UNIT_PLACES)
    volume = (after - before) - prices - content - security
    return UnitCostChange(before, after, prices, content, security, volume,
                          index_change=(comparison_after / comparison_before - 1) * 100,
                          unit_cost_change=(after / before - 1) * 100)
