from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "servicecenter.apps.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self):
        from servicecenter.apps.registry import importers  # noqa: F401  (registers the importers)
