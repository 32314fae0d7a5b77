"""The start page (the organisation at a glance), the audit log and small utility views."""

from __future__ import annotations

import os
import secrets

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicecenter import clock
from servicecenter.apps.accounts.access import Capability
from servicecenter.apps.accounts.context import scope_of
from servicecenter.apps.accounts.models import AuditEntry
from servicecenter.apps.costing.models import PriceList
from servicecenter.apps.metering.models import Volume
from servicecenter.apps.registry import labels
from servicecenter.apps.registry import services as registry
from servicecenter.apps.registry.models import Agreement, Customer, Provider
from servicecenter.core import registry as rules
from servicecenter.formats.charts import line_chart
from servicecenter.ui.listing import ListColumn, ListFilter, ListPage, render_list
from servicecenter.ui.params import year_param
from servicecenter.web import landing
from servicecenter.web.audit_labels import action_label, details_text


@login_required
def home(request):
    scope = scope_of(request).require(Capability.VIEW)
    if scope.is_customer_contact:
        return _customer_home(request, scope)
    providers = list(Provider.objects.visible_to(scope).order_by("name"))
    chosen = next((p for p in providers if p.code == request.GET.get("provider")), None)
    if chosen is None:
        own = getattr(getattr(request.user, "profile", None), "provider", None)
        chosen = own if own in providers else (providers[0] if providers else None)
    years = registry.latest_year(scope) or clock.today().year
    year = year_param(request.GET, "year", years)
    view = registry.overview(scope, year, {chosen.pk} if chosen else set())
    chart = None
    series = tuple(
        (name if name != "__all__" else _("All customers"), tuple(points))
        for name, points in sorted(view.history.items(), key=lambda item: (item[0] != "__all__", item[0]))
    )
    if series:
        chart = line_chart(
            _("Customers in production per service area"), _("Year"), _("Customers"), series,
            _("Number of customers with an agreement in production at the end of each year, per service area."),
        )
    language = translation.get_language() or "sv"
    return render(request, "home.html", {
        "billing_panel": landing.billing_panel(scope, [chosen] if chosen else []),
        "imports_panel": landing.imports_panel(scope, providers),
        "network_panel": landing.network_panel(scope, chosen),
        "indicators_panel": landing.indicators_panel(scope, chosen, language),
        "view": view,
        "providers": providers,
        "provider": chosen,
        "chart": chart,
        "history_years": [point[0] for point in view.history.get("__all__", [])],
        "history_rows": [(name if name != "__all__" else _("All customers"), dict(points)) for name, points in sorted(view.history.items(), key=lambda item: (item[0] != "__all__", item[0]))],
        "size_rows": [(labels.SIZE[rules.SizeClass(size)], count, employees,
                       (employees / view.employees if view.employees else None), (count / view.customers if view.customers else None))
                      for size, count, employees in view.size_classes],
        "pipeline": [(labels.STATE[state], view.pipeline.get(state.value, 0), reverse("agreements") + f"?state={state.value}") for state in rules.PIPELINE],
        "incoming": sum(view.pipeline.get(state, 0) for state in ("interest", "letter_of_intent", "onboarding")),
        "year": year,
    })


def _customer_home(request, scope):
    customer = Customer.objects.visible_to(scope).select_related("provider").first()
    names = registry.service_names(scope)
    agreements = [(a, names.get(a.service_id, a.service_id), labels.STATE[rules.AgreementState(a.state)]) for a in Agreement.objects.visible_to(scope).order_by("service__code")]
    recent = [(v, names.get(v.service_id, v.service_id)) for v in Volume.objects.visible_to(scope).order_by("-month", "service__code")[:12]]
    return render(request, "home_customer.html", {"customer": customer, "agreements": agreements, "volumes": recent,
                                                  "price_lists": PriceList.objects.visible_to(scope).order_by("-year"),
                                                  "own": landing.customer_panel(scope, customer) if customer else {}})


def _node_names():
    """Per provider, what its cost model's internal names (pool:lon, service:lon-bas) are called;
    looked up once per provider per request."""
    from servicecenter.apps.costing.services import object_labels

    known: dict[int | None, dict[str, str]] = {}

    def names(provider_id):
        if provider_id not in known:
            provider = Provider.objects.filter(pk=provider_id).first() if provider_id else None
            known[provider_id] = object_labels(provider) if provider else {}
        return known[provider_id]
    return names


@login_required
def audit_log(request):
    scope = scope_of(request)
    scope.require(Capability.VIEW_AUDIT)
    actions = sorted(set(AuditEntry.objects.visible_to(scope).values_list("action", flat=True).distinct()[:200]))
    node_names = _node_names()
    page = ListPage(
        title=gettext_lazy("Audit log"),
        intro=gettext_lazy("Who changed what, and when. Entries cannot be edited or removed."),
        columns=[
            ListColumn("at", gettext_lazy("Time"), lambda e: clock.local(e.at).strftime("%Y-%m-%d %H:%M:%S"), "at", export=lambda e: clock.local(e.at)),
            ListColumn("user", gettext_lazy("User"), lambda e: e.username, "username"),
            ListColumn("action", gettext_lazy("Action"), lambda e: action_label(e.action), "action"),
            ListColumn("object", gettext_lazy("Object"), lambda e: e.object_repr),
            ListColumn("details", gettext_lazy("Details"), lambda e: details_text(e.data, names=node_names(e.provider_id))),
        ],
        filters=[ListFilter("action", gettext_lazy("Action"), sorted(((a, action_label(a)) for a in actions), key=lambda pair: pair[1]),
                            lambda qs, v: qs.filter(action=v))],
        search=["username", "action", "object_repr"],
        default_sort="-at",
        export_name="granskningslogg",
    )
    return render_list(request, page, AuditEntry.objects.visible_to(scope))


#: seconds the oldest waiting job may wait before the health endpoint says the queue is stalled
QUEUE_STALLED_AFTER = 120


def health(request):
    """``ok`` when the database answers; the details only to a signed-in superuser (an anonymous
    caller learns nothing about the installation)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        status, code = "ok", 200
    except Exception:  # any database failure means "not ok"; the log has the reason
        status, code = "unavailable", 503
    body = {"status": status}
    monitor = os.environ.get("SERVICECENTER_HEALTH_TOKEN", "")
    trusted = (request.user.is_authenticated and request.user.is_superuser) or (
        monitor and secrets.compare_digest(request.headers.get("Authorization", ""), f"Bearer {monitor}"))
    if code == 200 and trusted:
        # the queue, for the monitoring: a queue that does not move means no worker runs
        from servicecenter.apps.jobs.services import queue_state

        queue = queue_state()
        queue["moving"] = queue["oldest_queued_seconds"] < QUEUE_STALLED_AFTER
        body["jobs"] = queue
    if request.user.is_authenticated and request.user.is_superuser:
        body["database"] = connection.vendor
    response = JsonResponse(body, status=code)
    response["Cache-Control"] = "no-store"
    return response
