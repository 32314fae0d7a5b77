"""Parse the text of one cell into a value, the way Swedish and English users write it.

Each parser returns ``(value, problem)``: the value when the text is valid (None for an
empty optional cell), else None and a :class:`Problem` without location (the importer adds
file, row and column).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from servicecenter.core import limits
from servicecenter.core.limits import Limit
from servicecenter.core.periods import Period
from servicecenter.core.problems import Problem

TRUE_WORDS = {"ja", "j", "yes", "y", "true", "sant", "1", "x"}
FALSE_WORDS = {"nej", "n", "no", "false", "falskt", "0", ""}
_NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f]")


def parse_decimal(text: str, *, required: bool = True, negative: bool = False,
                  limit: Limit = limits.NUMBER) -> tuple[Decimal | None, Problem | None]:
    """``1 234,50``, ``1234.50`` and ``-3`` are numbers; a comma is the Swedish decimal mark.

    The value must lie within ``limit`` (by default any number both databases hold exactly);
    ``NaN``, ``Infinity`` and out-of-range numbers are problems, never values."""
    if text is not None and len(text) > 100:
        return None, Problem("value.decimal", value=text)
    raw = _NUMBER_SPACES.sub("", text or "").replace("\u2212", "-")
    if not raw:
        return None, (Problem("value.required") if required else None)
    if raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None, Problem("value.decimal", value=text)
    if not value.is_finite():
        return None, Problem("value.decimal", value=text)
    if value < 0 and not negative:
        return None, Problem("value.negative", value=text)
    if value == 0:
        value = abs(value)  # no negative zero
    problem = limit.check(value)
    if problem is not None:
        return None, problem
    return value, None


def parse_int(text: str, *, required: bool = True, negative: bool = False,
              limit: Limit = limits.COUNT) -> tuple[int | None, Problem | None]:
    value, problem = parse_decimal(text, required=required, negative=negative, limit=limits.NUMBER)
    if problem or value is None:
        if problem and problem.code == "value.decimal":
            return None, Problem("value.integer", value=text)
        return None, problem
    if value != value.to_integral_value():
        return None, Problem("value.integer", value=text)
    problem = limit.check(value)
    if problem is not None:
        return None, problem
    return int(value), None


def parse_date(text: str, *, required: bool = True) -> tuple[date | None, Problem | None]:
    raw = (text or "").strip()
    if not raw:
        return None, (Problem("value.required") if required else None)
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?", raw)
    if not match:
        return None, Problem("value.date", value=text)
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None, Problem("value.date", value=text)
    problem = limits.check_day(day)
    return (None, problem) if problem else (day, None)


#: month names and their usual abbreviations, Swedish and English (``mars 2025``, ``Mar 2025``)
MONTH_NAMES = {name: number for number, names in enumerate((
    ("januari", "jan", "january"), ("februari", "feb", "february"), ("mars", "mar", "march"), ("april", "apr"),
    ("maj", "may"), ("juni", "jun", "june"), ("juli", "jul", "july"), ("augusti", "aug", "august"),
    ("september", "sep", "sept"), ("oktober", "okt", "oct", "october"), ("november", "nov"), ("december", "dec")), start=1)
    for name in names}
_MONTH_FORMS = (
    re.compile(r"(?P<year>\d{4})[-/](?P<month>\d{1,2})"),                # 2025-03, 2025-3, 2025/03 (not 2025.10: a number, read back as 2025.1)
    re.compile(r"(?P<year>\d{4})[mM](?P<month>\d{2})"),                  # 2025M03, as Statistics Sweden writes it
    re.compile(r"(?P<year>(?:19|20)\d{2})(?P<month>\d{2})"),             # 202503 (a number in Excel)
    re.compile(r"(?P<year>\d{4})(?P<sep>-?)(?P<month>\d{2})(?P=sep)(?P<day>\d{2})"),   # a day of the month: 2025-03-01, 20250301, 2025-03-31 (Excel's EOMONTH)
    re.compile(r"(?P<name>[^\W\d_]+)\.?\s+(?P<year>\d{4})"),            # mars 2025, Mar. 2025
)


@lru_cache(maxsize=4096)
def parse_month(text: str) -> tuple[Period | None, Problem | None]:
    """A month as files write it: ``2025-03`` (or ``2025-3``, ``2025/03``), ``202503``,
    ``2025M03``, ``mars 2025`` or a date in the month (``2025-03-01``, ``20250331``); as the
    month's period. A date that is no date (``2025-02-30``) is refused, and so is anything else.
    Several rows of one month are never added together here: an importer refuses two rows of
    the same month and key, so a file of days is refused, not summed. Remembered (both results
    are frozen): an import's hundreds of thousands of rows name a few months."""
    raw = (text or "").strip()
    if not raw:
        return None, Problem("value.required")
    for form in _MONTH_FORMS:
        found = form.fullmatch(raw)
        if found is None:
            continue
        parts = found.groupdict()
        year = int(parts["year"])
        month = MONTH_NAMES.get(parts["name"].lower()) if "name" in parts else int(parts["month"])
        if month is None or not 1 <= month <= 12:
            break
        if "day" in parts:
            try:
                date(year, month, int(parts["day"]))
            except ValueError:
                break
        period = Period.month(year, month)
        problem = limits.check_day(period.start)
        return (None, problem) if problem else (period, None)
    return None, Problem("value.month", value=text)


def parse_year(text: str, low: int = int(limits.YEAR.low), high: int = int(limits.YEAR.high)) -> tuple[int | None, Problem | None]:
    value, problem = parse_int(text, limit=limits.NUMBER)
    if problem or value is None:
        return None, problem
    if not low <= value <= high:
        return None, Problem("value.year", {"low": low, "high": high}, value=text)
    return value, None


def parse_bool(text: str) -> tuple[bool | None, Problem | None]:
    raw = (text or "").strip().lower()
    if raw in TRUE_WORDS:
        return True, None
    if raw in FALSE_WORDS:
        return False, None
    return None, Problem("value.boolean", value=text)


def parse_choice(text: str, choices: Iterable[str], *, required: bool = True, aliases: dict[str, str] | None = None) -> tuple[str | None, Problem | None]:
    """One of ``choices`` (case-insensitive), or an alias that maps to one."""
    raw = (text or "").strip()
    if not raw:
        return None, (Problem("value.required") if required else None)
    allowed = {choice.lower(): choice for choice in choices}
    key = raw.lower()
    if aliases and key in aliases:
        return aliases[key], None
    if key in allowed:
        return allowed[key], None
    # the words a person types first (the Swedish aliases), each with the code it stands for
    shown = []
    for code in sorted(allowed.values()):
        words = [alias for alias, target in (aliases or {}).items() if target == code and alias != code.lower()]
        shown.append(f"{words[0]} ({code})" if words else code)
    return None, Problem("value.choice", {"choices": ", ".join(shown)}, value=text)


def parse_text(text: str, *, required: bool = True, limit: int = 200) -> tuple[str | None, Problem | None]:
    raw = (text or "").strip()
    if not raw:
        return None, (Problem("value.required") if required else None)
    if len(raw) > limit:
        return None, Problem("value.too_long", {"limit": limit}, value=raw)
    if "\x00" in raw:
        return None, Problem("value.nul")
    return raw, None


def parse_code(text: str, *, limit: int = 40) -> tuple[str | None, Problem | None]:
    """A code another file names things by: letters, digits, hyphens and underscores only."""
    code, problem = parse_text(text, limit=limit)
    if code is not None and not code.replace("-", "").replace("_", "").isalnum():
        return None, Problem("value.code", value=code)
    return code, problem


def parse_timestamp(text: str, *, required: bool = True) -> tuple[datetime | None, Problem | None]:
    """``2025-03-04``, ``2025-03-04T13:05``, ``2025-03-04 13:05:59`` (optionally with ``Z`` or an
    offset). A time without an offset is local (Europe/Stockholm); the caller decides the zone."""
    raw = (text or "").strip()
    if not raw:
        return None, (Problem("value.required") if required else None)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?", raw):
        return None, Problem("value.timestamp", value=text)
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None, Problem("value.timestamp", value=text)
    problem = limits.check_day(moment.date())
    return (None, problem) if problem else (moment, None)
