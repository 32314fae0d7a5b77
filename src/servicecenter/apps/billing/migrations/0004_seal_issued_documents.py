"""Seal every document issued before seals existed (in number order, chained per series), and
make the seals as immutable as the documents: the same triggers as migration 0002."""

from django.db import migrations

MESSAGE = "issued invoices are immutable: issue a credit note instead"
TABLE = "billing_invoiceseal"


def seal_existing(apps, schema_editor):
    from servicecenter.apps.billing.integrity import _chain, content_digest

    Invoice = apps.get_model("billing", "Invoice")
    InvoiceLine = apps.get_model("billing", "InvoiceLine")
    InvoiceSeal = apps.get_model("billing", "InvoiceSeal")
    previous: dict[tuple[int, str], str] = {}
    for invoice in Invoice.objects.order_by("provider_id", "series", "number").iterator():
        lines = list(InvoiceLine.objects.filter(invoice_id=invoice.pk))
        content = content_digest(invoice, lines)
        key = (invoice.provider_id, invoice.series)
        chain = _chain(previous.get(key, ""), invoice, content)
        InvoiceSeal.objects.create(invoice_id=invoice.pk, content_sha256=content, chain_sha256=chain)
        previous[key] = chain


def triggers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TRIGGER {TABLE}_immutable BEFORE UPDATE OR DELETE ON {TABLE} FOR EACH ROW EXECUTE FUNCTION billing_refuse_change()")
            cursor.execute(f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} FOR EACH STATEMENT EXECUTE FUNCTION billing_refuse_change()")
        elif connection.vendor == "sqlite":
            for operation in ("UPDATE", "DELETE"):
                cursor.execute(f"CREATE TRIGGER {TABLE}_no_{operation.lower()} BEFORE {operation} ON {TABLE} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")
        else:
            raise RuntimeError(f"no immutability triggers for database {connection.vendor}; add them before using it")


def drop_triggers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_immutable ON {TABLE}")
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}")
        else:
            for operation in ("update", "delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_{operation}")


class Migration(migrations.Migration):
    dependencies = [("billing", "0003_invoice_seal")]
    operations = [
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.RunPython(triggers, drop_triggers),
    ]
