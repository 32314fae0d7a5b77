"""Many rows of one model in prepared INSERTs run by ``executemany``.

``bulk_create`` builds a model instance per row and then the statement's parameters value by
value through the compiler: for the 585,000 ledger cells of a million SIE transactions that was
most of the import (an instance costs more than the row it writes), and a second of an 18,000-line
billing run. Here each value goes through its field's own conversion for the database
(``get_db_prep_save``, what ``save`` and ``bulk_create`` call), remembered per column and value:
the rows of one write repeat most values (the provider, the import, months, dates, codes).

Callers name every column they write; what they leave out takes the database's default (so
model defaults must be given). No signal is sent, as with ``bulk_create``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from itertools import islice

from django.db import connections, router

Prepare = Callable[[int, object, object], object]

#: rows per ``executemany``: bounded memory for the parameters of a very long write
CHUNK = 20_000


def preparer(database) -> Prepare:
    """``prepare(index, field, value)``: the field's own conversion of a value for ``database``,
    remembered per column ``index``: a pure function of field and value. One may be shared by the
    writes of one transaction (a billing run's invoices)."""
    prepared: dict[tuple, object] = {}

    def prepare(index: int, field, value):
        kind = value.__class__   # the type too: True == 1
        key = (index, kind, str(value) if kind is Decimal else value)   # Decimal("1.0") and Decimal("1.00") are equal, not the same value
        found = prepared.get(key, prepared)
        if found is prepared:
            found = prepared[key] = field.get_db_prep_save(value, database)
        return found
    return prepare


def insert_rows(model, attnames: Sequence[str], rows: Iterable[Sequence], prepare: Prepare | None = None) -> int:
    """Write ``rows`` (each a sequence of values in the order of ``attnames``) into ``model``'s
    table; returns how many. Inside the caller's transaction, as any write."""
    database = connections[router.db_for_write(model)]   # the wrapper itself: the proxy costs a lookup per value
    prepare = prepare or preparer(database)
    by_attname = {field.attname: field for field in model._meta.concrete_fields}
    fields = [by_attname[name] for name in attnames]
    ops = database.ops
    statement = (f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({', '.join(ops.quote_name(field.column) for field in fields)}) "  # noqa: S608 - model names
                 f"VALUES ({', '.join(['%s'] * len(fields))})")
    written = 0
    rows = iter(rows)
    with database.cursor() as cursor:
        while chunk := [[prepare(index, fields[index], value) for index, value in enumerate(row)] for row in islice(rows, CHUNK)]:
            cursor.executemany(statement, chunk)
            written += len(chunk)
    return written
