"""Billing in the admin: runs and events are viewable; issued invoices and their lines can be
looked at and never changed or deleted (the model and the database refuse as well)."""

from django.contrib import admin

from servicecenter.apps.accounts.admin import ScopedAdmin
from servicecenter.apps.billing.models import (
    BillingRun,
    Invoice,
    InvoiceLine,
    NumberSeries,
    UsageEvent,
)


class ReadOnly(ScopedAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    can_delete = False
    fields = ("line_no", "service", "description", "quantity", "unit_price", "amount", "vat_category", "vat_rate")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnly):
    list_display = ("number_text", "document_type", "buyer_name", "period_start", "issue_date", "payable")
    list_filter = ("document_type", "period_start")
    search_fields = ("number_text", "buyer_name", "buyer_org_number")
    inlines = [LineInline]
    actions = None


@admin.register(BillingRun)
class BillingRunAdmin(ReadOnly):
    list_display = ("period", "provider", "state", "created_at", "issued_at")
    exclude = ("preview",)


@admin.register(UsageEvent)
class UsageEventAdmin(ReadOnly):
    list_display = ("source", "event_id", "customer", "service", "occurred_at", "quantity", "late")
    list_filter = ("late",)
    search_fields = ("event_id", "customer__name")


@admin.register(NumberSeries)
class NumberSeriesAdmin(ReadOnly):
    list_display = ("provider", "code", "prefix", "next_number")
