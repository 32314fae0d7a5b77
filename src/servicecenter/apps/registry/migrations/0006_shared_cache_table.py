"""The table of the shared database cache (settings ``CACHES``): created with the schema, so that
``migrate`` is all a new database needs, whatever the number of web processes."""

from django.db import migrations

from servicecenter.apps.registry.migrations._cache import create_cache_table


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0005_provider_four_eyes"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
