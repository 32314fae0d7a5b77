"""The trace of a customer's charge, for the page and the API alike (#17): the runs to choose
from, the chosen one (by default the latest of the actual version), the period of invoices it is
held against, and each charge's trace in names a person reads."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.utils.translation import gettext as _

from servicecenter.apps.costing import services as costing
from servicecenter.apps.costing.models import AllocationRun, CostModel
from servicecenter.apps.registry import services as registry
from servicecenter.core.money import ZERO
from servicecenter.core.periods import Period


def trace_context(scope, customer, run_id=None, period: str = "") -> dict:
    """What the trace page and its API show: the runs to choose from, the chosen one (by default
    the latest actual), the period of invoices it is held against, and each charge's trace."""
    if scope.is_customer_contact:   # its own provider's published versions: the customer is visible, so are the costs behind its charges
        found = AllocationRun.objects.filter(model__provider=customer.provider).exclude(model__kind=CostModel.Kind.WHAT_IF)
    else:
        found = AllocationRun.objects.visible_to(scope).filter(model__provider=customer.provider)
    runs = list(found.select_related("model"))
    run = next((r for r in runs if str(r.pk) == str(run_id)), None) or costing.preferred_run(runs)
    if run is None:
        return {"customer": customer, "runs": runs, "run": None, "rows": [], "period": period}
    year = run.model.year
    start, end, label = date(year, 1, 1), date(year, 12, 31), str(year)
    if re.fullmatch(r"\d{4}-\d{2}", period or "") and int(period[:4]) == year and 1 <= int(period[5:]) <= 12:
        chosen = Period.month(int(period[:4]), int(period[5:]))
        start, end, label = chosen.start, chosen.end - timedelta(days=1), period
    provider = customer.provider
    labels = {**costing.object_labels(provider), costing.UNMAPPED: _("Unmapped ledger rows")}
    customers = {customer.number: customer.name}
    by_id = registry.service_names(scope, year)
    names = {s.code: by_id.get(s.pk, s.code) for s in provider.services.all()}
    rows = []
    for row in costing.charge_trace(run, customer, start, end):
        rows.append({**row, "name": names.get(row["service"], row["service"]),
                     "charge": {**row["charge"], "source": costing.label_of(row["charge"]["source"], labels, customers)} if row["charge"] else None,
                     "into": [{**i, "source": costing.label_of(i["source"], labels, customers)} for i in row["into"]],
                     "origins": [{**o, "pool": labels.get(o["pool"], o["pool"])} for o in row["origins"]]})
    return {"customer": customer, "runs": runs, "run": run, "rows": rows, "period": label, "months": [f"{year}-{m:02d}" for m in range(1, 13)],
            "total": sum((r["amount"] for r in rows), ZERO), "invoiced": sum((r["invoiced_amount"] for r in rows), ZERO)}
