"""An organisation's own set-up: create it with its first administrator (``servicecenter init``),
and add its people with their roles. One transaction and one audit entry each."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from servicecenter.apps.accounts.audit import record
from servicecenter.apps.accounts.models import Profile, Role
from servicecenter.apps.registry.models import Provider
from servicecenter.core import registry as rules


class SetupError(ValueError):
    """The organisation or person cannot be created; the message names the field (``field``, when
    a form shows it: ``code``, ``name``, ``org_number``)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _org_number(text: str) -> str:
    problems = rules.check_orgnr(text or "")
    if problems:
        raise SetupError(_("Organisation number: %(problem)s") % {"problem": problems[0].message((translation.get_language() or "sv")[:2])},
                         "org_number")
    return rules.normalise_orgnr(text)


def checked_identity(code: str, name: str, org_number: str, kind: str) -> tuple[str, str, str]:
    """What names a new organisation here, checked: its code (free in the installation), its
    name, its kind and its organisation number (normalised). The one check of every way an
    organisation is created (``init``, a coordinator's supplier)."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", code or ""):
        raise SetupError(_("Code: 1–40 lower-case letters, digits or hyphens, e.g. %(example)s.") % {"example": "malmo-service"}, "code")
    if not (name or "").strip() or len(name) > 200:
        raise SetupError(_("Name: give the organisation's legal name (at most 200 characters)."), "name")
    if kind not in Provider.Kind.values:
        raise SetupError(_("Kind: one of %(kinds)s.") % {"kinds": ", ".join(Provider.Kind.values)})
    number = _org_number(org_number)
    if Provider.objects.filter(code=code).exists():
        raise SetupError(_("Code: an organisation with the code %(code)s already exists.") % {"code": code}, "code")
    return code, name.strip(), number


def create_organisation(*, code: str, name: str, org_number: str, kind: str, admin_username: str, admin_password: str,
                        admin_email: str = "", user=None) -> tuple[Provider, object]:
    """A provider and its first administrator, who then does everything else in the web UI."""
    code, name, number = checked_identity(code, name, org_number, kind)
    with transaction.atomic():
        provider = Provider.objects.create(code=code, name=name, org_number=number, kind=kind)
        person = add_person(provider, username=admin_username, password=admin_password, role=Role.ADMINISTRATOR, email=admin_email, user=user)
        record("registry.provider.created", user=user, obj=provider, provider=provider, data={"administrator": admin_username})
    return provider, person


def add_person(provider: Provider, *, username: str, password: str, role: str, email: str = "", customer=None, user=None):
    """A person of ``provider`` (or, for a customer contact, of one of its customers) with a role."""
    User = get_user_model()
    username = (username or "").strip()
    if not re.fullmatch(r"[\w.@+-]{1,150}", username):
        raise SetupError(_("User name: 1–150 letters, digits and . @ + - _"))
    if User.objects.filter(username=username).exists():
        raise SetupError(_("User name: %(name)s is taken.") % {"name": username})
    if role not in Role.values:
        raise SetupError(_("Role: one of %(roles)s.") % {"roles": ", ".join(Role.values)})
    if role == Role.CUSTOMER_CONTACT and (customer is None or customer.provider_id != provider.pk):
        raise SetupError(_("Customer: a customer contact belongs to one of the organisation's customers."))
    try:
        validate_password(password)
    except ValidationError as error:
        raise SetupError(_("Password: %(problem)s") % {"problem": " ".join(error.messages)}) from None
    with transaction.atomic():
        person = User.objects.create_user(username=username, password=password, email=email)
        Profile.objects.create(user=person, role=role, provider=None if role == Role.CUSTOMER_CONTACT else provider,
                               customer=customer if role == Role.CUSTOMER_CONTACT else None)
        record("accounts.person.created", user=user, obj=person, provider=provider, data={"username": username, "role": role})
    return person


#: The details an organisation keeps of itself, copied onto every invoice it issues, and its billing control.
DETAIL_FIELDS = ("name", "org_number", "street", "postal_code", "city", "vat_number", "f_skatt", "bankgiro", "plusgiro", "ocr_length_digit",
                 "contact_name", "contact_phone", "invoice_email", "payment_days", "four_eyes")


def update_details(provider: Provider, values: dict, user=None) -> Provider:
    """Change the organisation's own details (``values``: some of :data:`DETAIL_FIELDS`)."""
    unknown = sorted(set(values) - set(DETAIL_FIELDS))
    if unknown:
        raise SetupError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)})
    if "org_number" in values:
        values = {**values, "org_number": _org_number(values["org_number"])}
    if "name" in values and not (values["name"] or "").strip():
        raise SetupError(_("Name: give the organisation's legal name (at most 200 characters)."))
    if "bankgiro" in values and values["bankgiro"] and not re.fullmatch(r"\d{3,4}-\d{4}", values["bankgiro"]):
        raise SetupError(_("Bankgiro: seven or eight digits as 123-4567 or 1234-5678."))
    if "plusgiro" in values and values["plusgiro"] and not re.fullmatch(r"[\d ]{1,10}-\d", values["plusgiro"].strip()):
        raise SetupError(_("Plusgiro: two to eight digits with the check digit after a hyphen, as 12 34 56-7."))
    if "payment_days" in values and not 0 <= int(values["payment_days"]) <= 120:
        raise SetupError(_("Days to pay: between 0 and 120."))
    with transaction.atomic():
        changed = sorted(name for name, value in values.items() if getattr(provider, name) != value)
        for name, value in values.items():
            setattr(provider, name, value)
        try:
            provider.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise SetupError("; ".join(f"{Provider._meta.get_field(name).verbose_name}: {' '.join(messages)}"
                                       for name, messages in error.message_dict.items())) from None
        provider.save()
        record("registry.provider.updated", user=user, obj=provider, provider=provider, data={"fields": changed})
    return provider
