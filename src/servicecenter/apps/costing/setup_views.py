"""Pages where a controller builds the cost model: pools and rules, keys and weights, models and
their steps, and the ledger it imported. Everyone who sees costs may look; changing needs the
right to run costing. Every write goes through ``costing.setup``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from servicecenter import clock
from servicecenter.apps.accounts.access import Capability, get_visible
from servicecenter.apps.accounts.context import scope_of
from servicecenter.apps.costing import setup
from servicecenter.apps.costing.keys import customer_weights, key_weights
from servicecenter.apps.costing.models import (
    AllocationKey,
    CostModel,
    CostPool,
    LedgerCell,
    LedgerKind,
    ModelStep,
    PoolRule,
    StepSource,
)
from servicecenter.apps.costing.services import label_of, object_labels
from servicecenter.apps.costing.setup_forms import (
    CostModelForm,
    KeyForm,
    PoolForm,
    RuleForm,
    SourceForm,
    StepForm,
    WeightsForm,
)
from servicecenter.apps.registry.models import Process, Provider
from servicecenter.core.money import ZERO, decimal_of, round_ore
from servicecenter.ui.params import id_param


def _providers(scope):
    return Provider.objects.visible_to(scope).order_by("name")


def _chosen(request, providers) -> Provider | None:
    """The organisation a list page shows: ``?provider=code`` among those visible, else the first."""
    providers = list(providers)
    code = request.GET.get("provider") or request.POST.get("provider_code")
    return next((p for p in providers if p.code == code), providers[0] if providers else None)


def _provider_form_arg(scope, providers):
    """The organisations a form offers: none (the one shown) unless the person sees several."""
    return _providers(scope) if len(providers) > 1 else None


def _provider_of(form, provider: Provider) -> Provider:
    return form.cleaned_data.get("provider") or provider


def _fail(form, error: setup.SetupError) -> None:
    """The service's refusal on the field it names (or above the form)."""
    form.add_error(error.field if getattr(error, "field", None) in form.fields else None, str(error))


def _status(*forms_) -> int:
    return 400 if any(f is not None and f.is_bound and f.errors for f in forms_) else 200


# --- pools -------------------------------------------------------------------------------------

def _processes(provider):
    return Process.objects.filter(area__provider=provider).select_related("area").order_by("area__code", "code")


def _centres(provider) -> list[tuple[str, str]]:
    rows = LedgerCell.objects.filter(provider=provider).exclude(cost_centre="").values_list("cost_centre", "cost_centre_name").distinct()
    return sorted(dict(rows).items())


@login_required
def pools(request):
    scope = scope_of(request).require(Capability.VIEW_COSTS)
    providers = list(_providers(scope))
    provider = _chosen(request, providers)
    can_edit = scope.can(Capability.RUN_COSTING)
    form = None
    if can_edit and provider is not None:
        form = PoolForm(request.POST or None, providers=_provider_form_arg(scope, providers), processes=_processes(provider))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                pool = setup.save_pool(_provider_of(form, provider), name=data["name"], kind=data["kind"], code=data["code"], process=data["process"],
                                       area=data["area"], staff=data["staff"], user=request.user)
            except setup.SetupError as error:
                _fail(form, error)
            else:
                messages.success(request, _("%(pool)s is created: give it the ledger rows it takes.") % {"pool": pool.name})
                return redirect("costing-pool", pool.pk)
    elif request.method == "POST":
        scope.require(Capability.RUN_COSTING)
    listed = CostPool.objects.filter(provider=provider).prefetch_related("rules").select_related("process") if provider else []
    return render(request, "costing/pools.html", {"pools": listed, "form": form, "provider": provider, "providers": providers}, status=_status(form))


@login_required
def pool_detail(request, pk: int):
    scope = scope_of(request).require(Capability.VIEW_COSTS)
    pool = get_visible(CostPool.objects.filter(provider__in=_providers(scope)).select_related("provider", "process"), pk=pk)
    provider = pool.provider
    can_edit = scope.can(Capability.RUN_COSTING)
    form = rule_form = None
    if request.method == "POST":
        scope.require(Capability.RUN_COSTING)
        action = request.POST.get("action")
        try:
            if action == "delete":
                setup.delete_pool(pool, user=request.user)
                messages.success(request, _("%(pool)s is deleted.") % {"pool": pool.name})
                return redirect(f"{_url('costing-pools')}?provider={provider.code}")
            if action == "remove-rule":
                rule = get_visible(PoolRule.objects.filter(pool=pool), pk=id_param(request.POST, "rule") or 0)
                setup.remove_rule(rule, user=request.user)
                messages.success(request, _("The rule is removed."))
                return redirect("costing-pool", pool.pk)
        except setup.SetupError as error:
            messages.error(request, str(error))
            return redirect("costing-pool", pool.pk)
    if can_edit:
        form = PoolForm(request.POST if request.POST.get("action") == "save" else None, pool=pool, processes=_processes(provider))
        rule_form = RuleForm(request.POST if request.POST.get("action") == "add-rule" else None, centres=_centres(provider))
        try:
            if form.is_bound and form.is_valid():
                data = form.cleaned_data
                setup.save_pool(provider, pool=pool, name=data["name"], kind=data["kind"], process=data["process"], area=data["area"], staff=data["staff"], user=request.user)
                messages.success(request, _("The pool is saved."))
                return redirect("costing-pool", pool.pk)
            if rule_form.is_bound and rule_form.is_valid():
                data = rule_form.cleaned_data
                setup.add_rule(pool, account_from=data["account_from"], account_to=data["account_to"], cost_centre=data["cost_centre"], user=request.user)
                messages.success(request, _("The rule is added."))
                return redirect("costing-pool", pool.pk)
        except setup.SetupError as error:
            _fail(form if form.is_bound else rule_form, error)
    year = LedgerCell.objects.filter(provider=provider).order_by("-year").values_list("year", flat=True).first()
    taken = _pool_ledger(provider, year, pool) if year else []
    return render(request, "costing/pool.html", {"pool": pool, "form": form, "rule_form": rule_form, "rules": pool.rules.all(),
                                                 "uses": setup.pool_uses(pool), "year": year, "taken": taken,
                                                 "taken_total": sum((row[2] for row in taken), ZERO)}, status=_status(form, rule_form))


def _pool_ledger(provider, year: int, pool: CostPool) -> list[tuple[str, str, Decimal]]:
    """The year's ledger rows (account, cost centre, amount) the rules send to ``pool``."""
    from servicecenter.apps.costing.services import pool_balances

    sources = pool_balances(provider, year, LedgerKind.ACTUAL).sources.get(pool.object_name, [])
    return sorted(((account, centre, decimal_of(amount)) for account, centre, amount in sources), key=lambda row: (row[0], row[1]))


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


# --- keys --------------------------------------------------------------------------------------

@login_required
def keys(request):
    scope = scope_of(request).require(Capability.VIEW_COSTS)
    providers = list(_providers(scope))
    provider = _chosen(request, providers)
    form = None
    if scope.can(Capability.RUN_COSTING) and provider is not None:
        form = KeyForm(request.POST or None, providers=_provider_form_arg(scope, providers), services=provider.services.order_by("code"))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                key = setup.save_key(_provider_of(form, provider), name=data["name"], basis=data["basis"], computed=data["computed"],
                                     receivers=data["receivers"], service=data["service"], code=data["code"], user=request.user)
            except setup.SetupError as error:
                _fail(form, error)
            else:
                messages.success(request, _("%(key)s is created.") % {"key": key.name})
                return redirect("costing-key", key.pk)
    elif request.method == "POST":
        scope.require(Capability.RUN_COSTING)
    listed = AllocationKey.objects.filter(provider=provider).select_related("service").prefetch_related("values", "service__versions").order_by("name") if provider else []
    return render(request, "costing/keys.html", {"keys": listed, "form": form, "provider": provider, "providers": providers}, status=_status(form))


def _key_year(provider) -> int:
    year = CostModel.objects.filter(provider=provider).order_by("-year").values_list("year", flat=True).first()
    return year or clock.today().year


@login_required
def key_detail(request, pk: int):
    scope = scope_of(request).require(Capability.VIEW_COSTS)
    key = get_visible(AllocationKey.objects.filter(provider__in=_providers(scope)).select_related("provider", "service"), pk=pk)
    provider = key.provider
    can_edit = scope.can(Capability.RUN_COSTING)
    action = request.POST.get("action")
    if request.method == "POST":
        scope.require(Capability.RUN_COSTING)
        if action == "delete":
            try:
                setup.delete_key(key, user=request.user)
            except setup.SetupError as error:
                messages.error(request, str(error))
                return redirect("costing-key", key.pk)
            messages.success(request, _("%(key)s is deleted.") % {"key": key.name})
            return redirect(f"{_url('costing-keys')}?provider={provider.code}")
    form = weights_form = None
    if can_edit:
        form = KeyForm(request.POST if action == "save" else None, key=key, services=provider.services.order_by("code"))
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            try:
                setup.save_key(provider, key=key, name=data["name"], basis=data["basis"], computed=data["computed"], receivers=data["receivers"],
                               service=data["service"], user=request.user)
            except setup.SetupError as error:
                _fail(form, error)
            else:
                messages.success(request, _("The key is saved."))
                return redirect("costing-key", key.pk)
        if not key.from_register:
            current = {value.receiver: value.weight for value in key.values.all()}
            weights_form = WeightsForm(request.POST if action == "weights" else None, choices=setup.receiver_choices(key), current=current,
                                       percent=key.basis == AllocationKey.Basis.FIXED)
            if weights_form.is_bound and weights_form.is_valid():
                try:
                    count = setup.set_key_values(key, weights_form.weights(), user=request.user)
                except setup.SetupError as error:
                    _fail(weights_form, error)
                else:
                    messages.success(request, _("%(count)s weights are saved.") % {"count": count})
                    return redirect("costing-key", key.pk)
    year = id_param(request.GET, "year") or _key_year(provider)
    labels = object_labels(provider)
    names = dict(provider.customers.values_list("number", "name"))
    if key.to_customers and key.from_register:
        raw = {names.get(org, org): weight for org, weight in customer_weights(key, year, key.service.code if key.service_id else None).items()}
    else:
        raw = {label_of(receiver, labels, names) if ":" in receiver else names.get(receiver, receiver): weight for receiver, weight in key_weights(key, year).items()}
    total = sum(raw.values(), ZERO)
    weights = sorted(((name, weight, weight / total if total else ZERO) for name, weight in raw.items()), key=lambda row: -row[1])
    used = [f"{s.step.model.name}: {s.step.name}" for s in StepSource.objects.filter(key=key).select_related("step__model")]
    return render(request, "costing/key.html", {"key": key, "form": form, "weights_form": weights_form, "weights": weights, "total": total,
                                                "year": year, "used": used}, status=_status(form, weights_form))


# --- models and steps --------------------------------------------------------------------------

@login_required
def model_new(request):
    scope = scope_of(request).require(Capability.RUN_COSTING)
    providers = list(_providers(scope))
    provider = _chosen(request, providers)
    form = CostModelForm(request.POST or None, providers=_provider_form_arg(scope, providers), initial={"year": clock.today().year})
    if request.method == "POST" and form.is_valid() and provider is not None:
        data = form.cleaned_data
        try:
            model = setup.save_model(_provider_of(form, provider), name=data["name"], year=data["year"], kind=data["kind"], ledger_kind=data["ledger_kind"], user=request.user)
        except setup.SetupError as error:
            _fail(form, error)
        else:
            messages.success(request, _("%(model)s is created: add its steps.") % {"model": model.name})
            return redirect("costing-model", model.pk)
    return render(request, "costing/model_new.html", {"form": form, "provider": provider}, status=_status(form))


def model_edit_post(request, model: CostModel):
    """The model page's changes: the model itself, a step (add, change, move, remove) and a step's
    sources. Returns the forms to show again with their errors, or None after a redirect-worthy change."""
    action = request.POST.get("action", "")
    step = None
    if step_pk := id_param(request.POST, "step"):
        step = get_visible(ModelStep.objects.filter(model=model), pk=step_pk)
    errors: dict = {}
    try:
        if action == "model":
            form = CostModelForm(request.POST, model=model)
            if not form.is_valid():
                return {"model_form": form}
            data = form.cleaned_data
            setup.save_model(model.provider, model=model, name=data["name"], year=data["year"], kind=data["kind"], ledger_kind=data["ledger_kind"], user=request.user)
            messages.success(request, _("The model is saved."))
        elif action == "add-step":
            form = StepForm(request.POST, prefix="new")
            if not form.is_valid():
                return {"step_form": form}
            setup.add_step(model, name=form.cleaned_data["name"], method=form.cleaned_data["method"], user=request.user)
            messages.success(request, _("The step is added: choose what it spreads and by which key."))
        elif action == "change-step" and step is not None:
            form = StepForm(request.POST, prefix=f"step{step.pk}")
            if not form.is_valid():
                return {"step_forms": {step.pk: form}}
            setup.change_step(step, name=form.cleaned_data["name"], method=form.cleaned_data["method"], user=request.user)
            messages.success(request, _("The step is saved."))
        elif action in ("up", "down") and step is not None:
            setup.move_step(step, -1 if action == "up" else 1, user=request.user)
        elif action == "remove-step" and step is not None:
            setup.remove_step(step, user=request.user)
            messages.success(request, _("The step is removed."))
        elif action == "set-source" and step is not None:
            form = SourceForm(request.POST, prefix=f"src{step.pk}", sources=setup.source_choices(model.provider),
                              keys=AllocationKey.objects.filter(provider=model.provider).order_by("name"))
            if not form.is_valid():
                return {"source_forms": {step.pk: form}}
            setup.set_source(step, source=form.cleaned_data["source"], key=form.cleaned_data["key"], user=request.user)
            messages.success(request, _("The step's source is saved."))
        elif action == "remove-source" and step is not None:
            spread = get_visible(StepSource.objects.filter(step=step), pk=id_param(request.POST, "source") or 0)
            setup.remove_source(spread, user=request.user)
            messages.success(request, _("The source is removed from the step."))
        else:
            messages.error(request, _("Unknown action."))
    except setup.SetupError as error:
        messages.error(request, str(error))
    return errors or None


def model_forms(model: CostModel, shown: dict | None = None) -> dict:
    """The editing forms of the model page (``shown``: bound forms with errors to show instead)."""
    shown = shown or {}
    sources = setup.source_choices(model.provider)
    keys = AllocationKey.objects.filter(provider=model.provider).order_by("name")
    step_forms, source_forms = shown.get("step_forms", {}), shown.get("source_forms", {})
    per_step = {}
    for step in model.steps.all():
        per_step[step.pk] = (step_forms.get(step.pk) or StepForm(prefix=f"step{step.pk}", initial={"name": step.name, "method": step.method}),
                             source_forms.get(step.pk) or SourceForm(prefix=f"src{step.pk}", sources=sources, keys=keys))
    return {"model_form": shown.get("model_form") or CostModelForm(model=model), "step_form": shown.get("step_form") or StepForm(prefix="new"),
            "per_step": per_step, "has_keys": keys.exists()}


# --- the ledger --------------------------------------------------------------------------------

@login_required
def ledger(request):
    """The imported ledger of a year: per account and month, per cost centre, with totals."""
    scope = scope_of(request).require(Capability.VIEW_COSTS)
    providers = list(_providers(scope))
    provider = _chosen(request, providers)
    cells = LedgerCell.objects.filter(provider=provider) if provider else LedgerCell.objects.none()
    years = sorted(set(cells.values_list("year", flat=True)), reverse=True)
    year = id_param(request.GET, "year")
    year = year if year in years else (years[0] if years else None)
    kind = request.GET.get("kind") if request.GET.get("kind") in LedgerKind.values else LedgerKind.ACTUAL
    centres = sorted(dict(cells.filter(year=year).exclude(cost_centre="").values_list("cost_centre", "cost_centre_name").distinct()).items()) if year else []
    centre = request.GET.get("centre", "")
    chosen = cells.filter(year=year, kind=kind)
    if centre and centre in dict(centres):
        chosen = chosen.filter(cost_centre=centre)
    else:
        centre = ""
    months = _fiscal_months(cells.filter(year=year, kind=kind), year) if year else []
    by_account: dict[tuple[str, str], dict[dt.date, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for account, name, month, amount in chosen.values("account", "account_name", "month").annotate(total=Sum("amount")).values_list("account", "account_name", "month", "total"):
        by_account[(account, name)][month] += round_ore(decimal_of(amount))
    rows = [(account, name, [amounts.get(m, ZERO) for m in months], sum(amounts.values(), ZERO)) for (account, name), amounts in sorted(by_account.items())]
    by_centre = [(code, name, round_ore(decimal_of(total))) for code, name, total in
                 chosen.values("cost_centre", "cost_centre_name").annotate(total=Sum("amount")).values_list("cost_centre", "cost_centre_name", "total").order_by("cost_centre")]
    month_totals = [sum((row[2][i] for row in rows), ZERO) for i in range(len(months))]
    return render(request, "costing/ledger.html", {
        "provider": provider, "providers": providers, "years": years, "year": year, "kind": kind, "kinds": LedgerKind.choices,
        "centres": centres, "centre": centre, "rows": rows, "by_centre": by_centre, "month_totals": month_totals,
        "total": sum(month_totals, ZERO), "months": months,
    })


def _fiscal_months(cells, year: int) -> list[dt.date]:
    """The twelve months of fiscal year ``year`` in order: January to December of a calendar
    year, or from the first month stored when the fiscal year runs across two (July–June)."""
    stored = sorted(set(cells.values_list("month", flat=True)))
    first = dt.date(year, 1, 1) if all(m.year == year for m in stored) or not stored else stored[0]
    months = [dt.date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1) for i in range(12)]
    return months + [m for m in stored if m not in months]
