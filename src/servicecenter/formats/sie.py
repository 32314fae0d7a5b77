"""SIE 4: read and write the ledger export of every Swedish accounting system.

The format (SIE-gruppen, *SIE filformat, version 4C*, 2008): a text file in the PC8 character
set (IBM code page 437), one record per line, each starting with a label (``#KONTO``). Fields
are separated by spaces or tabs; a field with spaces is quoted (``"Kontorsmaterial"``, with
``\\"`` for a quote inside); an object list is written in braces (``{1 "100" 6 "P17"}``:
dimension 1 object 100, dimension 6 object P17). A voucher is ``#VER`` followed by its
transactions between ``{`` and ``}`` on lines of their own.

What is read: #FLAGGA, #FORMAT, #SIETYP, #PROGRAM, #GEN, #FNAMN, #ORGNR, #RAR, #VALUTA,
#KONTO, #KTYP, #DIM, #UNDERDIM, #OBJEKT, #IB, #UB, #OIB, #OUB, #RES, #PSALDO, #PBUDGET, #VER
with #TRANS (#RTRANS, which a conforming file follows with the same #TRANS, and #BTRANS,
a removed row, are skipped). Other labels are ignored, as the specification requires.

Checks, each reported once with its line: a #KSUMMA checksum that does not match the records it
seals (or is never closed), broken lines (unterminated quote or brace, a field
that is not a number or date), a voucher whose transactions do not sum to zero (unless one of
its lines was already refused), #TRANS outside a voucher, a voucher never closed, and a file
that is not PC8 (UTF-8 bytes are recognised and refused by line). An account not declared with
#KONTO or an object not declared with #OBJEKT is a warning: 4I files leave them out.
Amounts are Decimal; nothing is rounded.
"""

from __future__ import annotations

import re
import sys
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from servicecenter.core.problems import Problem, Severity

# A field: a quoted text (``\"`` and ``\\`` escaped, braces allowed inside), an object list in
# braces (whose quoted codes may hold braces and quotes), or a bare word. Anything else left
# over (a lone quote or brace) is an error of the line.
TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\{(?:[^}"]|"(?:[^"\\]|\\.)*")*\}|[^\s"{}]+|(["{}])')
OBJECT_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[^\s"]+')
ZERO = Decimal(0)
# The shape nearly every #TRANS row has: an account, an object list (codes quoted or not), a plain
# amount, perhaps a date (or "") and after it perhaps a quoted text, no escape anywhere. Such a row
# is read with one match instead of the tokenizer (a million rows are most of a file); any other
# row, a malformed one included, takes the general path, which reads it the same way or refuses it
# (a hypothesis test compares the two).
_PLAIN_TRANS = re.compile(r'#TRANS[ \t]+([^\s"{}\\]+)[ \t]+(\{(?:[^"{}\\]|"[^"\\]*")*\})[ \t]+(-?[0-9]+(?:\.[0-9]+)?)'
                          r'(?:[ \t]+(?:([0-9]{8})|"")(?:[ \t]+"([^"\\]*)")?)?')
# The same for the #VER row that opens each voucher: series, number, date, perhaps a text.
_PLAIN_FIELD = r'("[^"\\]*"|[^\s"{}\\]+)'
_PLAIN_VER = re.compile(rf'#VER[ \t]+{_PLAIN_FIELD}[ \t]+{_PLAIN_FIELD}[ \t]+([0-9]{{8}})(?:[ \t]+{_PLAIN_FIELD})?')


# Transactions and vouchers are named tuples: immutable as frozen dataclasses, and far cheaper to
# make (a frozen dataclass sets each field through object.__setattr__; a file has a million rows).
class Transaction(NamedTuple):
    """One #TRANS row: ``objects`` is a tuple of (dimension, object code) pairs."""

    voucher: int           # index into Ledger.vouchers
    line: int              # line in the file (for the trace back to the ledger)
    account: str
    objects: tuple[tuple[str, str], ...]
    amount: Decimal
    day: date | None
    text: str


class Voucher(NamedTuple):
    series: str
    number: str
    day: date
    text: str
    line: int


@dataclass
class Ledger:
    """What a SIE 4 file holds. ``transactions`` keep their voucher and line for the trace."""

    source: str
    company: str = ""
    org_number: str = ""
    program: str = ""
    year_start: date | None = None
    year_end: date | None = None
    currency: str = "SEK"
    accounts: dict[str, str] = field(default_factory=dict)
    account_types: dict[str, str] = field(default_factory=dict)
    dimensions: dict[str, str] = field(default_factory=dict)
    objects: dict[tuple[str, str], str] = field(default_factory=dict)
    vouchers: list[Voucher] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    opening: dict[str, Decimal] = field(default_factory=dict)       # #IB 0
    closing: dict[str, Decimal] = field(default_factory=dict)       # #UB 0
    results: dict[str, Decimal] = field(default_factory=dict)       # #RES 0
    period_balances: dict[tuple[str, str, tuple[tuple[str, str], ...]], Decimal] = field(default_factory=dict)  # #PSALDO 0 (period, account, objects)
    period_budgets: dict[tuple[str, str, tuple[tuple[str, str], ...]], Decimal] = field(default_factory=dict)

    def cost_by_account_object_period(self, dimension: str = "1") -> dict[tuple[str, str, str], Decimal]:
        """Sum of transactions per (account, object of ``dimension`` or "", YYYY-MM of the voucher)."""
        totals: dict[tuple[str, str, str], Decimal] = defaultdict(lambda: ZERO)
        for (account, code, _other, month), amount in self.by_account_objects_period(dimension, None).items():
            totals[(account, code, month)] += amount
        return dict(totals)

    def by_account_objects_period(self, dimension: str = "1", second: str | None = "6") -> dict[tuple[str, str, str, str], Decimal]:
        """Sum of transactions per (account, object of ``dimension``, object of ``second`` (e.g. the
        activity, SIE dimension 6), YYYY-MM of the voucher); a missing object is ""."""
        return {key: cell.amount for key, cell in self.cells(dimension, second).items()}

    def cells(self, dimension: str = "1", second: str | None = "6") -> dict[tuple[str, str, str, str], Cell]:
        """``by_account_objects_period`` with, for each cell, how many transactions it sums and the
        file line of the first (the trace back to the file), in one pass over the transactions."""
        found: dict[tuple[str, str, str, str], Cell] = {}
        vouchers = self.vouchers
        months: dict[date, str] = {}
        for row in self.transactions:
            code = other = None
            for dim, obj in row.objects:
                if code is None and dim == dimension:
                    code = obj
                if other is None and dim == second:
                    other = obj
            day = row.day or vouchers[row.voucher].day
            month = months.get(day)
            if month is None:
                month = months[day] = f"{day:%Y-%m}"
            key = (row.account, code if code is not None else "", other if other is not None else "", month)
            cell = found.get(key)
            if cell is None:
                found[key] = Cell(row.amount, 1, row.line)
            else:
                cell.amount += row.amount
                cell.transactions += 1
        return found


@dataclass(slots=True)
class Cell:
    """The transactions of one account × object × object × month: their sum, how many, the line of the first."""

    amount: Decimal
    transactions: int
    first_line: int


class _LineError(Exception):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code, self.params = code, params


_ESCAPE = re.compile(r'\\(["\\])')


def _unquote(token: str) -> str:
    """A field's text: quotes removed, ``\"`` and ``\\`` unescaped (any other backslash is kept,
    as in a Windows path a program wrote without escaping it)."""
    if token.startswith('"'):
        if len(token) < 2 or not token.endswith('"'):
            raise _LineError("sie.quote")
        inner = token[1:-1]
        return _ESCAPE.sub(r"\1", inner) if "\\" in inner else inner
    return token


def _tokens(line: str) -> list[str]:
    tokens = []
    for match in TOKEN.finditer(line):
        stray = match.group(1)
        if stray is not None:
            raise _LineError("sie.quote" if stray == '"' else "sie.brace")
        tokens.append(match.group(0))
    return tokens


def _amount(token: str) -> Decimal:
    try:
        value = Decimal(_unquote(token))
    except InvalidOperation:
        raise _LineError("sie.amount", value=token) from None
    if not value.is_finite():
        raise _LineError("sie.amount", value=token)
    return value


_DAYS: dict[str, date] = {}


def _date(token: str) -> date:
    """A date field (``YYYYMMDD``, quoted or not); remembered, as a ledger repeats a few hundred."""
    found = _DAYS.get(token)
    if found is None:
        found = _parse_date(token)
        if len(_DAYS) < 100_000:
            _DAYS[token] = found
    return found


def _parse_date(token: str) -> date:
    text = _unquote(token)
    if not re.fullmatch(r"\d{8}", text):
        raise _LineError("sie.date", value=token)
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise _LineError("sie.date", value=token) from None


_OBJECT_LISTS: dict[str, tuple[tuple[str, str], ...]] = {}


def _objects(token: str) -> tuple[tuple[str, str], ...]:
    """The object list of a field; equal lists are shared (a ledger repeats a few hundred)."""
    found = _OBJECT_LISTS.get(token)
    if found is not None:
        return found
    parsed = _parse_objects(token)
    if len(_OBJECT_LISTS) < 100_000:
        _OBJECT_LISTS[token] = parsed
    return parsed


def _parse_objects(token: str) -> tuple[tuple[str, str], ...]:
    if not (token.startswith("{") and token.endswith("}")):
        raise _LineError("sie.objects", value=token)
    parts = [_unquote(part) for part in OBJECT_TOKEN.findall(token[1:-1])]
    if len(parts) % 2:
        raise _LineError("sie.objects", value=token)
    return tuple((parts[i], parts[i + 1]) for i in range(0, len(parts), 2))


def _checksum_text(line: str) -> str:
    """What a record adds to #KSUMMA (SIE 4C, "Kontrollsummering"): its label and the content of
    each field, without the spaces that separate fields, the quotes around them or the line end;
    an object list adds its braces and the content of each of its parts. Outside quotes only the
    separators go; inside them everything is content."""
    if "\\" in line:  # escapes: read the fields properly
        try:
            return "".join("{" + "".join(_unquote(part) for part in OBJECT_TOKEN.findall(token[1:-1])) + "}"
                           if token.startswith("{") else _unquote(token) for token in _tokens(line))
        except _LineError:   # refused on its own line already; the sum is not the place to report it again
            pass
    if '"' not in line:
        return line.replace(" ", "").replace("\t", "")
    return "".join(part if index % 2 else part.replace(" ", "").replace("\t", "") for index, part in enumerate(line.split('"')))


def _encode(text: str, encoding: str) -> bytes:
    return text.encode("ascii") if text.isascii() else text.encode(encoding, errors="replace")


def _checksum(lines: list[str], encoding: str) -> tuple[int, int]:
    """CRC-32 (the polynomial EDB88320, start and final inversion: zlib's) of the records between
    an opening ``#KSUMMA`` and the closing ``#KSUMMA value``, in the file's own bytes, read two ways:
    the specification's (field contents, so a space inside a quoted text counts; ``_checksum_text``)
    and the one some exporting programs use (every byte of the lines but spaces, tabs and quotes).
    A file matching either has not been changed since it was written; one matching neither has.

    The sums run over ``_CHECKSUM_CHUNK`` lines at a time (CRC-32 continues from one piece to the
    next), so that a file of a million rows is not held four more times as text and bytes at once."""
    escaped = any("\\" in line for line in lines)
    strict = loose = 0
    inside = False                   # within quotes where the pieces before ended (a line with an odd number of them)
    for start in range(0, len(lines), _CHECKSUM_CHUNK):
        records = [line for line in (line.strip() for line in lines[start:start + _CHECKSUM_CHUNK]) if line]
        if not records:
            continue
        if escaped:
            text = "".join(_checksum_text(line) for line in records)
        else:  # the same as _checksum_text line by line where the quotes pair within each line
            # the line end before this piece is content when it falls inside quotes, as in one text
            parts = (("\n" if inside else "") + "\n".join(records)).split('"')
            outside = slice(1, None, 2) if inside else slice(0, None, 2)
            parts[outside] = [part.replace(" ", "").replace("\t", "").replace("\n", "") for part in parts[outside]]
            inside = inside != (len(parts) % 2 == 0)
            text = "".join(parts)
        strict = zlib.crc32(_encode(text, encoding), strict)
        loose = zlib.crc32(_encode("\n".join(records), encoding).translate(None, b' \t"\n'), loose)
    return strict, loose


#: lines summed at a time by ``_checksum``
_CHECKSUM_CHUNK = 20_000


def _checksum_matches(declared: str, lines: list[str], encoding: str) -> tuple[bool, int]:
    strict, loose = _checksum(lines, encoding)
    try:
        value = int(declared) & 0xFFFFFFFF  # some programs write the sum as a signed 32-bit number
    except ValueError:
        return False, strict
    return value in (strict, loose), strict


def _need(tokens: list[str], count: int, label: str) -> None:
    if len(tokens) < count:
        raise _LineError("sie.fields", label=label, count=count - 1)


_UTF8_SWEDISH = re.compile(rb"\xc3[\x80-\xbf]")
# Swedish letters as PC8 (CP437) writes them, and as Windows-1252/Latin-1 does.
_PC8_LETTERS = frozenset(b"\x86\x84\x94\x8f\x8e\x99\x82\x81\x9a")
_LATIN1_LETTERS = frozenset(b"\xe5\xe4\xf6\xc5\xc4\xd6\xe9\xfc\xdc")
_ASCII = bytes(range(128))


def _first_line_with(data: bytes, test) -> tuple[int, bytes]:
    for number, line in enumerate(data.splitlines(), start=1):
        if test(line):
            return number, line
    return 1, b""


def _sample(line: bytes, encoding: str) -> str:
    text = line.decode(encoding, errors="replace").strip()
    return text if len(text) <= 80 else text[:77] + "..."


def decode(data: bytes, source: str) -> tuple[str | None, list[Problem]]:
    """PC8 (CP437) text, as SIE 4 prescribes. A file that is not PC8 never passes silently:

    - UTF-8 is refused, naming the first line with a non-ASCII letter and showing it as it reads
      in UTF-8 and as it would be stored if taken for PC8 ("f├╢r");
    - a mix of UTF-8 sequences and other bytes is refused the same way;
    - Windows-1252 / Latin-1 (Swedish letters only at their Latin-1 codes, none at their PC8
      codes) is converted, with a warning that shows the first such line as read.
    """
    if b"\x00" in data[:65536]:
        return None, [Problem("sie.binary", source=source)]
    if data.isascii():
        return data.decode("cp437"), []
    high = set(data.translate(None, _ASCII))   # the bytes above 127 that occur (in C: a file has millions)
    try:
        data.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError:
        utf8 = False
    if utf8 or _UTF8_SWEDISH.search(data):
        line, content = _first_line_with(data, lambda text: any(byte >= 0x80 for byte in text))
        return None, [Problem("sie.encoding" if utf8 else "sie.encoding_mixed",
                              {"as_utf8": _sample(content, "utf-8"), "as_pc8": _sample(content, "cp437")}, source=source, row=line)]
    if high & _LATIN1_LETTERS and not high & _PC8_LETTERS:
        line, content = _first_line_with(data, lambda text: any(byte >= 0x80 for byte in text))
        return data.decode("cp1252", errors="replace"), [Problem("sie.encoding_latin1", {"sample": _sample(content, "cp1252")}, source=source,
                                                                row=line, severity=Severity.WARNING)]
    return data.decode("cp437"), []


def read_sie(data: bytes, source: str, max_problems: int = 1000, dimensions: Iterable[str] | None = None) -> tuple[Ledger | None, list[Problem]]:
    """Read a SIE 4 file. Returns the ledger (None when any error was found) and every problem.

    An account or object used but not declared (#KONTO, #OBJEKT) is a warning, once each: a 4I
    file of vouchers commonly leaves out what the receiving ledger already has. Only the objects
    of ``dimensions`` are checked (None: all); the others are kept as they are."""
    text, problems = decode(data, source)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [Problem("file.empty", source=source)]
    ledger = Ledger(source=source)
    pending_checks: list[tuple[int, str, tuple[tuple[str, str], ...]]] = []
    voucher: Voucher | None = None
    voucher_open = False
    voucher_sum = ZERO
    voucher_line = 0
    voucher_bad = False              # a line of the open voucher was refused: its sum says nothing more
    saw_flag = False
    encoding = "cp1252" if any(problem.code == "sie.encoding_latin1" for problem in problems) else "cp437"
    checksum: int | None = None      # the line of an opening #KSUMMA not yet closed
    checksum_seen = False
    lines = text.splitlines()
    for number, raw in enumerate(lines, start=1):
        if len(problems) >= max_problems:
            problems.append(Problem("file.too_many_problems", {"limit": max_problems}, source=source))
            break
        line = raw.strip()
        if not line:
            continue
        try:
            if line == "{":
                if voucher is None or voucher_open:
                    raise _LineError("sie.brace")
                voucher_open = True
                continue
            if line == "}":
                if not voucher_open:
                    raise _LineError("sie.brace")
                if voucher_sum != 0 and not voucher_bad:
                    problems.append(Problem("sie.unbalanced", {"series": voucher.series, "number": voucher.number, "sum": str(voucher_sum)}, source=source, row=voucher_line))
                voucher, voucher_open, voucher_sum, voucher_bad = None, False, ZERO, False
                continue
            plain = _PLAIN_TRANS.fullmatch(line) if voucher_open else None
            if plain is not None:
                account_text, objects_token, amount_text, day_text, text_field = plain.groups()
                account = sys.intern(account_text)
                objects = _objects(objects_token)
                amount = Decimal(amount_text)
                day = _date(day_text) if day_text else None
                ledger.transactions.append(Transaction(len(ledger.vouchers) - 1, number, account, objects, amount, day, text_field or ""))
                voucher_sum += amount
                pending_checks.append((number, account, objects))
                continue
            plain = None if voucher_open else _PLAIN_VER.fullmatch(line)
            if plain is not None:
                series, voucher_number, day_text, voucher_text = plain.groups()
                voucher = Voucher(_unquote(series), _unquote(voucher_number), _date(day_text), _unquote(voucher_text) if voucher_text else "", number)
                ledger.vouchers.append(voucher)
                voucher_line = number
                continue
            tokens = _tokens(line)
            label = tokens[0].upper()
            if not label.startswith("#"):
                raise _LineError("sie.label", value=tokens[0])
            if voucher is not None and not voucher_open and label != "#VER":
                raise _LineError("sie.voucher_unopened")
            if label == "#TRANS":
                if not voucher_open:
                    raise _LineError("sie.trans_outside")
                _need(tokens, 4, label)
                account = sys.intern(_unquote(tokens[1]))
                objects = _objects(tokens[2])
                amount = _amount(tokens[3])
                day = _date(tokens[4]) if len(tokens) > 4 and _unquote(tokens[4]) else None
                text_field = _unquote(tokens[5]) if len(tokens) > 5 else ""
                ledger.transactions.append(Transaction(len(ledger.vouchers) - 1, number, account, objects, amount, day, text_field))
                voucher_sum += amount
                pending_checks.append((number, account, objects))
            elif label in ("#RTRANS", "#BTRANS"):
                if not voucher_open:
                    raise _LineError("sie.trans_outside")
            elif label == "#VER":
                if voucher_open:
                    raise _LineError("sie.voucher_unclosed_before")
                _need(tokens, 4, label)
                voucher = Voucher(_unquote(tokens[1]), _unquote(tokens[2]), _date(tokens[3]), _unquote(tokens[4]) if len(tokens) > 4 else "", number)
                ledger.vouchers.append(voucher)
                voucher_line = number
            elif label == "#KONTO":
                _need(tokens, 3, label)
                ledger.accounts[_unquote(tokens[1])] = _unquote(tokens[2])
            elif label == "#KTYP":
                if len(tokens) >= 3:  # a #KTYP without its fields (some programs write one) says nothing
                    ledger.account_types[_unquote(tokens[1])] = _unquote(tokens[2])
            elif label in ("#DIM", "#UNDERDIM"):
                _need(tokens, 3, label)
                ledger.dimensions[_unquote(tokens[1])] = _unquote(tokens[2])
            elif label == "#OBJEKT":
                _need(tokens, 4, label)
                ledger.objects[(_unquote(tokens[1]), _unquote(tokens[2]))] = _unquote(tokens[3])
            elif label in ("#IB", "#UB", "#RES"):
                _need(tokens, 4, label)
                if _unquote(tokens[1]) == "0":
                    target = {"#IB": ledger.opening, "#UB": ledger.closing, "#RES": ledger.results}[label]
                    target[_unquote(tokens[2])] = _amount(tokens[3])
            elif label in ("#OIB", "#OUB"):
                _need(tokens, 5, label)
                _objects(tokens[3])
                _amount(tokens[4])
            elif label in ("#PSALDO", "#PBUDGET"):
                _need(tokens, 6, label)
                if _unquote(tokens[1]) == "0":
                    period = _unquote(tokens[2])
                    if not re.fullmatch(r"\d{6}", period):
                        raise _LineError("sie.period", value=tokens[2])
                    target = ledger.period_balances if label == "#PSALDO" else ledger.period_budgets
                    target[(period, _unquote(tokens[3]), _objects(tokens[4]))] = _amount(tokens[5])
            elif label == "#FLAGGA":
                saw_flag = True
            elif label == "#FORMAT":
                if len(tokens) > 1 and _unquote(tokens[1]).upper() != "PC8":
                    raise _LineError("sie.format", value=tokens[1])
            elif label == "#SIETYP":
                if len(tokens) > 1 and _unquote(tokens[1]) != "4":
                    raise _LineError("sie.type", value=tokens[1])
            elif label == "#FNAMN":
                ledger.company = _unquote(tokens[1]) if len(tokens) > 1 else ""
            elif label == "#ORGNR":
                ledger.org_number = _unquote(tokens[1]) if len(tokens) > 1 else ""
            elif label == "#PROGRAM":
                ledger.program = " ".join(_unquote(token) for token in tokens[1:])
            elif label == "#VALUTA":
                ledger.currency = _unquote(tokens[1]) if len(tokens) > 1 else "SEK"
            elif label == "#KSUMMA":
                if len(tokens) == 1 and checksum is None and not checksum_seen:  # the opening record
                    checksum, checksum_seen = number, True
                elif len(tokens) > 1 and checksum is not None:  # the closing record carries the sum
                    declared = _unquote(tokens[1])
                    matches, computed = _checksum_matches(declared, lines[checksum:number - 1], encoding)
                    if not matches:
                        problems.append(Problem("sie.ksumma", {"value": declared, "computed": str(computed)}, source=source, row=number,
                                                value=raw.strip()[:120]))
                    checksum = None
                else:  # a second opening, or a sum without an opening: nothing to verify it against
                    problems.append(Problem("sie.ksumma_order", source=source, row=number, value=raw.strip()[:120], severity=Severity.WARNING))
            elif label == "#RAR":
                # an empty "#RAR 0" (some programs write it when no year is chosen) says nothing:
                # the vouchers keep their dates and the year is taken from them
                if len(tokens) >= 4 and _unquote(tokens[1]) == "0":
                    ledger.year_start, ledger.year_end = _date(tokens[2]), _date(tokens[3])
        except _LineError as error:
            problems.append(Problem(error.code, error.params, source=source, row=number, value=raw.strip()[:120]))
            voucher_bad = voucher_bad or voucher_open
    if voucher_open or voucher is not None:
        problems.append(Problem("sie.voucher_unclosed", source=source, row=voucher_line))
    if checksum is not None and len(problems) < max_problems:
        problems.append(Problem("sie.ksumma_unclosed", source=source, row=checksum))
    if not saw_flag:
        problems.append(Problem("sie.no_flag", source=source, row=1))
    checked = set(dimensions) if dimensions is not None else None
    warned: set = set()
    for number, account, objects in pending_checks:
        if account not in ledger.accounts and account not in warned:
            warned.add(account)
            problems.append(Problem("sie.unknown_account", {"account": account}, source=source, row=number, value=account, severity=Severity.WARNING))
        for dimension, code in objects:
            if (dimension, code) not in ledger.objects and (checked is None or dimension in checked) and (dimension, code) not in warned:
                warned.add((dimension, code))
                problems.append(Problem("sie.unknown_object", {"dimension": dimension, "object": code}, source=source, row=number, value=code,
                                        severity=Severity.WARNING))
        if len(problems) >= max_problems:
            break
    if any(problem.severity is Severity.ERROR for problem in problems):
        return None, problems
    return ledger, problems


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _object_list(objects: Iterable[tuple[str, str]]) -> str:
    return "{" + " ".join(f'{dimension} {_quote(code)}' for dimension, code in objects) + "}"


def write_sie(ledger: Ledger, generated: date) -> bytes:
    """A SIE 4 file (PC8) with accounts, dimensions, objects, balances and vouchers, sealed with
    #KSUMMA so that the reader (ours or another program's) can tell it was not changed."""
    lines = ["#FLAGGA 0", '#PROGRAM "servicecenter" "0.1"', "#FORMAT PC8", f"#GEN {generated:%Y%m%d}", "#SIETYP 4",
             f"#FNAMN {_quote(ledger.company)}"]
    if ledger.org_number:
        lines.append(f"#ORGNR {ledger.org_number}")
    if ledger.year_start and ledger.year_end:
        lines.append(f"#RAR 0 {ledger.year_start:%Y%m%d} {ledger.year_end:%Y%m%d}")
    lines.append(f"#VALUTA {ledger.currency}")
    lines += [f"#KONTO {account} {_quote(name)}" for account, name in sorted(ledger.accounts.items())]
    lines += [f"#KTYP {account} {kind}" for account, kind in sorted(ledger.account_types.items())]
    lines += [f"#DIM {dimension} {_quote(name)}" for dimension, name in sorted(ledger.dimensions.items())]
    lines += [f"#OBJEKT {dimension} {_quote(code)} {_quote(name)}" for (dimension, code), name in sorted(ledger.objects.items())]
    lines += [f"#IB 0 {account} {amount}" for account, amount in sorted(ledger.opening.items())]
    lines += [f"#UB 0 {account} {amount}" for account, amount in sorted(ledger.closing.items())]
    lines += [f"#RES 0 {account} {amount}" for account, amount in sorted(ledger.results.items())]
    by_voucher: dict[int, list[Transaction]] = defaultdict(list)
    for row in ledger.transactions:
        by_voucher[row.voucher].append(row)
    for index, voucher in enumerate(ledger.vouchers):
        lines.append(f"#VER {_quote(voucher.series)} {_quote(voucher.number)} {voucher.day:%Y%m%d} {_quote(voucher.text)}")
        lines.append("{")
        for row in by_voucher[index]:
            day = f" {row.day:%Y%m%d}" if row.day else ' ""'
            text = f" {_quote(row.text)}" if row.text else ""
            lines.append(f"   #TRANS {row.account} {_object_list(row.objects)} {row.amount}{day}{text}")
        lines.append("}")
    lines = [lines[0], "#KSUMMA", *lines[1:], f"#KSUMMA {_checksum(lines[1:], 'cp437')[0]}"]
    return ("\r\n".join(lines) + "\r\n").encode("cp437", errors="replace")
