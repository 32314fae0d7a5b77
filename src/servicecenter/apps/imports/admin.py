from django.contrib import admin

from servicecenter.apps.accounts.admin import ScopedAdmin
from servicecenter.apps.imports.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(ScopedAdmin):
    list_display = ("at", "kind", "filename", "status", "rows", "user")
    list_filter = ("kind", "status")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
