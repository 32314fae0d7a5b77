"""The form of an own indicator (the rules are in ``followup.defining``)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from servicecenter.core import limits

LEVELS = [("service", _("Service")), ("supplier", _("Supplier")), ("office", _("Office")), ("customer", _("Customer")), ("organisation", _("Whole organisation"))]


class IndicatorForm(forms.Form):
    """An own indicator, as the organisation defines it (``followup.defining``)."""

    name_sv = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    numerator = forms.CharField(label=_("Numerator (or the value)"), max_length=500,
                                help_text=_("Data elements by name with + - * / and numbers, e.g. “outage_minutes” or “cost_total - cost_rent”."))
    denominator = forms.CharField(label=_("Denominator"), max_length=500, required=False, help_text=_("Empty for a plain value."))
    factor = forms.DecimalField(label=_("Factor"), initial=1, min_value=Decimal("0.0001"), max_value=Decimal(10) ** 6, decimal_places=4,
                                help_text=_("e.g. 100 for a percentage."))
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    decimals = forms.IntegerField(label=_("Decimals"), min_value=0, max_value=6, initial=1)
    direction = forms.ChoiceField(label=_("Desired direction"), choices=[("up", _("higher is better")), ("down", _("lower is better")),
                                                                        ("none", _("followed"))], initial="none")
    target = forms.DecimalField(label=_("Target"), required=False, max_digits=18, decimal_places=4)
    levels = forms.MultipleChoiceField(label=_("Shown at"), choices=LEVELS, initial=["organisation"], widget=forms.CheckboxSelectMultiple)
    valid_from = forms.IntegerField(label=_("First year"), min_value=int(limits.YEAR.low), max_value=int(limits.YEAR.high))
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=None, required=False, empty_label=_("none"))
    code = forms.SlugField(label=_("Code (optional)"), max_length=60, required=False,
                           help_text=_("Made from the name when left empty. The same code again makes a new version."))

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals


class SourcesForm(forms.Form):
    """Where the organisation's computed data elements come from (``followup.defining.set_sources``)."""

    chart = forms.ChoiceField(label=_("Chart of accounts"), choices=[("state", _("The state's chart of accounts (Statens baskontoplan)")),
                                                                      ("bas", _("BAS (municipalities, regions, companies)"))])
    payroll_services = forms.ModelMultipleChoiceField(label=_("Payroll services"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
                                                      help_text=_("Their customers make employees_payroll; their volumes make payslips."))

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payroll_services"].queryset = services


class GoalForm(forms.Form):
    """A strategic goal (``followup.defining.define_goal``)."""

    name_sv = forms.CharField(label=_("Name of the goal"), max_length=300)
    name_en = forms.CharField(label=_("Goal in English"), max_length=300, required=False)
    statement_sv = forms.CharField(label=_("Result indicator (how the goal is judged)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    code = forms.SlugField(label=_("Code (optional)"), max_length=40, required=False, help_text=_("Made from the name when left empty."))
