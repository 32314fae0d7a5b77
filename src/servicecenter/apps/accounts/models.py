"""People, roles, API tokens and the audit log."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicecenter.apps.accounts.scoping import AuditQuerySet


class Role(models.TextChoices):
    """The roles of DOMAIN.md §1."""

    ADMINISTRATOR = "administrator", _("Administrator")
    CONTROLLER = "controller", _("Controller")
    SERVICE_OWNER = "service_owner", _("Service owner")
    NETWORK_PLANNER = "network_planner", _("Office-network planner")
    CUSTOMER_CONTACT = "customer_contact", _("Customer contact")
    READER = "reader", _("Reader (government, board)")


STAFF_ROLES = {Role.CONTROLLER, Role.SERVICE_OWNER, Role.NETWORK_PLANNER, Role.READER}


class Profile(models.Model):
    """A person's role and what it is scoped to: a provider (staff) or a customer (contact)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    provider = models.ForeignKey(
        "registry.Provider", verbose_name=_("provider"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    customer = models.ForeignKey(
        "registry.Customer", verbose_name=_("customer"), null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="administrator", customer__isnull=True)
                    | Q(role="customer_contact", customer__isnull=False, provider__isnull=True)
                    | Q(role__in=["controller", "service_owner", "network_planner", "reader"], provider__isnull=False, customer__isnull=True)
                ),
                name="profile_scope_matches_role",
            )
        ]
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a hash is stored; the key is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str) -> tuple[ApiToken, str]:
        """Create a token; returns it with the clear key, which is not stored."""
        key = "sc_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[:8], key_hash=cls.hash_key(key))
        return token, key


class AuditEntry(models.Model):
    """Who did what, when, to which object: dotted action names (``registry.agreement.created``)."""

    objects = AuditQuerySet.as_manager()

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(_("user"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    provider = models.ForeignKey("registry.Provider", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    customer = models.ForeignKey("registry.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_repr}"
