"""Many rows of one model in prepared INSERTs run by ``executemany``.

``bulk_create`` builds a model instance per row and then the statement's parameters value by
value through the compiler: for the 585,000 ledger cells of a million SIE transactions that was
most of the import (an instance costs more than the row it writes), and a second of an 18,000-line
billing run. Here each value goes through its field's own conversion for the database
(``get_db_prep_save``, what ``save`` and ``bulk_create`` call), column by column, remembered per
column and value: the rows of one write repeat most values (the provider, the import, months,
dates, codes).

Callers name every column they write; what they leave out takes the database's default (so
model defaults must be given). No signal is sent, as with ``bulk_create``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from itertools import islice

from django.db import connections, router

#: rows per ``executemany``: bounded memory for the parameters of a very long write
CHUNK = 20_000

#: value types whose equal values are the same value for every field (unlike Decimal("1.0") and
#: Decimal("1.00"), or 0.0 and -0.0): a column of one of them is converted once per distinct value
_PLAIN = frozenset({str, int, bool, date, type(None), uuid.UUID})


class Preparer:
    """Each value's conversion for ``database`` by its field's own ``get_db_prep_save``,
    remembered per column index and value type (a pure function of field and value: the rows of
    one write repeat most values: the provider, the import, months, dates, codes)."""

    def __init__(self, database):
        self.database = database
        self._known: dict[tuple, dict] = {}

    def __call__(self, index: int, field, value):
        kind = value.__class__   # the type too: True == 1
        known = self._known.setdefault((index, kind), {})
        key = str(value) if kind is Decimal else value   # Decimal("1.0") and Decimal("1.00") are equal, not the same value
        found = known.get(key, known)
        if found is known:
            found = known[key] = field.get_db_prep_save(value, self.database)
        return found

    def column(self, index: int, field, values: Sequence) -> list:
        """The conversions of one column's ``values``: a column of one plain type by its distinct
        values, looked up in C (a million cells pass ten columns each); any other one by value."""
        kinds = set(map(type, values))
        kind = kinds.pop() if len(kinds) == 1 else None
        if kind in _PLAIN:
            known = self._known.setdefault((index, kind), {})
            for value in set(values).difference(known):
                known[value] = field.get_db_prep_save(value, self.database)
            return list(map(known.__getitem__, values))
        if kind is Decimal and len(set(values)) > len(values) // 2:   # mostly distinct (a ledger's sums): remembering costs more than it saves
            return [field.get_db_prep_save(value, self.database) for value in values]
        return [self(index, field, value) for value in values]


def preparer(database) -> Preparer:
    return Preparer(database)


def insert_rows(model, attnames: Sequence[str], rows: Iterable[Sequence], prepare: Preparer | None = None) -> int:
    """Write ``rows`` (each a sequence of values in the order of ``attnames``) into ``model``'s
    table; returns how many. Inside the caller's transaction, as any write."""
    database = connections[router.db_for_write(model)]   # the wrapper itself: the proxy costs a lookup per value
    prepare = prepare or preparer(database)
    by_attname = {field.attname: field for field in model._meta.concrete_fields}
    fields = [by_attname[name] for name in attnames]
    ops = database.ops
    statement = (f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({', '.join(ops.quote_name(field.column) for field in fields)}) "  # noqa: S608 - model names
                 f"VALUES ({', '.join(['%s'] * len(fields))})")
    return _execute(database, statement, fields, rows, prepare,
                    f"a row of {model._meta.label} does not have the {len(fields)} values of {', '.join(attnames)}")


def _execute(database, statement: str, fields: Sequence, rows: Iterable[Sequence], prepare: Preparer, wrong_width: str) -> int:
    """``statement`` run by ``executemany`` over ``rows`` in chunks, each value converted for its
    field; a row not as wide as ``fields`` raises ValueError(``wrong_width``). Returns how many."""
    written = 0
    rows = iter(rows)
    with database.cursor() as cursor:
        while chunk := list(islice(rows, CHUNK)):
            if any(len(row) != len(fields) for row in chunk):
                raise ValueError(wrong_width)
            columns = [prepare.column(index, fields[index], values) for index, values in enumerate(zip(*chunk))]
            cursor.executemany(statement, list(zip(*columns)))
            written += len(chunk)
    return written


def update_rows(model, attnames: Sequence[str], rows: Iterable[Sequence], prepare: Preparer | None = None) -> int:
    """Set ``attnames`` of stored rows: each row is its values in the order of ``attnames``, then
    its primary key; one prepared UPDATE run by ``executemany``. ``bulk_update`` writes a CASE
    with a branch per row for every column, which the database walks for each row it updates: an
    import that changed 20,000 customers took over a minute on SQLite. Returns how many."""
    database = connections[router.db_for_write(model)]
    prepare = prepare or preparer(database)
    by_attname = {field.attname: field for field in model._meta.concrete_fields}
    fields = [by_attname[name] for name in attnames] + [model._meta.pk]
    ops = database.ops
    statement = (f"UPDATE {ops.quote_name(model._meta.db_table)} SET {', '.join(f'{ops.quote_name(field.column)} = %s' for field in fields[:-1])} "  # noqa: S608 - model names
                 f"WHERE {ops.quote_name(model._meta.pk.column)} = %s")
    return _execute(database, statement, fields, rows, prepare,
                    f"a row of {model._meta.label} does not have the {len(attnames)} values of {', '.join(attnames)} and its key")
