"""What each role meets first on the start page, above the organisation's overview (#17):

- a controller: this month's billing (the last month issued, a run waiting for approval or issue,
  the next month to bill) and the imports that need attention (refused files, late events);
- an office-network planner: the network today and the open scenarios;
- the coordinator of IT operations (an organisation whose indicators are the seven of coordinated
  IT operations): those indicators, the latest year against the year before and the target;
- a customer contact: its own invoices, this year's cost per service with a trend, its agreements
  (``customer_panel``).

Each panel is a few queries; none recomputes what a page behind its links computes in full.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from servicecenter import clock
from servicecenter.apps.accounts.access import Capability
from servicecenter.apps.accounts.models import Role
from servicecenter.apps.billing.models import BillingRun, Invoice, UsageEvent
from servicecenter.apps.imports.models import ImportRun
from servicecenter.apps.registry.models import Provider
from servicecenter.core.periods import Period


def _month_after(day: date) -> date:
    return Period.month(day.year, day.month).end   # the first day of the next month (the end is exclusive)


def _month_before(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def billing_panel(scope, providers: list[Provider]) -> list[dict]:
    """Per provider the person bills for: the last month issued, the open run and its next step,
    and the next month to bill. Shown to those who bill (a panel left out, not a page refused)."""
    return _billing_rows(providers) if scope.can(Capability.RUN_BILLING) else []


def _billing_rows(providers: list[Provider]) -> list[dict]:
    rows = []
    for provider in providers:
        runs = BillingRun.objects.filter(provider=provider).defer(*BillingRun.LIST_DEFERRED)
        issued = runs.filter(state=BillingRun.State.ISSUED).order_by("-period").first()
        open_run = runs.filter(state__in=(BillingRun.State.PREVIEW, BillingRun.State.APPROVED)).order_by("period").first()
        if issued is None and open_run is None and not provider.services.exists():
            continue
        last = None
        if issued is not None:
            totals = Invoice.objects.filter(run=issued).aggregate(count=Count("pk"), payable=Sum("payable"))
            last = {"run": issued, "count": totals["count"], "payable": totals["payable"] or Decimal(0),
                    "url": reverse("billing-run", args=[issued.pk])}
        step = None
        if open_run is not None:
            if open_run.state == BillingRun.State.PREVIEW:
                step = _("waiting for approval by a second controller") if open_run.fatal_findings == [] else _("has documents that fail validation")
            else:
                step = _("approved, ready to issue")
        upcoming = _month_after(issued.period) if issued is not None else clock.today().replace(day=1)
        rows.append({"provider": provider, "last": last, "open": open_run, "step": step,
                     "open_url": reverse("billing-run", args=[open_run.pk]) if open_run else "", "next": upcoming,
                     "next_due": upcoming <= _month_before(clock.today())})
    return rows


def imports_panel(scope, providers: list[Provider]) -> dict:
    """Files refused in the last 30 days, and late usage events not yet corrected; for those who
    import (a panel left out, not a page refused)."""
    return _attention(scope, providers) if scope.can(Capability.IMPORT_VOLUMES) else {}


def _attention(scope, providers: list[Provider]) -> dict:
    since = clock.now() - timedelta(days=30)
    refused = list(ImportRun.objects.visible_to(scope).filter(status=ImportRun.Status.REJECTED, at__gte=since).order_by("-at")[:5])
    late = UsageEvent.objects.filter(provider__in=providers, late=True, corrected_by__isnull=True).count()
    return {"refused": refused, "late": late}


def network_panel(scope, provider: Provider | None) -> dict:
    """The network today and the open scenarios, for a planner."""
    if provider is None or scope.role != Role.NETWORK_PLANNER:
        return {}
    from servicecenter.apps.network.models import Office, Scenario

    today = clock.today()
    offices = Office.objects.filter(provider=provider).exclude(closed__lte=today)
    scenarios = list(Scenario.objects.filter(provider=provider).order_by("-created")[:6])
    return {"offices": offices.count(), "scenarios": scenarios}


def indicators_panel(scope, provider: Provider | None, language: str) -> dict:
    """The seven indicators of coordinated IT operations for the organisation that coordinates
    them: the latest year with the year before and the target or reference value."""
    if provider is None or scope.is_customer_contact:
        return {}
    from servicecenter.apps.followup import services as followup
    from servicecenter.apps.followup.models import DataPoint, Family, IndicatorDefinition
    from servicecenter.core.indicators import Level

    if not IndicatorDefinition.objects.filter(provider=provider, family=Family.IT_OPERATIONS).exists():
        return {}
    years = sorted(set(DataPoint.objects.filter(provider=provider).values_list("year", flat=True)))
    if not years:
        return {}
    rows = []
    for cell in followup.evaluate_family(provider, Family.IT_OPERATIONS, Level.ORGANISATION, years[-2:]):
        indicator = cell.indicator
        by_year = {value.period: value for value in cell.values}
        latest, before = by_year.get(years[-1]), by_year.get(years[-2]) if len(years) > 1 else None
        rows.append({"name": indicator.name(language), "unit": indicator.unit, "decimals": indicator.decimals,
                     "latest": latest.rounded(indicator.decimals) if latest and latest.computable else None,
                     "before": before.rounded(indicator.decimals) if before and before.computable else None,
                     "target": indicator.target if indicator.target is not None else indicator.reference})
    return {"year": years[-1], "rows": rows, "url": reverse("followup") + f"?provider={provider.code}"}


def customer_panel(scope, customer) -> dict:
    """A customer contact's own invoices, this year's cost per service (from its invoice lines)
    with the months as a trend, and nothing of any other customer."""
    from servicecenter.apps.billing.models import InvoiceLine
    from servicecenter.apps.registry import services as registry

    invoices = list(Invoice.objects.visible_to(scope).filter(customer=customer).order_by("-issue_date", "-number")[:6])
    latest = Invoice.objects.visible_to(scope).filter(customer=customer).order_by("-period_start").values_list("period_start", flat=True).first()
    year = latest.year if latest else clock.today().year
    names = registry.service_names(scope, year)
    lines = (InvoiceLine.objects.filter(invoice__in=Invoice.objects.visible_to(scope).filter(customer=customer, period_start__year=year))
             .values("service_id", "invoice__period_start", "invoice__document_type").annotate(amount=Sum("amount")))
    by_service: dict[int, Decimal] = defaultdict(Decimal)
    by_month: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in lines:
        sign = -1 if row["invoice__document_type"] == Invoice.Type.CREDIT_NOTE else 1
        by_service[row["service_id"]] += sign * row["amount"]
        by_month[f"{row['invoice__period_start']:%Y-%m}"][row["service_id"]] += sign * row["amount"]
    services = sorted(by_service.items(), key=lambda item: -item[1])
    chart = None
    if by_month:
        from servicecenter.formats.charts import line_chart

        series = tuple((names.get(service, str(service)), tuple((month, float(by_month[month].get(service, 0))) for month in sorted(by_month)))
                       for service, _amount in services[:6])
        chart = line_chart(_("Invoiced per month and service, kronor"), _("Month"), _("Kronor, excluding VAT"), series,
                           _("What %(name)s was invoiced each month of %(year)s, per service.") % {"name": customer.name, "year": year})
    return {"invoices": invoices, "year": year, "services": [(names.get(service, str(service)), amount) for service, amount in services],
            "total": sum(by_service.values(), Decimal(0)), "chart": chart,
            "months": sorted(by_month), "table": [(names.get(s, str(s)), [by_month[m].get(s) for m in sorted(by_month)]) for s, _a in services]}
