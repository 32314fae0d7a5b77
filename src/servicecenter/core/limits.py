"""The ranges of the domain, stated once.

Every quantity, amount, count, year, date and id the product accepts from a person or a file
has a range here; forms, imports, the API's parameters and the command line check against the
same :class:`Limit`, so a value out of range is a clear problem naming the field, never a
server error and never a number the database cannot hold exactly.

Why these numbers:
- SQLite keeps a decimal column exactly only up to 15 significant digits (it stores NUMERIC
  as REAL beyond that); every money and quantity range below fits in 15 digits with its
  decimals, so both databases hold the same exact value.
- An amount is below one trillion SEK (10^12): more than the whole state budget's any single
  line, so a larger number is a typing error, not a fact.
- Years run from 1990 to 2100: before SIE 4 and Peppol, after every plan the seeds speak of.
- Ids are positive and fit in a signed 64-bit integer (the databases' bigint).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from servicecenter.core.problems import Problem

SQLITE_EXACT_DIGITS = 15
MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class Limit:
    """A closed range ``[low, high]`` and the most decimals a value may carry.

    ``places`` is None where the column rounds itself harmlessly (coordinates); otherwise a
    value with more decimals is refused instead of being silently rounded, and so is one with
    more significant digits than SQLite keeps exactly.
    """

    name: str
    low: Decimal
    high: Decimal
    places: int | None = None
    integer: bool = False

    def check(self, value: Decimal | int) -> Problem | None:
        """The problem with ``value``, or None when it is within the range."""
        number = Decimal(value)
        if not number.is_finite():
            return Problem("value.decimal", value=str(value)[:60])
        # the range first: comparing is safe for any exponent, rounding 1E+999999999 is not
        if number < self.low or number > self.high:
            return Problem("value.range", {"low": _plain(self.low), "high": _plain(self.high)}, value=_plain(number))
        if self.integer and number != number.to_integral_value():
            return Problem("value.integer", value=_plain(number))
        if self.places is not None:
            _sign, digits, exponent = number.as_tuple()
            # as written it already fits: normalising (the costly part) only drops trailing zeros,
            # which lowers the decimals and the digits, never raises them
            if exponent >= -self.places and len(digits) <= SQLITE_EXACT_DIGITS:
                return None
        if self.places is not None and _places(number) > self.places:
            return Problem("value.places", {"places": self.places}, value=_plain(number))
        if self.places is not None and _digits(number) > SQLITE_EXACT_DIGITS:
            return Problem("value.precision", {"digits": SQLITE_EXACT_DIGITS}, value=_plain(number))
        return None

    def contains(self, value: Decimal | int) -> bool:
        return self.check(value) is None


def _places(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _digits(number: Decimal) -> int:
    """Significant digits: what SQLite's REAL keeps exactly up to 15 of."""
    return len(number.normalize().as_tuple().digits)


def _plain(number: Decimal | int) -> str:
    """A number as people write it (no exponent), for messages."""
    value = Decimal(number)
    if not value.is_finite() or value != 0 and not -30 < value.adjusted() < 30:
        return str(value)[:60]
    if value == value.to_integral_value():
        return f"{int(value):d}"
    return format(value.normalize(), "f")


TRILLION = Decimal(10) ** 12

#: Units of a service in one month or one usage event (payslips, hours, TB...).
QUANTITY = Limit("quantity", Decimal(0), Decimal(10) ** 10, places=3)
#: A signed quantity, as on a credit note.
SIGNED_QUANTITY = Limit("quantity", -(Decimal(10) ** 10), Decimal(10) ** 10, places=3)
#: An amount in SEK, signed (ledger rows, budgets, results).
AMOUNT = Limit("amount", -TRILLION + Decimal("0.01"), TRILLION - Decimal("0.01"), places=2)
#: A non-negative amount in SEK (turnover, costs to re-invoice, office costs).
COST = Limit("amount", Decimal(0), TRILLION - Decimal("0.01"), places=2)
#: A price per unit in SEK.
PRICE = Limit("price", Decimal(0), Decimal(10) ** 8, places=6)
#: A price or fee as a price list stores it (whole öre): a unit price, a band, a package, a fee.
FEE = Limit("price", Decimal(0), Decimal(10) ** 10, places=2)
#: A percentage between 0 and 100 (a discount, a mark-up, a VAT rate, a cap on rises).
PERCENT = Limit("percent", Decimal(0), Decimal(100), places=2)
#: Employees of a customer body.
EMPLOYEES = Limit("employees", Decimal(0), Decimal(10) ** 7, integer=True)
#: A count of things (visits, errands, capacity, population, sample sizes).
COUNT = Limit("count", Decimal(0), Decimal(10) ** 9, integer=True)
#: Full-time equivalents.
FTE = Limit("fte", Decimal(0), Decimal(10) ** 6, places=1)
#: A weight of an allocation key (employees, SEK of turnover, m², hours, a share).
WEIGHT = Limit("weight", Decimal(0), TRILLION, places=6)
#: A share between 0 and 1.
SHARE = Limit("share", Decimal(0), Decimal(1), places=4)
#: A value of an indicator's data element.
INDICATOR_VALUE = Limit("value", -TRILLION, TRILLION, places=6)
#: A service level's threshold (a share in percent, minutes, a count).
THRESHOLD = Limit("threshold", -(Decimal(10) ** 8), Decimal(10) ** 8, places=3)
#: A price index (PLO, a supplier's input-price index).
INDEX = Limit("index", Decimal(0), Decimal(10) ** 9, places=4)
#: Any other number a file or form may carry: nothing beyond what both databases hold.
NUMBER = Limit("number", -TRILLION, TRILLION)
#: A calendar year of business data.
YEAR = Limit("year", Decimal(1990), Decimal(2100), integer=True)
#: A database id in a path or parameter.
ID = Limit("id", Decimal(1), Decimal(MAX_ID), integer=True)

FIRST_DAY = date(1990, 1, 1)
LAST_DAY = date(2100, 12, 31)


def check_year(year: int) -> Problem | None:
    return YEAR.check(year)


def check_day(day: date) -> Problem | None:
    """A business date must lie within the years of :data:`YEAR`."""
    if day < FIRST_DAY or day > LAST_DAY:
        return Problem("value.date_range", {"low": FIRST_DAY.isoformat(), "high": LAST_DAY.isoformat()}, value=day.isoformat())
    return None


def is_id(value: int) -> bool:
    return 1 <= value <= MAX_ID
