from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "servicecenter.apps.network"
    label = "network"
    verbose_name = _("Office network")

    def ready(self):
        from servicecenter.apps.network import importers  # noqa: F401  (registers the importers)
