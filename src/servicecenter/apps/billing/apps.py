from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "servicecenter.apps.billing"
    label = "billing"
    verbose_name = _("Billing")

    def ready(self):
        from servicecenter.apps.billing import importers  # noqa: F401  (registers the events importer)
        from servicecenter.apps.billing.services import (
            actual_quantities,
            invoiced_months,
            year_lines,
        )
        from servicecenter.apps.costing.revenue import register_actuals, register_year_rater
        from servicecenter.apps.metering.closing import register_closed_months

        register_closed_months(invoiced_months)
        register_year_rater(year_lines)
        register_actuals(actual_quantities)
        connection_created.connect(_sqlite_recursive_triggers, dispatch_uid="billing-recursive-triggers")


def _sqlite_recursive_triggers(sender, connection, **kwargs):
    """Every SQLite connection fires delete triggers for REPLACE (off by default), whatever the
    settings say, so no INSERT OR REPLACE can change an issued invoice."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA recursive_triggers = ON")
