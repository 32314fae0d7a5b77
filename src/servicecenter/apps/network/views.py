"""Office network pages: overview with the map, office register, statistics (Tabell 11, 12, 20),
scenario builder (close, downgrade, add, move; the consequences recomputed at once), scenario
comparison, the consequence report (PDF, Excel) and the optimiser."""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicecenter import clock
from servicecenter.apps.accounts.access import Capability
from servicecenter.apps.accounts.audit import record
from servicecenter.apps.accounts.context import scope_of
from servicecenter.apps.jobs.views import begin
from servicecenter.apps.network import services
from servicecenter.apps.network.models import DemandSet, Office, OfficeVisits, Scenario
from servicecenter.apps.registry.models import PartnerAgency, Provider
from servicecenter.formats.charts import bar_chart, line_chart
from servicecenter.formats.spreadsheet import Percent
from servicecenter.ui.deferral import deferred
from servicecenter.ui.downloads import report_download
from servicecenter.ui.params import day_param, id_param, year_param

FLAG_TEXT = {
    "only_office": gettext_lazy("Only office in the municipality: consequence analysis (SFS 2019:202)"),
    "fa_without_office": gettext_lazy("FA-region left without an office"),
    "consultation": gettext_lazy("Consultation with the municipality and partner agencies (SFS 2017:583)"),
    "over_capacity": gettext_lazy("Receiving office over capacity"),
}
AREA_TEXT = {"metropolitan": gettext_lazy("Metropolitan"), "urban": gettext_lazy("Dense mixed"), "sparse": gettext_lazy("Sparse and rural"),
             "vulnerable": gettext_lazy("Socially vulnerable area"), "other": gettext_lazy("Type not imported")}


def _scope(request, capability=Capability.VIEW_COSTS):
    return scope_of(request).require(capability)


class NoNetwork(Exception):
    """None of the person's organisations has an office yet."""


def _provider(scope):
    ids = set(Office.objects.values_list("provider_id", flat=True))
    for provider in Provider.objects.visible_to(scope).order_by("name"):
        if provider.pk in ids:
            return provider
    raise NoNetwork


def network_page(view):
    """A network page; without offices it says what to import instead of answering 404."""
    @functools.wraps(view)
    def page(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NoNetwork:
            return render(request, "network/empty.html", {"can_import": scope_of(request).can(Capability.PLAN_NETWORK)})
    return login_required(page)


def _flag_text(code):
    return str(FLAG_TEXT.get(code, code))


@network_page
def overview(request):
    scope = _scope(request)
    provider = _provider(scope)
    day = _day(request)
    ctx = services.context(provider, day)
    from servicecenter.core.network import scenario as sc

    result = sc.evaluate(ctx.network, [], sc.Rules())
    svg = services.overview_map(_("Distance to the nearest office, %(day)s") % {"day": day.isoformat()}, ctx, result,
                                description=_("Municipalities coloured by the population-weighted mean distance to the nearest office; every office a link to its page."))
    return render(request, "network/overview.html", {
        "provider": provider, "day": day, "ctx": ctx, "result": result, "map": svg, "plan_legend": services.plan_legend(),
        "full": sum(o.category.full_service for o in ctx.network.offices), "count": len(ctx.network.offices),
        "municipalities": len({o.municipality for o in ctx.network.offices}), "fa": len({o.fa_region for o in ctx.network.offices}),
        "scenarios": Scenario.objects.filter(provider=provider)[:10], "can_plan": scope.can(Capability.PLAN_NETWORK),
    })


def _day(request) -> dt.date:
    return day_param(request.GET, "day", clock.today())


@network_page
def office_list(request):
    provider = _provider(_scope(request))
    offices = Office.objects.filter(provider=provider).select_related("municipality__fa_region").order_by("name")
    status = request.GET.get("status", "open")
    if status == "open":
        offices = offices.filter(closed__isnull=True)
    elif status == "closed":
        offices = offices.filter(closed__isnull=False)
    category = request.GET.get("category", "")
    if category:
        offices = offices.filter(category=category)
    # the visits of a year the user picks; by default the latest year with visits (else this year)
    visit_years = sorted({d.year for d in OfficeVisits.objects.filter(office__provider=provider).dates("month", "year")}, reverse=True)
    visit_year = year_param(request.GET, "year", default=visit_years[0] if visit_years else clock.today().year)
    if visit_year not in visit_years:
        visit_years = sorted({*visit_years, visit_year}, reverse=True)
    visits = {r["office_id"]: r["v"] for r in OfficeVisits.objects.filter(office__provider=provider, month__year=visit_year)
              .values("office_id").annotate(v=Sum("visits"))}
    rows = [(o, visits.get(o.pk, 0)) for o in offices]
    return render(request, "network/offices.html", {"provider": provider, "rows": rows, "status": status, "category": category,
                                                     "categories": Office.Category.choices, "visit_year": visit_year, "visit_years": visit_years})


@network_page
def office_detail(request, code: str):
    provider = _provider(_scope(request))
    office = get_object_or_404(Office.objects.select_related("municipality__fa_region"), provider=provider, code=code)
    monthly = list(OfficeVisits.objects.filter(office=office).values("month").annotate(v=Sum("visits"), e=Sum("errands")).order_by("month"))
    by_partner = list(OfficeVisits.objects.filter(office=office).values("month__year", "partner").annotate(e=Sum("errands")).order_by("month__year", "partner"))
    names = dict(services.partner_labels(provider, {r["partner"] for r in by_partner}))
    for r in by_partner:
        r["name"] = names[r["partner"]]
    series = []
    for year in sorted({m["month"].year for m in monthly}):
        series.append((str(year), tuple((m["month"].month, float(m["v"])) for m in monthly if m["month"].year == year)))
    chart = line_chart(_("Visits per month"), _("Month"), _("Visits"), tuple(series), _("Visits per month and year at this office.")) if series else ""
    return render(request, "network/office.html", {"provider": provider, "office": office, "monthly": monthly, "by_partner": by_partner, "chart": chart})


@network_page
def partner_list(request):
    """The partner agencies the offices serve on behalf of, with their errands in the last three
    years with visits: what the visits file names them by, and where to import them."""
    scope = _scope(request)
    provider = _provider(scope)
    latest = OfficeVisits.objects.filter(office__provider=provider).dates("month", "year").last()
    years = [latest.year - 2, latest.year - 1, latest.year] if latest else []
    errands = {(r["partner"], r["month__year"]): r["e"] for r in OfficeVisits.objects.filter(office__provider=provider, month__year__in=years)
               .values("partner", "month__year").annotate(e=Sum("errands"))}
    registered = {p.code: p for p in PartnerAgency.objects.filter(provider=provider)}
    rows = [(code, name, registered.get(code), [errands.get((code, year), 0) for year in years])
            for code, name in services.partner_labels(provider, {code for code, _year in errands})]
    return render(request, "network/partners.html", {"provider": provider, "rows": rows, "years": years,
                                                     "can_import": scope.can(Capability.PLAN_NETWORK)})


@network_page
def statistics(request):
    provider = _provider(_scope(request))
    years = sorted(OfficeVisits.objects.filter(office__provider=provider).dates("month", "year"), reverse=True)
    if not years:
        raise Http404("no visits")
    year = year_param(request.GET, "year", years[0].year)
    if request.GET.get("format") == "xlsx" and (job := deferred(request, _("Office statistics %(year)s (Excel)") % {"year": year})):
        return job
    stats = services.statistics(provider, year)
    if request.GET.get("format") == "xlsx":
        return report_download(f"servicekontor-statistik-{year}", "xlsx", None, {"provider": provider}, _statistics_sheets(stats))
    chart = bar_chart(_("Errands per partner agency %(year)s") % {"year": year}, tuple(str(label) for label, _c in stats["partners"][0]),
                      tuple(float(c[0][0]) for _l, c in stats["partners"][0]), _("Errands"), _("Errands per partner agency."))
    return render(request, "network/statistics.html", {"provider": provider, "year": year, "years": [d.year for d in years], "s": stats, "chart": chart})


def _statistics_sheets(stats):
    years = stats["years"]
    def head(first: str) -> list[str]:
        return [first] + [x for y in years for x in (f"Besök {y}" if first != "Myndighet" else f"Ärenden {y}", f"Andel {y}")]

    def rows(table):
        body, totals = table
        out = [[str(label)] + [x for value, share in cells for x in (value, Percent(share, 0))] for label, cells in body]
        out.append(["Totalt"] + [x for value, share in totals for x in (value, Percent(1, 0) if share else None)])
        return out
    return [("Tabell 11 besök per region", head("Region"), rows(stats["regions"])),
            ("Tabell 12 ärenden per myndighet", head("Myndighet"), rows(stats["partners"])),
            ("Tabell 20 besök per kommuntyp", head("Kommuntyp"), rows(stats["types"])),
            ("FA-regioner", ["Kod", "FA-region", "Kontor", "Varav fullservice"], [[fa.code, fa.name, n, f] for fa, n, f in stats["fa_rows"]])]


# --- scenarios ---------------------------------------------------------------------------------

@network_page
def scenario_list(request):
    scope = _scope(request)
    provider = _provider(scope)
    if request.method == "POST":
        _scope(request, Capability.PLAN_NETWORK)
        name = (request.POST.get("name") or "").strip() or _("New scenario")
        day = day_param(request.POST, "base_date", clock.today())
        demand = _demand_set(request.POST)
        return begin(request, "network.scenario", label=_("New scenario %(name)s") % {"name": name},
                     key=f"network.scenario:{provider.pk}:{request.user.pk}:{name}:{day}", provider=provider,
                     params={"name": name, "day": day.isoformat(), "demand": demand.pk if demand else None}, back_url=reverse("network-scenarios"))
    return render(request, "network/scenarios.html", {"provider": provider, "scenarios": Scenario.objects.filter(provider=provider),
                                                      "can_plan": scope.can(Capability.PLAN_NETWORK), "demand_sets": _demand_sets(),
                                                      "today": clock.today().isoformat()})


def _finished_optimisation(request) -> dict | None:
    """The result of my optimisation job named by ``?job=``, to show on the page."""
    from servicecenter.apps.jobs.models import Job

    try:
        job = Job.objects.filter(pk=request.GET.get("job", ""), user=request.user, kind="network.optimise", state=Job.State.DONE).first()
    except (ValueError, ValidationError):
        return None
    return job.result if job is not None else None


def _demand_sets() -> list[DemandSet]:
    """Where people live, to measure against: the localities shipped with the product first,
    then every population grid imported."""
    services.ensure_default_demand()
    return list(DemandSet.objects.order_by("-default", "name"))


def _demand_set(data) -> DemandSet | None:
    """The demand points chosen in a form (``demand``), or None for the default localities; an
    unknown id is a 404."""
    chosen = id_param(data, "demand")
    return get_object_or_404(DemandSet, pk=chosen) if chosen else None


def _consequences(scenario: Scenario, with_maps=True):
    ctx, result = services.evaluate(scenario)
    closed = [t.office for t in result.transfers]
    names = {o.code: o.name for o in ctx.network.offices}
    names.update({o.code: o.name for o in result.offices})
    flags = [(f, _flag_text(f.code), names.get(f.office, f.office), ctx.municipality_names.get(f.subject) or ctx.fa_names.get(f.subject) or names.get(f.subject, f.subject))
             for f in result.flags if f.code != "consultation"]
    consultations = [(names.get(f.office, f.office), ctx.municipality_names.get(f.subject, f.subject)) for f in result.flags if f.code == "consultation"]
    years = sorted(result.savings)
    savings_chart = line_chart(
        _("Savings against the required path (mnkr)"), _("Year"), _("mnkr"),
        ((str(_("Savings in the scenario")), tuple((y, float(result.savings[y]) / 1e6) for y in years)),
         (str(_("Required")), tuple((y, float(result.required.get(y, 0)) / 1e6) for y in years))),
        _("Yearly savings of the scenario, which start when each lease ends, against the savings the appropriation path requires."))
    maps = {}
    if with_maps:
        maps["before"] = services.access_map(_("Before"), ctx, result.before, ctx.network.offices,
                                             description=_("Mean distance to the nearest office per municipality before the scenario."))
        maps["after"] = services.access_map(_("After"), ctx, result.after, result.offices, closed,
                                            description=_("Mean distance to the nearest office per municipality after the scenario; closed offices are crosses."))
        maps["fa_after"] = services.fa_map(_("FA regions after"), ctx, result.after,
                                           description=_("Mean distance to the nearest office per FA region (functional labour-market area) after the scenario."))
    fa_rows = []
    for code, before in sorted(result.before.by_fa.items()):
        after = result.after.by_fa.get(code)
        if after and (after.mean_km - before.mean_km) > 0.05:
            fa_rows.append((code, ctx.fa_names.get(code, code), before, after))
    area_rows = [(str(AREA_TEXT.get(k, k)), result.before.by_area[k], result.after.by_area.get(k)) for k in sorted(result.before.by_area)]
    loads = sorted((ld for ld in result.loads if ld.visits_after != ld.visits_before), key=lambda ld: -(ld.visits_after - ld.visits_before))
    return {
        "scenario": scenario, "ctx": ctx, "result": result, "flags": flags, "consultations": consultations, "names": names,
        "savings_rows": [(y, result.savings[y], result.required.get(y), result.shortfall(y)) for y in years],
        "savings_chart": savings_chart, "maps": maps, "fa_rows": fa_rows, "area_rows": area_rows, "loads": loads,
        "closed_by_area": [(str(AREA_TEXT.get(k, k)), v) for k, v in sorted(result.closed_visits_by_area.items())],
        "changes": list(scenario.changes.select_related("office")),
    }


@network_page
def scenario_detail(request, pk: int):
    scope = _scope(request)
    provider = _provider(scope)
    scenario = get_object_or_404(Scenario, pk=pk, provider=provider)
    if request.method == "POST":
        _scope(request, Capability.PLAN_NETWORK)
        error = _apply_action(request, scenario)
        if error:
            messages.error(request, error)
        if not request.headers.get("HX-Request"):
            return redirect("network-scenario", scenario.pk)
    kind = request.GET.get("format")
    if kind in ("pdf", "xlsx"):
        if job := deferred(request, _("Consequence report of %(scenario)s (%(format)s)") % {"scenario": scenario.name, "format": kind.upper()}):
            return job
        data = _consequences(scenario, with_maps=kind == "pdf")
        record("network.report.downloaded", user=request.user, provider=provider, obj=scenario, data={"format": kind})
        return report_download(f"konsekvensanalys-{scenario.pk}", kind, "network/report_pdf.html", {**data, "provider": provider},
                               _report_sheets(data) if kind == "xlsx" else None)
    data = _consequences(scenario)
    ctx = data["ctx"]
    changed = {c.office_id for c in data["changes"] if c.office_id}
    can_plan = scope.can(Capability.PLAN_NETWORK)
    if can_plan:
        data["plan_map"] = services.plan_map(_("The network in the scenario"), ctx, data["result"],
                                             _("Municipalities by the mean distance to the nearest office after the scenario; every office a button."))
        data["plan_legend"] = services.plan_legend()
    data.update({"provider": provider, "can_plan": can_plan,
                 "offices": [o for o in ctx.offices.values() if o.pk not in changed], "categories": Office.Category.choices,
                 "change_date": scenario.base_date})
    template = "network/_consequences.html" if request.headers.get("HX-Request") else "network/scenario.html"
    return render(request, template, data)


def _apply_action(request, scenario: Scenario) -> str | None:
    return services.change_scenario(scenario, request.POST, request.user)


def _report_sheets(data):
    r = data["result"]
    names = data["names"]
    summary = [["Kontor före", r.open_before], ["Kontor efter", r.open_after], ["Fullservice före", r.full_before], ["Fullservice efter", r.full_after],
               ["Besök basår", r.visits_before], ["Besök efter", r.visits_after], ["Förlorade till telefon/digitalt", r.visits_lost],
               ["Medelavstånd före (km)", round(r.before.overall.mean_km, 2)], ["Medelavstånd efter (km)", round(r.after.overall.mean_km, 2)],
               ["90:e percentil före (km)", round(r.before.overall.p90_km, 2)], ["90:e percentil efter (km)", round(r.after.overall.p90_km, 2)],
               ["Till fullservice, medel före (km)", round(r.before.overall_full.mean_km, 2)], ["Till fullservice, medel efter (km)", round(r.after.overall_full.mean_km, 2)]]
    savings = [[y, s, q, sh] for y, s, q, sh in data["savings_rows"]]
    transfers = [[names.get(t.office, t.office), names.get(t.to, t.to or "–"), t.visits, t.lost, round(t.km, 1) if t.to else None] for t in r.transfers]
    loads = [[names.get(ld.office, ld.office), ld.visits_before, ld.visits_after, ld.capacity] for ld in data["loads"]]
    flags = [[text, office, subject, f.rule] for f, text, office, subject in data["flags"]] + [["Samråd (SFS 2017:583)", o, m, "SFS 2017:583"] for o, m in data["consultations"]]
    fa = [[code, name, round(b.mean_km, 2), round(a.mean_km, 2), Percent(b.share_within(20)), Percent(a.share_within(20))] for code, name, b, a in data["fa_rows"]]
    return [("Sammanfattning", ["Mått", "Värde"], summary),
            ("Besparing", ["År", "Besparing (kr)", "Krav (kr)", "Kvar till kravet (kr)"], savings),
            ("Besök flyttas", ["Stängt kontor", "Till", "Besök", "Förlorade", "Avstånd (km)"], transfers),
            ("Belastning", ["Kontor", "Besök före", "Besök efter", "Kapacitet"], loads),
            ("Flaggor", ["Flagga", "Kontor", "Avser", "Regel"], flags),
            ("FA-regioner", ["Kod", "FA-region", "Medel före (km)", "Medel efter (km)", "Inom 20 km före", "Inom 20 km efter"], fa)]


@network_page
def compare(request):
    provider = _provider(_scope(request))
    ids = [int(i) for i in request.GET.getlist("s")[:10] if i.isdigit() and len(i) <= 18]
    scenarios = list(Scenario.objects.filter(provider=provider, pk__in=ids)) if ids else list(Scenario.objects.filter(provider=provider)[:3])
    columns = [_consequences(s, with_maps=False) for s in scenarios]
    return render(request, "network/compare.html", {"provider": provider, "columns": columns, "all": Scenario.objects.filter(provider=provider),
                                                    "chosen": {s.pk for s in scenarios}})


# --- optimiser -----------------------------------------------------------------------------------

@network_page
def optimise(request):
    scope = _scope(request)
    provider = _provider(scope)
    # the network open on the chosen day (today unless the planner picks another); closures are
    # proposed from the following 1 January
    done = _finished_optimisation(request) if request.method != "POST" else None
    data = request.POST if request.method == "POST" else {key: str(value) for key, value in done["params"].items()} if done else request.GET
    start = day_param(data, "day", clock.today())
    demand_set = _demand_set(data)
    ctx = services.context(provider, start, demand_set)
    offices = ctx.network.offices
    m = len(offices)
    suggestion = str(m // 10) if m > 1 else "0"  # a tenth of the network, to start from
    params = {"close": request.POST.get("close", suggestion), "objective": request.POST.get("objective", "median"),
              "radius": request.POST.get("radius", "20"), "keep_full": request.POST.get("keep_full", "on" if request.method != "POST" else ""),
              "fa_rule": request.POST.get("fa_rule", "hard"), "savings": request.POST.get("savings", ""), "day": start.isoformat(),
              "demand": ctx.demand_set.pk}
    result = error = None
    if request.method == "POST":   # the solver may take its full minute: a background job (apps/network/jobs.py)
        _scope(request, Capability.PLAN_NETWORK)
        asked = {**params, "save": bool(request.POST.get("save"))}
        return begin(request, "network.optimise", label=_("Optimise the office network (%(close)s to close)") % {"close": params["close"]},
                     key=f"network.optimise:{provider.pk}:{request.user.pk}:{sorted(asked.items())}", provider=provider, params=asked,
                     back_url=reverse("network-optimise"))
    if done is not None:
        params.update({key: value for key, value in done["params"].items() if key in params})
        error = done.get("error")
        if "open" in done:
            kept = set(done["open"])
            result = {**done, "closed": [offices[j] for j in range(m) if j not in kept]}
    return render(request, "network/optimise.html", {"provider": provider, "params": params, "result": result, "error": error, "m": m,
                                                     "can_plan": scope.can(Capability.PLAN_NETWORK), "np": np, "demand_sets": _demand_sets()})
