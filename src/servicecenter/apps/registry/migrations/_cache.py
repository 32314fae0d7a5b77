"""The table of the shared database cache (settings ``CACHES``), created with the schema so that
``migrate`` is all a new database needs. Shared by migration 0006 and the squashed 0001 that
replaces 0001–0006 on a new database; the loader skips this module (its name begins with ``_``)."""

from django.conf import settings
from django.core.management import call_command


def create_cache_table(apps, schema_editor):
    if any(cache["BACKEND"].endswith("DatabaseCache") for cache in settings.CACHES.values()):
        call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)
