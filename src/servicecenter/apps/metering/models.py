"""Monthly volumes per customer and service."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicecenter.apps.accounts.scoping import ScopedQuerySet


class VolumeQuerySet(ScopedQuerySet):
    """Which Volume rows a scope sees (``Volume.objects.visible_to(scope)``)."""

    customer_field = "customer_id"


class Volume(models.Model):
    """What a customer used of a service in one month (``month`` is the month's first day)."""

    objects = VolumeQuerySet.as_manager()

    # The customer's provider, stored so that scoping the largest table needs no join.
    provider = models.ForeignKey("registry.Provider", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey("registry.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="volumes")
    service = models.ForeignKey("registry.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="volumes")
    month = models.DateField(_("month"))
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=3)
    source = models.CharField(_("source"), max_length=100, blank=True)

    class Meta:
        ordering = ["-month", "customer", "service"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "service", "month"], name="volume_unique_month"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="volume_quantity_non_negative"),
        ]
        indexes = [models.Index(fields=["provider", "month"]), models.Index(fields=["service", "month"])]
        verbose_name = _("volume")
        verbose_name_plural = _("volumes")

    def __str__(self) -> str:
        return f"{self.customer} {self.service} {self.month:%Y-%m}: {self.quantity}"
