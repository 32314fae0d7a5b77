"""The plausibility rules of a billing month, as pure functions of the history."""

from datetime import date
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from servicecenter.core.billing.plausibility import Amounts, check, totals_by_key

KEY = ("c1", "lon", "usage")
MONTHS = [date(2030, m, 1) for m in (1, 2, 3, 4)]


def history(*quantities, key=KEY, price=D(10)):
    return {month: ({key: Amounts(D(q), D(q) * price)} if q else {}) for month, q in zip(MONTHS, quantities, strict=False)}


def kinds(flags):
    return [flag.kind for flag in flags]


def test_a_month_with_nothing_before_it_raises_nothing():
    assert check({KEY: Amounts(D(10**6), D(10**7))}, {}, D(10**7), None) == []


@given(st.lists(st.integers(100, 120), min_size=3, max_size=4), st.integers(100, 120))
def test_a_steady_customer_raises_nothing(before, now):
    past = history(*before)
    total_before = sum((a.amount for a in past[max(past)].values()), D(0))
    assert check({KEY: Amounts(D(now), D(now) * 10)}, past, D(now) * 10, total_before) == []


def test_more_than_three_times_the_median_is_a_spike_with_its_median():
    past = history(100, 400, 110)                     # the median, not the mean: one odd month does not hide the next
    flags = check({KEY: Amounts(D(331), D(3310))}, past, D(3310), None)
    assert kinds(flags) == ["spike"] and flags[0].usual_quantity == 110 and flags[0].months == 3
    assert kinds(check({KEY: Amounts(D(330), D(3300))}, past, D(3300), None)) == []   # exactly three times is not above it


def test_a_new_service_a_new_customer_a_drop_and_the_total():
    other = ("c1", "ekonomi", "usage")
    past = history(100, 100, 100)
    now = {other: Amounts(D(5), D(50)), ("c2", "lon", "usage"): Amounts(D(1), D(10))}
    flags = check(now, past, D(60), D(1000))
    assert sorted(kinds(flags)) == ["drop", "new_customer", "new_service", "total"]
    assert next(f for f in flags if f.kind == "drop").service == "lon"


def test_a_drop_needs_three_billed_months_in_a_row():
    assert "drop" not in kinds(check({}, history(100, 0, 100), D(0), None))


def test_lines_of_one_key_are_summed():
    summed = totals_by_key([("c1", "lon", "usage", D(2), D(20)), ("c1", "lon", "usage", D(3), D(30)), ("c1", "lon", "fixed", D(1), D(5))])
    assert summed == {KEY: Amounts(D(5), D(50)), ("c1", "lon", "fixed"): Amounts(D(1), D(5))}


def test_usage_outside_every_agreement_is_flagged_and_fees_are_not():
    from servicecenter.core.billing.plausibility import outside_agreements

    current = {("c1", "lon", "usage"): Amounts(D(120), D(1200)), ("c2", "lon", "usage"): Amounts(D(5), D(50)),
               ("c2", "drift", "fixed"): Amounts(D(1), D(900)), ("c3", "porto", "pass_through"): Amounts(D(40), D(400))}
    flags = outside_agreements(current, covered={("c1", "lon")})
    assert [(flag.kind, flag.customer, flag.service, flag.quantity, flag.amount) for flag in flags] == [
        ("no_agreement", "c2", "lon", D(5), D(50)), ("no_agreement", "c3", "porto", D(40), D(400))]
    assert outside_agreements(current, covered={("c1", "lon"), ("c2", "lon"), ("c3", "porto")}) == []
