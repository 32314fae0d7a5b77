"""Money rules, stated once.

- Amounts are ``Decimal`` in SEK. Floats never enter: :func:`to_decimal` refuses them.
- Shares, unit costs and intermediate results keep full precision.
- Rounding to öre (0.01) happens only at named boundaries (an invoice line, an invoice
  total, a report cell) and is always ROUND_HALF_UP, through :func:`round_ore`.
- A split of a whole into parts uses the largest-remainder method, so the rounded parts
  always add up to the rounded whole (:func:`split_largest_remainder`).
- Every other rounding in the product goes through this module too: :func:`round_places`
  (N decimals, half up: quantities, unit costs, indicator values), :func:`round_to` (a step:
  tkr, mnkr, a price list's rounding) and :func:`in_thousands` / :func:`in_millions` for
  report tables. A number computed in floating point (a linear solve, a solver's objective)
  becomes a Decimal only through :func:`from_float`. ``tests/core/test_money.py`` fails on a
  ``quantize(`` or a float-to-Decimal conversion anywhere else in ``src/``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TypeVar

ORE = Decimal("0.01")
KRONA = Decimal("1")
ZERO = Decimal("0")

K = TypeVar("K")


def to_decimal(value: Decimal | int | str) -> Decimal:
    """Return ``value`` as a Decimal; floats are refused because they are not exact."""
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"money must not be a {type(value).__name__}: {value!r}")
    try:
        result = Decimal(value)
    except InvalidOperation as error:
        raise ValueError(f"not a number: {value!r}") from error
    if not result.is_finite():
        raise ValueError(f"not a finite amount: {value!r}")
    return result


def round_ore(amount: Decimal) -> Decimal:
    """Round to whole öre, half up (the boundary rounding of invoices and reports)."""
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


def round_places(value: Decimal, places: int) -> Decimal:
    """Round half up to ``places`` decimals (0.001 for quantities, 0.000001 for unit costs)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def from_float(value: float, places: int | None = None) -> Decimal:
    """The Decimal a float stands for (its shortest round-trip text), optionally rounded half up
    to ``places``: the one way a floating-point result becomes a number the product keeps."""
    if isinstance(value, bool):
        raise TypeError(f"not a number: {value!r}")
    number = Decimal(repr(float(value)))
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number if places is None else round_places(number, places)


def decimal_of(value: Decimal | int | float | str) -> Decimal:
    """Any number as a Decimal for display or comparison: floats via :func:`from_float`."""
    if isinstance(value, float):
        return from_float(value)
    return value if isinstance(value, Decimal) else Decimal(value)


def in_thousands(amount: Decimal | None) -> Decimal | None:
    """An amount in SEK as whole tkr, half up (report tables)."""
    return None if amount is None else round_places(amount / 1000, 0)


def in_millions(amount: Decimal | None, places: int = 1) -> Decimal | None:
    """An amount in SEK as mnkr with ``places`` decimals, half up."""
    return None if amount is None else round_places(amount / 1_000_000, places)


def round_to(amount: Decimal, step: Decimal) -> Decimal:
    """Round half up to a multiple of ``step`` (e.g. Decimal('1000') for tkr tables)."""
    if step <= 0:
        raise ValueError(f"rounding step must be positive, got {step}")
    return (amount / step).quantize(KRONA, rounding=ROUND_HALF_UP) * step


def split_largest_remainder(
    total: Decimal, weights: Mapping[K, Decimal | int], step: Decimal = ORE
) -> dict[K, Decimal]:
    """Split ``total`` in proportion to ``weights`` into multiples of ``step``.

    The parts add up exactly to ``total`` rounded to ``step``. Each part is first rounded
    down (towards zero); the remaining steps go one each to the keys with the largest
    remainders, ties broken by the order of ``weights``. Weights must be non-negative with
    a positive sum; a zero-sum key is a caller's error, reported with the numbers.
    """
    keys: Sequence[K] = list(weights)
    if not keys:
        raise ValueError("cannot split an amount over no keys")
    values = [Decimal(weights[key]) for key in keys]
    if any(value < 0 for value in values):
        raise ValueError(f"weights must be non-negative, got {values}")
    weight_sum = sum(values, ZERO)
    if weight_sum == 0:
        raise ValueError(f"weights sum to zero; cannot split {total}")
    sign = Decimal(-1) if total < 0 else Decimal(1)
    whole = (abs(total) / step).quantize(KRONA, rounding=ROUND_HALF_UP)
    exact = [whole * value / weight_sum for value in values]
    floors = [share.quantize(KRONA, rounding=ROUND_DOWN) for share in exact]
    leftover = int(whole - sum(floors, ZERO))
    order = sorted(range(len(keys)), key=lambda i: (-(exact[i] - floors[i]), i))
    for index in order[:leftover]:
        floors[index] += 1
    return {key: sign * floors[i] * step for i, key in enumerate(keys)}


def round_conserving(values: Mapping[K, Decimal | float], total: Decimal, step: Decimal = ORE) -> dict[K, Decimal]:
    """Round each value to ``step`` so that the parts add up exactly to ``total`` (rounded).

    Values may be negative. Each is first rounded half up; the difference to the total, in
    whole steps, is then taken from or given to the values whose rounding moved them furthest
    in the opposite direction (ties in key order). Used where a computation in floating point
    (a linear solve) must hand back exact money.
    """
    keys = list(values)
    if not keys:
        if round_to(total, step) != 0:
            raise ValueError(f"cannot place {total} on no keys")
        return {}
    exact = [decimal_of(values[key]) for key in keys]
    rounded = [value.quantize(step, rounding=ROUND_HALF_UP) for value in exact]
    difference = int((round_to(total, step) - sum(rounded, ZERO)) / step)
    if abs(difference) > len(keys):
        raise ValueError(f"values sum to {sum(exact, ZERO)}, too far from the total {total} to round conservingly")
    direction = 1 if difference > 0 else -1
    order = sorted(range(len(keys)), key=lambda i: (-direction * (exact[i] - rounded[i]), i))
    for index in order[: abs(difference)]:
        rounded[index] += direction * step
    return dict(zip(keys, rounded, strict=True))


def format_sek(amount: Decimal, decimals: int = 2) -> str:
    """Swedish money format: ``1 620,20 kr`` (narrow no-break space as thousands separator)."""
    return f"{format_number(amount, decimals)} kr"


def format_number(value: Decimal | int, decimals: int = 0) -> str:
    """Swedish number format: ``118 470`` and ``1 620,2``; minus as U+2212."""
    quantum = Decimal(1).scaleb(-decimals)
    number = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{abs(number):,.{decimals}f}".replace(",", "\u202f").replace(".", ",")
    return ("\u2212" if number < 0 else "") + text
