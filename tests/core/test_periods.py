from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicecenter.core.periods import Period


def test_month_is_half_open():
    march = Period.month(2025, 3)
    assert march.start == date(2025, 3, 1) and march.end == date(2025, 4, 1)
    assert march.last_day == date(2025, 3, 31)
    assert march.contains(date(2025, 3, 31)) and not march.contains(date(2025, 4, 1))
    assert Period.month(2025, 12).end == date(2026, 1, 1)


def test_parse_month_and_errors():
    assert Period.parse_month("2025-02") == Period.month(2025, 2)
    assert Period.parse_month("2025-02-01") == Period.month(2025, 2)
    for text in ("2025-13", "2025/02", "feb", "2025-02-15"):
        with pytest.raises(ValueError):
            Period.parse_month(text)


def test_year_splits_into_twelve_months_and_labels():
    months = Period.year(2024).months()
    assert len(months) == 12 and months[1].days == 29
    assert Period.year(2024).label() == "2024" and months[0].label() == "2024-01"
    assert Period.quarter(2025, 4).months()[-1] == Period.month(2025, 12)


def test_empty_period_is_refused():
    with pytest.raises(ValueError):
        Period(date(2025, 1, 1), date(2025, 1, 1))


@given(st.integers(1990, 2100), st.integers(1, 12))
def test_months_tile_the_year(year, month):
    period = Period.month(year, month)
    following = Period.month(year + (month == 12), month % 12 + 1)
    assert period.end == following.start and not period.overlaps(following)
