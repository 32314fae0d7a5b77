from dataclasses import replace
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicecenter.core.billing import Terms, rate_month, rate_year
from servicecenter.core.money import ZERO
from servicecenter.core.periods import Period
from servicecenter.core.pricing import (
    ConnectionFee,
    CustomerInput,
    VolumeTiers,
    behaviour_weighted_split,
    compare_models,
    derive_price_list,
    recovery_by_process,
)

JANUARY = Period.month(2020, 1)


def _rate(terms: Terms, inputs, month=JANUARY):
    return rate_month({terms.service: terms}, {terms.service: inputs}, month)


def _year(terms: Terms, inputs):
    return rate_year({terms.service: terms}, {m: {terms.service: inputs} for m in range(1, 13)}, 2020)


def _per_customer(lines):
    totals = {}
    for line in lines:
        totals[line.customer] = totals.get(line.customer, ZERO) + line.amount
    return totals


def test_every_price_type_of_the_seeds():
    """Every price type of the seeds through the one rating (the yearly amounts as the year's
    twelve invoices add them up)."""
    inputs = {"Norrmalm": CustomerInput(quantity=D(1200), key=D(3), employees=1200, packages={"rekrytering": 2, "chef": 1},
                                        pass_through_cost=D("1000.00"), connection_month=60, discount_eligible=True),
              "Bromma": CustomerInput(quantity=D(800), key=D(1), employees=800)}
    plain = {customer: replace(value, packages={}) for customer, value in inputs.items()}  # a package needs a price in its service
    keyed = _per_customer(_year(Terms("kassa-bank", "Kassa och bank", annual_pool=D("21300000")), plain))
    assert keyed["Norrmalm"] + keyed["Bromma"] == D("21300000") and keyed["Bromma"] == D("5325000.00")
    payroll = _rate(Terms("lon", "Lön", unit_price=D("53.50")), plain)
    assert [line.amount for line in payroll] == [D("42800.00"), D("64200.00")]  # Bromma, Norrmalm (by customer)
    packages = _rate(Terms("rekrytering", "Rekrytering", packages={"rekrytering": D(24000), "chef": D(34000)}), inputs)
    assert sum(line.amount for line in packages) == D(82000)
    base = _per_customer(_year(Terms("lon", "Lön", base_fixed=D("5000"), per_employee=D("12.5")), plain))
    assert base["Bromma"] == D("15000.00")  # 5,000 + 12.50 × 800 a year, billed in twelfths
    fee = ConnectionFee(D("100000"), 60)
    assert sum(fee.instalments()) == D("100000") and len(fee.instalments()) == 60
    assert _rate(Terms("anslutning", "Anslutning", connection_fee=D("100000"), connection_months=60), plain)[0].amount == fee.instalments()[59]
    reimbursement = _year(Terms("upphandling", "Upphandling", reimbursement=("Stadsledningskontoret", D("23000000"))), plain)
    assert _per_customer(reimbursement) == {"Stadsledningskontoret": D("23000000.00")}
    assert _rate(Terms("system", "System", pass_through_markup=D("0")), plain)[0].amount == D("1000.00")
    discounted = _rate(Terms("lon", "Lön", unit_price=D("10"), discount_share=D("0.2")), plain)
    assert sum(line.amount for line in discounted if line.customer == "Norrmalm") == D("9600.00")


def test_volume_tiers_graduated_and_all_units():
    tiers = ((D(0), D(100)), (D(10), D(80)), (D(100), D(50)))
    assert VolumeTiers(tiers).amount(D(5)) == D(500)
    assert VolumeTiers(tiers).amount(D(50)) == D(10 * 100 + 40 * 80)
    assert VolumeTiers(tiers, graduated=False).amount(D(150)) == D(150 * 50)
    with pytest.raises(ValueError):
        VolumeTiers(((D(5), D(1)),))


def test_price_list_from_self_cost_with_the_stockholm_cap():
    entries, problems = derive_price_list(
        {"lon": D("34700000"), "leverantorsfakturor": D("9000000"), "ny": D("100")},
        {"lon": D(54050 * 12), "leverantorsfakturor": D(300000), "ny": D(0)},
        previous={"lon": D("53.50"), "leverantorsfakturor": D("25.00")}, cap=D("0.015"))
    by = {entry.process: entry for entry in entries}
    assert [p.code for p in problems] == ["price.no_volume"]
    assert by["lon"].cost_price == D("34700000") / D(648600)
    assert by["lon"].price == D("53.50") and not by["lon"].capped          # 53.50 ≤ cap, unchanged
    assert by["leverantorsfakturor"].capped and by["leverantorsfakturor"].price == D("25.37")  # 30.00 capped at 25.375 → 25.37
    assert by["leverantorsfakturor"].under_recovery == D("9000000") - D("25.37") * 300000


@given(pool=st.decimals(0, 10**8, places=2), base=st.lists(st.integers(1, 10**5), min_size=1, max_size=25),
       weight=st.decimals(0, 5, places=2), data=st.data())
def test_behaviour_key_recovers_the_pool_exactly(pool, base, weight, data):
    customers = {f"c{i}": D(b) for i, b in enumerate(base)}
    deviation = {c: data.draw(st.decimals(0, 1, places=3)) for c in customers}
    result = behaviour_weighted_split(pool, customers, deviation, weight)
    assert sum(result.charges.values(), ZERO) == pool
    assert sum(result.deviation_cost.values(), ZERO) == 0
    if all(d == 0 for d in deviation.values()):
        assert all(cost == 0 for cost in result.deviation_cost.values())


def test_behaviour_key_makes_the_deviating_customer_pay():
    result = behaviour_weighted_split(D("10000000"), {"A": D(100), "B": D(100)}, {"A": D("0.5"), "B": D(0)}, D(1))
    assert result.charges["A"] == D("6000000.00") and result.deviation_cost["A"] == D("1000000.00") == -result.deviation_cost["B"]


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 10**6)), min_size=1, max_size=30))
def test_a_what_if_identical_to_the_current_model_changes_nothing(rows):
    inputs = {f"c{c}": CustomerInput(quantity=D(q), key=D(q + 1)) for c, q in rows}
    terms = Terms("lon", "Lön", unit_price=D("53.50"))
    current = _rate(terms, inputs)
    what_if = compare_models(current, _rate(terms, inputs))
    assert all(row.difference == 0 for row in what_if.rows)
    assert what_if.current_total == what_if.alternative_total and what_if.fixed_share("current") == what_if.fixed_share("alternative")


def test_what_if_more_fixed_keyed_prices():
    inputs = {"A": CustomerInput(quantity=D(100), key=D(100)), "B": CustomerInput(quantity=D(300), key=D(100))}
    current = _rate(Terms("lon", "Lön", unit_price=D(10)), inputs)
    alternative = _rate(Terms("lon", "Lön", annual_pool=D(48000)), inputs)  # January's twelfth: 4,000 keyed 100:100
    what_if = compare_models(current, alternative)
    rows = {row.customer: row for row in what_if.rows}
    assert rows["A"].difference == D(1000) and rows["B"].difference == D(-1000)
    assert what_if.fixed_share("alternative") == 1 and what_if.fixed_share("current") == 0


def test_recovery_flags_cross_subsidy_as_in_seed_003():
    rows = {row.process: row for row in recovery_by_process(
        {"leverantorsreskontra": D(120), "kundreskontra": D(80), "hyresadministration": D(90), "lon": D(100)},
        {"leverantorsreskontra": D(100), "kundreskontra": D(100), "hyresadministration": D(100), "lon": D(100)})}
    assert rows["leverantorsreskontra"].flag == "over"
    assert rows["kundreskontra"].flag == "under" and rows["hyresadministration"].flag == "under"
    assert rows["lon"].flag == "balanced"


def test_stockholm_revenue_tables_with_the_seeds_own_rounding():
    """Seed 003, Mkr 2020. The seed prints 63.3 % for 50.4 / 79.3; it is 63.6 %."""
    ekonomi = {"per unit/hour": D("50.4"), "fixed keyed": D("21.3"), "add-ons": D("7.6")}
    assert sum(ekonomi.values()) == D("79.3")
    assert round(ekonomi["per unit/hour"] / D("79.3") * 100, 1) == D("63.6")
    # Lön: the printed shares 97.47 % / 2.53 % are taken against 51.4, not the 52.6 the rows sum to.
    lon = {"base service": D("34.7"), "extra handling": D("16.6"), "add-ons": D("1.3")}
    assert sum(lon.values()) == D("52.6")
    assert round((D("51.4") - D("1.3")) / D("51.4") * 100, 2) == D("97.47")
    # Kontaktcenter: keyed rows sum to 19.1 though the seed prints 19.0; shares as printed.
    kc = {"keyed": D("19.0"), "per unit": D("11.8"), "add-ons": D("21.4")}
    total = sum(kc.values())
    assert [round(v / total * 100, 2) for v in kc.values()] == [D("36.40"), D("22.61"), D("41.00")]
    # The printed 36.47 / 22.59 / 40.94 % follow from unrounded amounts, e.g. 19.05 / 11.80 / 21.385 Mkr
    # (our inference: the rounded rows give 36.40 / 22.61 / 41.00 as computed above).
    unrounded = (D("19.05"), D("11.80"), D("21.385"))
    assert [round(v / sum(unrounded) * 100, 2) for v in unrounded] == [D("36.47"), D("22.59"), D("40.94")]
