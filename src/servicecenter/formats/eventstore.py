"""Raw usage events at scale: checked, deduplicated and stored with DuckDB, without one Python
object per event.

Events are kept as Parquet *batches*, one folder per import (``batch/events.parquet``), with
one column per field and the month. The
database holds a manifest of the batches and the events' totals per customer × service ×
month × package (what billing reads); see docs/decisions/0011-usage-events.md.

``intake`` takes a Parquet file whose columns have the canonical names (the importer renames
and converts other formats first) and, in DuckDB:

1. casts each value the fast way (text limits, ``TRY_CAST`` to timestamp and DECIMAL) and marks
   every row where that is not certainly what the row-wise parser would give (a Swedish
   decimal comma, more decimals than allowed, a text too long...); only those rows go back to
   Python, through ``slow_row``, which returns the same values or the same problems as the
   row-wise import does;
2. maps the distinct customer keys, service codes and customer × service × month triples through
   the callbacks (a few thousand calls for ten million events);
3. finds events repeated in the file (the same content: unchanged; other content: a conflict
   naming both rows) and, by an anti-join against the stored batches, events already stored;
4. writes the new events as a batch and returns their totals.

Nothing is written when a problem is found; the caller commits the manifest and the totals in
one transaction, or deletes the batch folder.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from servicecenter.formats.tabular import cell_text

#: Fields of an event, as stored: identity, then the payload (what must match for "unchanged").
PAYLOAD = ("customer_id", "service_id", "occurred_at", "quantity", "package", "cost")
ROW_OFFSET = 2   # record N (from 0) of a Parquet file is row N + 2, as in the same data saved as CSV
#: The payload's hash, kept with each late event (``UsageEvent.payload_hash``). "The same event"
#: is decided on the fields themselves; hashing ten million payloads cost 1.3 s of every import.
PAYLOAD_SQL = ("md5(concat_ws(chr(31), {p}customer_id, {p}service_id, epoch_us({p}occurred_at), CAST({p}quantity AS VARCHAR), "
               "{p}package, coalesce(CAST({p}cost AS VARCHAR), '')))")
#: A column of the importer's converted files: the row number in the file the person gave.
ROW_COLUMN = "_row_number_"
STORED_COLUMNS = "source, event_id, customer_id, service_id, occurred_at, month, quantity, package, cost, row"
#: Equal payloads (NULL cost equal to NULL cost) of the events ``a`` and ``b``.
SAME_PAYLOAD = ("(a.customer_id, a.service_id, a.occurred_at, a.quantity, a.package, a.cost) IS NOT DISTINCT FROM "
                "(b.customer_id, b.service_id, b.occurred_at, b.quantity, b.package, b.cost)")


@dataclass(frozen=True)
class Trouble:
    """A problem found in the columnar pass: row, canonical column, code, parameters, value."""

    row: int
    column: str | None
    code: str
    params: dict = field(default_factory=dict)
    value: str | None = None
    warning: bool = False
    problem: object = None    # the row-wise parser's own problem, already located (slow rows)


@dataclass(frozen=True)
class Total:
    customer_id: int
    service_id: int
    month: date
    package: str
    late: bool
    quantity: Decimal
    cost: Decimal | None
    events: int


@dataclass
class Intake:
    rows: int = 0
    problems: list[Trouble] = field(default_factory=list)
    new: int = 0
    unchanged: int = 0
    late: int = 0
    totals: list[Total] = field(default_factory=list)
    batch: Path | None = None       # the folder written (None when nothing new or a problem)
    months: list[date] = field(default_factory=list)
    late_events: list[dict] = field(default_factory=list)   # each late event (occurred_us: microseconds since 1970, UTC)

    @property
    def errors(self) -> list[Trouble]:
        return [p for p in self.problems if not p.warning]


#: ``slow_row(row_number, texts)`` → (values, troubles): values is a dict with ``source``,
#: ``event_id``, ``customer_id``, ``service_id``, ``occurred_at`` (aware datetime), ``month``,
#: ``quantity``, ``package``, ``cost`` — or None with the row's troubles.
SlowRow = Callable[[int, dict[str, str]], tuple[dict | None, list[Trouble]]]
#: ``customer(customer_number, org_number)`` → (customer id, None) or (None, trouble without row).
CustomerOf = Callable[[str, str], tuple[int | None, Trouble | None]]
#: ``covered(customer_id, service_id, month)`` → whether an agreement covers it.
Covered = Callable[[int, int, date], bool]


def _connect(work: Path, memory_limit: str):
    import duckdb

    connection = duckdb.connect()   # in memory, spilling to ``work`` beyond the limit
    connection.execute("SET enable_progress_bar = false")
    connection.execute(f"SET memory_limit = '{memory_limit}'")
    connection.execute(f"SET temp_directory = '{work / 'spill'}'")
    connection.execute("SET TimeZone = 'Europe/Stockholm'")   # a time without offset is Swedish local time
    connection.execute("SET preserve_insertion_order = false")
    return connection


def _given_view(db, path: Path, names: dict[str, str] | None) -> None:
    """``given``: the file's columns under their canonical names, with the record number."""
    literal = "'" + str(path).replace("'", "''") + "'"
    if names is None:
        db.execute(f"CREATE VIEW given AS SELECT * FROM read_parquet({literal}, file_row_number = true)")  # noqa: S608
        return
    columns = ", ".join('"' + actual.replace('"', '""') + '" AS ' + canonical for canonical, actual in names.items())
    db.execute(f"CREATE VIEW given AS SELECT {columns}, file_row_number FROM read_parquet({literal}, file_row_number = true)")  # noqa: S608


def _text(name: str, present: set[str]) -> str:
    return f"trim(CAST({name} AS VARCHAR))" if name in present else "NULL::VARCHAR"


def intake(
    path: Path,
    *,
    store: Path,
    stored_batches: Sequence[Path],
    services: dict[str, int],
    customer: CustomerOf,
    covered: Covered,
    issued_months: Iterable[date],
    slow_row: SlowRow,
    limits: dict[str, int],
    max_problems: int = 1000,
    memory_limit: str = "1GB",
    write: bool = True,
    names: dict[str, str] | None = None,
) -> Intake:
    """Check the events of ``path`` and, when nothing is wrong, write the new ones as a batch
    under ``store`` (see the module's description). ``limits``: the longest ``source``,
    ``event_id`` and ``package``; the largest quantity and cost (as ``quantity_max``,
    ``cost_max``); the first and last day an event may have (``first_day``, ``last_day``). ``names``: the file's column for each canonical name it has (default: the
    canonical names themselves)."""
    import duckdb

    result = Intake()
    work = Path(tempfile.mkdtemp(prefix="events-", dir=store))
    try:
        connection = _connect(work, memory_limit)
        try:
            _given_view(connection, path, names)
            return _intake(connection, result, path, work, store, stored_batches, services, customer, covered,
                           set(issued_months), slow_row, limits, max_problems, write, names)
        except duckdb.Error as error:
            raise EventStoreError(f"{path.name}: {error}") from error
        finally:
            connection.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


class EventStoreError(RuntimeError):
    pass


def _intake(db, result: Intake, path: Path, work: Path, store: Path, stored_batches, services, customer, covered, issued,
            slow_row, limits, max_problems, write, names) -> Intake:
    kinds = dict(db.execute("SELECT column_name, column_type FROM (DESCRIBE given)").fetchall())
    present = set(kinds) - {"file_row_number"}
    q_max, c_max = limits["quantity_max"], limits["cost_max"]

    def decimal_fast(name: str, places: int, maximum) -> tuple[str, str]:
        """(value expression, "is certainly what the parser gives") for a number column."""
        target = f"DECIMAL(18, {places})"
        if name not in present:
            return f"NULL::{target}", "TRUE"
        kind = kinds[name].upper()
        value = f"TRY_CAST({name} AS {target})"
        if kind.startswith(("VARCHAR", "BLOB")):
            text = f"trim(CAST({name} AS VARCHAR))"
            ok = (f"regexp_full_match({text}, '[0-9]{{1,12}}(\\.[0-9]{{1,{places}}})?')" if places else
                  f"regexp_full_match({text}, '[0-9]{{1,12}}')")
            ok = f"({text} IS NULL OR {text} = '' OR {ok})"
            value = f"CASE WHEN {text} = '' THEN NULL ELSE {value} END"
        elif kind.startswith(("DOUBLE", "FLOAT", "REAL")):
            ok = f"({name} IS NULL OR (isfinite({name}) AND {name} >= 0 AND CAST({value} AS DOUBLE) = {name}))"
        elif kind.startswith(("DECIMAL", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT")):
            ok = f"({name} IS NULL OR ({name} >= 0 AND CAST({value} AS DOUBLE) = CAST({name} AS DOUBLE)))"
        else:
            ok = "FALSE"
        return value, f"({ok} AND ({value} IS NULL OR {value} <= {maximum}))"

    first_day, last_day = limits["first_day"], limits["last_day"]

    def inside_days(expression: str) -> str:
        """Strictly inside the allowed days: a time on the first or last day goes to the parser,
        which decides by the day in its own offset, as the row-wise import does."""
        return f"CAST({expression} AS DATE) > DATE '{first_day.isoformat()}' AND CAST({expression} AS DATE) < DATE '{last_day.isoformat()}'"

    quantity, quantity_ok = decimal_fast("quantity", 3, q_max)
    cost, cost_ok = decimal_fast("cost", 2, c_max)
    occurred_kind = kinds.get("occurred_at", "").upper()
    if occurred_kind.startswith("TIMESTAMP") or occurred_kind == "DATE":
        # a time with a zone is that instant; one without is Swedish local time (the session's zone)
        occurred = "CAST(occurred_at AS TIMESTAMPTZ)"
        occurred_ok = f"(occurred_at IS NOT NULL AND {inside_days('occurred_at')})"
    else:
        text = _text("occurred_at", present)
        occurred = f"TRY_CAST({text} AS TIMESTAMPTZ)"
        occurred_ok = (f"(regexp_full_match({text}, '\\d{{4}}-\\d{{2}}-\\d{{2}}([T ]\\d{{2}}:\\d{{2}}(:\\d{{2}}(\\.\\d{{1,6}})?)?(Z|[+-]\\d{{2}}:?\\d{{2}})?)?')"
                       f" AND {occurred} IS NOT NULL AND {inside_days(occurred)})")

    texts = ("source", "event_id", "customer_number", "org_number", "service_code", "package")

    def text_ok(name: str, limit: int, required: bool) -> str:
        t = f"t_{name}"
        base = f"(length({t}) <= {limit} AND strpos({t}, chr(0)) = 0)"
        return f"({t} IS NOT NULL AND {t} <> '' AND {base})" if required else f"({t} IS NULL OR {base})"

    # --- customers and services: once per distinct key (a few thousand calls for 10 M events) ---
    keys = db.execute(f"SELECT DISTINCT coalesce({_text('customer_number', present)}, ''), "  # noqa: S608 - constants and column names checked above
                      f"coalesce({_text('org_number', present)}, '') FROM given").fetchall()
    customer_rows, bad_customers = [], {}
    for number, org in keys:
        found, trouble = customer(number, org)
        if found is not None:
            customer_rows.append((number, org, found))
        else:
            bad_customers[(number, org)] = trouble
    db.execute("CREATE TABLE customers (customer_number VARCHAR, org_number VARCHAR, customer_id BIGINT)")
    if customer_rows:
        db.executemany("INSERT INTO customers VALUES (?, ?, ?)", customer_rows)
    db.execute("CREATE TABLE services (service_code VARCHAR, service_id BIGINT)")
    if services:
        db.executemany("INSERT INTO services VALUES (?, ?)", list(services.items()))
    quantity_text = _text("quantity", present)
    db.execute(f"""
        CREATE TABLE events AS
        WITH trimmed AS (SELECT *, {', '.join(f"{_text(name, present)} AS t_{name}" for name in texts)} FROM given),
        raw AS (SELECT
            {'CAST(_row_number_ AS BIGINT)' if ROW_COLUMN in present else f'CAST(file_row_number AS BIGINT) + {ROW_OFFSET}'} AS row,
            t_source AS source, t_event_id AS event_id,
            coalesce(t_customer_number, '') AS customer_number, coalesce(t_org_number, '') AS org_number,
            t_service_code AS service_code,
            {occurred} AS occurred_at, {quantity} AS quantity, coalesce(t_package, '') AS package, {cost} AS cost,
            ({text_ok('source', limits['source'], True)} AND {text_ok('event_id', limits['event_id'], True)}
             AND {text_ok('package', limits['package'], False)} AND {occurred_ok} AND {text_ok('service_code', 10_000, True)}
             AND {quantity_ok} AND {quantity_text} IS NOT NULL AND {quantity_text} <> '' AND {cost_ok}) AS fast
            FROM trimmed)
        SELECT r.*, c.customer_id, s.service_id, CAST(date_trunc('month', r.occurred_at) AS DATE) AS month
        FROM raw r LEFT JOIN customers c USING (customer_number, org_number) LEFT JOIN services s USING (service_code)
    """)  # noqa: S608 - every name above is a constant of this module
    result.rows = db.execute("SELECT count(*) FROM events").fetchone()[0]
    if result.rows == 0:
        return result

    problems: list[Trouble] = []

    def add(trouble: Trouble) -> bool:
        problems.append(trouble)
        return sum(1 for p in problems if not p.warning) < max_problems

    # rows the fast pass could not vouch for: the row-wise parser decides, with its own problems
    slow = db.execute("SELECT row, source, event_id, customer_number, org_number, service_code, package FROM events WHERE NOT fast ORDER BY row").fetchall()
    slow_values = []
    if slow:
        slow_names = [d[0] for d in db.description][1:]
        originals = _original_texts(path, [row[0] for row in slow], names)
        for row in slow:
            values, troubles = slow_row(row[0], originals.get(row[0], dict(zip(slow_names, row[1:], strict=True))))
            for trouble in troubles:
                if not add(trouble):
                    break
            if values is not None:
                slow_values.append(values)
    # unknown customers and services among the fast rows (a slow row's parser already said so)
    for (number, org), trouble in bad_customers.items():
        for (row,) in db.execute("SELECT row FROM events WHERE fast AND customer_number = ? AND org_number = ? ORDER BY row LIMIT ?",
                                 [number, org, max_problems]).fetchall():
            add(Trouble(row, trouble.column, trouble.code, trouble.params, trouble.value))
    for row, code in db.execute("SELECT row, service_code FROM events WHERE fast AND service_id IS NULL ORDER BY row LIMIT ?", [max_problems]).fetchall():
        add(Trouble(row, "service_code", "service.unknown", {"code": code}, code))
    if slow:
        db.execute("DELETE FROM events WHERE NOT fast")
    if slow_values:
        db.execute("CREATE TABLE slow (row BIGINT, source VARCHAR, event_id VARCHAR, customer_id BIGINT, service_id BIGINT, "
                   "occurred_at TIMESTAMPTZ, month DATE, quantity DECIMAL(18, 3), package VARCHAR, cost DECIMAL(18, 2))")
        db.executemany("INSERT INTO slow VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       [(v["row"], v["source"], v["event_id"], v["customer_id"], v["service_id"], v["occurred_at"], v["month"],
                         v["quantity"], v["package"], v["cost"]) for v in slow_values])
        db.execute("INSERT INTO events BY NAME SELECT *, TRUE AS fast FROM slow")
    # agreements: each distinct customer × service × month once
    triples = db.execute("SELECT DISTINCT customer_id, service_id, month FROM events WHERE customer_id IS NOT NULL AND service_id IS NOT NULL").fetchall()
    uncovered = [t for t in triples if not covered(*t)]
    if uncovered:
        db.execute("CREATE TABLE uncovered (customer_id BIGINT, service_id BIGINT, month DATE)")
        db.executemany("INSERT INTO uncovered VALUES (?, ?, ?)", uncovered)
        for row, code, month in db.execute("SELECT e.row, e.service_code, e.month FROM events e JOIN uncovered USING (customer_id, service_id, month) "
                                           "ORDER BY e.row LIMIT ?", [max_problems]).fetchall():
            add(Trouble(row, "service_code", "volume.no_agreement", {"service": code, "month": f"{month:%Y-%m}"}))
    if any(not p.warning for p in problems):
        result.problems = sorted(problems, key=lambda p: p.row)
        return result

    # --- duplicates within the file, then against what is stored --------------------------------
    # distinct 64-bit hashes of the identities prove them distinct, at a fraction of the cost of
    # grouping ten million pairs of strings; equal hashes (a repeat, or a collision) take the exact way
    distinct = db.execute("SELECT count(*) = count(DISTINCT hash(source, event_id)) FROM events").fetchone()[0]
    repeated = None if distinct else db.execute(
        "SELECT source, event_id FROM events GROUP BY source, event_id HAVING count(*) > 1 LIMIT 1").fetchone()
    repeated_unchanged = 0
    if repeated is not None:   # rare: only then the window over every event
        conflicts = db.execute(f"""
            WITH firsts AS (SELECT source, event_id, min(row) AS first_row FROM events GROUP BY source, event_id HAVING count(*) > 1)
            SELECT a.row, a.event_id, f.first_row, NOT ({SAME_PAYLOAD})
            FROM events a JOIN firsts f USING (source, event_id) JOIN events b ON b.row = f.first_row
            WHERE a.row <> f.first_row ORDER BY a.row
        """).fetchall()  # noqa: S608
        for row, event_id, first_row, differs in conflicts:
            if differs:
                fields = _differing(_payload(db, "events", "row = ?", [first_row]), _payload(db, "events", "row = ?", [row]))
                if not add(Trouble(row, "event_id", "event.conflict", {"first": first_row, "fields": fields}, event_id)):
                    break
            else:
                repeated_unchanged += 1
        db.execute("CREATE TABLE unique_events AS SELECT * FROM events QUALIFY row_number() OVER (PARTITION BY source, event_id ORDER BY row) = 1")
        db.execute("DROP TABLE events")
    else:
        db.execute("ALTER TABLE events RENAME TO unique_events")
    stored_unchanged = 0
    files = [str(batch / "**" / "*.parquet") for batch in stored_batches if batch.exists()]
    if files:
        listed = ", ".join("'" + name.replace("'", "''") + "'" for name in files)   # a view cannot take parameters
        db.execute(f"CREATE VIEW stored AS SELECT * FROM read_parquet([{listed}], hive_partitioning = false, union_by_name = true)")  # noqa: S608
        db.execute(f"""CREATE TABLE clashes AS SELECT a.row, a.source, a.event_id, {SAME_PAYLOAD} AS same
                       FROM unique_events a JOIN stored b USING (source, event_id)""")  # noqa: S608
        stored_unchanged = db.execute("SELECT count(*) FILTER (WHERE same) FROM clashes").fetchone()[0]
        for row, source, event_id in db.execute("SELECT row, source, event_id FROM clashes WHERE NOT same ORDER BY row LIMIT ?",
                                                [max_problems]).fetchall():
            fields = _differing(_payload(db, "unique_events", "row = ?", [row]),
                                _payload(db, "stored", "source = ? AND event_id = ?", [source, event_id]))
            if not add(Trouble(row, "event_id", "event.conflict_stored", {"id": event_id, "source": source, "fields": fields}, event_id)):
                break
        clashing = db.execute("SELECT count(*) FROM clashes").fetchone()[0]
        if clashing == 0:
            db.execute("ALTER TABLE unique_events RENAME TO new_events")
        elif clashing == db.execute("SELECT count(*) FROM unique_events").fetchone()[0]:
            db.execute("CREATE TABLE new_events AS SELECT * FROM unique_events LIMIT 0")   # the file again: nothing new
        else:
            db.execute("CREATE TABLE new_events AS SELECT u.* FROM unique_events u ANTI JOIN clashes c USING (row)")
    else:
        db.execute("ALTER TABLE unique_events RENAME TO new_events")
    result.unchanged = repeated_unchanged + stored_unchanged
    if any(not p.warning for p in problems):
        result.problems = sorted(problems, key=lambda p: p.row)
        return result

    issued_list = sorted(issued)
    db.execute("CREATE TABLE issued (month DATE)")
    if issued_list:
        db.executemany("INSERT INTO issued VALUES (?)", [(m,) for m in issued_list])
    for row, month in db.execute("SELECT row, month FROM new_events WHERE month IN (SELECT month FROM issued) ORDER BY row LIMIT ?",
                                 [max_problems]).fetchall():
        problems.append(Trouble(row, "occurred_at", "event.late", {"month": f"{month:%Y-%m}"}, warning=True))
    result.problems = sorted(problems, key=lambda p: p.row)
    result.new, result.late = db.execute(
        "SELECT count(*), count(*) FILTER (WHERE month IN (SELECT month FROM issued)) FROM new_events").fetchone()
    if result.new == 0:
        return result
    for customer_id, service_id, month, package, late, total_quantity, total_cost, events in db.execute("""
            SELECT customer_id, service_id, month, package, month IN (SELECT month FROM issued) AS late,
                   sum(quantity), sum(cost), count(*) FROM new_events GROUP BY ALL ORDER BY ALL""").fetchall():
        result.totals.append(Total(int(customer_id), int(service_id), month, package, bool(late), Decimal(total_quantity),
                                   None if total_cost is None else Decimal(total_cost), int(events)))
    result.months = sorted({t.month for t in result.totals})
    if result.late:
        cursor = db.execute(f"""SELECT source, event_id, customer_id, service_id, epoch_us(occurred_at) AS occurred_us, month, quantity,
                                      package, cost, {PAYLOAD_SQL.format(p='')} AS payload FROM new_events
                               WHERE month IN (SELECT month FROM issued) ORDER BY row""")  # noqa: S608
        late_names = [d[0] for d in cursor.description]
        result.late_events = [dict(zip(late_names, row, strict=True)) for row in cursor.fetchall()]
    if not write:
        return result
    batch = store / f"batch-{uuid.uuid4().hex}"
    target = str(batch).replace("'", "''")   # COPY takes no parameter for its target; the name is ours (uuid)
    batch.mkdir()
    # one file per batch: DuckDB's PARTITION_BY took 11 s for ten million events, this about 3
    db.execute(f"COPY (SELECT {STORED_COLUMNS} FROM new_events) TO '{target}/events.parquet' (FORMAT parquet, COMPRESSION snappy)")  # noqa: S608
    result.batch = batch
    return result


def _payload(db, table: str, condition: str, params: list) -> tuple:
    return db.execute(f"SELECT {_COMPARABLE} FROM {table} WHERE {condition} LIMIT 1", params).fetchone()  # noqa: S608 - our names


def _differing(first: tuple, second: tuple) -> str:
    """The names of the payload fields in which two events differ."""
    return ", ".join(_FIELD_NAMES[name] for name, x, y in zip(PAYLOAD, first, second, strict=True) if x != y)


#: The payload as comparable values (a TIMESTAMPTZ fetched into Python would need pytz).
_COMPARABLE = ("customer_id, service_id, epoch_us(occurred_at), CAST(quantity AS VARCHAR), package, CAST(cost AS VARCHAR)")

_FIELD_NAMES = {"customer_id": "customer", "service_id": "service", "occurred_at": "time", "quantity": "quantity", "package": "package", "cost": "cost"}


def _original_texts(path: Path, rows: list[int], names: dict[str, str] | None) -> dict[int, dict[str, str]]:
    """The cells of ``rows`` as the row-wise reader shows them (its text form of every type),
    under the canonical names."""
    import pyarrow.parquet as pq

    canonical = {actual: name for name, actual in (names or {}).items()}
    wanted = set(rows)
    out: dict[int, dict[str, str]] = {}
    number = ROW_OFFSET
    for batch in pq.ParquetFile(path).iter_batches(batch_size=65536):
        columns = batch.schema.names
        if ROW_COLUMN in columns:
            numbers = batch.column(columns.index(ROW_COLUMN)).to_pylist()
        else:
            numbers = range(number, number + batch.num_rows)
        hits = [(k, r) for k, r in enumerate(numbers) if r in wanted]
        if hits:
            values = {canonical.get(name, name): batch.column(i).to_pylist() for i, name in enumerate(columns) if name != ROW_COLUMN}
            for k, r in hits:
                out[r] = {name: cell_text(column[k]) for name, column in values.items()}
        number += batch.num_rows
    return out


def write_batch(events, store: Path) -> Path:
    """Events already checked (an Arrow table with the stored columns, e.g. the
    rows of an earlier version's table) as a new batch under ``store``; returns its folder."""
    import duckdb

    store.mkdir(parents=True, exist_ok=True)
    batch = store / f"batch-{uuid.uuid4().hex}"
    connection = duckdb.connect()
    try:
        connection.execute("SET TimeZone = 'Europe/Stockholm'")
        connection.register("given", events)
        target = str(batch).replace("'", "''")
        batch.mkdir()
        connection.execute(f"""COPY (SELECT {STORED_COLUMNS} FROM given)
                               TO '{target}/events.parquet' (FORMAT parquet, COMPRESSION zstd)""")  # noqa: S608
    finally:
        connection.close()
    return batch
