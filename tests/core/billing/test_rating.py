from dataclasses import dataclass
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicecenter.core.billing import (
    STANDARD_25,
    ChargeCategory,
    RatingError,
    Terms,
    VatCategory,
    credit_lines,
    group_by_customer,
    rate_month,
    signed_total,
    totals,
    twelfth,
)
from servicecenter.core.periods import Period
from servicecenter.core.pricing.strategies import CustomerInput

MARCH = Period.month(2025, 3)


def test_per_unit_lines_are_quantity_times_price_rounded_per_line():
    lines = rate_month({"lon": Terms("lon", "Lön", unit_price=D("41.37"))},
                       {"lon": {"a": CustomerInput(quantity=D(1203)), "b": CustomerInput(quantity=D(0))}}, MARCH)
    assert [(line.customer, line.amount) for line in lines] == [("a", D("49768.11"))]
    assert lines[0].period_start.isoformat() == "2025-03-01" and lines[0].period_end.isoformat() == "2025-03-31"
    assert lines[0].category is ChargeCategory.USAGE


@given(st.decimals(min_value=D("-1000000"), max_value=D("10000000"), places=2))
def test_twelve_twelfths_make_the_annual_amount(annual):
    assert sum(twelfth(annual, month) for month in range(1, 13)) == annual


def test_keyed_pool_twelfths_split_by_key_add_up_over_the_year():
    terms = {"kassa": Terms("kassa", "Kassa och bank", annual_pool=D("1000000.01"))}
    usage = {"kassa": {"a": CustomerInput(key=D(3)), "b": CustomerInput(key=D(1)), "c": CustomerInput(key=D(0))}}
    year = [line for month in range(1, 13) for line in rate_month(terms, usage, Period.month(2025, month))]
    assert sum(line.amount for line in year) == D("1000000.01")
    assert {line.customer for line in year} == {"a", "b"}
    assert all(line.quantity == 1 and line.unit_price == line.amount for line in year)


def test_connection_fee_instalments_add_up_to_the_fee():
    terms = {"lon": Terms("lon", "Lön", connection_fee=D("100000"), connection_months=60)}
    amounts = [rate_month(terms, {"lon": {"a": CustomerInput(connection_month=m)}}, MARCH)[0].amount for m in range(1, 61)]
    assert sum(amounts) == D("100000") and max(amounts) - min(amounts) <= D("0.01")
    assert rate_month(terms, {"lon": {"a": CustomerInput(connection_month=61)}}, MARCH) == []


def test_tiers_give_one_line_per_band_each_quantity_times_price():
    terms = {"ftg": Terms("ftg", "Bolag", tiers=((D(0), D(100)), (D(10), D(80)), (D(50), D(60))))}
    lines = rate_month(terms, {"ftg": {"a": CustomerInput(quantity=D(55))}}, MARCH)
    assert [(line.quantity, line.unit_price, line.amount) for line in lines] == [(D(10), D(100), D(1000)), (D(40), D(80), D(3200)), (D(5), D(60), D(300))]


def test_base_fee_packages_pass_through_and_discount():
    terms = {"s": Terms("s", "Tjänst", base_fixed=D("12000"), per_employee=D("120"), packages={"A": D("24000")},
                        pass_through_markup=D("0.05"), discount_share=D("0.10"))}
    usage = {"s": {"a": CustomerInput(employees=100, packages={"A": 1}, pass_through_cost=D("1000"), discount_eligible=True)}}
    lines = {line.category: line for line in rate_month(terms, usage, MARCH)}
    assert lines[ChargeCategory.FIXED].amount == D("2000")          # (12,000 + 120 × 100) / 12
    assert lines[ChargeCategory.PASS_THROUGH].amount == D("1050")
    assert lines[ChargeCategory.DISCOUNT].amount == D("-2600")      # 10 % of 24,000 + 2,000, not of the pass-through
    assert lines[ChargeCategory.DISCOUNT].quantity == -1 and lines[ChargeCategory.DISCOUNT].unit_price == D("2600")


def test_vat_outside_scope_inside_one_legal_person_otherwise_the_service_rate():
    terms = {"s": Terms("s", "Tjänst", unit_price=D("100"), vat=STANDARD_25)}
    usage = {"s": {"staten": CustomerInput(quantity=D(1)), "kommun": CustomerInput(quantity=D(1))}}
    lines = {line.customer: line for line in rate_month(terms, usage, MARCH, internal_customers={"staten"})}
    assert lines["staten"].vat_category is VatCategory.OUTSIDE_SCOPE and lines["staten"].vat_rate == 0
    assert lines["kommun"].vat_category is VatCategory.STANDARD and lines["kommun"].vat_rate == 25


def test_vat_is_rounded_on_the_category_sum_not_per_line():
    terms = {"s": Terms("s", "Tjänst", unit_price=D("0.02"), vat=STANDARD_25)}
    lines = rate_month(terms, {"s": {c: CustomerInput(quantity=D(1)) for c in "a"}}, MARCH)
    three = [lines[0]] * 3   # 3 × 0.005 per line would round to 0.03; on the sum 0.06 × 25 % = 0.015 → 0.02
    assert totals(three).tax_total == D("0.02")


def test_usage_without_a_price_is_an_error_not_free():
    with pytest.raises(RatingError, match="no price for service") as caught:
        rate_month({}, {"lon": {"a": CustomerInput(quantity=D(3))}}, MARCH)
    # a problem with a Swedish text for the pages, not an English f-string (#13)
    assert caught.value.problem.code == "rating.unpriced" and "inget pris" in caught.value.problem.message("sv")


def test_a_billing_period_is_a_calendar_month():
    with pytest.raises(RatingError, match="one calendar month"):
        rate_month({}, {}, Period.quarter(2025, 1))


def test_invoices_group_per_customer_in_stable_order():
    terms = {"b": Terms("b", "B", unit_price=D(1)), "a": Terms("a", "A", unit_price=D(2))}
    usage = {"a": {"x": CustomerInput(quantity=D(1)), "y": CustomerInput(quantity=D(1))}, "b": {"x": CustomerInput(quantity=D(5))}}
    drafts = group_by_customer(rate_month(terms, usage, MARCH))
    assert [(d.customer, [line.service for line in d.lines], d.net) for d in drafts] == [("x", ["a", "b"], D(7)), ("y", ["a"], D(2))]


@dataclass(frozen=True)
class L:
    line_no: int
    amount: D
    vat_category: str
    vat_rate: D


line_values = st.tuples(st.decimals(min_value=D("-100000"), max_value=D("1000000"), places=2), st.sampled_from([("O", D(0)), ("S", D(25)), ("S", D(12))]))


@given(st.lists(line_values, min_size=1, max_size=30))
def test_invoice_plus_full_credit_note_is_zero(values):
    lines = [L(i, amount, category, rate) for i, (amount, (category, rate)) in enumerate(values, start=1)]
    assert signed_total([(False, lines), (True, credit_lines(lines))]) == 0


def test_a_partial_credit_takes_only_the_chosen_lines():
    lines = [L(1, D(10), "O", D(0)), L(2, D(20), "O", D(0))]
    assert credit_lines(lines, {2}) == [lines[1]]
    with pytest.raises(ValueError, match="not on the invoice"):
        credit_lines(lines, {3})


def test_a_customer_with_lines_in_and_outside_the_scope_of_vat_gets_two_invoices():
    terms = {"o": Terms("o", "O", unit_price=D(1)), "s": Terms("s", "S", unit_price=D(1), vat=STANDARD_25)}
    usage = {"o": {"x": CustomerInput(quantity=D(1))}, "s": {"x": CustomerInput(quantity=D(2))}}
    drafts = group_by_customer(rate_month(terms, usage, MARCH))
    assert [(d.customer, d.outside_scope, [line.service for line in d.lines]) for d in drafts] == [("x", True, ["o"]), ("x", False, ["s"])]
