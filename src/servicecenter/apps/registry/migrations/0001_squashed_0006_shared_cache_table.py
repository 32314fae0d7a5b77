"""Migrations 0001–0006 of registry in one, for a new database: the schema as they leave it,
generated from the models by ``makemigrations`` and checked against the chain it replaces
(tests/apps/test_migrations.py). A database that has applied some of them goes on with the
originals; their data migrations have nothing to do on a new database."""

import django.db.models.deletion
from django.db import migrations, models

from servicecenter.apps.registry.migrations._cache import create_cache_table


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('registry', '0001_initial'),
        ('registry', '0002_agreement_discount_eligible_customer_city_and_more'),
        ('registry', '0003_customer_number'),
        ('registry', '0004_invoice_details'),
        ('registry', '0005_provider_four_eyes'),
        ('registry', '0006_shared_cache_table'),
    ]

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Provider',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, unique=True, verbose_name='code')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('org_number', models.CharField(max_length=11, verbose_name='organisation number')),
                ('kind', models.CharField(choices=[('state_service_centre', 'State shared-service centre'), ('municipal_service', 'Municipal service administration'), ('it_supplier', 'IT-operations supplier')], max_length=30, verbose_name='kind')),
                ('is_demo', models.BooleanField(default=False, verbose_name='illustrative demo data')),
                ('street', models.CharField(blank=True, max_length=200, verbose_name='street address')),
                ('postal_code', models.CharField(blank=True, max_length=10, verbose_name='postal code')),
                ('city', models.CharField(blank=True, max_length=100, verbose_name='city')),
                ('vat_number', models.CharField(blank=True, max_length=20, verbose_name='VAT registration number')),
                ('bankgiro', models.CharField(blank=True, max_length=12, verbose_name='bankgiro')),
                ('plusgiro', models.CharField(blank=True, max_length=12, verbose_name='plusgiro')),
                ('ocr_length_digit', models.BooleanField(default=False, verbose_name='OCR reference with a length digit')),
                ('f_skatt', models.BooleanField(default=False, verbose_name='approved for F-tax (F-skatt)')),
                ('contact_name', models.CharField(blank=True, max_length=200, verbose_name='contact person for invoices')),
                ('contact_phone', models.CharField(blank=True, max_length=40, verbose_name='contact telephone')),
                ('invoice_email', models.EmailField(blank=True, max_length=254, verbose_name='invoicing e-mail')),
                ('payment_days', models.PositiveSmallIntegerField(default=30, verbose_name='days to pay')),
                ('four_eyes', models.BooleanField(default=True, help_text='The person who approves a billing run is not the one who prepared its preview.', verbose_name='four eyes on billing runs')),
                ('coordinator', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='coordinated', to='registry.provider', verbose_name='coordinated by')),
            ],
            options={
                'verbose_name': 'provider',
                'verbose_name_plural': 'providers',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Customer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(help_text='Unique within the organisation; the organisation number when left empty.', max_length=20, verbose_name='customer number')),
                ('org_number', models.CharField(help_text="The legal person's; customers may share one.", max_length=11, verbose_name='organisation number')),
                ('legal_name', models.CharField(blank=True, help_text="The legal person's name on invoices, e.g. the city; empty when it is the customer's own.", max_length=200, verbose_name='legal person')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('buyer_reference', models.CharField(blank=True, help_text='On every invoice to this customer, unless an agreement names its own.', max_length=100, verbose_name='buyer reference')),
                ('contact_name', models.CharField(blank=True, max_length=200, verbose_name='contact person')),
                ('contact_email', models.EmailField(blank=True, max_length=254, verbose_name='contact e-mail')),
                ('sector', models.CharField(choices=[('state', 'state'), ('municipal', 'municipal'), ('region', 'region'), ('company', 'company'), ('other', 'other')], default='state', max_length=20, verbose_name='sector')),
                ('preparedness_from', models.DateField(blank=True, null=True, verbose_name='preparedness agency from')),
                ('preparedness_until', models.DateField(blank=True, null=True, verbose_name='preparedness agency until (exclusive)')),
                ('peppol_id', models.CharField(blank=True, max_length=60, verbose_name='Peppol endpoint')),
                ('street', models.CharField(blank=True, max_length=200, verbose_name='street address')),
                ('postal_code', models.CharField(blank=True, max_length=10, verbose_name='postal code')),
                ('city', models.CharField(blank=True, max_length=100, verbose_name='city')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('host', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='hosted', to='registry.customer', verbose_name='host agency')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='customers', to='registry.provider', verbose_name='provider')),
            ],
            options={
                'verbose_name': 'customer',
                'verbose_name_plural': 'customers',
                'ordering': ['name'],
                'constraints': [models.CheckConstraint(condition=models.Q(('preparedness_until__isnull', True), models.Q(('preparedness_from__isnull', False), ('preparedness_until__gt', models.F('preparedness_from'))), _connector='OR'), name='customer_preparedness_dates_ordered'), models.UniqueConstraint(fields=('provider', 'number'), name='customer_unique_number')],
                'indexes': [models.Index(fields=['provider', 'org_number'], name='registry_cu_provide_bce7e0_idx'), models.Index(fields=['provider', 'name'], name='registry_cu_provide_4edc56_idx')],
            },
        ),
        migrations.CreateModel(
            name='ReferenceFigure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(choices=[('state_employees', 'Employees in the state administration'), ('state_agencies', 'State agencies (≥1 FTE, no host agency)'), ('preparedness_agencies', 'Preparedness agencies')], max_length=40, verbose_name='figure')),
                ('year', models.PositiveIntegerField(verbose_name='year')),
                ('value', models.PositiveIntegerField(verbose_name='value')),
                ('source', models.CharField(blank=True, max_length=300, verbose_name='source')),
            ],
            options={
                'verbose_name': 'reference figure',
                'verbose_name_plural': 'reference figures',
                'constraints': [models.UniqueConstraint(fields=('key', 'year'), name='reference_figure_unique_year')],
            },
        ),
        migrations.CreateModel(
            name='Service',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=60, verbose_name='code')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='services', to='registry.provider', verbose_name='provider')),
            ],
            options={
                'verbose_name': 'service',
                'verbose_name_plural': 'services',
                'ordering': ['provider', 'code'],
                'constraints': [models.UniqueConstraint(fields=('provider', 'code'), name='service_unique_code')],
            },
        ),
        migrations.CreateModel(
            name='Agreement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', models.CharField(choices=[('interest', 'interest'), ('letter_of_intent', 'letter of intent'), ('onboarding', 'onboarding'), ('production', 'in production'), ('ended', 'ended')], max_length=20, verbose_name='state')),
                ('interest_date', models.DateField(blank=True, null=True, verbose_name='interest')),
                ('intent_date', models.DateField(blank=True, null=True, verbose_name='letter of intent')),
                ('onboarding_date', models.DateField(blank=True, null=True, verbose_name='onboarding')),
                ('production_date', models.DateField(blank=True, null=True, verbose_name='in production')),
                ('ended_date', models.DateField(blank=True, null=True, verbose_name='ended')),
                ('buyer_reference', models.CharField(blank=True, max_length=100, verbose_name='buyer reference')),
                ('discount_eligible', models.BooleanField(default=False, verbose_name="entitled to the service's discount")),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='agreements', to='registry.customer', verbose_name='customer')),
                ('service', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='agreements', to='registry.service', verbose_name='service')),
            ],
            options={
                'verbose_name': 'agreement',
                'verbose_name_plural': 'agreements',
                'ordering': ['customer', 'service'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('state', 'ended'), _negated=True), fields=('customer', 'service'), name='agreement_one_active_per_service')],
                'indexes': [models.Index(fields=['service', 'state'], name='registry_ag_service_7254c9_idx'), models.Index(fields=['state'], name='registry_ag_state_40a841_idx')],
            },
        ),
        migrations.CreateModel(
            name='ServiceArea',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name_sv', models.CharField(max_length=200, verbose_name='name (Swedish)')),
                ('name_en', models.CharField(blank=True, max_length=200, verbose_name='name (English)')),
                ('code', models.SlugField(max_length=40, verbose_name='code')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='areas', to='registry.provider', verbose_name='provider')),
            ],
            options={
                'verbose_name': 'service area',
                'verbose_name_plural': 'service areas',
                'ordering': ['provider', 'code'],
                'constraints': [models.UniqueConstraint(fields=('provider', 'code'), name='area_unique_code')],
            },
        ),
        migrations.CreateModel(
            name='Process',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name_sv', models.CharField(max_length=200, verbose_name='name (Swedish)')),
                ('name_en', models.CharField(blank=True, max_length=200, verbose_name='name (English)')),
                ('code', models.SlugField(max_length=40, verbose_name='code')),
                ('area', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='processes', to='registry.servicearea', verbose_name='service area')),
            ],
            options={
                'verbose_name': 'process',
                'verbose_name_plural': 'processes',
                'ordering': ['area', 'code'],
                'constraints': [models.UniqueConstraint(fields=('area', 'code'), name='process_unique_code')],
            },
        ),
        migrations.CreateModel(
            name='ServiceVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name_sv', models.CharField(max_length=200, verbose_name='name (Swedish)')),
                ('name_en', models.CharField(blank=True, max_length=200, verbose_name='name (English)')),
                ('year', models.PositiveIntegerField(verbose_name='catalogue year')),
                ('tier', models.CharField(choices=[('base', 'base service'), ('add_on', 'add-on service'), ('special', 'special service')], max_length=10, verbose_name='tier')),
                ('unit', models.CharField(choices=[('payslip', 'payslip'), ('employee_month', 'employee and month'), ('supplier_invoice_coded', 'supplier invoice, with coding'), ('supplier_invoice_uncoded', 'supplier invoice, without coding'), ('customer_invoice', 'customer invoice'), ('fixed_asset', 'fixed asset'), ('decision', 'decision'), ('case', 'case'), ('hour', 'hour'), ('participant', 'participant'), ('user', 'user'), ('terabyte', 'terabyte'), ('computer', 'computer'), ('order', 'order'), ('recruitment', 'recruitment'), ('call', 'call'), ('month', 'month'), ('subscription', 'subscription')], max_length=40, verbose_name='unit')),
                ('obligatory', models.BooleanField(default=False, verbose_name='obligatory')),
                ('agreed_opening_hours', models.BooleanField(default=False, verbose_name='has agreed opening hours')),
                ('opening_hours', models.CharField(blank=True, max_length=200, verbose_name='opening hours')),
                ('description_sv', models.TextField(blank=True, verbose_name='service description (Swedish)')),
                ('description_en', models.TextField(blank=True, verbose_name='service description (English)')),
                ('process', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='service_versions', to='registry.process', verbose_name='process')),
                ('service', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='registry.service', verbose_name='service')),
            ],
            options={
                'verbose_name': 'service version',
                'verbose_name_plural': 'service versions',
                'ordering': ['service', '-year'],
                'constraints': [models.UniqueConstraint(fields=('service', 'year'), name='service_version_unique_year')],
            },
        ),
        migrations.CreateModel(
            name='ServiceLevel',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('metric_sv', models.CharField(max_length=200, verbose_name='metric (Swedish)')),
                ('metric_en', models.CharField(blank=True, max_length=200, verbose_name='metric (English)')),
                ('comparison', models.CharField(choices=[('>=', '≥'), ('<=', '≤')], default='>=', max_length=2, verbose_name='comparison')),
                ('threshold', models.DecimalField(decimal_places=3, max_digits=12, verbose_name='threshold')),
                ('unit', models.CharField(max_length=30, verbose_name='unit')),
                ('period', models.CharField(choices=[('month', 'month'), ('quarter', 'quarter'), ('year', 'year')], default='month', max_length=10, verbose_name='period')),
                ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='service_levels', to='registry.serviceversion', verbose_name='service version')),
            ],
            options={
                'verbose_name': 'service level',
                'verbose_name_plural': 'service levels',
            },
        ),
        migrations.CreateModel(
            name='CustomerYear',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(verbose_name='year')),
                ('employees', models.PositiveIntegerField(verbose_name='employees')),
                ('turnover', models.DecimalField(blank=True, decimal_places=2, max_digits=18, null=True, verbose_name='turnover (SEK)')),
                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='years', to='registry.customer', verbose_name='customer')),
            ],
            options={
                'verbose_name': 'customer year',
                'verbose_name_plural': 'customer years',
                'ordering': ['customer', '-year'],
                'constraints': [models.UniqueConstraint(fields=('customer', 'year'), name='customer_year_unique')],
            },
        ),
        migrations.CreateModel(
            name='PartnerAgency',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('org_number', models.CharField(max_length=11, verbose_name='organisation number')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='partner_agencies', to='registry.provider', verbose_name='provider')),
            ],
            options={
                'verbose_name': 'partner agency',
                'verbose_name_plural': 'partner agencies',
                'ordering': ['name'],
                'constraints': [models.UniqueConstraint(fields=('provider', 'org_number'), name='partner_unique_orgnr')],
            },
        ),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
