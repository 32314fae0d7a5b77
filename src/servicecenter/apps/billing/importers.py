"""Import raw usage events (CSV, Excel or Parquet): one row per payslip, supplier invoice, case...

Each event has a source and an id, unique together. Importing the same event again changes
nothing (counted as ``unchanged``); the same id with different content is an error naming both
rows (or the earlier import), so nothing is silently dropped or counted twice. An event for a
month that is already invoiced is kept with ``late`` set and listed for a correction.
"""

from __future__ import annotations

import hashlib
from datetime import UTC
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicecenter.apps.accounts.access import Capability
from servicecenter.apps.billing.models import UsageEvent
from servicecenter.apps.imports.base import register
from servicecenter.apps.metering.importers import VolumeImporter
from servicecenter.apps.registry.lookup import NUMBER_COLUMN, ORG_COLUMN
from servicecenter.core import limits
from servicecenter.core.periods import Period
from servicecenter.core.problems import Problem, Severity
from servicecenter.formats.tabular import Column
from servicecenter.formats.values import parse_decimal, parse_text, parse_timestamp

STOCKHOLM = ZoneInfo("Europe/Stockholm")
PAYLOAD_FIELDS = ("customer", "service", "time", "quantity", "package", "cost")


def payload(customer_id: int, service_id: int, occurred_at, quantity, package: str, cost) -> tuple:
    return (customer_id, service_id, occurred_at.astimezone(UTC).isoformat(), format(quantity.normalize(), "f"), package,
            "" if cost is None else format(cost.normalize(), "f"))


def payload_hash(values: tuple) -> str:
    return hashlib.sha256("\x1f".join(map(str, values)).encode()).hexdigest()


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

    def prepare(self) -> None:
        super().prepare()
        self.issued = self.closed

    def check_row(self, number, row, heading):
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
        if not self._covered(customer_id, service_id, period):
            check.add("service_code", Problem("volume.no_agreement", {"service": code, "month": period.label()}, value=row.get("customer_number") or row.get("org_number")))
            return None, check.problems
        values = payload(customer_id, service_id, occurred_at, quantity, package, cost)
        return {"source": source, "event_id": event_id, "customer_id": customer_id, "service_id": service_id, "occurred_at": occurred_at,
                "month": period.start, "quantity": quantity, "package": package, "cost": cost, "payload": values}, []

    def check_all(self, checked, heading):
        problems = []
        first: dict[tuple[str, str], tuple[int, tuple]] = {}
        self.new: list[tuple[int, dict]] = []
        self.unchanged = 0
        for number, event in checked:
            identity = (event["source"], event["event_id"])
            if identity in first:
                row, values = first[identity]
                if values == event["payload"]:
                    self.unchanged += 1
                else:
                    problems.append(Problem("event.conflict", {"first": row, "fields": _differing(values, event["payload"])},
                                            source=self.source, row=number, column=heading("event_id"), value=event["event_id"]))
                continue
            first[identity] = (number, event["payload"])
            self.new.append((number, event))
        stored = {}
        sources = {source for source, _id in first}
        for source in sources:
            ids = [event_id for s, event_id in first if s == source]
            for start in range(0, len(ids), 2000):
                for event in UsageEvent.objects.filter(provider=self.provider, source=source, event_id__in=ids[start:start + 2000]):
                    stored[(source, event.event_id)] = (event.payload_hash, payload(event.customer_id, event.service_id, event.occurred_at, event.quantity, event.package, event.cost))
        remaining = []
        for number, event in self.new:
            known = stored.get((event["source"], event["event_id"]))
            if known is None:
                remaining.append((number, event))
            elif known[0] == payload_hash(event["payload"]):
                self.unchanged += 1
            else:
                problems.append(Problem("event.conflict_stored", {"id": event["event_id"], "source": event["source"], "fields": _differing(known[1], event["payload"])},
                                        source=self.source, row=number, column=heading("event_id"), value=event["event_id"]))
        self.new = remaining
        for number, event in self.new:
            if event["month"] in self.issued:
                problems.append(Problem("event.late", {"month": Period.month(event["month"].year, event["month"].month).label()},
                                        source=self.source, row=number, column=heading("occurred_at"), severity=Severity.WARNING))
        return problems

    def apply(self, checked):
        rows = [UsageEvent(provider=self.provider, source=e["source"], event_id=e["event_id"], customer_id=e["customer_id"], service_id=e["service_id"],
                           occurred_at=e["occurred_at"], month=e["month"], quantity=e["quantity"], package=e["package"], cost=e["cost"],
                           payload_hash=payload_hash(e["payload"]), late=e["month"] in self.issued) for _n, e in self.new]
        UsageEvent.objects.bulk_create(rows, batch_size=5000)
        late = sum(1 for row in rows if row.late)
        return {"created": len(rows) - late, "late": late, "unchanged": self.unchanged}


def _differing(first: tuple, second: tuple) -> str:
    return ", ".join(name for name, a, b in zip(PAYLOAD_FIELDS, first, second, strict=True) if a != b)
