"""Migrations 0001–0002 of followup in one, for a new database: the schema as they leave it,
generated from the models by ``makemigrations`` and checked against the chain it replaces
(tests/apps/test_migrations.py). A database that has applied some of them goes on with the
originals; their data migrations have nothing to do on a new database."""

import django.db.models.deletion
import django.utils.timezone
import servicecenter.core.indicators.definitions
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('followup', '0001_initial'),
        ('followup', '0002_element_sources'),
    ]

    dependencies = [
        ('registry', '0001_squashed_0006_shared_cache_table'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AgencyRegister',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('state_agencies', 'State agencies (Statskontoret)'), ('preparedness', 'Preparedness agencies (SFS 2022:524, annex 1)')], max_length=20, verbose_name='kind')),
                ('valid_on', models.DateField(verbose_name='valid on')),
                ('source', models.CharField(blank=True, max_length=300, verbose_name='source')),
                ('imported_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='imported')),
            ],
            options={
                'verbose_name': 'agency register',
                'verbose_name_plural': 'agency registers',
                'ordering': ['kind', '-valid_on'],
                'constraints': [models.UniqueConstraint(fields=('kind', 'valid_on'), name='register_unique_date')],
            },
        ),
        migrations.CreateModel(
            name='Appropriation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=60, verbose_name='appropriation item')),
                ('name', models.CharField(max_length=300, verbose_name='name')),
                ('revenue_accounts', models.CharField(default='3700-3799', max_length=20, verbose_name='ledger accounts for revenue from the appropriation (from–to)')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.provider', verbose_name='provider')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('provider', 'code'), name='appropriation_unique')],
            },
        ),
        migrations.CreateModel(
            name='AppropriationYear',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(verbose_name='year')),
                ('opening', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='carried over from last year')),
                ('allocation', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='allocation in the regleringsbrev')),
                ('withdrawal', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=18, verbose_name='withdrawn')),
                ('adjustment', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=18, verbose_name='expenditure not in revenue')),
                ('adjustment_note', models.CharField(blank=True, max_length=300, verbose_name='explanation')),
                ('credit_rate', models.DecimalField(decimal_places=4, default=Decimal('0.03'), max_digits=5, verbose_name='appropriation credit (share)')),
                ('appropriation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='years', to='followup.appropriation')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('appropriation', 'year'), name='appropriation_year_unique')],
            },
        ),
        migrations.CreateModel(
            name='DataPoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('element', models.SlugField(max_length=60, verbose_name='data element')),
                ('level', models.CharField(choices=[('service', 'service'), ('supplier', 'supplier'), ('office', 'office'), ('customer', 'customer'), ('organisation', 'organisation')], max_length=16, verbose_name='level')),
                ('subject', models.CharField(max_length=80, verbose_name='subject')),
                ('year', models.PositiveIntegerField(verbose_name='year')),
                ('value', models.DecimalField(decimal_places=6, max_digits=22, verbose_name='value')),
                ('origin', models.CharField(choices=[('computed', 'computed from the registry'), ('entered', 'entered by hand'), ('imported', 'imported')], max_length=10, verbose_name='origin')),
                ('source', models.CharField(blank=True, max_length=300, verbose_name='source')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='time')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.provider', verbose_name='provider')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'data point',
                'verbose_name_plural': 'data points',
                'ordering': ['element', 'level', 'subject', 'year'],
                'constraints': [models.UniqueConstraint(fields=('provider', 'element', 'level', 'subject', 'year'), name='datapoint_unique')],
                'indexes': [models.Index(fields=['provider', 'level', 'year'], name='followup_da_provide_3bd9d5_idx')],
            },
        ),
        migrations.CreateModel(
            name='ElementSources',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('chart', models.CharField(choices=[('state', "The state's chart of accounts (Statens baskontoplan)"), ('bas', 'BAS (municipalities, regions, companies)')], max_length=10, verbose_name='chart of accounts')),
                ('payroll_services', models.ManyToManyField(blank=True, related_name='+', to='registry.service', verbose_name='payroll services')),
                ('provider', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='element_sources', to='registry.provider', verbose_name='provider')),
            ],
        ),
        migrations.CreateModel(
            name='FeeActivity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, verbose_name='code')),
                ('position', models.PositiveIntegerField(default=0, verbose_name='position')),
                ('name_sv', models.CharField(max_length=300, verbose_name='name (Swedish)')),
                ('name_en', models.CharField(blank=True, max_length=300, verbose_name='name (English)')),
                ('section', models.CharField(choices=[('disposed', 'disposed'), ('pension', 'pension'), ('estimated', 'estimated')], max_length=10, verbose_name='section of the table')),
                ('objects_in_ledger', models.CharField(max_length=200, verbose_name='activity objects in the ledger (comma-separated)')),
                ('balance_goal_year', models.PositiveIntegerField(blank=True, null=True, verbose_name='in balance by (year)')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.provider', verbose_name='provider')),
            ],
            options={
                'verbose_name': 'fee-financed activity',
                'verbose_name_plural': 'fee-financed activities',
                'ordering': ['provider', 'position'],
                'constraints': [models.UniqueConstraint(fields=('provider', 'code'), name='fee_activity_unique')],
            },
        ),
        migrations.CreateModel(
            name='ActivityOpening',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(verbose_name='first year in the ledger')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='accumulated result before that year')),
                ('source', models.CharField(blank=True, max_length=300, verbose_name='source')),
                ('activity', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='opening', to='followup.feeactivity')),
            ],
        ),
        migrations.CreateModel(
            name='ActivityBudget',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(verbose_name='year')),
                ('revenue', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='budgeted revenue')),
                ('cost', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='budgeted cost')),
                ('source', models.CharField(blank=True, max_length=300, verbose_name='source')),
                ('activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='budgets', to='followup.feeactivity')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('activity', 'year'), name='activity_budget_unique')],
            },
        ),
        migrations.CreateModel(
            name='Goal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, verbose_name='code')),
                ('position', models.PositiveIntegerField(default=0, verbose_name='position')),
                ('name_sv', models.CharField(max_length=300, verbose_name='goal (Swedish)')),
                ('name_en', models.CharField(blank=True, max_length=300, verbose_name='goal (English)')),
                ('statement_sv', models.TextField(blank=True, verbose_name='result indicator (Swedish)')),
                ('statement_en', models.TextField(blank=True, verbose_name='result indicator (English)')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.provider', verbose_name='provider')),
            ],
            options={
                'verbose_name': 'goal',
                'verbose_name_plural': 'goals',
                'ordering': ['provider', 'position'],
                'constraints': [models.UniqueConstraint(fields=('provider', 'code'), name='goal_unique_code')],
            },
        ),
        migrations.CreateModel(
            name='IndicatorDefinition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('family', models.CharField(choices=[('it_operations', 'Coordinated IT operations (seven indicators)'), ('own', "The organisation's own result indicators"), ('productivity', 'Productivity and connection rate')], max_length=20, verbose_name='family')),
                ('code', models.SlugField(max_length=60, verbose_name='id')),
                ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
                ('valid_from', models.PositiveIntegerField(verbose_name='valid from (year)')),
                ('position', models.PositiveIntegerField(default=0, verbose_name='position')),
                ('name_sv', models.CharField(max_length=200, verbose_name='name (Swedish)')),
                ('name_en', models.CharField(max_length=200, verbose_name='name (English)')),
                ('description_sv', models.TextField(blank=True, verbose_name='description (Swedish)')),
                ('description_en', models.TextField(blank=True, verbose_name='description (English)')),
                ('numerator', models.CharField(max_length=500, verbose_name='numerator (or value)')),
                ('denominator', models.CharField(blank=True, max_length=500, verbose_name='denominator')),
                ('factor', models.DecimalField(decimal_places=4, default=Decimal('1'), max_digits=12, verbose_name='factor')),
                ('unit', models.CharField(blank=True, max_length=40, verbose_name='unit')),
                ('decimals', models.PositiveSmallIntegerField(default=1, verbose_name='decimals')),
                ('direction', models.CharField(choices=[('up', 'up'), ('down', 'down'), ('none', 'none')], default=servicecenter.core.indicators.definitions.Direction['NONE'], max_length=4, verbose_name='desired direction')),
                ('target', models.DecimalField(blank=True, decimal_places=4, max_digits=18, null=True, verbose_name='target')),
                ('reference', models.DecimalField(blank=True, decimal_places=4, max_digits=18, null=True, verbose_name='reference value')),
                ('bands', models.JSONField(blank=True, default=list, verbose_name='target bands')),
                ('levels', models.CharField(default=servicecenter.core.indicators.definitions.Level['ORGANISATION'], max_length=100, verbose_name='levels (comma-separated)')),
                ('period_type', models.CharField(default='year', max_length=10, verbose_name='period type')),
                ('aggregation', models.CharField(choices=[('ratio', 'ratio'), ('sum', 'sum'), ('weighted_mean', 'weighted_mean'), ('mean', 'mean'), ('none', 'none')], default=servicecenter.core.indicators.definitions.Aggregation['RATIO'], max_length=16, verbose_name='aggregation')),
                ('weight', models.CharField(blank=True, max_length=200, verbose_name='weight (weighted mean)')),
                ('baseline', models.PositiveIntegerField(blank=True, null=True, verbose_name='baseline year')),
                ('sensitive', models.BooleanField(default=False, verbose_name='sensitive (kept out of the open report)')),
                ('notes', models.TextField(blank=True, verbose_name='notes on interpretation')),
                ('goal', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='metrics', to='followup.goal', verbose_name='goal')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.provider', verbose_name='provider')),
            ],
            options={
                'verbose_name': 'indicator definition',
                'verbose_name_plural': 'indicator definitions',
                'ordering': ['family', 'position', 'code', '-version'],
                'constraints': [models.UniqueConstraint(fields=('provider', 'code', 'version'), name='indicator_unique_version')],
            },
        ),
        migrations.CreateModel(
            name='Outage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('start', models.DateTimeField(verbose_name='start')),
                ('end', models.DateTimeField(verbose_name='end')),
                ('main_function', models.BooleanField(default=True, verbose_name='main functionality affected')),
                ('description', models.CharField(blank=True, max_length=300, verbose_name='description')),
                ('reference', models.CharField(blank=True, max_length=60, verbose_name='reference (incident id)')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='registered')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.provider', verbose_name='supplier')),
                ('service', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='outages', to='registry.service', verbose_name='service')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'outage',
                'verbose_name_plural': 'outages',
                'ordering': ['-start'],
                'constraints': [models.CheckConstraint(condition=models.Q(('end__gt', models.F('start'))), name='outage_ends_after_start')],
            },
        ),
        migrations.CreateModel(
            name='PriceIndex',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, verbose_name='index')),
                ('year', models.PositiveIntegerField(verbose_name='year')),
                ('value', models.DecimalField(decimal_places=4, max_digits=14, verbose_name='value')),
                ('source', models.CharField(blank=True, max_length=300, verbose_name='source')),
            ],
            options={
                'verbose_name': 'price index',
                'verbose_name_plural': 'price indices',
                'ordering': ['code', 'year'],
                'constraints': [models.UniqueConstraint(fields=('code', 'year'), name='price_index_unique')],
            },
        ),
        migrations.CreateModel(
            name='RegisteredAgency',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('org_number', models.CharField(max_length=11, verbose_name='organisation number')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('fte', models.DecimalField(decimal_places=1, default=Decimal('0'), max_digits=10, verbose_name='FTE')),
                ('host_org_number', models.CharField(blank=True, max_length=11, verbose_name='host agency')),
                ('register', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='agencies', to='followup.agencyregister')),
            ],
            options={
                'verbose_name': 'registered agency',
                'verbose_name_plural': 'registered agencies',
                'ordering': ['name'],
                'constraints': [models.UniqueConstraint(fields=('register', 'org_number'), name='registered_agency_unique')],
            },
        ),
        migrations.CreateModel(
            name='ReportText',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('report', models.CharField(max_length=30, verbose_name='report')),
                ('year', models.PositiveIntegerField(verbose_name='year')),
                ('section', models.CharField(max_length=60, verbose_name='section')),
                ('text', models.TextField(blank=True, verbose_name='text')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='saved')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.provider', verbose_name='provider')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('provider', 'report', 'year', 'section'), name='report_text_unique')],
            },
        ),
        migrations.CreateModel(
            name='Restriction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('indicator', models.SlugField(blank=True, max_length=60, verbose_name='indicator (blank: all)')),
                ('subject', models.CharField(max_length=80, verbose_name='subject')),
                ('reason', models.CharField(max_length=300, verbose_name='reason')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.provider', verbose_name='provider')),
            ],
            options={
                'verbose_name': 'restricted item',
                'verbose_name_plural': 'restricted items',
            },
        ),
        migrations.CreateModel(
            name='StaffYear',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(verbose_name='year')),
                ('fte', models.DecimalField(decimal_places=1, max_digits=10, verbose_name='full-time equivalents')),
                ('average_employees', models.DecimalField(blank=True, decimal_places=1, max_digits=10, null=True, verbose_name='average number of employees')),
                ('source', models.CharField(blank=True, max_length=300, verbose_name='source')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.provider', verbose_name='provider')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('provider', 'year'), name='staff_year_unique')],
            },
        ),
        migrations.CreateModel(
            name='Survey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=60, verbose_name='code')),
                ('year', models.PositiveIntegerField(verbose_name='year')),
                ('kind', models.CharField(choices=[('customer', 'Customers (connected agencies)'), ('contact', 'Contact persons'), ('user', 'Users'), ('visitor', 'Visitors to the service offices'), ('partner', 'Partner agencies')], max_length=10, verbose_name='respondents')),
                ('population', models.PositiveIntegerField(blank=True, null=True, verbose_name='population')),
                ('sample_size', models.PositiveIntegerField(blank=True, null=True, verbose_name='sample size')),
                ('sample_design', models.TextField(blank=True, verbose_name='sample design')),
                ('fieldwork', models.CharField(blank=True, max_length=100, verbose_name='fieldwork period')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.provider', verbose_name='provider')),
                ('service', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.service', verbose_name='service')),
            ],
            options={
                'verbose_name': 'survey',
                'verbose_name_plural': 'surveys',
                'ordering': ['-year', 'code'],
                'constraints': [models.UniqueConstraint(fields=('provider', 'code', 'year'), name='survey_unique')],
            },
        ),
        migrations.CreateModel(
            name='SurveyAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('respondent', models.CharField(max_length=60, verbose_name='respondent id')),
                ('overall', models.PositiveSmallIntegerField(verbose_name='overall satisfaction (1–10)')),
                ('expectations', models.PositiveSmallIntegerField(verbose_name='expectations met (1–10)')),
                ('ideal', models.PositiveSmallIntegerField(verbose_name='compared with an ideal service (1–10)')),
                ('survey', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='followup.survey')),
            ],
            options={
                'verbose_name': 'survey answer',
                'verbose_name_plural': 'survey answers',
                'constraints': [models.CheckConstraint(condition=models.Q(('expectations__gte', 1), ('expectations__lte', 10), ('ideal__gte', 1), ('ideal__lte', 10), ('overall__gte', 1), ('overall__lte', 10)), name='survey_answer_scale'), models.UniqueConstraint(fields=('survey', 'respondent'), name='survey_answer_unique')],
            },
        ),
    ]
