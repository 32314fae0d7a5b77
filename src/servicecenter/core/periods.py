"""Periods are half-open date intervals ``[start, end)``: months, quarters and years.

``end`` is exclusive everywhere; a name that includes its last day says so
(``last_day``). There is no clock here: callers pass the date they mean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    """A half-open interval of days: ``start`` inclusive, ``end`` exclusive."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"period end {self.end} must be after its start {self.start}")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = date(year, month, 1)
        return cls(start, _add_months(start, 1))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise ValueError(f"quarter must be 1..4, got {quarter}")
        start = date(year, 3 * quarter - 2, 1)
        return cls(start, _add_months(start, 3))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year + 1, 1, 1))

    @classmethod
    def parse_month(cls, text: str) -> Period:
        """Parse ``2025-03`` (or ``2025-03-01``, the first day) into that month."""
        match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})(?:-01)?\s*", text)
        if not match:
            raise ValueError(f"not a month (YYYY-MM): {text!r}")
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"month must be 1..12: {text!r}")
        return cls.month(year, month)

    @property
    def last_day(self) -> date:
        """The last day inside the period (inclusive)."""
        return self.end - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    def overlaps(self, other: Period) -> bool:
        return self.start < other.end and other.start < self.end

    def months(self) -> list[Period]:
        """The calendar months that make up this period (it must start on a first day)."""
        result = []
        cursor = date(self.start.year, self.start.month, 1)
        while cursor < self.end:
            result.append(Period(cursor, _add_months(cursor, 1)))
            cursor = _add_months(cursor, 1)
        return result

    def label(self) -> str:
        """``2025-03`` for a month, ``2025`` for a year, else ``start–last_day``."""
        if self.start.day == 1 and self.end == _add_months(self.start, 1):
            return f"{self.start:%Y-%m}"
        if (self.start.month, self.start.day) == (1, 1) and self.end == date(self.start.year + 1, 1, 1):
            return str(self.start.year)
        return f"{self.start.isoformat()}\u2013{self.last_day.isoformat()}"
