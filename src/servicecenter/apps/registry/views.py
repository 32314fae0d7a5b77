"""Registry pages: customers, the service catalogue and agreements. Every queryset starts
from the person's Scope; an object outside it is a 404."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicecenter import clock
from servicecenter.apps.accounts.access import Capability, get_visible
from servicecenter.apps.accounts.context import scope_of
from servicecenter.apps.accounts.models import AuditEntry
from servicecenter.apps.metering.models import Volume
from servicecenter.apps.registry import labels, organisation
from servicecenter.apps.registry import services as registry
from servicecenter.apps.registry.forms import DetailsForm, PersonForm
from servicecenter.apps.registry.models import (
    Agreement,
    Customer,
    Provider,
    Service,
    ServiceVersion,
)
from servicecenter.core import registry as rules
from servicecenter.formats.charts import line_chart
from servicecenter.ui.listing import ListColumn, ListFilter, ListPage, provider_filter, render_list


@login_required
def customer_list(request):
    scope = scope_of(request)
    year = registry.latest_year(scope) or clock.today().year
    names = registry.service_names(scope, year)
    day = date(year, 12, 31)
    queryset = registry.with_employees(Customer.objects.visible_to(scope), year)

    def attach_services(customers: list) -> None:
        active: dict[int, list[str]] = {customer.pk: [] for customer in customers}
        for customer_id, service_id in Agreement.objects.filter(registry.active_on(day), customer_id__in=active).values_list("customer_id", "service_id"):
            active[customer_id].append(str(names.get(service_id, "?")))
        for customer in customers:
            customer.active_services = ", ".join(sorted(active[customer.pk])) or "–"

    service_choices = sorted(((str(pk), name) for pk, name in names.items()), key=lambda item: str(item[1]))
    page = ListPage(
        title=_("Customers"),
        intro=_("Customers and their size in %(year)s, by employees.") % {"year": year},
        columns=[
            ListColumn("name", _("Name"), lambda c: c.name, "name", lambda c: reverse("customer", args=[c.pk])),
            ListColumn("number", _("Customer number"), lambda c: c.number, "number"),
            ListColumn("org_number", _("Organisation number"), lambda c: c.org_number, "org_number"),
            ListColumn("employees", _("Employees %(year)s") % {"year": year}, lambda c: c.employees, "employees", numeric=True),
            ListColumn("size", _("Size class"), lambda c: labels.SIZE[rules.size_class(c.employees)] if c.employees is not None else "–"),
            ListColumn("services", _("Services in production"), lambda c: c.active_services),
            ListColumn("preparedness", _("Preparedness agency"), lambda c: _("yes") if c.is_preparedness_agency(day) else _("no")),
        ],
        filters=[
            *provider_filter(Provider.objects.visible_to(scope), "provider__code"),
            ListFilter("size", _("Size class"), labels.choices(labels.SIZE), registry.size_filter),
            ListFilter("service", _("Service"), service_choices,
                       lambda qs, v: qs.filter(Q(agreements__service_id=int(v)) & registry.active_on(day, prefix="agreements__")).distinct()),
            ListFilter("preparedness", _("Preparedness agency"), [("yes", _("yes")), ("no", _("no"))],
                       lambda qs, v: qs.filter(Q(preparedness_from__lte=day) & (Q(preparedness_until__isnull=True) | Q(preparedness_until__gt=day))) if v == "yes"
                       else qs.exclude(Q(preparedness_from__lte=day) & (Q(preparedness_until__isnull=True) | Q(preparedness_until__gt=day)))),
            ListFilter("sector", _("Sector"), labels.choices(labels.SECTOR), lambda qs, v: qs.filter(sector=v)),
        ],
        search=["name", "number", "org_number", "legal_name"],
        default_sort="name",
        export_name="kunder",
        prepare=attach_services,
    )
    return render_list(request, page, queryset, notice=registry.export_notice(Provider.objects.visible_to(scope)))


@login_required
def customer_detail(request, pk: int):
    scope = scope_of(request)
    customer = get_visible(Customer.objects.visible_to(scope).select_related("provider", "host"), pk=pk)
    year = registry.latest_year(scope) or clock.today().year
    names = registry.service_names(scope)
    agreements = list(customer.agreements.order_by("service__code"))
    volumes = list(Volume.objects.visible_to(scope).filter(customer=customer).order_by("month").values_list("service_id", "month", "quantity"))
    series: dict[int, list[tuple[str, float]]] = {}
    months = sorted({month for _s, month, _q in volumes})[-24:]
    index = {month: position for position, month in enumerate(months)}
    for service_id, month, quantity in volumes:
        if month in index:
            series.setdefault(service_id, []).append((f"{month:%Y-%m}", float(quantity)))
    chart = None
    if series:
        chart = line_chart(
            str(_("Monthly volumes")), str(_("Month")), str(_("Quantity")),
            tuple((str(names.get(s, s)), tuple(points)) for s, points in sorted(series.items())),
            str(_("Volumes per service and month for %(name)s") % {"name": customer.name}),
        )
    recent = Volume.objects.visible_to(scope).filter(customer=customer).order_by("-month", "service__code")[:36]
    audit = AuditEntry.objects.visible_to(scope).filter(customer=customer)[:20] if scope.can(Capability.VIEW_AUDIT) else []
    return render(request, "registry/customer_detail.html", {
        "customer": customer,
        "years": customer.years.order_by("-year"),
        "agreements": [(a, names.get(a.service_id, a.service_id), labels.STATE[rules.AgreementState(a.state)]) for a in agreements],
        "volumes": [(v, names.get(v.service_id, v.service_id)) for v in recent],
        "chart": chart,
        "size_labels": labels.SIZE,
        "preparedness_now": customer.is_preparedness_agency(date(year, 12, 31)),
        "year": year,
        "audit": audit,
    })


@login_required
def service_list(request):
    scope = scope_of(request)
    years = registry.catalogue_years(scope)
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() and int(request.GET["year"]) in years else (years[0] if years else clock.today().year)
    day = date(year, 12, 31)
    in_production = registry.active_on(day, prefix="service__agreements__")
    if scope.is_customer_contact:
        in_production &= Q(service__agreements__customer_id=scope.customer_id)
    queryset = (
        ServiceVersion.objects.visible_to(scope).filter(year=year).select_related("process__area", "service__provider")
        .annotate(customers=Count("service__agreements", filter=in_production, distinct=True))
    )
    areas = sorted({(v.process.area.code, v.process.area.name) for v in ServiceVersion.objects.visible_to(scope).filter(year=year).select_related("process__area")}, key=lambda a: str(a[1]))
    page = ListPage(
        title=_("Service catalogue %(year)s") % {"year": year},
        intro=_("The catalogue for the year: service area, process and service, with tier and unit. Prices are kept in the year's price list."),
        columns=[
            ListColumn("name", _("Service"), lambda v: v.name, "name_sv", lambda v: reverse("service", args=[v.service_id])),
            ListColumn("code", _("Code"), lambda v: v.service.code, "service__code", code=True),
            ListColumn("area", _("Service area"), lambda v: v.process.area.name, "process__area__code"),
            ListColumn("process", _("Process"), lambda v: v.process.name, "process__code"),
            ListColumn("tier", _("Tier"), lambda v: labels.TIER[rules.Tier(v.tier)], "tier"),
            ListColumn("unit", _("Unit"), lambda v: labels.UNIT[rules.Unit(v.unit)], "unit"),
            ListColumn("obligatory", _("Obligatory"), lambda v: _("yes") if v.obligatory else _("no")),
            ListColumn("customers", _("My agreements") if scope.is_customer_contact else _("Customers in production"), lambda v: v.customers, "customers", numeric=True),
            ListColumn("provider", _("Provider"), lambda v: v.service.provider.name, "service__provider__name"),
        ],
        filters=[
            ListFilter("year", _("Catalogue year"), [(str(y), str(y)) for y in years], lambda qs, v: qs),
            *provider_filter(Provider.objects.visible_to(scope), "service__provider__code"),
            ListFilter("area", _("Service area"), areas, lambda qs, v: qs.filter(process__area__code=v)),
            ListFilter("tier", _("Tier"), labels.choices(labels.TIER), lambda qs, v: qs.filter(tier=v)),
        ],
        search=["name_sv", "name_en", "service__code", "process__name_sv"],
        default_sort="area",
        export_name=f"tjanstekatalog-{year}",
    )
    return render_list(request, page, queryset, notice=registry.export_notice(Provider.objects.visible_to(scope)))


@login_required
def service_detail(request, pk: int):
    scope = scope_of(request)
    service = get_visible(Service.objects.visible_to(scope).select_related("provider"), pk=pk)
    versions = list(service.versions.select_related("process__area").prefetch_related("service_levels").order_by("-year"))
    agreements = Agreement.objects.visible_to(scope).filter(service=service).select_related("customer").order_by("customer__name")
    return render(request, "registry/service_detail.html", {
        "service": service,
        "version": versions[0] if versions else None,
        "versions": versions,
        "tier_labels": labels.TIER,
        "unit_labels": labels.UNIT,
        "agreements": [(a, labels.STATE[rules.AgreementState(a.state)]) for a in agreements[:500]],
        "agreement_count": agreements.count(),
    })


@login_required
def agreement_list(request):
    scope = scope_of(request)
    names = registry.service_names(scope)
    page = ListPage(
        title=_("Agreements"),
        intro=_("Every customer's agreements and where each stands in the pipeline: interest, letter of intent, onboarding, production, ended."),
        columns=[
            ListColumn("customer", _("Customer"), lambda a: a.customer.name, "customer__name", lambda a: reverse("agreement", args=[a.pk])),
            ListColumn("service", _("Service"), lambda a: names.get(a.service_id, a.service.code), "service__code"),
            ListColumn("state", _("State"), lambda a: labels.STATE[rules.AgreementState(a.state)], "state"),
            ListColumn("intent", _("Letter of intent"), lambda a: a.intent_date, "intent_date"),
            ListColumn("production", _("In production"), lambda a: a.production_date, "production_date"),
            ListColumn("ended", _("Ended"), lambda a: a.ended_date, "ended_date"),
        ],
        filters=[
            *provider_filter(Provider.objects.visible_to(scope), "customer__provider__code"),
            ListFilter("state", _("State"), labels.choices(labels.STATE), lambda qs, v: qs.filter(state=v)),
            ListFilter("service", _("Service"), sorted(((str(k), v) for k, v in names.items()), key=lambda i: str(i[1])), lambda qs, v: qs.filter(service_id=int(v))),
        ],
        search=["customer__name", "customer__number", "customer__org_number", "service__code"],
        default_sort="customer",
        export_name="avtal",
    )
    return render_list(request, page, Agreement.objects.visible_to(scope).select_related("customer", "service"), notice=registry.export_notice(Provider.objects.visible_to(scope)))


@login_required
def agreement_detail(request, pk: int):
    scope = scope_of(request)
    agreement = get_visible(Agreement.objects.visible_to(scope).select_related("customer", "service__provider"), pk=pk)
    names = registry.service_names(scope)
    current = rules.AgreementState(agreement.state)
    steps = []
    for state in rules.PIPELINE:
        when = agreement.dates.get(state)
        steps.append({"label": labels.STATE[state], "date": when, "current": state is current, "done": when is not None})
    volumes = Volume.objects.visible_to(scope).filter(customer=agreement.customer, service=agreement.service).order_by("-month")[:24]
    return render(request, "registry/agreement_detail.html", {
        "agreement": agreement,
        "service_name": names.get(agreement.service_id, agreement.service.code),
        "state_label": labels.STATE[current],
        "steps": steps,
        "volumes": volumes,
    })


@login_required
def organisation_page(request):
    """The organisation's own details (copied onto every invoice) and its people with their roles.
    For an organisation administrator; the Django admin is not needed for any of it."""
    scope = scope_of(request).require(Capability.MANAGE_ORGANISATION)
    providers = list(Provider.objects.visible_to(scope).order_by("name"))
    if not providers:
        return render(request, "registry/organisation.html", {"providers": []})
    chosen = request.POST.get("provider") or request.GET.get("provider")
    provider = get_visible(Provider.objects.visible_to(scope), pk=chosen) if chosen else providers[0]
    details = DetailsForm(request.POST if request.POST.get("action") == "details" else None,
                          initial={name: getattr(provider, name) for name in organisation.DETAIL_FIELDS})
    person = PersonForm(request.POST if request.POST.get("action") == "person" else None, customers=provider.customers.order_by("name"))
    if request.method == "POST":
        form = details if request.POST.get("action") == "details" else person
        if form.is_valid():
            try:
                if form is details:
                    organisation.update_details(provider, dict(form.cleaned_data), user=request.user)
                    messages.success(request, _("The details are saved; new invoices carry them."))
                else:
                    data = form.cleaned_data
                    organisation.add_person(provider, username=data["username"], password=data["password"], role=data["role"],
                                            email=data["email"] or "", customer=data["customer"], user=request.user)
                    messages.success(request, _("%(name)s can now log in.") % {"name": data["username"]})
                return redirect(f"{reverse('organisation')}?provider={provider.pk}")
            except organisation.SetupError as error:
                form.add_error(None, str(error))
    people = (get_user_model().objects.filter(Q(profile__provider=provider) | Q(profile__customer__provider=provider))
              .select_related("profile", "profile__customer").order_by("username"))
    status = 400 if (details.is_bound and details.errors) or (person.is_bound and person.errors) else 200
    return render(request, "registry/organisation.html", {"providers": providers, "provider": provider, "details": details,
                                                          "person": person, "people": people}, status=status)
