"""The tables of docs/algorithms/allocation.md, recomputed."""

import re
from decimal import Decimal
from pathlib import Path

from servicecenter.core.costing import allocate_direct, allocate_reciprocal, allocate_step_down
from servicecenter.core.money import ZERO
from tests.doc_tables import doc_table

DOC = Path(__file__).resolve().parents[3] / "docs" / "algorithms" / "allocation.md"


def table(name: str) -> list[dict[str, str]]:
    return doc_table("allocation.md", name)


def test_lantmateriet_pools_add_up_to_the_printed_key_totals():
    pools = table("lantmateriet-pools")
    assert len(pools) == 15
    printed = {row["key"]: Decimal(row["cost tkr"]) for row in table("lantmateriet-keys")}
    for key in ("turnover", "employees", "vasen_employees"):
        assert sum((Decimal(p["cost tkr"]) for p in pools if p["key"] == key), ZERO) == printed[key]
    assert sum((Decimal(p["cost tkr"]) for p in pools), ZERO) == printed["all"]


def test_lantmateriet_division_charges():
    pools = table("lantmateriet-pools")
    divisions = table("lantmateriet-divisions")
    charges = {row["division"]: ZERO for row in divisions}
    for pool in pools:
        key = {row["division"]: Decimal(row[pool["key"]]) for row in divisions}
        parts = allocate_direct(Decimal(pool["cost tkr"]), key, label=pool["service"])
        assert sum(parts.values(), ZERO) == Decimal(pool["cost tkr"])
        for division, part in parts.items():
            charges[division] += part
    # whole tkr per pool: the doc rounds each pool's parts to whole tkr by largest remainder
    whole = {row["division"]: ZERO for row in divisions}
    for pool in pools:
        key = {row["division"]: Decimal(row[pool["key"]]) for row in divisions}
        from servicecenter.core.money import split_largest_remainder

        for division, part in split_largest_remainder(Decimal(pool["cost tkr"]), key, step=Decimal(1)).items():
            whole[division] += part
    assert {row["division"]: Decimal(row["charge tkr"]) for row in divisions} == whole
    assert sum(whole.values(), ZERO) == Decimal(172900)
    assert all(abs(charges[d] - whole[d]) <= 15 for d in whole)  # öre split vs whole-tkr split


def test_reciprocal_and_step_down_example():
    rows = table("reciprocal-input")
    direct = {row["department"]: Decimal(row["direct cost"]) for row in rows}
    shares = {"IT": {}, "HR": {}}
    for row in rows:
        for support in ("IT", "HR"):
            if row[f"{support} share"]:
                shares[support][row["department"]] = Decimal(row[f"{support} share"])
    expected = {row["department"]: row for row in table("reciprocal-output")}
    reciprocal = allocate_reciprocal(direct, shares)
    step_down = allocate_step_down(direct, shares, order=["IT", "HR"])
    for department in ("Lön", "Ekonomi"):
        assert reciprocal.production_costs[department] == Decimal(expected[department]["reciprocal"])
        assert step_down.production_costs[department] == Decimal(expected[department]["step-down (IT, HR)"])
    assert reciprocal.total == Decimal(expected["total"]["reciprocal"]) == step_down.total
    assert re.search(r"107142\.86", DOC.read_text()) and reciprocal.support_costs["IT"] == Decimal("107142.86")
