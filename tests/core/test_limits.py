"""``Limit.check`` skips normalising a value that fits as written; it must judge every value as
the full check does (range, decimals after dropping trailing zeros, SQLite's exact digits)."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from servicecenter.core import limits


def reference(limit: limits.Limit, value: Decimal):
    """The check with every value normalised, as it was before the shortcut."""
    if not value.is_finite():
        return "value.decimal"
    if value < limit.low or value > limit.high:
        return "value.range"
    if limit.integer and value != value.to_integral_value():
        return "value.integer"
    if limit.places is not None:
        normal = value.normalize().as_tuple()
        if max(0, -normal.exponent) > limit.places:
            return "value.places"
        if len(normal.digits) > limits.SQLITE_EXACT_DIGITS:
            return "value.precision"
    return None


values = st.builds(lambda digits, exponent, negative: Decimal((int(negative), tuple(int(d) for d in digits), exponent)),
                   st.text(alphabet="0123456789", min_size=1, max_size=20), st.integers(-12, 6), st.booleans())


@settings(max_examples=500, deadline=None)
@given(values, st.sampled_from([limits.AMOUNT, limits.QUANTITY, limits.PRICE, limits.PERCENT, limits.FTE, limits.COUNT]))
def test_the_shortcut_judges_as_the_full_check(value, limit):
    problem = limit.check(value)
    assert (problem.code if problem else None) == reference(limit, value)


def test_trailing_zeros_are_not_decimals_and_are_not_digits():
    assert limits.AMOUNT.check(Decimal("12.5000000")) is None
    assert limits.AMOUNT.check(Decimal("1.000000000000000000")) is None
    assert limits.AMOUNT.check(Decimal("12.345")).code == "value.places"
    assert limits.AMOUNT.check(Decimal("123456789012.34")) is None
