"""Write the audit log: one entry per change, with a dotted action name."""

from __future__ import annotations

from django.db import models

from servicecenter.apps.accounts.models import AuditEntry


def entry(action: str, *, user=None, obj: models.Model | None = None, provider=None, customer=None, data: dict | None = None) -> AuditEntry:
    """An unsaved entry (for ``AuditEntry.objects.bulk_create`` when a use case changes many rows).

    The provider and customer an entry belongs to are taken from ``obj`` when not given (by id,
    without loading the related rows), so the log can be shown to the right people only.
    """
    provider_id = provider.pk if provider is not None else None
    customer_id = customer.pk if customer is not None else None
    if obj is not None:
        customer_id = customer_id or getattr(obj, "customer_id", None)
        provider_id = provider_id or getattr(obj, "provider_id", None)
        if provider_id is None and customer_id is not None:
            provider_id = type(obj)._meta.get_field("customer").related_model.objects.filter(pk=customer_id).values_list("provider_id", flat=True).first()
        if provider_id is None and getattr(obj, "service_id", None) is not None:
            provider_id = obj.service.provider_id
    authenticated = user is not None and user.is_authenticated
    return AuditEntry(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "system",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(_describe(obj) if obj is not None else "")[:300],
        provider_id=provider_id,
        customer_id=customer_id,
        data=data or {},
    )


def _describe(obj: models.Model) -> str:
    """A label for the log that does not load related rows for objects known only by ids."""
    if obj._meta.label_lower == "registry.agreement":
        return f"agreement customer={obj.customer_id} service={obj.service_id}"
    return str(obj)


def record(action: str, *, user=None, obj: models.Model | None = None, provider=None, customer=None, data: dict | None = None) -> AuditEntry:
    """Log ``action`` (e.g. ``registry.agreement.created``) by ``user`` on ``obj``.

    The provider and customer an entry belongs to are taken from ``obj`` when not given, so
    the log can be shown to the right people only.
    """
    audit = entry(action, user=user, obj=obj, provider=provider, customer=customer, data=data)
    audit.save()
    return audit
