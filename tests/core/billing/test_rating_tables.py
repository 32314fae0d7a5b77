"""The worked tables of docs/algorithms/rating.md, recomputed through the product's rating
(`rate_month`): inputs from the table, amounts compared with the table's."""

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from servicecenter.core.billing import ChargeCategory, Terms, rate_month, rate_year
from servicecenter.core.periods import Period
from servicecenter.core.pricing import CustomerInput
from tests.doc_tables import doc_table

JANUARY = Period.month(2020, 1)


def table(name: str) -> list[dict[str, str]]:
    return doc_table("rating.md", name)


def test_unit_table():
    for row in table("unit"):
        terms = {row["service"]: Terms(row["service"], row["service"], unit_price=D(row["price"]))}
        [line] = rate_month(terms, {row["service"]: {"kund": CustomerInput(quantity=D(row["quantity"]))}}, JANUARY)
        assert (line.quantity, line.unit_price, line.amount) == (D(row["quantity"]), D(row["price"]), D(row["amount"])), row


def test_packages_table():
    rows = table("packages")
    terms = {"rekrytering": Terms("rekrytering", "Rekrytering", packages={r["package"]: D(r["price"]) for r in rows})}
    usage = {"rekrytering": {"kund": CustomerInput(packages={r["package"]: int(r["count"]) for r in rows})}}
    lines = {line.description.rsplit(" ", 1)[1]: line for line in rate_month(terms, usage, JANUARY)}
    assert {package: line.amount for package, line in lines.items()} == {r["package"]: D(r["amount"]) for r in rows}


def test_tiers_table():
    rows = table("tiers")
    terms = {"lev": Terms("lev", "Leverantörsfakturor", tiers=tuple((D(r["from"]), D(r["price"])) for r in rows))}
    total = sum((D(r["units in band"]) for r in rows), D(0))
    lines = rate_month(terms, {"lev": {"kund": CustomerInput(quantity=total)}}, JANUARY)
    assert [(line.quantity, line.unit_price, line.amount) for line in lines] == [(D(r["units in band"]), D(r["price"]), D(r["amount"])) for r in rows]


def test_keyed_table():
    rows = table("keyed")
    terms = {"kc": Terms("kc", "Kontaktcenter Stockholm Direkt", annual_pool=D("19000000.00"))}
    usage = {"kc": {r["customer"]: CustomerInput(key=D(r["employees"])) for r in rows}}
    lines = rate_month(terms, usage, JANUARY)
    assert {line.customer: line.amount for line in lines} == {r["customer"]: D(r["amount"]) for r in rows}
    year = [line for month in range(1, 13) for line in rate_month(terms, usage, Period.month(2020, month))]
    assert sum((line.amount for line in year), D(0)) == D("19000000.00")


def test_reimbursement_table():
    terms = {"upph": Terms("upph", "Upphandling", reimbursement=("staden", D("23000000.00")))}
    for row in table("reimbursement"):
        [line] = rate_month(terms, {}, Period.month(2020, int(row["month"])))
        assert (line.customer, line.amount, line.category) == ("staden", D(row["amount"]), ChargeCategory.FIXED), row


def test_base_fee_table():
    terms = {"lon": Terms("lon", "Lön", base_fixed=D("5000"), per_employee=D("12.50"))}
    for row in table("base-fee"):
        [line] = rate_month(terms, {"lon": {"kund": CustomerInput(employees=400)}}, Period.month(2012, int(row["month"])))
        assert line.amount == D(row["amount"]), row


def test_connection_table():
    terms = {"lon": Terms("lon", "Lön", connection_fee=D("100000.00"), connection_months=60)}
    for row in table("connection"):
        [line] = rate_month(terms, {"lon": {"kund": CustomerInput(connection_month=int(row["instalment"]))}}, JANUARY)
        assert (line.amount, line.category) == (D(row["amount"]), ChargeCategory.CONNECTION), row


def test_discount_table():
    rows = {r["line"]: r for r in table("discount")}
    terms = {"eko": Terms("eko", "Ekonomi, tillägg", unit_price=D(rows["usage"]["price"]), pass_through_markup=D("0.04"), discount_share=D("0.10"))}
    usage = {"eko": {"kund": CustomerInput(quantity=D(rows["usage"]["quantity"]), pass_through_cost=D("12500.00"), discount_eligible=True)}}
    lines = {line.category.value: line for line in rate_month(terms, usage, JANUARY)}
    assert {name: (line.quantity, line.unit_price, line.amount) for name, line in lines.items()} == {
        name: (D(r["quantity"]), D(r["price"]), D(r["amount"])) for name, r in rows.items()}

AMOUNTS = st.decimals(min_value=D("0.01"), max_value=D("99999999.99"), places=2)
KEYS = st.dictionaries(st.sampled_from(["a", "b", "c", "d", "e"]), st.integers(min_value=1, max_value=100_000), min_size=1)


@settings(max_examples=60, deadline=None)
@given(pool=AMOUNTS, reimbursement=AMOUNTS, base=AMOUNTS, keys=KEYS)
def test_annual_amounts_are_recovered_exactly_over_the_year(pool, reimbursement, base, keys):
    """A keyed pool, a reimbursement and a base fee each add up over the twelve invoices of the
    year to exactly their annual amount, whatever the keys."""
    terms = {"kc": Terms("kc", "Pool", annual_pool=pool), "up": Terms("up", "Ersättning", reimbursement=("staden", reimbursement)),
             "bas": Terms("bas", "Grundavgift", base_fixed=base)}
    usage = {month: {"kc": {c: CustomerInput(key=D(k)) for c, k in keys.items()}, "bas": {"a": CustomerInput(employees=10)}} for month in range(1, 13)}
    lines = rate_year(terms, usage, 2027)
    assert sum((line.amount for line in lines if line.service == "kc"), D(0)) == pool
    assert sum((line.amount for line in lines if line.service == "up"), D(0)) == reimbursement
    assert sum((line.amount for line in lines if line.service == "bas"), D(0)) == base
    assert {line.period_start.month for line in lines} == set(range(1, 13))
