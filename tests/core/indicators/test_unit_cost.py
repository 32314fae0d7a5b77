"""The four drivers of a change in cost per unit always add up to the change, to the last digit."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from servicecenter.core.indicators.evaluate import unit_cost_change

amounts = st.decimals(min_value=Decimal("1000"), max_value=Decimal("1e9"), places=2)
units = st.decimals(min_value=Decimal("1"), max_value=Decimal("1e6"), places=0)
index = st.decimals(min_value=Decimal("90"), max_value=Decimal("130"), places=1)


@settings(max_examples=300, deadline=None)
@given(amounts, units, amounts, units, index, index, st.decimals(min_value=0, max_value=Decimal("1e7"), places=2),
       st.decimals(min_value=0, max_value=Decimal("1e7"), places=2))
def test_the_drivers_add_up_to_the_change(cost_before, units_before, cost_after, units_after, index_before, index_after, content, security):
    change = unit_cost_change(cost_before, units_before, cost_after, units_after, index_before, index_after, content, security)
    assert change is not None
    assert change.volume + change.input_prices + change.content + change.security == change.change
