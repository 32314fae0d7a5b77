"""The volumes page: what each customer used of each service, per month."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicecenter.apps.accounts.context import scope_of
from servicecenter.apps.metering.models import Volume
from servicecenter.apps.registry import services as registry
from servicecenter.apps.registry.models import Provider
from servicecenter.formats.spreadsheet import Month
from servicecenter.ui.listing import ListColumn, ListFilter, ListPage, provider_filter, render_list


def _recent_months(volumes, limit: int = 60) -> list[str]:
    """The months from the latest with data back to the earliest (at most ``limit``), newest first.
    Two index look-ups instead of a DISTINCT over every volume row."""
    latest = volumes.order_by("-month").values_list("month", flat=True).first()
    earliest = volumes.order_by("month").values_list("month", flat=True).first()
    if latest is None:
        return []
    months, cursor = [], latest
    while cursor >= earliest and len(months) < limit:
        months.append(cursor.strftime("%Y-%m"))
        cursor = (cursor.replace(day=1) - timedelta(days=1)).replace(day=1)
    return months


@login_required
def volume_list(request):
    scope = scope_of(request)
    names = registry.service_names(scope)
    months = _recent_months(Volume.objects.visible_to(scope))
    page = ListPage(
        title=_("Volumes"),
        intro=_("Monthly volumes per customer and service, as imported."),
        columns=[
            ListColumn("month", _("Month"), lambda v: v.month.strftime("%Y-%m"), "month", export=lambda v: Month(v.month)),
            ListColumn("customer", _("Customer"), lambda v: v.customer.name, "customer__name", lambda v: reverse("customer", args=[v.customer_id])),
            ListColumn("service", _("Service"), lambda v: names.get(v.service_id, v.service.code), "service__code"),
            ListColumn("quantity", _("Quantity"), lambda v: v.quantity.normalize() if v.quantity == v.quantity.to_integral() else v.quantity, "quantity", numeric=True),
            ListColumn("source", _("Source"), lambda v: v.source),
        ],
        filters=[
            *provider_filter(Provider.objects.visible_to(scope), "customer__provider__code"),
            ListFilter("month", _("Month"), [(m, m) for m in months], lambda qs, v: qs.filter(month=f"{v}-01")),
            ListFilter("service", _("Service"), sorted(((str(k), v) for k, v in names.items()), key=lambda i: str(i[1])), lambda qs, v: qs.filter(service_id=int(v))),
        ],
        search=["customer__name", "customer__number", "customer__org_number", "service__code"],
        default_sort="-month",
        export_name="volymer",
    )
    return render_list(request, page, Volume.objects.visible_to(scope).select_related("customer", "service"), notice=registry.export_notice(Provider.objects.visible_to(scope)))
