"""Admin for the registry, scoped to the person's provider(s) and audited."""

from django.contrib import admin

from servicecenter.apps.accounts.admin import ScopedAdmin
from servicecenter.apps.registry import models


@admin.register(models.Provider)
class ProviderAdmin(ScopedAdmin):
    scope_path = "id"
    list_display = ("name", "code", "org_number", "kind", "coordinator", "is_demo")
    search_fields = ("name", "code", "org_number")


class CustomerYearInline(admin.TabularInline):
    model = models.CustomerYear
    extra = 0


@admin.register(models.Customer)
class CustomerAdmin(ScopedAdmin):
    list_display = ("name", "org_number", "sector", "provider", "preparedness_from")
    list_filter = ("provider", "sector")
    search_fields = ("name", "org_number")
    inlines = [CustomerYearInline]
    raw_id_fields = ("host",)


@admin.register(models.PartnerAgency)
class PartnerAgencyAdmin(ScopedAdmin):
    list_display = ("code", "name", "org_number", "provider")


@admin.register(models.ReferenceFigure)
class ReferenceFigureAdmin(admin.ModelAdmin):
    list_display = ("key", "year", "value", "source")
    list_filter = ("key",)


@admin.register(models.ServiceArea)
class ServiceAreaAdmin(ScopedAdmin):
    list_display = ("code", "name_sv", "name_en", "provider")
    list_filter = ("provider",)


@admin.register(models.Process)
class ProcessAdmin(ScopedAdmin):
    scope_path = "area__provider_id"
    list_display = ("code", "name_sv", "area")
    list_filter = ("area__provider",)


class ServiceLevelInline(admin.TabularInline):
    model = models.ServiceLevel
    extra = 0


class ServiceVersionInline(admin.StackedInline):
    model = models.ServiceVersion
    extra = 0
    show_change_link = True


@admin.register(models.Service)
class ServiceAdmin(ScopedAdmin):
    list_display = ("code", "__str__", "provider")
    list_filter = ("provider",)
    search_fields = ("code", "versions__name_sv")
    inlines = [ServiceVersionInline]


@admin.register(models.ServiceVersion)
class ServiceVersionAdmin(ScopedAdmin):
    scope_path = "service__provider_id"
    list_display = ("name_sv", "year", "tier", "unit", "obligatory", "process")
    list_filter = ("year", "tier", "service__provider")
    search_fields = ("name_sv", "name_en", "service__code")
    inlines = [ServiceLevelInline]


@admin.register(models.Agreement)
class AgreementAdmin(ScopedAdmin):
    scope_path = "customer__provider_id"
    list_display = ("customer", "service", "state", "production_date", "ended_date")
    list_filter = ("state", "service__provider")
    search_fields = ("customer__name", "customer__org_number", "service__code")
    raw_id_fields = ("customer", "service")
