"""Migrations 0001–0008 of billing in one, for a new database: the schema as they leave it,
generated from the models by ``makemigrations`` and checked against the chain it replaces
(tests/apps/test_migrations.py). A database that has applied some of them goes on with the
originals; their data migrations have nothing to do on a new database."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from servicecenter.apps.billing.migrations._immutable import create_function, create_triggers, drop_triggers

IMMUTABLE = ("billing_invoice", "billing_invoiceline", "billing_invoiceseal")


def triggers(apps, schema_editor):
    create_function(schema_editor.connection)
    create_triggers(schema_editor.connection, IMMUTABLE)


def drop(apps, schema_editor):
    drop_triggers(schema_editor.connection, IMMUTABLE)


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('billing', '0001_initial'),
        ('billing', '0002_issued_documents_are_immutable'),
        ('billing', '0003_invoice_seal'),
        ('billing', '0004_seal_issued_documents'),
        ('billing', '0005_run_validated_documents'),
        ('billing', '0006_event_batches_and_totals'),
        ('billing', '0007_run_built_documents'),
        ('billing', '0008_run_controls'),
    ]

    dependencies = [
        ('costing', '0001_squashed_0006_ledger_cell_provider_index_in_the_composite'),
        ('imports', '0001_initial'),
        ('registry', '0001_squashed_0006_shared_cache_table'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='BillingRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period', models.DateField(verbose_name='month')),
                ('state', models.CharField(choices=[('preview', 'preview'), ('approved', 'approved'), ('issued', 'issued'), ('discarded', 'discarded')], default='preview', max_length=10, verbose_name='state')),
                ('issue_date', models.DateField(verbose_name='issue date')),
                ('due_date', models.DateField(verbose_name='due date')),
                ('preview', models.JSONField(default=list, verbose_name='preview')),
                ('preview_hash', models.CharField(max_length=64)),
                ('approved_hash', models.CharField(blank=True, max_length=64)),
                ('findings', models.JSONField(blank=True, default=list, verbose_name='validation findings')),
                ('validated', models.JSONField(blank=True, default=dict, verbose_name='validated documents')),
                ('built', models.BinaryField(blank=True, default=bytes, verbose_name='built documents')),
                ('usage', models.JSONField(blank=True, default=dict, verbose_name='usage summary')),
                ('flags', models.JSONField(blank=True, default=list, verbose_name='plausibility flags')),
                ('flags_acknowledged_at', models.DateTimeField(blank=True, null=True, verbose_name='flags acknowledged')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='started')),
                ('approved_at', models.DateTimeField(blank=True, null=True, verbose_name='approved')),
                ('issued_at', models.DateTimeField(blank=True, null=True, verbose_name='issued')),
                ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('flags_acknowledged_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('issued_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('prepared_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='prepared by')),
                ('price_list', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='costing.pricelist', verbose_name='price list')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.provider', verbose_name='provider')),
            ],
            options={
                'verbose_name': 'billing run',
                'verbose_name_plural': 'billing runs',
                'ordering': ['-period', '-id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('state', 'discarded'), _negated=True), fields=('provider', 'period'), name='billing_run_one_per_month')],
            },
        ),
        migrations.CreateModel(
            name='EventBatch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('folder', models.CharField(max_length=200, unique=True)),
                ('events', models.PositiveBigIntegerField(verbose_name='events')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('import_run', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='imports.importrun')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.provider')),
            ],
            options={
                'verbose_name': 'event batch',
                'verbose_name_plural': 'event batches',
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='Invoice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('document_type', models.CharField(choices=[('380', 'invoice'), ('381', 'credit note')], max_length=3, verbose_name='type')),
                ('series', models.CharField(max_length=10, verbose_name='series')),
                ('number', models.PositiveIntegerField(verbose_name='number in series')),
                ('number_text', models.CharField(max_length=30, verbose_name='number')),
                ('issue_date', models.DateField(verbose_name='issue date')),
                ('due_date', models.DateField(blank=True, null=True, verbose_name='due date')),
                ('period_start', models.DateField(verbose_name='period from')),
                ('period_end', models.DateField(verbose_name='period to (inclusive)')),
                ('reason', models.CharField(blank=True, max_length=300, verbose_name='reason')),
                ('seller_name', models.CharField(max_length=200)),
                ('seller_org_number', models.CharField(max_length=11)),
                ('seller_street', models.CharField(blank=True, max_length=200)),
                ('seller_postal_code', models.CharField(blank=True, max_length=10)),
                ('seller_city', models.CharField(blank=True, max_length=100)),
                ('seller_vat_number', models.CharField(blank=True, max_length=20)),
                ('seller_bankgiro', models.CharField(blank=True, max_length=12)),
                ('seller_email', models.CharField(blank=True, max_length=254)),
                ('buyer_name', models.CharField(max_length=200, verbose_name='buyer')),
                ('buyer_org_number', models.CharField(max_length=11)),
                ('buyer_street', models.CharField(blank=True, max_length=200)),
                ('buyer_postal_code', models.CharField(blank=True, max_length=10)),
                ('buyer_city', models.CharField(blank=True, max_length=100)),
                ('buyer_endpoint', models.CharField(max_length=60, verbose_name='Peppol endpoint')),
                ('buyer_reference', models.CharField(max_length=100, verbose_name='buyer reference')),
                ('currency', models.CharField(default='SEK', max_length=3)),
                ('net_total', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='net')),
                ('tax_total', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='VAT')),
                ('payable', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='to pay')),
                ('xml', models.TextField()),
                ('xml_sha256', models.CharField(max_length=64)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('corrects', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='corrections', to='billing.invoice', verbose_name='corrects invoice')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='invoices', to='registry.customer', verbose_name='customer')),
                ('preceding', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='credit_notes', to='billing.invoice', verbose_name='credits invoice')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.provider', verbose_name='provider')),
                ('run', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='invoices', to='billing.billingrun', verbose_name='billing run')),
            ],
            options={
                'verbose_name': 'invoice',
                'verbose_name_plural': 'invoices',
                'ordering': ['-issue_date', '-number'],
                'constraints': [models.CheckConstraint(condition=models.Q(('document_type', '380'), ('preceding__isnull', False), _connector='OR'), name='credit_note_has_invoice'), models.UniqueConstraint(fields=('provider', 'series', 'number'), name='invoice_number_unique')],
                'indexes': [models.Index(fields=['provider', 'period_start'], name='billing_inv_provide_61e853_idx'), models.Index(fields=['customer', 'period_start'], name='billing_inv_custome_378ed4_idx')],
            },
        ),
        migrations.CreateModel(
            name='InvoiceLine',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('line_no', models.PositiveIntegerField(verbose_name='line')),
                ('description', models.CharField(max_length=300, verbose_name='description')),
                ('quantity', models.DecimalField(decimal_places=3, max_digits=18, verbose_name='quantity')),
                ('unit_code', models.CharField(max_length=3, verbose_name='unit')),
                ('unit_price', models.DecimalField(decimal_places=6, max_digits=18, verbose_name='price')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='amount')),
                ('category', models.CharField(max_length=14, verbose_name='charge category')),
                ('vat_category', models.CharField(max_length=1, verbose_name='VAT category')),
                ('vat_rate', models.DecimalField(decimal_places=2, max_digits=5, verbose_name='VAT rate (%)')),
                ('period_start', models.DateField()),
                ('period_end', models.DateField()),
                ('credited_line', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='credits', to='billing.invoiceline')),
                ('invoice', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='lines', to='billing.invoice')),
                ('service', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.service', verbose_name='service')),
            ],
            options={
                'verbose_name': 'invoice line',
                'verbose_name_plural': 'invoice lines',
                'ordering': ['invoice', 'line_no'],
                'constraints': [models.UniqueConstraint(fields=('invoice', 'line_no'), name='invoice_line_unique_no')],
            },
        ),
        migrations.CreateModel(
            name='InvoiceSeal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content_sha256', models.CharField(max_length=64)),
                ('chain_sha256', models.CharField(max_length=64)),
                ('invoice', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='seal', to='billing.invoice')),
            ],
            options={
                'verbose_name': 'invoice seal',
                'verbose_name_plural': 'invoice seals',
            },
        ),
        migrations.CreateModel(
            name='NumberSeries',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=10, verbose_name='series')),
                ('prefix', models.CharField(max_length=10, verbose_name='prefix')),
                ('next_number', models.PositiveIntegerField(default=1, verbose_name='next number')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.provider')),
            ],
            options={
                'verbose_name': 'number series',
                'verbose_name_plural': 'number series',
                'constraints': [models.UniqueConstraint(fields=('provider', 'code'), name='number_series_unique')],
            },
        ),
        migrations.CreateModel(
            name='UsageEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(max_length=60, verbose_name='source')),
                ('event_id', models.CharField(max_length=100, verbose_name='event id')),
                ('occurred_at', models.DateTimeField(verbose_name='time')),
                ('month', models.DateField(verbose_name='month')),
                ('quantity', models.DecimalField(decimal_places=3, max_digits=18, verbose_name='quantity')),
                ('package', models.CharField(blank=True, max_length=20, verbose_name='package')),
                ('cost', models.DecimalField(blank=True, decimal_places=2, max_digits=18, null=True, verbose_name='cost to re-invoice')),
                ('payload_hash', models.CharField(max_length=64)),
                ('late', models.BooleanField(default=False, verbose_name='arrived after the month was invoiced')),
                ('corrected_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='billing.invoice')),
                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.customer', verbose_name='customer')),
                ('import_run', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='imports.importrun')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.provider')),
                ('service', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.service', verbose_name='service')),
            ],
            options={
                'verbose_name': 'usage event',
                'verbose_name_plural': 'usage events',
                'ordering': ['-month', 'source', 'event_id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('quantity__gte', 0)), name='usage_event_quantity_non_negative'), models.UniqueConstraint(fields=('provider', 'source', 'event_id'), name='usage_event_unique_id')],
                'indexes': [models.Index(fields=['provider', 'month'], name='billing_usa_provide_b33328_idx')],
            },
        ),
        migrations.CreateModel(
            name='UsageTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='month')),
                ('package', models.CharField(blank=True, max_length=20, verbose_name='package')),
                ('late', models.BooleanField(default=False, verbose_name='arrived after the month was invoiced')),
                ('quantity', models.DecimalField(decimal_places=3, max_digits=18, verbose_name='quantity')),
                ('cost', models.DecimalField(blank=True, decimal_places=2, max_digits=18, null=True, verbose_name='cost to re-invoice')),
                ('events', models.PositiveBigIntegerField(verbose_name='events')),
                ('batch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='totals', to='billing.eventbatch')),
                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.customer', verbose_name='customer')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.provider')),
                ('service', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.service', verbose_name='service')),
            ],
            options={
                'verbose_name': 'usage total',
                'verbose_name_plural': 'usage totals',
                'indexes': [models.Index(fields=['customer', 'month'], name='billing_usa_custome_8ba893_idx'), models.Index(fields=['provider', 'month'], name='billing_usa_provide_8ec315_idx')],
            },
        ),
        migrations.RunPython(triggers, drop),
    ]
