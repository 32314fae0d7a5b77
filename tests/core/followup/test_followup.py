"""The fee-financed result, the appropriation account and cost per FTE, with seed 000's figures."""

from decimal import Decimal

from servicecenter.core.followup import (
    COST_KINDS,
    ActivityYear,
    AppropriationYear,
    Section,
    accumulated,
    balance_path,
    by_kind,
    fee_table,
    in_millions,
    in_thousands,
    operating_cost_per_fte,
)

D = Decimal
M = D(1_000_000)


def row(code, section, before, prior, b_rev, rev, b_cost, cost):
    return ActivityYear(code, code, section, 2025, *(D(str(v)) * M for v in (before, prior, b_rev, rev, b_cost, cost)))


def test_tabell_6_rows_and_sums_as_printed():
    adm = row("adm", Section.DISPOSED, "-129.3", "29.0", "611.0", "617.3", "587.5", "596.7")
    assert in_millions(adm.budget_result) == D("23.5") and in_millions(adm.result) == D("20.6")
    assert in_millions(adm.closing) == D("-79.7")     # −129.3 + 29.0 + 20.6
    id_cards = row("id", Section.ESTIMATED, 0, 0, "29.2", "27.2", "29.2", "27.2")
    migration = row("mig", Section.ESTIMATED, 0, "-2.7", "7.5", "15.2", "7.5", "15.4")
    table = fee_table([migration, adm, id_cards])
    assert [t.section for t in table] == [Section.DISPOSED, Section.ESTIMATED]
    estimated = [in_millions(v) for v in table[1].figures()]
    assert estimated == [D(0), D("-2.7"), D("36.7"), D("42.4"), D("36.7"), D("42.6"), D(0), D("-0.2"), D("-2.9")]


def test_accumulated_from_an_opening_balance():
    results = {2023: D(-3_691_000), 2024: D(29_035_000)}
    assert in_thousands(accumulated(D(-125_656_000), 2023, results, 2024)) == D(-100_312)


def test_balance_path_reaches_zero_by_the_goal_year():
    path = balance_path(D("-79.7") * M, 2025, 2030)
    assert [p.year for p in path] == [2026, 2027, 2028, 2029, 2030]
    assert path[0].required == D("15.94") * M and path[-1].closing == 0
    better = balance_path(D("-79.7") * M, 2025, 2030, {2026: D(40) * M})
    assert better[1].required == (D("39.7") * M) / 4 and better[-1].closing == 0
    assert balance_path(D(5) * M, 2025, 2026)[0].required == 0


def test_tabell_25_appropriation_account():
    account = AppropriationYear("1:15 ap.2", "Lokal statlig service", 2025, opening=D(67_485_000), allocation=D(937_147_000),
                                withdrawal=D(20_140_000), expenditure=D(896_280_000))
    assert in_thousands(account.available) == D(984_492)
    assert in_thousands(account.closing) == D(88_212)
    assert in_thousands(account.credit) == D(28_114)      # 3 % of 937,147 tkr
    assert account.within_credit and account.credit_used == 0


def test_operating_cost_per_fte_tabell_21():
    assert round(operating_cost_per_fte(D("1020533"), D("215136"), D("292188"), D(1300))) == 1175
    # 2024 and 2023 from Tabell 3 (mnkr) and Tabell 14's FTE.
    assert round(operating_cost_per_fte(D("1026.5"), D("215.7"), D("270.4"), D("1.335"))) == 1133
    assert round(operating_cost_per_fte(D("1025.6"), D("197.0"), D("288.6"), D("1.437"))) == 1052
    # Tabell 21 prints 1,355 FTE for 2024 where Tabell 14 prints 1,335: only 1,335 gives the printed 1,133.
    assert round(operating_cost_per_fte(D("1026.5"), D("215.7"), D("270.4"), D("1.355"))) == 1116
    assert operating_cost_per_fte(D(1), D(1), D(1), D(0)) is None


def test_ledger_by_cost_kind():
    kinds = by_kind([("4011", D(10)), ("4511", D(5)), ("5011", D(3)), ("5411", D(2)), ("8411", D(1)), ("1930", D(99))], COST_KINDS)
    assert kinds == {"personnel": D(15), "premises": D(3), "other_operating": D(2), "depreciation": D(0), "financial": D(1)}
