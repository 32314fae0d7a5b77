"""Who sees what. Every page, API endpoint, export and search goes through a :class:`Scope`.

- An administrator sees everything.
- Provider staff (controller, service owner, network planner, reader) see their provider's
  data, and that of providers it coordinates.
- A customer contact sees only its own organisation: its customer record, agreements and
  volumes, plus the public catalogue of its provider. Asking for anything else by id gives
  404, exactly as if it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from servicecenter.apps.accounts.capabilities import Capability
from servicecenter.apps.accounts.models import Role

CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.ADMINISTRATOR: frozenset(Capability),
    Role.CONTROLLER: frozenset(Capability) - {Capability.MANAGE_ORGANISATION},
    Role.SERVICE_OWNER: frozenset({Capability.VIEW, Capability.IMPORT_VOLUMES, Capability.VIEW_ALL_CUSTOMERS, Capability.VIEW_COSTS}),
    Role.NETWORK_PLANNER: frozenset({Capability.VIEW, Capability.VIEW_ALL_CUSTOMERS, Capability.VIEW_COSTS, Capability.PLAN_NETWORK}),
    Role.READER: frozenset({Capability.VIEW, Capability.VIEW_ALL_CUSTOMERS, Capability.VIEW_COSTS}),
    Role.CUSTOMER_CONTACT: frozenset({Capability.VIEW}),
}


@dataclass(frozen=True)
class Scope:
    """What one person may see and do. ``provider_ids`` None means every provider."""

    user_id: int | None
    role: str | None
    provider_ids: frozenset[int] | None
    customer_id: int | None

    @classmethod
    def for_user(cls, user) -> Scope:
        if user is None or not user.is_authenticated:
            return cls(None, None, frozenset(), None)
        profile = getattr(user, "profile", None)
        if profile is None:
            if user.is_superuser:
                return cls(user.pk, Role.ADMINISTRATOR, None, None)
            return cls(user.pk, None, frozenset(), None)
        if profile.role == Role.ADMINISTRATOR and profile.provider_id is None:
            return cls(user.pk, profile.role, None, None)  # the installation's administrator
        if profile.role == Role.CUSTOMER_CONTACT:
            customer = profile.customer
            return cls(user.pk, profile.role, frozenset({customer.provider_id}), customer.pk)
        ids = {profile.provider_id, *profile.provider.coordinated.values_list("id", flat=True)}
        return cls(user.pk, profile.role, frozenset(ids), None)

    # --- what may be done --------------------------------------------------------------------
    def can(self, capability: Capability) -> bool:
        return self.role is not None and capability in CAPABILITIES.get(self.role, frozenset())

    def require(self, capability: Capability) -> Scope:
        """The one permission check of pages and the API: the scope when the person's role has
        ``capability``, else PermissionDenied (a 403 page, or a 403 JSON answer in the API)."""
        if not self.can(capability):
            raise PermissionDenied(f"your role may not {capability.value.replace('_', ' ')}")
        return self

    @property
    def is_customer_contact(self) -> bool:
        return self.role == Role.CUSTOMER_CONTACT

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR


def get_visible(queryset: QuerySet, **lookup):
    """The object, or 404 when it does not exist *or* lies outside the scope (never 403:
    a 403 would confirm that another customer's object exists)."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
