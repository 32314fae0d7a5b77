"""Querysets that scope themselves: ``Invoice.objects.visible_to(scope)``.

Each app's models declare how their rows hang on a provider and a customer, so the apps own
their visibility and :mod:`accounts.access` needs no app's models."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.db.models import Q, QuerySet

from servicecenter.apps.accounts.capabilities import Capability

if TYPE_CHECKING:
    from servicecenter.apps.accounts.access import Scope


class ScopedQuerySet(QuerySet):
    """A queryset that knows which of its rows a scope may see: ``Model.objects.visible_to(scope)``.

    Each app's models say how their rows hang on a provider (``provider_field``), on a customer
    (``customer_field``, for a customer contact) and which capability is needed to see any
    (``needs``); ``narrowed_for`` adds a model's own rule. So the apps own their visibility and
    ``accounts`` needs no app's models."""

    provider_field: ClassVar[str] = "provider_id"
    customer_field: ClassVar[str | None] = None
    needs: ClassVar[Capability | None] = None

    def visible_to(self, scope: Scope) -> QuerySet:
        if scope.role is None or (self.needs is not None and not scope.can(self.needs)):
            return self.none()
        queryset = self
        if scope.provider_ids is not None:
            queryset = queryset.filter(**{f"{self.provider_field}__in": scope.provider_ids})
        if scope.customer_id is not None and self.customer_field is not None:
            queryset = queryset.filter(**{self.customer_field: scope.customer_id})
        return queryset.narrowed_for(scope)

    def narrowed_for(self, scope: Scope) -> QuerySet:
        return self


class AuditQuerySet(ScopedQuerySet):
    needs = Capability.VIEW_AUDIT

    def visible_to(self, scope: Scope) -> QuerySet:
        if scope.role is None or not scope.can(self.needs):
            return self.none()
        if scope.provider_ids is None:
            return self
        return self.filter(
            Q(provider_id__in=scope.provider_ids) | Q(customer__provider_id__in=scope.provider_ids)
        )
