import io
import os
from pathlib import Path

import pytest
from openpyxl import Workbook

from servicecenter.formats.tabular import Column, read_table
from servicecenter.formats.values import (
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    parse_month,
)

COLUMNS = (Column("org_number", True, ("organisationsnummer",)), Column("name", True, ("namn",)), Column("employees", False, ("anställda",)))


def rows_of(table):
    return list(table.rows())


def test_semicolon_csv_with_swedish_headings_and_bom():
    data = "\ufefforganisationsnummer;namn;anställda\n202100-6255;Statens servicecenter;1300\n".encode()
    table, problems = read_table(data, "kunder.csv", COLUMNS)
    assert problems == []
    assert rows_of(table) == [(2, {"org_number": "202100-6255", "name": "Statens servicecenter", "employees": "1300"})]


def test_latin1_file_is_read_as_windows_1252_with_a_warning():
    data = "org_number,name\n202100-6255,Länsstyrelsen i Västra Götaland\n".encode("latin-1")
    table, problems = read_table(data, "kunder.csv", COLUMNS)
    assert [p.code for p in problems] == ["file.encoding_fallback"]
    assert rows_of(table)[0][1]["name"] == "Länsstyrelsen i Västra Götaland"


def test_missing_and_duplicate_headers_are_errors_unknown_is_a_warning():
    table, problems = read_table(b"org_number,namn,name,extra\n1,2,3,4\n", "x.csv", COLUMNS)
    assert table is None
    codes = sorted(p.code for p in problems)
    assert codes == ["header.duplicate", "header.unknown"]
    table, problems = read_table(b"org_number\n1\n", "x.csv", COLUMNS)
    assert [(p.code, p.column) for p in problems] == [("header.missing", "name")]


def test_empty_binary_and_unknown_formats():
    assert [p.code for p in read_table(b"", "x.csv", COLUMNS)[1]] == ["file.empty"]
    assert [p.code for p in read_table(os.urandom(4096) + b"\x00", "x.csv", COLUMNS)[1]] == ["file.binary"]
    assert [p.code for p in read_table(b"a", "x.pdf", COLUMNS)[1]] == ["file.format"]
    assert [p.code for p in read_table(b"PK\x03\x04 not really", "x.xlsx", COLUMNS)[1]] == ["file.xlsx"]


def test_row_numbers_skip_blank_lines_but_keep_their_count():
    table, _ = read_table(b"org_number,name\n\n1,a\n,\n2,b\n", "x.csv", COLUMNS)
    assert [number for number, _ in table.rows()] == [3, 5]


def test_ragged_rows_are_reported():
    table, problems = read_table(b"org_number,name\n1,a,extra\n", "x.csv", COLUMNS)
    assert rows_of(table) == []
    assert [(p.code, p.row) for p in problems] == [("row.width", 2)]


def test_excel_file_with_typed_cells(tmp_path: Path):
    book = Workbook()
    sheet = book.active
    sheet.append(["organisationsnummer", "namn", "anställda"])
    sheet.append(["202100-6255", "SSC", 1300])
    buffer = io.BytesIO()
    book.save(buffer)
    table, problems = read_table(buffer.getvalue(), "kunder.xlsx", COLUMNS)
    assert problems == []
    assert rows_of(table) == [(2, {"org_number": "202100-6255", "name": "SSC", "employees": "1300"})]


def test_value_parsers_accept_swedish_forms():
    assert parse_decimal("1 234,50")[0] == parse_decimal("1234.50")[0]
    assert parse_decimal("-3")[1].code == "value.negative"
    assert parse_decimal("12abc")[1].code == "value.decimal"
    assert parse_decimal("NaN")[1].code == "value.decimal"
    assert parse_int("2,5")[1].code == "value.integer"
    assert parse_date("2025-02-30")[1].code == "value.date"
    assert parse_date("", required=False) == (None, None)
    assert parse_month("2025-13")[1].code == "value.month"
    assert parse_bool("Ja") == (True, None) and parse_bool("nej") == (False, None) and parse_bool("kanske")[1].code == "value.boolean"


@pytest.mark.parametrize("text, month", [
    ("2025-03", (2025, 3)), ("2025-3", (2025, 3)), ("2025/03", (2025, 3)), (" 2025-03 ", (2025, 3)),
    ("202503", (2025, 3)), ("2025M03", (2025, 3)), ("2025m12", (2025, 12)),
    ("2025-03-01", (2025, 3)), ("2025-03-31", (2025, 3)), ("20250331", (2025, 3)),
    ("mars 2025", (2025, 3)), ("Mars 2025", (2025, 3)), ("mar 2025", (2025, 3)), ("March 2025", (2025, 3)),
    ("maj 2025", (2025, 5)), ("okt. 2025", (2025, 10)), ("Oct 2025", (2025, 10)),
])
def test_a_month_is_read_as_files_write_it(text, month):
    period, problem = parse_month(text)
    assert problem is None and (period.start.year, period.start.month) == month


@pytest.mark.parametrize("text", ["2025-13", "202513", "2025-02-30", "20250230", "2025-0101", "2025.10", "2025.1", "2025", "1/2025",
                                  "mai 2025", "marsch 2025", "2025-03-01T10:00", "03-2025"])
def test_what_is_not_one_month_is_refused_not_guessed(text):
    """``2025.10`` is a number to Excel, read back as ``2025.1``; a time is not a month."""
    period, problem = parse_month(text)
    assert period is None and problem.code == "value.month"
