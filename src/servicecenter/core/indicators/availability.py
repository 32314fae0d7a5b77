"""Indicator 6: the share of the agreed opening hours during which the main functionality was
available. Agreed opening hours are written as Swedish text (``Vardagar 07–18``, ``Mån–fre
08–17, lör 10–14``, ``Dygnet runt``); Swedish public holidays come from the ``holidays``
package (official holidays under lag 1989:253) and the three eves that state agencies keep
closed (midsommarafton, julafton, nyårsafton). Outages are merged first, so overlapping reports
of one incident count once, and only the part inside the opening hours counts.

Times are local Swedish wall-clock times (naive ``datetime``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from servicecenter.core.problems import Problem

DAY_NAMES = {
    "mån": 0, "måndag": 0, "mon": 0, "monday": 0, "tis": 1, "tisdag": 1, "tue": 1, "tuesday": 1,
    "ons": 2, "onsdag": 2, "wed": 2, "wednesday": 2, "tor": 3, "tors": 3, "torsdag": 3, "thu": 3, "thursday": 3,
    "fre": 4, "fredag": 4, "fri": 4, "friday": 4, "lör": 5, "lördag": 5, "sat": 5, "saturday": 5,
    "sön": 6, "söndag": 6, "sun": 6, "sunday": 6,
}
DAY_GROUPS = {"vardagar": range(0, 5), "weekdays": range(0, 5), "alla dagar": range(0, 7), "every day": range(0, 7),
              "helger": range(5, 7), "weekends": range(5, 7)}
ROUND_THE_CLOCK = {"dygnet runt", "24/7", "24x7", "alla dagar 00–24", "round the clock"}
_TIME = r"(\d{1,2})(?:[:.](\d{2}))?"
_PART = re.compile(rf"^(?P<days>[a-zåäö ]+?(?:\s*[–-]\s*[a-zåäö]+)?)\s+{_TIME}\s*[–-]\s*{_TIME}$")


@dataclass(frozen=True)
class OpeningHours:
    """Opening windows per weekday (0 = Monday) and whether public holidays are closed."""

    windows: tuple[tuple[tuple[time, time | None], ...], ...]   # seven tuples; end None means midnight
    closed_on_holidays: bool = True
    text: str = ""

    @property
    def round_the_clock(self) -> bool:
        return not self.closed_on_holidays and all(day == ((time(0), None),) for day in self.windows)


def parse_opening_hours(text: str) -> OpeningHours | Problem:
    cleaned = " ".join(text.strip().lower().replace("—", "–").split())
    if not cleaned:
        return Problem("hours.empty")
    if cleaned in ROUND_THE_CLOCK:
        return OpeningHours(tuple(((time(0), None),) for _ in range(7)), closed_on_holidays=False, text=text)
    days: list[list[tuple[time, time | None]]] = [[] for _ in range(7)]
    for part in re.split(r"\s*[,;]\s*", cleaned):
        match = _PART.match(part)
        if not match:
            return Problem("hours.format", {"part": part})
        spec = match.group("days").strip()
        chosen = _days(spec)
        if chosen is None:
            return Problem("hours.days", {"days": spec})
        h1, m1, h2, m2 = (int(g) if g else 0 for g in match.groups()[1:])
        if h1 > 24 or h2 > 24 or m1 > 59 or m2 > 59 or (h1, m1) >= (h2, m2):
            return Problem("hours.times", {"part": part})
        start = time(h1 % 24, m1)
        end = None if (h2, m2) == (24, 0) else time(h2, m2)
        for day in chosen:
            days[day].append((start, end))
    return OpeningHours(tuple(tuple(sorted(day)) for day in days), closed_on_holidays=True, text=text)


def _days(spec: str) -> Iterable[int] | None:
    if spec in DAY_GROUPS:
        return DAY_GROUPS[spec]
    if spec in DAY_NAMES:
        return (DAY_NAMES[spec],)
    ends = [s.strip() for s in re.split(r"\s*[–-]\s*", spec)]
    if len(ends) == 2 and all(end in DAY_NAMES for end in ends):
        first, last = DAY_NAMES[ends[0]], DAY_NAMES[ends[1]]
        return range(first, last + 1) if first <= last else None
    return None


@lru_cache(maxsize=64)
def closed_days(year: int) -> frozenset[date]:
    """Swedish public holidays of the year plus midsommarafton, julafton and nyårsafton."""
    official = holidays.country_holidays("SE", years=year, include_sundays=False)
    days = set(official)
    midsummer = next(day for day, name in official.items() if "Midsummer" in name or "Midsommar" in name)
    days |= {midsummer - timedelta(days=1), date(year, 12, 24), date(year, 12, 31)}
    return frozenset(days)


def opening_intervals(hours: OpeningHours, start: date, end: date) -> list[tuple[datetime, datetime]]:
    """The agreed opening windows from ``start`` up to (not including) ``end``, merged."""
    intervals: list[tuple[datetime, datetime]] = []
    day = start
    while day < end:
        if not (hours.closed_on_holidays and day in closed_days(day.year)):
            for window_start, window_end in hours.windows[day.weekday()]:
                begin = datetime.combine(day, window_start)
                finish = datetime.combine(day + timedelta(days=1), time(0)) if window_end is None else datetime.combine(day, window_end)
                if intervals and intervals[-1][1] >= begin:
                    intervals[-1] = (intervals[-1][0], max(intervals[-1][1], finish))
                else:
                    intervals.append((begin, finish))
        day += timedelta(days=1)
    return intervals


def merge(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Overlapping or touching intervals joined, so that each minute counts once."""
    merged: list[tuple[datetime, datetime]] = []
    for begin, finish in sorted(intervals):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
        else:
            merged.append((begin, finish))
    return merged


@dataclass(frozen=True)
class Availability:
    open_minutes: int
    outage_minutes: int     # inside the opening hours only

    @property
    def share(self) -> float | None:
        return None if self.open_minutes == 0 else (self.open_minutes - self.outage_minutes) / self.open_minutes


def availability(hours: OpeningHours, start: date, end: date, outages: Iterable[tuple[datetime, datetime]]) -> Availability:
    """Opening minutes in [start, end) and the minutes of outage inside them (overlaps once)."""
    windows = opening_intervals(hours, start, end)
    lower, upper = datetime.combine(start, time(0)), datetime.combine(end, time(0))
    downs = merge((max(b, lower), min(f, upper)) for b, f in outages if f > lower and b < upper)
    open_seconds = sum((f - b).total_seconds() for b, f in windows)
    lost = 0.0
    i = j = 0
    while i < len(windows) and j < len(downs):
        begin = max(windows[i][0], downs[j][0])
        finish = min(windows[i][1], downs[j][1])
        if finish > begin:
            lost += (finish - begin).total_seconds()
        if windows[i][1] <= downs[j][1]:
            i += 1
        else:
            j += 1
    return Availability(int(open_seconds // 60), int(round(lost / 60)))
