"""Costing pages: the year's costs and cost flow, a run's balancing report, the model, a
customer's trace, price lists and the what-if comparison."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from servicecenter import clock
from servicecenter.apps.accounts.access import Capability, get_visible
from servicecenter.apps.accounts.context import scope_of
from servicecenter.apps.costing import pricing, setup, setup_views
from servicecenter.apps.costing import services as costing
from servicecenter.apps.costing.forms import DeriveForm, EntryForm, NewPriceListForm
from servicecenter.apps.costing.keys import key_weights
from servicecenter.apps.costing.models import (
    AllocationRun,
    CostModel,
    CostPool,
    ModelStep,
    PriceList,
)
from servicecenter.apps.costing.revenue import RevenueError
from servicecenter.apps.costing.trace import trace_context
from servicecenter.apps.jobs.views import begin
from servicecenter.apps.registry import services as registry
from servicecenter.apps.registry.models import Customer, Provider, ServiceVersion
from servicecenter.core import limits
from servicecenter.core.money import ZERO, round_places
from servicecenter.formats.charts import bar_chart, flow_chart
from servicecenter.formats.spreadsheet import Percent, write_workbook
from servicecenter.formats.values import parse_decimal
from servicecenter.ui.deferral import deferred
from servicecenter.ui.params import id_param


def _names(provider) -> dict[str, str]:
    labels = {pool.object_name: pool.name for pool in CostPool.objects.filter(provider=provider)}
    labels[costing.UNMAPPED] = _("Unmapped ledger rows")
    return labels


def cost_flow(run, labels: dict[str, str], customer_names: dict[str, str], service_names: dict[str, str], top: int = 8) -> tuple[str, list]:
    """The run's flows as columns: support pools → production pools and activities → services → customers."""
    totals: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for report in run.reports:
        for source, target, amount in report["flows"]:
            totals[(source, target)] += Decimal(amount)
    kinds = {f"pool:{p.code}": p.kind for p in CostPool.objects.filter(provider=run.model.provider)}
    customer_totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for (_source, target), amount in totals.items():
        if target.startswith("charge:"):
            customer_totals[costing.split_charge(target)[0]] += amount
    biggest = {org for org, _ in sorted(customer_totals.items(), key=lambda item: -item[1])[:top]}
    others = _("Other customers")
    links: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for (source, target), amount in totals.items():
        if kinds.get(source) == "support" and kinds.get(target) == "support":
            continue  # support departments serving each other stay inside the first column
        if target.startswith("charge:"):
            org = costing.split_charge(target)[0]
            target = f"customer:{org}" if org in biggest else "customer:others"
        links[(source, target)] += amount
    nodes = {n for pair in links for n in pair}
    columns = [
        sorted(n for n in nodes if kinds.get(n) == "support"),
        sorted(n for n in nodes if kinds.get(n) in ("production", "activity") or n == costing.UNMAPPED),
        sorted(n for n in nodes if n.startswith("service:")),
        sorted((n for n in nodes if n.startswith("customer:") and n != "customer:others"), key=lambda n: -customer_totals[n.removeprefix("customer:")]) + (["customer:others"] if "customer:others" in nodes else []),
    ]
    names = dict(labels)
    names.update({f"service:{code}": name for code, name in service_names.items()})
    names.update({f"customer:{org}": customer_names.get(org, org) for org in biggest})
    names["customer:others"] = others
    svg = flow_chart(_("Cost flow"), [c for c in columns if c], [(a, b, float(v)) for (a, b), v in links.items()], names,
                     _("From support pools to processes and activities, services and customers."))
    table = sorted(((names.get(a, a), names.get(b, b), v) for (a, b), v in links.items()), key=lambda row: -row[2])
    return svg, table


@login_required
def costing_home(request):
    scope = scope_of(request)
    scope.require(Capability.VIEW_COSTS)
    models = list(CostModel.objects.visible_to(scope).select_related("provider").order_by("-year", "kind"))
    model = next((m for m in models if str(m.pk) == request.GET.get("model")), models[0] if models else None)
    context = {"models": models, "model": model}
    if model is not None:
        run = model.runs.first()
        context["run"] = run
        if run is not None:
            provider = model.provider
            customer_names = dict(provider.customers.values_list("number", "name"))
            service_names = registry.service_names(scope, model.year)
            service_names = {s.code: service_names.get(s.pk, s.code) for s in provider.services.all()}
            context["flow_svg"], context["flow_table"] = cost_flow(run, _names(provider), customer_names, service_names)
            activities = {f"pool:{p.code}": p.name for p in CostPool.objects.filter(provider=provider, kind="activity")}
            context["activities"] = [(name, Decimal(run.balances.get(code, "0"))) for code, name in activities.items()]
            context["charged"] = sum((Decimal(v) for k, v in run.balances.items() if k.startswith("charge:")), ZERO)
            context["unmapped"] = Decimal(run.balances.get(costing.UNMAPPED, "0"))
            price_lists = list(PriceList.objects.visible_to(scope).filter(provider=provider, year=model.year))
            current = next((p for p in price_lists if p.status == PriceList.Status.PUBLISHED), None)
            context["price_lists"] = price_lists
            context["current"] = current
            if current is not None:
                try:
                    rows = costing.recovery(run, current)
                except RevenueError as error:
                    messages.error(request, _("The revenue of %(list)s cannot be computed: %(reason)s") % {"list": current.name, "reason": error})
                    rows = None
                if rows is not None:
                    context["recovery"] = [(service_names.get(row.process, row.process), row) for row in rows]
                    context["areas"] = [(area, revenue, cost, revenue - cost) for area, revenue, cost in costing.result_per_area(run, current, rows)]
                alternatives = [p for p in price_lists if p.pk != current.pk]
                context["what_if_link"] = f"?current={current.pk}&alternative={alternatives[-1].pk}" if alternatives else ""
    return render(request, "costing/home.html", context)


@login_required
def run_detail(request, pk: int):
    scope = scope_of(request)
    scope.require(Capability.VIEW_COSTS)
    run = get_visible(AllocationRun.objects.visible_to(scope).select_related("model__provider"), pk=pk)
    provider = run.model.provider
    labels = {**costing.object_labels(provider), **_names(provider)}
    customers = dict(provider.customers.values_list("number", "name"))
    steps = []
    for report in run.reports:
        flows = sorted(report["flows"], key=lambda flow: -Decimal(flow[2]))
        methods = dict(ModelStep.Method.choices)
        steps.append({**report, "method": methods.get(report.get("method"), report.get("method")), "count": len(flows),
                      "top": [(costing.label_of(a, labels, customers), costing.label_of(b, labels, customers), Decimal(c)) for a, b, c in flows[:12]]})
    return render(request, "costing/run.html", {"run": run, "steps": steps, "can_price": scope.can(Capability.RUN_COSTING)})


@login_required
def model_detail(request, pk: int):
    scope = scope_of(request)
    scope.require(Capability.VIEW_COSTS)
    model = get_visible(CostModel.objects.visible_to(scope).select_related("provider"), pk=pk)
    shown = None
    if request.method == "POST":
        scope.require(Capability.RUN_COSTING)
        if request.POST.get("action", "run") != "run":
            shown = setup_views.model_edit_post(request, model)
            if shown is None:
                return redirect("costing-model", pk=model.pk)
        else:   # every allocation step of the year: a background job (apps/costing/jobs.py)
            return begin(request, "costing.run", label=_("Run the cost model %(model)s") % {"model": model}, key=f"costing.run:{model.pk}",
                         params={"model": model.pk}, provider=model.provider, back_url=reverse("costing-model", args=[model.pk]))
    provider = model.provider
    labels = costing.object_labels(provider)
    names = dict(provider.customers.values_list("number", "name"))
    steps = []
    for step in model.steps.prefetch_related("sources__key__service"):
        rows = []
        for source in step.sources.all():
            weights = key_weights(source.key, model.year, source.source)
            top = sorted(weights.items(), key=lambda item: -item[1])[:12]
            rows.append((source, costing.label_of(source.source, labels, names), source.key,
                         [(costing.label_of(receiver, labels, names), weight) for receiver, weight in top], len(weights)))
        steps.append((step, rows))
    pools = CostPool.objects.filter(provider=provider).prefetch_related("rules")
    context = {"model": model, "pools": pools, "labels": _names(provider)}
    per_step = {}
    if scope.can(Capability.RUN_COSTING):
        context.update(setup_views.model_forms(model, shown))
        per_step = context["per_step"]
    context["steps"] = [(step, rows, per_step.get(step.pk)) for step, rows in steps]
    return render(request, "costing/model.html", context, status=400 if shown else 200)


def _trace_flow(context) -> str:
    """Pools → services → the customer, with the amounts of this customer's part."""
    customer = context["customer"]
    target = f"customer:{customer.number}"
    links, names = [], {target: customer.name}
    for row in context["rows"]:
        service = f"service:{row['service']}"
        names[service] = row["name"]
        for origin in row["origins"]:
            pool = f"pool:{origin['pool']}"
            names[pool] = origin["pool"]
            links.append((pool, service, float(origin["amount"])))
        links.append((service, target, float(row["amount"])))
    if not links:
        return ""
    columns = [sorted({a for a, b, _v in links if a.startswith("pool:")}), sorted({b for a, b, _v in links if b.startswith("service:")}), [target]]
    return flow_chart(_("Where %(name)s's cost comes from") % {"name": customer.name}, columns, links, names,
                      _("The pools the customer's self-cost comes from, through its services, in kronor."), height=max(260, 34 * len(columns[0])))


@login_required
def customer_trace(request, customer_pk: int):
    """Why a customer pays what it pays. Staff who see costs see any customer's; a customer contact
    sees its own organisation's (``get_visible`` answers 404 for any other) and nothing of any other
    customer: the keys' totals, never another customer's quantity."""
    scope = scope_of(request)
    if not scope.is_customer_contact:
        scope.require(Capability.VIEW_COSTS)
    customer = get_visible(Customer.objects.visible_to(scope).select_related("provider"), pk=customer_pk)
    context = trace_context(scope, customer, request.GET.get("run"), request.GET.get("period", ""))
    context["flow_svg"] = _trace_flow(context)
    context["show_ledger"] = scope.can(Capability.VIEW_COSTS)
    return render(request, "costing/trace.html", context)


@login_required
def price_lists(request):
    """Every price list the person sees, by year; a controller creates one here (empty, or
    derived from a cost run)."""
    scope = scope_of(request)
    scope.require(Capability.VIEW_COSTS)
    providers = list(Provider.objects.visible_to(scope).order_by("name"))
    can_edit = scope.can(Capability.RUN_COSTING)
    form = None
    if can_edit:
        form = NewPriceListForm(request.POST or None, providers=Provider.objects.visible_to(scope).order_by("name"),
                                initial={"year": clock.today().year + 1})
        if request.method == "POST" and form.is_valid():
            try:
                created = pricing.new_price_list(form.cleaned_data["provider"], form.cleaned_data["year"], form.cleaned_data["name"], user=request.user)
            except pricing.PricingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("%(name)s is created as a draft: give each service its price, then publish it.") % {"name": created.name})
                return redirect("costing-price-list", created.pk)
    elif request.method == "POST":
        scope.require(Capability.RUN_COSTING)
    lists = PriceList.objects.visible_to(scope).select_related("provider").order_by("-year", "name")
    runs = AllocationRun.objects.visible_to(scope).select_related("model__provider").order_by("-model__year", "-at")[:20] if can_edit else []
    return render(request, "costing/price_lists.html", {"lists": lists, "form": form, "runs": runs, "providers": providers,
                                                        "status": dict(PriceList.Status.choices)}, status=400 if form is not None and form.errors else 200)


@login_required
def price_list_derive(request, run_pk: int):
    """A price list derived from a cost run: self-cost per service ÷ planned volume, capped."""
    scope = scope_of(request).require(Capability.RUN_COSTING)
    run = get_visible(AllocationRun.objects.visible_to(scope).select_related("model__provider"), pk=run_pk)
    provider, year = run.model.provider, run.model.year
    names = registry.service_names(scope, year)
    known = {s.code: names.get(s.pk, s.code) for s in provider.services.all()}
    services = [(code, known[code]) for code, cost in sorted(costing.service_costs(run).items()) if cost > 0 and code in known]
    lists = PriceList.objects.visible_to(scope).filter(provider=provider, year__lt=year).order_by("-year", "-id")
    form = DeriveForm(request.POST or None, services=services, lists=lists, proposals=pricing.proposed_volumes(provider, year),
                      initial={"name": _("Prices %(year)s") % {"year": year}, "previous": lists.first().pk if lists.exists() else None})
    if request.method == "POST" and form.is_valid():
        try:
            created, notes = pricing.derive_price_list(run, form.cleaned_data["name"], form.planned(), cap=form.cleaned_data["cap"],
                                                       previous=form.cleaned_data["previous"], stated_previous=form.stated_previous(), user=request.user)
        except pricing.PricingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s is derived as a draft: check it, then publish it.") % {"name": created.name})
            for note in notes:
                messages.warning(request, note)
            return redirect("costing-price-list", created.pk)
    return render(request, "costing/price_list_derive.html", {"run": run, "form": form}, status=400 if form.errors else 200)


@login_required
def price_list_detail(request, pk: int):
    scope = scope_of(request)
    price_list = get_visible(PriceList.objects.visible_to(scope).select_related("provider"), pk=pk)
    if request.method == "POST":
        scope.require(Capability.RUN_COSTING)
        action = request.POST.get("action")
        try:
            if action == "publish":
                pricing.publish(price_list, user=request.user)
                messages.success(request, _("%(name)s is published: invoices of %(year)s are rated by it.") % {"name": price_list.name, "year": price_list.year})
            elif action == "version":
                copy = pricing.new_version(price_list, user=request.user)
                messages.success(request, _("%(name)s is a draft copy: change it, then publish it.") % {"name": copy.name})
                return redirect("costing-price-list", copy.pk)
            else:
                messages.error(request, _("Unknown action."))
        except pricing.PricingError as error:
            messages.error(request, str(error))
        return redirect("costing-price-list", price_list.pk)
    if request.GET.get("format") == "xlsx" and scope.can(Capability.VIEW_COSTS):
        return _price_list_workbook(price_list)
    names = registry.service_names(scope, price_list.year)
    versions = {v.service_id: v for v in ServiceVersion.objects.visible_to(scope).filter(year__lte=price_list.year).order_by("year")}
    entries = [(entry, names.get(entry.service_id, entry.service.code), versions.get(entry.service_id)) for entry in price_list.entries.select_related("service")]
    editable = scope.can(Capability.RUN_COSTING) and price_list.status == PriceList.Status.DRAFT
    missing = []
    if editable:
        priced = {entry.service_id for entry, _name, _version in entries}
        missing = [(s.pk, names.get(s.pk, s.code)) for s in price_list.provider.services.order_by("code") if s.pk not in priced]
    # invoices with VAT at the standard rate must name the seller's VAT number (Peppol BR-S-02)
    vat_missing = scope.can(Capability.VIEW_COSTS) and not price_list.provider.vat_number and any(e.vat_category == "S" for e, _n, _v in entries)
    return render(request, "costing/price_list.html", {"price_list": price_list, "entries": entries, "staff": scope.can(Capability.VIEW_COSTS), "vat_missing": vat_missing,
                                                       "editable": editable, "missing": missing, "can_edit": scope.can(Capability.RUN_COSTING)})


def _price_list_workbook(price_list) -> HttpResponse:
    """The list as the price-list import reads it (same headings): edit in Excel, import into a draft."""
    from servicecenter.apps.costing.importers import PriceListImporter
    from servicecenter.apps.imports.templates import heading

    def pairs(items) -> str:
        return " | ".join(f"{a}: {b}" for a, b in items)

    def percent(share):
        return round_places(share * 100, 2) if share is not None else None

    rows = [(price_list.year, price_list.name, e.service.code, e.unit_price, pairs(e.tiers), "ja" if e.graduated else "nej", pairs(e.packages.items()),
             e.base_fixed, e.per_employee, e.fixed_pool, e.key.code if e.key_id else "", e.payer.number if e.payer_id else "", e.connection_fee, e.connection_months, percent(e.markup), percent(e.discount_share),
             e.vat_category, e.vat_rate) for e in price_list.entries.select_related("service", "key", "payer").order_by("service__code")]
    data = write_workbook([(_("Price list"), [heading(c) for c in PriceListImporter.columns], rows)])
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="prislista-{price_list.year}-{price_list.pk}.xlsx"'
    return response


@login_required
def price_list_entry(request, pk: int, service_pk: int | None = None):
    """Add (``service_pk`` None) or change one entry of a draft price list, or remove it."""
    scope = scope_of(request).require(Capability.RUN_COSTING)
    price_list = get_visible(PriceList.objects.visible_to(scope).select_related("provider"), pk=pk)
    if price_list.status != PriceList.Status.DRAFT:
        messages.error(request, _("%(name)s is published and frozen: make a new version to change it.") % {"name": price_list.name})
        return redirect("costing-price-list", price_list.pk)
    entry = None
    if service_pk is not None:
        entry = get_visible(price_list.entries.select_related("service", "payer"), service_id=service_pk)
    provider = price_list.provider
    if request.method == "POST" and entry is not None and request.POST.get("action") == "remove":
        pricing.remove_entry(entry, user=request.user)
        messages.success(request, _("The entry is removed."))
        return redirect("costing-price-list", price_list.pk)
    priced = set(price_list.entries.values_list("service_id", flat=True))
    services = provider.services.all() if entry is not None else provider.services.exclude(pk__in=priced)
    form = EntryForm(request.POST or None, services=services.order_by("code"), customers=provider.customers.order_by("name"), entry=entry,
                     keys=setup.customer_keys(provider),
                     initial=None if entry is not None else {"service": request.GET.get("service") if (request.GET.get("service") or "").isdigit() else None})
    if request.method == "POST" and form.is_valid():
        try:
            pricing.save_entry(price_list, entry.service if entry is not None else form.cleaned_data["service"], form.values(), user=request.user)
        except pricing.PricingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The entry is saved."))
            return redirect("costing-price-list", price_list.pk)
    return render(request, "costing/price_list_entry.html", {"price_list": price_list, "entry": entry, "form": form}, status=400 if form.errors else 200)


@login_required
def what_if(request):
    scope = scope_of(request)
    scope.require(Capability.VIEW_COSTS)
    lists = PriceList.objects.visible_to(scope)
    current = get_visible(lists, pk=request.GET.get("current"))
    alternative = get_visible(lists.filter(provider=current.provider, year=current.year), pk=request.GET.get("alternative"))
    try:
        comparison = costing.compare_price_lists(current, alternative)
    except RevenueError as error:
        messages.error(request, _("The price lists cannot be compared: %(reason)s") % {"reason": error})
        return redirect("costing")
    names = dict(current.provider.customers.values_list("number", "name"))
    rows = sorted(comparison.rows, key=lambda row: row.difference)
    if request.GET.get("format") == "xlsx" and (job := deferred(request, _("What-if %(current)s / %(alternative)s (Excel)")
                                                               % {"current": current.name, "alternative": alternative.name})):
        return job
    if request.GET.get("format") == "xlsx":
        data = write_workbook([(_("What-if"), [_("Customer"), _("Organisation number"), current.name, alternative.name, _("Difference, kr"), _("Difference, %"), _("Invoice lines now"), _("Invoice lines in the alternative")],
                                [(names.get(r.customer, r.customer), r.customer, r.current, r.alternative, r.difference,
                                  Percent(r.difference_share), r.current_lines, r.alternative_lines) for r in rows])],
                              notice=registry.export_notice(Provider.objects.visible_to(scope).filter(pk=current.provider_id)))
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = 'attachment; filename="what-if.xlsx"'
        return response
    extremes = rows[:8] + rows[-8:] if len(rows) > 16 else rows
    chart = bar_chart(_("Change per customer, kronor"), tuple(names.get(r.customer, r.customer)[:32] for r in extremes), tuple(float(r.difference) for r in extremes),
                      _("kronor per year"), _("The customers whose charge falls and rises most under the alternative."))
    return render(request, "costing/what_if.html", {
        "current": current, "alternative": alternative, "comparison": comparison, "chart": chart,
        "rows": [(names.get(r.customer, r.customer), r) for r in rows],
        "fixed_now": comparison.fixed_share("current"), "fixed_alternative": comparison.fixed_share("alternative"),
        "lines_now": sum(r.current_lines for r in rows), "lines_alternative": sum(r.alternative_lines for r in rows),
        "query": request.GET.urlencode(),
    })


@login_required
def compare_versions(request):
    scope = scope_of(request)
    scope.require(Capability.VIEW_COSTS)
    models = CostModel.objects.visible_to(scope)
    first = get_visible(models, pk=request.GET.get("a"))
    second = get_visible(models.filter(provider=first.provider), pk=request.GET.get("b"))
    runs = (first.runs.first(), second.runs.first())
    rows = []
    if all(runs):
        by_id = registry.service_names(scope, first.year)
        names = {s.code: by_id.get(s.pk, s.code) for s in first.provider.services.all()}
        rows = costing.compare_runs(runs[0], runs[1], names)
    return render(request, "costing/compare.html", {"first": first, "second": second, "runs": runs, "rows": rows,
                                                    "models": list(models.filter(provider=first.provider))})


@login_required
def copy_version(request, pk: int):
    scope = scope_of(request)
    scope.require(Capability.RUN_COSTING)
    model = get_visible(CostModel.objects.visible_to(scope), pk=pk)
    if request.method != "POST":
        raise PermissionDenied
    copy = costing.copy_model(model, _("%(name)s (what-if)") % {"name": model.name}, user=request.user)
    messages.success(request, _("A what-if version was created. Change its keys or steps here, run it and compare."))
    return redirect("costing-model", pk=copy.pk)


@login_required
def behaviour(request):
    scope = scope_of(request)
    scope.require(Capability.VIEW_COSTS)
    from servicecenter.apps.costing.models import AllocationKey

    run = get_visible(AllocationRun.objects.visible_to(scope).select_related("model__provider"), pk=request.GET.get("run"))
    provider = run.model.provider
    keys = AllocationKey.objects.filter(provider=provider, basis=AllocationKey.Basis.DRIVER)
    key = keys.filter(pk=id_param(request.GET, "key") or 0).first() or keys.first()
    services = list(provider.services.filter(volumes__month__year=run.model.year).distinct().order_by("code"))
    service = next((s for s in services if str(s.pk) == request.GET.get("service")), services[0] if services else None)
    weight, problem = parse_decimal(request.GET.get("weight") or "1", limit=limits.Limit("weight", Decimal(0), Decimal(10), places=4))
    if problem is not None:
        weight = Decimal(1)
        messages.error(request, _("The weight must be a number from 0 to 10; 1 is used."))
    rows = costing.behaviour_report(run, service, key, weight) if key and service else []
    chart = None
    if rows:
        shown = [r for r in rows if r.deviation_cost][:15]
        chart = bar_chart(_("What deviation from standard costs per year"), tuple(r.name[:32] for r in shown), tuple(float(r.deviation_cost) for r in shown),
                          _("kronor per year"), _("The customers whose deviation from standard costs them most."))
    by_id = registry.service_names(scope, run.model.year)
    return render(request, "costing/behaviour.html", {"run": run, "keys": keys, "key": key, "services": [(s, by_id.get(s.pk, s.code)) for s in services],
                                                      "service": service, "weight": weight, "rows": rows, "chart": chart,
                                                      "pool": sum((r.charge for r in rows), ZERO)})
