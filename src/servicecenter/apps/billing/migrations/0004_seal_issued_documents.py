"""Seal every document issued before seals existed (in number order, chained per series), and
make the seals as immutable as the documents: the same triggers as migration 0002."""

from django.db import migrations

from servicecenter.apps.billing.migrations._immutable import create_triggers, drop_triggers

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
    create_triggers(schema_editor.connection, (TABLE,))


def drop(apps, schema_editor):
    drop_triggers(schema_editor.connection, (TABLE,))


class Migration(migrations.Migration):
    dependencies = [("billing", "0003_invoice_seal")]
    operations = [
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.RunPython(triggers, drop),
    ]
