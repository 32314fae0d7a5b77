"""Costing models: the ledger (aggregated to account × cost centre × month), cost pools and the
rules that map ledger rows to them, keys, the steps of a cost model, runs, and price lists."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicecenter.apps.accounts.capabilities import Capability
from servicecenter.apps.accounts.scoping import ScopedQuerySet
from servicecenter.core.money import decimal_of


class LedgerKind(models.TextChoices):
    ACTUAL = "actual", _("actual")
    PLAN = "plan", _("plan (budget)")


class LedgerImport(models.Model):
    provider = models.ForeignKey("registry.Provider", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=LedgerKind.choices)
    filename = models.CharField(_("file"), max_length=255)
    company = models.CharField(_("company in the file"), max_length=200, blank=True)
    transactions = models.PositiveIntegerField(_("transactions"), default=0)
    at = models.DateTimeField(_("time"), default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-at"]
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.year}, {self.get_kind_display()})"


class LedgerCell(models.Model):
    """The ledger summed per account × cost centre × activity × month (from SIE #TRANS rows, or
    CSV/Excel). The activity (verksamhet) is SIE dimension 6; the follow-up reads results per activity."""

    # no index of its own: the index on (provider, year, kind) serves a lookup by the provider
    # alone, and every index is written for each of the half million cells of a large import
    provider = models.ForeignKey("registry.Provider", on_delete=models.PROTECT, related_name="+", db_index=False)
    source = models.ForeignKey(LedgerImport, on_delete=models.CASCADE, related_name="cells")
    year = models.PositiveIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=LedgerKind.choices)
    account = models.CharField(_("account"), max_length=10)
    account_name = models.CharField(_("account name"), max_length=200, blank=True)
    cost_centre = models.CharField(_("cost centre"), max_length=40, blank=True)
    cost_centre_name = models.CharField(_("cost centre name"), max_length=200, blank=True)
    activity = models.CharField(_("activity"), max_length=40, blank=True)
    month = models.DateField(_("month"))
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    transactions = models.PositiveIntegerField(_("transactions"), default=0)

    class Meta:
        indexes = [models.Index(fields=["provider", "year", "kind"])]
        verbose_name = _("ledger cell")
        verbose_name_plural = _("ledger cells")

    def __str__(self) -> str:
        return f"{self.account} {self.cost_centre} {self.month:%Y-%m}: {self.amount}"


class CostPool(models.Model):
    class Kind(models.TextChoices):
        SUPPORT = "support", _("support")
        PRODUCTION = "production", _("production process")
        ACTIVITY = "activity", _("other activity (not charged to customers)")

    provider = models.ForeignKey("registry.Provider", on_delete=models.PROTECT, related_name="cost_pools")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    process = models.ForeignKey("registry.Process", verbose_name=_("process"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    area = models.DecimalField(_("area of premises (m²)"), max_digits=12, decimal_places=1, null=True, blank=True)
    staff = models.DecimalField(_("staff (FTE)"), max_digits=9, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["provider", "kind", "code"]
        constraints = [models.UniqueConstraint(fields=["provider", "code"], name="pool_unique_code")]
        verbose_name = _("cost pool")
        verbose_name_plural = _("cost pools")

    def __str__(self) -> str:
        return self.name

    @property
    def object_name(self) -> str:
        return f"pool:{self.code}"


class PoolRule(models.Model):
    """Ledger rows whose account lies in [account_from, account_to] (and, when given, whose cost
    centre matches) go to ``pool``. The most specific rule wins (cost centre, then the narrowest
    account range); rows no rule takes stay on their own, visible line."""

    provider = models.ForeignKey("registry.Provider", on_delete=models.PROTECT, related_name="+")
    pool = models.ForeignKey(CostPool, verbose_name=_("cost pool"), on_delete=models.CASCADE, related_name="rules")
    account_from = models.CharField(_("account from"), max_length=10)
    account_to = models.CharField(_("account to"), max_length=10)
    cost_centre = models.CharField(_("cost centre (blank: any)"), max_length=40, blank=True)

    class Meta:
        ordering = ["provider", "cost_centre", "account_from"]
        verbose_name = _("pool rule")
        verbose_name_plural = _("pool rules")

    def __str__(self) -> str:
        centre = f" / {self.cost_centre}" if self.cost_centre else ""
        return f"{self.account_from}–{self.account_to}{centre} → {self.pool}"


class AllocationKey(models.Model):
    """A named key: receivers with weights (employees, area, hours, turnover, fixed shares...).

    A key ``computed`` from the register takes its weights at run time from the year's data:
    customers' employees or turnover, the volumes of a service (always computed), the area or
    staff of each pool. Otherwise its weights are typed or imported (``KeyValue``); a weight
    whose receiver is an organisation number goes to that customer's charge of the service being
    spread (``service`` when the key names one, else the step's source service)."""

    class Basis(models.TextChoices):
        EMPLOYEES = "employees", _("employees")
        AREA = "area", _("area")
        STAFF = "staff", _("staff (FTE) of each pool")
        HOURS = "hours", _("hours from time reports")
        TURNOVER = "turnover", _("turnover")
        FIXED = "fixed", _("fixed shares")
        CASES = "cases", _("cases")
        VOLUMES = "volumes", _("volumes of a service")
        DRIVER = "driver", _("imported driver")

    class Receivers(models.TextChoices):
        POOLS = "pools", _("cost pools")
        SERVICES = "services", _("services")
        CUSTOMERS = "customers", _("customers")

    #: bases whose weights the register can give: per customer, and per pool
    CUSTOMER_BASES = (Basis.EMPLOYEES, Basis.TURNOVER, Basis.VOLUMES)
    POOL_BASES = (Basis.AREA, Basis.STAFF)

    provider = models.ForeignKey("registry.Provider", on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    basis = models.CharField(_("basis"), max_length=12, choices=Basis.choices)
    service = models.ForeignKey("registry.Service", verbose_name=_("service (volume keys)"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    computed = models.BooleanField(_("weights from the register"), default=False)
    receivers = models.CharField(_("receivers"), max_length=10, choices=Receivers.choices, default=Receivers.POOLS)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "code"], name="key_unique_code")]
        verbose_name = _("allocation key")
        verbose_name_plural = _("allocation keys")

    def __str__(self) -> str:
        return self.name

    @property
    def from_register(self) -> bool:
        return self.basis == self.Basis.VOLUMES or (self.computed and self.basis in (*self.CUSTOMER_BASES, *self.POOL_BASES))

    @property
    def to_customers(self) -> bool:
        """Whether the weights go to customers (and so need a service to charge)."""
        if self.from_register:
            return self.basis in self.CUSTOMER_BASES
        return self.receivers == self.Receivers.CUSTOMERS


class KeyValue(models.Model):
    key = models.ForeignKey(AllocationKey, on_delete=models.CASCADE, related_name="values")
    receiver = models.CharField(_("receiver"), max_length=120)
    weight = models.DecimalField(_("weight"), max_digits=20, decimal_places=6)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "receiver"], name="key_value_unique"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="key_value_non_negative"),
        ]
        verbose_name = _("key value")
        verbose_name_plural = _("key values")

    def __str__(self) -> str:
        return f"{self.receiver}: {self.weight}"


class CostModelQuerySet(ScopedQuerySet):
    """Which CostModel rows a scope sees (``CostModel.objects.visible_to(scope)``)."""

    needs = Capability.VIEW_COSTS


class CostModel(models.Model):
    """A year's cost model in one version: plan, actual or a what-if."""

    objects = CostModelQuerySet.as_manager()

    class Kind(models.TextChoices):
        PLAN = "plan", _("plan (budget)")
        ACTUAL = "actual", _("actual")
        WHAT_IF = "what_if", _("what-if")

    provider = models.ForeignKey("registry.Provider", on_delete=models.PROTECT, related_name="cost_models")
    year = models.PositiveIntegerField(_("year"))
    kind = models.CharField(_("version"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    ledger_kind = models.CharField(_("ledger"), max_length=10, choices=LedgerKind.choices, default=LedgerKind.ACTUAL)
    based_on = models.ForeignKey("self", verbose_name=_("based on"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["provider", "-year", "kind", "name"]
        verbose_name = _("cost model")
        verbose_name_plural = _("cost models")

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class ModelStep(models.Model):
    class Method(models.TextChoices):
        DIRECT = "direct", _("direct")
        STEP_DOWN = "step_down", _("step-down")
        RECIPROCAL = "reciprocal", _("reciprocal")

    model = models.ForeignKey(CostModel, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=200)
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    order = models.CharField(_("step-down order (pool codes, comma-separated; blank: derived)"), max_length=500, blank=True)

    class Meta:
        ordering = ["model", "position"]
        constraints = [models.UniqueConstraint(fields=["model", "position"], name="step_unique_position")]
        verbose_name = _("model step")
        verbose_name_plural = _("model steps")

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class StepSource(models.Model):
    """In a step, the cost object ``source`` (``pool:it``, ``service:lon``...) is spread by ``key``."""

    step = models.ForeignKey(ModelStep, on_delete=models.CASCADE, related_name="sources")
    source = models.CharField(_("source"), max_length=120)
    key = models.ForeignKey(AllocationKey, verbose_name=_("key"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["step", "source"], name="step_source_unique")]
        verbose_name = _("step source")
        verbose_name_plural = _("step sources")

    def __str__(self) -> str:
        return f"{self.source} by {self.key}"


class AllocationRunQuerySet(ScopedQuerySet):
    """Which AllocationRun rows a scope sees (``AllocationRun.objects.visible_to(scope)``)."""

    provider_field = "model__provider_id"
    needs = Capability.VIEW_COSTS


class AllocationRun(models.Model):
    """One run of a cost model: the inputs as run (so the trace can always be reproduced), the
    balances after the last step and the balancing report of every step."""

    objects = AllocationRunQuerySet.as_manager()

    model = models.ForeignKey(CostModel, on_delete=models.CASCADE, related_name="runs")
    at = models.DateTimeField(_("time"), default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    total = models.DecimalField(_("total cost"), max_digits=18, decimal_places=2)
    inputs = models.JSONField(_("inputs"))
    balances = models.JSONField(_("balances"))
    reports = models.JSONField(_("balancing report"))
    pool_sources = models.JSONField(_("ledger behind each pool"), default=dict)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")

    def __str__(self) -> str:
        return f"{self.model} {self.at:%Y-%m-%d %H:%M}"


class PriceListQuerySet(ScopedQuerySet):
    """Which PriceList rows a scope sees (``PriceList.objects.visible_to(scope)``)."""

    def narrowed_for(self, scope):
        """Staff see every price list of their provider; a customer contact the published ones."""
        return self if scope.can(Capability.VIEW_COSTS) else self.filter(status="published")


class PriceList(models.Model):
    objects = PriceListQuerySet.as_manager()

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    provider = models.ForeignKey("registry.Provider", on_delete=models.PROTECT, related_name="price_lists")
    year = models.PositiveIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    run = models.ForeignKey(AllocationRun, verbose_name=_("derived from run"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cap = models.DecimalField(_("largest yearly rise"), max_digits=6, decimal_places=4, null=True, blank=True)
    rounding = models.DecimalField(_("rounded to"), max_digits=8, decimal_places=2, default="0.01")

    class Meta:
        ordering = ["provider", "-year", "name"]
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")

    def __str__(self) -> str:
        return self.name if str(self.year) in self.name else f"{self.name} {self.year}"   # not "Prislista 2020 2020"


class PriceListEntry(models.Model):
    """One service's price in a price list. Its price types are the components it has (a unit
    price, tiers, packages, a base fee, a keyed pool or a reimbursement, a connection fee,
    pass-through, a discount): each becomes its own invoice line, rated by
    ``core.billing.rate_month`` through the one adapter ``billing.services.terms_of``. (Until
    #13 a separate ``price_type`` field named one type and was never consulted.)"""

    class PriceType(models.TextChoices):
        PER_UNIT = "per_unit", _("per unit")
        TIERED = "tiered", _("volume tiers")
        PACKAGE = "package", _("package")
        BASE_FEE = "base_fee", _("base fee (fixed + by size)")
        FIXED_KEYED = "fixed_keyed", _("fixed, keyed out")
        REIMBURSEMENT = "reimbursement", _("fixed reimbursement")
        CONNECTION = "connection", _("connection fee")
        PASS_THROUGH = "pass_through", _("pass-through")
        DISCOUNT = "discount", _("discount")

    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="entries")
    service = models.ForeignKey("registry.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="+")
    unit_price = models.DecimalField(_("price"), max_digits=14, decimal_places=2, null=True, blank=True)
    fixed_pool = models.DecimalField(_("fixed pool"), max_digits=18, decimal_places=2, null=True, blank=True)
    planned_cost = models.DecimalField(_("planned self-cost"), max_digits=18, decimal_places=2, null=True, blank=True)
    planned_volume = models.DecimalField(_("planned volume"), max_digits=18, decimal_places=3, null=True, blank=True)
    cost_price = models.DecimalField(_("self-cost per unit"), max_digits=20, decimal_places=6, null=True, blank=True)
    previous_price = models.DecimalField(_("previous price"), max_digits=14, decimal_places=2, null=True, blank=True)
    capped = models.BooleanField(_("capped"), default=False)
    # Further components of the price (each becomes its own invoice line); all optional.
    tiers = models.JSONField(_("volume tiers"), default=list, blank=True, help_text=_("[[from quantity, price], ...] ascending from 0"))
    graduated = models.BooleanField(_("graduated tiers"), default=True)
    base_fixed = models.DecimalField(_("base fee per customer and year"), max_digits=14, decimal_places=2, null=True, blank=True)
    per_employee = models.DecimalField(_("fee per employee and year"), max_digits=14, decimal_places=2, null=True, blank=True)
    packages = models.JSONField(_("package prices"), default=dict, blank=True, help_text=_("{package code: price}"))
    connection_fee = models.DecimalField(_("connection fee"), max_digits=14, decimal_places=2, null=True, blank=True)
    connection_months = models.PositiveSmallIntegerField(_("connection fee instalments (months)"), default=60)
    key = models.ForeignKey(AllocationKey, verbose_name=_("key of the fixed pool (blank: employees)"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    payer = models.ForeignKey("registry.Customer", verbose_name=_("payer of a fixed reimbursement"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    markup = models.DecimalField(_("mark-up on re-invoiced cost"), max_digits=6, decimal_places=4, null=True, blank=True)
    discount_share = models.DecimalField(_("discount share"), max_digits=6, decimal_places=4, null=True, blank=True)
    vat_category = models.CharField(_("VAT category"), max_length=1, choices=[("S", _("standard rate")), ("O", _("outside the scope of VAT")), ("E", _("exempt")), ("Z", _("zero rate"))], default="S")
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2, default=25)

    class Meta:
        ordering = ["price_list", "service__code"]
        constraints = [models.UniqueConstraint(fields=["price_list", "service"], name="price_entry_unique")]
        verbose_name = _("price list entry")
        verbose_name_plural = _("price list entries")

    def __str__(self) -> str:
        return f"{self.service.code}: {self.unit_price}"

    @property
    def price_types(self) -> list[PriceType]:
        """The price types this entry bills, in the order of its invoice lines."""
        found = [
            (self.unit_price is not None, self.PriceType.PER_UNIT), (bool(self.tiers), self.PriceType.TIERED),
            (bool(self.packages), self.PriceType.PACKAGE), (self.base_fixed is not None or self.per_employee is not None, self.PriceType.BASE_FEE),
            (self.fixed_pool is not None and self.payer_id is None, self.PriceType.FIXED_KEYED),
            (self.fixed_pool is not None and self.payer_id is not None, self.PriceType.REIMBURSEMENT),
            (self.connection_fee is not None, self.PriceType.CONNECTION), (self.markup is not None, self.PriceType.PASS_THROUGH),
            (bool(self.discount_share), self.PriceType.DISCOUNT),
        ]
        return [price_type for present, price_type in found if present]

    @property
    def components(self) -> list[tuple[str, object, str]]:
        """What the entry charges, for the price-list page: (what, amount in kr or None, detail)."""
        shown: list[tuple[str, object, str]] = []
        if self.unit_price is not None:
            shown.append((_("per unit"), self.unit_price, ""))
        for start, price in self.tiers:
            shown.append((_("from %(quantity)s") % {"quantity": f"{decimal_of(start):,f}".replace(",", "\u202f")}, price, ""))
        for code, price in self.packages.items():
            shown.append((_("package %(code)s") % {"code": code}, price, ""))
        if self.base_fixed is not None:
            shown.append((_("base fee a year"), self.base_fixed, ""))
        if self.per_employee is not None:
            shown.append((_("per employee a year"), self.per_employee, ""))
        if self.connection_fee is not None:
            shown.append((_("connection fee"), self.connection_fee, _("over %(months)s months") % {"months": self.connection_months}))
        if self.markup is not None:
            shown.append((_("re-invoiced costs"), None, _("mark-up %(share)s %%") % {"share": format(self.markup * 100, "f").rstrip("0").rstrip(".") or "0"}))
        if self.discount_share:
            shown.append((_("discount"), None, f"{format(self.discount_share * 100, 'f').rstrip('0').rstrip('.')} %"))
        return shown

    def price_types_display(self) -> str:
        return ", ".join(str(price_type.label) for price_type in self.price_types) or "–"
