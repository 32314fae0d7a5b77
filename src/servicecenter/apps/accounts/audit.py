"""Write the audit log: one entry per change, with a dotted action name."""

from __future__ import annotations

from django.db import models

from servicecenter.apps.accounts.models import AuditEntry


def record(action: str, *, user=None, obj: models.Model | None = None, provider=None, customer=None, data: dict | None = None) -> AuditEntry:
    """Log ``action`` (e.g. ``registry.agreement.created``) by ``user`` on ``obj``.

    The provider and customer an entry belongs to are taken from ``obj`` when not given, so
    the log can be shown to the right people only.
    """
    if obj is not None:
        provider = provider or getattr(obj, "provider", None)
        customer = customer or getattr(obj, "customer", None)
        if provider is None and customer is not None:
            provider = customer.provider
        if provider is None and hasattr(obj, "service") and hasattr(obj.service, "provider"):
            provider = obj.service.provider
    return AuditEntry.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        username=user.get_username() if user is not None and user.is_authenticated else "system",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        provider=provider,
        customer=customer if customer is not None and customer.pk else None,
        data=data or {},
    )
