"""Import raw usage events (CSV, Excel or Parquet): one row per payslip, supplier invoice, case...

Each event has a source and an id, unique together. Importing the same event again changes
nothing (counted as ``unchanged``); the same id with different content is an error naming both
rows (or the earlier import), so nothing is silently dropped or counted twice. An event for a
month that is already invoiced is kept with ``late`` set and listed for a correction.

The whole file is checked at once by ``formats.eventstore`` (DuckDB), and the accepted events
are stored as a Parquet batch with their totals (decision 0011): ten million events in bounded
memory. Rows the columnar pass cannot vouch for come back to ``check_row``, the row-wise rules.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicecenter.apps.accounts.access import Capability
from servicecenter.apps.billing.models import EventBatch, UsageEvent, UsageTotal
from servicecenter.apps.imports.base import register
from servicecenter.apps.metering.importers import VolumeImporter
from servicecenter.apps.registry.lookup import NUMBER_COLUMN, ORG_COLUMN
from servicecenter.apps.registry.models import Provider
from servicecenter.core import limits
from servicecenter.core.periods import Period
from servicecenter.core.problems import Problem, Severity
from servicecenter.formats.tabular import Column, read_table
from servicecenter.formats.values import parse_decimal, parse_text, parse_timestamp

STOCKHOLM = ZoneInfo("Europe/Stockholm")
@register
class EventImporter(VolumeImporter):
    kind = "events"
    label = _("Usage events")
    help_text = _("One row per event: source, event id, customer number or organisation number, service code, time, quantity (and optionally package, cost). "
                  "CSV, Excel or Parquet. The same event twice changes nothing.")
    capability = Capability.IMPORT_VOLUMES
    columns = (
        Column("source", True, ("källa", "system")),
        Column("event_id", True, ("id", "händelse-id", "handelse_id")),
        NUMBER_COLUMN,
        ORG_COLUMN,
        Column("service_code", True, ("tjänst kod", "tjänstekod", "tjänst", "service")),
        Column("occurred_at", True, ("tidpunkt", "tid", "timestamp", "time")),
        Column("quantity", True, ("antal", "kvantitet", "volym")),
        Column("package", False, ("paket",)),
        Column("cost", False, ("kostnad",)),
    )

    whole_file = True

    def prepare(self) -> None:
        super().prepare()
        self.issued = self.closed

    def check_row(self, number, row, heading):
        """One row the columnar pass could not vouch for, checked as every import checks rows."""
        check = self.row_check(number, heading)
        source = check.take("source", parse_text(row.get("source", ""), limit=60))
        event_id = check.take("event_id", parse_text(row.get("event_id", ""), limit=100))
        customer_id, service_id, code = self.customer_and_service(check, row)
        occurred_at = check.take("occurred_at", parse_timestamp(row.get("occurred_at", "")))
        quantity = check.take("quantity", parse_decimal(row.get("quantity", ""), limit=limits.QUANTITY))
        if quantity is not None and quantity < 0:
            check.add("quantity", Problem("value.negative", value=row.get("quantity")))
        package = check.take("package", parse_text(row.get("package", ""), required=False, limit=20)) or ""
        cost = check.take("cost", parse_decimal(row.get("cost", ""), required=False, limit=limits.COST))
        if check.problems:
            return None, check.problems
        if timezone.is_naive(occurred_at):
            occurred_at = occurred_at.replace(tzinfo=STOCKHOLM)
        local = occurred_at.astimezone(STOCKHOLM)
        period = Period.month(local.year, local.month)
        return {"row": number, "source": source, "event_id": event_id, "customer_id": customer_id, "service_id": service_id,
                "occurred_at": occurred_at.astimezone(UTC), "month": period.start, "quantity": quantity, "package": package, "cost": cost}, []

    def check_file(self, data, source, *, dry_run):
        from servicecenter.formats.eventstore import Trouble, intake

        table, problems = read_table(data, source, self.columns)
        if table is None:
            return 0, problems, None
        store = Path(settings.EVENTS_DIR) / str(self.provider.pk)
        store.mkdir(parents=True, exist_ok=True)
        heading = table.heading

        def located(trouble: Trouble) -> Problem:
            if trouble.problem is not None:
                return trouble.problem
            return Problem(trouble.code, trouble.params, source=source, row=trouble.row,
                           column=heading(trouble.column) if trouble.column else None, value=trouble.value,
                           severity=Severity.WARNING if trouble.warning else Severity.ERROR)

        def customer(number: str, org: str):
            found, column, problem = self.customers.find({"customer_number": number, "org_number": org})
            if found is not None:
                return found, None
            return None, Trouble(0, column, problem.code, dict(problem.params), problem.value)

        def slow_row(number: int, texts: dict[str, str]):
            row = {name: (texts.get(name) or "").strip() for name in (column.name for column in self.columns)}
            if not any(row.values()):
                return None, []          # a blank row, skipped as the row-wise reader skips it
            values, found = self.check_row(number, row, heading)
            return values, [Trouble(number, None, p.code, problem=p) for p in found]

        batches = list(EventBatch.objects.filter(provider=self.provider).order_by("id"))
        self.last_batch = batches[-1].pk if batches else 0
        with tempfile.TemporaryDirectory(dir=store, prefix="upload-") as work:
            path, names = self._columnar(data, source, table, Path(work))
            result = intake(path, store=store, stored_batches=[b.path for b in batches],
                            services=self.services, customer=customer,
                            covered=lambda c, s, m: self._covered(c, s, Period.month(m.year, m.month)),
                            issued_months=self.issued, slow_row=slow_row, write=not dry_run, names=names,
                            limits={"source": 60, "event_id": 100, "package": 20, "quantity_max": limits.QUANTITY.high,
                                    "cost_max": limits.COST.high, "first_day": limits.FIRST_DAY, "last_day": limits.LAST_DAY})
        problems += [located(t) for t in result.problems]   # ``problems`` is the table's list: it grew while rows were read
        if result.rows == 0 and not any(p.severity is Severity.ERROR for p in problems):
            problems.append(Problem("file.no_rows", source=source))
        return result.rows, problems, result

    def _columnar(self, data, source: str, table, work: Path) -> tuple[Path, dict[str, str] | None]:
        """A Parquet file DuckDB reads: the given one (its columns named through ``names``), or
        the rows of a CSV or Excel file, as text, with the row numbers the person sees."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        if Path(source).suffix.lower() == ".parquet":
            if isinstance(data, (bytes, bytearray)):
                path = work / "upload.parquet"
                path.write_bytes(data)
            else:
                path = Path(data)
            return path, {name: table.header[index] for name, index in table.mapping.items()}
        from servicecenter.formats.eventstore import ROW_COLUMN

        names = [column.name for column in self.columns if column.name in table.mapping]
        schema = pa.schema([(ROW_COLUMN, pa.int64())] + [(name, pa.string()) for name in names])
        path = work / "rows.parquet"
        with pq.ParquetWriter(path, schema) as writer:
            batch: list[tuple[int, dict]] = []
            for number, row in table.rows():
                batch.append((number, row))
                if len(batch) >= 65536:
                    writer.write_table(_as_table(batch, names, schema))
                    batch = []
            if batch:
                writer.write_table(_as_table(batch, names, schema))
        return path, None

    def apply(self, result):
        if result is None or result.batch is None:
            return {"created": 0, "late": 0, "unchanged": result.unchanged if result else 0}
        store = Path(settings.EVENTS_DIR)
        # one import of a provider's events at a time: the check above compared the file with the
        # batches stored then; a batch committed since could hold the same events
        Provider.objects.select_for_update().get(pk=self.provider.pk)
        if EventBatch.objects.filter(provider=self.provider, pk__gt=self.last_batch).exists():
            raise IntegrityError("another import of usage events finished while this file was checked; import the file again")
        batch = EventBatch.objects.create(provider=self.provider, folder=str(result.batch.relative_to(store)), events=result.new)
        _insert_totals(self.provider.pk, batch.pk, result.totals)
        UsageEvent.objects.bulk_create([
            UsageEvent(provider=self.provider, source=e["source"], event_id=e["event_id"], customer_id=e["customer_id"], service_id=e["service_id"],
                       occurred_at=datetime.fromtimestamp(e["occurred_us"] / 1_000_000, UTC), month=e["month"], quantity=e["quantity"],
                       package=e["package"], cost=e["cost"], payload_hash=e["payload"], late=True) for e in result.late_events], batch_size=5000)
        return {"created": result.new - result.late, "late": result.late, "unchanged": result.unchanged}

    def discard(self, result) -> None:
        if result is not None and result.batch is not None:
            shutil.rmtree(result.batch, ignore_errors=True)


def _insert_totals(provider_id: int, batch_id: int, totals) -> None:
    """The batch's totals in bulk: COPY on PostgreSQL, one prepared INSERT on SQLite. A national
    year has about 216,000 (300 customers × 60 services × 12 months); ``bulk_create`` spent 10 s
    building model instances for them, this well under one."""
    table = UsageTotal._meta.db_table
    names = ["provider_id", "batch_id", "customer_id", "service_id", "month", "package", "late", "quantity", "cost", "events"]
    rows = ((provider_id, batch_id, t.customer_id, t.service_id, t.month, t.package, t.late, t.quantity, t.cost, t.events) for t in totals)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})",  # noqa: S608 - model names
                               [(*row[:4], row[4].isoformat(), row[5], int(row[6]), str(row[7]), None if row[8] is None else str(row[8]), row[9])
                                for row in rows])


def _as_table(batch, names, schema):
    import pyarrow as pa

    return pa.table([pa.array([number for number, _row in batch], pa.int64())]
                    + [pa.array([row.get(name, "") for _number, row in batch], pa.string()) for name in names], schema=schema)


#: an unlisted folder younger than this may belong to an import still checking or writing
UNLISTED_KEPT_SECONDS = 24 * 3600


def sweep_unlisted_batches(older_than: float = UNLISTED_KEPT_SECONDS) -> list[Path]:
    """Remove the folders of the events store that no EventBatch lists and no import can still
    be writing (older than a day): what an import killed between writing its files and
    committing leaves (billing never reads them; decision 0011). Returns what was removed."""
    from servicecenter import clock

    store = Path(settings.EVENTS_DIR)
    if not store.is_dir():
        return []
    listed = set(EventBatch.objects.values_list("folder", flat=True))
    now = clock.wall()
    removed = []
    for provider_folder in sorted(p for p in store.iterdir() if p.is_dir()):
        for folder in sorted(provider_folder.iterdir()):
            if not folder.is_dir() or not folder.name.startswith(("batch-", "events-")):
                continue
            if str(folder.relative_to(store)) in listed or now - folder.stat().st_mtime < older_than:
                continue
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed
