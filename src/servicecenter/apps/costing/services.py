"""Costing use cases: map the ledger to pools, run a cost model, derive a price list, trace a
customer's charge, compare price models. Each writes inside one transaction with an audit entry."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from servicecenter.apps.accounts.audit import record
from servicecenter.apps.costing.keys import key_weights, service_spread
from servicecenter.apps.costing.models import (
    AllocationKey,
    AllocationRun,
    CostModel,
    CostPool,
    LedgerCell,
    PoolRule,
    PriceList,
    PriceListEntry,
)
from servicecenter.apps.costing.revenue import year_lines
from servicecenter.apps.metering.models import Volume
from servicecenter.apps.registry.models import Customer, Service, ServiceVersion
from servicecenter.core.costing import AllocationError, ModelResult, Step, StepMethod, run_model
from servicecenter.core.money import ZERO, decimal_of, round_ore, round_places
from servicecenter.core.pricing import (
    RecoveryRow,
    WhatIf,
    compare_models,
    derive_price_list,
    recovery_by_process,
)
from servicecenter.core.problems import Problem

UNMAPPED = "pool:omappat"
COST_ACCOUNT_CLASSES = "45678"  # BAS and the state's chart: classes 4–8 are costs; 1–2 balance, 3 revenue


def split_charge(name: str) -> tuple[str, str]:
    customer_number, service = name.removeprefix("charge:").split("|", 1)
    return customer_number, service


@dataclass(frozen=True)
class PoolInput:
    balances: dict[str, Decimal]                            # pool object → cost
    sources: dict[str, list[tuple[str, str, str]]]          # pool object → [(account, cost centre, amount)]
    unmapped: Decimal


def _specificity(rule: PoolRule) -> tuple[bool, int]:
    """Sort key: a rule naming a cost centre beats one that does not, then the narrower account range wins."""
    numeric = rule.account_from.isdigit() and rule.account_to.isdigit()
    return (rule.cost_centre == "", int(rule.account_to) - int(rule.account_from) if numeric else 0)


def pool_balances(provider, year: int, kind: str) -> PoolInput:
    """Sum the year's ledger cells into pools by the provider's rules (most specific rule wins)."""
    rules = list(PoolRule.objects.filter(provider=provider).select_related("pool"))

    def pool_for(account: str, centre: str) -> str:
        matches = [rule for rule in rules if rule.account_from <= account <= rule.account_to and (not rule.cost_centre or rule.cost_centre == centre)]
        if not matches:
            return UNMAPPED
        return min(matches, key=_specificity).pool.object_name

    cells = (LedgerCell.objects.filter(provider=provider, year=year, kind=kind).values("account", "cost_centre").annotate(total=Sum("amount")))
    balances: dict[str, Decimal] = defaultdict(lambda: ZERO)
    sources: dict[str, list] = defaultdict(list)
    for cell in cells:
        # SQLite sums decimals as floating point: a sum of amounts in öre is rounded back to öre
        cell["total"] = round_ore(decimal_of(cell["total"]))
        if cell["total"] == 0 or cell["account"][:1] not in COST_ACCOUNT_CLASSES:
            continue
        pool = pool_for(cell["account"], cell["cost_centre"])
        balances[pool] += cell["total"]
        sources[pool].append((cell["account"], cell["cost_centre"], str(cell["total"])))
    return PoolInput(dict(balances), dict(sources), balances.get(UNMAPPED, ZERO))


def model_steps(model: CostModel) -> list[Step]:
    steps = []
    for step in model.steps.prefetch_related("sources__key__values", "sources__key__service"):
        keys = {source.source: key_weights(source.key, model.year, source.source) for source in step.sources.all()}
        order = tuple(part.strip() for part in step.order.split(",") if part.strip()) or None
        steps.append(Step(step.name, StepMethod(step.method), keys, order, ", ".join(sorted({s.key.name for s in step.sources.all()}))))
    return steps


def source_keys(model: CostModel) -> dict[str, dict[str, str]]:
    """Per step, the name of the key each source is spread by (a step may use one key per source)."""
    return {step.name: {source.source: source.key.name for source in step.sources.all()} for step in model.steps.prefetch_related("sources__key")}


def _step_json(step: Step) -> dict:
    return {"name": step.name, "method": step.method.value, "order": list(step.order or []), "key_name": step.key_name,
            "keys": {source: {receiver: str(weight) for receiver, weight in key.items()} for source, key in step.keys.items()}}


def steps_from_json(data: list[dict]) -> list[Step]:
    return [Step(item["name"], StepMethod(item["method"]), {s: {r: Decimal(w) for r, w in key.items()} for s, key in item["keys"].items()},
                 tuple(item["order"]) or None, item.get("key_name", "")) for item in data]


def object_labels(provider) -> dict[str, str]:
    """What a person reads for the model's internal names: pools, services and customers by name."""
    labels = {pool.object_name: pool.name for pool in CostPool.objects.filter(provider=provider)}
    labels.update({f"service:{s.code}": s.code for s in Service.objects.filter(provider=provider)})
    for service in ServiceVersion.objects.filter(service__provider=provider).select_related("service").order_by("year"):
        labels[f"service:{service.service.code}"] = service.name_sv
    return labels


def label_of(name: str, labels: dict[str, str], customers: dict[str, str]) -> str:
    if name.startswith("charge:") and "|" in name:
        org, service = split_charge(name)
        return f"{customers.get(org, org)} / {labels.get(f'service:{service}', service)}"
    return labels.get(name, name)


def model_problems(model: CostModel, steps: list[Step]) -> list[Problem]:
    """Everything that keeps ``model`` from running, all at once: no steps, a source or receiver
    that is no pool, service or customer charge of the provider, a key without weights, a key
    for customers spreading a pool without naming the service to charge. Names in the messages
    are the pools', services' and customers' own."""
    pools = {f"pool:{code}" for code in CostPool.objects.filter(provider=model.provider).values_list("code", flat=True)} | {UNMAPPED}
    services = set(Service.objects.filter(provider=model.provider).values_list("code", flat=True))
    names = dict(Customer.objects.filter(provider=model.provider).values_list("number", "name"))
    customers = set(names)
    labels = object_labels(model.provider)
    shown = lambda name: label_of(name, labels, names)  # noqa: E731

    def known(name: str) -> bool:
        kind, _, rest = name.partition(":")
        if kind == "pool":
            return name in pools
        if kind == "service":
            return rest in services
        if kind == "charge":
            org, bar, service = rest.partition("|")
            return bool(bar) and org in customers and service in services
        return False

    problems = [] if steps else [Problem("costing.no_steps")]
    spread_to_customers = {(step.name, source.source): source.key for step in model.steps.all() for source in step.sources.select_related("key__service")
                           if source.key.to_customers and service_spread(source.key, source.source) is None}
    for step in steps:
        for source, weights in step.keys.items():
            if not known(source):
                problems.append(Problem("costing.unknown_source", {"step": step.name, "source": shown(source)}))
            needs_service = spread_to_customers.get((step.name, source))
            if needs_service is not None:
                problems.append(Problem("costing.key_needs_service", {"step": step.name, "source": shown(source), "key": needs_service.name}))
                continue
            if not weights:  # weights that sum to zero are the core's to judge: harmless for an empty pool
                problems.append(Problem("costing.empty_key", {"step": step.name, "source": shown(source), "key": step.key_name}))
            problems.extend(Problem("costing.unknown_receiver", {"step": step.name, "source": shown(source), "receiver": shown(receiver)})
                            for receiver in sorted(weights) if not known(receiver))
    return problems


def run_cost_model(model: CostModel, user=None) -> AllocationRun:
    """Run ``model`` on its year's ledger; raises AllocationError with every problem, before
    anything runs, when the model cannot run (see :func:`model_problems`)."""
    pools = pool_balances(model.provider, model.year, model.ledger_kind)
    steps = model_steps(model)
    problems = ([] if pools.balances else [Problem("costing.no_ledger", {"year": model.year})]) + model_problems(model, steps)
    if problems:
        raise AllocationError(problems)
    result = run_model(pools.balances, steps)
    with transaction.atomic():
        run = AllocationRun.objects.create(
            model=model, user=user if getattr(user, "is_authenticated", False) else None, total=result.total,
            inputs={"initial": {k: str(v) for k, v in pools.balances.items()}, "steps": [_step_json(s) for s in steps],
                    "source_keys": source_keys(model)},
            balances={k: str(v) for k, v in result.balances.items() if v != 0},
            reports=[{"name": r.name, "method": r.method.value, "before": str(r.total_before), "after": str(r.total_after),
                      "moved": str(r.moved), "balanced": r.balanced, "flows": [[a, b, str(c)] for a, b, c in r.flows]} for r in result.reports],
            pool_sources=pools.sources,
        )
        record("costing.run.completed", user=user, obj=run, provider=model.provider, data={"model": model.name, "total": str(result.total)})
    return run


def replay(run: AllocationRun) -> ModelResult:
    """The run's result recomputed from its stored inputs (identical: the engine is deterministic)."""
    initial = {k: Decimal(v) for k, v in run.inputs["initial"].items()}
    return run_model(initial, steps_from_json(run.inputs["steps"]))


def service_costs(run: AllocationRun) -> dict[str, Decimal]:
    """Self-cost per service code: the charges to its customers, plus cost left on the service."""
    costs: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for name, amount in run.balances.items():
        if name.startswith("charge:"):
            costs[split_charge(name)[1]] += Decimal(amount)
        elif name.startswith("service:"):
            costs[name.removeprefix("service:")] += Decimal(amount)
    return dict(costs)


def yearly_volumes(provider, year: int) -> dict[str, dict[str, Decimal]]:
    """service code → customer org number → quantity in ``year``."""
    result: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for row in Volume.objects.filter(provider=provider, month__year=year).values("service__code", "customer__number").annotate(total=Sum("quantity")):
        result[row["service__code"]][row["customer__number"]] = row["total"]
    return dict(result)


def create_price_list(run: AllocationRun, name: str, cap: Decimal | None = None, rounding: Decimal = Decimal("0.01"),
                      previous: PriceList | None = None, user=None) -> PriceList:
    """A price list for the run's year: self-cost ÷ volume per service, capped against ``previous``."""
    model = run.model
    costs = service_costs(run)
    volumes = {code: sum(by_customer.values(), ZERO) for code, by_customer in yearly_volumes(model.provider, model.year).items()}
    before = {e.service.code: e.unit_price for e in previous.entries.select_related("service")} if previous else {}
    entries, problems = derive_price_list({c: v for c, v in costs.items() if c in volumes}, volumes, before, cap, rounding)
    services = {s.code: s for s in Service.objects.filter(provider=model.provider)}
    with transaction.atomic():
        price_list = PriceList.objects.create(provider=model.provider, year=model.year, name=name, run=run, cap=cap, rounding=rounding)
        PriceListEntry.objects.bulk_create([
            PriceListEntry(price_list=price_list, service=services[e.process], unit_price=e.price, planned_cost=round_ore(e.planned_cost),
                           planned_volume=e.planned_volume, cost_price=round_places(e.cost_price, 6), previous_price=e.previous_price, capped=e.capped)
            for e in entries])
        record("costing.price_list.created", user=user, obj=price_list, provider=model.provider, data={"entries": len(entries), "problems": [p.code for p in problems]})
    return price_list


def compare_price_lists(current: PriceList, alternative: PriceList) -> WhatIf:
    """Each customer's year under both price lists, rated as its invoices are (every price type)."""
    return compare_models(year_lines(current), year_lines(alternative))


def revenue_by_service(price_list: PriceList) -> dict[str, Decimal]:
    """The year's revenue per service code under ``price_list``: the sum of its twelve months'
    invoice lines (credit notes aside)."""
    revenue: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in year_lines(price_list):
        revenue[line.service] += line.amount
    return dict(revenue)


def recovery(run: AllocationRun, price_list: PriceList) -> list[RecoveryRow]:
    """Revenue under ``price_list`` against the run's self-cost, per service."""
    revenue = revenue_by_service(price_list)
    costs = service_costs(run)
    return recovery_by_process(revenue, {code: cost for code, cost in costs.items() if code in revenue or cost})


def result_per_area(run: AllocationRun, price_list: PriceList, rows: list[RecoveryRow] | None = None) -> list[tuple[str, Decimal, Decimal]]:
    """(service area, revenue, self-cost) per area, as seed 001's result per service area;
    ``rows``: the recovery already computed for the same run and price list."""
    areas = {v.service.code: v.process.area.name for v in ServiceVersion.objects.filter(service__provider=price_list.provider, year__lte=price_list.year).select_related("service", "process__area").order_by("year")}
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for row in rows if rows is not None else recovery(run, price_list):
        area = areas.get(row.process, row.process)
        totals[area][0] += row.revenue
        totals[area][1] += row.cost
    return [(area, revenue, cost) for area, (revenue, cost) in sorted(totals.items())]


def customer_trace(run: AllocationRun, customer: Customer) -> list[dict]:
    """For each of the customer's charges in the run: the amount and the pools (and their ledger
    rows) it came from."""
    return [{"service": row["service"], "amount": row["amount"], "origins": [(o["pool"], o["amount"], o["ledger"][:8]) for o in row["origins"]]}
            for row in charge_trace(run, customer)]


def preferred_run(runs):
    """The run a trace or report shows unless asked otherwise: the latest of the actual version,
    then of the plan, then any (a what-if is never the default)."""
    runs = list(runs)
    order = {CostModel.Kind.ACTUAL: 0, CostModel.Kind.PLAN: 1, CostModel.Kind.WHAT_IF: 2}
    return min(runs, key=lambda run: (order.get(run.model.kind, 3), -run.model.year, -run.at.timestamp())) if runs else None


def charge_trace(run: AllocationRun, customer: Customer, invoiced_from=None, invoiced_to=None) -> list[dict]:
    """Why the customer pays what it pays, per service it is charged for in ``run``:

    - ``charge``: the step that spread the service's cost over its customers, with its key, the
      customer's driver quantity (its weight in the key), the key's total, the share and the amount;
    - ``into``: what reached the service, by the step, key and source (pool or process) that sent it,
      with the service's weight in that key and its share;
    - ``origins``: every pool the amount comes from at the start, its cost, the part that ends up
      with this customer and that part's share, and the pool's ledger rows times that share;
    - ``unit_cost``: the service's self-cost over its volume of the year, beside ``invoiced``: the
      invoice lines of the customer for the service between ``invoiced_from`` and ``invoiced_to``
      (inclusive; default the model's year), with the price actually charged.

    Only this customer's figures and totals of the provider appear: no other customer's."""
    from servicecenter.apps.billing.models import Invoice, InvoiceLine

    result = replay(run)
    steps = steps_from_json(run.inputs["steps"])
    keys_of = run.inputs.get("source_keys", {})   # a run from before they were kept names its step's keys together

    def key_name(step: Step, source: str) -> str:
        return keys_of.get(step.name, {}).get(source) or step.key_name

    initial = {name: Decimal(value) for name, value in run.inputs["initial"].items()}
    flows = [(report["name"], report.get("method", ""), a, b, Decimal(c)) for report in run.reports for a, b, c in report["flows"]]
    costs = service_costs(run)
    volumes = {code: sum(by_customer.values(), ZERO) for code, by_customer in yearly_volumes(run.model.provider, run.model.year).items()}
    year = run.model.year
    start = invoiced_from or date(year, 1, 1)
    end = invoiced_to or date(year, 12, 31)
    lines = (InvoiceLine.objects.filter(invoice__customer=customer, invoice__provider=run.model.provider, period_start__gte=start, period_start__lte=end)
             .select_related("invoice", "service").order_by("period_start", "invoice__number"))
    by_service: dict[str, list] = defaultdict(list)
    for line in lines:
        by_service[line.service.code].append(line)
    rows = []
    for name, amount in sorted(result.with_prefix(f"charge:{customer.number}|").items()):
        code = split_charge(name)[1]
        charge = None
        for step in steps:
            for source, key in step.keys.items():
                if name in key:
                    total = sum((Decimal(w) for w in key.values()), ZERO)
                    moved = sum((c for _s, _m, a, b, c in flows if a == source and b == name), ZERO)
                    source_cost = sum((c for _s, _m, a, _b, c in flows if a == source), ZERO)
                    charge = {"step": step.name, "key": key_name(step, source), "source": source, "quantity": Decimal(key[name]), "total": total,
                              "share": Decimal(key[name]) / total if total else None, "source_cost": source_cost, "amount": moved}
        into = []
        for step in steps:
            for source, key in step.keys.items():
                if f"service:{code}" in key:
                    total = sum((Decimal(w) for w in key.values()), ZERO)
                    moved = sum((c for step_name, _m, a, b, c in flows if step_name == step.name and a == source and b == f"service:{code}"), ZERO)
                    into.append({"step": step.name, "key": key_name(step, source), "source": source, "weight": Decimal(key[f"service:{code}"]), "total": total,
                                 "share": Decimal(key[f"service:{code}"]) / total if total else None, "amount": moved})
        origins = []
        for origin, part in sorted(result.trace(name).items(), key=lambda item: -item[1]):
            pool_cost = initial.get(origin, ZERO)
            share = part / pool_cost if pool_cost else None
            ledger = [(account, centre, Decimal(value), round_ore(Decimal(value) * share) if share is not None else None)
                      for account, centre, value in run.pool_sources.get(origin, [])]
            origins.append({"pool": origin, "pool_cost": pool_cost, "amount": part, "share": share, "ledger": ledger})
        invoiced = by_service.get(code, [])
        sign = {Invoice.Type.CREDIT_NOTE: -1}
        quantity = sum((sign.get(line.invoice.document_type, 1) * line.quantity for line in invoiced), ZERO)
        billed = sum((sign.get(line.invoice.document_type, 1) * line.amount for line in invoiced), ZERO)
        volume = volumes.get(code, ZERO)
        rows.append({"service": code, "amount": amount, "charge": charge, "into": into, "origins": origins,
                     "service_cost": costs.get(code, ZERO), "volume": volume,
                     "unit_cost": round_places(costs.get(code, ZERO) / volume, 2) if volume else None,
                     "invoiced": invoiced, "invoiced_quantity": quantity, "invoiced_amount": billed,
                     "unit_price": round_places(billed / quantity, 2) if quantity else None})
    return rows


def copy_model(model: CostModel, name: str, kind: str = CostModel.Kind.WHAT_IF, user=None) -> CostModel:
    """A new version of ``model`` (same year, steps and keys) to change and compare."""
    with transaction.atomic():
        copy = CostModel.objects.create(provider=model.provider, year=model.year, kind=kind, name=name, ledger_kind=model.ledger_kind, based_on=model)
        for step in model.steps.prefetch_related("sources"):
            sources = list(step.sources.all())
            step.pk, step.model = None, copy
            step.save()
            for source in sources:
                source.pk, source.step = None, step
                source.save()
        record("costing.model.copied", user=user, obj=copy, provider=model.provider, data={"from": model.pk})
    return copy


@dataclass(frozen=True)
class VersionRow:
    name: str
    first: Decimal
    second: Decimal

    @property
    def difference(self) -> Decimal:
        return self.second - self.first


def compare_runs(first: AllocationRun, second: AllocationRun, service_names: dict[str, str]) -> list[VersionRow]:
    """Self-cost per service, and what stays on activities, under two model versions."""
    a, b = service_costs(first), service_costs(second)
    rows = [VersionRow(service_names.get(code, code), a.get(code, ZERO), b.get(code, ZERO)) for code in sorted(set(a) | set(b))]
    pools = {f"pool:{p.code}": p.name for p in CostPool.objects.filter(provider=first.model.provider, kind=CostPool.Kind.ACTIVITY)}
    rows += [VersionRow(name, Decimal(first.balances.get(code, "0")), Decimal(second.balances.get(code, "0"))) for code, name in pools.items()]
    return rows


@dataclass(frozen=True)
class BehaviourRow:
    customer_number: str
    name: str
    base: Decimal
    deviation: Decimal
    charge: Decimal
    neutral: Decimal

    @property
    def deviation_cost(self) -> Decimal:
        return self.charge - self.neutral


def behaviour_report(run: AllocationRun, service: Service, deviation_key: AllocationKey, weight: Decimal) -> list[BehaviourRow]:
    """The service's self-cost in ``run`` keyed by volume, weighted by each customer's deviation
    (the share of its units that were non-standard, from ``deviation_key``); what the deviation
    costs each customer per year."""
    from servicecenter.core.pricing import behaviour_weighted_split

    pool = service_costs(run).get(service.code, ZERO)
    base = {org: quantity for org, quantity in yearly_volumes(run.model.provider, run.model.year).get(service.code, {}).items() if quantity}
    deviation = {value.receiver: min(max(value.weight, ZERO), Decimal(1)) for value in deviation_key.values.all()}
    if not base or pool == 0:
        return []
    result = behaviour_weighted_split(pool, base, {org: deviation.get(org, ZERO) for org in base}, weight)
    names = dict(Customer.objects.filter(provider=run.model.provider, number__in=base).values_list("number", "name"))
    return sorted((BehaviourRow(org, names.get(org, org), base[org], deviation.get(org, ZERO), result.charges[org], result.neutral[org]) for org in base),
                  key=lambda row: -row.deviation_cost)
