from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "servicecenter.apps.metering"
    label = "metering"
    verbose_name = _("Metering")
