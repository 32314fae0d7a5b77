"""Write tables to Excel (.xlsx) and CSV the way controllers expect: typed cells, a bold frozen
header in row 1 with an autofilter, sensible widths, number formats by kind (counts, money,
percentages, dates), and the notice of illustrative data in the properties and a sheet of its own.

Every export goes through :func:`write_workbook` or :func:`write_csv`, which never let text run
as a formula (OWASP's rule for CSV injection): a text cell that begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is written as text in Excel (string type, quote prefix) and
prefixed with ``'`` in CSV. Numbers stay numbers; only text is escaped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from servicecenter.core.money import decimal_of, round_places


@dataclass(frozen=True)
class Percent:
    """A share (0.127) written as the number it is, shown as a percentage (12,7 %)."""

    share: Decimal | float | None
    decimals: int = 1


@dataclass(frozen=True)
class Month:
    """A month, written as a real date (its first day) and shown as YYYY-MM."""

    start: date


def write_workbook(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[object]]]], notice: str | None = None,
                   notice_title: str = "Om uppgifterna") -> bytes:
    """``sheets`` is a list of (title, headers, rows). Returns the file's bytes.

    The conventions a controller's Excel (and Power Query) expects: the headers in row 1 of every
    sheet, bold and frozen, with an autofilter over the table; dates as dates (``Month`` as a date
    shown YYYY-MM); counts (int) with an integer format; a Decimal with as many decimals as it has
    (money with its two); a float rounded to two decimals; a ``Percent`` as its share with a %
    format. ``notice`` (illustrative data) goes in the document's properties and on a last sheet
    ``notice_title`` of its own, never above the headers."""
    book = Workbook(write_only=False)
    book.remove(book.active)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title=_sheet_title(title))
        sheet.append([str(header) for header in headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        widths = [len(str(header)) for header in headers]
        columns = len(headers)
        for row in rows:
            typed = [_typed(value) for value in row]
            sheet.append([value for value, _format in typed])
            line = sheet.max_row
            columns = max(columns, len(typed))
            for index, (value, number_format) in enumerate(typed, start=1):
                cell = sheet.cell(row=line, column=index)
                if isinstance(value, str) and is_formula_like(value):
                    cell.value, cell.data_type, cell.quotePrefix = value, "s", True
                if number_format:
                    cell.number_format = number_format
            for index, (value, number_format) in enumerate(typed[: len(widths)]):
                shown = len(str(value)) if value is not None else 0
                if number_format and value is not None and not isinstance(value, (date, datetime)):
                    shown += 3   # thousands separators and a % sign
                widths[index] = max(widths[index], min(60, shown))
        sheet.freeze_panes = "A2"
        if columns:
            sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(sheet.max_row, 1)}"
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(8, width + 2)
    if notice:
        book.properties.description = notice
        book.properties.subject = notice
        book.properties.keywords = "demo"
        about = book.create_sheet(title=_sheet_title(notice_title))
        about.append([notice])
        about.cell(row=1, column=1).font = Font(italic=True, color="9C2A00")
        about.column_dimensions["A"].width = min(120, max(40, len(notice)))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _decimal_format(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _typed(value: object) -> tuple[object, str | None]:
    """A value as the cell holds it, with its number format."""
    if isinstance(value, Percent):
        if value.share is None:
            return None, None
        share = round_places(decimal_of(value.share), value.decimals + 2)
        return share, "0" + ("." + "0" * value.decimals if value.decimals else "") + "%"
    if isinstance(value, Month):
        return value.start, "yyyy-mm"
    if isinstance(value, bool):
        return value, None
    if isinstance(value, int):
        return value, "#,##0"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None, None
        return round_places(decimal_of(value), 2), "#,##0.00"
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None, None
        exponent = value.as_tuple().exponent
        decimals = max(0, -exponent)
        if decimals > 6:   # a quotient's 28 digits: six decimals is more than any column shows
            value, decimals = round_places(value, 6).normalize(), 6
            decimals = max(0, -value.as_tuple().exponent)
        return value, _decimal_format(decimals)
    if isinstance(value, datetime):
        return (value.replace(tzinfo=None) if value.tzinfo is not None else value), "yyyy-mm-dd hh:mm"
    if isinstance(value, date):
        return value, "yyyy-mm-dd"
    if value is None:
        return None, None
    return str(value), None


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
    if isinstance(value, (Percent, Month)):
        value = _typed(value)[0]
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, Decimal)):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return csv_text(str(value))


def _sheet_title(title: str) -> str:
    cleaned = "".join(char for char in title if char not in "[]:*?/\\")
    return cleaned[:31] or "Blad1"
