"""Admin for the cost model: pools and their rules, keys and their values, models and steps.
Scoped to the person's provider and audited, like the registry."""

from django.contrib import admin

from servicecenter.apps.accounts.admin import ScopedAdmin
from servicecenter.apps.costing import models


class PoolRuleInline(admin.TabularInline):
    model = models.PoolRule
    extra = 1
    fields = ("account_from", "account_to", "cost_centre")


@admin.register(models.CostPool)
class CostPoolAdmin(ScopedAdmin):
    list_display = ("code", "name", "kind", "process", "provider")
    list_filter = ("kind", "provider")
    inlines = [PoolRuleInline]

    def save_formset(self, request, form, formset, change):
        for rule in formset.save(commit=False):
            rule.provider = form.instance.provider
            rule.save()
        formset.save_m2m()
        for rule in formset.deleted_objects:
            rule.delete()


class KeyValueInline(admin.TabularInline):
    model = models.KeyValue
    extra = 1


@admin.register(models.AllocationKey)
class AllocationKeyAdmin(ScopedAdmin):
    list_display = ("code", "name", "basis", "service", "provider")
    list_filter = ("basis", "provider")
    inlines = [KeyValueInline]


class StepSourceInline(admin.TabularInline):
    model = models.StepSource
    extra = 1


@admin.register(models.ModelStep)
class ModelStepAdmin(ScopedAdmin):
    scope_path = "model__provider_id"
    list_display = ("model", "position", "name", "method")
    list_filter = ("model",)
    inlines = [StepSourceInline]


class ModelStepInline(admin.TabularInline):
    model = models.ModelStep
    extra = 0
    show_change_link = True


@admin.register(models.CostModel)
class CostModelAdmin(ScopedAdmin):
    list_display = ("name", "year", "kind", "ledger_kind", "provider")
    list_filter = ("kind", "year", "provider")
    inlines = [ModelStepInline]


@admin.register(models.PriceList)
class PriceListAdmin(ScopedAdmin):
    list_display = ("name", "year", "status", "provider")
    list_filter = ("status", "year", "provider")


@admin.register(models.LedgerImport)
class LedgerImportAdmin(ScopedAdmin):
    list_display = ("filename", "year", "kind", "transactions", "at")

    def has_change_permission(self, request, obj=None):
        return False
