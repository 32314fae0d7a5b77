"""#17: every Excel file the site hands out, read back with openpyxl as Power Query or a
controller's filter would read it: the headers in row 1 with an autofilter over them, dates and
months as dates (never text), no number carrying more decimals than its column shows, and the
notice of illustrative data in the document's properties instead of above the headers.

The files are the ones of the time-budget walk (every download the site has), built in the
request rather than in a background job."""

import io
import re
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from servicecenter.ui import deferral
from tests.apps.test_time_budget import _cases, walk  # noqa: F401 - walk is the fixture the cases need

DATE_TEXT = re.compile(r"\d{4}-\d{2}(-\d{2})?")


def shown_decimals(number_format: str) -> int:
    """How many decimals a cell's number format shows (a % format shows two more of the share)."""
    found = re.search(r"\.(0+)", number_format)
    decimals = len(found.group(1)) if found else 0
    return decimals + (2 if "%" in number_format else 0)


def value_decimals(value) -> int:
    text = repr(float(value)) if isinstance(value, float) else str(value)
    if "e" in text.lower():
        return 99
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def problems_of(data: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(data))
    found = []
    for sheet in book.worksheets:
        if sheet.max_row == 1 and sheet.max_column == 1 and book.properties.description == sheet["A1"].value:
            continue   # the notice sheet: the notice, and nothing else
        headers = [cell.value for cell in sheet[1]][: sheet.max_column]
        if len(headers) < sheet.max_column or not all(isinstance(header, str) and header.strip() for header in headers):
            found.append(f"{sheet.title}: row 1 is not a header for every column: {headers[:4]}")
        if not (sheet.auto_filter.ref or "").startswith("A1:"):
            found.append(f"{sheet.title}: no autofilter over the headers")
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                value = cell.value
                if isinstance(value, str) and DATE_TEXT.fullmatch(value):
                    found.append(f"{sheet.title}!{cell.coordinate}: date as text {value!r}")
                elif isinstance(value, (int, float)) and not isinstance(value, bool) and not isinstance(value, (date, datetime)):
                    if value_decimals(value) > shown_decimals(cell.number_format):
                        found.append(f"{sheet.title}!{cell.coordinate}: {value!r} has more decimals than {cell.number_format!r} shows")
    return found


def test_every_excel_export_reads_as_a_table(walk, client_for, monkeypatch):  # noqa: F811
    monkeypatch.setattr(deferral, "_deferrer", None)   # built here, in the request
    checked = 0
    for name, user, method, path, _data, _note in _cases(walk):
        if method != "get" or "xlsx" not in path:
            continue
        response = client_for(user).get(path)
        assert response.status_code == 200, (name, path, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body[:2] == b"PK", (name, path)
        assert problems_of(body) == [], (name, path)
        checked += 1
    assert checked >= 12


def test_the_demo_notice_is_in_the_properties_and_a_sheet_of_its_own(client_for, db):
    body = client_for("controller").get("/customers/?format=xlsx").content
    book = load_workbook(io.BytesIO(body))
    assert "illustr" in (book.properties.description or "").lower()
    first = book.worksheets[0]
    assert first["A1"].value and "illustr" not in str(first["A1"].value).lower()
    assert book.worksheets[-1]["A1"].value == book.properties.description


@pytest.mark.parametrize("share, shown", [(0.127, "12.7%"), (1, "100.0%")])
def test_percentages_are_shares_with_a_percent_format(share, shown):
    from servicecenter.formats.spreadsheet import Percent, write_workbook

    book = load_workbook(io.BytesIO(write_workbook([("T", ["Andel", "Antal", "Månad"], [(Percent(share), 3, date(2025, 3, 1))])])))
    cell, count, month = book.active["A2"], book.active["B2"], book.active["C2"]
    assert cell.value == pytest.approx(share) and cell.number_format == "0.0%"
    assert count.value == 3 and count.number_format == "#,##0"
    assert isinstance(month.value, datetime) and month.number_format == "yyyy-mm-dd"


def test_the_check_finds_what_it_looks_for():
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Demodata: illustrativa"])
    sheet.append(["Period", "Värde"])
    sheet.append(["2025-03", 544.6287057622143])
    buffer = io.BytesIO()
    book.save(buffer)
    found = problems_of(buffer.getvalue())
    assert any("row 1" in text for text in found) and any("autofilter" in text for text in found)
    assert any("date as text" in text for text in found) and any("more decimals" in text for text in found)
