from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicecenter.core.money import (
    format_number,
    format_sek,
    round_ore,
    round_to,
    split_largest_remainder,
    to_decimal,
)


def test_round_ore_is_half_up():
    assert round_ore(Decimal("0.005")) == Decimal("0.01")
    assert round_ore(Decimal("2.345")) == Decimal("2.35")
    assert round_ore(Decimal("-2.345")) == Decimal("-2.35")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        to_decimal(0.1)
    assert to_decimal("53.50") == Decimal("53.50")


def test_round_to_thousands_as_in_tkr_tables():
    assert round_to(Decimal("27615499"), Decimal("1000")) == Decimal("27615000")
    assert round_to(Decimal("27615500"), Decimal("1000")) == Decimal("27616000")


def test_split_gives_remainders_to_largest_fractions():
    parts = split_largest_remainder(Decimal("100.00"), {"a": 1, "b": 1, "c": 1})
    assert parts == {"a": Decimal("33.34"), "b": Decimal("33.33"), "c": Decimal("33.33")}


def test_split_refuses_zero_key():
    with pytest.raises(ValueError, match="sum to zero"):
        split_largest_remainder(Decimal("10"), {"a": 0, "b": 0})


@given(
    total=st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30).filter(lambda w: sum(w) > 0),
)
def test_split_always_adds_up_to_the_whole(total, weights):
    parts = split_largest_remainder(total, dict(enumerate(weights)))
    assert sum(parts.values()) == round_ore(total)
    for key, weight in enumerate(weights):
        if weight == 0:
            assert parts[key] == 0
        exact = total * weight / sum(weights)
        assert abs(parts[key] - exact) < Decimal("0.01")


def test_swedish_formats():
    assert format_number(118470) == "118\u202f470"
    assert format_number(Decimal("1620.2"), 1) == "1\u202f620,2"
    assert format_sek(Decimal("53.5")) == "53,50 kr"
    assert format_number(Decimal("-77941")) == "\u221277\u202f941"


def test_money_is_rounded_only_in_core_money():
    """#13: every rounding and every float-to-Decimal conversion goes through core.money, so the
    rule stated there (half up, at named boundaries) is the only rule. A ``quantize(`` or a
    ``Decimal(str(x))`` / ``Decimal(repr(x))`` / ``Decimal(float)`` anywhere else in src/ fails."""
    import re
    from pathlib import Path

    import servicecenter

    root = Path(servicecenter.__file__).parent
    pattern = re.compile(r"\.quantize\(|Decimal\((str|repr|float)\(|\bD\((str|repr)\(|Decimal\(round\(")
    offenders = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "money.py" and path.parent.name == "core" or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_rounding_helpers_round_half_up():
    from servicecenter.core.money import from_float, in_millions, in_thousands, round_places

    assert round_places(Decimal("2.5"), 0) == 3 and round_places(Decimal("-2.5"), 0) == -3
    assert round_places(Decimal("0.0005"), 3) == Decimal("0.001")
    assert in_thousands(Decimal("1500")) == 2 and in_thousands(Decimal("2500")) == 3
    assert in_millions(Decimal("1250000"), 1) == Decimal("1.3")
    assert from_float(0.1 + 0.2) == Decimal("0.30000000000000004") and from_float(0.1 + 0.2, 2) == Decimal("0.30")
    with pytest.raises(ValueError):
        from_float(float("nan"))
