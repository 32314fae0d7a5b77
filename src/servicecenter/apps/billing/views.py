"""Billing pages: runs (start, preview, approve, issue), invoices and credit notes, downloads,
the reconciliation of a month, late events and the FOCUS-like export. A customer contact sees
its own invoices and nothing else: every query goes through the person's scope."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from servicecenter import clock
from servicecenter.apps.accounts.access import Capability, get_visible
from servicecenter.apps.accounts.audit import record
from servicecenter.apps.accounts.context import scope_of
from servicecenter.apps.billing import documents, integrity, reports
from servicecenter.apps.billing import services as billing
from servicecenter.apps.billing.models import BillingRun, Invoice, UsageEvent, UsageTotal
from servicecenter.apps.jobs.views import begin
from servicecenter.apps.registry import services as registry
from servicecenter.apps.registry.models import Provider
from servicecenter.core import limits
from servicecenter.core.billing import totals
from servicecenter.core.periods import Period
from servicecenter.formats.charts import bar_chart
from servicecenter.formats.spreadsheet import Month
from servicecenter.formats.values import parse_decimal
from servicecenter.ui.deferral import deferred
from servicecenter.ui.listing import ListColumn, ListFilter, ListPage, provider_filter, render_list


def _month(text: str) -> Period:
    try:
        return Period.parse_month(text or "")
    except ValueError as error:
        raise Http404(str(error)) from error


@login_required
def billing_home(request):
    scope = scope_of(request)
    scope.require(Capability.VIEW_ALL_CUSTOMERS)
    providers = list(Provider.objects.visible_to(scope).filter(price_lists__status="published").distinct())
    if request.method == "POST":
        scope.require(Capability.RUN_BILLING)
        provider = get_visible(Provider.objects.visible_to(scope), pk=request.POST.get("provider"))
        try:
            period = Period.parse_month(request.POST.get("month", ""))
        except ValueError:
            messages.error(request, _("Give the month to bill as YYYY-MM, e.g. 2025-03."))
            return redirect("billing")
        return begin(request, "billing.preview", label=_("Billing preview of %(month)s, %(provider)s") % {"month": period.label(), "provider": provider.name},
                     key=f"billing.preview:{provider.pk}:{period.start:%Y-%m}", params={"month": f"{period.start:%Y-%m}"}, provider=provider,
                     back_url=reverse("billing"))
    runs = list(BillingRun.objects.visible_to(scope).select_related("provider", "created_by", "approved_by", "issued_by")
                .defer(*BillingRun.LIST_DEFERRED))
    issued = [run for run in runs if run.state == BillingRun.State.ISSUED]
    totals = reports.monthly_totals(Invoice.objects.visible_to(scope))
    chart = None
    if totals:
        chart = bar_chart(_("Invoiced per month, kronor"), tuple(month for month, _amount in totals), tuple(float(amount) for _month, amount in totals),
                          _("kronor, net of credit notes"), _("What was invoiced each month, credit notes deducted."))
    next_month = None
    if issued:
        last = max(run.period for run in issued)
        next_month = Period.month(last.year, last.month).end.strftime("%Y-%m")
    return render(request, "billing/home.html", {
        "runs": runs, "providers": providers, "chart": chart, "next_month": next_month or clock.today().strftime("%Y-%m"),
        "late": UsageEvent.objects.visible_to(scope).filter(late=True, corrected_by__isnull=True).count(),
        "can_run": scope.can(Capability.RUN_BILLING),
    })


#: Steps of the run page that change what is issued or thrown away: the first click shows what
#: will happen, the second (carrying the token of the preview it was shown for) does it.
CONFIRMED_STEPS = {"issue", "discard"}
#: Steps that rate and validate the whole month: background jobs (apps/billing/jobs.py).
JOB_STEPS = {"issue", "refresh"}


def _confirmation(run: BillingRun, action: str) -> str:
    return f"{action}:{run.pk}:{run.state}:{run.preview_hash}"


@login_required
def run_detail(request, pk: int):
    scope = scope_of(request)
    scope.require(Capability.VIEW_ALL_CUSTOMERS)
    run = get_visible(BillingRun.objects.visible_to(scope).select_related("provider", "price_list", "created_by", "prepared_by", "approved_by",
                                                                         "issued_by", "flags_acknowledged_by")
                      .defer(*BillingRun.DOCUMENT_FIELDS), pk=pk)
    payable = sum((Decimal(i["payable"]) for i in run.preview), Decimal(0))
    confirming = None
    if request.method == "POST":
        scope.require(Capability.RUN_BILLING)
        action = request.POST.get("action")
        steps = {"approve": (lambda run, user: billing.approve(run, user, acknowledge_flags=request.POST.get("acknowledge") == "1"),
                             _("Approved. Issuing will produce exactly this preview.")),
                 "discard": (billing.discard, _("The run was discarded."))}
        if action not in steps and action not in JOB_STEPS:
            raise Http404("unknown action")
        possible = run.state == BillingRun.State.APPROVED if action == "issue" else run.state in (BillingRun.State.PREVIEW, BillingRun.State.APPROVED)
        if action in CONFIRMED_STEPS and possible and request.POST.get("confirm") != _confirmation(run, action):
            confirming = action   # show what will happen and ask again
        elif action in JOB_STEPS:
            label = {"issue": _("Issue the invoices of %(month)s, %(provider)s"),
                     "refresh": _("Make the preview of %(month)s again, %(provider)s")}[action] % {"month": f"{run.period:%Y-%m}", "provider": run.provider.name}
            return begin(request, f"billing.{action}", label=label, key=f"billing.run:{run.pk}", params={"run": run.pk}, provider=run.provider,
                         back_url=reverse("billing-run", args=[run.pk]))
        else:
            function, done = steps[action]
            try:
                function(run, request.user)
            except billing.BillingError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, done)
            return redirect("billing-run", pk=run.pk)
    net = run.net_total
    by_service: dict[str, Decimal] = defaultdict(Decimal)
    for invoice in run.preview:
        for line in invoice["lines"]:
            by_service[line["service"]] += Decimal(line["amount"])
    by_id = registry.service_names(scope, run.period.year)
    names = {service.code: by_id.get(service.pk, service.code) for service in run.provider.services.all()}
    prepared_here = run.prepared_by_id is not None and run.prepared_by_id == request.user.pk
    return render(request, "billing/run.html", {
        "run": run, "net": net, "payable": payable,
        "by_service": sorted(((names.get(code, code), amount) for code, amount in by_service.items()), key=lambda item: -item[1]),
        "invoices": (run.invoices.select_related("customer").defer("xml").order_by("number")   # 300 × 35 KB of XML the list does not show
                     if run.state == BillingRun.State.ISSUED else None),
        "can_run": scope.can(Capability.RUN_BILLING), "names": names,
        "flags": [{**flag, "service_name": names.get(flag["service"], flag["service"])} for flag in run.flags],
        "four_eyes_blocks": run.provider.four_eyes and prepared_here,
        "confirming": confirming, "confirm_token": _confirmation(run, confirming) if confirming else "",
    })


@login_required
def run_draft(request, pk: int, n: int):
    """One draft invoice of a run's preview (the ``n``th, from 1): its lines, buyer and findings.
    The run page lists the drafts; a national month has 18,000 lines, too many for one page."""
    scope = scope_of(request)
    scope.require(Capability.VIEW_ALL_CUSTOMERS)
    run = get_visible(BillingRun.objects.visible_to(scope).select_related("provider"), pk=pk)
    if not 1 <= n <= len(run.preview):
        raise Http404("no such draft")
    invoice = run.preview[n - 1]
    findings = [f for f in run.findings if f.get("org_number") == invoice["org_number"] and f.get("customer") == invoice["name"]]
    return render(request, "billing/draft.html", {"run": run, "invoice": invoice, "findings": findings,
                                                  "previous": n - 1 if n > 1 else None, "following": n + 1 if n < len(run.preview) else None})


@login_required
def invoice_list(request):
    scope = scope_of(request)
    months = sorted({d.strftime("%Y-%m") for d in Invoice.objects.visible_to(scope).values_list("period_start", flat=True).distinct()}, reverse=True)
    broken: set[int] = set()  # documents on the page that differ from their seal
    page = ListPage(
        title=gettext_lazy("Invoices"),
        intro=gettext_lazy("Issued invoices and credit notes. An issued document never changes; a correction is a credit note and a new invoice."),
        columns=[
            ListColumn("number", gettext_lazy("Number"), lambda i: i.number_text, "number_text", lambda i: reverse("billing-invoice", args=[i.pk])),
            ListColumn("type", gettext_lazy("Type"), lambda i: i.get_document_type_display()),
            ListColumn("customer", gettext_lazy("Customer"), lambda i: i.customer.name if i.customer.name == i.buyer_name else f"{i.customer.name} ({i.buyer_name})", "customer__name"),
            ListColumn("period", gettext_lazy("Period"), lambda i: i.period_start.strftime("%Y-%m"), "period_start", export=lambda i: Month(i.period_start)),
            ListColumn("issued", gettext_lazy("Issue date"), lambda i: i.issue_date.isoformat(), "issue_date", export=lambda i: i.issue_date),
            ListColumn("payable", gettext_lazy("To pay, kr"), lambda i: i.signed_payable, "payable", numeric=True),
            ListColumn("sealed", gettext_lazy("As issued"), lambda i: _("does not match what was issued") if i.pk in broken else "✓"),
        ],
        prepare=lambda invoices: broken.update(integrity.mismatched(invoices)),
        filters=[
            *provider_filter(Provider.objects.visible_to(scope), "provider__code"),
            ListFilter("period", gettext_lazy("Period"), [(m, m) for m in months], lambda qs, v: qs.filter(period_start=f"{v}-01")),
            ListFilter("type", gettext_lazy("Type"), list(Invoice.Type.choices), lambda qs, v: qs.filter(document_type=v)),
        ],
        search=["number_text", "buyer_name", "customer__name", "customer__number", "buyer_org_number", "buyer_reference"],
        default_sort="-issued",
        export_name="fakturor",
    )
    return render_list(request, page, Invoice.objects.visible_to(scope).select_related("customer"), notice=registry.export_notice(Provider.objects.visible_to(scope)))


@login_required
def invoice_detail(request, pk: int):
    scope = scope_of(request)
    invoice = get_visible(Invoice.objects.visible_to(scope).select_related("provider", "customer", "preceding", "corrects"), pk=pk)
    if request.method == "POST":
        scope.require(Capability.RUN_BILLING)
        chosen = {int(n) for n in request.POST.getlist("line") if n.isdigit()}
        corrected = {}
        for number in chosen:
            text = request.POST.get(f"quantity-{number}", "").strip()
            if text:
                value, problem = parse_decimal(text, limit=limits.QUANTITY)
                if problem is not None:
                    messages.error(request, _("Line %(line)s, corrected quantity: %(reason)s") % {"line": number, "reason": problem.describe(get_language() or "sv")})
                    return redirect("billing-invoice", pk=invoice.pk)
                corrected[number] = value
        if not chosen and request.POST.get("full") != "1":
            messages.error(request, _("Choose the lines to credit, or credit the whole invoice."))
            return redirect("billing-invoice", pk=invoice.pk)
        full = request.POST.get("full") == "1"
        unknown = sorted(chosen - set(invoice.lines.values_list("line_no", flat=True)))
        if unknown and not full:
            messages.error(request, _("Line %(lines)s is not on the invoice.") % {"lines": ", ".join(map(str, unknown))})
            return redirect("billing-invoice", pk=invoice.pk)
        token = f"credit:{invoice.pk}:{'all' if full else ','.join(map(str, sorted(chosen)))}:{sorted(corrected.items())}"
        if request.POST.get("confirm") != token:   # first click: say what will be issued, ask again
            credited_lines = list(invoice.lines.all()) if full else [line for line in invoice.lines.all() if line.line_no in chosen]
            return _invoice_page(request, scope, invoice, credit_confirm={
                "token": token, "full": full, "lines": sorted(line.line_no for line in credited_lines), "count": len(credited_lines),
                "net": sum((line.amount for line in credited_lines), Decimal(0)), "corrected": sorted(corrected),
                "quantities": [(number, request.POST.get(f"quantity-{number}", "").strip()) for number in sorted(corrected)],
                "reason": request.POST.get("reason", "").strip()})
        try:
            note, new = billing.credit(invoice, request.user, None if request.POST.get("full") == "1" else chosen, corrected,
                                       request.POST.get("reason", "").strip())
        except billing.BillingError as error:
            messages.error(request, str(error))
            return redirect("billing-invoice", pk=invoice.pk)
        messages.success(request, _("Credit note %(note)s issued.") % {"note": note.number_text}
                         + (" " + _("Corrected invoice %(number)s issued.") % {"number": new.number_text} if new else ""))
        return redirect("billing-invoice", pk=note.pk)
    return _invoice_page(request, scope, invoice)


def _invoice_page(request, scope, invoice: Invoice, credit_confirm: dict | None = None):
    lines = list(invoice.lines.select_related("service").order_by("line_no"))
    names = registry.service_names(scope, invoice.period_start.year)
    credited = set(invoice.lines.filter(credits__isnull=False).values_list("line_no", flat=True)) if not invoice.is_credit else set()
    behind = reports.usage_behind(invoice, lines)
    return render(request, "billing/invoice.html", {
        "integrity": integrity.check(invoice),
        "invoice": invoice, "facts": documents.document_facts(invoice), "lines": [(line, names.get(line.service_id, line.service.code), behind.get(line.service_id), line.line_no in credited) for line in lines],
        "vat": totals(lines),
        "credit_notes": invoice.credit_notes.all(), "corrections": invoice.corrections.all(),
        "can_credit": scope.can(Capability.RUN_BILLING) and not invoice.is_credit,
        "late": UsageEvent.objects.visible_to(scope).filter(customer=invoice.customer, month=invoice.period_start, late=True, corrected_by__isnull=True).count(),
        "credit_confirm": credit_confirm,
    })


@login_required
def invoice_download(request, pk: int, kind: str):
    scope = scope_of(request)
    invoice = get_visible(Invoice.objects.visible_to(scope).select_related("provider", "customer"), pk=pk)
    if kind not in ("xml", "pdf", "xlsx"):
        raise Http404("unknown format")
    broken = integrity.check(invoice)
    if broken:
        record("billing.invoice.integrity_failed", user=request.user, obj=invoice, data={"number": invoice.number_text, "problems": broken})
        return render(request, "billing/tampered.html", {"invoice": invoice, "problems": broken}, status=409)
    if kind == "pdf" and (job := deferred(request, _("Invoice %(number)s (PDF)") % {"number": invoice.number_text})):
        return job
    if kind == "xml":
        body, content_type = invoice.xml.encode(), "application/xml"
    elif kind == "pdf":
        body, content_type = documents.invoice_pdf(invoice), "application/pdf"
    elif kind == "xlsx":
        body, content_type = documents.invoice_workbook(invoice), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404("unknown format")
    record(f"billing.invoice.downloaded.{kind}", user=request.user, obj=invoice, data={"number": invoice.number_text})
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{invoice.number_text}.{kind}"'
    return response


@login_required
def reconciliation(request, month: str):
    scope = scope_of(request)
    scope.require(Capability.VIEW_ALL_CUSTOMERS)
    period = _month(month)
    if request.GET.get("format") == "xlsx" and (job := deferred(request, _("Reconciliation of %(month)s (Excel)") % {"month": period.label()})):
        return job
    runs = list(BillingRun.objects.visible_to(scope).filter(period=period.start).exclude(state=BillingRun.State.DISCARDED).select_related("provider"))
    tables = [reports.reconcile(run) for run in runs]
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(reports.reconciliation_workbook(tables, registry.export_notice(Provider.objects.visible_to(scope))),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="avstamning-{period.label()}.xlsx"'
        return response
    by_id = registry.service_names(scope, period.start.year)
    named = [(table, {s.code: by_id.get(s.pk, s.code) for s in table.run.provider.services.all()}) for table in tables]   # what a person reads
    return render(request, "billing/reconciliation.html", {"period": period, "tables": named})


@login_required
def focus_export(request):
    """Invoice lines as a FOCUS-like cost-and-usage file (CSV), for the customer's own analysis."""
    scope = scope_of(request)
    invoices = Invoice.objects.visible_to(scope)
    if request.GET.get("period"):
        period = _month(request.GET["period"])
        invoices = invoices.filter(period_start=period.start)
    if job := deferred(request, _("Invoice lines as FOCUS (CSV), %(period)s") % {"period": request.GET.get("period") or _("all months")}):
        return job
    record("billing.focus.exported", user=request.user, data={"period": request.GET.get("period", ""), "invoices": invoices.count()})
    response = HttpResponse(reports.focus_csv(invoices, registry.export_notice(Provider.objects.visible_to(scope))), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="focus-{request.GET.get("period", "alla")}.csv"'
    return response


def _usage_columns(names: dict[int, str]) -> list[ListColumn]:
    """Month, customer and service: the first columns of every list of usage (totals, late events)."""
    return [
        ListColumn("month", gettext_lazy("Month"), lambda u: u.month.strftime("%Y-%m"), "month", export=lambda u: Month(u.month)),
        ListColumn("customer", gettext_lazy("Customer"), lambda u: u.customer.name, "customer__name"),
        ListColumn("service", gettext_lazy("Service"), lambda u: names.get(u.service_id, u.service.code), "service__code"),
    ]


@login_required
def usage_totals(request):
    """The usage events stored for billing, as the totals billing reads (per batch, customer,
    service, month and package): what stands behind an event-rated invoice line. Each person sees
    the customers it may see (a customer contact its own)."""
    scope = scope_of(request).require(Capability.VIEW)
    names = registry.service_names(scope)
    totals = UsageTotal.objects.visible_to(scope)
    months = sorted({f"{m:%Y-%m}" for m in totals.dates("month", "month")}, reverse=True)[:60]
    services = sorted({(str(k), v) for k, v in names.items()}, key=lambda item: str(item[1]))
    page = ListPage(
        title=gettext_lazy("Usage events"),
        intro=gettext_lazy("The usage events imported for billing, counted per file, customer, service, month and package: what billing "
                           "rates. Events that came after their month was invoiced are marked."),
        columns=[
            *_usage_columns(names),
            ListColumn("package", gettext_lazy("Package"), lambda t: t.package or "–"),
            ListColumn("events", gettext_lazy("Events"), lambda t: t.events, "events", numeric=True),
            ListColumn("quantity", gettext_lazy("Quantity"), lambda t: t.quantity.normalize(), "quantity", numeric=True),
            ListColumn("file", gettext_lazy("File"), lambda t: t.batch.import_run.filename if t.batch.import_run_id else "–"),
            ListColumn("late", gettext_lazy("Late"), lambda t: _("yes") if t.late else ""),
        ],
        filters=[*provider_filter(Provider.objects.visible_to(scope), "provider__code"),
                 ListFilter("month", gettext_lazy("Month"), [(m, m) for m in months], lambda qs, v: qs.filter(month=f"{v}-01")),
                 ListFilter("service", gettext_lazy("Service"), services, lambda qs, v: qs.filter(service_id=int(v)))],
        search=["customer__name", "customer__number", "customer__org_number"],
        default_sort="-month",
        export_name="anvandning",
    )
    return render_list(request, page, totals.select_related("customer", "service", "batch__import_run"),
                       notice=registry.export_notice(Provider.objects.visible_to(scope)))


@login_required
def late_events(request):
    scope = scope_of(request)
    scope.require(Capability.VIEW_ALL_CUSTOMERS)
    names = registry.service_names(scope)
    page = ListPage(
        title=gettext_lazy("Late usage events"),
        intro=gettext_lazy("Events that arrived for a month already invoiced. They are kept, never lost: correct the customer's invoice "
                           "with a credit note and a corrected invoice, which marks them as corrected."),
        columns=[
            *_usage_columns(names),
            ListColumn("source", gettext_lazy("Source"), lambda e: e.source, "source"),
            ListColumn("id", gettext_lazy("Event id"), lambda e: e.event_id, "event_id"),
            ListColumn("quantity", gettext_lazy("Quantity"), lambda e: e.quantity.normalize(), "quantity", numeric=True),
            ListColumn("corrected", gettext_lazy("Corrected by"), lambda e: e.corrected_by.number_text if e.corrected_by_id else "–"),
        ],
        filters=[*provider_filter(Provider.objects.visible_to(scope), "provider__code")],
        search=["customer__name", "event_id", "source"],
        default_sort="-month",
        export_name="sena-handelser",
    )
    return render_list(request, page, UsageEvent.objects.visible_to(scope).filter(late=True).select_related("customer", "service", "corrected_by"),
                       notice=registry.export_notice(Provider.objects.visible_to(scope)))


