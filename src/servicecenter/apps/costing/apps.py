from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "servicecenter.apps.costing"
    label = "costing"
    verbose_name = _("Costing and pricing")

    def ready(self):
        from servicecenter.apps.costing import importers  # noqa: F401  (registers the ledger importer)
