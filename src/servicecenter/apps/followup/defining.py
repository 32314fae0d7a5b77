"""An organisation defines its own indicators on a page instead of in the admin: a name, a
numerator over named data elements (and a denominator), unit, desired direction, target, the
levels it is shown at, and the first year it applies. Defining an existing code again makes a
new version from its first year; earlier years keep theirs.

The data elements are the names the organisation's numbers are entered or imported under
(``indicator_data``), or those the registry computes. One transaction and one audit entry."""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from servicecenter.apps.accounts.audit import record
from servicecenter.apps.followup.models import ElementSources, Family, Goal, IndicatorDefinition
from servicecenter.apps.registry.models import Provider
from servicecenter.core import limits
from servicecenter.core.indicators import Direction, Level
from servicecenter.core.indicators.definitions import Expression, ExpressionError


class DefinitionError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _expression(text: str, field: str, label: str) -> str:
    text = (text or "").strip()
    if len(text) > 500:
        raise DefinitionError(_("%(field)s: at most 500 characters.") % {"field": label}, field)
    try:
        Expression(text)
    except ExpressionError as error:
        raise DefinitionError(_("%(field)s: %(detail)s (e.g. “outage_minutes / opening_minutes”).") % {"field": label, "detail": error.detail}, field) from None
    return text


def define_indicator(provider: Provider, *, name_sv: str, numerator: str, valid_from: int, levels: list[str], name_en: str = "",
                     code: str = "", denominator: str = "", factor: Decimal = Decimal(1), unit: str = "", decimals: int = 1,
                     direction: str = Direction.NONE, target: Decimal | None = None, goal: Goal | None = None,
                     description_sv: str = "", user=None) -> IndicatorDefinition:
    """The organisation's own indicator (family ``own``), as version 1 or the next version of ``code``."""
    name_sv = (name_sv or "").strip()
    if not name_sv or len(name_sv) > 200:
        raise DefinitionError(_("Name: give a name of at most 200 characters."), "name_sv")
    if len(name_en or "") > 200:
        raise DefinitionError(_("Name in English: at most 200 characters."), "name_en")
    code = (code or "").strip() or slugify(name_sv)[:60].strip("-")
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,59}", code):
        raise DefinitionError(_("Code: 1–60 lower-case letters, digits, hyphens or underscores."), "code")
    numerator = _expression(numerator, "numerator", _("Numerator"))
    if not numerator:
        raise DefinitionError(_("Numerator: give the value or the numerator, e.g. “cost_total”."), "numerator")
    denominator = _expression(denominator, "denominator", _("Denominator")) if (denominator or "").strip() else ""
    problem = limits.check_year(valid_from)
    if problem is not None:
        raise DefinitionError(_("First year: %(problem)s") % {"problem": problem.message((translation.get_language() or "sv")[:2])}, "valid_from")
    unknown = [level for level in levels if level not in {lv.value for lv in Level}]
    if not levels or unknown:
        raise DefinitionError(_("Levels: choose at least one."), "levels")
    if direction not in {d.value for d in Direction}:
        raise DefinitionError(_("Desired direction: up, down or none."), "direction")
    if goal is not None and goal.provider_id != provider.pk:
        raise DefinitionError(_("Goal: not a goal of %(provider)s.") % {"provider": provider.name}, "goal")
    if not 0 <= decimals <= 6:
        raise DefinitionError(_("Decimals: 0 to 6."), "decimals")
    existing = IndicatorDefinition.objects.filter(provider=provider, code=code)
    if existing.exclude(family=Family.OWN).exists():
        raise DefinitionError(_("Code: %(code)s is a built-in indicator; choose another code.") % {"code": code}, "code")
    latest = existing.order_by("-version").first()
    if latest is not None and valid_from <= latest.valid_from:
        raise DefinitionError(_("First year: a new version of %(code)s applies after %(year)s, the first year of version %(version)s.")
                              % {"code": code, "year": latest.valid_from, "version": latest.version}, "valid_from")
    with transaction.atomic():
        position = (IndicatorDefinition.objects.filter(provider=provider).aggregate(last=Max("position"))["last"] or 0) + 1
        definition = IndicatorDefinition.objects.create(
            provider=provider, family=Family.OWN, goal=goal, code=code, version=(latest.version + 1) if latest else 1, valid_from=valid_from,
            position=latest.position if latest else position, name_sv=name_sv, name_en=(name_en or "").strip() or name_sv,
            description_sv=(description_sv or "").strip(), numerator=numerator, denominator=denominator, factor=factor, unit=(unit or "").strip()[:40],
            decimals=decimals, direction=direction, target=target, levels=",".join(levels))
        definition.as_indicator()  # the stored definition compiles as the dashboards will read it
        record("followup.indicator.defined", user=user, obj=definition, provider=provider,
               data={"code": code, "version": definition.version, "valid_from": valid_from})
    return definition


def define_goal(provider: Provider, *, name_sv: str, name_en: str = "", statement_sv: str = "", statement_en: str = "", code: str = "",
                user=None) -> Goal:
    """A strategic goal of the organisation, with its result indicator (a statement), to which
    its indicators are then attached; placed after its other goals. One transaction, one audit entry."""
    name_sv = (name_sv or "").strip()
    if not name_sv or len(name_sv) > 300:
        raise DefinitionError(_("Goal: give a name of at most 300 characters."), "name_sv")
    if len(name_en or "") > 300:
        raise DefinitionError(_("Goal in English: at most 300 characters."), "name_en")
    code = (code or "").strip() or slugify(name_sv)[:40].strip("-")
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,39}", code):
        raise DefinitionError(_("Code: 1–40 lower-case letters, digits, hyphens or underscores."), "code")
    if Goal.objects.filter(provider=provider, code=code).exists():
        raise DefinitionError(_("Code: %(code)s is already a goal of %(provider)s.") % {"code": code, "provider": provider.name}, "code")
    with transaction.atomic():
        position = (Goal.objects.filter(provider=provider).aggregate(last=Max("position"))["last"] or 0) + 1
        goal = Goal.objects.create(provider=provider, code=code, position=position, name_sv=name_sv, name_en=(name_en or "").strip(),
                                   statement_sv=(statement_sv or "").strip(), statement_en=(statement_en or "").strip())
        record("followup.goal.defined", user=user, obj=goal, provider=provider, data={"code": code})
    return goal


def set_sources(provider: Provider, chart: str, payroll_services, user=None) -> ElementSources:
    """Choose where the organisation's computed data elements come from: its chart of accounts
    (operating cost by kind) and its payroll services (``employees_payroll``, ``payslips``).
    One transaction and an audit entry; the elements are computed again at the next refresh."""
    from servicecenter.apps.registry.models import Service

    if chart not in ElementSources.Chart.values:
        raise DefinitionError(_("Chart of accounts: choose one of %(choices)s.") % {"choices": ", ".join(ElementSources.Chart.values)}, "chart")
    services = list(payroll_services)
    foreign = [s for s in services if not isinstance(s, Service) or s.provider_id != provider.pk]
    if foreign:
        raise DefinitionError(_("Payroll services: choose among the organisation's own services."), "payroll_services")
    with transaction.atomic():
        sources, _created = ElementSources.objects.update_or_create(provider=provider, defaults={"chart": chart})
        sources.payroll_services.set(services)
        record("followup.sources.set", user=user, obj=sources, provider=provider, data={"chart": chart, "payroll": sorted(s.code for s in services)})
    return sources
