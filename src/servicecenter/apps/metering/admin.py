from django.contrib import admin

from servicecenter.apps.accounts.admin import ScopedAdmin
from servicecenter.apps.metering.models import Volume


@admin.register(Volume)
class VolumeAdmin(ScopedAdmin):
    scope_path = "customer__provider_id"
    list_display = ("month", "customer", "service", "quantity", "source")
    list_filter = ("month",)
    search_fields = ("customer__name", "service__code")
    raw_id_fields = ("customer", "service")
