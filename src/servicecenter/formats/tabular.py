"""Read a CSV or Excel (.xlsx) file into a header and numbered rows, reporting every problem.

Guarantees:
- Row numbers are those a person sees in a spreadsheet: the header is row 1.
- CSV: UTF-8 (with or without BOM) is read as is; a file that is not UTF-8 is read as
  Windows-1252 (what Swedish Excel writes, a superset of Latin-1 for printable text) with a
  warning saying so. The delimiter (``;``, ``,`` or tab) is taken from the header line.
- Binary junk (NUL bytes, control characters) is refused as a whole, before any row is read.
- Nothing is written anywhere; the caller decides what to do with the rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from servicecenter.core.problems import Problem, Severity

MAX_BYTES = 512 * 1024 * 1024
SNIFF_BYTES = 64 * 1024
# An .xlsx is a zip: its parts are checked before anything is decompressed, so a small file
# that unpacks to gigabytes (a zip bomb) is refused at once.
MAX_XLSX_UNPACKED = 400 * 1024 * 1024
MAX_XLSX_PART = 200 * 1024 * 1024
MAX_XLSX_SHARED_STRINGS = 64 * 1024 * 1024  # read whole into memory even in read-only mode
MAX_XLSX_RATIO = 200
MAX_ROWS = 1_048_576  # Excel's own row limit, for Excel files
MAX_PARQUET_ROWS = 50_000_000


@dataclass(frozen=True)
class Column:
    """A column an importer understands: its canonical name, accepted aliases, and whether required."""

    name: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    either: str = ""        # columns sharing a group name: the file must have at least one of them

    def matches(self, heading: str) -> bool:
        key = _heading_key(heading)
        return key == _heading_key(self.name) or key in {_heading_key(alias) for alias in self.aliases}


@dataclass
class Table:
    """A header and a way to iterate over the data rows as ``(row_number, {column: text})``."""

    source: str
    header: list[str]
    _rows: Iterator[tuple[int, list[str]]]
    mapping: dict[str, int] = field(default_factory=dict)  # canonical name → position
    problems: list[Problem] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        width = len(self.header)
        for number, cells in self._rows:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > width and any(cell.strip() for cell in cells[width:]):
                self.problems.append(Problem("row.width", {"found": len(cells), "expected": width}, source=self.source, row=number))
                continue
            row = {name: (cells[index].strip() if index < len(cells) else "") for name, index in self.mapping.items()}
            nul = next((name for name, text in row.items() if "\x00" in text), None)
            if nul is not None:  # no database text column can hold a NUL (PostgreSQL refuses it)
                self.problems.append(Problem("value.nul", source=self.source, row=number, column=self.heading(nul)))
                continue
            yield number, row

    def heading(self, name: str) -> str:
        """The heading as written in the file for a canonical column name."""
        index = self.mapping.get(name)
        return self.header[index] if index is not None else name


def _heading_key(text: str) -> str:
    return "".join(char for char in text.strip().lower() if char.isalnum())


def _is_utf8(sample: bytes, complete: bool) -> bool:
    """Whether ``sample`` is UTF-8; an incomplete sample may end inside a character."""
    import codecs

    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def _looks_binary(sample: bytes) -> bool:
    if b"\x00" in sample:
        return True
    if not sample:
        return False
    control = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 13))
    return control > len(sample) * 0.01


def read_table(data: bytes | Path, source: str, columns: Sequence[Column]) -> tuple[Table | None, list[Problem]]:
    """Open ``data`` (the file's bytes or a path) named ``source`` and map its header to ``columns``.

    Returns the table (None when the file cannot be read at all) and the list of problems;
    the same list is ``table.problems`` and grows (ragged rows, a broken line) while rows are
    iterated, so read it again after the last row.
    """
    path = data if isinstance(data, Path) else None
    suffix = Path(source).suffix.lower()
    size = path.stat().st_size if path else len(data)  # type: ignore[arg-type]
    if size == 0:
        return None, [Problem("file.empty", source=source)]
    if size > MAX_BYTES:
        return None, [Problem("file.too_large", {"limit": MAX_BYTES // (1024 * 1024)}, source=source)]
    if suffix in (".xlsx", ".xlsm"):
        header, rows, problems = _open_xlsx(path if path else io.BytesIO(data), source)  # type: ignore[arg-type]
    elif suffix == ".parquet":
        header, rows, problems = _open_parquet(path if path else io.BytesIO(data), source)  # type: ignore[arg-type]
    elif suffix in (".csv", ".txt", ""):
        header, rows, problems = _open_csv(path if path else data, source)
    else:
        return None, [Problem("file.format", {"suffix": suffix}, source=source)]
    if header is None:
        return None, problems
    table = Table(source=source, header=header, _rows=rows, problems=problems)
    problems += _map_header(table, columns)
    if any(problem.severity is Severity.ERROR for problem in problems):
        return None, problems
    return table, problems


def _map_header(table: Table, columns: Sequence[Column]) -> list[Problem]:
    problems: list[Problem] = []
    for index, heading in enumerate(table.header):
        if not heading.strip():
            continue
        match = next((column for column in columns if column.matches(heading)), None)
        if match is None:
            problems.append(Problem("header.unknown", {"column": heading}, source=table.source, row=1, column=heading, severity=Severity.WARNING))
        elif match.name in table.mapping:
            problems.append(Problem("header.duplicate", {"column": heading}, source=table.source, row=1, column=heading))
        else:
            table.mapping[match.name] = index
    for column in columns:
        if column.required and column.name not in table.mapping:
            problems.append(Problem("header.missing", {"column": column.name}, source=table.source, row=1, column=column.name))
    groups: dict[str, list[str]] = {}
    for column in columns:
        if column.either:
            groups.setdefault(column.either, []).append(column.name)
    for names in groups.values():
        if not any(name in table.mapping for name in names):
            problems.append(Problem("header.missing", {"column": " / ".join(names)}, source=table.source, row=1, column=names[0]))
    return problems


def _open_csv(data: bytes | Path, source: str):
    if isinstance(data, Path):
        with data.open("rb") as handle:
            sample = handle.read(SNIFF_BYTES)
    else:
        sample = data[:SNIFF_BYTES]
    if _looks_binary(sample):
        return None, iter(()), [Problem("file.binary", source=source)]
    problems: list[Problem] = []
    encoding = "utf-8-sig" if _is_utf8(sample, complete=not isinstance(data, Path) or len(sample) < SNIFF_BYTES) else "cp1252"
    if encoding == "cp1252":
        problems.append(Problem("file.encoding_fallback", source=source, severity=Severity.WARNING))
    if isinstance(data, Path):
        stream = data.open("r", encoding=encoding, newline="")
    else:
        stream = io.StringIO(data.decode(encoding, errors="replace"), newline="")
    first_line = stream.readline()
    stream.seek(0)
    delimiter = max(";,\t", key=first_line.count) if first_line else ","
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return None, iter(()), [Problem("file.empty", source=source)]
    except (csv.Error, UnicodeDecodeError) as error:
        return None, iter(()), [Problem("file.csv", {"detail": str(error)}, source=source)]
    if not header:
        return None, iter(()), [Problem("file.empty", source=source)]
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 1
        try:
            for cells in reader:
                number = reader.line_num
                yield number, cells
        except (csv.Error, UnicodeDecodeError) as error:
            problems.append(Problem("file.csv", {"detail": str(error)}, source=source, row=number + 1))
        finally:
            stream.close()

    return [cell.strip() for cell in header], rows(), problems


def cell_text(value: object) -> str:
    """A cell as text, the same for every reader (CSV, Excel, Parquet): dates as ISO dates, a
    whole float without its ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return repr(value)
        # Excel keeps 15 significant digits; a computed cell's binary tail (0.30000000000000004)
        # is not data the person entered.
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else format(value, ".15g")
    return str(value)


def _open_xlsx(data, source: str):
    import zipfile

    from openpyxl import load_workbook  # imported here: CSV-only callers need not load it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(data) as archive:
            refusal = _unpacked_size_problem(archive, source)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        return None, iter(()), [Problem("file.xlsx", {"detail": type(error).__name__}, source=source)]
    if refusal is not None:
        return None, iter(()), [refusal]
    if hasattr(data, "seek"):
        data.seek(0)
    try:
        book = load_workbook(data, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as error:
        return None, iter(()), [Problem("file.xlsx", {"detail": type(error).__name__}, source=source)]
    sheet = book.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        header_cells = next(iterator)
    except StopIteration:
        book.close()
        return None, iter(()), [Problem("file.empty", source=source)]

    problems: list[Problem] = []

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, cells in enumerate(iterator, start=2):
                if number > MAX_ROWS:
                    problems.append(Problem("file.too_many_rows", {"limit": MAX_ROWS}, source=source, row=number))
                    return
                yield number, [cell_text(cell) for cell in cells]
        finally:
            book.close()

    header = [cell_text(cell).strip() for cell in header_cells]
    while header and not header[-1]:
        header.pop()
    return header, rows(), problems


def _unpacked_size_problem(archive, source: str) -> Problem | None:
    """Refuse an .xlsx whose parts would unpack beyond the limits, from the sizes the zip
    declares (reading never goes beyond them: zipfile stops at the declared size)."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        too_big = info.file_size > (MAX_XLSX_SHARED_STRINGS if info.filename.lower().endswith("sharedstrings.xml") else MAX_XLSX_PART)
        if too_big or total > MAX_XLSX_UNPACKED or (info.file_size > 10 * 1024 * 1024 and ratio > MAX_XLSX_RATIO):
            return Problem("file.unpacks_too_large", {"limit": MAX_XLSX_UNPACKED // (1024 * 1024)}, source=source)
    return None


def _open_parquet(data, source: str):
    """A Parquet file's columns as the header; record N (from 1) is reported as row N + 1, so
    that row numbers read as in the same data saved as CSV with its header on row 1."""
    import pyarrow.parquet as pq  # imported here: CSV-only callers need not load it

    try:
        handle = pq.ParquetFile(data)
    except Exception as error:  # pyarrow raises ArrowInvalid, OSError...: all mean "not Parquet"
        return None, iter(()), [Problem("file.parquet", {"detail": type(error).__name__}, source=source)]
    header = list(handle.schema_arrow.names)
    if handle.metadata.num_rows > MAX_PARQUET_ROWS:
        return None, iter(()), [Problem("file.too_many_rows", {"limit": MAX_PARQUET_ROWS}, source=source)]

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 1
        for batch in handle.iter_batches(batch_size=65536):
            columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
            for cells in zip(*columns, strict=True):
                number += 1
                yield number, [cell_text(cell) for cell in cells]

    return header, rows(), []
