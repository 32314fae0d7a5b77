"""Follow-up pages: the indicator dashboard per level, definitions, drill-down to the data behind
a value, the annual indicator report for coordinated IT operations (open report and restricted
annex), the fee-financed and appropriation tables, and data entry. Every page goes through the
person's scope; suppliers are listed alphabetically, never ranked by a single year's value."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicecenter import clock
from servicecenter.apps.accounts.access import Capability, get_visible
from servicecenter.apps.accounts.audit import record
from servicecenter.apps.accounts.context import scope_of
from servicecenter.apps.followup import services as followup
from servicecenter.apps.followup.coordination import (
    CoordinationError,
    add_supplier,
    remove_supplier,
)
from servicecenter.apps.followup.defining import (
    DefinitionError,
    define_goal,
    define_indicator,
    set_sources,
)
from servicecenter.apps.followup.forms import GoalForm, IndicatorForm, SourcesForm
from servicecenter.apps.followup.importers import (
    IndicatorDataImporter,
    OutageImporter,
    RestrictionImporter,
)
from servicecenter.apps.followup.models import (
    DataPoint,
    Family,
    FeeActivity,
    Goal,
    IndicatorDefinition,
    Outage,
    ReportText,
    Restriction,
)
from servicecenter.apps.registry.models import Provider, Service, ServiceVersion
from servicecenter.apps.registry.organisation import SetupError
from servicecenter.core import followup as fu
from servicecenter.core.indicators import Level, Trend
from servicecenter.core.money import decimal_of, round_places
from servicecenter.core.problems import Problem
from servicecenter.formats.charts import indicator_chart
from servicecenter.formats.spreadsheet import Percent
from servicecenter.ui.deferral import deferred
from servicecenter.ui.downloads import report_download
from servicecenter.ui.params import id_param

LEVEL_NAMES = {"service": gettext_lazy("Service"), "supplier": gettext_lazy("Supplier"), "office": gettext_lazy("Office"),
               "customer": gettext_lazy("Customer"), "organisation": gettext_lazy("Whole organisation")}
BAND_NAMES = {"good": gettext_lazy("good"), "watch": gettext_lazy("watch"), "poor": gettext_lazy("poor")}
TREND_SYMBOL = {Trend.IMPROVED: "▲", Trend.WORSENED: "▼", Trend.UNCHANGED: "■", Trend.FOLLOWED: "·", Trend.NOT_COMPUTABLE: "–"}



def _providers(scope):
    ids = set(IndicatorDefinition.objects.values_list("provider_id", flat=True))
    return [p for p in Provider.objects.visible_to(scope).order_by("name") if p.pk in ids]


def _provider(request, scope) -> Provider:
    """The organisation asked for, else the first with indicators, else the first the person sees
    (an organisation without indicators yet can still define them and enter data)."""
    providers = _providers(scope) or list(Provider.objects.visible_to(scope).order_by("name"))
    if not providers:
        raise Http404("no organisation")
    chosen = request.GET.get("provider") or request.POST.get("provider")
    if chosen:
        return get_visible(Provider.objects.visible_to(scope), code=chosen) if not chosen.isdigit() else get_visible(Provider.objects.visible_to(scope), pk=chosen)
    return providers[0]


def _family(provider: Provider) -> str:
    families = set(IndicatorDefinition.objects.filter(provider=provider).values_list("family", flat=True))
    return Family.IT_OPERATIONS if Family.IT_OPERATIONS in families else Family.OWN


def _years(provider: Provider) -> list[int]:
    return sorted(set(DataPoint.objects.filter(provider=provider).values_list("year", flat=True)))


def sparkline(values, target=None, width=120, height=28) -> str:
    """A tiny inline SVG line of the values (None leaves a gap); decorative, the numbers are beside it."""
    points = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    if len(points) < 2:
        return ""
    ys = [y for _x, y in points] + ([float(target)] if target is not None else [])
    low, high = min(ys), max(ys)
    span = (high - low) or 1.0
    step = (width - 6) / max(1, len(values) - 1)
    scale = lambda y: height - 3 - (y - low) / span * (height - 6)  # noqa: E731
    line = " ".join(f"{3 + x * step:.1f},{scale(y):.1f}" for x, y in points)
    goal = f'<line x1="0" x2="{width}" y1="{scale(float(target)):.1f}" y2="{scale(float(target)):.1f}" stroke="#777" stroke-dasharray="3 2"/>' if target is not None else ""
    return (f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" aria-hidden="true" focusable="false">{goal}'
            f'<polyline fill="none" stroke="#1f5f99" stroke-width="2" points="{line}"/></svg>')


def _rows(cells, language: str, level: str):
    """Everything a table row shows, formatted here once (the dashboard has up to a hundred rows:
    doing this in the template costs more than the evaluation itself)."""
    from servicecenter.ui.templatetags.sc import number

    texts = {Trend.IMPROVED: _("desired direction"), Trend.WORSENED: _("wrong direction"), Trend.UNCHANGED: _("unchanged"),
             Trend.FOLLOWED: _("followed"), Trend.NOT_COMPUTABLE: _("no comparison")}
    not_computable = _("not computable")
    rows = []
    for cell in cells:
        indicator = cell.indicator
        base = reverse("followup-drill", args=[cell.definition.pk, level, cell.subject, 2000])[: -len("2000/")]
        values = []
        for value in cell.values:
            if value.computable:
                values.append((f"{base}{value.period}/", number(value.rounded(indicator.decimals), indicator.decimals), ""))
            elif value.numerator is not None or value.denominator is not None:
                values.append((f"{base}{value.period}/", not_computable, "not-computable"))
            else:
                values.append(("", "–", "not-computable"))
        latest = cell.latest.value if cell.latest else None
        rows.append({"cell": cell, "name": indicator.name(language), "values": values, "symbol": TREND_SYMBOL[cell.trend], "trend": texts[cell.trend],
                     "spark": sparkline([v.value for v in cell.values], indicator.target or indicator.reference),
                     "target": number(indicator.target, indicator.decimals) if indicator.target is not None else None,
                     "reference": number(indicator.reference, indicator.decimals) if indicator.reference is not None else None,
                     "band": BAND_NAMES.get(indicator.band_of(latest) or "", ""), "meets": indicator.meets_target(latest),
                     "subject": _("all") if cell.subject == followup.ALL else cell.subject})
    return rows


def data_stamp(provider: Provider) -> str:
    """Changes whenever anything the dashboard shows can change: a data point (computed, entered
    or imported), a definition, a goal or a restriction."""
    points = DataPoint.objects.filter(provider=provider).aggregate(at=Max("at"), n=Count("id"), top=Max("id"))
    definitions = IndicatorDefinition.objects.filter(provider=provider).aggregate(n=Count("id"), top=Max("id"), goals=Count("goal"))
    restrictions = Restriction.objects.filter(provider=provider).aggregate(n=Count("id"), top=Max("id"))   # a list replaced whole has new ids
    return (f"{points['at']}:{points['n']}:{points['top']}:{definitions['n']}:{definitions['top']}:{definitions['goals']}:"
            f"{restrictions['n']}:{restrictions['top']}")


@login_required
def dashboard(request):
    scope = scope_of(request)
    scope.require(Capability.VIEW_ALL_CUSTOMERS)
    if not _providers(scope):
        return render(request, "followup/dashboard.html", {"provider": None})
    provider = _provider(request, scope)
    family = request.GET.get("family") or _family(provider)
    if family not in Family.values:
        raise Http404("unknown family")
    levels = sorted({lv for d in followup.definitions(provider, family) for lv in d.levels.split(",")}, key=lambda lv: list(LEVEL_NAMES).index(lv))
    level = request.GET.get("level") or (levels[-1] if levels else "organisation")
    if level not in levels:
        raise Http404("unknown level")
    language = translation.get_language() or "sv"
    # The tables are remade only when the data behind them change (see data_stamp); rendering a
    # hundred rows costs more than evaluating them.
    stamp = hashlib.sha1(data_stamp(provider).encode()).hexdigest()
    key = f"followup-dashboard-{provider.pk}-{family}-{level}-{language}-{stamp}"
    years = _years(provider)
    body = cache.get(key)
    if body is None:
        cells = followup.evaluate_family(provider, family, level, years)
        goals = followup.goal_assessments(provider, max(years)) if family == Family.OWN and years else []
        if goals:  # the organisation's own indicators under their goals; those without a goal after them
            cells = [cell for cell in cells if cell.definition.goal_id is None]
        body = render_to_string("followup/_dashboard_body.html", {
            "provider": provider, "family": family, "level": level, "years": years, "rows": _rows(cells, language, level),
            "goals": [(goal, _rows(goal_cells, language, "organisation"), assessment) for goal, goal_cells, assessment in goals],
        })
        cache.set(key, body, 3600)
    families = sorted(set(IndicatorDefinition.objects.filter(provider=provider).values_list("family", flat=True)))
    return render(request, "followup/dashboard.html", {
        "provider": provider, "providers": _providers(scope), "family": family, "families": [(f, Family(f).label) for f in families],
        "level": level, "levels": [(lv, str(LEVEL_NAMES[lv])) for lv in levels], "years": years, "body": body,
        "report_year": years[-1] if years else clock.today().year - 1,   # with no numbers yet: the year reported next
        "can_enter": scope.can(Capability.IMPORT_VOLUMES), "can_annex": scope.can(Capability.RUN_COSTING),
        "has_fee_report": scope.can(Capability.VIEW_COSTS) and bool(provider_activities(provider)),
    })


@login_required
def definition_list(request):
    """The organisation's indicators; a controller defines its own here (a new code, or a new
    version of one from a later year)."""
    scope = scope_of(request)
    scope.require(Capability.VIEW_ALL_CUSTOMERS)
    provider = _provider(request, scope)
    form = sources = goal_form = None
    if scope.can(Capability.RUN_COSTING):
        sources = _sources_form(request, provider)
        if isinstance(sources, HttpResponse):
            return sources
        goal_form = _goal_form(request, provider)
        if isinstance(goal_form, HttpResponse):
            return goal_form
        form = IndicatorForm(request.POST if request.method == "POST" and request.POST.get("action") not in ("sources", "goal") else None, goals=Goal.objects.filter(provider=provider).order_by("position"),
                             initial={"valid_from": clock.today().year, "levels": ["organisation"]})
        if request.method == "POST" and request.POST.get("action") not in ("sources", "goal") and form.is_valid():
            data = form.cleaned_data
            try:
                definition = define_indicator(provider, user=request.user, **{name: data[name] for name in (
                    "name_sv", "name_en", "code", "numerator", "denominator", "factor", "unit", "decimals", "direction", "target", "goal", "valid_from")},
                    levels=list(data["levels"]))
            except DefinitionError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                messages.success(request, _("%(name)s is defined (version %(version)s from %(year)s). Enter or import its data elements under “Enter data”.")
                                 % {"name": definition.name_sv, "version": definition.version, "year": definition.valid_from})
                return redirect(f"{reverse('followup-definitions')}?provider={provider.code}#def-{definition.code}")
    elif request.method == "POST":
        scope.require(Capability.RUN_COSTING)
    definitions = IndicatorDefinition.objects.filter(provider=provider).select_related("goal").order_by("family", "goal__position", "position", "code", "version")
    return render(request, "followup/definitions.html", {"provider": provider, "providers": _providers(scope), "definitions": definitions, "form": form,
                                                         "sources": sources, "goal_form": goal_form,
                                                         "goals": Goal.objects.filter(provider=provider).order_by("position")},
                  status=400 if any(f is not None and f.errors for f in (form, sources, goal_form)) else 200)


def _goal_form(request, provider):
    """The form of a new strategic goal; a redirect once defined."""
    posted = request.method == "POST" and request.POST.get("action") == "goal"
    form = GoalForm(request.POST if posted else None, prefix="goal")
    if posted and form.is_valid():
        try:
            goal = define_goal(provider, user=request.user, **form.cleaned_data)
        except DefinitionError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("The goal %(name)s is defined: attach indicators to it below.") % {"name": goal.name_sv})
            return redirect(f"{reverse('followup-definitions')}?provider={provider.code}#h-new")
    return form


def _sources_form(request, provider):
    """The form of where computed elements come from; a redirect once saved."""
    from servicecenter.apps.followup.services import chart_of, payroll_services

    services = provider.services.order_by("code").prefetch_related("versions")
    posted = request.method == "POST" and request.POST.get("action") == "sources"
    form = SourcesForm(request.POST if posted else None, services=services,
                       initial={"chart": chart_of(provider).code, "payroll_services": payroll_services(provider)})
    if posted and form.is_valid():
        try:
            set_sources(provider, form.cleaned_data["chart"], form.cleaned_data["payroll_services"], user=request.user)
        except DefinitionError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            followup.refresh(provider)
            messages.success(request, _("The sources are saved and the computed data elements computed again."))
            return redirect(f"{reverse('followup-definitions')}?provider={provider.code}#h-sources")
    return form


@login_required
def drill(request, pk: int, level: str, subject: str, year: int):
    scope = scope_of(request)
    scope.require(Capability.VIEW_ALL_CUSTOMERS)
    definition = get_visible(IndicatorDefinition.objects.filter(provider__in=Provider.objects.visible_to(scope)), pk=pk)
    if level not in LEVEL_NAMES:
        raise Http404("unknown level")
    restricted = definition.sensitive or any(r.covers(definition.code, subject) for r in Restriction.objects.filter(provider=definition.provider))
    if restricted and not scope.can(Capability.RUN_COSTING):
        raise Http404("restricted")
    value, rows, records = followup.drill_down(definition.provider, definition, level, subject, year)
    indicator = definition.as_indicator()
    return render(request, "followup/drill.html", {
        "definition": definition, "indicator": indicator, "level": level, "subject": subject, "year": year, "value": value,
        "shown": value.rounded(indicator.decimals), "rows": rows, "records": records, "restricted": restricted,
        "record_kind": type(records[0]).__name__ if records else "",
    })


# --- the annual indicator report for coordinated IT operations ----------------------------------

@login_required
def suppliers(request):
    """The supplier agencies of the coordinated IT operations, each with its catalogue; a
    coordinator registers another here (then imports its catalogue, volumes, outages and surveys
    under it)."""
    scope = scope_of(request)
    scope.require(Capability.VIEW_ALL_CUSTOMERS)
    provider = _provider(request, scope)
    coordinator = followup.coordinates_it(provider)
    can_add = coordinator and scope.can(Capability.EDIT_REGISTRY)
    errors: dict[str, str] = {}
    values = {}
    if request.method == "POST" and request.POST.get("action") == "remove":
        scope.require(Capability.EDIT_REGISTRY)
        supplier = get_visible(Provider.objects.visible_to(scope), pk=id_param(request.POST, "supplier"))
        try:
            remove_supplier(provider, supplier, user=request.user)
        except CoordinationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(name)s is no longer registered as a supplier.") % {"name": supplier.name})
        return redirect(f"{request.path}?provider={provider.code}")
    if request.method == "POST":
        scope.require(Capability.EDIT_REGISTRY)
        values = {name: (request.POST.get(name) or "").strip() for name in ("name", "org_number", "code")}
        try:
            supplier = add_supplier(provider, user=request.user, **values)
        except SetupError as error:   # the organisation's checks, or the coordination's
            if error.field:
                errors[error.field] = str(error)
            messages.error(request, _("Nothing was saved: correct the fields marked below.") if error.field else str(error))
        else:
            messages.success(request, _("%(name)s is registered as a supplier; import its catalogue under it.") % {"name": supplier.name})
            return redirect(f"{request.path}?provider={provider.code}")
    rows = []
    if coordinator:
        every = followup.suppliers_of(provider)
        catalogue: dict[int, set[int]] = {}
        for supplier_id, year in ServiceVersion.objects.filter(service__provider__in=every).values_list("service__provider_id", "year"):
            catalogue.setdefault(supplier_id, set()).add(year)
        counts = dict(Service.objects.filter(provider__in=every).values("provider_id").annotate(n=Count("id")).values_list("provider_id", "n"))
        rows = [(supplier, counts.get(supplier.pk, 0), sorted(catalogue.get(supplier.pk, ()))) for supplier in every]
    return render(request, "followup/suppliers.html", {"provider": provider, "providers": _providers(scope) or [provider], "coordinator": coordinator,
                                                       "rows": rows, "can_add": can_add, "can_import": scope.can(Capability.IMPORT_REGISTRY),
                                                       "errors": errors, "values": values},
                  status=400 if request.method == "POST" else 200)


def _service_names(provider: Provider) -> dict[str, tuple[str, str]]:
    """Subject (``supplier/service``) → (supplier's name, the service's latest name) of the
    services of the coordinator's suppliers."""
    return {followup.subject_of(s): (s.provider.name, s.versions.order_by("-year").first().name_sv if s.versions.exists() else s.code)
            for s in Service.objects.filter(provider__in=followup.suppliers_of(provider)).select_related("provider")}


def _it_report(provider: Provider, year: int, annex: bool, language: str):
    """The report's context. A year without numbers is a page that says so and where they come
    from, with the analysis and the annex's restricted items (chosen before the numbers come)."""
    every = _years(provider)
    definitions = followup.definitions(provider, Family.IT_OPERATIONS, year)
    texts = ReportText.objects.filter(provider=provider, report="it_operations", year=year, section="annex_analysis" if annex else "analysis")
    context = {"provider": provider, "year": year, "years": every, "annex": annex, "definitions": definitions, "table": [], "charts": [],
               "analysis": next((t.text for t in texts), "")}
    if year not in every:
        return {**context, "empty": True}
    years = [y for y in every if y <= year]
    services = followup.evaluate_family(provider, Family.IT_OPERATIONS, Level.SERVICE, years, include_restricted=True)
    services = [c for c in services if c.restricted == annex]
    subjects = sorted({c.subject for c in services})
    names = _service_names(provider)
    table = []
    for subject in subjects:
        by_code = {c.definition.code: c for c in services if c.subject == subject}
        row = []
        for definition in definitions:
            cell = by_code.get(definition.code)
            value = next((v for v in cell.values if v.period == year), None) if cell else None
            row.append((definition, value.rounded(definition.decimals) if value and value.computable else None, value))
        drivers = followup.cost_drivers(provider, subject, year)
        table.append({"subject": subject, "supplier": names.get(subject, ("", subject))[0], "service": names.get(subject, ("", subject))[1],
                      "cells": row, "drivers": drivers})
    charts = []
    if not annex:
        for cell in followup.evaluate_family(provider, Family.IT_OPERATIONS, Level.ORGANISATION, years):
            indicator = cell.indicator
            points = tuple((v.period, float(v.value)) for v in cell.values if v.computable)
            if points:
                target = indicator.target if indicator.target is not None else indicator.reference
                charts.append((indicator, indicator_chart(indicator.name(language), indicator.unit, ((_("All coordinated services"), points),),
                                                          float(target) if target is not None else None, _("Target or reference value"),
                                                          _("%(name)s over time for all coordinated services.") % {"name": indicator.name(language)})))
    return {**context, "table": table, "charts": charts}


@login_required
def it_report(request, year: int):
    scope = scope_of(request)
    scope.require(Capability.VIEW_ALL_CUSTOMERS)
    provider = _provider(request, scope)
    annex = request.GET.get("annex") == "1"
    if annex:
        scope.require(Capability.RUN_COSTING)
    back = f"{request.path}?provider={provider.code}{'&annex=1' if annex else ''}"
    errors: dict[str, str] = {}
    if request.method == "POST":
        scope.require(Capability.RUN_COSTING)
        action = request.POST.get("action", "analysis")
        if action == "restrict":
            importer = RestrictionImporter(provider, request.user)
            importer.whole_list = False
            row = {name: (request.POST.get(name) or "").strip() for name in ("subject", "indicator", "reason")}
            errors = _enter(importer, row, translation.get_language() or "sv")
            if not errors:
                messages.success(request, _("The item is kept out of the open report; the restricted annex shows it."))
                return redirect(back)
            messages.error(request, _("Nothing was saved: correct the fields marked below."))
        elif action == "lift":
            item = Restriction.objects.filter(provider=provider, pk=id_param(request.POST, "restriction")).first()
            if item is None:
                raise Http404("no such restricted item")
            followup.lift_restriction(item, request.user)
            messages.success(request, _("The item is back in the open report."))
            return redirect(back)
        elif action == "analysis":
            section = "annex_analysis" if annex else "analysis"
            followup.save_report_text(provider, "it_operations", year, section, request.POST.get("text", ""), request.user)
            messages.success(request, _("The analysis was saved."))
            return redirect(back)
        else:
            raise Http404("unknown form")
    kind = request.GET.get("format")
    if kind in ("pdf", "xlsx") and year not in _years(provider):
        raise Http404("no values for that year")   # nothing to download: the page says where the numbers come from
    if kind in ("pdf", "xlsx") and (job := deferred(request, _("IT operations indicators %(year)s (%(format)s)") % {"year": year, "format": kind.upper()})):
        return job
    context = _it_report(provider, year, annex, translation.get_language() or "sv")
    if kind in ("pdf", "xlsx"):
        record("followup.report.downloaded", user=request.user, provider=provider, data={"report": "it_operations", "year": year, "format": kind, "annex": annex})
        return report_download(f"indikatorer-samordnad-it-drift-{year}{'-bilaga' if annex else ''}", kind, "followup/it_report_pdf.html", context, _it_sheets(context))
    context.update({"can_annex": scope.can(Capability.RUN_COSTING), "can_write": scope.can(Capability.RUN_COSTING)})
    if context["can_write"] and annex:   # chosen in the annex: the open report's page names nothing it keeps out
        context.update(_restriction_form(provider, context, errors, request.POST if errors else {}))
    return render(request, "followup/it_report.html", context)


def _restriction_form(provider: Provider, context: dict, errors: dict[str, str], values) -> dict:
    """The restricted items of the report, each with its service's name, and what the form to add
    one offers: the report's services and its indicators."""
    services = {subject: f"{supplier}: {name}" for subject, (supplier, name) in _service_names(provider).items()}
    indicators = {d.code: d.name_sv for d in context["definitions"]}
    items = [(item, services.get(item.subject, item.subject), indicators.get(item.indicator, item.indicator))
             for item in Restriction.objects.filter(provider=provider).order_by("subject", "indicator")]
    return {"restrictions": items, "restrict_subjects": sorted(services.items(), key=lambda pair: pair[1].lower()),
            "restrict_errors": errors, "restrict_values": values}


def _it_sheets(context):
    headers = [_("Supplier"), _("Service")] + [d.name_sv for d in context["definitions"]]
    def cell(definition, value):
        if value is None:
            return None
        if definition.unit == "%":   # the indicator in per cent: its share, shown with a % format
            return Percent(decimal_of(value) / 100, definition.decimals)
        return round_places(decimal_of(value), definition.decimals)

    def kronor(value):
        return round_places(value, 2)

    rows = [[row["supplier"], row["service"]] + [cell(d, value) for d, value, _v in row["cells"]] for row in context["table"]]
    drivers = [[row["supplier"], row["service"], kronor(d.before), kronor(d.after), kronor(d.volume), kronor(d.input_prices), kronor(d.content),
                kronor(d.security), Percent(d.unit_cost_change / 100), Percent(d.index_change / 100)]
               for row in context["table"] if (d := row["drivers"]) is not None]
    return [(str(context["year"]), headers, rows),
            (_("Cost per unit, drivers"), [_("Supplier"), _("Service"), _("Before"), _("After"), _("Volume"), _("Input prices"), _("Content, same security"),
                                         _("Raised security"), _("Change, %"), _("PLO, %")], drivers)]


# --- fee-financed activity and appropriation ------------------------------------------------------

def _fee_report(provider: Provider, year: int, language: str):
    rows = followup.fee_rows(provider, year)
    if not rows:
        raise Http404("no fee-financed activities")
    sections = fu.fee_table(rows)
    goal = next((a for a in provider_activities(provider) if a.balance_goal_year), None)
    path, chart = [], None
    if goal:
        row = next(r for r in rows if r.code == goal.code)
        path = fu.balance_path(row.closing, year, goal.balance_goal_year)
        points = ((_("Accumulated result (actual)"), tuple((y, float(fu.in_millions(closing))) for y, closing in followup.accumulated_by_year(provider, goal.code, year).items())),
                  (_("Required path to balance"), ((year, float(fu.in_millions(row.closing))),) + tuple((p.year, float(fu.in_millions(p.closing))) for p in path)))
        chart = indicator_chart(_("Accumulated result of %(name)s, mnkr") % {"name": goal.name_sv}, "mnkr", points, 0.0, _("Balance"),
                                _("The accumulated result year by year and the yearly results needed to reach balance by %(year)s.") % {"year": goal.balance_goal_year})
    return {"provider": provider, "year": year, "sections": sections, "labels": SECTION_LABELS, "goal": goal, "path": path, "chart": chart,
            "appropriations": followup.appropriation_years(provider, year), "summary": followup.five_year_summary(provider, year),
            "years": followup.followup_years(provider)}


SECTION_LABELS = {"disposed": "Verksamhet där avgiftsintäkterna disponeras", "pension": "Avgifter från pensionsmedlen",
                  "estimated": "Beräknad budget för avgiftsbelagd verksamhet där intäkter disponeras"}


def provider_activities(provider):
    return list(FeeActivity.objects.filter(provider=provider).order_by("position"))


@login_required
def fee_report(request, year: int):
    scope = scope_of(request)
    scope.require(Capability.VIEW_COSTS)
    candidates = [p for p in Provider.objects.visible_to(scope).order_by("name") if provider_activities(p)]
    if not candidates:
        raise Http404("no fee-financed activities")
    chosen = request.GET.get("provider")
    provider = get_visible(Provider.objects.visible_to(scope), code=chosen) if chosen else candidates[0]
    kind = request.GET.get("format")
    if kind in ("pdf", "xlsx") and (job := deferred(request, _("Fee-financed activity %(year)s (%(format)s)") % {"year": year, "format": kind.upper()})):
        return job
    context = _fee_report(provider, year, translation.get_language() or "sv")
    if kind in ("pdf", "xlsx"):
        record("followup.report.downloaded", user=request.user, provider=provider, data={"report": "fee_financed", "year": year, "format": kind})
        return report_download(f"avgiftsbelagd-verksamhet-{year}", kind, "followup/fee_report_pdf.html", context, _fee_sheets(context))
    return render(request, "followup/fee_report.html", context)


def _fee_sheets(context):
    headers = ["Verksamhet", "+/- t.o.m. år −2", "+/- år −1", "Budget intäkter", "Utfall intäkter", "Budget kostnader", "Utfall kostnader",
               "Budget +/-", "Utfall +/-", "Ack. utgående +/-"]
    rows = []
    for section in context["sections"]:
        rows.append([SECTION_LABELS[section.section]] + [None] * 9)
        rows += [[r.name] + [fu.in_thousands(v) for v in r.figures()] for r in section.rows]
        rows.append(["Summa"] + [fu.in_thousands(v) for v in section.figures()])
    appropriations = [[a.code, a.name, fu.in_thousands(a.opening), fu.in_thousands(a.allocation), fu.in_thousands(-a.withdrawal), fu.in_thousands(a.available),
                       fu.in_thousands(-a.expenditure), fu.in_thousands(a.closing), fu.in_thousands(a.credit)] for a in context["appropriations"]]
    summary = [[c.year, fu.in_thousands(c.fee_revenue_estimate), fu.in_thousands(c.fee_revenue), fu.in_thousands(c.credit_granted), fu.in_thousands(c.carry_over),
                c.fte, c.average_employees, round(c.operating_cost_per_fte) if c.operating_cost_per_fte else None, fu.in_thousands(c.result)] for c in context["summary"]]
    return [("Tabell 6 (tkr)", headers, rows),
            ("Anslag (tkr)", ["Anslag", "Namn", "Ingående överföringsbelopp", "Årets tilldelning", "Indragning", "Totalt disponibelt", "Utgifter",
                              "Utgående överföringsbelopp", "Anslagskredit"], appropriations),
            ("Femårsöversikt", ["År", "Beräknade avgiftsintäkter (tkr)", "Avgiftsintäkter (tkr)", "Beviljad anslagskredit (tkr)", "Anslagssparande (tkr)",
                                "Årsarbetskrafter", "Medelantal anställda", "Driftkostnad per årsarbetskraft (tkr)", "Årets kapitalförändring (tkr)"], summary)]


# --- data entry -----------------------------------------------------------------------------------

@login_required
def entry(request):
    scope = scope_of(request)
    scope.require(Capability.IMPORT_VOLUMES)
    provider = _provider(request, scope)
    services = list(Service.objects.filter(provider__in=Provider.objects.visible_to(scope)).select_related("provider").order_by("provider__code", "code"))
    errors: dict[str, str] = {}
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        kind = request.POST.get("kind")
        language = translation.get_language() or "sv"
        if kind == "outage":
            service = next((s for s in services if str(s.pk) == request.POST.get("service")), None)
            if service is None:
                errors["service"] = _("Choose a service.")
            else:
                row = {"service_code": service.code, "start": request.POST.get("start", ""), "end": request.POST.get("end", ""),
                       "main_function": "ja" if request.POST.get("main_function") == "on" else "nej",
                       "description": request.POST.get("description", ""), "reference": request.POST.get("reference", "")}
                errors = _enter(OutageImporter(service.provider, request.user), row, language, {"service_code": "service"})
                if not errors:
                    record("followup.outage.entered", user=request.user, provider=service.provider,
                           data={"service": service.code, "start": row["start"], "end": row["end"]})
                    messages.success(request, _("The outage was registered. Refresh the indicators to see its effect."))
                    return redirect(f"{request.path}?provider={provider.code}")
        elif kind == "datapoint":
            row = {name: (request.POST.get(name) or "").strip() for name in ("element", "level", "subject", "year", "value", "source")}
            importer = IndicatorDataImporter(provider, request.user)
            importer.origin = DataPoint.Origin.ENTERED
            errors = _enter(importer, row, language)
            if not errors:
                record("followup.datapoint.entered", user=request.user, provider=provider, data=row)
                messages.success(request, _("The number was saved."))
                return redirect(f"{request.path}?provider={provider.code}")
        elif kind == "refresh":
            count = followup.refresh(provider)
            messages.success(request, _("%(count)s numbers were computed again from the registry.") % {"count": count})
            return redirect(f"{request.path}?provider={provider.code}")
        else:
            raise Http404("unknown form")
        if errors:
            messages.error(request, _("Nothing was saved: correct the fields marked below."))
    recent = DataPoint.objects.filter(provider=provider).exclude(origin=DataPoint.Origin.COMPUTED).select_related("user").order_by("-at")[:15]
    outages = Outage.objects.filter(provider__in=Provider.objects.visible_to(scope)).select_related("service", "provider").order_by("-start")[:15]
    return render(request, "followup/entry.html", {"provider": provider, "providers": _providers(scope), "services": services, "errors": errors,
                                                    "values": values, "levels": [(lv, str(n)) for lv, n in LEVEL_NAMES.items()], "recent": recent,
                                                    "outages": outages, "kind": values.get("kind", ""), "today": clock.today()})


def _enter(importer, row: dict[str, str], language: str, fields: dict[str, str] | None = None) -> dict[str, str]:
    """One row typed into a form, checked and written by the same importer a file would use (so a
    form and a file can never disagree on what is valid). Returns the errors by form field."""
    importer.source = ""
    importer.prepare()
    value, problems = importer.check_row(1, row, lambda column: column)
    if problems:   # a text a file would keep cut is refused here: the person can shorten it
        return {(fields or {}).get(p.column, p.column): (Problem("value.too_long", p.params) if p.code == "value.cut" else p).message(language)
                for p in reversed(problems)}
    with transaction.atomic():
        importer.apply([(1, value)])
    return {}

