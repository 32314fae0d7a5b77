from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "servicecenter.apps.followup"
    label = "followup"
    verbose_name = _("Follow-up")

    def ready(self):
        from servicecenter.apps.followup import importers  # noqa: F401  (registers the importers)
