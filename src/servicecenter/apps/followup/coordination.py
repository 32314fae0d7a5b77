"""The coordinated IT operations, as the coordinator keeps them: the supplier agencies whose
services it reports on, each an organisation of its own here (its catalogue, volumes, outages and
customer surveys are imported under it), coordinated by the coordinator. The coordinator's people
see and import for its suppliers; the seven indicators are computed over all of them.

Registered on the suppliers page (``/followup/suppliers/``), never in the admin. One transaction
and one audit entry each."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from servicecenter.apps.accounts.audit import record
from servicecenter.apps.followup.services import coordinates_it, ensure_it_indicators
from servicecenter.apps.registry.models import Provider
from servicecenter.core import registry as rules


class CoordinationError(ValueError):
    """The supplier cannot be registered; ``field`` names the form's field it is about."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def add_supplier(coordinator: Provider, *, name: str, org_number: str, code: str = "", user=None) -> Provider:
    """Register a supplier agency under ``coordinator`` (an IT-operations supplier that no one
    coordinates). ``code`` is how files and addresses name it; by default made from the name."""
    if not coordinates_it(coordinator):
        raise CoordinationError(_("%(name)s does not coordinate IT operations: only an IT-operations supplier that no one coordinates registers suppliers.")
                                % {"name": coordinator.name})
    name = " ".join((name or "").split())
    if not name or len(name) > 200:
        raise CoordinationError(_("Name: give the agency's name (at most 200 characters)."), "name")
    problems = rules.check_orgnr(org_number or "")
    if problems:
        raise CoordinationError(_("Organisation number: %(problem)s") % {"problem": problems[0].message((translation.get_language() or "sv")[:2])},
                                "org_number")
    org_number = rules.normalise_orgnr(org_number)
    code = (code or "").strip().lower() or slugify(name)[:40].strip("-")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", code):
        raise CoordinationError(_("Code: 1–40 lower-case letters, digits or hyphens, e.g. %(example)s.") % {"example": "skatteverket"}, "code")
    if Provider.objects.filter(code=code).exists():
        raise CoordinationError(_("Code: %(code)s is already the code of an organisation here; choose another.") % {"code": code}, "code")
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
