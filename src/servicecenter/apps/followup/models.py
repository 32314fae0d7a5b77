"""Follow-up: indicator definitions (versioned), goals, the data points behind every value
(entered, imported or computed from the registry), the registers and logs that feed them
(agency registers, outages, surveys, price indices), and the fee-financed activities,
appropriations and staff figures behind the annual-report tables."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicecenter.core.followup import Section
from servicecenter.core.indicators import Aggregation, Band, Direction, Expression, Indicator, Level
from servicecenter.core.money import decimal_of


class Family(models.TextChoices):
    IT_OPERATIONS = "it_operations", _("Coordinated IT operations (seven indicators)")
    OWN = "own", _("The organisation's own result indicators")
    PRODUCTIVITY = "productivity", _("Productivity and connection rate")


class IndicatorDefinition(models.Model):
    """One version of an indicator. A new version starts in ``valid_from`` and replaces the
    previous one from that year on; values of earlier years keep their own version."""

    provider = models.ForeignKey("registry.Provider", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+")
    family = models.CharField(_("family"), max_length=20, choices=Family.choices)
    goal = models.ForeignKey("Goal", verbose_name=_("goal"), null=True, blank=True, on_delete=models.PROTECT, related_name="metrics")
    code = models.SlugField(_("id"), max_length=60)
    version = models.PositiveIntegerField(_("version"), default=1)
    valid_from = models.PositiveIntegerField(_("valid from (year)"))
    position = models.PositiveIntegerField(_("position"), default=0)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    numerator = models.CharField(_("numerator (or value)"), max_length=500)
    denominator = models.CharField(_("denominator"), max_length=500, blank=True)
    factor = models.DecimalField(_("factor"), max_digits=12, decimal_places=4, default=Decimal(1))
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=1)
    direction = models.CharField(_("desired direction"), max_length=4, choices=[(d.value, d.value) for d in Direction], default=Direction.NONE)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=4, null=True, blank=True)
    reference = models.DecimalField(_("reference value"), max_digits=18, decimal_places=4, null=True, blank=True)
    bands = models.JSONField(_("target bands"), default=list, blank=True)
    levels = models.CharField(_("levels (comma-separated)"), max_length=100, default=Level.ORGANISATION)
    period_type = models.CharField(_("period type"), max_length=10, default="year")
    aggregation = models.CharField(_("aggregation"), max_length=16, choices=[(a.value, a.value) for a in Aggregation], default=Aggregation.RATIO)
    weight = models.CharField(_("weight (weighted mean)"), max_length=200, blank=True)
    baseline = models.PositiveIntegerField(_("baseline year"), null=True, blank=True)
    sensitive = models.BooleanField(_("sensitive (kept out of the open report)"), default=False)
    notes = models.TextField(_("notes on interpretation"), blank=True)

    class Meta:
        ordering = ["family", "position", "code", "-version"]
        constraints = [models.UniqueConstraint(fields=["provider", "code", "version"], name="indicator_unique_version")]
        verbose_name = _("indicator definition")
        verbose_name_plural = _("indicator definitions")

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    def as_indicator(self) -> Indicator:
        return Indicator(
            id=self.code, version=self.version, valid_from=self.valid_from, name_sv=self.name_sv, name_en=self.name_en,
            description_sv=self.description_sv, description_en=self.description_en,
            numerator=Expression(self.numerator), denominator=Expression(self.denominator) if self.denominator else None,
            factor=self.factor, unit=self.unit, decimals=self.decimals, direction=Direction(self.direction), target=self.target,
            reference=self.reference, bands=tuple(Band(b["label"], _dec(b.get("low")), _dec(b.get("high"))) for b in self.bands),
            levels=tuple(Level(v.strip()) for v in self.levels.split(",") if v.strip()), period=self.period_type,
            aggregation=Aggregation(self.aggregation), weight=Expression(self.weight) if self.weight else None,
            baseline=self.baseline, sensitive=self.sensitive,
        )


def _dec(value) -> Decimal | None:
    return None if value in (None, "") else decimal_of(value)


class Goal(models.Model):
    """A strategic goal with its result indicator (a statement), assessed from its metrics."""

    provider = models.ForeignKey("registry.Provider", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=40)
    position = models.PositiveIntegerField(_("position"), default=0)
    name_sv = models.CharField(_("goal (Swedish)"), max_length=300)
    name_en = models.CharField(_("goal (English)"), max_length=300, blank=True)
    statement_sv = models.TextField(_("result indicator (Swedish)"), blank=True)
    statement_en = models.TextField(_("result indicator (English)"), blank=True)

    class Meta:
        ordering = ["provider", "position"]
        constraints = [models.UniqueConstraint(fields=["provider", "code"], name="goal_unique_code")]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.name_sv


class DataPoint(models.Model):
    """One number behind the indicators: an element for a subject (service, supplier, office,
    customer or the whole organisation) in a period. Computed ones are remade from the registry
    on refresh; entered and imported ones are kept, and every change is audited."""

    class Origin(models.TextChoices):
        COMPUTED = "computed", _("computed from the registry")
        ENTERED = "entered", _("entered by hand")
        IMPORTED = "imported", _("imported")

    provider = models.ForeignKey("registry.Provider", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+")
    element = models.SlugField(_("data element"), max_length=60)
    level = models.CharField(_("level"), max_length=16, choices=[(lv.value, lv.value) for lv in Level])
    subject = models.CharField(_("subject"), max_length=80)
    year = models.PositiveIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=22, decimal_places=6)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    source = models.CharField(_("source"), max_length=300, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["element", "level", "subject", "year"]
        constraints = [models.UniqueConstraint(fields=["provider", "element", "level", "subject", "year"], name="datapoint_unique")]
        indexes = [models.Index(fields=["provider", "level", "year"])]
        verbose_name = _("data point")
        verbose_name_plural = _("data points")

    def __str__(self) -> str:
        return f"{self.element} {self.level}:{self.subject} {self.year} = {self.value}"


class AgencyRegister(models.Model):
    """A dated list of agencies: Statskontoret's register of state agencies, or the list of
    preparedness agencies (annex 1 to ordinance 2022:524)."""

    class Kind(models.TextChoices):
        STATE_AGENCIES = "state_agencies", _("State agencies (Statskontoret)")
        PREPAREDNESS = "preparedness", _("Preparedness agencies (SFS 2022:524, annex 1)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    valid_on = models.DateField(_("valid on"))
    source = models.CharField(_("source"), max_length=300, blank=True)
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)

    class Meta:
        ordering = ["kind", "-valid_on"]
        constraints = [models.UniqueConstraint(fields=["kind", "valid_on"], name="register_unique_date")]
        verbose_name = _("agency register")
        verbose_name_plural = _("agency registers")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.valid_on}"

    def counted(self):
        """The agencies the indicator counts: for the state register those with at least one FTE
        and no host agency; for the preparedness list every entry."""
        entries = self.agencies.all()
        if self.kind == self.Kind.STATE_AGENCIES:
            entries = entries.filter(fte__gte=1, host_org_number="")
        return entries


class RegisteredAgency(models.Model):
    register = models.ForeignKey(AgencyRegister, on_delete=models.CASCADE, related_name="agencies")
    org_number = models.CharField(_("organisation number"), max_length=11)
    name = models.CharField(_("name"), max_length=200)
    fte = models.DecimalField(_("FTE"), max_digits=10, decimal_places=1, default=Decimal(0))
    host_org_number = models.CharField(_("host agency"), max_length=11, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["register", "org_number"], name="registered_agency_unique")]
        verbose_name = _("registered agency")
        verbose_name_plural = _("registered agencies")

    def __str__(self) -> str:
        return self.name


class Outage(models.Model):
    """An interruption of a service's main functionality, in local Swedish time."""

    provider = models.ForeignKey("registry.Provider", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey("registry.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="outages")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    main_function = models.BooleanField(_("main functionality affected"), default=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    reference = models.CharField(_("reference (incident id)"), max_length=60, blank=True)
    at = models.DateTimeField(_("registered"), default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-start"]
        constraints = [models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="outage_ends_after_start")]
        verbose_name = _("outage")
        verbose_name_plural = _("outages")

    def __str__(self) -> str:
        return f"{self.service} {self.start:%Y-%m-%d %H:%M}"


class Survey(models.Model):
    """A satisfaction survey with the three standard questions, and how it was drawn."""

    class Kind(models.TextChoices):
        CUSTOMER = "customer", _("Customers (connected agencies)")
        CONTACT = "contact", _("Contact persons")
        USER = "user", _("Users")
        VISITOR = "visitor", _("Visitors to the service offices")
        PARTNER = "partner", _("Partner agencies")

    provider = models.ForeignKey("registry.Provider", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey("registry.Service", verbose_name=_("service"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=60)
    year = models.PositiveIntegerField(_("year"))
    kind = models.CharField(_("respondents"), max_length=10, choices=Kind.choices)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    sample_size = models.PositiveIntegerField(_("sample size"), null=True, blank=True)
    sample_design = models.TextField(_("sample design"), blank=True)
    fieldwork = models.CharField(_("fieldwork period"), max_length=100, blank=True)

    class Meta:
        ordering = ["-year", "code"]
        constraints = [models.UniqueConstraint(fields=["provider", "code", "year"], name="survey_unique")]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return f"{self.code} {self.year}"


class SurveyAnswer(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    respondent = models.CharField(_("respondent id"), max_length=60)
    overall = models.PositiveSmallIntegerField(_("overall satisfaction (1–10)"))
    expectations = models.PositiveSmallIntegerField(_("expectations met (1–10)"))
    ideal = models.PositiveSmallIntegerField(_("compared with an ideal service (1–10)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "respondent"], name="survey_answer_unique"),
            models.CheckConstraint(condition=models.Q(overall__gte=1, overall__lte=10, expectations__gte=1, expectations__lte=10,
                                                      ideal__gte=1, ideal__lte=10), name="survey_answer_scale"),
        ]
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")

    def __str__(self) -> str:
        return f"{self.survey} {self.respondent}"


class PriceIndex(models.Model):
    """A yearly index, e.g. the government's price-and-wage index (PLO) or a supplier's input prices."""

    code = models.SlugField(_("index"), max_length=40)
    year = models.PositiveIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["code", "year"]
        constraints = [models.UniqueConstraint(fields=["code", "year"], name="price_index_unique")]
        verbose_name = _("price index")
        verbose_name_plural = _("price indices")

    def __str__(self) -> str:
        return f"{self.code} {self.year}: {self.value}"


class Restriction(models.Model):
    """An item kept out of the open report and shown only in the restricted annex."""

    provider = models.ForeignKey("registry.Provider", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+")
    indicator = models.SlugField(_("indicator (blank: all)"), max_length=60, blank=True)
    subject = models.CharField(_("subject"), max_length=80)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("restricted item")
        verbose_name_plural = _("restricted items")

    def covers(self, indicator: str, subject: str) -> bool:
        return self.subject == subject and self.indicator in ("", indicator)

    def __str__(self) -> str:
        return f"{self.indicator or '*'} {self.subject}"


class ReportText(models.Model):
    """The analysis the government asks for, written by a person, per report, year and section."""

    provider = models.ForeignKey("registry.Provider", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+")
    report = models.CharField(_("report"), max_length=30)
    year = models.PositiveIntegerField(_("year"))
    section = models.CharField(_("section"), max_length=60)
    text = models.TextField(_("text"), blank=True)
    at = models.DateTimeField(_("saved"), default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "report", "year", "section"], name="report_text_unique")]

    def __str__(self) -> str:
        return f"{self.report} {self.year} {self.section}"


# --- fee-financed activity, appropriation, staff --------------------------------------------------

class FeeActivity(models.Model):
    """A fee-financed activity of Tabell 6. Its revenue and cost are read from the ledger: the
    cells on its activity objects (SIE dimension 6), revenue accounts 3000–3999 and cost
    accounts 4000–8999."""

    provider = models.ForeignKey("registry.Provider", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=40)
    position = models.PositiveIntegerField(_("position"), default=0)
    name_sv = models.CharField(_("name (Swedish)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    section = models.CharField(_("section of the table"), max_length=10, choices=[(s.value, s.value) for s in Section])
    objects_in_ledger = models.CharField(_("activity objects in the ledger (comma-separated)"), max_length=200)
    balance_goal_year = models.PositiveIntegerField(_("in balance by (year)"), null=True, blank=True)

    class Meta:
        ordering = ["provider", "position"]
        constraints = [models.UniqueConstraint(fields=["provider", "code"], name="fee_activity_unique")]
        verbose_name = _("fee-financed activity")
        verbose_name_plural = _("fee-financed activities")

    def __str__(self) -> str:
        return self.name_sv

    @property
    def ledger_objects(self) -> list[str]:
        return [code.strip() for code in self.objects_in_ledger.split(",") if code.strip()]


class ActivityBudget(models.Model):
    """Budgeted revenue and cost of an activity for a year, as the regleringsbrev states them."""

    activity = models.ForeignKey(FeeActivity, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveIntegerField(_("year"))
    revenue = models.DecimalField(_("budgeted revenue"), max_digits=18, decimal_places=2)
    cost = models.DecimalField(_("budgeted cost"), max_digits=18, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["activity", "year"], name="activity_budget_unique")]

    def __str__(self) -> str:
        return f"{self.activity} {self.year}"


class ActivityOpening(models.Model):
    """The accumulated result brought in when the books in this system begin (like an opening
    balance): the result of every year before ``year``."""

    activity = models.OneToOneField(FeeActivity, on_delete=models.CASCADE, related_name="opening")
    year = models.PositiveIntegerField(_("first year in the ledger"))
    amount = models.DecimalField(_("accumulated result before that year"), max_digits=18, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.activity} {self.year}"


class Appropriation(models.Model):
    provider = models.ForeignKey("registry.Provider", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("appropriation item"), max_length=60)
    name = models.CharField(_("name"), max_length=300)
    revenue_accounts = models.CharField(_("ledger accounts for revenue from the appropriation (from–to)"), max_length=20, default="3700-3799")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "code"], name="appropriation_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AppropriationYear(models.Model):
    """Tabell 25 inputs for a year. Expenditure is the ledger's revenue from the appropriation
    plus ``adjustment`` (items settled against the appropriation but not booked as revenue)."""

    appropriation = models.ForeignKey(Appropriation, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveIntegerField(_("year"))
    opening = models.DecimalField(_("carried over from last year"), max_digits=18, decimal_places=2)
    allocation = models.DecimalField(_("allocation in the regleringsbrev"), max_digits=18, decimal_places=2)
    withdrawal = models.DecimalField(_("withdrawn"), max_digits=18, decimal_places=2, default=Decimal(0))
    adjustment = models.DecimalField(_("expenditure not in revenue"), max_digits=18, decimal_places=2, default=Decimal(0))
    adjustment_note = models.CharField(_("explanation"), max_length=300, blank=True)
    credit_rate = models.DecimalField(_("appropriation credit (share)"), max_digits=5, decimal_places=4, default=Decimal("0.03"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["appropriation", "year"], name="appropriation_year_unique")]

    def __str__(self) -> str:
        return f"{self.appropriation} {self.year}"


class StaffYear(models.Model):
    provider = models.ForeignKey("registry.Provider", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("year"))
    fte = models.DecimalField(_("full-time equivalents"), max_digits=10, decimal_places=1)
    average_employees = models.DecimalField(_("average number of employees"), max_digits=10, decimal_places=1, null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "year"], name="staff_year_unique")]

    def __str__(self) -> str:
        return f"{self.provider} {self.year}"


class ElementSources(models.Model):
    """Where the organisation's own computed data elements come from: its chart of accounts (the
    state's or BAS), which ranges make personnel, premises and other operating cost; and which of
    its services are payroll, whose customers and volumes make ``employees_payroll`` and
    ``payslips``. Without a row nothing is assumed: the elements are not computed."""

    class Chart(models.TextChoices):
        STATE = "state", _("The state's chart of accounts (Statens baskontoplan)")
        BAS = "bas", _("BAS (municipalities, regions, companies)")

    provider = models.OneToOneField("registry.Provider", verbose_name=_("provider"), on_delete=models.CASCADE, related_name="element_sources")
    chart = models.CharField(_("chart of accounts"), max_length=10, choices=Chart.choices)
    payroll_services = models.ManyToManyField("registry.Service", verbose_name=_("payroll services"), blank=True, related_name="+")

    def __str__(self) -> str:
        return f"{self.provider}: {self.get_chart_display()}"
