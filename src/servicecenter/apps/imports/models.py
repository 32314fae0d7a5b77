"""A record of each import: who, what file, what happened, every problem found."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicecenter.apps.accounts.capabilities import Capability
from servicecenter.apps.accounts.scoping import ScopedQuerySet


class ImportRunQuerySet(ScopedQuerySet):
    """Which ImportRun rows a scope sees (``ImportRun.objects.visible_to(scope)``)."""

    def visible_to(self, scope, kinds=None):
        """Runs of the person's providers; with ``kinds``, only runs of those kinds (the kinds
        the person may import, so whoever may import a kind sees its runs)."""
        if kinds is not None:
            return super().visible_to(scope).filter(kind__in=list(kinds)) if kinds else self.none()
        if not any(scope.can(c) for c in (Capability.IMPORT_REGISTRY, Capability.IMPORT_VOLUMES, Capability.PLAN_NETWORK)):
            return self.none()
        return super().visible_to(scope)


class ImportRun(models.Model):
    objects = ImportRunQuerySet.as_manager()

    class Status(models.TextChoices):
        APPLIED = "applied", _("applied")
        REJECTED = "rejected", _("rejected, nothing written")
        CHECKED = "checked", _("checked only (dry run)")

    kind = models.CharField(_("kind"), max_length=30)
    filename = models.CharField(_("file"), max_length=255)
    provider = models.ForeignKey("registry.Provider", null=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("time"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    counts = models.JSONField(_("counts"), default=dict)
    problems = models.JSONField(_("problems"), default=list)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:   # what the audit log names: the kind of file in words, never its code
        from servicecenter import clock
        from servicecenter.apps.imports.base import kind_label

        return f"{clock.local(self.at):%Y-%m-%d %H:%M} {kind_label(self.kind)} {self.filename} ({self.get_status_display()})"
