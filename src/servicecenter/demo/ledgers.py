"""The demo's ledgers 2023–2025 for Statens servicecenter, by cost kind (Tabell 3), revenue kind
(Tabell 2) and activity (SIE dimension 6: the fee-financed activities of Tabell 6, the rest of
administrative services and of the local state service).

Amounts are in tkr and chosen so that every published figure of seed 000 is reproduced when
rounded as the annual report rounds it: Tabell 1–6, Tabell 21 (fee revenue, the year's result,
operating cost per FTE) and Tabell 25. How costs spread over accounts, cost centres and months
is illustrative. Where the seed's own tables disagree, the comment says which one we follow.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from servicecenter.core.money import split_largest_remainder
from servicecenter.formats.sie import Ledger, Transaction, Voucher

TKR = Decimal(1000)

ACCOUNTS = {
    "4011": "Löner", "4511": "Arbetsgivaravgifter", "5011": "Lokalhyror", "5411": "Datatjänster", "5511": "Konsulttjänster",
    "5611": "Resor, material och övrigt", "7811": "Avskrivningar och nedskrivningar", "8411": "Räntekostnader",
    "3011": "Avgifter, administrativa tjänster", "3012": "Övriga avgifter, administrativa tjänster", "3013": "Övriga avgifter, lokal statlig service",
    "3021": "Ersättning från AP-fonderna", "3022": "Ersättning från premiepensionssystemet", "3031": "Verksamhetsstöd id-kort (Skatteverket)",
    "3041": "Allmän service (Migrationsverket)", "3511": "Bidrag, administrativa tjänster", "3512": "Bidrag, lokal statlig service",
    "3711": "Intäkter av anslag", "3712": "Intäkter av anslag, ap.5 Lokalisering Kiruna", "1930": "Statsverkets checkräkning",
}
ACTIVITIES = {
    "ADM": "Tillhandahållande av tjänster avseende administrativt stöd åt myndigheter",
    "ADM-OVR": "Administrativa tjänster, bidrag och övrigt",
    "AP": "Administration av ålderspension, AP-fonderna",
    "PP": "Administration av ålderspension, premiepensionssystemet",
    "ID": "Verksamhetsstöd id-kort (Skatteverket)",
    "MIG": "Allmän service (Migrationsverket)",
    "LSS-OVR": "Lokal statlig service, övrigt",
    "LSS": "Lokal statlig service (anslag)",
}
ADMINISTRATIVE = ("ADM", "ADM-OVR")

# Tabell 3 by account, tkr. 2025 uses the exact tkr of the operating cost per FTE (DOMAIN §7:
# personnel 1,020,533, premises 215,136, other operating 292,188); the rows then sum to 1,599,957,
# printed 1,600.0 like Tabell 1 and 3.
COSTS = {
    2025: {"4011": 714_373, "4511": 306_160, "5011": 215_136, "5411": 146_100, "5511": 87_660, "5611": 58_428, "8411": 5_100, "7811": 67_000},
    2024: {"4011": 718_550, "4511": 307_950, "5011": 215_700, "5411": 135_200, "5511": 81_120, "5611": 54_080, "8411": 10_600, "7811": 58_000},
    2023: {"4011": 717_700, "4511": 307_900, "5011": 197_000, "5411": 144_300, "5511": 86_580, "5611": 57_720, "8411": 10_500, "7811": 56_600},
}
# Full cost per activity, tkr. Administrative services (ADM + ADM-OVR) = Tabell 4's cost; the rest
# = Tabell 5's. ADM is Tabell 6's fee-financed activity; ADM-OVR the grant-financed remainder that
# Tabell 4 includes and Tabell 6 does not (618.2 − 617.3 and 597.6 − 596.7).
ACTIVITY_COSTS = {
    2025: {"ADM": 596_740, "ADM-OVR": 890, "AP": 48_100, "PP": 7_540, "ID": 27_200, "MIG": 15_400, "LSS-OVR": 7_987, "LSS": 896_100},
    2024: {"ADM": 574_765, "ADM-OVR": 3_300, "AP": 44_000, "PP": 7_000, "ID": 28_000, "MIG": 7_700, "LSS-OVR": 17_335, "LSS": 899_100},
    2023: {"ADM": 580_891, "ADM-OVR": 4_200, "AP": 40_000, "PP": 6_500, "ID": 25_000, "MIG": 3_000, "LSS-OVR": 7_009, "LSS": 911_700},
}
# Revenue per (account, activity), tkr.
REVENUES = {
    2025: {("3011", "ADM"): 617_330, ("3012", "ADM-OVR"): 50, ("3511", "ADM-OVR"): 820, ("3711", "LSS"): 896_100, ("3021", "AP"): 47_800,
           ("3022", "PP"): 7_460, ("3031", "ID"): 27_200, ("3041", "MIG"): 15_200, ("3013", "LSS-OVR"): 4_669, ("3512", "LSS-OVR"): 3_548},
    # Tabell 4, 2024, prints fees 603.8 and other 4.3 but their sum as 607.1; the sum and the result
    # (29.0, Tabell 1 and 21) agree with each other, so the demo books other revenue 3.3.
    # Tabell 2 and 21 for 2023 and 2024 are matched too: appropriation incl. the Kiruna item (ap.5,
    # gone from 2025) 915.2 and 905.3, fees 658,188 and 700,824 tkr, grants 1.2 and 4.1.
    2024: {("3011", "ADM"): 603_800, ("3511", "ADM-OVR"): 3_300, ("3711", "LSS"): 901_800, ("3021", "AP"): 44_000, ("3022", "PP"): 7_000,
           ("3031", "ID"): 28_000, ("3041", "MIG"): 5_000, ("3013", "LSS-OVR"): 13_024, ("3512", "LSS-OVR"): 800, ("3712", "LSS-OVR"): 3_511},
    2023: {("3011", "ADM"): 577_200, ("3712", "ADM-OVR"): 3_500, ("3511", "ADM-OVR"): 700, ("3711", "LSS"): 911_700, ("3021", "AP"): 40_000,
           ("3022", "PP"): 6_500, ("3031", "ID"): 25_000, ("3041", "MIG"): 3_000, ("3013", "LSS-OVR"): 6_488, ("3512", "LSS-OVR"): 521},
}


def split_matrix(rows: Mapping, columns: Mapping[str, Decimal]) -> dict[tuple, Decimal]:
    """Amounts per (row, column) whose row sums are ``rows`` and column sums ``columns`` exactly
    (whole kronor): each column but the largest takes its share of every row, the largest the rest."""
    grand = sum(rows.values(), Decimal(0))
    assert grand == sum(columns.values(), Decimal(0)), (grand, sum(columns.values()))
    largest = max(columns, key=lambda c: columns[c])
    cells: dict[tuple, Decimal] = {}
    taken = {row: Decimal(0) for row in rows}
    for column, total in columns.items():
        if column == largest or total == 0:
            continue
        parts = split_largest_remainder(total, {row: amount for row, amount in rows.items() if amount}, step=Decimal(1))
        for row, amount in parts.items():
            cells[(row, column)] = amount
            taken[row] += amount
    for row, amount in rows.items():
        rest = amount - taken[row]
        assert rest >= 0, (row, rest)
        cells[(row, largest)] = rest
    return cells


def activity_costs(year: int, admin_cost: Decimal | None = None) -> dict[str, Decimal]:
    costs = {code: Decimal(v) * TKR for code, v in ACTIVITY_COSTS[year].items()}
    assert sum(costs.values()) == sum(Decimal(v) for v in COSTS[year].values()) * TKR
    if admin_cost is not None:
        assert costs["ADM"] + costs["ADM-OVR"] == admin_cost, (costs["ADM"] + costs["ADM-OVR"], admin_cost)
    return costs


def add_revenue(ledger: Ledger, year: int, centre_of: Mapping[str, str] | None = None) -> None:
    """Twelve monthly vouchers per revenue account and activity (credit revenue, debit 1930)."""
    for (account, activity), tkr in sorted(REVENUES[year].items()):
        months = split_largest_remainder(Decimal(tkr) * TKR, {m: 1 for m in range(1, 13)}, step=Decimal(1))
        objects = ((("1", centre_of[activity]),) if centre_of else ()) + (("6", activity),)
        for month, amount in months.items():
            day = date(year, month, 28)
            ledger.vouchers.append(Voucher("B", str(len(ledger.vouchers) + 1), day, f"{ACCOUNTS[account]} {day:%Y-%m}", 0))
            ledger.transactions.append(Transaction(len(ledger.vouchers) - 1, 0, account, objects, -amount, None, ""))
            ledger.transactions.append(Transaction(len(ledger.vouchers) - 1, 0, "1930", (), amount, None, ""))


def post(ledger: Ledger, year: int, cells: Mapping[tuple[str, str, str], Decimal], names: Mapping[str, str]) -> None:
    """Cost cells (account, cost centre or "", activity) → twelve monthly vouchers each."""
    for (account, centre, activity), yearly in sorted(cells.items()):
        if not yearly:
            continue
        objects = ((("1", centre),) if centre else ()) + (("6", activity),)
        for month, amount in split_largest_remainder(yearly, {m: 1 for m in range(1, 13)}).items():
            day = date(year, month, 25)
            where = names.get(centre, activity)
            ledger.vouchers.append(Voucher("A", str(len(ledger.vouchers) + 1), day, f"{ACCOUNTS[account]} {where} {day:%Y-%m}", 0))
            ledger.transactions.append(Transaction(len(ledger.vouchers) - 1, 0, account, objects, amount, None, ""))
            ledger.transactions.append(Transaction(len(ledger.vouchers) - 1, 0, "1930", (), -amount, None, ""))


def history_ledger(year: int) -> Ledger:
    """2023 and 2024: by account and activity only (the cost model starts in 2025)."""
    ledger = Ledger(source="demo", company="Statens servicecenter (demo)", org_number="202100-6255", year_start=date(year, 1, 1), year_end=date(year, 12, 31))
    ledger.accounts = dict(ACCOUNTS)
    ledger.dimensions = {"6": "Verksamhet"}
    ledger.objects = {("6", code): name for code, name in ACTIVITIES.items()}
    rows = {account: Decimal(tkr) * TKR for account, tkr in COSTS[year].items()}
    cells = split_matrix(rows, activity_costs(year))
    post(ledger, year, {(account, "", activity): amount for (account, activity), amount in cells.items()}, {})
    add_revenue(ledger, year)
    return ledger
