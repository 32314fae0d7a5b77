"""A controller's cost model, kept through pages and the API instead of the admin: cost pools and
the ledger rules that fill them, allocation keys (from the register or with typed weights), cost
models and their steps, each step's sources and keys.

Every function checks what it is given against the provider (a pool, key, service or customer of
another organisation is refused), writes in one transaction and leaves an audit entry. Errors are
:class:`SetupError` with a message that names the field. Codes are made from names when none is
given: the person picks pools, services and customers by name and never types internal names."""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Q
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from servicecenter.apps.accounts.audit import record
from servicecenter.apps.costing.models import (
    AllocationKey,
    CostModel,
    CostPool,
    KeyValue,
    LedgerKind,
    ModelStep,
    PoolRule,
    PriceListEntry,
    StepSource,
)
from servicecenter.apps.costing.services import UNMAPPED
from servicecenter.apps.registry.models import Customer, Process, Provider, Service, ServiceVersion
from servicecenter.core import limits
from servicecenter.core.money import ZERO

ACCOUNT = re.compile(r"\d{1,10}")


class SetupError(ValueError):
    """The change cannot be made; the message names the field and says why (``field``: the
    form field it belongs to, when one does)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _mine(provider: Provider, obj, field: str) -> None:
    if obj is not None and getattr(obj, "provider_id", None) != provider.pk:
        raise SetupError(_("%(field)s: not one of %(provider)s.") % {"field": field, "provider": provider.name})


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise SetupError(_("Name: give a name."), field="name")
    if len(name) > 200:
        raise SetupError(_("Name: at most 200 characters."), field="name")
    return name


def _code(model, provider: Provider, code: str, name: str, current=None) -> str:
    """``code`` checked, or one made from ``name`` that the provider does not use yet."""
    given = (code or "").strip()
    if given and not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,39}", given):
        raise SetupError(_("Code: 1–40 lower-case letters, digits, hyphens or underscores."), field="code")
    taken = set(model.objects.filter(provider=provider).exclude(pk=getattr(current, "pk", None)).values_list("code", flat=True))
    if given:
        if given in taken:
            raise SetupError(_("Code: %(code)s is already used.") % {"code": given}, field="code")
        return given
    base = (slugify(name) or "x")[:36].strip("-") or "x"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _register_figure(value, field: str, name: str) -> Decimal | None:
    if value is None:
        return None
    if not ZERO <= value <= limits.QUANTITY.high:
        raise SetupError(_("%(field)s: 0 or more.") % {"field": field}, field=name)
    return value


# --- pools and rules ---------------------------------------------------------------------------

def save_pool(provider: Provider, *, name: str, kind: str, code: str = "", process: Process | None = None,
              area: Decimal | None = None, staff: Decimal | None = None, pool: CostPool | None = None, user=None) -> CostPool:
    """Create a cost pool (``pool`` None) or change one."""
    if pool is not None:
        _mine(provider, pool, _("Cost pool"))
    if kind not in CostPool.Kind.values:
        raise SetupError(_("Kind: one of %(kinds)s.") % {"kinds": ", ".join(str(label) for label in CostPool.Kind.labels)}, field="kind")
    if process is not None and process.area.provider_id != provider.pk:
        raise SetupError(_("Process: not a process of %(provider)s.") % {"provider": provider.name}, field="process")
    values = {"name": _name(name), "kind": kind, "process": process,
              "area": _register_figure(area, _("Area"), "area"), "staff": _register_figure(staff, _("Staff"), "staff")}
    with transaction.atomic():
        if pool is None:
            pool = CostPool.objects.create(provider=provider, code=_code(CostPool, provider, code, name), **values)
            record("costing.pool.created", user=user, obj=pool, provider=provider, data={"code": pool.code})
        else:
            # the code is the pool's name in models and keys: it stays once the pool exists
            for field, value in values.items():
                setattr(pool, field, value)
            pool.save()
            record("costing.pool.changed", user=user, obj=pool, provider=provider, data={"code": pool.code})
    return pool


def pool_uses(pool: CostPool) -> list[str]:
    """Where the pool is named: steps that spread it, keys that give it a weight."""
    name = pool.object_name
    steps = [f"{s.step.model.name}: {s.step.name}" for s in StepSource.objects.filter(step__model__provider=pool.provider, source=name).select_related("step__model")]
    keys = [v.key.name for v in KeyValue.objects.filter(key__provider=pool.provider, receiver=name).select_related("key")]
    return steps + keys


def delete_pool(pool: CostPool, user=None) -> None:
    uses = pool_uses(pool)
    if uses:
        raise SetupError(_("%(pool)s is used by %(uses)s: remove it there first.") % {"pool": pool.name, "uses": ", ".join(sorted(set(uses)))})
    with transaction.atomic():
        record("costing.pool.deleted", user=user, obj=pool, provider=pool.provider, data={"code": pool.code})
        pool.delete()


def add_rule(pool: CostPool, *, account_from: str, account_to: str, cost_centre: str = "", user=None) -> PoolRule:
    """Ledger rows with an account in [from, to] (and, when given, the cost centre) go to ``pool``."""
    account_from, account_to, cost_centre = (account_from or "").strip(), (account_to or "").strip() or (account_from or "").strip(), (cost_centre or "").strip()
    for name, field, value in (("account_from", _("Account from"), account_from), ("account_to", _("Account to"), account_to)):
        if not ACCOUNT.fullmatch(value):
            raise SetupError(_("%(field)s: an account number of digits, e.g. 5010.") % {"field": field}, field=name)
    if len(account_from) != len(account_to) or account_from > account_to:
        raise SetupError(_("Account to: from %(first)s onwards, with as many digits.") % {"first": account_from}, field="account_to")
    if len(cost_centre) > 40:
        raise SetupError(_("Cost centre: at most 40 characters."), field="cost_centre")
    clash = PoolRule.objects.filter(provider=pool.provider, account_from=account_from, account_to=account_to, cost_centre=cost_centre).select_related("pool").first()
    if clash is not None:
        raise SetupError(_("Accounts: the same rule already sends these rows to %(pool)s.") % {"pool": clash.pool.name}, field="account_from")
    with transaction.atomic():
        rule = PoolRule.objects.create(provider=pool.provider, pool=pool, account_from=account_from, account_to=account_to, cost_centre=cost_centre)
        record("costing.pool.rule_added", user=user, obj=pool, provider=pool.provider, data={"rule": str(rule)})
    return rule


def remove_rule(rule: PoolRule, user=None) -> None:
    with transaction.atomic():
        record("costing.pool.rule_removed", user=user, obj=rule.pool, provider=rule.provider, data={"rule": str(rule)})
        rule.delete()


# --- keys --------------------------------------------------------------------------------------

def customer_keys(provider: Provider):
    """The provider's keys that share among customers (for a keyed fixed price)."""
    register = Q(computed=True, basis__in=AllocationKey.CUSTOMER_BASES) | Q(basis=AllocationKey.Basis.VOLUMES)
    typed = Q(computed=False, receivers=AllocationKey.Receivers.CUSTOMERS) & ~Q(basis__in=AllocationKey.POOL_BASES)
    return AllocationKey.objects.filter(provider=provider).filter(register | typed).order_by("name")


def save_key(provider: Provider, *, name: str, basis: str, computed: bool = False, receivers: str = AllocationKey.Receivers.POOLS,
             service: Service | None = None, code: str = "", key: AllocationKey | None = None, user=None) -> AllocationKey:
    """Create a key (``key`` None) or change one. ``computed``: weights from the register
    (customers' employees or turnover, pools' area or staff); volume keys always are."""
    if key is not None:
        _mine(provider, key, _("Key"))
    _mine(provider, service, _("Service"))
    if basis not in AllocationKey.Basis.values:
        raise SetupError(_("Basis: one of %(bases)s.") % {"bases": ", ".join(str(label) for label in AllocationKey.Basis.labels)}, field="basis")
    registered = (*AllocationKey.CUSTOMER_BASES, *AllocationKey.POOL_BASES)
    if computed and basis not in registered:
        raise SetupError(_("Weights from the register: only for employees, turnover, volumes, area and staff; %(basis)s is typed or imported.")
                         % {"basis": AllocationKey.Basis(basis).label}, field="computed")
    if receivers not in AllocationKey.Receivers.values:
        raise SetupError(_("Receivers: pools, services or customers."), field="receivers")
    if basis == AllocationKey.Basis.VOLUMES:
        computed, receivers = True, AllocationKey.Receivers.CUSTOMERS
    elif computed:
        receivers = AllocationKey.Receivers.CUSTOMERS if basis in AllocationKey.CUSTOMER_BASES else AllocationKey.Receivers.POOLS
    if service is not None and receivers != AllocationKey.Receivers.CUSTOMERS:
        raise SetupError(_("Service: only a key that shares among customers charges a service."), field="service")
    values = {"name": _name(name), "basis": basis, "computed": computed, "receivers": receivers, "service": service}
    with transaction.atomic():
        if key is None:
            key = AllocationKey.objects.create(provider=provider, code=_code(AllocationKey, provider, code, name), **values)
            record("costing.key.created", user=user, obj=key, provider=provider, data={"code": key.code, "basis": basis, "computed": computed})
        else:
            if key.receivers != receivers:
                key.values.all().delete()  # weights of pools mean nothing for customers
            for field, value in values.items():
                setattr(key, field, value)
            key.save()
            record("costing.key.changed", user=user, obj=key, provider=provider, data={"code": key.code, "basis": basis, "computed": computed})
    return key


def receiver_choices(key: AllocationKey) -> list[tuple[str, str]]:
    """(stored receiver, what a person reads) for a key with typed weights."""
    provider = key.provider
    if key.receivers == AllocationKey.Receivers.CUSTOMERS:
        return list(Customer.objects.filter(provider=provider).order_by("name").values_list("number", "name"))
    if key.receivers == AllocationKey.Receivers.SERVICES:
        names = {v.service_id: v.name_sv for v in ServiceVersion.objects.filter(service__provider=provider).order_by("year")}
        return [(f"service:{s.code}", names.get(s.pk, s.code)) for s in Service.objects.filter(provider=provider).order_by("code")]
    return [(pool.object_name, pool.name) for pool in CostPool.objects.filter(provider=provider).order_by("kind", "name")]


def set_key_values(key: AllocationKey, weights: dict[str, Decimal], user=None) -> int:
    """Replace the typed weights of ``key`` (receivers from :func:`receiver_choices`; a zero
    weight is left out). Fixed shares are percentages and must add up to 100."""
    if key.from_register:
        raise SetupError(_("%(key)s takes its weights from the register: there is nothing to type.") % {"key": key.name})
    allowed = dict(receiver_choices(key))
    unknown = sorted(set(weights) - set(allowed))
    if unknown:
        raise SetupError(_("Receiver: %(names)s is not one of the organisation's.") % {"names": ", ".join(unknown)})
    for receiver, weight in weights.items():
        if weight is None or weight < 0 or weight > limits.WEIGHT.high:
            raise SetupError(_("Weight of %(receiver)s: 0 or more.") % {"receiver": allowed[receiver]})
    kept = {receiver: weight for receiver, weight in weights.items() if weight}
    if not kept:
        raise SetupError(_("Weights: give at least one receiver a weight above 0."))
    total = sum(kept.values(), ZERO)
    if key.basis == AllocationKey.Basis.FIXED and total != 100:
        raise SetupError(_("Weights: fixed shares are percentages and add up to 100 %%; these add up to %(total)s %%.") % {"total": total})
    with transaction.atomic():
        key.values.all().delete()
        KeyValue.objects.bulk_create([KeyValue(key=key, receiver=receiver, weight=weight) for receiver, weight in sorted(kept.items())])
        record("costing.key.weights_set", user=user, obj=key, provider=key.provider, data={"values": len(kept), "total": str(total)})
    return len(kept)


def delete_key(key: AllocationKey, user=None) -> None:
    steps = [f"{s.step.model.name}: {s.step.name}" for s in StepSource.objects.filter(key=key).select_related("step__model")]
    prices = [e.price_list.name for e in PriceListEntry.objects.filter(key=key).select_related("price_list")]
    if steps or prices:
        raise SetupError(_("%(key)s is used by %(uses)s: choose another key there first.") % {"key": key.name, "uses": ", ".join(sorted(set(steps + prices)))})
    with transaction.atomic():
        record("costing.key.deleted", user=user, obj=key, provider=key.provider, data={"code": key.code})
        key.delete()


# --- models and steps --------------------------------------------------------------------------

def save_model(provider: Provider, *, name: str, year: int, kind: str, ledger_kind: str = LedgerKind.ACTUAL,
               model: CostModel | None = None, user=None) -> CostModel:
    if model is not None:
        _mine(provider, model, _("Cost model"))
    problem = limits.check_year(year)
    if problem is not None:
        raise SetupError(_("Year: %(problem)s") % {"problem": problem.message((translation.get_language() or "sv")[:2])}, field="year")
    if kind not in CostModel.Kind.values:
        raise SetupError(_("Version: plan, actual or what-if."), field="kind")
    if ledger_kind not in LedgerKind.values:
        raise SetupError(_("Ledger: actual or budget."), field="ledger_kind")
    values = {"name": _name(name), "year": year, "kind": kind, "ledger_kind": ledger_kind}
    with transaction.atomic():
        if model is None:
            model = CostModel.objects.create(provider=provider, **values)
            record("costing.model.created", user=user, obj=model, provider=provider, data={"year": year, "kind": kind})
        else:
            for field, value in values.items():
                setattr(model, field, value)
            model.save()
            record("costing.model.changed", user=user, obj=model, provider=provider, data={"year": year, "kind": kind})
    return model


def _method(method: str) -> str:
    if method not in ModelStep.Method.values:
        raise SetupError(_("Method: direct, step-down or reciprocal."), field="method")
    return method


def add_step(model: CostModel, *, name: str, method: str, user=None) -> ModelStep:
    """A step at the end of the model."""
    with transaction.atomic():
        last = ModelStep.objects.select_for_update().filter(model=model).aggregate(last=Max("position"))["last"] or 0
        step = ModelStep.objects.create(model=model, position=last + 1, name=_name(name), method=_method(method))
        record("costing.model.step_added", user=user, obj=model, provider=model.provider, data={"step": step.name, "method": method})
    return step


def change_step(step: ModelStep, *, name: str, method: str, user=None) -> ModelStep:
    step.name, step.method = _name(name), _method(method)
    with transaction.atomic():
        step.save(update_fields=["name", "method"])
        record("costing.model.step_changed", user=user, obj=step.model, provider=step.model.provider, data={"step": step.name, "method": method})
    return step


def move_step(step: ModelStep, offset: int, user=None) -> None:
    """Swap ``step`` with its neighbour (``offset`` −1: earlier, +1: later)."""
    with transaction.atomic():
        steps = list(ModelStep.objects.select_for_update().filter(model=step.model).order_by("position"))
        index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
        other = index + offset
        if not 0 <= other < len(steps):
            return
        steps[index], steps[other] = steps[other], steps[index]
        _renumber(steps)
        record("costing.model.step_moved", user=user, obj=step.model, provider=step.model.provider, data={"step": step.name, "position": other + 1})


def _renumber(steps: list[ModelStep]) -> None:
    # two passes: positions are unique per model, so park them out of the way first
    for offset, step in enumerate(steps, start=1):
        step.position = 10_000 + offset
        step.save(update_fields=["position"])
    for position, step in enumerate(steps, start=1):
        step.position = position
        step.save(update_fields=["position"])


def remove_step(step: ModelStep, user=None) -> None:
    with transaction.atomic():
        model = step.model
        record("costing.model.step_removed", user=user, obj=model, provider=model.provider, data={"step": step.name})
        step.delete()
        _renumber(list(ModelStep.objects.filter(model=model).order_by("position")))


def source_choices(provider: Provider) -> list[tuple[str, str]]:
    """(source, what a person reads): every pool, the unmapped ledger rows and every service."""
    pools = [(pool.object_name, pool.name) for pool in CostPool.objects.filter(provider=provider).order_by("kind", "name")]
    names = {v.service_id: v.name_sv for v in ServiceVersion.objects.filter(service__provider=provider).order_by("year")}
    services = [(f"service:{s.code}", names.get(s.pk, s.code)) for s in Service.objects.filter(provider=provider).order_by("code")]
    return pools + [(UNMAPPED, _("Unmapped ledger rows"))] + services


def set_source(step: ModelStep, *, source: str, key: AllocationKey, user=None) -> StepSource:
    """In ``step``, spread ``source`` by ``key`` (replacing the key when the source is there)."""
    provider = step.model.provider
    _mine(provider, key, _("Key"))
    if source not in dict(source_choices(provider)):
        raise SetupError(_("Source: not a pool or service of %(provider)s.") % {"provider": provider.name}, field="source")
    with transaction.atomic():
        spread, _created = StepSource.objects.update_or_create(step=step, source=source, defaults={"key": key})
        record("costing.model.source_set", user=user, obj=step.model, provider=provider, data={"step": step.name, "source": source, "key": key.code})
    return spread


def remove_source(spread: StepSource, user=None) -> None:
    with transaction.atomic():
        model = spread.step.model
        record("costing.model.source_removed", user=user, obj=model, provider=model.provider, data={"step": spread.step.name, "source": spread.source})
        spread.delete()
