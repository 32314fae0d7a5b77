"""Registry models. Rules live in ``servicecenter.core.registry``; these models store values."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from servicecenter.apps.accounts.scoping import ScopedQuerySet
from servicecenter.apps.registry import labels
from servicecenter.core import registry as rules


class Bilingual(models.Model):
    """A name in Swedish and, optionally, English; ``name`` follows the active language."""

    name_sv = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        if (get_language() or "sv").startswith("en") and self.name_en:
            return self.name_en
        return self.name_sv

    def __str__(self) -> str:
        return self.name


class ProviderQuerySet(ScopedQuerySet):
    """Which Provider rows a scope sees (``Provider.objects.visible_to(scope)``)."""

    provider_field = "id"


class Provider(models.Model):
    """An organisation that sells services (a state agency, a city's service administration,
    an IT-operations supplier). One installation can hold several."""

    objects = ProviderQuerySet.as_manager()

    class Kind(models.TextChoices):
        STATE_SERVICE_CENTRE = "state_service_centre", _("State shared-service centre")
        MUNICIPAL_SERVICE = "municipal_service", _("Municipal service administration")
        IT_SUPPLIER = "it_supplier", _("IT-operations supplier")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(_("organisation number"), max_length=11)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    coordinator = models.ForeignKey(
        "self", verbose_name=_("coordinated by"), null=True, blank=True, on_delete=models.PROTECT, related_name="coordinated"
    )
    is_demo = models.BooleanField(_("illustrative demo data"), default=False)
    # Seller details, copied onto every invoice when it is issued.
    street = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    vat_number = models.CharField(_("VAT registration number"), max_length=20, blank=True)
    bankgiro = models.CharField(_("bankgiro"), max_length=12, blank=True)
    plusgiro = models.CharField(_("plusgiro"), max_length=12, blank=True)
    ocr_length_digit = models.BooleanField(_("OCR reference with a length digit"), default=False)
    f_skatt = models.BooleanField(_("approved for F-tax (F-skatt)"), default=False)
    contact_name = models.CharField(_("contact person for invoices"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    invoice_email = models.EmailField(_("invoicing e-mail"), blank=True)
    payment_days = models.PositiveSmallIntegerField(_("days to pay"), default=30)
    #: Internal control: the person who approves a billing run is not the one who prepared it.
    four_eyes = models.BooleanField(_("four eyes on billing runs"), default=True,
                                    help_text=_("The person who approves a billing run is not the one who prepared its preview."))

    @property
    def is_state(self) -> bool:
        return self.kind in (self.Kind.STATE_SERVICE_CENTRE, self.Kind.IT_SUPPLIER)

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")

    def __str__(self) -> str:
        return self.name


class ReferenceFigure(models.Model):
    """A published figure the registry is measured against, e.g. all state employees in a year."""

    class Key(models.TextChoices):
        STATE_EMPLOYEES = "state_employees", _("Employees in the state administration")
        STATE_AGENCIES = "state_agencies", _("State agencies (≥1 FTE, no host agency)")
        PREPAREDNESS_AGENCIES = "preparedness_agencies", _("Preparedness agencies")

    key = models.CharField(_("figure"), max_length=40, choices=Key.choices)
    year = models.PositiveIntegerField(_("year"))
    value = models.PositiveIntegerField(_("value"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="reference_figure_unique_year")]
        verbose_name = _("reference figure")
        verbose_name_plural = _("reference figures")

    def __str__(self) -> str:
        return f"{self.get_key_display()} {self.year}: {self.value}"


class PartnerAgencyQuerySet(ScopedQuerySet):
    """Which PartnerAgency rows a scope sees (``PartnerAgency.objects.visible_to(scope)``)."""

    def narrowed_for(self, scope):
        return self.none() if scope.is_customer_contact else self


class PartnerAgency(models.Model):
    """An agency (or a municipal administration) on whose behalf a provider's service offices
    serve citizens: the state's five, or whichever a network serves. Visits and errands name it
    by ``code``. Several may share an organisation number (the administrations of one city)."""

    objects = PartnerAgencyQuerySet.as_manager()

    provider = models.ForeignKey(Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="partner_agencies")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(_("organisation number"), max_length=11, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["provider", "code"], name="partner_unique_code")]
        verbose_name = _("partner agency")
        verbose_name_plural = _("partner agencies")

    def __str__(self) -> str:
        return self.name


class CustomerQuerySet(ScopedQuerySet):
    """Which Customer rows a scope sees (``Customer.objects.visible_to(scope)``)."""

    customer_field = "pk"


class Customer(models.Model):
    """An ordering unit that buys services from a provider: an agency, one of a city's
    administrations, a company. It has its own customer number (kundnummer), unique per provider,
    and belongs to a legal person with one organisation number; several customers may share one
    (the administrations of a city, the departments of an agency). Invoices carry the legal
    person's identity with the customer's own name, reference and address."""

    objects = CustomerQuerySet.as_manager()

    provider = models.ForeignKey(Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="customers")
    number = models.CharField(_("customer number"), max_length=20,
                              help_text=_("Unique within the organisation; the organisation number when left empty."))
    org_number = models.CharField(_("organisation number"), max_length=11, help_text=_("The legal person's; customers may share one."))
    legal_name = models.CharField(_("legal person"), max_length=200, blank=True,
                                  help_text=_("The legal person's name on invoices, e.g. the city; empty when it is the customer's own."))
    name = models.CharField(_("name"), max_length=200)
    buyer_reference = models.CharField(_("buyer reference"), max_length=100, blank=True,
                                       help_text=_("On every invoice to this customer, unless an agreement names its own."))
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=labels.choices(labels.SECTOR), default=rules.Sector.STATE.value)
    host = models.ForeignKey(
        "self", verbose_name=_("host agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="hosted"
    )
    preparedness_from = models.DateField(_("preparedness agency from"), null=True, blank=True)
    preparedness_until = models.DateField(_("preparedness agency until (exclusive)"), null=True, blank=True)
    peppol_id = models.CharField(_("Peppol endpoint"), max_length=60, blank=True)
    street = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "number"], name="customer_unique_number"),
            models.CheckConstraint(
                condition=Q(preparedness_until__isnull=True) | Q(preparedness_from__isnull=False, preparedness_until__gt=models.F("preparedness_from")),
                name="customer_preparedness_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["provider", "name"]), models.Index(fields=["provider", "org_number"])]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.number:
            self.number = self.org_number
        super().save(*args, **kwargs)

    @property
    def legal_person(self) -> str:
        """The name of the legal person the invoice is addressed to."""
        return self.legal_name or self.name

    def is_preparedness_agency(self, day: date) -> bool:
        if self.preparedness_from is None or day < self.preparedness_from:
            return False
        return self.preparedness_until is None or day < self.preparedness_until



class CustomerYear(models.Model):
    """A customer's size in one year: employees and turnover."""

    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="years")
    year = models.PositiveIntegerField(_("year"))
    employees = models.PositiveIntegerField(_("employees"))
    turnover = models.DecimalField(_("turnover (SEK)"), max_digits=18, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["customer", "-year"]
        constraints = [models.UniqueConstraint(fields=["customer", "year"], name="customer_year_unique")]
        verbose_name = _("customer year")
        verbose_name_plural = _("customer years")

    @property
    def size_class(self) -> str:
        return rules.size_class(self.employees).value

    def __str__(self) -> str:
        return f"{self.customer} {self.year}"


class ServiceAreaQuerySet(ScopedQuerySet):
    """Which ServiceArea rows a scope sees (``ServiceArea.objects.visible_to(scope)``)."""


class ServiceArea(Bilingual):
    objects = ServiceAreaQuerySet.as_manager()

    provider = models.ForeignKey(Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="areas")
    code = models.SlugField(_("code"), max_length=40)

    class Meta:
        ordering = ["provider", "code"]
        constraints = [models.UniqueConstraint(fields=["provider", "code"], name="area_unique_code")]
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")


class Process(Bilingual):
    area = models.ForeignKey(ServiceArea, verbose_name=_("service area"), on_delete=models.PROTECT, related_name="processes")
    code = models.SlugField(_("code"), max_length=40)

    class Meta:
        ordering = ["area", "code"]
        constraints = [models.UniqueConstraint(fields=["area", "code"], name="process_unique_code")]
        verbose_name = _("process")
        verbose_name_plural = _("processes")


class ServiceQuerySet(ScopedQuerySet):
    """Which Service rows a scope sees (``Service.objects.visible_to(scope)``)."""


class Service(models.Model):
    """A service's identity across catalogue years; what it is in a year is a ServiceVersion."""

    objects = ServiceQuerySet.as_manager()

    provider = models.ForeignKey(Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="services")
    code = models.SlugField(_("code"), max_length=60)

    class Meta:
        ordering = ["provider", "code"]
        constraints = [models.UniqueConstraint(fields=["provider", "code"], name="service_unique_code")]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        version = self.latest_version()
        return version.name if version else self.code

    def latest_version(self) -> ServiceVersion | None:
        versions = sorted(self.versions.all(), key=lambda version: version.year)
        return versions[-1] if versions else None

    def version_for(self, year: int) -> ServiceVersion | None:
        candidates = [version for version in self.versions.all() if version.year <= year]
        return max(candidates, key=lambda version: version.year) if candidates else None


class ServiceVersionQuerySet(ScopedQuerySet):
    """Which ServiceVersion rows a scope sees (``ServiceVersion.objects.visible_to(scope)``)."""

    provider_field = "service__provider_id"


class ServiceVersion(Bilingual):
    """The catalogue entry of a service for one year: its place, tier, unit and description.
    Prices are not here: they belong to the year's price list."""

    objects = ServiceVersionQuerySet.as_manager()

    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="versions")
    year = models.PositiveIntegerField(_("catalogue year"))
    process = models.ForeignKey(Process, verbose_name=_("process"), on_delete=models.PROTECT, related_name="service_versions")
    tier = models.CharField(_("tier"), max_length=10, choices=labels.choices(labels.TIER))
    unit = models.CharField(_("unit"), max_length=40, choices=labels.choices(labels.UNIT))
    obligatory = models.BooleanField(_("obligatory"), default=False)
    agreed_opening_hours = models.BooleanField(_("has agreed opening hours"), default=False)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    description_sv = models.TextField(_("service description (Swedish)"), blank=True)
    description_en = models.TextField(_("service description (English)"), blank=True)

    class Meta:
        ordering = ["service", "-year"]
        constraints = [models.UniqueConstraint(fields=["service", "year"], name="service_version_unique_year")]
        verbose_name = _("service version")
        verbose_name_plural = _("service versions")

    @property
    def description(self) -> str:
        if (get_language() or "sv").startswith("en") and self.description_en:
            return self.description_en
        return self.description_sv


class ServiceLevel(models.Model):
    """A service level target (SLA) of a catalogue entry, kept apart from description and price."""

    class Period(models.TextChoices):
        MONTH = "month", _("month")
        QUARTER = "quarter", _("quarter")
        YEAR = "year", _("year")

    version = models.ForeignKey(ServiceVersion, verbose_name=_("service version"), on_delete=models.CASCADE, related_name="service_levels")
    metric_sv = models.CharField(_("metric (Swedish)"), max_length=200)
    metric_en = models.CharField(_("metric (English)"), max_length=200, blank=True)
    comparison = models.CharField(_("comparison"), max_length=2, choices=[(">=", "≥"), ("<=", "≤")], default=">=")
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=30)
    period = models.CharField(_("period"), max_length=10, choices=Period.choices, default=Period.MONTH)

    class Meta:
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")

    @property
    def metric(self) -> str:
        if (get_language() or "sv").startswith("en") and self.metric_en:
            return self.metric_en
        return self.metric_sv

    def __str__(self) -> str:
        return f"{self.metric} {self.get_comparison_display()} {self.threshold} {self.unit}"


class AgreementQuerySet(ScopedQuerySet):
    """Which Agreement rows a scope sees (``Agreement.objects.visible_to(scope)``)."""

    provider_field = "customer__provider_id"
    customer_field = "customer_id"


class Agreement(models.Model):
    """A customer's agreement to buy a service, with its pipeline dates. No end date unless ended."""

    objects = AgreementQuerySet.as_manager()

    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="agreements")
    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="agreements")
    state = models.CharField(_("state"), max_length=20, choices=labels.choices(labels.STATE))
    interest_date = models.DateField(_("interest"), null=True, blank=True)
    intent_date = models.DateField(_("letter of intent"), null=True, blank=True)
    onboarding_date = models.DateField(_("onboarding"), null=True, blank=True)
    production_date = models.DateField(_("in production"), null=True, blank=True)
    ended_date = models.DateField(_("ended"), null=True, blank=True)
    buyer_reference = models.CharField(_("buyer reference"), max_length=100, blank=True)
    discount_eligible = models.BooleanField(_("entitled to the service's discount"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["customer", "service"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "service"], condition=~Q(state="ended"), name="agreement_one_active_per_service"
            ),
        ]
        indexes = [models.Index(fields=["state"]), models.Index(fields=["service", "state"])]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return f"{self.customer} – {self.service}"

    @property
    def dates(self) -> rules.AgreementDates:
        return rules.AgreementDates(
            self.interest_date, self.intent_date, self.onboarding_date, self.production_date, self.ended_date
        )

    def active_on(self, day: date) -> bool:
        return rules.agreement_active_on(rules.AgreementState(self.state), self.dates, day)
