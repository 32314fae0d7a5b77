from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "servicecenter.apps.metering"
    label = "metering"
    verbose_name = _("Metering")

    def ready(self):
        from servicecenter.apps.metering import importers  # noqa: F401  (registers the importers)
