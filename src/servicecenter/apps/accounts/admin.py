"""Admin for people, tokens and the audit log (read-only), plus the scoped base class."""

from __future__ import annotations

from django.contrib import admin

from servicecenter.apps.accounts.access import Capability, Scope
from servicecenter.apps.accounts.audit import record
from servicecenter.apps.accounts.models import ApiToken, AuditEntry, Profile
from servicecenter.apps.accounts.scoping import ScopedQuerySet


class ScopedAdmin(admin.ModelAdmin):
    """Admin whose rows and rights follow the person's Scope, not Django's model permissions.

    ``scope_path`` names the provider id lookup of the model (``provider_id``,
    ``customer__provider_id``...). Changes are written to the audit log.
    """

    scope_path: str = "provider_id"
    audit_name: str = ""

    def scope(self, request) -> Scope:
        return Scope.for_user(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = self.scope(request)
        if scope.provider_ids is None and scope.is_administrator:
            return queryset
        if not scope.can(Capability.EDIT_REGISTRY):
            return queryset.none()
        return queryset.filter(**{f"{self.scope_path}__in": scope.provider_ids})

    def has_module_permission(self, request):
        return self.scope(request).can(Capability.EDIT_REGISTRY)

    def has_view_permission(self, request, obj=None):
        return self.scope(request).can(Capability.EDIT_REGISTRY)

    has_add_permission = has_change_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        return self.scope(request).is_administrator

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        objects = db_field.related_model._default_manager.all()
        if isinstance(objects, ScopedQuerySet):  # a chooser offers only what the person sees
            kwargs["queryset"] = objects.visible_to(self.scope(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        name = self.audit_name or obj._meta.model_name
        record(f"{obj._meta.app_label}.{name}.{'updated' if change else 'created'}", user=request.user, obj=obj,
               data={"fields": sorted(form.changed_data)})

    def delete_model(self, request, obj):
        name = self.audit_name or obj._meta.model_name
        record(f"{obj._meta.app_label}.{name}.deleted", user=request.user, obj=obj)
        super().delete_model(request, obj)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "provider", "customer")
    list_filter = ("role", "provider")
    search_fields = ("user__username", "user__email")

    def has_module_permission(self, request):
        return Scope.for_user(request.user).is_administrator

    has_view_permission = has_add_permission = has_change_permission = has_delete_permission = (
        lambda self, request, obj=None: Scope.for_user(request.user).is_administrator
    )


@admin.register(ApiToken)
class ApiTokenAdmin(ProfileAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked")
    list_filter = ("revoked",)
    search_fields = ("name", "user__username")
    readonly_fields = ("prefix", "created_at", "last_used_at")
    fields = ("user", "name", "revoked", "prefix", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False  # tokens are issued with `servicecenter token` so the key is shown once


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "action", "object_repr")
    list_filter = ("action",)
    search_fields = ("username", "action", "object_repr")

    def has_module_permission(self, request):
        return Scope.for_user(request.user).is_administrator

    def has_view_permission(self, request, obj=None):
        return Scope.for_user(request.user).is_administrator

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
