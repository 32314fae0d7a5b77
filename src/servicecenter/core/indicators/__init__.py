"""Indicators: definitions (metadata and expressions), evaluation, aggregation as ratio of
sums, trends and goal assessment, the unit-cost decomposition, availability and NKI."""

from servicecenter.core.indicators.availability import (
    Availability,
    OpeningHours,
    availability,
    merge,
    parse_opening_hours,
)
from servicecenter.core.indicators.definitions import (
    Aggregation,
    Band,
    Direction,
    Expression,
    ExpressionError,
    Indicator,
    Level,
)
from servicecenter.core.indicators.evaluate import (
    GoalAssessment,
    Status,
    Trend,
    UnitCostChange,
    Value,
    aggregate,
    aggregate_all,
    assess_goal,
    element_totals,
    evaluate,
    series,
    trend,
    unit_cost_change,
)
from servicecenter.core.indicators.survey import AnswerSums, nki, nki_expression, summarise

__all__ = [
    "Aggregation", "AnswerSums", "Availability", "Band", "Direction", "Expression", "ExpressionError", "GoalAssessment",
    "Indicator", "Level", "OpeningHours", "Status", "Trend", "UnitCostChange", "Value", "aggregate", "aggregate_all", "assess_goal", "element_totals",
    "availability", "evaluate", "merge", "nki", "nki_expression", "parse_opening_hours", "series", "summarise", "trend",
    "unit_cost_change",
]
