"""Migrations 0001–0006 of costing in one, for a new database: the schema as they leave it,
generated from the models by ``makemigrations`` and checked against the chain it replaces
(tests/apps/test_migrations.py). A database that has applied some of them goes on with the
originals; their data migrations have nothing to do on a new database."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('costing', '0001_initial'),
        ('costing', '0002_pricelistentry_base_fixed_and_more'),
        ('costing', '0003_ledgercell_activity'),
        ('costing', '0004_price_types_from_the_components'),
        ('costing', '0005_keys_from_the_register'),
        ('costing', '0006_ledger_cell_provider_index_in_the_composite'),
    ]

    dependencies = [
        ('registry', '0001_squashed_0006_shared_cache_table'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AllocationKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, verbose_name='code')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('basis', models.CharField(choices=[('employees', 'employees'), ('area', 'area'), ('staff', 'staff (FTE) of each pool'), ('hours', 'hours from time reports'), ('turnover', 'turnover'), ('fixed', 'fixed shares'), ('cases', 'cases'), ('volumes', 'volumes of a service'), ('driver', 'imported driver')], max_length=12, verbose_name='basis')),
                ('computed', models.BooleanField(default=False, verbose_name='weights from the register')),
                ('receivers', models.CharField(choices=[('pools', 'cost pools'), ('services', 'services'), ('customers', 'customers')], default='pools', max_length=10, verbose_name='receivers')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.provider')),
                ('service', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.service', verbose_name='service (volume keys)')),
            ],
            options={
                'verbose_name': 'allocation key',
                'verbose_name_plural': 'allocation keys',
                'constraints': [models.UniqueConstraint(fields=('provider', 'code'), name='key_unique_code')],
            },
        ),
        migrations.CreateModel(
            name='CostModel',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(verbose_name='year')),
                ('kind', models.CharField(choices=[('plan', 'plan (budget)'), ('actual', 'actual'), ('what_if', 'what-if')], max_length=10, verbose_name='version')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('ledger_kind', models.CharField(choices=[('actual', 'actual'), ('plan', 'plan (budget)')], default='actual', max_length=10, verbose_name='ledger')),
                ('based_on', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='costing.costmodel', verbose_name='based on')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cost_models', to='registry.provider')),
            ],
            options={
                'verbose_name': 'cost model',
                'verbose_name_plural': 'cost models',
                'ordering': ['provider', '-year', 'kind', 'name'],
            },
        ),
        migrations.CreateModel(
            name='AllocationRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='time')),
                ('total', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='total cost')),
                ('inputs', models.JSONField(verbose_name='inputs')),
                ('balances', models.JSONField(verbose_name='balances')),
                ('reports', models.JSONField(verbose_name='balancing report')),
                ('pool_sources', models.JSONField(default=dict, verbose_name='ledger behind each pool')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('model', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='runs', to='costing.costmodel')),
            ],
            options={
                'verbose_name': 'allocation run',
                'verbose_name_plural': 'allocation runs',
                'ordering': ['-at'],
            },
        ),
        migrations.CreateModel(
            name='CostPool',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, verbose_name='code')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('kind', models.CharField(choices=[('support', 'support'), ('production', 'production process'), ('activity', 'other activity (not charged to customers)')], max_length=12, verbose_name='kind')),
                ('area', models.DecimalField(blank=True, decimal_places=1, max_digits=12, null=True, verbose_name='area of premises (m²)')),
                ('staff', models.DecimalField(blank=True, decimal_places=1, max_digits=9, null=True, verbose_name='staff (FTE)')),
                ('process', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.process', verbose_name='process')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cost_pools', to='registry.provider')),
            ],
            options={
                'verbose_name': 'cost pool',
                'verbose_name_plural': 'cost pools',
                'ordering': ['provider', 'kind', 'code'],
                'constraints': [models.UniqueConstraint(fields=('provider', 'code'), name='pool_unique_code')],
            },
        ),
        migrations.CreateModel(
            name='KeyValue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('receiver', models.CharField(max_length=120, verbose_name='receiver')),
                ('weight', models.DecimalField(decimal_places=6, max_digits=20, verbose_name='weight')),
                ('key', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='values', to='costing.allocationkey')),
            ],
            options={
                'verbose_name': 'key value',
                'verbose_name_plural': 'key values',
                'constraints': [models.CheckConstraint(condition=models.Q(('weight__gte', 0)), name='key_value_non_negative'), models.UniqueConstraint(fields=('key', 'receiver'), name='key_value_unique')],
            },
        ),
        migrations.CreateModel(
            name='LedgerImport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(verbose_name='year')),
                ('kind', models.CharField(choices=[('actual', 'actual'), ('plan', 'plan (budget)')], max_length=10, verbose_name='kind')),
                ('filename', models.CharField(max_length=255, verbose_name='file')),
                ('company', models.CharField(blank=True, max_length=200, verbose_name='company in the file')),
                ('transactions', models.PositiveIntegerField(default=0, verbose_name='transactions')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='time')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.provider')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'ledger import',
                'verbose_name_plural': 'ledger imports',
                'ordering': ['-at'],
            },
        ),
        migrations.CreateModel(
            name='LedgerCell',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(verbose_name='year')),
                ('kind', models.CharField(choices=[('actual', 'actual'), ('plan', 'plan (budget)')], max_length=10, verbose_name='kind')),
                ('account', models.CharField(max_length=10, verbose_name='account')),
                ('account_name', models.CharField(blank=True, max_length=200, verbose_name='account name')),
                ('cost_centre', models.CharField(blank=True, max_length=40, verbose_name='cost centre')),
                ('cost_centre_name', models.CharField(blank=True, max_length=200, verbose_name='cost centre name')),
                ('activity', models.CharField(blank=True, max_length=40, verbose_name='activity')),
                ('month', models.DateField(verbose_name='month')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='amount')),
                ('transactions', models.PositiveIntegerField(default=0, verbose_name='transactions')),
                ('provider', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.provider')),
                ('source', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='cells', to='costing.ledgerimport')),
            ],
            options={
                'verbose_name': 'ledger cell',
                'verbose_name_plural': 'ledger cells',
                'indexes': [models.Index(fields=['provider', 'year', 'kind'], name='costing_led_provide_301ac3_idx')],
            },
        ),
        migrations.CreateModel(
            name='ModelStep',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField(verbose_name='position')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('method', models.CharField(choices=[('direct', 'direct'), ('step_down', 'step-down'), ('reciprocal', 'reciprocal')], max_length=12, verbose_name='method')),
                ('order', models.CharField(blank=True, max_length=500, verbose_name='step-down order (pool codes, comma-separated; blank: derived)')),
                ('model', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='steps', to='costing.costmodel')),
            ],
            options={
                'verbose_name': 'model step',
                'verbose_name_plural': 'model steps',
                'ordering': ['model', 'position'],
                'constraints': [models.UniqueConstraint(fields=('model', 'position'), name='step_unique_position')],
            },
        ),
        migrations.CreateModel(
            name='PoolRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('account_from', models.CharField(max_length=10, verbose_name='account from')),
                ('account_to', models.CharField(max_length=10, verbose_name='account to')),
                ('cost_centre', models.CharField(blank=True, max_length=40, verbose_name='cost centre (blank: any)')),
                ('pool', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rules', to='costing.costpool', verbose_name='cost pool')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.provider')),
            ],
            options={
                'verbose_name': 'pool rule',
                'verbose_name_plural': 'pool rules',
                'ordering': ['provider', 'cost_centre', 'account_from'],
            },
        ),
        migrations.CreateModel(
            name='PriceList',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(verbose_name='year')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('status', models.CharField(choices=[('draft', 'draft'), ('published', 'published')], default='draft', max_length=10, verbose_name='status')),
                ('cap', models.DecimalField(blank=True, decimal_places=4, max_digits=6, null=True, verbose_name='largest yearly rise')),
                ('rounding', models.DecimalField(decimal_places=2, default='0.01', max_digits=8, verbose_name='rounded to')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='price_lists', to='registry.provider')),
                ('run', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='costing.allocationrun', verbose_name='derived from run')),
            ],
            options={
                'verbose_name': 'price list',
                'verbose_name_plural': 'price lists',
                'ordering': ['provider', '-year', 'name'],
            },
        ),
        migrations.CreateModel(
            name='PriceListEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('unit_price', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='price')),
                ('fixed_pool', models.DecimalField(blank=True, decimal_places=2, max_digits=18, null=True, verbose_name='fixed pool')),
                ('planned_cost', models.DecimalField(blank=True, decimal_places=2, max_digits=18, null=True, verbose_name='planned self-cost')),
                ('planned_volume', models.DecimalField(blank=True, decimal_places=3, max_digits=18, null=True, verbose_name='planned volume')),
                ('cost_price', models.DecimalField(blank=True, decimal_places=6, max_digits=20, null=True, verbose_name='self-cost per unit')),
                ('previous_price', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='previous price')),
                ('capped', models.BooleanField(default=False, verbose_name='capped')),
                ('tiers', models.JSONField(blank=True, default=list, help_text='[[from quantity, price], ...] ascending from 0', verbose_name='volume tiers')),
                ('graduated', models.BooleanField(default=True, verbose_name='graduated tiers')),
                ('base_fixed', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='base fee per customer and year')),
                ('per_employee', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='fee per employee and year')),
                ('packages', models.JSONField(blank=True, default=dict, help_text='{package code: price}', verbose_name='package prices')),
                ('connection_fee', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='connection fee')),
                ('connection_months', models.PositiveSmallIntegerField(default=60, verbose_name='connection fee instalments (months)')),
                ('markup', models.DecimalField(blank=True, decimal_places=4, max_digits=6, null=True, verbose_name='mark-up on re-invoiced cost')),
                ('discount_share', models.DecimalField(blank=True, decimal_places=4, max_digits=6, null=True, verbose_name='discount share')),
                ('vat_category', models.CharField(choices=[('S', 'standard rate'), ('O', 'outside the scope of VAT'), ('E', 'exempt'), ('Z', 'zero rate')], default='S', max_length=1, verbose_name='VAT category')),
                ('vat_rate', models.DecimalField(decimal_places=2, default=25, max_digits=5, verbose_name='VAT rate (%)')),
                ('key', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='costing.allocationkey', verbose_name='key of the fixed pool (blank: employees)')),
                ('payer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.customer', verbose_name='payer of a fixed reimbursement')),
                ('price_list', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entries', to='costing.pricelist')),
                ('service', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.service', verbose_name='service')),
            ],
            options={
                'verbose_name': 'price list entry',
                'verbose_name_plural': 'price list entries',
                'ordering': ['price_list', 'service__code'],
                'constraints': [models.UniqueConstraint(fields=('price_list', 'service'), name='price_entry_unique')],
            },
        ),
        migrations.CreateModel(
            name='StepSource',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(max_length=120, verbose_name='source')),
                ('key', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='costing.allocationkey', verbose_name='key')),
                ('step', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sources', to='costing.modelstep')),
            ],
            options={
                'verbose_name': 'step source',
                'verbose_name_plural': 'step sources',
                'constraints': [models.UniqueConstraint(fields=('step', 'source'), name='step_source_unique')],
            },
        ),
    ]
