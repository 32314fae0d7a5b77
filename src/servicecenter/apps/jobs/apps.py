from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "servicecenter.apps.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        # every app declares its kinds of job in its own ``jobs`` module
        autodiscover_modules("jobs")
        from servicecenter.apps.jobs import replay
        from servicecenter.ui.deferral import set_deferrer

        set_deferrer(replay.defer_download)
