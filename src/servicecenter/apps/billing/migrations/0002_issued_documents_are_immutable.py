"""Issued invoices, credit notes and their lines can be inserted, never updated or deleted:
the database itself refuses, whatever the code path (ORM, raw SQL, a console)."""

from django.db import migrations

from servicecenter.apps.billing.migrations._immutable import create_function, create_triggers, drop_triggers

TABLES = ("billing_invoice", "billing_invoiceline")


def forwards(apps, schema_editor):
    create_function(schema_editor.connection)
    create_triggers(schema_editor.connection, TABLES)


def backwards(apps, schema_editor):
    drop_triggers(schema_editor.connection, TABLES)


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
