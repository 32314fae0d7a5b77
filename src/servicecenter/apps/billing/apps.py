from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "servicecenter.apps.billing"
    label = "billing"
    verbose_name = _("Billing")

    def ready(self):
        from servicecenter.apps.billing import importers  # noqa: F401  (registers the events importer)
