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
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from servicecenter.apps.accounts.models import AuditEntry, Role


class Capability(StrEnum):
    VIEW = "view"
    EDIT_REGISTRY = "edit_registry"
    IMPORT_REGISTRY = "import_registry"
    IMPORT_VOLUMES = "import_volumes"
    VIEW_AUDIT = "view_audit"
    VIEW_ALL_CUSTOMERS = "view_all_customers"
    VIEW_COSTS = "view_costs"
    RUN_COSTING = "run_costing"
    RUN_BILLING = "run_billing"
    PLAN_NETWORK = "plan_network"


CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.ADMINISTRATOR: frozenset(Capability),
    Role.CONTROLLER: frozenset(Capability),
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
        if profile.role == Role.ADMINISTRATOR:
            return cls(user.pk, profile.role, None, None)
        if profile.role == Role.CUSTOMER_CONTACT:
            customer = profile.customer
            return cls(user.pk, profile.role, frozenset({customer.provider_id}), customer.pk)
        from servicecenter.apps.registry.models import Provider

        ids = {profile.provider_id, *Provider.objects.filter(coordinator_id=profile.provider_id).values_list("id", flat=True)}
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

    # --- what may be seen --------------------------------------------------------------------
    def _by_provider(self, queryset: QuerySet, path: str) -> QuerySet:
        if self.role is None:
            return queryset.none()
        if self.provider_ids is None:
            return queryset
        return queryset.filter(**{f"{path}__in": self.provider_ids})

    def providers(self) -> QuerySet:
        from servicecenter.apps.registry.models import Provider

        return self._by_provider(Provider.objects.all(), "id")

    def customers(self) -> QuerySet:
        from servicecenter.apps.registry.models import Customer

        queryset = self._by_provider(Customer.objects.all(), "provider_id")
        if self.customer_id is not None:
            queryset = queryset.filter(pk=self.customer_id)
        return queryset

    def partner_agencies(self) -> QuerySet:
        from servicecenter.apps.registry.models import PartnerAgency

        if self.is_customer_contact:
            return PartnerAgency.objects.none()
        return self._by_provider(PartnerAgency.objects.all(), "provider_id")

    def services(self) -> QuerySet:
        from servicecenter.apps.registry.models import Service

        return self._by_provider(Service.objects.all(), "provider_id")

    def service_versions(self) -> QuerySet:
        from servicecenter.apps.registry.models import ServiceVersion

        return self._by_provider(ServiceVersion.objects.all(), "service__provider_id")

    def areas(self) -> QuerySet:
        from servicecenter.apps.registry.models import ServiceArea

        return self._by_provider(ServiceArea.objects.all(), "provider_id")

    def agreements(self) -> QuerySet:
        from servicecenter.apps.registry.models import Agreement

        queryset = self._by_provider(Agreement.objects.all(), "customer__provider_id")
        if self.customer_id is not None:
            queryset = queryset.filter(customer_id=self.customer_id)
        return queryset

    def volumes(self) -> QuerySet:
        from servicecenter.apps.metering.models import Volume

        queryset = self._by_provider(Volume.objects.all(), "provider_id")
        if self.customer_id is not None:
            queryset = queryset.filter(customer_id=self.customer_id)
        return queryset

    def audit_entries(self) -> QuerySet:
        if not self.can(Capability.VIEW_AUDIT):
            return AuditEntry.objects.none()
        if self.provider_ids is None:
            return AuditEntry.objects.all()
        return AuditEntry.objects.filter(Q(provider_id__in=self.provider_ids) | Q(customer__provider_id__in=self.provider_ids))

    def cost_models(self) -> QuerySet:
        from servicecenter.apps.costing.models import CostModel

        if not self.can(Capability.VIEW_COSTS):
            return CostModel.objects.none()
        return self._by_provider(CostModel.objects.all(), "provider_id")

    def runs(self) -> QuerySet:
        from servicecenter.apps.costing.models import AllocationRun

        if not self.can(Capability.VIEW_COSTS):
            return AllocationRun.objects.none()
        return self._by_provider(AllocationRun.objects.all(), "model__provider_id")

    def price_lists(self) -> QuerySet:
        """Staff see every price list of their provider; a customer contact the published ones."""
        from servicecenter.apps.costing.models import PriceList

        queryset = self._by_provider(PriceList.objects.all(), "provider_id")
        if not self.can(Capability.VIEW_COSTS):
            queryset = queryset.filter(status=PriceList.Status.PUBLISHED)
        return queryset

    def invoices(self) -> QuerySet:
        """Issued invoices and credit notes: a customer contact sees its own only."""
        from servicecenter.apps.billing.models import Invoice

        queryset = self._by_provider(Invoice.objects.all(), "provider_id")
        if self.customer_id is not None:
            queryset = queryset.filter(customer_id=self.customer_id)
        return queryset

    def billing_runs(self) -> QuerySet:
        from servicecenter.apps.billing.models import BillingRun

        if not self.can(Capability.VIEW_ALL_CUSTOMERS):
            return BillingRun.objects.none()
        return self._by_provider(BillingRun.objects.all(), "provider_id")

    def usage_events(self) -> QuerySet:
        from servicecenter.apps.billing.models import UsageEvent

        queryset = self._by_provider(UsageEvent.objects.all(), "provider_id")
        if self.customer_id is not None:
            queryset = queryset.filter(customer_id=self.customer_id)
        return queryset

    def import_runs(self, kinds=None) -> QuerySet:
        """Import runs of the person's providers; with ``kinds``, only runs of those kinds (the
        kinds the person may import, so whoever may import a kind sees its runs)."""
        from servicecenter.apps.imports.models import ImportRun

        if kinds is not None:
            return self._by_provider(ImportRun.objects.filter(kind__in=list(kinds)), "provider_id") if kinds else ImportRun.objects.none()
        if not (self.can(Capability.IMPORT_REGISTRY) or self.can(Capability.IMPORT_VOLUMES) or self.can(Capability.PLAN_NETWORK)):
            return ImportRun.objects.none()
        return self._by_provider(ImportRun.objects.all(), "provider_id")


def get_visible(queryset: QuerySet, **lookup):
    """The object, or 404 when it does not exist *or* lies outside the scope (never 403:
    a 403 would confirm that another customer's object exists)."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
