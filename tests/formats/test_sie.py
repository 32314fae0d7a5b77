from datetime import date
from decimal import Decimal

from servicecenter.formats.sie import read_sie, write_sie

GOOD = """#FLAGGA 0
#PROGRAM "Testbok" 1.0
#FORMAT PC8
#GEN 20260105
#SIETYP 4
#FNAMN "Statens servicecenter (demo)"
#ORGNR 202100-6255
#RAR 0 20250101 20251231
#KONTO 1930 "Bank"
#KONTO 5010 "Lokalhyra"
#KONTO 7010 "Löner"
#DIM 1 "Kostnadsställe"
#OBJEKT 1 "100" "Lön"
#OBJEKT 1 "200" "Gemensamt IT"
#IB 0 1930 1000000.00
#RES 0 5010 150000.00
#PSALDO 0 202501 5010 {1 "200"} 12500.00
#VER A 1 20250131 "Hyra januari"
{
   #TRANS 5010 {1 "200"} 12500.00 20250131 "Hyra"
   #TRANS 1930 {} -12500.00
}
#VER A 2 20250225 "Löner \\"februari\\""
{
   #TRANS 7010 {1 "100"} 80000.50
   #RTRANS 7010 {1 "100"} 1.00
   #TRANS 7010 {1 "200"} 19999.50
   #BTRANS 7010 {1 "200"} 1.00
   #TRANS 1930 {} -100000.00
}
"""


def parse(text: str):
    return read_sie(text.encode("cp437"), "bok.se")


def test_reads_a_conforming_file():
    ledger, problems = parse(GOOD)
    assert problems == []
    assert ledger.company == "Statens servicecenter (demo)" and ledger.year_start == date(2025, 1, 1)
    assert ledger.accounts["7010"] == "Löner"
    assert ledger.objects[("1", "200")] == "Gemensamt IT"
    assert len(ledger.vouchers) == 2 and ledger.vouchers[1].text == 'Löner "februari"'
    assert len(ledger.transactions) == 5
    assert ledger.opening["1930"] == Decimal("1000000.00")
    assert ledger.period_balances[("202501", "5010", (("1", "200"),))] == Decimal("12500.00")
    costs = ledger.cost_by_account_object_period()
    assert costs[("7010", "100", "2025-02")] == Decimal("80000.50")
    assert costs[("5010", "200", "2025-01")] == Decimal("12500.00")
    assert sum(costs.values()) == 0


def test_round_trip_through_the_writer():
    ledger, _ = parse(GOOD)
    again, problems = read_sie(write_sie(ledger, date(2026, 1, 5)), "again.se")
    assert problems == []
    assert again.cost_by_account_object_period() == ledger.cost_by_account_object_period()
    assert again.accounts == ledger.accounts and again.objects == ledger.objects


def codes_and_rows(text: str):
    ledger, problems = parse(text)
    assert ledger is None
    return [(p.code, p.row) for p in problems]


def test_broken_lines_are_named_by_line():
    broken = GOOD.replace('#TRANS 5010 {1 "200"} 12500.00 20250131 "Hyra"', '#TRANS 5010 {1 "200"} 12 500,00 20250131 "Hyra')
    assert ("sie.quote", 20) in codes_and_rows(broken)
    bad_amount = GOOD.replace('#TRANS 1930 {} -12500.00', '#TRANS 1930 {} minus')
    assert ("sie.amount", 21) in codes_and_rows(bad_amount)
    bad_date = GOOD.replace("#VER A 1 20250131", "#VER A 1 20251331")
    assert ("sie.date", 18) in codes_and_rows(bad_date)


def test_unknown_account_and_object():
    text = GOOD.replace('#TRANS 5010 {1 "200"} 12500.00', '#TRANS 5011 {1 "999"} 12500.00')
    found = codes_and_rows(text)
    assert ("sie.unknown_account", 20) in found and ("sie.unknown_object", 20) in found


def test_unbalanced_voucher_names_its_first_line():
    text = GOOD.replace("#TRANS 1930 {} -12500.00", "#TRANS 1930 {} -12400.00")
    ledger, problems = parse(text)
    assert [(p.code, p.row, p.params["sum"]) for p in problems] == [("sie.unbalanced", 18, "100.00")]


def test_wrong_encoding_is_refused_with_the_line():
    ledger, problems = read_sie(GOOD.encode("utf-8"), "utf8.se")
    assert ledger is None and [(p.code, p.row) for p in problems] == [("sie.encoding", 11)]  # "Löner" is the first non-ASCII line


def test_structure_errors():
    assert ("sie.trans_outside", 2) in codes_and_rows('#FLAGGA 0\n#TRANS 1930 {} 1.00\n')
    unclosed = GOOD.rstrip().rsplit("}", 1)[0]
    assert ("sie.voucher_unclosed", 23) in codes_and_rows(unclosed)
    assert ("sie.no_flag", 1) in codes_and_rows(GOOD.replace("#FLAGGA 0\n", ""))
    assert [p.code for p in read_sie(b"", "empty.se")[1]] == ["file.empty"]
    assert [p.code for p in read_sie(b"\x00\x01junk", "junk.se")[1]] == ["sie.binary"]
