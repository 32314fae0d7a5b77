"""Write tables to Excel (.xlsx) and CSV the way controllers expect: typed cells, a bold frozen
header, sensible widths, Swedish number formats, and a notice row when the data is illustrative.

Every export goes through :func:`write_workbook` or :func:`write_csv`, which never let text run
as a formula (OWASP's rule for CSV injection): a text cell that begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is written as text in Excel (string type, quote prefix) and
prefixed with ``'`` in CSV. Numbers stay numbers; only text is escaped.
"""

from __future__ import annotations

import csv
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
            for index, value in enumerate(values):
                if isinstance(value, str) and is_formula_like(value):
                    cell = sheet.cell(row=sheet.max_row, column=index + 1)
                    cell.value, cell.data_type, cell.quotePrefix = value, "s", True
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


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet program could take ``text`` for a formula."""
    return text.startswith(FORMULA_STARTS)


def csv_text(text: str) -> str:
    """``text`` made safe for a CSV cell: a leading formula character gets a ``'`` before it."""
    return "'" + text if is_formula_like(text) else text


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[object]], notice: str | None = None, delimiter: str = ",") -> str:
    """A CSV text with a header row. Decimals and integers are written as numbers with a point,
    dates as ISO dates, text escaped by :func:`csv_text`; ``notice`` is a first ``#`` line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    if notice:
        writer.writerow([csv_text(f"# {notice}")])
    writer.writerow([csv_text(str(header)) for header in headers])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue()


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, Decimal)):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return csv_text(str(value))


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
