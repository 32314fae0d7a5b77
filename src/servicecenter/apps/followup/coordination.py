"""The coordinated IT operations, as the coordinator keeps them: the supplier agencies whose
services it reports on, each an organisation of its own here (its catalogue, volumes, outages and
customer surveys are imported under it), coordinated by the coordinator. The coordinator's people
see and import for its suppliers; the seven indicators are computed over all of them.

Registered on the suppliers page (``/followup/suppliers/``), never in the admin. One transaction
and one audit entry each."""

from __future__ import annotations

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from servicecenter.apps.accounts.audit import record
from servicecenter.apps.followup.services import coordinates_it, ensure_it_indicators
from servicecenter.apps.registry import organisation
from servicecenter.apps.registry.models import Provider
from servicecenter.apps.registry.organisation import SetupError


class CoordinationError(SetupError):
    """The supplier cannot be registered or removed; ``field`` names the form's field it is about."""


def add_supplier(coordinator: Provider, *, name: str, org_number: str, code: str = "", user=None) -> Provider:
    """Register a supplier agency under ``coordinator`` (an IT-operations supplier that no one
    coordinates). ``code`` is how files and addresses name it; by default made from the name.
    Checked as every new organisation is (``organisation.checked_identity``, raising its
    ``SetupError``), and refused when its number is already registered in the coordination."""
    if not coordinates_it(coordinator):
        raise CoordinationError(_("%(name)s does not coordinate IT operations: only an IT-operations supplier that no one coordinates registers suppliers.")
                                % {"name": coordinator.name})
    name = " ".join((name or "").split())
    code, name, org_number = organisation.checked_identity((code or "").strip().lower() or slugify(name)[:40].strip("-"), name, org_number,
                                                           Provider.Kind.IT_SUPPLIER)
    same = Provider.objects.filter(coordinator=coordinator, org_number=org_number).first()
    if same is not None or coordinator.org_number == org_number:
        raise CoordinationError(_("Organisation number: %(number)s is already registered here, as %(name)s.")
                                % {"number": org_number, "name": (same or coordinator).name}, "org_number")
    with transaction.atomic():
        supplier = Provider.objects.create(code=code, name=name, org_number=org_number, kind=Provider.Kind.IT_SUPPLIER, coordinator=coordinator,
                                           is_demo=coordinator.is_demo)
        ensure_it_indicators(coordinator)
        record("followup.supplier.created", user=user, obj=supplier, provider=coordinator, data={"code": code, "org_number": org_number})
    return supplier


def remove_supplier(coordinator: Provider, supplier: Provider, user=None) -> None:
    """Remove a supplier registered by mistake: only while nothing is stored under it (a
    catalogue, customers, people, numbers...); the database's own references decide, and the
    refusal names what keeps it."""
    if supplier.coordinator_id != coordinator.pk:
        raise CoordinationError(_("%(name)s is not a supplier that %(coordinator)s coordinates.") % {"name": supplier.name, "coordinator": coordinator.name})
    try:
        with transaction.atomic():
            record("followup.supplier.deleted", user=user, provider=coordinator, data={"code": supplier.code, "name": supplier.name,
                                                                                        "org_number": supplier.org_number})
            supplier.delete()
    except (ProtectedError, RestrictedError) as error:
        kept = getattr(error, "protected_objects", None) or getattr(error, "restricted_objects", ())
        kinds = sorted({str(type(obj)._meta.verbose_name_plural) for obj in kept})
        raise CoordinationError(_("%(name)s cannot be removed: it has %(kinds)s. A supplier is removed only while nothing is stored under it.")
                                % {"name": supplier.name, "kinds": ", ".join(kinds)}) from None
