"""Lists with search, filters, sorting, paging and Excel export, all from one description.

A view describes its columns and filters and hands over a queryset that is already scoped
to the person (``Scope``); this module never widens it. Without JavaScript the filter form
is a plain GET form; with htmx only the table is swapped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from servicecenter.formats.spreadsheet import Month, Percent, write_workbook
from servicecenter.ui.deferral import deferred

#: an export of more rows than this is made in the background (a few thousand rows take seconds)
EXPORT_IN_REQUEST_ROWS = 1000


@dataclass(frozen=True)
class ListColumn:
    key: str
    label: Any
    value: Callable[[Any], Any]
    sort: str | None = None
    link: Callable[[Any], str] | None = None
    numeric: bool = False
    # the cell of the Excel export when it differs from what the page shows (a real date, a Month)
    export: Callable[[Any], Any] | None = None
    # an identifier people type (a service's code in import files): shown as code, beside the name
    code: bool = False


@dataclass(frozen=True)
class ListFilter:
    key: str
    label: Any
    choices: Sequence[tuple[str, Any]]
    apply: Callable[[QuerySet, str], QuerySet]


@dataclass
class ListPage:
    title: Any
    columns: Sequence[ListColumn]
    filters: Sequence[ListFilter] = ()
    search: Sequence[str] = ()
    default_sort: str = ""
    export_name: str = "export"
    intro: Any = ""
    extra: dict = field(default_factory=dict)
    per_page: int = 50
    # Called with the objects about to be shown (a page, or everything for an export) so a view
    # can attach what its columns need in one query instead of one per row.
    prepare: Callable[[list], None] | None = None


def render_list(request, page: ListPage, queryset: QuerySet, notice: str | None = None) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    if query and page.search:
        condition = Q()
        for name in page.search:
            condition |= Q(**{f"{name}__icontains": query})
        queryset = queryset.filter(condition)
    active_filters = []
    for list_filter in page.filters:
        value = request.GET.get(list_filter.key, "")
        if value and value in {choice for choice, _label in list_filter.choices}:
            queryset = list_filter.apply(queryset, value)
        else:
            value = ""
        active_filters.append((list_filter, value))
    sortable = {column.key: column.sort for column in page.columns if column.sort}
    sort = request.GET.get("sort", page.default_sort)
    key = sort.lstrip("-")
    if key in sortable:
        field_name = sortable[key]
        queryset = queryset.order_by(("-" if sort.startswith("-") else "") + field_name, "pk")
    else:
        sort = ""
        queryset = queryset.order_by(*(queryset.query.order_by or ["pk"]))
    if request.GET.get("format") == "xlsx":
        # a long list is written by a background job (the same view, called again in a worker)
        if queryset.count() > EXPORT_IN_REQUEST_ROWS and (job := deferred(request, f"{page.title} (Excel)")):
            return job
        objects = list(queryset)
        if page.prepare:
            page.prepare(objects)
        rows = ([_plain(column.export(obj) if column.export else column.value(obj)) for column in page.columns] for obj in objects)
        data = write_workbook([(str(page.title), [str(column.label) for column in page.columns], rows)], notice=notice,
                              notice_title=str(_("About the data")))
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{slugify(page.export_name)}.xlsx"'
        return response
    paginator = Paginator(queryset, page.per_page)
    current = paginator.get_page(request.GET.get("page"))
    if page.prepare:
        current.object_list = list(current.object_list)
        page.prepare(current.object_list)
    rows = [
        [(column, column.value(obj), column.link(obj) if column.link else None) for column in page.columns]
        for obj in current.object_list
    ]
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("sort", None)
    context = {
        "page": page,
        "rows": rows,
        "page_obj": current,
        "total": paginator.count,
        "query": query,
        "filters": active_filters,
        "sort": sort,
        "base_query": params.urlencode(),
        "export_query": _with(request.GET, format="xlsx", page=None),
        **page.extra,
    }
    template = "listing/table.html" if request.headers.get("HX-Request") else "listing/page.html"
    return render(request, template, context)


def _with(params, **changes) -> str:
    copy = params.copy()
    for key, value in changes.items():
        copy.pop(key, None)
        if value is not None:
            copy[key] = value
    return copy.urlencode()


def _plain(value: Any) -> Any:
    """A cell for Excel: numbers and dates stay typed (Decimal stays exact); the rest is text."""
    if value is None or isinstance(value, (int, float, Decimal, date, Month, Percent)):
        return value
    if hasattr(value, "__html__"):
        from django.utils.html import strip_tags

        return strip_tags(str(value))
    return str(value)


def provider_filter(providers: QuerySet, path: str) -> list[ListFilter]:
    """A filter by provider for people who see several: ``providers`` are the ones the person
    sees, ``path`` the provider code lookup of the listed rows."""
    providers = list(providers.values_list("code", "name"))
    if len(providers) < 2:
        return []
    return [ListFilter("provider", _("Provider"), providers, lambda qs, v: qs.filter(**{path: v}))]
