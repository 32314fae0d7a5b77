"""Write tables to Excel (.xlsx) the way controllers expect: typed cells, a bold frozen
header, sensible widths, Swedish number formats, and a notice row when the data is illustrative."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


def write_workbook(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[object]]]], notice: str | None = None) -> bytes:
    """``sheets`` is a list of (title, headers, rows). Decimals stay exact (written as numbers
    with two decimals' display); dates are real dates. Returns the file's bytes."""
    book = Workbook(write_only=False)
    book.remove(book.active)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title=_sheet_title(title))
        offset = 0
        if notice:
            sheet.append([notice])
            sheet.cell(row=1, column=1).font = Font(italic=True, color="9C2A00")
            offset = 1
        sheet.append(list(headers))
        for cell in sheet[offset + 1]:
            cell.font = Font(bold=True)
        widths = [len(str(header)) for header in headers]
        for row in rows:
            values = [_cell(value) for value in row]
            sheet.append(values)
            for index, value in enumerate(values[: len(widths)]):
                widths[index] = max(widths[index], min(60, len(str(value)) if value is not None else 0))
            for index, value in enumerate(row):
                if isinstance(value, Decimal):
                    sheet.cell(row=sheet.max_row, column=index + 1).number_format = "#,##0.00"
                elif isinstance(value, date):
                    sheet.cell(row=sheet.max_row, column=index + 1).number_format = "yyyy-mm-dd"
        sheet.freeze_panes = sheet.cell(row=offset + 2, column=1)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(8, width + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: object) -> object:
    if value is None or isinstance(value, (int, float, Decimal, date, datetime)):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value
    if isinstance(value, bool):
        return value
    return str(value)


def _sheet_title(title: str) -> str:
    cleaned = "".join(char for char in title if char not in "[]:*?/\\")
    return cleaned[:31] or "Blad1"
