"""Price lists as a controller keeps them: create a year's list, derive it from a cost run with
planned volumes and a cap, edit every entry of every price type, publish it (then it is frozen;
a correction is a new version).

Every function here is one transaction with an audit entry; pages, the API and the demo call
them, never the ORM. The price rules themselves live in ``core.billing`` (rating) and
``core.pricing`` (derivation); this module only keeps the entries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from servicecenter.apps.accounts.audit import record
from servicecenter.apps.costing.models import AllocationRun, PriceList, PriceListEntry
from servicecenter.apps.costing.revenue import actual_quantities
from servicecenter.apps.costing.services import service_costs
from servicecenter.apps.registry.models import Provider, Service
from servicecenter.core import limits
from servicecenter.core.money import ZERO, decimal_of, round_ore, round_places
from servicecenter.core.pricing.analysis import derive_price_list as derive_prices

#: The fields of an entry a controller edits (everything that decides an invoice line).
ENTRY_FIELDS = ("unit_price", "tiers", "graduated", "packages", "base_fixed", "per_employee", "fixed_pool", "key", "payer",
                "connection_fee", "connection_months", "markup", "discount_share", "vat_category", "vat_rate")


class PricingError(ValueError):
    """A price list cannot be changed this way; the message says why and what to do instead
    (``field``: the entry field it is about, when one)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def check_entry(values: dict) -> None:
    """The rules an entry's fields obey together, whoever writes it (the page's form, the API):
    tiers ascend from 0, a payer or a key needs the fixed pool, the VAT rate fits the category,
    a mark-up needs pass-through, a discount is below 100 %."""
    tiers = values.get("tiers") or []
    starts = [decimal_of(start) for start, _price in tiers]
    if starts and starts[0] != 0:
        raise PricingError(_("The first band must start at 0."), "tiers")
    if any(later <= earlier for earlier, later in zip(starts, starts[1:], strict=False)):
        raise PricingError(_("Volume tiers: each band must start above the one before."), "tiers")
    if values.get("payer") is not None and values.get("fixed_pool") is None:
        raise PricingError(_("A payer pays a fixed pool: give its amount."), "fixed_pool")
    if values.get("key") is not None and (values.get("fixed_pool") is None or values.get("payer") is not None):
        raise PricingError(_("A key shares a fixed pool among customers: give the pool, and no single payer."), "pool_key")
    category, rate = values.get("vat_category", "S"), values.get("vat_rate", Decimal(25))  # absent: the entry's defaults
    if category == "S" and not rate:
        raise PricingError(_("The standard rate needs a VAT rate above 0."), "vat_rate")
    if category in ("O", "E", "Z") and rate:
        raise PricingError(_("Outside the scope, exempt or zero rate: the VAT rate is 0."), "vat_rate")
    discount = values.get("discount_share")
    if discount is not None and discount >= 1:
        raise PricingError(_("A discount is below 100 %."), "discount")


@dataclass(frozen=True)
class ProposedVolume:
    """A planned volume proposed from a year's actuals: ``total`` over ``months`` months with
    data, scaled to twelve (so three months of volumes do not pass for a year)."""

    service: str
    source_year: int
    months: int
    total: Decimal

    @property
    def volume(self) -> Decimal:
        return round_places(self.total * 12 / self.months, 3)


def _check_year(year: int) -> None:
    problem = limits.check_year(year)
    if problem is not None:
        raise PricingError(_("Year: %(problem)s") % {"problem": problem.message((translation.get_language() or "sv")[:2])})


def _draft(price_list: PriceList) -> None:
    if price_list.status == PriceList.Status.PUBLISHED:
        raise PricingError(_("%(name)s is published and frozen: make a new version to change it.") % {"name": price_list.name})


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise PricingError(_("Name: give the price list a name."))
    if len(name) > 200:
        raise PricingError(_("Name: at most 200 characters."))
    return name


def new_price_list(provider: Provider, year: int, name: str, user=None) -> PriceList:
    """An empty draft price list for ``year``."""
    _check_year(year)
    name = _name(name)
    with transaction.atomic():
        price_list = PriceList.objects.create(provider=provider, year=year, name=name)
        record("costing.price_list.created", user=user, obj=price_list, provider=provider, data={"year": year, "entries": 0})
    return price_list


def proposed_volumes(provider: Provider, year: int) -> dict[str, ProposedVolume]:
    """Per service code, the actual volumes (monthly volumes and usage events) of ``year - 1``
    scaled to a full year by the months that have data: a proposal, to be checked."""
    source = year - 1
    proposals = {}
    for code, months in actual_quantities(provider, source).items():
        used = {month: quantity for month, quantity in months.items() if quantity}
        total = sum(used.values(), ZERO)
        if used and total > 0:
            proposals[code] = ProposedVolume(code, source, len(used), total)
    return proposals


def derive_price_list(run: AllocationRun, name: str, planned: dict[str, Decimal], *, cap: Decimal | None = None,
                      previous: PriceList | None = None, stated_previous: dict[str, Decimal] | None = None,
                      rounding: Decimal = Decimal("0.01"), user=None) -> tuple[PriceList, list[str]]:
    """A draft price list for the run's year: per service with a planned volume, self-cost ÷
    planned volume, rising at most ``cap`` (a share) over the previous price (the previous list's,
    else ``stated_previous``). A service with cost but no planned volume becomes a fixed pool keyed
    out over its customers. Returns the list and what the controller should check."""
    model = run.model
    _check_year(model.year)
    name = _name(name)
    if cap is not None and not ZERO <= cap <= 1:
        raise PricingError(_("Largest yearly rise: between 0 and 100 %."))
    costs = {code: cost for code, cost in service_costs(run).items() if cost > 0}
    services = {s.code: s for s in Service.objects.filter(provider=model.provider)}
    unknown = sorted(set(planned) - set(services))
    if unknown:
        raise PricingError(_("Planned volume: no service with the code %(codes)s.") % {"codes": ", ".join(unknown)})
    before = dict(stated_previous or {})
    if previous is not None:
        before.update({e.service.code: e.unit_price for e in previous.entries.select_related("service") if e.unit_price is not None})
    volumes = {code: planned[code] for code in costs if planned.get(code, ZERO) > 0}
    entries, _problems = derive_prices({code: costs[code] for code in volumes}, volumes, before, cap, rounding)
    notes = []
    with transaction.atomic():
        price_list = PriceList.objects.create(provider=model.provider, year=model.year, name=name, run=run, cap=cap, rounding=rounding)
        rows = [PriceListEntry(price_list=price_list, service=services[e.process], unit_price=e.price, planned_cost=round_ore(e.planned_cost),
                               planned_volume=e.planned_volume, cost_price=round_places(e.cost_price, 6), previous_price=e.previous_price, capped=e.capped)
                for e in entries]
        for code in sorted(set(costs) - set(volumes)):
            if code not in services:
                notes.append(_("%(code)s has cost in the run but is not a service of the catalogue; it has no price.") % {"code": code})
                continue
            rows.append(PriceListEntry(price_list=price_list, service=services[code], fixed_pool=round_ore(costs[code]), planned_cost=round_ore(costs[code])))
            notes.append(_("%(code)s has no planned volume: its cost is a fixed pool keyed out over its customers. Edit the entry if it is billed otherwise.")
                         % {"code": code})
        for entry in entries:
            if entry.capped:
                notes.append(_("%(code)s is capped at %(price)s kr (self-cost %(cost)s kr per unit): it under-recovers.")
                             % {"code": entry.process, "price": entry.price, "cost": round_ore(entry.cost_price)})
        PriceListEntry.objects.bulk_create(rows)
        record("costing.price_list.derived", user=user, obj=price_list, provider=model.provider,
               data={"run": run.pk, "entries": len(rows), "cap": str(cap) if cap is not None else None,
                     "planned": {code: str(volume) for code, volume in sorted(volumes.items())}})
    return price_list, notes


def save_entry(price_list: PriceList, service: Service, values: dict, user=None) -> PriceListEntry:
    """Create or change the entry of ``service`` in a draft ``price_list`` (``values``: the
    cleaned fields of :data:`ENTRY_FIELDS`)."""
    _draft(price_list)
    if service.provider_id != price_list.provider_id:
        raise PricingError(_("Service: not a service of %(provider)s.") % {"provider": price_list.provider.name})
    payer = values.get("payer")
    if payer is not None and payer.provider_id != price_list.provider_id:
        raise PricingError(_("Payer: not a customer of %(provider)s.") % {"provider": price_list.provider.name})
    check_entry(values)
    key = values.get("key")
    if key is not None and (key.provider_id != price_list.provider_id or not key.to_customers):
        raise PricingError(_("Key of the fixed pool: not a key of %(provider)s that shares among customers.") % {"provider": price_list.provider.name})
    fields = {name: values[name] for name in ENTRY_FIELDS if name in values}
    with transaction.atomic():
        locked = PriceList.objects.select_for_update().get(pk=price_list.pk)
        _draft(locked)
        entry, created = PriceListEntry.objects.update_or_create(price_list=locked, service=service, defaults=fields)
        if not entry.price_types:
            raise PricingError(_("Give at least one price: a unit price, tiers, packages, a fee, a pool, pass-through or a discount."))
        record("costing.price_list.entry_saved", user=user, obj=locked, provider=locked.provider,
               data={"service": service.code, "created": created, "types": [t.value for t in entry.price_types]})
    return entry


def remove_entry(entry: PriceListEntry, user=None) -> None:
    _draft(entry.price_list)
    with transaction.atomic():
        record("costing.price_list.entry_removed", user=user, obj=entry.price_list, provider=entry.price_list.provider, data={"service": entry.service.code})
        entry.delete()


def publish(price_list: PriceList, user=None) -> PriceList:
    """Publish a draft: from now on it is frozen and the newest published list of its year is the
    one invoices are rated by."""
    with transaction.atomic():
        locked = PriceList.objects.select_for_update().get(pk=price_list.pk)
        _draft(locked)
        entries = list(locked.entries.select_related("service"))
        if not entries:
            raise PricingError(_("%(name)s has no entries: give at least one service a price before publishing.") % {"name": locked.name})
        empty = [e.service.code for e in entries if not e.price_types]
        if empty:
            raise PricingError(_("These entries have no price: %(codes)s.") % {"codes": ", ".join(empty)})
        replaced = list(PriceList.objects.filter(provider=locked.provider, year=locked.year, status=PriceList.Status.PUBLISHED).values_list("name", flat=True))
        locked.status = PriceList.Status.PUBLISHED
        locked.save(update_fields=["status"])
        record("costing.price_list.published", user=user, obj=locked, provider=locked.provider,
               data={"entries": len(entries), "replaces": replaced})
    return locked


def new_version(price_list: PriceList, name: str | None = None, user=None) -> PriceList:
    """A draft copy of ``price_list`` with all its entries, to correct a published list."""
    with transaction.atomic():
        count = PriceList.objects.filter(provider=price_list.provider, year=price_list.year).count()
        copy = PriceList.objects.create(provider=price_list.provider, year=price_list.year, run=price_list.run, cap=price_list.cap,
                                        rounding=price_list.rounding, name=(name or f"{price_list.name} ({_('version')} {count + 1})")[:200])
        entries = list(price_list.entries.all())
        for entry in entries:
            entry.pk = None
            entry.price_list = copy
        PriceListEntry.objects.bulk_create(entries)
        record("costing.price_list.versioned", user=user, obj=copy, provider=copy.provider, data={"from": price_list.pk, "entries": len(entries)})
    return copy
