"""Billing: usage events, billing runs, invoices and credit notes.

An invoice row exists only once it is issued, and from then on it never changes: the model
refuses ``save`` of an existing row, ``delete`` and queryset ``update``/``delete``, and the
database refuses UPDATE and DELETE with triggers (migration 0002), so neither code that bypasses
the ORM nor a hand-typed SQL statement can alter one. A preview is kept on its run as data.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicecenter.apps.accounts.capabilities import Capability
from servicecenter.apps.accounts.scoping import ScopedQuerySet


class ImmutableError(Exception):
    """An issued invoice (or a line of one) was about to be changed or deleted."""


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError(f"{self.model._meta.verbose_name_plural} are never changed once issued")

    def delete(self):
        raise ImmutableError(f"{self.model._meta.verbose_name_plural} are never deleted once issued")

    def _raw_delete(self, using):  # the path Django's deletion collector takes
        self.delete()


class Immutable(models.Model):
    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError(f"{self._meta.verbose_name} {self.pk} is issued and cannot be changed; issue a credit note")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError(f"{self._meta.verbose_name} {self.pk} is issued and cannot be deleted; issue a credit note")


class UsageEventQuerySet(ScopedQuerySet):
    """Which UsageEvent rows a scope sees (``UsageEvent.objects.visible_to(scope)``)."""

    customer_field = "customer_id"


class UsageEvent(models.Model):
    """A usage event that arrived for a month already invoiced (``late``), kept one by one to be
    listed and settled by a correction. Every event, late or not, is stored in an
    ``EventBatch``'s Parquet files and counted in its ``UsageTotal`` rows (decision 0011)."""

    objects = UsageEventQuerySet.as_manager()

    provider = models.ForeignKey("registry.Provider", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("source"), max_length=60)
    event_id = models.CharField(_("event id"), max_length=100)
    customer = models.ForeignKey("registry.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey("registry.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField(_("time"))
    month = models.DateField(_("month"))
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=3)
    package = models.CharField(_("package"), max_length=20, blank=True)
    cost = models.DecimalField(_("cost to re-invoice"), max_digits=18, decimal_places=2, null=True, blank=True)
    payload_hash = models.CharField(max_length=64)
    import_run = models.ForeignKey("imports.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    late = models.BooleanField(_("arrived after the month was invoiced"), default=False)
    corrected_by = models.ForeignKey("Invoice", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-month", "source", "event_id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "source", "event_id"], name="usage_event_unique_id"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="usage_event_quantity_non_negative"),
        ]
        indexes = [models.Index(fields=["provider", "month"])]
        verbose_name = _("usage event")
        verbose_name_plural = _("usage events")

    def __str__(self) -> str:
        return f"{self.source}:{self.event_id}"


class EventBatch(models.Model):
    """One accepted import of usage events, stored as Parquet in ``folder`` (relative to
    ``settings.EVENTS_DIR``); a folder counts only while its row exists (decision 0011)."""

    provider = models.ForeignKey("registry.Provider", on_delete=models.PROTECT, related_name="+")
    import_run = models.ForeignKey("imports.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    folder = models.CharField(max_length=200, unique=True)
    events = models.PositiveBigIntegerField(_("events"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("event batch")
        verbose_name_plural = _("event batches")

    def __str__(self) -> str:
        return self.folder

    @property
    def path(self):
        from pathlib import Path

        return Path(settings.EVENTS_DIR) / self.folder


class UsageTotalQuerySet(ScopedQuerySet):
    customer_field = "customer_id"


class UsageTotal(models.Model):
    """The events of one batch for one customer, service, month and package: what billing reads.
    ``late``: they arrived for a month already invoiced (each is also a ``UsageEvent`` row,
    listed for a correction)."""

    objects = UsageTotalQuerySet.as_manager()

    provider = models.ForeignKey("registry.Provider", on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(EventBatch, on_delete=models.PROTECT, related_name="totals")
    customer = models.ForeignKey("registry.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey("registry.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    package = models.CharField(_("package"), max_length=20, blank=True)
    late = models.BooleanField(_("arrived after the month was invoiced"), default=False)
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=3)
    cost = models.DecimalField(_("cost to re-invoice"), max_digits=18, decimal_places=2, null=True, blank=True)
    events = models.PositiveBigIntegerField(_("events"))

    class Meta:
        indexes = [models.Index(fields=["provider", "month"]), models.Index(fields=["customer", "month"])]
        verbose_name = _("usage total")
        verbose_name_plural = _("usage totals")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.customer_id}/{self.service_id}: {self.events}"


class NumberSeries(models.Model):
    """A gap-free series of document numbers. The next number is taken under a row lock inside
    the issuing transaction, so a rolled-back run gives its numbers back."""

    provider = models.ForeignKey("registry.Provider", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("series"), max_length=10)
    prefix = models.CharField(_("prefix"), max_length=10)
    next_number = models.PositiveIntegerField(_("next number"), default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "code"], name="number_series_unique")]
        verbose_name = _("number series")
        verbose_name_plural = _("number series")

    def __str__(self) -> str:
        return f"{self.prefix} (next {self.next_number})"


class BillingRunQuerySet(ScopedQuerySet):
    """Which BillingRun rows a scope sees (``BillingRun.objects.visible_to(scope)``)."""

    needs = Capability.VIEW_ALL_CUSTOMERS


class BillingRun(models.Model):
    objects = BillingRunQuerySet.as_manager()

    #: The documents as built and validated: megabytes on a national month, read by the issue
    #: alone (pages and the approval defer them).
    DOCUMENT_FIELDS = ("validated", "built")
    #: What a list of runs does not read: the preview and its documents (a national month's are
    #: megabytes; a list shows ``invoice_count`` and ``net_total``, stored with the preview).
    LIST_DEFERRED = ("preview", "usage", *DOCUMENT_FIELDS)

    class State(models.TextChoices):
        PREVIEW = "preview", _("preview")
        APPROVED = "approved", _("approved")
        ISSUED = "issued", _("issued")
        DISCARDED = "discarded", _("discarded")

    provider = models.ForeignKey("registry.Provider", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("month"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PREVIEW)
    price_list = models.ForeignKey("costing.PriceList", verbose_name=_("price list"), on_delete=models.PROTECT, related_name="+")
    issue_date = models.DateField(_("issue date"))
    due_date = models.DateField(_("due date"))
    preview = models.JSONField(_("preview"), default=list)
    #: The preview's number of documents and the sum of its lines, set with it (``set_preview``).
    invoice_count = models.PositiveIntegerField(_("invoices"), default=0)
    net_total = models.DecimalField(_("net"), max_digits=18, decimal_places=2, default=Decimal(0))
    preview_hash = models.CharField(max_length=64)
    approved_hash = models.CharField(max_length=64, blank=True)
    findings = models.JSONField(_("validation findings"), default=list, blank=True)
    #: The SHA-256 of every draft document the preview validated without a fatal finding, under
    #: the numbers the run expects to take, and the fingerprint of the rule sets used: issuing
    #: validates only the documents whose bytes or rules differ from these.
    validated = models.JSONField(_("validated documents"), default=dict, blank=True)
    #: The UBL of the documents the preview built, keyed by the digest of the document they were
    #: built from (zlib-compressed JSON): issuing takes the bytes of an unchanged document from here.
    built = models.BinaryField(_("built documents"), default=bytes, blank=True, editable=False)
    usage = models.JSONField(_("usage summary"), default=dict, blank=True)
    #: Lines and totals that differ from the customer's previous months (``plausibility``):
    #: an approval acknowledges them, by name and time.
    flags = models.JSONField(_("plausibility flags"), default=list, blank=True)
    flags_acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    flags_acknowledged_at = models.DateTimeField(_("flags acknowledged"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    #: Who made the preview as it stands (started the run or made the preview again): with four
    #: eyes on, someone else approves it.
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("prepared by"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)

    class Meta:
        ordering = ["-period", "-id"]
        constraints = [
            # One live run per provider and month: a second started at the same time fails here.
            models.UniqueConstraint(fields=["provider", "period"], condition=~Q(state="discarded"), name="billing_run_one_per_month"),
        ]
        verbose_name = _("billing run")
        verbose_name_plural = _("billing runs")

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} ({self.get_state_display()})"

    @property
    def fatal_findings(self) -> list[dict]:
        return [finding for finding in self.findings if finding.get("flag") == "fatal"]

    def set_preview(self, preview: list[dict]) -> None:
        """The preview, with the summary a list of runs shows (the lines' amounts are in öre
        already: their sum needs no rounding)."""
        self.preview = preview
        self.invoice_count = len(preview)
        self.net_total = sum((Decimal(line["amount"]) for invoice in preview for line in invoice["lines"]), Decimal(0))


class InvoiceQuerySet(ImmutableQuerySet, ScopedQuerySet):
    """Which Invoice rows a scope sees (``Invoice.objects.visible_to(scope)``)."""

    customer_field = "customer_id"


class Invoice(Immutable):
    """An issued invoice (380) or credit note (381), frozen with the parties' details of the day."""

    objects = InvoiceQuerySet.as_manager()

    class Type(models.TextChoices):
        INVOICE = "380", _("invoice")
        CREDIT_NOTE = "381", _("credit note")

    provider = models.ForeignKey("registry.Provider", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey("registry.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="invoices")
    run = models.ForeignKey(BillingRun, verbose_name=_("billing run"), null=True, blank=True, on_delete=models.PROTECT, related_name="invoices")
    document_type = models.CharField(_("type"), max_length=3, choices=Type.choices)
    series = models.CharField(_("series"), max_length=10)
    number = models.PositiveIntegerField(_("number in series"))
    number_text = models.CharField(_("number"), max_length=30)
    issue_date = models.DateField(_("issue date"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to (inclusive)"))
    preceding = models.ForeignKey("self", verbose_name=_("credits invoice"), null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes")
    corrects = models.ForeignKey("self", verbose_name=_("corrects invoice"), null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    seller_name = models.CharField(max_length=200)
    seller_org_number = models.CharField(max_length=11)
    seller_street = models.CharField(max_length=200, blank=True)
    seller_postal_code = models.CharField(max_length=10, blank=True)
    seller_city = models.CharField(max_length=100, blank=True)
    seller_vat_number = models.CharField(max_length=20, blank=True)
    seller_bankgiro = models.CharField(max_length=12, blank=True)
    seller_email = models.CharField(max_length=254, blank=True)
    buyer_name = models.CharField(_("buyer"), max_length=200)
    buyer_org_number = models.CharField(max_length=11)
    buyer_street = models.CharField(max_length=200, blank=True)
    buyer_postal_code = models.CharField(max_length=10, blank=True)
    buyer_city = models.CharField(max_length=100, blank=True)
    buyer_endpoint = models.CharField(_("Peppol endpoint"), max_length=60)
    buyer_reference = models.CharField(_("buyer reference"), max_length=100)
    currency = models.CharField(max_length=3, default="SEK")
    net_total = models.DecimalField(_("net"), max_digits=18, decimal_places=2)
    tax_total = models.DecimalField(_("VAT"), max_digits=18, decimal_places=2)
    payable = models.DecimalField(_("to pay"), max_digits=18, decimal_places=2)
    xml = models.TextField()
    xml_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issue_date", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "series", "number"], name="invoice_number_unique"),
            models.CheckConstraint(condition=Q(document_type="380") | Q(preceding__isnull=False), name="credit_note_has_invoice"),
        ]
        indexes = [models.Index(fields=["customer", "period_start"]), models.Index(fields=["provider", "period_start"])]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")

    def __str__(self) -> str:
        return self.number_text

    @property
    def is_credit(self) -> bool:
        return self.document_type == self.Type.CREDIT_NOTE

    @property
    def signed_payable(self):
        return -self.payable if self.is_credit else self.payable


class InvoiceLine(Immutable):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    line_no = models.PositiveIntegerField(_("line"))
    service = models.ForeignKey("registry.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=3)
    unit_code = models.CharField(_("unit"), max_length=3)
    unit_price = models.DecimalField(_("price"), max_digits=18, decimal_places=6)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    category = models.CharField(_("charge category"), max_length=14)
    vat_category = models.CharField(_("VAT category"), max_length=1)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2)
    period_start = models.DateField()
    period_end = models.DateField()
    credited_line = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="credits")

    class Meta:
        ordering = ["invoice", "line_no"]
        constraints = [models.UniqueConstraint(fields=["invoice", "line_no"], name="invoice_line_unique_no")]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")

    def __str__(self) -> str:
        return f"{self.invoice_id}:{self.line_no}"


class InvoiceSeal(Immutable):
    """The hashes that make a change of an issued document visible.

    ``content_sha256`` covers every stored field of the invoice and its lines (and so the XML's
    own hash); ``chain_sha256`` is the hash of the previous document's chain in the same number
    series followed by this content, so a document changed, removed or inserted behind the
    product's back breaks the chain from there on (``servicecenter verify``). Written in the
    transaction that issues the document, never changed (triggers, migration 0004)."""

    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="seal")
    content_sha256 = models.CharField(max_length=64)
    chain_sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("invoice seal")
        verbose_name_plural = _("invoice seals")

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.chain_sha256[:12]}"
