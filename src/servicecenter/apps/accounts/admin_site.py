"""The Django admin is for superusers' repairs, nothing else.

Provider staff do their work on the product's pages, which are scoped to their provider; the
admin's widgets (raw-id labels, autocomplete, list filters) know no scope, so a person who is
not a superuser never reaches any admin page, whatever ``is_staff`` says.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class SuperuserAdminSite(admin.AdminSite):
    site_header = "servicecenter"

    def has_permission(self, request) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)


class SuperuserAdminConfig(AdminConfig):
    default_site = "servicecenter.apps.accounts.admin_site.SuperuserAdminSite"
